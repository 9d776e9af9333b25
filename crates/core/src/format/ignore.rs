//! Files that editors and operating systems leave beside the real ones.

use std::path::Path;

/// True for editor temp, swap, lock and backup files and OS litter, which import and watch skip
/// silently: vim `.x.swp`/`.swo`/`.swx` and its `4913` probe file, emacs `#x#` and `.#x`,
/// `x~` backups, `.DS_Store`, `*.tmp`, GNOME `.goutputstream-*`, JetBrains
/// `x___jb_tmp___`/`x___jb_old___`, LibreOffice `.~lock.x#`. Only the last path component is
/// looked at.
pub fn is_ignored_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    name == "4913"
        || name == ".DS_Store"
        || name == "Thumbs.db"
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#') && name.len() > 1)
        || name.starts_with(".#")
        || name.starts_with(".goutputstream-")
        || name.starts_with(".~lock.")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || lower.ends_with(".tmp")
        || (name.starts_with('.')
            && [".swp", ".swo", ".swx", ".swn"]
                .iter()
                .any(|ext| lower.ends_with(ext)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_litter_is_ignored() {
        for name in [
            ".email.md.swp",
            ".email.md.swo",
            ".email.md.swx",
            "4913",
            "#email.md#",
            ".#email.md",
            "email.md~",
            ".DS_Store",
            "email.md.tmp",
            ".email.md.12.TMP",
            ".goutputstream-ABC123",
            "email.md___jb_tmp___",
            "email.md___jb_old___",
            ".~lock.print.md#",
        ] {
            assert!(is_ignored_file(Path::new(name)), "{name}");
            assert!(
                is_ignored_file(&Path::new("templates/x").join(name)),
                "{name}"
            );
        }
    }

    #[test]
    fn real_files_are_not_ignored() {
        for name in [
            "email.md",
            "sms.txt",
            "push.en.toml",
            "data/typical.json",
            "template.toml",
            "swp",
            "#",
            "49130",
        ] {
            assert!(!is_ignored_file(Path::new(name)), "{name}");
        }
    }
}
