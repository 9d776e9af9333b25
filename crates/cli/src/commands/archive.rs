//! `ccm archive`: the tamper-evident record of every review decision.
//!
//! ```text
//! ccm archive list|search [--from D] [--to D] [--template ID] [--brand B] [--channel C]
//!                         [--approver NAME|KEY] [--kind K] [--rule-pack P] [--limit N]
//! ccm archive show ENTRY                 # number (#12) or hash prefix
//! ccm archive verify [--checkpoint FILE]… [--rerender [--template ID]]
//! ccm archive diff A B                   # two approvals: per channel, per persona
//! ccm archive checkpoint [--out FILE]    # the signed head, to keep somewhere else
//! ccm archive prove-extends OLD NEW      # checkpoint files or library files
//! ccm archive export --ocfl DIR          # OCFL 1.1 objects, one per template
//! ccm archive evidence ENTRY --out x.pdf # PDF/A-3b review record with attachments
//! ```
//! `verify` exits 0 when intact, else 10 content changed, 11 entry deleted, 12 entries
//! reordered, 13 head rolled back, 14 signature invalid, 15 renditions differ on re-render.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context as _, Result};
use ccm_core::store::{ArchiveFilter, ArchiveRow, Store};
use ccm_render::Engine;
use ccm_trust::{archive, diff, rerender, review, verify};

use super::rules::{pack_error, RulesDir};
use crate::context::Context;
use crate::table::Table;

/// The tamper-evident archive of review decisions: list, search, show, verify, diff, prove
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: ArchiveCommand,
}

#[derive(clap::Args, Default)]
struct Filter {
    /// From this date or time (YYYY-MM-DD or RFC 3339), inclusive
    #[arg(long)]
    from: Option<String>,
    /// Up to this date or time, inclusive
    #[arg(long)]
    to: Option<String>,
    #[arg(long)]
    template: Option<String>,
    #[arg(long)]
    brand: Option<String>,
    /// email | sms | push | print (approvals that rendered it)
    #[arg(long)]
    channel: Option<String>,
    /// Who made the entry: part of a name, or a key fingerprint
    #[arg(long, alias = "actor", alias = "by")]
    approver: Option<String>,
    /// submit | approve | request_changes | withdraw | comment | comment_edit
    #[arg(long)]
    kind: Option<String>,
    /// Rule pack id, or id@sha8 for one exact version of it
    #[arg(long)]
    rule_pack: Option<String>,
    /// At most this many entries, newest first
    #[arg(long, default_value_t = 50)]
    limit: u32,
}

#[derive(clap::Subcommand)]
enum ArchiveCommand {
    /// The newest entries (same filters as search)
    List(Filter),
    /// Entries by date range, template, brand, channel, approver, kind, rule pack (combined)
    Search(Filter),
    /// One entry in full: body, signature, and for approvals every rendition bound
    Show { entry: String },
    /// Check every hash, link, signature and rendition; name the first broken entry
    Verify {
        /// A checkpoint kept elsewhere (from `ccm archive checkpoint`); repeatable
        #[arg(long = "checkpoint", value_name = "FILE")]
        checkpoints: Vec<PathBuf>,
        /// Also render every approval again with this build and compare bytes
        #[arg(long)]
        rerender: bool,
        /// With --rerender: only this template's approvals
        #[arg(long, requires = "rerender")]
        template: Option<String>,
        #[command(flatten)]
        rules: RulesDir,
    },
    /// Compare the renditions of two approvals, per channel and persona
    Diff { a: String, b: String },
    /// Print (or write) the signed head of the archive, to keep outside this library
    Checkpoint {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Show that NEW extends OLD (nothing rewritten or dropped); each a checkpoint or library file
    ProveExtends { old: PathBuf, new: PathBuf },
    /// Export approvals as OCFL 1.1 objects (one per template, one version per approval)
    Export {
        /// Folder for the objects (DIR/<template-id>/)
        #[arg(long, value_name = "DIR")]
        ocfl: PathBuf,
        /// Only this template
        #[arg(long)]
        template: Option<String>,
    },
    /// The review record of an approval as a PDF/A-3b with the entry, manifest and sources attached
    Evidence {
        entry: String,
        #[arg(long)]
        out: PathBuf,
        /// Labels in ja | en [default: from LANG, else en]
        #[arg(long, value_parser = ["ja", "en"])]
        lang: Option<String>,
    },
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    match args.command {
        ArchiveCommand::List(f) | ArchiveCommand::Search(f) => search(ctx, f),
        ArchiveCommand::Show { entry } => show(ctx, &entry),
        ArchiveCommand::Verify {
            checkpoints,
            rerender,
            template,
            rules,
        } => run_verify(ctx, &checkpoints, rerender, template.as_deref(), &rules),
        ArchiveCommand::Diff { a, b } => run_diff(ctx, &a, &b),
        ArchiveCommand::Checkpoint { out } => checkpoint(ctx, out.as_deref()),
        ArchiveCommand::ProveExtends { old, new } => prove_extends(ctx, &old, &new),
        ArchiveCommand::Export { ocfl, template } => export_ocfl(ctx, &ocfl, template.as_deref()),
        ArchiveCommand::Evidence { entry, out, lang } => {
            evidence(ctx, &entry, &out, lang.as_deref())
        }
    }
}

fn search(ctx: &Context, f: Filter) -> Result<ExitCode> {
    let store = ctx.open()?;
    let filter = ArchiveFilter {
        from: f.from,
        to: f.to,
        template_id: f.template,
        brand: f.brand,
        channel: f.channel,
        actor: f.approver,
        kind: f.kind.map(|k| k.replace('-', "_")),
        rule_pack: f.rule_pack,
    };
    let rows = store.archive_search(&filter, f.limit)?;
    if ctx.json {
        let entries: Vec<serde_json::Value> = rows.iter().map(row_json).collect();
        ctx.print_json(&entries)?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        println!("no archive entries match");
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = Table::new(&["#", "AT", "KIND", "TEMPLATE", "BY", "CHANNELS", "HASH"]);
    for r in &rows {
        t.row(vec![
            r.seq.to_string(),
            r.at.clone(),
            r.kind.clone(),
            format!("{}@v{}", r.template_id, r.version),
            r.actor_name.clone(),
            r.channels.trim().replace(' ', "+"),
            r.hash[..12].to_owned(),
        ]);
    }
    print!("{}", t.render());
    Ok(ExitCode::SUCCESS)
}

fn row_json(r: &ArchiveRow) -> serde_json::Value {
    serde_json::json!({
        "seq": r.seq, "hash": r.hash, "kind": r.kind, "template": r.template_id,
        "version": r.version, "brand": r.brand, "by": r.actor_name, "by_key": r.actor_key,
        "at": r.at, "channels": r.channels.split_whitespace().collect::<Vec<_>>(),
        "rule_packs": r.rule_packs.split_whitespace().collect::<Vec<_>>(),
    })
}

/// `12`, `#12` or a hash prefix of at least 8 hex digits.
fn find_entry(store: &Store, entry: &str) -> Result<ArchiveRow> {
    let e = entry.trim().trim_start_matches('#');
    if let Ok(seq) = e.parse::<u64>() {
        if e.len() < 8 {
            return store
                .archive_row(seq)?
                .ok_or_else(|| anyhow!("the archive has no entry #{seq}"));
        }
    }
    if e.len() < 8 || !e.chars().all(|c| c.is_ascii_hexdigit()) {
        bail!("`{entry}` is neither an entry number nor a hash prefix of 8+ hex digits");
    }
    let mut found = store.archive_row_by_hash(e)?;
    match found.len() {
        0 => bail!("no archive entry has a hash starting with {e}"),
        1 => Ok(found.remove(0)),
        _ => bail!("more than one entry hash starts with {e}: give more digits"),
    }
}

fn show(ctx: &Context, entry: &str) -> Result<ExitCode> {
    let store = ctx.open()?;
    let row = find_entry(&store, entry)?;
    let parsed = archive::parse(&row)?;
    let signature_ok = ccm_core::identity::verify(
        &parsed.actor.public_key,
        row.body.as_bytes(),
        &row.signature,
    )
    .is_ok();
    let manifest = if parsed.approval.is_some() {
        Some(review::manifest_of(&store, &parsed)?)
    } else {
        None
    };
    if ctx.json {
        ctx.print_json(&serde_json::json!({
            "seq": row.seq, "hash": row.hash, "entry": parsed, "signature": row.signature,
            "signature_valid": signature_ok, "manifest": manifest,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("entry #{}  sha256 {}", row.seq, row.hash);
    println!(
        "  {} {}@v{} ({})",
        parsed.kind.as_str(),
        parsed.template.id,
        parsed.template.version,
        parsed.template.brand
    );
    println!(
        "  by {} ({}, key {}) at {}",
        parsed.actor.name, parsed.actor.role, parsed.actor.key, parsed.at
    );
    println!(
        "  signature: {}",
        if signature_ok {
            "valid"
        } else {
            "DOES NOT VERIFY"
        }
    );
    if let Some(c) = &parsed.comment {
        println!("  comment: {c}");
    }
    if let Some(a) = &parsed.approval {
        println!("  meaning: {}", a.meaning);
        println!(
            "  findings: {} errors, {} warnings, {} info",
            a.findings.errors, a.findings.warnings, a.findings.infos
        );
        for w in &a.waivers {
            println!("  waiver: {} ×{} — {}", w.rule, w.findings, w.reason);
        }
        println!("  rule packs: {}", a.rule_packs.join(", "));
        println!("  manifest sha256 {}", a.manifest_sha256);
    }
    if let Some(m) = manifest {
        println!(
            "  rendered for {} with {} {} (build {})",
            m.rendered_for,
            m.inputs.renderer.name,
            m.inputs.renderer.version,
            m.inputs.renderer.build
        );
        for r in &m.renditions {
            println!("    {}  {:>8}  {}", &r.sha256[..16], r.size, r.path());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_verify(
    ctx: &Context,
    checkpoints: &[PathBuf],
    rerender: bool,
    template: Option<&str>,
    rules: &RulesDir,
) -> Result<ExitCode> {
    let store = ctx.open()?;
    let notes = checkpoints
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .with_context(|| format!("cannot read checkpoint {}", p.display()))
        })
        .collect::<Result<Vec<_>>>()?;
    let report = verify::verify(&store, &notes)?;
    let mut rerendered = Vec::new();
    if rerender && report.ok() {
        let rules = match rules.load() {
            Ok(r) => r,
            Err(e) => return Ok(pack_error(ctx, &e)),
        };
        rerendered = rerender::rerender_all(&store, &Engine::new(), &rules, template)?;
    }
    let differing: Vec<&rerender::Rerendered> = rerendered
        .iter()
        .filter(|r| !r.differ.is_empty() || r.error.is_some())
        .collect();
    if ctx.json {
        ctx.print_json(&serde_json::json!({ "report": report, "rerender": rerendered }))?;
    } else {
        match &report.problem {
            None => println!(
                "archive intact: {} entries ({} approvals, {} renditions), root {}, {} checkpoints consistent",
                report.entries, report.approvals, report.renditions, &report.root[..16.min(report.root.len())], report.checkpoints_checked
            ),
            Some(p) => {
                eprintln!("TAMPERED: {} at entry #{}: {}", p.kind.label().0, p.seq, p.message);
            }
        }
        if rerender && report.ok() {
            let total: u32 = rerendered.iter().map(|r| r.renditions).sum();
            if differing.is_empty() {
                println!(
                    "re-rendered {} approvals ({total} renditions): every byte identical",
                    rerendered.len()
                );
            }
            for r in &differing {
                match &r.error {
                    Some(e) => eprintln!(
                        "#{} {}@v{}: cannot re-render: {e}",
                        r.seq, r.template_id, r.version
                    ),
                    None => eprintln!(
                        "#{} {}@v{}: {} of {} renditions differ: {}",
                        r.seq,
                        r.template_id,
                        r.version,
                        r.differ.len(),
                        r.renditions,
                        r.differ.join(", ")
                    ),
                }
            }
        }
    }
    Ok(match (&report.problem, differing.is_empty()) {
        (Some(p), _) => ExitCode::from(p.kind.exit_code()),
        (None, false) => ExitCode::from(15),
        (None, true) => ExitCode::SUCCESS,
    })
}

fn approval_manifest(
    store: &Store,
    entry: &str,
) -> Result<(ArchiveRow, ccm_trust::manifest::Manifest)> {
    let row = find_entry(store, entry)?;
    let e = archive::parse(&row)?;
    if e.approval.is_none() {
        bail!("entry #{} is a {}, not an approval", row.seq, row.kind);
    }
    let m = review::manifest_of(store, &e)?;
    Ok((row, m))
}

fn run_diff(ctx: &Context, a: &str, b: &str) -> Result<ExitCode> {
    let store = ctx.open()?;
    let (ra, ma) = approval_manifest(&store, a)?;
    let (rb, mb) = approval_manifest(&store, b)?;
    let changes = diff::diff(&store, &ma, &mb)?;
    if ctx.json {
        ctx.print_json(&changes)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "#{} {}@v{}  →  #{} {}@v{}",
        ra.seq, ra.template_id, ra.version, rb.seq, rb.template_id, rb.version
    );
    let mut same = 0;
    for c in &changes {
        if c.change == "same" {
            same += 1;
            continue;
        }
        println!(
            "{} {} [{} / {} / {}]",
            c.change, c.path, c.channel, c.persona, c.locale
        );
        if let Some(d) = &c.diff {
            for line in d.lines() {
                println!("    {line}");
            }
        }
    }
    println!("{same} renditions unchanged");
    Ok(ExitCode::SUCCESS)
}

fn checkpoint(ctx: &Context, out: Option<&Path>) -> Result<ExitCode> {
    let store = ctx.open()?;
    let Some(last) = store.archive_checkpoints()?.pop() else {
        bail!("the archive is empty: nothing to checkpoint yet");
    };
    if last.size != store.archive_len()? {
        bail!("the latest checkpoint does not match the archive: run `ccm archive verify`");
    }
    match out {
        Some(p) => {
            std::fs::write(p, &last.note)
                .with_context(|| format!("cannot write {}", p.display()))?;
            if !ctx.json {
                println!(
                    "checkpoint of {} entries written to {}",
                    last.size,
                    p.display()
                );
            }
        }
        None => print!("{}", last.note),
    }
    Ok(ExitCode::SUCCESS)
}

/// Entry hashes of a library, or the (size, root) a checkpoint file states.
enum Side {
    Library(Vec<String>),
    Checkpoint { size: u64, root: String },
}

fn side(path: &Path) -> Result<Side> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.starts_with(b"SQLite format 3\0") {
        let store = Store::open(path)?;
        return Ok(Side::Library(
            store.archive_rows()?.into_iter().map(|r| r.hash).collect(),
        ));
    }
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.lines();
    let _origin = lines.next();
    let size = lines.next().and_then(|l| l.trim().parse().ok());
    let root = lines.next().and_then(|l| {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(l.trim())
            .ok()
    });
    match (size, root) {
        (Some(size), Some(root)) if root.len() == 32 => Ok(Side::Checkpoint {
            size,
            root: hex::encode(root),
        }),
        _ => bail!(
            "{} is neither a library nor a checkpoint (origin, size, root lines)",
            path.display()
        ),
    }
}

fn prove_extends(ctx: &Context, old: &Path, new: &Path) -> Result<ExitCode> {
    let Side::Library(new_hashes) = side(new)? else {
        bail!("NEW must be a library file (the proof is computed from its entries)");
    };
    let (old_size, old_root) = match side(old)? {
        Side::Checkpoint { size, root } => (size, root),
        Side::Library(h) => (h.len() as u64, hex::encode(archive::root_of(&h)?)),
    };
    let outcome = ccm_trust::prove::extends(&new_hashes, old_size, &old_root)?;
    if ctx.json {
        ctx.print_json(&outcome)?;
    } else if outcome.extends {
        println!(
            "NEW ({} entries) extends OLD ({} entries): consistency proof of {} hashes verifies",
            outcome.new_size,
            outcome.old_size,
            outcome.proof.len()
        );
    } else {
        eprintln!("NEW does NOT extend OLD: {}", outcome.reason);
    }
    Ok(if outcome.extends {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn export_ocfl(ctx: &Context, dir: &Path, template: Option<&str>) -> Result<ExitCode> {
    let store = ctx.open()?;
    let written = ccm_trust::ocfl_export::export(&store, dir, template)?;
    if written.is_empty() {
        bail!(
            "no approvals to export{}",
            template.map(|t| format!(" for `{t}`")).unwrap_or_default()
        );
    }
    if ctx.json {
        let v: Vec<serde_json::Value> = written
            .iter()
            .map(|(id, s)| serde_json::json!({"template": id, "path": dir.join(id), "head": s.head, "versions": s.version_count, "files": s.stored_files, "bytes": s.stored_bytes, "inventory_sha512": s.inventory_sha512}))
            .collect();
        ctx.print_json(&v)?;
    } else {
        for (id, s) in &written {
            println!(
                "{}: OCFL object with {} versions ({} files, {} bytes) at {}",
                id,
                s.version_count,
                s.stored_files,
                s.stored_bytes,
                dir.join(id).display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn evidence(ctx: &Context, entry: &str, out: &Path, lang: Option<&str>) -> Result<ExitCode> {
    let store = ctx.open()?;
    let row = find_entry(&store, entry)?;
    let lang = super::check::lang(lang);
    let pdf = ccm_trust::evidence::evidence_pdf(&store, &Engine::new(), row.seq, &lang)?;
    let tmp = out.with_extension("pdf.partial");
    std::fs::write(&tmp, &pdf).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, out).with_context(|| format!("cannot write {}", out.display()))?;
    if ctx.json {
        ctx.print_json(&serde_json::json!({"path": out, "bytes": pdf.len(), "entry": row.seq}))?;
    } else {
        println!(
            "evidence of entry #{} ({} bytes, PDF/A-3b) written to {}",
            row.seq,
            pdf.len(),
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
