//! The shapes that cross IPC. TypeScript twins are generated from these (ts-rs) into
//! `ui/src/lib/types/`; `types_export` tests fail when the committed files are out of date.
//!
//! Conversions here only reshape core/render results for the screen (e.g. PNG bytes to a
//! `data:` URL); what the values mean is decided in the core and the renderers. Problems and
//! findings cross as the core's own [`Diagnostic`] (no mirror here): the UI's type is generated
//! from it, so a field added in the core reaches the screen without a copy to keep in step.

use std::collections::BTreeMap;

use ccm_core::diagnostic::Diagnostic;
use ccm_core::model::{Channel, Purpose};
use serde::{Deserialize, Serialize};

/// The open library, as the header shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LibraryInfo {
    pub path: String,
    pub templates: u32,
    /// True when this start found an empty library and filled it with the bundled samples.
    pub imported_samples: bool,
    /// Problems met while importing the samples (the rest was imported).
    pub import_problems: Vec<Diagnostic>,
    /// The folder whose edits flow into the library live, if any.
    pub watching: Option<String>,
}

/// Filters of the library list; every `Some` must match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ListQuery {
    pub tag: Option<String>,
    pub brand: Option<String>,
    pub industry: Option<String>,
    pub purpose: Option<Purpose>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SearchResult {
    pub template_id: String,
    pub name: String,
    /// Text around the first match, matches wrapped in `[` `]`.
    pub snippet: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct VersionInfo {
    pub number: u32,
    pub hash: String,
    pub parent: Option<String>,
    pub created_at: String,
    pub author: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PersonaRef {
    pub id: String,
    pub label: String,
    pub edge_case: bool,
}

/// What the editor needs to know about a template beyond its files.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Outline {
    pub name: String,
    pub brand: String,
    pub brand_name: String,
    pub default_locale: String,
    pub locales: Vec<String>,
    pub channels: Vec<Channel>,
    pub personas: Vec<PersonaRef>,
}

impl From<ccm_render::draft::Outline> for Outline {
    fn from(o: ccm_render::draft::Outline) -> Self {
        Outline {
            name: o.name,
            brand: o.brand,
            brand_name: o.brand_name,
            default_locale: o.default_locale,
            locales: o.locales,
            channels: o.channels,
            personas: o
                .personas
                .into_iter()
                .map(|p| PersonaRef {
                    id: p.id,
                    label: p.label,
                    edge_case: p.edge_case,
                })
                .collect(),
        }
    }
}

/// One version of a template, opened for editing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct TemplateDoc {
    pub template_id: String,
    pub version: u32,
    pub hash: String,
    pub files: BTreeMap<String, String>,
    /// `None` when the stored files no longer parse (never for imported versions).
    pub outline: Option<Outline>,
}

/// Render the files as they are in the editor (saved or not) for one persona and locale.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PreviewRequest {
    /// Increases with every edit; a request older than the newest one seen is dropped.
    pub seq: u32,
    pub template_id: String,
    pub files: BTreeMap<String, String>,
    /// Persona id; `None` picks the first typical one.
    pub persona: Option<String>,
    /// `None` picks the template's default locale.
    pub locale: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EmailView {
    pub from_name: String,
    pub from_address: String,
    pub subject: String,
    pub preheader: String,
    /// The complete HTML document, shown in a sandboxed frame.
    pub html: String,
    pub text: String,
    pub html_bytes: u32,
    /// Every link of the HTML part, in order (what a link check reviews).
    pub links: Vec<EmailLinkView>,
    /// Every image of the HTML part: `src` is an https URL or `inline` (sent in the message).
    pub images: Vec<EmailImageView>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EmailLinkView {
    pub href: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EmailImageView {
    pub src: String,
    pub alt: String,
    /// CSS pixels, when the markup says.
    pub width: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SmsPartView {
    pub index: u32,
    pub text: String,
    pub units: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ForcingChar {
    pub char: String,
    /// `U+201C`.
    pub codepoint: String,
    /// Index in UTF-16 code units of the rendered text (JavaScript string index).
    pub utf16_index: u32,
    pub replacement: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SmsView {
    pub text: String,
    /// `GSM-7` or `UCS-2`.
    pub encoding: String,
    pub characters: u32,
    pub units: u32,
    pub segments: u32,
    pub single_limit: u32,
    pub part_limit: u32,
    pub units_left_in_segment: u32,
    pub parts: Vec<SmsPartView>,
    pub ucs2_forcing: Vec<ForcingChar>,
}

/// A notification as one device surface shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SurfaceView {
    pub title: String,
    pub subtitle: String,
    pub body: String,
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PushView {
    pub ios: SurfaceView,
    pub android: SurfaceView,
    pub apns_json: String,
    pub fcm_json: String,
    pub apns_bytes: u32,
    pub fcm_bytes: u32,
    pub limit_bytes: u32,
}

/// One message of a live preview (`preview_live`), sent the moment it is ready: the draft,
/// then each pane as its channel finishes (email, SMS and push beside print), then the
/// findings of all four together, the letter's PDF size, and the end.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PreviewEvent {
    /// The draft was read: what of the manifest and personas parses, and the files set aside
    /// (a channel file that does not parse: its pane keeps its last good content).
    /// `renderable: false`: nothing renders until `problems` are fixed.
    Draft {
        seq: u32,
        outline: Option<Outline>,
        problems: Vec<Diagnostic>,
        renderable: bool,
    },
    Pane(Box<PaneUpdate>),
    /// Compliance findings of the rule packs over all four channels (`origin.kind == "rule"`),
    /// or why no checks ran (a rule pack that does not load): `file:line:col: message`.
    Findings {
        seq: u32,
        findings: Vec<Diagnostic>,
        rules_error: Option<String>,
    },
    PrintPdf {
        seq: u32,
        pdf_bytes: u32,
    },
    /// The render ended; `complete: false` when a newer edit made the rest of it pointless.
    Done {
        seq: u32,
        elapsed_ms: f64,
        complete: bool,
    },
}

/// One channel of a live preview. At most one view is set: none for a channel that failed
/// (see `problems`), is absent from the template, or whose file is set aside.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PaneUpdate {
    pub seq: u32,
    pub channel: Channel,
    /// Since the render of this edit started on the Rust side.
    pub elapsed_ms: f64,
    pub email: Option<EmailView>,
    pub sms: Option<SmsView>,
    pub push: Option<PushView>,
    pub print: Option<PrintPageView>,
    /// This channel's render problems.
    pub problems: Vec<Diagnostic>,
}

/// One page of the letter, rasterised for the screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PrintPageView {
    /// The preview request that laid the letter out.
    pub seq: u32,
    /// 1-based.
    pub page: u32,
    pub pages: u32,
    /// `data:image/png;base64,…`
    pub image: String,
    pub page_width_mm: f64,
    pub page_height_mm: f64,
    /// On page 1 only.
    pub envelope_window: Option<WindowRect>,
}

/// Every persona × locale of a draft checked at once.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CheckAllReport {
    pub seq: u32,
    pub elapsed_ms: f64,
    /// In persona-then-locale order, as `ccm check` lists them.
    pub sets: Vec<CheckedSetView>,
    /// Files set aside or the reason nothing could be checked.
    pub problems: Vec<Diagnostic>,
    pub rules_error: Option<String>,
}

/// The findings of one persona × locale.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CheckedSetView {
    pub persona: String,
    pub persona_label: String,
    pub locale: String,
    pub findings: Vec<Diagnostic>,
    /// Channels that failed to render for this persona (e.g. a variable its data lacks).
    pub render_errors: Vec<Diagnostic>,
}

/// The window of a window envelope, on page 1, in millimetres from the top-left corner.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WindowRect {
    pub x_mm: f64,
    pub y_mm: f64,
    pub width_mm: f64,
    pub height_mm: f64,
}

/// Store the editor's files as a new version, unless the template moved on since `base_hash`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct SaveRequest {
    pub template_id: String,
    pub files: BTreeMap<String, String>,
    /// Hash of the version the edits started from.
    pub base_hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SaveResult {
    /// Stored (or identical to the latest version, `created: false`).
    Saved {
        version: u32,
        hash: String,
        created: bool,
    },
    /// Someone else stored a newer version first; nothing was written.
    Conflict { latest: VersionInfo },
}

/// Pushed to the UI as the `library-event` event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LibraryEvent {
    /// A file edit in the watched folder became a new version.
    TemplateChanged {
        template_id: String,
        version: u32,
        hash: String,
    },
    /// A file in the watched folder could not be imported; the last good version stays.
    WatchProblem { problems: Vec<Diagnostic> },
    /// Shared blocks (`name` or `name.locale`) got a new version: previews that include them
    /// are stale.
    BlocksChanged { blocks: Vec<String> },
    /// A brand kit got a new version: previews of templates using it are stale.
    BrandChanged { brand_id: String, version: u32 },
    /// `files` (on-disk paths) were edited in the watched folder and, differently, in the app
    /// since the folder was last read: nothing was imported; the library keeps
    /// `library_version` until the user picks a side (`resolve_folder_conflict`).
    WatchConflict {
        template_id: String,
        library_version: u32,
        files: Vec<String>,
    },
}

/// Which side of a watched-folder conflict to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ConflictSide {
    /// The folder's files become the newest version.
    Folder,
    /// The folder is rewritten with the library's latest version.
    Library,
}
