//! ccm-core — everything CCM Studio does that is not rendering and not UI.
//!
//! - [`diagnostic`]: the one shape of everything CCM Studio reports, and the code registry.
//! - [`model`]: templates, versions, channels, personas, blocks, brand kits, assets.
//! - `store`: the SQLite library (migrations, versions, FTS search, blobs).
//! - `format`: the template file format (parse with file/line errors, write for export).
//! - `library`: import, export and watch, on top of `format` and `store`.
//! - `assets`: image decoding with limits, thumbnails.
//! - [`limits`]: every limit on untrusted input, in one place (`docs/SECURITY.md`).
//! - [`identity`], [`team`]: who works here (minisign key pairs) and the team roster.
//! - [`library_lock`]: one running app per library file; [`desktop_settings`]: what the app
//!   remembers between runs (window, last template).

pub mod assets;
pub mod brand_edit;
pub mod desktop_settings;
pub mod diagnostic;
pub mod error;
pub mod format;
pub mod identity;
pub mod library;
pub mod library_lock;
pub mod limits;
pub mod model;
pub mod store;
pub mod team;
pub mod watch;

pub use error::{Error, Result};
