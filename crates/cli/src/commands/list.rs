//! `ccm list`: the templates in the library.

use std::process::ExitCode;

use anyhow::{anyhow, Result};
use ccm_core::model::Purpose;
use ccm_core::store::ListFilter;

use crate::context::Context;
use crate::table::{clip, Table};

/// List templates with their latest version
#[derive(clap::Args)]
pub struct Args {
    /// Only templates with this tag
    #[arg(long)]
    tag: Option<String>,
    /// Only templates of this brand kit
    #[arg(long)]
    brand: Option<String>,
    /// Only this industry (bank, insurance, telco, utility, retail)
    #[arg(long)]
    industry: Option<String>,
    /// Only transactional or marketing templates
    #[arg(long)]
    purpose: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let purpose = match args.purpose.as_deref() {
        None => None,
        Some("transactional") => Some(Purpose::Transactional),
        Some("marketing") => Some(Purpose::Marketing),
        Some(other) => {
            return Err(anyhow!(
                "unknown purpose '{other}': use transactional or marketing"
            ))
        }
    };
    let filter = ListFilter {
        tag: args.tag,
        brand: args.brand,
        industry: args.industry,
        purpose,
    };
    let templates = ctx.open()?.list(&filter)?;
    if ctx.json {
        return ctx.print_json(&templates).map(|_| ExitCode::SUCCESS);
    }
    let mut table = Table::new(&["ID", "NAME", "BRAND", "TAGS", "VER", "UPDATED"]);
    for t in &templates {
        table.row(vec![
            t.id.clone(),
            clip(&t.name, 40),
            t.brand.clone(),
            clip(&t.tags.join(","), 30),
            t.latest_version.to_string(),
            t.updated_at.clone(),
        ]);
    }
    print!("{}", table.render());
    println!("{} templates", templates.len());
    Ok(ExitCode::SUCCESS)
}
