//! `ccm history ID`: every version of a template.

use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;
use crate::table::{clip, Table};

/// List every version of a template, oldest first
#[derive(clap::Args)]
pub struct Args {
    /// Template id
    id: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let versions = ctx.open()?.history(&args.id)?;
    if ctx.json {
        return ctx.print_json(&versions).map(|_| ExitCode::SUCCESS);
    }
    let mut table = Table::new(&["VER", "HASH", "PARENT", "CREATED", "AUTHOR", "MESSAGE"]);
    for v in &versions {
        table.row(vec![
            v.number.to_string(),
            v.hash.short().to_owned(),
            v.parent
                .as_ref()
                .map(|p| p.short().to_owned())
                .unwrap_or_else(|| "-".into()),
            v.created_at.clone(),
            v.author.clone(),
            clip(&v.message, 50),
        ]);
    }
    print!("{}", table.render());
    Ok(ExitCode::SUCCESS)
}
