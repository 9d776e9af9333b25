//! `ccm blocks [NAME]`: the shared blocks (legal footers, opt-out lines…) with their language
//! variants and every template that includes them — what a change to a block would touch.

use std::process::ExitCode;

use anyhow::Result;
use ccm_core::library::{block_impact, block_overviews};

use crate::context::Context;
use crate::table::{clip, Table};

/// List the shared blocks, or show one: its text per language and the templates including it
#[derive(clap::Args)]
pub struct Args {
    /// Block name, as in {% include "blocks/NAME" %} (omit to list them all)
    name: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let store = ctx.open()?;
    match args.name {
        None => {
            let blocks = block_overviews(&store)?;
            if ctx.json {
                return ctx.print_json(&blocks).map(|_| ExitCode::SUCCESS);
            }
            let mut table = Table::new(&["NAME", "LANGUAGES", "USED BY", "TEMPLATES"]);
            for b in &blocks {
                let locales: Vec<&str> = b
                    .locales
                    .iter()
                    .map(|l| l.as_deref().unwrap_or("(any)"))
                    .collect();
                table.row(vec![
                    b.name.clone(),
                    locales.join(","),
                    b.used_by.len().to_string(),
                    clip(&b.used_by.join(", "), 60),
                ]);
            }
            if table.is_empty() {
                println!("no shared blocks: import a folder with templates/_blocks/<name>.md");
            } else {
                print!("{}", table.render());
            }
        }
        Some(name) => {
            let impact = block_impact(&store, &name)?;
            if ctx.json {
                return ctx.print_json(&impact).map(|_| ExitCode::SUCCESS);
            }
            println!("{name}  ({{% include \"blocks/{name}\" %}})");
            for v in &impact.variants {
                println!(
                    "--- {} ({})",
                    v.locale.as_deref().unwrap_or("any language"),
                    v.hash.short()
                );
                print!("{}", v.content);
                if !v.content.ends_with('\n') {
                    println!();
                }
            }
            println!(
                "--- used by {} template(s) — a change to this block changes every one of them:",
                impact.templates.len()
            );
            for t in &impact.templates {
                println!("    {}  {}", t.id, t.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
