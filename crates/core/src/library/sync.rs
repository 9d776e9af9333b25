//! Keeping the library in step with a folder while people edit it (`ccm watch`, the app).
//!
//! [`crate::watch::watch`] says *what* may have changed; this module re-reads exactly that
//! (one template folder, the blocks, or one brand), validates it, and stores a new version
//! only when it is valid and different. A half-written or broken file is reported with file,
//! line and column, and the last good version stays the latest.

use std::path::Path;

use serde::Serialize;

use super::import::{import_brand_assets, library_brands};
use super::{import, ImportReport, LibraryDirs, Problem};
use crate::error::{Error, Result};
use crate::format::{load_template_dir, read_blocks_dir, read_brand_dir, BLOCKS_DIR};
use crate::model::ContentHash;
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
    /// A template folder changed but is not valid; the library keeps `kept_version`.
    Invalid {
        template_id: String,
        kept_version: Option<u32>,
        problems: Vec<Problem>,
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
    Problem(Problem),
    /// The whole folder was re-imported (after the OS dropped events).
    Rescanned {
        report: ImportReport,
    },
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
                    write!(f, "\nerror: {p}")?;
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
            SyncEvent::Problem(p) => write!(f, "error: {p}"),
            SyncEvent::Rescanned { report } => write!(
                f,
                "re-read the whole folder: {} new versions, {} problems",
                report.created.len(),
                report.problems.len()
            ),
        }
    }
}

/// A running sync; dropping it stops watching.
pub struct WatchSync {
    _handle: WatchHandle,
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
    let assets = dirs.assets.is_dir().then(|| dirs.assets.clone());
    let templates = dirs.templates.clone();
    let dirs = dirs.clone();
    let author = author.to_owned();
    let handle = watch(&templates, assets.as_deref(), move |events| {
        for event in events {
            for result in apply(&mut store, &dirs, &author, event) {
                match result {
                    Ok(Some(e)) => on_event(e),
                    Ok(None) => {}
                    Err(e) => on_event(SyncEvent::Problem(Problem {
                        file: dirs.templates.display().to_string(),
                        line: None,
                        column: None,
                        message: e.to_string(),
                        hint: e.hint(),
                    })),
                }
            }
        }
    })
    .map_err(Error::Format)?;
    Ok(WatchSync { _handle: handle })
}

/// Applies one watch event. `Ok(None)`: looked again, nothing changed.
pub fn apply(
    store: &mut Store,
    dirs: &LibraryDirs,
    author: &str,
    event: WatchEvent,
) -> Vec<Result<Option<SyncEvent>>> {
    match event {
        WatchEvent::TemplateChanged { id, dir } => vec![template_changed(store, author, &id, &dir)],
        WatchEvent::TemplateRemoved { id } => {
            vec![Ok(Some(SyncEvent::Removed { template_id: id }))]
        }
        WatchEvent::BlocksChanged => blocks_changed(store, dirs, author),
        WatchEvent::BrandChanged { id } => brand_changed(store, dirs, author, &id),
        WatchEvent::Rescan => {
            vec![import(store, dirs, author).map(|report| Some(SyncEvent::Rescanned { report }))]
        }
        WatchEvent::Problem(e) => vec![Ok(Some(SyncEvent::Problem(Problem::from(&e))))],
    }
}

fn template_changed(
    store: &mut Store,
    author: &str,
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
    match load_template_dir(dir, &blocks, &brands) {
        Ok(source) => {
            let message = format!("saved in {}", dir.display());
            match store.write(|w| w.save_template(&source, author, &message))? {
                SaveOutcome::Created { version, hash } => Ok(Some(SyncEvent::Saved {
                    template_id: source.manifest.id,
                    version,
                    hash,
                })),
                SaveOutcome::Unchanged { version, hash } => Ok(Some(SyncEvent::Unchanged {
                    template_id: source.manifest.id,
                    version,
                    hash,
                })),
            }
        }
        Err(problems) => Ok(Some(SyncEvent::Invalid {
            template_id: id.to_owned(),
            kept_version: store
                .history(id)
                .ok()
                .and_then(|h| h.last().map(|v| v.number)),
            problems: problems.iter().map(Problem::from).collect(),
        })),
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
        .map(|p| Ok(Some(SyncEvent::Problem(Problem::from(p)))))
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
                .map(|p| Ok(Some(SyncEvent::Problem(Problem::from(p)))))
                .collect()
        }
    };
    let (assets, problems) = import_brand_assets(store, dirs, std::slice::from_ref(&brand));
    let mut out: Vec<Result<Option<SyncEvent>>> = problems
        .iter()
        .map(|p| Ok(Some(SyncEvent::Problem(Problem::from(p)))))
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
