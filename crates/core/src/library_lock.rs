//! One running app per library file. The desktop app takes an exclusive advisory lock on
//! `<library>.lock` beside the library and writes its process id into it, so a second instance
//! opening the same library can say who holds it instead of two windows saving over each other.
//! (SQLite keeps the data itself consistent; the `ccm` command line does not take this lock, so
//! scripts keep working while the app is open.)
//!
//! The lock is `File::try_lock` (flock on Unix, LockFileEx on Windows): the OS drops it when the
//! process ends, however it ends, so a crash never leaves a library locked.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Held while the library is open; dropping it releases the lock.
#[derive(Debug)]
pub struct LibraryLock {
    // Kept open: closing the file releases the lock.
    _file: File,
    path: PathBuf,
}

/// Why the lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process holds it (`pid` as it wrote it, when readable).
    #[error("the library is open in another CCM Studio (process {}); lock file {}", pid.map_or("unknown".to_string(), |p| p.to_string()), lock_file.display())]
    Held {
        lock_file: PathBuf,
        pid: Option<u32>,
    },
    #[error("cannot use the lock file {}: {source}", lock_file.display())]
    Io {
        lock_file: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl LibraryLock {
    /// `library.sqlite` → `library.sqlite.lock`, in the same folder.
    pub fn lock_path(library: &Path) -> PathBuf {
        let mut name = library.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        library.with_file_name(name)
    }

    /// Takes the lock for `library` without waiting (creating the folder and the lock file if
    /// needed) and records this process's id in it.
    pub fn acquire(library: &Path) -> Result<LibraryLock, LockError> {
        let lock_file = Self::lock_path(library);
        let io = |source| LockError::Io {
            lock_file: lock_file.clone(),
            source,
        };
        if let Some(dir) = lock_file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        // Not truncated on open: the holder's pid must stay readable for the one refused.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_file)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                return Err(LockError::Held {
                    pid: text.trim().parse().ok(),
                    lock_file,
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        writeln!(file, "{}", std::process::id()).map_err(io)?;
        file.flush().map_err(io)?;
        Ok(LibraryLock {
            _file: file,
            path: lock_file,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_with_the_first_ones_process_id() {
        let dir = tempfile::tempdir().unwrap();
        let library = dir.path().join("sub/library.sqlite");
        let first = LibraryLock::acquire(&library).expect("first lock");
        assert_eq!(first.path(), dir.path().join("sub/library.sqlite.lock"));
        // flock locks belong to the open file, so a second open in this process is refused
        // exactly like another process would be.
        match LibraryLock::acquire(&library) {
            Err(LockError::Held { pid, lock_file }) => {
                assert_eq!(pid, Some(std::process::id()));
                assert_eq!(lock_file, first.path());
            }
            other => panic!("expected Held, got {other:?}"),
        }
        let message = LibraryLock::acquire(&library).unwrap_err().to_string();
        assert!(
            message.contains(&std::process::id().to_string()),
            "{message}"
        );
        drop(first);
        let again = LibraryLock::acquire(&library).expect("free again once the holder is gone");
        drop(again);
    }

    #[test]
    fn other_libraries_are_independent() {
        let dir = tempfile::tempdir().unwrap();
        let _a = LibraryLock::acquire(&dir.path().join("a.sqlite")).unwrap();
        let _b = LibraryLock::acquire(&dir.path().join("b.sqlite")).expect("another file");
    }
}

/// A path for a new library beside `library` that does not exist yet (`library-2.sqlite`,
/// `library-3.sqlite`, …): what the app offers when `library` cannot be used.
pub fn fresh_library_path(library: &Path) -> PathBuf {
    let stem = library
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "library".to_owned());
    let ext = library
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sqlite".to_owned());
    (2..)
        .map(|n| library.with_file_name(format!("{stem}-{n}.{ext}")))
        .find(|p| !p.exists())
        .expect("some number is free")
}

#[cfg(test)]
mod fresh_tests {
    use super::*;

    #[test]
    fn a_fresh_path_never_names_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let lib = dir.path().join("library.sqlite");
        assert_eq!(
            fresh_library_path(&lib),
            dir.path().join("library-2.sqlite")
        );
        std::fs::write(dir.path().join("library-2.sqlite"), "").unwrap();
        assert_eq!(
            fresh_library_path(&lib),
            dir.path().join("library-3.sqlite")
        );
    }
}
