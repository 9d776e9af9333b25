//! Markdown events → the text/plain part. Same Markdown as the HTML part, so both say the
//! same thing: links become "text (url)", lists "- ", headings are underlined (English) or set
//! in 【】 (Japanese). Latin text is wrapped at 72 columns on spaces; lines holding Japanese are
//! never hard-wrapped (there are no spaces to break at, and a break mid-phrase reads badly).

use super::markdown::{is_br_tag, is_cjk, safe_href, Events};
use crate::components::{Component, TextTarget, MARKER_INFO};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Tag, TagEnd};
use unicode_width::UnicodeWidthStr;

pub(crate) const WRAP_COLUMNS: usize = 72;

enum Container {
    Quote,
    Item { marker: String, used: bool },
}

struct TextWriter {
    out: String,
    inline: String,
    containers: Vec<Container>,
    /// Next number of each open list (`None` for bullets).
    lists: Vec<Option<u64>>,
    /// Open links: the href and where the link text starts in `inline`.
    links: Vec<Option<(String, usize)>>,
    image_alt: Option<String>,
    heading: Option<HeadingLevel>,
    table_rows: Vec<String>,
    row: Vec<String>,
    blank_pending: bool,
    ja: bool,
    /// The JSON of the component block being read.
    component: Option<String>,
}

pub(crate) fn render(events: &Events<'_>, ja: bool) -> String {
    let mut w = TextWriter {
        out: String::with_capacity(2048),
        inline: String::new(),
        containers: Vec::new(),
        lists: Vec::new(),
        links: Vec::new(),
        image_alt: None,
        heading: None,
        table_rows: Vec::new(),
        row: Vec::new(),
        blank_pending: false,
        ja,
        component: None,
    };
    for (event, _) in events {
        if let Some(json) = w.component.as_mut() {
            match event {
                Event::Text(t) => json.push_str(t),
                Event::End(TagEnd::CodeBlock) => {
                    let json = w.component.take().unwrap_or_default();
                    if let Ok(c) = Component::parse(&json) {
                        // Columns stack by themselves: the paragraphs follow each other.
                        if !c.is_column_marker() {
                            let text = c.text(TextTarget::EmailText, w.ja);
                            if !text.is_empty() {
                                w.flush(true);
                                w.block_gap();
                                w.emit_lines(text.lines().map(str::to_string).collect());
                            }
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = event {
            if info.trim() == MARKER_INFO {
                w.flush(true);
                w.component = Some(String::new());
                continue;
            }
        }
        if let Some(alt) = w.image_alt.as_mut() {
            match event {
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                Event::End(TagEnd::Image) => {
                    let alt = w.image_alt.take().unwrap_or_default();
                    let alt = alt.trim();
                    if !alt.is_empty() {
                        w.inline.push_str(&format!("[{alt}]"));
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(tag) => w.start(tag),
            Event::End(tag) => w.end(*tag),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                w.inline.push_str(t)
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if is_br_tag(h) {
                    w.inline.push('\n');
                } else {
                    w.inline.push_str(h);
                }
            }
            Event::SoftBreak | Event::HardBreak => w.inline.push('\n'),
            Event::Rule => {
                w.flush(false);
                let rule = if w.ja {
                    "━".repeat(20)
                } else {
                    "-".repeat(40)
                };
                w.emit_lines(vec![rule]);
            }
            Event::TaskListMarker(done) => w.inline.push_str(if *done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(name) => w.inline.push_str(&format!("[{name}]")),
        }
    }
    w.flush(true);
    let mut out = w.out;
    while out.ends_with('\n') {
        out.pop();
    }
    out.push('\n');
    out
}

impl TextWriter {
    fn in_list(&self) -> bool {
        self.containers
            .iter()
            .any(|c| matches!(c, Container::Item { .. }))
    }

    fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::Table(_) => self.flush(true),
            Tag::Heading { level, .. } => {
                self.flush(true);
                self.heading = Some(*level);
            }
            Tag::BlockQuote(_) => {
                self.flush(true);
                self.containers.push(Container::Quote);
            }
            Tag::List(start) => {
                self.flush(true);
                if !self.in_list() {
                    self.blank_pending = true;
                }
                self.lists.push(*start);
            }
            Tag::Item => {
                self.flush(true);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "- ".to_string(),
                };
                self.containers.push(Container::Item {
                    marker,
                    used: false,
                });
            }
            Tag::TableHead | Tag::TableRow => self.row.clear(),
            Tag::TableCell => self.inline.clear(),
            Tag::Link { dest_url, .. } => {
                let link = safe_href(dest_url).map(|h| (h.to_string(), self.inline.len()));
                self.links.push(link);
            }
            Tag::Image { .. } => self.image_alt = Some(String::new()),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock => self.flush(true),
            TagEnd::CodeBlock => self.flush(false),
            TagEnd::Heading(level) => {
                let text = std::mem::take(&mut self.inline).replace('\n', " ");
                let text = text.trim();
                self.heading = None;
                if !text.is_empty() {
                    let lines = if self.ja {
                        vec![format!("【{text}】")]
                    } else {
                        let ch = if level == HeadingLevel::H1 { "=" } else { "-" };
                        vec![text.to_string(), ch.repeat(text.width().max(1))]
                    };
                    self.block_gap();
                    self.emit_lines(lines);
                }
            }
            TagEnd::BlockQuote(_) => {
                self.flush(true);
                self.containers.pop();
            }
            TagEnd::List(_) => {
                self.flush(true);
                self.lists.pop();
                if !self.in_list() {
                    self.blank_pending = true;
                }
            }
            TagEnd::Item => {
                self.flush(true);
                self.containers.pop();
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.inline).replace('\n', " ");
                self.row.push(cell.trim().to_string());
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                let row = std::mem::take(&mut self.row).join(" | ");
                self.table_rows.push(row);
            }
            TagEnd::Table => {
                let rows = std::mem::take(&mut self.table_rows);
                self.block_gap();
                self.emit_lines(rows);
            }
            TagEnd::Link => {
                if let Some(Some((href, start))) = self.links.pop() {
                    let text = self.inline.get(start..).unwrap_or("").trim().to_string();
                    if text.is_empty() {
                        self.inline.push_str(&href);
                    } else if !link_text_says_it(&text, &href) {
                        // Full-width brackets in Japanese: they also end the URL for
                        // autolinkers, which an ASCII ")" before more text may not.
                        if self.ja {
                            self.inline.push_str(&format!("（{href}）"));
                        } else {
                            self.inline.push_str(&format!(" ({href})"));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Ends the current block of inline text, wrapping it unless it is preformatted.
    fn flush(&mut self, wrap: bool) {
        let text = std::mem::take(&mut self.inline);
        let text = text.trim_matches('\n');
        if text.trim().is_empty() {
            return;
        }
        let indent = self.prefix_width();
        let width = WRAP_COLUMNS.saturating_sub(indent).max(20);
        let mut lines = Vec::new();
        for line in text.split('\n') {
            if wrap {
                lines.extend(wrap_line(line.trim_end(), width));
            } else {
                lines.push(line.trim_end().to_string());
            }
        }
        self.block_gap();
        self.emit_lines(lines);
    }

    fn block_gap(&mut self) {
        if !self.out.is_empty() && (self.blank_pending || !self.in_list()) {
            self.out.push('\n');
        }
        self.blank_pending = false;
    }

    fn prefix_width(&self) -> usize {
        self.containers
            .iter()
            .map(|c| match c {
                Container::Quote => 2,
                Container::Item { marker, .. } => marker.len(),
            })
            .sum()
    }

    fn emit_lines(&mut self, lines: Vec<String>) {
        for line in lines {
            let mut prefix = String::new();
            let deepest_item = self
                .containers
                .iter()
                .rposition(|c| matches!(c, Container::Item { .. }));
            for (i, c) in self.containers.iter_mut().enumerate() {
                match c {
                    Container::Quote => prefix.push_str("> "),
                    Container::Item { marker, used } => {
                        if Some(i) == deepest_item && !*used {
                            prefix.push_str(marker);
                            *used = true;
                        } else {
                            prefix.push_str(&" ".repeat(marker.len()));
                        }
                    }
                }
            }
            self.out.push_str(prefix.trim_end_matches(' '));
            if !line.is_empty() {
                if !prefix.is_empty() && prefix.ends_with(' ') {
                    self.out.push(' ');
                }
                self.out.push_str(&line);
            }
            self.out.push('\n');
        }
    }
}

/// True when the link text already shows the target (`info@x` for `mailto:info@x`,
/// `0120-000-123` for `tel:0120000123`), so repeating the URL would only add noise.
fn link_text_says_it(text: &str, href: &str) -> bool {
    if text == href {
        return true;
    }
    if let Some(addr) = href.strip_prefix("mailto:") {
        return text.eq_ignore_ascii_case(addr);
    }
    if let Some(number) = href.strip_prefix("tel:") {
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        return !digits(text).is_empty() && digits(text) == digits(number);
    }
    false
}

/// Greedy wrap on spaces. Lines containing CJK are returned whole: mail clients soft-wrap them
/// and there is no safe place to hard-break. Words longer than the width (URLs) stay whole.
pub(crate) fn wrap_line(line: &str, width: usize) -> Vec<String> {
    if line.width() <= width || line.chars().any(is_cjk) {
        return vec![line.to_string()];
    }
    let lead: String = line.chars().take_while(|c| *c == ' ').collect();
    let mut lines = Vec::new();
    let mut current = lead.clone();
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        let needed = if current.trim().is_empty() {
            word.width()
        } else {
            current.width() + 1 + word.width()
        };
        if needed > width && !current.trim().is_empty() {
            lines.push(std::mem::replace(&mut current, lead.clone()));
        }
        if !current.trim().is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.trim().is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::email::markdown::parse;

    fn text(md: &str, ja: bool) -> String {
        render(&parse(md), ja)
    }

    #[test]
    fn links_lists_and_headings_en() {
        let out = text(
            "# Payment due\n\nPay [online](https://bank.example/pay) or call.\n\n- one\n- two\n  1. nested\n  2. again\n\nEnd.",
            false,
        );
        assert_eq!(
            out,
            "Payment due\n===========\n\nPay online (https://bank.example/pay) or call.\n\n- one\n- two\n  1. nested\n  2. again\n\nEnd.\n"
        );
    }

    #[test]
    fn japanese_headings_and_no_wrap() {
        let long = "お客さまのご指定口座から".repeat(10);
        let out = text(&format!("## お支払い\n\n{long}"), true);
        assert!(out.starts_with("【お支払い】\n\n"));
        assert!(out.contains(&long), "CJK line must stay whole");
    }

    #[test]
    fn english_wraps_at_72_without_breaking_urls() {
        let url = format!("https://bank.example/{}", "x".repeat(90));
        let para = format!("{} {url} end", "word ".repeat(30));
        let out = text(&para, false);
        for line in out.lines() {
            assert!(line.width() <= 72 || line == url, "{line}");
        }
        assert!(out.lines().any(|l| l == url));
    }

    #[test]
    fn unsafe_links_and_tables() {
        let out = text(
            "[x](javascript:alert(1))\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted\n> line",
            false,
        );
        assert!(!out.contains("javascript"));
        assert!(out.contains("a | b\n1 | 2"));
        assert!(out.contains("> quoted\n> line"));
    }

    #[test]
    fn link_targets_already_shown_are_not_repeated() {
        let out = text("[info@bank.example](mailto:info@bank.example)", false);
        assert_eq!(out, "info@bank.example\n");
        let out = text("お電話（[0120-000-123](tel:0120000123)）", true);
        assert_eq!(out, "お電話（0120-000-123）\n");
        let out = text("[アプリ](https://bank.example/app)で", true);
        assert_eq!(out, "アプリ（https://bank.example/app）で\n");
    }
}
