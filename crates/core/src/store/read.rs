//! Read-only queries of [`Store`].

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension, Row};

use super::{BrandSummary, BrandVersionMeta, ListFilter, Stats, Store, VersionMeta};
use crate::error::{Error, Result};
use crate::format::BRAND_FILE;
use crate::model::{
    AssetInfo, Block, Brand, BrandKit, ContentHash, Purpose, TemplateBundle, TemplateFiles,
    TemplateSummary, Version,
};
use crate::team::Roster;

impl Store {
    /// Templates with their latest version, ordered by id.
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<TemplateSummary>> {
        let purpose = filter.purpose.map(|p| match p {
            Purpose::Transactional => "transactional",
            Purpose::Marketing => "marketing",
        });
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, description, tags, industry, purpose, brand, locales,
                    latest_version, latest_hash, updated_at
             FROM templates t
             WHERE (?1 IS NULL OR EXISTS (SELECT 1 FROM template_tags g
                                          WHERE g.template_id = t.id AND g.tag = ?1))
               AND (?2 IS NULL OR brand = ?2)
               AND (?3 IS NULL OR industry = ?3)
               AND (?4 IS NULL OR purpose = ?4)
             ORDER BY id",
        )?;
        let rows = stmt.query_map(
            params![filter.tag, filter.brand, filter.industry, purpose],
            summary_from_row,
        )?;
        rows.map(|r| r?).collect()
    }

    /// Number of templates, without loading them.
    pub fn count_templates(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM templates", [], |r| r.get(0))?;
        Ok(n as u64)
    }

    /// One version of a template: `None` means the latest.
    pub fn get(&self, id: &str, version: Option<u32>) -> Result<Version> {
        let number = match version {
            Some(n) => n,
            None => self.latest_version(id)?,
        };
        let row = self
            .conn
            .prepare_cached(
                "SELECT template_id, number, hash, parent, created_at, author, message, author_key,
                        files
                 FROM versions WHERE template_id = ?1 AND number = ?2",
            )?
            .query_row(params![id, number], |r| {
                Ok((meta_from_row(r)?, r.get::<_, String>(8)?))
            })
            .optional()?;
        let Some((meta, files)) = row else {
            // The template exists (latest_version succeeded or will), the number does not.
            self.latest_version(id)?;
            return Err(Error::NotFound {
                what: "version",
                id: format!("{id}@{number}"),
            });
        };
        let files: BTreeMap<String, String> = serde_json::from_str(&files)
            .map_err(|e| Error::Corrupt(format!("files of {id} version {number}: {e}")))?;
        Ok(Version {
            template_id: meta.template_id,
            number: meta.number,
            hash: meta.hash,
            parent: meta.parent,
            created_at: meta.created_at,
            author: meta.author,
            author_key: meta.author_key,
            message: meta.message,
            files: TemplateFiles(files),
        })
    }

    /// The files of the latest version of every template, ordered by id (for export).
    pub fn latest_files(&self) -> Result<Vec<(String, TemplateFiles)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.id, v.files FROM templates t
             JOIN versions v ON v.template_id = t.id AND v.number = t.latest_version
             ORDER BY t.id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, files) = row?;
            let files: BTreeMap<String, String> = serde_json::from_str(&files)
                .map_err(|e| Error::Corrupt(format!("files of {id}: {e}")))?;
            out.push((id, TemplateFiles(files)));
        }
        Ok(out)
    }

    /// All versions of a template, oldest first, without their files.
    pub fn history(&self, id: &str) -> Result<Vec<VersionMeta>> {
        self.latest_version(id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT template_id, number, hash, parent, created_at, author, message, author_key
             FROM versions WHERE template_id = ?1 ORDER BY number",
        )?;
        let rows = stmt.query_map([id], meta_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Everything a renderer needs for one template version: its parsed source, its brand kit
    /// with files, and the latest shared blocks.
    pub fn bundle(&self, id: &str, version: Option<u32>) -> Result<TemplateBundle> {
        let version = self.get(id, version)?;
        let source = crate::format::parse_template(&version.files).map_err(Error::Invalid)?;
        let brand = self.brand(&source.manifest.brand)?;
        Ok(TemplateBundle {
            template_id: version.template_id,
            version: version.number,
            hash: version.hash,
            source,
            brand,
            blocks: self.blocks()?,
        })
    }

    /// The latest version of every shared block, ordered by name then locale (neutral first).
    pub fn blocks(&self) -> Result<Vec<Block>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT b.name, b.locale, v.content, v.hash
             FROM blocks b JOIN block_versions v
               ON v.name = b.name AND v.locale = b.locale AND v.number = b.latest_version
             ORDER BY b.name, b.locale",
        )?;
        let rows = stmt.query_map([], |r| {
            let locale: String = r.get(1)?;
            Ok(Block {
                name: r.get(0)?,
                locale: (!locale.is_empty()).then_some(locale),
                content: r.get(2)?,
                hash: ContentHash(r.get(3)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn brands(&self) -> Result<Vec<BrandSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, latest_version, latest_hash, updated_at FROM brands ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(BrandSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                latest_version: r.get(2)?,
                latest_hash: ContentHash(r.get(3)?),
                updated_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The latest version of a brand kit with all its files.
    /// The latest team roster (empty when the library has none yet) and its version.
    pub fn team(&self) -> Result<(Roster, Option<u32>)> {
        let row: Option<(u32, String)> = self
            .conn
            .prepare_cached(
                "SELECT number, members FROM team_versions ORDER BY number DESC LIMIT 1",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match row {
            None => Ok((Roster::default(), None)),
            Some((number, json)) => Ok((Roster::from_canonical_json(&json)?, Some(number))),
        }
    }

    pub fn brand(&self, id: &str) -> Result<Brand> {
        let number: u32 = self
            .conn
            .prepare_cached("SELECT latest_version FROM brands WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound {
                what: "brand",
                id: id.to_owned(),
            })?;
        self.brand_version(id, number)
    }

    /// A brand kit as stored in version `number`.
    pub(super) fn brand_version(&self, id: &str, number: u32) -> Result<Brand> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.path, b.bytes FROM brand_version_files f JOIN blobs b ON b.hash = f.blob_hash
             WHERE f.brand_id = ?1 AND f.number = ?2 ORDER BY f.path",
        )?;
        let files = stmt
            .query_map(params![id, number], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<BTreeMap<String, Vec<u8>>>>()?;
        let toml_text = files
            .get(BRAND_FILE)
            .and_then(|b| std::str::from_utf8(b).ok())
            .ok_or_else(|| Error::Corrupt(format!("brand {id} has no readable brand.toml")))?;
        let kit: BrandKit = crate::format::parse_brand_kit(BRAND_FILE, toml_text).map_err(|e| {
            let first = e.first().map(ToString::to_string).unwrap_or_default();
            Error::Corrupt(format!("brand {id}: {first}"))
        })?;
        Ok(Brand { kit, files })
    }

    /// All versions of a brand kit, oldest first, without their files.
    pub fn brand_history(&self, id: &str) -> Result<Vec<BrandVersionMeta>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT brand_id, number, hash, parent, created_at, author
             FROM brand_versions WHERE brand_id = ?1 ORDER BY number",
        )?;
        let history = stmt
            .query_map([id], |r| {
                Ok(BrandVersionMeta {
                    brand_id: r.get(0)?,
                    number: r.get(1)?,
                    hash: ContentHash(r.get(2)?),
                    parent: r.get::<_, Option<String>>(3)?.map(ContentHash),
                    created_at: r.get(4)?,
                    author: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if history.is_empty() {
            return Err(Error::NotFound {
                what: "brand",
                id: id.to_owned(),
            });
        }
        Ok(history)
    }

    /// How many templates name each brand, by brand id; brands no template uses are absent.
    /// One grouped query over the brand index, so the brand view stays quick on a large library.
    pub fn template_counts_by_brand(&self) -> Result<BTreeMap<String, u32>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT brand, count(*) FROM templates GROUP BY brand")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Bytes stored under a content hash.
    pub fn blob(&self, hash: &ContentHash) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .prepare_cached("SELECT bytes FROM blobs WHERE hash = ?1")?
            .query_row([&hash.0], |r| r.get(0))
            .optional()?)
    }

    /// Images known to the library, ordered by path.
    pub fn assets(&self) -> Result<Vec<AssetInfo>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT path, hash, media_type, bytes, width, height FROM assets ORDER BY path",
        )?;
        let rows = stmt.query_map([], asset_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn asset(&self, path: &str) -> Result<AssetInfo> {
        self.conn
            .prepare_cached(
                "SELECT path, hash, media_type, bytes, width, height FROM assets WHERE path = ?1",
            )?
            .query_row([path], asset_from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                what: "asset",
                id: path.to_owned(),
            })
    }

    /// The PNG thumbnail kept for an image asset (e.g. `brands/sakura-bank/logo.png`).
    pub fn thumbnail(&self, asset_path: &str) -> Result<Vec<u8>> {
        let bytes: Option<Vec<u8>> = self
            .conn
            .prepare_cached(
                "SELECT b.bytes FROM assets a JOIN blobs b ON b.hash = a.thumbnail_hash
                 WHERE a.path = ?1",
            )?
            .query_row([asset_path], |r| r.get(0))
            .optional()?;
        bytes.ok_or_else(|| Error::NotFound {
            what: "thumbnail",
            id: asset_path.to_owned(),
        })
    }

    pub fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<u64> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Stats {
            schema_version: self
                .conn
                .pragma_query_value(None, "user_version", |r| r.get(0))?,
            templates: count("SELECT count(*) FROM templates")?,
            versions: count("SELECT count(*) FROM versions")?,
            blocks: count("SELECT count(*) FROM blocks")?,
            brands: count("SELECT count(*) FROM brands")?,
            assets: count("SELECT count(*) FROM assets")?,
            blobs: count("SELECT count(*) FROM blobs")?,
            blob_bytes: count("SELECT coalesce(sum(size), 0) FROM blobs")?,
        })
    }

    fn latest_version(&self, id: &str) -> Result<u32> {
        self.conn
            .prepare_cached("SELECT latest_version FROM templates WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::NotFound {
                what: "template",
                id: id.to_owned(),
            })
    }
}

fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<Result<TemplateSummary>> {
    let id: String = r.get(0)?;
    let tags: String = r.get(3)?;
    let purpose: String = r.get(5)?;
    let locales: String = r.get(7)?;
    let decoded = (|| -> std::result::Result<_, serde_json::Error> {
        Ok((
            serde_json::from_str::<Vec<String>>(&tags)?,
            serde_json::from_value::<Purpose>(serde_json::Value::String(purpose))?,
            serde_json::from_str::<Vec<String>>(&locales)?,
        ))
    })();
    let (tags, purpose, locales) = match decoded {
        Ok(v) => v,
        Err(e) => return Ok(Err(Error::Corrupt(format!("template {id}: {e}")))),
    };
    Ok(Ok(TemplateSummary {
        id,
        name: r.get(1)?,
        description: r.get(2)?,
        tags,
        industry: r.get(4)?,
        purpose,
        brand: r.get(6)?,
        locales,
        latest_version: r.get(8)?,
        latest_hash: ContentHash(r.get(9)?),
        updated_at: r.get(10)?,
    }))
}

fn meta_from_row(r: &Row<'_>) -> rusqlite::Result<VersionMeta> {
    Ok(VersionMeta {
        template_id: r.get(0)?,
        number: r.get(1)?,
        hash: ContentHash(r.get(2)?),
        parent: r.get::<_, Option<String>>(3)?.map(ContentHash),
        created_at: r.get(4)?,
        author: r.get(5)?,
        message: r.get(6)?,
        author_key: r.get(7)?,
    })
}

fn asset_from_row(r: &Row<'_>) -> rusqlite::Result<AssetInfo> {
    Ok(AssetInfo {
        path: r.get(0)?,
        hash: ContentHash(r.get(1)?),
        media_type: r.get(2)?,
        bytes: r.get::<_, i64>(3)? as u64,
        width: r.get(4)?,
        height: r.get(5)?,
    })
}
