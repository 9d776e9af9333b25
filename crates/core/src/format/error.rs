//! `FormatError`: one problem in one file, with the place and what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostic::line_col;

/// One problem in a template, block or brand file.
///
/// Displayed as `file:line:col: message` followed by an indented `hint:` line, e.g.
/// ```text
/// templates/x/template.toml:3:1: unknown field `purpse`, expected one of …
///   hint: fix the spelling or remove the key; see docs/FILE-FORMAT.md
/// ```
/// `line` and `column` are 1-based; `column` counts characters, not bytes, so it matches what
/// an editor shows for Japanese text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub file: PathBuf,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
    pub hint: String,
}

impl FormatError {
    /// An error about a whole file (no position).
    pub fn new(
        file: impl Into<PathBuf>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        FormatError {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// Sets the position (1-based line and character column).
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the position of byte `offset` in `text`, whose first line is line `first_line`
    /// of the file (front matter starts on line 2).
    pub fn at_offset(self, text: &str, offset: usize, first_line: u32) -> Self {
        let (line, column) = line_col(text, offset);
        self.at(line + first_line - 1, column)
    }

    /// Puts `prefix` in front of the file path: `parse_template` reports paths relative to the
    /// template folder, callers that read from disk prefix the folder.
    pub fn with_prefix(mut self, prefix: &Path) -> Self {
        self.file = prefix.join(&self.file);
        self
    }

    /// The file as shown to people: always `/`-separated so messages read the same everywhere.
    pub fn file_display(&self) -> String {
        self.file.to_string_lossy().replace('\\', "/")
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file_display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for FormatError {}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Converts a `toml` parse/deserialize error into a `FormatError` for `file`. `first_line` is
/// the file line on which `text` starts (1 for a whole file, 2 for front matter).
pub fn from_toml(
    file: &str,
    text: &str,
    first_line: u32,
    err: &toml::de::Error,
    hint: &str,
) -> FormatError {
    // toml's message is multi-line when it has no span; keep the first meaningful line.
    let message = err.message().trim().to_string();
    let e = FormatError::new(file, message, hint);
    match err.span() {
        Some(span) => e.at_offset(text, span.start, first_line),
        None => e,
    }
}

/// Converts a `serde_json` error into a `FormatError` for `file`.
pub fn from_json(file: &str, err: &serde_json::Error, hint: &str) -> FormatError {
    // serde_json appends " at line L column C" to Display; we carry the position separately.
    let text = err.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let e = FormatError::new(file, message, hint);
    if err.line() > 0 {
        e.at(to_u32(err.line()), to_u32(err.column().max(1)))
    } else {
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column_and_hint() {
        let e = FormatError::new(
            "templates/x/template.toml",
            "unknown field `purpse`",
            "fix the spelling",
        )
        .at(3, 7);
        assert_eq!(
            e.to_string(),
            "templates/x/template.toml:3:7: unknown field `purpse`\n  hint: fix the spelling"
        );
    }

    #[test]
    fn display_without_position_or_hint() {
        let e = FormatError::new("a.md", "broken", "");
        assert_eq!(e.to_string(), "a.md: broken");
    }

    #[test]
    fn json_errors_keep_position_out_of_message() {
        let err = serde_json::from_str::<serde_json::Value>("{\n  \"a\": 1,\n}").unwrap_err();
        let e = from_json("data/p.json", &err, "");
        assert_eq!(e.line, Some(3));
        assert!(!e.message.contains("at line"), "{}", e.message);
    }
}
