//! The brand's email layout: `layout.mjml` filled with escaped brand values and the body
//! fragment, compiled to HTML with mrml.
//!
//! Placeholders are `{{name}}`. This is not Tera: the layout is ours, the values are inserted
//! verbatim after escaping, and an unknown placeholder is a bug caught by the tests.

use super::markdown::escape_html;
use ccm_core::diagnostic::{codes, Diagnostic};
use ccm_core::model::{BrandColors, Channel};
use std::collections::HashMap;
use std::ops::Range;

pub(crate) const LAYOUT_FILE: &str = "layout.mjml";
const LAYOUT: &str = include_str!("layout.mjml");

/// Brand colours checked to be `#rgb`/`#rrggbb` (anything else could break out of a CSS
/// value), plus two derived shades for table headers and rules.
pub(crate) struct Palette {
    pub primary: String,
    pub text: String,
    pub background: String,
    pub muted: String,
    pub tint: String,
    pub rule: String,
}

impl Palette {
    pub(crate) fn from_brand(colors: &BrandColors, diags: &mut Vec<Diagnostic>) -> Self {
        let mut pick = |name: &str, value: &str, fallback: &str| -> String {
            match parse_hex(value) {
                Some(_) => value.trim().to_ascii_lowercase(),
                None => {
                    diags.push(
                        Diagnostic::warning(
                            Channel::Email,
                            codes::EMAIL_BRAND_COLOR,
                            format!("brand colour {name} = '{value}' is not a #rrggbb colour; using {fallback}"),
                        )
                        .at("brand.toml", None, None)
                        .hint("write colours as #rrggbb, e.g. primary = \"#c8102e\""),
                    );
                    fallback.to_string()
                }
            }
        };
        let primary = pick("primary", &colors.primary, "#1a4f8b");
        let text = pick("text", &colors.text, "#222222");
        let background = pick("background", &colors.background, "#f4f5f7");
        let muted = pick("muted", &colors.muted, "#666666");
        let p = parse_hex(&primary).unwrap_or((26, 79, 139));
        Palette {
            tint: mix_with_white(p, 0.92),
            rule: mix_with_white(parse_hex(&muted).unwrap_or((102, 102, 102)), 0.7),
            primary,
            text,
            background,
            muted,
        }
    }
}

fn parse_hex(s: &str) -> Option<(u8, u8, u8)> {
    let h = s.trim().strip_prefix('#')?;
    if !h.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let v = |i: usize, n: usize| u8::from_str_radix(&h[i..i + n], 16).ok();
    match h.len() {
        6 => Some((v(0, 2)?, v(2, 2)?, v(4, 2)?)),
        3 => Some((v(0, 1)? * 17, v(1, 1)? * 17, v(2, 1)? * 17)),
        _ => None,
    }
}

fn mix_with_white((r, g, b): (u8, u8, u8), white: f32) -> String {
    let m = |c: u8| (c as f32 * (1.0 - white) + 255.0 * white).round() as u8;
    format!("#{:02x}{:02x}{:02x}", m(r), m(g), m(b))
}

/// CSS font stack safe inside a double-quoted MJML attribute: quotes become single quotes and
/// characters that could end the declaration are dropped.
pub(crate) fn font_stack(brand_font: Option<&str>, ja: bool) -> String {
    let default = if ja {
        "'Hiragino Kaku Gothic ProN', 'Hiragino Sans', Meiryo, 'Noto Sans JP', sans-serif"
    } else {
        "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
    };
    let raw = brand_font
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .unwrap_or(default);
    raw.chars()
        .map(|c| if c == '"' { '\'' } else { c })
        .filter(|c| !matches!(c, ';' | '{' | '}' | '<' | '>' | '\\') && !c.is_control())
        .collect()
}

pub(crate) struct Filled {
    pub mjml: String,
    /// Where the body fragment sits in `mjml` (to map parser errors back to the template).
    pub body: Range<usize>,
}

/// Fills the layout. `html` values are inserted as given (they are built and escaped by this
/// module's callers); `text` values are escaped here.
pub(crate) fn fill(text: &[(&str, &str)], html: &[(&str, &str)]) -> Result<Filled, String> {
    let mut values: HashMap<&str, (String, bool)> = HashMap::new();
    for (k, v) in text {
        values.insert(k, (escape_html(v), false));
    }
    for (k, v) in html {
        values.insert(k, ((*v).to_string(), *k == "body"));
    }
    let mut out = String::with_capacity(LAYOUT.len() + 8192);
    let mut body = 0..0;
    let mut rest = LAYOUT;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| "unterminated placeholder in layout.mjml".to_string())?;
        let name = after[..end].trim();
        let (value, is_body) = values
            .get(name)
            .ok_or_else(|| format!("layout.mjml uses unknown placeholder '{name}'"))?;
        if *is_body {
            body = out.len()..out.len() + value.len();
        }
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(Filled { mjml: out, body })
}

/// Compiles MJML to HTML. Web fonts are off (no requests to font CDNs from a bank email) and
/// comments are dropped.
pub(crate) fn compile(mjml: &str) -> Result<String, (String, Option<usize>)> {
    let parsed = mrml::parse(mjml).map_err(|e| (e.to_string(), error_offset(&e)))?;
    let opts = mrml::prelude::render::RenderOptions {
        disable_comments: true,
        social_icon_origin: None,
        fonts: HashMap::new(),
    };
    parsed
        .element
        .render(&opts)
        .map_err(|e| (e.to_string(), None))
}

fn error_offset(e: &mrml::prelude::parser::Error) -> Option<usize> {
    use mrml::prelude::parser::Error as E;
    match e {
        E::UnexpectedElement { position, .. }
        | E::UnexpectedToken { position, .. }
        | E::MissingAttribute { position, .. }
        | E::InvalidAttribute { position, .. }
        | E::InvalidFormat { position, .. }
        | E::IncludeLoaderError { position, .. } => Some(position.start),
        _ => None,
    }
}

/// 1-based line of `offset` in `text`.
pub(crate) fn line_at(text: &str, offset: usize) -> u32 {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_validated() {
        let mut diags = Vec::new();
        let colors = BrandColors {
            primary: "#C8102E".into(),
            secondary: "#fff".into(),
            text: "red;}</style><script>".into(),
            background: "#fafafa".into(),
            muted: "#777".into(),
            accent: None,
        };
        let p = Palette::from_brand(&colors, &mut diags);
        assert_eq!(p.primary, "#c8102e");
        assert_eq!(p.text, "#222222");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "email.brand-color");
        assert_eq!(p.tint, "#fbecee");
    }

    #[test]
    fn font_stack_cannot_escape_the_attribute() {
        let f = font_stack(Some("\"Yu Gothic\", x;}</style><script>"), true);
        assert_eq!(f, "'Yu Gothic', x/stylescript");
    }

    #[test]
    fn fill_reports_unknown_placeholders() {
        let err = fill(&[], &[]).err().unwrap();
        assert!(err.contains("unknown placeholder"), "{err}");
    }
}
