//! Everything that changes a library, always inside the transaction of [`super::Store::write`].

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::SaveOutcome;
use crate::error::{Error, Result};
use crate::model::{AssetInfo, Block, Brand, ContentHash, TemplateSource};
use crate::team::Roster;

/// Writes within one open transaction. Obtained from [`super::Store::write`].
pub struct Writer<'a> {
    pub(super) conn: &'a Connection,
    pub(super) now: String,
    /// Key fingerprint recorded on every version this writer stores.
    author_key: Option<String>,
}

impl<'a> Writer<'a> {
    pub(super) fn new(conn: &'a Connection, now: String, author_key: Option<String>) -> Self {
        Writer {
            conn,
            now,
            author_key,
        }
    }

    /// The latest version number and hash of a template, `None` when it is not in the library.
    pub fn latest(&self, id: &str) -> Result<Option<(u32, ContentHash)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT latest_version, latest_hash FROM templates WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, ContentHash(r.get(1)?))))
            .optional()?)
    }

    /// Stores `source` as the next version of its template unless the latest version already
    /// has the same content hash. The caller has parsed `source` (that is what validates it).
    pub fn save_template(
        &self,
        source: &TemplateSource,
        author: &str,
        message: &str,
    ) -> Result<SaveOutcome> {
        let manifest = &source.manifest;
        let hash = source.files.content_hash();
        let latest: Option<(u32, String)> = self
            .conn
            .prepare_cached("SELECT latest_version, latest_hash FROM templates WHERE id = ?1")?
            .query_row([&manifest.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some(same) = unchanged(&latest, &hash) {
            return Ok(same);
        }
        let number = latest.as_ref().map_or(1, |(v, _)| v + 1);
        let parent = latest.map(|(_, h)| h);

        let tags = json(&manifest.tags)?;
        let locales = json(&manifest.locales)?;
        let purpose = json(&manifest.purpose)?;
        let purpose = purpose.trim_matches('"');
        let key: i64 = self
            .conn
            .prepare_cached(
                "INSERT INTO templates (id, name, description, tags, industry, purpose, brand,
                                        locales, latest_version, latest_hash, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (id) DO UPDATE SET
                    name = excluded.name, description = excluded.description,
                    tags = excluded.tags, industry = excluded.industry,
                    purpose = excluded.purpose, brand = excluded.brand,
                    locales = excluded.locales, latest_version = excluded.latest_version,
                    latest_hash = excluded.latest_hash, updated_at = excluded.updated_at
                 RETURNING key",
            )?
            .query_row(
                params![
                    manifest.id,
                    manifest.name,
                    manifest.description,
                    tags,
                    manifest.industry,
                    purpose,
                    manifest.brand,
                    locales,
                    number,
                    hash.0,
                    self.now
                ],
                |r| r.get(0),
            )?;

        self.conn
            .prepare_cached("DELETE FROM template_tags WHERE template_id = ?1")?
            .execute([&manifest.id])?;
        let mut add_tag = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO template_tags (template_id, tag) VALUES (?1, ?2)",
        )?;
        for tag in &manifest.tags {
            add_tag.execute([&manifest.id, tag])?;
        }

        self.conn
            .prepare_cached(
                "INSERT INTO versions (template_id, number, hash, parent, created_at, author,
                                       message, files, author_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                manifest.id,
                number,
                hash.0,
                parent,
                self.now,
                author,
                message,
                json(&source.files.0)?,
                self.author_key
            ])?;

        self.conn
            .prepare_cached("DELETE FROM template_search WHERE rowid = ?1")?
            .execute([key])?;
        self.conn
            .prepare_cached(
                "INSERT INTO template_search (rowid, id, name, description, tags, body)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                key,
                indexed(&manifest.id),
                indexed(&manifest.name),
                indexed(&manifest.description),
                indexed(&manifest.tags.join(" ")),
                channel_text(source)
            ])?;

        Ok(SaveOutcome::Created {
            version: number,
            hash,
        })
    }

    /// Stores `source` as version 1 of a new template; an id already in the library is
    /// [`Error::AlreadyExists`] and nothing is written.
    pub fn create_template(
        &self,
        source: &TemplateSource,
        author: &str,
        message: &str,
    ) -> Result<SaveOutcome> {
        let id = &source.manifest.id;
        let taken = self
            .conn
            .prepare_cached("SELECT 1 FROM templates WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some();
        if taken {
            return Err(Error::AlreadyExists {
                what: "template",
                id: id.clone(),
            });
        }
        self.save_template(source, author, message)
    }

    /// Stores a shared block variant unless its latest version has the same hash.
    pub fn save_block(&self, block: &Block, author: &str) -> Result<SaveOutcome> {
        let locale = block.locale.as_deref().unwrap_or("");
        let latest: Option<(u32, String)> = self
            .conn
            .prepare_cached(
                "SELECT latest_version, latest_hash FROM blocks WHERE name = ?1 AND locale = ?2",
            )?
            .query_row([&block.name, locale], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some(same) = unchanged(&latest, &block.hash) {
            return Ok(same);
        }
        let number = latest.as_ref().map_or(1, |(v, _)| v + 1);
        let parent = latest.map(|(_, h)| h);
        self.conn
            .prepare_cached(
                "INSERT INTO blocks (name, locale, latest_version, latest_hash, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (name, locale) DO UPDATE SET
                    latest_version = excluded.latest_version,
                    latest_hash = excluded.latest_hash, updated_at = excluded.updated_at",
            )?
            .execute(params![block.name, locale, number, block.hash.0, self.now])?;
        self.conn
            .prepare_cached(
                "INSERT INTO block_versions (name, locale, number, hash, parent, created_at,
                                             author, content, author_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                block.name,
                locale,
                number,
                block.hash.0,
                parent,
                self.now,
                author,
                block.content,
                self.author_key
            ])?;
        Ok(SaveOutcome::Created {
            version: number,
            hash: block.hash.clone(),
        })
    }

    /// Stores `roster` as the team's next version unless it equals the latest one.
    pub fn save_team(&self, roster: &Roster, author: &str) -> Result<SaveOutcome> {
        let hash = roster.hash();
        let latest: Option<(u32, String)> = self
            .conn
            .prepare_cached("SELECT number, hash FROM team_versions ORDER BY number DESC LIMIT 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some(same) = unchanged(&latest, &hash) {
            return Ok(same);
        }
        let number = latest.map_or(1, |(v, _)| v + 1);
        self.conn
            .prepare_cached(
                "INSERT INTO team_versions (number, hash, created_at, author, author_key, members)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                number,
                hash.0,
                self.now,
                author,
                self.author_key,
                roster.canonical_json()
            ])?;
        Ok(SaveOutcome::Created {
            version: number,
            hash,
        })
    }

    /// Stores a brand kit (all files of its folder) unless its latest version is identical.
    pub fn save_brand(&self, brand: &Brand, author: &str) -> Result<SaveOutcome> {
        let id = &brand.kit.id;
        let hash = brand_hash(&brand.files);
        let latest: Option<(u32, String)> = self
            .conn
            .prepare_cached("SELECT latest_version, latest_hash FROM brands WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some(same) = unchanged(&latest, &hash) {
            return Ok(same);
        }
        let number = latest.as_ref().map_or(1, |(v, _)| v + 1);
        let parent = latest.map(|(_, h)| h);
        self.conn
            .prepare_cached(
                "INSERT INTO brands (id, name, latest_version, latest_hash, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO UPDATE SET
                    name = excluded.name, latest_version = excluded.latest_version,
                    latest_hash = excluded.latest_hash, updated_at = excluded.updated_at",
            )?
            .execute(params![id, brand.kit.name, number, hash.0, self.now])?;
        self.conn
            .prepare_cached(
                "INSERT INTO brand_versions (brand_id, number, hash, parent, created_at, author,
                                             author_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                id,
                number,
                hash.0,
                parent,
                self.now,
                author,
                self.author_key
            ])?;
        let mut add_file = self.conn.prepare_cached(
            "INSERT INTO brand_version_files (brand_id, number, path, blob_hash)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (path, bytes) in &brand.files {
            let blob = self.put_blob(bytes)?;
            add_file.execute(params![id, number, path, blob.0])?;
        }
        Ok(SaveOutcome::Created {
            version: number,
            hash,
        })
    }

    /// Stores bytes content-addressed; storing the same bytes twice keeps one copy.
    pub fn put_blob(&self, bytes: &[u8]) -> Result<ContentHash> {
        let hash = ContentHash::of_bytes(bytes);
        self.conn
            .prepare_cached("INSERT OR IGNORE INTO blobs (hash, size, bytes) VALUES (?1, ?2, ?3)")?
            .execute(params![hash.0, bytes.len() as i64, bytes])?;
        Ok(hash)
    }

    /// Records an image known to the library (its bytes and an optional PNG thumbnail).
    pub fn put_asset(
        &self,
        info: &AssetInfo,
        bytes: &[u8],
        thumbnail: Option<&[u8]>,
    ) -> Result<()> {
        let hash = self.put_blob(bytes)?;
        if hash != info.hash {
            return Err(Error::Corrupt(format!(
                "asset {} was described with hash {} but its bytes hash to {}",
                info.path, info.hash, hash
            )));
        }
        let thumb = thumbnail.map(|t| self.put_blob(t)).transpose()?;
        self.conn
            .prepare_cached(
                "INSERT INTO assets (path, hash, media_type, bytes, width, height, thumbnail_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (path) DO UPDATE SET
                    hash = excluded.hash, media_type = excluded.media_type,
                    bytes = excluded.bytes, width = excluded.width, height = excluded.height,
                    thumbnail_hash = excluded.thumbnail_hash",
            )?
            .execute(params![
                info.path,
                info.hash.0,
                info.media_type,
                info.bytes as i64,
                info.width,
                info.height,
                thumb.map(|t| t.0)
            ])?;
        Ok(())
    }
}

/// `Unchanged` when the latest stored version (number, hash) already has `hash`: saving the
/// same content twice makes no new version, whatever is being saved.
fn unchanged(latest: &Option<(u32, String)>, hash: &ContentHash) -> Option<SaveOutcome> {
    latest
        .as_ref()
        .filter(|(_, latest_hash)| *latest_hash == hash.0)
        .map(|(version, _)| SaveOutcome::Unchanged {
            version: *version,
            hash: hash.clone(),
        })
}

/// sha256 over a brand folder, with the same canonical encoding as
/// [`crate::model::TemplateFiles::content_hash`]: `path NUL byte-length NUL bytes` in path order.
pub fn brand_hash(files: &BTreeMap<String, Vec<u8>>) -> ContentHash {
    let mut h = Sha256::new();
    for (path, bytes) in files {
        h.update(path.as_bytes());
        h.update([0]);
        h.update(bytes.len().to_string().as_bytes());
        h.update([0]);
        h.update(bytes);
    }
    ContentHash(hex::encode(h.finalize()))
}

/// The text search covers: every channel file of the version (not the manifest, not personas).
fn channel_text(source: &TemplateSource) -> String {
    let mut body = String::new();
    for (path, text) in &source.files.0 {
        if path == "template.toml" || path.starts_with("data/") {
            continue;
        }
        body.push_str(text);
        body.push('\n');
    }
    body.push_str(SEARCH_SENTINEL);
    body
}

/// Appended to every indexed value so a one- or two-character term at its very end still has
/// trigrams starting with it (see `store::search`).
pub(super) const SEARCH_SENTINEL: &str = "  ";

fn indexed(value: &str) -> String {
    format!("{value}{SEARCH_SENTINEL}")
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Corrupt(e.to_string()))
}
