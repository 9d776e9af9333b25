//! What CCM Studio signs, stock minisign verifies: a sending system or an auditor checks an
//! approval or a pack with `minisign -Vm FILE -P KEY` and no CCM Studio at all.
//! Needs the `minisign` program (Debian package `minisign`; `./studio test` installs it).

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

use ccm_core::identity::{Identity, Role};

/// Runs stock `minisign -V -m FILE` with `key` (`-P LINE` or `-p FILE`).
fn minisign_verifies(file: &Path, key: &[&OsStr]) -> Output {
    let probe = Command::new("minisign").arg("-v").output();
    assert!(
        probe.is_ok_and(|o| o.status.success()),
        "the minisign program is needed: apt-get install minisign (./studio test installs it)"
    );
    Command::new("minisign")
        .args(["-V", "-m"])
        .arg(file)
        .args(key)
        .output()
        .unwrap()
}

#[test]
fn stock_minisign_verifies_a_signature_and_refuses_a_changed_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let id = Identity::create(&tmp.path().join("id"), "佐藤 花子", Role::Compliance).unwrap();
    let data = "承認済み: jp-bank-payment-reminder v3\n".as_bytes();
    let file = tmp.path().join("approved.txt");
    std::fs::write(&file, data).unwrap();
    let sig = id.sign(data, "approved for sending").unwrap();
    std::fs::write(tmp.path().join("approved.txt.minisig"), &sig).unwrap();

    let by_line = [OsStr::new("-P"), OsStr::new(&id.member.public_key)];
    let out = minisign_verifies(&file, &by_line);
    assert!(
        out.status.success(),
        "minisign refused our signature: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("approved for sending"),
        "the trusted comment is shown: {}",
        String::from_utf8_lossy(&out.stdout)
    );

    std::fs::write(&file, "承認済み: jp-bank-payment-reminder v4\n").unwrap();
    let out = minisign_verifies(&file, &by_line);
    assert!(!out.status.success(), "a changed file must not verify");

    // The public key file written beside the identity is minisign's own .pub format.
    std::fs::write(&file, data).unwrap();
    let key_file = tmp.path().join("id/public.key");
    let out = minisign_verifies(&file, &[OsStr::new("-p"), key_file.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
