//! `ccm preview ID --out preview.html`: one self-contained HTML page with the four channels
//! side by side for every persona, for sharing and for machines without a display.

use crate::commands::render::{options, Target};
use crate::context::Context;
use anyhow::{Context as _, Result};
use ccm_render::{render_all, Engine};
use std::path::PathBuf;
use std::process::ExitCode;

/// Write one self-contained HTML page: every persona's four channels side by side
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub target: Target,
    /// The HTML file to write.
    #[arg(long, default_value = "preview.html")]
    pub out: PathBuf,
    /// Resolution of the letter page images.
    #[arg(long, default_value_t = 96.0)]
    pub dpi: f32,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let bundle = args.target.bundle(ctx)?;
    let locale = args.target.locale(&bundle);
    let opts = options(args.target.today.as_deref(), false, args.dpi)?;
    let engine = Engine::new();
    let sets: Vec<_> = bundle
        .source
        .personas
        .iter()
        .map(|p| render_all(&engine, &bundle, &p.id, &locale, &opts))
        .collect();
    let html = ccm_render::preview::page(&bundle, &sets);
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&args.out, html.as_bytes())
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let errors: usize = sets
        .iter()
        .flat_map(|s| s.diagnostics())
        .filter(|d| d.severity == ccm_render::Severity::Error)
        .count();
    println!(
        "{}: {} persona(s) × 4 channels, {} KB{}",
        args.out.display(),
        sets.len(),
        html.len() / 1024,
        if errors > 0 {
            format!(", {errors} error(s) shown in the page")
        } else {
            String::new()
        }
    );
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
