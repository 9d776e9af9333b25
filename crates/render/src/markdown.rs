//! Markdown in templates: the one dialect every channel parses with (defined in ccm-print,
//! which parses letters and is the crate both share) and the escaper Tera applies to data
//! values inside Markdown sources.
//!
//! Hand-over to the email renderer (`email::render_email`) and to print: `body_markdown` is the
//! Tera-expanded Markdown of the template. Data values in it are already Markdown-escaped (see
//! [`escape`]), so they parse as literal text. Raw HTML written by the template author is not
//! trusted either: the email writers and the letter converter show raw HTML events as text.

/// The Markdown dialect of CCM templates (docs/FILE-FORMAT.md, "Markdown"): CommonMark + GFM
/// tables, strikethrough and task lists, for email and print alike.
pub use ccm_print::MARKDOWN_DIALECT as DIALECT;

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

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Parser, Tag};

    /// Text of `md` as the channels parse it, and whether any structure (anything but a
    /// paragraph) came out of it.
    fn parse(md: &str) -> (String, Vec<String>) {
        let mut text = String::new();
        let mut structure = Vec::new();
        for e in Parser::new_ext(md, DIALECT) {
            match e {
                Event::Text(t) => text.push_str(&t),
                Event::Start(Tag::Paragraph) | Event::End(_) => {}
                other => structure.push(format!("{other:?}")),
            }
        }
        (text, structure)
    }

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
            "~~gone~~",
            "- [x] done",
            "| a | b |",
        ] {
            let md = format!("Dear {}, hello", escape(hostile));
            let (text, structure) = parse(&md);
            assert_eq!(
                text,
                format!("Dear {hostile}, hello"),
                "{hostile:?} must survive as literal text"
            );
            assert!(structure.is_empty(), "{hostile:?} became {structure:?}");
        }
    }

    #[test]
    fn escaped_data_on_its_own_line_does_not_become_structure() {
        for hostile in ["# Not a heading", "- not a list", "- [ ] not a task", "---"] {
            let (text, structure) = parse(&escape(hostile));
            assert_eq!(text, hostile);
            assert!(structure.is_empty(), "{hostile:?} became {structure:?}");
        }
    }
}
