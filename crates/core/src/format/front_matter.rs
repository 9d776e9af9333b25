//! `+++` TOML front matter at the top of `email*.md` and `print*.md`.

/// Splits `text` into its TOML front matter and body.
///
/// Front matter is present when the very first line is `+++`; it runs to the next line that is
/// exactly `+++` (trailing spaces and `\r` allowed). Returns `(toml, body, body_first_line)`:
/// `toml` starts on line 2 of the file when present; `body_first_line` is the 1-based line of
/// the file on which `body` starts, so renderers can report body positions as file positions.
/// Nothing is trimmed: `toml` and `body` are exact slices of `text`.
pub fn split_front_matter(text: &str) -> Result<(Option<&str>, &str, u32), String> {
    let Some(after_open) = strip_fence_line(text) else {
        return Ok((None, text, 1));
    };
    let toml_start = text.len() - after_open.len();
    let mut line_no: u32 = 2;
    let mut pos = toml_start;
    while pos < text.len() {
        let rest = &text[pos..];
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..line_end];
        if is_fence(line) {
            let toml = &text[toml_start..pos];
            let body = &text[pos + line_end..];
            return Ok((Some(toml), body, line_no + 1));
        }
        pos += line_end;
        line_no += 1;
    }
    Err("front matter opened with `+++` on line 1 is never closed".to_string())
}

/// If the first line is a `+++` fence, returns the text after it.
fn strip_fence_line(text: &str) -> Option<&str> {
    let line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = &text[..line_end];
    if is_fence(first) && line_end > 0 && text[..line_end].ends_with('\n') {
        Some(&text[line_end..])
    } else {
        None
    }
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\n', '\r', ' ', '\t']) == "+++"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_reports_body_line() {
        let text = "+++\nsubject = \"Hi\"\n+++\nHello\n";
        let (toml, body, line) = split_front_matter(text).unwrap();
        assert_eq!(toml, Some("subject = \"Hi\"\n"));
        assert_eq!(body, "Hello\n");
        assert_eq!(line, 4);
    }

    #[test]
    fn crlf_fences_are_recognised() {
        let text = "+++\r\na = 1\r\n+++\r\nbody";
        let (toml, body, line) = split_front_matter(text).unwrap();
        assert_eq!(toml, Some("a = 1\r\n"));
        assert_eq!(body, "body");
        assert_eq!(line, 4);
    }

    #[test]
    fn empty_front_matter_and_empty_body() {
        let (toml, body, line) = split_front_matter("+++\n+++\n").unwrap();
        assert_eq!(toml, Some(""));
        assert_eq!(body, "");
        assert_eq!(line, 3);
    }

    #[test]
    fn text_without_fence_is_all_body() {
        let (toml, body, line) = split_front_matter("Hello +++\n+++\n").unwrap();
        assert_eq!(toml, None);
        assert_eq!(body, "Hello +++\n+++\n");
        assert_eq!(line, 1);
        // A lone `+++` with no newline is body text, not an unclosed fence.
        assert_eq!(split_front_matter("+++").unwrap().0, None);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = split_front_matter("+++\nsubject = \"x\"\nbody\n").unwrap_err();
        assert!(err.contains("never closed"), "{err}");
    }

    #[test]
    fn fence_with_extra_text_does_not_close() {
        let err = split_front_matter("+++\na = 1\n+++ x\n").unwrap_err();
        assert!(err.contains("never closed"));
    }
}
