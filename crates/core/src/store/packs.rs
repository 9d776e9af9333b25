//! Rows of imported packs (schema 4): which signed pack an approval came from. This module only
//! stores and finds rows; reading, checking and importing a pack live in `ccm-pack`, which
//! verifies every signature and hash before anything here is written.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{Store, Writer};
use crate::error::Result;

/// One imported pack, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackImportRow {
    pub pack_id: String,
    pub brand: String,
    pub sequence: u64,
    pub signer_key: String,
    pub signer_name: String,
    pub created_at: String,
    pub archive_size: u64,
    pub archive_root: String,
    pub checkpoint: String,
    pub pack_sha256: String,
    /// Set by the library when the row is written.
    pub imported_at: String,
}

/// One approval as it arrived in a pack: the approver's signed entry, kept byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedApprovalRow {
    pub pack_id: String,
    pub template_id: String,
    /// This library's number for the imported version.
    pub version: u32,
    pub version_hash: String,
    pub entry_seq: u64,
    pub entry_hash: String,
    pub entry_body: String,
    pub entry_signature: String,
    pub manifest_sha256: String,
    pub approver_key: String,
    pub approver_name: String,
    pub approved_at: String,
}

impl Writer<'_> {
    /// Records an imported pack; `imported_at` is this transaction's time.
    pub fn record_pack_import(&self, p: &PackImportRow) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO pack_imports (pack_id, brand, sequence, signer_key, signer_name,
                     created_at, archive_size, archive_root, checkpoint, pack_sha256, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                p.pack_id,
                p.brand,
                p.sequence as i64,
                p.signer_key,
                p.signer_name,
                p.created_at,
                p.archive_size as i64,
                p.archive_root,
                p.checkpoint,
                p.pack_sha256,
                self.now
            ])?;
        Ok(())
    }

    pub fn record_imported_approval(&self, a: &ImportedApprovalRow) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO pack_approvals (pack_id, template_id, version, version_hash,
                     entry_seq, entry_hash, entry_body, entry_signature, manifest_sha256,
                     approver_key, approver_name, approved_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                a.pack_id,
                a.template_id,
                a.version,
                a.version_hash,
                a.entry_seq as i64,
                a.entry_hash,
                a.entry_body,
                a.entry_signature,
                a.manifest_sha256,
                a.approver_key,
                a.approver_name,
                a.approved_at
            ])?;
        Ok(())
    }

    /// The newest sequence number imported for `brand`, read inside the write transaction so
    /// two imports racing cannot both pass the rollback check.
    pub fn last_pack_sequence(&self, brand: &str) -> Result<Option<u64>> {
        last_sequence(self.conn, brand)
    }
}

fn last_sequence(conn: &rusqlite::Connection, brand: &str) -> Result<Option<u64>> {
    let max: Option<i64> = conn
        .prepare_cached("SELECT max(sequence) FROM pack_imports WHERE brand = ?1")?
        .query_row([brand], |r| r.get(0))?;
    Ok(max.map(|m| m as u64))
}

const IMPORT_COLUMNS: &str = "pack_id, brand, sequence, signer_key, signer_name, created_at, \
                              archive_size, archive_root, checkpoint, pack_sha256, imported_at";

fn import_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PackImportRow> {
    Ok(PackImportRow {
        pack_id: r.get(0)?,
        brand: r.get(1)?,
        sequence: r.get::<_, i64>(2)? as u64,
        signer_key: r.get(3)?,
        signer_name: r.get(4)?,
        created_at: r.get(5)?,
        archive_size: r.get::<_, i64>(6)? as u64,
        archive_root: r.get(7)?,
        checkpoint: r.get(8)?,
        pack_sha256: r.get(9)?,
        imported_at: r.get(10)?,
    })
}

impl Store {
    /// The newest sequence number imported for `brand` (`None`: no pack of it yet).
    pub fn last_pack_sequence(&self, brand: &str) -> Result<Option<u64>> {
        last_sequence(&self.conn, brand)
    }

    pub fn pack_import(&self, pack_id: &str) -> Result<Option<PackImportRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {IMPORT_COLUMNS} FROM pack_imports WHERE pack_id = ?1"
            ))?
            .query_row([pack_id], import_row)
            .optional()?)
    }

    /// Every imported pack, oldest import first.
    pub fn pack_imports(&self) -> Result<Vec<PackImportRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {IMPORT_COLUMNS} FROM pack_imports ORDER BY rowid"
        ))?;
        let rows = stmt.query_map([], import_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The approvals imported for `template_id`, oldest import first.
    pub fn imported_approvals_for(&self, template_id: &str) -> Result<Vec<ImportedApprovalRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT pack_id, template_id, version, version_hash, entry_seq, entry_hash,
                    entry_body, entry_signature, manifest_sha256, approver_key, approver_name,
                    approved_at
             FROM pack_approvals WHERE template_id = ?1 ORDER BY rowid",
        )?;
        let rows = stmt.query_map([template_id], |r| {
            Ok(ImportedApprovalRow {
                pack_id: r.get(0)?,
                template_id: r.get(1)?,
                version: r.get(2)?,
                version_hash: r.get(3)?,
                entry_seq: r.get::<_, i64>(4)? as u64,
                entry_hash: r.get(5)?,
                entry_body: r.get(6)?,
                entry_signature: r.get(7)?,
                manifest_sha256: r.get(8)?,
                approver_key: r.get(9)?,
                approver_name: r.get(10)?,
                approved_at: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
