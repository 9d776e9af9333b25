//! The shipped desktop binary, run as a user runs it — for what it does before any window
//! opens: its flags, and refusing a library it cannot use with a message that says what to do.
//! (The windowed app is driven end to end by the WebDriver journeys in ui/e2e.)

use std::process::Command;

fn app() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ccm-studio"));
    // Never touch the tester's own library or watch the source tree.
    cmd.env("CCM_WATCH", "off").env_remove("DISPLAY");
    cmd
}

#[test]
fn version_and_help_answer_without_a_display() {
    let out = app().arg("--version").output().expect("runs");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    // `CCM Studio 0.1.0 (build 1a2b3c4d5e6f)`: the commit it was built from, or "unknown".
    let prefix = format!("CCM Studio {} (build ", env!("CARGO_PKG_VERSION"));
    assert!(
        stdout.starts_with(&prefix) && stdout.ends_with(")\n"),
        "{stdout:?}"
    );
    let again = app().arg("--version").output().expect("runs");
    assert_eq!(again.stdout, out.stdout, "the same answer every time");
    let out = app().arg("--help").output().expect("runs");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("CCM_LIBRARY"));
}

/// Without a display the window cannot open; the reason the library is refused still reaches
/// the terminal (the window shows it with a way out: see ui/tests/e2e/desktop.test.mjs).
#[test]
fn a_file_that_is_not_a_library_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notes.sqlite");
    std::fs::write(
        &path,
        "these are meeting notes, not a CCM library\n".repeat(200),
    )
    .expect("write");
    let before = std::fs::read(&path).expect("read");
    let out = app().env("CCM_LIBRARY", &path).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "stderr: {stderr}");
    assert!(
        stderr.contains("cannot open its library"),
        "says what failed: {stderr}"
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "the file is left exactly as it was"
    );
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    let out = app().arg("--libary=/tmp/x").output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--help"));
}

/// A library made by a newer CCM Studio (a higher schema version in its SQLite header) is named
/// as such and never altered, not even migrated "down".
#[test]
fn a_library_from_a_newer_version_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("library.sqlite");
    drop(ccm_core::store::Store::open_or_create(&path).expect("a library"));
    let mut bytes = std::fs::read(&path).expect("read");
    // SQLite header: user_version (our schema version) is the big-endian u32 at offset 60.
    let newer = ccm_core::store::SCHEMA_VERSION + 1;
    bytes[60..64].copy_from_slice(&newer.to_be_bytes());
    std::fs::write(&path, &bytes).expect("write");

    let out = app().env("CCM_LIBRARY", &path).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("upgrade CCM Studio") && stderr.contains(&path.display().to_string()),
        "names the file and why: {stderr}"
    );
    assert_eq!(std::fs::read(&path).expect("read"), bytes, "not altered");
}

/// A library another instance holds is refused with the holder's process id (here the test
/// process holds the lock the way a running app does).
#[test]
fn a_library_open_in_another_instance_names_the_process_holding_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("library.sqlite");
    let _held = ccm_core::library_lock::LibraryLock::acquire(&path).expect("lock");
    let out = app().env("CCM_LIBRARY", &path).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("process {}", std::process::id())),
        "names the holder: {stderr}"
    );
    assert!(!path.exists(), "the library itself is not even created");
}
