//! What rendering produces: one typed rendition per channel, its artifacts as (file name, bytes)
//! with sha256 hashes for approval binding, and the `report.json` of metrics and diagnostics.

use crate::email::EmailRendition;
use crate::push::PushRendition;
use crate::sms::SmsAnalysis;
use ccm_core::diagnostic::{Diagnostic, Severity};
use ccm_core::model::{Channel, ContentHash};
use serde::Serialize;
use serde_json::{json, Value};

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// File name, e.g. `email.html`, `print-1.png`.
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Artifact {
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Artifact {
            name: name.into(),
            bytes: bytes.into(),
        }
    }
    pub fn hash(&self) -> ContentHash {
        ContentHash::of_bytes(&self.bytes)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SmsOutput {
    /// The final message text (trailing newline of `sms.txt` removed).
    pub text: String,
    pub analysis: SmsAnalysis,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrintOutput {
    pub pdf: Vec<u8>,
    /// PNG of each page, in order (empty when PNGs were not asked for).
    pub pages_png: Vec<Vec<u8>>,
    pub png_dpi: Option<f32>,
    pub metrics: ccm_print::PrintMetrics,
    pub pdf_a: bool,
    /// The Typst markup generated from the body (for audits).
    pub typst_body: String,
    /// The letterhead's text exactly as printed ([`ccm_print::LetterBrand::text_lines`] of the
    /// job the PDF was made from), one line each: what the rules check for the letterhead.
    pub letterhead: String,
    /// The components the body uses, in order (for the rules: QR codes against email links).
    pub components: Vec<crate::components::Component>,
    /// The laid-out letter, kept by a live render ([`crate::pipeline::PrintExport::Live`]),
    /// which exports nothing itself: pages are rasterised, and the PDF made, when needed.
    pub letter: Option<LaidOutLetter>,
}

/// A compiled letter shared between the render that made it and whoever rasterises its pages
/// later. Two are equal when they are the same compile.
#[derive(Debug, Clone)]
pub struct LaidOutLetter(pub std::sync::Arc<ccm_print::Letter>);

impl PartialEq for LaidOutLetter {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

/// A channel's typed result. Exhaustive over [`Channel`].
#[derive(Debug, Clone, PartialEq)]
pub enum Rendition {
    Email(Box<EmailRendition>),
    Sms(Box<SmsOutput>),
    Push(Box<PushRendition>),
    Print(Box<PrintOutput>),
}

impl Rendition {
    pub fn channel(&self) -> Channel {
        match self {
            Rendition::Email(_) => Channel::Email,
            Rendition::Sms(_) => Channel::Sms,
            Rendition::Push(_) => Channel::Push,
            Rendition::Print(_) => Channel::Print,
        }
    }

    /// The channel's files, in a fixed order.
    pub fn artifacts(&self) -> Vec<Artifact> {
        match self {
            Rendition::Email(e) => vec![
                Artifact::new("email.html", e.html.as_bytes()),
                Artifact::new("email.txt", e.text.as_bytes()),
                Artifact::new("email.eml", e.eml.clone()),
            ],
            Rendition::Sms(s) => vec![
                Artifact::new("sms.txt", with_newline(&s.text)),
                Artifact::new("sms.json", pretty_json(&s.analysis)),
            ],
            Rendition::Push(p) => {
                let mut v = vec![
                    Artifact::new("push.apns.json", p.apns_json.as_bytes()),
                    Artifact::new("push.fcm.json", p.fcm_json.as_bytes()),
                ];
                if let Some(re) = p.image.as_ref().and_then(|i| i.reencoded.as_ref()) {
                    v.push(Artifact::new("push-image.jpg", re.clone()));
                }
                v
            }
            Rendition::Print(p) => {
                let mut v = vec![
                    Artifact::new("print.pdf", p.pdf.clone()),
                    Artifact::new("print.json", pretty_json(&self.metrics())),
                ];
                for (i, png) in p.pages_png.iter().enumerate() {
                    v.push(Artifact::new(format!("print-{}.png", i + 1), png.clone()));
                }
                v
            }
        }
    }

    /// Key figures of the channel, for summaries and `report.json`.
    pub fn metrics(&self) -> Value {
        match self {
            Rendition::Email(e) => json!({
                "subject": e.subject,
                "preheader": e.preheader,
                "html_bytes": e.metrics.html_bytes,
                "gmail_clip_limit": e.metrics.gmail_clip_limit,
                "clipped": e.metrics.clipped,
                "text_bytes": e.metrics.text_bytes,
                "eml_bytes": e.metrics.eml_bytes,
                "links": e.metrics.links,
                "images": e.metrics.images,
            }),
            Rendition::Sms(s) => {
                let a = &s.analysis;
                json!({
                    "encoding": a.encoding,
                    "characters": a.characters,
                    "units": a.units,
                    "unit_name": a.unit_name,
                    "segments": a.segments,
                    "units_left_in_segment": a.units_left_in_segment,
                    "ucs2_forcing": a.ucs2_forcing.len(),
                    "jp_price_tier": a.japan.price_tier,
                    "jp_within_cap": a.japan.within_cap,
                })
            }
            Rendition::Push(p) => json!({
                "apns_bytes": p.apns_bytes,
                "fcm_bytes": p.fcm_bytes,
                "payload_limit": p.payload_limit,
                "title_units": p.title_units,
                "subtitle_units": p.subtitle_units,
                "body_units": p.body_units,
                "previews": p.previews,
                "image": p.image,
            }),
            Rendition::Print(p) => {
                let mut v = json!({
                    "pages": p.metrics.pages,
                    "page_width_mm": p.metrics.page_width_mm,
                    "page_height_mm": p.metrics.page_height_mm,
                    "fonts": p.metrics.fonts,
                    "min_font_size_pt": p.metrics.min_font_size_pt,
                    "images": p.metrics.images,
                    "pdf_a": p.pdf_a,
                    "pdf_bytes": p.pdf.len(),
                    "png_dpi": p.png_dpi,
                });
                // Japan Post customer barcodes, page by page, character by character, so a
                // print vendor can audit them; absent when the letter prints none.
                if !p.metrics.customer_barcodes.is_empty() {
                    v["customer_barcodes"] = json!(p.metrics.customer_barcodes);
                }
                v
            }
        }
    }

    /// One line for people: the channel's most telling figures.
    pub fn summary(&self) -> String {
        match self {
            Rendition::Email(e) => format!(
                "{} KB HTML, {} links, {} images, subject \"{}\"",
                (e.metrics.html_bytes + 512) / 1024,
                e.metrics.links.len(),
                e.metrics.images.len(),
                e.subject
            ),
            Rendition::Sms(s) => {
                let a = &s.analysis;
                format!(
                    "{}, {} chars, {} {}, {} segment(s)",
                    match a.encoding {
                        crate::sms::SmsEncoding::Gsm7 => "GSM-7",
                        crate::sms::SmsEncoding::Ucs2 => "UCS-2",
                    },
                    a.characters,
                    a.units,
                    a.unit_name,
                    a.segments
                )
            }
            Rendition::Push(p) => format!(
                "APNs {} B, FCM {} B of {}, title {} / body {} units",
                p.apns_bytes, p.fcm_bytes, p.payload_limit, p.title_units, p.body_units
            ),
            Rendition::Print(p) => format!(
                "{} page(s) {:.0}×{:.0} mm, {} KB PDF{}",
                p.metrics.pages,
                p.metrics.page_width_mm,
                p.metrics.page_height_mm,
                (p.pdf.len() + 512) / 1024,
                if p.pdf_a { " (PDF/A-2b)" } else { "" }
            ),
        }
    }
}

/// What one channel produced for one persona and locale.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelOutput {
    pub channel: Channel,
    /// `None` when the channel could not render (see `diagnostics`) or the template has no
    /// content for it.
    pub rendition: Option<Rendition>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ChannelOutput {
    pub fn failed(channel: Channel, diagnostics: Vec<Diagnostic>) -> Self {
        ChannelOutput {
            channel,
            rendition: None,
            diagnostics,
        }
    }
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
    pub fn artifacts(&self) -> Vec<Artifact> {
        self.rendition
            .as_ref()
            .map(Rendition::artifacts)
            .unwrap_or_default()
    }
    /// `ok`, `warnings`, `error` or `skipped` (no content for this channel, no error).
    pub fn status(&self) -> &'static str {
        if self.has_errors() {
            "error"
        } else if self.rendition.is_none() {
            "skipped"
        } else if self
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Warning)
        {
            "warnings"
        } else {
            "ok"
        }
    }
}

/// Every channel of one template version for one persona and locale.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderSet {
    pub template_id: String,
    pub version: u32,
    pub template_hash: ContentHash,
    pub persona: String,
    pub locale: String,
    /// `YYYY-MM-DD` of the clock the renders used.
    pub today: String,
    /// In [`Channel::ALL`] order.
    pub outputs: Vec<ChannelOutput>,
}

impl RenderSet {
    pub fn has_errors(&self) -> bool {
        self.outputs.iter().any(ChannelOutput::has_errors)
    }

    pub fn output(&self, channel: Channel) -> Option<&ChannelOutput> {
        self.outputs.iter().find(|o| o.channel == channel)
    }

    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.outputs.iter().flat_map(|o| o.diagnostics.iter())
    }

    /// The `report.json` value: identity, per-channel status, metrics, diagnostics and the
    /// sha256 of every artifact (what an approval binds to).
    pub fn report(&self) -> Value {
        let mut channels = serde_json::Map::new();
        for o in &self.outputs {
            let artifacts: serde_json::Map<String, Value> = o
                .artifacts()
                .iter()
                .map(|a| {
                    (
                        a.name.clone(),
                        json!({"sha256": a.hash(), "bytes": a.bytes.len()}),
                    )
                })
                .collect();
            channels.insert(
                o.channel.as_str().to_string(),
                json!({
                    "status": o.status(),
                    "metrics": o.rendition.as_ref().map(Rendition::metrics),
                    "diagnostics": o.diagnostics.iter().map(report_entry).collect::<Vec<_>>(),
                    "artifacts": artifacts,
                }),
            );
        }
        json!({
            "template": self.template_id,
            "version": self.version,
            "template_hash": self.template_hash,
            "persona": self.persona,
            "locale": self.locale,
            "today": self.today,
            "ok": !self.has_errors(),
            "channels": channels,
        })
    }

    /// Every channel's artifacts plus `report.json`.
    pub fn artifacts(&self) -> Vec<Artifact> {
        let mut v: Vec<Artifact> = self.outputs.iter().flat_map(|o| o.artifacts()).collect();
        v.push(Artifact::new("report.json", pretty_json(&self.report())));
        v
    }
}

fn with_newline(s: &str) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.push(b'\n');
    v
}

/// Pretty JSON with a final newline. Keys come out in the order serde_json's map keeps, which
/// is sorted (BTreeMap) unless `preserve_order` is on, in which case it is insertion order —
/// deterministic either way because every map here is built in a fixed order.
pub fn pretty_json<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

/// One diagnostic as `report.json` records it. `report.json` is a rendition artifact: its bytes
/// are hashed, golden-tested and bound by approvals, so it keeps the compact English form it
/// has always had (`message`/`hint` as text, no origin) rather than following the
/// [`Diagnostic`] schema; the full, versioned diagnostic is what `ccm … --json`, SARIF and the
/// app receive (docs/DIAGNOSTICS.md).
fn report_entry(d: &Diagnostic) -> Value {
    json!({
        "channel": d.channel,
        "code": d.code,
        "column": d.column,
        "file": d.file,
        "hint": d.hint.as_ref().map(|h| h.en.as_str()),
        "line": d.line,
        "message": d.message.en,
        "severity": d.severity,
    })
}
