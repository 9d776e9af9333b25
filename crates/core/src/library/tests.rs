use std::fs;

use super::sync::{apply, take_folder, write_library_version, SyncEvent};
use super::*;
use crate::store::Store;
use crate::watch::WatchEvent;

fn generated(count: usize) -> (tempfile::TempDir, LibraryDirs) {
    let dir = tempfile::tempdir().unwrap();
    generate_library(dir.path(), count).unwrap();
    let dirs = LibraryDirs::resolve(dir.path(), None);
    (dir, dirs)
}

/// The setup of every watch test: a generated library folder imported into a store, and the
/// sync's view of what each template folder holds.
struct Watched {
    _tmp: tempfile::TempDir,
    dirs: LibraryDirs,
    store: Store,
    bases: FolderBases,
}

fn watched(count: usize) -> Watched {
    let (_tmp, dirs) = generated(count);
    let mut store = Store::in_memory().unwrap();
    import(&mut store, &dirs, "test").unwrap();
    let bases = FolderBases::scan(&dirs.templates);
    Watched {
        _tmp,
        dirs,
        store,
        bases,
    }
}

fn first_template(dirs: &LibraryDirs) -> (String, std::path::PathBuf) {
    let id = "gen-payment-reminder-00000".to_owned();
    let dir = dirs.templates.join(&id);
    assert!(dir.is_dir());
    (id, dir)
}

#[test]
fn import_skips_a_broken_template_reports_it_and_keeps_what_is_stored() {
    let (_tmp, dirs) = generated(4);
    let mut store = Store::in_memory().unwrap();
    let first = import(&mut store, &dirs, "test").unwrap();
    assert_eq!(first.created_templates(), 4);
    assert!(first.problems.is_empty(), "{:?}", first.problems);
    assert_eq!(first.assets, 2, "both logos inspected and thumbnailed");
    assert!(!store
        .thumbnail("brands/gen-bank-jp/logo.png")
        .unwrap()
        .is_empty());

    let (id, dir) = first_template(&dirs);
    let manifest = dir.join("template.toml");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, text.replace("purpose = ", "purpse = ")).unwrap();
    fs::write(dir.join("sms.txt"), "changed while broken\n").unwrap();

    let second = import(&mut store, &dirs, "test").unwrap();
    assert!(
        second.created.is_empty(),
        "nothing else changed: {:?}",
        second.created
    );
    assert_eq!(second.unchanged.templates, 3);
    let problem = &second.problems[0];
    assert!(
        problem.file.as_deref().unwrap().ends_with("template.toml"),
        "{problem}"
    );
    assert!(problem.line.is_some(), "{problem}");
    assert!(problem.message.en.contains("purpse"), "{problem}");
    // The stored version of the broken template is untouched.
    assert_eq!(store.history(&id).unwrap().len(), 1);
    assert_ne!(
        store.get(&id, None).unwrap().files.get("sms.txt"),
        Some("changed while broken\n")
    );
}

#[test]
fn a_changed_file_creates_exactly_one_version_with_its_parent() {
    let (_tmp, dirs) = generated(3);
    let mut store = Store::in_memory().unwrap();
    import(&mut store, &dirs, "test").unwrap();
    let (id, dir) = first_template(&dirs);
    let before = store.get(&id, None).unwrap();
    fs::write(dir.join("sms.txt"), "お支払いのお願い\n").unwrap();
    let report = import(&mut store, &dirs, "test").unwrap();
    assert_eq!(report.created.len(), 1, "{:?}", report.created);
    assert_eq!(report.created[0].id, id);
    let after = store.get(&id, None).unwrap();
    assert_eq!(after.number, 2);
    assert_eq!(after.parent, Some(before.hash));
}

#[test]
fn sync_saves_valid_edits_and_keeps_the_last_good_version_on_errors() {
    let Watched {
        _tmp,
        dirs,
        mut store,
        mut bases,
    } = watched(3);
    let (id, dir) = first_template(&dirs);
    let changed = || WatchEvent::TemplateChanged {
        id: id.clone(),
        dir: dir.clone(),
    };

    // Nothing changed on disk: looked again, nothing stored (reported, so a UI can clear an
    // earlier problem of a file fixed back to its saved content).
    let results = apply(&mut store, &dirs, "watch", &mut bases, changed());
    assert!(
        matches!(
            results.as_slice(),
            [Ok(Some(SyncEvent::Unchanged { version: 1, .. }))]
        ),
        "{results:?}"
    );
    assert_eq!(store.history(&id).unwrap().len(), 1);

    fs::write(dir.join("sms.txt"), "明日は停電です\n").unwrap();
    let results = apply(&mut store, &dirs, "watch", &mut bases, changed());
    match results.as_slice() {
        [Ok(Some(SyncEvent::Saved {
            version: 2,
            template_id,
            ..
        }))] => assert_eq!(template_id, &id),
        other => panic!("expected Saved v2, got {other:?}"),
    }
    assert_eq!(store.search("停電です", 5).unwrap()[0].id, id);

    let email = dir.join("email.md");
    fs::write(&email, "+++\nsubject = \"unterminated\n+++\nbody\n").unwrap();
    let results = apply(&mut store, &dirs, "watch", &mut bases, changed());
    match results.as_slice() {
        [Ok(Some(SyncEvent::Invalid {
            kept_version: Some(2),
            problems,
            ..
        }))] => {
            assert!(
                problems[0].file.as_deref().unwrap().ends_with("email.md"),
                "{}",
                problems[0]
            );
            assert!(problems[0].line.is_some(), "{}", problems[0]);
        }
        other => panic!("expected Invalid keeping v2, got {other:?}"),
    }
    assert_eq!(store.history(&id).unwrap().len(), 2);
    assert_eq!(
        store.get(&id, None).unwrap().files.get("sms.txt"),
        Some("明日は停電です\n")
    );

    // A deleted folder is reported; the library keeps the template.
    fs::remove_dir_all(&dir).unwrap();
    let results = apply(
        &mut store,
        &dirs,
        "watch",
        &mut bases,
        WatchEvent::TemplateRemoved { id: id.clone() },
    );
    assert!(matches!(
        results.as_slice(),
        [Ok(Some(SyncEvent::Removed { .. }))]
    ));
    assert_eq!(store.history(&id).unwrap().len(), 2);
}

#[test]
fn sync_stores_changed_blocks_and_brands() {
    let Watched {
        _tmp,
        dirs,
        mut store,
        mut bases,
    } = watched(1);
    fs::write(
        dirs.templates.join("_blocks/legal-footer.ja.md"),
        "{{ brand.legal_name }}\n",
    )
    .unwrap();
    let results = apply(
        &mut store,
        &dirs,
        "watch",
        &mut bases,
        WatchEvent::BlocksChanged,
    );
    let saved: Vec<_> = results.into_iter().filter_map(|r| r.unwrap()).collect();
    assert_eq!(
        saved,
        [SyncEvent::BlocksSaved {
            blocks: vec!["legal-footer.ja".into()]
        }]
    );

    let brand_toml = dirs.assets.join("brands/gen-bank-jp/brand.toml");
    let text = fs::read_to_string(&brand_toml).unwrap();
    fs::write(
        &brand_toml,
        text.replace("みなと銀行\"", "みなと銀行グループ\""),
    )
    .unwrap();
    let results = apply(
        &mut store,
        &dirs,
        "watch",
        &mut bases,
        WatchEvent::BrandChanged {
            id: "gen-bank-jp".into(),
        },
    );
    let saved: Vec<_> = results.into_iter().filter_map(|r| r.unwrap()).collect();
    assert_eq!(
        saved,
        [SyncEvent::BrandSaved {
            brand_id: "gen-bank-jp".into(),
            version: 2
        }]
    );
    assert_eq!(
        store.brand("gen-bank-jp").unwrap().kit.name,
        "みなと銀行グループ"
    );
}

#[test]
fn bundle_has_everything_a_renderer_needs() {
    let (_tmp, dirs) = generated(2);
    let mut store = Store::in_memory().unwrap();
    import(&mut store, &dirs, "test").unwrap();
    let (id, _) = first_template(&dirs);
    let bundle = store.bundle(&id, None).unwrap();
    assert_eq!(bundle.template_id, id);
    assert_eq!(bundle.version, 1);
    assert_eq!(bundle.source.personas.len(), 2);
    assert_eq!(bundle.brand.kit.id, bundle.source.manifest.brand);
    assert!(bundle.brand.logo().is_some());
    assert!(bundle.blocks.iter().any(|b| b.name == "legal-footer"));
}

#[test]
fn save_template_validates_before_storing() {
    let (_tmp, dirs) = generated(1);
    let mut store = Store::in_memory().unwrap();
    import(&mut store, &dirs, "test").unwrap();
    let (id, _) = first_template(&dirs);
    let mut files = store.get(&id, None).unwrap().files;
    let (_, same) = store
        .save_template(files.clone(), "app", "no change")
        .unwrap();
    assert!(!same.is_created(), "saving identical content is Unchanged");

    files
        .0
        .insert("push.toml".into(), "title = \"x\"\nbody = 5\n".into());
    let err = store.save_template(files, "app", "broken").unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(err.to_string().contains("push.toml"), "{err}");
    assert_eq!(store.history(&id).unwrap().len(), 1, "nothing stored");
}

/// The app saved `files` with `sms.txt` (or another file) replaced: a version made outside the
/// folder, as the app's autosave does.
fn app_edit(store: &mut Store, id: &str, path: &str, text: &str) -> u32 {
    let mut files = store.get(id, None).unwrap().files;
    files.0.insert(path.into(), text.into());
    let (_, outcome) = store
        .save_template(files, "app", "edited in the app")
        .unwrap();
    assert!(outcome.is_created());
    store.get(id, None).unwrap().number
}

fn sms_of(store: &Store, id: &str) -> String {
    store
        .get(id, None)
        .unwrap()
        .files
        .get("sms.txt")
        .unwrap()
        .to_owned()
}

#[test]
fn a_folder_edit_merges_with_app_edits_to_other_files() {
    let Watched {
        _tmp,
        dirs,
        mut store,
        mut bases,
    } = watched(1);
    let (id, dir) = first_template(&dirs);
    let changed = || WatchEvent::TemplateChanged {
        id: id.clone(),
        dir: dir.clone(),
    };

    // Touching a file without changing it must not undo the app's edit.
    assert_eq!(app_edit(&mut store, &id, "sms.txt", "アプリで編集\n"), 2);
    let sms = fs::read_to_string(dir.join("sms.txt")).unwrap();
    fs::write(dir.join("sms.txt"), &sms).unwrap();
    let results = apply(&mut store, &dirs, "watch", &mut bases, changed());
    assert!(
        matches!(
            results.as_slice(),
            [Ok(Some(SyncEvent::Unchanged { version: 2, .. }))]
        ),
        "{results:?}"
    );
    assert_eq!(sms_of(&store, &id), "アプリで編集\n");

    // An editor changes another file of the same template: both edits are kept.
    let push = dir.join("push.toml");
    let text = fs::read_to_string(&push).unwrap();
    let edited = text.replacen("title = \"", "title = \"【重要】", 1);
    assert_ne!(edited, text);
    fs::write(&push, &edited).unwrap();
    let results = apply(&mut store, &dirs, "watch", &mut bases, changed());
    match results.as_slice() {
        [Ok(Some(SyncEvent::Merged {
            version: 3,
            from_folder,
            ..
        }))] => assert_eq!(from_folder, &["push.toml".to_owned()]),
        other => panic!("expected Merged v3, got {other:?}"),
    }
    let latest = store.get(&id, None).unwrap();
    assert_eq!(latest.files.get("sms.txt"), Some("アプリで編集\n"));
    assert_eq!(latest.files.get("push.toml"), Some(edited.as_str()));
    assert!(
        latest.message.starts_with("merged push.toml"),
        "{}",
        latest.message
    );

    // The folder now holds a mix the library never stored; the next folder edit to the file
    // the app changed is still a conflict, not an overwrite.
    fs::write(dir.join("sms.txt"), "エディタで上書き\n").unwrap();
    let results = apply(&mut store, &dirs, "watch", &mut bases, changed());
    assert!(
        matches!(
            results.as_slice(),
            [Ok(Some(SyncEvent::Conflict {
                library_version: 3,
                ..
            }))]
        ),
        "{results:?}"
    );
    assert_eq!(sms_of(&store, &id), "アプリで編集\n");

    // An edit to another file after the merge merges again, on top of the merged version.
    let email = dir.join("email.md");
    let text = fs::read_to_string(&email).unwrap();
    fs::write(dir.join("sms.txt"), &sms).unwrap();
    fs::write(&email, format!("{text}\n追記\n")).unwrap();
    let results = apply(&mut store, &dirs, "watch", &mut bases, changed());
    assert!(
        matches!(
            results.as_slice(),
            [Ok(Some(SyncEvent::Merged { version: 4, .. }))]
        ),
        "{results:?}"
    );
    let latest = store.get(&id, None).unwrap();
    assert_eq!(latest.files.get("sms.txt"), Some("アプリで編集\n"));
    assert_eq!(latest.files.get("push.toml"), Some(edited.as_str()));
    assert!(latest.files.get("email.md").unwrap().ends_with("追記\n"));
}

#[test]
fn the_same_file_edited_in_the_app_and_the_folder_is_a_conflict_until_a_side_is_chosen() {
    let Watched {
        _tmp,
        dirs,
        mut store,
        mut bases,
    } = watched(1);
    let (id, dir) = first_template(&dirs);
    let changed = || WatchEvent::TemplateChanged {
        id: id.clone(),
        dir: dir.clone(),
    };
    app_edit(&mut store, &id, "sms.txt", "アプリの文面\n");
    fs::write(dir.join("sms.txt"), "エディタの文面\n").unwrap();

    let results = apply(&mut store, &dirs, "watch", &mut bases, changed());
    match results.as_slice() {
        [Ok(Some(SyncEvent::Conflict {
            library_version: 2,
            files,
            ..
        }))] => {
            assert_eq!(files.len(), 1);
            assert!(files[0].ends_with("sms.txt"), "{files:?}");
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
    assert_eq!(sms_of(&store, &id), "アプリの文面\n", "nothing overwritten");
    // Still a conflict on the next save of the folder (the folder's side is not dropped).
    fs::write(dir.join("sms.txt"), "エディタの文面（再保存）\n").unwrap();
    let results = apply(&mut store, &dirs, "watch", &mut bases, changed());
    assert!(
        matches!(results.as_slice(), [Ok(Some(SyncEvent::Conflict { .. }))]),
        "{results:?}"
    );

    // Choosing the library: the folder gets the library's files; the watcher then sees no change.
    let event = write_library_version(&store, &dirs, &mut bases, &id).unwrap();
    assert!(
        matches!(event, SyncEvent::Unchanged { version: 2, .. }),
        "{event:?}"
    );
    assert_eq!(
        fs::read_to_string(dir.join("sms.txt")).unwrap(),
        "アプリの文面\n"
    );
    let results = apply(&mut store, &dirs, "watch", &mut bases, changed());
    assert!(
        matches!(
            results.as_slice(),
            [Ok(Some(SyncEvent::Unchanged { version: 2, .. }))]
        ),
        "{results:?}"
    );

    // Choosing the folder after another conflict: its version becomes the newest as it is.
    app_edit(&mut store, &id, "sms.txt", "アプリの文面 2\n");
    fs::write(dir.join("sms.txt"), "エディタの文面 2\n").unwrap();
    let results = apply(&mut store, &dirs, "watch", &mut bases, changed());
    assert!(matches!(
        results.as_slice(),
        [Ok(Some(SyncEvent::Conflict { .. }))]
    ));
    let event = take_folder(&mut store, &dirs, "watch", &mut bases, &id).unwrap();
    assert!(
        matches!(event, SyncEvent::Saved { version: 4, .. }),
        "{event:?}"
    );
    assert_eq!(sms_of(&store, &id), "エディタの文面 2\n");
    assert_eq!(
        store.history(&id).unwrap().len(),
        4,
        "the app's version stays in the history"
    );
}

#[test]
fn a_rescan_after_dropped_events_never_reverts_the_app_s_edits() {
    let Watched {
        _tmp,
        dirs,
        mut store,
        mut bases,
    } = watched(2);
    let (id, dir) = first_template(&dirs);
    app_edit(&mut store, &id, "sms.txt", "アプリで編集\n");

    // Nothing changed on disk: nothing to report, nothing stored.
    let results = apply(&mut store, &dirs, "watch", &mut bases, WatchEvent::Rescan);
    let events: Vec<_> = results.into_iter().filter_map(|r| r.unwrap()).collect();
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(sms_of(&store, &id), "アプリで編集\n");

    // A folder edit to another file that the OS did not report merges on the rescan.
    let push = dir.join("push.toml");
    let text = fs::read_to_string(&push).unwrap();
    fs::write(&push, text.replacen("title = \"", "title = \"【重要】", 1)).unwrap();
    let results = apply(&mut store, &dirs, "watch", &mut bases, WatchEvent::Rescan);
    let events: Vec<_> = results.into_iter().filter_map(|r| r.unwrap()).collect();
    assert!(
        matches!(events.as_slice(), [SyncEvent::Merged { version: 3, .. }]),
        "{events:?}"
    );
    assert_eq!(sms_of(&store, &id), "アプリで編集\n");
}

#[test]
fn resolving_a_conflict_never_touches_a_path_outside_the_watched_folder() {
    let Watched {
        _tmp,
        dirs,
        mut store,
        mut bases,
    } = watched(1);
    for id in ["../gen-payment-reminder-00000", "/etc", "a/b"] {
        let err = write_library_version(&store, &dirs, &mut bases, id).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{id}");
        let err = take_folder(&mut store, &dirs, "watch", &mut bases, id).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{id}");
    }
}
