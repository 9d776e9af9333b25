//! A brand manager reviews the brand kits and shared blocks from the command line: what each
//! contains and which templates a change would touch (`ccm brands`, `ccm blocks`).

mod common;

use common::{ccm, ccm_as, json, library, ok, repo_root};

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

/// `ccm` as one person (their own identity folder).

#[test]
fn brands_set_edits_colours_voice_and_logo_with_the_contrast_table_and_fixes() {
    let (temp, lib) = library();
    let before = json(&ccm(&lib, &["--json", "brands", "sakura-bank"]));
    let version = before["version"].as_u64().unwrap();

    // A pale grey for small print: saved (nothing is approved), with a fix suggested.
    let voice = temp.path().join("voice.txt");
    std::fs::write(&voice, "丁寧で簡潔に。\n\n数字は半角で書く。\n").unwrap();
    let out = ccm(
        &lib,
        &[
            "brands",
            "set",
            "sakura-bank",
            "--color",
            "muted=#aaaaaa",
            "--voice-file",
            voice.to_str().unwrap(),
        ],
    );
    ok(&out, "brands set");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("muted-on-background") && text.contains("FAILS AA"),
        "{text}"
    );
    assert!(text.contains("suggestion: --color muted=#767676"), "{text}");
    assert!(
        text.contains(&format!("saved sakura-bank v{}", version + 1)),
        "{text}"
    );
    let after = json(&ccm(&lib, &["--json", "brands", "sakura-bank"]));
    assert_eq!(after["kit"]["colors"]["muted"], "#AAAAAA");
    assert_eq!(
        after["kit"]["voice"],
        serde_json::json!(["丁寧で簡潔に。", "数字は半角で書く。"])
    );

    // The same again changes nothing.
    let again = ccm(
        &lib,
        &["brands", "set", "sakura-bank", "--color", "muted=#AAAAAA"],
    );
    ok(&again, "brands set (same)");
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing to change"));

    // A bad colour and an unbundled font: refused, nothing saved.
    let bad = ccm(
        &lib,
        &[
            "brands",
            "set",
            "sakura-bank",
            "--color",
            "primary=crimson",
            "--font",
            "Arial",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("colors.primary") && err.contains("fonts.print"),
        "{err}"
    );
    let unchanged = json(&ccm(&lib, &["--json", "brands", "sakura-bank"]));
    assert_eq!(unchanged["version"], after["version"]);

    // A new logo is stored as logo.png; a file that is no image is refused.
    let logo = repo_root().join("assets/brands/northwind-outfitters/spring-sale-push.png");
    let out = ccm(
        &lib,
        &[
            "--json",
            "brands",
            "set",
            "sakura-bank",
            "--logo",
            logo.to_str().unwrap(),
        ],
    );
    ok(&out, "brands set --logo");
    let v = json(&out);
    assert_eq!(v["saved"]["version"].as_u64(), Some(version + 2), "{v}");
    let kit = json(&ccm(&lib, &["--json", "brands", "sakura-bank"]));
    assert_eq!(kit["kit"]["logo"], "logo.png");
    let not_image = ccm(
        &lib,
        &[
            "brands",
            "set",
            "sakura-bank",
            "--logo",
            voice.to_str().unwrap(),
        ],
    );
    assert_eq!(not_image.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&not_image.stderr).contains("logo"));

    // The edited kit exports and imports back unchanged.
    let out_dir = temp.path().join("export");
    ok(&ccm(&lib, &["export", out_dir.to_str().unwrap()]), "export");
    let other = temp.path().join("other.sqlite");
    ok(&ccm(&other, &["init"]), "init other");
    ok(
        &ccm(
            &other,
            &["import", out_dir.join("templates").to_str().unwrap()],
        ),
        "import export",
    );
    let there = json(&ccm(&other, &["--json", "brands", "sakura-bank"]));
    assert_eq!(there["hash"], kit["hash"], "export → import is byte-stable");
}

#[test]
fn brands_set_lists_the_approvals_it_makes_stale_and_needs_yes() {
    let temp = tempfile::tempdir().unwrap();
    let lib = temp.path().join("library.sqlite");
    let (aiko, hanako) = (temp.path().join("aiko"), temp.path().join("hanako"));
    let mut keys = Vec::new();
    for (who, name, role) in [
        (&aiko, "Aiko Designer", "designer"),
        (&hanako, "佐藤 花子", "compliance"),
    ] {
        let out = ccm_as(
            who,
            &lib,
            &["--json", "id", "init", "--name", name, "--role", role],
        );
        ok(&out, "id init");
        keys.push((
            name,
            role,
            json(&out)["public_key"].as_str().unwrap().to_owned(),
        ));
    }
    ok(&ccm_as(&aiko, &lib, &["import", "--samples"]), "import");
    for (name, role, key) in &keys {
        ok(
            &ccm_as(
                &aiko,
                &lib,
                &["team", "add", "--name", name, "--role", role, "--key", key],
            ),
            "team add",
        );
    }
    const ID: &str = "jp-bank-payment-reminder";
    ok(&ccm_as(&aiko, &lib, &["review", "submit", ID]), "submit");
    ok(
        &ccm_as(&hanako, &lib, &["review", "approve", ID]),
        "approve",
    );

    let set = ["brands", "set", "sakura-bank", "--color", "primary=#0B5394"];
    let out = ccm_as(&aiko, &lib, &set);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(ID) && err.contains("approved by"), "{err}");
    assert!(
        err.contains("email changes (") && err.contains("email.html"),
        "{err}"
    );
    assert!(err.contains("sms unchanged"), "{err}");
    assert!(err.contains("--yes"), "{err}");
    let status = json(&ccm_as(&aiko, &lib, &["--json", "review", "status", ID]));
    assert_eq!(status["state"], "approved", "nothing saved");

    let mut yes = set.to_vec();
    yes.push("--yes");
    let out = ccm_as(&aiko, &lib, &yes);
    ok(&out, "brands set --yes");
    let status = json(&ccm_as(&aiko, &lib, &["--json", "review", "status", ID]));
    assert_eq!(status["state"], "stale");
    assert_eq!(status["stale_reasons"][0]["input"], "brand");
}
