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
    let report = ccm_core::library::export(&ctx.open()?, &args.dir)?;
    if ctx.json {
        ctx.print_json(&report)?;
    } else {
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
