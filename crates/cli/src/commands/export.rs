//! `ccm export DIR`: write the library back to the file format.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;

/// Write the latest version of everything to DIR/templates and DIR/assets (byte-stable)
#[derive(clap::Args)]
pub struct Args {
    /// Output folder (created if missing; files not in the library are left alone)
    dir: PathBuf,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let store = ctx.open()?;
    let report = ccm_core::library::export(&store, &args.dir)?;
    let shared = ccm_trust::share::export(&store, &report.dir.join("templates"))?;
    if ctx.json {
        let mut value = serde_json::to_value(&report)?;
        value["archive"] = serde_json::to_value(&shared)?;
        ctx.print_json(&value)?;
    } else {
        if shared.size > 0 {
            println!(
                "archive: {} entries ({} new files, {} renditions and manifests) in templates/_archive",
                shared.size, shared.entries_written, shared.blobs_written
            );
        }
        println!(
            "exported {} templates, {} blocks, {} brands to {}",
            report.templates,
            report.blocks,
            report.brands,
            report.dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
