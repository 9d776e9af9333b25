//! Markdown parsing shared by the HTML and plain-text writers of the email channel: the
//! crate's options, one event list (parsed once, walked twice), the href policy and the mapping
//! from byte offsets in the body back to lines of the template file.

use pulldown_cmark::{Event, Parser};
use std::ops::Range;

pub(crate) type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// Parses with the one Markdown dialect of templates ([`crate::markdown::DIALECT`]), keeping byte
/// offsets for diagnostics and raw HTML events as such (the writers show them as text and warn).
pub(crate) fn parse(src: &str) -> Events<'_> {
    Parser::new_ext(src, crate::markdown::DIALECT)
        .into_offset_iter()
        .collect()
}

/// Only these schemes survive as live links: everything else (`javascript:`, `data:`,
/// `vbscript:`, relative paths that mean nothing in an inbox) becomes text. An allow-list,
/// so obfuscations such as `java\tscript:` or `JaVaScRiPt:` are rejected too.
pub(crate) fn safe_href(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower_prefix: String = url.chars().take(8).collect::<String>().to_ascii_lowercase();
    let ok = ["https://", "http://", "mailto:", "tel:"]
        .iter()
        .any(|scheme| lower_prefix.starts_with(scheme));
    let clean = !url.chars().any(|c| c.is_control() || c == ' ' || c == '"');
    (ok && clean).then_some(url)
}

/// Images must come from the web: a mail client cannot open template-relative paths.
pub(crate) fn safe_image_src(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower: String = url.chars().take(8).collect::<String>().to_ascii_lowercase();
    let ok = lower.starts_with("https://") || lower.starts_with("http://");
    let clean = !url.chars().any(|c| c.is_control() || c == ' ' || c == '"');
    (ok && clean).then_some(url)
}

/// Byte offset in the Markdown body → 1-based line in the template file.
pub(crate) struct LineIndex {
    line_starts: Vec<usize>,
    first_line: u32,
}

impl LineIndex {
    pub(crate) fn new(src: &str, first_line: u32) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            line_starts,
            first_line: first_line.max(1),
        }
    }

    pub(crate) fn line_of(&self, offset: usize) -> u32 {
        let idx = self.line_starts.partition_point(|&s| s <= offset).max(1) - 1;
        self.first_line + idx as u32
    }
}

/// Text escaped for HTML element content and double-quoted attribute values alike.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_escaped(&mut out, s);
    out
}

pub(crate) fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Characters between which a line break means nothing in Japanese and Chinese text: a soft
/// break there must not turn into a space.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF    // CJK punctuation, hiragana, katakana
        | 0x3400..=0x4DBF  // CJK extension A
        | 0x4E00..=0x9FFF  // CJK unified ideographs
        | 0xF900..=0xFAFF  // compatibility ideographs
        | 0xFF00..=0xFFEF  // half-width and full-width forms
        | 0x20000..=0x3FFFF)
}

/// `<br>`, `<br/>` and `<br />` are the one piece of inline HTML authors of Japanese copy rely
/// on; they are recognised and rendered as line breaks, never passed through.
pub(crate) fn is_br_tag(html: &str) -> bool {
    let t: String = html
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    t == "<br>" || t == "<br/>"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn href_policy_is_an_allow_list() {
        assert_eq!(
            safe_href(" https://a.example/x "),
            Some("https://a.example/x")
        );
        assert_eq!(safe_href("MAILTO:a@b.example"), Some("MAILTO:a@b.example"));
        assert_eq!(
            safe_href("tel:+81-3-1234-5678"),
            Some("tel:+81-3-1234-5678")
        );
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href("JaVaScRiPt:alert(1)"), None);
        assert_eq!(safe_href("java\tscript:alert(1)"), None);
        assert_eq!(safe_href("data:text/html,<script>"), None);
        assert_eq!(safe_href("/relative"), None);
        assert_eq!(safe_href("https://a.example/\"onmouseover"), None);
        assert_eq!(safe_image_src("mailto:x@y.example"), None);
    }

    #[test]
    fn line_index_counts_from_the_body_start() {
        let idx = LineIndex::new("a\nb\n\nc", 5);
        assert_eq!(idx.line_of(0), 5);
        assert_eq!(idx.line_of(2), 6);
        assert_eq!(idx.line_of(5), 8);
    }

    #[test]
    fn escaping_covers_attribute_quotes() {
        assert_eq!(
            escape_html(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn br_variants_are_recognised() {
        assert!(is_br_tag("<br>"));
        assert!(is_br_tag("<BR />"));
        assert!(!is_br_tag("<br onclick=x>"));
        assert!(!is_br_tag("<script>"));
    }
}
