//! `ccm archive prove-extends OLD NEW`: an RFC 9162 consistency proof that the archive NEW
//! holds the archive OLD (a checkpoint or an earlier copy) as its prefix — nothing below OLD's
//! size was rewritten, dropped or reordered. A truncated NEW, or a fork that rewrote history,
//! fails.

use serde::Serialize;

use crate::archive::leaf;
use crate::error::Result;
use crate::merkle;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extends {
    pub extends: bool,
    pub old_size: u64,
    pub new_size: u64,
    pub old_root: String,
    pub new_root: String,
    /// The consistency proof (hex hashes), checkable with any RFC 9162 verifier.
    pub proof: Vec<String>,
    /// Why not, when it does not.
    pub reason: String,
}

/// Whether the log with entry hashes `new` extends the one of `old_size` entries with root
/// `old_root` (hex).
pub fn extends(new: &[String], old_size: u64, old_root: &str) -> Result<Extends> {
    let leaves = new.iter().map(|h| leaf(h)).collect::<Result<Vec<_>>>()?;
    let new_root = merkle::root(&leaves);
    let mut out = Extends {
        extends: false,
        old_size,
        new_size: leaves.len() as u64,
        old_root: old_root.to_owned(),
        new_root: hex::encode(new_root),
        proof: Vec::new(),
        reason: String::new(),
    };
    if old_size > out.new_size {
        out.reason = format!(
            "NEW has {} entries, fewer than the {old_size} OLD had: it was truncated (rolled back)",
            out.new_size
        );
        return Ok(out);
    }
    let Ok(old) = <[u8; 32]>::try_from(hex::decode(old_root).unwrap_or_default().as_slice()) else {
        out.reason = "OLD's root is not a 32-byte hash".to_owned();
        return Ok(out);
    };
    if old_size == 0 {
        out.extends = true;
        return Ok(out);
    }
    let proof = merkle::consistency_proof(&leaves, old_size as usize).unwrap_or_default();
    out.proof = proof.iter().map(hex::encode).collect();
    out.extends = merkle::verify_consistency(old_size, out.new_size, &old, &new_root, &proof);
    if !out.extends {
        out.reason = format!(
            "the first {old_size} entries of NEW do not have OLD's root: history was rewritten (a fork)"
        );
    }
    Ok(out)
}
