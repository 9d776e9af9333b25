//! Where the app's library lives and where the bundled sample library comes from.

use std::path::PathBuf;

use ccm_core::library::LibraryDirs;
use ccm_core::store::Store;

use crate::error::{IpcError, IpcResult};
use ccm_core::diagnostic::Diagnostic;

/// `CCM_LIBRARY`, else the platform default (`~/.local/share/ccm-studio/library.sqlite`).
pub fn library_path() -> IpcResult<PathBuf> {
    if let Some(p) = std::env::var_os("CCM_LIBRARY").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    // Same place the `ccm` CLI uses by default (README): the platform data directory.
    directories::ProjectDirs::from("", "", "ccm-studio")
        .map(|d| d.data_dir().join("library.sqlite"))
        .ok_or_else(|| {
            IpcError::new(
                ccm_core::diagnostic::codes::LIBRARY_MISSING,
                "no data directory found for the library; set CCM_LIBRARY=/path/to/library.sqlite",
            )
        })
}

/// `CCM_SAMPLES` (a folder holding `templates/` and `assets/`), else the source tree this
/// binary was built from. `None` when neither has a `templates/` folder.
pub fn sample_dirs() -> Option<LibraryDirs> {
    let root = std::env::var_os("CCM_SAMPLES")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let dirs = LibraryDirs {
        templates: root.join("templates"),
        assets: root.join("assets"),
    };
    dirs.templates.is_dir().then_some(dirs)
}

/// `CCM_RULES`, else `assets/rules` of the sample root (the packs the `ccm` CLI bundles).
pub fn rules_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("CCM_RULES").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    std::env::var_os("CCM_SAMPLES")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("assets/rules")
}

/// Imports the sample library; returns the problems of files that could not be imported
/// (everything else is in the library).
pub fn import(store: &mut Store, dirs: &LibraryDirs) -> IpcResult<Vec<Diagnostic>> {
    let report = ccm_core::library::import(store, dirs, "import")?;
    Ok(report.problems)
}
