//! Crash safety: the real `ccm` binary killed with SIGKILL at random points of import, save
//! (`ccm new`), watch sync, approve and pack export. After every kill the library opens,
//! `PRAGMA integrity_check` is ok, every version committed before the kill is still there with
//! its hash, `ccm archive verify` passes, and the export target holds no half-written file.
//!
//! A few trials of each run in every test run; `CCM_CRASH_TRIALS=50` runs 50 of each.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ccm_core::store::Store;
use common::{ccm_as, json_as, ok, repo_root};

const ID: &str = "jp-bank-payment-reminder";

fn trials() -> usize {
    std::env::var("CCM_CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
}

/// A small deterministic generator: the same trial kills at the same moment on every run, so
/// a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Three people and a library of the samples with a team and one approval in its archive.
struct World {
    temp: tempfile::TempDir,
    base: PathBuf,
}

impl World {
    fn new() -> World {
        let temp = tempfile::tempdir().unwrap();
        let base = temp.path().join("base.sqlite");
        let people = [
            ("aiko", "Aiko Designer", "designer"),
            ("hanako", "佐藤 花子", "compliance"),
            ("ren", "Ren Brand", "brand"),
        ];
        let mut keys = Vec::new();
        for (dir, name, role) in people {
            let v = json_as(
                &temp.path().join(dir),
                &base,
                &["id", "init", "--name", name, "--role", role],
            );
            keys.push((name, role, v["public_key"].as_str().unwrap().to_owned()));
        }
        let w = World { temp, base };
        ok(&w.ccm("aiko", &w.base, &["import", "--samples"]), "import");
        for (name, role, key) in &keys {
            let args = ["team", "add", "--name", name, "--role", role, "--key", key];
            ok(&w.ccm("aiko", &w.base, &args), "team add");
        }
        json_as(&w.who("aiko"), &w.base, &["review", "submit", ID]);
        json_as(&w.who("hanako"), &w.base, &["review", "approve", ID]);
        w
    }

    fn who(&self, name: &str) -> PathBuf {
        self.temp.path().join(name)
    }

    fn ccm(&self, who: &str, lib: &Path, args: &[&str]) -> std::process::Output {
        ccm_as(&self.who(who), lib, args)
    }

    /// A fresh copy of the base library for one trial (no process holds it).
    fn library(&self, name: &str) -> PathBuf {
        let lib = self.temp.path().join(format!("{name}.sqlite"));
        std::fs::copy(&self.base, &lib).unwrap();
        lib
    }

    fn spawn(&self, who: &str, lib: &Path, args: &[&str]) -> Child {
        Command::new(env!("CARGO_BIN_EXE_ccm"))
            .args(args)
            .env("CCM_LIBRARY", lib)
            .env("CCM_IDENTITY_DIR", self.who(who))
            .env("CCM_TODAY", "2026-12-03")
            .env_remove("CCM_RULES")
            .env("LANG", "C")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ccm starts")
    }
}

/// Every committed version: template id → [(number, hash)].
fn versions(lib: &Path) -> BTreeMap<String, Vec<(u32, String)>> {
    let store = Store::open(lib).expect("the library opens");
    let problems = store.check_integrity().unwrap();
    assert!(problems.is_empty(), "integrity_check: {problems:?}");
    store
        .latest_files()
        .unwrap()
        .into_iter()
        .map(|(id, _)| {
            let h = store
                .history(&id)
                .unwrap()
                .into_iter()
                .map(|v| (v.number, v.hash.to_string()))
                .collect();
            (id, h)
        })
        .collect()
}

/// Runs `args` once to completion to learn how long it takes, so kills land inside it.
fn duration_of(mut child: Child) -> Duration {
    let start = Instant::now();
    child.wait().unwrap();
    start.elapsed().max(Duration::from_millis(20))
}

/// Kills `child` after `delay` (or finds it already finished).
fn kill_after(mut child: Child, delay: Duration) {
    std::thread::sleep(delay);
    let _ = child.kill(); // SIGKILL on Unix
    let _ = child.wait();
}

/// What must hold after any kill.
fn check_after_kill(w: &World, lib: &Path, before: &BTreeMap<String, Vec<(u32, String)>>) {
    let after = versions(lib);
    for (id, vs) in before {
        let now = after
            .get(id)
            .unwrap_or_else(|| panic!("template {id} lost"));
        assert!(
            now.starts_with(vs),
            "{id}: committed versions kept: {vs:?} → {now:?}"
        );
    }
    let v = w.ccm("aiko", lib, &["archive", "verify", "--json"]);
    ok(&v, "archive verify after a kill");
}

fn delays(rng: &mut Lcg, full: Duration) -> Duration {
    Duration::from_micros(rng.below(full.as_micros() as u64 + 1))
}

#[test]
fn sigkill_during_import_save_and_approve_loses_nothing() {
    let w = World::new();
    let mut rng = Lcg(0x5eed_0001);
    // Import: a copy of the samples with one template edited, so import stores a version.
    let edited = w.temp.path().join("edited");
    copy_dir(&repo_root().join("templates"), &edited.join("templates"));
    copy_dir(&repo_root().join("assets"), &edited.join("assets"));
    let sms = edited.join("templates").join(ID).join("sms.txt");
    let text = std::fs::read_to_string(&sms).unwrap();
    std::fs::write(&sms, format!("{text}（改訂）\n")).unwrap();
    let dir = edited.to_str().unwrap().to_string();

    let probe = w.library("probe-import");
    let full = duration_of(w.spawn("aiko", &probe, &["import", &dir]));
    for t in 0..trials() {
        let lib = w.library(&format!("import-{t}"));
        let before = versions(&lib);
        kill_after(
            w.spawn("aiko", &lib, &["import", &dir]),
            delays(&mut rng, full),
        );
        check_after_kill(&w, &lib, &before);
    }

    // Save: `ccm new` stores version 1 of a new template.
    let probe = w.library("probe-new");
    let full = duration_of(w.spawn(
        "aiko",
        &probe,
        &[
            "new",
            "crash-probe",
            "--name",
            "x",
            "--brand",
            "sakura-bank",
        ],
    ));
    for t in 0..trials() {
        let lib = w.library(&format!("new-{t}"));
        let before = versions(&lib);
        let id = format!("crash-new-{t}");
        kill_after(
            w.spawn(
                "aiko",
                &lib,
                &["new", &id, "--name", "x", "--brand", "sakura-bank"],
            ),
            delays(&mut rng, full),
        );
        check_after_kill(&w, &lib, &before);
    }

    // Approve: the compliance officer approves a version in review.
    let approvable = w.library("approvable");
    ok(
        &w.ccm("aiko", &approvable, &["import", &dir]),
        "import edit",
    );
    json_as(&w.who("aiko"), &approvable, &["review", "submit", ID]);
    let probe = w.temp.path().join("probe-approve.sqlite");
    std::fs::copy(&approvable, &probe).unwrap();
    let full = duration_of(w.spawn("hanako", &probe, &["review", "approve", ID]));
    for t in 0..trials() {
        let lib = w.temp.path().join(format!("approve-{t}.sqlite"));
        std::fs::copy(&approvable, &lib).unwrap();
        let before = versions(&lib);
        kill_after(
            w.spawn("hanako", &lib, &["review", "approve", ID]),
            delays(&mut rng, full),
        );
        check_after_kill(&w, &lib, &before);
    }
}

#[test]
fn sigkill_during_watch_sync_loses_nothing() {
    let w = World::new();
    let mut rng = Lcg(0x5eed_0002);
    for t in 0..trials() {
        let project = w.temp.path().join(format!("watched-{t}"));
        copy_dir(&repo_root().join("templates"), &project.join("templates"));
        copy_dir(&repo_root().join("assets"), &project.join("assets"));
        let lib = w.library(&format!("watch-{t}"));
        let before = versions(&lib);
        let dir = project.to_str().unwrap().to_string();
        let child = w.spawn("aiko", &lib, &["watch", &dir]);
        // Edit while the watcher imports and syncs; kill somewhere in the next second.
        std::thread::sleep(Duration::from_millis(300 + rng.below(500)));
        let sms = project.join("templates").join(ID).join("sms.txt");
        let text = std::fs::read_to_string(&sms).unwrap();
        std::fs::write(&sms, format!("{text}（改訂 {t}）\n")).unwrap();
        kill_after(child, Duration::from_millis(rng.below(1000)));
        check_after_kill(&w, &lib, &before);
    }
}

#[test]
fn sigkill_during_pack_export_leaves_no_half_written_pack() {
    let w = World::new();
    let mut rng = Lcg(0x5eed_0003);
    let key = w.ccm("ren", &w.base, &["id", "show", "--json"]);
    ok(&key, "id show");
    let key = serde_json::from_slice::<serde_json::Value>(&key.stdout).unwrap()["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let export = |lib: &Path, out: &Path| {
        w.spawn(
            "ren",
            lib,
            &[
                "pack",
                "export",
                "--brand",
                "sakura-bank",
                "--out",
                out.to_str().unwrap(),
            ],
        )
    };
    let probe_dir = w.temp.path().join("probe-out");
    std::fs::create_dir_all(&probe_dir).unwrap();
    let full = duration_of(export(&w.base, &probe_dir.join("p.ccmpack")));
    for t in 0..trials() {
        let lib = w.library(&format!("pack-{t}"));
        let before = versions(&lib);
        let out_dir = w.temp.path().join(format!("out-{t}"));
        std::fs::create_dir_all(&out_dir).unwrap();
        let pack = out_dir.join("sakura.ccmpack");
        kill_after(export(&lib, &pack), delays(&mut rng, full));
        check_after_kill(&w, &lib, &before);
        // Whatever is visible in the target is whole: a pack with its signature verifies; a
        // pack without one is a complete ZIP; leftovers are only hidden temporary files.
        for entry in std::fs::read_dir(&out_dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                name == "sakura.ccmpack"
                    || name == "sakura.ccmpack.minisig"
                    || (name.starts_with('.') && name.ends_with(".tmp") || name.contains(".tmp-")),
                "unexpected file {name} in the export target"
            );
        }
        let sig = out_dir.join("sakura.ccmpack.minisig");
        if sig.exists() {
            assert!(pack.exists(), "a signature without its pack");
            let v = w.ccm(
                "aiko",
                &lib,
                &[
                    "pack",
                    "verify",
                    pack.to_str().unwrap(),
                    "--key",
                    &key,
                    "--json",
                ],
            );
            ok(&v, "the exported pack verifies");
        } else if pack.exists() {
            let bytes = std::fs::read(&pack).unwrap();
            ccm_pack::unzip::read_entries(&bytes, &ccm_pack::Limits::default(), |_| {})
                .unwrap_or_else(|e| panic!("trial {t}: a half-written pack: {e}"));
        }
        // Exporting again completes, and clears what the killed export left behind.
        let mut again = export(&lib, &pack);
        assert!(again.wait().unwrap().success(), "trial {t}: export again");
        let mut names: Vec<String> = std::fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["sakura.ccmpack", "sakura.ccmpack.minisig"],
            "trial {t}"
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
