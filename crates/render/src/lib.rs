//! ccm-render — one template, four real outputs.
//!
//! Pipeline: template files → Tera (strict variables, blocks by name) → Markdown → one renderer
//! per channel → rendition (bytes + metrics) and diagnostics.

pub mod diagnostic;
pub use diagnostic::{Diagnostic, Severity};
