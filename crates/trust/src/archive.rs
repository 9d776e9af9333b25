//! The append-only log of review events: appending a signed entry (with the bytes an approval
//! binds to) in one transaction, and the signed checkpoint of the new head.

use ccm_core::identity::Identity;
use ccm_core::store::{ArchiveRow, CheckpointRow, Store};

use crate::checkpoint::Checkpoint;
use crate::entry::{Actor, Anchor, Approval, Entry, Kind, ENTRY_TYPE, GENESIS_PREV};
use crate::error::{Result, TrustError};
use crate::inputs::TemplateRef;
use crate::jcs::sha256_hex;
use crate::merkle;

/// An entry before the log gives it its place (`seq`, `prev`) and time.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub kind: Kind,
    pub template: TemplateRef,
    pub comment: Option<String>,
    pub approval: Option<Approval>,
    pub anchor: Option<Anchor>,
    pub edits: Option<u64>,
}

/// Who signs: the identity and the role the roster gives them.
pub struct Signer<'a> {
    pub identity: &'a Identity,
    pub role: String,
    pub team_version: Option<u32>,
}

/// An appended entry.
#[derive(Debug, Clone)]
pub struct Appended {
    pub entry: Entry,
    pub hash: String,
    /// The new head, signed by the signer (C2SP checkpoint note).
    pub checkpoint: String,
}

/// The log's name in checkpoints: derived from its first entry, so every library holding the
/// same log (two clones of a shared folder) names it the same.
pub fn origin(first_hash: &str) -> String {
    format!(
        "ccm.studio/archive/{}",
        &first_hash[..16.min(first_hash.len())]
    )
}

/// The name a person's key signs checkpoints under (signed-note key names have no spaces).
pub fn checkpoint_key_name(fingerprint: &str) -> String {
    format!("ccm-studio-key-{fingerprint}")
}

/// Merkle root over entry hashes (leaf data = the 32-byte entry hash).
pub fn root_of(hashes: &[String]) -> Result<merkle::Hash> {
    let leaves = hashes.iter().map(|h| leaf(h)).collect::<Result<Vec<_>>>()?;
    Ok(merkle::root(&leaves))
}

pub(crate) fn leaf(hash: &str) -> Result<merkle::Hash> {
    let bytes = hex::decode(hash).map_err(|e| TrustError::Damaged {
        what: format!("hash {hash}"),
        detail: e.to_string(),
    })?;
    Ok(merkle::leaf_hash(&bytes))
}

/// Appends `new` signed by `signer`, storing `blobs` (manifest, renditions) in the same
/// transaction: either all of it is in the library afterwards or none of it.
pub fn append(
    store: &mut Store,
    signer: &Signer<'_>,
    new: NewEntry,
    blobs: &[Vec<u8>],
) -> Result<Appended> {
    let mut out = append_many(store, signer, vec![new], blobs)?;
    Ok(out.pop().expect("one entry appended"))
}

/// Appends several entries by one signer in one transaction, with one checkpoint at the end
/// (bulk loads and benchmarks; each entry is still signed and chained on its own).
pub fn append_many(
    store: &mut Store,
    signer: &Signer<'_>,
    news: Vec<NewEntry>,
    blobs: &[Vec<u8>],
) -> Result<Vec<Appended>> {
    let actor = Actor {
        name: signer.identity.member.name.clone(),
        role: signer.role.clone(),
        key: signer.identity.fingerprint.clone(),
        public_key: signer.identity.member.public_key.clone(),
    };
    let out = store.write(|w| {
        for b in blobs {
            w.put_blob(b)?;
        }
        let (mut seq, mut prev) = match w.archive_head()? {
            Some((seq, hash)) => (seq, hash),
            None => (0, GENESIS_PREV.to_owned()),
        };
        let mut appended = Vec::with_capacity(news.len());
        for new in news {
            seq += 1;
            let entry = Entry {
                type_: ENTRY_TYPE.to_owned(),
                seq,
                prev: prev.clone(),
                kind: new.kind,
                at: w.now().to_owned(),
                template: new.template,
                actor: actor.clone(),
                team_version: signer.team_version,
                comment: new.comment,
                approval: new.approval,
                anchor: new.anchor,
                edits: new.edits,
            };
            let body = entry.canonical();
            let hash = sha256_hex(&body);
            let signature = signer.identity.sign(&body, &entry.trusted_comment(&hash))?;
            w.append_archive_entry(&row_of(&entry, &body, &hash, signature))?;
            prev = hash.clone();
            appended.push(Appended {
                entry,
                hash,
                checkpoint: String::new(),
            });
        }
        let hashes = w.archive_hashes()?;
        let root = root_of(&hashes).map_err(|e| ccm_core::Error::Corrupt(e.to_string()))?;
        let corrupt =
            |e: crate::checkpoint::CheckpointError| ccm_core::Error::Corrupt(e.to_string());
        let head =
            Checkpoint::new(&origin(&hashes[0]), hashes.len() as u64, root).map_err(corrupt)?;
        let note = head
            .sign(&checkpoint_key_name(&actor.key), signer.identity)
            .map_err(corrupt)?;
        w.append_checkpoint(&CheckpointRow {
            size: head.size(),
            root: hex::encode(root),
            note: note.clone(),
        })?;
        if let Some(last) = appended.last_mut() {
            last.checkpoint = note;
        }
        Ok(appended)
    })?;
    Ok(out)
}

/// The stored row of an entry: its body plus the copies search uses.
pub fn row_of(entry: &Entry, body: &[u8], hash: &str, signature: String) -> ArchiveRow {
    let spaced = |v: &[String]| {
        if v.is_empty() {
            " ".to_owned()
        } else {
            format!(" {} ", v.join(" "))
        }
    };
    // Approvals: the channels rendered; comments: the channel they are placed on.
    let (channels, packs) = match (&entry.approval, &entry.anchor) {
        (Some(a), _) => (spaced(&a.channels), spaced(&a.rule_packs)),
        (None, Some(anchor)) => (
            spaced(std::slice::from_ref(&anchor.channel)),
            " ".to_owned(),
        ),
        (None, None) => (" ".to_owned(), " ".to_owned()),
    };
    ArchiveRow {
        seq: entry.seq,
        hash: hash.to_owned(),
        body: String::from_utf8_lossy(body).into_owned(),
        signature,
        kind: entry.kind.as_str().to_owned(),
        template_id: entry.template.id.clone(),
        version: entry.template.version,
        brand: entry.template.brand.clone(),
        actor_key: entry.actor.key.clone(),
        actor_name: entry.actor.name.clone(),
        at: entry.at.clone(),
        channels,
        rule_packs: packs,
    }
}

/// Parses a stored body (trusting it: use [`crate::verify`] to check it).
pub fn parse(row: &ArchiveRow) -> Result<Entry> {
    serde_json::from_str(&row.body).map_err(|e| TrustError::Damaged {
        what: format!("#{}", row.seq),
        detail: e.to_string(),
    })
}

/// The current head: size and root (hex), `None` for an empty archive.
pub fn head(store: &Store) -> Result<Option<(u64, String)>> {
    let rows = store.archive_rows()?;
    if rows.is_empty() {
        return Ok(None);
    }
    let hashes: Vec<String> = rows.into_iter().map(|r| r.hash).collect();
    Ok(Some((hashes.len() as u64, hex::encode(root_of(&hashes)?))))
}
