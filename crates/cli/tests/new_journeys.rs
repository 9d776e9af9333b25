//! `ccm new` through the real binary on the bundled sample library: a starter for each
//! purpose and market checks clean under its own rule packs and renders every channel; a copy
//! keeps the original's files; an id that is taken, a bad id and an unknown brand are refused
//! with the problem and the fix.

mod common;

use common::{ccm, json, library, ok};
use serde_json::Value;

#[test]
fn a_starter_for_each_purpose_and_market_checks_clean_and_renders_every_channel() {
    let (temp, lib) = library();
    let cases = [
        ("jp-new-notice", "sakura-bank", "transactional", "ja,en"),
        ("jp-new-campaign", "tsubame-mobile", "marketing", "ja,en"),
        (
            "us-new-notice",
            "northwind-outfitters",
            "transactional",
            "en,ja",
        ),
        ("us-new-campaign", "northwind-outfitters", "marketing", "en"),
    ];
    for (id, brand, purpose, locales) in cases {
        let out_dir = temp.path().join("project");
        let out = ccm(
            &lib,
            &[
                "new",
                id,
                "--name",
                "新しいテンプレート",
                "--brand",
                brand,
                "--purpose",
                purpose,
                "--locales",
                locales,
                "--out",
                out_dir.to_str().unwrap(),
                "--json",
            ],
        );
        ok(&out, &format!("ccm new {id}"));
        let report = json(&out);
        assert_eq!(report["id"], id);
        assert_eq!(report["version"], 1);
        assert!(report["from"].is_null());
        let next: Vec<&str> = report["next"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert!(
            next.contains(&format!("ccm check {id}").as_str()),
            "{next:?}"
        );
        let folder = out_dir.join("templates").join(id);
        assert!(
            folder.join("template.toml").is_file(),
            "--out wrote {}",
            folder.display()
        );

        // Zero error-level findings under the packs the starter declares, every locale.
        let check = ccm(&lib, &["check", id, "--format", "json"]);
        let report = json(&check);
        let findings = report["templates"][0]["findings"].as_array().unwrap();
        let errors: Vec<&Value> = findings
            .iter()
            .filter(|f| f["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{id}: {errors:#?}");
        assert_eq!(check.status.code(), Some(0), "ccm check {id} exits 0");
        let renders = report["templates"][0]["renders"].as_array().unwrap().len();
        let locale_count = locales.split(',').count();
        assert_eq!(
            renders,
            2 * locale_count,
            "{id}: both personas in every locale"
        );

        // The folder written with --out checks the same without the library.
        let check_dir = ccm(&lib, &["check", "--dir", folder.to_str().unwrap()]);
        ok(&check_dir, &format!("ccm check --dir {}", folder.display()));

        // Every channel renders to files for both personas.
        let render_dir = temp.path().join("render").join(id);
        let render = ccm(&lib, &["render", id, "--out", render_dir.to_str().unwrap()]);
        ok(&render, &format!("ccm render {id}"));
        for persona in ["typical", "long-name"] {
            for artifact in [
                "email.html",
                "email.eml",
                "sms.txt",
                "push.apns.json",
                "push.fcm.json",
                "print.pdf",
                "print-1.png",
                "report.json",
            ] {
                let path = render_dir.join(persona).join(artifact);
                let len = std::fs::metadata(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                    .len();
                assert!(len > 0, "{} is empty", path.display());
            }
        }
        let eml = std::fs::read_to_string(render_dir.join("typical/email.eml")).unwrap();
        assert_eq!(
            eml.contains("List-Unsubscribe:"),
            purpose == "marketing",
            "{id}: a List-Unsubscribe header exactly for marketing email"
        );
    }
}

/// Every purpose × locale choice, for a Japanese and a US brand, and a few channel subsets:
/// not one error-level finding (render failures count as errors) in any persona × locale.
#[test]
fn every_starter_combination_passes_the_rule_packs_it_declares() {
    let (_t, lib) = library();
    let mut ids = Vec::new();
    for purpose in ["transactional", "marketing"] {
        for locales in ["ja", "ja,en", "en", "en,ja"] {
            for brand in ["sakura-bank", "northwind-outfitters"] {
                for channels in ["email,sms,push,print", "sms", "email,print"] {
                    let id = format!(
                        "c{}-{purpose}-{}-{brand}",
                        ids.len(),
                        locales.replace(',', "-")
                    );
                    let out = ccm(
                        &lib,
                        &[
                            "new",
                            &id,
                            "--name",
                            &id,
                            "--brand",
                            brand,
                            "--purpose",
                            purpose,
                            "--locales",
                            locales,
                            "--channels",
                            channels,
                        ],
                    );
                    ok(&out, &format!("ccm new {id}"));
                    ids.push(id);
                }
            }
        }
    }
    let report = json(&ccm(&lib, &["check", "--all", "--format", "json"]));
    let mut checked = 0;
    for t in report["templates"].as_array().unwrap() {
        let id = t["template"].as_str().unwrap();
        if !ids.iter().any(|i| i == id) {
            continue;
        }
        checked += 1;
        let errors: Vec<&Value> = t["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{id}: {errors:#?}");
        assert!(
            !t["renders"].as_array().unwrap().is_empty(),
            "{id} rendered"
        );
    }
    assert_eq!(checked, ids.len(), "every starter was checked");
}

#[test]
fn the_same_id_twice_is_refused_with_the_fix_and_stores_nothing() {
    let (_t, lib) = library();
    let new = |id: &str| {
        ccm(
            &lib,
            &[
                "new",
                id,
                "--name",
                "Notice",
                "--brand",
                "sakura-bank",
                "--industry",
                "bank",
            ],
        )
    };
    ok(&new("fresh-notice"), "the first ccm new");
    for id in ["fresh-notice", "jp-bank-welcome"] {
        let again = new(id);
        assert_eq!(again.status.code(), Some(1), "{id}");
        let stderr = String::from_utf8_lossy(&again.stderr);
        assert!(
            stderr.contains(&format!(
                "error: template '{id}' already exists in the library"
            )),
            "{stderr}"
        );
        assert!(stderr.contains("hint: choose another id"), "{stderr}");
        let history = json(&ccm(&lib, &["history", id, "--json"]));
        assert_eq!(
            history.as_array().unwrap().len(),
            1,
            "{id} gained no version"
        );
    }
    let json_err = json(&ccm(
        &lib,
        &[
            "new",
            "fresh-notice",
            "--name",
            "x",
            "--brand",
            "sakura-bank",
            "--json",
        ],
    ));
    assert_eq!(json_err["error"]["code"], "already_exists");
}

#[test]
fn bad_ids_unknown_brands_and_unusable_choices_say_what_to_do() {
    let (temp, lib) = library();
    let stderr = |args: &[&str]| {
        let out = ccm(&lib, args);
        assert!(!out.status.success(), "{args:?} should fail");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = stderr(&[
        "new",
        "Spring Sale",
        "--name",
        "Spring Sale",
        "--brand",
        "sakura-bank",
    ]);
    assert!(
        e.contains("template id `Spring Sale` may only use lowercase letters"),
        "{e}"
    );
    assert!(e.contains("try `spring-sale`"), "{e}");

    let e = stderr(&["new", "x-notice", "--name", "x", "--brand", "sakura-bnak"]);
    assert!(
        e.contains("brand `sakura-bnak` is not in the library"),
        "{e}"
    );
    assert!(e.contains("sakura-bank") && e.contains("ccm import"), "{e}");

    let e = stderr(&["new", "x-notice", "--name", "x"]);
    assert!(e.contains("choose a brand with --brand"), "{e}");
    assert!(e.contains("northwind-outfitters"), "{e}");

    let e = stderr(&[
        "new",
        "x-notice",
        "--name",
        "x",
        "--brand",
        "sakura-bank",
        "--locales",
        "ja,fr",
    ]);
    assert!(e.contains("no starter copy in locale `fr`"), "{e}");

    let taken = temp.path().join("project/templates/x-notice");
    std::fs::create_dir_all(&taken).unwrap();
    let e = stderr(&[
        "new",
        "x-notice",
        "--name",
        "x",
        "--brand",
        "sakura-bank",
        "--out",
        temp.path().join("project").to_str().unwrap(),
    ]);
    assert!(e.contains("x-notice already exists"), "{e}");
    let list = json(&ccm(&lib, &["list", "--json"]));
    assert!(
        !list
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == "x-notice"),
        "nothing was created by the failed attempts"
    );
}

#[test]
fn a_copy_keeps_every_file_but_the_manifest_byte_for_byte() {
    let (_t, lib) = library();
    let out = ccm(
        &lib,
        &[
            "new",
            "jp-bank-fraud-alert-2027",
            "--name",
            "不正利用の疑いのお知らせ（2027年版）",
            "--from",
            "jp-bank-fraud-alert",
            "--json",
        ],
    );
    ok(&out, "ccm new --from");
    assert_eq!(json(&out)["from"], "jp-bank-fraud-alert");
    let original = json(&ccm(&lib, &["show", "jp-bank-fraud-alert", "--json"]));
    let copy = json(&ccm(&lib, &["show", "jp-bank-fraud-alert-2027", "--json"]));
    let (a, b) = (
        original["files"].as_object().unwrap(),
        copy["files"].as_object().unwrap(),
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, text) in a {
        if path != "template.toml" {
            assert_eq!(&b[path], text, "{path}");
        }
    }
    let manifest = b["template.toml"].as_str().unwrap();
    assert!(manifest.starts_with(
        "id = \"jp-bank-fraud-alert-2027\"\nname = \"不正利用の疑いのお知らせ（2027年版）\"\n"
    ));
    ok(
        &ccm(&lib, &["check", "jp-bank-fraud-alert-2027"]),
        "ccm check of the copy",
    );
}
