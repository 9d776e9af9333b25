//! What the engine checks: the rendered text of one template × persona × locale, every
//! channel, as plain strings. Filled by whoever renders (CLI, app); the engine never renders.

use ccm_core::model::{BrandKit, Channel, Purpose};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One template × persona × locale with all its rendered channels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInput {
    pub template_id: String,
    pub persona: String,
    pub locale: String,
    /// The template's default locale: names the source file of a channel (`email.md` vs
    /// `email.en.md`) when a field carries no `source_file`.
    pub default_locale: String,
    pub purpose: Purpose,
    pub industry: String,
    /// `rule_packs` of the template manifest. Packs marked `always_on` apply as well.
    pub rule_packs: Vec<String>,
    /// `[consistency] essential` of the template manifest: fact kinds or roles every channel
    /// with room must state.
    #[serde(default)]
    pub essential: Vec<String>,
    /// Legal name, address, contact and colours are compared against the rendered text.
    pub brand: BrandKit,
    pub channels: Vec<ChannelText>,
}

/// The rendered text of one channel.
///
/// Field names the built-in packs use (see [`field`]): email `subject`, `preheader`, `html`,
/// `text` (the text/plain part), `headers` (`Name: value` lines, e.g. `List-Unsubscribe`),
/// `css` (any stylesheet not inlined); sms `text`; push `title`, `subtitle`, `body`,
/// `deep_link`, `image`, `payload` (the serialised JSON); print `text`.
///
/// Metric names (see [`metric`]): email `html_bytes`; sms `segments`; push `payload_bytes`;
/// print `min_font_pt`, `pages`. A missing metric is computed from the fields where
/// possible (html bytes, SMS segments) and otherwise the rule that needs it is skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelText {
    pub channel: Channel,
    pub fields: Vec<Field>,
    #[serde(default)]
    pub metrics: BTreeMap<String, f64>,
    /// Rendered byte range → source line, where the renderer knows it. Empty when unknown.
    #[serde(default)]
    pub source_map: Vec<SourceMapEntry>,
}

impl ChannelText {
    pub fn new(channel: Channel) -> Self {
        ChannelText {
            channel,
            fields: Vec::new(),
            metrics: BTreeMap::new(),
            source_map: Vec::new(),
        }
    }

    /// Builder used by tests and callers that fill a channel by hand.
    pub fn with_field(mut self, name: &str, value: impl Into<String>) -> Self {
        self.fields.push(Field {
            name: name.to_string(),
            value: value.into(),
            source_file: None,
        });
        self
    }

    pub fn with_metric(mut self, name: &str, value: f64) -> Self {
        self.metrics.insert(name.to_string(), value);
        self
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// One rendered field of a channel (subject, html, sms text …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    pub value: String,
    /// Source file inside the template folder (`email.md`, `sms.en.txt`), if known.
    #[serde(default)]
    pub source_file: Option<String>,
}

/// `field[start..end]` (bytes of the rendered value) came from `file` at `line`:`column`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceMapEntry {
    pub field: String,
    pub start: usize,
    pub end: usize,
    /// Path relative to the template folder, or `_blocks/<name>.md` for a shared block.
    pub file: String,
    pub line: u32,
    pub column: u32,
}

/// Field names used by the built-in packs.
pub mod field {
    pub const SUBJECT: &str = "subject";
    pub const PREHEADER: &str = "preheader";
    pub const HTML: &str = "html";
    pub const TEXT: &str = "text";
    pub const HEADERS: &str = "headers";
    pub const CSS: &str = "css";
    pub const TITLE: &str = "title";
    pub const SUBTITLE: &str = "subtitle";
    pub const BODY: &str = "body";
    pub const DEEP_LINK: &str = "deep_link";
    pub const PAYLOAD: &str = "payload";
}

/// Metric names used by the built-in packs.
pub mod metric {
    pub const HTML_BYTES: &str = "html_bytes";
    pub const SEGMENTS: &str = "segments";
    pub const PAYLOAD_BYTES: &str = "payload_bytes";
    pub const MIN_FONT_PT: &str = "min_font_pt";
}
