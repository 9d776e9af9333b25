//! A library with a team (designer, compliance officer, brand member) and approved sakura-bank
//! templates, built once per test binary; each test works on its own copy of the file.

#![allow(dead_code)]

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ccm_core::identity::{Identity, Role};
use ccm_core::store::Store;
use ccm_core::team::Roster;
use ccm_pack::{Exporter, Layout, Selection};
use ccm_render::Engine;
use ccm_trust::review::{self, Reviewer};

pub const BRAND: &str = "sakura-bank";
pub const APPROVED: [&str; 2] = ["jp-bank-payment-reminder", "jp-bank-welcome"];
pub const STALE: &str = "jp-bank-account-update";
pub const DRAFT: &str = "jp-bank-fraud-alert";

pub struct Fixture {
    pub root: PathBuf,
    pub library: PathBuf,
}

impl Fixture {
    pub fn who(&self, name: &str) -> Identity {
        Identity::load(&self.root.join(name)).unwrap().unwrap()
    }

    /// A copy of the fixture library in `dir`.
    pub fn library_copy(&self, dir: &Path) -> Store {
        let path = dir.join("library.sqlite");
        std::fs::copy(&self.library, &path).unwrap();
        Store::open(&path).unwrap()
    }
}

pub fn today() -> time::Date {
    time::macros::date!(2026 - 12 - 03)
}

pub fn rules() -> ccm_rules::RuleSet {
    ccm_bundled::rules::bundled().unwrap()
}

pub fn approve(store: &mut Store, designer: &Identity, officer: &Identity, id: &str) {
    let rules = rules();
    let engine = Engine::new();
    review::submit(store, &rules, designer, id, None).unwrap();
    let reviewer = Reviewer {
        engine: &engine,
        rules: &rules,
    };
    review::approve(store, &reviewer, officer, id, None, &[], today()).unwrap();
}

/// Appends a line to the template's SMS file: a new version, so its approval goes stale.
pub fn edit(store: &mut Store, id: &str) {
    let mut files = store.get(id, None).unwrap().files;
    let key = files
        .0
        .keys()
        .find(|k| k.starts_with("sms"))
        .cloned()
        .unwrap();
    files.0.get_mut(&key).unwrap().push('\n');
    store.save_template(files, "test", "edit").unwrap();
}

pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let root = tempfile::tempdir().unwrap().keep();
        let designer =
            Identity::create(&root.join("designer"), "Aiko Designer", Role::Designer).unwrap();
        let officer =
            Identity::create(&root.join("officer"), "佐藤 花子", Role::Compliance).unwrap();
        let brand = Identity::create(&root.join("brand"), "Ren Brand", Role::Brand).unwrap();
        let library = root.join("source.sqlite");
        {
            let mut store = Store::open_or_create(&library).unwrap();
            store.set_author_key(Some(designer.fingerprint.clone()));
            ccm_bundled::samples::import_into(&mut store, "test").unwrap();
            let roster = Roster::new([
                designer.member.clone(),
                officer.member.clone(),
                brand.member.clone(),
            ])
            .unwrap();
            store.write(|w| w.save_team(&roster, "test")).unwrap();
            for id in APPROVED.into_iter().chain([STALE]) {
                approve(&mut store, &designer, &officer, id);
            }
            edit(&mut store, STALE);
        }
        // Identities that are not on the team.
        Identity::create(&root.join("outsider"), "Mallory", Role::Brand).unwrap();
        Fixture { root, library }
    })
}

/// Exports the fixture's brand as `brand` would, from `store`, to `out`.
pub fn export_brand(
    store: &Store,
    brand: &Identity,
    out: &Path,
    layout: Layout,
) -> ccm_pack::Result<ccm_pack::Exported> {
    let rules = rules();
    let engine = Engine::new();
    let exporter = Exporter {
        identity: brand,
        rules: &rules,
        engine: &engine,
        layout,
    };
    let selection = Selection {
        brand: Some(BRAND.to_owned()),
        ..Selection::default()
    };
    ccm_pack::export(store, &exporter, &selection, out, |_| {})
}

/// The exported pack of the fixture (exported once per test binary): bytes and signature.
pub fn pack() -> &'static (Vec<u8>, String) {
    static PACK: OnceLock<(Vec<u8>, String)> = OnceLock::new();
    PACK.get_or_init(|| {
        let f = fixture();
        let dir = tempfile::tempdir().unwrap();
        let store = f.library_copy(dir.path());
        let out = dir.path().join("p.ccmpack");
        export_brand(&store, &f.who("brand"), &out, Layout::Generic).unwrap();
        let bytes = std::fs::read(&out).unwrap();
        let sig = std::fs::read_to_string(dir.path().join("p.ccmpack.minisig")).unwrap();
        (bytes, sig)
    })
}

/// The entries of a ZIP, in order.
pub fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().into_owned(), b)
        })
        .collect()
}

/// A ZIP of `entries` as a careless or hostile tool would write it.
pub fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        z.start_file(name.as_str(), opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}
