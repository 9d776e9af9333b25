use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::inventory::sha512_hex;
use super::{validate_object, write_object, OcflError, OcflUser, OcflVersion};

fn version(created: &str, message: &str, files: &[(&str, &str)]) -> OcflVersion {
    OcflVersion {
        created: created.to_string(),
        message: message.to_string(),
        user: OcflUser {
            name: "Alice Example".to_string(),
            address: Some("urn:ccm-key:ABCD1234".to_string()),
        },
        files: files
            .iter()
            .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
            .collect(),
    }
}

/// v1 adds three files; v2 keeps a.txt, changes b.txt, adds c.txt and a copy of a.txt;
/// v3 removes b.txt and copy.txt and keeps the rest.
fn three_versions() -> Vec<OcflVersion> {
    vec![
        version(
            "2026-01-02T10:00:00Z",
            "Submitted for review",
            &[
                ("a.txt", "alpha"),
                ("b.txt", "beta"),
                ("docs/readme.md", "readme"),
            ],
        ),
        version(
            "2026-01-03T11:30:00+01:00",
            "Changes requested",
            &[
                ("a.txt", "alpha"),
                ("b.txt", "beta, second draft"),
                ("c.txt", "gamma"),
                ("copy.txt", "alpha"),
                ("docs/readme.md", "readme"),
            ],
        ),
        version(
            "2026-01-04T09:15:00Z",
            "Approved",
            &[
                ("a.txt", "alpha"),
                ("c.txt", "gamma"),
                ("docs/readme.md", "readme"),
            ],
        ),
    ]
}

fn written_object() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("object");
    write_object(&dir, "urn:ccm:template:welcome-letter", &three_versions()).unwrap();
    (temp, dir)
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

fn problems(dir: &Path) -> String {
    validate_object(dir)
        .expect_err("tampered object must fail validation")
        .join("\n")
}

/// Every file under `dir`, relative path → bytes.
fn all_files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, at: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let bytes = fs::read(&path).unwrap();
                out.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn three_versions_validate_and_store_each_digest_once() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("object");
    let summary = write_object(&dir, "urn:ccm:template:welcome-letter", &three_versions()).unwrap();
    assert_eq!(validate_object(&dir), Ok(()));

    assert_eq!(summary.head, "v3");
    assert_eq!(summary.version_count, 3);
    // alpha, beta, readme (v1) + beta second draft, gamma (v2); copy.txt and v3 add nothing.
    assert_eq!(summary.stored_files, 5);
    assert_eq!(
        summary.stored_bytes,
        ("alpha".len() + "beta".len() + "readme".len() + "beta, second draft".len() + 5) as u64
    );

    assert_eq!(
        fs::read_to_string(dir.join("0=ocfl_object_1.1")).unwrap(),
        "ocfl_object_1.1\n"
    );
    assert!(dir.join("v1/content/a.txt").is_file());
    assert!(dir.join("v1/content/docs/readme.md").is_file());
    assert!(
        !dir.join("v2/content/a.txt").exists(),
        "unchanged file stored twice"
    );
    assert!(
        !dir.join("v2/content/copy.txt").exists(),
        "same digest stored twice"
    );
    assert!(!dir.join("v2/content/docs").exists());
    assert_eq!(
        fs::read_to_string(dir.join("v2/content/b.txt")).unwrap(),
        "beta, second draft"
    );
    assert!(dir.join("v2/content/c.txt").is_file());
    assert!(!dir.join("v3/content").exists(), "v3 stores nothing new");

    let root = fs::read(dir.join("inventory.json")).unwrap();
    assert_eq!(root, fs::read(dir.join("v3/inventory.json")).unwrap());
    assert_eq!(
        fs::read_to_string(dir.join("inventory.json.sha512")).unwrap(),
        format!("{}  inventory.json\n", sha512_hex(&root))
    );
    assert_eq!(summary.inventory_sha512, sha512_hex(&root));

    let inventory = json(&dir.join("inventory.json"));
    assert_eq!(inventory["id"], "urn:ccm:template:welcome-letter");
    assert_eq!(inventory["type"], "https://ocfl.io/1.1/spec/#inventory");
    assert_eq!(inventory["digestAlgorithm"], "sha512");
    assert_eq!(inventory["head"], "v3");
    assert!(inventory.get("contentDirectory").is_none());
    let alpha = sha512_hex(b"alpha");
    assert_eq!(
        inventory["manifest"][&alpha],
        serde_json::json!(["v1/content/a.txt"])
    );
    assert_eq!(inventory["manifest"].as_object().unwrap().len(), 5);
    let v2 = &inventory["versions"]["v2"];
    assert_eq!(v2["created"], "2026-01-03T11:30:00+01:00");
    assert_eq!(v2["message"], "Changes requested");
    assert_eq!(
        v2["user"],
        serde_json::json!({"name": "Alice Example", "address": "urn:ccm-key:ABCD1234"})
    );
    assert_eq!(
        v2["state"][&alpha],
        serde_json::json!(["a.txt", "copy.txt"])
    );
    let v3_paths: Vec<&str> = inventory["versions"]["v3"]["state"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|paths| paths.as_array().unwrap())
        .map(|path| path.as_str().unwrap())
        .collect();
    assert!(!v3_paths.contains(&"b.txt"), "removed file still in v3");
    assert_eq!(v3_paths.len(), 3);

    // Each version directory holds the inventory as it was at that version.
    let v1 = json(&dir.join("v1/inventory.json"));
    assert_eq!(v1["head"], "v1");
    assert_eq!(v1["versions"].as_object().unwrap().len(), 1);
    assert_eq!(v1["manifest"].as_object().unwrap().len(), 3);
    assert_eq!(v1["versions"]["v1"], inventory["versions"]["v1"]);
}

#[test]
fn versions_are_written_in_number_order() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("object");
    let versions: Vec<_> = (1..=11)
        .map(|n| {
            version(
                "2026-01-02T10:00:00Z",
                &format!("edit {n}"),
                &[("a.txt", "a")],
            )
        })
        .collect();
    write_object(&dir, "urn:x", &versions).unwrap();
    assert_eq!(validate_object(&dir), Ok(()));
    let text = fs::read_to_string(dir.join("inventory.json")).unwrap();
    let position = |key: &str| text.find(&format!("\"{key}\": {{")).unwrap();
    assert!(position("v2") < position("v10"));
    assert!(dir.join("v11/inventory.json").is_file());
}

#[test]
fn same_input_gives_identical_bytes() {
    let temp = tempfile::tempdir().unwrap();
    let first = temp.path().join("first");
    let second = temp.path().join("second");
    write_object(&first, "urn:x", &three_versions()).unwrap();
    write_object(&second, "urn:x", &three_versions()).unwrap();
    let first_files = all_files(&first);
    assert_eq!(first_files.len(), 14, "{:?}", first_files.keys());
    assert_eq!(first_files, all_files(&second));
}

#[test]
fn changed_content_file_is_named() {
    let (_temp, dir) = written_object();
    fs::write(dir.join("v1/content/a.txt"), "alpha, edited").unwrap();
    let problems = problems(&dir);
    assert!(problems.contains("v1/content/a.txt: sha512"), "{problems}");
}

#[test]
fn changed_inventory_fails_its_sidecar() {
    let (_temp, dir) = written_object();
    let path = dir.join("inventory.json");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("Changes requested", "Approved at once")).unwrap();
    let problems = problems(&dir);
    assert!(
        problems.contains("inventory.json: sha512 does not match its sidecar"),
        "{problems}"
    );
    assert!(
        problems.contains("v3/inventory.json: differs from the root"),
        "{problems}"
    );
}

#[test]
fn rewritten_history_with_fresh_sidecar_is_caught_by_version_inventories() {
    let (_temp, dir) = written_object();
    for at in ["", "v3/"] {
        let path = dir.join(format!("{at}inventory.json"));
        let text = fs::read_to_string(&path).unwrap();
        let bytes = text
            .replace("Submitted for review", "Approved")
            .into_bytes();
        fs::write(
            dir.join(format!("{at}inventory.json.sha512")),
            format!("{}  inventory.json\n", sha512_hex(&bytes)),
        )
        .unwrap();
        fs::write(&path, bytes).unwrap();
    }
    let problems = problems(&dir);
    assert!(
        problems.contains("v1/inventory.json: v1 differs from the root inventory"),
        "{problems}"
    );
}

#[test]
fn missing_version_directory_is_named() {
    let (_temp, dir) = written_object();
    fs::remove_dir_all(dir.join("v2")).unwrap();
    let problems = problems(&dir);
    assert!(
        problems.contains("v2: version directory is missing"),
        "{problems}"
    );
    assert!(
        problems.contains("v2/content/b.txt: listed in the manifest but the file is missing"),
        "{problems}"
    );
}

#[test]
fn stray_file_and_missing_namaste_are_named() {
    let (_temp, dir) = written_object();
    fs::write(dir.join("v3/content-extra.txt"), "x").unwrap();
    fs::create_dir_all(dir.join("v2/content/new")).unwrap();
    fs::write(dir.join("v2/content/new/smuggled.txt"), "x").unwrap();
    fs::remove_file(dir.join("0=ocfl_object_1.1")).unwrap();
    let problems = problems(&dir);
    assert!(
        problems.contains("v3/content-extra.txt: unexpected entry"),
        "{problems}"
    );
    assert!(
        problems.contains("v2/content/new/smuggled.txt: file is not in the manifest"),
        "{problems}"
    );
    assert!(
        problems.contains("0=ocfl_object_1.1: cannot be read"),
        "{problems}"
    );
}

#[test]
fn state_digest_missing_from_manifest_is_named() {
    let (_temp, dir) = written_object();
    let path = dir.join("inventory.json");
    let mut inventory = json(&path);
    let gamma = sha512_hex(b"gamma");
    inventory["manifest"]
        .as_object_mut()
        .unwrap()
        .remove(&gamma);
    let bytes = serde_json::to_vec_pretty(&inventory).unwrap();
    fs::write(
        dir.join("inventory.json.sha512"),
        format!("{}  inventory.json\n", sha512_hex(&bytes)),
    )
    .unwrap();
    fs::write(&path, bytes).unwrap();
    let problems = problems(&dir);
    assert!(
        problems.contains(&format!("v2: state digest {}", &gamma[..16])),
        "{problems}"
    );
}

#[test]
fn manifest_entry_no_version_uses_is_named() {
    let (_temp, dir) = written_object();
    let path = dir.join("inventory.json");
    let mut inventory = json(&path);
    let extra = sha512_hex(b"never in any state");
    inventory["manifest"][&extra] = serde_json::json!(["v1/content/a.txt"]);
    let bytes = serde_json::to_vec_pretty(&inventory).unwrap();
    fs::write(
        dir.join("inventory.json.sha512"),
        format!("{}  inventory.json\n", sha512_hex(&bytes)),
    )
    .unwrap();
    fs::write(&path, bytes).unwrap();
    let problems = problems(&dir);
    assert!(
        problems.contains(&format!(
            "manifest: {}… is not used by any version state",
            &extra[..16]
        )),
        "{problems}"
    );
}

#[test]
fn bad_logical_paths_are_refused_before_anything_is_written() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("object");
    for bad in [
        "",
        "/etc/passwd",
        "a//b",
        "a/",
        "./a",
        "a/./b",
        "a/../b",
        "..",
        "a\\b",
    ] {
        let versions = [version("2026-01-02T10:00:00Z", "m", &[(bad, "x")])];
        let error = write_object(&dir, "urn:x", &versions).unwrap_err();
        assert!(
            matches!(&error, OcflError::BadLogicalPath { version: 1, path, .. } if path == bad),
            "{bad:?}: {error}"
        );
        assert!(error.to_string().contains("is not allowed"), "{error}");
    }
    let conflicting = [version(
        "2026-01-02T10:00:00Z",
        "m",
        &[("a", "file"), ("a/b", "file inside")],
    )];
    let error = write_object(&dir, "urn:x", &conflicting).unwrap_err();
    assert!(
        matches!(&error, OcflError::ConflictingLogicalPaths { file, inside, .. } if file == "a" && inside == "a/b"),
        "{error}"
    );
    for (first, second) in [
        ("Read.md", "read.md"),
        ("Docs", "docs/a.md"),
        ("Docs/a.md", "docs/b.md"),
    ] {
        let clashing = [version(
            "2026-01-02T10:00:00Z",
            "m",
            &[(first, "one"), (second, "two")],
        )];
        let error = write_object(&dir, "urn:x", &clashing).unwrap_err();
        assert!(
            matches!(
                &error,
                OcflError::LogicalPathsDifferInCase { version: 1, .. }
            ),
            "{first} / {second}: {error}"
        );
        assert!(error.to_string().contains(first), "{error}");
    }
    assert!(!dir.exists());
    assert_eq!(fs::read_dir(temp.path()).unwrap().count(), 0);
}

#[test]
fn bad_header_fields_are_refused() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("object");
    let good = [version("2026-01-02T10:00:00Z", "m", &[("a", "x")])];
    assert!(matches!(
        write_object(&dir, " ", &good),
        Err(OcflError::EmptyId)
    ));
    assert!(matches!(
        write_object(&dir, "urn:x", &[]),
        Err(OcflError::NoVersions)
    ));
    let undated = [version("yesterday", "m", &[("a", "x")])];
    assert!(matches!(
        write_object(&dir, "urn:x", &undated),
        Err(OcflError::BadCreated { version: 1, .. })
    ));
    assert!(!dir.exists());
}

#[test]
fn target_must_be_absent_or_empty() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("object");
    fs::create_dir(&dir).unwrap();
    write_object(&dir, "urn:x", &three_versions()).unwrap();
    assert_eq!(validate_object(&dir), Ok(()));

    let error = write_object(&dir, "urn:x", &three_versions()).unwrap_err();
    assert!(matches!(error, OcflError::TargetNotEmpty(_)), "{error}");
}

#[test]
fn failed_write_leaves_nothing_behind() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("object");
    // A valid logical path no file system accepts as a file name (longer than 255 bytes):
    // writing fails half-way, after v1's other files are already staged.
    let long_name = "n".repeat(300);
    let versions = [version(
        "2026-01-02T10:00:00Z",
        "m",
        &[("a.txt", "alpha"), (long_name.as_str(), "x")],
    )];
    let error = write_object(&dir, "urn:x", &versions).unwrap_err();
    assert!(matches!(error, OcflError::Io { .. }), "{error}");
    assert!(!dir.exists());
    assert_eq!(
        fs::read_dir(temp.path()).unwrap().count(),
        0,
        "staging directory left behind"
    );
}
