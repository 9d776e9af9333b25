//! Shared blocks (`templates/_blocks/<name>[.<locale>].md`) and the `{% include "blocks/…" %}`
//! references to them.

use super::error::FormatError;
use super::{is_valid_id, is_valid_locale};
use crate::diagnostic::line_col;
use crate::model::{Block, ContentHash};

/// Folder of shared blocks inside the templates folder.
pub const BLOCKS_DIR: &str = "_blocks";
/// Prefix of block names in include tags.
pub const INCLUDE_PREFIX: &str = "blocks/";

/// Splits a block file name into (name, locale): `legal-footer.ja.md` → (`legal-footer`,
/// `Some("ja")`), `optout-line.md` → (`optout-line`, `None`). `None` if it is not a block file
/// name.
pub fn parse_block_file_name(file_name: &str) -> Option<(String, Option<String>)> {
    let stem = file_name.strip_suffix(".md")?;
    let (name, locale) = match stem.split_once('.') {
        Some((name, locale)) => (name, Some(locale)),
        None => (stem, None),
    };
    if !is_valid_id(name) || locale.is_some_and(|l| !is_valid_locale(l)) {
        return None;
    }
    Some((name.to_string(), locale.map(str::to_string)))
}

/// The file name of a block variant, the inverse of [`parse_block_file_name`].
pub fn block_file_name(name: &str, locale: Option<&str>) -> String {
    match locale {
        Some(locale) => format!("{name}.{locale}.md"),
        None => format!("{name}.md"),
    }
}

/// Builds a [`Block`] from a file in `_blocks/`. `file` is the path used in errors.
pub fn parse_block(file: &str, file_name: &str, content: String) -> Result<Block, FormatError> {
    let (name, locale) = parse_block_file_name(file_name).ok_or_else(|| {
        FormatError::new(
            file,
            format!("`{file_name}` is not a block file name"),
            "name blocks `<name>.md` or `<name>.<locale>.md` with a name of a-z, 0-9 and `-`, e.g. legal-footer.ja.md",
        )
    })?;
    Ok(Block {
        name,
        locale,
        hash: ContentHash::of_bytes(content.as_bytes()),
        content,
    })
}

/// One `{% include "…" %}` tag in a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The quoted target exactly as written, e.g. `blocks/legal-footer`.
    pub target: String,
    /// 1-based line and character column of the target's opening quote.
    pub line: u32,
    pub column: u32,
}

impl Include {
    /// The block name when the target is `blocks/<name>`.
    pub fn block_name(&self) -> Option<&str> {
        self.target.strip_prefix(INCLUDE_PREFIX)
    }
}

/// Finds every `{% include "…" %}` (also `{%- include '…' -%}`) in `text`.
pub fn find_includes(text: &str) -> Vec<Include> {
    let mut found = Vec::new();
    let mut search_from = 0;
    while let Some(rel) = text[search_from..].find("{%") {
        let tag_start = search_from + rel;
        search_from = tag_start + 2;
        let rest = text[search_from..]
            .strip_prefix('-')
            .unwrap_or(&text[search_from..]);
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix("include") else {
            continue;
        };
        let after_kw = rest.trim_start();
        if after_kw.len() == rest.len() {
            continue; // `includex`, not the include tag
        }
        let Some(quote) = after_kw.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let Some(end) = after_kw[1..].find(quote) else {
            continue;
        };
        let target = &after_kw[1..1 + end];
        let quote_offset = text.len() - after_kw.len();
        let (line, column) = line_col(text, quote_offset);
        found.push(Include {
            target: target.to_string(),
            line,
            column,
        });
    }
    found
}

/// Checks the includes in the whole file `text` (named `file` in errors) against `blocks`:
/// each must name `blocks/<name>`, and a variant for `locale` or a locale-neutral one must
/// exist (with `locale` `None`, as in a locale-neutral block, any variant will do).
pub fn check_includes(
    file: &str,
    text: &str,
    locale: Option<&str>,
    blocks: &[Block],
) -> Vec<FormatError> {
    let mut errors = Vec::new();
    for inc in find_includes(text) {
        let at = |e: FormatError| e.at(inc.line, inc.column);
        let Some(name) = inc.block_name() else {
            errors.push(at(FormatError::new(
                file,
                format!("`{}` cannot be included: only shared blocks can", inc.target),
                "include a block as {% include \"blocks/<name>\" %} with a file templates/_blocks/<name>.md",
            )));
            continue;
        };
        let variants: Vec<_> = blocks.iter().filter(|b| b.name == name).collect();
        if variants.is_empty() {
            errors.push(at(FormatError::new(
                file,
                format!("block `{name}` does not exist"),
                format!("add templates/_blocks/{name}.md (or {name}.<locale>.md), or fix the name"),
            )));
        } else if let Some(locale) = locale.filter(|l| {
            !variants
                .iter()
                .any(|b| b.locale.is_none() || b.locale.as_deref() == Some(*l))
        }) {
            errors.push(at(FormatError::new(
                file,
                format!("block `{name}` has no `{locale}` variant and no locale-neutral one"),
                format!("add templates/_blocks/{name}.{locale}.md or {name}.md"),
            )));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(name: &str, locale: Option<&str>) -> Block {
        parse_block("x", &block_file_name(name, locale), "text".into()).unwrap()
    }

    #[test]
    fn block_file_names() {
        assert_eq!(
            parse_block_file_name("legal-footer.ja.md"),
            Some(("legal-footer".into(), Some("ja".into())))
        );
        assert_eq!(
            parse_block_file_name("optout-line.md"),
            Some(("optout-line".into(), None))
        );
        assert_eq!(parse_block_file_name("Legal.md"), None);
        assert_eq!(parse_block_file_name("a.b.c.md"), None);
        assert_eq!(parse_block_file_name("notes.txt"), None);
        let b = block("legal-footer", Some("en"));
        assert_eq!(b.hash, ContentHash::of_bytes(b"text"));
    }

    #[test]
    fn finds_includes_with_positions() {
        let text = "a\n  {% include \"blocks/legal-footer\" %}\n{%- include 'blocks/x' -%}{% if a %}{% includes \"n\" %}";
        let incs = find_includes(text);
        assert_eq!(incs.len(), 2);
        assert_eq!(incs[0].target, "blocks/legal-footer");
        assert_eq!((incs[0].line, incs[0].column), (2, 14));
        assert_eq!(incs[1].block_name(), Some("x"));
        assert_eq!(incs[1].line, 3);
    }

    #[test]
    fn missing_block_and_missing_locale_variant() {
        let blocks = vec![block("legal-footer", Some("ja")), block("optout", None)];
        let text = "x\n{% include \"blocks/legal-footr\" %}\n{% include \"blocks/optout\" %}{% include \"blocks/legal-footer\" %}";
        let errs = check_includes("email.en.md", text, Some("en"), &blocks);
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(
            errs[0].to_string().lines().next().unwrap(),
            "email.en.md:2:12: block `legal-footr` does not exist"
        );
        assert!(errs[1].message.contains("no `en` variant"));
        assert!(check_includes(
            "email.md",
            text.replace("footr", "footer").as_str(),
            Some("ja"),
            &blocks
        )
        .is_empty());
        let errs = check_includes("sms.txt", "{% include \"other.txt\" %}", None, &blocks);
        assert!(errs[0].message.contains("only shared blocks"));
    }
}
