//! `ccm import DIR`: load a folder in the file format into the library.
//! `ccm import --samples`: load the sample library compiled into `ccm` (no source tree needed).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use ccm_core::library::{import, ImportReport, LibraryDirs};

use crate::context::Context;

/// Import templates, shared blocks and brand kits from a folder, or the bundled samples (one transaction)
#[derive(clap::Args)]
pub struct Args {
    /// A project folder holding templates/ and assets/, or a templates folder
    #[arg(required_unless_present = "samples")]
    dir: Option<PathBuf>,
    /// Import the sample library bundled with ccm (templates, blocks, personas, brand kits)
    #[arg(long, conflicts_with_all = ["dir", "assets"])]
    samples: bool,
    /// Assets folder with brands/ [default: assets/ beside the templates folder]
    #[arg(long, value_name = "DIR")]
    assets: Option<PathBuf>,
    /// Recorded as the author of the new versions
    #[arg(long, default_value = "import")]
    author: String,
    /// Import even when changed blocks or brand kits make approved templates stale (they are
    /// listed first; without --yes nothing is imported)
    #[arg(long)]
    yes: bool,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let mut store = ctx.open_or_create()?;
    let report = match &args.dir {
        Some(dir) if !args.samples => {
            let dirs = LibraryDirs::resolve(dir, args.assets.as_deref());
            eprintln!(
                "importing {} (assets {}) into {}",
                dirs.templates.display(),
                dirs.assets.display(),
                ctx.library_path()?.display()
            );
            if !args.yes {
                let affected = stale_after_import(&store, &dirs)?;
                if !affected.is_empty() {
                    eprintln!(
                        "this import changes shared blocks or brand kits that {} approved templates use:",
                        affected.len()
                    );
                    for a in &affected {
                        let why: Vec<&str> = a.reasons.iter().map(|r| r.en.as_str()).collect();
                        eprintln!(
                            "  {} v{} (approved by {}): {}",
                            a.template_id,
                            a.version,
                            a.approved_by,
                            why.join("; ")
                        );
                    }
                    eprintln!("their approvals would become stale. Nothing was imported: run again with --yes to import.");
                    return Ok(ExitCode::from(1));
                }
            }
            let report = import(&mut store, &dirs, &args.author)?;
            // Review decisions travel with the folder: verified, then appended as they are.
            let shared = ccm_trust::share::import(&mut store, &dirs.templates)?;
            if shared.entries_imported > 0 {
                eprintln!(
                    "archive: {} review entries imported ({} renditions), {} in all",
                    shared.entries_imported, shared.blobs_imported, shared.size
                );
            }
            report
        }
        _ => {
            eprintln!(
                "importing the bundled sample library into {}",
                ctx.library_path()?.display()
            );
            ccm_bundled::samples::import_into(&mut store, &args.author)?
        }
    };
    if ctx.json {
        ctx.print_json(&report)?;
    } else {
        print_report(&report);
    }
    for problem in &report.problems {
        eprintln!("{problem}");
    }
    Ok(if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Approved templates whose approval the folder's blocks and brand kits would make stale.
fn stale_after_import(
    store: &ccm_core::store::Store,
    dirs: &LibraryDirs,
) -> Result<Vec<ccm_trust::impact::Affected>> {
    if store.archive_len()? == 0 {
        return Ok(Vec::new());
    }
    let load = ccm_core::format::load_library(&dirs.templates, &dirs.assets);
    let rules = ccm_bundled::rules::load(
        std::env::var_os("CCM_RULES")
            .as_deref()
            .map(std::path::Path::new),
    )
    .map_err(|e| anyhow::anyhow!("{}: {}", e.file, e.message))?;
    let mut affected = ccm_trust::impact::would_make_stale(
        store,
        &rules,
        &ccm_trust::impact::Change::Blocks(&load.blocks),
    )?;
    for a in ccm_trust::impact::would_make_stale(
        store,
        &rules,
        &ccm_trust::impact::Change::Brands(&load.brands),
    )? {
        match affected.iter_mut().find(|x| x.template_id == a.template_id) {
            Some(x) => x.reasons.extend(a.reasons),
            None => affected.push(a),
        }
    }
    Ok(affected)
}

fn print_report(report: &ImportReport) {
    for item in &report.created {
        let kind = serde_json::to_value(item.kind).unwrap_or_default();
        println!(
            "+ {:<8} {} v{}  {}",
            kind.as_str().unwrap_or_default(),
            item.id,
            item.version,
            item.hash.short()
        );
    }
    let u = &report.unchanged;
    println!(
        "{} new versions ({} templates); unchanged: {} templates, {} blocks, {} brands; {} images; {} problems",
        report.created.len(),
        report.created_templates(),
        u.templates,
        u.blocks,
        u.brands,
        report.assets,
        report.problems.len()
    );
}
