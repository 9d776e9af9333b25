//! Cross-channel consistency through the real binary: a sample template's SMS edited by hand
//! to state another date, amount or link (Japanese and English formats) is an error naming
//! both channels; the same values written in other equal forms give no finding.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{ccm, json, repo_root};
use serde_json::Value;

/// A copy of the sample templates and assets, so channel files can be edited.
fn samples() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    for dir in ["templates", "assets"] {
        copy_dir(&repo_root().join(dir), &temp.path().join(dir));
    }
    let lib = temp.path().join("library.sqlite");
    (temp, lib)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `ccm check --dir` of one template (typical persona, one locale) with the SMS file replaced:
/// its consistency findings.
fn check_with_sms(template: &str, locale: &str, sms: &str) -> Vec<Value> {
    let (temp, lib) = samples();
    let dir = temp.path().join("templates").join(template);
    let file = if locale == "ja" {
        "sms.txt"
    } else {
        "sms.en.txt"
    };
    fs::write(dir.join(file), sms).unwrap();
    let out = ccm(
        &lib,
        &[
            "check",
            "--dir",
            dir.to_str().unwrap(),
            "--persona",
            "typical",
            "--locale",
            locale,
            "--format",
            "json",
        ],
    );
    let report = json(&out);
    report["templates"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"].as_str().unwrap().starts_with("consistency/"))
        .cloned()
        .collect()
}

fn assert_one_conflict_naming_both(found: &[Value], value: &str, other_file: &str) {
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["code"], "consistency/conflict");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["channel"], "sms");
    let message = f["message"]["en"].as_str().unwrap();
    assert!(
        message.contains(value) && message.contains("SMS"),
        "{message}"
    );
    assert!(f["line"].as_u64().is_some(), "{f:#}");
    let related = &f["related"];
    assert_eq!(related["file"], other_file, "{f:#}");
    // A value written by the brand's email layout (the footer's phone number) has a file but
    // no source line; values from the template's own lines have both.
    assert!(
        related["line"].as_u64().is_some() || value.starts_with("0120"),
        "{f:#}"
    );
    assert_ne!(related["channel"], "sms");
    assert!(
        message.contains(related["rendition"]["excerpt"].as_str().unwrap()),
        "{message}"
    );
}

const REMINDER: &str = "jp-bank-payment-reminder";

#[test]
fn another_date_or_amount_in_the_sms_is_an_error_naming_both_channels() {
    let found = check_with_sms(
        REMINDER,
        "ja",
        "【さくら銀行】2026/12/11にカードご利用代金{{ amount | currency }}をお引き落としします。",
    );
    assert_one_conflict_naming_both(&found, "2026/12/11", "email.md");
    assert!(found[0]["message"]["en"]
        .as_str()
        .unwrap()
        .contains("2026年12月10日(木)"));

    let found = check_with_sms(
        REMINDER,
        "ja",
        "【さくら銀行】12月10日(木)にカードご利用代金48,320円をお引き落としします。",
    );
    assert_one_conflict_naming_both(&found, "48,320円", "email.md");

    let found = check_with_sms(
        REMINDER,
        "en",
        "Sakura Bank: your card payment of JPY 48,230 will be debited on Dec 11, 2026.",
    );
    assert_one_conflict_naming_both(&found, "Dec 11, 2026", "email.en.md");

    let found = check_with_sms(
        REMINDER,
        "en",
        "Sakura Bank: your card payment of ¥48,203 will be debited on 12/10/2026.",
    );
    assert_one_conflict_naming_both(&found, "¥48,203", "email.en.md");
}

#[test]
fn the_same_date_and_amount_in_other_forms_give_no_finding() {
    for (locale, sms) in [
        (
            "ja",
            "【さくら銀行】2026年12月10日にカードご利用代金48,230円をお引き落としします。",
        ),
        (
            "ja",
            "【さくら銀行】１２月１０日（木）にカードご利用代金JPY 48230をお引き落としします。",
        ),
        (
            "en",
            "Sakura Bank: your card payment of JPY 48,230 will be debited on December 10, 2026.",
        ),
        (
            "en",
            "Sakura Bank: your card payment of 48,230 yen will be debited on 10 Dec 2026.",
        ),
    ] {
        let found = check_with_sms(REMINDER, locale, sms);
        assert!(found.is_empty(), "{sms}: {found:#?}");
    }
}

#[test]
fn another_phone_number_in_the_sms_is_an_error_and_other_forms_are_not() {
    const UPDATE: &str = "jp-bank-account-update";
    let original =
        fs::read_to_string(repo_root().join("templates").join(UPDATE).join("sms.txt")).unwrap();
    assert!(original.contains("{{ brand.phone }}"));
    let found = check_with_sms(
        UPDATE,
        "ja",
        &original.replace("{{ brand.phone }}", "0120-000-318"),
    );
    assert_one_conflict_naming_both(&found, "0120-000-318", "email.md");
    for same in ["+81 120-000-381", "０１２０－０００－３８１", "0120000381"] {
        let found = check_with_sms(UPDATE, "ja", &original.replace("{{ brand.phone }}", same));
        assert!(found.is_empty(), "{same}: {found:#?}");
    }
}

#[test]
fn a_link_to_another_host_is_an_error_and_tracking_parameters_are_not() {
    const RECALL: &str = "jp-cosme-product-recall";
    let original =
        fs::read_to_string(repo_root().join("templates").join(RECALL).join("sms.txt")).unwrap();
    let url = "https://hanamizuki.example.jp/notice/recall-2026";
    assert!(original.contains(url));
    let found = check_with_sms(
        RECALL,
        "ja",
        &original.replace(url, "https://hanamizuki.example.com/notice/recall-2026"),
    );
    assert_one_conflict_naming_both(&found, "hanamizuki.example.com", "email.md");
    let found = check_with_sms(
        RECALL,
        "ja",
        &original.replace(
            url,
            "HTTPS://Hanamizuki.example.jp/notice/recall-2026/?utm_source=sms&utm_campaign=recall",
        ),
    );
    assert!(found.is_empty(), "{found:#?}");
}
