//! Export as an OCFL 1.1 object (<https://ocfl.io/1.1/spec/>), so that a third party can check
//! the approval archive of one template with stock OCFL tools and without CCM Studio.
//!
//! Layout written by [`write_object`]:
//!
//! ```text
//! 0=ocfl_object_1.1                 namaste: "ocfl_object_1.1\n"
//! inventory.json                    the inventory of the head version
//! inventory.json.sha512             "<sha512 hex>  inventory.json\n", written last
//! v1/inventory.json(.sha512)        the inventory as it was at v1
//! v1/content/<logical path>         files whose sha512 no earlier version stored
//! v2/...
//! ```
//!
//! Output is deterministic: the same input gives byte-identical files, so an export can itself
//! be hashed and compared. [`validate_object`] is our own structural check of such an object.

mod inventory;
mod logical_path;
mod validate;
mod write;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use validate::validate_object;
pub use write::write_object;

/// Who made a version. `address` should be a URI, e.g. `urn:ccm-key:ABCD...` or `mailto:...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcflUser {
    pub name: String,
    pub address: Option<String>,
}

/// One version of an object: its complete state (not a delta) and who made it when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcflVersion {
    /// RFC 3339 date-time with an offset, e.g. `2026-12-03T15:55:25Z`.
    pub created: String,
    pub message: String,
    pub user: OcflUser,
    /// Logical path (`/`-separated, relative) → file bytes.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// What [`write_object`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcflSummary {
    /// `vN`, the last version.
    pub head: String,
    pub version_count: usize,
    /// Files stored under `vN/content/` (each distinct sha512 once).
    pub stored_files: usize,
    pub stored_bytes: u64,
    /// Lower-case hex sha512 of the root `inventory.json`, as in its sidecar. It covers every
    /// file of the object (through the manifest digests), so it can be recorded or signed.
    pub inventory_sha512: String,
}

#[derive(Debug, thiserror::Error)]
pub enum OcflError {
    #[error("an OCFL object needs an id")]
    EmptyId,
    #[error("an OCFL object needs at least one version")]
    NoVersions,
    #[error("v{version}: `created` {created:?} is not an RFC 3339 date-time")]
    BadCreated { version: usize, created: String },
    #[error("v{version}: the user needs a name")]
    EmptyUserName { version: usize },
    #[error("v{version}: logical path {path:?} is not allowed: {reason}")]
    BadLogicalPath {
        version: usize,
        path: String,
        reason: &'static str,
    },
    #[error("v{version}: logical path {file:?} is also used as a directory by {inside:?}")]
    ConflictingLogicalPaths {
        version: usize,
        file: String,
        inside: String,
    },
    #[error(
        "v{version}: logical paths {first:?} and {second:?} differ only in case; \
         the object could not be copied to a case-insensitive file system (Windows, macOS)"
    )]
    LogicalPathsDifferInCase {
        version: usize,
        first: String,
        second: String,
    },
    #[error("{}: the target must not exist or be an empty directory", .0.display())]
    TargetNotEmpty(PathBuf),
    #[error("{}: the target needs a final path component (a directory name)", .0.display())]
    TargetWithoutName(PathBuf),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl OcflError {
    fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> OcflError + '_ {
        move |source| OcflError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
