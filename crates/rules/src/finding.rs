//! A finding: one problem in one field of one channel, with its place and bilingual text.

use ccm_core::model::Channel;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Byte range in the field's rendered value, plus the 1-based line and column (in characters)
/// of its start, for people and editors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
}

impl Span {
    /// Span of `text[start..end]`; line and column are counted in characters from 1.
    pub fn in_text(text: &str, start: usize, end: usize) -> Span {
        let start = floor_char_boundary(text, start.min(text.len()));
        let end = floor_char_boundary(text, end.clamp(start, text.len()));
        let before = &text[..start];
        let line = before.matches('\n').count() as u32 + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..start].chars().count() as u32 + 1;
        Span {
            start,
            end,
            line,
            column,
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where a finding comes from in the template's sources, as far as it is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLocation {
    /// Relative to the template folder (`email.md`), or `_blocks/…` for a shared block.
    pub file: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub pack: String,
    pub severity: Severity,
    pub template_id: String,
    pub persona: String,
    pub locale: String,
    pub channel: Channel,
    pub field: String,
    /// `None` when the problem is something missing from the whole field.
    pub span: Option<Span>,
    /// The text at `span` (or a short description of what was measured).
    pub excerpt: String,
    pub source: Option<SourceLocation>,
    pub message_en: String,
    pub message_ja: String,
    pub suggestion_en: Option<String>,
    pub suggestion_ja: Option<String>,
    pub citation: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_counts_lines_and_characters_not_bytes() {
        let text = "一行目\n二行目の治る";
        let start = text.find("治る").unwrap();
        let span = Span::in_text(text, start, start + "治る".len());
        assert_eq!((span.line, span.column), (2, 5));
        assert_eq!(&text[span.start..span.end], "治る");
    }

    #[test]
    fn span_clamps_out_of_range_offsets_to_char_boundaries() {
        let span = Span::in_text("あい", 1, 99);
        assert_eq!((span.start, span.end), (0, 6));
    }
}
