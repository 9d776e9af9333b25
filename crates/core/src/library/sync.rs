//! Keeping the library in step with a folder while people edit it (`ccm watch`, the app).
//!
//! [`crate::watch::watch`] says *what* may have changed; this module re-reads exactly that
//! (one template folder, the blocks, or one brand), validates it, and stores a new version
//! only when it is valid and different. A half-written or broken file is reported with file,
//! line and column, and the last good version stays the latest.

use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::folder_merge::{merge_files, FolderBase, FolderBases, Merge};
use super::import::{import_brand_assets, library_brands};
use super::LibraryDirs;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::format::{
    check_references, is_valid_id, load_template_dir, parse_template, read_blocks_dir,
    read_brand_dir, write_template_dir, FormatError, BLOCKS_DIR,
};
use crate::model::{ContentHash, TemplateFiles, TemplateSource, Version};
use crate::store::{SaveOutcome, Store};
use crate::watch::{watch, WatchEvent, WatchHandle};

/// One thing the sync did or could not do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SyncEvent {
    /// A template folder changed and is valid: stored as a new version.
    Saved {
        template_id: String,
        version: u32,
        hash: ContentHash,
    },
    /// A template folder was saved valid with the content of its latest version (e.g. a
    /// broken file fixed back to what it was): nothing stored, earlier problems are resolved.
    Unchanged {
        template_id: String,
        version: u32,
        hash: ContentHash,
    },
    /// A template folder changed while the library had got newer versions from elsewhere (the
    /// app); the folder's edits to `from_folder` were merged into the library's latest version
    /// and stored as `version`.
    Merged {
        template_id: String,
        version: u32,
        hash: ContentHash,
        from_folder: Vec<String>,
    },
    /// A template folder changed, but `files` (on-disk paths) were also changed differently in
    /// the library since the folder was last read. Nothing is stored; the library keeps
    /// `library_version` until the user picks a side ([`WatchSync::take_folder`] or
    /// [`WatchSync::write_library_version`]) or makes the files equal.
    Conflict {
        template_id: String,
        library_version: u32,
        files: Vec<String>,
    },
    /// A template folder changed but is not valid; the library keeps `kept_version`.
    Invalid {
        template_id: String,
        kept_version: Option<u32>,
        problems: Vec<Diagnostic>,
    },
    /// A template folder was deleted. The library keeps the template and its history.
    Removed {
        template_id: String,
    },
    /// Shared blocks that got a new version (`name` or `name.locale`).
    BlocksSaved {
        blocks: Vec<String>,
    },
    BrandSaved {
        brand_id: String,
        version: u32,
    },
    /// Anything else that went wrong (a broken block or brand file, a watch error).
    /// Boxed: a diagnostic is much larger than the other events.
    Problem(Box<Diagnostic>),
}

impl std::fmt::Display for SyncEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncEvent::Saved {
                template_id,
                version,
                hash,
            } => write!(f, "saved {template_id} v{version} ({})", hash.short()),
            SyncEvent::Unchanged {
                template_id,
                version,
                ..
            } => write!(
                f,
                "{template_id}: valid, same content as v{version}; nothing to save"
            ),
            SyncEvent::Merged {
                template_id,
                version,
                hash,
                from_folder,
            } => write!(
                f,
                "merged {} into the library's newer version: saved {template_id} v{version} ({})",
                from_folder.join(", "),
                hash.short()
            ),
            SyncEvent::Conflict {
                template_id,
                library_version,
                files,
            } => write!(
                f,
                "not saved: {} changed here and in the library ({template_id} v{library_version}) \
                 since the folder was last read; the library keeps v{library_version}\n  \
                 hint: keep the folder's version with `ccm import` on this folder, or make the \
                 files match `ccm show {template_id}`",
                files.join(", ")
            ),
            SyncEvent::Invalid {
                template_id,
                kept_version,
                problems,
            } => {
                match kept_version {
                    Some(v) => write!(f, "not saved: {template_id} has problems; keeping v{v}")?,
                    None => write!(f, "not saved: {template_id} has problems")?,
                }
                for p in problems {
                    write!(f, "\n{p}")?;
                }
                Ok(())
            }
            SyncEvent::Removed { template_id } => write!(
                f,
                "{template_id}: folder removed; the library keeps the template and its history"
            ),
            SyncEvent::BlocksSaved { blocks } => write!(f, "saved blocks {}", blocks.join(", ")),
            SyncEvent::BrandSaved { brand_id, version } => {
                write!(f, "saved brand {brand_id} v{version}")
            }
            SyncEvent::Problem(p) => write!(f, "{p}"),
        }
    }
}

/// A running sync; dropping it stops watching.
pub struct WatchSync {
    _handle: WatchHandle,
    dirs: LibraryDirs,
    author: String,
    bases: Arc<Mutex<FolderBases>>,
}

impl WatchSync {
    /// The user's answer to a [`SyncEvent::Conflict`]: see [`take_folder`].
    pub fn take_folder(&self, store: &mut Store, id: &str) -> Result<SyncEvent> {
        take_folder(store, &self.dirs, &self.author, &mut lock(&self.bases), id)
    }

    /// The other answer to a [`SyncEvent::Conflict`]: see [`write_library_version`].
    pub fn write_library_version(&self, store: &Store, id: &str) -> Result<SyncEvent> {
        write_library_version(store, &self.dirs, &mut lock(&self.bases), id)
    }
}

/// The folder's version of template `id` becomes its newest version, as it is (the library's
/// own changes stay in the history).
pub fn take_folder(
    store: &mut Store,
    dirs: &LibraryDirs,
    author: &str,
    bases: &mut FolderBases,
    id: &str,
) -> Result<SyncEvent> {
    let dir = template_folder(dirs, id)?;
    let blocks = store.blocks()?;
    let brands = library_brands(store)?;
    let source = match load_template_dir(&dir, &blocks, &brands) {
        Ok(source) => source,
        Err(problems) => return Ok(invalid(store, id, &problems)),
    };
    let event = save_from_folder(store, author, &dir, &source)?;
    bases.set_stored(id, source.files.content_hash());
    Ok(event)
}

/// The folder of template `id` is made to hold the library's latest version (files replaced,
/// extra template files removed), so both sides agree again.
pub fn write_library_version(
    store: &Store,
    dirs: &LibraryDirs,
    bases: &mut FolderBases,
    id: &str,
) -> Result<SyncEvent> {
    let dir = template_folder(dirs, id)?;
    let latest = store.get(id, None)?;
    write_template_dir(&dir, &latest.files).map_err(|e| Error::io(&dir, e))?;
    bases.set_stored(id, latest.hash.clone());
    Ok(SyncEvent::Unchanged {
        template_id: id.to_owned(),
        version: latest.number,
        hash: latest.hash,
    })
}

/// The folder of template `id` in the watched folder; an id that is not a plain template id
/// (e.g. `../x`, from a caller that did not check it) never names a path outside it.
fn template_folder(dirs: &LibraryDirs, id: &str) -> Result<std::path::PathBuf> {
    if !is_valid_id(id) {
        return Err(Error::InvalidInput {
            field: "template id",
            message: format!("`{id}` is not a template id"),
            hint: "use the id from `ccm list`".to_owned(),
        });
    }
    Ok(dirs.templates.join(id))
}

/// The bases stay usable even if a thread panicked while holding them: they are only hints.
fn lock(bases: &Mutex<FolderBases>) -> std::sync::MutexGuard<'_, FolderBases> {
    bases
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Watches `dirs` and applies every change to the library at `library` (its own connection,
/// so the caller may keep using its [`Store`]). `on_event` runs on the watcher's thread for
/// every change applied or refused. Run [`import()`] first to start from the folder's state.
pub fn start(
    library: &Path,
    dirs: &LibraryDirs,
    author: &str,
    mut on_event: impl FnMut(SyncEvent) + Send + 'static,
) -> Result<WatchSync> {
    let mut store = Store::open(library)?;
    store.set_author_key(crate::identity::current_key());
    let assets = dirs.assets.is_dir().then(|| dirs.assets.clone());
    let templates = dirs.templates.clone();
    let bases = Arc::new(Mutex::new(FolderBases::scan(&templates)));
    let sync = WatchSyncParts {
        dirs: dirs.clone(),
        author: author.to_owned(),
        bases: Arc::clone(&bases),
    };
    let (dirs, author) = (dirs.clone(), author.to_owned());
    let handle = watch(&templates, assets.as_deref(), move |events| {
        for event in events {
            let results = apply(&mut store, &dirs, &author, &mut lock(&bases), event);
            for result in results {
                match result {
                    Ok(Some(e)) => on_event(e),
                    Ok(None) => {}
                    Err(e) => on_event(SyncEvent::Problem(Box::new(Diagnostic::library(&e).at(
                        dirs.templates.display().to_string(),
                        None,
                        None,
                    )))),
                }
            }
        }
    })
    .map_err(Error::Format)?;
    Ok(WatchSync {
        _handle: handle,
        dirs: sync.dirs,
        author: sync.author,
        bases: sync.bases,
    })
}

/// What [`WatchSync`] keeps besides the watcher, made before the watcher starts.
struct WatchSyncParts {
    dirs: LibraryDirs,
    author: String,
    bases: Arc<Mutex<FolderBases>>,
}

/// Applies one watch event. `Ok(None)`: looked again, nothing changed.
/// `bases` is what each template folder held when last read; it is updated as folders are
/// stored, merged or written.
pub fn apply(
    store: &mut Store,
    dirs: &LibraryDirs,
    author: &str,
    bases: &mut FolderBases,
    event: WatchEvent,
) -> Vec<Result<Option<SyncEvent>>> {
    match event {
        WatchEvent::TemplateChanged { id, dir } => {
            vec![template_changed(store, author, bases, &id, &dir)]
        }
        WatchEvent::TemplateRemoved { id } => {
            vec![Ok(Some(SyncEvent::Removed { template_id: id }))]
        }
        WatchEvent::BlocksChanged => blocks_changed(store, dirs, author),
        WatchEvent::BrandChanged { id } => brand_changed(store, dirs, author, &id),
        WatchEvent::Rescan => rescan(store, dirs, author, bases),
        WatchEvent::Problem(e) => vec![Ok(Some(SyncEvent::Problem(Box::new(Diagnostic::format(
            &e,
        )))))],
    }
}

/// The OS dropped events: look at everything again — blocks, then brand kits, then every
/// template folder — through the same per-folder steps as single changes, so a folder that is
/// behind the app's edits merges (or conflicts) instead of reverting them. Folders that turn
/// out unchanged are not reported.
fn rescan(
    store: &mut Store,
    dirs: &LibraryDirs,
    author: &str,
    bases: &mut FolderBases,
) -> Vec<Result<Option<SyncEvent>>> {
    let mut out = blocks_changed(store, dirs, author);
    for id in subfolders(&dirs.assets.join("brands")) {
        out.extend(brand_changed(store, dirs, author, &id));
    }
    for id in subfolders(&dirs.templates) {
        if id == BLOCKS_DIR || id == crate::format::TEAM_DIR || id == crate::format::ARCHIVE_DIR {
            continue;
        }
        let dir = dirs.templates.join(&id);
        match template_changed(store, author, bases, &id, &dir) {
            Ok(Some(SyncEvent::Unchanged { .. })) => {}
            other => out.push(other),
        }
    }
    out
}

/// Names of the visible subfolders of `dir`, sorted (none when it cannot be read).
fn subfolders(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    names
}

fn template_changed(
    store: &mut Store,
    author: &str,
    bases: &mut FolderBases,
    id: &str,
    dir: &Path,
) -> Result<Option<SyncEvent>> {
    if !dir.is_dir() {
        return Ok(Some(SyncEvent::Removed {
            template_id: id.to_owned(),
        }));
    }
    let blocks = store.blocks()?;
    let brands = library_brands(store)?;
    let source = match load_template_dir(dir, &blocks, &brands) {
        Ok(source) => source,
        Err(problems) => return Ok(Some(invalid(store, id, &problems))),
    };
    let folder_hash = source.files.content_hash();
    let event = match moved_on(store, bases.get(id), id, &folder_hash)? {
        None => save_from_folder(store, author, dir, &source)?,
        Some((base, latest)) => match merge_files(&base, &latest.files, &source.files) {
            Merge::Clean { files, from_folder } => {
                let merged = parse_template(&files).and_then(|merged| {
                    let problems = check_references(&merged, &blocks, &brands);
                    if problems.is_empty() {
                        Ok(merged)
                    } else {
                        Err(problems)
                    }
                });
                match merged {
                    Ok(merged) => save_merged(store, author, dir, &merged, from_folder, &latest)?,
                    // Each side is fine alone but not together (e.g. a variable renamed on one
                    // side and used on the other): the user has to decide.
                    Err(_) => conflict(dir, &latest, from_folder),
                }
            }
            Merge::Conflict { files } => conflict(dir, &latest, files),
        },
    };
    // After a conflict the base stays: the next edit must not silently drop the folder's side.
    // After a merge the folder holds files the library never stored as such: keep them.
    match &event {
        SyncEvent::Conflict { .. } => {}
        SyncEvent::Merged { .. } => bases.set_files(id, source.files),
        _ => bases.set_stored(id, folder_hash),
    }
    Ok(Some(event))
}

/// When the library's latest version of `id` is neither the folder's base nor the folder's new
/// content, the library moved on since the folder was last read: returns the base's files and
/// the latest version. `None` when there is nothing to merge (no base known, a new template,
/// a base that is neither kept nor a stored version).
fn moved_on(
    store: &Store,
    base: Option<&FolderBase>,
    id: &str,
    folder_hash: &ContentHash,
) -> Result<Option<(TemplateFiles, Version)>> {
    let Some(base) = base else { return Ok(None) };
    let latest = match store.get(id, None) {
        Ok(latest) => latest,
        Err(Error::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    if latest.hash == base.hash || latest.hash == *folder_hash {
        return Ok(None);
    }
    if let Some(files) = &base.files {
        return Ok(Some((files.clone(), latest)));
    }
    let stored = store
        .history(id)?
        .into_iter()
        .rev()
        .find(|v| v.hash == base.hash);
    match stored {
        Some(meta) => Ok(Some((store.get(id, Some(meta.number))?.files, latest))),
        None => Ok(None),
    }
}

fn save_from_folder(
    store: &mut Store,
    author: &str,
    dir: &Path,
    source: &TemplateSource,
) -> Result<SyncEvent> {
    let message = format!("saved in {}", dir.display());
    let id = source.manifest.id.clone();
    Ok(
        match store.write(|w| w.save_template(source, author, &message))? {
            SaveOutcome::Created { version, hash } => SyncEvent::Saved {
                template_id: id,
                version,
                hash,
            },
            SaveOutcome::Unchanged { version, hash } => SyncEvent::Unchanged {
                template_id: id,
                version,
                hash,
            },
        },
    )
}

fn save_merged(
    store: &mut Store,
    author: &str,
    dir: &Path,
    merged: &TemplateSource,
    from_folder: Vec<String>,
    latest: &Version,
) -> Result<SyncEvent> {
    let message = format!(
        "merged {} from {} into v{}",
        from_folder.join(", "),
        dir.display(),
        latest.number
    );
    let id = merged.manifest.id.clone();
    Ok(
        match store.write(|w| w.save_template(merged, author, &message))? {
            SaveOutcome::Created { version, hash } => SyncEvent::Merged {
                template_id: id,
                version,
                hash,
                from_folder,
            },
            SaveOutcome::Unchanged { version, hash } => SyncEvent::Unchanged {
                template_id: id,
                version,
                hash,
            },
        },
    )
}

fn conflict(dir: &Path, latest: &Version, files: Vec<String>) -> SyncEvent {
    SyncEvent::Conflict {
        template_id: latest.template_id.clone(),
        library_version: latest.number,
        files: files
            .iter()
            .map(|f| dir.join(f).display().to_string())
            .collect(),
    }
}

fn invalid(store: &Store, id: &str, problems: &[FormatError]) -> SyncEvent {
    SyncEvent::Invalid {
        template_id: id.to_owned(),
        kept_version: store
            .history(id)
            .ok()
            .and_then(|h| h.last().map(|v| v.number)),
        problems: problems.iter().map(Diagnostic::format).collect(),
    }
}

fn blocks_changed(
    store: &mut Store,
    dirs: &LibraryDirs,
    author: &str,
) -> Vec<Result<Option<SyncEvent>>> {
    let (blocks, problems) = read_blocks_dir(&dirs.templates.join(BLOCKS_DIR));
    let mut out: Vec<Result<Option<SyncEvent>>> = problems
        .iter()
        .map(|p| Ok(Some(SyncEvent::Problem(Box::new(Diagnostic::format(p))))))
        .collect();
    let saved = store.write(|w| {
        let mut saved = Vec::new();
        for block in &blocks {
            if w.save_block(block, author)?.is_created() {
                saved.push(match &block.locale {
                    Some(locale) => format!("{}.{locale}", block.name),
                    None => block.name.clone(),
                });
            }
        }
        Ok(saved)
    });
    out.push(saved.map(|blocks| (!blocks.is_empty()).then_some(SyncEvent::BlocksSaved { blocks })));
    out
}

fn brand_changed(
    store: &mut Store,
    dirs: &LibraryDirs,
    author: &str,
    id: &str,
) -> Vec<Result<Option<SyncEvent>>> {
    let dir = dirs.assets.join("brands").join(id);
    if !dir.is_dir() {
        // The library keeps brands whose folder is gone; templates still need them.
        return vec![Ok(None)];
    }
    let brand = match read_brand_dir(&dir) {
        Ok(brand) => brand,
        Err(problems) => {
            return problems
                .iter()
                .map(|p| Ok(Some(SyncEvent::Problem(Box::new(Diagnostic::format(p))))))
                .collect()
        }
    };
    let (assets, problems) = import_brand_assets(store, dirs, std::slice::from_ref(&brand));
    let mut out: Vec<Result<Option<SyncEvent>>> = problems
        .iter()
        .map(|p| Ok(Some(SyncEvent::Problem(Box::new(Diagnostic::format(p))))))
        .collect();
    let saved = store.write(|w| {
        for (info, bytes, thumb) in &assets {
            w.put_asset(info, bytes, Some(thumb))?;
        }
        w.save_brand(&brand, author)
    });
    out.push(saved.map(|outcome| match outcome {
        SaveOutcome::Created { version, .. } => Some(SyncEvent::BrandSaved {
            brand_id: brand.kit.id.clone(),
            version,
        }),
        SaveOutcome::Unchanged { .. } => None,
    }));
    out
}
