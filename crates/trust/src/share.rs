//! The archive in the templates folder (`templates/_archive/`), so that a designer and an
//! officer who share the folder through git or a shared drive see the same review states:
//!
//! ```text
//! _archive/entries/000001.json          the entry body, byte for byte as signed
//! _archive/entries/000001.json.minisig  its signature (`minisign -Vm 000001.json -P KEY`)
//! _archive/blobs/<sha256>               approval manifests and renditions, by content
//! _archive/checkpoint                   the signed head
//! ```
//!
//! Import verifies everything before writing anything: each signature and the signer's role on
//! the team, the chain, every blob's hash; a local archive that is not a prefix of the folder's
//! (a fork) is refused. Entries are stored as they are (not re-signed), so two libraries that
//! import the same folder report the same archive head.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ccm_core::format::ARCHIVE_DIR;
use ccm_core::identity;
use ccm_core::model::ContentHash;
use ccm_core::store::{ArchiveRow, CheckpointRow, Store};

use crate::archive::{parse, root_of, row_of};
use crate::entry::{Entry, Kind, GENESIS_PREV};
use crate::error::{Result, TrustError};
use crate::jcs::sha256_hex;
use crate::manifest::Manifest;

/// What an export or import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Shared {
    pub entries_written: u64,
    pub blobs_written: u64,
    pub entries_imported: u64,
    pub blobs_imported: u64,
    /// Size of the archive afterwards.
    pub size: u64,
}

fn dir(templates: &Path) -> PathBuf {
    templates.join(ARCHIVE_DIR)
}

fn entry_file(seq: u64) -> String {
    format!("{seq:06}.json")
}

fn io(path: &Path, e: std::io::Error) -> TrustError {
    TrustError::Core(ccm_core::Error::io(path, e))
}

/// Writes a file only if it is not there with the same bytes (via a temporary name, so an
/// interrupted export never leaves half a file under the real name).
fn put(path: &Path, bytes: &[u8]) -> Result<bool> {
    if std::fs::read(path).ok().as_deref() == Some(bytes) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
    }
    let tmp = path.with_extension("tmp-write");
    std::fs::write(&tmp, bytes).map_err(|e| io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| io(path, e))?;
    Ok(true)
}

/// Writes the library's archive into `templates/_archive/`.
pub fn export(store: &Store, templates: &Path) -> Result<Shared> {
    let rows = store.archive_rows()?;
    let mut out = Shared {
        size: rows.len() as u64,
        ..Shared::default()
    };
    if rows.is_empty() {
        return Ok(out);
    }
    let root = dir(templates);
    let mut blobs: BTreeSet<String> = BTreeSet::new();
    for row in &rows {
        let name = entry_file(row.seq);
        if put(&root.join("entries").join(&name), row.body.as_bytes())? {
            out.entries_written += 1;
        }
        put(
            &root.join("entries").join(format!("{name}.minisig")),
            row.signature.as_bytes(),
        )?;
        let entry = parse(row)?;
        if let Some(a) = &entry.approval {
            blobs.insert(a.manifest_sha256.clone());
            let m = crate::review::manifest_of(store, &entry)?;
            blobs.extend(m.renditions.iter().map(|r| r.sha256.clone()));
        }
    }
    for sha in &blobs {
        let path = root.join("blobs").join(sha);
        if path.exists() {
            continue;
        }
        let bytes = store
            .blob(&ContentHash(sha.clone()))?
            .ok_or_else(|| TrustError::Damaged {
                what: format!("blob {sha}"),
                detail: "missing from the library (run `ccm archive verify`)".to_owned(),
            })?;
        put(&path, &bytes)?;
        out.blobs_written += 1;
    }
    if let Some(c) = store.archive_checkpoints()?.pop() {
        put(&root.join("checkpoint"), c.note.as_bytes())?;
    }
    Ok(out)
}

fn refused(what: String, detail: impl Into<String>) -> TrustError {
    TrustError::Damaged {
        what,
        detail: detail.into(),
    }
}

/// Imports `templates/_archive/` into the library (after the templates and the team roster
/// have been imported, so signers can be checked against the roster).
pub fn import(store: &mut Store, templates: &Path) -> Result<Shared> {
    let root = dir(templates);
    let entries_dir = root.join("entries");
    let mut out = Shared::default();
    if !entries_dir.is_dir() {
        out.size = store.archive_len()?;
        return Ok(out);
    }
    let mut names: Vec<String> = std::fs::read_dir(&entries_dir)
        .map_err(|e| io(&entries_dir, e))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| n.ends_with(".json") && n.len() == 11)
        .collect();
    names.sort();
    let local = store.archive_rows()?;
    let rosters = store.team_history()?;
    let mut prev = GENESIS_PREV.to_owned();
    let mut new_rows: Vec<ArchiveRow> = Vec::new();
    let mut blobs: Vec<Vec<u8>> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let seq = i as u64 + 1;
        let file = entries_dir.join(name);
        let label = format!("{}", file.display());
        if *name != entry_file(seq) {
            return Err(refused(
                label,
                format!(
                    "expected {} next: an entry file is missing",
                    entry_file(seq)
                ),
            ));
        }
        let body = std::fs::read_to_string(&file).map_err(|e| io(&file, e))?;
        let sig_path = entries_dir.join(format!("{name}.minisig"));
        let signature = std::fs::read_to_string(&sig_path).map_err(|e| io(&sig_path, e))?;
        let hash = sha256_hex(body.as_bytes());
        let entry: Entry = serde_json::from_str(&body)
            .map_err(|e| refused(label.clone(), format!("not an archive entry: {e}")))?;
        if entry.seq != seq || entry.prev != prev {
            return Err(refused(label, "the entry does not link to the one before it (entries removed, reordered or altered)"));
        }
        let comment = identity::verify(&entry.actor.public_key, body.as_bytes(), &signature)
            .map_err(|e| refused(label.clone(), format!("its signature does not verify: {e}")))?;
        if comment != entry.trusted_comment(&hash) {
            return Err(refused(label, "its signed comment does not describe it"));
        }
        let on_team = rosters.iter().any(|r| {
            r.member(&entry.actor.key).is_some_and(|m| {
                m.role.as_str() == entry.actor.role && m.public_key == entry.actor.public_key
            })
        });
        if !on_team || (entry.kind == Kind::Approve && entry.actor.role != "compliance") {
            return Err(refused(
                label,
                format!(
                    "signed by {} ({}), who is not on the team with the role `{}`",
                    entry.actor.name, entry.actor.key, entry.actor.role
                ),
            ));
        }
        match local.get(i) {
            Some(mine) if mine.hash == hash => {}
            Some(mine) => {
                return Err(refused(
                    label,
                    format!(
                        "this library's entry #{seq} ({}) differs from the folder's ({}): the two archives forked",
                        &mine.hash[..12],
                        &hash[..12]
                    ),
                ))
            }
            None => {
                if let Some(a) = &entry.approval {
                    let manifest_bytes = read_blob(&root, &a.manifest_sha256)?;
                    let m: Manifest = serde_json::from_slice(&manifest_bytes)
                        .map_err(|e| refused(a.manifest_sha256.clone(), e.to_string()))?;
                    for r in &m.renditions {
                        blobs.push(read_blob(&root, &r.sha256)?);
                    }
                    blobs.push(manifest_bytes);
                }
                new_rows.push(row_of(&entry, body.as_bytes(), &hash, signature));
            }
        }
        prev = hash;
    }
    if local.len() > names.len() {
        // The library holds entries the folder does not: export them, not an error.
        out.size = local.len() as u64;
        return Ok(out);
    }
    let checkpoint = std::fs::read_to_string(root.join("checkpoint")).ok();
    let all: Vec<String> = local
        .iter()
        .map(|r| r.hash.clone())
        .chain(new_rows.iter().map(|r| r.hash.clone()))
        .collect();
    let root_hex = hex::encode(root_of(&all)?);
    out.entries_imported = new_rows.len() as u64;
    out.blobs_imported = blobs.len() as u64;
    out.size = all.len() as u64;
    store.write(|w| {
        for b in &blobs {
            w.put_blob(b)?;
        }
        for r in &new_rows {
            w.append_archive_entry(r)?;
        }
        if let Some(note) = &checkpoint {
            if note.lines().nth(1).and_then(|l| l.parse::<u64>().ok()) == Some(all.len() as u64) {
                w.append_checkpoint(&CheckpointRow {
                    size: all.len() as u64,
                    root: root_hex.clone(),
                    note: note.clone(),
                })?;
            }
        }
        Ok(())
    })?;
    Ok(out)
}

fn read_blob(root: &Path, sha: &str) -> Result<Vec<u8>> {
    let path = root.join("blobs").join(sha);
    let bytes = std::fs::read(&path).map_err(|e| io(&path, e))?;
    if sha256_hex(&bytes) != sha {
        return Err(refused(
            path.display().to_string(),
            "its bytes do not have the hash it is named by",
        ));
    }
    Ok(bytes)
}
