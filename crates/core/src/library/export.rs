//! `ccm export`: the library → a folder in the file format.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::format::write_library;
use crate::model::TemplateFiles;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportReport {
    pub dir: PathBuf,
    pub templates: usize,
    pub blocks: usize,
    pub brands: usize,
}

/// Writes the latest version of every template, block and brand kit to
/// `out_dir/templates/…` and `out_dir/assets/brands/…`, each file with exactly the bytes that
/// were imported or saved: exporting twice gives identical files, and importing the export
/// creates no version.
pub fn export(store: &Store, out_dir: &Path) -> Result<ExportReport> {
    let templates: Vec<TemplateFiles> = store
        .latest_files()?
        .into_iter()
        .map(|(_, files)| files)
        .collect();
    let blocks = store.blocks()?;
    let brands = super::import::library_brands(store)?;
    write_library(out_dir, &templates, &blocks, &brands).map_err(|e| Error::io(out_dir, e))?;
    Ok(ExportReport {
        dir: out_dir.to_owned(),
        templates: templates.len(),
        blocks: blocks.len(),
        brands: brands.len(),
    })
}
