//! The sample library compiled into the binary: every file of `templates/` and
//! `assets/brands/`, imported into a library the way `ccm import DIR` imports a folder.

use std::io;
use std::path::{Component, Path};

use ccm_core::library::{import_as, ImportReport, LibraryDirs};
use ccm_core::store::Store;

use crate::generated::SAMPLES;

/// The bundled sample files (path relative to the repository root, bytes).
pub fn files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    SAMPLES.iter().map(|f| (f.path, f.bytes))
}

/// Writes the sample library into `dest` (`dest/templates/…`, `dest/assets/brands/…`) and
/// returns the folders to import from. Existing files are overwritten.
pub fn write_to(dest: &Path) -> io::Result<LibraryDirs> {
    for (path, bytes) in files() {
        // The paths were produced by our build script from the tree; still never write
        // outside `dest`.
        let rel = Path::new(path);
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("bundled path {path} is not relative"),
            ));
        }
        let target = dest.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, bytes)?;
    }
    Ok(LibraryDirs {
        templates: dest.join("templates"),
        assets: dest.join("assets"),
    })
}

/// Imports the bundled sample library into `store` (one transaction, like `ccm import`): the
/// files are written to a temporary folder that is removed afterwards. Unchanged content makes
/// no new version, so importing twice is harmless.
pub fn import_into(store: &mut Store, author: &str) -> ccm_core::Result<ImportReport> {
    let tmp = tempfile::Builder::new()
        .prefix("ccm-studio-samples-")
        .tempdir()
        .map_err(|e| ccm_core::Error::io(std::env::temp_dir(), e))?;
    let dirs = write_to(tmp.path()).map_err(|e| ccm_core::Error::io(tmp.path(), e))?;
    // The history says where the versions came from, not the temporary folder's name.
    let message = format!(
        "imported from the sample library built into CCM Studio {}",
        crate::build::VERSION_LINE
    );
    import_as(store, &dirs, author, &message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccm_core::library::ItemKind;

    #[test]
    fn every_sample_file_of_the_tree_is_bundled() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let bundled: Vec<&str> = files().map(|(p, _)| p).collect();
        for dir in ["templates", "assets/brands"] {
            let mut stack = vec![root.join(dir)];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).unwrap().flatten() {
                    let p = e.path();
                    if p.file_name().unwrap().to_string_lossy().starts_with('.') {
                        continue;
                    }
                    if p.is_dir() {
                        stack.push(p);
                    } else {
                        let rel = p
                            .strip_prefix(&root)
                            .unwrap()
                            .to_string_lossy()
                            .replace('\\', "/");
                        assert!(bundled.contains(&rel.as_str()), "{rel} is bundled");
                    }
                }
            }
        }
    }

    #[test]
    fn the_bundled_samples_fill_an_empty_library() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_or_create(&dir.path().join("library.sqlite")).unwrap();
        let report = import_into(&mut store, "samples").unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert!(
            report.created_templates() >= 12,
            "the sample templates: {}",
            report.created_templates()
        );
        assert_eq!(
            store.count_templates().unwrap() as usize,
            report.created_templates()
        );
        assert!(report.assets > 0, "brand images are bundled too");

        let first = &report
            .created
            .iter()
            .find(|i| i.kind == ItemKind::Template)
            .unwrap()
            .id;
        let history = store.history(first).unwrap();
        assert!(
            history[0]
                .message
                .starts_with("imported from the sample library built into CCM Studio"),
            "{:?}",
            history[0].message
        );

        let again = import_into(&mut store, "samples").unwrap();
        assert!(again.created.is_empty(), "a second import adds no versions");
    }
}
