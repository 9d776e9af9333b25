//! `ccm rules`: read the compliance rule packs and test them.
//!
//! ```text
//! ccm rules list [--rules DIR] [--json]     packs and their rules: severity, kind
//! ccm rules show RULE [--rules DIR]         description, parameters, examples, citation
//! ccm rules test [DIR]                      run every pack's pass/fail examples
//! ```
//! The packs folder is `--rules`, else `CCM_RULES`, else the packs compiled into `ccm`
//! (`assets/rules/` of the tree it was built from; `ccm-bundled`), so an installed `ccm` needs
//! no source tree.
//! A pack that does not load stops with `file:line:col` and exit status 2.

use anyhow::Result;
use ccm_rules::examples::run_examples;
use ccm_rules::{PackError, Rule, RuleSet};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::context::Context;
use crate::table::Table;

/// Exit status for a pack that does not load or a command used wrongly.
pub const EXIT_USAGE: u8 = 2;

/// Read and test compliance rule packs (assets/rules/*.toml)
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: RulesCommand,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum RulesCommand {
    /// List packs and their rules with severity and kind
    List {
        #[command(flatten)]
        dir: RulesDir,
    },
    /// Show one rule in full: messages, parameters, examples, citation
    Show {
        /// Rule id, e.g. jp-yakki/cure-claim
        rule: String,
        #[command(flatten)]
        dir: RulesDir,
    },
    /// Run every pack's pass/fail examples (for teams extending packs)
    Test {
        /// Packs folder (default: --rules, CCM_RULES, or the bundled packs)
        path: Option<PathBuf>,
        #[command(flatten)]
        dir: RulesDir,
    },
}

/// Where the packs are.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RulesDir {
    /// Rule packs folder [default: CCM_RULES, else the bundled packs]
    #[arg(long = "rules", env = "CCM_RULES", value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

impl RulesDir {
    /// The folder's packs, or the bundled ones when no folder is named.
    pub fn load(&self) -> Result<RuleSet, PackError> {
        ccm_bundled::rules::load(self.rules.as_deref())
    }
}

/// How `rules test` names where the packs came from.
fn describe(folder: Option<&PathBuf>) -> String {
    match folder {
        Some(f) => f.display().to_string(),
        None => ccm_bundled::rules::BUNDLED_LABEL.to_string(),
    }
}

/// `error: file:line:col: message` and exit status 2.
pub fn pack_error(ctx: &Context, e: &PackError) -> ExitCode {
    eprintln!("error: rule pack: {e}");
    eprintln!("  hint: fix the pack (every rule pack must load; a broken pack never silently switches checks off)");
    if ctx.json {
        let value = json!({"error": {"code": "pack", "file": e.file, "line": e.line,
            "column": e.column, "message": e.message}});
        println!("{value:#}");
    }
    ExitCode::from(EXIT_USAGE)
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    match args.command {
        RulesCommand::List { dir } => match dir.load() {
            Ok(set) => list(ctx, &set),
            Err(e) => Ok(pack_error(ctx, &e)),
        },
        RulesCommand::Show { rule, dir } => match dir.load() {
            Ok(set) => show(ctx, &set, &rule),
            Err(e) => Ok(pack_error(ctx, &e)),
        },
        RulesCommand::Test { path, dir } => {
            let folder = path.or(dir.rules);
            match ccm_bundled::rules::load(folder.as_deref()) {
                Ok(set) => test(ctx, &set, &describe(folder.as_ref())),
                Err(e) => Ok(pack_error(ctx, &e)),
            }
        }
    }
}

fn list(ctx: &Context, set: &RuleSet) -> Result<ExitCode> {
    if ctx.json {
        let packs: Vec<_> = set
            .packs
            .iter()
            .map(|p| {
                json!({
                    "id": p.meta.id,
                    "name_en": p.meta.name_en,
                    "name_ja": p.meta.name_ja,
                    "always_on": p.meta.always_on,
                    "rules": p.rules.iter().map(|r| json!({
                        "id": r.id, "severity": r.severity, "kind": r.check.kind(),
                        "message_en": r.message_en, "message_ja": r.message_ja,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        ctx.print_json(&packs)?;
        return Ok(ExitCode::SUCCESS);
    }
    for p in &set.packs {
        println!(
            "{} — {} / {}{}",
            p.meta.id,
            p.meta.name_en,
            p.meta.name_ja,
            if p.meta.always_on {
                " (always on)"
            } else {
                " (when a template names it)"
            }
        );
        let mut t = Table::new(&["RULE", "SEVERITY", "KIND", "MESSAGE"]);
        for r in &p.rules {
            t.row(vec![
                r.id.clone(),
                r.severity.as_str().to_string(),
                r.check.kind().to_string(),
                crate::table::clip(&r.message_en, 60),
            ]);
        }
        for line in t.render().lines() {
            println!("  {line}");
        }
        println!();
    }
    let rules: usize = set.packs.iter().map(|p| p.rules.len()).sum();
    println!("{} packs, {rules} rules", set.packs.len());
    Ok(ExitCode::SUCCESS)
}

fn show(ctx: &Context, set: &RuleSet, id: &str) -> Result<ExitCode> {
    let Some((pack, rule)) = set.rule(id) else {
        let mut near: Vec<&str> = set
            .packs
            .iter()
            .flat_map(|p| p.rules.iter().map(|r| r.id.as_str()))
            .filter(|r| r.contains(id) || id.contains(r.split('/').next().unwrap_or("")))
            .collect();
        near.truncate(8);
        eprintln!("error: no rule `{id}`");
        eprintln!(
            "  hint: {}",
            if near.is_empty() {
                "`ccm rules list` shows every rule id".to_string()
            } else {
                format!("did you mean: {}", near.join(", "))
            }
        );
        return Ok(ExitCode::from(EXIT_USAGE));
    };
    let params = parameters(rule);
    if ctx.json {
        ctx.print_json(&json!({
            "id": rule.id, "pack": pack.meta.id, "pack_file": pack.source,
            "severity": rule.severity, "kind": rule.check.kind(),
            "message_en": rule.message_en, "message_ja": rule.message_ja,
            "suggestion_en": rule.suggestion_en, "suggestion_ja": rule.suggestion_ja,
            "citation": rule.citation, "help_uri": rule.help_uri,
            "applies_to": applies_to(rule),
            "parameters": params,
            "examples": rule.examples.iter().map(|e| json!({
                "pass": e.pass, "fail": e.fail, "channel": e.channel, "field": e.field,
            })).collect::<Vec<_>>(),
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{}  [{}] {}",
        rule.id,
        rule.severity.as_str(),
        rule.check.kind()
    );
    println!("pack:       {} ({})", pack.meta.id, pack.source);
    println!("applies to: {}", applies_to(rule));
    println!("message:    {}", rule.message_en);
    println!("            {}", rule.message_ja);
    if let Some(s) = &rule.suggestion_en {
        println!("suggestion: {s}");
    }
    if let Some(s) = &rule.suggestion_ja {
        println!("            {s}");
    }
    if let Some(c) = &rule.citation {
        println!("citation:   {c}");
    }
    if let Some(u) = &rule.help_uri {
        println!("more:       {u}");
    }
    if !params.is_empty() {
        println!("parameters:");
        for line in params.lines() {
            println!("  {line}");
        }
    }
    if !rule.examples.is_empty() {
        println!("examples:");
        for e in &rule.examples {
            let (label, text) = match (&e.pass, &e.fail) {
                (Some(p), _) => ("pass", p),
                (None, Some(f)) => ("fail", f),
                (None, None) => continue,
            };
            let at = match (&e.channel, &e.field) {
                (Some(c), Some(f)) => format!(" ({c}.{f})"),
                (Some(c), None) => format!(" ({c})"),
                (None, Some(f)) => format!(" ({f})"),
                (None, None) => String::new(),
            };
            println!("  {label}{at}: {}", text.replace('\n', "⏎"));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn applies_to(rule: &Rule) -> String {
    let a = &rule.applies_to;
    let mut parts = Vec::new();
    if let Some(c) = &a.channels {
        let c: Vec<&str> = c.iter().map(|c| c.as_str()).collect();
        parts.push(format!("channels {}", c.join(", ")));
    }
    if let Some(p) = a.purpose {
        parts.push(format!("{p:?} messages").to_lowercase());
    }
    if let Some(l) = &a.locales {
        parts.push(format!("locales {}", l.join(", ")));
    }
    if let Some(i) = &a.industries {
        parts.push(format!("industries {}", i.join(", ")));
    }
    if let Some(f) = &a.fields {
        parts.push(format!("fields {}", f.join(", ")));
    }
    if parts.is_empty() {
        "every message".to_string()
    } else {
        parts.join("; ")
    }
}

/// The kind's parameters as written in the pack (patterns shown as their source).
fn parameters(rule: &Rule) -> String {
    // Debug of the closed `Check` enum prints patterns as their source text; pretty-printed
    // it reads like the TOML the compliance team wrote.
    let text = format!("{:#?}", rule.check);
    let mut lines = text.lines();
    lines.next(); // `Required {`
    let body: Vec<&str> = lines.collect();
    let body = &body[..body.len().saturating_sub(1)];
    body.iter()
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

fn test(ctx: &Context, set: &RuleSet, folder: &str) -> Result<ExitCode> {
    let failures = run_examples(set);
    let examples: usize = set
        .packs
        .iter()
        .flat_map(|p| &p.rules)
        .map(|r| r.examples.len())
        .sum();
    let rules: usize = set.packs.iter().map(|p| p.rules.len()).sum();
    let without: Vec<&str> = set
        .packs
        .iter()
        .flat_map(|p| &p.rules)
        .filter(|r| {
            !(r.examples.iter().any(|e| e.pass.is_some())
                && r.examples.iter().any(|e| e.fail.is_some()))
        })
        .map(|r| r.id.as_str())
        .collect();
    if ctx.json {
        ctx.print_json(&json!({
            "folder": folder,
            "packs": set.packs.len(), "rules": rules, "examples": examples,
            "failures": failures.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "rules_without_pass_and_fail": without,
        }))?;
    } else {
        for f in &failures {
            println!("FAIL {f}");
        }
        for r in &without {
            println!("WARN {r}: needs at least one `pass` and one `fail` example");
        }
        println!(
            "{} packs, {rules} rules, {examples} examples: {} failed ({})",
            set.packs.len(),
            failures.len(),
            folder
        );
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
