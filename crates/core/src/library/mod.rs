//! Moving templates between folders in the file format and the SQLite library:
//! [`import()`], [`export()`] and the watch-driven [`sync`]; making new ones from a starter or
//! as a copy ([`create_from_starter`], [`create_copy`]); the brand kits as a brand team reviews
//! them ([`brand_overviews`], [`brand_impact`]).

mod blocks;
mod brands;
mod create;
mod diff;
mod duplicate;
mod export;
mod folder_merge;
mod generate;
mod import;
mod new_id;
mod source;
mod starter;
pub mod sync;

use std::path::{Path, PathBuf};

pub use blocks::{block_impact, block_overviews, BlockImpact, BlockOverview};
pub use brands::{brand_impact, brand_overviews, BrandImpact, BrandOverview};
pub use create::{
    brand_choices, create_copy, create_from_starter, create_template, id_status, library_brand,
    usual_industry, BrandChoice, Created, IdStatus,
};
pub use diff::{diff_files, unified, DiffLine, FileDiff, FileStatus, Hunk, LineKind};
pub use duplicate::duplicate;
pub use export::{export, export_template, ExportReport};
pub use folder_merge::{merge_files, FolderBase, FolderBases, Merge};
pub use generate::{generate_library, Generated, BENCH_QUERIES};
pub use import::{import, import_as, ImportCounts, ImportReport, Imported, ItemKind};
pub use new_id::{id_problem, suggest_id, validate_new_id, IdProblem};
pub use source::LibrarySource;
pub use starter::{starter_files, validate_name, StarterOptions, STARTER_LOCALES};

/// The two folders of a library in the file format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryDirs {
    pub templates: PathBuf,
    pub assets: PathBuf,
}

impl LibraryDirs {
    /// `dir` is either a project root holding `templates/` (and `assets/`), or the templates
    /// folder itself, whose assets default to the sibling `assets/` folder. `assets` overrides.
    pub fn resolve(dir: &Path, assets: Option<&Path>) -> LibraryDirs {
        let is_root = dir.join("templates").is_dir() && !dir.join("template.toml").exists();
        let templates = if is_root {
            dir.join("templates")
        } else {
            dir.to_owned()
        };
        let assets = match assets {
            Some(a) => a.to_owned(),
            None if is_root => dir.join("assets"),
            None => sibling_assets(dir),
        };
        LibraryDirs { templates, assets }
    }
}

fn sibling_assets(templates: &Path) -> PathBuf {
    match templates.parent() {
        // `templates` or `x/templates`: the parent is meaningful as written.
        Some(parent) if templates.file_name().is_some() => parent.join("assets"),
        // `.`, `..`, `/`: only the absolute path says where the sibling is.
        _ => std::fs::canonicalize(templates)
            .ok()
            .and_then(|abs| abs.parent().map(|p| p.join("assets")))
            .unwrap_or_else(|| templates.join("..").join("assets")),
    }
}

#[cfg(test)]
mod team_tests;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod resolve_tests {
    use super::*;

    #[test]
    fn project_root_and_templates_folder_resolve_to_the_same_assets() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("templates/_blocks")).unwrap();
        std::fs::create_dir_all(root.join("assets/brands")).unwrap();
        let from_root = LibraryDirs::resolve(root, None);
        assert_eq!(from_root.templates, root.join("templates"));
        assert_eq!(from_root.assets, root.join("assets"));
        let from_templates = LibraryDirs::resolve(&root.join("templates"), None);
        assert_eq!(from_templates, from_root);
        let given = LibraryDirs::resolve(root, Some(Path::new("/elsewhere")));
        assert_eq!(given.assets, Path::new("/elsewhere"));
        assert_eq!(
            LibraryDirs::resolve(Path::new("templates"), None).assets,
            Path::new("assets")
        );
    }
}
