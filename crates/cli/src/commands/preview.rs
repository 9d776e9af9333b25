//! `ccm preview ID --out preview.html`: one self-contained HTML page with the four channels
//! side by side for every persona, for sharing and for machines without a display.

use crate::commands::render::{load_bundle, options};
use crate::context::Context;
use anyhow::{Context as _, Result};
use ccm_render::{render_all, Engine};
use std::path::PathBuf;
use std::process::ExitCode;

/// Write one self-contained HTML page: every persona's four channels side by side
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Template id in the library (omit when using --dir).
    pub id: Option<String>,
    /// Version number (default: latest).
    #[arg(long)]
    pub version: Option<u32>,
    /// Locale (default: the template's default locale).
    #[arg(long)]
    pub locale: Option<String>,
    /// The HTML file to write.
    #[arg(long, default_value = "preview.html")]
    pub out: PathBuf,
    /// Preview a template folder directly instead of a library template.
    #[arg(long, conflicts_with = "id")]
    pub dir: Option<PathBuf>,
    /// Assets folder for --dir (default: <templates>/../assets).
    #[arg(long, requires = "dir")]
    pub assets: Option<PathBuf>,
    /// The date the message is rendered for, YYYY-MM-DD (default: today, UTC).
    #[arg(long, env = "CCM_TODAY")]
    pub today: Option<String>,
    /// Resolution of the letter page images.
    #[arg(long, default_value_t = 96.0)]
    pub dpi: f32,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let bundle = load_bundle(
        args.id.as_deref(),
        args.version,
        args.dir.as_deref(),
        args.assets.as_deref(),
        || ctx.open(),
    )?;
    let locale = args
        .locale
        .clone()
        .unwrap_or_else(|| bundle.source.manifest.default_locale.clone());
    let opts = options(args.today.as_deref(), false, args.dpi)?;
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
