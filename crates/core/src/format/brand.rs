//! `assets/brands/<id>/brand.toml`: the brand kit.

use super::error::{from_toml, FormatError};
use super::is_valid_id;
use super::manifest::toml_hint;
use crate::model::BrandKit;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub const BRAND_FILE: &str = "brand.toml";

#[derive(Deserialize)]
struct BrandSpans {
    id: Option<Spanned<String>>,
    colors: Option<BTreeMap<String, Spanned<String>>>,
}

/// Parses and validates `brand.toml`. `file` is the path used in errors.
pub fn parse_brand_kit(file: &str, text: &str) -> Result<BrandKit, Vec<FormatError>> {
    let kit: BrandKit = toml::from_str(text)
        .map_err(|e| vec![from_toml(file, text, 1, &e, &toml_hint(e.message()))])?;
    let Ok(spans) = toml::from_str::<BrandSpans>(text) else {
        return Ok(kit);
    };
    let mut errors = Vec::new();
    if !is_valid_id(&kit.id) {
        let e = FormatError::new(
            file,
            format!(
                "brand id `{}` may only use lowercase letters a-z, digits and `-`",
                kit.id
            ),
            "use an id such as `sakura-bank` and give the folder the same name",
        );
        errors.push(match &spans.id {
            Some(s) => e.at_offset(text, s.span().start, 1),
            None => e,
        });
    }
    for (name, value) in spans.colors.iter().flatten() {
        if !is_hex_color(value.get_ref()) {
            errors.push(
                FormatError::new(
                    file,
                    format!(
                        "colour `{name}` = `{}` is not a #rrggbb colour",
                        value.get_ref()
                    ),
                    "write colours as six hex digits, e.g. \"#c8102e\"",
                )
                .at_offset(text, value.span().start, 1),
            );
        }
    }
    if kit.logo.is_empty()
        || kit.logo.contains("..")
        || kit.logo.starts_with('/')
        || kit.logo.contains('\\')
    {
        errors.push(FormatError::new(
            file,
            format!(
                "logo `{}` must be a file name inside the brand folder",
                kit.logo
            ),
            "put the logo beside brand.toml and write its file name, e.g. logo = \"logo.png\"",
        ));
    }
    if errors.is_empty() {
        Ok(kit)
    } else {
        Err(errors)
    }
}

/// The canonical text of `brand.toml` for a kit made or edited in the app (the form an export
/// writes when a kit has no file of its own). It parses back to the same kit.
pub fn brand_toml(kit: &BrandKit) -> Result<String, toml::ser::Error> {
    toml::to_string(kit)
}

pub(crate) fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const BRAND: &str = r##"id = "sakura-bank"
name = "さくら銀行"
legal_name = "株式会社さくら銀行"
default_locale = "ja"
logo = "logo.png"

[address]
lines = ["〒100-0005", "東京都千代田区丸の内1-1-1"]
country = "JP"

[contact]
phone = "0120-000-000"
email = "info@sakura-bank.example.jp"
website = "https://sakura-bank.example.jp"

[colors]
primary = "#c8102e"
secondary = "#1d2b4f"
text = "#222222"
background = "#ffffff"
muted = "#6b7280"
"##;

    #[test]
    fn parses_a_brand_kit() {
        let kit = parse_brand_kit("brand.toml", BRAND).unwrap();
        assert_eq!(kit.legal_name, "株式会社さくら銀行");
        assert_eq!(kit.logo, "logo.png");
    }

    #[test]
    fn bad_colour_points_at_value() {
        let text = BRAND.replace("\"#6b7280\"", "\"grey\"");
        let errs = parse_brand_kit("brand.toml", &text).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("`muted` = `grey`"));
        assert_eq!(errs[0].line, Some(21));
    }

    #[test]
    fn unknown_key_and_escaping_logo() {
        let text = BRAND.replace("[colors]", "[colours]");
        let errs = parse_brand_kit("brand.toml", &text).unwrap_err();
        assert!(
            errs[0].message.contains("colours") || errs[0].message.contains("colors"),
            "{}",
            errs[0]
        );
        let text = BRAND.replace("\"logo.png\"", "\"../x.png\"");
        let errs = parse_brand_kit("brand.toml", &text).unwrap_err();
        assert!(errs[0].message.contains("inside the brand folder"));
    }
}
