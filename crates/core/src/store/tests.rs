use std::collections::BTreeMap;
use std::sync::Arc;

use super::*;
use crate::error::Error;
use crate::model::{
    Block, Brand, BrandColors, BrandFonts, BrandKit, Channel, Contact, Manifest, PostalAddress,
    TemplateSource,
};

fn store() -> Store {
    Store::in_memory()
        .unwrap()
        .with_clock(Arc::new(FixedClock("2026-11-23T09:00:00Z".into())))
}

fn source(id: &str, name: &str, tags: &[&str], brand: &str, email: &str) -> TemplateSource {
    let manifest = Manifest {
        id: id.into(),
        name: name.into(),
        description: format!("{name}の説明"),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        industry: "bank".into(),
        purpose: crate::model::Purpose::Transactional,
        brand: brand.into(),
        default_locale: "ja".into(),
        locales: vec!["ja".into()],
        rule_packs: vec![],
        channels: Channel::ALL.to_vec(),
        variables: vec![],
        consistency: Default::default(),
    };
    let mut files = BTreeMap::new();
    files.insert("template.toml".into(), format!("id = \"{id}\"\n"));
    files.insert("email.md".into(), email.into());
    files.insert("sms.txt".into(), "SMS本文\n".into());
    files.insert(
        "data/typical.json".into(),
        "{\"customer\": {\"name\": \"請求太郎\"}}".into(),
    );
    TemplateSource {
        manifest,
        files: TemplateFiles(files),
        personas: vec![],
    }
}

fn save(store: &mut Store, src: &TemplateSource) -> SaveOutcome {
    store
        .write(|w| w.save_template(src, "test", "save"))
        .unwrap()
}

#[test]
fn unchanged_content_creates_no_version_and_a_change_creates_exactly_one() {
    let mut s = store();
    let v1 = source(
        "reminder",
        "お支払いのお知らせ",
        &["bank"],
        "sakura",
        "本文1",
    );
    let first = save(&mut s, &v1);
    assert!(matches!(first, SaveOutcome::Created { version: 1, .. }));
    assert_eq!(
        save(&mut s, &v1),
        SaveOutcome::Unchanged {
            version: 1,
            hash: v1.files.content_hash()
        }
    );

    let v2 = source(
        "reminder",
        "お支払いのお知らせ",
        &["bank"],
        "sakura",
        "本文2",
    );
    assert!(matches!(
        save(&mut s, &v2),
        SaveOutcome::Created { version: 2, .. }
    ));
    let history = s.history("reminder").unwrap();
    assert_eq!(history.len(), 2, "one version per distinct content");
    assert_eq!(history[0].parent, None);
    assert_eq!(history[1].parent.as_ref(), Some(&v1.files.content_hash()));
    assert_eq!(history[1].hash, v2.files.content_hash());

    assert_eq!(s.get("reminder", None).unwrap().files, v2.files);
    assert_eq!(s.get("reminder", Some(1)).unwrap().files, v1.files);
    assert_eq!(s.list(&ListFilter::default()).unwrap()[0].latest_version, 2);
}

#[test]
fn reverting_to_earlier_content_is_a_new_version() {
    let mut s = store();
    let a = source("t", "名前", &[], "b", "A");
    let b = source("t", "名前", &[], "b", "B");
    save(&mut s, &a);
    save(&mut s, &b);
    assert!(matches!(
        save(&mut s, &a),
        SaveOutcome::Created { version: 3, .. }
    ));
    assert_eq!(s.get("t", Some(3)).unwrap().hash, a.files.content_hash());
}

#[test]
fn versions_cannot_be_updated_or_deleted() {
    let mut s = store();
    save(&mut s, &source("t", "名前", &[], "b", "A"));
    let update = s
        .conn
        .execute("UPDATE versions SET message = 'rewritten'", [])
        .unwrap_err();
    assert!(update.to_string().contains("immutable"), "{update}");
    let delete = s.conn.execute("DELETE FROM versions", []).unwrap_err();
    assert!(delete.to_string().contains("immutable"), "{delete}");
    assert_eq!(s.history("t").unwrap()[0].message, "save");
}

#[test]
fn a_failed_write_keeps_nothing() {
    let mut s = store();
    save(&mut s, &source("kept", "残る", &[], "b", "A"));
    let result: Result<()> = s.write(|w| {
        w.save_template(&source("lost", "消える", &[], "b", "B"), "test", "")?;
        w.save_template(&source("kept", "残る", &[], "b", "changed"), "test", "")?;
        Err(Error::Corrupt("simulated failure half-way".into()))
    });
    assert!(result.is_err());
    let ids: Vec<String> = s
        .list(&ListFilter::default())
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(ids, ["kept"], "the rolled-back template must not appear");
    assert_eq!(s.history("kept").unwrap().len(), 1);
    assert!(
        s.search("消える", 10).unwrap().is_empty(),
        "search index rolled back too"
    );
}

#[test]
fn japanese_search_finds_words_inside_longer_text() {
    let mut s = store();
    save(
        &mut s,
        &source(
            "jp-reminder",
            "引き落とし日のお知らせ",
            &["bank"],
            "sakura",
            "いつもご利用いただき、ありがとうございます。今月のお支払い金額をご確認ください。ご請求額は下記のとおりです。",
        ),
    );
    save(
        &mut s,
        &source(
            "us-welcome",
            "Welcome to Maple",
            &["retail"],
            "maple",
            "Your first BILL is ready.",
        ),
    );

    let hits = s.search("お支払い", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, "jp-reminder");
    assert!(
        hits[0].snippet.contains("[お支払い]"),
        "{}",
        hits[0].snippet
    );

    // Two characters: below the trigram size, matched by the LIKE fallback.
    let hits = s.search("請求", 10).unwrap();
    assert_eq!(
        hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        ["jp-reminder"]
    );
    assert!(hits[0].snippet.contains("[請求]"), "{}", hits[0].snippet);

    // A short term at the very end of a value, and a one-character term.
    save(
        &mut s,
        &source("jp-invoice", "ご請求", &[], "sakura", "本文"),
    );
    let ids =
        |q: &str| -> Vec<String> { s.search(q, 10).unwrap().into_iter().map(|h| h.id).collect() };
    assert_eq!(
        ids("請求"),
        ["jp-invoice", "jp-reminder"],
        "name hit ranks first"
    );
    assert_eq!(ids("額"), ["jp-reminder"]);
    assert!(ids("額x").is_empty());

    // Mixed long and short terms must all match; ASCII is case-insensitive.
    assert_eq!(s.search("bill ready", 10).unwrap()[0].id, "us-welcome");
    assert_eq!(s.search("お支払い 請求", 10).unwrap().len(), 1);
    assert!(s.search("お支払い maple", 10).unwrap().is_empty());
    assert!(s.search("存在しない言葉", 10).unwrap().is_empty());
    // Persona data is not channel text.
    assert!(s.search("請求太郎", 10).unwrap().is_empty());
    // FTS syntax in the query is taken literally, not as operators.
    assert!(s.search("\"AND OR NEAR(", 10).unwrap().is_empty());
}

#[test]
fn search_ranks_name_matches_above_body_matches() {
    let mut s = store();
    save(
        &mut s,
        &source("a-body", "ご案内", &[], "b", "停電のお知らせについて"),
    );
    save(
        &mut s,
        &source("z-name", "停電のお知らせ", &[], "b", "本文"),
    );
    let hits = s.search("停電のお知らせ", 10).unwrap();
    assert_eq!(hits[0].id, "z-name", "{hits:?}");
    assert_eq!(hits.len(), 2);
}

#[test]
fn search_index_follows_the_latest_version() {
    let mut s = store();
    save(&mut s, &source("t", "名前", &[], "b", "古い文章です"));
    save(&mut s, &source("t", "名前", &[], "b", "新しい文章です"));
    assert!(s.search("古い文章", 10).unwrap().is_empty());
    assert_eq!(s.search("新しい文章", 10).unwrap().len(), 1);
}

#[test]
fn list_filters_by_tag_and_brand() {
    let mut s = store();
    save(
        &mut s,
        &source("a", "A", &["bank", "reminder"], "sakura", "x"),
    );
    save(&mut s, &source("b", "B", &["retail"], "maple", "x"));
    save(&mut s, &source("c", "C", &["reminder"], "maple", "x"));
    let ids =
        |f: ListFilter| -> Vec<String> { s.list(&f).unwrap().into_iter().map(|t| t.id).collect() };
    assert_eq!(ids(ListFilter::default()), ["a", "b", "c"]);
    let by_tag = ListFilter {
        tag: Some("reminder".into()),
        ..Default::default()
    };
    assert_eq!(ids(by_tag.clone()), ["a", "c"]);
    assert_eq!(
        ids(ListFilter {
            brand: Some("maple".into()),
            ..by_tag
        }),
        ["c"]
    );
}

#[test]
fn missing_template_and_version_are_not_found() {
    let mut s = store();
    assert_eq!(s.get("nope", None).unwrap_err().code(), "not_found");
    save(&mut s, &source("t", "名前", &[], "b", "A"));
    let err = s.get("t", Some(9)).unwrap_err();
    assert!(
        matches!(&err, Error::NotFound { what: "version", id } if id == "t@9"),
        "{err:?}"
    );
}

fn brand(logo: &[u8]) -> Brand {
    let kit = BrandKit {
        id: "sakura".into(),
        name: "さくら銀行".into(),
        legal_name: "株式会社さくら銀行".into(),
        default_locale: "ja".into(),
        address: PostalAddress {
            lines: vec!["東京都千代田区丸の内1-1-1".into()],
            country: "JP".into(),
        },
        contact: Contact {
            phone: "0120-000-000".into(),
            email: "info@sakura-bank.example.jp".into(),
            website: "https://sakura-bank.example.jp".into(),
            enquiries_url: None,
            opt_out_url: None,
        },
        colors: BrandColors {
            primary: "#c2185b".into(),
            secondary: "#f8bbd0".into(),
            text: "#222222".into(),
            background: "#ffffff".into(),
            muted: "#666666".into(),
            accent: None,
        },
        fonts: BrandFonts::default(),
        logo: "logo.png".into(),
        voice: vec![],
        locales: BTreeMap::new(),
    };
    let toml_text = toml::to_string(&kit).unwrap();
    let mut files = BTreeMap::new();
    files.insert("brand.toml".to_owned(), toml_text.into_bytes());
    files.insert("logo.png".to_owned(), logo.to_vec());
    Brand { kit, files }
}

#[test]
fn brands_and_blocks_are_versioned_by_content() {
    let mut s = store();
    let b1 = brand(b"logo-1");
    let block = Block {
        name: "legal-footer".into(),
        locale: Some("ja".into()),
        content: "株式会社さくら銀行".into(),
        hash: crate::model::ContentHash::of_bytes("株式会社さくら銀行".as_bytes()),
    };
    let (brand_first, block_first) = s
        .write(|w| Ok((w.save_brand(&b1, "t")?, w.save_block(&block, "t")?)))
        .unwrap();
    assert!(brand_first.is_created() && block_first.is_created());
    let (brand_again, block_again) = s
        .write(|w| Ok((w.save_brand(&b1, "t")?, w.save_block(&block, "t")?)))
        .unwrap();
    assert!(!brand_again.is_created() && !block_again.is_created());
    assert!(s
        .write(|w| w.save_brand(&brand(b"logo-2"), "t"))
        .unwrap()
        .is_created());

    let read = s.brand("sakura").unwrap();
    assert_eq!(read.logo(), Some(&b"logo-2"[..]));
    assert_eq!(read.kit, b1.kit);
    assert_eq!(s.brands().unwrap()[0].latest_version, 2);
    assert_eq!(s.blocks().unwrap(), vec![block]);
    let stats = s.stats().unwrap();
    assert_eq!(
        (stats.brands, stats.blocks, stats.schema_version),
        (1, 1, SCHEMA_VERSION)
    );
    // brand.toml is the same in both versions: stored once.
    assert_eq!(stats.blobs, 3);
    assert_eq!(s.brand("nope").unwrap_err().code(), "not_found");
}

#[test]
fn assets_keep_bytes_and_thumbnail_by_hash() {
    let mut s = store();
    let bytes = b"\x89PNG fake bytes".to_vec();
    let info = crate::model::AssetInfo {
        path: "brands/sakura/logo.png".into(),
        hash: crate::model::ContentHash::of_bytes(&bytes),
        media_type: "image/png".into(),
        bytes: bytes.len() as u64,
        width: Some(10),
        height: Some(5),
    };
    s.write(|w| w.put_asset(&info, &bytes, Some(b"thumb")))
        .unwrap();
    assert_eq!(s.asset("brands/sakura/logo.png").unwrap(), info);
    assert_eq!(s.thumbnail("brands/sakura/logo.png").unwrap(), b"thumb");
    assert_eq!(s.blob(&info.hash).unwrap(), Some(bytes.clone()));
    let wrong = crate::model::AssetInfo {
        hash: crate::model::ContentHash::of_bytes(b"other"),
        ..info
    };
    assert_eq!(
        s.write(|w| w.put_asset(&wrong, &bytes, None))
            .unwrap_err()
            .code(),
        "library_damaged"
    );
}

#[test]
fn library_file_reopens_with_content_and_passes_integrity_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/lib.sqlite");
    {
        let mut s = Store::open_or_create(&path).unwrap();
        save(&mut s, &source("t", "名前", &[], "b", "A"));
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.count_templates().unwrap(), 1);
    assert_eq!(s.check_integrity().unwrap(), Vec::<String>::new());
}

#[test]
fn a_very_common_short_term_is_scanned_and_ranks_name_hits_first() {
    let mut s = store();
    // More than MAX_EXPANSION distinct trigrams start with "q": the term is matched by LIKE.
    let mut body = String::new();
    for a in 'a'..='z' {
        for b in 'a'..='z' {
            body.push_str(&format!("q{a}{b} "));
        }
    }
    save(&mut s, &source("in-body", "ご案内", &[], "b", &body));
    save(&mut s, &source("in-name", "Qの案内", &[], "b", "本文"));
    save(&mut s, &source("elsewhere", "ご案内", &[], "b", "本文"));
    let hits = s.search("Q", 10).unwrap();
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["in-name", "in-body"]);
    assert!(hits[0].snippet.contains("[Q]"), "{}", hits[0].snippet);
    assert!(hits[1].snippet.contains("[q]"), "{}", hits[1].snippet);
    // Together with an indexed term, the short term still filters.
    let both: Vec<String> = s
        .search("Q ご案内", 10)
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(both, ["in-body"]);
}

#[test]
fn creating_a_template_whose_id_exists_is_an_error_and_stores_nothing() {
    let mut s = store();
    let first = source("reminder", "お支払いのお知らせ", &[], "sakura", "本文\n");
    let created = s
        .write(|w| w.create_template(&first, "alice", "new"))
        .unwrap();
    assert_eq!(created.version(), 1, "a new template starts at version 1");
    assert!(s.template_exists("reminder").unwrap());
    assert!(!s.template_exists("other").unwrap());

    let clash = source(
        "reminder",
        "別の人のテンプレート",
        &[],
        "sakura",
        "違う本文\n",
    );
    let err = s
        .write(|w| w.create_template(&clash, "bob", "new"))
        .unwrap_err();
    assert!(
        matches!(&err, Error::AlreadyExists { what: "template", id } if id == "reminder"),
        "{err:?}"
    );
    assert_eq!(err.code(), "already_exists");
    assert!(err.hint().contains("another id"), "{}", err.hint());
    let history = s.history("reminder").unwrap();
    assert_eq!(
        history.len(),
        1,
        "no version was added to the existing template"
    );
    assert_eq!(history[0].author, "alice");
    assert_eq!(s.get("reminder", None).unwrap().files, first.files);
}

fn sms_only_files(id: &str, sms: &str) -> TemplateFiles {
    let mut files = BTreeMap::new();
    files.insert(
        "template.toml".into(),
        format!("id = \"{id}\"\nname = \"N\"\nindustry = \"bank\"\npurpose = \"transactional\"\nbrand = \"b\"\ndefault_locale = \"ja\"\nlocales = [\"ja\"]\nchannels = [\"sms\"]\n"),
    );
    files.insert("sms.txt".into(), sms.into());
    files.insert("data/p.json".into(), "{}".into());
    TemplateFiles(files)
}

#[test]
fn saving_over_a_version_another_connection_replaced_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.sqlite");
    let mut app = Store::open_or_create(&path).unwrap();
    let mut watcher = Store::open(&path).unwrap();
    let (_, v1) = app
        .save_template(sms_only_files("t", "one"), "app", "v1")
        .unwrap();
    let base = v1.hash().clone();
    // The watched folder stores version 2 through its own connection.
    watcher
        .save_template(
            sms_only_files("t", "edited in a text editor"),
            "watch",
            "v2",
        )
        .unwrap();
    let outcome = app
        .save_template_over(sms_only_files("t", "edited in the app"), &base, "app", "v3")
        .unwrap();
    let SaveOver::Moved { version, .. } = outcome else {
        panic!("expected a conflict, got {outcome:?}");
    };
    assert_eq!(
        version, 2,
        "the conflict names the version stored meanwhile"
    );
    let latest = app.get("t", None).unwrap();
    assert_eq!(
        latest.files.get("sms.txt"),
        Some("edited in a text editor"),
        "the other writer's version is kept, not overwritten"
    );
    assert_eq!(app.history("t").unwrap().len(), 2, "nothing was stored");
    // Saving over the version the editor now knows works.
    let outcome = app
        .save_template_over(sms_only_files("t", "merged"), &latest.hash, "app", "v3")
        .unwrap();
    assert!(matches!(
        outcome,
        SaveOver::Saved(SaveOutcome::Created { version: 3, .. })
    ));
}

#[test]
fn saving_over_a_template_not_yet_in_the_library_creates_it() {
    let mut s = store();
    let outcome = s
        .save_template_over(
            sms_only_files("fresh", "x"),
            &ContentHash("0".repeat(64)),
            "app",
            "v1",
        )
        .unwrap();
    assert!(matches!(
        outcome,
        SaveOver::Saved(SaveOutcome::Created { version: 1, .. })
    ));
}

#[test]
fn brand_history_lists_every_version_oldest_first_with_its_parent() {
    let mut s = store();
    assert_eq!(s.brand_history("sakura").unwrap_err().code(), "not_found");
    s.write(|w| w.save_brand(&brand(b"logo-1"), "import"))
        .unwrap();
    s.write(|w| w.save_brand(&brand(b"logo-1"), "import"))
        .unwrap();
    s.write(|w| w.save_brand(&brand(b"logo-2"), "watch"))
        .unwrap();
    let history = s.brand_history("sakura").unwrap();
    let numbers: Vec<u32> = history.iter().map(|v| v.number).collect();
    assert_eq!(numbers, [1, 2], "an unchanged save adds no version");
    assert_eq!(history[0].parent, None);
    assert_eq!(history[1].parent.as_ref(), Some(&history[0].hash));
    assert_eq!(history[1].author, "watch");
    assert_eq!(history[1].hash, s.brands().unwrap()[0].latest_hash);
}

#[test]
fn template_counts_by_brand_count_each_brand_once_per_template() {
    let mut s = store();
    assert!(s.template_counts_by_brand().unwrap().is_empty());
    save(&mut s, &source("a", "A", &[], "sakura", "x"));
    save(&mut s, &source("b", "B", &[], "maple", "x"));
    save(&mut s, &source("c", "C", &[], "maple", "x"));
    // A second version of the same template is still one template.
    save(&mut s, &source("c", "C", &[], "maple", "changed"));
    let counts = s.template_counts_by_brand().unwrap();
    assert_eq!(
        counts.into_iter().collect::<Vec<_>>(),
        [("maple".to_string(), 2), ("sakura".to_string(), 1)]
    );
}
