//! A copy of a template under a new id and name. Only the `id` and `name` values in
//! `template.toml` change; every other byte of every file — comments, key order, spacing,
//! personas — stays as the original author wrote it, so a diff of the copy against its
//! source shows exactly those two values.

use serde::Deserialize;
use toml::Spanned;

use super::new_id::validate_new_id;
use super::starter::{toml_string, validate_name};
use crate::error::{Error, Result};
use crate::format::{FormatError, MANIFEST_FILE};
use crate::model::TemplateFiles;

/// Where the two values sit in `template.toml` (other keys are ignored here).
#[derive(Deserialize)]
struct IdAndName {
    id: Spanned<String>,
    name: Spanned<String>,
}

/// `files` with `id` and `name` in `template.toml` replaced by `new_id` and `new_name`.
pub fn duplicate(files: &TemplateFiles, new_id: &str, new_name: &str) -> Result<TemplateFiles> {
    validate_new_id(new_id)?;
    validate_name(new_name)?;
    let text = files.get(MANIFEST_FILE).ok_or_else(|| {
        Error::Invalid(vec![FormatError::new(
            MANIFEST_FILE,
            "the template to copy has no template.toml",
            "copy a template that opens in the editor",
        )])
    })?;
    let spans: IdAndName = toml::from_str(text).map_err(|e| {
        Error::Invalid(vec![FormatError::new(
            MANIFEST_FILE,
            format!(
                "the template to copy has no readable id and name: {}",
                e.message()
            ),
            "fix template.toml of the original first",
        )])
    })?;
    let mut edits = [
        (spans.id.span(), toml_string(new_id)),
        (spans.name.span(), toml_string(new_name.trim())),
    ];
    // Replace the later value first so the earlier span's offsets stay right.
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut manifest = text.to_string();
    for (span, value) in edits {
        manifest.replace_range(span, &value);
    }
    let mut copy = files.clone();
    copy.0.insert(MANIFEST_FILE.to_string(), manifest);
    Ok(copy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::parse_template;
    use crate::library::starter::{starter_files, StarterOptions};
    use crate::model::{Channel, Purpose};

    /// A hand-written manifest: comments, odd spacing, a literal string and a `name` key in
    /// a [[variables]] table that must not be touched.
    fn original() -> TemplateFiles {
        let opts = StarterOptions {
            id: "bill-ready".into(),
            name: "ご請求額確定のお知らせ".into(),
            brand: "minato-denryoku".into(),
            purpose: Purpose::Transactional,
            industry: "utility".into(),
            locales: vec!["ja".into(), "en".into()],
            channels: Channel::ALL.to_vec(),
        };
        let mut files = starter_files(&opts).unwrap();
        let manifest = files.get(MANIFEST_FILE).unwrap().replace(
            "id = \"bill-ready\"\nname = \"ご請求額確定のお知らせ\"\n",
            "# 電気料金の確定通知\nid   =   'bill-ready'   # フォルダ名と同じ\nname = \"ご請求額確定の\\u304Aお知らせ\" # 一覧に出る名前\n",
        );
        files.0.insert(MANIFEST_FILE.into(), manifest);
        files
    }

    #[test]
    fn only_id_and_name_change_and_every_other_byte_is_kept() {
        let files = original();
        parse_template(&files).expect("the original is valid");
        let copy = duplicate(
            &files,
            "bill-ready-2027",
            "ご請求額確定のお知らせ（2027年版）",
        )
        .unwrap();

        let source = parse_template(&copy).expect("the copy is a valid template");
        assert_eq!(source.manifest.id, "bill-ready-2027");
        assert_eq!(source.manifest.name, "ご請求額確定のお知らせ（2027年版）");
        let before = parse_template(&files).unwrap().manifest;
        assert_eq!(
            source.manifest.variables, before.variables,
            "variables untouched"
        );
        assert_eq!(source.manifest.locales, before.locales);

        for (path, text) in &files.0 {
            if path != MANIFEST_FILE {
                assert_eq!(
                    copy.get(path),
                    Some(text.as_str()),
                    "{path} is byte-identical"
                );
            }
        }
        assert_eq!(copy.0.len(), files.0.len(), "no file added or lost");

        let old = files.get(MANIFEST_FILE).unwrap();
        let new = copy.get(MANIFEST_FILE).unwrap();
        let expected = old.replace("'bill-ready'", "\"bill-ready-2027\"").replace(
            "\"ご請求額確定の\\u304Aお知らせ\"",
            "\"ご請求額確定のお知らせ（2027年版）\"",
        );
        assert_eq!(new, expected, "comments and spacing are kept line for line");
    }

    #[test]
    fn names_with_quotes_are_escaped() {
        let copy = duplicate(&original(), "quoted", "The \"Best\" \\ Offer").unwrap();
        let m = parse_template(&copy).unwrap().manifest;
        assert_eq!(m.name, "The \"Best\" \\ Offer");
    }

    #[test]
    fn bad_new_id_or_name_is_refused() {
        let err = duplicate(&original(), "Bill Ready", "x").unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert!(err.hint().contains("bill-ready"), "{}", err.hint());
        let err = duplicate(&original(), "ok", "  ").unwrap_err();
        assert!(err.to_string().starts_with("name:"), "{err}");
        let err = duplicate(&original(), "ok", "two\nlines").unwrap_err();
        assert!(err.to_string().contains("line break"), "{err}");
    }
}
