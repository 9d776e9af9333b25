//! The template file format (docs/FILE-FORMAT.md): parse with file/line/column errors, read
//! folders from disk with limits, write for export.
//!
//! Pure parsing ([`parse_template`], [`split_front_matter`], the channel parsers) works on
//! in-memory [`TemplateFiles`](crate::model::TemplateFiles) with paths relative to the template
//! folder; the `read_*`/`load_*` functions add the disk, its limits and on-disk paths in errors.

mod blocks;
mod brand;
mod channels;
mod error;
mod front_matter;
mod ignore;
mod manifest;
mod persona;
mod read;
mod team;
mod template;
mod write;

pub use blocks::{
    block_file_name, check_includes, find_includes, parse_block, parse_block_file_name, Include,
    BLOCKS_DIR, INCLUDE_PREFIX,
};
pub use brand::{brand_toml, parse_brand_kit, BRAND_FILE};
pub use channels::{
    parse_email, parse_print, parse_push, EmailFrontMatter, Envelope, MarkdownSource, PageSize,
    PrintFrontMatter, PushContent,
};
pub use error::FormatError;
pub use front_matter::split_front_matter;
pub use ignore::is_ignored_file;
pub use manifest::{is_valid_variable_path, parse_manifest, MANIFEST_FILE};
pub use persona::{check_required_variables, lookup, parse_persona, PERSONA_META_KEY};
pub use read::{
    load_brands, load_library, load_template_dir, read_blocks_dir, read_brand_dir, read_bytes,
    read_bytes_limited, read_team_dir, read_template_dir, read_template_dir_all, read_text,
    read_text_limited, LibraryLoad, MAX_FILES_PER_FOLDER, MAX_FILE_BYTES, MAX_TEXT_BYTES,
};
pub use team::{parse_member, ARCHIVE_DIR, TEAM_DIR};
pub use template::{
    check_references, parse_template, template_file_kind, TemplateFileKind, DATA_DIR,
};
pub use write::{write_library, write_team, write_template_dir};

/// Template, brand and block ids: `[a-z0-9-]+`, not starting or ending with `-`. They become
/// folder and file names, so this also keeps them safe on every file system.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Locale tags as used in file names: `ja`, `en`, `en-US`, `zh-Hant` (ASCII letters and
/// digits in `-`-separated parts, the first all letters).
pub fn is_valid_locale(locale: &str) -> bool {
    let mut parts = locale.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Persona ids (file stems in `data/`): ASCII letters, digits, `-` and `_`.
pub fn is_valid_persona_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_locales() {
        assert!(is_valid_id("jp-bank-payment-reminder"));
        for bad in ["", "-x", "x-", "X", "a_b", "a.b", "../a", "a/b", "お知らせ"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
        for ok in ["ja", "en", "en-US", "zh-Hant", "es-419"] {
            assert!(is_valid_locale(ok), "{ok}");
        }
        for bad in ["", "j", "e n", "en_US", "en-", "../ja", "1a"] {
            assert!(!is_valid_locale(bad), "{bad}");
        }
    }
}
