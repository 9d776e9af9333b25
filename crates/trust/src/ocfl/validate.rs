//! Our own structural check of an OCFL object as [`super::write_object`] writes it: namaste,
//! inventories and sidecars, manifest against the files on disk, states against the manifest,
//! continuous versions, immutable version inventories, no stray files. It is no replacement
//! for a full OCFL validator: it expects unpadded version names and sha512 and ignores `fixity`
//! blocks and the contents of `extensions/`, but it needs no tool besides CCM Studio and names
//! every problem it finds.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

use sha2::{Digest, Sha512};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::inventory::{
    is_sha512_hex, parse_sidecar, sha512_hex, version_name, version_number, Inventory,
    DIGEST_ALGORITHM, INVENTORY_FILE, INVENTORY_TYPE, NAMASTE_CONTENT, NAMASTE_FILE, SIDECAR_FILE,
};
use super::logical_path;

/// Checks the object at `dir`; Err lists every problem found, each naming the file or part of
/// the inventory concerned.
pub fn validate_object(dir: &Path) -> Result<(), Vec<String>> {
    let mut check = Check {
        root: dir,
        problems: Vec::new(),
    };
    check.namaste();
    if let Some((root_bytes, inventory)) = check.inventory("") {
        let version_count = check.inventory_fields(INVENTORY_FILE, &inventory);
        if let Some(version_count) = version_count {
            check.version_directories(&inventory, &root_bytes, version_count);
            check.manifest(&inventory, version_count);
            check.no_stray_entries(&inventory, version_count);
        }
        check.states(&inventory);
    }
    if check.problems.is_empty() {
        Ok(())
    } else {
        Err(check.problems)
    }
}

struct Check<'a> {
    root: &'a Path,
    problems: Vec<String>,
}

impl Check<'_> {
    fn problem(&mut self, text: impl Into<String>) {
        self.problems.push(text.into());
    }

    fn namaste(&mut self) {
        match fs::read(self.root.join(NAMASTE_FILE)) {
            Ok(bytes) if bytes == NAMASTE_CONTENT.as_bytes() => {}
            Ok(_) => self.problem(format!(
                "{NAMASTE_FILE}: content must be exactly {NAMASTE_CONTENT:?}"
            )),
            Err(error) => self.problem(format!("{NAMASTE_FILE}: cannot be read: {error}")),
        }
    }

    /// Reads `<at>/inventory.json` (at = "" for the root), checks it against its sidecar and
    /// parses it. None when it cannot be read or parsed.
    fn inventory(&mut self, at: &str) -> Option<(Vec<u8>, Inventory)> {
        let label = |file: &str| {
            if at.is_empty() {
                file.to_string()
            } else {
                format!("{at}/{file}")
            }
        };
        let directory = self.root.join(at);
        let bytes = match fs::read(directory.join(INVENTORY_FILE)) {
            Ok(bytes) => bytes,
            Err(error) => {
                self.problem(format!(
                    "{}: cannot be read: {error}",
                    label(INVENTORY_FILE)
                ));
                return None;
            }
        };
        match fs::read_to_string(directory.join(SIDECAR_FILE)) {
            Err(error) => {
                self.problem(format!("{}: cannot be read: {error}", label(SIDECAR_FILE)));
            }
            Ok(text) => match parse_sidecar(&text) {
                None => self.problem(format!(
                    "{}: expected \"<sha512> {INVENTORY_FILE}\"",
                    label(SIDECAR_FILE)
                )),
                Some(stated) if !stated.eq_ignore_ascii_case(&sha512_hex(&bytes)) => {
                    self.problem(format!(
                        "{}: sha512 does not match its sidecar {} (inventory changed?)",
                        label(INVENTORY_FILE),
                        label(SIDECAR_FILE)
                    ))
                }
                Some(_) => {}
            },
        }
        match serde_json::from_slice::<Inventory>(&bytes) {
            Ok(inventory) => Some((bytes, inventory)),
            Err(error) => {
                self.problem(format!(
                    "{}: not a valid inventory: {error}",
                    label(INVENTORY_FILE)
                ));
                None
            }
        }
    }

    /// Checks the fixed fields and version list; returns N when the versions are v1..vN.
    fn inventory_fields(&mut self, label: &str, inventory: &Inventory) -> Option<usize> {
        if inventory.id.trim().is_empty() {
            self.problem(format!("{label}: id is empty"));
        }
        if inventory.kind != INVENTORY_TYPE {
            self.problem(format!(
                "{label}: type is {:?}, expected {INVENTORY_TYPE:?}",
                inventory.kind
            ));
        }
        if inventory.digest_algorithm != DIGEST_ALGORITHM {
            self.problem(format!(
                "{label}: digestAlgorithm is {:?}, expected {DIGEST_ALGORITHM:?}",
                inventory.digest_algorithm
            ));
        }
        let content_directory = inventory.content_directory();
        if content_directory.contains('/') || matches!(content_directory, "" | "." | "..") {
            self.problem(format!(
                "{label}: contentDirectory {content_directory:?} is not a plain directory name"
            ));
        }
        for (name, version) in &inventory.versions {
            if OffsetDateTime::parse(&version.created, &Rfc3339).is_err() {
                self.problem(format!(
                    "{label}: {name}: created {:?} is not an RFC 3339 date-time",
                    version.created
                ));
            }
            if version
                .user
                .as_ref()
                .is_some_and(|user| user.name.trim().is_empty())
            {
                self.problem(format!("{label}: {name}: user name is empty"));
            }
        }

        let numbers: BTreeSet<Option<usize>> = inventory
            .versions
            .keys()
            .map(|name| version_number(name))
            .collect();
        let count = inventory.versions.len();
        let continuous = count > 0 && (1..=count).all(|n| numbers.contains(&Some(n)));
        if !continuous {
            let names: Vec<&str> = inventory.versions.keys().map(String::as_str).collect();
            self.problem(format!(
                "{label}: versions must be v1..vN without gaps or padding, found {names:?}"
            ));
            return None;
        }
        if inventory.head != version_name(count) {
            self.problem(format!(
                "{label}: head is {:?} but the last version is {}",
                inventory.head,
                version_name(count)
            ));
        }
        Some(count)
    }

    /// Every version directory exists with its own inventory; the head's equals the root
    /// inventory byte for byte, earlier ones agree with the root on everything they hold.
    fn version_directories(&mut self, root: &Inventory, root_bytes: &[u8], count: usize) {
        for number in 1..=count {
            let name = version_name(number);
            if !self.root.join(&name).is_dir() {
                self.problem(format!("{name}: version directory is missing"));
                continue;
            }
            let Some((bytes, inventory)) = self.inventory(&name) else {
                continue;
            };
            let label = format!("{name}/{INVENTORY_FILE}");
            if number == count {
                if bytes != root_bytes {
                    self.problem(format!(
                        "{label}: differs from the root {INVENTORY_FILE} (the head version's copy must be identical)"
                    ));
                }
                continue;
            }
            if self.inventory_fields(&label, &inventory) != Some(number) {
                self.problem(format!("{label}: does not end at version {name}"));
            }
            if inventory.id != root.id {
                self.problem(format!("{label}: id differs from the root inventory"));
            }
            for (version, state) in &inventory.versions {
                if root.versions.get(version) != Some(state) {
                    self.problem(format!(
                        "{label}: {version} differs from the root inventory (versions are immutable)"
                    ));
                }
            }
            for (digest, paths) in &inventory.manifest {
                if root.manifest.get(digest) != Some(paths) {
                    self.problem(format!(
                        "{label}: manifest entry {} differs from the root inventory",
                        short(digest)
                    ));
                }
            }
        }
    }

    /// Every manifest path is a file under some `vN/content/` with the listed sha512.
    fn manifest(&mut self, inventory: &Inventory, count: usize) {
        let content_directory = inventory.content_directory();
        let mut seen = BTreeSet::new();
        for (digest, paths) in &inventory.manifest {
            if !is_sha512_hex(digest) {
                self.problem(format!("manifest: {digest:?} is not a sha512 digest"));
            }
            for path in paths {
                if let Err(reason) = logical_path::check(path) {
                    self.problem(format!(
                        "manifest: content path {path:?} is not allowed: {reason}"
                    ));
                    continue;
                }
                let mut segments = path.splitn(3, '/');
                let in_version = segments
                    .next()
                    .and_then(version_number)
                    .is_some_and(|n| n <= count);
                if !in_version
                    || segments.next() != Some(content_directory)
                    || segments.next().is_none()
                {
                    self.problem(format!(
                        "manifest: content path {path:?} is not under vN/{content_directory}/ of an existing version"
                    ));
                    continue;
                }
                if !seen.insert(path.as_str()) {
                    self.problem(format!("manifest: content path {path:?} is listed twice"));
                    continue;
                }
                match file_sha512(&logical_path::on_disk(self.root, path)) {
                    Err(error) if error.kind() == io::ErrorKind::NotFound => self.problem(format!(
                        "{path}: listed in the manifest but the file is missing"
                    )),
                    Err(error) => self.problem(format!("{path}: cannot be read: {error}")),
                    Ok(actual) if !actual.eq_ignore_ascii_case(digest) => self.problem(format!(
                        "{path}: sha512 {} does not match the manifest's {} (content changed?)",
                        short(&actual),
                        short(digest)
                    )),
                    Ok(_) => {}
                }
            }
        }
        if let Some((file, inside)) = logical_path::find_conflict(seen.iter().copied()) {
            self.problem(format!(
                "manifest: content path {file:?} is also a directory of {inside:?}"
            ));
        }
    }

    /// Every state digest is in the manifest and every manifest digest in some state; logical
    /// paths are valid and unique per version.
    fn states(&mut self, inventory: &Inventory) {
        let used: BTreeSet<&str> = inventory
            .versions
            .values()
            .flat_map(|version| version.state.keys())
            .map(String::as_str)
            .collect();
        for digest in inventory.manifest.keys() {
            if !used.contains(digest.as_str()) {
                self.problem(format!(
                    "manifest: {} is not used by any version state",
                    short(digest)
                ));
            }
        }
        for (name, version) in &inventory.versions {
            let mut paths = BTreeSet::new();
            for (digest, logical_paths) in &version.state {
                if !inventory.manifest.contains_key(digest) {
                    self.problem(format!(
                        "{name}: state digest {} is not in the manifest",
                        short(digest)
                    ));
                }
                for path in logical_paths {
                    if let Err(reason) = logical_path::check(path) {
                        self.problem(format!(
                            "{name}: logical path {path:?} is not allowed: {reason}"
                        ));
                    }
                    if !paths.insert(path.as_str()) {
                        self.problem(format!("{name}: logical path {path:?} is listed twice"));
                    }
                }
            }
            if let Some((file, inside)) = logical_path::find_conflict(paths.iter().copied()) {
                self.problem(format!(
                    "{name}: logical path {file:?} is also a directory of {inside:?}"
                ));
            }
        }
    }

    /// No file or directory the inventory does not account for.
    fn no_stray_entries(&mut self, inventory: &Inventory, count: usize) {
        let versions: Vec<String> = (1..=count).map(version_name).collect();
        let mut allowed_at_root: BTreeSet<&str> = [
            NAMASTE_FILE,
            INVENTORY_FILE,
            SIDECAR_FILE,
            "logs",
            "extensions",
        ]
        .into();
        allowed_at_root.extend(versions.iter().map(String::as_str));
        self.only_entries("", &allowed_at_root);

        let content_directory = inventory.content_directory();
        let in_manifest: BTreeSet<&str> = inventory
            .manifest
            .values()
            .flatten()
            .map(String::as_str)
            .collect();
        for version in &versions {
            let allowed: BTreeSet<&str> = [INVENTORY_FILE, SIDECAR_FILE, content_directory].into();
            self.only_entries(version, &allowed);
            let content = format!("{version}/{content_directory}");
            let mut files = BTreeSet::new();
            self.collect_files(&content, &mut files);
            for file in &files {
                if !in_manifest.contains(file.as_str()) {
                    self.problem(format!("{file}: file is not in the manifest"));
                }
            }
        }
    }

    fn only_entries(&mut self, at: &str, allowed: &BTreeSet<&str>) {
        let Ok(entries) = fs::read_dir(self.root.join(at)) else {
            return; // a missing version directory is reported elsewhere
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !allowed.contains(name.as_str()) {
                let shown = if at.is_empty() {
                    name
                } else {
                    format!("{at}/{name}")
                };
                self.problem(format!("{shown}: unexpected entry in the object"));
            }
        }
    }

    /// Regular files under `at` (relative, `/`-separated) into `files`; reports symbolic
    /// links and empty directories, which OCFL content must not have.
    fn collect_files(&mut self, at: &str, files: &mut BTreeSet<String>) {
        let Ok(entries) = fs::read_dir(logical_path::on_disk(self.root, at)) else {
            return;
        };
        let mut empty = true;
        for entry in entries.flatten() {
            empty = false;
            let path = format!("{at}/{}", entry.file_name().to_string_lossy());
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => self.collect_files(&path, files),
                Ok(kind) if kind.is_file() => {
                    files.insert(path);
                }
                _ => self.problem(format!("{path}: not a regular file or directory")),
            }
        }
        if empty {
            self.problem(format!("{at}: empty directory"));
        }
    }
}

fn file_sha512(path: &Path) -> io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha512::new();
    io::copy(&mut file, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}

/// The start of a digest, enough to tell digests apart in a message.
fn short(digest: &str) -> String {
    let end = digest
        .char_indices()
        .nth(16)
        .map_or(digest.len(), |(i, _)| i);
    format!("{}…", &digest[..end])
}
