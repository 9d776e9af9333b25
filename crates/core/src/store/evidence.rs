//! Evidence PDFs kept with their approvals (schema 5): an entry's sequence number and language
//! point to a blob. Making the PDF lives in `ccm-trust`; this module only stores and finds it.

use rusqlite::{params, OptionalExtension};

use super::{Store, Writer};
use crate::error::Result;
use crate::model::ContentHash;

impl Writer<'_> {
    /// Keeps `pdf` as the evidence of approval entry `seq` in `lang`. The first one kept stays:
    /// a second call for the same entry and language changes nothing.
    pub fn keep_evidence(&self, seq: u64, lang: &str, pdf: &[u8]) -> Result<ContentHash> {
        keep(self.conn, seq, lang, pdf)
    }
}

impl Store {
    /// The kept evidence PDF of entry `seq` in `lang`, `None` when none was kept yet.
    pub fn evidence(&self, seq: u64, lang: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT b.bytes FROM archive_evidence e JOIN blobs b ON b.hash = e.sha256
                 WHERE e.seq = ?1 AND e.lang = ?2",
            )?
            .query_row(params![seq as i64, lang], |r| r.get(0))
            .optional()?)
    }

    /// `(lang, sha256)` of every evidence PDF kept for entry `seq` (what `archive verify`
    /// checks: a kept PDF whose bytes no longer hash to its sha256 was changed).
    pub fn evidence_hashes(&self, seq: u64) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT lang, sha256 FROM archive_evidence WHERE seq = ?1 ORDER BY lang",
        )?;
        let rows = stmt.query_map(params![seq as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Like [`Writer::keep_evidence`], through a shared reference: exports read the library
    /// through `&Store` (several connections at once) and keep the PDFs of older approvals as
    /// they make them. One small transaction; SQLite's busy timeout orders concurrent writers.
    pub fn keep_evidence(&self, seq: u64, lang: &str, pdf: &[u8]) -> Result<ContentHash> {
        let tx = self.conn.unchecked_transaction()?;
        let hash = keep(&tx, seq, lang, pdf)?;
        tx.commit()?;
        Ok(hash)
    }
}

fn keep(conn: &rusqlite::Connection, seq: u64, lang: &str, pdf: &[u8]) -> Result<ContentHash> {
    let hash = ContentHash::of_bytes(pdf);
    conn.prepare_cached("INSERT OR IGNORE INTO blobs (hash, size, bytes) VALUES (?1, ?2, ?3)")?
        .execute(params![hash.0, pdf.len() as i64, pdf])?;
    conn.prepare_cached(
        "INSERT OR IGNORE INTO archive_evidence (seq, lang, sha256) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![seq as i64, lang, hash.0])?;
    Ok(hash)
}
