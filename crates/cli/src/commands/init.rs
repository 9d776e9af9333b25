//! `ccm init`: create an empty library.

use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use crate::context::Context;

/// Create an empty library (or report the one that is already there)
#[derive(clap::Args)]
pub struct Args {}

#[derive(Serialize)]
struct Initialised {
    path: String,
    created: bool,
    schema_version: u32,
    templates: u64,
}

pub fn run(ctx: &Context, _args: Args) -> Result<ExitCode> {
    let path = ctx.library_path()?;
    let existed = path.exists();
    let store = ctx.open_or_create()?;
    let stats = store.stats()?;
    let out = Initialised {
        path: path.display().to_string(),
        created: !existed,
        schema_version: stats.schema_version,
        templates: stats.templates,
    };
    if ctx.json {
        ctx.print_json(&out)?;
    } else if out.created {
        println!("created library {}", out.path);
    } else {
        println!(
            "library {} already exists ({} templates, schema {})",
            out.path, out.templates, out.schema_version
        );
    }
    Ok(ExitCode::SUCCESS)
}
