use super::*;
use crate::format::{find_includes, parse_email, parse_print, parse_template, Envelope, PageSize};
use crate::model::TemplateSource;

fn opts(purpose: Purpose, locales: &[&str], channels: &[Channel]) -> StarterOptions {
    StarterOptions {
        id: "new-notice".into(),
        name: "New notice".into(),
        brand: "sakura-bank".into(),
        purpose,
        industry: "bank".into(),
        locales: locales.iter().map(|l| l.to_string()).collect(),
        channels: channels.to_vec(),
    }
}

fn parsed(o: &StarterOptions) -> TemplateSource {
    let files = starter_files(o).unwrap_or_else(|e| panic!("{o:?}: {e}"));
    parse_template(&files).unwrap_or_else(|errs| {
        panic!(
            "{o:?} does not parse:\n{}",
            errs.iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

const LOCALE_SETS: [&[&str]; 4] = [&["ja"], &["ja", "en"], &["en"], &["en", "ja"]];
const PURPOSES: [Purpose; 2] = [Purpose::Transactional, Purpose::Marketing];

/// Every channel subset (all 15 non-empty ones).
fn channel_sets() -> Vec<Vec<Channel>> {
    (1..16u8)
        .map(|bits| {
            Channel::ALL
                .into_iter()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .map(|(_, c)| c)
                .collect()
        })
        .collect()
}

#[test]
fn every_purpose_locale_and_channel_combination_parses() {
    let mut combinations = 0;
    for purpose in PURPOSES {
        for locales in LOCALE_SETS {
            for channels in channel_sets() {
                let o = opts(purpose, locales, &channels);
                let source = parsed(&o);
                let m = &source.manifest;
                assert_eq!(m.id, "new-notice");
                assert_eq!(m.purpose, purpose);
                assert_eq!(m.default_locale, locales[0]);
                assert_eq!(m.locales, o.locales);
                assert_eq!(m.channels, channels, "channels in canonical order");
                let expected_files = 1 + 2 + channels.len() * locales.len();
                assert_eq!(source.files.0.len(), expected_files, "{o:?}");
                combinations += 1;
            }
        }
    }
    assert_eq!(combinations, 2 * 4 * 15);
}

#[test]
fn two_personas_one_an_edge_case_with_the_optional_field_empty() {
    for purpose in PURPOSES {
        for locales in LOCALE_SETS {
            let source = parsed(&opts(purpose, locales, &Channel::ALL));
            let ids: Vec<&str> = source.personas.iter().map(|p| p.id.as_str()).collect();
            assert_eq!(ids, ["long-name", "typical"]);
            let (edge, typical) = (&source.personas[0], &source.personas[1]);
            assert!(edge.edge_case && !typical.edge_case);
            let note = match purpose {
                Purpose::Transactional => "notice.note",
                Purpose::Marketing => "offer.note",
            };
            let value = |p: &crate::model::Persona| {
                crate::format::lookup(&p.data, note)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            assert_eq!(
                value(edge).as_deref(),
                Some(""),
                "the edge case leaves {note} empty"
            );
            assert!(!value(typical).unwrap().is_empty());
            let name = |p: &crate::model::Persona| {
                crate::format::lookup(&p.data, "customer.name")
                    .and_then(|v| v.as_str())
                    .unwrap()
                    .chars()
                    .count()
            };
            assert!(
                name(edge) >= 2 * name(typical),
                "the edge case has a long name"
            );
            // Every declared variable has a value in every persona (required or not).
            for p in &source.personas {
                for v in &source.manifest.variables {
                    assert!(
                        crate::format::lookup(&p.data, &v.name).is_some(),
                        "{} lacks {}",
                        p.id,
                        v.name
                    );
                }
            }
        }
    }
}

#[test]
fn letters_follow_the_default_locale_s_country() {
    for (locales, page, envelope) in [
        (&["ja", "en"][..], PageSize::A4, Envelope::Naga3),
        (&["en", "ja"][..], PageSize::Letter, Envelope::Us10),
    ] {
        let source = parsed(&opts(Purpose::Transactional, locales, &Channel::ALL));
        for locale in locales {
            let path = Channel::Print.source_file(locale, locales[0]);
            let print = parse_print(&path, source.files.get(&path).unwrap()).unwrap();
            assert_eq!(print.meta.page, page, "{path}");
            assert_eq!(print.meta.envelope, envelope, "{path}");
            let honorific = print.meta.recipient.contains(" 様");
            assert_eq!(honorific, *locale == "ja", "{path}: 様 only in Japanese");
        }
    }
}

#[test]
fn legal_blocks_and_opt_out_follow_the_purpose() {
    for locales in LOCALE_SETS {
        for purpose in PURPOSES {
            let source = parsed(&opts(purpose, locales, &Channel::ALL));
            for locale in locales.iter() {
                let path = Channel::Email.source_file(locale, locales[0]);
                let text = source.files.get(&path).unwrap();
                let email = parse_email(&path, text).unwrap();
                let blocks: Vec<String> = find_includes(text)
                    .iter()
                    .filter_map(|i| i.block_name().map(str::to_owned))
                    .collect();
                match purpose {
                    Purpose::Marketing => {
                        assert!(email.meta.unsubscribe_url.is_some(), "{path}");
                        assert_eq!(blocks, ["optout"], "{path}");
                    }
                    Purpose::Transactional => {
                        assert!(email.meta.unsubscribe_url.is_none(), "{path}");
                        assert_eq!(blocks, ["no-reply"], "{path}");
                    }
                }
                let print = Channel::Print.source_file(locale, locales[0]);
                let blocks: Vec<String> = find_includes(source.files.get(&print).unwrap())
                    .iter()
                    .filter_map(|i| i.block_name().map(str::to_owned))
                    .collect();
                assert_eq!(blocks, ["legal-footer"], "{print}");
                let sms = source
                    .files
                    .get(&Channel::Sms.source_file(locale, locales[0]))
                    .unwrap();
                assert_eq!(
                    sms.contains("opt_out_url") || sms.contains("STOP"),
                    purpose == Purpose::Marketing,
                    "marketing SMS (only) says how to opt out: {sms}"
                );
            }
        }
    }
}

#[test]
fn rule_packs_match_market_purpose_and_channels() {
    let packs = |purpose, locales: &[&str], channels: &[Channel]| {
        parsed(&opts(purpose, locales, channels))
            .manifest
            .rule_packs
    };
    let always = ["accessibility", "deliverability", "brand"];
    assert_eq!(
        packs(Purpose::Transactional, &["ja", "en"], &Channel::ALL),
        always
    );
    assert_eq!(
        packs(Purpose::Marketing, &["ja"], &Channel::ALL),
        [
            "jp-tokutei-denshi-mail",
            "jp-keihyo",
            "bulk-sender",
            "accessibility",
            "deliverability",
            "brand"
        ]
    );
    assert_eq!(
        packs(Purpose::Marketing, &["en"], &Channel::ALL),
        [
            "us-can-spam",
            "us-tcpa-ctia-sms",
            "bulk-sender",
            "accessibility",
            "deliverability",
            "brand"
        ]
    );
    assert_eq!(
        packs(Purpose::Transactional, &["en"], &[Channel::Sms]),
        [
            "us-tcpa-ctia-sms",
            "accessibility",
            "deliverability",
            "brand"
        ]
    );
    assert_eq!(
        packs(
            Purpose::Marketing,
            &["ja"],
            &[Channel::Push, Channel::Print]
        ),
        ["jp-keihyo", "accessibility", "deliverability", "brand"]
    );
}

#[test]
fn postal_variables_only_with_a_letter() {
    let names = |channels: &[Channel], locales: &[&str]| -> Vec<String> {
        parsed(&opts(Purpose::Transactional, locales, channels))
            .manifest
            .variables
            .into_iter()
            .map(|v| v.name)
            .collect()
    };
    let without = names(&[Channel::Email, Channel::Sms], &["ja"]);
    assert!(
        !without.iter().any(|n| n.contains("address")),
        "{without:?}"
    );
    let with = names(&Channel::ALL, &["ja"]);
    assert!(
        with.contains(&"customer.postal_code".to_string()),
        "{with:?}"
    );
    let us = names(&Channel::ALL, &["en"]);
    assert!(us.contains(&"customer.zip".to_string()), "{us:?}");
}

#[test]
fn the_same_options_give_the_same_bytes_and_the_name_is_escaped() {
    let mut o = opts(Purpose::Marketing, &["ja", "en"], &Channel::ALL);
    o.name = "\"特別\" ご案内 \\ 2027".into();
    let a = starter_files(&o).unwrap();
    assert_eq!(a, starter_files(&o).unwrap());
    let source = parse_template(&a).unwrap();
    assert_eq!(source.manifest.name, "\"特別\" ご案内 \\ 2027");
    assert!(a
        .get(MANIFEST_FILE)
        .unwrap()
        .starts_with("id = \"new-notice\"\nname = \"\\\"特別\\\" ご案内 \\\\ 2027\"\n"));
}

#[test]
fn unusable_options_name_the_field_and_the_fix() {
    let base = opts(Purpose::Transactional, &["ja"], &Channel::ALL);
    let err_of = |f: &dyn Fn(&mut StarterOptions)| {
        let mut o = base.clone();
        f(&mut o);
        starter_files(&o).unwrap_err()
    };
    let cases: Vec<(Error, &str, &str)> = vec![
        (
            err_of(&|o| o.id = "New Notice".into()),
            "id: template id `New Notice`",
            "new-notice",
        ),
        (
            err_of(&|o| o.name = " ".into()),
            "name: the name is empty",
            "name people",
        ),
        (
            err_of(&|o| o.brand = "Sakura Bank".into()),
            "brand: `Sakura Bank`",
            "brand kit",
        ),
        (
            err_of(&|o| o.industry = "Banking & Finance".into()),
            "industry: industry `Banking & Finance`",
            "bank",
        ),
        (
            err_of(&|o| o.locales.clear()),
            "locales: no locale",
            "ja, en or both",
        ),
        (
            err_of(&|o| o.locales = vec!["fr".into()]),
            "locales: there is no starter copy in locale `fr`",
            "ja and/or en",
        ),
        (
            err_of(&|o| o.locales = vec!["ja".into(), "ja".into()]),
            "locales: locale `ja` is chosen twice",
            "once",
        ),
        (
            err_of(&|o| o.channels.clear()),
            "channels: no channel",
            "email, sms, push and print",
        ),
    ];
    for (err, message, hint) in cases {
        assert_eq!(err.code(), "invalid_input");
        assert!(err.to_string().starts_with(message), "{err} ≠ {message}");
        assert!(
            err.hint().contains(hint),
            "{}: hint {:?} lacks {hint}",
            err,
            err.hint()
        );
    }
}
