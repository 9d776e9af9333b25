//! A brand manager reviews the brand kits and shared blocks from the command line: what each
//! contains and which templates a change would touch (`ccm brands`, `ccm blocks`).

mod common;

use common::{ccm, json, library, ok};

#[test]
fn brands_list_and_one_kit_with_contrast_and_the_templates_it_touches() {
    let (_temp, lib) = library();
    let list = json(&ccm(&lib, &["--json", "brands"]));
    let sakura = list
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == "sakura-bank")
        .expect("the sample bank kit is listed");
    let count = sakura["templates"].as_u64().unwrap();
    assert!(count >= 4, "{sakura}");

    let kit = json(&ccm(&lib, &["--json", "brands", "sakura-bank"]));
    assert_eq!(kit["templates"].as_array().unwrap().len() as u64, count);
    let contrast = kit["contrast"].as_array().unwrap();
    let text = contrast
        .iter()
        .find(|c| c["pair"] == "text-on-background")
        .expect("text on background is reviewed");
    assert!(text["ratio"].as_f64().unwrap() >= 4.5 && text["aa_normal"] == true);

    let human = ccm(&lib, &["brands", "sakura-bank"]);
    ok(&human, "ccm brands sakura-bank");
    let out = String::from_utf8_lossy(&human.stdout);
    assert!(out.contains("株式会社さくら銀行"), "{out}");
    assert!(out.contains("jp-bank-payment-reminder"), "{out}");

    let unknown = ccm(&lib, &["brands", "no-such-kit"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no-such-kit"));
}

#[test]
fn blocks_list_their_languages_and_who_includes_them() {
    let (_temp, lib) = library();
    let blocks = json(&ccm(&lib, &["--json", "blocks"]));
    let footer = blocks
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "legal-footer")
        .expect("the legal footer is a shared block");
    let users = footer["used_by"].as_array().unwrap();
    assert!(
        users.iter().any(|u| u == "jp-bank-payment-reminder"),
        "{footer}"
    );
    assert!(footer["locales"].as_array().unwrap().contains(&"ja".into()));

    let one = json(&ccm(&lib, &["--json", "blocks", "legal-footer"]));
    assert_eq!(one["templates"].as_array().unwrap().len(), users.len());
    assert!(one["variants"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["content"].as_str().unwrap().contains("brand.legal_name")));

    let missing = ccm(&lib, &["blocks", "nope"]);
    assert!(!missing.status.success());
}
