//! Places in text: the one byte-offset → line/column conversion every crate uses, so a column
//! means the same thing in a render error, a rule finding and a file-format error.

use serde::{Deserialize, Serialize};

/// A byte range in the text it refers to (a rendered field, a source file), plus the 1-based
/// line and column of its start, counted in characters (what an editor shows for Japanese
/// text, where one character is three UTF-8 bytes).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset of the first byte (on a character boundary).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub start: usize,
    /// Byte offset just past the last byte.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub end: usize,
    pub line: u32,
    pub column: u32,
}

impl Span {
    /// Span of `text[start..end]`. Offsets past the text are clamped to it and offsets inside a
    /// multi-byte character move back to its start, so any pair of numbers gives a valid span.
    pub fn in_text(text: &str, start: usize, end: usize) -> Span {
        let start = floor_char_boundary(text, start);
        let end = floor_char_boundary(text, end.max(start));
        let (line, column) = line_col(text, start);
        Span {
            start,
            end,
            line,
            column,
        }
    }
}

/// 1-based line and character column of byte `offset` in `text` (clamped to the text; an
/// offset inside a multi-byte character counts as that character).
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (to_u32(line), to_u32(column))
}

fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "一行目\nお支払いx";
        let offset = text.find('x').unwrap();
        assert_eq!(line_col(text, offset), (2, 5));
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 10_000), (2, 6));
    }

    #[test]
    fn offsets_inside_a_character_count_as_that_character() {
        // "あ" is bytes 0..3; byte 1 is inside it.
        assert_eq!(line_col("あい", 1), (1, 1));
        assert_eq!(line_col("あい", 3), (1, 2));
    }

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
        let span = Span::in_text("あい", 5, 2);
        assert_eq!((span.start, span.end), (3, 3));
    }
}
