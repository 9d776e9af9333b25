//! `ccm show ID`: one version of a template, or one of its files.

use std::process::ExitCode;

use anyhow::{anyhow, Result};
use serde::Serialize;

use crate::context::Context;
use crate::table::Table;

/// Show a template version: its details and files, or one file's text
#[derive(clap::Args)]
pub struct Args {
    /// Template id
    id: String,
    /// Version number [default: the latest]
    #[arg(long)]
    version: Option<u32>,
    /// Print only this file of the version (e.g. email.md, data/typical.json)
    #[arg(long, value_name = "PATH")]
    file: Option<String>,
}

#[derive(Serialize)]
struct FileOut<'a> {
    template_id: &'a str,
    version: u32,
    path: &'a str,
    content: &'a str,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let version = ctx.open()?.get(&args.id, args.version)?;
    if let Some(path) = &args.file {
        let content = version.files.get(path).ok_or_else(|| {
            let names: Vec<&str> = version.files.0.keys().map(String::as_str).collect();
            anyhow!(
                "{} version {} has no file '{path}'\n  hint: its files are {}",
                version.template_id,
                version.number,
                names.join(", ")
            )
        })?;
        if ctx.json {
            ctx.print_json(&FileOut {
                template_id: &version.template_id,
                version: version.number,
                path,
                content,
            })?;
        } else {
            print!("{content}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    if ctx.json {
        ctx.print_json(&version)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} version {}", version.template_id, version.number);
    println!("hash     {}", version.hash);
    if let Some(parent) = &version.parent {
        println!("parent   {parent}");
    }
    println!("created  {} by {}", version.created_at, version.author);
    if !version.message.is_empty() {
        println!("message  {}", version.message);
    }
    println!();
    let mut table = Table::new(&["FILE", "BYTES", "LINES"]);
    for (path, text) in &version.files.0 {
        table.row(vec![
            path.clone(),
            text.len().to_string(),
            text.lines().count().to_string(),
        ]);
    }
    print!("{}", table.render());
    Ok(ExitCode::SUCCESS)
}
