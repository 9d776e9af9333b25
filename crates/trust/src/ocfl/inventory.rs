//! The OCFL inventory (`inventory.json`) and its digest sidecar, as serde types.
//!
//! Field order in the structs is alphabetical and every map is a `BTreeMap`, so serialising
//! gives sorted keys and the same bytes for the same inventory.

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use sha2::{Digest, Sha512};

pub(super) const NAMASTE_FILE: &str = "0=ocfl_object_1.1";
pub(super) const NAMASTE_CONTENT: &str = "ocfl_object_1.1\n";
pub(super) const INVENTORY_TYPE: &str = "https://ocfl.io/1.1/spec/#inventory";
pub(super) const DIGEST_ALGORITHM: &str = "sha512";
pub(super) const INVENTORY_FILE: &str = "inventory.json";
pub(super) const SIDECAR_FILE: &str = "inventory.json.sha512";
pub(super) const DEFAULT_CONTENT_DIRECTORY: &str = "content";

/// Digest → paths (content paths in the manifest, logical paths in a version state).
pub(super) type DigestMap = BTreeMap<String, Vec<String>>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Inventory {
    /// Omitted when it is the default `content`; only read from objects written elsewhere.
    #[serde(
        rename = "contentDirectory",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub content_directory: Option<String>,
    #[serde(rename = "digestAlgorithm")]
    pub digest_algorithm: String,
    pub head: String,
    pub id: String,
    pub manifest: DigestMap,
    #[serde(rename = "type")]
    pub kind: String,
    /// Keyed `v1`, `v2`, ...; written in version order rather than string order (v2 before
    /// v10), which is still deterministic.
    #[serde(serialize_with = "serialize_in_version_order")]
    pub versions: BTreeMap<String, Version>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Version {
    pub created: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub state: DigestMap,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct User {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    pub name: String,
}

impl Inventory {
    pub fn new(id: &str) -> Self {
        Inventory {
            content_directory: None,
            digest_algorithm: DIGEST_ALGORITHM.to_string(),
            head: String::new(),
            id: id.to_string(),
            manifest: DigestMap::new(),
            kind: INVENTORY_TYPE.to_string(),
            versions: BTreeMap::new(),
        }
    }

    /// Pretty-printed JSON with a final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Only strings, string-keyed maps and arrays: serialising cannot fail.
        let mut bytes = serde_json::to_vec_pretty(self).expect("inventory serialises");
        bytes.push(b'\n');
        bytes
    }

    pub fn content_directory(&self) -> &str {
        self.content_directory
            .as_deref()
            .unwrap_or(DEFAULT_CONTENT_DIRECTORY)
    }
}

/// `vN` for version number `n` (no zero-padding).
pub(super) fn version_name(n: usize) -> String {
    format!("v{n}")
}

/// The number of `vN` with N ≥ 1 and no leading zero; None for anything else.
pub(super) fn version_number(name: &str) -> Option<usize> {
    let digits = name.strip_prefix('v')?;
    if digits.is_empty() || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn serialize_in_version_order<S: Serializer>(
    versions: &BTreeMap<String, Version>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut ordered: Vec<_> = versions.iter().collect();
    ordered.sort_by_key(|(name, _)| (version_number(name).unwrap_or(usize::MAX), name.as_str()));
    let mut map = serializer.serialize_map(Some(ordered.len()))?;
    for (name, version) in ordered {
        map.serialize_entry(name, version)?;
    }
    map.end()
}

/// Lower-case hex sha512 of `bytes`.
pub(super) fn sha512_hex(bytes: &[u8]) -> String {
    hex::encode(Sha512::digest(bytes))
}

/// The sidecar text for inventory bytes; two spaces as in `sha512sum` output, so
/// `sha512sum -c inventory.json.sha512` also checks it.
pub(super) fn sidecar_text(inventory_bytes: &[u8]) -> String {
    format!("{}  {INVENTORY_FILE}\n", sha512_hex(inventory_bytes))
}

/// The digest a sidecar states, if it has the form `<digest><whitespace>inventory.json`.
pub(super) fn parse_sidecar(text: &str) -> Option<&str> {
    let mut words = text.split_whitespace();
    let digest = words.next()?;
    (words.next() == Some(INVENTORY_FILE) && words.next().is_none()).then_some(digest)
}

/// A well-formed sha512 digest: 128 hex digits.
pub(super) fn is_sha512_hex(digest: &str) -> bool {
    digest.len() == 128 && digest.bytes().all(|b| b.is_ascii_hexdigit())
}
