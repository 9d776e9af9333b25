//! Path rules shared by logical paths and content paths (OCFL 1.1 §3.5.3.1): relative,
//! `/`-separated, no empty, `.` or `..` segments. Backslashes are refused as well, because on
//! Windows they would become separators and a path could mean different files on different
//! systems.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// Why `path` is not an acceptable OCFL path, or Ok.
pub(super) fn check(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("it is empty");
    }
    if path.starts_with('/') {
        return Err("it is absolute (starts with /)");
    }
    if path.contains('\\') {
        return Err("it contains a backslash; use / as the separator");
    }
    if path.contains('\0') {
        return Err("it contains a NUL character");
    }
    for segment in path.split('/') {
        match segment {
            "" => return Err("it has an empty segment (// or a trailing /)"),
            "." | ".." => return Err("it has a . or .. segment"),
            _ => {}
        }
        // A segment must be one plain name on this system too (e.g. not `C:` on Windows),
        // since content paths become file paths.
        let mut components = Path::new(segment).components();
        if !matches!(
            (components.next(), components.next()),
            (Some(Component::Normal(_)), None)
        ) {
            return Err("a segment is not a plain file name on this system");
        }
    }
    Ok(())
}

/// A path that is both a file and a directory (`a` and `a/b`) cannot exist in one state
/// (OCFL E095 for logical paths, E101 for content paths). Returns `(file, inside)`.
pub(super) fn find_conflict<'a>(
    paths: impl IntoIterator<Item = &'a str>,
) -> Option<(&'a str, &'a str)> {
    let paths: BTreeSet<&str> = paths.into_iter().collect();
    for &path in &paths {
        for (slash, _) in path.match_indices('/') {
            if let Some(&file) = paths.get(&path[..slash]) {
                return Some((file, path));
            }
        }
    }
    None
}

/// Two paths of one state whose files or directories have the same name once case is ignored
/// (`Read.md` and `read.md`; `a` and `A/b`; `Docs/a` and `docs/b`). Content paths follow
/// logical paths, so such a state could not be written, or copied back, faithfully on a
/// case-insensitive file system. Returns the two paths.
pub(super) fn find_case_collision<'a>(
    paths: impl IntoIterator<Item = &'a String>,
) -> Option<(String, String)> {
    // Folded prefix → (its original spelling, the path it came from).
    let mut seen: BTreeMap<String, (&'a str, &'a str)> = BTreeMap::new();
    for path in paths {
        let ends = path.match_indices('/').map(|(slash, _)| slash);
        for end in ends.chain([path.len()]) {
            let prefix = &path[..end];
            let (spelling, owner) = *seen
                .entry(prefix.to_lowercase())
                .or_insert((prefix, path.as_str()));
            if spelling != prefix {
                return Some((owner.to_string(), path.clone()));
            }
        }
    }
    None
}

/// `root` joined with a checked `/`-separated path, one segment at a time.
pub(super) fn on_disk(root: &Path, path: &str) -> PathBuf {
    let mut joined = root.to_path_buf();
    joined.extend(path.split('/'));
    joined
}
