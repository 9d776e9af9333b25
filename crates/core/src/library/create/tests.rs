use std::path::Path;

use super::*;
use crate::format::MANIFEST_FILE;
use crate::library::{import, LibraryDirs};
use crate::model::Channel;

/// A library holding the bundled samples (their brands and blocks are what starters use).
fn samples() -> Store {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut store = Store::in_memory().unwrap();
    let report = import(&mut store, &LibraryDirs::resolve(&root, None), "test").unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    store
}

fn options(id: &str) -> StarterOptions {
    StarterOptions {
        id: id.into(),
        name: "口座振替のご案内".into(),
        brand: "sakura-bank".into(),
        purpose: Purpose::Transactional,
        industry: "bank".into(),
        locales: vec!["ja".into(), "en".into()],
        channels: Channel::ALL.to_vec(),
    }
}

#[test]
fn a_starter_is_created_as_version_1_and_renders_from_the_library() {
    let mut store = samples();
    let created = create_from_starter(&mut store, &options("direct-debit"), "alice").unwrap();
    assert_eq!((created.id.as_str(), created.version), ("direct-debit", 1));
    let bundle = store.bundle("direct-debit", None).unwrap();
    assert_eq!(bundle.brand.kit.id, "sakura-bank");
    assert_eq!(bundle.source.files, created.files);
    let history = store.history("direct-debit").unwrap();
    assert_eq!(history[0].author, "alice");
    assert_eq!(history[0].message, "new template from the starter");
}

#[test]
fn an_id_that_exists_is_refused_and_the_existing_template_is_untouched() {
    let mut store = samples();
    let before = store.get("jp-bank-welcome", None).unwrap();
    let err = create_from_starter(&mut store, &options("jp-bank-welcome"), "bob").unwrap_err();
    assert_eq!(err.code(), "already_exists");
    assert_eq!(
        err.to_string(),
        "template 'jp-bank-welcome' already exists in the library"
    );
    let err = create_copy(
        &mut store,
        "jp-bank-fraud-alert",
        "jp-bank-welcome",
        "x",
        "bob",
    )
    .unwrap_err();
    assert_eq!(err.code(), "already_exists");
    // Files made elsewhere that carry a taken id are refused the same way.
    let mut files = starter_files(&options("jp-bank-welcome")).unwrap();
    files.0.insert("sms.txt".into(), "別の内容\n".into());
    let err = create_template(&mut store, files, "bob", "new").unwrap_err();
    assert_eq!(err.code(), "already_exists");
    let history = store.history("jp-bank-welcome").unwrap();
    assert_eq!(history.len(), 1, "no version was added");
    assert_eq!(store.get("jp-bank-welcome", None).unwrap(), before);
}

#[test]
fn an_unknown_brand_names_the_brands_there_are() {
    let mut store = samples();
    let mut opts = options("x-notice");
    opts.brand = "sakura-bnak".into();
    let err = create_from_starter(&mut store, &opts, "alice").unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(
        err.to_string(),
        "brand: brand `sakura-bnak` is not in the library"
    );
    assert!(err.hint().contains("sakura-bank"), "{}", err.hint());
    assert!(err.hint().contains("ccm import"), "{}", err.hint());
    assert!(!store.template_exists("x-notice").unwrap());
}

#[test]
fn a_bad_id_is_refused_before_anything_else() {
    let mut store = samples();
    let mut opts = options("Direct Debit");
    opts.brand = "nope".into();
    let err = create_from_starter(&mut store, &opts, "alice").unwrap_err();
    assert!(err.to_string().starts_with("id: "), "{err}");
    assert_eq!(
        err.hint(),
        "try `direct-debit` (lowercase words joined by `-`)"
    );
}

#[test]
fn a_block_the_library_lacks_is_reported_with_its_file() {
    let mut store = samples();
    let mut files = starter_files(&options("with-missing-block")).unwrap();
    let email = files.get("email.md").unwrap().to_string();
    files.0.insert(
        "email.md".into(),
        email.replace("blocks/no-reply", "blocks/no-such-block"),
    );
    let err = create_template(&mut store, files, "alice", "new").unwrap_err();
    let Error::Invalid(problems) = &err else {
        panic!("{err:?}")
    };
    assert!(
        problems[0]
            .to_string()
            .contains("email.md:22:12: block `no-such-block` does not exist"),
        "{problems:?}"
    );
    assert!(!store.template_exists("with-missing-block").unwrap());
}

#[test]
fn a_copy_keeps_the_original_files_and_records_where_it_came_from() {
    let mut store = samples();
    let original = store.get("jp-bank-payment-reminder", None).unwrap();
    let created = create_copy(
        &mut store,
        "jp-bank-payment-reminder",
        "jp-bank-payment-reminder-2027",
        "お引き落としのお知らせ（2027年版）",
        "alice",
    )
    .unwrap();
    assert_eq!(created.version, 1);
    for (path, text) in &original.files.0 {
        if path != MANIFEST_FILE {
            assert_eq!(created.files.get(path), Some(text.as_str()), "{path}");
        }
    }
    let history = store.history("jp-bank-payment-reminder-2027").unwrap();
    assert_eq!(
        history[0].message,
        format!("copy of jp-bank-payment-reminder v{}", original.number)
    );
    let listed = store.list(&Default::default()).unwrap();
    let copy = listed
        .iter()
        .find(|t| t.id == "jp-bank-payment-reminder-2027")
        .unwrap();
    assert_eq!(copy.name, "お引き落としのお知らせ（2027年版）");
    assert_eq!(
        store.history("jp-bank-payment-reminder").unwrap().len(),
        1,
        "the original gained no version"
    );

    let err = create_copy(&mut store, "no-such-template", "fresh", "x", "alice").unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[test]
fn marketing_needs_a_brand_with_an_opt_out_url() {
    let mut store = samples();
    // A copy of a sample brand kit without its opt-out URL.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let kit = root.join("assets/brands/sakura-bank");
    let temp = tempfile::tempdir().unwrap();
    let brand_dir = temp.path().join("assets/brands/no-opt-out");
    std::fs::create_dir_all(&brand_dir).unwrap();
    std::fs::create_dir_all(temp.path().join("templates")).unwrap();
    let toml = std::fs::read_to_string(kit.join("brand.toml")).unwrap();
    let toml: String = toml
        .lines()
        .filter(|l| !l.starts_with("opt_out_url"))
        .map(|l| {
            if l.starts_with("id = ") {
                "id = \"no-opt-out\"\n".to_string()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(brand_dir.join("brand.toml"), toml).unwrap();
    std::fs::copy(kit.join("logo.png"), brand_dir.join("logo.png")).unwrap();
    let report = import(&mut store, &LibraryDirs::resolve(temp.path(), None), "test").unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);

    let mut opts = options("campaign");
    opts.brand = "no-opt-out".into();
    opts.purpose = Purpose::Marketing;
    let err = create_from_starter(&mut store, &opts, "alice").unwrap_err();
    assert_eq!(
        err.to_string(),
        "brand: brand `no-opt-out` has no opt-out URL, which every marketing message must show"
    );
    assert!(
        err.hint().contains("assets/brands/no-opt-out/brand.toml"),
        "{}",
        err.hint()
    );
    assert!(!store.template_exists("campaign").unwrap());

    opts.purpose = Purpose::Transactional;
    create_from_starter(&mut store, &opts, "alice").expect("transactional mail needs no opt-out");
    opts.id = "campaign-2".into();
    opts.brand = "sakura-bank".into();
    opts.purpose = Purpose::Marketing;
    create_from_starter(&mut store, &opts, "alice").expect("sakura-bank has an opt-out URL");
}

#[test]
fn id_status_reports_spelling_and_clashes() {
    let store = samples();
    let ok = id_status(&store, "brand-new").unwrap();
    assert_eq!((ok.problem, ok.taken), (None, false));
    let taken = id_status(&store, "jp-bank-welcome").unwrap();
    assert_eq!((taken.problem, taken.taken), (None, true));
    let bad = id_status(&store, "Brand New").unwrap();
    assert_eq!(bad.problem, Some(IdProblem::InvalidCharacters));
    assert!(!bad.taken);
}

#[test]
fn brand_choices_carry_locale_and_usual_industry() {
    let mut store = samples();
    let choices = brand_choices(&store).unwrap();
    let ids: Vec<&str> = choices.iter().map(|b| b.id.as_str()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "ordered by id: {ids:?}"
    );
    let sakura = choices.iter().find(|b| b.id == "sakura-bank").unwrap();
    assert_eq!(sakura.name, "さくら銀行");
    assert_eq!(sakura.default_locale, "ja");
    assert_eq!(sakura.usual_industry.as_deref(), Some("bank"));
    let northwind = choices
        .iter()
        .find(|b| b.id == "northwind-outfitters")
        .unwrap();
    assert_eq!(northwind.default_locale, "en");
    assert_eq!(northwind.usual_industry.as_deref(), Some("retail"));

    // Two insurance templates and one new "bank" one: the majority wins.
    let mut opts = options("aoba-bank-like");
    opts.brand = "aoba-sonpo".into();
    create_from_starter(&mut store, &opts, "alice").unwrap();
    assert_eq!(
        usual_industry(&store, "aoba-sonpo").unwrap().as_deref(),
        Some("insurance")
    );
    assert_eq!(usual_industry(&store, "no-such-brand").unwrap(), None);
}
