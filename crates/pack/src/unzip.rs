//! Reading a pack's ZIP as hostile input. Everything is checked from the central directory
//! before a byte is inflated (entry count, sizes, ratios, names, types, encryption, method),
//! then each entry is inflated into memory with its declared size as a hard cap. Nothing is
//! ever written to disk from a ZIP: an entry name is only a key, read through the zip crate's
//! `enclosed_name()` and required to be in plain normal form.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Component;

use zip::read::{ArchiveOffset, Config};
use zip::{CompressionMethod, ZipArchive, ZipReadOptions};

use crate::error::{codes, refuse, refuse_entry, Result};

/// Limits on what a pack may hold. The defaults fit a brand's whole library (thousands of
/// templates with every rendition) with a wide margin, and stop zip bombs long before memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The pack file itself.
    pub max_pack_bytes: u64,
    pub max_entries: usize,
    /// Sum of the uncompressed sizes.
    pub max_total_bytes: u64,
    pub max_entry_bytes: u64,
    /// Uncompressed ÷ compressed, checked for entries above `ratio_floor` bytes (small files
    /// of repeated text legitimately compress very well; bombs are large).
    pub max_ratio: u64,
    pub ratio_floor: u64,
    pub max_name_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_pack_bytes: 4 << 30,
            max_entries: 200_000,
            max_total_bytes: 4 << 30,
            max_entry_bytes: 512 << 20,
            max_ratio: 200,
            ratio_floor: 1 << 20,
            max_name_bytes: 512,
        }
    }
}

/// The entries of a pack: name → bytes, name → sha256 (hex), and the names in ZIP order.
pub struct Entries {
    pub files: BTreeMap<String, Vec<u8>>,
    pub sha256: BTreeMap<String, String>,
    pub order: Vec<String>,
}

/// An inflated entry: its index, bytes, sha256 (hex) and stored size.
type Inflated = (usize, Vec<u8>, String, u64);

/// Inflates entry `i` with its declared size as a hard cap, and hashes it.
fn inflate(zip: &mut ZipArchive<Cursor<&[u8]>>, i: usize, name: &str) -> Result<Inflated> {
    let options = ZipReadOptions::new().enforce_header_consistency(true);
    let mut f = zip.by_index_with_options(i, options).map_err(|e| {
        refuse_entry(
            codes::DAMAGED_ENTRY,
            name,
            format!("cannot be read: {e}"),
            DAMAGED_HINT,
        )
    })?;
    let declared = f.size();
    let mut buf = Vec::with_capacity(declared as usize);
    (&mut f)
        .take(declared + 1)
        .read_to_end(&mut buf)
        .map_err(|e| {
            refuse_entry(
                codes::DAMAGED_ENTRY,
                name,
                format!("cannot be unpacked: {e}"),
                DAMAGED_HINT,
            )
        })?;
    if buf.len() as u64 != declared {
        return Err(refuse_entry(
            codes::ZIP_BOMB,
            name,
            format!(
                "the entry unpacks to {} bytes but declares {declared}",
                buf.len()
            ),
            BOMB_HINT,
        ));
    }
    let sha = crate::layout::sha256_hex(&buf);
    Ok((i, buf, sha, f.compressed_size()))
}

const BOMB_HINT: &str =
    "do not open this pack; ask its sender for the pack CCM Studio exported (`ccm pack export`)";
const DAMAGED_HINT: &str =
    "the pack is damaged or was altered: ask its sender for the pack file and its .minisig again";

/// Reads every entry of the ZIP in `bytes` under `limits`.
pub fn read_entries(
    bytes: &[u8],
    limits: &Limits,
    mut progress: impl FnMut(u64),
) -> Result<Entries> {
    let config = Config {
        archive_offset: ArchiveOffset::Known(0),
    };
    let mut zip = ZipArchive::with_config(config, Cursor::new(bytes)).map_err(|e| {
        refuse(
            codes::NOT_ZIP,
            format!("the pack is not a complete ZIP file (truncated or damaged): {e}"),
            DAMAGED_HINT,
        )
    })?;
    if zip.len() > limits.max_entries {
        return Err(refuse(
            codes::TOO_MANY_ENTRIES,
            format!(
                "the pack has {} entries; at most {} are accepted",
                zip.len(),
                limits.max_entries
            ),
            BOMB_HINT,
        ));
    }
    if zip.has_duplicate_names() {
        return Err(refuse(
            codes::DUPLICATE,
            "the pack holds two entries with the same name: which one a tool reads would depend on the tool",
            DAMAGED_HINT,
        ));
    }
    let mut total: u64 = 0;
    let mut order = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let e = zip.by_index_data(i).map_err(|err| {
            refuse(
                codes::NOT_ZIP,
                format!("entry #{i} is unreadable: {err}"),
                DAMAGED_HINT,
            )
        })?;
        let raw = e.name_raw();
        let shown = String::from_utf8_lossy(raw).replace('\0', "\\0");
        if raw.contains(&0) {
            return Err(refuse_entry(
                codes::UNSAFE_NAME,
                shown,
                "the name contains a NUL byte (tools disagree on where such a name ends)",
                BOMB_HINT,
            ));
        }
        if raw.len() > limits.max_name_bytes {
            return Err(refuse_entry(
                codes::UNSAFE_NAME,
                shown,
                format!("the name is longer than {} bytes", limits.max_name_bytes),
                BOMB_HINT,
            ));
        }
        let name = std::str::from_utf8(raw).map_err(|_| {
            refuse_entry(
                codes::UNSAFE_NAME,
                shown.clone(),
                "the name is not UTF-8",
                BOMB_HINT,
            )
        })?;
        let enclosed = e.enclosed_name().ok_or_else(|| {
            refuse_entry(
                codes::UNSAFE_NAME,
                name,
                "the name is absolute or climbs out of the folder it is unpacked into (`..`)",
                BOMB_HINT,
            )
        })?;
        let normal = !name.contains('\\')
            && !name.ends_with('/')
            && enclosed
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
            && enclosed.to_str() == Some(name);
        if !normal {
            return Err(refuse_entry(
                codes::UNSAFE_NAME,
                name,
                "the name is not a plain relative path (`./`, `//`, backslashes or a trailing slash)",
                BOMB_HINT,
            ));
        }
        if e.is_symlink() {
            return Err(refuse_entry(
                codes::SYMLINK,
                name,
                "the entry is a symbolic link; packs hold regular files only",
                BOMB_HINT,
            ));
        }
        if e.is_dir() || !e.is_file() {
            return Err(refuse_entry(
                codes::NOT_A_FILE,
                name,
                "the entry is not a regular file; packs hold regular files only",
                BOMB_HINT,
            ));
        }
        if e.encrypted() {
            return Err(refuse_entry(
                codes::ENCRYPTED,
                name,
                "the entry is encrypted; pack entries are never encrypted (the pack is signed instead)",
                BOMB_HINT,
            ));
        }
        let method = e.compression();
        if method != CompressionMethod::Deflated && method != CompressionMethod::Stored {
            return Err(refuse_entry(
                codes::COMPRESSION,
                name,
                format!("the entry uses {method:?}; packs use Deflate only"),
                BOMB_HINT,
            ));
        }
        let size = e.size();
        if size > limits.max_entry_bytes {
            return Err(refuse_entry(
                codes::ZIP_BOMB,
                name,
                format!(
                    "the entry unpacks to {size} bytes; at most {} are accepted per entry",
                    limits.max_entry_bytes
                ),
                BOMB_HINT,
            ));
        }
        if size > limits.ratio_floor && size / e.compressed_size().max(1) > limits.max_ratio {
            return Err(refuse_entry(
                codes::ZIP_BOMB,
                name,
                format!(
                    "the entry unpacks {}× larger than it is stored ({} → {size} bytes); at most {}× is accepted",
                    size / e.compressed_size().max(1),
                    e.compressed_size(),
                    limits.max_ratio
                ),
                BOMB_HINT,
            ));
        }
        total = total.saturating_add(size);
        if total > limits.max_total_bytes {
            return Err(refuse(
                codes::ZIP_BOMB,
                format!(
                    "the pack unpacks to more than {} bytes",
                    limits.max_total_bytes
                ),
                BOMB_HINT,
            ));
        }
        order.push(name.to_owned());
    }
    // Local headers that disagree with the central directory, overlapping entries (the
    // "better zip bomb") and local headers the directory does not list.
    zip.validate_header_consistency().map_err(|e| {
        refuse(
            codes::INCONSISTENT,
            format!("the ZIP's local headers do not match its directory: {e}"),
            DAMAGED_HINT,
        )
    })?;
    // Inflate and hash on every core: each worker reads its share of the entries through its
    // own handle on the same bytes.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(order.len().max(1));
    let results: Vec<Result<Vec<Inflated>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let mut zip = zip.clone();
                let order = &order;
                s.spawn(move || {
                    (w..order.len())
                        .step_by(workers)
                        .map(|i| inflate(&mut zip, i, &order[i]))
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("unzip worker"))
            .collect()
    });
    let mut inflated: Vec<Inflated> = Vec::with_capacity(order.len());
    for r in results {
        inflated.extend(r?);
    }
    inflated.sort_by_key(|(i, ..)| *i);
    let mut files = BTreeMap::new();
    let mut sha256 = BTreeMap::new();
    for (i, bytes, sha, compressed) in inflated {
        progress(compressed);
        sha256.insert(order[i].clone(), sha);
        files.insert(order[i].clone(), bytes);
    }
    Ok(Entries {
        files,
        sha256,
        order,
    })
}
