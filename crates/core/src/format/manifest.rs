//! `template.toml`: parse into [`Manifest`] and check what serde alone cannot (id syntax,
//! locale order, duplicates), pointing at the offending value.

use super::error::{from_toml, FormatError};
use super::{is_valid_id, is_valid_locale};
use crate::model::Manifest;
use serde::Deserialize;
use std::collections::BTreeSet;
use toml::Spanned;

pub const MANIFEST_FILE: &str = "template.toml";

/// Positions of the values checked after deserializing. Other keys are ignored here: unknown
/// keys are already rejected by `Manifest`'s `deny_unknown_fields`.
#[derive(Deserialize)]
struct ManifestSpans {
    id: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    brand: Option<Spanned<String>>,
    default_locale: Option<Spanned<String>>,
    locales: Option<Spanned<Vec<Spanned<String>>>>,
    channels: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    variables: Vec<VariableSpans>,
    consistency: Option<ConsistencySpans>,
}

#[derive(Deserialize)]
struct ConsistencySpans {
    #[serde(default)]
    essential: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
struct VariableSpans {
    name: Option<Spanned<String>>,
}

/// Parses and validates `template.toml`. `file` is the path used in errors.
pub fn parse_manifest(file: &str, text: &str) -> Result<Manifest, Vec<FormatError>> {
    let manifest: Manifest = toml::from_str(text).map_err(|e| {
        let hint = toml_hint(e.message());
        vec![from_toml(file, text, 1, &e, &hint)]
    })?;
    // Same text, so this cannot fail where the full parse succeeded; if it ever did we still
    // return the manifest rather than invent an error.
    let Ok(spans) = toml::from_str::<ManifestSpans>(text) else {
        return Ok(manifest);
    };
    let err = |span: Option<std::ops::Range<usize>>, message: String, hint: &str| {
        let e = FormatError::new(file, message, hint);
        match span {
            Some(s) => e.at_offset(text, s.start, 1),
            None => e,
        }
    };
    let span_of = |s: &Option<Spanned<String>>| s.as_ref().map(|s| s.span());
    let mut errors = Vec::new();

    if !is_valid_id(&manifest.id) {
        errors.push(err(
            span_of(&spans.id),
            format!(
                "template id `{}` may only use lowercase letters a-z, digits and `-`",
                manifest.id
            ),
            "use an id such as `payment-reminder` and give the folder the same name",
        ));
    }
    if manifest.name.trim().is_empty() {
        errors.push(err(
            span_of(&spans.name),
            "`name` is empty".into(),
            "give the template a name people will recognise in the library list",
        ));
    }
    if !is_valid_id(&manifest.brand) {
        errors.push(err(
            span_of(&spans.brand),
            format!(
                "brand id `{}` may only use lowercase letters a-z, digits and `-`",
                manifest.brand
            ),
            "use the name of a folder in assets/brands/",
        ));
    }
    if !is_valid_locale(&manifest.default_locale) {
        errors.push(err(
            span_of(&spans.default_locale),
            format!("`{}` is not a locale", manifest.default_locale),
            "use a language tag such as `ja`, `en` or `en-US`",
        ));
    }

    let locale_spans: Vec<_> = spans
        .locales
        .as_ref()
        .map(|l| l.get_ref().iter().map(|s| s.span()).collect())
        .unwrap_or_default();
    let locales_span = spans.locales.as_ref().map(|l| l.span());
    if manifest.locales.is_empty() {
        errors.push(err(
            locales_span.clone(),
            "`locales` is empty".into(),
            &format!(
                "list the default locale first, e.g. locales = [\"{}\"]",
                manifest.default_locale
            ),
        ));
    } else if manifest.locales[0] != manifest.default_locale {
        errors.push(err(
            locale_spans.first().cloned().or(locales_span.clone()),
            format!(
                "the first locale must be the default locale `{}`, found `{}`",
                manifest.default_locale, manifest.locales[0]
            ),
            "put default_locale first in `locales`",
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, locale) in manifest.locales.iter().enumerate() {
        let span = locale_spans.get(i).cloned().or(locales_span.clone());
        if !is_valid_locale(locale) {
            errors.push(err(
                span,
                format!("`{locale}` is not a locale"),
                "use a language tag such as `ja`, `en` or `en-US`",
            ));
        } else if !seen.insert(locale.as_str()) {
            errors.push(err(
                span,
                format!("locale `{locale}` is listed twice"),
                "remove the duplicate",
            ));
        }
    }

    let channel_spans: Vec<_> = spans
        .channels
        .as_ref()
        .map(|c| c.get_ref().iter().map(|s| s.span()).collect())
        .unwrap_or_default();
    if manifest.channels.is_empty() {
        errors.push(err(
            spans.channels.as_ref().map(|c| c.span()),
            "`channels` is empty".into(),
            "list at least one of \"email\", \"sms\", \"push\", \"print\", or remove the key for all four",
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, channel) in manifest.channels.iter().enumerate() {
        if !seen.insert(*channel) {
            errors.push(err(
                channel_spans.get(i).cloned(),
                format!("channel `{channel}` is listed twice"),
                "remove the duplicate",
            ));
        }
    }

    let mut seen = BTreeSet::new();
    for (i, variable) in manifest.variables.iter().enumerate() {
        let span = spans
            .variables
            .get(i)
            .and_then(|v| v.name.as_ref())
            .map(|s| s.span());
        if !is_valid_variable_path(&variable.name) {
            errors.push(err(
                span,
                format!("variable name `{}` is not a dotted path", variable.name),
                "use names such as `customer.name` or `due_date` (letters, digits, `_`, separated by `.`)",
            ));
        } else if !seen.insert(variable.name.as_str()) {
            errors.push(err(
                span,
                format!("variable `{}` is declared twice", variable.name),
                "remove the duplicate [[variables]] entry",
            ));
        }
    }

    let essential_spans: Vec<_> = spans
        .consistency
        .as_ref()
        .map(|c| c.essential.iter().map(|s| s.span()).collect())
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    for (i, name) in manifest.consistency.essential.iter().enumerate() {
        let span = essential_spans.get(i).cloned();
        if !crate::model::is_fact_name(name) {
            let roles: Vec<&str> = crate::model::FACT_ROLES.iter().map(|(r, _)| *r).collect();
            errors.push(err(
                span,
                format!("`{name}` in [consistency] essential is not a fact kind or role"),
                &format!(
                    "use a kind ({}) or a role ({})",
                    crate::model::FACT_KINDS.join(", "),
                    roles.join(", ")
                ),
            ));
        } else if !seen.insert(name.as_str()) {
            errors.push(err(
                span,
                format!("`{name}` is listed twice in [consistency] essential"),
                "remove the duplicate",
            ));
        }
    }

    if errors.is_empty() {
        Ok(manifest)
    } else {
        Err(errors)
    }
}

/// `customer.name`, `due_date`, `items.0`? — segments of ASCII letters, digits and `_`, the
/// first not a digit.
pub fn is_valid_variable_path(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|seg| {
            let mut chars = seg.chars();
            matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// What to do about a serde/TOML error, judged from its message.
pub(crate) fn toml_hint(message: &str) -> String {
    if message.contains("unknown field") {
        "remove the key or fix its spelling (the keys are listed in docs/FILE-FORMAT.md)".into()
    } else if message.contains("missing field") {
        "add the missing key (see docs/FILE-FORMAT.md)".into()
    } else if message.contains("unknown variant") {
        "use one of the values listed in the message".into()
    } else if message.contains("invalid type") {
        "give the value the type the message asks for (strings in quotes, lists in [ ])".into()
    } else {
        "fix the TOML syntax at this place (strings need quotes; see https://toml.io)".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"id = "payment-reminder"
name = "お支払い期日のお知らせ"
industry = "bank"
purpose = "transactional"
brand = "sakura-bank"
default_locale = "ja"
locales = ["ja", "en"]

[[variables]]
name = "customer.name"
type = "string"
required = true
"#;

    #[test]
    fn parses_a_good_manifest_with_defaults() {
        let m = parse_manifest("template.toml", GOOD).unwrap();
        assert_eq!(m.id, "payment-reminder");
        assert_eq!(m.channels.len(), 4);
        assert_eq!(m.variables[0].name, "customer.name");
    }

    #[test]
    fn unknown_field_names_line_and_column() {
        let text = GOOD.replace("purpose = ", "purpse = ");
        let errs = parse_manifest("t/template.toml", &text).unwrap_err();
        assert_eq!(errs.len(), 1);
        let e = &errs[0];
        assert!(
            e.message.contains("unknown field `purpse`"),
            "{}",
            e.message
        );
        assert_eq!((e.line, e.column), (Some(4), Some(1)));
        assert!(e
            .to_string()
            .starts_with("t/template.toml:4:1: unknown field `purpse`"));
        assert!(e.hint.contains("spelling"));
    }

    #[test]
    fn malformed_toml_has_position() {
        let text = GOOD.replace("industry = \"bank\"", "industry = bank");
        let errs = parse_manifest("template.toml", &text).unwrap_err();
        assert_eq!(errs[0].line, Some(3));
        assert!(errs[0].column.is_some());
    }

    #[test]
    fn bad_id_points_at_the_value() {
        let text = GOOD.replace("\"payment-reminder\"", "\"Payment_Reminder\"");
        let errs = parse_manifest("template.toml", &text).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].column), (Some(1), Some(6)));
        assert!(errs[0].message.contains("Payment_Reminder"));
    }

    #[test]
    fn default_locale_must_come_first() {
        let text = GOOD.replace("[\"ja\", \"en\"]", "[\"en\", \"ja\"]");
        let errs = parse_manifest("template.toml", &text).unwrap_err();
        assert!(errs[0]
            .message
            .contains("first locale must be the default locale `ja`"));
        assert_eq!(errs[0].line, Some(7));
    }

    #[test]
    fn duplicate_channels_and_bad_variable_names() {
        let text = GOOD.replace(
            "locales = [\"ja\", \"en\"]",
            "locales = [\"ja\", \"en\"]\nchannels = [\"email\", \"email\"]",
        ) + "\n[[variables]]\nname = \"customer name\"\ntype = \"string\"\n";
        let errs = parse_manifest("template.toml", &text).unwrap_err();
        let messages: Vec<_> = errs.iter().map(|e| e.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("channel `email` is listed twice")),
            "{messages:?}"
        );
        assert!(messages
            .iter()
            .any(|m| m.contains("`customer name` is not a dotted path")));
    }

    #[test]
    fn consistency_essential_names_kinds_or_roles() {
        let good = format!("{GOOD}\n[consistency]\nessential = [\"due_date\", \"money\"]\n");
        let m = parse_manifest("template.toml", &good).expect("valid");
        assert_eq!(m.consistency.essential, ["due_date", "money"]);
        let bad = format!("{GOOD}\n[consistency]\nessential = [\"due_date\", \"due_dat\"]\n");
        let errs = parse_manifest("template.toml", &bad).expect_err("unknown role");
        assert!(errs[0].message.contains("due_dat"), "{:?}", errs[0]);
        assert_eq!(
            errs[0].line,
            Some(good.lines().count() as u32),
            "{:?}",
            errs[0]
        );
        let typo = format!("{GOOD}\n[consistency]\nesential = []\n");
        assert!(parse_manifest("template.toml", &typo).is_err());
    }

    #[test]
    fn missing_required_key() {
        let text = GOOD.replace("brand = \"sakura-bank\"\n", "");
        let errs = parse_manifest("template.toml", &text).unwrap_err();
        assert!(
            errs[0].message.contains("missing field `brand`"),
            "{}",
            errs[0].message
        );
        assert!(errs[0].hint.contains("add the missing key"));
    }
}
