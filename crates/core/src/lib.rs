//! ccm-core — everything CCM Studio does that is not rendering and not UI.
//!
//! - [`diagnostic`]: the one shape of everything CCM Studio reports, and the code registry.
//! - [`model`]: templates, versions, channels, personas, blocks, brand kits, assets.
//! - `store`: the SQLite library (migrations, versions, FTS search, blobs).
//! - `format`: the template file format (parse with file/line errors, write for export).
//! - `library`: import, export and watch, on top of `format` and `store`.
//! - `assets`: image decoding with limits, thumbnails.

pub mod assets;
pub mod diagnostic;
pub mod error;
pub mod format;
pub mod library;
pub mod model;
pub mod store;
pub mod watch;

pub use error::{Error, Result};
