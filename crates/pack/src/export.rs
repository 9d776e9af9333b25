//! `ccm pack export`: cut a signed pack of approved templates from the library.
//!
//! Only templates whose review status is Approved (not stale, not in review) go in; every
//! other selected template is reported with its state and why. The pack is cut from the
//! archive's latest signed checkpoint: its sequence number is that head's size and its time the
//! head entry's time, so exporting the same approvals again gives a byte-identical file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use ccm_core::identity::{Identity, Member, Role};
use ccm_core::model::ContentHash;
use ccm_core::store::{ListFilter, Store};
use ccm_render::Engine;
use ccm_rules::RuleSet;
use ccm_trust::archive::{parse, root_of};
use ccm_trust::checkpoint::Checkpoint;
use ccm_trust::entry::Entry;
use ccm_trust::inputs::StaleReason;
use ccm_trust::manifest::Manifest;
use ccm_trust::merkle;
use ccm_trust::review::{self, State};
use serde::Serialize;

use crate::error::{codes, io, refuse, PackError, Result};
use crate::layout::{self, *};

/// Which templates to consider. With `ids`, exactly those; otherwise every template matching
/// `brand` and `tag` (both optional, but at least one of the three must be given).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub brand: Option<String>,
    pub tag: Option<String>,
    pub ids: Vec<String>,
}

/// Where the export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Progress {
    /// Reading approvals and making evidence PDFs: `done` of `total` templates.
    Collect {
        done: usize,
        total: usize,
    },
    /// Compressing entries into the ZIP.
    Write {
        done: usize,
        total: usize,
    },
    Sign,
}

/// A selected template the pack leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    pub id: String,
    pub state: State,
    /// In English, for people: `stale: the brand file logo.png changed`, `never approved`.
    pub why: String,
    /// The same in Japanese, for the app.
    pub why_ja: String,
    pub stale_reasons: Vec<StaleReason>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Included {
    pub id: String,
    pub version: u32,
    pub entry_seq: u64,
    pub files: usize,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exported {
    pub path: PathBuf,
    pub signature_path: PathBuf,
    pub pack_id: String,
    pub sequence: u64,
    pub brand: String,
    pub layout: Layout,
    pub size: u64,
    pub sha256: String,
    pub entries: usize,
    /// Fingerprint and public key line of the signing key.
    pub key: String,
    pub public_key: String,
    pub included: Vec<Included>,
    pub left_out: Vec<LeftOut>,
}

/// A template that an export of the selection would hold: its approved version and who
/// approved it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Planned {
    pub id: String,
    pub version: u32,
    pub entry_seq: u64,
    pub approved_by: String,
    pub approved_at: String,
}

/// What exporting a selection would give, before anything is made or written: which
/// templates go in and which are left out, and why (what the export dialog shows first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The pack's brand; empty when no selected template is approved.
    pub brand: String,
    pub included: Vec<Planned>,
    pub left_out: Vec<LeftOut>,
}

/// Works out what an export of `selection` would hold. Refused only when the approved
/// templates span several brands and no brand was chosen; an empty `included` is not an error
/// here ([`export`] refuses it).
pub fn plan(store: &Store, rules: &RuleSet, selection: &Selection) -> Result<Plan> {
    let (candidates, mut left_out) = select(store, rules, selection)?;
    let brand = pack_brand(selection, &candidates)?;
    let (included, other_brands): (Vec<Candidate>, Vec<Candidate>) =
        candidates.into_iter().partition(|c| c.brand == brand);
    left_out.extend(other_brands.into_iter().map(|c| LeftOut {
        why: format!("brand {}, not the pack's brand {brand}", c.brand),
        why_ja: format!(
            "ブランド {}（このパックのブランド {brand} ではありません）",
            c.brand
        ),
        id: c.id,
        state: State::Approved,
        stale_reasons: Vec::new(),
    }));
    left_out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Plan {
        brand: if included.is_empty() {
            String::new()
        } else {
            brand
        },
        included: included
            .into_iter()
            .map(|c| Planned {
                id: c.id,
                version: c.version,
                entry_seq: c.seq,
                approved_by: c.approved_by,
                approved_at: c.approved_at,
            })
            .collect(),
        left_out,
    })
}

/// Everything an export needs besides the library.
pub struct Exporter<'a> {
    pub identity: &'a Identity,
    pub rules: &'a RuleSet,
    pub engine: &'a Engine,
    pub layout: Layout,
}

/// One template's part of the pack.
struct Part {
    template: PackTemplate,
    entries: Vec<(String, Vec<u8>)>,
    approver: Member,
    brand_version: u32,
    brand_files: Vec<(String, String)>,
}

/// Exports the approved templates of `selection` to `out` (and `out.minisig`).
pub fn export(
    store: &Store,
    exporter: &Exporter<'_>,
    selection: &Selection,
    out: &Path,
    mut progress: impl FnMut(Progress),
) -> Result<Exported> {
    let me = check_brand_member(store, exporter.identity)?;
    let Plan {
        brand,
        included: planned,
        left_out,
    } = plan(store, exporter.rules, selection)?;
    let chosen: Vec<(String, u64)> = planned.into_iter().map(|p| (p.id, p.entry_seq)).collect();
    if chosen.is_empty() {
        let listed: Vec<String> = left_out
            .iter()
            .map(|l| format!("{} ({})", l.id, l.why))
            .collect();
        return Err(refuse(
            codes::NOTHING_APPROVED,
            format!(
                "no selected template is approved and current: {}",
                if listed.is_empty() {
                    "nothing matched the selection".to_owned()
                } else {
                    listed.join("; ")
                }
            ),
            "approve them first (`ccm review submit`, then a compliance officer runs `ccm review approve`)",
        ));
    }

    let head = signed_head(store)?;
    let late: Vec<&str> = chosen
        .iter()
        .filter(|(_, seq)| *seq > head.size)
        .map(|(id, _)| id.as_str())
        .collect();
    if !late.is_empty() {
        return Err(refuse(
            codes::NO_CHECKPOINT,
            format!(
                "the approvals of {} are newer than the archive's last signed checkpoint (size {})",
                late.join(", "),
                head.size
            ),
            "run `ccm archive verify`; a library whose archive was shared without its checkpoint needs a new review event to sign one",
        ));
    }

    let parts = collect_all(store, exporter, &chosen, &head, &mut progress)?;

    // The brand kit every included approval was made with (non-stale approvals all name the
    // current kit's files; the check keeps a pack from mixing two kits all the same).
    let kit_version = parts[0].brand_version;
    let kit = store.brand_at(&brand, kit_version)?;
    let kit_files: Vec<(String, String)> = kit
        .files
        .iter()
        .map(|(p, b)| (p.clone(), layout::sha256_hex(b)))
        .collect();
    if let Some(p) = parts.iter().find(|p| p.brand_files != kit_files) {
        return Err(refuse(
            codes::MIXED_BRANDS,
            format!(
                "{} was approved with other brand kit files than {}",
                p.template.id, parts[0].template.id
            ),
            "approve both against the current brand kit, then export again",
        ));
    }

    let team = team_json(store, exporter.identity, &me, &parts, &head)?;
    let brand_files: Vec<(String, Vec<u8>)> = kit
        .files
        .into_iter()
        .map(|(p, b)| (brand_path(&p), b))
        .collect();
    let mut manifest = PackManifest {
        type_: PACK_TYPE.to_owned(),
        pack_id: String::new(),
        sequence: head.size,
        brand: brand.clone(),
        created_by: Creator {
            name: exporter.identity.member.name.clone(),
            key: exporter.identity.fingerprint.clone(),
            public_key: exporter.identity.member.public_key.clone(),
        },
        created_at: head.at.clone(),
        layout: exporter.layout,
        archive: ArchiveHead {
            size: head.size,
            root: head.root.clone(),
            checkpoint: head.note.clone(),
        },
        brand_kit: BrandKitFiles {
            version: kit_version,
            files: brand_files
                .iter()
                .map(|(p, b)| PackFile::of(p.clone(), b))
                .collect(),
        },
        team: PackFile::of(TEAM, &team),
        templates: parts.iter().map(|p| p.template.clone()).collect(),
    };
    manifest.pack_id = layout::pack_id(&manifest);
    let mut manifest_json = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
    manifest_json.push(b'\n');

    let mut body: Vec<(String, Vec<u8>)> = brand_files;
    let included: Vec<Included> = parts
        .iter()
        .map(|p| Included {
            id: p.template.id.clone(),
            version: p.template.version,
            entry_seq: p.template.approval.seq,
            files: p.entries.len(),
        })
        .collect();
    for p in parts {
        body.extend(p.entries);
    }
    // Fixed order: the three files a reader opens first, then everything by path.
    body.sort_by(|a, b| a.0.cmp(&b.0));
    // Every entry was hashed once already, for the manifest; SHA-256 is most of what writing
    // a large pack costs after compression, so the listing reuses those digests.
    let mut listed: Vec<PackFile> = manifest
        .brand_kit
        .files
        .iter()
        .chain(manifest.templates.iter().flat_map(|t| t.files.iter()))
        .cloned()
        .collect();
    listed.sort_by(|a, b| a.path.cmp(&b.path));
    listed.push(PackFile::of(MANIFEST, &manifest_json));
    listed.push(PackFile::of(TEAM, &team));
    let sums = sums_text(&listed).into_bytes();
    let mut entries = vec![
        (MANIFEST.to_owned(), manifest_json),
        (SUMS.to_owned(), sums),
        (TEAM.to_owned(), team),
    ];
    entries.extend(body);

    let count = entries.len();
    let zip = write_zip(
        std::io::Cursor::new(Vec::new()),
        &entries,
        entry_time(&head.at),
        |done| progress(Progress::Write { done, total: count }),
    )
    .map_err(|e| PackError::Core(ccm_core::Error::Corrupt(format!("writing the ZIP: {e}"))))?
    .into_inner();
    progress(Progress::Sign);
    // Signing (BLAKE2b over the file) and the sha256 the result reports each read the whole
    // pack once: on two cores at the same time.
    let (signature, sha256) = std::thread::scope(|s| {
        let sha256 = s.spawn(|| layout::sha256_hex(&zip));
        let signature = exporter.identity.sign(&zip, &trusted_comment(&manifest));
        (signature, sha256.join().expect("hashing the pack"))
    });
    let signature = signature?;
    let sig_path = signature_path(out);
    write_atomically(out, &zip)?;
    write_atomically(&sig_path, signature.as_bytes())?;
    Ok(Exported {
        path: out.to_owned(),
        signature_path: sig_path,
        pack_id: manifest.pack_id,
        sequence: manifest.sequence,
        brand,
        layout: exporter.layout,
        size: zip.len() as u64,
        sha256,
        entries: count,
        key: exporter.identity.fingerprint.clone(),
        public_key: exporter.identity.member.public_key.clone(),
        included,
        left_out,
    })
}

/// The exporter must hold the brand role on this library's roster, with this very key.
fn check_brand_member(store: &Store, identity: &Identity) -> Result<Member> {
    let (roster, _) = store.team()?;
    match roster.member(&identity.fingerprint) {
        Some(m) if m.role == Role::Brand && m.public_key == identity.member.public_key => {
            Ok(m.clone())
        }
        Some(m) => Err(refuse(
            codes::NOT_BRAND,
            format!(
                "{} ({}) is on the team as {}, and only brand members export packs",
                m.name, identity.fingerprint, m.role
            ),
            "ask a brand team member to export, or to give you the brand role (`ccm team add … --role brand`)",
        )),
        None => Err(refuse(
            codes::NOT_BRAND,
            format!(
                "{} ({}) is not on this library's team roster",
                identity.member.name, identity.fingerprint
            ),
            "ask a team member to add you with the brand role: `ccm team add --name NAME --role brand --key KEY` (the key `ccm id show` prints)",
        )),
    }
}

/// A selected template whose review status is Approved, with its approval.
struct Candidate {
    id: String,
    brand: String,
    seq: u64,
    version: u32,
    approved_by: String,
    approved_at: String,
}

/// Approved candidates and the templates left out.
fn select(
    store: &Store,
    rules: &RuleSet,
    selection: &Selection,
) -> Result<(Vec<Candidate>, Vec<LeftOut>)> {
    let ids: Vec<String> = if selection.ids.is_empty() {
        store
            .list(&ListFilter {
                tag: selection.tag.clone(),
                brand: selection.brand.clone(),
                ..ListFilter::default()
            })?
            .into_iter()
            .map(|t| t.id)
            .collect()
    } else {
        let mut ids = selection.ids.clone();
        ids.sort();
        ids.dedup();
        ids
    };
    let mut approved = Vec::new();
    let mut left_out = Vec::new();
    for id in ids {
        let st = review::status(store, rules, &id)?;
        match (&st.state, &st.last_approval) {
            (State::Approved, Some(a)) => {
                let row = store.archive_row(a.seq)?.ok_or_else(|| {
                    ccm_core::Error::Corrupt(format!("archive entry #{} is missing", a.seq))
                })?;
                let entry = parse(&row)?;
                approved.push(Candidate {
                    id,
                    brand: entry.template.brand,
                    seq: a.seq,
                    version: entry.template.version,
                    approved_by: entry.actor.name,
                    approved_at: entry.at,
                });
            }
            (state, last) => {
                let (label, label_ja) = state.label();
                let (why, why_ja) = if !st.stale_reasons.is_empty() {
                    let en: Vec<&str> = st.stale_reasons.iter().map(|r| r.en.as_str()).collect();
                    let ja: Vec<&str> = st.stale_reasons.iter().map(|r| r.ja.as_str()).collect();
                    (
                        format!("{label}: {}", en.join("; ")),
                        format!("{label_ja}：{}", ja.join("、")),
                    )
                } else if last.is_none() {
                    (
                        format!("{label}: never approved"),
                        format!("{label_ja}：承認されたことがありません"),
                    )
                } else {
                    (
                        format!("{label}: the latest version is not the approved one"),
                        format!("{label_ja}：最新の版は承認された版ではありません"),
                    )
                };
                left_out.push(LeftOut {
                    id,
                    state: *state,
                    why,
                    why_ja,
                    stale_reasons: st.stale_reasons.clone(),
                });
            }
        }
    }
    Ok((approved, left_out))
}

/// One pack is one brand's: the one asked for, else the one all approved templates share.
fn pack_brand(selection: &Selection, candidates: &[Candidate]) -> Result<String> {
    if let Some(b) = &selection.brand {
        return Ok(b.clone());
    }
    let mut brands: Vec<&str> = candidates.iter().map(|c| c.brand.as_str()).collect();
    brands.sort_unstable();
    brands.dedup();
    match brands.as_slice() {
        [] => Ok(String::new()),
        [one] => Ok((*one).to_owned()),
        many => Err(refuse(
            codes::MIXED_BRANDS,
            format!(
                "the selected approved templates belong to several brands: {}",
                many.join(", ")
            ),
            "a pack holds one brand's templates: add `--brand B`",
        )),
    }
}

/// The head the pack is cut from: the latest signed checkpoint, checked against the entries.
struct Head {
    size: u64,
    root: String,
    note: String,
    /// The time of the head entry.
    at: String,
    leaves: Vec<merkle::Hash>,
    signer_key: Option<String>,
}

fn signed_head(store: &Store) -> Result<Head> {
    let no_head = || {
        refuse(
            codes::NO_CHECKPOINT,
            "the archive has no signed checkpoint to cut a pack from",
            "approve a template first (every review event signs a checkpoint)",
        )
    };
    let cp = store.archive_checkpoints()?.pop().ok_or_else(no_head)?;
    let rows = store.archive_rows()?;
    let size = cp.size as usize;
    if size == 0 || size > rows.len() {
        return Err(no_head());
    }
    let hashes: Vec<String> = rows[..size].iter().map(|r| r.hash.clone()).collect();
    let root = hex::encode(root_of(&hashes)?);
    if root != cp.root {
        return Err(PackError::Trust(ccm_trust::TrustError::Damaged {
            what: format!("checkpoint {size}"),
            detail: "its root is not the root of the entries it covers".to_owned(),
        }));
    }
    let leaves = hashes
        .iter()
        .map(|h| hex::decode(h).map(|b| merkle::leaf_hash(&b)))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| ccm_core::Error::Corrupt(format!("archive entry hash: {e}")))?;
    let signer_key = Checkpoint::parse(&cp.note).ok().and_then(|(_, sigs)| {
        sigs.iter().find_map(|s| {
            s.key_name
                .strip_prefix("ccm-studio-key-")
                .map(str::to_owned)
        })
    });
    Ok(Head {
        size: cp.size,
        root,
        note: cp.note,
        at: rows[size - 1].at.clone(),
        leaves,
        signer_key,
    })
}

/// Stack of each export worker (as `archive verify --rerender` gives its render threads).
const RENDER_STACK_BYTES: usize = 16 * 1024 * 1024;

/// Collects every chosen template, in order. Reading blobs, hashing every file and making the
/// evidence PDFs of approvals that have none kept yet take most of this, so with a library
/// file (not an in-memory one) each core works on its own connection.
fn collect_all(
    store: &Store,
    ex: &Exporter<'_>,
    chosen: &[(String, u64)],
    head: &Head,
    progress: &mut impl FnMut(Progress),
) -> Result<Vec<Part>> {
    let total = chosen.len();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(total);
    let (engine, layout) = (ex.engine, ex.layout);
    let path = store.path().filter(|_| workers > 1);
    let Some(path) = path else {
        let mut parts = Vec::with_capacity(total);
        for (i, (id, seq)) in chosen.iter().enumerate() {
            parts.push(collect(store, engine, layout, id, *seq, head)?);
            progress(Progress::Collect { done: i + 1, total });
        }
        return Ok(parts);
    };
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<Part>)>();
        for w in 0..workers {
            let tx = tx.clone();
            // Making an older approval's evidence PDF lays out its letter, which needs more
            // stack than a spawned thread's default 2 MiB.
            let worker = std::thread::Builder::new().stack_size(RENDER_STACK_BYTES);
            let spawned = worker.spawn_scoped(s, move || {
                let store = match Store::open(path) {
                    Ok(st) => st,
                    Err(e) => {
                        let _ = tx.send((w, Err(e.into())));
                        return;
                    }
                };
                for i in (w..total).step_by(workers) {
                    let (id, seq) = &chosen[i];
                    let part = collect(&store, engine, layout, id, *seq, head);
                    let failed = part.is_err();
                    if tx.send((i, part)).is_err() || failed {
                        return;
                    }
                }
            });
            if let Err(e) = spawned {
                return Err(io(Path::new("export worker thread"), e));
            }
        }
        drop(tx);
        let mut slots: Vec<Option<Part>> = (0..total).map(|_| None).collect();
        for (n, (i, part)) in rx.into_iter().enumerate() {
            slots[i] = Some(part?);
            progress(Progress::Collect { done: n + 1, total });
        }
        slots
            .into_iter()
            .map(|p| {
                p.ok_or_else(|| {
                    ccm_core::Error::Corrupt("a template was not collected".into()).into()
                })
            })
            .collect()
    })
}

/// Everything one approved template contributes to the pack.
fn collect(
    store: &Store,
    engine: &Engine,
    layout: Layout,
    id: &str,
    seq: u64,
    head: &Head,
) -> Result<Part> {
    let row = store
        .archive_row(seq)?
        .ok_or_else(|| ccm_core::Error::Corrupt(format!("archive entry #{seq} is missing")))?;
    let entry: Entry = parse(&row)?;
    let approval = entry
        .approval
        .as_ref()
        .ok_or_else(|| ccm_core::Error::Corrupt(format!("entry #{seq} has no approval")))?;
    let manifest_bytes = blob(store, &approval.manifest_sha256)?;
    let m: Manifest = review::manifest_of(store, &entry)?;
    let version = store.get(id, Some(entry.template.version))?;
    if version.hash.0 != entry.template.hash {
        return Err(PackError::Trust(ccm_trust::TrustError::Damaged {
            what: format!("{id}@v{}", entry.template.version),
            detail: "the stored version no longer has the approved hash".to_owned(),
        }));
    }
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for (path, text) in &version.files.0 {
        entries.push((source_path(id, path), text.clone().into_bytes()));
    }
    for r in &m.renditions {
        let bytes = blob(store, &r.sha256)?;
        if layout == Layout::Channels {
            if let Some(p) = channel_path(id, r) {
                entries.push((p, bytes.clone()));
            }
        }
        entries.push((rendition_path(id, r), bytes));
    }
    entries.push((
        approval_path(id, "entry.json"),
        row.body.clone().into_bytes(),
    ));
    entries.push((
        approval_path(id, "entry.json.minisig"),
        row.signature.clone().into_bytes(),
    ));
    entries.push((approval_path(id, "manifest.json"), manifest_bytes));
    let evidence =
        ccm_trust::evidence::kept_evidence_pdf(store, engine, seq, ccm_trust::evidence::KEPT_LANG)?;
    entries.push((evidence_path(id), evidence));
    entries.sort_by(|a, b| a.0.cmp(&b.0));

    let proof = merkle::inclusion_proof(&head.leaves, (seq - 1) as usize)
        .ok_or_else(|| ccm_core::Error::Corrupt(format!("entry #{seq} is not under the head")))?;
    let template = PackTemplate {
        id: id.to_owned(),
        version: entry.template.version,
        version_hash: entry.template.hash.clone(),
        approval: ApprovalRef {
            seq,
            hash: row.hash.clone(),
            manifest_sha256: approval.manifest_sha256.clone(),
            approved_by: entry.actor.key.clone(),
            approved_at: entry.at.clone(),
            inclusion_proof: proof.iter().map(hex::encode).collect(),
        },
        files: entries
            .iter()
            .map(|(p, b)| PackFile::of(p.clone(), b))
            .collect(),
    };
    let approver = Member {
        name: entry.actor.name.clone(),
        role: entry.actor.role.parse()?,
        public_key: entry.actor.public_key.clone(),
    };
    Ok(Part {
        template,
        entries,
        approver,
        brand_version: m.inputs.brand_version,
        brand_files: m
            .inputs
            .brand_files
            .iter()
            .map(|f| (f.path.clone(), f.sha256.clone()))
            .collect(),
    })
}

fn blob(store: &Store, sha: &str) -> Result<Vec<u8>> {
    Ok(store.blob(&ContentHash(sha.to_owned()))?.ok_or_else(|| {
        ccm_core::Error::Corrupt(format!(
            "blob {sha} is missing from the library (run `ccm archive verify`)"
        ))
    })?)
}

/// `team.json`: approvers (as their signed entries name them), the checkpoint's signer (as
/// the roster knew them) and the exporter, one per key, sorted by fingerprint.
fn team_json(
    store: &Store,
    identity: &Identity,
    me: &Member,
    parts: &[Part],
    head: &Head,
) -> Result<Vec<u8>> {
    let mut members: BTreeMap<String, TeamMember> = BTreeMap::new();
    for p in parts {
        let t = TeamMember::of(&p.approver)?;
        members.entry(t.fingerprint.clone()).or_insert(t);
    }
    if let Some(key) = &head.signer_key {
        if !members.contains_key(key) {
            let found = store
                .team_history()?
                .into_iter()
                .rev()
                .find_map(|r| r.member(key).cloned());
            if let Some(m) = found {
                members.insert(key.clone(), TeamMember::of(&m)?);
            }
        }
    }
    let mine = TeamMember::of(me)?;
    members.insert(identity.fingerprint.clone(), mine);
    let list: Vec<&TeamMember> = members.values().collect();
    let mut json = serde_json::to_vec_pretty(&list).expect("members serialise");
    json.push(b'\n');
    Ok(json)
}

/// Writes `bytes` to `path` through a temporary file in the same folder, flushed to disk and
/// renamed over the target: a crash leaves the old file or the new one, never half of one.
/// Removes the temporary files an export killed mid-write left beside `name` (their process is
/// gone), so a crash never leaves half a pack in the target folder for long. Where process ids
/// cannot be checked (no `/proc`), nothing is removed.
fn remove_stale_temps(dir: &Path, name: &str) {
    let proc = Path::new("/proc");
    if !proc.is_dir() {
        return;
    }
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .strip_prefix(&prefix)
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !proc.join(pid.to_string()).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    remove_stale_temps(&dir, &name);
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(path, e));
    }
    Ok(())
}
