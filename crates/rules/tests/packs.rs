//! The built-in packs: they load, every rule proves itself with examples, and a typical
//! compliant template is clean while a non-compliant one gets its findings.

mod common;

use ccm_rules::examples::run_examples;
use ccm_rules::{check, Channel, Severity};
use std::collections::BTreeSet;

#[test]
fn builtin_packs_load_with_the_expected_ids() {
    let set = common::builtin();
    let ids: BTreeSet<String> = common::all_pack_ids(&set).into_iter().collect();
    for expected in [
        "jp-tokutei-denshi-mail",
        "jp-keihyo",
        "jp-yakki",
        "us-can-spam",
        "us-tcpa-ctia-sms",
        "bulk-sender",
        "accessibility",
        "deliverability",
        "brand",
        "data-safety",
    ] {
        assert!(
            ids.contains(expected),
            "pack {expected} missing from {ids:?}"
        );
    }
}

#[test]
fn every_builtin_rule_has_a_passing_and_a_failing_example() {
    let set = common::builtin();
    let mut missing = Vec::new();
    for pack in &set.packs {
        for rule in &pack.rules {
            let fails = rule.examples.iter().filter(|e| e.fail.is_some()).count();
            let passes = rule.examples.iter().filter(|e| e.pass.is_some()).count();
            if fails == 0 || passes == 0 {
                missing.push(format!("{} (pass {passes}, fail {fails})", rule.id));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "rules without both examples: {missing:#?}"
    );
}

#[test]
fn every_builtin_example_behaves_as_it_says() {
    let failures = run_examples(&common::builtin());
    let text: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert!(text.is_empty(), "{}", text.join("\n"));
}

#[test]
fn every_rule_cites_and_speaks_both_languages() {
    for pack in &common::builtin().packs {
        for rule in &pack.rules {
            assert!(
                rule.citation.as_deref().is_some_and(|c| !c.is_empty()),
                "{} has no citation",
                rule.id
            );
            assert!(
                !rule.message_ja.is_empty() && !rule.message_en.is_empty(),
                "{}",
                rule.id
            );
        }
    }
}

#[test]
fn typical_compliant_japanese_template_has_no_errors() {
    let set = common::builtin();
    let packs = ["jp-tokutei-denshi-mail", "jp-keihyo", "jp-yakki"];
    let input = common::typical_input(packs.iter().map(|p| p.to_string()).collect());
    let findings = check(&set, &input).expect("packs exist");
    let errors: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| {
            format!(
                "{} {:?}.{:?} {}",
                f.code, f.channel, f.rendition, f.message.en
            )
        })
        .collect();
    assert!(errors.is_empty(), "false positives:\n{}", errors.join("\n"));
}

#[test]
fn non_compliant_template_gets_its_findings_with_spans_and_sources() {
    let set = common::builtin();
    let mut input = common::typical_input(common::all_pack_ids(&set));
    let email = &mut input.channels[0];
    let html = email.fields[2].value.clone();
    // Drop the footer's legal items, add a yakki claim, an image without alt and pale green
    // text (low contrast, and not a brand colour nor a tint of one).
    let cut_from = html.find("<p>発行").unwrap();
    let cut_to = html.find("</td></tr></table>").unwrap();
    let broken = format!(
        "{}<p style=\"color:#aac0aa\">飲むだけでシミが消える！ 詳しくは https://bit.ly/x1 <img src=\"a.png\"></p>{}",
        &html[..cut_from],
        &html[cut_to..]
    );
    email.fields[2].value = broken.clone();
    email.fields[4].value = String::new(); // no List-Unsubscribe headers
    let findings = check(&set, &input).unwrap();
    let email_rules: BTreeSet<&str> = findings
        .iter()
        .filter(|f| f.channel == Some(Channel::Email))
        .map(|f| f.code.as_str())
        .collect();
    for expected in [
        "jp-tokutei-denshi-mail/legal-name",
        "jp-tokutei-denshi-mail/opt-out-address",
        "jp-tokutei-denshi-mail/postal-address",
        "jp-tokutei-denshi-mail/complaint-contact",
        "jp-yakki/spots-disappear",
        "bulk-sender/list-unsubscribe",
        "bulk-sender/list-unsubscribe-post",
        "bulk-sender/visible-unsubscribe",
        "accessibility/image-alt",
        "accessibility/text-contrast",
        "deliverability/url-shortener",
        "brand/palette",
    ] {
        assert!(
            email_rules.contains(expected),
            "{expected} not found in {email_rules:?}"
        );
    }
    let yakki = findings
        .iter()
        .find(|f| f.code == "jp-yakki/spots-disappear")
        .unwrap();
    let span = yakki
        .rendition
        .as_ref()
        .unwrap()
        .span
        .expect("phrase findings carry a span");
    assert_eq!(&broken[span.start..span.end], "シミが消え");
    assert_eq!(yakki.severity, Severity::Error);
    assert!(
        yakki.message.ja.contains("「シミが消え」"),
        "{}",
        yakki.message.ja
    );
    assert!(yakki
        .hint
        .as_ref()
        .unwrap()
        .ja
        .contains("日焼けによるシミ・ソバカスを防ぐ"));
    assert_eq!(yakki.pack(), Some("jp-yakki"));
    // The phrase sits where the source map says the legal-footer block was rendered.
    assert_eq!(
        (yakki.file.as_deref(), yakki.line),
        (Some("_blocks/legal-footer.ja.md"), Some(1))
    );
    // Findings outside the mapped range fall back to the field's own source file.
    let alt = findings
        .iter()
        .find(|f| {
            f.code == "accessibility/image-alt"
                && f.rendition
                    .as_ref()
                    .and_then(|r| r.span)
                    .is_some_and(|s| s.start < cut_from)
        })
        .or_else(|| {
            findings
                .iter()
                .find(|f| f.code == "bulk-sender/list-unsubscribe")
        })
        .unwrap();
    assert!(alt.file.is_some());
}

#[test]
fn transactional_template_skips_marketing_only_rules() {
    let set = common::builtin();
    let mut input = common::typical_input(common::all_pack_ids(&set));
    input.purpose = ccm_rules::Purpose::Transactional;
    input.channels[0].fields.retain(|f| f.name != "headers");
    let findings = check(&set, &input).unwrap();
    assert!(
        !findings
            .iter()
            .any(|f| f.pack() == Some("bulk-sender") || f.pack() == Some("jp-tokutei-denshi-mail")),
        "{findings:#?}"
    );
}

#[test]
fn source_map_gives_file_and_line() {
    let set = common::builtin();
    let mut input = common::typical_input(vec!["jp-keihyo".into()]);
    let html = &mut input.channels[0].fields[2].value;
    let at = html.find("発行").unwrap();
    html.insert_str(at, "業界No.1の");
    let findings = check(&set, &input).unwrap();
    let f = findings
        .iter()
        .find(|f| f.code == "jp-keihyo/no1-superlative")
        .expect("superlative found");
    assert_eq!(f.file.as_deref(), Some("_blocks/legal-footer.ja.md"));
    assert_eq!(f.line, Some(1));
}

#[test]
fn findings_are_deterministic() {
    let set = common::builtin();
    let input = common::typical_input(common::all_pack_ids(&set));
    let a = serde_json::to_string(&check(&set, &input).unwrap()).unwrap();
    let b = serde_json::to_string(&check(&set, &input).unwrap()).unwrap();
    assert_eq!(a, b);
}
