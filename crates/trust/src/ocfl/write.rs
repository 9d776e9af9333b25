//! Writing an object: everything is built in a hidden sibling directory and renamed into place
//! at the end, so an interrupted export leaves either nothing or a complete object at the
//! target (plus, at worst, a `.<name>.ocfl-partial-*` directory next to it).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::inventory::{
    self, sha512_hex, sidecar_text, version_name, DigestMap, Inventory, User, Version,
    INVENTORY_FILE, NAMASTE_CONTENT, NAMASTE_FILE, SIDECAR_FILE,
};
use super::{logical_path, OcflError, OcflSummary, OcflVersion};

/// Writes the object `id` with versions v1..vN into `dir`, which must not exist or be an empty
/// directory. Every version holds the complete state; a file whose sha512 an earlier version
/// (or an earlier path in the same version) already stored is not stored again.
pub fn write_object(
    dir: &Path,
    id: &str,
    versions: &[OcflVersion],
) -> Result<OcflSummary, OcflError> {
    check_input(id, versions)?;
    let name = dir
        .file_name()
        .ok_or_else(|| OcflError::TargetWithoutName(dir.to_path_buf()))?;
    ensure_target_free(dir)?;
    let parent = match dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(OcflError::io(&parent))?;

    let staging = Staging::create(&parent, &name.to_string_lossy())?;
    let summary = build(staging.path(), id, versions)?;
    staging.move_to(dir)?;
    Ok(summary)
}

fn check_input(id: &str, versions: &[OcflVersion]) -> Result<(), OcflError> {
    if id.trim().is_empty() {
        return Err(OcflError::EmptyId);
    }
    if versions.is_empty() {
        return Err(OcflError::NoVersions);
    }
    for (index, version) in versions.iter().enumerate() {
        let number = index + 1;
        if OffsetDateTime::parse(&version.created, &Rfc3339).is_err() {
            return Err(OcflError::BadCreated {
                version: number,
                created: version.created.clone(),
            });
        }
        if version.user.name.trim().is_empty() {
            return Err(OcflError::EmptyUserName { version: number });
        }
        for path in version.files.keys() {
            logical_path::check(path).map_err(|reason| OcflError::BadLogicalPath {
                version: number,
                path: path.clone(),
                reason,
            })?;
        }
        if let Some((file, inside)) =
            logical_path::find_conflict(version.files.keys().map(String::as_str))
        {
            return Err(OcflError::ConflictingLogicalPaths {
                version: number,
                file: file.to_string(),
                inside: inside.to_string(),
            });
        }
        if let Some((first, second)) = logical_path::find_case_collision(version.files.keys()) {
            return Err(OcflError::LogicalPathsDifferInCase {
                version: number,
                first,
                second,
            });
        }
    }
    Ok(())
}

fn ensure_target_free(dir: &Path) -> Result<(), OcflError> {
    match fs::symlink_metadata(dir) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(OcflError::io(dir)(error)),
        Ok(meta) if meta.is_dir() => {
            let mut entries = fs::read_dir(dir).map_err(OcflError::io(dir))?;
            match entries.next() {
                None => Ok(()),
                Some(_) => Err(OcflError::TargetNotEmpty(dir.to_path_buf())),
            }
        }
        Ok(_) => Err(OcflError::TargetNotEmpty(dir.to_path_buf())),
    }
}

/// Writes the whole object into `root` (an empty directory).
fn build(root: &Path, id: &str, versions: &[OcflVersion]) -> Result<OcflSummary, OcflError> {
    write_file(&root.join(NAMASTE_FILE), NAMASTE_CONTENT.as_bytes())?;

    let mut inventory = Inventory::new(id);
    let mut stored_files = 0;
    let mut stored_bytes = 0u64;
    let mut head_bytes = Vec::new();
    for (index, version) in versions.iter().enumerate() {
        let name = version_name(index + 1);
        let version_dir = root.join(&name);
        fs::create_dir(&version_dir).map_err(OcflError::io(&version_dir))?;

        let mut state = DigestMap::new();
        // BTreeMap order: paths in each state list are sorted, and the first path (in sorted
        // order) of a new digest is the one stored.
        for (path, bytes) in &version.files {
            let digest = sha512_hex(bytes);
            if !inventory.manifest.contains_key(&digest) {
                let content_path = format!("{name}/{}/{path}", inventory.content_directory());
                write_file(&logical_path::on_disk(root, &content_path), bytes)?;
                inventory
                    .manifest
                    .insert(digest.clone(), vec![content_path]);
                stored_files += 1;
                stored_bytes += bytes.len() as u64;
            }
            state.entry(digest).or_default().push(path.clone());
        }
        inventory.versions.insert(
            name.clone(),
            Version {
                created: version.created.clone(),
                message: Some(version.message.clone()),
                state,
                user: Some(User {
                    address: version.user.address.clone(),
                    name: version.user.name.clone(),
                }),
            },
        );
        inventory.head = name;

        // The copy in the version directory is the inventory as of this version; later
        // versions only add to it, so it never changes afterwards.
        head_bytes = inventory.to_bytes();
        write_file(&version_dir.join(INVENTORY_FILE), &head_bytes)?;
        write_file(
            &version_dir.join(SIDECAR_FILE),
            sidecar_text(&head_bytes).as_bytes(),
        )?;
    }

    // The root inventory is identical to the head version's; its sidecar comes last, so a
    // root inventory without a sidecar marks an unfinished object.
    write_file(&root.join(INVENTORY_FILE), &head_bytes)?;
    write_file(
        &root.join(SIDECAR_FILE),
        sidecar_text(&head_bytes).as_bytes(),
    )?;

    Ok(OcflSummary {
        head: inventory.head.clone(),
        version_count: versions.len(),
        stored_files,
        stored_bytes,
        inventory_sha512: inventory::sha512_hex(&head_bytes),
    })
}

/// Creates the file (and its parent directories) and flushes it to disk, so that the rename at
/// the end never publishes an object whose files are still only in the page cache.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), OcflError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(OcflError::io(parent))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(OcflError::io(path))?;
    file.write_all(bytes).map_err(OcflError::io(path))?;
    file.sync_all().map_err(OcflError::io(path))
}

/// The hidden sibling directory an object is built in; removed again unless moved into place.
struct Staging {
    path: PathBuf,
    moved: bool,
}

impl Staging {
    fn create(parent: &Path, target_name: &str) -> Result<Self, OcflError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        loop {
            let attempt = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = parent.join(format!(
                ".{target_name}.ocfl-partial-{}-{attempt}",
                std::process::id()
            ));
            match fs::create_dir(&path) {
                Ok(()) => return Ok(Staging { path, moved: false }),
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(error) => return Err(OcflError::io(&path)(error)),
            }
        }
    }

    fn path(&self) -> &Path {
        &self.path
    }

    fn move_to(mut self, target: &Path) -> Result<(), OcflError> {
        // Checked again: the target may have been filled while we were writing. An empty
        // directory is removed first because Windows cannot rename onto one.
        ensure_target_free(target)?;
        sync_directories(&self.path);
        if target.exists() {
            fs::remove_dir(target).map_err(OcflError::io(target))?;
        }
        fs::rename(&self.path, target).map_err(OcflError::io(target))?;
        self.moved = true;
        sync_parent_directory(target);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.moved {
            // Best effort: a leftover hidden directory is harmless, a half object at the
            // target is what we must avoid, and that cannot happen before the rename.
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// Flushes the directory entries of the staged tree, so that after a power loss the renamed
/// object has all its files, not just their data (POSIX only; best effort).
fn sync_directories(root: &Path) {
    #[cfg(unix)]
    {
        if let Ok(entries) = fs::read_dir(root) {
            for entry in entries.flatten() {
                if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                    sync_directories(&entry.path());
                }
            }
        }
        if let Ok(directory) = fs::File::open(root) {
            let _ = directory.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = root;
}

/// Makes the rename itself durable (POSIX only; Windows cannot open directories this way).
fn sync_parent_directory(target: &Path) {
    #[cfg(unix)]
    if let Some(parent) = target.parent() {
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Ok(directory) = fs::File::open(parent) {
            let _ = directory.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = target;
}
