//! `ccm batch`: render the approved version of a template for every record of a data file.
//!
//! ```text
//! ccm batch ID --data customers.jsonl|.csv --out DIR [--channel email,sms,push,print]
//!     [--locale L] [--locale-from FIELD] [--latest] [--shard K/N]
//!     [--pdf-combined | --pdf-per N] [--output files|jsonl] [--errors FILE]
//!     [--today YYYY-MM-DD] [--json]
//! ccm batch merge DIR… [--out FILE]     # add up the summaries of shards
//! ```
//! The approved version is the default, rebuilt from the archive exactly as approved (template,
//! blocks and brand kit by their digests); a template that is not approved, or whose approval
//! went stale, is refused unless `--latest` renders the latest version instead. The file layout
//! is in `ccm_batch::layout`. Exit status: 0 when every record rendered, 1 when some records
//! failed (listed in the errors file; the others are written) or the run could not start, 2
//! when the command line does not parse.
//! Threads: every core; `RAYON_NUM_THREADS=N` sets another number.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{anyhow, bail, Context as _, Result};
use ccm_batch::{Format, Job, Layout, Output, PrintMode, Records, Shard, Summary};
use ccm_core::model::{Channel, TemplateBundle};
use ccm_core::store::Store;
use ccm_render::Engine;
use ccm_rules::RuleSet;
use ccm_trust::review::{self, State};
use indicatif::{ProgressBar, ProgressStyle};

use super::render::options;
use super::rules::{pack_error, RulesDir};
use crate::context::Context;

/// Render a template for every record of a data file (JSON Lines or CSV), on every core
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<BatchCommand>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(clap::Subcommand)]
enum BatchCommand {
    /// Add up the summaries of a sharded run (summary.shard-K-of-N.json in each DIR)
    Merge {
        /// Output folders of the shards (one folder holding them all is fine)
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Write the merged summary here as well
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
pub struct RunArgs {
    /// Template id
    #[arg(required = true)]
    pub id: Option<String>,
    /// The records: .jsonl (one JSON object a line) or .csv (a header row; `customer.name`
    /// columns make nested fields); `-` reads standard input (with --format)
    #[arg(long, required = true)]
    pub data: Option<PathBuf>,
    /// jsonl | csv [default: from the file name]
    #[arg(long)]
    pub format: Option<String>,
    /// Output folder
    #[arg(long, required = true)]
    pub out: Option<PathBuf>,
    /// Channels, comma-separated: email,sms,push,print [default: the template's]
    #[arg(long, value_delimiter = ',')]
    pub channel: Vec<String>,
    /// Locale of records that name none [default: the template's default locale]
    #[arg(long)]
    pub locale: Option<String>,
    /// Record field holding each record's locale (dotted: `customer.locale`)
    #[arg(long, value_name = "FIELD")]
    pub locale_from: Option<String>,
    /// Render the latest version even if it is not approved
    #[arg(long)]
    pub latest: bool,
    /// Render only shard K of N (records whose number-1 is K mod N; K from 0)
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Put every letter into one print file (print/letters.pdf) with print-index.csv
    #[arg(long, conflicts_with = "pdf_per")]
    pub pdf_combined: bool,
    /// Put letters into print files of N letters each (print/letters-0001.pdf, …)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub pdf_per: Option<u64>,
    /// Where to write the errors (JSON lines) [default: DIR/errors.jsonl]
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// The date the messages are rendered for, YYYY-MM-DD (default: today, UTC)
    #[arg(long, env = "CCM_TODAY")]
    pub today: Option<String>,
    /// Export letters as PDF/A-2b
    #[arg(long)]
    pub pdf_a: bool,
    /// files: one file per record and channel; jsonl: one JSON Lines file per channel
    /// (sms.jsonl, push.jsonl, email.jsonl), a line per record — what bulk sending APIs take
    #[arg(long, default_value = "files", value_name = "files|jsonl")]
    pub output: String,
    #[command(flatten)]
    pub rules: RulesDir,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    match args.command {
        Some(BatchCommand::Merge { dirs, out }) => merge(ctx, &dirs, out.as_deref()),
        None => {
            let rules = match args.run.rules.load() {
                Ok(r) => r,
                Err(e) => return Ok(pack_error(ctx, &e)),
            };
            let store = ctx.open()?;
            let id = args.run.id.clone().expect("clap requires ID");
            let (bundle, source) = bundle_to_render(&store, &rules, &id, args.run.latest)?;
            drop(store);
            let outcome = run_batch(&args.run, &bundle, source, true)?;
            report(ctx, &outcome)?;
            Ok(if outcome.summary.records_failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// The approved bundle (rebuilt from the archive), or with `latest` the latest version.
pub fn bundle_to_render(
    store: &Store,
    rules: &RuleSet,
    id: &str,
    latest: bool,
) -> Result<(TemplateBundle, &'static str)> {
    if latest {
        let bundle = store
            .bundle(id, None)
            .with_context(|| format!("cannot load template `{id}`"))?;
        return Ok((bundle, "latest"));
    }
    let status = review::status(store, rules, id)?;
    if status.state != State::Approved {
        let mut why = format!(
            "`{id}` is {} (latest version v{}): a batch renders the approved version",
            status.state.label().0,
            status.latest_version
        );
        for r in &status.stale_reasons {
            why.push_str(&format!("\n  - {}", r.en));
        }
        bail!(
            "{why}\n  hint: approve it (`ccm review submit {id}`, then a compliance officer runs \
             `ccm review approve {id}`), or pass --latest to render the latest version unapproved"
        );
    }
    let approval = status
        .last_approval
        .ok_or_else(|| anyhow!("`{id}` is approved but its approval is not in the archive"))?;
    let row = store
        .archive_rows_for(id)?
        .into_iter()
        .find(|r| r.seq == approval.seq)
        .ok_or_else(|| anyhow!("archive entry #{} of `{id}` is missing", approval.seq))?;
    let entry = ccm_trust::archive::parse(&row)?;
    let manifest = review::manifest_of(store, &entry)?;
    let bundle = ccm_trust::rerender::archived_bundle(store, &manifest)?;
    Ok((bundle, "approved"))
}

pub struct Outcome {
    pub summary: Summary,
    pub seconds: f64,
    pub errors_file: PathBuf,
}

/// Runs one batch over `args.data` with `bundle`; `show_progress` draws the bar on stderr
/// (only when stderr is a terminal).
pub fn run_batch(
    args: &RunArgs,
    bundle: &TemplateBundle,
    source: &str,
    show_progress: bool,
) -> Result<Outcome> {
    let data = args.data.as_deref().expect("clap requires --data");
    let out = args.out.clone().expect("clap requires --out");
    let format = match (&args.format, data) {
        (Some(f), _) => {
            Format::parse(f).ok_or_else(|| anyhow!("--format `{f}`: use jsonl or csv"))?
        }
        (None, p) => Format::from_path(p).ok_or_else(|| {
            anyhow!(
                "cannot tell the format of {}: name it .jsonl or .csv, or pass --format",
                p.display()
            )
        })?,
    };
    let channels = channels(&args.channel, bundle)?;
    let locale = args
        .locale
        .clone()
        .unwrap_or_else(|| bundle.source.manifest.default_locale.clone());
    let shard = match &args.shard {
        Some(s) => Shard::parse(s)?,
        None => Shard::WHOLE,
    };
    let print = match (args.pdf_combined, args.pdf_per) {
        (true, _) => PrintMode::Combined,
        (false, Some(n)) => PrintMode::Per(n),
        (false, None) => PrintMode::PerRecord,
    };
    // No page images in a batch: the PDF is what is printed.
    let opts = options(args.today.as_deref(), args.pdf_a, 0.0)?;
    let (reader, length) = open_data(data)?;
    let mut records = Records::new(reader, format)?;
    let layout = Layout {
        out: out.clone(),
        shard,
    };
    let engine = Engine::new();
    let job = Job {
        engine: &engine,
        bundle,
        opts: &opts,
        channels,
        locale,
        locale_from: args.locale_from.clone(),
        layout: layout.clone(),
        output: Output::parse(&args.output)?,
        print,
        errors: args.errors.clone(),
        source: source.to_owned(),
    };
    let bar = progress_bar(show_progress, length);
    let started = Instant::now();
    let progress = |done: u64, bytes: u64| {
        let secs = started.elapsed().as_secs_f64().max(1e-9);
        bar.set_position(bytes);
        bar.set_message(format!("{done} records, {:.0}/s", done as f64 / secs));
    };
    let summary = ccm_batch::run(&job, &mut records, &progress)?;
    bar.finish_and_clear();
    Ok(Outcome {
        summary,
        seconds: started.elapsed().as_secs_f64(),
        errors_file: args.errors.clone().unwrap_or_else(|| layout.errors()),
    })
}

/// `--channel` (default: the template's channels), in channel order; a channel the template
/// has no content for is refused rather than silently skipped.
fn channels(asked: &[String], bundle: &TemplateBundle) -> Result<Vec<Channel>> {
    let has = &bundle.source.manifest.channels;
    if asked.is_empty() || asked.iter().any(|c| c == "all") {
        return Ok(Channel::ALL
            .iter()
            .copied()
            .filter(|c| has.contains(c))
            .collect());
    }
    let mut wanted = Vec::new();
    for name in asked {
        let c: Channel = name
            .trim()
            .parse()
            .map_err(|e: String| anyhow!("--channel: {e}"))?;
        if !has.contains(&c) {
            bail!(
                "template `{}` has no {c} content (it has: {})",
                bundle.template_id,
                has.iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        wanted.push(c);
    }
    Ok(Channel::ALL
        .iter()
        .copied()
        .filter(|c| wanted.contains(c))
        .collect())
}

type Reader = Box<dyn BufRead + Send>;

/// The data file (or standard input) and its length when known.
fn open_data(path: &Path) -> Result<(Reader, Option<u64>)> {
    const BUFFER: usize = 1 << 20;
    if path == Path::new("-") {
        let reader: Reader = Box::new(std::io::BufReader::with_capacity(BUFFER, std::io::stdin()));
        return Ok((reader, None));
    }
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot open the data file {}", path.display()))?;
    let length = file.metadata().ok().map(|m| m.len());
    let reader: Reader = Box::new(std::io::BufReader::with_capacity(BUFFER, file));
    Ok((reader, length))
}

/// A bar over the bytes of the data file (its ETA is honest however long the records are),
/// with the record count and rate; a spinner when reading standard input. Hidden when stderr
/// is not a terminal.
fn progress_bar(show: bool, length: Option<u64>) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    match length {
        Some(len) => {
            let bar = ProgressBar::new(len);
            bar.set_style(
                ProgressStyle::with_template(
                    "{elapsed_precise} [{wide_bar}] {percent:>3}% {msg} · ETA {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar
        }
        None => {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar
        }
    }
}

fn report(ctx: &Context, outcome: &Outcome) -> Result<()> {
    let s = &outcome.summary;
    if ctx.json {
        let mut value = serde_json::to_value(s)?;
        if let Some(map) = value.as_object_mut() {
            map.insert("seconds".into(), serde_json::json!(outcome.seconds));
            map.insert(
                "records_per_second".into(),
                serde_json::json!(rate(s.records, outcome.seconds)),
            );
            map.insert(
                "errors_file".into(),
                serde_json::json!(outcome.errors_file.display().to_string()),
            );
        }
        return ctx.print_json(&value);
    }
    print!("{}", human(s));
    println!(
        "  time      {:.1} s, {:.0} records/s",
        outcome.seconds,
        rate(s.records, outcome.seconds)
    );
    if s.errors > 0 {
        println!("  errors    → {}", outcome.errors_file.display());
    }
    Ok(())
}

fn rate(records: u64, seconds: f64) -> f64 {
    records as f64 / seconds.max(1e-9)
}

/// The summary for people.
pub fn human(s: &Summary) -> String {
    let mut out = format!(
        "{} v{} ({}) · {} · {}{}\n",
        s.template,
        s.version,
        s.source,
        s.today,
        s.channels.join(","),
        if s.shards.is_empty() {
            String::new()
        } else {
            format!(" · shard {}", s.shards.join(" "))
        }
    );
    out.push_str(&format!(
        "  records   {} ({} ok, {} with errors; {} error lines)\n",
        s.records, s.records_ok, s.records_failed, s.errors
    ));
    for channel in &s.channels {
        let n = s.rendered.get(channel).copied().unwrap_or(0);
        out.push_str(&format!("  {channel:<9} {n} rendered\n"));
    }
    if s.sms.messages > 0 {
        let enc: Vec<String> = s
            .sms
            .by_encoding
            .iter()
            .map(|(k, t)| format!("{k} {} msgs/{} segs", t.messages, t.segments))
            .collect();
        out.push_str(&format!(
            "  segments  {} ({})\n",
            s.sms.segments,
            enc.join(", ")
        ));
        if !s.sms.jp_price_tiers.is_empty() {
            let tiers: Vec<String> = s
                .sms
                .jp_price_tiers
                .iter()
                .map(|(k, t)| format!("≤{k}: {}", t.messages))
                .collect();
            out.push_str(&format!("  jp tiers  {}\n", tiers.join(", ")));
        }
    }
    if s.print.letters > 0 {
        out.push_str(&format!(
            "  print     {} letters, {} pages{}\n",
            s.print.letters,
            s.print.pages,
            if s.print.files.is_empty() {
                String::new()
            } else {
                format!(" in {}", s.print.files.join(", "))
            }
        ));
    }
    if !s.warnings.is_empty() {
        let w: Vec<String> = s
            .warnings
            .iter()
            .map(|(k, n)| format!("{k} ×{n}"))
            .collect();
        out.push_str(&format!("  warnings  {}\n", w.join(", ")));
    }
    out
}

/// `ccm batch merge`: every `summary*.json` in the folders, added up.
fn merge(ctx: &Context, dirs: &[PathBuf], out: Option<&Path>) -> Result<ExitCode> {
    let mut files = Vec::new();
    for dir in dirs {
        if dir.is_file() {
            files.push(dir.clone());
            continue;
        }
        let entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        for e in entries {
            let p = e?.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with("summary") && name.ends_with(".json") {
                files.push(p);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        bail!(
            "no summary*.json in {}",
            dirs.iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let mut total = Summary::default();
    for f in &files {
        let s: Summary = serde_json::from_slice(
            &std::fs::read(f).with_context(|| format!("cannot read {}", f.display()))?,
        )
        .with_context(|| format!("{} is not a batch summary", f.display()))?;
        total
            .merge(&s)
            .with_context(|| format!("cannot add {}", f.display()))?;
    }
    if let Some(path) = out {
        let mut bytes = serde_json::to_vec_pretty(&total)?;
        bytes.push(b'\n');
        std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if ctx.json {
        ctx.print_json(&total)?;
    } else {
        print!("{}", human(&total));
        if !total.complete() {
            println!(
                "  missing   some shards: only {} here",
                total.shards.join(" ")
            );
        }
    }
    Ok(if total.complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
