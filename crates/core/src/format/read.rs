//! Reading template, block and brand folders from disk, with limits.
//!
//! Files are read as bytes and kept exactly (no trimming, no newline conversion) so export is
//! byte-identical. Symbolic links are refused rather than followed: a library folder is a
//! plain tree, and refusing links means a link loop can never make us walk forever.

use super::blocks::{check_includes, parse_block, BLOCKS_DIR};
use super::brand::{parse_brand_kit, BRAND_FILE};
use super::error::FormatError;
use super::ignore::is_ignored_file;
use super::manifest::MANIFEST_FILE;
use super::team::{parse_member, TEAM_DIR};
use super::template::{check_references, parse_template, DATA_DIR};
use crate::assets::{inspect_image, ImageLimits};
use crate::diagnostic::line_col;
use crate::limits;
use crate::model::{Block, Brand, TemplateFiles, TemplateSource};
use crate::team::Roster;
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest file accepted in a brand folder ([`crate::limits::FILE_BYTES`]).
pub const MAX_FILE_BYTES: u64 = limits::FILE_BYTES;
/// Largest text file accepted in a template folder or `_blocks/`.
pub const MAX_TEXT_BYTES: u64 = limits::TEMPLATE_TEXT_BYTES;
/// Most files accepted in one template or brand folder.
pub const MAX_FILES_PER_FOLDER: usize = limits::FILES_PER_FOLDER;
/// How deep a brand folder may nest (`layouts/letter/…`).
const MAX_BRAND_DEPTH: usize = limits::BRAND_FOLDER_DEPTH;

/// Everything found in a templates folder and its assets folder.
#[derive(Debug, Clone, Default)]
pub struct LibraryLoad {
    /// Templates that passed every check, sorted by id.
    pub templates: Vec<TemplateSource>,
    /// Shared blocks, sorted by (name, locale); the locale-neutral variant first.
    pub blocks: Vec<Block>,
    /// Brands that passed every check, sorted by id.
    pub brands: Vec<Brand>,
    /// The team roster of `_team/`; `None` when the folder has none (the library's roster
    /// stays as it is).
    pub team: Option<Roster>,
    /// Everything wrong, with on-disk paths, in a stable order. A template or brand with a
    /// problem is left out of `templates` / `brands`; the rest still load.
    pub problems: Vec<FormatError>,
}

/// Reads one template folder: files at its top level and in `data/`. Editor temp files are
/// skipped; anything else odd (symlink, subfolder, file over [`MAX_FILE_BYTES`], non-UTF-8) is
/// an error naming the file. Returns the first problem; [`read_template_dir_all`] returns all.
pub fn read_template_dir(dir: &Path) -> Result<TemplateFiles, FormatError> {
    read_template_dir_all(dir).map_err(|mut errs| errs.remove(0))
}

/// Like [`read_template_dir`] but reports every problem in the folder.
pub fn read_template_dir_all(dir: &Path) -> Result<TemplateFiles, Vec<FormatError>> {
    let mut files = BTreeMap::new();
    let mut errors = Vec::new();
    let (entries, mut errs) = list_dir(dir);
    errors.append(&mut errs);
    for entry in entries {
        match entry.kind {
            EntryKind::Dir if entry.name == DATA_DIR => {
                let (data_entries, mut errs) = list_dir(&entry.path);
                errors.append(&mut errs);
                for data in data_entries {
                    match data.kind {
                        EntryKind::File => read_into(
                            &mut files,
                            &mut errors,
                            &format!("{DATA_DIR}/{}", data.name),
                            &data.path,
                        ),
                        _ => errors.push(entry_error(&data, "a persona")),
                    }
                }
            }
            EntryKind::File => read_into(&mut files, &mut errors, &entry.name, &entry.path),
            _ => errors.push(entry_error(&entry, "a template file")),
        }
        if files.len() > MAX_FILES_PER_FOLDER {
            errors.push(FormatError::new(
                dir,
                format!("more than {MAX_FILES_PER_FOLDER} files in one template folder"),
                "a template needs template.toml, a few channel files and some personas; move the rest elsewhere",
            ));
            break;
        }
    }
    if errors.is_empty() {
        Ok(TemplateFiles(files))
    } else {
        Err(errors)
    }
}

/// Reads, parses and cross-checks one template folder: the full check used by import and
/// watch. The folder name must equal the id in `template.toml`. Errors carry on-disk paths.
pub fn load_template_dir(
    dir: &Path,
    blocks: &[Block],
    brands: &[Brand],
) -> Result<TemplateSource, Vec<FormatError>> {
    let files = read_template_dir_all(dir)?;
    let folder = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    if files.get(MANIFEST_FILE).is_none() {
        return Err(vec![FormatError::new(
            dir,
            "this template folder has no template.toml",
            format!(
                "add {folder}/template.toml (id = \"{folder}\", name, industry, purpose, brand, default_locale, locales; see docs/FILE-FORMAT.md), or move the folder out of the templates folder"
            ),
        )]);
    }
    let source = parse_template(&files).map_err(|errs| prefix_all(errs, dir))?;
    let mut errors = Vec::new();
    if source.manifest.id != folder {
        errors.push(FormatError::new(
            dir.join(MANIFEST_FILE),
            format!(
                "id `{}` does not match the folder name `{folder}`",
                source.manifest.id
            ),
            "rename the folder or change the id so they are the same",
        ));
    }
    errors.extend(prefix_all(check_references(&source, blocks, brands), dir));
    if errors.is_empty() {
        Ok(source)
    } else {
        Err(errors)
    }
}

/// Reads the shared blocks in `blocks_dir` (`templates/_blocks`). Returns the blocks that are
/// fine, sorted by (name, locale), and the problems. Includes inside blocks are checked too.
pub fn read_blocks_dir(blocks_dir: &Path) -> (Vec<Block>, Vec<FormatError>) {
    let mut blocks = Vec::new();
    let (entries, mut problems) = list_dir(blocks_dir);
    let mut paths = BTreeMap::new();
    for entry in entries {
        if entry.kind != EntryKind::File {
            problems.push(entry_error(&entry, "a block"));
            continue;
        }
        match read_text_limited(&entry.path, MAX_TEXT_BYTES)
            .and_then(|text| parse_block(&path_str(&entry.path), &entry.name, text))
        {
            Ok(block) => {
                paths.insert(
                    (block.name.clone(), block.locale.clone()),
                    entry.path.clone(),
                );
                blocks.push(block);
            }
            Err(e) => problems.push(e),
        }
    }
    blocks.sort_by(|a, b| (&a.name, &a.locale).cmp(&(&b.name, &b.locale)));
    for block in &blocks {
        let path = &paths[&(block.name.clone(), block.locale.clone())];
        problems.extend(check_includes(
            &path_str(path),
            &block.content,
            block.locale.as_deref(),
            &blocks,
        ));
    }
    (blocks, problems)
}

/// Reads the team roster in `team_dir` (`templates/_team`). Any problem leaves the roster out
/// (`None`) rather than importing a partial one: a member silently dropped could be the only
/// compliance officer, a member silently added could approve.
pub fn read_team_dir(team_dir: &Path) -> (Option<Roster>, Vec<FormatError>) {
    let (entries, mut problems) = list_dir(team_dir);
    let mut members = Vec::new();
    for entry in entries {
        if entry.kind != EntryKind::File || !entry.name.ends_with(".toml") {
            problems.push(entry_error(&entry, "a team member file (<key id>.toml)"));
            continue;
        }
        match read_text(&entry.path).and_then(|text| parse_member(&path_str(&entry.path), &text)) {
            Ok(m) => members.push((entry.path, m)),
            Err(e) => problems.push(e),
        }
    }
    let mut roster = Roster::default();
    for (path, member) in members {
        if let Err(e) = roster.add(member) {
            problems.push(FormatError::new(&path, e.to_string(), e.hint()));
        }
    }
    if problems.is_empty() {
        (Some(roster), problems)
    } else {
        (None, problems)
    }
}

/// Reads one brand folder (`assets/brands/<id>/`): `brand.toml` plus every file beside it
/// (subfolders too, as `/`-separated paths). The folder name must equal the kit's id and the
/// logo must exist and be a readable image.
pub fn read_brand_dir(dir: &Path) -> Result<Brand, Vec<FormatError>> {
    let mut files = BTreeMap::new();
    let mut errors = Vec::new();
    collect_brand_files(dir, "", 0, &mut files, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let brand_toml = dir.join(BRAND_FILE);
    let Some(text) = files.get(BRAND_FILE) else {
        return Err(vec![FormatError::new(
            dir,
            "this brand folder has no brand.toml",
            "add brand.toml (id, name, legal_name, default_locale, logo, [address], [contact], [colors]; see docs/FILE-FORMAT.md)",
        )]);
    };
    let text = match std::str::from_utf8(text) {
        Ok(t) => t,
        Err(e) => return Err(vec![utf8_error(&brand_toml, text, &e)]),
    };
    let kit = parse_brand_kit(&path_str(&brand_toml), text)?;
    let folder = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if kit.id != folder {
        errors.push(FormatError::new(
            &brand_toml,
            format!("id `{}` does not match the folder name `{folder}`", kit.id),
            "rename the folder or change the id so they are the same",
        ));
    }
    match files.get(&kit.logo) {
        None => errors.push(FormatError::new(
            &brand_toml,
            format!("logo `{}` does not exist in {}", kit.logo, path_str(dir)),
            "put the logo file (PNG or JPEG) beside brand.toml, or fix `logo`",
        )),
        Some(bytes) => {
            if let Err(e) = inspect_image(
                &path_str(&dir.join(&kit.logo)),
                bytes,
                &ImageLimits::default(),
            ) {
                errors.push(FormatError::new(dir.join(&kit.logo), e.to_string(), ""));
            }
        }
    }
    errors.extend(check_kit_images(dir, &files, &kit.logo));
    if errors.is_empty() {
        Ok(Brand { kit, files })
    } else {
        Err(errors)
    }
}

/// Every image of a kit besides the logo (checked above) is decoded under the image limits:
/// a body image declaring 100,000 × 100,000 pixels, or cut off half way, is refused at import
/// rather than handed to the email or print renderer.
fn check_kit_images(dir: &Path, files: &BTreeMap<String, Vec<u8>>, logo: &str) -> Vec<FormatError> {
    const IMAGE: [&str; 5] = [".png", ".jpg", ".jpeg", ".gif", ".webp"];
    files
        .iter()
        .filter(|(path, _)| path.as_str() != logo)
        .filter(|(path, _)| {
            let lower = path.to_ascii_lowercase();
            IMAGE.iter().any(|ext| lower.ends_with(ext))
        })
        .filter_map(|(path, bytes)| {
            let label = path_str(&dir.join(path));
            inspect_image(&label, bytes, &ImageLimits::default())
                .err()
                .map(|e| {
                    FormatError::new(
                        dir.join(path),
                        e.to_string(),
                        "export the image again, complete and at most 8192 pixels a side (PNG, JPEG, GIF or WebP), or remove it from the kit",
                    )
                })
        })
        .collect()
}

/// Reads every brand in `assets_dir/brands/`, sorted by id, with the problems.
pub fn load_brands(assets_dir: &Path) -> (Vec<Brand>, Vec<FormatError>) {
    let brands_dir = assets_dir.join("brands");
    let mut brands = Vec::new();
    let mut problems = Vec::new();
    if !brands_dir.is_dir() {
        return (brands, problems);
    }
    let (entries, mut errs) = list_dir(&brands_dir);
    problems.append(&mut errs);
    for entry in entries {
        match entry.kind {
            EntryKind::Dir => match read_brand_dir(&entry.path) {
                Ok(brand) => brands.push(brand),
                Err(mut errs) => problems.append(&mut errs),
            },
            EntryKind::File => {} // a README beside the brand folders is fine
            _ => problems.push(entry_error(&entry, "a brand folder")),
        }
    }
    brands.sort_by(|a, b| a.kit.id.cmp(&b.kit.id));
    (brands, problems)
}

/// Loads a whole library from disk: `templates_dir/_blocks/`, every other folder of
/// `templates_dir` as a template, and the brands in `assets_dir/brands/`. Files at the top of
/// `templates_dir` (a README) and hidden folders are skipped. A bad template or brand is
/// reported in `problems` and left out; the rest still load.
pub fn load_library(templates_dir: &Path, assets_dir: &Path) -> LibraryLoad {
    let mut load = LibraryLoad::default();
    if !templates_dir.is_dir() {
        load.problems.push(FormatError::new(
            templates_dir,
            "the templates folder does not exist",
            "give the path of a folder that holds template folders and _blocks/",
        ));
        return load;
    }
    let blocks_dir = templates_dir.join(BLOCKS_DIR);
    if blocks_dir.is_dir() {
        let (blocks, mut problems) = read_blocks_dir(&blocks_dir);
        load.blocks = blocks;
        load.problems.append(&mut problems);
    }
    let (brands, mut problems) = load_brands(assets_dir);
    load.brands = brands;
    load.problems.append(&mut problems);
    let team_dir = templates_dir.join(TEAM_DIR);
    if team_dir.is_dir() {
        let (team, mut problems) = read_team_dir(&team_dir);
        load.team = team;
        load.problems.append(&mut problems);
    }

    let (entries, mut problems) = list_dir(templates_dir);
    load.problems.append(&mut problems);
    for entry in entries {
        if entry.name == BLOCKS_DIR
            || entry.name == TEAM_DIR
            || entry.name == super::team::ARCHIVE_DIR
            || entry.name.starts_with('.')
        {
            continue;
        }
        match entry.kind {
            EntryKind::Dir => match load_template_dir(&entry.path, &load.blocks, &load.brands) {
                Ok(source) => load.templates.push(source),
                Err(mut errs) => load.problems.append(&mut errs),
            },
            EntryKind::File => {}
            _ => load.problems.push(entry_error(&entry, "a template folder")),
        }
    }
    load.templates
        .sort_by(|a, b| a.manifest.id.cmp(&b.manifest.id));
    load
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    File,
    Dir,
    Symlink,
    Other,
}

struct Entry {
    name: String,
    path: PathBuf,
    kind: EntryKind,
}

/// Lists `dir` without following links, sorted by name, skipping editor temp files.
fn list_dir(dir: &Path) -> (Vec<Entry>, Vec<FormatError>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let read = match fs::read_dir(dir) {
        Ok(r) => r,
        Err(e) => {
            errors.push(FormatError::new(
                dir,
                format!("cannot read the folder: {e}"),
                "check that it exists and you may read it",
            ));
            return (entries, errors);
        }
    };
    for item in read {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                errors.push(FormatError::new(
                    dir,
                    format!("cannot read the folder: {e}"),
                    "check your permissions",
                ));
                continue;
            }
        };
        let path = item.path();
        if is_ignored_file(&path) {
            continue;
        }
        let Some(name) = item.file_name().to_str().map(str::to_string) else {
            errors.push(FormatError::new(
                &path,
                "the file name is not valid UTF-8",
                "rename the file using UTF-8 characters",
            ));
            continue;
        };
        // `DirEntry::file_type` does not follow links.
        let kind = match item.file_type() {
            Ok(t) if t.is_symlink() => EntryKind::Symlink,
            Ok(t) if t.is_dir() => EntryKind::Dir,
            Ok(t) if t.is_file() => EntryKind::File,
            Ok(_) => EntryKind::Other,
            Err(e) => {
                errors.push(FormatError::new(
                    &path,
                    format!("cannot read: {e}"),
                    "check your permissions",
                ));
                continue;
            }
        };
        entries.push(Entry { name, path, kind });
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    (entries, errors)
}

fn entry_error(entry: &Entry, expected: &str) -> FormatError {
    match entry.kind {
        EntryKind::Symlink => FormatError::new(
            &entry.path,
            "this is a symbolic link; links are not followed inside a library folder",
            "replace the link with the real file or folder",
        ),
        EntryKind::Dir => FormatError::new(
            &entry.path,
            format!("unexpected folder where {expected} was expected"),
            "template folders hold files and one data/ folder of personas; move this folder elsewhere",
        ),
        _ => FormatError::new(&entry.path, "not a regular file", "remove it from the library folder"),
    }
}

fn read_into(
    files: &mut BTreeMap<String, String>,
    errors: &mut Vec<FormatError>,
    rel: &str,
    path: &Path,
) {
    if is_binary_asset(path) {
        errors.push(FormatError::new(
            path,
            "images and other binary files cannot be kept in a template folder (its files are text)",
            "put the image in the brand kit's folder, assets/brands/<brand>/, and refer to it as brands/<brand>/<file> (push image), or host it and use its https:// URL in email and print",
        ));
        return;
    }
    match read_text_limited(path, MAX_TEXT_BYTES) {
        Ok(text) => {
            files.insert(rel.to_string(), text);
        }
        Err(e) => errors.push(e),
    }
}

/// A file that is certainly not template text, by its extension.
fn is_binary_asset(path: &Path) -> bool {
    const BINARY: [&str; 10] = [
        "png", "jpg", "jpeg", "gif", "webp", "svg", "pdf", "ttf", "otf", "zip",
    ];
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| BINARY.iter().any(|b| e.eq_ignore_ascii_case(b)))
}

fn collect_brand_files(
    dir: &Path,
    rel: &str,
    depth: usize,
    files: &mut BTreeMap<String, Vec<u8>>,
    errors: &mut Vec<FormatError>,
) {
    let (entries, mut errs) = list_dir(dir);
    errors.append(&mut errs);
    for entry in entries {
        let rel_path = if rel.is_empty() {
            entry.name.clone()
        } else {
            format!("{rel}/{}", entry.name)
        };
        match entry.kind {
            EntryKind::File => match read_bytes(&entry.path) {
                Ok(bytes) => {
                    files.insert(rel_path, bytes);
                }
                Err(e) => errors.push(e),
            },
            EntryKind::Dir if depth + 1 < MAX_BRAND_DEPTH => {
                collect_brand_files(&entry.path, &rel_path, depth + 1, files, errors)
            }
            EntryKind::Dir => errors.push(FormatError::new(
                &entry.path,
                format!("folders nest more than {MAX_BRAND_DEPTH} deep in a brand"),
                "flatten the brand folder",
            )),
            _ => errors.push(entry_error(&entry, "a brand file")),
        }
        if files.len() > MAX_FILES_PER_FOLDER {
            errors.push(FormatError::new(
                dir,
                format!("more than {MAX_FILES_PER_FOLDER} files in one brand folder"),
                "move unused files elsewhere",
            ));
            return;
        }
    }
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`], checking the size before reading so a
/// huge file is never loaded, and refusing symbolic links.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, FormatError> {
    read_bytes_limited(path, MAX_FILE_BYTES)
}

/// [`read_bytes`] with another size limit.
pub fn read_bytes_limited(path: &Path, limit: u64) -> Result<Vec<u8>, FormatError> {
    let meta = fs::symlink_metadata(path).map_err(|e| {
        FormatError::new(
            path,
            format!("cannot read: {e}"),
            "check that the file exists and you may read it",
        )
    })?;
    if meta.file_type().is_symlink() {
        return Err(FormatError::new(
            path,
            "this is a symbolic link; links are not followed inside a library folder",
            "replace the link with the real file",
        ));
    }
    if !meta.is_file() {
        return Err(FormatError::new(
            path,
            "not a regular file",
            "remove it from the library folder",
        ));
    }
    if meta.len() > limit {
        return Err(too_large(path, meta.len(), limit));
    }
    let file = fs::File::open(path).map_err(|e| {
        FormatError::new(path, format!("cannot read: {e}"), "check your permissions")
    })?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // `take` guards against the file growing between the size check and the read.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| {
        FormatError::new(path, format!("cannot read: {e}"), "check your permissions")
    })?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// Reads a UTF-8 text file with [`read_bytes`]' limits; bytes are kept exactly.
pub fn read_text(path: &Path) -> Result<String, FormatError> {
    read_text_limited(path, MAX_FILE_BYTES)
}

/// A UTF-8 text file of at most `limit` bytes, without NUL characters (a NUL means a binary
/// file, and would cut the text short in C-based tools downstream).
pub fn read_text_limited(path: &Path, limit: u64) -> Result<String, FormatError> {
    let bytes = read_bytes_limited(path, limit)?;
    let text =
        String::from_utf8(bytes).map_err(|e| utf8_error(path, e.as_bytes(), &e.utf8_error()))?;
    if let Some(offset) = text.find('\0') {
        let (line, column) = line_col(&text, offset);
        return Err(FormatError::new(
            path,
            "the file contains a NUL character (byte 0): it is not a text file",
            "remove the NUL character, or move the binary file out of the template folder",
        )
        .at(line, column));
    }
    Ok(text)
}

fn utf8_error(path: &Path, bytes: &[u8], err: &std::str::Utf8Error) -> FormatError {
    let offset = err.valid_up_to();
    // The prefix up to `valid_up_to` is valid by definition.
    let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
    let (line, column) = line_col(valid, offset);
    FormatError::new(
        path,
        format!("not valid UTF-8 (byte {offset}, 0x{:02x})", bytes[offset]),
        "save the file as UTF-8 (Shift_JIS and other encodings are not supported)",
    )
    .at(line, column)
}

fn too_large(path: &Path, len: u64, limit: u64) -> FormatError {
    let human = |b: u64| {
        if b >= 1024 * 1024 {
            format!("{} MB", b.div_ceil(1024 * 1024))
        } else {
            format!("{} kB", b.div_ceil(1024))
        }
    };
    FormatError::new(
        path,
        format!("the file is {}; the limit is {}", human(len), human(limit)),
        "templates are text of a few kilobytes: remove the file or split it; for images use a smaller export",
    )
}

fn prefix_all(errors: Vec<FormatError>, dir: &Path) -> Vec<FormatError> {
    errors.into_iter().map(|e| e.with_prefix(dir)).collect()
}

fn path_str(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::tests::png;
    use crate::format::brand::tests::BRAND;
    use crate::format::template::tests::sample_files;
    use crate::format::write::write_library;
    use std::fs;

    /// A library on disk: one good template, its blocks and brand.
    fn library() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let blocks = [("legal-footer", Some("ja")), ("legal-footer", Some("en"))].map(|(n, l)| {
            parse_block(
                "x",
                &super::super::blocks::block_file_name(n, l),
                format!("{n} {l:?}\n"),
            )
            .unwrap()
        });
        write_library(root.path(), &[sample_files()], &blocks, &[]).unwrap();
        let brand = root.path().join("assets/brands/sakura-bank");
        fs::create_dir_all(&brand).unwrap();
        fs::write(brand.join("brand.toml"), BRAND).unwrap();
        fs::write(brand.join("logo.png"), png(32, 16)).unwrap();
        root
    }

    fn load(root: &Path) -> LibraryLoad {
        load_library(&root.join("templates"), &root.join("assets"))
    }

    fn problems(load: &LibraryLoad) -> Vec<String> {
        load.problems.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn a_good_library_loads() {
        let root = library();
        let load = load(root.path());
        assert!(load.problems.is_empty(), "{:#?}", problems(&load));
        assert_eq!(load.templates.len(), 1);
        assert_eq!(load.templates[0].files, sample_files());
        assert_eq!(load.blocks.len(), 2);
        assert_eq!(load.blocks[0].locale.as_deref(), Some("en"));
        assert_eq!(load.brands[0].kit.id, "sakura-bank");
        assert_eq!(load.brands[0].files.len(), 2);
    }

    #[test]
    fn folder_without_manifest_is_one_problem_and_the_rest_loads() {
        let root = library();
        let stray = root.path().join("templates/half-done");
        fs::create_dir_all(&stray).unwrap();
        fs::write(stray.join("email.md"), "+++\nsubject = \"x\"\n+++\n").unwrap();
        let load = load(root.path());
        let p = problems(&load);
        assert_eq!(p.len(), 1, "{p:#?}");
        assert!(p[0].ends_with("templates/half-done: this template folder has no template.toml\n  hint: add half-done/template.toml (id = \"half-done\", name, industry, purpose, brand, default_locale, locales; see docs/FILE-FORMAT.md), or move the folder out of the templates folder"), "{}", p[0]);
        assert_eq!(load.templates.len(), 1);
    }

    #[test]
    fn missing_block_names_file_line_and_column() {
        let root = library();
        let email = root.path().join("templates/payment-reminder/email.md");
        fs::write(
            &email,
            "+++\nsubject = \"x\"\n+++\n\n   {% include \"blocks/legal-fotter\" %}\n",
        )
        .unwrap();
        let load = load(root.path());
        let p = problems(&load);
        assert_eq!(p.len(), 1, "{p:#?}");
        assert!(
            p[0].contains(
                "templates/payment-reminder/email.md:5:15: block `legal-fotter` does not exist"
            ),
            "{}",
            p[0]
        );
        assert!(load.templates.is_empty());
    }

    #[test]
    fn persona_that_is_not_json() {
        let root = library();
        fs::write(
            root.path()
                .join("templates/payment-reminder/data/typical.json"),
            "{\n  \"customer\": { name: \"x\" }\n}",
        )
        .unwrap();
        let p = problems(&load(root.path()));
        assert_eq!(p.len(), 1, "{p:#?}");
        assert!(
            p[0].contains(
                "templates/payment-reminder/data/typical.json:2:17: key must be a string"
            ),
            "{}",
            p[0]
        );
    }

    #[test]
    fn an_image_in_a_template_folder_says_where_images_go() {
        let root = library();
        let dir = root.path().join("templates/payment-reminder");
        fs::write(dir.join("Banner.PNG"), b"\x89PNG\r\n").unwrap();
        let e = read_template_dir(&dir).unwrap_err();
        assert!(e.file_display().ends_with("Banner.PNG"), "{e}");
        assert!(
            e.message.contains("cannot be kept in a template folder"),
            "{e}"
        );
        assert!(e.hint.contains("assets/brands/<brand>/"), "{e}");
    }

    #[test]
    fn non_utf8_file_names_byte_and_line() {
        let root = library();
        let sms = root.path().join("templates/payment-reminder/sms.txt");
        // "ok\n" then Shift_JIS for お支払い.
        fs::write(&sms, b"ok\n\x82\xa8\x8e\x78\x95\xa5\x82\xa2").unwrap();
        let e = read_template_dir(&root.path().join("templates/payment-reminder")).unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(1)));
        assert!(e.message.contains("not valid UTF-8 (byte 3, 0x82)"), "{e}");
        assert!(e.hint.contains("UTF-8"));
        assert!(e.file.ends_with("sms.txt"));
    }

    #[test]
    fn fifty_megabyte_file_is_refused_without_reading_it() {
        let root = library();
        let big = root.path().join("templates/payment-reminder/print.md");
        let f = fs::File::create(&big).unwrap();
        f.set_len(50 * 1024 * 1024).unwrap(); // sparse: no 50 MB actually written
        let e = read_template_dir(&root.path().join("templates/payment-reminder")).unwrap_err();
        assert!(e.file.ends_with("print.md"));
        assert_eq!(e.message, "the file is 50 MB; the limit is 1 MB");
        let load = load(root.path());
        assert_eq!(load.problems.len(), 1);
        assert!(load.templates.is_empty());
    }

    #[test]
    fn a_ten_megabyte_persona_or_block_is_refused_at_the_text_limit() {
        let root = library();
        let dir = root.path().join("templates/payment-reminder");
        let persona = dir.join("data/huge.json");
        let f = fs::File::create(&persona).unwrap();
        f.set_len(10 * 1024 * 1024).unwrap();
        let e = read_template_dir(&dir).unwrap_err();
        assert!(e.file.ends_with("data/huge.json"), "{e}");
        assert_eq!(e.message, "the file is 10 MB; the limit is 1 MB");
        assert!(!e.hint.is_empty());
        fs::remove_file(&persona).unwrap();
        let block = root.path().join("templates/_blocks/legal-footer.ja.md");
        fs::File::create(&block)
            .unwrap()
            .set_len(crate::limits::TEMPLATE_TEXT_BYTES + 1)
            .unwrap();
        let p = problems(&load(root.path()));
        assert!(
            p.iter()
                .any(|p| p.contains("legal-footer.ja.md") && p.contains("the limit is 1 MB")),
            "{p:#?}"
        );
    }

    #[test]
    fn nul_bytes_are_refused_with_their_place_and_crlf_is_kept_exactly() {
        let root = library();
        let dir = root.path().join("templates/payment-reminder");
        fs::write(dir.join("sms.txt"), "ok\r\nline two\r\n").unwrap();
        let files = read_template_dir(&dir).unwrap();
        assert_eq!(files.get("sms.txt").unwrap(), "ok\r\nline two\r\n");
        fs::write(dir.join("sms.txt"), "ok\nab\0c\n").unwrap();
        let e = read_template_dir(&dir).unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(3)), "{e}");
        assert!(e.message.contains("NUL"), "{e}");
        assert!(e.hint.contains("remove"));
    }

    /// CRC-32 (ISO-HDLC, as PNG chunks use) for hand-made image headers.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for b in bytes {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// A PNG whose header declares `side` × `side` pixels, with one tiny IDAT: a decompression
    /// bomb's shape without its size.
    fn png_declaring(side: u32) -> Vec<u8> {
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend(side.to_be_bytes());
        ihdr.extend(side.to_be_bytes());
        ihdr.extend([8, 6, 0, 0, 0]);
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        out.extend(13u32.to_be_bytes());
        out.extend(&ihdr);
        out.extend(crc32(&ihdr).to_be_bytes());
        let idat = b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01";
        out.extend(((idat.len() - 4) as u32).to_be_bytes());
        out.extend(idat);
        out.extend(crc32(idat).to_be_bytes());
        out
    }

    #[test]
    fn kit_images_declaring_enormous_sizes_or_cut_short_are_refused() {
        let mut gif = b"GIF89a".to_vec();
        gif.extend([0xff, 0xff, 0xff, 0xff, 0, 0, 0]);
        gif.extend([
            0x2c, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 2, 2, 0x4c, 0x01, 0, 0x3b,
        ]);
        let mut jpeg = vec![0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0xff, 0xff, 0xff, 0xff, 3];
        jpeg.extend([1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9]);
        let mut webp = b"RIFF".to_vec();
        webp.extend(30u32.to_le_bytes());
        webp.extend(b"WEBPVP8X");
        webp.extend(10u32.to_le_bytes());
        webp.extend([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        let good = png(64, 64);
        let truncated = good[..good.len() / 2].to_vec();
        let cases: [(&str, Vec<u8>); 5] = [
            ("bomb.png", png_declaring(100_000)),
            ("bomb.gif", gif),
            ("bomb.jpg", jpeg),
            ("bomb.webp", webp),
            ("cut.png", truncated),
        ];
        for (name, bytes) in cases {
            let root = library();
            let brand = root.path().join("assets/brands/sakura-bank");
            fs::write(brand.join(name), &bytes).unwrap();
            let e = read_brand_dir(&brand).unwrap_err();
            assert!(e[0].file.ends_with(name), "{name}: {e:?}");
            assert!(!e[0].message.is_empty(), "{name}");
            let load = load(root.path());
            assert!(load.brands.is_empty(), "{name}: the kit is left out");
        }
    }

    #[test]
    fn temp_files_are_skipped_and_unknown_files_caught() {
        let root = library();
        let dir = root.path().join("templates/payment-reminder");
        fs::write(dir.join(".email.md.swp"), [0u8, 159, 146, 150]).unwrap();
        fs::write(dir.join("email.md~"), "old").unwrap();
        fs::write(dir.join("4913"), "").unwrap();
        assert_eq!(read_template_dir(&dir).unwrap(), sample_files());
        fs::write(dir.join("emial.en.md"), "typo").unwrap();
        fs::create_dir_all(dir.join("images")).unwrap();
        let errs = read_template_dir_all(&dir).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].to_string().contains("images: unexpected folder"));
        fs::remove_dir(dir.join("images")).unwrap();
        let p = problems(&load(root.path()));
        assert!(
            p[0].contains("payment-reminder/emial.en.md: unexpected file in the template folder"),
            "{p:#?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_and_loops_are_refused_not_followed() {
        let root = library();
        let templates = root.path().join("templates");
        std::os::unix::fs::symlink(&templates, templates.join("loop")).unwrap();
        std::os::unix::fs::symlink(
            "../payment-reminder",
            templates.join("payment-reminder/data/self"),
        )
        .unwrap();
        let load = load(root.path());
        let p = problems(&load);
        assert_eq!(p.len(), 2, "{p:#?}");
        assert!(p.iter().all(|m| m.contains("this is a symbolic link")));
        assert!(p.iter().any(|m| m.contains("templates/loop:")));
        assert!(p.iter().any(|m| m.contains("data/self:")));
    }

    #[test]
    fn folder_name_must_match_id_and_brand_must_exist() {
        let root = library();
        let t = root.path().join("templates");
        fs::rename(t.join("payment-reminder"), t.join("payment")).unwrap();
        fs::remove_dir_all(root.path().join("assets")).unwrap();
        let p = problems(&load(root.path()));
        assert_eq!(p.len(), 2, "{p:#?}");
        assert!(p[0].contains(
            "payment/template.toml: id `payment-reminder` does not match the folder name `payment`"
        ));
        assert!(p[1].contains("payment/template.toml: brand `sakura-bank` does not exist"));
    }

    #[test]
    fn brand_problems() {
        let root = library();
        let brand = root.path().join("assets/brands/sakura-bank");
        fs::write(brand.join("logo.png"), b"<svg/>").unwrap();
        let p = problems(&load(root.path()));
        assert!(
            p[0].contains("sakura-bank/logo.png: not a readable image"),
            "{p:#?}"
        );
        assert!(p[0].contains("export it again as PNG or JPEG"));
        fs::remove_file(brand.join("logo.png")).unwrap();
        let p = problems(&load(root.path()));
        assert!(
            p[0].contains("brand.toml: logo `logo.png` does not exist"),
            "{p:#?}"
        );
        fs::write(
            brand.join("brand.toml"),
            BRAND.replace("[colors]", "[colours]"),
        )
        .unwrap();
        let p = problems(&load(root.path()));
        assert!(p[0].contains("sakura-bank/brand.toml:16:"), "{p:#?}");
    }

    #[test]
    fn malformed_manifest_with_position() {
        let root = library();
        let manifest = root.path().join("templates/payment-reminder/template.toml");
        let text = fs::read_to_string(&manifest)
            .unwrap()
            .replace("purpose = ", "purpse = ");
        fs::write(&manifest, text).unwrap();
        let p = problems(&load(root.path()));
        assert_eq!(p.len(), 1);
        assert!(
            p[0].contains(
                "payment-reminder/template.toml:4:1: unknown field `purpse`, expected one of"
            ),
            "{}",
            p[0]
        );
    }
}
