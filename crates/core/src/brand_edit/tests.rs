use std::path::Path;

use super::*;
use crate::assets::tests::png;
use crate::format::{read_brand_dir, write_library};

fn sakura() -> Brand {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/brands/sakura-bank");
    read_brand_dir(&dir).unwrap()
}

fn colors(pairs: &[(&str, &str)]) -> BrandEdit {
    BrandEdit {
        colors: pairs
            .iter()
            .map(|(r, v)| ((*r).to_owned(), (*v).to_owned()))
            .collect(),
        ..BrandEdit::default()
    }
}

/// The editor's view of the kit's identities, as the app sends them back unchanged.
fn shown_identities(kit: &BrandKit) -> Vec<IdentityEdit> {
    kit.identity_locales()
        .into_iter()
        .map(|locale| {
            let id = kit.identity(&locale);
            IdentityEdit {
                locale,
                name: id.name,
                legal_name: id.legal_name,
                address_lines: id.address.lines,
                country: id.address.country,
            }
        })
        .collect()
}

fn fields(outcome: &EditOutcome) -> Vec<&str> {
    outcome.problems.iter().map(|p| p.field.as_str()).collect()
}

#[test]
fn an_edit_that_changes_nothing_keeps_every_file_byte_for_byte() {
    let brand = sakura();
    let kit = &brand.kit;
    let edit = BrandEdit {
        colors: [
            ("primary", kit.colors.primary.to_ascii_lowercase()),
            ("text", kit.colors.text.clone()),
        ]
        .into_iter()
        .map(|(r, v)| (r.to_owned(), v))
        .collect(),
        email_font: kit.fonts.email.clone(),
        print_font: kit.fonts.print.first().cloned(),
        voice: Some(kit.voice.clone()),
        identities: Some(shown_identities(kit)),
        contact: Some(kit.contact.clone()),
        logo: None,
    };
    let outcome = apply_edit(&brand, &edit);
    assert!(outcome.is_valid(), "{:?}", outcome.problems);
    assert!(!outcome.changed, "same colour in lower case is no change");
    assert_eq!(outcome.brand, brand);
}

#[test]
fn a_colour_change_rewrites_brand_toml_which_reads_back_and_survives_export_and_import() {
    let brand = sakura();
    let outcome = apply_edit(
        &brand,
        &colors(&[("primary", " #b0c "), ("muted", "#555555")]),
    );
    assert!(outcome.is_valid(), "{:?}", outcome.problems);
    assert!(outcome.changed);
    assert_eq!(
        outcome.brand.kit.colors.primary, "#BB00CC",
        "#rgb expands, upper case"
    );
    let text = std::str::from_utf8(&outcome.brand.files[BRAND_FILE]).unwrap();
    let parsed = parse_brand_kit(BRAND_FILE, text).unwrap();
    assert_eq!(parsed, outcome.brand.kit);
    assert_eq!(parsed.locales, brand.kit.locales, "other fields untouched");
    assert_eq!(
        outcome.brand.files["logo.png"], brand.files["logo.png"],
        "the logo is untouched"
    );

    let out = tempfile::tempdir().unwrap();
    write_library(out.path(), &[], &[], std::slice::from_ref(&outcome.brand)).unwrap();
    let back = read_brand_dir(&out.path().join("assets/brands/sakura-bank")).unwrap();
    assert_eq!(back, outcome.brand, "export → import gives the same files");
    assert_eq!(apply_edit(&back, &BrandEdit::default()).brand, back);
}

#[test]
fn bad_and_missing_colours_are_problems_and_keep_the_current_value() {
    let brand = sakura();
    let outcome = apply_edit(
        &brand,
        &colors(&[
            ("primary", "red"),
            ("text", ""),
            ("teal", "#000000"),
            ("muted", "#12345"),
        ]),
    );
    assert_eq!(
        fields(&outcome),
        [
            "colors.muted",
            "colors.primary",
            "colors.teal",
            "colors.text"
        ]
    );
    assert_eq!(outcome.brand.kit.colors, brand.kit.colors);
    assert!(!outcome.changed);
    assert!(outcome.problems[1].ja.contains("#rrggbb"));
}

#[test]
fn an_empty_accent_removes_it_and_a_new_one_adds_it() {
    let brand = sakura();
    assert!(brand.kit.colors.accent.is_some());
    let removed = apply_edit(&brand, &colors(&[("accent", "")]));
    assert!(removed.is_valid());
    assert_eq!(removed.brand.kit.colors.accent, None);
    let added = apply_edit(&removed.brand, &colors(&[("accent", "#00695c")]));
    assert_eq!(added.brand.kit.colors.accent.as_deref(), Some("#00695C"));
    let bad = apply_edit(&removed.brand, &colors(&[("accent", "nope")]));
    assert_eq!(
        bad.brand.kit.colors.accent, None,
        "a bad new accent stays absent"
    );
}

#[test]
fn identities_edit_per_locale_keeping_fallbacks_and_requiring_the_default() {
    let brand = sakura();
    let mut ids = shown_identities(&brand.kit);
    ids[1].legal_name = "Sakura Bank Limited".into();
    let outcome = apply_edit(
        &brand,
        &BrandEdit {
            identities: Some(ids.clone()),
            ..BrandEdit::default()
        },
    );
    assert!(outcome.is_valid(), "{:?}", outcome.problems);
    let en = &outcome.brand.kit.locales["en"];
    assert_eq!(en.legal_name.as_deref(), Some("Sakura Bank Limited"));
    assert_eq!(
        en.name, brand.kit.locales["en"].name,
        "unchanged name keeps the file's value"
    );
    assert_eq!(
        outcome.brand.kit.identity("en").address,
        brand.kit.identity("en").address
    );

    // A new locale, and the default one emptied.
    let mut more = ids.clone();
    more.push(IdentityEdit {
        locale: "zh-Hant".into(),
        name: "櫻花銀行".into(),
        legal_name: String::new(),
        address_lines: vec![],
        country: String::new(),
    });
    let added = apply_edit(
        &brand,
        &BrandEdit {
            identities: Some(more),
            ..BrandEdit::default()
        },
    );
    assert!(added.is_valid(), "{:?}", added.problems);
    assert_eq!(added.brand.kit.identity("zh-Hant").name, "櫻花銀行");
    assert_eq!(
        added.brand.kit.identity("zh-Hant").legal_name,
        brand.kit.legal_name
    );

    let mut emptied = ids.clone();
    emptied[0].legal_name = " ".into();
    emptied[0].address_lines = vec![String::new()];
    let bad = apply_edit(
        &brand,
        &BrandEdit {
            identities: Some(emptied),
            ..BrandEdit::default()
        },
    );
    assert_eq!(
        fields(&bad),
        ["identities.ja.legal_name", "identities.ja.address"]
    );
    assert_eq!(bad.brand.kit.legal_name, brand.kit.legal_name);

    let without_default = apply_edit(
        &brand,
        &BrandEdit {
            identities: Some(ids[1..].to_vec()),
            ..BrandEdit::default()
        },
    );
    assert_eq!(fields(&without_default), ["identities.ja"]);
}

#[test]
fn fonts_come_from_the_offered_sets_voice_lines_are_trimmed() {
    let brand = sakura();
    let serif = EMAIL_FONT_STACKS
        .iter()
        .find(|(id, _)| *id == "ja-serif")
        .unwrap()
        .1;
    let outcome = apply_edit(
        &brand,
        &BrandEdit {
            email_font: Some(serif.to_owned()),
            print_font: Some("Noto Sans JP".into()),
            voice: Some(vec![
                "  短く丁寧に。 ".into(),
                String::new(),
                "数字は半角。".into(),
            ]),
            ..BrandEdit::default()
        },
    );
    assert!(outcome.is_valid(), "{:?}", outcome.problems);
    assert_eq!(outcome.brand.kit.fonts.email.as_deref(), Some(serif));
    assert_eq!(outcome.brand.kit.voice, ["短く丁寧に。", "数字は半角。"]);

    let bad = apply_edit(
        &brand,
        &BrandEdit {
            email_font: Some("Comic Sans MS".into()),
            print_font: Some("Arial".into()),
            voice: Some(vec!["あ".repeat(401)]),
            ..BrandEdit::default()
        },
    );
    assert_eq!(fields(&bad), ["fonts.email", "fonts.print", "voice.0"]);
    assert!(
        bad.problems[1].en.contains("Noto Sans JP"),
        "names the bundled fonts"
    );
}

#[test]
fn contact_needs_phone_email_and_web_addresses() {
    let brand = sakura();
    let mut contact = brand.kit.contact.clone();
    contact.email = "support at example".into();
    contact.opt_out_url = Some("javascript:alert(1)".into());
    contact.phone = String::new();
    let outcome = apply_edit(
        &brand,
        &BrandEdit {
            contact: Some(contact),
            ..BrandEdit::default()
        },
    );
    assert_eq!(
        fields(&outcome),
        ["contact.phone", "contact.email", "contact.opt_out_url"]
    );
    assert_eq!(outcome.brand.kit.contact, brand.kit.contact);
}

#[test]
fn a_new_logo_is_scaled_stored_as_logo_png_and_its_ink_reported() {
    let brand = sakura();
    let outcome = apply_edit(
        &brand,
        &BrandEdit {
            logo: Some(png(2000, 500)),
            ..BrandEdit::default()
        },
    );
    assert!(outcome.is_valid(), "{:?}", outcome.problems);
    assert_eq!(outcome.new_logo_size, Some((1200, 300)));
    assert_eq!(outcome.brand.kit.logo, LOGO_FILE);
    assert_ne!(outcome.brand.files[LOGO_FILE], brand.files["logo.png"]);
    assert!(outcome.logo_ink.is_some());
    assert!(outcome.changed);
    // brand.toml is unchanged: the logo kept its name.
    assert_eq!(outcome.brand.files[BRAND_FILE], brand.files[BRAND_FILE]);
}

#[test]
fn a_bomb_or_garbage_logo_is_a_problem_and_leaves_the_kit_alone() {
    let brand = sakura();
    let mut bomb = png(1, 1);
    bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    for bytes in [bomb, b"not an image".to_vec()] {
        let outcome = apply_edit(
            &brand,
            &BrandEdit {
                logo: Some(bytes),
                ..BrandEdit::default()
            },
        );
        assert_eq!(fields(&outcome), ["logo"]);
        assert!(!outcome.problems[0].ja.is_empty());
        assert_eq!(outcome.brand.files, brand.files);
        assert!(
            outcome.logo_ink.is_some(),
            "the current logo is still checked"
        );
    }
}
