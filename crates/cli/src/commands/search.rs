//! `ccm search QUERY`: full-text search, Japanese included.

use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;
use crate::table::{clip, Table};

/// Search names, descriptions, tags and all channel text of the latest versions
#[derive(clap::Args)]
pub struct Args {
    /// Words to find; every word must match (Japanese needs no spaces: お支払い)
    query: String,
    /// Most results to show
    #[arg(long, default_value_t = 20)]
    limit: usize,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let hits = ctx.open()?.search(&args.query, args.limit)?;
    if ctx.json {
        return ctx.print_json(&hits).map(|_| ExitCode::SUCCESS);
    }
    let mut table = Table::new(&["ID", "NAME", "MATCH"]);
    for hit in &hits {
        table.row(vec![
            hit.id.clone(),
            clip(&hit.name, 30),
            clip(&hit.snippet, 60),
        ]);
    }
    if table.is_empty() {
        println!("no templates match '{}'", args.query);
    } else {
        print!("{}", table.render());
    }
    Ok(ExitCode::SUCCESS)
}
