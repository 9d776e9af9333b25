//! ccm-bundled — what ships inside the CCM Studio binaries (the desktop app and `ccm`), so an
//! installed copy needs no source tree:
//!
//! - [`rules`]: the compliance rule packs of `assets/rules/`, or a folder named by the caller
//!   (`--rules` / `CCM_RULES`).
//! - [`samples`]: the sample library (`templates/` + `assets/brands/`), imported into a library.
//! - [`licences`]: the licences of the bundled fonts, Rust crates and npm packages (About).
//! - [`build`]: version and the git commit the binaries were built from.
//!
//! The files are compiled in by `build.rs` (see there for why not a proc-macro crate).

pub mod build;
pub mod licences;
pub mod rules;
pub mod samples;

/// One file compiled into the binary, by its path relative to the repository root.
#[derive(Debug, Clone, Copy)]
pub struct BundledFile {
    pub path: &'static str,
    pub bytes: &'static [u8],
}

impl BundledFile {
    /// The file name (last path segment).
    pub fn name(&self) -> &'static str {
        self.path.rsplit('/').next().unwrap_or(self.path)
    }

    /// The text; bundled text files are UTF-8 (the file format requires it).
    pub fn text(&self) -> &'static str {
        std::str::from_utf8(self.bytes).unwrap_or("")
    }
}

/// The generated lists (`RULE_PACKS`, `SAMPLES`, `FONT_LICENCES`, `LICENCE_LISTS`) and
/// `GIT_COMMIT` / `VERSION_LINE`.
mod generated {
    use super::BundledFile;
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}
