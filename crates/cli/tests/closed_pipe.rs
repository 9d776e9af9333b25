//! `ccm … | head` must not print a panic when the reader goes away early.

use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn a_closed_stdout_ends_the_command_without_a_panic() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ccm"))
        .args(["rules", "list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ccm starts");
    // Close the read end before ccm writes: its first write then fails with EPIPE.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr piped")
        .read_to_string(&mut stderr)
        .expect("stderr readable");
    let status = child.wait().expect("ccm ends");
    assert!(
        !stderr.contains("panicked"),
        "ccm panicked on a closed pipe: {stderr}"
    );
    assert!(
        matches!(status.code(), Some(0) | Some(141)),
        "ccm should end normally or with the SIGPIPE status, got {status:?}: {stderr}"
    );
}
