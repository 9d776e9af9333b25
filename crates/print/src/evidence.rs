//! The evidence record of an approval as a PDF/A-3b document: who decided what and when, the
//! archive entry that records it, the findings and waivers the approver saw, what each customer
//! receives on each channel (the letter as page images), and the machine-readable files
//! (manifest, sources…) attached as PDF/A-3 associated files.
//!
//! Plain data in, bytes out: the archive fills an [`EvidenceRecord`]. All text travels to the
//! template (`assets/print/evidence.typ`) as JSON and is only ever displayed as a string, never
//! spliced into markup. Same record, same bytes: the only date in the file is `decided_at`.

mod labels;
mod world;

use std::sync::LazyLock;

use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use typst::diag::Warned;
use typst::foundations::{Datetime, Smart};
use typst::text::Font;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::job::PrintError;
use crate::letter;
use crate::printer::Printer;
use crate::world::Warm;
use world::EvidenceWorld;

/// Language of the record's headings and labels (the data is shown as given).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EvidenceLang {
    #[default]
    Ja,
    En,
}

impl EvidenceLang {
    fn code(self) -> &'static str {
        match self {
            EvidenceLang::Ja => "ja",
            EvidenceLang::En => "en",
        }
    }
}

/// Everything the evidence PDF shows and carries.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EvidenceRecord {
    pub lang: EvidenceLang,
    /// Template name.
    pub title: String,
    pub template_id: String,
    pub version: u32,
    pub version_hash: String,
    pub brand: String,
    /// What was decided, e.g. "approved for sending" / "送信を承認".
    pub decision: String,
    pub approver: String,
    pub approver_role: String,
    /// Fingerprint of the key the approval was signed with.
    pub approver_key: String,
    /// Who made the versions since the last approval.
    pub authors: Vec<String>,
    /// RFC 3339; also the PDF's document date.
    pub decided_at: String,
    pub entry_seq: u64,
    pub entry_hash: String,
    pub archive_root: String,
    pub archive_size: u64,
    pub comment: Option<String>,
    pub findings: Vec<EvidenceFinding>,
    pub waivers: Vec<EvidenceWaiver>,
    /// One per persona × locale.
    pub channels: Vec<EvidenceRendition>,
    pub attachments: Vec<EvidenceAttachment>,
}

/// A rule finding as the approver saw it.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EvidenceFinding {
    pub severity: String,
    pub code: String,
    pub channel: String,
    /// Where: file and line, field, …
    pub place: String,
    pub message: String,
}

/// A rule the approver allowed to be broken, and why.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EvidenceWaiver {
    pub rule: String,
    pub reason: String,
    pub by: String,
}

/// What one persona receives in one locale.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EvidenceRendition {
    pub persona: String,
    /// BCP 47, e.g. `ja-JP`.
    pub locale: String,
    pub email: Option<EvidenceEmail>,
    pub sms: Option<EvidenceSms>,
    pub push: Option<EvidencePush>,
    /// The printed letter's pages as PNG images, in order.
    pub letter_pages: Vec<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EvidenceEmail {
    pub subject: String,
    /// The plain-text part as the customer sees it.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EvidenceSms {
    pub text: String,
    pub segments: u32,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EvidencePush {
    pub title: String,
    pub body: String,
}

/// How an attached file relates to the record (PDF/A-3 `AFRelationship`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AttachmentRelationship {
    /// The record was made from it (e.g. the approval manifest, the template sources).
    Source,
    /// The data the record presents (e.g. findings as JSON).
    Data,
    /// Anything else that helps to understand the record.
    #[default]
    Supplement,
}

impl AttachmentRelationship {
    /// The value Typst's `pdf.attach(relationship: …)` takes.
    fn typst(self) -> &'static str {
        match self {
            AttachmentRelationship::Source => "source",
            AttachmentRelationship::Data => "data",
            AttachmentRelationship::Supplement => "supplement",
        }
    }
}

/// A file embedded in the PDF.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EvidenceAttachment {
    /// File name; characters that cannot be in a file name become `_`.
    pub name: String,
    pub bytes: Vec<u8>,
    /// MIME type, e.g. `application/json`; parameters such as `; charset=utf-8` are dropped.
    pub mime: String,
    pub description: String,
    pub relationship: AttachmentRelationship,
}

/// Renders `record` as a PDF/A-3b evidence document, with a [`Printer`] shared by the process
/// (created on first use). Use [`Printer::render_evidence`] where a printer is at hand.
pub fn render_evidence(record: &EvidenceRecord) -> Result<Vec<u8>, PrintError> {
    static SHARED: LazyLock<Result<Printer, String>> =
        LazyLock::new(|| Printer::new().map_err(|e| e.to_string()));
    match &*SHARED {
        Ok(printer) => printer.render_evidence(record),
        Err(e) => Err(PrintError::Fonts(e.clone())),
    }
}

impl Printer {
    /// Renders `record` as a PDF/A-3b evidence document. Deterministic: same record, same bytes.
    pub fn render_evidence(&self, record: &EvidenceRecord) -> Result<Vec<u8>, PrintError> {
        let compiled = compile(self.warm(), record)?;
        export(&compiled)
    }
}

/// A laid-out evidence record, before export.
struct Compiled {
    document: PagedDocument,
    ident: String,
    timestamp: Timestamp,
}

fn compile(warm: &Warm, record: &EvidenceRecord) -> Result<Compiled, PrintError> {
    let (today, timestamp) = decision_time(&record.decided_at)?;
    let text = Printable::new(warm.fonts());
    let (view, files) = view(record, &text)?;
    let json = serde_json::to_vec(&view).map_err(|e| PrintError::Evidence(e.to_string()))?;
    let ident = format!(
        "ccm-evidence-{:032x}",
        typst::utils::hash128(&(&json, &files))
    );

    let world = EvidenceWorld::new(warm, json, files, today);
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    typst::comemo::evict(30);
    let document = output.map_err(|errors| {
        PrintError::Evidence(
            errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;

    // PDF/A forbids the .notdef glyph; `Printable` replaced what no font covers, so this is
    // only a guard against shaping surprises, with a message that names the character.
    let missing = letter::missing_glyphs(&document);
    if !missing.is_empty() {
        let chars: Vec<String> = missing
            .iter()
            .map(|(c, _)| format!("U+{:04X}", *c as u32))
            .collect();
        return Err(PrintError::Evidence(format!(
            "no bundled font can set {}",
            chars.join(", ")
        )));
    }
    Ok(Compiled {
        document,
        ident,
        timestamp,
    })
}

fn export(compiled: &Compiled) -> Result<Vec<u8>, PrintError> {
    let standards = PdfStandards::new(&[PdfStandard::A_3b])
        .map_err(|e| PrintError::Pdf(e.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Custom(compiled.ident.clone()),
        creator: Smart::Custom(Some("CCM Studio".to_string())),
        timestamp: Some(compiled.timestamp),
        standards,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&compiled.document, &options).map_err(|errors| {
        PrintError::Pdf(
            errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

/// `decided_at` as Typst's "today" and as the PDF timestamp, keeping its UTC offset.
fn decision_time(decided_at: &str) -> Result<(Datetime, Timestamp), PrintError> {
    let bad = |why: String| {
        PrintError::Evidence(format!(
            "decided_at `{decided_at}` is not an RFC 3339 date-time: {why}"
        ))
    };
    let t = OffsetDateTime::parse(decided_at.trim(), &Rfc3339).map_err(|e| bad(e.to_string()))?;
    let datetime = Datetime::from_ymd_hms(
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    )
    .ok_or_else(|| bad("out of range".into()))?;
    let offset_minutes = i32::from(t.offset().whole_minutes());
    let timestamp = Timestamp::new_local(datetime, offset_minutes)
        .ok_or_else(|| bad("UTC offset out of range".into()))?;
    Ok((datetime, timestamp))
}

/// Makes text settable in a PDF/A file: characters that no bundled font has would become the
/// forbidden .notdef glyph, so they are shown as their code point (`[U+0E01]`) instead;
/// control characters other than line breaks are dropped. The attachments keep the exact data.
struct Printable<'a> {
    fonts: &'a [Font],
}

impl<'a> Printable<'a> {
    fn new(fonts: &'a [Font]) -> Self {
        Printable { fonts }
    }

    fn text(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.replace("\r\n", "\n").chars() {
            match c {
                '\n' => out.push('\n'),
                '\t' | '\r' => out.push(' '),
                c if c.is_control() => {}
                c if c.is_whitespace() || is_default_ignorable(c) => out.push(c),
                c if self
                    .fonts
                    .iter()
                    .any(|f| f.info().coverage.contains(c as u32)) =>
                {
                    out.push(c)
                }
                c => out.push_str(&format!("[U+{:04X}]", c as u32)),
            }
        }
        out
    }

    /// One line of text (names, codes, hashes): line breaks become spaces.
    fn line(&self, s: &str) -> String {
        self.text(s).replace('\n', " ")
    }
}

/// Characters shaping hides (joiners, variation selectors, …): they are part of the character
/// before them and need no glyph of their own.
fn is_default_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

// ---- What the template reads from /record.json ----

#[derive(Serialize)]
struct View {
    lang: &'static str,
    labels: &'static labels::Labels,
    doc_title: String,
    title: String,
    template_id: String,
    version: String,
    version_hash: String,
    brand: String,
    decision: String,
    approver: String,
    approver_role: String,
    approver_key: String,
    authors: Vec<String>,
    decided_at: String,
    // Numbers as text: Typst integers are i64 and the template only shows them.
    entry_seq: String,
    entry_hash: String,
    archive_root: String,
    archive_size: String,
    comment: Option<String>,
    findings: Vec<EvidenceFinding>,
    waivers: Vec<EvidenceWaiver>,
    channels: Vec<ChannelView>,
    attachments: Vec<AttachmentView>,
}

#[derive(Serialize)]
struct ChannelView {
    persona: String,
    locale: String,
    /// Typst `lang` for this section's line breaking; `None` if the locale has no plain
    /// ISO 639 language subtag.
    lang: Option<String>,
    email: Option<EvidenceEmail>,
    sms: Option<SmsView>,
    push: Option<EvidencePush>,
    /// Generated paths of the page images (`/pages/<channel>-<page>.png`).
    pages: Vec<String>,
}

#[derive(Serialize)]
struct SmsView {
    text: String,
    segments: String,
}

#[derive(Serialize)]
struct AttachmentView {
    /// The embedded file's name, exactly (PDF names need no font).
    name: String,
    /// Generated path of the bytes (`/attach/<i>`).
    file: String,
    mime: Option<String>,
    description: Option<String>,
    relationship: &'static str,
    /// How the closing line lists it: name and role.
    listed: String,
}

/// The template's JSON and the files it may read (page images, attachment bytes).
#[allow(clippy::type_complexity)]
fn view(
    record: &EvidenceRecord,
    text: &Printable,
) -> Result<(View, Vec<(String, Vec<u8>)>), PrintError> {
    let labels = labels::labels(record.lang);
    let mut files = Vec::new();

    let mut channels = Vec::with_capacity(record.channels.len());
    for (ci, c) in record.channels.iter().enumerate() {
        let mut pages = Vec::with_capacity(c.letter_pages.len());
        for (pi, png) in c.letter_pages.iter().enumerate() {
            check_png(png).map_err(|why| {
                PrintError::Evidence(format!(
                    "letter page {} of {} × {} is not a readable PNG: {why}",
                    pi + 1,
                    c.persona,
                    c.locale
                ))
            })?;
            let path = format!("/pages/{ci}-{}.png", pi + 1);
            files.push((path.clone(), png.clone()));
            pages.push(path);
        }
        channels.push(ChannelView {
            persona: text.line(&c.persona),
            locale: text.line(&c.locale),
            lang: typst_lang(&c.locale),
            email: c.email.as_ref().map(|e| EvidenceEmail {
                subject: text.line(&e.subject),
                text: text.text(&e.text),
            }),
            sms: c.sms.as_ref().map(|s| SmsView {
                text: text.text(&s.text),
                segments: s.segments.to_string(),
            }),
            push: c.push.as_ref().map(|p| EvidencePush {
                title: text.line(&p.title),
                body: text.text(&p.body),
            }),
            pages,
        });
    }

    let mut attachments: Vec<AttachmentView> = Vec::with_capacity(record.attachments.len());
    for (i, a) in record.attachments.iter().enumerate() {
        let name = file_name(&a.name, i);
        if attachments.iter().any(|other| other.name == name) {
            return Err(PrintError::Evidence(format!(
                "two attachments are named `{name}`"
            )));
        }
        let path = format!("/attach/{i}");
        files.push((path.clone(), a.bytes.clone()));
        attachments.push(AttachmentView {
            listed: labels::listed(record.lang, &text.line(&name), a.relationship),
            name,
            file: path,
            mime: mime_type(&a.mime)?,
            description: Some(text.line(&a.description)).filter(|d| !d.trim().is_empty()),
            relationship: a.relationship.typst(),
        });
    }

    let title = text.line(&record.title);
    let view = View {
        lang: record.lang.code(),
        labels,
        doc_title: format!("{} — {} v{}", labels.heading, title, record.version),
        title,
        template_id: text.line(&record.template_id),
        version: record.version.to_string(),
        version_hash: text.line(&record.version_hash),
        brand: text.line(&record.brand),
        decision: text.line(&record.decision),
        approver: text.line(&record.approver),
        approver_role: text.line(&record.approver_role),
        approver_key: text.line(&record.approver_key),
        authors: record.authors.iter().map(|a| text.line(a)).collect(),
        decided_at: text.line(&record.decided_at),
        entry_seq: record.entry_seq.to_string(),
        entry_hash: text.line(&record.entry_hash),
        archive_root: text.line(&record.archive_root),
        archive_size: record.archive_size.to_string(),
        comment: record
            .comment
            .as_deref()
            .map(|c| text.text(c))
            .filter(|c| !c.trim().is_empty()),
        findings: record
            .findings
            .iter()
            .map(|f| EvidenceFinding {
                severity: text.line(&f.severity),
                code: text.line(&f.code),
                channel: text.line(&f.channel),
                place: text.line(&f.place),
                message: text.text(&f.message),
            })
            .collect(),
        waivers: record
            .waivers
            .iter()
            .map(|w| EvidenceWaiver {
                rule: text.line(&w.rule),
                reason: text.text(&w.reason),
                by: text.line(&w.by),
            })
            .collect(),
        channels,
        attachments,
    };
    Ok((view, files))
}

/// Typst fails on an image it cannot decode; say which page instead.
fn check_png(bytes: &[u8]) -> Result<(), String> {
    image::ImageReader::with_format(std::io::Cursor::new(bytes), image::ImageFormat::Png)
        .into_dimensions()
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The attachment's name as one file name: path separators, control characters and the
/// characters Windows forbids become `_`, and leading dots are dropped (no hidden files, no
/// `..`). An empty result becomes `attachment-<n>`.
fn file_name(name: &str, index: usize) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.').trim().to_string();
    if cleaned.is_empty() {
        format!("attachment-{}", index + 1)
    } else {
        cleaned
    }
}

/// `type/subtype`, without parameters; the characters PDF allows in a MIME type name.
fn mime_type(mime: &str) -> Result<Option<String>, PrintError> {
    let essence = mime
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence.is_empty() {
        return Ok(None);
    }
    let valid_part = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-+.".contains(c))
    };
    match essence.split_once('/') {
        Some((t, s)) if valid_part(t) && valid_part(s) => Ok(Some(essence)),
        _ => Err(PrintError::Evidence(format!(
            "`{mime}` is not a MIME type (type/subtype)"
        ))),
    }
}

/// The ISO 639 language of a BCP 47 locale (`ja-JP` → `ja`), if it has a plain one.
fn typst_lang(locale: &str) -> Option<String> {
    let lang = locale.split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_lowercase())).then_some(lang)
}

#[cfg(test)]
mod tests;
