//! ccm-pack — approved templates leave CCM Studio as a signed pack anyone can check with stock
//! tools (`minisign -Vm x.ccmpack -P KEY`, `unzip`, `sha256sum -c --strict SHA256SUMS`), and
//! another library can import it keeping each approval's signature and origin.
//!
//! - [`export`]: cut a deterministic pack of approved, current templates (brand members only).
//! - [`verify`]: the whole file's signature, then the ZIP as hostile input ([`unzip`]), then
//!   every listing, hash, approval signature, evidence PDF and the archive link.
//! - [`import`]: one transaction; rollback (an older pack of the same brand) refused.
//! - [`layout`]: what a pack holds and where; docs/PACKS.md is the reference.

pub mod error;
pub mod export;
pub mod import;
pub mod layout;
pub mod unzip;
pub mod verify;

use ccm_core::store::Store;
use serde::Serialize;

pub use error::{PackError, Refusal, Result};
pub use export::{
    export, plan, Exported, Exporter, Included, LeftOut, Plan, Planned, Progress, Selection,
};
pub use import::{import, Imported};
pub use layout::Layout;
pub use unzip::Limits;
pub use verify::{verify_bytes, verify_file, Report, Verified};

/// The latest approval of a template that arrived in a pack, with where it came from: what
/// review status shows as "approved (imported from pack …)".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedApproval {
    pub template_id: String,
    /// This library's number for the imported version, and its content hash.
    pub version: u32,
    pub version_hash: String,
    /// Whether the template's latest version in this library is still the imported one.
    pub current: bool,
    pub approved_by: String,
    pub approved_by_key: String,
    pub approved_at: String,
    /// The approval entry's hash and place in the sending library's archive.
    pub entry_hash: String,
    pub entry_seq: u64,
    pub pack_id: String,
    pub brand: String,
    pub sequence: u64,
    pub signed_by: String,
    pub signed_by_key: String,
    pub imported_at: String,
}

impl ImportedApproval {
    /// `approved (imported from pack 1a2b…, sakura-bank #42)`.
    pub fn label(&self) -> (String, String) {
        (
            format!(
                "approved (imported from pack {}, {} #{})",
                self.pack_id, self.brand, self.sequence
            ),
            format!(
                "承認済み（パック {} から取り込み、{} #{}）",
                self.pack_id, self.brand, self.sequence
            ),
        )
    }
}

/// The latest imported approval of `template_id`, `None` when no pack brought one.
pub fn imported_approval(store: &Store, template_id: &str) -> Result<Option<ImportedApproval>> {
    let Some(a) = store.imported_approvals_for(template_id)?.pop() else {
        return Ok(None);
    };
    let Some(p) = store.pack_import(&a.pack_id)? else {
        return Ok(None);
    };
    let latest = store.get(template_id, None)?;
    Ok(Some(ImportedApproval {
        template_id: a.template_id,
        version: a.version,
        current: latest.hash.0 == a.version_hash,
        version_hash: a.version_hash,
        approved_by: a.approver_name,
        approved_by_key: a.approver_key,
        approved_at: a.approved_at,
        entry_hash: a.entry_hash,
        entry_seq: a.entry_seq,
        pack_id: p.pack_id,
        brand: p.brand,
        sequence: p.sequence,
        signed_by: p.signer_name,
        signed_by_key: p.signer_key,
        imported_at: p.imported_at,
    }))
}
