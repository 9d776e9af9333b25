//! Components: a small design vocabulary with one meaning in every channel
//! (docs/FILE-FORMAT.md, "Components"). Templates call them as Tera functions
//! (`{{ button(label="…", url="…") }}`); in the Markdown bodies of email and letters a call
//! becomes a fenced block whose info string is [`MARKER_INFO`] and whose one line is the
//! component as JSON. The email writer, the email text part and the letter converter each
//! read that block and write their own rendition; SMS and push get plain text straight from
//! the function ([`Component::text`]).
//!
//! The marker is a code block, so nothing in it is ever Markdown: labels and URLs travel
//! as JSON strings, untouched by Markdown escaping.

use serde::{Deserialize, Serialize};
use unicode_width::UnicodeWidthStr;

/// Info string of the fenced block that carries a component through Markdown.
pub const MARKER_INFO: &str = "ccm-component";

/// One component, as the template called it. Strings are final text (Tera has run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Component {
    /// A call to action. `action`: the push notification category (APNs `category`, FCM
    /// `click_action`) the app registered for it; empty when the button only opens the URL.
    Button {
        label: String,
        url: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        action: String,
    },
    /// A rule in the brand's primary colour.
    Divider,
    /// Vertical space: `small`, `medium` or `large`.
    Spacer {
        size: SpacerSize,
    },
    /// A brand-kit image with alt text and optional overlay text.
    Hero {
        image: String,
        alt: String,
        #[serde(default)]
        text: String,
    },
    /// A notice box: `info` or `warning`.
    Callout {
        #[serde(default)]
        title: String,
        text: String,
        tone: Tone,
    },
    /// The closing signature: name, job title, organisation.
    Signature {
        name: String,
        #[serde(default)]
        title: String,
        #[serde(default)]
        organisation: String,
    },
    /// A QR code of a URL, with the label printed beside it.
    Qr {
        url: String,
        #[serde(default)]
        label: String,
    },
    /// A data table: header cells, rows of cells, alignment per column.
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
        #[serde(default)]
        align: Vec<Align>,
    },
    /// The Japan Post customer barcode (letters only).
    CustomerBarcode {
        postal_code: String,
        address: String,
    },
    /// Starts 2 or 3 columns; [`Component::NextColumn`] moves on, [`Component::EndColumns`]
    /// closes them.
    Columns {
        count: u8,
    },
    NextColumn,
    EndColumns,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpacerSize {
    Small,
    Medium,
    Large,
}

impl SpacerSize {
    /// Height in CSS pixels (email) — the letter uses the same number in points.
    pub fn px(self) -> u32 {
        match self {
            SpacerSize::Small => 12,
            SpacerSize::Medium => 24,
            SpacerSize::Large => 48,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Info,
    Warning,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

/// Which plain-text rendition: the email's text part, an SMS or a push notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextTarget {
    EmailText,
    Sms,
    Push,
}

impl Component {
    /// The fenced block that carries the component through a Markdown body.
    pub fn marker(&self) -> String {
        // serde_json never writes a raw newline inside a string, so the JSON is one line and
        // can never close the fence.
        let json = serde_json::to_string(self).unwrap_or_default();
        format!("\n\n```{MARKER_INFO}\n{json}\n```\n\n")
    }

    /// Reads the JSON line of a marker block.
    pub fn parse(json: &str) -> Result<Component, String> {
        serde_json::from_str(json.trim()).map_err(|e| e.to_string())
    }

    /// Whether the component is a column boundary (they nest the content between them).
    pub fn is_column_marker(&self) -> bool {
        matches!(
            self,
            Component::Columns { .. } | Component::NextColumn | Component::EndColumns
        )
    }

    /// The component as plain text. Columns stack: each column starts on a new line.
    pub fn text(&self, target: TextTarget, ja: bool) -> String {
        match self {
            Component::Button { label, url, .. } => match target {
                TextTarget::Push => label.clone(),
                _ => format!("{label}: {url}"),
            },
            Component::Qr { url, label } => match target {
                TextTarget::Push => label.clone(),
                _ if label.is_empty() => url.clone(),
                _ => format!("{label}: {url}"),
            },
            Component::Divider => match target {
                TextTarget::EmailText if ja => "━".repeat(20),
                TextTarget::EmailText => "-".repeat(40),
                _ => String::new(),
            },
            Component::Spacer { .. }
            | Component::CustomerBarcode { .. }
            | Component::Columns { .. }
            | Component::EndColumns => String::new(),
            // Columns stack: the next one starts on its own line.
            Component::NextColumn => "\n".to_string(),
            Component::Hero { alt, text, .. } => {
                if text.is_empty() {
                    if target == TextTarget::EmailText {
                        format!("[{alt}]")
                    } else {
                        String::new()
                    }
                } else {
                    text.clone()
                }
            }
            Component::Callout { title, text, .. } => match (title.is_empty(), ja) {
                (true, _) => text.clone(),
                (false, true) => format!("【{title}】{text}"),
                (false, false) => format!("{title}: {text}"),
            },
            Component::Signature {
                name,
                title,
                organisation,
            } => [name, title, organisation]
                .into_iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join("\n"),
            Component::Table {
                headers,
                rows,
                align,
            } => aligned_table(headers, rows, align),
        }
    }
}

/// The components of a Tera-expanded Markdown body, in order (unreadable blocks are left
/// out; the renderers report them).
pub fn in_markdown(markdown: &str) -> Vec<Component> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    if !markdown.contains(MARKER_INFO) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut json: Option<String> = None;
    for event in Parser::new_ext(markdown, crate::markdown::DIALECT) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.trim() == MARKER_INFO =>
            {
                json = Some(String::new())
            }
            Event::Text(t) => {
                if let Some(j) = json.as_mut() {
                    j.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(c) = json.take().and_then(|j| Component::parse(&j).ok()) {
                    out.push(c);
                }
            }
            _ => {}
        }
    }
    out
}

/// A table as aligned plain text: columns padded to their display width (a CJK character is
/// two columns wide, as in a monospaced font), two spaces between columns, a rule under the
/// header.
pub fn aligned_table(headers: &[String], rows: &[Vec<String>], align: &[Align]) -> String {
    let columns = std::iter::once(headers.len())
        .chain(rows.iter().map(Vec::len))
        .max()
        .unwrap_or(0);
    let cell = |row: &[String], i: usize| row.get(i).map(String::as_str).unwrap_or("").to_string();
    let mut widths = vec![0usize; columns];
    for row in std::iter::once(headers).chain(rows.iter().map(Vec::as_slice)) {
        for (i, w) in widths.iter_mut().enumerate() {
            *w = (*w).max(UnicodeWidthStr::width(cell(row, i).as_str()));
        }
    }
    let line = |row: &[String]| -> String {
        let cells: Vec<String> = (0..columns)
            .map(|i| {
                let text = cell(row, i);
                let pad = widths[i].saturating_sub(UnicodeWidthStr::width(text.as_str()));
                match align.get(i).copied().unwrap_or_default() {
                    Align::Right => format!("{}{text}", " ".repeat(pad)),
                    Align::Center => {
                        format!("{}{text}{}", " ".repeat(pad / 2), " ".repeat(pad - pad / 2))
                    }
                    Align::Left => format!("{text}{}", " ".repeat(pad)),
                }
            })
            .collect();
        cells.join("  ").trim_end().to_string()
    };
    let mut out = Vec::with_capacity(rows.len() + 2);
    if !headers.is_empty() {
        out.push(line(headers));
        let total = widths.iter().sum::<usize>() + 2 * columns.saturating_sub(1);
        out.push("-".repeat(total));
    }
    out.extend(rows.iter().map(|r| line(r)));
    out.join("\n")
}

/// The QR code of `data` as an SVG path, 4 modules of quiet zone around it; one unit is one
/// module. Medium error correction (15 %) keeps codes small and still tolerates print wear.
pub fn qr_svg(data: &str) -> Result<String, String> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| e.to_string())?;
    let n = code.width();
    let size = n + 8;
    let colors = code.to_colors();
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\""
    );
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            out.push_str(&format!("M{} {}h1v1h-1z", i % n + 4, i / n + 4));
        }
    }
    out.push_str("\"/></svg>");
    Ok(out)
}

/// The QR code of `data` as a grey image, `scale` pixels per module, quiet zone included.
pub fn qr_pixels(data: &str, scale: u32) -> Result<image::GrayImage, String> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| e.to_string())?;
    let n = code.width() as u32;
    let colors = code.to_colors();
    let size = (n + 8) * scale;
    Ok(image::GrayImage::from_fn(size, size, |x, y| {
        let (mx, my) = (x / scale, y / scale);
        let dark = mx >= 4
            && my >= 4
            && mx < n + 4
            && my < n + 4
            && colors[((my - 4) * n + (mx - 4)) as usize] == qrcode::Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip_hostile_text() {
        let c = Component::Button {
            label: "```\n# not a heading <b>".into(),
            url: "https://example.com/a?b=\"c\"".into(),
            action: String::new(),
        };
        let m = c.marker();
        let json = m
            .trim()
            .strip_prefix("```ccm-component\n")
            .and_then(|s| s.strip_suffix("\n```"))
            .unwrap();
        assert!(!json.contains('\n'));
        assert_eq!(Component::parse(json).unwrap(), c);
    }

    #[test]
    fn tables_align_by_display_width() {
        let t = aligned_table(
            &["日付".into(), "内容".into(), "金額".into()],
            &[
                vec!["12/01".into(), "振込 ヤマダ".into(), "¥12,800".into()],
                vec!["12/05".into(), "ATM".into(), "¥5,000".into()],
            ],
            &[Align::Left, Align::Left, Align::Right],
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "日付   内容            金額");
        assert_eq!(lines[2], "12/01  振込 ヤマダ  ¥12,800");
        assert_eq!(lines[3], format!("12/05  ATM{}¥5,000", " ".repeat(11)));
    }

    #[test]
    fn qr_codes_decode_with_an_independent_decoder() {
        let url = "https://sakura-bank.example.jp/statement?id=C-000123";
        let img = qr_pixels(url, 4).unwrap();
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
            img.width() as usize,
            img.height() as usize,
            |x, y| img.get_pixel(x as u32, y as u32).0[0],
        );
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, url);
        assert_eq!(qr_svg(url).unwrap(), qr_svg(url).unwrap());
    }
}
