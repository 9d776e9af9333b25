//! Rows of the tamper-evident archive (schema 3). This module only stores and finds rows; what
//! an entry means, how it is signed and how the log is verified live in `ccm-trust`, which
//! never trusts these rows without checking them.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::{Store, Writer};
use crate::error::Result;

/// One archive entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchiveRow {
    pub seq: u64,
    pub hash: String,
    /// Canonical JSON, exactly the bytes signed.
    pub body: String,
    pub signature: String,
    pub kind: String,
    pub template_id: String,
    pub version: u32,
    pub brand: String,
    pub actor_key: String,
    pub actor_name: String,
    pub at: String,
    /// Space-separated with a leading and trailing space (`" email sms "`), so `LIKE '% sms %'`
    /// finds one channel.
    pub channels: String,
    pub rule_packs: String,
}

/// A stored signed head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckpointRow {
    pub size: u64,
    pub root: String,
    pub note: String,
}

/// Which entries [`Store::archive_search`] returns; every `Some` field must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveFilter {
    /// Inclusive lower bound on `at` (RFC 3339 prefix, e.g. `2026-12-01`).
    pub from: Option<String>,
    /// Inclusive upper bound on `at`; a date alone means the whole day.
    pub to: Option<String>,
    pub template_id: Option<String>,
    pub brand: Option<String>,
    pub channel: Option<String>,
    /// Key fingerprint or (part of) the name of the person who made the entry.
    pub actor: Option<String>,
    pub kind: Option<String>,
    /// Rule-pack id (`jp-tokutei-email`) or `id@sha8`.
    pub rule_pack: Option<String>,
}

const COLUMNS: &str = "seq, hash, body, signature, kind, template_id, version, brand, actor_key, \
                       actor_name, at, channels, rule_packs";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ArchiveRow> {
    Ok(ArchiveRow {
        seq: r.get::<_, i64>(0)? as u64,
        hash: r.get(1)?,
        body: r.get(2)?,
        signature: r.get(3)?,
        kind: r.get(4)?,
        template_id: r.get(5)?,
        version: r.get(6)?,
        brand: r.get(7)?,
        actor_key: r.get(8)?,
        actor_name: r.get(9)?,
        at: r.get(10)?,
        channels: r.get(11)?,
        rule_packs: r.get(12)?,
    })
}

impl Writer<'_> {
    /// Appends `entry`; its `seq` must be the next one (the caller built `prev` from the head
    /// it read inside this same transaction).
    pub fn append_archive_entry(&self, e: &ArchiveRow) -> Result<()> {
        self.conn
            .prepare_cached(&format!(
                "INSERT INTO archive_entries ({COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ))?
            .execute(params![
                e.seq as i64,
                e.hash,
                e.body,
                e.signature,
                e.kind,
                e.template_id,
                e.version,
                e.brand,
                e.actor_key,
                e.actor_name,
                e.at,
                e.channels,
                e.rule_packs
            ])?;
        let mut tag = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO archive_tags (tag, seq) VALUES (?1, ?2)")?;
        for c in e.channels.split_whitespace() {
            tag.execute(params![format!("channel:{c}"), e.seq as i64])?;
        }
        for p in e.rule_packs.split_whitespace() {
            tag.execute(params![format!("pack:{p}"), e.seq as i64])?;
            if let Some((id, _)) = p.split_once('@') {
                tag.execute(params![format!("pack:{id}"), e.seq as i64])?;
            }
        }
        Ok(())
    }

    pub fn append_checkpoint(&self, c: &CheckpointRow) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO archive_checkpoints (size, root, note) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![c.size as i64, c.root, c.note])?;
        Ok(())
    }

    /// The last entry, read inside the write transaction so no other writer can append between
    /// reading the head and appending after it.
    pub fn archive_head(&self) -> Result<Option<(u64, String)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT seq, hash FROM archive_entries ORDER BY seq DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
            .optional()?)
    }

    /// The current time of this transaction (RFC 3339, UTC), as stamped on versions.
    pub fn now(&self) -> &str {
        &self.now
    }
}

impl Store {
    /// Every entry in sequence order (verification reads them all).
    pub fn archive_rows(&self) -> Result<Vec<ArchiveRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM archive_entries ORDER BY seq"
        ))?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The entries of one template, oldest first.
    pub fn archive_rows_for(&self, template_id: &str) -> Result<Vec<ArchiveRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM archive_entries WHERE template_id = ?1 ORDER BY seq"
        ))?;
        let rows = stmt.query_map([template_id], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn archive_row(&self, seq: u64) -> Result<Option<ArchiveRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM archive_entries WHERE seq = ?1"
            ))?
            .query_row([seq as i64], row)
            .optional()?)
    }

    /// The entry whose hash starts with `prefix` (at least 8 hex digits), if exactly one does.
    pub fn archive_row_by_hash(&self, prefix: &str) -> Result<Vec<ArchiveRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM archive_entries WHERE hash >= ?1 AND hash < ?1 || 'g' ORDER BY seq LIMIT 2"
        ))?;
        let rows = stmt.query_map([prefix.to_ascii_lowercase()], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn archive_len(&self) -> Result<u64> {
        Ok(self
            .conn
            .prepare_cached("SELECT count(*) FROM archive_entries")?
            .query_row([], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Entries matching `filter`, newest first, at most `limit`.
    pub fn archive_search(&self, filter: &ArchiveFilter, limit: u32) -> Result<Vec<ArchiveRow>> {
        let mut sql = format!("SELECT {COLUMNS} FROM archive_entries WHERE 1 = 1");
        let mut args: Vec<String> = Vec::new();
        let mut bind = |sql: &mut String, clause: &str, value: String| {
            args.push(value);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(from) = &filter.from {
            bind(&mut sql, " AND at >= ?", from.clone());
        }
        if let Some(to) = &filter.to {
            // `2026-12-31` must include that whole day: compare against the next character.
            bind(&mut sql, " AND at < ?", format!("{to}\u{10FFFF}"));
        }
        if let Some(t) = &filter.template_id {
            bind(&mut sql, " AND template_id = ?", t.clone());
        }
        if let Some(b) = &filter.brand {
            bind(&mut sql, " AND brand = ?", b.clone());
        }
        if let Some(c) = &filter.channel {
            bind(
                &mut sql,
                " AND seq IN (SELECT seq FROM archive_tags WHERE tag = ?)",
                format!("channel:{c}"),
            );
        }
        if let Some(k) = &filter.kind {
            bind(&mut sql, " AND kind = ?", k.clone());
        }
        if let Some(a) = &filter.actor {
            let is_key = a.len() == 16 && a.chars().all(|c| c.is_ascii_hexdigit());
            if is_key {
                bind(&mut sql, " AND actor_key = ?", a.to_ascii_uppercase());
            } else {
                bind(&mut sql, " AND actor_name LIKE ?", format!("%{a}%"));
            }
        }
        if let Some(p) = &filter.rule_pack {
            bind(
                &mut sql,
                " AND seq IN (SELECT seq FROM archive_tags WHERE tag = ?)",
                format!("pack:{p}"),
            );
        }
        sql.push_str(&format!(" ORDER BY at DESC, seq DESC LIMIT {limit}"));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn archive_checkpoints(&self) -> Result<Vec<CheckpointRow>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT size, root, note FROM archive_checkpoints ORDER BY size")?;
        let rows = stmt.query_map([], |r| {
            Ok(CheckpointRow {
                size: r.get::<_, i64>(0)? as u64,
                root: r.get(1)?,
                note: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Key fingerprints of whoever made versions `after+1 ..= upto` of a template (a version
    /// made without an identity counts as `None`).
    pub fn version_author_keys(
        &self,
        template_id: &str,
        after: u32,
        upto: u32,
    ) -> Result<Vec<Option<String>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT author_key FROM versions WHERE template_id = ?1 AND number > ?2 AND number <= ?3
             ORDER BY number",
        )?;
        let rows = stmt.query_map(params![template_id, after, upto], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Key fingerprints of whoever changed the named blocks or the brand kit after `since`
    /// (RFC 3339): edits to what a template includes are edits to the template.
    pub fn shared_input_author_keys(
        &self,
        blocks: &[String],
        brand: &str,
        since: &str,
    ) -> Result<Vec<Option<String>>> {
        let mut keys = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT author_key FROM block_versions WHERE name = ?1 AND created_at > ?2",
        )?;
        for name in blocks {
            let rows = stmt.query_map(params![name, since], |r| r.get(0))?;
            keys.extend(rows.collect::<rusqlite::Result<Vec<Option<String>>>>()?);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT author_key FROM brand_versions WHERE brand_id = ?1 AND created_at > ?2",
        )?;
        let rows = stmt.query_map(params![brand, since], |r| r.get(0))?;
        keys.extend(rows.collect::<rusqlite::Result<Vec<Option<String>>>>()?);
        Ok(keys)
    }

    /// The latest brand kit version number and hash.
    pub fn brand_latest(&self, id: &str) -> Result<Option<(u32, String)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT latest_version, latest_hash FROM brands WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// The roster as it was in team version `number`.
    pub fn team_version(&self, number: u32) -> Result<Option<crate::team::Roster>> {
        let json: Option<String> = self
            .conn
            .prepare_cached("SELECT members FROM team_versions WHERE number = ?1")?
            .query_row([number], |r| r.get(0))
            .optional()?;
        json.map(|j| crate::team::Roster::from_canonical_json(&j))
            .transpose()
    }
}

impl Writer<'_> {
    /// Every entry hash in sequence order: the leaves of the archive's Merkle tree.
    pub fn archive_hashes(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT hash FROM archive_entries ORDER BY seq")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Store {
    /// A brand kit as it was in version `number` (re-rendering an archived approval).
    pub fn brand_at(&self, id: &str, number: u32) -> Result<crate::model::Brand> {
        self.brand_version(id, number)
    }

    /// The content of a block version with this hash, if the library has it.
    pub fn block_by_hash(
        &self,
        name: &str,
        locale: &str,
        sha256: &str,
    ) -> Result<Option<crate::model::Block>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT content, hash FROM block_versions WHERE name = ?1 AND locale = ?2 ORDER BY number DESC",
        )?;
        let rows = stmt.query_map(params![name, locale], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (content, hash) = row?;
            let digest = crate::model::ContentHash::of_bytes(content.as_bytes());
            if digest.0 == sha256 {
                return Ok(Some(crate::model::Block {
                    name: name.to_owned(),
                    locale: (!locale.is_empty()).then(|| locale.to_owned()),
                    content,
                    hash: crate::model::ContentHash(hash),
                }));
            }
        }
        Ok(None)
    }

    /// Every roster version, oldest first (who was on the team, with which role, ever).
    pub fn team_history(&self) -> Result<Vec<crate::team::Roster>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT members FROM team_versions ORDER BY number")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.map(|j| crate::team::Roster::from_canonical_json(&j?))
            .collect()
    }

    /// sha256 of each distinct blob equals its key (verification of stored renditions).
    pub fn blob_is_intact(&self, hash: &str) -> Result<Option<bool>> {
        Ok(self
            .blob(&crate::model::ContentHash(hash.to_owned()))?
            .map(|b| crate::model::ContentHash::of_bytes(&b).0 == hash))
    }
}

impl Store {
    /// The number this library gives the version of `id` with content hash `hash` (the newest
    /// one when a revert made the same content twice).
    pub fn version_number_by_hash(&self, id: &str, hash: &str) -> Result<Option<u32>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT max(number) FROM versions WHERE template_id = ?1 AND hash = ?2",
            )?
            .query_row(params![id, hash], |r| r.get(0))?)
    }
}
