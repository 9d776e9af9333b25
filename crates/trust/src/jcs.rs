//! Canonical JSON (RFC 8785, JCS) for everything that is hashed or signed: key order, number
//! and string forms are fixed, so the same value always gives the same bytes on every machine.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The JCS bytes of `value`.
pub fn to_vec<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising our own plain structs cannot fail (no maps with non-string keys, no NaN).
    serde_json_canonicalizer::to_vec(value).expect("canonical JSON of a plain value")
}

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
