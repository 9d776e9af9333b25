//! `ccm pack verify`: everything a receiver can check without the sending library.
//!
//! In order, stopping at the first problem: the whole file's minisign signature (by the key
//! given, or a brand member of the receiving library's roster); the ZIP under strict limits
//! ([`crate::unzip`]); that the entries are exactly `manifest.json`, `SHA256SUMS` and what
//! they list; every hash and size; each approval entry's own signature by a compliance member
//! of `team.json`; that each approval's manifest lists exactly the renditions and sources in
//! the pack; the evidence PDFs; and the archive link — each entry's inclusion proof in the
//! head the pack was cut from, and that head's signed checkpoint.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use ccm_core::identity::{self, Role};
use ccm_core::model::TemplateFiles;
use ccm_trust::checkpoint::Checkpoint;
use ccm_trust::entry::{Entry, Kind};
use ccm_trust::manifest::Manifest;
use ccm_trust::merkle;
use serde::Serialize;

use crate::error::{codes, io, refuse, refuse_entry, Result};
use crate::layout::{self, *};
use crate::unzip::{read_entries, Entries, Limits};

const RESEND: &str = "ask the sender for the pack and its .minisig again; do not use this one";

/// A pack that passed every check, with its contents (what import stores).
pub struct Verified {
    pub manifest: PackManifest,
    pub team: Vec<TeamMember>,
    pub files: BTreeMap<String, Vec<u8>>,
    /// sha256 of the pack file.
    pub sha256: String,
    pub size: u64,
    /// The brand member whose key signed the pack.
    pub signer: TeamMember,
}

/// What `ccm pack verify` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub pack_id: String,
    pub brand: String,
    pub sequence: u64,
    pub created_at: String,
    pub signed_by: TeamMember,
    pub sha256: String,
    pub size: u64,
    pub entries: usize,
    pub templates: Vec<ReportTemplate>,
    pub archive_size: u64,
    pub archive_root: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportTemplate {
    pub id: String,
    pub version_hash: String,
    pub approved_by: String,
    pub approved_at: String,
    pub renditions: usize,
}

impl Verified {
    pub fn report(&self) -> Report {
        let m = &self.manifest;
        Report {
            pack_id: m.pack_id.clone(),
            brand: m.brand.clone(),
            sequence: m.sequence,
            created_at: m.created_at.clone(),
            signed_by: self.signer.clone(),
            sha256: self.sha256.clone(),
            size: self.size,
            entries: self.files.len(),
            templates: m
                .templates
                .iter()
                .map(|t| ReportTemplate {
                    id: t.id.clone(),
                    version_hash: t.version_hash.clone(),
                    approved_by: self
                        .team
                        .iter()
                        .find(|p| p.fingerprint == t.approval.approved_by)
                        .map(|p| format!("{} ({})", p.name, p.fingerprint))
                        .unwrap_or_else(|| t.approval.approved_by.clone()),
                    approved_at: t.approval.approved_at.clone(),
                    renditions: t
                        .files
                        .iter()
                        .filter(|f| f.path.contains("/renditions/"))
                        .count(),
                })
                .collect(),
            archive_size: m.archive.size,
            archive_root: m.archive.root.clone(),
        }
    }
}

/// Reads and verifies the pack at `path` (with `path.minisig`) against the public key lines
/// in `keys` (minisign `RW…` lines; one of them must have signed it).
pub fn verify_file(
    path: &Path,
    keys: &[String],
    limits: &Limits,
    progress: impl FnMut(u64),
) -> Result<Verified> {
    let len = std::fs::metadata(path).map_err(|e| io(path, e))?.len();
    if len > limits.max_pack_bytes {
        return Err(refuse(
            codes::TOO_LARGE,
            format!(
                "the pack is {len} bytes; at most {} are accepted",
                limits.max_pack_bytes
            ),
            "ask the sender to split it (one brand or tag per pack)",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| io(path, e))?;
    let sig_path = signature_path(path);
    let signature = std::fs::read_to_string(&sig_path).map_err(|_| {
        refuse(
            codes::NO_SIGNATURE,
            format!("there is no readable signature {}", sig_path.display()),
            "the signature travels beside the pack as `<pack>.minisig`: ask the sender for it",
        )
    })?;
    verify_bytes(&bytes, &signature, keys, limits, progress)
}

/// [`verify_file`] on bytes already in memory.
pub fn verify_bytes(
    bytes: &[u8],
    signature: &str,
    keys: &[String],
    limits: &Limits,
    progress: impl FnMut(u64),
) -> Result<Verified> {
    // The pack file's own sha256 (reported, and recorded by import) is only a read of the
    // bytes, like the signature check: it runs on another core meanwhile instead of after.
    std::thread::scope(|s| {
        let whole = s.spawn(|| layout::sha256_hex(bytes));
        let mut verified = check(bytes, signature, keys, limits, progress)?;
        verified.sha256 = whole.join().expect("hashing the pack file");
        Ok(verified)
    })
}

/// Every check of [`verify_bytes`]; `sha256` is left empty for it to fill.
fn check(
    bytes: &[u8],
    signature: &str,
    keys: &[String],
    limits: &Limits,
    progress: impl FnMut(u64),
) -> Result<Verified> {
    if bytes.len() as u64 > limits.max_pack_bytes {
        return Err(refuse(
            codes::TOO_LARGE,
            format!(
                "the pack is {} bytes; at most {} are accepted",
                bytes.len(),
                limits.max_pack_bytes
            ),
            "ask the sender to split it (one brand or tag per pack)",
        ));
    }
    // 1. The whole file, before reading a byte of it as a ZIP (Janus: sign the file, not entries).
    if keys.is_empty() {
        return Err(refuse(
            codes::NO_KEY,
            "no key to check the pack's signature with",
            "pass the brand member's public key with `--key RW…`, or add them to this library's team with the brand role",
        ));
    }
    let mut signed: Option<(String, String)> = None;
    let mut last_error = String::new();
    for key in keys {
        match identity::verify(key, bytes, signature) {
            Ok(comment) => {
                signed = Some((key.clone(), comment));
                break;
            }
            Err(e) => last_error = e.to_string(),
        }
    }
    let Some((key, comment)) = signed else {
        return Err(refuse(
            codes::BAD_SIGNATURE,
            format!("the pack's signature does not verify with the key(s) given: {last_error}"),
            "the pack was changed after it was signed, or someone else signed it: ask the sender, and check the key you were given",
        ));
    };
    let key_fp = ccm_core::identity::Member {
        name: "signer".to_owned(),
        role: Role::Brand,
        public_key: key.clone(),
    }
    .fingerprint()?;

    // 2. The ZIP, as hostile input.
    let Entries {
        files,
        sha256,
        order,
    } = read_entries(bytes, limits, progress)?;

    // 3. Exactly the listed entries, every hash.
    let manifest_bytes = files.get(MANIFEST).ok_or_else(|| {
        refuse_entry(codes::MISSING, MANIFEST, "the pack has no manifest", RESEND)
    })?;
    let manifest: PackManifest = serde_json::from_slice(manifest_bytes).map_err(|e| {
        refuse_entry(
            codes::MANIFEST,
            MANIFEST,
            format!("not a pack manifest: {e}"),
            RESEND,
        )
    })?;
    if manifest.type_ != PACK_TYPE {
        return Err(refuse_entry(
            codes::MANIFEST,
            MANIFEST,
            format!(
                "type `{}` is not `{PACK_TYPE}`: made by another program or a newer CCM Studio",
                manifest.type_
            ),
            "update CCM Studio, or ask the sender for a pack this version reads",
        ));
    }
    if comment != trusted_comment(&manifest) {
        return Err(refuse(
            codes::BAD_SIGNATURE,
            format!("the signature is for another pack (it says “{comment}”)"),
            "use the .minisig that came with this pack",
        ));
    }
    check_listing(&manifest, &files, &order)?;
    check_hashes(&manifest, &files, &sha256)?;

    // 4. Who signed what.
    let team: Vec<TeamMember> = serde_json::from_slice(&files[TEAM]).map_err(|e| {
        refuse_entry(
            codes::MANIFEST,
            TEAM,
            format!("not a team list: {e}"),
            RESEND,
        )
    })?;
    for t in &team {
        let fp = ccm_core::identity::Member {
            name: t.name.clone(),
            role: t.role,
            public_key: t.public_key.clone(),
        }
        .fingerprint()
        .map_err(|e| refuse_entry(codes::MANIFEST, TEAM, e.to_string(), RESEND))?;
        if fp != t.fingerprint {
            return Err(refuse_entry(
                codes::MANIFEST,
                TEAM,
                format!("{} is listed under another key's fingerprint", t.name),
                RESEND,
            ));
        }
    }
    let signer = team
        .iter()
        .find(|t| t.fingerprint == key_fp && t.public_key.trim() == key.trim())
        .cloned();
    let signer = match signer {
        Some(s)
            if s.role == Role::Brand
                && manifest.created_by.key == key_fp
                && manifest.created_by.public_key.trim() == key.trim() =>
        {
            s
        }
        _ => {
            return Err(refuse(
                codes::SIGNER,
                format!(
                    "the pack is signed by key {key_fp}, which is not its creator's key as a brand member in team.json"
                ),
                "only a brand team member's pack is accepted: check the key you were given",
            ))
        }
    };
    if layout::pack_id(&manifest) != manifest.pack_id || manifest.sequence != manifest.archive.size
    {
        return Err(refuse_entry(
            codes::MANIFEST,
            MANIFEST,
            "the pack id or sequence does not match what the pack holds",
            RESEND,
        ));
    }

    // 5. The archive head and each approval.
    check_head(&manifest, &team)?;
    for t in &manifest.templates {
        check_template(&manifest, t, &team, &files)?;
    }
    Ok(Verified {
        manifest,
        team,
        files,
        sha256: String::new(),
        size: bytes.len() as u64,
        signer,
    })
}

/// Entries = manifest.json + SHA256SUMS + what the manifest lists; SHA256SUMS lists exactly
/// every entry but itself.
fn check_listing(
    m: &PackManifest,
    files: &BTreeMap<String, Vec<u8>>,
    order: &[String],
) -> Result<()> {
    let mut expected: BTreeSet<&str> = BTreeSet::from([MANIFEST, SUMS]);
    for f in m.listed() {
        if !expected.insert(f.path.as_str()) {
            return Err(refuse_entry(
                codes::MANIFEST,
                f.path.clone(),
                "the manifest lists this file twice",
                RESEND,
            ));
        }
    }
    if let Some(extra) = order.iter().find(|n| !expected.contains(n.as_str())) {
        return Err(refuse_entry(
            codes::UNLISTED,
            extra.clone(),
            "this entry is in the ZIP but not in the manifest",
            "a file was slipped into the pack after it was made: do not use it; ask the sender for the pack again",
        ));
    }
    if let Some(missing) = expected.iter().find(|n| !files.contains_key(**n)) {
        return Err(refuse_entry(
            codes::MISSING,
            *missing,
            "the manifest lists this entry but the ZIP does not hold it",
            RESEND,
        ));
    }
    let sums_text = std::str::from_utf8(&files[SUMS])
        .map_err(|_| refuse_entry(codes::MANIFEST, SUMS, "SHA256SUMS is not text", RESEND))?;
    let sums = parse_sums(sums_text).map_err(|line| {
        refuse_entry(
            codes::MANIFEST,
            SUMS,
            format!("line {line} is not `<sha256>  <path>` or repeats a path"),
            RESEND,
        )
    })?;
    let summed: BTreeSet<&str> = sums.iter().map(|(p, _)| p.as_str()).collect();
    let mut want = expected.clone();
    want.remove(SUMS);
    if let Some(p) = summed.difference(&want).next() {
        return Err(refuse_entry(
            codes::UNLISTED,
            *p,
            "SHA256SUMS lists a file the pack does not hold",
            RESEND,
        ));
    }
    if let Some(p) = want.difference(&summed).next() {
        return Err(refuse_entry(
            codes::MISSING,
            *p,
            "this entry is missing from SHA256SUMS",
            RESEND,
        ));
    }
    let sums: BTreeMap<&str, &str> = sums.iter().map(|(p, h)| (p.as_str(), h.as_str())).collect();
    if sums[MANIFEST] != layout::sha256_hex(&files[MANIFEST]) {
        return Err(hash_mismatch(MANIFEST));
    }
    for f in m.listed() {
        if sums[f.path.as_str()] != f.sha256 {
            return Err(refuse_entry(
                codes::HASH_MISMATCH,
                f.path.clone(),
                "SHA256SUMS and the manifest give this file different hashes",
                RESEND,
            ));
        }
    }
    Ok(())
}

fn hash_mismatch(path: &str) -> crate::error::PackError {
    refuse_entry(
        codes::HASH_MISMATCH,
        path,
        "the bytes do not have the sha256 the pack lists for them",
        "the file was changed after the pack was made: do not use this pack; ask the sender for it again",
    )
}

/// Every listed file's sha256 (hashed while it was unpacked) and size.
fn check_hashes(
    m: &PackManifest,
    files: &BTreeMap<String, Vec<u8>>,
    sha256: &BTreeMap<String, String>,
) -> Result<()> {
    match m.listed().find(|f| {
        files[f.path.as_str()].len() as u64 != f.size || sha256[f.path.as_str()] != f.sha256
    }) {
        Some(f) => Err(hash_mismatch(&f.path)),
        None => Ok(()),
    }
}

/// The head's checkpoint is signed by someone in team.json and names the head's size and root.
fn check_head(m: &PackManifest, team: &[TeamMember]) -> Result<()> {
    let bad = |msg: String| {
        refuse_entry(
            codes::ARCHIVE_LINK,
            MANIFEST,
            msg,
            "the pack's link to the sending library's archive does not hold: ask the sender to run `ccm archive verify` and export again",
        )
    };
    let (cp, sigs) =
        Checkpoint::parse(&m.archive.checkpoint).map_err(|e| bad(format!("checkpoint: {e}")))?;
    if cp.size() != m.archive.size || hex::encode(cp.root()) != m.archive.root {
        return Err(bad("the checkpoint is for another archive head".to_owned()));
    }
    let verified = sigs.iter().any(|s| {
        s.key_name
            .strip_prefix("ccm-studio-key-")
            .and_then(|fp| team.iter().find(|t| t.fingerprint == fp))
            .is_some_and(|t| {
                Checkpoint::verify(&m.archive.checkpoint, &s.key_name, &t.public_key).is_ok()
            })
    });
    if !verified {
        return Err(bad(
            "the checkpoint carries no valid signature by anyone in team.json".to_owned(),
        ));
    }
    Ok(())
}

fn check_template(
    m: &PackManifest,
    t: &PackTemplate,
    team: &[TeamMember],
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<()> {
    let id = t.id.as_str();
    let entry_path = approval_path(id, "entry.json");
    let bad = |path: &str, msg: String| {
        refuse_entry(
            codes::APPROVAL,
            path,
            msg,
            "this template's approval does not hold: do not send it; ask the sender to check it with `ccm archive verify`",
        )
    };
    if !ccm_core::format::is_valid_id(id) {
        return Err(bad(MANIFEST, format!("`{id}` is not a template id")));
    }
    let get = |path: &str| -> Result<&Vec<u8>> {
        files.get(path).ok_or_else(|| {
            refuse_entry(
                codes::MISSING,
                path,
                format!("{id} needs this file, and the pack does not hold it"),
                RESEND,
            )
        })
    };
    let body = get(&entry_path)?;
    if layout::sha256_hex(body) != t.approval.hash {
        return Err(hash_mismatch(&entry_path));
    }
    let entry: Entry = serde_json::from_slice(body)
        .map_err(|e| bad(&entry_path, format!("not an archive entry: {e}")))?;
    if entry.canonical() != *body {
        return Err(bad(
            &entry_path,
            "the entry is not in canonical JSON".to_owned(),
        ));
    }
    if entry.kind != Kind::Approve
        || entry.seq != t.approval.seq
        || entry.template.id != t.id
        || entry.template.hash != t.version_hash
        || entry.template.brand != m.brand
        || entry.actor.key != t.approval.approved_by
        || entry.at != t.approval.approved_at
    {
        return Err(bad(
            &entry_path,
            "the entry is not the approval the manifest says it is".to_owned(),
        ));
    }
    let approver = team.iter().find(|p| {
        p.fingerprint == entry.actor.key
            && p.public_key == entry.actor.public_key
            && p.role == Role::Compliance
    });
    if approver.is_none() || entry.actor.role != "compliance" {
        return Err(bad(
            &entry_path,
            format!(
                "approved by {} ({}), who is not in team.json with the compliance role",
                entry.actor.name, entry.actor.key
            ),
        ));
    }
    let sig_path = approval_path(id, "entry.json.minisig");
    let sig = std::str::from_utf8(get(&sig_path)?)
        .map_err(|_| bad(&sig_path, "the signature is not text".to_owned()))?;
    let comment = identity::verify(&entry.actor.public_key, body, sig).map_err(|e| {
        bad(
            &sig_path,
            format!("the approver's signature does not verify: {e}"),
        )
    })?;
    if comment != entry.trusted_comment(&t.approval.hash) {
        return Err(bad(
            &sig_path,
            "the signed comment does not describe this entry".to_owned(),
        ));
    }
    // The archive link: this entry is leaf seq-1 of the head the pack was cut from.
    let proof: Option<Vec<merkle::Hash>> = t
        .approval
        .inclusion_proof
        .iter()
        .map(|h| hex::decode(h).ok().and_then(|b| b.try_into().ok()))
        .collect();
    let root: Option<merkle::Hash> = hex::decode(&m.archive.root)
        .ok()
        .and_then(|b| b.try_into().ok());
    let leaf = hex::decode(&t.approval.hash).map(|b| merkle::leaf_hash(&b));
    let included = match (proof, root, leaf) {
        (Some(proof), Some(root), Ok(leaf)) => {
            t.approval.seq >= 1
                && merkle::verify_inclusion(
                    &leaf,
                    t.approval.seq - 1,
                    m.archive.size,
                    &proof,
                    &root,
                )
        }
        _ => false,
    };
    if !included {
        return Err(refuse_entry(
            codes::ARCHIVE_LINK,
            entry_path,
            format!(
                "the inclusion proof does not show entry #{} in the archive head of size {}",
                t.approval.seq, m.archive.size
            ),
            "the approval is not in the archive the pack says it was cut from: do not use this pack",
        ));
    }

    let approval = entry.approval.as_ref().ok_or_else(|| {
        bad(
            &entry_path,
            "an approval entry without its approval".to_owned(),
        )
    })?;
    let manifest_path = approval_path(id, "manifest.json");
    let manifest_bytes = get(&manifest_path)?;
    if layout::sha256_hex(manifest_bytes) != approval.manifest_sha256
        || approval.manifest_sha256 != t.approval.manifest_sha256
        || manifest_bytes.len() as u64 != approval.manifest_size
    {
        return Err(bad(
            &manifest_path,
            "this is not the manifest the approver signed".to_owned(),
        ));
    }
    let am: Manifest = serde_json::from_slice(manifest_bytes)
        .map_err(|e| bad(&manifest_path, format!("not an approval manifest: {e}")))?;
    if am.inputs.template.id != t.id || am.inputs.template.hash != t.version_hash {
        return Err(bad(
            &manifest_path,
            "the approval manifest is for another template version".to_owned(),
        ));
    }

    // Exactly the files this approval implies, with the approved hashes.
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for s in &am.inputs.sources {
        expected.insert(source_path(id, &s.path), s.sha256.clone());
    }
    for r in &am.renditions {
        expected.insert(rendition_path(id, r), r.sha256.clone());
        if m.layout == Layout::Channels {
            if let Some(p) = channel_path(id, r) {
                expected.insert(p, r.sha256.clone());
            }
        }
    }
    let listed: BTreeMap<&str, &str> = t
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.sha256.as_str()))
        .collect();
    for fixed in ["entry.json", "entry.json.minisig", "manifest.json"] {
        let p = approval_path(id, fixed);
        expected.insert(
            p.clone(),
            listed.get(p.as_str()).copied().unwrap_or("").to_owned(),
        );
    }
    let evidence = evidence_path(id);
    expected.insert(
        evidence.clone(),
        listed
            .get(evidence.as_str())
            .copied()
            .unwrap_or("")
            .to_owned(),
    );
    for (path, sha) in &expected {
        match listed.get(path.as_str()) {
            None => {
                return Err(refuse_entry(
                    codes::MISSING,
                    path.clone(),
                    format!("the approval of {id} lists this file and the pack does not hold it"),
                    RESEND,
                ))
            }
            Some(have) if have != sha => return Err(hash_mismatch(path)),
            Some(_) => {}
        }
    }
    if let Some(extra) = listed.keys().find(|p| !expected.contains_key(**p)) {
        return Err(refuse_entry(
            codes::UNLISTED,
            *extra,
            format!("listed under {id}, but its approval does not name this file"),
            RESEND,
        ));
    }
    let mut sources = TemplateFiles::default();
    for s in &am.inputs.sources {
        let p = source_path(id, &s.path);
        let text = String::from_utf8(files[&p].clone())
            .map_err(|_| bad(&p, "a template source file is not UTF-8".to_owned()))?;
        sources.0.insert(s.path.clone(), text);
    }
    if sources.content_hash().0 != t.version_hash {
        return Err(bad(
            &source_path(id, ""),
            "the sources do not hash to the approved version".to_owned(),
        ));
    }
    let kit: BTreeMap<String, &str> = m
        .brand_kit
        .files
        .iter()
        .map(|f| (f.path.clone(), f.sha256.as_str()))
        .collect();
    let approved_kit: BTreeMap<String, &str> = am
        .inputs
        .brand_files
        .iter()
        .map(|f| (brand_path(&f.path), f.sha256.as_str()))
        .collect();
    if kit != approved_kit {
        return Err(bad(
            "brand/",
            format!("the brand kit in the pack is not the one {id} was approved with"),
        ));
    }

    let pdf = &files[&evidence];
    if !pdf.starts_with(b"%PDF-") || !pdf.windows(5).rev().take(1024).any(|w| w == b"%%EOF") {
        return Err(refuse_entry(
            codes::EVIDENCE,
            evidence,
            "the evidence is not a complete PDF",
            RESEND,
        ));
    }
    Ok(())
}
