//! `ccm brands [ID]`: the brand kits as a brand team reviews them — the same facts as the app's
//! Brands view: identity per language, colours with the WCAG contrast of the pairs the layouts
//! use, fonts, voice, history, and every template a change to the kit would touch.
//! `ccm brands set BRAND …` edits a kit (`brand_set.rs`).

use std::process::ExitCode;

use anyhow::Result;
use ccm_core::library::{brand_impact, brand_overviews, BrandImpact};
use ccm_rules::brand_contrast::brand_contrast_table;
use serde_json::json;

use crate::context::Context;
use crate::table::{clip, Table};

/// List the brand kits, show one with its contrast table and the templates using it, or edit one
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// Brand kit id (omit to list them all)
    id: Option<String>,
}

#[derive(clap::Subcommand)]
enum Action {
    Set(super::brand_set::Args),
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    if let Some(Action::Set(set)) = args.action {
        return super::brand_set::run(ctx, set);
    }
    let store = ctx.open()?;
    match args.id {
        None => {
            let kits = brand_overviews(&store)?;
            if ctx.json {
                let rows: Vec<_> = kits
                    .iter()
                    .map(|k| {
                        json!({"id": k.kit.id, "name": k.kit.name, "version": k.version,
                               "hash": k.hash, "templates": k.templates, "colors": k.kit.colors})
                    })
                    .collect();
                return ctx.print_json(&rows).map(|_| ExitCode::SUCCESS);
            }
            let mut table =
                Table::new(&["ID", "NAME", "VER", "TEMPLATES", "PRIMARY", "LEGAL NAME"]);
            for k in &kits {
                table.row(vec![
                    k.kit.id.clone(),
                    clip(&k.kit.name, 24),
                    k.version.to_string(),
                    k.templates.to_string(),
                    k.kit.colors.primary.clone(),
                    clip(&k.kit.legal_name, 32),
                ]);
            }
            if table.is_empty() {
                println!("no brand kits: import a folder with assets/brands/<id>/brand.toml");
            } else {
                print!("{}", table.render());
            }
        }
        Some(id) => {
            let impact = brand_impact(&store, &id)?;
            if ctx.json {
                return ctx
                    .print_json(&impact_json(&impact))
                    .map(|_| ExitCode::SUCCESS);
            }
            print!("{}", describe(&impact));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn impact_json(i: &BrandImpact) -> serde_json::Value {
    let kit = &i.overview.kit;
    let contrast: Vec<_> = brand_contrast_table(&kit.colors)
        .iter()
        .map(|c| {
            json!({"pair": c.id, "foreground": c.foreground_hex, "background": c.background_hex,
                   "ratio": c.ratio, "aa_normal": c.aa_normal, "aa_large": c.aa_large})
        })
        .collect();
    json!({
        "kit": kit,
        "version": i.overview.version,
        "hash": i.overview.hash,
        "contrast": contrast,
        "history": i.history,
        "templates": i.templates.iter().map(|t| &t.id).collect::<Vec<_>>(),
    })
}

fn describe(i: &BrandImpact) -> String {
    let kit = &i.overview.kit;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!(
        "{} — {} (v{}, {})",
        kit.id,
        kit.name,
        i.overview.version,
        i.overview.hash.short()
    ));
    for locale in kit.identity_locales() {
        let id = kit.identity(&locale);
        line(format!(
            "  [{locale}] {} · {} · {}",
            id.name,
            id.legal_name,
            id.address.lines.join(", ")
        ));
    }
    line(format!(
        "  contact  {} · {} · {}",
        kit.contact.phone, kit.contact.email, kit.contact.website
    ));
    if let Some(u) = &kit.contact.opt_out_url {
        line(format!("  opt-out  {u}"));
    }
    let c = &kit.colors;
    line(format!(
        "  colours  primary {} · secondary {} · text {} · background {} · muted {}{}",
        c.primary,
        c.secondary,
        c.text,
        c.background,
        c.muted,
        c.accent
            .as_ref()
            .map(|a| format!(" · accent {a}"))
            .unwrap_or_default()
    ));
    line("  contrast (WCAG 2.x: AA needs 4.5:1 for normal text, 3:1 for large)".into());
    for check in brand_contrast_table(&kit.colors) {
        let verdict = match (check.aa_normal, check.aa_large) {
            (true, _) => "AA",
            (false, true) => "AA large only",
            (false, false) => "FAILS AA",
        };
        line(format!(
            "    {:<26} {} on {}  {:>5.2}:1  {verdict}",
            check.id, check.foreground_hex, check.background_hex, check.ratio
        ));
    }
    if let Some(f) = &kit.fonts.email {
        line(format!("  email font  {f}"));
    }
    if !kit.fonts.print.is_empty() {
        line(format!("  print fonts {}", kit.fonts.print.join(", ")));
    }
    for v in &kit.voice {
        line(format!("  voice    {v}"));
    }
    line(format!(
        "  history  {}",
        i.history
            .iter()
            .map(|h| format!("v{} {} by {}", h.number, h.created_at, h.author))
            .collect::<Vec<_>>()
            .join("; ")
    ));
    line(format!(
        "  used by {} template(s) — a change to this kit changes every one of them:",
        i.templates.len()
    ));
    for t in &i.templates {
        line(format!("    {}  {}", t.id, t.name));
    }
    out
}
