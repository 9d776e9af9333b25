//! `ccm batch` through the real binary: a designer submits, a compliance officer approves, and
//! the approved version renders for every record of a JSON Lines or CSV file; bad records are
//! listed and the rest is written; runs are byte-identical; shards add up to one run; letters
//! go into print files with an index.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{ccm_as, json, ok};
use serde_json::{json, Value};

const ID: &str = "jp-bank-payment-reminder";

/// A library with the samples, Aiko (designer) and Hanako (compliance) on the team.
fn team(temp: &Path) -> PathBuf {
    let lib = temp.join("library.sqlite");
    let mut keys = Vec::new();
    for (dir, name, role) in [
        ("aiko", "Aiko Designer", "designer"),
        ("hanako", "Hanako Officer", "compliance"),
    ] {
        let out = ccm_as(
            &temp.join(dir),
            &lib,
            &["id", "init", "--name", name, "--role", role, "--json"],
        );
        ok(&out, "id init");
        keys.push((
            name,
            role,
            json(&out)["public_key"].as_str().unwrap().to_owned(),
        ));
    }
    let aiko = temp.join("aiko");
    ok(&ccm_as(&aiko, &lib, &["import", "--samples"]), "import");
    for (name, role, key) in &keys {
        ok(
            &ccm_as(
                &aiko,
                &lib,
                &["team", "add", "--name", name, "--role", role, "--key", key],
            ),
            "team add",
        );
    }
    lib
}

/// Record `i` of the generated customers.
fn customer(i: u64) -> Value {
    json!({
        "customer": {
            "id": format!("C-{i:07}"),
            "name": format!("山田 太郎 {i}"),
            "postal_code": "150-0001",
            "address": "東京都渋谷区神宮前一丁目2番3号",
        },
        "card": { "name": "さくらカード ゴールド", "last4": "4821" },
        "amount": 1000 + i,
        "due_date": "2026-12-10",
        "account": { "branch": "渋谷支店", "number": format!("{:07}", 1_000_000 + i) },
        "lang": if i.is_multiple_of(2) { "en" } else { "ja" },
    })
}

/// `n` records as JSON lines; record `bad_json` is cut off, record `no_amount` lacks the
/// amount every channel prints.
fn jsonl(path: &Path, n: u64, bad_json: Option<u64>, no_amount: Option<u64>) {
    let mut text = String::new();
    for i in 1..=n {
        if Some(i) == bad_json {
            text.push_str("{\"customer\": {\"id\": \n");
            continue;
        }
        let mut c = customer(i);
        if Some(i) == no_amount {
            c.as_object_mut().unwrap().remove("amount");
        }
        text.push_str(&c.to_string());
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

/// Every file under `dir` (relative path → bytes), leaving out per-run files.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn per_record(all: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    all.iter()
        .filter(|(k, _)| k.contains('/') && !k.starts_with("print/letters"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn approved_version_renders_every_record_bad_ones_are_listed_and_runs_are_identical() {
    let temp = tempfile::tempdir().unwrap();
    let t = temp.path();
    let lib = team(t);
    let (aiko, hanako) = (t.join("aiko"), t.join("hanako"));
    let data = t.join("customers.jsonl");
    jsonl(&data, 240, Some(100), Some(150));
    let d = data.to_str().unwrap();

    // Not approved yet: refused, and the message says what to do.
    let out1 = t.join("out1");
    let refused = ccm_as(
        &aiko,
        &lib,
        &["batch", ID, "--data", d, "--out", out1.to_str().unwrap()],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(
        text(&refused).contains("a batch renders the approved version"),
        "{}",
        text(&refused)
    );
    assert!(text(&refused).contains("--latest"));

    ok(&ccm_as(&aiko, &lib, &["review", "submit", ID]), "submit");
    ok(
        &ccm_as(&hanako, &lib, &["review", "approve", ID]),
        "approve",
    );

    let run = |out: &Path| {
        ccm_as(
            &aiko,
            &lib,
            &[
                "batch",
                ID,
                "--data",
                d,
                "--channel",
                "email,sms,push",
                "--locale-from",
                "lang",
                "--out",
                out.to_str().unwrap(),
                "--json",
            ],
        )
    };
    let first = run(&out1);
    // Two bad records: exit 1, the other 238 written.
    assert_eq!(first.status.code(), Some(1), "{}", text(&first));
    let s = json(&first);
    assert_eq!(s["source"], "approved");
    assert_eq!(s["records"], 240);
    assert_eq!(s["records_failed"], 2);
    for c in ["email", "sms", "push"] {
        assert_eq!(s["rendered"][c], 238, "{c}: {s}");
    }
    assert_eq!(s["sms"]["messages"], 238);
    let by_enc: u64 = s["sms"]["by_encoding"]
        .as_object()
        .unwrap()
        .values()
        .map(|t| t["segments"].as_u64().unwrap())
        .sum();
    assert_eq!(s["sms"]["segments"].as_u64().unwrap(), by_enc);
    assert!(s["sms"]["segments"].as_u64().unwrap() >= 238);

    // The errors file names both records with their lines; nothing was written for them.
    let errors = std::fs::read_to_string(out1.join("errors.jsonl")).unwrap();
    let lines: Vec<Value> = errors
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines
            .iter()
            .any(|e| e["record"] == 100 && e["line"] == 100 && e["channel"].is_null()),
        "{errors}"
    );
    assert!(
        lines
            .iter()
            .any(|e| e["record"] == 150 && e["channel"] == "email"),
        "{errors}"
    );
    assert!(!out1.join("sms/0000/00000100.txt").exists());
    assert!(!out1.join("sms/0000/00000150.txt").exists());
    let sms_99 = std::fs::read_to_string(out1.join("sms/0000/00000099.txt")).unwrap();
    assert!(
        sms_99.contains("1,099") && sms_99.contains("さくら銀行"),
        "{sms_99}"
    );
    // Even records asked for English (`--locale-from lang`).
    let sms_98 = std::fs::read_to_string(out1.join("sms/0000/00000098.txt")).unwrap();
    assert!(
        sms_98.contains("Sakura Bank") && sms_98.contains("1,098"),
        "{sms_98}"
    );
    let eml = std::fs::read_to_string(out1.join("email/0000/00000102.eml")).unwrap();
    assert!(eml.contains("Subject:"), "{eml}");
    assert!(out1.join("push/0000/00000101.apns.json").exists());

    // Same data, same version, same date: the same bytes.
    let out2 = t.join("out2");
    let second = run(&out2);
    assert_eq!(second.status.code(), Some(1));
    assert_eq!(files(&out1), files(&out2));

    // CSV with dotted headers: every value a string, the same records render.
    let csv = t.join("customers.csv");
    let mut rows = String::from(
        "customer.id,customer.name,customer.postal_code,customer.address,card.name,card.last4,amount,due_date,account.branch,account.number\n",
    );
    for i in 1..=60u64 {
        rows.push_str(&format!(
            "C-{i:07},\"山田, 太郎 {i}\",150-0001,東京都渋谷区神宮前一丁目2番3号,さくらカード ゴールド,4821,{},2026-12-10,渋谷支店,{:07}\n",
            1000 + i,
            1_000_000 + i
        ));
    }
    std::fs::write(&csv, rows).unwrap();
    let out3 = t.join("out3");
    let from_csv = ccm_as(
        &aiko,
        &lib,
        &[
            "batch",
            ID,
            "--data",
            csv.to_str().unwrap(),
            "--channel",
            "sms",
            "--out",
            out3.to_str().unwrap(),
            "--json",
        ],
    );
    ok(&from_csv, "batch from CSV");
    let s = json(&from_csv);
    assert_eq!(
        (s["records"].as_u64(), s["rendered"]["sms"].as_u64()),
        (Some(60), Some(60))
    );
    let sms = std::fs::read_to_string(out3.join("sms/0000/00000007.txt")).unwrap();
    assert!(!sms.trim().is_empty());
    assert_eq!(
        std::fs::read_to_string(out3.join("errors.jsonl")).unwrap(),
        ""
    );

    // An edit after the approval makes it stale: refused again, with the reason; --latest
    // renders the edit.
    let export = t.join("work");
    ok(
        &ccm_as(&aiko, &lib, &["export", export.to_str().unwrap()]),
        "export",
    );
    let sms_file = export.join("templates").join(ID).join("sms.txt");
    let edited = std::fs::read_to_string(&sms_file)
        .unwrap()
        .replace("【さくら銀行】", "【さくら銀行・改】");
    std::fs::write(&sms_file, edited).unwrap();
    ok(
        &ccm_as(&aiko, &lib, &["import", export.to_str().unwrap()]),
        "import edit",
    );
    let out4 = t.join("out4");
    let stale = ccm_as(
        &aiko,
        &lib,
        &[
            "batch",
            ID,
            "--data",
            d,
            "--channel",
            "sms",
            "--out",
            out4.to_str().unwrap(),
        ],
    );
    assert_eq!(stale.status.code(), Some(1));
    assert!(text(&stale).contains("is stale"), "{}", text(&stale));
    assert!(!out4.join("sms").exists());
    let latest = ccm_as(
        &aiko,
        &lib,
        &[
            "batch",
            ID,
            "--latest",
            "--data",
            d,
            "--channel",
            "sms",
            "--out",
            out4.to_str().unwrap(),
        ],
    );
    assert_eq!(
        latest.status.code(),
        Some(1),
        "the two bad records still fail: {}",
        text(&latest)
    );
    let sms_1 = std::fs::read_to_string(out4.join("sms/0000/00000001.txt")).unwrap();
    assert!(sms_1.contains("さくら銀行・改"), "{sms_1}");
}

#[test]
fn shards_together_write_exactly_the_files_of_one_run_and_their_summaries_add_up() {
    let temp = tempfile::tempdir().unwrap();
    let t = temp.path();
    let lib = team(t);
    let aiko = t.join("aiko");
    let data = t.join("customers.jsonl");
    jsonl(&data, 150, Some(40), None);
    let d = data.to_str().unwrap();
    let args = |out: &Path, shard: Option<&str>| {
        let mut a = vec![
            "batch".to_owned(),
            ID.to_owned(),
            "--latest".to_owned(),
            "--data".to_owned(),
            d.to_owned(),
            "--channel".to_owned(),
            "email,sms,push".to_owned(),
            "--out".to_owned(),
            out.to_str().unwrap().to_owned(),
            "--json".to_owned(),
        ];
        if let Some(s) = shard {
            a.push("--shard".to_owned());
            a.push(s.to_owned());
        }
        a
    };
    let whole = t.join("whole");
    let one = ccm_as(
        &aiko,
        &lib,
        &args(&whole, None)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(one.status.code(), Some(1), "{}", text(&one));
    let single = json(&one);
    assert_eq!(single["source"], "latest");

    // Three shards into one folder: nothing collides.
    let sharded = t.join("sharded");
    for k in 0..3 {
        let shard = format!("{k}/3");
        let out = ccm_as(
            &aiko,
            &lib,
            &args(&sharded, Some(&shard))
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        );
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(1),
            "{}",
            text(&out)
        );
        assert_eq!(json(&out)["records"], 50);
    }
    let (a, b) = (files(&whole), files(&sharded));
    assert_eq!(per_record(&a).len(), 149 * 4);
    assert!(
        per_record(&a) == per_record(&b),
        "shards wrote different per-record files"
    );
    assert!(
        b.contains_key("summary.shard-2-of-3.json") && b.contains_key("errors.shard-0-of-3.jsonl")
    );

    let merged = ccm_as(
        &aiko,
        &lib,
        &["batch", "merge", sharded.to_str().unwrap(), "--json"],
    );
    ok(&merged, "batch merge");
    let mut m = json(&merged);
    assert_eq!(m["shards"], json!(["0/3", "1/3", "2/3"]));
    let mut s = single.clone();
    for v in [&mut m, &mut s] {
        for k in ["shards", "seconds", "records_per_second", "errors_file"] {
            v.as_object_mut().unwrap().remove(k);
        }
    }
    assert_eq!(m, s);

    // Only some shards: merge says so with status 1.
    std::fs::remove_file(sharded.join("summary.shard-1-of-3.json")).unwrap();
    let partial = ccm_as(&aiko, &lib, &["batch", "merge", sharded.to_str().unwrap()]);
    assert_eq!(partial.status.code(), Some(1), "{}", text(&partial));
}

#[test]
fn jsonl_output_holds_the_same_renditions_as_files_one_line_per_record_in_order() {
    let temp = tempfile::tempdir().unwrap();
    let t = temp.path();
    let lib = team(t);
    let aiko = t.join("aiko");
    let data = t.join("customers.jsonl");
    jsonl(&data, 60, Some(7), None);
    let d = data.to_str().unwrap();
    let run = |out: &Path, extra: &[&str]| {
        let mut a = vec![
            "batch",
            ID,
            "--latest",
            "--data",
            d,
            "--channel",
            "email,sms,push",
            "--out",
        ];
        a.push(out.to_str().unwrap());
        a.extend_from_slice(extra);
        a.push("--json");
        let o = ccm_as(&aiko, &lib, &a);
        assert_eq!(o.status.code(), Some(1), "record 7 is broken: {}", text(&o));
        json(&o)
    };
    let as_files = t.join("files");
    run(&as_files, &[]);
    let as_lines = t.join("lines");
    let summary = run(&as_lines, &["--output", "jsonl"]);
    assert_eq!(
        summary["streams"],
        json!(["email.jsonl", "sms.jsonl", "push.jsonl"])
    );
    let files = files(&as_files);
    let lines = |name: &str| -> Vec<Value> {
        std::fs::read_to_string(as_lines.join(name))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
            .collect()
    };
    let (email, sms, push) = (
        lines("email.jsonl"),
        lines("sms.jsonl"),
        lines("push.jsonl"),
    );
    for channel in [&email, &sms, &push] {
        let numbers: Vec<u64> = channel
            .iter()
            .map(|l| l["record"].as_u64().unwrap())
            .collect();
        let expected: Vec<u64> = (1..=60).filter(|n| *n != 7).collect();
        assert_eq!(
            numbers, expected,
            "one line per rendered record, in record order"
        );
    }
    for (i, line) in sms.iter().enumerate() {
        let n = line["record"].as_u64().unwrap();
        let file = &files[&format!("sms/0000/{n:08}.txt")];
        assert_eq!(
            format!("{}\n", line["text"].as_str().unwrap()).as_bytes(),
            &file[..],
            "SMS of record {n}"
        );
        assert!(line["segments"].as_u64().unwrap() >= 1);
        let eml = email[i]["eml"].as_str().unwrap();
        assert_eq!(
            eml.as_bytes(),
            &files[&format!("email/0000/{n:08}.eml")][..]
        );
        let apns: Value =
            serde_json::from_slice(&files[&format!("push/0000/{n:08}.apns.json")]).unwrap();
        assert_eq!(push[i]["apns"], apns, "push of record {n}");
    }
    assert!(
        !as_lines.join("sms").exists(),
        "no per-record files with --output jsonl"
    );
    // Shards write their own JSON Lines files; together they hold the lines of one run.
    let sharded = t.join("sharded");
    for k in 0..2 {
        let shard = format!("{k}/2");
        let mut a = vec![
            "batch",
            ID,
            "--latest",
            "--data",
            d,
            "--channel",
            "sms",
            "--output",
            "jsonl",
            "--shard",
            &shard,
            "--out",
        ];
        a.push(sharded.to_str().unwrap());
        let o = ccm_as(&aiko, &lib, &a);
        assert!(matches!(o.status.code(), Some(0) | Some(1)), "{}", text(&o));
    }
    let mut union: Vec<String> = (0..2)
        .flat_map(|k| {
            std::fs::read_to_string(sharded.join(format!("sms.shard-{k}-of-2.jsonl")))
                .unwrap()
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut whole: Vec<String> = std::fs::read_to_string(as_lines.join("sms.jsonl"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    union.sort();
    whole.sort();
    assert_eq!(union, whole);
}

#[test]
fn letters_go_into_print_files_with_an_index_of_page_ranges() {
    let temp = tempfile::tempdir().unwrap();
    let t = temp.path();
    let lib = team(t);
    let aiko = t.join("aiko");
    let data = t.join("customers.jsonl");
    jsonl(&data, 5, None, None);
    let d = data.to_str().unwrap();
    let run = |out: &Path, mode: &[&str]| {
        let mut a = vec![
            "batch",
            ID,
            "--latest",
            "--data",
            d,
            "--channel",
            "print",
            "--out",
            out.to_str().unwrap(),
            "--json",
        ];
        a.extend_from_slice(mode);
        let o = ccm_as(&aiko, &lib, &a);
        ok(&o, "batch print");
        json(&o)
    };

    let per = t.join("per2");
    let s = run(&per, &["--pdf-per", "2"]);
    assert_eq!(s["print"]["letters"], 5);
    assert_eq!(
        s["print"]["files"],
        json!([
            "print/letters-0001.pdf",
            "print/letters-0002.pdf",
            "print/letters-0003.pdf"
        ])
    );
    let index = std::fs::read_to_string(per.join("print-index.csv")).unwrap();
    let rows: Vec<Vec<String>> = index
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 5, "{index}");
    assert_eq!(rows[2][0], "3");
    assert_eq!(rows[2][2], "print/letters-0002.pdf");
    assert_eq!(
        rows[2][3], "1",
        "the third letter opens the second file: {index}"
    );
    let pages: u64 = rows.iter().map(|r| r[5].parse::<u64>().unwrap()).sum();
    assert_eq!(pages, s["print"]["pages"].as_u64().unwrap());
    assert!(
        !per.join("print/0000/00000001.pdf").exists(),
        "letters went into the print files"
    );
    let second = std::fs::read(per.join("print/letters-0002.pdf")).unwrap();
    assert!(second.starts_with(b"%PDF-"));
    let page_objects = count(&second, b"/Type/Page/")
        + count(&second, b"/Type/Page>>")
        + count(&second, b"/Type /Page\n");
    let (first_p, last_p): (u64, u64) = (rows[3][3].parse().unwrap(), rows[3][4].parse().unwrap());
    assert_eq!(
        page_objects as u64, last_p,
        "pages in file 2 ({first_p}–{last_p})"
    );

    // One file for all, and the same bytes twice.
    let c1 = t.join("combined1");
    let c2 = t.join("combined2");
    let s1 = run(&c1, &["--pdf-combined"]);
    run(&c2, &["--pdf-combined"]);
    assert_eq!(s1["print"]["files"], json!(["print/letters.pdf"]));
    assert_eq!(files(&c1), files(&c2));
    let last_row = std::fs::read_to_string(c1.join("print-index.csv")).unwrap();
    let last: Vec<&str> = last_row.lines().last().unwrap().split(',').collect();
    assert_eq!(
        last[4].parse::<u64>().unwrap(),
        s1["print"]["pages"].as_u64().unwrap()
    );
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}
