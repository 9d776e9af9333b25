//! `ccm render --emit mjml` and the `ccm bench render|sms` commands the same-run peer
//! comparison (bench/peers/run.sh) reads.

mod common;

use common::{json, ok, repo_root};
use std::process::{Command, Output};

fn ccm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccm"))
        .args(args)
        .env("CCM_TODAY", "2026-11-23")
        .env("LANG", "C")
        .output()
        .expect("ccm runs")
}

fn template(id: &str) -> String {
    repo_root()
        .join("templates")
        .join(id)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn render_emit_mjml_writes_the_mjml_the_email_was_compiled_from() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_string_lossy().into_owned();
    let recall = template("us-retail-product-recall");
    let args = [
        "render",
        "--dir",
        &recall,
        "--persona",
        "typical",
        "--channel",
        "email",
    ];
    ok(
        &ccm(&[&args[..], &["--emit", "mjml", "--out", &dir]].concat()),
        "render --emit mjml",
    );
    let mjml = std::fs::read_to_string(out.path().join("email.mjml")).expect("email.mjml");
    assert!(mjml.starts_with("<mjml lang=\"en\">"), "{}", &mjml[..60]);
    assert!(
        mjml.contains("Dear Marcus Johnson,"),
        "the rendered copy is in the MJML"
    );
    assert!(mjml.contains("<mj-body"));
    let html = std::fs::read_to_string(out.path().join("email.html")).expect("email.html");
    assert!(html.contains("Dear Marcus Johnson,"));

    // Without --emit the MJML is not written; with a channel that has none it is refused.
    let plain = tempfile::tempdir().unwrap();
    let plain_dir = plain.path().to_string_lossy().into_owned();
    ok(
        &ccm(&[&args[..], &["--out", &plain_dir]].concat()),
        "render",
    );
    assert!(!plain.path().join("email.mjml").exists());
    let sms = ccm(&[
        "render",
        "--dir",
        &recall,
        "--channel",
        "sms",
        "--emit",
        "mjml",
        "--out",
        &plain_dir,
    ]);
    assert!(!sms.status.success());
    assert!(String::from_utf8_lossy(&sms.stderr).contains("--emit mjml needs the email channel"));
}

#[test]
fn bench_sms_counts_every_message_of_the_list() {
    let temp = tempfile::tempdir().unwrap();
    let list = temp.path().join("list.jsonl");
    let messages = [
        "a".repeat(160), // one GSM-7 message
        "a".repeat(161), // two parts
        "€".repeat(80),  // 160 septets: extension characters cost two
        "€".repeat(81),  // 162 septets: two parts
        "あ".repeat(70), // one UCS-2 message
        "あ".repeat(71), // two parts
        "👍".repeat(35), // 70 UTF-16 units
    ];
    let lines: Vec<String> = messages
        .iter()
        .map(|m| serde_json::to_string(m).unwrap())
        .collect();
    std::fs::write(&list, lines.join("\n")).unwrap();
    let out = ccm(&[
        "--json",
        "bench",
        "sms",
        "--strings",
        list.to_str().unwrap(),
        "--rounds",
        "2",
    ]);
    ok(&out, "bench sms");
    let v = json(&out);
    assert_eq!(v["strings"], 7);
    assert_eq!(v["segments"], serde_json::json!([1, 2, 1, 2, 1, 2, 1]));
    assert_eq!(
        v["encodings"],
        serde_json::json!(["GSM-7", "GSM-7", "GSM-7", "GSM-7", "UCS-2", "UCS-2", "UCS-2"])
    );
    assert!(v["us_per_string"].as_f64().unwrap() > 0.0);

    std::fs::write(&list, "\"ok\"\nnot json\n").unwrap();
    let bad = ccm(&["bench", "sms", "--strings", list.to_str().unwrap()]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("list.jsonl:2"));
}

#[test]
fn bench_render_times_a_new_recipient_every_iteration() {
    let recall = template("us-retail-product-recall");
    for channel in ["email", "print"] {
        let out = ccm(&[
            "--json",
            "bench",
            "render",
            "--dir",
            &recall,
            "--channel",
            channel,
            "--iterations",
            "2",
            "--warmup",
            "0",
            "--vary",
        ]);
        ok(&out, channel);
        let v = json(&out);
        assert_eq!(v["channel"], channel);
        assert_eq!(v["persona"], "typical");
        assert_eq!(v["iterations"], 2);
        assert_eq!(v["vary"], true);
        assert!(v["mean_ms"].as_f64().unwrap() > 0.0);
        assert!(v["last_output_bytes"].as_u64().unwrap() > 1000, "{v}");
    }
}
