//! `ccm` as installed (`cargo install --path crates/cli`): from an empty directory, with no
//! CCM_RULES, everything it needs is built in — its version and build, the rule packs, the
//! sample library. (scripts/test-installed.sh runs the same with the checkout hidden.)

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{json, ok};

/// The real binary, run from `cwd` (never the checkout) with no rule or sample folders named.
fn ccm_in(cwd: &Path, library: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccm"))
        .args(args)
        .current_dir(cwd)
        .env("CCM_LIBRARY", library)
        .env("CCM_TODAY", "2026-11-23")
        .env_remove("CCM_RULES")
        .env_remove("CCM_SAMPLES")
        .env("LANG", "C")
        .output()
        .expect("ccm runs")
}

#[test]
fn version_names_the_build_and_is_the_same_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library.sqlite");
    let out = ccm_in(dir.path(), &lib, &["--version"]);
    ok(&out, "ccm --version");
    let line = String::from_utf8_lossy(&out.stdout).into_owned();
    let prefix = format!("ccm {} (build ", env!("CARGO_PKG_VERSION"));
    assert!(
        line.starts_with(&prefix) && line.ends_with(")\n"),
        "{line:?}"
    );
    let commit = &line[prefix.len()..line.len() - 2];
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "a 12-digit commit or unknown: {commit:?}"
    );
    assert_eq!(ccm_in(dir.path(), &lib, &["--version"]).stdout, out.stdout);
}

#[test]
fn an_empty_directory_gets_the_bundled_samples_and_checks_them_with_the_bundled_packs() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library.sqlite");
    ok(&ccm_in(dir.path(), &lib, &["init"]), "ccm init");
    let import = ccm_in(dir.path(), &lib, &["--json", "import", "--samples"]);
    ok(&import, "ccm import --samples");
    let report = json(&import);
    let templates = report["created"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "template")
        .count();
    assert!(templates >= 12, "the sample templates: {report}");
    assert!(
        report["problems"].as_array().unwrap().is_empty(),
        "{report}"
    );

    // Again: nothing new (the bundled files hash the same as the stored versions).
    let again = json(&ccm_in(
        dir.path(),
        &lib,
        &["--json", "import", "--samples"],
    ));
    assert!(again["created"].as_array().unwrap().is_empty(), "{again}");

    // The training sample breaks the law on purpose: exit 1 with findings, not 2 (a pack error).
    let check = ccm_in(dir.path(), &lib, &["check", "--all"]);
    assert_eq!(
        check.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(
        text.contains("jp-cosme-campaign-noncompliant") && text.contains("jp-yakki/"),
        "{text}"
    );

    let rules = ccm_in(dir.path(), &lib, &["rules", "test"]);
    ok(&rules, "ccm rules test");
    assert!(String::from_utf8_lossy(&rules.stdout).contains("bundled with CCM Studio"));
}

#[test]
fn a_rules_folder_still_replaces_the_bundled_packs() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library.sqlite");
    let packs = dir.path().join("packs");
    std::fs::create_dir(&packs).unwrap();
    std::fs::copy(
        common::repo_root().join("assets/rules/jp-yakki.toml"),
        packs.join("jp-yakki.toml"),
    )
    .unwrap();
    let out = ccm_in(
        dir.path(),
        &lib,
        &[
            "--json",
            "rules",
            "list",
            "--rules",
            packs.to_str().unwrap(),
        ],
    );
    ok(&out, "ccm rules list --rules DIR");
    let ids: Vec<String> = json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["jp-yakki"]);
}

#[test]
fn samples_and_a_folder_cannot_be_imported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library.sqlite");
    let out = ccm_in(dir.path(), &lib, &["import", "--samples", "templates"]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let out = ccm_in(dir.path(), &lib, &["import"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a folder or --samples is required"
    );
}
