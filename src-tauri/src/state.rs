//! What the app keeps while it runs: the open library (one SQLite connection behind a mutex),
//! the warm render engine, and the newest preview request number (to skip stale renders).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use ccm_core::library::sync::WatchSync;
use ccm_core::store::Store;
use ccm_render::Engine;
use ccm_rules::{PackError, RuleSet};

use crate::dto::LibraryInfo;
use crate::error::{IpcError, IpcResult};
use crate::samples;
use ccm_core::diagnostic::Diagnostic;

pub struct Library {
    pub store: Store,
    pub path: PathBuf,
    pub imported_samples: bool,
    pub import_problems: Vec<Diagnostic>,
}

pub struct Shared {
    library: Mutex<Library>,
    pub engine: Engine,
    /// The compliance rule packs, loaded once; a pack that does not load is shown in every
    /// preview's findings panel (checks are never silently off).
    pub rules: Result<RuleSet, PackError>,
    newest_seq: AtomicU32,
    /// The watched folder and its running sync (dropping the sync stops it).
    watch: Mutex<Option<(PathBuf, WatchSync)>>,
}

/// Managed by Tauri; cheap to clone into worker threads.
#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

impl AppState {
    /// Opens the library named by `CCM_LIBRARY` (or the platform default) and, when it is
    /// empty, imports the bundled sample library into it.
    pub fn start() -> IpcResult<AppState> {
        let library = open_library(&samples::library_path()?)?;
        Ok(AppState(Arc::new(Shared {
            library: Mutex::new(library),
            engine: Engine::new(),
            rules: RuleSet::load_dir(&samples::rules_dir()),
            newest_seq: AtomicU32::new(0),
            watch: Mutex::new(None),
        })))
    }
}

impl Shared {
    pub fn library(&self) -> IpcResult<MutexGuard<'_, Library>> {
        self.library
            .lock()
            .map_err(|_| IpcError::internal("the library lock was poisoned by an earlier failure"))
    }

    /// Switches to another library file (created empty if it does not exist).
    pub fn reopen(&self, path: &Path) -> IpcResult<()> {
        let library = open_library(path)?;
        *self.library()? = library;
        Ok(())
    }

    pub fn info(&self) -> IpcResult<LibraryInfo> {
        let lib = self.library()?;
        let templates = lib.store.count_templates()?;
        let watching = self
            .watch
            .lock()
            .ok()
            .and_then(|w| w.as_ref().map(|(p, _)| p.display().to_string()));
        Ok(LibraryInfo {
            path: lib.path.display().to_string(),
            templates: u32::try_from(templates).unwrap_or(u32::MAX),
            imported_samples: lib.imported_samples,
            import_problems: lib.import_problems.clone(),
            watching,
        })
    }

    /// Runs `f` with the running folder sync; an error when no folder is watched.
    pub fn with_watch<R>(&self, f: impl FnOnce(&WatchSync) -> R) -> IpcResult<R> {
        let watch = self
            .watch
            .lock()
            .map_err(|_| IpcError::internal("the watch lock was poisoned by an earlier failure"))?;
        match watch.as_ref() {
            Some((_, sync)) => Ok(f(sync)),
            None => Err(IpcError::new(
                ccm_core::diagnostic::codes::INVALID_INPUT,
                "no folder is being watched (CCM_WATCH is off)",
            )),
        }
    }

    pub fn set_watch(&self, watch: Option<(PathBuf, WatchSync)>) {
        if let Ok(mut w) = self.watch.lock() {
            *w = watch;
        }
    }

    /// Records `seq` as seen; true when no newer request has arrived since.
    pub fn note_request(&self, seq: u32) -> bool {
        self.newest_seq.fetch_max(seq, Ordering::SeqCst) <= seq
    }

    /// True when a request newer than `seq` has arrived (its render can be skipped).
    pub fn is_stale(&self, seq: u32) -> bool {
        self.newest_seq.load(Ordering::SeqCst) > seq
    }
}

fn open_library(path: &Path) -> IpcResult<Library> {
    let mut store = Store::open_or_create(path)?;
    let mut imported_samples = false;
    let mut import_problems = Vec::new();
    if store.count_templates()? == 0 {
        if let Some(dirs) = samples::sample_dirs() {
            import_problems = samples::import(&mut store, &dirs)?;
            imported_samples = true;
        }
    }
    Ok(Library {
        store,
        path: path.to_owned(),
        imported_samples,
        import_problems,
    })
}
