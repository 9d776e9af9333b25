//! Markdown, configured in ONE place: the options every channel parses with, the escaper Tera
//! applies to data values inside Markdown sources, HTML for previews and plain text for the
//! email text part.
//!
//! Hand-over to the email renderer (`email::render_email`) and to print: `body_markdown` is the
//! Tera-expanded Markdown of the template. Data values in it are already Markdown-escaped (see
//! [`escape`]), so they parse as literal text. Raw HTML written by the template author is NOT
//! trusted either: parse with [`parser`] (or convert with [`to_html`]), which turns every raw
//! HTML event into text, so `<script>` in a template shows as text and never as live HTML.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// The Markdown dialect of CCM templates: CommonMark + tables + strikethrough + task lists.
/// Smart punctuation stays off: it would rewrite quotes and dashes inside Japanese copy.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Parses with [`options`], turning raw HTML (block and inline) into plain text events.
pub fn parser(src: &str) -> impl Iterator<Item = Event<'_>> {
    Parser::new_ext(src, options()).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        other => other,
    })
}

/// Markdown → HTML fragment, raw HTML rendered as escaped text.
pub fn to_html(src: &str) -> String {
    let mut out = String::with_capacity(src.len() * 3 / 2);
    html::push_html(&mut out, parser(src));
    out
}

/// ASCII punctuation that Markdown or HTML gives meaning to. Backslash-escaped, each one is
/// literal text after parsing (CommonMark §2.4), including inside link destinations.
/// `: / , ; ? @ $ %` are left alone: they are meaningless to Markdown and common in data.
fn is_special(c: char) -> bool {
    matches!(
        c,
        '\\' | '`'
            | '*'
            | '_'
            | '{'
            | '}'
            | '['
            | ']'
            | '('
            | ')'
            | '#'
            | '+'
            | '-'
            | '.'
            | '!'
            | '<'
            | '>'
            | '|'
            | '~'
            | '&'
            | '='
            | '"'
            | '\''
            | '^'
    )
}

/// Tera's escape function for Markdown sources: data values become literal text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_special(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Markdown → plain text for the email text part and other text-only uses: paragraphs separated
/// by a blank line, list items bulleted, link targets written after their text.
pub fn to_plain_text(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut link_stack: Vec<(CowStr<'_>, usize)> = Vec::new();
    let mut quote_depth = 0usize;
    let mut cell_index = 0usize;
    for e in parser(src) {
        match e {
            Event::Start(tag) => match tag {
                Tag::Item => {
                    let indent = "  ".repeat(lists.len().saturating_sub(1));
                    out.push_str(&indent);
                    match lists.last_mut() {
                        Some(Some(n)) => {
                            out.push_str(&format!("{n}. "));
                            *n += 1;
                        }
                        _ => out.push_str("- "),
                    }
                }
                Tag::List(start) => {
                    if !lists.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    lists.push(start);
                }
                Tag::Link { dest_url, .. } => link_stack.push((dest_url, out.len())),
                Tag::BlockQuote(_) => quote_depth += 1,
                Tag::TableRow | Tag::TableHead => cell_index = 0,
                Tag::TableCell => {
                    if cell_index > 0 {
                        out.push_str(" | ");
                    }
                    cell_index += 1;
                }
                Tag::Paragraph if quote_depth > 0 => out.push_str(&"> ".repeat(quote_depth)),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::Table => {
                    if lists.is_empty() {
                        push_block_end(&mut out);
                    } else if !out.ends_with('\n') {
                        out.push('\n');
                    }
                }
                TagEnd::Item if !out.ends_with('\n') => out.push('\n'),
                TagEnd::List(_) => {
                    lists.pop();
                    if lists.is_empty() {
                        push_block_end(&mut out);
                    }
                }
                TagEnd::Link => {
                    if let Some((url, start)) = link_stack.pop() {
                        let text = &out[start..];
                        if !url.is_empty() && text != url.as_ref() && !url.starts_with('#') {
                            out.push_str(&format!(" ({url})"));
                        }
                    }
                }
                TagEnd::BlockQuote(_) => quote_depth = quote_depth.saturating_sub(1),
                TagEnd::TableHead | TagEnd::TableRow => out.push('\n'),
                _ => {}
            },
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => {
                out.push('\n');
                if quote_depth > 0 {
                    out.push_str(&"> ".repeat(quote_depth));
                }
            }
            Event::Rule => {
                out.push_str("----------");
                push_block_end(&mut out);
            }
            Event::TaskListMarker(done) => out.push_str(if done { "[x] " } else { "[ ] " }),
            _ => {}
        }
    }
    let trimmed = out.trim_end();
    let mut s = String::with_capacity(trimmed.len() + 1);
    s.push_str(trimmed);
    s.push('\n');
    s
}

fn push_block_end(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if out.is_empty() {
        return;
    }
    if out.ends_with("\n\n") {
        return;
    }
    if out.ends_with('\n') {
        out.push('\n');
    } else {
        out.push_str("\n\n");
    }
}

/// The first non-empty line of a Markdown text as plain text (for preheader fallbacks and
/// letter summaries).
pub fn first_line(markdown: &str) -> String {
    to_plain_text(markdown)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_data_is_literal_text_after_parsing() {
        for hostile in [
            "<script>alert(1)</script>",
            "**bold**",
            "[click](javascript:alert(1))",
            "](javascript:alert(1))",
            "#read(\"secrets.txt\")",
            "# heading",
            "1. list",
            "&lt;b&gt;",
            "`code`",
            "a\\*b",
            "===",
        ] {
            let md = format!("Dear {}, hello", escape(hostile));
            let text = to_plain_text(&md);
            assert_eq!(
                text,
                format!("Dear {hostile}, hello\n"),
                "{hostile:?} must survive as literal text"
            );
            let html = to_html(&md);
            assert!(!html.contains("<script"), "{html}");
            assert!(!html.contains("<strong>"), "{html}");
            assert!(!html.contains("href"), "{html}");
        }
    }

    #[test]
    fn escaped_data_on_its_own_line_does_not_become_structure() {
        let md = format!(
            "{}\n\n{}",
            escape("# Not a heading"),
            escape("- not a list")
        );
        let html = to_html(&md);
        assert!(!html.contains("<h1>") && !html.contains("<li>"), "{html}");
    }

    #[test]
    fn author_raw_html_is_shown_as_text() {
        let html = to_html("Hello <b>there</b>\n\n<script>alert(1)</script>\n");
        assert!(
            !html.contains("<b>") && !html.contains("<script>"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn tables_and_strikethrough_are_on() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n");
        assert!(
            html.contains("<table>") && html.contains("<del>old</del>"),
            "{html}"
        );
    }

    #[test]
    fn plain_text_of_structured_markdown() {
        let md = "# Title\n\nHello **world**, see [our site](https://x.example/).\n\n- one\n- two\n\n1. a\n2. b\n\nBye\n";
        assert_eq!(
            to_plain_text(md),
            "Title\n\nHello world, see our site (https://x.example/).\n\n- one\n- two\n\n1. a\n2. b\n\nBye\n"
        );
        assert_eq!(first_line(md), "Title");
    }

    #[test]
    fn plain_text_keeps_japanese_and_line_breaks() {
        assert_eq!(
            to_plain_text("山田 太郎 様\n\nいつも**ご利用**ありがとうございます。\n続き"),
            "山田 太郎 様\n\nいつもご利用ありがとうございます。\n続き\n"
        );
    }
}
