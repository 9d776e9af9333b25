//! The component functions of templates (docs/FILE-FORMAT.md, "Components"): `button`,
//! `columns`/`next_column`/`end_columns`, `hero`, `divider`, `spacer`, `table`, `callout`,
//! `signature`, `qr` and `customer_barcode`, registered in every channel's Tera instance.
//!
//! One call, four renditions: in the Markdown bodies (email, letter) a call leaves a marker
//! block ([`Component::marker`]) that the email writer and the letter converter render; in the
//! SMS it is plain text at once; in push fields it is its text, and a button also carries its
//! link and action to the payload through an invisible mark ([`take_push_actions`]).

use crate::email::components as email_components;
use crate::email::Palette;
use crate::filters::{self, FilterLocale};
use crate::rendition::{RenderSet, Rendition};
use ccm_core::diagnostic::{codes, Diagnostic};
use ccm_core::model::Channel;
use ccm_core::model::TemplateBundle;
pub use ccm_print::components::{Align, Component, SpacerSize, TextTarget, Tone, MARKER_INFO};
use serde_json::Value;
use std::collections::HashMap;
use tera::{Error, Result};

/// Names of the component functions, for editors and docs.
pub const FUNCTIONS: &[&str] = &[
    "button",
    "columns",
    "next_column",
    "end_columns",
    "hero",
    "divider",
    "spacer",
    "table",
    "callout",
    "signature",
    "qr",
    "customer_barcode",
];

/// Around a component in push text: private-use characters no template or data contains;
/// the push adapter removes them (with the JSON between) before anything is counted.
const PUSH_MARK_OPEN: char = '\u{F8F0}';
const PUSH_MARK_CLOSE: char = '\u{F8F1}';

/// Registers every component function for `channel`.
pub fn register(tera: &mut tera::Tera, channel: Channel, loc: &FilterLocale) {
    for name in FUNCTIONS {
        tera.register_function(
            name,
            ComponentFn {
                name,
                channel,
                loc: loc.clone(),
            },
        );
    }
}

struct ComponentFn {
    name: &'static str,
    channel: Channel,
    loc: FilterLocale,
}

impl tera::Function for ComponentFn {
    fn call(&self, args: &HashMap<String, Value>) -> Result<Value> {
        let c = build(self.name, args, &self.loc)?;
        let ja = self.loc.locale == "ja" || self.loc.locale.starts_with("ja-");
        let out = match self.channel {
            Channel::Email | Channel::Print => c.marker(),
            Channel::Sms => c.text(TextTarget::Sms, ja),
            Channel::Push => match &c {
                Component::Button { .. } => format!(
                    "{PUSH_MARK_OPEN}{}{PUSH_MARK_CLOSE}{}",
                    serde_json::to_string(&c).unwrap_or_default(),
                    c.text(TextTarget::Push, ja)
                ),
                _ => c.text(TextTarget::Push, ja),
            },
        };
        Ok(Value::String(out))
    }

    /// The output is markup of our own making (marker blocks); data inside it travels as JSON
    /// and is never read as Markdown, so Markdown escaping must not touch it.
    fn is_safe(&self) -> bool {
        true
    }
}

fn text_arg(f: &str, args: &HashMap<String, Value>, name: &str, required: bool) -> Result<String> {
    match args.get(name) {
        Some(Value::String(s)) => Ok(s.trim().to_string()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        Some(Value::Null) | None if !required => Ok(String::new()),
        Some(other) => Err(Error::msg(format!(
            "{f}(): `{name}` must be text, got {other}"
        ))),
        None => Err(Error::msg(format!(
            "{f}(): the argument `{name}` is missing (e.g. {})",
            example(f)
        ))),
    }
}

fn example(f: &str) -> &'static str {
    match f {
        "button" => "button(label=\"Pay now\", url=\"https://…\")",
        "hero" => "hero(image=\"brands/<brand>/<file>\", alt=\"…\", text=\"…\")",
        "callout" => "callout(title=\"…\", text=\"…\", tone=\"info\")",
        "signature" => "signature(name=\"…\", title=\"…\")",
        "qr" => "qr(url=\"https://…\", label=\"…\")",
        "table" => "table(rows=statement.lines, columns=[\"date\", \"amount\"], headers=[\"Date\", \"Amount\"])",
        "customer_barcode" => {
            "customer_barcode(postal_code=customer.postal_code, address=customer.address)"
        }
        _ => "see docs/FILE-FORMAT.md, Components",
    }
}

fn list_arg(f: &str, args: &HashMap<String, Value>, name: &str) -> Result<Vec<String>> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                other => Ok(other.to_string()),
            })
            .collect(),
        Some(other) => Err(Error::msg(format!(
            "{f}(): `{name}` must be a list like [\"a\", \"b\"], got {other}"
        ))),
    }
}

/// The component of one call, its arguments checked.
fn build(f: &str, args: &HashMap<String, Value>, loc: &FilterLocale) -> Result<Component> {
    let t = |name: &str, required: bool| text_arg(f, args, name, required);
    Ok(match f {
        "button" => Component::Button {
            label: t("label", false)?,
            url: t("url", true)?,
            action: t("action", false)?,
        },
        "divider" => Component::Divider,
        "spacer" => Component::Spacer {
            size: match t("size", false)?.as_str() {
                "" | "medium" => SpacerSize::Medium,
                "small" => SpacerSize::Small,
                "large" => SpacerSize::Large,
                other => {
                    return Err(Error::msg(format!(
                        "spacer(): size \"{other}\" is not small, medium or large"
                    )))
                }
            },
        },
        "hero" => Component::Hero {
            image: t("image", true)?,
            alt: t("alt", false)?,
            text: t("text", false)?,
        },
        "callout" => Component::Callout {
            title: t("title", false)?,
            text: t("text", true)?,
            tone: match t("tone", false)?.as_str() {
                "" | "info" => Tone::Info,
                "warning" => Tone::Warning,
                other => {
                    return Err(Error::msg(format!(
                        "callout(): tone \"{other}\" is not info or warning"
                    )))
                }
            },
        },
        "signature" => Component::Signature {
            name: t("name", true)?,
            title: t("title", false)?,
            organisation: t("organisation", false)?,
        },
        "qr" => Component::Qr {
            url: t("url", true)?,
            label: t("label", false)?,
        },
        "customer_barcode" => Component::CustomerBarcode {
            postal_code: t("postal_code", true)?,
            address: t("address", true)?,
        },
        "columns" => Component::Columns {
            count: match args.get("count").and_then(Value::as_u64) {
                None => 2,
                Some(n @ 2..=3) => n as u8,
                Some(n) => {
                    return Err(Error::msg(format!(
                        "columns(): count={n}; a layout has 2 or 3 columns"
                    )))
                }
            },
        },
        "next_column" => Component::NextColumn,
        "end_columns" => Component::EndColumns,
        "table" => table(args, loc)?,
        other => return Err(Error::msg(format!("unknown component {other}()"))),
    })
}

/// `table(rows=…, columns=[keys], headers=[…], align=[…], money=[keys], dates=[keys])`:
/// rows are objects (cells picked by `columns`) or lists of cells. `money` and `dates` name
/// the columns formatted like the `currency` and `date(format="short")` filters.
fn table(args: &HashMap<String, Value>, loc: &FilterLocale) -> Result<Component> {
    let f = "table";
    let columns = list_arg(f, args, "columns")?;
    let headers = list_arg(f, args, "headers")?;
    let money = list_arg(f, args, "money")?;
    let dates = list_arg(f, args, "dates")?;
    let align = list_arg(f, args, "align")?
        .iter()
        .map(|a| match a.as_str() {
            "left" => Ok(Align::Left),
            "center" => Ok(Align::Center),
            "right" => Ok(Align::Right),
            other => Err(Error::msg(format!(
                "table(): align \"{other}\" is not left, center or right"
            ))),
        })
        .collect::<Result<Vec<_>>>()?;
    let rows = match args.get("rows") {
        Some(Value::Array(rows)) => rows,
        Some(other) => {
            return Err(Error::msg(format!(
                "table(): `rows` must be a list, got {other}"
            )))
        }
        None => {
            return Err(Error::msg(format!(
                "table(): the argument `rows` is missing (e.g. {})",
                example(f)
            )))
        }
    };
    let short = HashMap::from([("format".to_string(), Value::String("short".into()))]);
    let cell = |key: &str, v: &Value| -> Result<String> {
        if money.iter().any(|m| m == key) {
            return filters::currency(v, &HashMap::new(), loc)
                .map(|v| v.as_str().unwrap_or_default().to_string());
        }
        if dates.iter().any(|d| d == key) {
            return filters::date(v, &short, loc)
                .map(|v| v.as_str().unwrap_or_default().to_string());
        }
        Ok(match v {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        })
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(match row {
            Value::Object(o) if !columns.is_empty() => columns
                .iter()
                .map(|k| cell(k, o.get(k).unwrap_or(&Value::Null)))
                .collect::<Result<Vec<_>>>()?,
            Value::Object(_) => {
                return Err(Error::msg(
                    "table(): rows are objects, so name the cells with columns=[\"key\", …]",
                ))
            }
            Value::Array(cells) => cells
                .iter()
                .enumerate()
                .map(|(i, v)| cell(columns.get(i).map(String::as_str).unwrap_or(""), v))
                .collect::<Result<Vec<_>>>()?,
            other => vec![cell("", other)?],
        });
    }
    Ok(Component::Table {
        headers,
        rows: out,
        align,
    })
}

/// The buttons of a push field, taken out of its text: the field's text as shown, and the
/// buttons in order.
pub fn take_push_actions(text: &str) -> (String, Vec<Component>) {
    let mut shown = String::with_capacity(text.len());
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(PUSH_MARK_OPEN) {
        shown.push_str(&rest[..open]);
        let after = &rest[open + PUSH_MARK_OPEN.len_utf8()..];
        match after.find(PUSH_MARK_CLOSE) {
            Some(close) => {
                if let Ok(c) = Component::parse(&after[..close]) {
                    found.push(c);
                }
                rest = &after[close + PUSH_MARK_CLOSE.len_utf8()..];
            }
            None => {
                rest = after;
            }
        }
    }
    shown.push_str(rest);
    (shown, found)
}

/// What the rules say about the components of one rendered persona × locale:
/// - a button without a label, or whose URL is not https, is an error (every template);
/// - with the `accessibility` pack: a button whose text contrasts less than 4.5:1 with the
///   brand colour behind it (WCAG 2.x 1.4.3), a hero without alt text;
/// - a QR code (or printed button) whose URL differs from the email's link for the same action
///   (same label, or same `action`) is a warning: the reader of the letter lands elsewhere
///   than the reader of the email. `utm_*` parameters are ignored in the comparison.
pub fn findings(bundle: &TemplateBundle, set: &RenderSet) -> Vec<Diagnostic> {
    let manifest = &bundle.source.manifest;
    let accessibility = manifest.rule_packs.iter().any(|p| p == "accessibility");
    let file = |c: Channel| c.source_file(&set.locale, &manifest.default_locale);
    let mut email = Vec::new();
    let mut print = Vec::new();
    for o in &set.outputs {
        match &o.rendition {
            Some(Rendition::Email(e)) => email = e.components.clone(),
            Some(Rendition::Print(p)) => print = p.components.clone(),
            _ => {}
        }
    }
    let mut out = Vec::new();
    let at = |channel: Channel, needle: &str| -> (String, Option<u32>) {
        let f = file(channel);
        let line = bundle.source.files.get(&f).and_then(|text| {
            text.lines()
                .position(|l| !needle.is_empty() && l.contains(needle))
                .map(|i| i as u32 + 1)
        });
        (f, line)
    };
    for (channel, list) in [(Channel::Email, &email), (Channel::Print, &print)] {
        for c in list {
            match c {
                Component::Button { label, url, .. } => {
                    if label.trim().is_empty() {
                        let (f, line) = at(channel, url);
                        out.push(
                            Diagnostic::error(
                                channel,
                                codes::COMPONENT_BUTTON_LABEL,
                                format!("the button to {url} has no label"),
                            )
                            .at(f, line, None)
                            .hint("say what the button does: button(label=\"View your statement\", url=…)"),
                        );
                    }
                    if !is_https(url) {
                        let (f, line) = at(channel, url);
                        out.push(
                            Diagnostic::error(
                                channel,
                                codes::COMPONENT_BUTTON_URL,
                                format!("the button '{label}' links to '{url}', which is not an https:// URL"),
                            )
                            .at(f, line, None)
                            .hint("link buttons to https:// pages only"),
                        );
                    }
                }
                Component::Hero { image, alt, .. } if accessibility && alt.trim().is_empty() => {
                    let (f, line) = at(channel, image);
                    out.push(
                        Diagnostic::warning(
                            channel,
                            codes::COMPONENT_HERO_ALT,
                            format!("the hero image '{image}' has no alt text"),
                        )
                        .at(f, line, None)
                        .hint("describe the image: hero(image=…, alt=\"A hiker on a mountain trail\")"),
                    );
                }
                _ => {}
            }
        }
    }
    if accessibility && email.iter().any(|c| matches!(c, Component::Button { .. })) {
        let palette = Palette::from_brand(&bundle.brand.kit.colors, &mut Vec::new());
        let (text, ratio) = email_components::button_text_colour(&palette);
        if ratio < 4.5 {
            let (f, line) = at(Channel::Email, "button(");
            out.push(
                Diagnostic::warning(
                    Channel::Email,
                    codes::COMPONENT_BUTTON_CONTRAST,
                    format!(
                        "button text {text} on the brand colour {} contrasts {ratio:.2}:1; text needs at least 4.5:1",
                        palette.primary
                    ),
                )
                .at(f, line, None)
                .hint("choose a darker (or lighter) primary colour in the brand kit"),
            );
        }
    }
    let email_links: Vec<(&str, &str, &str)> = email
        .iter()
        .filter_map(|c| match c {
            Component::Button { label, url, action } => {
                Some((label.as_str(), action.as_str(), url.as_str()))
            }
            Component::Qr { label, url } => Some((label.as_str(), "", url.as_str())),
            _ => None,
        })
        .collect();
    for c in &print {
        let (label, action, url) = match c {
            Component::Button { label, url, action } => (label, action.as_str(), url),
            Component::Qr { label, url } => (label, "", url),
            _ => continue,
        };
        let same_action = email_links.iter().find(|(l, a, _)| {
            (!label.is_empty() && l.trim().eq_ignore_ascii_case(label.trim()))
                || (!action.is_empty() && *a == action)
        });
        if let Some((_, _, email_url)) = same_action {
            if without_utm(email_url) != without_utm(url) {
                let (f, line) = at(Channel::Print, url);
                out.push(
                    Diagnostic::warning(
                        Channel::Print,
                        codes::COMPONENT_QR_MISMATCH,
                        format!("the letter's QR code for '{label}' opens {url}, the email's link for it opens {email_url}"),
                    )
                    .at(f, line, None)
                    .hint("use one URL for one action in every channel (tracking parameters may differ)"),
                );
            }
        }
    }
    out
}

fn is_https(url: &str) -> bool {
    url.trim()
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("https://"))
        && url.trim().len() > 8
}

/// The URL without `utm_*` query parameters (campaign tracking may differ per channel).
fn without_utm(url: &str) -> String {
    let url = url.trim();
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.to_ascii_lowercase().starts_with("utm_"))
        .collect();
    if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera_for(channel: Channel, locale: &str) -> tera::Tera {
        let mut t = tera::Tera::default();
        let loc = FilterLocale::new(locale, if locale == "ja" { "JP" } else { "US" });
        register(&mut t, channel, &loc);
        t
    }

    fn render(channel: Channel, locale: &str, src: &str, ctx: &tera::Context) -> String {
        let mut t = tera_for(channel, locale);
        t.add_raw_template("x", src).unwrap();
        t.render("x", ctx).unwrap()
    }

    #[test]
    fn a_button_is_a_labelled_url_in_sms_and_a_marker_in_email() {
        let src = r#"{{ button(label="Shop the sale", url="https://n.example/s") }}"#;
        let ctx = tera::Context::new();
        assert_eq!(
            render(Channel::Sms, "en", src, &ctx),
            "Shop the sale: https://n.example/s"
        );
        let email = render(Channel::Email, "en", src, &ctx);
        assert!(
            email.contains("```ccm-component\n{\"kind\":\"button\""),
            "{email}"
        );
    }

    #[test]
    fn push_buttons_travel_to_the_payload_and_leave_their_label() {
        let src = r#"Your statement is ready. {{ button(label="View", url="https://b.example/app", action="VIEW") }}"#;
        let text = render(Channel::Push, "en", src, &tera::Context::new());
        let (shown, actions) = take_push_actions(&text);
        assert_eq!(shown, "Your statement is ready. View");
        assert!(matches!(&actions[..], [Component::Button { action, .. }] if action == "VIEW"));
    }

    #[test]
    fn tables_format_money_and_dates_and_align() {
        let mut ctx = tera::Context::new();
        ctx.insert(
            "lines",
            &serde_json::json!([
                {"date": "2026-12-01", "text": "振込", "amount": 12800},
                {"date": "2026-12-05", "text": "ATM", "amount": -5000}
            ]),
        );
        let src = r#"{{ table(rows=lines, columns=["date", "text", "amount"], headers=["日付", "内容", "金額"], align=["left", "left", "right"], money=["amount"], dates=["date"]) }}"#;
        let sms = render(Channel::Sms, "ja", src, &ctx);
        let lines: Vec<&str> = sms.lines().collect();
        assert_eq!(lines.len(), 4, "{sms}");
        assert!(lines[2].ends_with("¥12,800"), "{sms}");
        assert!(lines[3].ends_with(" -¥5,000"), "{sms}");
    }

    #[test]
    fn missing_arguments_name_the_function_and_the_argument() {
        let mut t = tera_for(Channel::Sms, "en");
        t.add_raw_template("x", r#"{{ button(label="x") }}"#)
            .unwrap();
        let err = t.render("x", &tera::Context::new()).unwrap_err();
        let chain = format!("{err:?}");
        assert!(
            chain.contains("button(): the argument `url` is missing"),
            "{chain}"
        );
    }

    #[test]
    fn utm_parameters_do_not_make_urls_differ() {
        assert_eq!(
            without_utm("https://a.example/s?utm_source=email&id=3"),
            without_utm("https://a.example/s?id=3&utm_source=print")
        );
        assert_ne!(
            without_utm("https://a.example/s"),
            without_utm("https://a.example/t")
        );
        assert!(is_https("https://a.example") && !is_https("http://a.example"));
    }

    #[test]
    fn columns_stack_in_sms() {
        let src = "{{ columns() }}Left{{ next_column() }}Right{{ end_columns() }}";
        assert_eq!(
            render(Channel::Sms, "en", src, &tera::Context::new()),
            "Left\nRight"
        );
    }
}
