//! What goes wrong with a pack. A [`Refusal`] is the pack (or the person exporting it) being
//! turned away: it carries a stable code, the entry it is about when there is one, and what to
//! do. Library and I/O errors pass through as they are.

use std::path::Path;

/// A pack refused, or an export not allowed, with a stable code (listed in docs/PACKS.md).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Refusal {
    pub code: &'static str,
    /// The pack entry (path inside the ZIP) the refusal is about, when it is about one.
    pub entry: Option<String>,
    pub message: String,
    pub hint: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.entry {
            Some(e) => write!(f, "{e}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("{0}")]
    Refused(Refusal),
    #[error(transparent)]
    Trust(#[from] ccm_trust::TrustError),
    #[error(transparent)]
    Core(#[from] ccm_core::Error),
}

impl PackError {
    /// The refusal code, `None` for library and I/O errors.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            PackError::Refused(r) => Some(r.code),
            _ => None,
        }
    }

    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            PackError::Refused(r) => Some(r),
            _ => None,
        }
    }
}

pub type Result<T, E = PackError> = std::result::Result<T, E>;

/// A refusal about the pack as a whole.
pub(crate) fn refuse(code: &'static str, message: impl Into<String>, hint: &str) -> PackError {
    PackError::Refused(Refusal {
        code,
        entry: None,
        message: message.into(),
        hint: hint.to_owned(),
    })
}

/// A refusal about one entry of the pack.
pub(crate) fn refuse_entry(
    code: &'static str,
    entry: impl Into<String>,
    message: impl Into<String>,
    hint: &str,
) -> PackError {
    PackError::Refused(Refusal {
        code,
        entry: Some(entry.into()),
        message: message.into(),
        hint: hint.to_owned(),
    })
}

pub(crate) fn io(path: &Path, e: std::io::Error) -> PackError {
    PackError::Core(ccm_core::Error::io(path, e))
}

/// The refusal codes, one place (docs/PACKS.md lists the same strings).
pub mod codes {
    // Export
    pub const NO_IDENTITY: &str = "PACK_NO_IDENTITY";
    pub const NOT_BRAND: &str = "PACK_NOT_BRAND";
    pub const NOTHING_APPROVED: &str = "PACK_NOTHING_APPROVED";
    pub const MIXED_BRANDS: &str = "PACK_MIXED_BRANDS";
    pub const NO_CHECKPOINT: &str = "PACK_NO_CHECKPOINT";
    // Verify: the file and its signature
    pub const TOO_LARGE: &str = "PACK_TOO_LARGE";
    pub const NO_SIGNATURE: &str = "PACK_NO_SIGNATURE";
    pub const NO_KEY: &str = "PACK_NO_KEY";
    pub const BAD_SIGNATURE: &str = "PACK_BAD_SIGNATURE";
    // Verify: the ZIP
    pub const NOT_ZIP: &str = "PACK_NOT_ZIP";
    pub const TOO_MANY_ENTRIES: &str = "PACK_TOO_MANY_ENTRIES";
    pub const ZIP_BOMB: &str = "PACK_ZIP_BOMB";
    pub const DUPLICATE: &str = "PACK_DUPLICATE_NAME";
    pub const UNSAFE_NAME: &str = "PACK_UNSAFE_NAME";
    pub const SYMLINK: &str = "PACK_SYMLINK";
    pub const NOT_A_FILE: &str = "PACK_NOT_A_FILE";
    pub const ENCRYPTED: &str = "PACK_ENCRYPTED";
    pub const COMPRESSION: &str = "PACK_COMPRESSION";
    pub const INCONSISTENT: &str = "PACK_INCONSISTENT_ZIP";
    pub const DAMAGED_ENTRY: &str = "PACK_DAMAGED_ENTRY";
    // Verify: contents
    pub const MANIFEST: &str = "PACK_BAD_MANIFEST";
    pub const UNLISTED: &str = "PACK_UNLISTED_ENTRY";
    pub const MISSING: &str = "PACK_MISSING_ENTRY";
    pub const HASH_MISMATCH: &str = "PACK_HASH_MISMATCH";
    pub const SIGNER: &str = "PACK_SIGNER_NOT_BRAND";
    pub const APPROVAL: &str = "PACK_BAD_APPROVAL";
    pub const ARCHIVE_LINK: &str = "PACK_BAD_ARCHIVE_LINK";
    pub const EVIDENCE: &str = "PACK_BAD_EVIDENCE";
    // Import
    pub const ROLLBACK: &str = "PACK_ROLLBACK";
    pub const ALREADY_IMPORTED: &str = "PACK_ALREADY_IMPORTED";
    pub const TEMPLATE: &str = "PACK_BAD_TEMPLATE";
}
