//! `ccm bench library`: measure import, list and search on a large generated library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use ccm_core::library::{generate_library, import, LibraryDirs, BENCH_QUERIES};
use ccm_core::store::{ListFilter, Store};
use serde::Serialize;

use crate::context::Context;
use crate::table::Table;

/// Measure the library on generated data (never touches your library)
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Import, list and search on N generated Japanese and English templates
    Library(LibraryArgs),
    /// Approve, verify, re-render and search the review archive (a throw-away library)
    Archive(super::bench_archive::ArchiveArgs),
    /// Export N approved templates as a signed pack, verify it and import it (throw-away libraries)
    Pack(super::bench_pack::PackArgs),
    /// Time `ccm batch` per channel on N generated records (records/s, peak memory)
    Batch(super::bench_batch::BatchArgs),
    /// Time N renders of one channel of one template (`--vary`: a new recipient each time)
    Render(super::bench_render::RenderArgs),
    /// Segment a JSON Lines list of messages; prints timing and each message's segment count
    Sms(super::bench_sms::SmsArgs),
}

#[derive(clap::Args)]
struct LibraryArgs {
    /// How many templates to generate
    #[arg(long, default_value_t = 10_000)]
    templates: usize,
    /// How many searches to time
    #[arg(long, default_value_t = 2_000)]
    queries: usize,
    /// Keep the generated folder and library here instead of a temporary folder
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
}

#[derive(Serialize)]
struct Results {
    templates: usize,
    files: usize,
    generated_bytes: u64,
    import_ms: f64,
    reimport_unchanged_ms: f64,
    list_ms: f64,
    search_queries: usize,
    search_p50_ms: f64,
    search_p95_ms: f64,
    search_max_ms: f64,
    library_bytes: u64,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let args = match args.what {
        What::Library(args) => args,
        What::Archive(a) => return print_results(ctx, |root| super::bench_archive::run(a, root)),
        What::Pack(a) => return print_results(ctx, |root| super::bench_pack::run(a, root)),
        What::Render(a) => return print_value(ctx, super::bench_render::run(ctx, a)?),
        What::Sms(a) => return print_value(ctx, super::bench_sms::run(a)?),
        What::Batch(args) => {
            let temp = tempfile_dir()?;
            let root = match &args.keep {
                Some(dir) => {
                    std::fs::create_dir_all(dir)?;
                    dir.clone()
                }
                None => temp.path().to_owned(),
            };
            let results = super::bench_batch::run(args, &root)?;
            if ctx.json {
                ctx.print_json(&results)?;
            } else {
                print!("{}", super::bench_batch::human(&results));
            }
            return Ok(ExitCode::SUCCESS);
        }
    };
    let temp;
    let root = match &args.keep {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile_dir()?;
            temp.path().to_owned()
        }
    };
    eprintln!(
        "generating {} templates in {}",
        args.templates,
        root.display()
    );
    let generated = generate_library(&root.join("files"), args.templates)
        .with_context(|| format!("writing the generated library to {}", root.display()))?;
    let library = root.join("bench.sqlite");
    let _ = std::fs::remove_file(&library);
    let mut store = Store::open_or_create(&library)?;
    let dirs = LibraryDirs::resolve(&root.join("files"), None);

    eprintln!("importing");
    let started = Instant::now();
    let report = import(&mut store, &dirs, "bench")?;
    let import_time = started.elapsed();
    anyhow::ensure!(
        report.problems.is_empty() && report.created_templates() == args.templates,
        "the generated library did not import cleanly: {} problems, {} templates",
        report.problems.len(),
        report.created_templates()
    );
    let started = Instant::now();
    let again = import(&mut store, &dirs, "bench")?;
    let reimport_time = started.elapsed();
    anyhow::ensure!(again.created.is_empty(), "re-import created versions");

    eprintln!("listing and searching");
    let mut list_times = Vec::new();
    for _ in 0..7 {
        let started = Instant::now();
        let listed = store.list(&ListFilter::default())?;
        list_times.push(started.elapsed());
        anyhow::ensure!(
            listed.len() == args.templates,
            "list returned {}",
            listed.len()
        );
    }
    let mut search_times = Vec::with_capacity(args.queries);
    for query in BENCH_QUERIES.iter().cycle().take(args.queries) {
        let started = Instant::now();
        let hits = store.search(query, 20)?;
        search_times.push(started.elapsed());
        std::hint::black_box(hits);
    }
    list_times.sort();
    search_times.sort();
    let results = Results {
        templates: args.templates,
        files: generated.files,
        generated_bytes: generated.bytes,
        import_ms: ms(import_time),
        reimport_unchanged_ms: ms(reimport_time),
        list_ms: ms(list_times[list_times.len() / 2]),
        search_queries: search_times.len(),
        search_p50_ms: ms(percentile(&search_times, 50)),
        search_p95_ms: ms(percentile(&search_times, 95)),
        search_max_ms: ms(search_times.last().copied().unwrap_or_default()),
        library_bytes: std::fs::metadata(&library).map(|m| m.len()).unwrap_or(0),
    };
    if ctx.json {
        ctx.print_json(&results)?;
    } else {
        print_table(&results);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(r: &Results) {
    let mut t = Table::new(&["MEASURE", "VALUE", "TARGET"]);
    let row = |t: &mut Table, name: &str, value: String, target: &str| {
        t.row(vec![name.to_owned(), value, target.to_owned()]);
    };
    row(&mut t, "templates", r.templates.to_string(), "");
    row(
        &mut t,
        "files",
        format!("{} ({:.1} MB)", r.files, r.generated_bytes as f64 / 1e6),
        "",
    );
    row(
        &mut t,
        "import",
        format!("{:.2} s", r.import_ms / 1000.0),
        "≤ 15 s at 10,000",
    );
    row(
        &mut t,
        "re-import (unchanged)",
        format!("{:.2} s", r.reimport_unchanged_ms / 1000.0),
        "",
    );
    row(
        &mut t,
        "list (median of 7)",
        format!("{:.1} ms", r.list_ms),
        "≤ 200 ms at 10,000",
    );
    row(
        &mut t,
        "search p50",
        format!("{:.2} ms", r.search_p50_ms),
        "",
    );
    row(
        &mut t,
        "search p95",
        format!("{:.2} ms", r.search_p95_ms),
        "≤ 10 ms at 10,000",
    );
    row(
        &mut t,
        "search max",
        format!("{:.2} ms", r.search_max_ms),
        "",
    );
    row(&mut t, "searches timed", r.search_queries.to_string(), "");
    row(
        &mut t,
        "library file",
        format!("{:.1} MB", r.library_bytes as f64 / 1e6),
        "",
    );
    print!("{}", t.render());
}

pub fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() * p).div_ceil(100)).clamp(1, sorted.len()) - 1;
    sorted[index]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs a bench in a throw-away folder and prints its figures.
fn print_results(
    ctx: &Context,
    bench: impl FnOnce(&std::path::Path) -> Result<serde_json::Value>,
) -> Result<ExitCode> {
    let temp = tempfile_dir()?;
    print_value(ctx, bench(temp.path())?)
}

/// Prints a bench's figures: JSON with `--json`, else one `name value` line each.
fn print_value(ctx: &Context, results: serde_json::Value) -> Result<ExitCode> {
    if ctx.json {
        ctx.print_json(&results)?;
    } else if let Some(map) = results.as_object() {
        for (k, v) in map {
            match v.as_array() {
                // Per-item lists (segment counts of 10,000 messages) are for scripts.
                Some(items) => println!("{k:<26} ({} values: see --json)", items.len()),
                None => println!("{k:<26} {v}"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn tempfile_dir() -> Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix("ccm-bench-")
        .tempdir()
        .context("creating a temporary folder")
}
