//! `ccm export`: the library → a folder in the file format; `ccm new --out`: one template.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::format::{
    block_file_name, find_includes, parse_template, template_file_kind, write_library, write_team,
    TemplateFileKind, BLOCKS_DIR, BRAND_FILE,
};
use crate::model::{Block, Brand, TemplateFiles};
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportReport {
    pub dir: PathBuf,
    pub templates: usize,
    pub blocks: usize,
    pub brands: usize,
    /// Team members written to `templates/_team/`.
    pub team: usize,
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
    let (team, _) = store.team()?;
    write_team(out_dir, &team).map_err(|e| Error::io(out_dir, e))?;
    Ok(ExportReport {
        dir: out_dir.to_owned(),
        templates: templates.len(),
        blocks: blocks.len(),
        brands: brands.len(),
        team: team.len(),
    })
}

/// Writes one template to `out_dir/templates/<id>/` with the same code path as [`export`],
/// plus the shared blocks it includes and its brand kit where `out_dir` does not have them
/// yet, so the folder renders, imports and can be watched on its own. A block or brand file
/// already in `out_dir` is never replaced: it may hold edits not imported yet.
pub fn export_template(
    store: &Store,
    files: &TemplateFiles,
    out_dir: &Path,
) -> Result<ExportReport> {
    let source = parse_template(files).map_err(Error::Invalid)?;
    let included: BTreeSet<String> = source
        .files
        .0
        .iter()
        .filter(|(path, _)| matches!(template_file_kind(path), TemplateFileKind::Channel { .. }))
        .flat_map(|(_, text)| find_includes(text))
        .filter_map(|i| i.block_name().map(str::to_owned))
        .collect();
    let blocks_dir = out_dir.join("templates").join(BLOCKS_DIR);
    let blocks: Vec<Block> = store
        .blocks()?
        .into_iter()
        .filter(|b| included.contains(&b.name))
        .filter(|b| {
            !blocks_dir
                .join(block_file_name(&b.name, b.locale.as_deref()))
                .exists()
        })
        .collect();
    let brand_id = &source.manifest.brand;
    let brands: Vec<Brand> = if out_dir
        .join("assets/brands")
        .join(brand_id)
        .join(BRAND_FILE)
        .exists()
    {
        Vec::new()
    } else {
        vec![store.brand(brand_id)?]
    };
    write_library(out_dir, std::slice::from_ref(files), &blocks, &brands)
        .map_err(|e| Error::io(out_dir, e))?;
    Ok(ExportReport {
        dir: out_dir.to_owned(),
        templates: 1,
        blocks: blocks.len(),
        brands: brands.len(),
        team: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{import, LibraryDirs};

    #[test]
    fn one_template_is_written_with_what_it_needs_and_nothing_is_overwritten() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut store = Store::in_memory().unwrap();
        import(&mut store, &LibraryDirs::resolve(&root, None), "test").unwrap();
        let files = store.get("jp-bank-payment-reminder", None).unwrap().files;

        let out = tempfile::tempdir().unwrap();
        // A block edited in the project and not imported yet must survive.
        let footer = out.path().join("templates/_blocks/legal-footer.ja.md");
        std::fs::create_dir_all(footer.parent().unwrap()).unwrap();
        std::fs::write(&footer, "edited locally\n").unwrap();

        let report = export_template(&store, &files, out.path()).unwrap();
        // no-reply.{ja,en} and legal-footer.en; legal-footer.ja was there.
        assert_eq!((report.templates, report.blocks, report.brands), (1, 3, 1));
        assert_eq!(
            std::fs::read_to_string(&footer).unwrap(),
            "edited locally\n"
        );
        assert!(
            !out.path().join("templates/_blocks/optout.ja.md").exists(),
            "only included blocks"
        );
        assert!(out
            .path()
            .join("assets/brands/sakura-bank/logo.png")
            .is_file());
        assert!(
            !out.path().join("assets/brands/tsubame-mobile").exists(),
            "only its brand"
        );
        let written = crate::format::read_template_dir(
            &out.path().join("templates/jp-bank-payment-reminder"),
        )
        .unwrap();
        assert_eq!(written, files, "the template's files are byte-identical");

        let again = export_template(&store, &files, out.path()).unwrap();
        assert_eq!(
            (again.blocks, again.brands),
            (0, 0),
            "nothing is written twice"
        );
    }
}
