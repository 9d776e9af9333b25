//! ccm-trust — the compliance officer's half of CCM Studio.
//!
//! - [`review`]: the review states (draft → in review → approved | changes requested; approved
//!   → stale), enforced here and nowhere else; four-eyes and the compliance role.
//! - [`manifest`]: what an approval binds to — the sha256 of every rendition, source file,
//!   block, brand file, rule pack and font, and the renderer version.
//! - [`entry`]: one signed archive entry (approval, request for changes, withdrawal, comment).
//! - [`archive`]: the append-only, hash-chained log and its verification.
//! - [`merkle`] and [`checkpoint`]: the RFC 9162 tree over entries and its signed heads.
//! - [`ocfl`]: export as OCFL 1.1 objects a third party can check.
//! - [`jcs`]: the one canonical JSON (RFC 8785) for everything hashed or signed.

pub mod archive;
pub mod brand_change;
pub mod checkpoint;
pub mod diff;
pub mod entry;
pub mod error;
pub mod evidence;
pub mod impact;
pub mod inputs;
pub mod jcs;
pub mod manifest;
pub mod merkle;
pub mod ocfl;
pub mod ocfl_export;
pub mod prove;
pub mod rerender;
pub mod review;
pub mod share;
pub mod verify;

pub use error::{Refusal, TrustError};
