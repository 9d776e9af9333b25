//! `ccm archive verify`: checks the archive without trusting the library file — every entry's
//! hash, its link to the entry before, its signature and the signer's role, the manifest and
//! every rendition an approval lists, and the head against every checkpoint known (those in
//! the library and those the user kept elsewhere). The first problem found is named with its
//! kind, each kind with its own exit code.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use ccm_core::identity;
use ccm_core::store::{ArchiveRow, Store};
use serde::Serialize;

use crate::archive::{leaf, parse};
use crate::checkpoint::Checkpoint;
use crate::entry::{Entry, Kind, ENTRY_TYPE, GENESIS_PREV};
use crate::error::Result;
use crate::jcs::sha256_hex;
use crate::manifest::Manifest;
use crate::merkle;

/// The kinds of tampering verification tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Tamper {
    /// An entry's body, a copy of it, its manifest or a rendition no longer has its hash.
    ContentChanged,
    /// An entry is missing from the chain.
    EntryDeleted,
    /// Entries are no longer in the order they were appended.
    EntriesReordered,
    /// The archive is shorter than a checkpoint signed earlier (its last entries were removed).
    HeadRolledBack,
    /// A signature does not verify, or the signer was not on the team with that role.
    SignatureInvalid,
}

impl Tamper {
    /// `ccm archive verify` exits with this (0 when intact, 2 for usage errors).
    pub fn exit_code(self) -> u8 {
        match self {
            Tamper::ContentChanged => 10,
            Tamper::EntryDeleted => 11,
            Tamper::EntriesReordered => 12,
            Tamper::HeadRolledBack => 13,
            Tamper::SignatureInvalid => 14,
        }
    }

    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Tamper::ContentChanged => ("content changed", "内容の改変"),
            Tamper::EntryDeleted => ("entry deleted", "エントリの削除"),
            Tamper::EntriesReordered => ("entries reordered", "エントリの並べ替え"),
            Tamper::HeadRolledBack => ("head rolled back", "ヘッドの巻き戻し"),
            Tamper::SignatureInvalid => ("signature invalid", "署名が無効"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Problem {
    pub kind: Tamper,
    /// The first entry affected (for a rollback: the first one missing).
    pub seq: u64,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VerifyReport {
    pub entries: u64,
    pub approvals: u64,
    pub renditions: u64,
    /// Merkle root (hex) of the entries as found.
    pub root: String,
    pub checkpoints_checked: u64,
    pub problem: Option<Problem>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.problem.is_none()
    }
}

/// Verifies the whole archive of `store`; `external` are checkpoint notes kept elsewhere.
pub fn verify(store: &Store, external: &[String]) -> Result<VerifyReport> {
    let rows = store.archive_rows()?;
    let mut report = VerifyReport {
        entries: rows.len() as u64,
        approvals: 0,
        renditions: 0,
        root: String::new(),
        checkpoints_checked: 0,
        problem: None,
    };
    let leaves: Vec<merkle::Hash> = rows
        .iter()
        .map(|r| leaf(&r.hash).unwrap_or([0; 32]))
        .collect();
    report.root = hex::encode(merkle::root(&leaves));
    if let Some(p) = check_entries(store, &rows, &mut report)? {
        report.problem = Some(p);
        return Ok(report);
    }
    let rosters = store.team_history()?;
    let mut notes: Vec<String> = store
        .archive_checkpoints()?
        .into_iter()
        .map(|c| c.note)
        .collect();
    notes.extend(external.iter().cloned());
    // Parse every checkpoint first, then compute all the prefix roots they need in one pass.
    let mut heads = Vec::new();
    for note in &notes {
        report.checkpoints_checked += 1;
        match check_signed(note, &rosters) {
            Ok(head) => heads.push(head),
            Err(p) => {
                report.problem = Some(p);
                return Ok(report);
            }
        }
    }
    heads.sort_by_key(Checkpoint::size);
    let have = leaves.len() as u64;
    if let Some(longest) = heads.last().filter(|h| h.size() > have) {
        report.problem = Some(Problem {
            kind: Tamper::HeadRolledBack,
            seq: have + 1,
            message: format!(
                "a checkpoint was signed for {} entries but the archive has {have}: entries #{}–#{} were removed",
                longest.size(),
                have + 1,
                longest.size()
            ),
        });
        return Ok(report);
    }
    let sizes: Vec<u64> = heads.iter().map(Checkpoint::size).collect();
    for (head, root) in heads.iter().zip(merkle::prefix_roots(&leaves, &sizes)) {
        if root != *head.root() {
            report.problem = Some(Problem {
                kind: Tamper::ContentChanged,
                seq: head.size(),
                message: format!(
                    "the first {} entries no longer match the checkpoint signed for them",
                    head.size()
                ),
            });
            return Ok(report);
        }
    }
    Ok(report)
}

fn problem(kind: Tamper, seq: u64, message: impl Into<String>) -> Option<Problem> {
    Some(Problem {
        kind,
        seq,
        message: message.into(),
    })
}

/// The chain, signatures, copies and approvals, in order; the first problem.
fn check_entries(
    store: &Store,
    rows: &[ArchiveRow],
    report: &mut VerifyReport,
) -> Result<Option<Problem>> {
    let all_hashes: HashSet<&str> = rows.iter().map(|r| r.hash.as_str()).collect();
    let rosters = store.team_history()?;
    let mut checked_blobs: BTreeSet<String> = BTreeSet::new();
    let mut prev = GENESIS_PREV.to_owned();
    for (expected, row) in (1u64..).zip(rows.iter()) {
        if sha256_hex(row.body.as_bytes()) != row.hash {
            return Ok(problem(
                Tamper::ContentChanged,
                row.seq,
                format!(
                    "entry #{}: its body no longer has its recorded hash",
                    row.seq
                ),
            ));
        }
        let Ok(entry) = parse(row) else {
            return Ok(problem(
                Tamper::ContentChanged,
                row.seq,
                format!("entry #{}: its body is not an archive entry", row.seq),
            ));
        };
        if entry.seq != row.seq || row.seq != expected {
            let found = entry.seq;
            return Ok(
                if found > expected && rows.iter().all(|r| r.seq != expected) {
                    problem(
                        Tamper::EntryDeleted,
                        expected,
                        format!(
                            "entry #{expected} is missing: the entry after #{} is #{found}",
                            expected - 1
                        ),
                    )
                } else {
                    problem(
                        Tamper::EntriesReordered,
                        row.seq,
                        format!(
                            "entry #{found} is stored in place #{}: entries were reordered",
                            row.seq
                        ),
                    )
                },
            );
        }
        if entry.prev != prev {
            let (kind, at, what) = if all_hashes.contains(entry.prev.as_str()) {
                (
                    Tamper::EntriesReordered,
                    row.seq,
                    "links to an entry that is not the one before it",
                )
            } else if expected > 1 {
                (
                    Tamper::ContentChanged,
                    row.seq - 1,
                    "the entry before it was changed after it was linked",
                )
            } else {
                (
                    Tamper::EntryDeleted,
                    1,
                    "the first entry links to an earlier entry that is gone",
                )
            };
            return Ok(problem(kind, at, format!("entry #{}: {what}", row.seq)));
        }
        if entry.type_ != ENTRY_TYPE || copies_differ(row, &entry) {
            return Ok(problem(
                Tamper::ContentChanged,
                row.seq,
                format!(
                    "entry #{}: its searchable copy differs from the signed body",
                    row.seq
                ),
            ));
        }
        if let Some(p) = check_signature(row, &entry, &rosters) {
            return Ok(Some(p));
        }
        if entry.kind == Kind::Approve {
            report.approvals += 1;
            if let Some(p) = check_approval(store, &entry, &mut checked_blobs, report)? {
                return Ok(Some(p));
            }
        }
        prev = row.hash.clone();
    }
    Ok(None)
}

fn copies_differ(row: &ArchiveRow, e: &Entry) -> bool {
    let expected = crate::archive::row_of(e, row.body.as_bytes(), &row.hash, row.signature.clone());
    expected != *row
}

fn check_signature(
    row: &ArchiveRow,
    entry: &Entry,
    rosters: &[ccm_core::team::Roster],
) -> Option<Problem> {
    let bad = |why: String| {
        problem(
            Tamper::SignatureInvalid,
            row.seq,
            format!("entry #{}: {why}", row.seq),
        )
    };
    match identity::verify(&entry.actor.public_key, row.body.as_bytes(), &row.signature) {
        Err(e) => return bad(format!("the signature does not verify ({e})")),
        Ok(comment) if comment != entry.trusted_comment(&row.hash) => {
            return bad("the signed comment does not describe this entry".to_owned())
        }
        Ok(_) => {}
    }
    let key_matches = identity::public_key(&entry.actor.public_key)
        .ok()
        .map(|pk| {
            let mut id = [0u8; 8];
            id.copy_from_slice(&pk.keynum()[..8]);
            format!("{:016X}", u64::from_le_bytes(id)) == entry.actor.key
        })
        .unwrap_or(false);
    if !key_matches {
        return bad("the key fingerprint does not belong to the key that signed".to_owned());
    }
    let on_team = rosters.iter().any(|r| {
        r.member(&entry.actor.key).is_some_and(|m| {
            m.role.as_str() == entry.actor.role && m.public_key == entry.actor.public_key
        })
    });
    if !on_team {
        return bad(format!(
            "{} ({}) was never on the team with the role `{}`",
            entry.actor.name, entry.actor.key, entry.actor.role
        ));
    }
    if entry.kind == Kind::Approve && entry.actor.role != "compliance" {
        return bad("an approval signed by someone without the compliance role".to_owned());
    }
    None
}

fn check_approval(
    store: &Store,
    entry: &Entry,
    checked: &mut BTreeSet<String>,
    report: &mut VerifyReport,
) -> Result<Option<Problem>> {
    let Some(a) = &entry.approval else {
        return Ok(problem(
            Tamper::ContentChanged,
            entry.seq,
            format!("approval #{} has no manifest", entry.seq),
        ));
    };
    let changed = |what: String| {
        problem(
            Tamper::ContentChanged,
            entry.seq,
            format!("approval #{}: {what}", entry.seq),
        )
    };
    let Some(bytes) = store.blob(&ccm_core::model::ContentHash(a.manifest_sha256.clone()))? else {
        return Ok(changed(
            "its manifest is missing from the library".to_owned(),
        ));
    };
    if sha256_hex(&bytes) != a.manifest_sha256 {
        return Ok(changed("its manifest was changed".to_owned()));
    }
    let Ok(manifest) = serde_json::from_slice::<Manifest>(&bytes) else {
        return Ok(changed("its manifest does not parse".to_owned()));
    };
    for r in &manifest.renditions {
        report.renditions += 1;
        if checked.contains(&r.sha256) {
            continue;
        }
        match store.blob_is_intact(&r.sha256)? {
            None => return Ok(changed(format!("rendition {} is missing", r.path()))),
            Some(false) => return Ok(changed(format!("rendition {} was changed", r.path()))),
            Some(true) => {
                checked.insert(r.sha256.clone());
            }
        }
    }
    // The evidence PDF kept with the approval is what packs carry: its bytes must still be
    // the ones kept.
    for (lang, sha) in store.evidence_hashes(entry.seq)? {
        match store.blob_is_intact(&sha)? {
            Some(true) => {}
            None => return Ok(changed(format!("its evidence PDF ({lang}) is missing"))),
            Some(false) => return Ok(changed(format!("its evidence PDF ({lang}) was changed"))),
        }
    }
    Ok(None)
}

/// A checkpoint signed by someone on the team (under `ccm-studio-key-<fingerprint>`).
fn check_signed(note: &str, rosters: &[ccm_core::team::Roster]) -> Result<Checkpoint, Problem> {
    let unreadable = || Problem {
        kind: Tamper::ContentChanged,
        seq: 0,
        message: "a checkpoint is not readable".to_owned(),
    };
    let (head, lines) = Checkpoint::parse(note).map_err(|_| unreadable())?;
    let signed = lines.iter().any(|l| {
        let Some(fp) = l.key_name.strip_prefix("ccm-studio-key-") else {
            return false;
        };
        rosters
            .iter()
            .filter_map(|r| r.member(fp))
            .any(|m| Checkpoint::verify(note, &l.key_name, &m.public_key).is_ok())
    });
    if !signed {
        return Err(Problem {
            kind: Tamper::SignatureInvalid,
            seq: head.size(),
            message: format!(
                "the checkpoint for {} entries is not validly signed by anyone on the team",
                head.size()
            ),
        });
    }
    Ok(head)
}

/// Per-template counts for `archive list` summaries.
pub fn kinds_by_template(rows: &[ArchiveRow]) -> BTreeMap<String, BTreeMap<String, u32>> {
    let mut out: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    for r in rows {
        *out.entry(r.template_id.clone())
            .or_default()
            .entry(r.kind.clone())
            .or_default() += 1;
    }
    out
}
