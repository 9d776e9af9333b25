//! Helpers shared by the `ccm` journeys: run the real binary against a library file with a
//! fixed "today", and a library filled with the bundled samples.
#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn ccm(library: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccm"))
        .args(args)
        .env("CCM_LIBRARY", library)
        .env("CCM_TODAY", "2026-11-23")
        .env_remove("CCM_RULES")
        .env("LANG", "C")
        .output()
        .expect("ccm runs")
}

pub fn ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed ({:?}): {}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
}

pub fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// `ccm init` and `ccm import templates/` into a fresh library.
pub fn library() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let lib = temp.path().join("library.sqlite");
    ok(&ccm(&lib, &["init"]), "ccm init");
    let templates = repo_root().join("templates");
    ok(
        &ccm(&lib, &["import", templates.to_str().unwrap()]),
        "ccm import",
    );
    (temp, lib)
}

/// `ccm` as the person whose identity lives in the folder `who` (`CCM_IDENTITY_DIR`): how the
/// journeys put two or three people on one machine.
pub fn ccm_as(who: &Path, library: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccm"))
        .args(args)
        .env("CCM_LIBRARY", library)
        .env("CCM_IDENTITY_DIR", who)
        .env("CCM_TODAY", "2026-12-03")
        .env_remove("CCM_RULES")
        .env("LANG", "C")
        .output()
        .expect("ccm runs")
}

/// [`ccm_as`] with `--json`; the command must succeed.
pub fn json_as(who: &Path, library: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = ccm_as(who, library, &all);
    ok(&out, &format!("ccm {args:?}"));
    json(&out)
}
