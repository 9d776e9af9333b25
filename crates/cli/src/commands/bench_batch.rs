//! `ccm bench batch`: generate N records for a sample template and time `ccm batch` on them,
//! one channel at a time, in a throw-away library: records per second and the peak resident
//! memory of each run (Linux: `VmHWM`, reset between runs through `/proc/self/clear_refs`).

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{anyhow, Context as _, Result};
use ccm_core::store::Store;
use serde_json::{json, Map, Value};

use super::batch::{run_batch, RunArgs};
use super::rules::RulesDir;

#[derive(clap::Args)]
pub struct BatchArgs {
    /// Records to generate (email, SMS and push runs render them all)
    #[arg(long, default_value_t = 100_000)]
    records: u64,
    /// Letters to render for print, the slow channel [default: the smaller of --records and 2000]
    #[arg(long)]
    print_records: Option<u64>,
    /// Sample template to render
    #[arg(long, default_value = "jp-bank-payment-reminder")]
    template: String,
    /// Channels to time, one run each
    #[arg(long, value_delimiter = ',', default_value = "sms,push,email,print")]
    channel: Vec<String>,
    /// Letters per print file
    #[arg(long, default_value_t = 500)]
    pdf_per: u64,
    /// How email, SMS and push are written: files (one per record) or jsonl (one per channel)
    #[arg(long, default_value = "jsonl", value_name = "files|jsonl")]
    output: String,
    /// Keep the data and outputs here instead of a temporary folder (outputs are otherwise
    /// deleted after each run: a million records are gigabytes of files)
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
}

pub fn run(args: BatchArgs, root: &Path) -> Result<Value> {
    let mut store = Store::open_or_create(&root.join("batch-bench.sqlite"))?;
    ccm_bundled::samples::import_into(&mut store, "bench")?;
    let bundle = store.bundle(&args.template, None)?;
    let persona = bundle
        .source
        .personas
        .iter()
        .find(|p| !p.edge_case)
        .or(bundle.source.personas.first())
        .ok_or_else(|| anyhow!("`{}` has no persona to vary", args.template))?;
    let print_records = args.print_records.unwrap_or(args.records.min(2000));

    let started = Instant::now();
    let data = root.join("records.jsonl");
    generate(&data, &persona.data, args.records)?;
    let generate_s = started.elapsed().as_secs_f64();
    let print_data = root.join("records-print.jsonl");
    generate(&print_data, &persona.data, print_records)?;

    let mut runs = Vec::new();
    for channel in &args.channel {
        let print = channel == "print";
        let out = root.join(format!("out-{channel}"));
        let run_args = RunArgs {
            id: Some(args.template.clone()),
            data: Some(if print {
                print_data.clone()
            } else {
                data.clone()
            }),
            format: None,
            out: Some(out.clone()),
            channel: vec![channel.clone()],
            locale: None,
            locale_from: None,
            latest: true,
            shard: None,
            pdf_combined: false,
            pdf_per: print.then_some(args.pdf_per),
            errors: None,
            today: Some("2026-12-03".to_owned()),
            pdf_a: false,
            output: args.output.clone(),
            rules: RulesDir::default(),
        };
        reset_peak_rss();
        let outcome = run_batch(&run_args, &bundle, "latest", true)?;
        let s = &outcome.summary;
        let mut row = json!({
            "channel": channel,
            "records": s.records,
            "rendered": s.rendered.get(channel.as_str()).copied().unwrap_or(0),
            "errors": s.errors,
            "seconds": round(outcome.seconds),
            "records_per_second": round(s.records as f64 / outcome.seconds.max(1e-9)),
            "peak_rss_mb": peak_rss_kb().map(|kb| round(kb as f64 / 1024.0)),
        });
        if print {
            row["pages"] = json!(s.print.pages);
            row["pages_per_second"] =
                json!(round(s.print.pages as f64 / outcome.seconds.max(1e-9)));
        }
        if channel == "sms" {
            row["segments"] = json!(s.sms.segments);
        }
        runs.push(row);
        if args.keep.is_none() {
            std::fs::remove_dir_all(&out).ok();
        }
    }
    Ok(json!({
        "template": args.template,
        "threads": rayon_threads(),
        "generated_records": args.records,
        "output": args.output,
        "generate_seconds": round(generate_s),
        "data_bytes": std::fs::metadata(&data).map(|m| m.len()).unwrap_or(0),
        "runs": runs,
    }))
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn rayon_threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// `n` records derived from `base`: every string field whose name holds `name` or `id` gets the
/// record number appended and every number gets a different value, so no two records render
/// the same; dates and codes are left valid.
fn generate(path: &Path, base: &Map<String, Value>, n: u64) -> Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    for i in 1..=n {
        let mut record = base.clone();
        vary(&mut record, i);
        serde_json::to_writer(&mut w, &record)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    Ok(())
}

fn vary(map: &mut Map<String, Value>, i: u64) {
    for (key, value) in map.iter_mut() {
        match value {
            Value::Object(inner) => vary(inner, i),
            Value::String(s) if key.contains("name") || key == "id" => {
                s.push_str(&format!(" {i}"));
            }
            Value::Number(num) => {
                if let Some(x) = num.as_u64() {
                    *value = json!(x + i % 1000);
                }
            }
            _ => {}
        }
    }
}

/// Starts a new peak-memory measurement (Linux 4.0+); elsewhere the peak is the process's.
fn reset_peak_rss() {
    std::fs::write("/proc/self/clear_refs", "5").ok();
}

/// Peak resident memory since the last reset, in KB (Linux only).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The results as a table.
pub fn human(results: &Value) -> String {
    let mut out = format!(
        "{} · {} records generated in {} s · {} threads\n",
        results["template"].as_str().unwrap_or(""),
        results["generated_records"],
        results["generate_seconds"],
        results["threads"]
    );
    out.push_str(&format!(
        "{:<8} {:>10} {:>9} {:>12} {:>13}\n",
        "channel", "records", "seconds", "records/s", "peak RSS MB"
    ));
    for r in results["runs"].as_array().into_iter().flatten() {
        // serde_json's Display ignores widths: format the numbers as text first.
        out.push_str(&format!(
            "{:<8} {:>10} {:>9} {:>12} {:>13}{}\n",
            r["channel"].as_str().unwrap_or(""),
            r["records"].to_string(),
            r["seconds"].to_string(),
            r["records_per_second"].to_string(),
            r["peak_rss_mb"].to_string(),
            match r.get("pages_per_second") {
                Some(p) => format!("   {} pages, {p} pages/s", r["pages"]),
                None => String::new(),
            }
        ));
    }
    out
}
