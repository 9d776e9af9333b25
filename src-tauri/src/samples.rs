//! Where the app's library lives, and where the sample library and rule packs come from: the
//! copies compiled into the binary (ccm-bundled), unless `CCM_SAMPLES` / `CCM_RULES` name a
//! folder. An installed app reads nothing from the tree it was built from.

use std::path::PathBuf;

use ccm_core::library::LibraryDirs;
use ccm_core::store::Store;
use ccm_rules::{PackError, RuleSet};

use crate::error::{IpcError, IpcResult};
use ccm_core::diagnostic::Diagnostic;

/// `CCM_LIBRARY`, else the platform default (`~/.local/share/ccm-studio/library.sqlite`).
pub fn library_path() -> IpcResult<PathBuf> {
    if let Some(p) = env_path("CCM_LIBRARY") {
        return Ok(p);
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

/// `CCM_SAMPLES` (a folder holding `templates/` and `assets/`) when it is set and has a
/// `templates/` folder; `None` means the bundled samples.
pub fn sample_dirs() -> Option<LibraryDirs> {
    let root = env_path("CCM_SAMPLES")?;
    let dirs = LibraryDirs {
        templates: root.join("templates"),
        assets: root.join("assets"),
    };
    dirs.templates.is_dir().then_some(dirs)
}

/// `CCM_RULES`, else `assets/rules` of `CCM_SAMPLES` when that folder has one, else the packs
/// compiled into the app.
pub fn load_rules() -> Result<RuleSet, PackError> {
    let dir = env_path("CCM_RULES").or_else(|| {
        env_path("CCM_SAMPLES")
            .map(|s| s.join("assets/rules"))
            .filter(|d| d.is_dir())
    });
    ccm_bundled::rules::load(dir.as_deref())
}

/// Imports the sample library (`CCM_SAMPLES`, else the bundled one) into an empty library;
/// returns the problems of files that could not be imported (everything else is in).
pub fn import(store: &mut Store) -> IpcResult<Vec<Diagnostic>> {
    let report = match sample_dirs() {
        Some(dirs) => ccm_core::library::import(store, &dirs, "import")?,
        None => ccm_bundled::samples::import_into(store, "import")?,
    };
    Ok(report.problems)
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}
