//! `ccm diff ID [FROM] [TO]`: what changed between two versions of a template, as `diff -u`.

use std::process::ExitCode;

use anyhow::{bail, Result};
use ccm_core::library::{diff_files, unified};

use crate::context::Context;

/// Show what changed between two versions of a template (default: the latest and the one before)
#[derive(clap::Args)]
pub struct Args {
    /// Template id
    id: String,
    /// The older version (default: the one before TO)
    from: Option<u32>,
    /// The newer version (default: the latest)
    to: Option<u32>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let store = ctx.open()?;
    let to = store.get(&args.id, args.to)?;
    let from_number = match args.from {
        Some(n) => n,
        None if to.number > 1 => to.number - 1,
        None => bail!(
            "{} has only version 1: nothing to compare it with\n  hint: `ccm history {}` lists the versions",
            args.id,
            args.id
        ),
    };
    let from = store.get(&args.id, Some(from_number))?;
    let diffs = diff_files(&from.files, &to.files);
    if ctx.json {
        return ctx.print_json(&diffs).map(|_| ExitCode::SUCCESS);
    }
    if diffs.is_empty() {
        println!(
            "{} v{} and v{} have the same files",
            args.id, from.number, to.number
        );
    } else {
        print!(
            "{}",
            unified(
                &diffs,
                &format!("v{}", from.number),
                &format!("v{}", to.number)
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}
