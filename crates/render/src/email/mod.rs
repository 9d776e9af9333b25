//! Email channel: Tera-expanded Markdown → a branded, accessible HTML email, its plain-text
//! twin and a real MIME message.
//!
//! Pipeline: Markdown (parsed once) → safe HTML fragment and plain text → brand layout in MJML
//! (`layout.mjml`) → mrml → css-inline → accessibility pass (`lang`, `role`, `alt`) → MIME
//! message with mail-builder. The HTML artifact embeds the logo as a `data:` URI so the file
//! previews on its own; the `.eml` carries it as an inline related part referenced by `cid:`.
//! Everything is deterministic: no clock, no random boundaries, no hash-map order in output.

mod body_html;
pub(crate) mod components;
pub(crate) use layout::Palette;
mod footer;
mod layout;
mod logo;
mod markdown;
mod mime;
mod plain_text;
mod postprocess;

use ccm_core::diagnostic::{codes, Code, Diagnostic, Severity};
use ccm_core::model::{Brand, Channel, Purpose};
use serde::{Deserialize, Serialize};

/// Gmail clips HTML beyond about 102 KB and shows a "[Message clipped]" link instead.
pub const GMAIL_CLIP_LIMIT: usize = 102_400;
/// Where the size warning starts (90 KB), so there is room to react before clipping.
pub const GMAIL_CLIP_WARNING: usize = 90 * 1024;
/// CSS width the logo is shown at in the 600 px layout (pixels at 2× for sharp screens).
const LOGO_DISPLAY_WIDTH: u32 = 160;
/// Visible characters a phone shows of a subject (about 30–40, by client and screen).
const SUBJECT_VISIBLE_CHARS: usize = 40;

/// What the render engineer hands over after Tera: plain strings, nothing left to expand.
#[derive(Debug, Clone, PartialEq)]
pub struct EmailInput {
    /// `ja`, `en`, … → `<html lang>`, `Content-Language`, footer wording.
    pub locale: String,
    pub purpose: Purpose,
    pub subject: String,
    pub preheader: Option<String>,
    /// Display name of the `From` header; the pipeline gives the template's `from_name`, else
    /// the brand kit's name for the locale.
    pub from_name: Option<String>,
    pub from_address: String,
    pub reply_to: Option<String>,
    pub to_name: String,
    pub to_address: String,
    pub unsubscribe_url: Option<String>,
    /// Tera-expanded Markdown; untrusted data values arrive backslash-escaped for Markdown.
    pub body_markdown: String,
    /// 1-based line where the body starts in `source_file` (diagnostics point there).
    pub body_first_line: u32,
    /// The template file the body came from, e.g. `email.md` or `email.en.md`.
    pub source_file: String,
    /// Send date for the `Date` header (fixed, for determinism).
    pub date: (i32, u8, u8),
    /// E.g. version hash + persona + locale: makes the Message-ID and MIME boundaries.
    pub message_id_seed: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub href: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    pub src: String,
    pub alt: String,
    /// CSS pixels, when the markup says.
    pub width: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailMetrics {
    /// Bytes of the HTML as sent (logo referenced by `cid:`), the figure Gmail clips on.
    pub html_bytes: usize,
    pub gmail_clip_limit: usize,
    pub clipped: bool,
    pub links: Vec<Link>,
    pub images: Vec<Image>,
    pub text_bytes: usize,
    pub eml_bytes: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EmailRendition {
    /// Self-contained preview (logo as a `data:` URI).
    pub html: String,
    pub text: String,
    /// The complete RFC 5322 message.
    pub eml: Vec<u8>,
    pub subject: String,
    pub preheader: String,
    /// The display name of the `From` header as sent (empty when the message has none).
    pub from_name: String,
    pub metrics: EmailMetrics,
    pub diagnostics: Vec<Diagnostic>,
    /// The MJML document handed to mrml (layout filled with brand values and the body): what
    /// `ccm render --emit mjml` writes so other MJML compilers can be run on the same input.
    pub mjml: String,
    /// The components the body uses, in order (for the rules: buttons, heroes, links).
    pub components: Vec<crate::components::Component>,
}

fn error(input: &EmailInput, code: Code, msg: impl Into<String>, hint: &str) -> Diagnostic {
    Diagnostic::error(Channel::Email, code, msg)
        .at(&input.source_file, None, None)
        .hint(hint)
}

fn warning(input: &EmailInput, code: Code, msg: impl Into<String>, hint: &str) -> Diagnostic {
    Diagnostic::warning(Channel::Email, code, msg)
        .at(&input.source_file, None, None)
        .hint(hint)
}

/// Checked header fields; `Err` holds the errors that make sending impossible.
struct Headers {
    subject: String,
    preheader: String,
    unsubscribe: Option<String>,
    date: String,
    lang: String,
}

fn check_headers(input: &EmailInput, diags: &mut Vec<Diagnostic>) -> Option<Headers> {
    let mut errors = Vec::new();
    let lang: String = input
        .locale
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if lang.is_empty() || lang != input.locale {
        errors.push(error(
            input,
            codes::EMAIL_LOCALE,
            format!("locale '{}' is not a language code", input.locale),
            "use a BCP 47 code such as ja or en",
        ));
    }
    for (field, value) in [
        ("from address", Some(input.from_address.as_str())),
        ("reply_to", input.reply_to.as_deref()),
        ("recipient address", Some(input.to_address.as_str())),
    ] {
        if let Some(v) = value {
            if !mime::valid_address(v) {
                errors.push(error(
                    input,
                    codes::EMAIL_ADDRESS,
                    format!("{field} '{v}' is not a valid email address"),
                    "write a plain address such as info@bank.example.jp",
                ));
            }
        }
    }
    let subject = mime::header_safe(&input.subject);
    if subject.is_empty() {
        errors.push(error(
            input,
            codes::EMAIL_SUBJECT_EMPTY,
            "the subject is empty",
            "set subject = \"…\" in the front matter",
        ));
    }
    let date = mime::date_header(input.date, &input.locale);
    if date.is_none() {
        let (y, m, d) = input.date;
        errors.push(error(
            input,
            codes::EMAIL_DATE,
            format!("send date {y:04}-{m:02}-{d:02} is not a calendar date"),
            "pass a real date",
        ));
    }
    if !errors.is_empty() {
        diags.extend(errors);
        return None;
    }
    if subject.chars().count() > SUBJECT_VISIBLE_CHARS {
        diags.push(warning(
            input,
            codes::EMAIL_SUBJECT_LONG,
            format!(
                "the subject has {} characters; phones show about {SUBJECT_VISIBLE_CHARS}",
                subject.chars().count()
            ),
            "put the key words first",
        ));
    }
    let preheader = input
        .preheader
        .as_deref()
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    if preheader.is_empty() {
        diags.push(
            Diagnostic::info(
                Channel::Email,
                codes::EMAIL_NO_PREHEADER,
                "no preheader: inboxes will preview the first words of the body",
            )
            .at(&input.source_file, None, None)
            .hint("add preheader = \"…\" (40–100 characters, key words first)"),
        );
    }
    let mut unsubscribe = None;
    if let Some(u) = input
        .unsubscribe_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        match markdown::safe_href(u) {
            Some(u) if !u.starts_with("tel:") => {
                if !u.starts_with("https://") {
                    diags.push(warning(
                        input,
                        codes::EMAIL_UNSUBSCRIBE_NOT_HTTPS,
                        format!("unsubscribe URL '{u}' is not https: one-click unsubscribe (RFC 8058) needs https"),
                        "use an https:// unsubscribe URL",
                    ));
                }
                unsubscribe = Some(u.to_string());
            }
            _ => diags.push(warning(
                input,
                codes::EMAIL_UNSUBSCRIBE_URL,
                format!("unsubscribe URL '{u}' is not an http(s) or mailto URL; it was left out"),
                "use an https:// unsubscribe URL",
            )),
        }
    }
    if input.purpose == Purpose::Marketing && unsubscribe.is_none() {
        diags.push(warning(
            input,
            codes::EMAIL_MARKETING_NO_UNSUBSCRIBE,
            "marketing email without an unsubscribe URL: Gmail and Yahoo require one-click unsubscribe for bulk mail",
            "set unsubscribe_url = \"https://…\" in the front matter",
        ));
    }
    Some(Headers {
        subject,
        preheader,
        unsubscribe,
        date: date.unwrap_or_default(),
        lang,
    })
}

/// Hidden preview text. The `&zwnj;&nbsp;` run after it fills the inbox preview so the first
/// words of the body do not trail the preheader.
fn preheader_html(preheader: &str) -> String {
    if preheader.is_empty() {
        return String::new();
    }
    let pad = 150usize.saturating_sub(preheader.chars().count()).max(40);
    format!(
        "<div style=\"display:none;font-size:1px;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;mso-hide:all\">{}{}</div>",
        markdown::escape_html(preheader),
        "&#8204;&#160;".repeat(pad)
    )
}

pub fn render_email(input: &EmailInput, brand: &Brand) -> Result<EmailRendition, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let Some(h) = check_headers(input, &mut diags) else {
        return Err(diags);
    };
    let ja = h.lang == "ja" || h.lang.starts_with("ja-");
    let kit = &brand.kit;

    // Body: parsed once, written twice.
    let events = markdown::parse(&input.body_markdown);
    let lines = markdown::LineIndex::new(&input.body_markdown, input.body_first_line);
    let body = body_html::render(&events, &input.source_file, &lines, Some(brand));
    diags.extend(body.diagnostics);
    let footer = footer::build(kit, &h.lang, h.unsubscribe.as_deref());
    let rule = if ja { "━".repeat(20) } else { "-".repeat(40) };
    let text = format!(
        "{}\n{rule}\n{}",
        plain_text::render(&events, ja),
        footer.text
    );

    // Logo.
    let logo = match brand.logo() {
        Some(bytes) => match logo::email_variant(bytes, LOGO_DISPLAY_WIDTH) {
            Ok(l) => Some(l),
            Err(e) => {
                diags.push(
                    Diagnostic::warning(
                        Channel::Email,
                        codes::EMAIL_LOGO_DECODE,
                        format!("the brand logo '{}' could not be decoded: {e}; the email shows the brand name instead", kit.logo),
                    )
                    .at(format!("brands/{}/{}", kit.id, kit.logo), None, None)
                    .hint("replace the logo with a valid PNG or JPEG"),
                );
                None
            }
        },
        None => {
            diags.push(
                Diagnostic::warning(
                    Channel::Email,
                    codes::EMAIL_LOGO_MISSING,
                    format!("the brand logo '{}' is not in the brand folder; the email shows the brand name instead", kit.logo),
                )
                .at(format!("brands/{}/brand.toml", kit.id), None, None)
                .hint("add the logo file or fix `logo` in brand.toml"),
            );
            None
        }
    };
    let brand_name = kit
        .locales
        .get(&h.lang)
        .and_then(|l| l.name.as_deref())
        .unwrap_or(&kit.name);
    let cid = logo.as_ref().map(|l| format!("logo.{}@ccm-studio", l.id));
    let palette = layout::Palette::from_brand(&kit.colors, &mut diags);
    let header = match (&logo, &cid) {
        (Some(l), Some(cid)) => format!(
            "        <mj-image src=\"cid:{}\" alt=\"{}\" width=\"{}px\" height=\"{}px\" align=\"left\" padding=\"0 32px\" />",
            markdown::escape_html(cid),
            markdown::escape_html(brand_name),
            l.display_width,
            // Explicit height: Outlook ignores CSS sizing and would show the 2× pixels.
            (l.height as u64 * l.display_width as u64).div_ceil(l.width.max(1) as u64)
        ),
        _ => format!(
            "        <mj-text font-size=\"20px\" font-weight=\"bold\" color=\"{}\">{}</mj-text>",
            palette.primary,
            markdown::escape_html(brand_name)
        ),
    };

    // Layout → MJML → HTML.
    let font = layout::font_stack(kit.fonts.email.as_deref(), ja);
    let pre = preheader_html(&h.preheader);
    let filled = layout::fill(
        &[
            ("lang", h.lang.as_str()),
            ("title", h.subject.as_str()),
            ("font", font.as_str()),
            ("primary", palette.primary.as_str()),
            ("text", palette.text.as_str()),
            ("background", palette.background.as_str()),
            ("muted", palette.muted.as_str()),
            ("tint", palette.tint.as_str()),
            ("rule", palette.rule.as_str()),
        ],
        &[
            ("preheader", pre.as_str()),
            ("header", header.as_str()),
            ("body", body.html.as_str()),
            ("footer", footer.html.as_str()),
        ],
    )
    .map_err(|e| {
        vec![
            Diagnostic::error(Channel::Email, codes::EMAIL_LAYOUT, e).at(
                layout::LAYOUT_FILE,
                None,
                None,
            ),
        ]
    })?;
    let compiled = layout::compile(&filled.mjml).map_err(|(msg, offset)| {
        let d = match offset {
            Some(o) if filled.body.contains(&o) => Diagnostic::error(
                Channel::Email,
                codes::EMAIL_MJML,
                format!("the email body could not be compiled to HTML: {msg}"),
            )
            .at(&input.source_file, Some(input.body_first_line), None)
            .hint("simplify the Markdown of the body (plain paragraphs, lists, tables, links)"),
            _ => Diagnostic::error(
                Channel::Email,
                codes::EMAIL_MJML,
                format!("the email layout could not be compiled: {msg}"),
            )
            .at(
                layout::LAYOUT_FILE,
                offset.map(|o| layout::line_at(&filled.mjml, o)),
                None,
            )
            .hint("check the brand kit values (name, colours, fonts)"),
        };
        let mut all = diags.clone();
        all.push(d);
        all
    })?;
    let inlined = postprocess::inline_css(&compiled).map_err(|e| {
        let mut all = diags.clone();
        all.push(
            Diagnostic::error(
                Channel::Email,
                codes::EMAIL_CSS_INLINE,
                format!("CSS inlining failed: {e}"),
            )
            .at(layout::LAYOUT_FILE, None, None),
        );
        all
    })?;
    let checked = postprocess::check(&inlined, &h.lang);
    for src in &checked.images_without_alt {
        diags.push(warning(
            input,
            codes::EMAIL_IMAGE_MISSING_ALT,
            format!("image '{src}' had no alt attribute; alt=\"\" was added"),
            "give every image alt text",
        ));
    }
    let html_sent = checked.html;
    // Everything sent inline: the logo, then the body's brand-kit images.
    let inline: Vec<mime::Inline<'_>> = logo
        .as_deref()
        .zip(cid.as_deref())
        .map(|(image, cid)| mime::Inline {
            image,
            cid,
            filename: "logo.png".to_owned(),
        })
        .into_iter()
        .chain(body.images.iter().map(|(cid, image)| mime::Inline {
            image: image.as_ref(),
            cid: cid.as_str(),
            filename: format!("image-{}.png", image.id),
        }))
        .collect();
    let html_preview = inline.iter().fold(html_sent.clone(), |html, i| {
        html.replace(&format!("cid:{}", i.cid), &i.image.data_uri)
    });

    // Size against Gmail clipping.
    let html_bytes = html_sent.len();
    if html_bytes >= GMAIL_CLIP_LIMIT {
        diags.push(error(
            input,
            codes::EMAIL_GMAIL_CLIPPED,
            format!("the HTML is {html_bytes} bytes: Gmail clips messages over about {GMAIL_CLIP_LIMIT} bytes and hides the rest, including the legal footer"),
            "shorten the body or split the message",
        ));
    } else if html_bytes >= GMAIL_CLIP_WARNING {
        diags.push(warning(
            input,
            codes::EMAIL_GMAIL_CLIP_NEAR,
            format!("the HTML is {html_bytes} bytes, close to Gmail's clipping at about {GMAIL_CLIP_LIMIT} bytes"),
            "shorten the body",
        ));
    }

    // text/* travels in canonical form: CRLF line ends (RFC 2046 §4.1.1).
    let text_crlf = text.replace('\n', "\r\n");
    let from_name = input
        .from_name
        .as_deref()
        .map(mime::header_safe)
        .unwrap_or_default();
    let eml = mime::build(&mime::Message {
        locale: &h.lang,
        subject: &h.subject,
        from_name: &from_name,
        from_address: &input.from_address,
        reply_to: input.reply_to.as_deref(),
        to_name: &mime::header_safe(&input.to_name),
        to_address: &input.to_address,
        unsubscribe_url: h.unsubscribe.as_deref(),
        date_header: &h.date,
        message_id_seed: &input.message_id_seed,
        text: &text_crlf,
        html: &html_sent,
        inline: &inline,
    })
    .map_err(|e| {
        let mut all = diags.clone();
        all.push(error(
            input,
            codes::EMAIL_MIME,
            format!("building the MIME message failed: {e}"),
            "report this as a bug",
        ));
        all
    })?;

    let metrics = EmailMetrics {
        html_bytes,
        gmail_clip_limit: GMAIL_CLIP_LIMIT,
        clipped: html_bytes >= GMAIL_CLIP_LIMIT,
        links: checked.links,
        images: checked.images,
        text_bytes: text.len(),
        eml_bytes: eml.len(),
    };
    diags.sort_by_key(|d| (d.severity != Severity::Error, d.line));
    Ok(EmailRendition {
        html: html_preview,
        text,
        eml,
        subject: h.subject,
        preheader: h.preheader,
        from_name,
        metrics,
        diagnostics: diags,
        mjml: filled.mjml,
        components: ccm_print::components::in_markdown(&input.body_markdown),
    })
}
