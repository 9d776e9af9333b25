//! Review and the archive through the real `ccm` binary, as a designer and two compliance
//! officers would use it: on one machine (one identity folder each), then across two libraries
//! sharing a templates folder the way a team shares it through git.

mod common;

use std::path::Path;
use std::process::Output;

use common::{ccm_as, json, json_as, ok};

const ID: &str = "jp-bank-payment-reminder";

/// A library with the samples imported by Aiko, and a team of Aiko (designer), Hanako and
/// Kenji (compliance).
struct Team {
    temp: tempfile::TempDir,
    lib: std::path::PathBuf,
}

impl Team {
    fn who(&self, name: &str) -> std::path::PathBuf {
        self.temp.path().join(name)
    }
}

fn team() -> Team {
    let temp = tempfile::tempdir().unwrap();
    let lib = temp.path().join("library.sqlite");
    let t = Team { temp, lib };
    let people = [
        ("aiko", "Aiko Designer", "designer"),
        ("hanako", "佐藤 花子", "compliance"),
        ("kenji", "Kenji Officer", "compliance"),
    ];
    let mut keys = Vec::new();
    for (dir, name, role) in people {
        let v = json_as(
            &t.who(dir),
            &t.lib,
            &["id", "init", "--name", name, "--role", role],
        );
        keys.push((name, role, v["public_key"].as_str().unwrap().to_owned()));
    }
    let aiko = t.who("aiko");
    ok(&ccm_as(&aiko, &t.lib, &["import", "--samples"]), "import");
    for (name, role, key) in &keys {
        ok(
            &ccm_as(
                &aiko,
                &t.lib,
                &["team", "add", "--name", name, "--role", role, "--key", key],
            ),
            "team add",
        );
    }
    t
}

fn refusal(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(out)["error"]["code"].as_str().unwrap().to_owned()
}

#[test]
fn designer_submits_author_cannot_approve_officer_approves_and_the_archive_verifies() {
    let t = team();
    let (aiko, hanako, kenji) = (t.who("aiko"), t.who("hanako"), t.who("kenji"));
    let submitted = json_as(
        &aiko,
        &t.lib,
        &["review", "submit", ID, "--comment", "ready"],
    );
    assert_eq!(submitted["kind"], "submit");

    let queue = json_as(&hanako, &t.lib, &["review", "queue"]);
    assert!(
        queue
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["template_id"] == ID),
        "{queue}"
    );

    let by_designer = ccm_as(&aiko, &t.lib, &["review", "approve", ID, "--json"]);
    assert_eq!(refusal(&by_designer), "REVIEW_WRONG_ROLE");

    let approved = json_as(&hanako, &t.lib, &["review", "approve", ID]);
    assert_eq!(approved["approval"]["meaning"], "approved for sending");
    let status = json_as(&kenji, &t.lib, &["review", "status", ID]);
    assert_eq!(status["state"], "approved");

    // Kenji edits the template (a new version made with his key): stale; he cannot approve it.
    let export = t.temp.path().join("work");
    ok(
        &ccm_as(&kenji, &t.lib, &["export", export.to_str().unwrap()]),
        "export",
    );
    let email = export.join("templates").join(ID).join("email.ja.md");
    let email = if email.exists() {
        email
    } else {
        export.join("templates").join(ID).join("email.md")
    };
    let mut text = std::fs::read_to_string(&email).unwrap();
    text.push_str("\nご不明な点はお問い合わせください。\n");
    std::fs::write(&email, text).unwrap();
    ok(
        &ccm_as(&kenji, &t.lib, &["import", export.to_str().unwrap()]),
        "import edit",
    );
    let status = json_as(&hanako, &t.lib, &["review", "status", ID]);
    assert_eq!(status["state"], "stale");
    assert_eq!(status["stale_reasons"][0]["input"], "template");
    json_as(&kenji, &t.lib, &["review", "submit", ID]);
    let self_approval = ccm_as(&kenji, &t.lib, &["review", "approve", ID, "--json"]);
    assert_eq!(refusal(&self_approval), "REVIEW_SELF_APPROVAL");
    json_as(&hanako, &t.lib, &["review", "approve", ID]);

    let found = json_as(
        &aiko,
        &t.lib,
        &[
            "archive",
            "search",
            "--kind",
            "approve",
            "--approver",
            "花子",
            "--channel",
            "print",
        ],
    );
    assert_eq!(found.as_array().unwrap().len(), 2, "{found}");
    let verified = ccm_as(&aiko, &t.lib, &["archive", "verify", "--rerender"]);
    ok(&verified, "archive verify --rerender");
    assert!(String::from_utf8_lossy(&verified.stdout).contains("every byte identical"));

    // The evidence record (PDF/A-3b with the signed entry attached) and the OCFL export.
    let pdf = t.temp.path().join("evidence.pdf");
    json_as(
        &aiko,
        &t.lib,
        &[
            "archive",
            "evidence",
            "2",
            "--out",
            pdf.to_str().unwrap(),
            "--lang",
            "ja",
        ],
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("pdfaid:part>3<") || text.contains("pdfaid:part=\"3\""),
        "PDF/A-3 identification"
    );
    assert!(
        text.contains("approval-entry.json") && text.contains("/AFRelationship"),
        "attachments"
    );
    let ocfl = t.temp.path().join("ocfl");
    let objects = json_as(
        &aiko,
        &t.lib,
        &["archive", "export", "--ocfl", ocfl.to_str().unwrap()],
    );
    assert_eq!(
        objects[0]["versions"], 2,
        "one OCFL version per approval: {objects}"
    );
    ccm_trust::ocfl::validate_object(&ocfl.join(ID)).expect("a valid OCFL object");

    let diff = json_as(&aiko, &t.lib, &["archive", "diff", "2", "4"]);
    assert!(
        diff.as_array()
            .unwrap()
            .iter()
            .any(|c| c["change"] == "changed" && c["channel"] == "email"),
        "the email changed between the two approvals: {diff}"
    );
}

#[test]
fn two_libraries_sharing_a_folder_see_the_same_states_and_head() {
    let t = team();
    let (aiko, hanako) = (t.who("aiko"), t.who("hanako"));
    json_as(&aiko, &t.lib, &["review", "submit", ID]);
    json_as(&hanako, &t.lib, &["review", "approve", ID]);
    let shared = t.temp.path().join("shared");
    ok(
        &ccm_as(&aiko, &t.lib, &["export", shared.to_str().unwrap()]),
        "export",
    );
    assert!(shared
        .join("templates/_archive/entries/000002.json.minisig")
        .exists());

    // Another machine: a fresh library imports the shared folder.
    let other = t.temp.path().join("other.sqlite");
    ok(
        &ccm_as(&hanako, &other, &["import", shared.to_str().unwrap()]),
        "import shared",
    );
    assert_eq!(
        json_as(&hanako, &other, &["review", "status", ID])["state"],
        "approved"
    );
    let head = |lib: &Path| {
        String::from_utf8(ccm_as(&aiko, lib, &["archive", "checkpoint"]).stdout).unwrap()
    };
    let (a, b) = (head(&t.lib), head(&other));
    assert_eq!(
        a.lines().take(3).collect::<Vec<_>>(),
        b.lines().take(3).collect::<Vec<_>>()
    );
    ok(
        &ccm_as(&aiko, &other, &["archive", "verify"]),
        "verify the imported archive",
    );

    // Both archives move on separately: each extends the shared checkpoint, neither the other.
    let old = t.temp.path().join("head.txt");
    ok(
        &ccm_as(
            &aiko,
            &t.lib,
            &["archive", "checkpoint", "--out", old.to_str().unwrap()],
        ),
        "checkpoint",
    );
    json_as(
        &aiko,
        &t.lib,
        &["review", "comment", ID, "mine", "--channel", "sms"],
    );
    json_as(
        &hanako,
        &other,
        &["review", "comment", ID, "theirs", "--channel", "email"],
    );
    ok(
        &ccm_as(
            &aiko,
            &t.lib,
            &[
                "archive",
                "prove-extends",
                old.to_str().unwrap(),
                t.lib.to_str().unwrap(),
            ],
        ),
        "extends",
    );
    let forked = ccm_as(
        &aiko,
        &t.lib,
        &[
            "archive",
            "prove-extends",
            t.lib.to_str().unwrap(),
            other.to_str().unwrap(),
        ],
    );
    assert_eq!(forked.status.code(), Some(1), "a fork does not extend");
    assert!(String::from_utf8_lossy(&forked.stderr).contains("fork"));

    // A forged entry in the folder is refused, and nothing is written.
    let entry = shared.join("templates/_archive/entries/000002.json");
    let forged = std::fs::read_to_string(&entry)
        .unwrap()
        .replace("approved for sending", "approved for testing");
    std::fs::write(&entry, forged).unwrap();
    let third = t.temp.path().join("third.sqlite");
    let out = ccm_as(&hanako, &third, &["import", shared.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("000002.json"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_block_change_lists_what_it_makes_stale_before_importing() {
    let t = team();
    let (aiko, hanako) = (t.who("aiko"), t.who("hanako"));
    json_as(&aiko, &t.lib, &["review", "submit", ID]);
    json_as(&hanako, &t.lib, &["review", "approve", ID]);
    let work = t.temp.path().join("work");
    ok(
        &ccm_as(&aiko, &t.lib, &["export", work.to_str().unwrap()]),
        "export",
    );
    for f in std::fs::read_dir(work.join("templates/_blocks")).unwrap() {
        let p = f.unwrap().path();
        let mut s = std::fs::read_to_string(&p).unwrap();
        s.push_str("\n(改定)\n");
        std::fs::write(&p, s).unwrap();
    }
    let out = ccm_as(&aiko, &t.lib, &["import", work.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(ID) && err.contains("--yes"), "{err}");
    assert_eq!(
        json_as(&aiko, &t.lib, &["review", "status", ID])["state"],
        "approved",
        "nothing imported"
    );
    ok(
        &ccm_as(&aiko, &t.lib, &["import", work.to_str().unwrap(), "--yes"]),
        "import --yes",
    );
    let st = json_as(&aiko, &t.lib, &["review", "status", ID]);
    assert_eq!(st["state"], "stale");
    assert_eq!(st["stale_reasons"][0]["input"], "block");
}

#[test]
fn a_rule_pack_change_lists_the_approvals_it_would_make_stale() {
    let t = team();
    let (aiko, hanako) = (t.who("aiko"), t.who("hanako"));
    json_as(&aiko, &t.lib, &["review", "submit", ID]);
    json_as(&hanako, &t.lib, &["review", "approve", ID]);
    let packs = t.temp.path().join("packs");
    std::fs::create_dir(&packs).unwrap();
    let rules = common::repo_root().join("assets/rules");
    for f in std::fs::read_dir(&rules).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "toml") {
            let mut text = std::fs::read_to_string(&p).unwrap();
            if p.file_name().unwrap() == "accessibility.toml" {
                text.push_str("\n# tightened by the compliance team\n");
            }
            std::fs::write(packs.join(p.file_name().unwrap()), text).unwrap();
        }
    }
    let affected = json_as(
        &aiko,
        &t.lib,
        &["review", "impact", "--packs", packs.to_str().unwrap()],
    );
    let first = &affected.as_array().unwrap()[0];
    assert_eq!(first["template_id"], ID);
    assert_eq!(first["reasons"][0]["input"], "rule_pack");
    assert_eq!(first["reasons"][0]["name"], "accessibility");
}

#[test]
fn the_first_identity_founds_the_team_and_later_ones_do_not_enrol_themselves() {
    let temp = tempfile::tempdir().unwrap();
    let lib = temp.path().join("library.sqlite");
    let (aiko, mallory) = (temp.path().join("aiko"), temp.path().join("mallory"));
    ok(&ccm_as(&aiko, &lib, &["init"]), "init");
    json_as(
        &aiko,
        &lib,
        &["id", "init", "--name", "Aiko", "--role", "designer"],
    );
    json_as(
        &mallory,
        &lib,
        &["id", "init", "--name", "Mallory", "--role", "compliance"],
    );
    let team = json_as(&aiko, &lib, &["team", "list"]);
    let names: Vec<&str> = team["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Aiko"], "only the founder is on the team");
    let key = String::from_utf8(ccm_as(&mallory, &lib, &["id", "show", "--key"]).stdout).unwrap();
    assert!(key.trim().starts_with("RW"), "{key}");
}
