//! `ccm import`: a folder in the file format → the library, in one transaction.

use serde::Serialize;

use super::LibraryDirs;
use crate::assets::{inspect_image, thumbnail_png, AssetError, ImageLimits};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::format::{load_library, FormatError};
use crate::model::{brand_asset_path, AssetInfo, Brand, ContentHash};
use crate::store::{SaveOutcome, Store};

/// Longest side of the thumbnails kept for the library view.
pub const THUMBNAIL_SIDE: u32 = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Template,
    Block,
    Brand,
    /// The team roster (`templates/_team/`).
    Team,
}

/// Something that got a new version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    pub kind: ItemKind,
    /// Template id, brand id, or block `name` / `name.locale`.
    pub id: String,
    pub version: u32,
    pub hash: ContentHash,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub templates: usize,
    pub blocks: usize,
    pub brands: usize,
    /// 1 when the folder's roster equals the library's.
    pub team: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Everything stored as a new version, templates last, each group in id order.
    pub created: Vec<Imported>,
    /// What was already in the library with the same content.
    pub unchanged: ImportCounts,
    /// Images (re)inspected and stored with a thumbnail.
    pub assets: usize,
    /// Files that could not be imported; the rest of the folder was.
    pub problems: Vec<Diagnostic>,
}

impl ImportReport {
    pub fn created_templates(&self) -> usize {
        self.created
            .iter()
            .filter(|i| i.kind == ItemKind::Template)
            .count()
    }
}

/// Imports every valid template, block and brand kit of `dirs` as one transaction: if the
/// process dies half-way the library is exactly as before. Unchanged content creates no
/// version; a bad file is reported in [`ImportReport::problems`] and skipped.
pub fn import(store: &mut Store, dirs: &LibraryDirs, author: &str) -> Result<ImportReport> {
    let message = format!("imported from {}", dirs.templates.display());
    import_as(store, dirs, author, &message)
}

/// [`import`] with the message new versions record: for folders whose path means nothing to
/// the user later, such as the temporary copy of the samples built into the binaries.
pub fn import_as(
    store: &mut Store,
    dirs: &LibraryDirs,
    author: &str,
    message: &str,
) -> Result<ImportReport> {
    let load = load_library(&dirs.templates, &dirs.assets);
    let mut problems: Vec<FormatError> = load.problems;

    // Decode images before taking the write lock.
    let (assets, mut asset_problems) = import_brand_assets(store, dirs, &load.brands);
    problems.append(&mut asset_problems);

    let mut report = store.write(|w| {
        let mut report = ImportReport::default();
        for block in &load.blocks {
            let id = match &block.locale {
                Some(locale) => format!("{}.{locale}", block.name),
                None => block.name.clone(),
            };
            let outcome = w.save_block(block, author)?;
            record(&mut report, ItemKind::Block, id, outcome);
        }
        for brand in &load.brands {
            let outcome = w.save_brand(brand, author)?;
            record(&mut report, ItemKind::Brand, brand.kit.id.clone(), outcome);
        }
        for (info, bytes, thumb) in &assets {
            w.put_asset(info, bytes, Some(thumb))?;
        }
        if let Some(team) = &load.team {
            let outcome = w.save_team(team, author)?;
            record(&mut report, ItemKind::Team, "team".to_owned(), outcome);
        }
        for template in &load.templates {
            let outcome = w.save_template(template, author, message)?;
            record(
                &mut report,
                ItemKind::Template,
                template.manifest.id.clone(),
                outcome,
            );
        }
        Ok(report)
    })?;
    report.assets = assets.len();
    report.problems = problems.iter().map(Diagnostic::format).collect();
    Ok(report)
}

/// An image ready to store: facts, bytes, thumbnail.
pub(crate) type PreparedAsset<'a> = (AssetInfo, &'a [u8], Vec<u8>);

/// Inspects and thumbnails the images of `brands` that the library does not have yet.
pub(crate) fn import_brand_assets<'a>(
    store: &Store,
    dirs: &LibraryDirs,
    brands: &'a [Brand],
) -> (Vec<PreparedAsset<'a>>, Vec<FormatError>) {
    let mut assets = Vec::new();
    let mut problems = Vec::new();
    for brand in brands {
        for (file, bytes) in &brand.files {
            if !is_image(file) {
                continue;
            }
            let path = brand_asset_path(&brand.kit.id, file);
            let known = store.asset(&path).ok().map(|a| a.hash);
            if known == Some(ContentHash::of_bytes(bytes)) {
                continue;
            }
            match inspect_and_thumbnail(&path, bytes) {
                Ok((info, thumb)) => assets.push((info, bytes.as_slice(), thumb)),
                Err(error) => {
                    // AssetError text carries its own hint after a newline.
                    let text = error.to_string();
                    let (message, hint) = text.split_once("\n  hint: ").unwrap_or((
                        &text,
                        "replace it with a PNG, JPEG, GIF or WebP image within the size limits",
                    ));
                    problems.push(FormatError::new(dirs.assets.join(&path), message, hint));
                }
            }
        }
    }
    (assets, problems)
}

fn record(report: &mut ImportReport, kind: ItemKind, id: String, outcome: SaveOutcome) {
    match outcome {
        SaveOutcome::Created { version, hash } => report.created.push(Imported {
            kind,
            id,
            version,
            hash,
        }),
        SaveOutcome::Unchanged { .. } => match kind {
            ItemKind::Template => report.unchanged.templates += 1,
            ItemKind::Block => report.unchanged.blocks += 1,
            ItemKind::Brand => report.unchanged.brands += 1,
            ItemKind::Team => report.unchanged.team += 1,
        },
    }
}

fn is_image(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".gif", ".webp"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

fn inspect_and_thumbnail(path: &str, bytes: &[u8]) -> Result<(AssetInfo, Vec<u8>), AssetError> {
    let info = inspect_image(path, bytes, &ImageLimits::default())?;
    let thumb = thumbnail_png(bytes, THUMBNAIL_SIDE)?;
    Ok((info, thumb))
}

/// The brands a template folder may refer to when checked on its own (watch): those in the
/// library. Logos and layouts are not needed for the check, only the kits.
pub(crate) fn library_brands(store: &Store) -> Result<Vec<Brand>> {
    store.brands()?.iter().map(|b| store.brand(&b.id)).collect()
}
