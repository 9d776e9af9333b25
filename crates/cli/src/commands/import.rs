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
            import(&mut store, &dirs, &args.author)?
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
