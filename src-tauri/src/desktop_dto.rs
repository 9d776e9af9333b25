//! The shapes that cross IPC for what an installed desktop app has besides templates: why the
//! library could not be opened (and what to offer instead), and About. TypeScript twins are
//! generated like those of `dto.rs`.

use std::path::{Path, PathBuf};

use ccm_core::diagnostic::codes;
use ccm_core::library_lock::{fresh_library_path, LockError};
use serde::Serialize;

use crate::error::IpcError;

/// The library the app was asked to open and cannot use. The window shows this instead of the
/// library, with a way out: open another library, make a new one, or quit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LibraryBlocked {
    /// `library_in_use`, `library_too_new`, `not_a_library`, … (as `IpcError` codes).
    pub code: String,
    /// The library file.
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
    /// For `library_in_use`: the process holding the library, as it recorded itself.
    pub holder_pid: Option<u32>,
    /// For `library_in_use`: the lock file beside the library.
    pub lock_file: Option<String>,
    /// A path for a new library that does not exist yet.
    pub suggested_path: String,
}

impl LibraryBlocked {
    pub fn from_lock(path: &Path, e: &LockError) -> LibraryBlocked {
        let (holder_pid, lock_file) = match e {
            LockError::Held { pid, lock_file } => (*pid, Some(lock_file.display().to_string())),
            LockError::Io { lock_file, .. } => (None, Some(lock_file.display().to_string())),
        };
        LibraryBlocked {
            code: match e {
                LockError::Held { .. } => codes::LIBRARY_IN_USE.id,
                LockError::Io { .. } => codes::IO.id,
            }
            .into(),
            path: path.display().to_string(),
            message: e.to_string(),
            hint: Some(match e {
                LockError::Held { .. } => {
                    "close the other CCM Studio window using this library, or open another library"
                        .into()
                }
                LockError::Io { .. } => {
                    "check that the library's folder exists and is writable".into()
                }
            }),
            holder_pid,
            lock_file,
            suggested_path: fresh_library_path(path).display().to_string(),
        }
    }

    pub fn from_error(path: &Path, e: &IpcError, suggested: Option<PathBuf>) -> LibraryBlocked {
        let suggested = suggested
            .or_else(|| ccm_core::store::default_library_path().map(|p| fresh_library_path(&p)))
            .unwrap_or_default();
        LibraryBlocked {
            code: e.code.clone(),
            path: path.display().to_string(),
            message: e.message.clone(),
            hint: e.details.as_ref().and_then(|d| d.hint.clone()),
            holder_pid: None,
            lock_file: None,
            suggested_path: suggested.display().to_string(),
        }
    }
}

/// What the app starts on: the library, or why it cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LibraryStatus {
    Ready,
    Blocked { blocked: LibraryBlocked },
}

/// About CCM Studio: what it is, which build, and the licences of what it ships.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct AboutInfo {
    pub version: String,
    /// The git commit the app was built from, or "unknown".
    pub build: String,
    /// The app's own licence (SPDX).
    pub licence: String,
    pub fonts: Vec<FontLicenceView>,
    pub rust_crates: Vec<PackageLicence>,
    pub npm_packages: Vec<PackageLicence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct FontLicenceView {
    pub font: String,
    /// The full licence text (SIL Open Font License 1.1).
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PackageLicence {
    pub name: String,
    pub version: String,
    pub licence: String,
    pub repository: String,
}

impl From<&ccm_bundled::licences::Package> for PackageLicence {
    fn from(p: &ccm_bundled::licences::Package) -> Self {
        PackageLicence {
            name: p.name.into(),
            version: p.version.into(),
            licence: p.licence.into(),
            repository: p.repository.into(),
        }
    }
}

impl AboutInfo {
    pub fn of_this_build() -> AboutInfo {
        use ccm_bundled::{build, licences};
        AboutInfo {
            version: build::VERSION.into(),
            build: build::COMMIT.into(),
            licence: env!("CARGO_PKG_LICENSE").into(),
            fonts: licences::fonts()
                .into_iter()
                .map(|f| FontLicenceView {
                    font: f.font.into(),
                    text: f.text.into(),
                })
                .collect(),
            rust_crates: licences::rust_crates().iter().map(Into::into).collect(),
            npm_packages: licences::npm_packages().iter().map(Into::into).collect(),
        }
    }
}
