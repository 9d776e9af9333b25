//! Identities and the team roster through the real `ccm` binary: two people on one machine
//! (one identity folder each), adding each other to the team, and versions that record who
//! made them.

mod common;

use common::{ccm_as, json_as, ok, repo_root};

#[test]
fn two_people_create_identities_join_the_team_and_sign_their_versions() {
    let temp = tempfile::tempdir().unwrap();
    let (designer, officer) = (temp.path().join("aiko"), temp.path().join("hanako"));
    let lib = temp.path().join("library.sqlite");

    let aiko = json_as(
        &designer,
        &lib,
        &[
            "id",
            "init",
            "--name",
            "Aiko Designer",
            "--role",
            "designer",
        ],
    );
    let hanako = json_as(
        &officer,
        &lib,
        &["id", "init", "--name", "佐藤 花子", "--role", "compliance"],
    );
    assert_eq!(aiko["role"], "designer");
    assert_eq!(hanako["name"], "佐藤 花子");
    assert_ne!(aiko["fingerprint"], hanako["fingerprint"]);
    let shown = json_as(&officer, &lib, &["id", "show"]);
    assert_eq!(
        shown["public_key"], hanako["public_key"],
        "show reads it back"
    );

    let again = ccm_as(
        &officer,
        &lib,
        &["id", "init", "--name", "Mallory", "--role", "compliance"],
    );
    assert!(!again.status.success(), "an identity is never replaced");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    ok(&ccm_as(&designer, &lib, &["init"]), "ccm init");
    for (person, v) in [(&designer, &aiko), (&officer, &hanako)] {
        let name = v["name"].as_str().unwrap();
        let role = v["role"].as_str().unwrap();
        let key = v["public_key"].as_str().unwrap();
        ok(
            &ccm_as(
                person,
                &lib,
                &["team", "add", "--name", name, "--role", role, "--key", key],
            ),
            "ccm team add",
        );
    }
    let team = json_as(&designer, &lib, &["team", "list"]);
    assert_eq!(team["version"], 2, "each addition is a roster version");
    let members = team["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    let officer_entry = members
        .iter()
        .find(|m| m["fingerprint"] == hanako["fingerprint"])
        .expect("the officer is on the team");
    assert_eq!(officer_entry["role"], "compliance");

    let duplicate = ccm_as(
        &designer,
        &lib,
        &[
            "team",
            "add",
            "--name",
            "Impostor",
            "--role",
            "compliance",
            "--key",
            hanako["public_key"].as_str().unwrap(),
        ],
    );
    assert!(!duplicate.status.success(), "one key names one person");

    let templates = repo_root().join("templates");
    ok(
        &ccm_as(&designer, &lib, &["import", templates.to_str().unwrap()]),
        "ccm import",
    );
    let history = json_as(&designer, &lib, &["history", "jp-bank-payment-reminder"]);
    let first = &history.as_array().expect("versions")[0];
    assert_eq!(first["author"], "import", "where the version came from");
    assert_eq!(first["author_key"], aiko["fingerprint"], "who made it");

    let out = temp.path().join("export");
    ok(
        &ccm_as(&designer, &lib, &["export", out.to_str().unwrap()]),
        "ccm export",
    );
    let file = out.join("templates/_team").join(format!(
        "{}.toml",
        hanako["fingerprint"].as_str().unwrap().to_ascii_lowercase()
    ));
    let text = std::fs::read_to_string(&file).expect("the roster travels with the templates");
    assert!(text.contains("role = \"compliance\""), "{text}");
}

#[test]
fn a_command_that_needs_an_identity_says_how_to_make_one() {
    let temp = tempfile::tempdir().unwrap();
    let out = ccm_as(
        &temp.path().join("nobody"),
        &temp.path().join("lib.sqlite"),
        &["id", "show"],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ccm id init"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
