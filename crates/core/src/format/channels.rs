//! The channel source files: `email*.md`, `sms*.txt`, `push*.toml`, `print*.md`.
//!
//! These parse only the *structure* (front matter keys, allowed values). The string values and
//! bodies are Tera templates; rendering and Tera syntax belong to the renderers.

use super::error::{from_toml, FormatError};
use super::front_matter::split_front_matter;
use super::manifest::toml_hint;
use serde::{Deserialize, Serialize};

/// Front matter of `email.md` / `email.<locale>.md`. Every value is a Tera string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailFrontMatter {
    pub subject: String,
    #[serde(default)]
    pub preheader: Option<String>,
    #[serde(default)]
    pub unsubscribe_url: Option<String>,
    #[serde(default)]
    pub from_name: Option<String>,
    #[serde(default)]
    pub reply_to: Option<String>,
}

/// `push.toml` / `push.<locale>.toml`. Every value is a Tera string; empty optional values
/// mean "not set".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushContent {
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    pub body: String,
    /// Asset path or https URL.
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub deep_link: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageSize {
    A4,
    Letter,
}

/// Window-envelope profile: where the recipient block must sit on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Envelope {
    /// 長形3号 (Japanese window envelope).
    Naga3,
    /// US #10 window envelope.
    Us10,
    None,
}

/// Front matter of `print.md` / `print.<locale>.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintFrontMatter {
    pub page: PageSize,
    pub envelope: Envelope,
    /// Tera text of the address block, one line per address line.
    pub recipient: String,
    #[serde(default)]
    pub title: Option<String>,
}

/// A Markdown channel file split into its parsed front matter and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownSource<'a, T> {
    pub meta: T,
    pub body: &'a str,
    /// 1-based file line on which `body` starts.
    pub body_line: u32,
}

/// Parses `email*.md`. `file` is the path used in errors.
pub fn parse_email<'a>(
    file: &str,
    text: &'a str,
) -> Result<MarkdownSource<'a, EmailFrontMatter>, FormatError> {
    let src = parse_markdown_with_front_matter::<EmailFrontMatter>(
        file,
        text,
        "start the file with a `+++` line, then `subject = \"…\"`, then another `+++` line",
    )?;
    if src.meta.subject.trim().is_empty() {
        return Err(FormatError::new(
            file,
            "the email `subject` is empty",
            "write the subject line people will see in their inbox",
        )
        .at(2, 1));
    }
    Ok(src)
}

/// Parses `print*.md`.
pub fn parse_print<'a>(
    file: &str,
    text: &'a str,
) -> Result<MarkdownSource<'a, PrintFrontMatter>, FormatError> {
    parse_markdown_with_front_matter::<PrintFrontMatter>(
        file,
        text,
        "start the file with a `+++` line, then page, envelope and recipient, then another `+++` line",
    )
}

/// Parses `push*.toml`.
pub fn parse_push(file: &str, text: &str) -> Result<PushContent, FormatError> {
    let push: PushContent =
        toml::from_str(text).map_err(|e| from_toml(file, text, 1, &e, &toml_hint(e.message())))?;
    if push.title.trim().is_empty() && push.body.trim().is_empty() {
        return Err(FormatError::new(
            file,
            "the push notification has neither title nor body",
            "write a title and a body",
        )
        .at(1, 1));
    }
    Ok(push)
}

fn parse_markdown_with_front_matter<'a, T: serde::de::DeserializeOwned>(
    file: &str,
    text: &'a str,
    missing_hint: &str,
) -> Result<MarkdownSource<'a, T>, FormatError> {
    let (toml_text, body, body_line) = split_front_matter(text).map_err(|m| {
        FormatError::new(
            file,
            m,
            "add a line with just `+++` where the front matter ends",
        )
        .at(1, 1)
    })?;
    let Some(toml_text) = toml_text else {
        return Err(
            FormatError::new(file, "the file has no `+++` front matter", missing_hint).at(1, 1),
        );
    };
    let meta: T = toml::from_str(toml_text)
        .map_err(|e| from_toml(file, toml_text, 2, &e, &toml_hint(e.message())))?;
    Ok(MarkdownSource {
        meta,
        body,
        body_line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_front_matter_and_body() {
        let text = "+++\nsubject = \"【さくら銀行】お知らせ\"\npreheader = \"x\"\n+++\n本文\n";
        let src = parse_email("email.md", text).unwrap();
        assert_eq!(src.meta.subject, "【さくら銀行】お知らせ");
        assert_eq!(src.body, "本文\n");
        assert_eq!(src.body_line, 5);
    }

    #[test]
    fn email_unknown_key_reports_file_line() {
        let text = "+++\nsubject = \"x\"\nsubjet = \"y\"\n+++\nbody";
        let e = parse_email("email.en.md", text).unwrap_err();
        assert!(
            e.message.contains("unknown field `subjet`"),
            "{}",
            e.message
        );
        assert_eq!((e.line, e.column), (Some(3), Some(1)));
    }

    #[test]
    fn malformed_front_matter_has_line_and_column() {
        let text = "+++\nsubject = \"x\"\npreheader = \"unterminated\n+++\nbody";
        let e = parse_email("email.md", text).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.column.is_some());
    }

    #[test]
    fn email_without_subject_or_front_matter() {
        let e = parse_email("email.md", "+++\npreheader = \"x\"\n+++\n").unwrap_err();
        assert!(
            e.message.contains("missing field `subject`"),
            "{}",
            e.message
        );
        let e = parse_email("email.md", "Hello").unwrap_err();
        assert!(e.message.contains("no `+++` front matter"));
        let e = parse_email("email.md", "+++\nsubject = \"x\"\nHello").unwrap_err();
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn print_values_are_checked() {
        let ok = "+++\npage = \"a4\"\nenvelope = \"naga3\"\nrecipient = \"\"\"\n〒{{ customer.postal_code }}\"\"\"\n+++\nbody";
        let src = parse_print("print.md", ok).unwrap();
        assert_eq!(src.meta.envelope, Envelope::Naga3);
        let bad = ok.replace("\"naga3\"", "\"dl\"");
        let e = parse_print("print.md", &bad).unwrap_err();
        assert!(e.message.contains("unknown variant `dl`"), "{}", e.message);
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn push_keys() {
        let p = parse_push("push.toml", "title = \"t\"\nbody = \"b\"\nimage = \"\"\n").unwrap();
        assert_eq!(p.image.as_deref(), Some(""));
        let e = parse_push("push.toml", "title = \"t\"\nbody = \"b\"\nbadge = 1\n").unwrap_err();
        assert!(e.message.contains("unknown field `badge`"));
        assert_eq!(e.line, Some(3));
    }
}
