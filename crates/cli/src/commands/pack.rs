//! `ccm pack export|verify|import`: signed packs of approved templates. Everything is done by
//! `ccm-pack`; this file parses arguments, shows progress on stderr and prints.
//!
//! Exit status: 0 done, 1 refused (a hostile or damaged pack, a rollback, not a brand member,
//! nothing approved — the message names the entry and what to do), 2 usage errors.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use ccm_core::identity::{default_dir, Identity, Role};
use ccm_pack::{Exporter, Layout, Limits, PackError, Progress, Selection};
use ccm_render::Engine;

use super::rules::{pack_error, RulesDir};
use crate::context::Context;

/// Signed packs of approved templates for sending systems: export, verify, import
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: PackCommand,
}

#[derive(clap::Subcommand)]
enum PackCommand {
    /// Export the approved, current templates of a brand, a tag or a list as a signed pack
    /// (brand role; writes OUT and OUT.minisig)
    Export {
        /// Template ids (default: every template of --brand / --tag)
        ids: Vec<String>,
        #[arg(long)]
        brand: Option<String>,
        #[arg(long)]
        tag: Option<String>,
        /// The pack file to write (e.g. spring.ccmpack)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// generic: everything under templates/<id>/; channels: also email/ sms/ push/ print/
        /// folders with one file per template, locale and persona, as sending systems take them
        #[arg(long, default_value = "generic", value_name = "generic|channels")]
        layout: Layout,
        #[command(flatten)]
        rules: RulesDir,
    },
    /// Check a pack: its signature, every entry and hash, each approval's signature, the
    /// evidence and the link to the sender's archive
    Verify {
        pack: PathBuf,
        /// The brand member's public key (the `RW…` line, or a .pub file); repeat to accept
        /// several [default: the brand members on this library's team]
        #[arg(long, value_name = "PUB")]
        key: Vec<String>,
    },
    /// Verify a pack, then import its templates and approvals into this library (all or
    /// nothing; an older pack of the same brand than one already imported is refused)
    Import {
        pack: PathBuf,
        #[arg(long, value_name = "PUB")]
        key: Vec<String>,
    },
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    match args.command {
        PackCommand::Export {
            ids,
            brand,
            tag,
            out,
            layout,
            rules,
        } => {
            if ids.is_empty() && brand.is_none() && tag.is_none() {
                anyhow::bail!("say what to export: --brand B, --tag T or template ids");
            }
            let rules = match rules.load() {
                Ok(r) => r,
                Err(e) => return Ok(pack_error(ctx, &e)),
            };
            let store = ctx.open()?;
            let Some(identity) = Identity::load(&default_dir()?)? else {
                return refused(
                    ctx,
                    &ccm_pack::Refusal {
                        code: ccm_pack::error::codes::NO_IDENTITY,
                        entry: None,
                        message: "packs are signed with your key, and this machine has no identity"
                            .to_owned(),
                        hint: "create one with `ccm id init --name NAME --role brand`, then ask a team member to add you".to_owned(),
                    },
                );
            };
            let engine = Engine::new();
            let exporter = Exporter {
                identity: &identity,
                rules: &rules,
                engine: &engine,
                layout,
            };
            let selection = Selection { brand, tag, ids };
            let started = Instant::now();
            let mut bar = Bar::new(ctx.json);
            let result = ccm_pack::export(&store, &exporter, &selection, &out, |p| bar.show(p));
            bar.done();
            match result {
                Ok(x) => {
                    if ctx.json {
                        let mut v = serde_json::to_value(&x)?;
                        v["seconds"] = serde_json::json!(started.elapsed().as_secs_f64());
                        ctx.print_json(&v)?;
                    } else {
                        println!(
                            "wrote {} ({}, {} entries): pack {} of {} #{} ({:?} layout)",
                            x.path.display(),
                            human_size(x.size),
                            x.entries,
                            x.pack_id,
                            x.brand,
                            x.sequence,
                            x.layout
                        );
                        println!("  sha256 {}", x.sha256);
                        println!(
                            "  signed by {} ({}) → {}",
                            identity.member.name,
                            x.key,
                            x.signature_path.display()
                        );
                        println!(
                            "  check: minisign -Vm {} -P {}",
                            x.path.display(),
                            x.public_key
                        );
                        for i in &x.included {
                            println!(
                                "  included  {} v{} (approval #{})",
                                i.id, i.version, i.entry_seq
                            );
                        }
                        for l in &x.left_out {
                            println!("  left out  {} — {}", l.id, l.why);
                        }
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => finish_error(ctx, e),
            }
        }
        PackCommand::Verify { pack, key } => {
            let keys = keys(ctx, &key)?;
            let started = Instant::now();
            let result = ccm_pack::verify_file(&pack, &keys, &Limits::default(), |_| {});
            match result {
                Ok(v) => {
                    let report = v.report();
                    let seconds = started.elapsed().as_secs_f64();
                    if ctx.json {
                        let mut j = serde_json::to_value(&report)?;
                        j["ok"] = serde_json::json!(true);
                        j["seconds"] = serde_json::json!(seconds);
                        ctx.print_json(&j)?;
                    } else {
                        println!(
                            "ok: pack {} of {} #{} ({}, {} entries) signed by {} ({}, brand)",
                            report.pack_id,
                            report.brand,
                            report.sequence,
                            human_size(report.size),
                            report.entries,
                            report.signed_by.name,
                            report.signed_by.fingerprint
                        );
                        println!(
                            "  every entry listed and hashed; archive head {} entries, root {}",
                            report.archive_size,
                            &report.archive_root[..16]
                        );
                        for t in &report.templates {
                            println!(
                                "  {} — approved by {} at {}, {} renditions, evidence.pdf",
                                t.id, t.approved_by, t.approved_at, t.renditions
                            );
                        }
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => finish_error(ctx, e),
            }
        }
        PackCommand::Import { pack, key } => {
            let keys = keys(ctx, &key)?;
            let mut store = ctx.open()?;
            let verified = match ccm_pack::verify_file(&pack, &keys, &Limits::default(), |_| {}) {
                Ok(v) => v,
                Err(e) => return finish_error(ctx, e),
            };
            match ccm_pack::import(&mut store, &verified) {
                Ok(x) => {
                    if ctx.json {
                        ctx.print_json(&x)?;
                    } else {
                        println!(
                            "imported pack {} of {} #{} signed by {}",
                            x.pack_id, x.brand, x.sequence, verified.signer.name
                        );
                        for t in &x.templates {
                            println!(
                                "  {} v{}{} — approved (imported from pack {})",
                                t.id,
                                t.version,
                                if t.new_version { " (new version)" } else { "" },
                                x.pack_id
                            );
                        }
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => finish_error(ctx, e),
            }
        }
    }
}

/// The keys to check a pack's signature with: those given (a key line or a .pub file), else
/// the brand members on this library's team.
fn keys(ctx: &Context, given: &[String]) -> Result<Vec<String>> {
    if !given.is_empty() {
        return given
            .iter()
            .map(|k| {
                let path = Path::new(k);
                if !k.starts_with("RW") && path.is_file() {
                    let text = std::fs::read_to_string(path)?;
                    let line = text
                        .lines()
                        .map(str::trim)
                        .find(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
                        .unwrap_or_default();
                    Ok(line.to_owned())
                } else {
                    Ok(k.trim().to_owned())
                }
            })
            .collect();
    }
    let Ok(path) = ctx.library_path() else {
        return Ok(Vec::new());
    };
    if !path.exists() {
        return Ok(Vec::new());
    }
    let store = ctx.open()?;
    Ok(store
        .team()?
        .0
        .list()
        .into_iter()
        .filter(|m| m.role == Role::Brand)
        .map(|m| m.public_key)
        .collect())
}

fn finish_error(ctx: &Context, e: PackError) -> Result<ExitCode> {
    match e {
        PackError::Refused(r) => refused(ctx, &r),
        other => Err(other.into()),
    }
}

fn refused(ctx: &Context, r: &ccm_pack::Refusal) -> Result<ExitCode> {
    eprintln!("error: {r}\n  hint: {}", r.hint);
    if ctx.json {
        ctx.print_json(&serde_json::json!({ "error": r }))?;
    }
    Ok(ExitCode::from(1))
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / 1_048_576.0),
        b if b >= 1 << 10 => format!("{:.1} kB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

/// Progress on stderr: an indicatif bar per stage on a terminal (as `ccm batch` shows), one
/// line per stage otherwise (logs of scripted exports).
struct Bar {
    tty: bool,
    quiet: bool,
    stage: &'static str,
    bar: Option<ProgressBar>,
}

impl Bar {
    fn new(json: bool) -> Bar {
        Bar {
            tty: std::io::stderr().is_terminal(),
            quiet: json && !std::io::stderr().is_terminal(),
            stage: "",
            bar: None,
        }
    }

    fn show(&mut self, p: Progress) {
        if self.quiet {
            return;
        }
        let (stage, done, total) = match p {
            Progress::Collect { done, total } => ("collecting approvals and evidence", done, total),
            Progress::Write { done, total } => ("compressing", done, total),
            Progress::Sign => ("signing", 1, 1),
        };
        if stage != self.stage {
            if let Some(bar) = self.bar.take() {
                bar.finish();
            }
            if self.tty {
                let bar = ProgressBar::new(total as u64);
                bar.set_style(
                    ProgressStyle::with_template(
                        "{msg:<34} [{wide_bar}] {pos}/{len} {elapsed_precise} · ETA {eta}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                bar.set_message(stage);
                self.bar = Some(bar);
            } else {
                eprintln!("{stage} ({total})");
            }
            self.stage = stage;
        }
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
        }
    }

    fn done(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
        }
    }
}
