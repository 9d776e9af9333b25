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
    let store = ctx.open()?;
    let versions = store.history(&args.id)?;
    let (team, _) = store.team()?;
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
            // Where it came from, and who: the team's name for the key, else the key id.
            match &v.author_key {
                Some(key) => match team.member(key) {
                    Some(m) => format!("{} · {}", v.author, m.name),
                    None => format!("{} · {key}", v.author),
                },
                None => v.author.clone(),
            },
            clip(&v.message, 50),
        ]);
    }
    print!("{}", table.render());
    Ok(ExitCode::SUCCESS)
}
