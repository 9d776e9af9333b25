//! The SQLite template library: the source of truth of the app and the CLI.
//!
//! One [`Store`] is one connection to one library file. Reads are plain methods; every change
//! goes through [`Store::write`], which runs the closure in a single `BEGIN IMMEDIATE`
//! transaction, so a save or a whole import is all-or-nothing even if the process is killed.
//! Versions are immutable (triggers refuse UPDATE/DELETE) and identified by content hash.

mod archive;
mod clock;
mod evidence;
mod packs;
mod read;
mod schema;
mod search;
mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use crate::error::Result;
use crate::model::{ContentHash, Purpose, TemplateFiles};

pub use archive::{ArchiveFilter, ArchiveRow, CheckpointRow};
pub use clock::{Clock, FixedClock, SharedClock, SystemClock};
pub use packs::{ImportedApprovalRow, PackImportRow};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use search::SearchHit;
pub use write::Writer;

/// Result of [`Store::save_template_over`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOver {
    Saved(SaveOutcome),
    /// The template moved on since the editor's base version; nothing was stored.
    Moved {
        version: u32,
        hash: ContentHash,
    },
}

/// A connection to one library file.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    clock: SharedClock,
    /// Key fingerprint of the identity working through this connection, recorded on every
    /// version it stores.
    author_key: Option<String>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// Result of saving content that may equal what is already stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SaveOutcome {
    /// A new version was stored.
    Created { version: u32, hash: ContentHash },
    /// The content equals the latest version; nothing was stored.
    Unchanged { version: u32, hash: ContentHash },
}

impl SaveOutcome {
    pub fn version(&self) -> u32 {
        match self {
            SaveOutcome::Created { version, .. } | SaveOutcome::Unchanged { version, .. } => {
                *version
            }
        }
    }
    pub fn hash(&self) -> &ContentHash {
        match self {
            SaveOutcome::Created { hash, .. } | SaveOutcome::Unchanged { hash, .. } => hash,
        }
    }
    pub fn is_created(&self) -> bool {
        matches!(self, SaveOutcome::Created { .. })
    }
}

/// Which templates [`Store::list`] returns; every `Some` field must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub tag: Option<String>,
    pub brand: Option<String>,
    pub industry: Option<String>,
    pub purpose: Option<Purpose>,
}

/// A version without its files, for history views.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionMeta {
    pub template_id: String,
    pub number: u32,
    pub hash: ContentHash,
    pub parent: Option<ContentHash>,
    pub created_at: String,
    pub author: String,
    /// Key fingerprint of the identity that made it, when one was set up.
    pub author_key: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrandSummary {
    pub id: String,
    pub name: String,
    pub latest_version: u32,
    pub latest_hash: ContentHash,
    pub updated_at: String,
}

/// One version of a brand kit, without its files, for the brand view's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrandVersionMeta {
    pub brand_id: String,
    pub number: u32,
    pub hash: ContentHash,
    pub parent: Option<ContentHash>,
    pub created_at: String,
    pub author: String,
}

/// Counts for status bars and `ccm` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub schema_version: u32,
    pub templates: u64,
    pub versions: u64,
    pub blocks: u64,
    pub brands: u64,
    pub assets: u64,
    pub blobs: u64,
    pub blob_bytes: u64,
}

/// Where the library lives unless the user chooses another file:
/// `<platform data dir>/library.sqlite` (e.g. `~/.local/share/ccm-studio/library.sqlite`).
pub fn default_library_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("studio", "ccm", "ccm-studio")
        .map(|dirs| dirs.data_dir().join("library.sqlite"))
}

impl Store {
    /// Opens the library at `path`, creating it (and its folder) if it does not exist.
    pub fn open_or_create(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| crate::error::Error::io(dir, e))?;
        }
        Self::from_conn(schema::open(path, true)?, Some(path))
    }

    /// Opens an existing library; a missing file is [`crate::Error::NoLibrary`].
    pub fn open(path: &Path) -> Result<Store> {
        Self::from_conn(schema::open(path, false)?, Some(path))
    }

    /// A throw-away library, for tests and previews of files that are not imported.
    pub fn in_memory() -> Result<Store> {
        Self::from_conn(schema::open_in_memory()?, None)
    }

    fn from_conn(conn: Connection, path: Option<&Path>) -> Result<Store> {
        Ok(Store {
            conn,
            path: path.map(Path::to_owned),
            clock: Arc::new(SystemClock),
            author_key: None,
        })
    }

    /// Replaces the clock that stamps new versions (tests pin the time with it).
    #[cfg(test)]
    pub(crate) fn with_clock(mut self, clock: SharedClock) -> Store {
        self.clock = clock;
        self
    }

    /// Records `key` (an identity's key fingerprint) as the maker of every version stored from
    /// now on through this connection.
    pub fn set_author_key(&mut self, key: Option<String>) {
        self.author_key = key;
    }

    /// The library file, `None` for an in-memory library.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs `f` in one write transaction; if it returns an error nothing it did is kept.
    pub fn write<T>(&mut self, f: impl FnOnce(&Writer<'_>) -> Result<T>) -> Result<T> {
        let now = self.clock.now_rfc3339();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let writer = Writer::new(&tx, now, self.author_key.clone());
        let value = f(&writer)?;
        drop(writer);
        tx.commit()?;
        Ok(value)
    }

    /// Validates `files` as a template folder and stores them as a new version of the template
    /// named in `template.toml`. Invalid files are [`crate::Error::Invalid`] and store nothing;
    /// content equal to the latest version is [`SaveOutcome::Unchanged`].
    pub fn save_template(
        &mut self,
        files: TemplateFiles,
        author: &str,
        message: &str,
    ) -> Result<(String, SaveOutcome)> {
        let source = crate::format::parse_template(&files).map_err(crate::Error::Invalid)?;
        let id = source.manifest.id.clone();
        let outcome = self.write(|w| w.save_template(&source, author, message))?;
        Ok((id, outcome))
    }

    /// Like [`Store::save_template`], but only while the template's latest version is still
    /// `base` — the version the editor started from. If another writer (the watched folder,
    /// another window, the CLI) stored a version meanwhile, nothing is written and
    /// [`SaveOver::Moved`] names that version. The check and the insert share one
    /// `BEGIN IMMEDIATE` transaction, so no write from another connection can slip between them.
    pub fn save_template_over(
        &mut self,
        files: TemplateFiles,
        base: &ContentHash,
        author: &str,
        message: &str,
    ) -> Result<SaveOver> {
        let source = crate::format::parse_template(&files).map_err(crate::Error::Invalid)?;
        let id = source.manifest.id.clone();
        self.write(|w| match w.latest(&id)? {
            Some((version, hash)) if hash != *base => Ok(SaveOver::Moved { version, hash }),
            _ => Ok(SaveOver::Saved(w.save_template(&source, author, message)?)),
        })
    }

    /// Validates `files` and stores them as version 1 of a new template. If the id in
    /// `template.toml` is already in the library this is [`crate::Error::AlreadyExists`] and
    /// nothing is stored: creating never adds a version to an existing template. The check
    /// and the insert run in one transaction, so two creators racing for an id cannot both win.
    pub fn create_template(
        &mut self,
        files: TemplateFiles,
        author: &str,
        message: &str,
    ) -> Result<(String, SaveOutcome)> {
        let source = crate::format::parse_template(&files).map_err(crate::Error::Invalid)?;
        let id = source.manifest.id.clone();
        let outcome = self.write(|w| w.create_template(&source, author, message))?;
        Ok((id, outcome))
    }

    /// True when a template with this id is in the library.
    pub fn template_exists(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM templates WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// `PRAGMA integrity_check` plus foreign keys; `Ok(vec![])` when the file is sound.
    pub fn check_integrity(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(row);
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        for row in stmt.query_map([], |r| {
            Ok(format!(
                "foreign key: {} row {:?} -> {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?
            ))
        })? {
            problems.push(row?);
        }
        Ok(problems)
    }
}

#[cfg(test)]
mod tests;
