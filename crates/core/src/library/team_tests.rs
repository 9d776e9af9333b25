//! The team roster through the file format: import, export, and what a bad file does.

use std::fs;

use super::*;
use crate::identity::{Identity, Role};
use crate::store::Store;
use crate::team::Roster;

fn member_file(dir: &std::path::Path, name: &str, role: Role) -> String {
    let keys = tempfile::tempdir().unwrap();
    let id = Identity::create(keys.path(), name, role).unwrap();
    let team = dir.join("templates").join(crate::format::TEAM_DIR);
    fs::create_dir_all(&team).unwrap();
    let text = toml::to_string(&id.member).unwrap();
    fs::write(team.join(Roster::file_name(&id.fingerprint)), text).unwrap();
    id.fingerprint
}

#[test]
fn a_roster_folder_imports_exports_and_reimports_without_a_new_version() {
    let tmp = tempfile::tempdir().unwrap();
    generate_library(tmp.path(), 1).unwrap();
    let alice = member_file(tmp.path(), "Alice", Role::Designer);
    let hanako = member_file(tmp.path(), "佐藤 花子", Role::Compliance);
    let dirs = LibraryDirs::resolve(tmp.path(), None);
    let mut store = Store::in_memory().unwrap();
    let report = import(&mut store, &dirs, "test").unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(
        report.created.iter().any(|i| i.kind == ItemKind::Team),
        "the roster got a version"
    );
    let (roster, version) = store.team().unwrap();
    assert_eq!(version, Some(1));
    assert_eq!(roster.member(&hanako).unwrap().role, Role::Compliance);
    assert_eq!(roster.member(&alice).unwrap().name, "Alice");

    let out = tempfile::tempdir().unwrap();
    let exported = export(&store, out.path()).unwrap();
    assert_eq!(exported.team, 2);
    let again = import(&mut store, &LibraryDirs::resolve(out.path(), None), "test").unwrap();
    assert!(again.created.is_empty(), "{:?}", again.created);
    assert_eq!(again.unchanged.team, 1);
}

#[test]
fn a_bad_member_file_leaves_the_roster_as_it_was_and_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    generate_library(tmp.path(), 1).unwrap();
    member_file(tmp.path(), "Alice", Role::Compliance);
    let dirs = LibraryDirs::resolve(tmp.path(), None);
    let mut store = Store::in_memory().unwrap();
    import(&mut store, &dirs, "test").unwrap();

    let team = tmp.path().join("templates/_team");
    fs::write(
        team.join("mallory.toml"),
        "name = \"Mallory\"\nrole = \"compliance\"\npublic_key = \"RWnot\"\n",
    )
    .unwrap();
    let report = import(&mut store, &dirs, "test").unwrap();
    let problem = report
        .problems
        .iter()
        .find(|p| {
            p.file
                .as_deref()
                .is_some_and(|f| f.ends_with("_team/mallory.toml"))
        })
        .unwrap_or_else(|| panic!("{:?}", report.problems));
    assert!(problem.message.en.contains("public key"), "{problem}");
    let (roster, version) = store.team().unwrap();
    assert_eq!((roster.len(), version), (1, Some(1)), "nothing added");
}

#[test]
fn a_version_records_the_key_of_the_identity_that_stored_it() {
    let tmp = tempfile::tempdir().unwrap();
    generate_library(tmp.path(), 1).unwrap();
    let dirs = LibraryDirs::resolve(tmp.path(), None);
    let mut store = Store::in_memory().unwrap();
    store.set_author_key(Some("E2D2B12F5A3CC0C0".into()));
    import(&mut store, &dirs, "import").unwrap();
    let id = &store.latest_files().unwrap()[0].0;
    let v = store.get(id, None).unwrap();
    assert_eq!(v.author, "import", "where it came from");
    assert_eq!(v.author_key.as_deref(), Some("E2D2B12F5A3CC0C0"), "who");
    assert_eq!(
        store.history(id).unwrap()[0].author_key.as_deref(),
        Some("E2D2B12F5A3CC0C0")
    );
}
