//! Markdown letter body → Typst markup.
//!
//! Structure (paragraphs, headings, emphasis, lists and task lists, tables, strikethrough,
//! quotes, code, breaks) becomes Typst function calls; every piece of text goes through
//! [`escape`], so nothing the template or persona data contains can act as Typst code. Raw
//! HTML is shown as literal text (a letter has no HTML), links print as "text (URL)" because
//! paper cannot be clicked.
//!
//! A line map records, for each line of the generated Typst, the Markdown line it came from,
//! so typst diagnostics can point at print.md.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::components::{Component, Tone, MARKER_INFO};
use crate::customer_barcode::CustomerBarcode;
use crate::escape;
use ccm_core::diagnostic::{codes, Diagnostic};
use ccm_core::model::Channel;

/// The converted body.
#[derive(Debug, Clone, PartialEq)]
pub struct TypstBody {
    pub markup: String,
    /// `line_map[i]` = 0-based Markdown line that produced Typst line `i`.
    pub line_map: Vec<u32>,
    /// Conversion warnings; `line` is 0-based within the body (the caller offsets it).
    pub notes: Vec<Diagnostic>,
    /// The images the markup shows, in order: `/img/<i>.<ext>` is `images[i]` (a path
    /// given to [`to_typst_with_images`]).
    pub images: Vec<String>,
    /// The customer barcodes the body prints, in order (each followed in the markup by a
    /// `<ccm-barcode>` metadata element, which tells the page it landed on).
    pub barcodes: Vec<CustomerBarcode>,
}

/// An image the body may show: its print width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BodyImage {
    /// Width in points (never wider than the text column).
    pub width_pt: f64,
}

impl TypstBody {
    /// The 0-based Markdown line for a 0-based Typst line.
    pub fn markdown_line(&self, typst_line: usize) -> Option<u32> {
        self.line_map.get(typst_line).copied()
    }
}

/// The Markdown dialect of CCM templates, the one every channel parses with (email HTML and
/// text part here in ccm-render's email module, letters here): CommonMark + GFM tables,
/// strikethrough and task lists (docs/FILE-FORMAT.md, "Markdown"). Smart punctuation stays
/// off: it would rewrite quotes and dashes inside Japanese copy. Every construct it enables
/// must print; a test in ccm-render feeds the same Markdown to email and print to hold that.
pub const DIALECT: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS);

#[cfg(test)]
fn to_typst(markdown: &str) -> TypstBody {
    to_typst_with_images(markdown, &std::collections::BTreeMap::new())
}

/// The body as Typst markup, with the images it may show (by the path its Markdown uses).
pub fn to_typst_with_images(
    markdown: &str,
    available: &std::collections::BTreeMap<String, BodyImage>,
) -> TypstBody {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(markdown.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| -> u32 {
        let idx = line_starts.partition_point(|&s| s <= offset);
        u32::try_from(idx.saturating_sub(1)).unwrap_or(u32::MAX)
    };

    let mut w = Writer {
        available: available.clone(),
        ..Writer::default()
    };
    for (event, range) in Parser::new_ext(markdown, DIALECT).into_offset_iter() {
        w.md_line = line_of(range.start);
        if matches!(event, Event::SoftBreak)
            && joins_without_space(markdown, range.start, range.end)
        {
            continue;
        }
        w.event(event);
    }
    // Columns the template left open are closed, so the letter still compiles.
    if w.open_columns {
        w.emit("])\n\n");
        w.notes.push(
            Diagnostic::warning(
                Channel::Print,
                codes::COMPONENT_COLUMNS,
                "columns() without end_columns(): the columns are closed at the end of the letter",
            )
            .at_line(Some(w.md_line))
            .hint("close the columns with {{ end_columns() }}"),
        );
    }
    // The (empty) line after the last newline.
    if !w.line_open {
        w.line_map.push(w.md_line);
    }
    TypstBody {
        markup: w.out,
        line_map: w.line_map,
        notes: w.notes,
        images: w.used,
        barcodes: w.barcodes,
    }
}

/// A line break inside a paragraph between two Chinese/Japanese characters is not a word space
/// (as CSS's segment-break rules have it); Typst would print it as one, so drop it.
fn joins_without_space(src: &str, start: usize, end: usize) -> bool {
    let skip = |c: &char| c.is_whitespace() || matches!(c, '*' | '_' | '~' | '`' | '[' | ']' | '>');
    let before = src
        .get(..start)
        .and_then(|s| s.chars().rev().find(|c| !skip(c)));
    let after = src.get(end..).and_then(|s| s.chars().find(|c| !skip(c)));
    matches!((before, after), (Some(a), Some(b)) if is_cjk(a) && is_cjk(b))
}

/// Han, kana and CJK/full-width punctuation: scripts written without spaces between words.
/// Hangul is excluded: Korean separates words with spaces.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF     // radicals
        | 0x3000..=0x303F   // CJK symbols and punctuation
        | 0x3040..=0x30FF   // hiragana, katakana
        | 0x31F0..=0x31FF   // katakana extensions
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xF900..=0xFAFF   // compatibility ideographs
        | 0xFF00..=0xFF60   // full-width forms
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFF)
}

/// The extension Typst reads the image format from.
pub(crate) fn image_extension(path: &str) -> &'static str {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        "jpg"
    } else if lower.ends_with(".gif") {
        "gif"
    } else {
        "png"
    }
}

struct LinkState {
    url: String,
    text: String,
}

#[derive(Default)]
struct Writer {
    out: String,
    line_map: Vec<u32>,
    md_line: u32,
    /// Whether the current Typst line already has its line_map entry.
    line_open: bool,
    notes: Vec<Diagnostic>,
    code_block: Option<String>,
    links: Vec<LinkState>,
    /// Alt text of the image being read.
    image_alt: Option<String>,
    /// The image being read, when it is one of `available`: (index in `used`, width).
    image: Option<(usize, f64)>,
    available: std::collections::BTreeMap<String, BodyImage>,
    used: Vec<String>,
    /// The JSON of the component block being read.
    component: Option<String>,
    open_columns: bool,
    primary_defined: bool,
    barcodes: Vec<CustomerBarcode>,
}

impl Writer {
    /// Emits generated Typst. A Typst line maps to the Markdown line being converted when its
    /// first character is written.
    fn emit(&mut self, s: &str) {
        for c in s.chars() {
            if !self.line_open {
                self.line_map.push(self.md_line);
                self.line_open = true;
            }
            self.out.push(c);
            if c == '\n' {
                self.line_open = false;
            }
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(json) = self.component.as_mut() {
            json.push_str(text);
            return;
        }
        if let Some(code) = self.code_block.as_mut() {
            code.push_str(text);
            return;
        }
        if let Some(alt) = self.image_alt.as_mut() {
            alt.push_str(text);
            return;
        }
        for link in &mut self.links {
            link.text.push_str(text);
        }
        let escaped = escape::markup(text);
        self.emit(&escaped);
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(code) => {
                let call = format!("#raw({})", escape::string_literal(&code));
                self.emit(&call);
            }
            // Raw HTML is not interpreted in a letter: show it as the text it is.
            Event::Html(html) => {
                let mut lines = html.split_inclusive('\n').peekable();
                while let Some(line) = lines.next() {
                    let content = line.trim_end_matches(['\n', '\r']);
                    self.text(content);
                    if line.ends_with('\n') && lines.peek().is_some() {
                        self.emit("#linebreak()\n");
                    }
                }
            }
            Event::InlineHtml(html) => self.text(&html),
            Event::InlineMath(m) | Event::DisplayMath(m) => self.text(&m),
            Event::FootnoteReference(label) => self.text(&format!("[^{label}]")),
            Event::SoftBreak => {
                if self.code_block.is_none() {
                    self.emit("\n");
                }
            }
            Event::HardBreak => self.emit("#linebreak()\n"),
            Event::Rule => self.emit("#line(length: 100%, stroke: 0.5pt)\n\n"),
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                let n = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                self.emit(&format!("#heading(level: {n})["));
            }
            Tag::BlockQuote(_) => self.emit("#quote(block: true)["),
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) if info.trim() == MARKER_INFO => {
                self.component = Some(String::new())
            }
            Tag::CodeBlock(_) => self.code_block = Some(String::new()),
            Tag::HtmlBlock => {}
            Tag::List(None) => self.emit("#list(\n"),
            Tag::List(Some(start)) => self.emit(&format!("#enum(start: {start},\n")),
            Tag::Item => self.emit("["),
            Tag::Table(alignments) => {
                let aligns: Vec<&str> = alignments
                    .iter()
                    .map(|a| match a {
                        Alignment::None | Alignment::Left => "left",
                        Alignment::Center => "center",
                        Alignment::Right => "right",
                    })
                    .collect();
                self.emit(&format!(
                    "#table(columns: {}, align: ({},),\n",
                    aligns.len().max(1),
                    aligns.join(", ")
                ));
            }
            Tag::TableHead => self.emit("table.header("),
            Tag::TableRow => {}
            Tag::TableCell => self.emit("["),
            Tag::Emphasis => self.emit("#emph["),
            Tag::Strong => self.emit("#strong["),
            Tag::Strikethrough => self.emit("#strike["),
            Tag::Superscript => self.emit("#super["),
            Tag::Subscript => self.emit("#sub["),
            Tag::Link { dest_url, .. } => self.links.push(LinkState {
                url: dest_url.to_string(),
                text: String::new(),
            }),
            Tag::Image { dest_url, .. } => {
                self.image_alt = Some(String::new());
                let path = dest_url.trim().trim_start_matches("assets/").to_string();
                match self.available.get(&path).copied() {
                    Some(img) => {
                        let index = match self.used.iter().position(|p| *p == path) {
                            Some(i) => i,
                            None => {
                                self.used.push(path);
                                self.used.len() - 1
                            }
                        };
                        self.image = Some((index, img.width_pt));
                    }
                    None => self.notes.push(
                        Diagnostic::warning(Channel::Print,
                            codes::PRINT_BODY_IMAGE,
                            format!("the image '{}' is not a file of the brand kit, so it is not printed; its alt text is shown instead", path.chars().take(80).collect::<String>()),
                        )
                        .at_line(Some(self.md_line))
                        .hint("put the image in assets/brands/<brand>/ and write ![description](brands/<brand>/<file>); paper cannot show web images"),
                    ),
                }
            }
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.emit("\n\n"),
            TagEnd::Heading(_) => self.emit("]\n\n"),
            TagEnd::BlockQuote(_) => self.emit("]\n\n"),
            TagEnd::CodeBlock if self.component.is_some() => {
                let json = self.component.take().unwrap_or_default();
                match Component::parse(&json) {
                    Ok(c) => self.component(&c),
                    Err(e) => self.notes.push(
                        Diagnostic::warning(
                            Channel::Print,
                            codes::COMPONENT_INVALID,
                            format!("a component block could not be read: {e}"),
                        )
                        .at_line(Some(self.md_line))
                        .hint("write components with their Tera functions, e.g. {{ button(label=\"…\", url=\"https://…\") }}"),
                    ),
                }
            }
            TagEnd::CodeBlock => {
                let code = self.code_block.take().unwrap_or_default();
                let code = code.strip_suffix('\n').unwrap_or(&code);
                let call = format!("#raw(block: true, {})\n\n", escape::string_literal(code));
                self.emit(&call);
            }
            TagEnd::HtmlBlock => self.emit("\n\n"),
            TagEnd::List(_) => self.emit(")\n\n"),
            TagEnd::Item => self.emit("],\n"),
            TagEnd::Table => self.emit(")\n\n"),
            TagEnd::TableHead => self.emit("),\n"),
            TagEnd::TableRow => self.emit("\n"),
            TagEnd::TableCell => self.emit("], "),
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => self.emit("]"),
            TagEnd::Link => {
                if let Some(link) = self.links.pop() {
                    let shown = link.text.trim();
                    let bare = link.url.trim_start_matches("mailto:");
                    if !link.url.is_empty() && shown != link.url && shown != bare {
                        self.emit(" ");
                        self.text(&format!("({bare})"));
                    }
                }
            }
            TagEnd::Image => {
                let alt = self.image_alt.take().unwrap_or_default();
                match self.image.take() {
                    Some((index, width)) => {
                        let ext = image_extension(&self.used[index]);
                        let call = format!(
                            "#box(image(\"/img/{index}.{ext}\", width: {width:.1}pt, alt: {}))",
                            escape::string_literal(alt.trim())
                        );
                        self.emit(&call);
                    }
                    None => self.text(&format!("[{}]", alt.trim())),
                }
            }
            TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => {}
        }
    }

    /// The brand's primary colour, read once from the job (the body is an included file and
    /// does not see the letterhead's variables).
    fn primary(&mut self) -> &'static str {
        if !self.primary_defined {
            self.primary_defined = true;
            self.emit("#let ccm-primary = rgb(json(\"/job.json\").brand.primary)\n");
        }
        "ccm-primary"
    }

    /// A QR code image of `url`, `size_mm` wide.
    fn qr_image(&mut self, url: &str, alt: &str, size_mm: f64) -> Option<String> {
        match crate::components::qr_svg(url) {
            Ok(svg) => Some(format!(
                "image(bytes({}), format: \"svg\", width: {size_mm:.1}mm, alt: {})",
                escape::string_literal(&svg),
                escape::string_literal(alt)
            )),
            Err(e) => {
                self.notes.push(
                    Diagnostic::warning(
                        Channel::Print,
                        codes::COMPONENT_INVALID,
                        format!("no QR code could be made of '{url}': {e}"),
                    )
                    .at_line(Some(self.md_line))
                    .hint("shorten the URL"),
                );
                None
            }
        }
    }

    /// The letter's rendition of a component (docs/FILE-FORMAT.md, "Components").
    fn component(&mut self, c: &Component) {
        match c {
            Component::Button { label, url, .. } => {
                // Paper cannot be clicked: the URL is printed, with a QR code of it.
                let text = format!(
                    "[#strong[{}] #linebreak() {}]",
                    escape::markup(label),
                    escape::markup(url)
                );
                match self.qr_image(url, label, 20.0) {
                    Some(qr) => self.emit(&format!(
                        "#grid(columns: (auto, 1fr), column-gutter: 4mm, align: horizon, {qr}, {text})\n\n"
                    )),
                    None => self.emit(&format!("#block{text}\n\n")),
                }
            }
            Component::Qr { url, label } => {
                let alt = if label.is_empty() { url } else { label };
                if let Some(qr) = self.qr_image(url, alt, 24.0) {
                    let text = if label.is_empty() {
                        format!("[{}]", escape::markup(url))
                    } else {
                        format!(
                            "[#strong[{}] #linebreak() {}]",
                            escape::markup(label),
                            escape::markup(url)
                        )
                    };
                    self.emit(&format!(
                        "#grid(columns: (auto, 1fr), column-gutter: 4mm, align: horizon, {qr}, {text})\n\n"
                    ));
                }
            }
            Component::Divider => {
                let p = self.primary();
                self.emit(&format!("#line(length: 100%, stroke: 1pt + {p})\n\n"));
            }
            Component::Spacer { size } => self.emit(&format!("#v({}pt)\n\n", size.px())),
            Component::Hero { image, alt, text } => {
                let path = image.trim().trim_start_matches("assets/").to_string();
                let Some(img) = self.available.get(&path).copied() else {
                    self.notes.push(
                        Diagnostic::warning(Channel::Print, codes::PRINT_BODY_IMAGE,
                            format!("the hero image '{}' is not a file of the brand kit, so it is not printed", path.chars().take(80).collect::<String>()))
                        .at_line(Some(self.md_line))
                        .hint("put the image in assets/brands/<brand>/ and name it brands/<brand>/<file>"),
                    );
                    if !text.is_empty() {
                        self.emit(&format!("#heading(level: 1)[{}]\n\n", escape::markup(text)));
                    }
                    return;
                };
                let index = match self.used.iter().position(|p| *p == path) {
                    Some(i) => i,
                    None => {
                        self.used.push(path);
                        self.used.len() - 1
                    }
                };
                let ext = image_extension(&self.used[index]);
                let overlay = if text.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", place(bottom + left, dx: 5mm, dy: -5mm, text(size: 18pt, weight: \"bold\", fill: white)[{}])",
                        escape::markup(text)
                    )
                };
                self.emit(&format!(
                    "#block(width: 100%, breakable: false, stack(image(\"/img/{index}.{ext}\", width: {:.1}pt, alt: {}){overlay}))\n\n",
                    img.width_pt,
                    escape::string_literal(alt)
                ));
            }
            Component::Callout { title, text, tone } => {
                let p = self.primary();
                let colour = match tone {
                    Tone::Info => p.to_string(),
                    Tone::Warning => "rgb(\"#b45309\")".to_string(),
                };
                let title = if title.is_empty() {
                    String::new()
                } else {
                    format!("#strong[{}] #linebreak() ", escape::markup(title))
                };
                self.emit(&format!(
                    "#block(width: 100%, inset: 8pt, fill: {colour}.lighten(90%), stroke: (left: 3pt + {colour}))[{title}{}]\n\n",
                    escape::markup(text)
                ));
            }
            Component::Signature {
                name,
                title,
                organisation,
            } => {
                let lines: Vec<String> = [name, title, organisation]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| escape::markup(s))
                    .collect();
                self.emit(&format!(
                    "#block(above: 12pt)[{}]\n\n",
                    lines.join(" #linebreak() ")
                ));
            }
            Component::Table {
                headers,
                rows,
                align,
            } => {
                let n = std::iter::once(headers.len())
                    .chain(rows.iter().map(Vec::len))
                    .max()
                    .unwrap_or(1)
                    .max(1);
                let aligns: Vec<&str> = (0..n)
                    .map(|i| match align.get(i).copied().unwrap_or_default() {
                        crate::components::Align::Left => "left",
                        crate::components::Align::Center => "center",
                        crate::components::Align::Right => "right",
                    })
                    .collect();
                let cells = |row: &[String]| -> String {
                    (0..n)
                        .map(|i| {
                            format!(
                                "[{}]",
                                escape::markup(row.get(i).map(String::as_str).unwrap_or(""))
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let mut out = format!("#table(columns: {n}, align: ({},),\n", aligns.join(", "));
                if !headers.is_empty() {
                    out.push_str(&format!("table.header({}),\n", cells(headers)));
                }
                for row in rows {
                    out.push_str(&cells(row));
                    out.push_str(",\n");
                }
                out.push_str(")\n\n");
                self.emit(&out);
            }
            Component::CustomerBarcode {
                postal_code,
                address,
            } => match CustomerBarcode::new(postal_code, address) {
                Ok(code) => {
                    // Nothing prints here: the letterhead template draws the barcode under
                    // the address in the envelope window; the metadata tells it the bars and
                    // the renderer the page.
                    self.emit(&format!(
                        "#metadata({}) <ccm-barcode>\n\n",
                        escape::string_literal(&code.svg())
                    ));
                    self.barcodes.push(code);
                }
                Err(e) => self.notes.push(
                    Diagnostic::warning(
                        Channel::Print,
                        codes::COMPONENT_BARCODE,
                        format!("no customer barcode printed: {e}"),
                    )
                    .at_line(Some(self.md_line))
                    .hint("give customer_barcode() the recipient's 7-digit postal code"),
                ),
            },
            Component::Columns { count } => {
                if self.open_columns {
                    self.emit("])\n\n");
                }
                let n = (*count).clamp(2, 3);
                self.emit(&format!(
                    "#grid(columns: ({}), column-gutter: 6mm, [\n",
                    vec!["1fr"; n as usize].join(", ")
                ));
                self.open_columns = true;
            }
            Component::NextColumn => {
                if self.open_columns {
                    self.emit("], [\n");
                }
            }
            Component::EndColumns => {
                if std::mem::take(&mut self.open_columns) {
                    self.emit("])\n\n");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injection_strings_become_escaped_text() {
        let body = to_typst(
            "Dear #read(\"secrets.txt\") $x$ *a* `b` @ref <x> // c ](javascript:alert(1))",
        );
        let m = &body.markup;
        assert!(m.contains("\\#read\\(\\\"secrets\\.txt\\\"\\)"), "{m}");
        assert!(!m.replace("\\#", "").contains("#read"), "{m}");
        assert!(m.contains("\\$x\\$"));
        assert!(m.contains("\\/\\/ c"));
        assert!(m.contains("\\@ref \\<x\\>"));
        assert!(
            m.contains("\\]\\(javascript:alert\\(1\\)\\)") || m.contains("javascript\\:"),
            "{m}"
        );
    }

    #[test]
    fn markdown_emphasis_becomes_typst_calls() {
        let m = to_typst("**重要** and *note* ~~old~~").markup;
        assert_eq!(m, "#strong[重要] and #emph[note] #strike[old]\n\n");
    }

    #[test]
    fn escaped_markdown_from_data_stays_literal() {
        // Data values arrive Markdown-escaped: `\*\*bold\*\*` must print as **bold**.
        let m = to_typst("\\*\\*bold\\*\\*").markup;
        assert_eq!(m, "\\*\\*bold\\*\\*\n\n");
    }

    #[test]
    fn headings_lists_and_tables() {
        let md =
            "# 件名\n\n- a\n- b\n\n3. x\n4. y\n\n| 項目 | 金額 |\n|:--|--:|\n| 請求 | ¥1,000 |\n";
        let m = to_typst(md).markup;
        assert!(m.contains("#heading(level: 1)[件名]"), "{m}");
        assert!(m.contains("#list(\n[a],\n[b],\n)"), "{m}");
        assert!(m.contains("#enum(start: 3,\n[x],\n[y],\n)"), "{m}");
        assert!(
            m.contains("#table(columns: 2, align: (left, right,),"),
            "{m}"
        );
        assert!(m.contains("table.header([項目], [金額], ),"), "{m}");
        assert!(m.contains("[請求], [¥1\\,000], "), "{m}");
    }

    #[test]
    fn task_lists_print_ballot_boxes() {
        let m = to_typst("- [ ] 未完了\n- [x] 完了\n").markup;
        assert_eq!(m, "#list(\n[☐ 未完了],\n[☑ 完了],\n)\n\n");
    }

    #[test]
    fn links_print_text_and_url() {
        let m = to_typst("[お問い合わせ](https://bank.example.jp/help)").markup;
        assert_eq!(
            m,
            "お問い合わせ \\(https\\:\\/\\/bank\\.example\\.jp\\/help\\)\n\n"
        );
        let auto = to_typst("<https://x.example>").markup;
        assert_eq!(auto, "https\\:\\/\\/x\\.example\n\n");
    }

    #[test]
    fn raw_html_is_literal_text() {
        let m = to_typst("<script>alert(1)</script>\n").markup;
        assert!(
            m.starts_with("\\<script\\>alert\\(1\\)\\<\\/script\\>"),
            "{m}"
        );
        let inline = to_typst("a <b>x</b>").markup;
        assert_eq!(inline, "a \\<b\\>x\\<\\/b\\>\n\n");
    }

    #[test]
    fn code_is_a_raw_string() {
        let m = to_typst("```\n#read(\"x\")\n```\n").markup;
        assert_eq!(m, "#raw(block: true, \"#read(\\\"x\\\")\")\n\n");
    }

    #[test]
    fn hard_breaks_and_rules() {
        let m = to_typst("a  \nb\n\n---\n").markup;
        assert_eq!(
            m,
            "a#linebreak()\nb\n\n#line(length: 100%, stroke: 0.5pt)\n\n"
        );
    }

    #[test]
    fn line_map_follows_markdown_lines() {
        let body = to_typst("first\n\nsecond\nthird\n\n- item\n");
        // Typst: "first", "", "second", "third", "", "#list(", "[item],", ")", ""
        let lines: Vec<&str> = body.markup.split('\n').collect();
        let second = lines.iter().position(|l| *l == "second").unwrap();
        assert_eq!(body.markdown_line(second), Some(2));
        let item = lines.iter().position(|l| l.starts_with("[item]")).unwrap();
        assert_eq!(body.markdown_line(item), Some(5));
    }

    #[test]
    fn soft_breaks_between_japanese_characters_vanish() {
        assert_eq!(
            to_typst("お引き落とし日は\n十二月十日です。").markup,
            "お引き落とし日は十二月十日です。\n\n"
        );
        assert_eq!(
            to_typst("日付は\n**十日**").markup,
            "日付は#strong[十日]\n\n"
        );
        assert_eq!(
            to_typst("The amount\nis due").markup,
            "The amount\nis due\n\n"
        );
        assert_eq!(to_typst("金額は\n$12").markup, "金額は\n\\$12\n\n");
    }

    #[test]
    fn body_images_warn_and_show_alt() {
        let body = to_typst("text\n\n![地図](map.png)\n");
        assert!(body.markup.contains("\\[地図\\]"));
        assert_eq!(body.notes.len(), 1);
        assert_eq!(body.notes[0].line, Some(2));
    }
}
