//! ccm-render — one template, four real outputs.
//!
//! Pipeline: template files → Tera (strict variables, blocks by name) → Markdown → one renderer
//! per channel → rendition (bytes + metrics) and diagnostics.
//!
//! - [`pipeline`]: the contract — [`Engine`], [`render`], [`render_all`], [`RenderOptions`];
//!   it orchestrates one adapter per channel (`adapter/`: email, sms, push, print) behind one
//!   trait, with the warm caches in `engine`.
//! - [`rendition`]: typed renditions, artifacts (file name, bytes, sha256), `report.json`.
//! - [`context`]: the one Tera configuration (escaping, blocks, context, error locations).
//! - [`filters`]: `currency`, `date`, `mask`, `phone`, `urlencode`.
//! - [`markdown`]: the Markdown dialect of every channel and the escaper for data values.
//! - [`email`], [`sms`] (+ [`gsm`]), [`push`] (+ [`images`]); print lives in `ccm-print`.
//! - [`draft`]: the editor's unsaved files made renderable for the live preview.
//! - [`live`]: the live preview's render of all four panes in parallel, streamed pane by pane.
//! - [`preview`]: the self-contained side-by-side HTML page of `ccm preview`.
//!
//! Diagnostics are [`ccm_core::diagnostic::Diagnostic`] (re-exported here), codes from
//! [`ccm_core::diagnostic::codes`].

// A render error is one `Diagnostic` (a few hundred bytes: both languages, origin, place).
// Errors end a channel's render and are rare, so returning it unboxed costs nothing that
// matters, and every producer keeps building plain values.
#![allow(clippy::result_large_err)]

mod adapter;
pub mod checks;
pub mod components;
pub mod context;
pub mod draft;
pub mod email;
mod engine;
pub mod filters;
pub mod gsm;
pub mod guard;
pub mod images;
pub mod live;
pub mod markdown;
pub mod pipeline;
pub mod preview;
pub mod push;
pub mod rendition;
pub mod sms;

pub use ccm_core::diagnostic::{Diagnostic, Severity};
pub use pipeline::{render, render_all, render_record, Engine, PrintExport, RenderOptions};
pub use rendition::{
    Artifact, ChannelOutput, LaidOutLetter, PrintOutput, RenderSet, Rendition, SmsOutput,
};
