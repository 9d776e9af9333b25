//! A designer edits a template in a folder, re-imports it and asks what changed (`ccm diff`);
//! and counts an SMS the way an SMS calculator does (`ccm sms`).

mod common;

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};

use common::{ccm, json, ok};

#[test]
fn diff_shows_what_an_edit_changed_between_versions() {
    // The starter uses a sample brand kit, so start from the sample library.
    let (temp, lib) = common::library();
    let work = temp.path().join("work");
    ok(
        &ccm(
            &lib,
            &[
                "new",
                "limit-notice",
                "--name",
                "Limit notice",
                "--brand",
                "northwind-outfitters",
                "--locales",
                "en",
                "--out",
                work.to_str().unwrap(),
            ],
        ),
        "ccm new",
    );
    let sms = work.join("templates/limit-notice/sms.txt");
    fs::write(&sms, "{{ brand.name }}: your card limit is now higher.\n").unwrap();
    ok(&ccm(&lib, &["import", work.to_str().unwrap()]), "re-import");

    let out = ccm(&lib, &["diff", "limit-notice"]);
    ok(&out, "ccm diff");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("--- v1/sms.txt\n+++ v2/sms.txt\n@@ -1,1 +1,1 @@\n-"),
        "{text}"
    );
    assert!(
        text.contains("\n+{{ brand.name }}: your card limit is now higher.\n"),
        "{text}"
    );

    let diffs = json(&ccm(&lib, &["--json", "diff", "limit-notice", "1", "2"]));
    assert_eq!(diffs[0]["path"], "sms.txt");
    assert_eq!(diffs[0]["status"], "changed");

    let same = ccm(&lib, &["diff", "limit-notice", "2", "2"]);
    ok(&same, "diff of a version with itself");
    assert!(String::from_utf8_lossy(&same.stdout).contains("have the same files"));

    let missing = ccm(&lib, &["diff", "limit-notice", "1", "7"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("ccm history"));
}

#[test]
fn sms_counts_text_from_an_argument_or_standard_input() {
    let temp = tempfile::tempdir().unwrap();
    let lib = temp.path().join("library.sqlite");
    let out = ccm(&lib, &["--json", "sms", "Price: 5€ {ok}"]);
    ok(&out, "ccm sms");
    let a = json(&out);
    assert_eq!(a["encoding"], "GSM-7");
    assert_eq!(a["units"], 17, "€ and braces cost two septets each");
    assert!(!lib.exists(), "counting an SMS never creates a library");

    let mut child = Command::new(env!("CARGO_BIN_EXE_ccm"))
        .args(["--json", "sms", "--locale", "ja"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("あ".repeat(71).as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    ok(&out, "ccm sms from stdin");
    let a = json(&out);
    assert_eq!(
        (a["encoding"].as_str(), a["segments"].as_u64()),
        (Some("UCS-2"), Some(2))
    );
    assert_eq!(a["parts"][0]["units"], 67);
}
