//! What the app keeps while it runs: the open library (one SQLite connection behind a mutex,
//! with the lock that keeps a second app off it), the warm render engine, and the newest preview
//! request number (to skip stale renders). When the library cannot be used — open in another
//! instance, made by a newer version, not a library — the app still starts and says so in its
//! window (`LibraryBlocked`), with a way out, until another library is opened.

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use ccm_core::library::sync::WatchSync;
use ccm_core::library_lock::{fresh_library_path, LibraryLock, LockError};
use ccm_core::store::Store;
use ccm_render::live::LiveCache;
use ccm_render::{Engine, LaidOutLetter};
use ccm_rules::{PackError, RuleSet};

use crate::desktop_dto::LibraryBlocked;
use crate::dto::{LibraryInfo, WindowRect};
use crate::error::{ErrorDetails, IpcError, IpcResult};
use crate::samples;
use ccm_core::diagnostic::{codes, Diagnostic};

pub struct Library {
    pub store: Store,
    pub path: PathBuf,
    pub imported_samples: bool,
    pub import_problems: Vec<Diagnostic>,
    /// Held while this library is open; dropped (released) with it.
    _lock: LibraryLock,
}

pub struct Shared {
    library: Mutex<Option<Library>>,
    /// Why no library is open, while none is.
    blocked: Mutex<Option<LibraryBlocked>>,
    pub engine: Engine,
    /// The live preview's last render of each channel (an edit re-renders what it touched).
    pub live_cache: LiveCache,
    /// The compliance rule packs, loaded once; a pack that does not load is shown in every
    /// preview's findings panel (checks are never silently off).
    pub rules: Result<RuleSet, PackError>,
    newest_seq: AtomicU32,
    /// The letter the newest live preview laid out, for the pages the user turns to.
    kept_letter: Mutex<Option<KeptLetter>>,
    /// The watched folder and its running sync (dropping the sync stops it).
    watch: Mutex<Option<(PathBuf, WatchSync)>>,
}

/// A laid-out letter of a live preview and what its pages are drawn with.
#[derive(Clone)]
pub struct KeptLetter {
    /// The preview request that laid it out.
    pub seq: u32,
    pub letter: LaidOutLetter,
    pub envelope_window: Option<WindowRect>,
}

/// Managed by Tauri; cheap to clone into worker threads.
#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

/// The open library, for as long as the guard lives.
pub struct LibraryGuard<'a>(MutexGuard<'a, Option<Library>>);

impl Deref for LibraryGuard<'_> {
    type Target = Library;
    fn deref(&self) -> &Library {
        self.0
            .as_ref()
            .expect("a LibraryGuard is only made for an open library")
    }
}

impl DerefMut for LibraryGuard<'_> {
    fn deref_mut(&mut self) -> &mut Library {
        self.0
            .as_mut()
            .expect("a LibraryGuard is only made for an open library")
    }
}

impl AppState {
    /// Opens the library named by `CCM_LIBRARY` (or the platform default) and, when it is
    /// empty, imports the sample library into it. A library that cannot be used is recorded as
    /// blocked (see [`Shared::blocked`]), never altered.
    pub fn start() -> AppState {
        let (library, blocked) = match samples::library_path() {
            Ok(path) => match open_library(&path) {
                Ok(lib) => (Some(lib), None),
                Err(failure) => (None, Some(failure.blocked(&path))),
            },
            Err(e) => (
                None,
                Some(LibraryBlocked::from_error(Path::new(""), &e, None)),
            ),
        };
        AppState(Arc::new(Shared {
            library: Mutex::new(library),
            blocked: Mutex::new(blocked),
            engine: Engine::new(),
            live_cache: LiveCache::new(),
            rules: samples::load_rules(),
            newest_seq: AtomicU32::new(0),
            kept_letter: Mutex::new(None),
            watch: Mutex::new(None),
        }))
    }
}

impl AppState {
    /// Runs `work` on the blocking thread pool: library reads and writes (autosave included)
    /// must never hold up the main thread, which draws the window.
    pub async fn blocking<R: Send + 'static>(
        &self,
        work: impl FnOnce(&Shared) -> IpcResult<R> + Send + 'static,
    ) -> IpcResult<R> {
        let shared = self.0.clone();
        tauri::async_runtime::spawn_blocking(move || work(&shared))
            .await
            .map_err(|e| IpcError::internal(format!("a library worker stopped: {e}")))?
    }
}

impl Shared {
    /// The open library; an error when none could be opened (the window shows why).
    pub fn library(&self) -> IpcResult<LibraryGuard<'_>> {
        let guard = self.library.lock().map_err(|_| {
            IpcError::internal("the library lock was poisoned by an earlier failure")
        })?;
        if guard.is_none() {
            return Err(IpcError::new(
                codes::LIBRARY_UNAVAILABLE,
                "no library is open: open another library or quit",
            ));
        }
        Ok(LibraryGuard(guard))
    }

    /// Why no library is open, or `None` when one is.
    pub fn blocked(&self) -> Option<LibraryBlocked> {
        self.blocked.lock().ok().and_then(|b| b.clone())
    }

    /// Switches to another library file (created empty, then filled with the samples, if it
    /// does not exist). The current library stays open when the other cannot be used.
    pub fn reopen(&self, path: &Path) -> IpcResult<()> {
        let mut current = self.library.lock().map_err(|_| {
            IpcError::internal("the library lock was poisoned by an earlier failure")
        })?;
        if current
            .as_ref()
            .is_some_and(|lib| same_file(&lib.path, path))
        {
            return Ok(()); // already open (and locked by us)
        }
        let library = open_library(path).map_err(OpenFailure::into_ipc)?;
        *current = Some(library);
        if let Ok(mut blocked) = self.blocked.lock() {
            *blocked = None;
        }
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

    /// Keeps `kept` unless a newer request's letter is already kept.
    pub fn keep_letter(&self, kept: KeptLetter) {
        if let Ok(mut slot) = self.kept_letter.lock() {
            if slot.as_ref().is_none_or(|k| k.seq <= kept.seq) {
                *slot = Some(kept);
            }
        }
    }

    pub fn kept_letter(&self) -> Option<KeptLetter> {
        self.kept_letter.lock().ok().and_then(|k| k.clone())
    }

    /// True when a request newer than `seq` has arrived (its render can be skipped).
    pub fn is_stale(&self, seq: u32) -> bool {
        self.newest_seq.load(Ordering::SeqCst) > seq
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Why a library could not be opened.
enum OpenFailure {
    Locked(LockError),
    Core(IpcError),
}

impl OpenFailure {
    fn blocked(self, path: &Path) -> LibraryBlocked {
        match self {
            OpenFailure::Locked(e) => LibraryBlocked::from_lock(path, &e),
            OpenFailure::Core(e) => {
                LibraryBlocked::from_error(path, &e, Some(fresh_library_path(path)))
            }
        }
    }

    fn into_ipc(self) -> IpcError {
        match self {
            OpenFailure::Locked(e) => IpcError {
                details: Some(ErrorDetails {
                    hint: Some(
                        "close the other CCM Studio window using it, or open another library"
                            .into(),
                    ),
                    hint_localized: None,
                    problems: Vec::new(),
                }),
                ..IpcError::new(codes::LIBRARY_IN_USE, e.to_string())
            },
            OpenFailure::Core(e) => e,
        }
    }
}

/// Takes the library's lock, then opens it (a newer or foreign file is refused untouched) and
/// fills an empty one with the sample library.
fn open_library(path: &Path) -> Result<Library, OpenFailure> {
    let lock = LibraryLock::acquire(path).map_err(OpenFailure::Locked)?;
    let core = |e: ccm_core::Error| OpenFailure::Core(e.into());
    let mut store = Store::open_or_create(path).map_err(core)?;
    // Every version the app stores says who made it (the identity of `ccm id init`).
    store.set_author_key(ccm_core::identity::current_key());
    let mut imported_samples = false;
    let mut import_problems = Vec::new();
    if store.count_templates().map_err(core)? == 0 {
        import_problems = samples::import(&mut store).map_err(OpenFailure::Core)?;
        imported_samples = true;
    }
    Ok(Library {
        store,
        path: path.to_owned(),
        imported_samples,
        import_problems,
        _lock: lock,
    })
}
