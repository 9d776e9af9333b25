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
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("CCM Studio {}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = app().arg("--help").output().expect("runs");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("CCM_LIBRARY"));
}

#[test]
fn a_file_that_is_not_a_library_is_refused_before_any_window_opens() {
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
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
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
