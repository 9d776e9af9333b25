//! `ccm brands set BRAND …`: edit a brand kit from the command line, as the app's kit editor
//! does — colours (with the WCAG table and a suggested fix for failing pairs), a new logo, the
//! fonts, the voice guidelines, names per locale. Before saving it lists the approved templates
//! the new kit version makes stale and which of their channels change; with any, nothing is
//! saved without `--yes`.
//!
//! Exit status: 0 saved (or nothing to change), 1 refused (problems, or stale approvals
//! without --yes), 2 usage or rule-pack errors.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Context as _, Result};
use ccm_core::brand_edit::{apply_edit, BrandEdit, EditOutcome, IdentityEdit, EMAIL_FONT_STACKS};
use ccm_core::store::SaveOutcome;
use ccm_render::Engine;
use ccm_rules::brand_contrast::{brand_contrast_table, logo_contrast, suggest_fixes};
use ccm_rules::contrast::Rgb;
use ccm_trust::brand_change::{brand_change_impact, ChannelState, KitChangeImpact};
use serde_json::json;

use super::rules::{pack_error, RulesDir};
use crate::context::Context;

/// Edit a brand kit: colours, logo, fonts, voice, names per locale (lists what goes stale first)
#[derive(clap::Args)]
pub struct Args {
    /// Brand kit id
    brand: String,
    /// A colour by role: primary, secondary, text, background, muted, accent (repeat);
    /// `accent=` removes the accent
    #[arg(long = "color", value_name = "ROLE=#RRGGBB")]
    colors: Vec<String>,
    /// A new logo (PNG or JPEG; scaled to at most 1200 px and stored as logo.png)
    #[arg(long, value_name = "FILE")]
    logo: Option<PathBuf>,
    /// Email font stack: an id (ja-sans, ja-sans-modern, ja-serif, latin-sans, latin-serif) or
    /// `default` for the layout's own
    #[arg(long, value_name = "ID")]
    email_font: Option<String>,
    /// Print font family (bundled: Noto Sans JP), or `none`
    #[arg(long = "font", value_name = "FAMILY")]
    print_font: Option<String>,
    /// Voice guidelines, one per line (replaces the kit's)
    #[arg(long, value_name = "FILE")]
    voice_file: Option<PathBuf>,
    /// Display name in a locale (repeat)
    #[arg(long = "name", value_name = "LOCALE=TEXT")]
    names: Vec<String>,
    /// Legal name in a locale (repeat)
    #[arg(long = "legal-name", value_name = "LOCALE=TEXT")]
    legal_names: Vec<String>,
    /// Recorded as the author of the new kit version
    #[arg(long, default_value = "cli")]
    author: String,
    /// Save even when approved templates become stale (they are listed first)
    #[arg(long)]
    yes: bool,
    /// The date both renders are made for when comparing channels, YYYY-MM-DD
    #[arg(long, env = "CCM_TODAY")]
    today: Option<String>,
    #[command(flatten)]
    rules: RulesDir,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let rules = match args.rules.load() {
        Ok(r) => r,
        Err(e) => return Ok(pack_error(ctx, &e)),
    };
    let mut store = ctx.open()?;
    let current = store.brand(&args.brand)?;
    let edit = edit_of(&args, &current.kit)?;
    let outcome = apply_edit(&current, &edit);
    let today = super::render::options(args.today.as_deref(), false, 0.0)?.today;

    let stale = if outcome.changed && outcome.is_valid() {
        brand_change_impact(&store, &Engine::new(), &rules, &outcome.brand, today)?
    } else {
        Vec::new()
    };
    let refused = !outcome.is_valid() || (!stale.is_empty() && !args.yes);
    let saved = if refused || !outcome.changed {
        None
    } else {
        match store.write(|w| w.save_brand(&outcome.brand, &args.author))? {
            SaveOutcome::Created { version, hash } | SaveOutcome::Unchanged { version, hash } => {
                Some((version, hash))
            }
        }
    };

    if ctx.json {
        ctx.print_json(&json!({
            "brand": args.brand,
            "changed": outcome.changed,
            "problems": outcome.problems,
            "contrast": contrast_json(&outcome),
            "stale": stale,
            "saved": saved.as_ref().map(|(v, h)| json!({"version": v, "hash": h})),
        }))?;
    } else {
        print_review(&outcome);
        print_stale(&stale);
        for p in &outcome.problems {
            eprintln!("error: {}: {}", p.field, p.en);
        }
        if !outcome.is_valid() {
            eprintln!("nothing was saved: correct the values above and run again.");
        } else if refused {
            eprintln!(
                "their approvals would become stale. Nothing was saved: run again with --yes to save."
            );
        } else if let Some((version, hash)) = &saved {
            println!("saved {} v{version} ({})", args.brand, hash.short());
        } else {
            println!("{}: nothing to change", args.brand);
        }
    }
    Ok(if refused {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn edit_of(args: &Args, kit: &ccm_core::model::BrandKit) -> Result<BrandEdit> {
    let mut edit = BrandEdit::default();
    for c in &args.colors {
        let (role, value) = pair(c, "--color")?;
        edit.colors.insert(role.to_owned(), value.to_owned());
    }
    if let Some(path) = &args.logo {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        edit.logo = Some(bytes);
    }
    if let Some(id) = &args.email_font {
        let stack = match id.as_str() {
            "default" => "",
            id => EMAIL_FONT_STACKS
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, s)| *s)
                .unwrap_or(id),
        };
        edit.email_font = Some(stack.to_owned());
    }
    if let Some(family) = &args.print_font {
        edit.print_font = Some(if family == "none" { "" } else { family }.to_owned());
    }
    if let Some(path) = &args.voice_file {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        edit.voice = Some(text.lines().map(str::to_owned).collect());
    }
    if !args.names.is_empty() || !args.legal_names.is_empty() {
        let mut shown: Vec<IdentityEdit> = kit
            .identity_locales()
            .into_iter()
            .map(|locale| {
                let id = kit.identity(&locale);
                IdentityEdit {
                    locale,
                    name: id.name,
                    legal_name: id.legal_name,
                    address_lines: id.address.lines,
                    country: id.address.country,
                }
            })
            .collect();
        for (list, is_legal) in [(&args.names, false), (&args.legal_names, true)] {
            for item in list {
                let (locale, text) = pair(item, if is_legal { "--legal-name" } else { "--name" })?;
                let at = match shown.iter().position(|s| s.locale == locale) {
                    Some(i) => i,
                    None => {
                        let fallback = kit.identity(locale);
                        shown.push(IdentityEdit {
                            locale: locale.to_owned(),
                            name: fallback.name,
                            legal_name: fallback.legal_name,
                            address_lines: fallback.address.lines,
                            country: fallback.address.country,
                        });
                        shown.len() - 1
                    }
                };
                let field = if is_legal {
                    &mut shown[at].legal_name
                } else {
                    &mut shown[at].name
                };
                *field = text.to_owned();
            }
        }
        edit.identities = Some(shown);
    }
    Ok(edit)
}

fn pair<'a>(item: &'a str, flag: &str) -> Result<(&'a str, &'a str)> {
    item.split_once('=')
        .map(|(k, v)| (k.trim(), v))
        .ok_or_else(|| anyhow!("{flag} '{item}': write KEY=VALUE, e.g. primary=#A61C48"))
}

fn contrast_json(outcome: &EditOutcome) -> serde_json::Value {
    let colors = &outcome.brand.kit.colors;
    let rows: Vec<_> = brand_contrast_table(colors)
        .iter()
        .map(|c| {
            json!({"pair": c.id, "foreground": c.foreground_hex, "background": c.background_hex,
                   "ratio": c.ratio, "aa_normal": c.aa_normal, "aa_large": c.aa_large})
        })
        .collect();
    let fixes: Vec<_> = suggest_fixes(colors)
        .iter()
        .map(|f| {
            json!({"pair": f.pair, "role": f.role, "from": f.from_hex, "to": f.to_hex,
                   "ratio": f.ratio, "breaks": f.breaks})
        })
        .collect();
    json!({"pairs": rows, "fixes": fixes})
}

fn print_review(outcome: &EditOutcome) {
    let colors = &outcome.brand.kit.colors;
    let fixes = suggest_fixes(colors);
    println!("contrast (WCAG 2.x: AA needs 4.5:1 for normal text, 3:1 for large)");
    for check in brand_contrast_table(colors) {
        let verdict = match (check.aa_normal, check.aa_large) {
            (true, _) => "AA",
            (false, true) => "AA large only",
            (false, false) => "FAILS AA",
        };
        println!(
            "  {:<26} {} on {}  {:>5.2}:1  {verdict}",
            check.id, check.foreground_hex, check.background_hex, check.ratio
        );
        if let Some(fix) = fixes.iter().find(|f| f.pair == check.id) {
            let breaks = if fix.breaks.is_empty() {
                String::new()
            } else {
                format!(" (but {} would fail)", fix.breaks.join(", "))
            };
            println!(
                "      suggestion: --color {}={} gives {:.2}:1{breaks}",
                fix.role, fix.to_hex, fix.ratio
            );
        }
    }
    if let Some((w, h)) = outcome.new_logo_size {
        println!("logo: stored as {}×{} PNG", w, h);
    }
    if let Some([r, g, b]) = outcome.logo_ink {
        for l in logo_contrast(Rgb(r, g, b), colors)
            .iter()
            .filter(|l| !l.passes)
        {
            println!(
                "warning: the logo ({}) has {:.2}:1 on the {} colour {} (graphics need 3:1)",
                l.logo_hex, l.ratio, l.background, l.background_hex
            );
        }
    }
}

fn print_stale(stale: &[KitChangeImpact]) {
    if stale.is_empty() {
        return;
    }
    eprintln!(
        "this kit version makes the approval of {} template(s) stale:",
        stale.len()
    );
    for t in stale {
        let why: Vec<&str> = t.reasons.iter().map(|r| r.en.as_str()).collect();
        eprintln!(
            "  {} v{} (approved by {}): {}",
            t.template_id,
            t.version,
            t.approved_by,
            why.join("; ")
        );
        let channels: Vec<String> = t
            .channels
            .iter()
            .map(|c| {
                let state = match c.state {
                    ChannelState::Changed => format!("changes ({})", c.files.join(", ")),
                    ChannelState::Unchanged => "unchanged".to_owned(),
                    ChannelState::Absent => "absent".to_owned(),
                };
                format!("{} {state}", c.channel.as_str())
            })
            .collect();
        eprintln!(
            "      {} / {}: {}",
            t.persona,
            t.locale,
            channels.join("; ")
        );
    }
}
