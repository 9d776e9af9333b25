//! What a pack holds and where: the manifest's shape, entry paths, `SHA256SUMS`, and the one
//! deterministic way a pack's ZIP is written (fixed order, time, compression, permissions).
//!
//! ```text
//! manifest.json                                   this file's shape: [`PackManifest`]
//! SHA256SUMS                                      `sha256sum -c --strict` over every other entry
//! team.json                                       roster members whose keys the pack relies on
//! brand/<file>                                    the approved brand kit version
//! templates/<id>/source/<file>                    the approved template version
//! templates/<id>/renditions/<locale>/<persona>/<file>   the exact approved bytes
//! templates/<id>/approval/entry.json[.minisig]    the approver's signed archive entry
//! templates/<id>/approval/manifest.json           what the approval binds to
//! templates/<id>/evidence.pdf                     the review record (PDF/A-3b)
//! email|sms|push|print/<id>/<locale>/<persona>.*  `--layout channels`: the same renditions
//!                                                 where a sending system picks them up
//! ```

use std::io::{Seek, Write};

use ccm_core::identity::{Member, Role};
use ccm_trust::manifest::RenditionDigest;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, PreparedZipFile, System, ZipWriter};

pub const PACK_TYPE: &str = "ccm-pack/1";
pub const MANIFEST: &str = "manifest.json";
pub const SUMS: &str = "SHA256SUMS";
pub const TEAM: &str = "team.json";

/// How renditions are laid out besides `templates/<id>/renditions/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Everything under `templates/<id>/`.
    #[default]
    Generic,
    /// Also one folder per channel (`email/`, `sms/`, `push/`, `print/`) with one file per
    /// template × locale × persona, the shape an ESP, SMS gateway, push service or print
    /// vendor imports as it is.
    Channels,
}

impl std::str::FromStr for Layout {
    type Err = String;
    fn from_str(s: &str) -> Result<Layout, String> {
        match s {
            "generic" => Ok(Layout::Generic),
            "channels" => Ok(Layout::Channels),
            other => Err(format!(
                "`{other}` is not a layout: use generic or channels"
            )),
        }
    }
}

/// One file in the pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

impl PackFile {
    pub fn of(path: impl Into<String>, bytes: &[u8]) -> PackFile {
        PackFile {
            path: path.into(),
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
        }
    }
}

/// The brand member who cut and signed the pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Creator {
    pub name: String,
    /// Key fingerprint (minisign key id).
    pub key: String,
    /// The minisign public key line: `minisign -Vm x.ccmpack -P <this>`.
    pub public_key: String,
}

/// The archive head the pack was cut from: every included approval is proved to be in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveHead {
    pub size: u64,
    /// Merkle root (hex) of the sending library's archive at that size.
    pub root: String,
    /// The signed checkpoint (C2SP note) of that head.
    pub checkpoint: String,
}

/// Which approval a template is in the pack under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalRef {
    pub seq: u64,
    /// sha256 of `approval/entry.json`.
    pub hash: String,
    pub manifest_sha256: String,
    pub approved_by: String,
    pub approved_at: String,
    /// RFC 9162 inclusion proof (hex) of the entry in the archive head.
    pub inclusion_proof: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackTemplate {
    pub id: String,
    /// The version number in the sending library.
    pub version: u32,
    pub version_hash: String,
    pub approval: ApprovalRef,
    /// Every file of this template in the pack, sorted by path.
    pub files: Vec<PackFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandKitFiles {
    pub version: u32,
    pub files: Vec<PackFile>,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackManifest {
    #[serde(rename = "type")]
    pub type_: String,
    pub pack_id: String,
    /// The archive size the pack was cut from: grows with every review event, so a later
    /// pack of a brand always has a larger number and re-cutting the same head gives the same.
    pub sequence: u64,
    pub brand: String,
    pub created_by: Creator,
    /// The time of the archive head entry (not the clock), so exporting again is byte-identical.
    pub created_at: String,
    pub layout: Layout,
    pub archive: ArchiveHead,
    pub brand_kit: BrandKitFiles,
    pub team: PackFile,
    pub templates: Vec<PackTemplate>,
}

impl PackManifest {
    /// Every file the manifest lists (all entries but `manifest.json` and `SHA256SUMS`).
    pub fn listed(&self) -> impl Iterator<Item = &PackFile> {
        std::iter::once(&self.team)
            .chain(self.brand_kit.files.iter())
            .chain(self.templates.iter().flat_map(|t| t.files.iter()))
    }
}

/// One member in `team.json`: the people whose keys the pack relies on (approvers, the
/// checkpoint's signer, the exporter) with the role the sending library's roster gave them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamMember {
    pub fingerprint: String,
    pub name: String,
    pub role: Role,
    pub public_key: String,
}

impl TeamMember {
    pub fn of(m: &Member) -> ccm_core::Result<TeamMember> {
        Ok(TeamMember {
            fingerprint: m.fingerprint()?,
            name: m.name.clone(),
            role: m.role,
            public_key: m.public_key.clone(),
        })
    }
}

pub fn template_dir(id: &str) -> String {
    format!("templates/{id}")
}

pub fn source_path(id: &str, file: &str) -> String {
    format!("templates/{id}/source/{file}")
}

pub fn rendition_path(id: &str, r: &RenditionDigest) -> String {
    format!("templates/{id}/renditions/{}", r.path())
}

pub fn approval_path(id: &str, file: &str) -> String {
    format!("templates/{id}/approval/{file}")
}

pub fn evidence_path(id: &str) -> String {
    format!("templates/{id}/evidence.pdf")
}

pub fn brand_path(file: &str) -> String {
    format!("brand/{file}")
}

/// Where `--layout channels` puts a rendition, `None` for the ones a sending system does not
/// take (email HTML/text parts, metrics, the plain SMS text).
pub fn channel_path(id: &str, r: &RenditionDigest) -> Option<String> {
    let (folder, ext) = match r.name.as_str() {
        "email.eml" => ("email", "eml"),
        "sms.json" => ("sms", "json"),
        "push.apns.json" => ("push", "apns.json"),
        "push.fcm.json" => ("push", "fcm.json"),
        "print.pdf" => ("print", "pdf"),
        _ => return None,
    };
    Some(format!("{folder}/{id}/{}/{}.{ext}", r.locale, r.persona))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `SHA256SUMS` in the format `sha256sum` writes and `sha256sum -c --strict` reads:
/// `<hex>  <path>` (two spaces: text mode, which is the same as binary on every system that
/// runs sha256sum from coreutils), one line per file, sorted by path.
pub fn sums_text(files: &[PackFile]) -> String {
    let mut lines: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (f.path.as_str(), f.sha256.as_str()))
        .collect();
    lines.sort();
    lines
        .into_iter()
        .map(|(p, h)| format!("{h}  {p}\n"))
        .collect()
}

/// Parses `SHA256SUMS`: path → sha256. `None` with the line number of the first line that is
/// not `<64 hex>  <path>`, or names a path twice.
pub fn parse_sums(text: &str) -> Result<Vec<(String, String)>, usize> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let (hash, path) = line.split_once("  ").ok_or(i + 1)?;
        let hash_ok = hash.len() == 64
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !hash_ok || path.is_empty() || path.starts_with('*') {
            return Err(i + 1);
        }
        out.push((path.to_owned(), hash.to_owned()));
    }
    let mut sorted: Vec<&str> = out.iter().map(|(p, _)| p.as_str()).collect();
    sorted.sort_unstable();
    if let Some(pos) = sorted.windows(2).position(|w| w[0] == w[1]) {
        let dup = sorted[pos];
        let line = out.iter().rposition(|(p, _)| p == dup).unwrap_or(0);
        return Err(line + 1);
    }
    Ok(out)
}

/// The pack's fixed entry time: the archive head's date and time (UTC, as DOS time keeps it,
/// to two seconds), so exporting the same head again gives the same bytes.
pub fn entry_time(rfc3339: &str) -> DateTime {
    let num = |range: std::ops::Range<usize>| -> Option<u16> { rfc3339.get(range)?.parse().ok() };
    let parts = (|| {
        Some((
            num(0..4)?,
            num(5..7)? as u8,
            num(8..10)? as u8,
            num(11..13)? as u8,
            num(14..16)? as u8,
            num(17..19)? as u8,
        ))
    })();
    parts
        .and_then(|(y, mo, d, h, mi, s)| DateTime::from_date_and_time(y, mo, d, h, mi, s).ok())
        .unwrap_or_default()
}

/// The compression of every pack entry that is not compressed already: Deflate at level 6.
pub const DEFLATE_LEVEL: i64 = 6;

/// Entries kept as they are (ZIP method Stored): formats whose data is compressed already.
/// Deflating a PDF (its streams are Flate-compressed) saved about 13 % of its size and was
/// most of an export's CPU time; the name alone decides, so the same entries give the same
/// bytes.
pub fn stored_as_is(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(ext.as_deref(), Some("pdf" | "png" | "jpg" | "jpeg"))
}

/// Writes `entries` (path, bytes) in the order given as a ZIP: no directory entries, no extra
/// fields, no comment; every entry has the same time, permissions (0644) and, by its name, the
/// same compression ([`stored_as_is`], else [`DEFLATE_LEVEL`]), so the same entries give
/// the same bytes on every system. Entries are compressed on every core (each on its own, so
/// the result does not depend on how they were shared out) and written in order.
pub fn write_zip<W: Write + Seek>(
    out: W,
    entries: &[(String, Vec<u8>)],
    time: DateTime,
    mut progress: impl FnMut(usize),
) -> zip::result::ZipResult<W> {
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(DEFLATE_LEVEL))
        .last_modified_time(time)
        .system(System::Unix)
        .unix_permissions(0o644);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let mut zip = ZipWriter::new(out);
    // A batch at a time, so memory holds at most one batch of compressed copies besides the
    // entries themselves.
    let mut written = 0;
    for batch in entries.chunks(workers * 16) {
        let per = batch.len().div_ceil(workers).max(1);
        let prepared: Vec<zip::result::ZipResult<Vec<PreparedZipFile>>> = std::thread::scope(|s| {
            let handles: Vec<_> = batch
                .chunks(per)
                .map(|part| {
                    s.spawn(move || {
                        part.iter()
                            .map(|(path, bytes)| {
                                let options = if stored_as_is(path) {
                                    deflated
                                        .compression_method(CompressionMethod::Stored)
                                        .compression_level(None)
                                } else {
                                    deflated
                                };
                                let options =
                                    options.large_file(bytes.len() as u64 >= zip::ZIP64_BYTES_THR);
                                PreparedZipFile::from_data(path, options, bytes)
                            })
                            .collect()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("compression worker"))
                .collect()
        });
        for files in prepared {
            for f in files? {
                zip.add_prepared_file(f)?;
                written += 1;
                progress(written);
            }
        }
    }
    zip.finish()
}
/// The pack id: a digest of what the pack is (brand, archive head, layout, and which approval
/// of which template), so the same cut gets the same id and any other cut a different one.
pub fn pack_id(m: &PackManifest) -> String {
    let mut text = format!(
        "{PACK_TYPE}\n{}\n{}\n{}\n{:?}\n",
        m.brand, m.archive.size, m.archive.root, m.layout
    );
    for t in &m.templates {
        text.push_str(&format!("{} {}\n", t.id, t.approval.hash));
    }
    sha256_hex(text.as_bytes())[..24].to_owned()
}

/// The trusted comment of the pack's signature: signed with it, so `minisign -V` shows which
/// pack, brand and sequence the signature is for, and nobody can move it onto another pack.
pub fn trusted_comment(m: &PackManifest) -> String {
    format!(
        "ccm pack {} brand {} sequence {} by {}",
        m.pack_id, m.brand, m.sequence, m.created_by.key
    )
}

/// `x.ccmpack` → `x.ccmpack.minisig`.
pub fn signature_path(pack: &std::path::Path) -> std::path::PathBuf {
    let mut name = pack.as_os_str().to_owned();
    name.push(".minisig");
    std::path::PathBuf::from(name)
}
