//! Journeys through the real `ccm` binary on the bundled sample library (or, when it is not
//! there, a generated one): import, list, search, re-import, export round trip, watch, and a
//! SIGKILL in the middle of an import.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ccm_core::library::generate_library;
use ccm_core::store::Store;
use serde_json::Value;

fn ccm(library: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccm"))
        .args(args)
        .env("CCM_LIBRARY", library)
        .output()
        .expect("ccm runs")
}

/// Runs ccm and parses its `--json` stdout, failing with stderr if it did not succeed.
fn ccm_json(library: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = ccm(library, &all);
    assert!(
        out.status.success(),
        "ccm {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "ccm {args:?} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The bundled samples when present (the real journey), else a generated library.
struct Project {
    _temp: tempfile::TempDir,
    root: PathBuf,
    bundled: bool,
}

fn project() -> Project {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("project");
    let samples = repo_root().join("templates");
    let bundled = samples.join("_blocks").is_dir();
    if bundled {
        copy_dir(&samples, &root.join("templates"));
        copy_dir(
            &repo_root().join("assets/brands"),
            &root.join("assets/brands"),
        );
    } else {
        generate_library(&root, 24).unwrap();
    }
    Project {
        _temp: temp,
        root,
        bundled,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a JSON array")
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect()
}

fn created(report: &Value) -> usize {
    report["created"].as_array().expect("created list").len()
}

#[test]
fn import_list_search_and_reimport() {
    let p = project();
    let lib = p._temp.path().join("lib.sqlite");
    let dir = p.root.to_str().unwrap();

    let report = ccm_json(&lib, &["import", dir]);
    assert_eq!(
        report["problems"],
        Value::Array(vec![]),
        "the library imports cleanly"
    );
    let list = ccm_json(&lib, &["list"]);
    let listed = ids(&list);
    if p.bundled {
        assert!(
            listed.len() >= 12,
            "at least 12 sample templates, got {listed:?}"
        );
    }
    assert!(
        created(&report) >= listed.len(),
        "every template was created"
    );

    // Japanese inside longer Japanese text, and a two-character word.
    for query in ["お支払い", "請求"] {
        let hits = ccm_json(&lib, &["search", query]);
        let hits = hits.as_array().unwrap();
        assert!(!hits.is_empty(), "search {query} finds something");
        assert!(
            hits[0]["snippet"]
                .as_str()
                .unwrap()
                .contains(&format!("[{query}]")),
            "snippet marks {query}: {}",
            hits[0]
        );
    }

    let again = ccm_json(&lib, &["import", dir]);
    assert_eq!(
        created(&again),
        0,
        "re-import of unchanged files creates nothing: {again}"
    );
    assert_eq!(
        again["unchanged"]["templates"].as_u64().unwrap() as usize,
        listed.len()
    );

    // Human output and filters work too.
    let out = ccm(&lib, &["list", "--tag", "retail"]);
    assert!(out.status.success());
    let first = &listed[0];
    let history = ccm_json(&lib, &["history", first]);
    assert_eq!(
        history.as_array().unwrap().len(),
        1,
        "one version after two imports"
    );
    let shown = ccm_json(&lib, &["show", first, "--file", "template.toml"]);
    assert!(shown["content"].as_str().unwrap().contains(first.as_str()));
}

#[test]
fn export_is_byte_stable_and_export_import_is_a_no_op() {
    let p = project();
    let lib = p._temp.path().join("lib.sqlite");
    ccm_json(&lib, &["import", p.root.to_str().unwrap()]);

    let a = p._temp.path().join("export-a");
    let b = p._temp.path().join("export-b");
    ccm_json(&lib, &["export", a.to_str().unwrap()]);
    ccm_json(&lib, &["export", b.to_str().unwrap()]);
    let tree_a = read_tree(&a);
    assert!(!tree_a.is_empty());
    assert_eq!(tree_a, read_tree(&b), "two exports are byte-identical");
    // The export is the imported files, byte for byte.
    assert_eq!(
        read_tree(&a.join("templates")),
        read_tree(&p.root.join("templates")),
        "export reproduces the templates folder"
    );

    let report = ccm_json(&lib, &["import", a.to_str().unwrap()]);
    assert_eq!(
        created(&report),
        0,
        "export → import creates no version: {report}"
    );

    // And into a fresh library, then out again: same bytes.
    let fresh = p._temp.path().join("fresh.sqlite");
    ccm_json(&fresh, &["import", a.to_str().unwrap()]);
    let c = p._temp.path().join("export-c");
    ccm_json(&fresh, &["export", c.to_str().unwrap()]);
    assert_eq!(read_tree(&c), tree_a);
}

fn read_tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// Reads `--json` event lines of a running `ccm watch` on a thread.
struct Watcher {
    child: Child,
    lines: mpsc::Receiver<Value>,
}

impl Watcher {
    fn start(library: &Path, dir: &Path) -> Watcher {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ccm"))
            .args(["watch", dir.to_str().unwrap(), "--json"])
            .env("CCM_LIBRARY", library)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Ok(value) = serde_json::from_str::<Value>(&line) {
                    if tx.send(value).is_err() {
                        break;
                    }
                }
            }
        });
        Watcher { child, lines }
    }

    /// The first event for which `wanted` holds, within a generous time (no timing assert).
    fn wait_for(&self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(event) if wanted(&event) => return event,
                Ok(event) => seen.push(event),
                Err(_) => break,
            }
        }
        panic!("no {what} event from ccm watch; saw {seen:#?}");
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn watch_saves_valid_edits_and_keeps_the_last_good_version() {
    let p = project();
    let lib = p._temp.path().join("lib.sqlite");
    let watcher = Watcher::start(&lib, &p.root);
    watcher.wait_for("imported", |e| e["event"] == "imported");

    let list = ccm_json(&lib, &["list"]);
    let id = ids(&list)[0].clone();
    let dir = p.root.join("templates").join(&id);
    let sms = dir.join("sms.txt");
    let original = fs::read_to_string(&sms).unwrap();
    // Give the watcher a moment to register before the first edit.
    std::thread::sleep(Duration::from_millis(300));

    let edited = format!("{}（更新）\n", original.trim_end());
    fs::write(&sms, &edited).unwrap();
    let saved = watcher.wait_for("saved", |e| {
        e["event"] == "saved" && e["template_id"] == id.as_str()
    });
    assert_eq!(saved["version"], 2, "{saved}");
    let shown = ccm_json(&lib, &["show", &id, "--file", "sms.txt"]);
    assert_eq!(shown["content"], edited.as_str());

    // A syntax error is reported with file, line and column and changes nothing stored.
    let manifest = dir.join("template.toml");
    let good = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, format!("{good}\nthis is = = not toml\n")).unwrap();
    let invalid = watcher.wait_for("invalid", |e| {
        e["event"] == "invalid" && e["template_id"] == id.as_str()
    });
    assert_eq!(invalid["kept_version"], 2, "{invalid}");
    let problem = &invalid["problems"][0];
    assert!(
        problem["file"].as_str().unwrap().ends_with("template.toml"),
        "{problem}"
    );
    assert!(
        problem["line"].as_u64().unwrap() > 1,
        "line is reported: {problem}"
    );
    assert!(
        problem["column"].as_u64().is_some(),
        "column is reported: {problem}"
    );
    assert!(
        !problem["hint"]["en"].as_str().unwrap().is_empty(),
        "says what to fix: {problem}"
    );
    let history = ccm_json(&lib, &["history", &id]);
    assert_eq!(
        history.as_array().unwrap().len(),
        2,
        "the broken file made no version"
    );
    assert_eq!(
        ccm_json(&lib, &["show", &id, "--file", "template.toml"])["content"],
        good.as_str(),
        "the last good version is still the latest"
    );
}

#[test]
fn sigkill_during_import_leaves_the_previous_library_intact() {
    let temp = tempfile::tempdir().unwrap();
    let lib = temp.path().join("lib.sqlite");
    let small = temp.path().join("small");
    generate_library(&small, 20).unwrap();
    ccm_json(&lib, &["import", small.to_str().unwrap()]);

    let big = temp.path().join("big");
    generate_library(&big, 4000).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ccm"))
        .args(["import", big.to_str().unwrap()])
        .env("CCM_LIBRARY", &lib)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill once the import's transaction has started spilling pages into the WAL, or at the
    // latest after a while; either way the library must come back whole.
    let wal = temp.path().join("lib.sqlite-wal");
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut killed_mid_write = false;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if fs::metadata(&wal)
            .map(|m| m.len() > 1 << 20)
            .unwrap_or(false)
        {
            killed_mid_write = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    let store = Store::open(&lib).expect("the library opens after SIGKILL");
    assert_eq!(store.check_integrity().unwrap(), Vec::<String>::new());
    let count = store.count_templates().unwrap();
    if killed_mid_write {
        assert_eq!(count, 20, "the interrupted import left nothing behind");
    } else {
        assert!(count == 20 || count == 4020, "all or nothing, got {count}");
    }
    assert_eq!(
        store.history("gen-payment-reminder-00000").unwrap().len(),
        1
    );
    drop(store);
    // And the library still takes the import afterwards.
    let report = ccm_json(&lib, &["import", small.to_str().unwrap()]);
    assert_eq!(created(&report), 0);
}

#[test]
fn errors_name_the_problem_and_exit_non_zero() {
    let temp = tempfile::tempdir().unwrap();
    let lib = temp.path().join("none.sqlite");
    let out = ccm(&lib, &["list"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: no library at"), "{stderr}");
    assert!(
        stderr.contains("hint: create one with `ccm init`"),
        "{stderr}"
    );

    let init = ccm_json(&lib, &["init"]);
    assert_eq!(init["created"], true);
    let out = ccm(&lib, &["show", "missing-template", "--json"]);
    assert!(!out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["error"]["code"], "not_found");
}
