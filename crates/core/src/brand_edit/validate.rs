//! Each part of an edit checked and applied to the kit; a value with a problem is reported and
//! the kit keeps its current value for it.

use std::collections::{BTreeMap, BTreeSet};

use super::{EditProblem, IdentityEdit, EMAIL_FONT_STACKS, PRINT_FONT_FAMILIES};
use crate::assets::AssetError;
use crate::format::is_valid_locale;
use crate::model::{BrandKit, BrandLocale, Contact, PostalAddress};

/// The longest voice guideline: one or two sentences, as the kit's file keeps them.
const MAX_VOICE_LINE: usize = 400;

pub(super) fn problem(field: &str, en: String, ja: String) -> EditProblem {
    EditProblem {
        field: field.to_owned(),
        en,
        ja,
    }
}

fn required(field: &str, label_en: &str, label_ja: &str) -> EditProblem {
    problem(
        field,
        format!("{label_en} is required"),
        format!("{label_ja}は必須です"),
    )
}

/// `#rrggbb` in upper case from `#rrggbb` or `#rgb` (any case, spaces around); `None` otherwise.
pub(super) fn normalize_hex(value: &str) -> Option<String> {
    let hex = value.trim().strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let full = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_owned(),
        _ => return None,
    };
    Some(format!("#{}", full.to_ascii_uppercase()))
}

pub(super) fn colors(
    kit: &mut BrandKit,
    edits: &BTreeMap<String, String>,
    problems: &mut Vec<EditProblem>,
) {
    for (role, value) in edits {
        let field = format!("colors.{role}");
        if role == "accent" && value.trim().is_empty() {
            kit.colors.accent = None;
            continue;
        }
        let slot = match role.as_str() {
            "primary" => &mut kit.colors.primary,
            "secondary" => &mut kit.colors.secondary,
            "text" => &mut kit.colors.text,
            "background" => &mut kit.colors.background,
            "muted" => &mut kit.colors.muted,
            "accent" => kit.colors.accent.get_or_insert_with(String::new),
            _ => {
                problems.push(problem(
                    &field,
                    format!("`{role}` is not a colour of a brand kit (primary, secondary, text, background, muted, accent)"),
                    format!("「{role}」はブランドキットの色ではありません（primary, secondary, text, background, muted, accent）"),
                ));
                continue;
            }
        };
        match normalize_hex(value) {
            // The same colour in another spelling keeps the file's spelling (no new version).
            Some(hex) if normalize_hex(slot).as_deref() == Some(hex.as_str()) => {}
            Some(hex) => *slot = hex,
            None if value.trim().is_empty() => problems.push(required(
                &field,
                &format!("the {role} colour"),
                &format!("色（{role}）"),
            )),
            None => problems.push(problem(
                &field,
                format!(
                    "`{}` is not a colour: write #rrggbb, e.g. #A61C48",
                    value.trim()
                ),
                format!(
                    "「{}」は色の指定ではありません。#A61C48 のように #rrggbb で入力してください",
                    value.trim()
                ),
            )),
        }
    }
    // An accent added with a bad value stays absent rather than empty.
    if kit.colors.accent.as_deref() == Some("") {
        kit.colors.accent = None;
    }
}

pub(super) fn email_font(kit: &mut BrandKit, stack: &str, problems: &mut Vec<EditProblem>) {
    let stack = stack.trim();
    if stack.is_empty() {
        kit.fonts.email = None;
    } else if kit.fonts.email.as_deref() == Some(stack)
        || EMAIL_FONT_STACKS.iter().any(|(_, s)| *s == stack)
    {
        kit.fonts.email = Some(stack.to_owned());
    } else {
        problems.push(problem(
            "fonts.email",
            format!("`{stack}` is not one of the email font stacks CCM Studio offers"),
            format!("「{stack}」は選択できるメール用フォントではありません"),
        ));
    }
}

pub(super) fn print_font(kit: &mut BrandKit, family: &str, problems: &mut Vec<EditProblem>) {
    let family = family.trim();
    if family.is_empty() {
        kit.fonts.print.clear();
    } else if kit.fonts.print.first().map(String::as_str) == Some(family) {
        // The kit's first choice stays; its fallbacks too.
    } else if PRINT_FONT_FAMILIES.contains(&family) {
        kit.fonts.print = vec![family.to_owned()];
    } else {
        problems.push(problem(
            "fonts.print",
            format!(
                "`{family}` is not a bundled print font; letters can be set in: {}",
                PRINT_FONT_FAMILIES.join(", ")
            ),
            format!(
                "「{family}」は同梱の印刷用フォントではありません。使用できるフォント: {}",
                PRINT_FONT_FAMILIES.join("、")
            ),
        ));
    }
}

pub(super) fn voice(kit: &mut BrandKit, lines: &[String], problems: &mut Vec<EditProblem>) {
    let mut kept = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.chars().count() > MAX_VOICE_LINE {
            problems.push(problem(
                &format!("voice.{i}"),
                format!(
                    "guideline {} is longer than {MAX_VOICE_LINE} characters: split it",
                    i + 1
                ),
                format!(
                    "ガイドライン {} が {MAX_VOICE_LINE} 文字を超えています。分けて書いてください",
                    i + 1
                ),
            ));
        }
        kept.push(line.to_owned());
    }
    kit.voice = kept;
}

pub(super) fn identities(
    kit: &mut BrandKit,
    current: &BrandKit,
    edits: &[IdentityEdit],
    problems: &mut Vec<EditProblem>,
) {
    let mut seen = BTreeSet::new();
    let mut locales = BTreeMap::new();
    let mut has_default = false;
    for edit in edits {
        let locale = edit.locale.trim();
        let at = |f: &str| format!("identities.{locale}.{f}");
        if !is_valid_locale(locale) {
            problems.push(problem(
                &format!("identities.{locale}"),
                format!("`{locale}` is not a locale tag such as ja, en or en-US"),
                format!("「{locale}」はロケール（ja、en、en-US など）ではありません"),
            ));
            continue;
        }
        if !seen.insert(locale.to_owned()) {
            problems.push(problem(
                &format!("identities.{locale}"),
                format!("locale {locale} is listed twice"),
                format!("ロケール {locale} が重複しています"),
            ));
            continue;
        }
        let lines: Vec<String> = edit
            .address_lines
            .iter()
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect();
        let country = edit.country.trim().to_owned();
        let two_letters = country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase());
        if !country.is_empty() && !two_letters {
            problems.push(problem(
                &at("country"),
                format!("country `{country}` must be a two-letter code such as JP or US"),
                format!("国「{country}」は JP、US のような 2 文字のコードで入力してください"),
            ));
        }
        if locale == kit.default_locale {
            has_default = true;
            let before = problems.len();
            if edit.name.trim().is_empty() {
                problems.push(required(&at("name"), "the name", "名称"));
            }
            if edit.legal_name.trim().is_empty() {
                problems.push(required(
                    &at("legal_name"),
                    "the legal name",
                    "正式名称（法人名）",
                ));
            }
            if lines.is_empty() {
                problems.push(required(&at("address"), "the postal address", "住所"));
            }
            if country.is_empty() {
                problems.push(required(&at("country"), "the country", "国"));
            }
            if problems.len() == before {
                // A `[locales.<default>]` entry overrides the kit's own values: keep it, edited.
                if current.locales.contains_key(locale) {
                    let entry = other_locale(current, locale, edit, lines.clone(), country.clone());
                    locales.insert(locale.to_owned(), entry);
                }
                kit.name = edit.name.trim().to_owned();
                kit.legal_name = edit.legal_name.trim().to_owned();
                kit.address = PostalAddress { lines, country };
            }
            continue;
        }
        locales.insert(
            locale.to_owned(),
            other_locale(current, locale, edit, lines, country),
        );
    }
    if !has_default {
        problems.push(problem(
            &format!("identities.{}", kit.default_locale),
            format!(
                "the kit's default locale {} must keep its name and address",
                kit.default_locale
            ),
            format!(
                "既定のロケール {} の名称と住所は削除できません",
                kit.default_locale
            ),
        ));
    }
    kit.locales = locales;
}

/// A non-default locale's entry: a value the editor showed unchanged keeps what the file had
/// (perhaps nothing: the fallback to the kit's own value); a changed value is written; an
/// emptied one falls back.
fn other_locale(
    current: &BrandKit,
    locale: &str,
    edit: &IdentityEdit,
    lines: Vec<String>,
    country: String,
) -> BrandLocale {
    let shown = current.identity(locale);
    let existing = current.locales.get(locale);
    let pick = |value: &str, shown: &str, existing: Option<&String>| -> Option<String> {
        let value = value.trim();
        if value == shown {
            existing.cloned()
        } else if value.is_empty() {
            None
        } else {
            Some(value.to_owned())
        }
    };
    let address = if lines == shown.address.lines
        && (country.is_empty() || country == shown.address.country)
    {
        existing.and_then(|l| l.address.clone())
    } else if lines.is_empty() {
        None
    } else {
        let country = if country.is_empty() {
            shown.address.country.clone()
        } else {
            country
        };
        Some(PostalAddress { lines, country })
    };
    BrandLocale {
        name: pick(
            &edit.name,
            &shown.name,
            existing.and_then(|l| l.name.as_ref()),
        ),
        legal_name: pick(
            &edit.legal_name,
            &shown.legal_name,
            existing.and_then(|l| l.legal_name.as_ref()),
        ),
        address,
    }
}

pub(super) fn contact(kit: &mut BrandKit, edit: &Contact, problems: &mut Vec<EditProblem>) {
    let before = problems.len();
    let phone = edit.phone.trim();
    let email = edit.email.trim();
    let website = edit.website.trim();
    if phone.is_empty() {
        problems.push(required("contact.phone", "the phone number", "電話番号"));
    }
    if email.is_empty() {
        problems.push(required(
            "contact.email",
            "the email address",
            "メールアドレス",
        ));
    } else if !email.contains('@') || email.contains(char::is_whitespace) {
        problems.push(problem(
            "contact.email",
            format!("`{email}` is not an email address"),
            format!("「{email}」はメールアドレスではありません"),
        ));
    }
    let url = |field: &str, value: &str, problems: &mut Vec<EditProblem>| {
        if !(value.starts_with("https://") || value.starts_with("http://"))
            || value.contains(char::is_whitespace)
        {
            problems.push(problem(
                field,
                format!("`{value}` is not a web address starting with https://"),
                format!("「{value}」は https:// で始まる URL ではありません"),
            ));
        }
    };
    if website.is_empty() {
        problems.push(required("contact.website", "the website", "ウェブサイト"));
    } else {
        url("contact.website", website, problems);
    }
    let optional = |field: &str, value: &Option<String>, problems: &mut Vec<EditProblem>| {
        let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty());
        if let Some(v) = value {
            url(field, v, problems);
        }
        value.map(str::to_owned)
    };
    let enquiries_url = optional("contact.enquiries_url", &edit.enquiries_url, problems);
    let opt_out_url = optional("contact.opt_out_url", &edit.opt_out_url, problems);
    if problems.len() == before {
        kit.contact = Contact {
            phone: phone.to_owned(),
            email: email.to_owned(),
            website: website.to_owned(),
            enquiries_url,
            opt_out_url,
        };
    }
}

pub(super) fn logo_problem(e: &AssetError) -> EditProblem {
    let ja = match e {
        AssetError::TooLarge { bytes, limit, .. } => {
            format!("ロゴのファイルが大きすぎます（{bytes} バイト、上限 {limit} バイト）")
        }
        AssetError::TooManyPixels {
            width,
            height,
            max_width,
            max_height,
            ..
        } => format!("ロゴの画素数が多すぎます（{width}×{height}、上限 {max_width}×{max_height}）"),
        AssetError::Unreadable { .. } => {
            "ロゴを画像として読み込めません（PNG または JPEG を選んでください）".to_owned()
        }
        AssetError::Encode(_) => "ロゴを PNG に変換できません".to_owned(),
    };
    problem("logo", e.to_string(), ja)
}
