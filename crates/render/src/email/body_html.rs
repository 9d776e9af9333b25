//! Markdown events → the HTML fragment that goes inside the email layout.
//!
//! Written by hand rather than with `pulldown_cmark::html` because the email body must be safe
//! and well-formed no matter what the template says: raw HTML from the template is shown as
//! text, links keep only allowed schemes, images need alt text, and every element is closed
//! (XHTML-style void elements) so the MJML parser always accepts the fragment.

use super::components;
use super::layout::Palette;
use super::logo::{email_variant, EmailImage};
use super::markdown::{
    is_br_tag, is_cjk, push_escaped, safe_href, safe_image_src, Events, LineIndex,
};
use crate::components::{Component, MARKER_INFO};
use ccm_core::diagnostic::{codes, Code, Diagnostic};
use ccm_core::model::{Brand, BrandColors, Channel};
use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};
use std::sync::Arc;

/// Widest a body image is shown (CSS px): the 600 px layout less its 32 px side padding.
pub(crate) const BODY_IMAGE_WIDTH: u32 = 536;

/// Class of content tables: the layout post-processing leaves them as data tables
/// (no `role="presentation"`).
pub(crate) const DATA_TABLE_CLASS: &str = "ccm-table";

pub(crate) struct BodyHtml {
    pub html: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Brand-kit images the body shows, by `cid:` (sent inline; `data:` in previews).
    pub images: Vec<(String, Arc<EmailImage>)>,
}

struct Writer<'a> {
    out: String,
    diags: Vec<Diagnostic>,
    file: &'a str,
    lines: &'a LineIndex,
    brand: Option<&'a Brand>,
    images: Vec<(String, Arc<EmailImage>)>,
    /// For every open link: whether it was emitted as a live `<a>`.
    links: Vec<bool>,
    /// Open image: (src, title, alt collected so far, offset).
    image: Option<(String, String, String, usize)>,
    table_aligns: Vec<Alignment>,
    cell: usize,
    in_head: bool,
    pending_softbreak: bool,
    last_char: Option<char>,
    /// The JSON of the component block being read, and where it started.
    component: Option<(String, usize)>,
    in_columns: bool,
    palette: Palette,
}

/// `brand`: where `brands/<brand>/<file>` image paths are looked up (none: only https images).
pub(crate) fn render(
    events: &Events<'_>,
    file: &str,
    lines: &LineIndex,
    brand: Option<&Brand>,
) -> BodyHtml {
    let mut w = Writer {
        out: String::with_capacity(4096),
        diags: Vec::new(),
        file,
        lines,
        brand,
        images: Vec::new(),
        links: Vec::new(),
        image: None,
        table_aligns: Vec::new(),
        cell: 0,
        in_head: false,
        pending_softbreak: false,
        last_char: None,
        component: None,
        in_columns: false,
        // Colour warnings are reported once, by the layout.
        palette: Palette::from_brand(
            &brand.map(|b| b.kit.colors.clone()).unwrap_or(BrandColors {
                primary: String::new(),
                secondary: String::new(),
                text: String::new(),
                background: String::new(),
                muted: String::new(),
                accent: None,
            }),
            &mut Vec::new(),
        ),
    };
    let mut raw_block_warned = false;
    for (event, range) in events {
        let offset = range.start;
        if let Some((json, _)) = w.component.as_mut() {
            match event {
                Event::Text(t) => json.push_str(t),
                Event::End(TagEnd::CodeBlock) => w.close_component(),
                _ => {}
            }
            continue;
        }
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = event {
            if info.trim() == MARKER_INFO {
                w.flush_softbreak(None);
                w.component = Some((String::new(), offset));
                continue;
            }
        }
        if let Some(img) = w.image.as_mut() {
            // Everything inside `![…]` is the alt text.
            match event {
                Event::Text(t) | Event::Code(t) => img.2.push_str(t),
                Event::SoftBreak | Event::HardBreak => img.2.push(' '),
                Event::End(TagEnd::Image) => w.close_image(),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(tag) => {
                if matches!(tag, Tag::HtmlBlock) {
                    raw_block_warned = false;
                }
                w.start(tag, offset);
            }
            Event::End(tag) => w.end(*tag),
            Event::Text(t) => w.text(t),
            Event::Code(t) => {
                w.flush_softbreak(t.chars().next());
                w.out.push_str("<code>");
                w.push_text(t);
                w.out.push_str("</code>");
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                if is_br_tag(html) {
                    w.out.push_str("<br />\n");
                    w.last_char = None;
                    continue;
                }
                let is_block = matches!(event, Event::Html(_));
                if !is_block || !raw_block_warned {
                    w.diags.push(
                        w.warning(
                            codes::EMAIL_RAW_HTML,
                            "raw HTML in the template is shown as text, not as markup",
                            offset,
                        )
                        .hint("write the content in Markdown (links, **bold**, lists, tables); HTML is not allowed in templates"),
                    );
                    raw_block_warned = is_block;
                }
                if is_block {
                    // Keep the author's line structure visible.
                    let text = html.trim_end_matches('\n');
                    for (i, line) in text.split('\n').enumerate() {
                        if i > 0 {
                            w.out.push_str("<br />\n");
                        }
                        w.push_text(line);
                    }
                    w.out.push_str("<br />\n");
                } else {
                    w.text(html);
                }
            }
            Event::SoftBreak => w.pending_softbreak = true,
            Event::HardBreak => {
                w.out.push_str("<br />\n");
                w.last_char = None;
            }
            Event::Rule => w.out.push_str("<hr />\n"),
            Event::TaskListMarker(done) => w.text(if *done { "☑ " } else { "☐ " }),
            Event::FootnoteReference(name) => w.text(&format!("[{name}]")),
            Event::InlineMath(t) | Event::DisplayMath(t) => w.text(t),
        }
    }
    if w.in_columns {
        w.in_columns = false;
        w.out.push_str(components::CLOSE_SECTION);
        w.out.push_str(components::OPEN_SECTION);
        let d = w
            .warning(
                codes::COMPONENT_COLUMNS,
                "columns() without end_columns(): the columns end with the body",
                w.lines_end(),
            )
            .hint("close the columns with {{ end_columns() }}");
        w.diags.push(d);
    }
    BodyHtml {
        html: w.out,
        diagnostics: w.diags,
        images: w.images,
    }
}

impl Writer<'_> {
    fn warning(&self, code: Code, message: impl Into<String>, offset: usize) -> Diagnostic {
        Diagnostic::warning(Channel::Email, code, message).at(
            self.file,
            Some(self.lines.line_of(offset)),
            None,
        )
    }

    fn push_text(&mut self, t: &str) {
        push_escaped(&mut self.out, t);
        if let Some(c) = t.chars().last() {
            self.last_char = Some(c);
        }
    }

    /// A soft break between two CJK characters is dropped (a space there reads as a typo in
    /// Japanese); elsewhere it is a newline, which HTML shows as a space.
    fn flush_softbreak(&mut self, next: Option<char>) {
        if std::mem::take(&mut self.pending_softbreak) {
            let joined =
                matches!((self.last_char, next), (Some(a), Some(b)) if is_cjk(a) && is_cjk(b));
            if !joined {
                self.out.push('\n');
            }
        }
    }

    fn text(&mut self, t: &str) {
        self.flush_softbreak(t.chars().next());
        self.push_text(t);
    }

    fn start(&mut self, tag: &Tag<'_>, offset: usize) {
        // Inline tags keep a pending soft break for the text inside them, so that
        // 「ご利用\n**さくら**」 still joins without a space.
        let inline = matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
        );
        if !inline {
            self.flush_softbreak(None);
        }
        match tag {
            Tag::Paragraph => self.out.push_str("<p>"),
            Tag::Heading { level, .. } => {
                self.out.push('<');
                self.out.push_str(heading_tag(*level));
                self.out.push('>');
            }
            Tag::BlockQuote(_) => self.out.push_str("<blockquote>\n"),
            Tag::CodeBlock(_) => self.out.push_str("<pre><code>"),
            Tag::HtmlBlock => self.out.push_str("<p class=\"ccm-raw\">"),
            Tag::List(None) => self.out.push_str("<ul>\n"),
            Tag::List(Some(1)) => self.out.push_str("<ol>\n"),
            Tag::List(Some(start)) => self.out.push_str(&format!("<ol start=\"{start}\">\n")),
            Tag::Item => self.out.push_str("<li>"),
            Tag::Table(aligns) => {
                self.table_aligns = aligns.clone();
                self.out.push_str("<table class=\"");
                self.out.push_str(DATA_TABLE_CLASS);
                self.out
                    .push_str("\" cellpadding=\"0\" cellspacing=\"0\">\n");
            }
            Tag::TableHead => {
                self.in_head = true;
                self.cell = 0;
                self.out.push_str("<thead><tr>");
            }
            Tag::TableRow => {
                self.cell = 0;
                self.out.push_str("<tr>");
            }
            Tag::TableCell => {
                let name = if self.in_head { "th" } else { "td" };
                let align = match self.table_aligns.get(self.cell) {
                    Some(Alignment::Left) => " style=\"text-align:left\"",
                    Some(Alignment::Center) => " style=\"text-align:center\"",
                    Some(Alignment::Right) => " style=\"text-align:right\"",
                    _ => "",
                };
                self.out.push_str(&format!("<{name}{align}>"));
            }
            Tag::Emphasis => self.out.push_str("<em>"),
            Tag::Strong => self.out.push_str("<strong>"),
            Tag::Strikethrough => self.out.push_str("<del>"),
            Tag::Superscript => self.out.push_str("<sup>"),
            Tag::Subscript => self.out.push_str("<sub>"),
            Tag::Link {
                dest_url, title, ..
            } => match safe_href(dest_url) {
                Some(href) => {
                    self.out.push_str("<a href=\"");
                    push_escaped(&mut self.out, href);
                    self.out.push('"');
                    if !title.is_empty() {
                        self.out.push_str(" title=\"");
                        push_escaped(&mut self.out, title);
                        self.out.push('"');
                    }
                    self.out.push_str(" target=\"_blank\" rel=\"noopener\">");
                    self.links.push(true);
                }
                None => {
                    let d = self
                        .warning(
                            codes::EMAIL_UNSAFE_LINK,
                            format!(
                                "link target '{}' is not an http(s), mailto or tel URL; the link is shown as plain text",
                                dest_url.chars().take(80).collect::<String>()
                            ),
                            offset,
                        )
                        .hint("use an absolute https:// URL (or mailto:/tel:)");
                    self.diags.push(d);
                    self.links.push(false);
                }
            },
            Tag::Image {
                dest_url, title, ..
            } => {
                self.image = Some((
                    dest_url.to_string(),
                    title.to_string(),
                    String::new(),
                    offset,
                ));
            }
            // Not enabled in the options; render their content as plain flow.
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if !matches!(
            tag,
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link
        ) {
            self.pending_softbreak = false;
        }
        match tag {
            TagEnd::Paragraph => self.out.push_str("</p>\n"),
            TagEnd::Heading(level) => {
                self.out.push_str("</");
                self.out.push_str(heading_tag(level));
                self.out.push_str(">\n");
            }
            TagEnd::BlockQuote(_) => self.out.push_str("</blockquote>\n"),
            TagEnd::CodeBlock => self.out.push_str("</code></pre>\n"),
            TagEnd::HtmlBlock => self.out.push_str("</p>\n"),
            TagEnd::List(true) => self.out.push_str("</ol>\n"),
            TagEnd::List(false) => self.out.push_str("</ul>\n"),
            TagEnd::Item => self.out.push_str("</li>\n"),
            TagEnd::Table => self.out.push_str("</tbody></table>\n"),
            TagEnd::TableHead => {
                self.in_head = false;
                self.out.push_str("</tr></thead>\n<tbody>");
            }
            TagEnd::TableRow => self.out.push_str("</tr>\n"),
            TagEnd::TableCell => {
                self.out
                    .push_str(if self.in_head { "</th>" } else { "</td>" });
                self.cell += 1;
            }
            TagEnd::Emphasis => self.out.push_str("</em>"),
            TagEnd::Strong => self.out.push_str("</strong>"),
            TagEnd::Strikethrough => self.out.push_str("</del>"),
            TagEnd::Superscript => self.out.push_str("</sup>"),
            TagEnd::Subscript => self.out.push_str("</sub>"),
            TagEnd::Link => {
                if self.links.pop() == Some(true) {
                    self.out.push_str("</a>");
                }
            }
            TagEnd::Image => self.close_image(),
            TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => {}
        }
    }

    fn lines_end(&self) -> usize {
        usize::MAX
    }
    /// Writes the component block just read (docs/FILE-FORMAT.md, "Components").
    fn close_component(&mut self) {
        let Some((json, offset)) = self.component.take() else {
            return;
        };
        let c = match Component::parse(&json) {
            Ok(c) => c,
            Err(e) => {
                let d = self
                    .warning(
                        codes::COMPONENT_INVALID,
                        format!("a component block could not be read: {e}"),
                        offset,
                    )
                    .hint("write components with their Tera functions, e.g. {{ button(label=\"…\", url=\"https://…\") }}");
                self.diags.push(d);
                return;
            }
        };
        self.last_char = None;
        match &c {
            Component::Button { label, url, .. } if safe_href(url).is_none() => {
                // Not a link anyone should follow: the label is shown, the rules report it.
                self.out.push_str("<p>");
                self.push_text(label);
                self.out.push_str("</p>\n");
            }
            Component::Qr { url, .. } if safe_href(url).is_none() => {}
            Component::Hero { image, alt, text } => self.hero(image, alt, text, offset),
            Component::Columns { .. } => {
                components::write(&mut self.out, &c, &self.palette, self.in_columns);
                self.in_columns = true;
            }
            Component::EndColumns if !self.in_columns => {
                let d = self
                    .warning(
                        codes::COMPONENT_COLUMNS,
                        "end_columns() without columns()",
                        offset,
                    )
                    .hint("open the columns with {{ columns() }} or remove end_columns()");
                self.diags.push(d);
            }
            Component::EndColumns => {
                components::write(&mut self.out, &c, &self.palette, true);
                self.in_columns = false;
            }
            _ => components::write(&mut self.out, &c, &self.palette, self.in_columns),
        }
    }

    /// A hero: the brand-kit image across the email with the overlay text on it
    /// (`mj-hero`, whose VML background Outlook shows too); without overlay text, the image
    /// with its alt text. Inside columns it is a body image.
    fn hero(&mut self, image: &str, alt: &str, text: &str, offset: usize) {
        let Some((src, size)) = self.brand_image(image, offset) else {
            return;
        };
        if self.in_columns {
            self.out.push_str("<p><img src=\"");
            push_escaped(&mut self.out, &src);
            self.out.push_str("\" alt=\"");
            push_escaped(&mut self.out, alt);
            self.out
                .push_str("\" style=\"max-width:100%;height:auto;border:0\" /></p>\n");
            return;
        }
        // The image is scaled to the 536 px body width; the hero spans the full 600 px.
        let (w, h) = size.unwrap_or((BODY_IMAGE_WIDTH, BODY_IMAGE_WIDTH / 2));
        let height = (u64::from(h) * 600).div_ceil(u64::from(w.max(1)));
        self.out.push_str(components::CLOSE_SECTION);
        if text.is_empty() {
            self.out.push_str("<mj-section background-color=\"#ffffff\" padding=\"0\"><mj-column><mj-image src=\"");
            push_escaped(&mut self.out, &src);
            self.out.push_str("\" alt=\"");
            push_escaped(&mut self.out, alt);
            self.out
                .push_str("\" padding=\"0\" /></mj-column></mj-section>\n");
        } else {
            self.out.push_str(&format!(
                "<mj-hero mode=\"fixed-height\" height=\"{height}px\" background-width=\"600px\" background-height=\"{height}px\" background-url=\""
            ));
            push_escaped(&mut self.out, &src);
            self.out.push_str(&format!(
                "\" background-color=\"{}\" vertical-align=\"bottom\" padding=\"24px 32px\"><mj-text color=\"#ffffff\" font-size=\"26px\" font-weight=\"bold\" line-height=\"1.3\" padding=\"0\">",
                self.palette.primary
            ));
            push_escaped(&mut self.out, text);
            self.out.push_str("</mj-text></mj-hero>\n");
        }
        self.out.push_str(components::OPEN_SECTION);
    }

    fn close_image(&mut self) {
        let Some((src, title, alt, offset)) = self.image.take() else {
            return;
        };
        let alt = alt.trim().to_string();
        let shown = match safe_image_src(&src) {
            Some(url) => Some((url.to_owned(), None)),
            None => self.brand_image(&src, offset),
        };
        match shown {
            Some((src, size)) => {
                if alt.is_empty() {
                    let d = self
                        .warning(
                            codes::EMAIL_IMAGE_MISSING_ALT,
                            format!("image '{src}' has no alt text"),
                            offset,
                        )
                        .hint("describe the image: ![お支払い方法の図](https://…); screen readers and clients that block images show it");
                    self.diags.push(d);
                }
                self.out.push_str("<img src=\"");
                push_escaped(&mut self.out, &src);
                self.out.push_str("\" alt=\"");
                push_escaped(&mut self.out, &alt);
                self.out.push('"');
                if !title.is_empty() {
                    self.out.push_str(" title=\"");
                    push_escaped(&mut self.out, &title);
                    self.out.push('"');
                }
                // Explicit size for Outlook, which ignores CSS sizing and would show 2× pixels.
                if let Some((w, h)) = size {
                    self.out.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
                }
                self.out
                    .push_str(" style=\"max-width:100%;height:auto;border:0\" />");
            }
            None => {
                if !alt.is_empty() {
                    let shown = format!("[{alt}]");
                    self.push_text(&shown);
                }
            }
        }
    }

    /// An image from the template's brand kit (`brands/<brand>/<file>`): resized for the
    /// layout, sent inline and referenced as `cid:`. `None` (with a warning) when the path is
    /// not an https URL nor a readable image of the brand kit.
    fn brand_image(&mut self, src: &str, offset: usize) -> Option<(String, Option<(u32, u32)>)> {
        let shown: String = src.chars().take(80).collect();
        let Some(bytes) = self
            .brand
            .and_then(|b| crate::adapter::brand_asset(b, src.trim()))
        else {
            let brand = self.brand.map_or("<brand>", |b| b.kit.id.as_str());
            let d = self
                .warning(
                    codes::EMAIL_IMAGE_SRC,
                    format!("image source '{shown}' is neither an http(s) URL nor a file of the brand kit; the alt text is shown instead"),
                    offset,
                )
                .hint(format!("host the image on https://, or put it in assets/brands/{brand}/ and write ![description](brands/{brand}/<file>)"));
            self.diags.push(d);
            return None;
        };
        match email_variant(bytes, BODY_IMAGE_WIDTH) {
            Ok(image) => {
                let cid = format!("img.{}@ccm-studio", image.id);
                let height = (u64::from(image.height) * u64::from(image.display_width))
                    .div_ceil(u64::from(image.width.max(1)));
                let size = (
                    image.display_width,
                    u32::try_from(height).unwrap_or(u32::MAX),
                );
                if !self.images.iter().any(|(c, _)| *c == cid) {
                    self.images.push((cid.clone(), image));
                }
                Some((format!("cid:{cid}"), Some(size)))
            }
            Err(e) => {
                let d = self
                    .warning(
                        codes::EMAIL_IMAGE_DECODE,
                        format!("the image '{shown}' could not be used: {e}; the alt text is shown instead"),
                        offset,
                    )
                    .hint("use a PNG or JPEG no larger than 10,000 pixels a side");
                self.diags.push(d);
                None
            }
        }
    }
}

fn heading_tag(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h1",
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::email::markdown::parse;

    fn html(md: &str) -> BodyHtml {
        let lines = LineIndex::new(md, 10);
        render(&parse(md), "email.md", &lines, None)
    }

    #[test]
    fn raw_html_is_text_and_warned_with_line() {
        let out = html("こんにちは\n\n<script>alert(1)</script>\n\n本文 <b onclick=x>太字</b>");
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(!out.html.contains("<b "), "{}", out.html);
        assert!(out.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        let d = &out.diagnostics[0];
        assert_eq!(d.code, "email.raw-html");
        assert_eq!(d.line, Some(12));
    }

    #[test]
    fn escaped_markup_from_data_stays_text() {
        let out = html(r"お名前: \<script\>alert(1)\</script\> \*\*太字\*\*");
        assert!(out.html.contains("&lt;script&gt;"));
        assert!(!out.html.contains("<strong>"));
        assert!(out.diagnostics.is_empty());
    }

    #[test]
    fn javascript_link_becomes_text() {
        let out = html("[x](javascript:alert(1)) and [ok](https://a.example/?a=1&b=2)");
        assert!(
            !out.html.to_lowercase().contains("javascript:alert"),
            "{}",
            out.html
        );
        assert!(out
            .html
            .contains("<a href=\"https://a.example/?a=1&amp;b=2\""));
        assert_eq!(out.diagnostics[0].code, "email.unsafe-link");
    }

    #[test]
    fn images_keep_alt_and_missing_alt_is_warned() {
        let out =
            html("![口座振替の流れ](https://a.example/f.png)\n\n![](https://a.example/g.png)");
        assert!(out.html.contains("alt=\"口座振替の流れ\""));
        assert!(out.html.contains("alt=\"\""));
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "email.image-missing-alt");
        assert_eq!(out.diagnostics[0].line, Some(12));
    }

    #[test]
    fn soft_breaks_between_japanese_lines_add_no_space() {
        let out = html("いつもご利用いただき\nありがとうございます。\nThank\nyou");
        assert!(out.html.contains("いただきありがとう"), "{}", out.html);
        assert!(out.html.contains("Thank\nyou"));
    }

    #[test]
    fn tables_are_data_tables_with_alignment() {
        let out = html("| 項目 | 金額 |\n|:--|--:|\n| ご利用代金 | ¥12,800 |\n");
        assert!(out.html.contains("<table class=\"ccm-table\""));
        assert!(out.html.contains("<th style=\"text-align:left\">項目</th>"));
        assert!(out
            .html
            .contains("<td style=\"text-align:right\">¥12,800</td>"));
    }
}
