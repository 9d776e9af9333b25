//! Edits from two sides: the watched folder (any text editor) and the library (the app).
//!
//! The sync remembers what each template folder held when it last looked (its *base*). When a
//! folder changes while the library got a newer version from elsewhere since that base, the
//! folder's edit must not simply become the newest version: it was made on the older text and
//! would undo the app's changes. Instead the two are merged file by file, as a three-way merge
//! against the base: a file only one side changed takes that side. A file both sides changed
//! differently is a conflict; nothing is stored and the user chooses a side.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::format::{read_template_dir, BLOCKS_DIR, MANIFEST_FILE};
use crate::model::{ContentHash, TemplateFiles};

/// Per template id, what its folder held when the sync last read or wrote it: the content hash,
/// and the files themselves when they are not a stored version (after a merge the folder holds
/// a mix the library never stored, and the next merge needs it as its base).
#[derive(Debug, Default, Clone)]
pub struct FolderBases(HashMap<String, FolderBase>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderBase {
    pub hash: ContentHash,
    pub files: Option<TemplateFiles>,
}

impl FolderBases {
    /// Reads every template folder under `templates_dir` (files only, no parsing). A folder
    /// that cannot be read has no base; its first change is then stored as it is.
    pub fn scan(templates_dir: &Path) -> Self {
        let mut bases = HashMap::new();
        let Ok(entries) = std::fs::read_dir(templates_dir) else {
            return FolderBases(bases);
        };
        for entry in entries.flatten() {
            let Some(id) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if id.starts_with('.')
                || id == BLOCKS_DIR
                || id == crate::format::TEAM_DIR
                || id == crate::format::ARCHIVE_DIR
                || !entry.path().is_dir()
            {
                continue;
            }
            if let Ok(files) = read_template_dir(&entry.path()) {
                if files.get(MANIFEST_FILE).is_some() {
                    let hash = files.content_hash();
                    bases.insert(id, FolderBase { hash, files: None });
                }
            }
        }
        FolderBases(bases)
    }

    pub fn get(&self, id: &str) -> Option<&FolderBase> {
        self.0.get(id)
    }

    /// The folder holds a version the library has stored (found again by its hash).
    pub fn set_stored(&mut self, id: &str, hash: ContentHash) {
        self.0
            .insert(id.to_owned(), FolderBase { hash, files: None });
    }

    /// The folder holds `files`, which the library may not have stored as such.
    pub fn set_files(&mut self, id: &str, files: TemplateFiles) {
        let hash = files.content_hash();
        self.0.insert(
            id.to_owned(),
            FolderBase {
                hash,
                files: Some(files),
            },
        );
    }
}

/// The outcome of merging a folder's edit into a library that moved on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merge {
    /// Every file changed on at most one side (or identically on both). `from_folder` lists
    /// the files the folder's edit contributed.
    Clean {
        files: TemplateFiles,
        from_folder: Vec<String>,
    },
    /// These files were changed differently on both sides.
    Conflict { files: Vec<String> },
}

/// Three-way merge, file by file: `base` is what both sides started from.
pub fn merge_files(base: &TemplateFiles, library: &TemplateFiles, folder: &TemplateFiles) -> Merge {
    let paths: BTreeSet<&String> = base
        .0
        .keys()
        .chain(library.0.keys())
        .chain(folder.0.keys())
        .collect();
    let mut merged = TemplateFiles::default();
    let mut from_folder = Vec::new();
    let mut conflicts = Vec::new();
    for path in paths {
        let (b, l, f) = (base.get(path), library.get(path), folder.get(path));
        let pick = if f == b || l == f {
            l
        } else if l == b {
            from_folder.push(path.clone());
            f
        } else {
            conflicts.push(path.clone());
            continue;
        };
        // `None`: deleted on the side that changed it.
        if let Some(text) = pick {
            merged.0.insert(path.clone(), text.to_owned());
        }
    }
    if conflicts.is_empty() {
        Merge::Clean {
            files: merged,
            from_folder,
        }
    } else {
        Merge::Conflict { files: conflicts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(pairs: &[(&str, &str)]) -> TemplateFiles {
        TemplateFiles::from_pairs(pairs)
    }

    #[test]
    fn edits_to_different_files_are_both_kept() {
        let base = files(&[("sms.txt", "a"), ("email.md", "b"), ("push.toml", "c")]);
        let library = files(&[("sms.txt", "a"), ("email.md", "B app"), ("push.toml", "c")]);
        let folder = files(&[
            ("sms.txt", "A editor"),
            ("email.md", "b"),
            ("push.toml", "c"),
        ]);
        assert_eq!(
            merge_files(&base, &library, &folder),
            Merge::Clean {
                files: files(&[
                    ("sms.txt", "A editor"),
                    ("email.md", "B app"),
                    ("push.toml", "c")
                ]),
                from_folder: vec!["sms.txt".into()],
            }
        );
    }

    #[test]
    fn the_same_file_changed_differently_is_a_conflict() {
        let base = files(&[("sms.txt", "a"), ("email.md", "b")]);
        let library = files(&[("sms.txt", "app"), ("email.md", "b")]);
        let folder = files(&[("sms.txt", "editor"), ("email.md", "b2")]);
        assert_eq!(
            merge_files(&base, &library, &folder),
            Merge::Conflict {
                files: vec!["sms.txt".into()]
            }
        );
    }

    #[test]
    fn identical_changes_and_deletions_merge() {
        let base = files(&[("sms.txt", "a"), ("data/old.json", "{}")]);
        let library = files(&[("sms.txt", "same")]);
        let folder = files(&[
            ("sms.txt", "same"),
            ("data/old.json", "{}"),
            ("data/new.json", "[]"),
        ]);
        assert_eq!(
            merge_files(&base, &library, &folder),
            Merge::Clean {
                files: files(&[("sms.txt", "same"), ("data/new.json", "[]")]),
                from_folder: vec!["data/new.json".into()],
            }
        );
    }

    #[test]
    fn a_file_deleted_on_one_side_and_edited_on_the_other_is_a_conflict() {
        let base = files(&[("sms.txt", "a")]);
        let library = files(&[]);
        let folder = files(&[("sms.txt", "edited")]);
        assert_eq!(
            merge_files(&base, &library, &folder),
            Merge::Conflict {
                files: vec!["sms.txt".into()]
            }
        );
    }
}
