//! Opening a library file: recognise it, refuse one from a newer CCM Studio without touching
//! it, and bring an older one up to date with the embedded migrations.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::{Error, Result};

/// `PRAGMA application_id` of every CCM Studio library ("CCM1").
pub const APPLICATION_ID: i32 = 0x4343_4D31;

/// Migrations in order; migration `n` (1-based) brings the schema to version `n`.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_library.sql"),
    include_str!("../../migrations/0002_identity.sql"),
    include_str!("../../migrations/0003_archive.sql"),
    include_str!("../../migrations/0004_packs.sql"),
    include_str!("../../migrations/0005_evidence.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Writers wait this long for another process's transaction instead of failing at once.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) fn open(path: &Path, create: bool) -> Result<Connection> {
    if !create && !path.exists() {
        return Err(Error::NoLibrary {
            path: path.to_owned(),
        });
    }
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let mut conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Everything up to the version check only reads, so a refused file is left exactly as it was.
    let found = check_identity(&conn, path)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // In WAL mode NORMAL loses at most the last commits on power loss, never consistency.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Search and list read the whole index of a large library; keep it in memory (KiB).
    conn.pragma_update(None, "cache_size", -32_768)?;
    migrate(&mut conn, found)?;
    Ok(conn)
}

pub(crate) fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    conn.pragma_update(None, "foreign_keys", true)?;
    migrate(&mut conn, 0)?;
    Ok(conn)
}

/// Returns the schema version of a file that is (or may become) a CCM Studio library.
fn check_identity(conn: &Connection, path: &Path) -> Result<u32> {
    let not_a_library = |reason: String| Error::NotALibrary {
        path: path.to_owned(),
        reason,
    };
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| not_a_library(e.to_string()))?;
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        if app_id != 0 || tables > 0 {
            return Err(not_a_library(
                "it is an SQLite database made by another program".to_owned(),
            ));
        }
    }
    if version > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            path: path.to_owned(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(version)
}

/// Applies every missing migration, all in one transaction: a crash leaves the old schema.
fn migrate(conn: &mut Connection, found: u32) -> Result<()> {
    if found >= SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another process may have migrated while we waited for the write lock.
    let current: u32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_file_is_migrated_to_the_current_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.sqlite");
        let conn = open(&path, true).unwrap();
        let version: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        let app: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        assert_eq!(app, APPLICATION_ID);
        assert_eq!(mode.to_lowercase(), "wal");
        drop(conn);
        // Opening again must not re-run migrations (they would fail on existing tables).
        open(&path, false).unwrap();
    }

    #[test]
    fn newer_schema_is_refused_and_left_byte_identical() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("future.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE from_the_future (x INTEGER);")
                .unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = open(&path, false).unwrap_err();
        assert!(
            matches!(err, Error::NewerSchema { found, .. } if found == SCHEMA_VERSION + 1),
            "expected NewerSchema, got {err:?}"
        );
        assert_eq!(err.code(), "library_too_new");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "file must not change"
        );
    }

    #[test]
    fn foreign_sqlite_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.sqlite");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE notes (body TEXT);")
            .unwrap();
        let err = open(&path, false).unwrap_err();
        assert_eq!(err.code(), "not_a_library", "{err}");
    }

    #[test]
    fn text_file_is_refused_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "just some text, not a database at all\n".repeat(100)).unwrap();
        let err = open(&path, true).unwrap_err();
        assert_eq!(err.code(), "not_a_library", "{err}");
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("just some text"));
    }

    #[test]
    fn missing_file_without_create_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let err = open(&dir.path().join("none.sqlite"), false).unwrap_err();
        assert_eq!(err.code(), "library_missing");
    }
}
