//! Writing a library out in the file format (export).

use super::blocks::{block_file_name, BLOCKS_DIR};
use super::brand::{brand_toml, BRAND_FILE};
use super::manifest::MANIFEST_FILE;
use super::team::TEAM_DIR;
use super::{is_valid_id, is_valid_locale};
use crate::model::{Block, Brand, TemplateFiles};
use crate::team::Roster;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `out_dir/templates/<id>/…`, `out_dir/templates/_blocks/<name>[.<locale>].md` and
/// `out_dir/assets/brands/<id>/…` with each file's exact bytes.
///
/// Every destination is checked before anything is written: an id, block name or file path
/// that could leave `out_dir` (`..`, absolute, backslash, drive letter) or two entries for the
/// same file make the whole call fail with `InvalidInput` and write nothing. Each file is
/// written atomically (temp file in the same folder, then rename) and files whose bytes are
/// already identical are left untouched, so running it twice gives the identical tree and
/// does not wake a watcher. Files already in `out_dir` that are not part of the export are
/// left alone (an export never deletes anything).
pub fn write_library(
    out_dir: &Path,
    templates: &[TemplateFiles],
    blocks: &[Block],
    brands: &[Brand],
) -> io::Result<()> {
    let mut plan: BTreeMap<String, Cow<'_, [u8]>> = BTreeMap::new();
    let mut add = |rel: String, bytes| add_to_plan(&mut plan, rel, bytes);

    for files in templates {
        let id = template_id(files)?;
        for (path, text) in &files.0 {
            check_relative(path)?;
            add(
                format!("templates/{id}/{path}"),
                Cow::Borrowed(text.as_bytes()),
            )?;
        }
    }
    for block in blocks {
        if !is_valid_id(&block.name) {
            return Err(invalid(format!(
                "block name `{}` is not a valid name",
                block.name
            )));
        }
        if let Some(locale) = &block.locale {
            if !is_valid_locale(locale) {
                return Err(invalid(format!(
                    "block `{}` has an invalid locale `{locale}`",
                    block.name
                )));
            }
        }
        let file = block_file_name(&block.name, block.locale.as_deref());
        add(
            format!("templates/{BLOCKS_DIR}/{file}"),
            Cow::Borrowed(block.content.as_bytes()),
        )?;
    }
    for brand in brands {
        let id = &brand.kit.id;
        if !is_valid_id(id) {
            return Err(invalid(format!("brand id `{id}` is not a valid id")));
        }
        for (path, bytes) in &brand.files {
            check_relative(path)?;
            add(
                format!("assets/brands/{id}/{path}"),
                Cow::Borrowed(bytes.as_slice()),
            )?;
        }
        if !brand.files.contains_key(BRAND_FILE) {
            // A kit built in the app has no file yet: write its canonical TOML form.
            let text = brand_toml(&brand.kit).map_err(|e| invalid(format!("brand `{id}`: {e}")))?;
            add(
                format!("assets/brands/{id}/{BRAND_FILE}"),
                Cow::Owned(text.into_bytes()),
            )?;
        }
    }

    for (rel, bytes) in &plan {
        write_atomic(&out_dir.join(rel), bytes)?;
    }
    Ok(())
}

/// Writes the roster as `out_dir/templates/_team/<key id>.toml`, one file per member, each
/// atomically and untouched when already identical (as [`write_library`]).
pub fn write_team(out_dir: &Path, roster: &Roster) -> io::Result<()> {
    for (file, text) in roster.files() {
        write_atomic(
            &out_dir.join("templates").join(TEAM_DIR).join(file),
            text.as_bytes(),
        )?;
    }
    Ok(())
}

/// Makes the template folder `dir` hold exactly `files`: each file written atomically (unchanged
/// ones untouched, so a watcher is not woken for them) and template files the folder has but
/// `files` does not removed. Paths are checked before anything is written, as in
/// [`write_library`]. Used to put the library's version back into a watched folder.
pub fn write_template_dir(dir: &Path, files: &TemplateFiles) -> io::Result<()> {
    for path in files.0.keys() {
        check_relative(path)?;
    }
    let on_disk = super::read::read_template_dir_all(dir).unwrap_or_default();
    for (path, text) in &files.0 {
        write_atomic(&dir.join(path), text.as_bytes())?;
    }
    for path in on_disk.0.keys() {
        if !files.0.contains_key(path) {
            fs::remove_file(dir.join(path))?;
        }
    }
    Ok(())
}

fn add_to_plan<'a>(
    plan: &mut BTreeMap<String, Cow<'a, [u8]>>,
    rel: String,
    bytes: Cow<'a, [u8]>,
) -> io::Result<()> {
    if plan.contains_key(&rel) {
        return Err(invalid(format!(
            "two entries would both be written to {rel}"
        )));
    }
    plan.insert(rel, bytes);
    Ok(())
}

/// The id from a template's `template.toml`, checked to be a safe folder name.
fn template_id(files: &TemplateFiles) -> io::Result<String> {
    #[derive(Deserialize)]
    struct IdOnly {
        id: String,
    }
    let text = files
        .get(MANIFEST_FILE)
        .ok_or_else(|| invalid("a template to export has no template.toml".into()))?;
    let IdOnly { id } =
        toml::from_str(text).map_err(|e| invalid(format!("template.toml: {}", e.message())))?;
    if !is_valid_id(&id) {
        return Err(invalid(format!(
            "template id `{id}` is not a valid folder name"
        )));
    }
    Ok(id)
}

/// Accepts only plain `/`-separated relative paths whose every part is a normal name.
fn check_relative(path: &str) -> io::Result<()> {
    let ok = !path.is_empty()
        && !path.contains(['\\', ':', '\0'])
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..");
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "refusing to write `{path}`: not a plain relative path inside the folder"
        )))
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` via a temp file and rename, unless the file already holds them.
/// The temp name ends in `.tmp` so watchers ignore it (`is_ignored_file`).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Ok(meta) = fs::symlink_metadata(path) {
        if meta.file_type().is_symlink() {
            return Err(invalid(format!(
                "refusing to write through the symbolic link {}",
                path.display()
            )));
        }
        if meta.is_file() && meta.len() == bytes.len() as u64 && fs::read(path)? == bytes {
            return Ok(());
        }
    }
    let dir = path
        .parent()
        .ok_or_else(|| invalid(format!("{} has no parent folder", path.display())))?;
    fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::read::{load_library, read_template_dir};
    use crate::format::template::tests::sample_files;
    use crate::model::ContentHash;

    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p
                        .strip_prefix(dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    out.insert(rel, fs::read(&p).unwrap());
                }
            }
        }
        out
    }

    fn block(name: &str, locale: Option<&str>, content: &str) -> Block {
        Block {
            name: name.into(),
            locale: locale.map(Into::into),
            content: content.into(),
            hash: ContentHash::of_bytes(content.as_bytes()),
        }
    }

    #[test]
    fn write_then_read_is_byte_identical_and_stable() {
        let out = tempfile::tempdir().unwrap();
        let mut files = sample_files();
        // Bytes that a normalising writer would change: CRLF, no final newline, trailing space.
        files.0.insert(
            "sms.txt".into(),
            "{{ customer.name }}様 \r\nご確認ください".into(),
        );
        let blocks = vec![
            block("legal-footer", Some("ja"), "株式会社さくら銀行\n"),
            block("legal-footer", Some("en"), "Sakura Bank\n"),
        ];
        write_library(out.path(), std::slice::from_ref(&files), &blocks, &[]).unwrap();
        let first = tree(out.path());

        let read = read_template_dir(&out.path().join("templates/payment-reminder")).unwrap();
        assert_eq!(read, files);
        assert_eq!(read.content_hash(), files.content_hash());

        write_library(out.path(), &[files], &blocks, &[]).unwrap();
        assert_eq!(tree(out.path()), first);
        assert!(first.contains_key("templates/_blocks/legal-footer.ja.md"));
        assert!(!first.keys().any(|k| k.ends_with(".tmp")));

        let load = load_library(&out.path().join("templates"), &out.path().join("assets"));
        assert_eq!(load.blocks, {
            let mut b = blocks.clone();
            b.reverse();
            b
        });
    }

    #[test]
    fn path_traversal_is_refused_and_nothing_is_written() {
        let out = tempfile::tempdir().unwrap();
        for bad in [
            "../escape.md",
            "/etc/passwd",
            "data/../../x",
            "a\\b",
            "C:x",
            "",
            "data//x.json",
            "./x",
        ] {
            let mut files = sample_files();
            files.0.insert(bad.into(), "x".into());
            let err = write_library(out.path(), &[files], &[], &[]).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{bad}");
        }
        let mut files = sample_files();
        files.0.insert(
            "template.toml".into(),
            files
                .get("template.toml")
                .unwrap()
                .replace("\"payment-reminder\"", "\"../x\""),
        );
        assert!(write_library(out.path(), &[files], &[], &[]).is_err());
        let err = write_library(out.path(), &[], &[block("../x", None, "")], &[]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        let err =
            write_library(out.path(), &[], &[block("x", Some("../ja"), "")], &[]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);
    }

    #[test]
    fn duplicate_destinations_are_refused() {
        let out = tempfile::tempdir().unwrap();
        let err =
            write_library(out.path(), &[sample_files(), sample_files()], &[], &[]).unwrap_err();
        assert!(
            err.to_string().contains("templates/payment-reminder/"),
            "{err}"
        );
    }
}
