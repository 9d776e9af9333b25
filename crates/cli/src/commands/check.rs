//! `ccm check`: render every channel × persona × locale and run the compliance rule packs.
//!
//! ```text
//! ccm check ID|--all [--persona P] [--locale L] [--format text|json|sarif] [--rules DIR] [--lang ja|en]
//! ccm check --dir templates/ID ...             # a template folder, no library
//! ```
//! Exit status: 0 no error-level finding, 1 at least one (or a channel that does not render),
//! 2 a usage error or a rule pack that does not load.

use anyhow::{anyhow, bail, Context as _, Result};
use ccm_core::diagnostic::{Diagnostic, Severity, Subject, DIAGNOSTIC_SCHEMA_VERSION};
use ccm_core::model::{Channel, TemplateBundle};
use ccm_core::store::ListFilter;
use ccm_render::checks::{check_template, CheckedSet};
use ccm_render::Engine;
use ccm_rules::RuleSet;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use super::render::{load_bundle, options};
use super::rules::{pack_error, RulesDir, EXIT_USAGE};
use crate::context::Context;

/// Check templates against the compliance rule packs (law, deliverability, accessibility, brand)
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Template id in the library.
    #[arg(required_unless_present_any = ["all", "dir"], conflicts_with = "all")]
    pub id: Option<String>,
    /// Check every template in the library.
    #[arg(long, conflicts_with = "dir")]
    pub all: bool,
    /// Version number (default: latest).
    #[arg(long, conflicts_with = "all")]
    pub version: Option<u32>,
    /// Only this persona (default: every persona).
    #[arg(long)]
    pub persona: Option<String>,
    /// Only this locale (default: every locale of the template).
    #[arg(long)]
    pub locale: Option<String>,
    /// text | json | sarif (SARIF 2.1.0 for code-scanning and CI)
    #[arg(long, default_value = "text", value_parser = ["text", "json", "sarif"])]
    pub format: String,
    /// Language of messages in text output: ja | en [default: from LANG, else en]
    #[arg(long, value_parser = ["ja", "en"])]
    pub lang: Option<String>,
    /// Write the report to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub rules: RulesDir,
    /// Check a template folder directly (blocks from its parent's _blocks/, brands from --assets).
    #[arg(long, conflicts_with = "id")]
    pub dir: Option<PathBuf>,
    /// Assets folder for --dir (default: <templates>/../assets).
    #[arg(long, requires = "dir")]
    pub assets: Option<PathBuf>,
    /// The date messages are rendered for, YYYY-MM-DD (default: today, UTC).
    #[arg(long, env = "CCM_TODAY")]
    pub today: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let rules = match args.rules.load() {
        Ok(r) => r,
        Err(e) => return Ok(pack_error(ctx, &e)),
    };
    let checked = match check_all(ctx, &args, &rules) {
        Ok(Ok(c)) => c,
        Ok(Err(code)) => return Ok(code),
        Err(e) => {
            ctx.report_error(&e);
            return Ok(ExitCode::from(EXIT_USAGE));
        }
    };
    let findings: Vec<Diagnostic> = checked
        .iter()
        .flat_map(|(_, sets)| sets.iter().flat_map(all_findings))
        .collect();
    let format = if ctx.json && args.format == "text" {
        "json"
    } else {
        args.format.as_str()
    };
    let report = match format {
        "sarif" => {
            let log = ccm_rules::sarif::to_sarif(&findings, &rules, env!("CARGO_PKG_VERSION"));
            format!("{}\n", serde_json::to_string_pretty(&log)?)
        }
        "json" => format!(
            "{}\n",
            serde_json::to_string_pretty(&json_report(&checked))?
        ),
        _ => text_report(&checked, &lang(args.lang.as_deref())),
    };
    match &args.out {
        Some(path) => {
            std::fs::write(path, report)
                .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))?;
            if format != "text" {
                eprint!("{}", totals_line(&findings, &lang(args.lang.as_deref())));
            }
        }
        None => print!("{report}"),
    }
    let failed = findings.iter().any(|f| f.severity == Severity::Error);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

type Checked = Vec<(TemplateBundle, Vec<CheckedSet>)>;

/// Renders and checks the templates the arguments name. `Ok(Err(code))`: a pack error,
/// already reported.
fn check_all(ctx: &Context, args: &Args, rules: &RuleSet) -> Result<Result<Checked, ExitCode>> {
    let bundles: Vec<TemplateBundle> = if args.all {
        let store = ctx.open()?;
        let list = store.list(&ListFilter::default())?;
        if list.is_empty() {
            bail!("the library has no templates: `ccm import templates` first");
        }
        list.iter()
            .map(|t| {
                store
                    .bundle(&t.id, None)
                    .with_context(|| format!("cannot load template `{}`", t.id))
            })
            .collect::<Result<_>>()?
    } else {
        vec![load_bundle(
            args.id.as_deref(),
            args.version,
            args.dir.as_deref(),
            args.assets.as_deref(),
            || ctx.open(),
        )?]
    };
    if !args.all {
        let b = &bundles[0];
        if let Some(p) = &args.persona {
            if !b.source.personas.iter().any(|x| &x.id == p) {
                let ids: Vec<&str> = b.source.personas.iter().map(|x| x.id.as_str()).collect();
                bail!(
                    "template `{}` has no persona `{p}` (it has: {})",
                    b.template_id,
                    ids.join(", ")
                );
            }
        }
        if let Some(l) = &args.locale {
            if !b.source.manifest.locales.contains(l) {
                bail!(
                    "template `{}` has no locale `{l}` (it has: {})",
                    b.template_id,
                    b.source.manifest.locales.join(", ")
                );
            }
        }
    }
    let opts = options(args.today.as_deref(), false, 0.0)?;
    let engine = Engine::new();
    let mut out = Vec::new();
    for bundle in bundles {
        // With --all, a persona or locale filter skips templates that do not have it.
        let has_persona = args
            .persona
            .as_ref()
            .is_none_or(|p| bundle.source.personas.iter().any(|x| &x.id == p));
        let has_locale = args
            .locale
            .as_ref()
            .is_none_or(|l| bundle.source.manifest.locales.contains(l));
        if !(has_persona && has_locale) {
            continue;
        }
        match check_template(
            &engine,
            rules,
            &bundle,
            &opts,
            args.persona.as_deref(),
            args.locale.as_deref(),
        ) {
            Ok(sets) => out.push((bundle, sets)),
            Err(e) => return Ok(Err(pack_error(ctx, &e))),
        }
    }
    Ok(Ok(out))
}

/// The set's rule findings plus every render error (a channel that does not render cannot be
/// approved), each naming the persona and locale it belongs to.
fn all_findings(c: &CheckedSet) -> Vec<Diagnostic> {
    let subject = Subject {
        template_id: c.set.template_id.clone(),
        persona: c.set.persona.clone(),
        locale: c.set.locale.clone(),
    };
    let mut v = c.findings.clone();
    v.extend(
        c.set
            .diagnostics()
            .filter(|d| d.is_error())
            .map(|d| d.clone().for_subject(subject.clone())),
    );
    v
}

/// `--lang`, else the user's locale (LC_ALL, LC_MESSAGES, LANG), else English.
pub(crate) fn lang(arg: Option<&str>) -> String {
    if let Some(l) = arg {
        return l.to_string();
    }
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            if !v.is_empty() {
                return if v.starts_with("ja") { "ja" } else { "en" }.to_string();
            }
        }
    }
    "en".to_string()
}

fn json_report(checked: &Checked) -> serde_json::Value {
    let templates: Vec<_> = checked
        .iter()
        .map(|(b, sets)| {
            let findings: Vec<Diagnostic> = sets.iter().flat_map(all_findings).collect();
            let (e, w, i) = counts(findings.iter());
            json!({
                "template": b.template_id,
                "version": b.version,
                "renders": sets.iter().map(|s| json!({"persona": s.set.persona, "locale": s.set.locale})).collect::<Vec<_>>(),
                "errors": e, "warnings": w, "info": i,
                "findings": findings,
            })
        })
        .collect();
    let all: Vec<Diagnostic> = checked
        .iter()
        .flat_map(|(_, s)| s.iter().flat_map(all_findings))
        .collect();
    let (e, w, i) = counts(all.iter());
    json!({
        "diagnostic_schema_version": DIAGNOSTIC_SCHEMA_VERSION,
        "errors": e, "warnings": w, "info": i,
        "templates": templates,
    })
}

fn counts<'a>(findings: impl Iterator<Item = &'a Diagnostic>) -> (usize, usize, usize) {
    let mut c = (0, 0, 0);
    for f in findings {
        match f.severity {
            Severity::Error => c.0 += 1,
            Severity::Warning => c.1 += 1,
            Severity::Info => c.2 += 1,
        }
    }
    c
}

/// One problem as a reader cares about it: the same rule, place and text across personas
/// and locales is shown once, with the personas listed.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    severity: Severity,
    code: String,
    field: String,
    file: String,
    line: Option<u32>,
    column: Option<u32>,
    excerpt: String,
}

fn key(f: &Diagnostic) -> Key {
    Key {
        severity: f.severity,
        code: f.code.clone(),
        field: field(f).to_owned(),
        file: f.file.clone().unwrap_or_default(),
        line: f.line,
        column: f.column,
        excerpt: f
            .rendition
            .as_ref()
            .map(|r| r.excerpt.clone())
            .unwrap_or_default(),
    }
}

/// The rendered field a finding is about; `render` for a channel that did not render.
fn field(f: &Diagnostic) -> &str {
    f.field().unwrap_or("render")
}

fn sev_label(s: Severity, ja: bool) -> &'static str {
    match (s, ja) {
        (Severity::Error, false) => "error",
        (Severity::Warning, false) => "warning",
        (Severity::Info, false) => "info",
        (Severity::Error, true) => "エラー",
        (Severity::Warning, true) => "警告",
        (Severity::Info, true) => "情報",
    }
}

fn count_text(e: usize, w: usize, i: usize, ja: bool) -> String {
    if ja {
        format!("エラー {e} · 警告 {w} · 情報 {i}")
    } else {
        format!(
            "{e} error{} · {w} warning{} · {i} info",
            if e == 1 { "" } else { "s" },
            if w == 1 { "" } else { "s" }
        )
    }
}

fn totals_line(findings: &[Diagnostic], lang: &str) -> String {
    let ja = lang == "ja";
    let (e, w, i) = counts(findings.iter());
    format!(
        "{}{}\n",
        if ja {
            "合計（全ペルソナ×言語）: "
        } else {
            "total over every persona × locale: "
        },
        count_text(e, w, i, ja)
    )
}

/// Grouped by template, then channel; each distinct problem once with its personas.
fn text_report(checked: &Checked, lang: &str) -> String {
    let ja = lang == "ja";
    let mut s = String::new();
    let mut total = (0, 0, 0);
    let mut renders = 0;
    for (bundle, sets) in checked {
        renders += sets.len();
        let all: Vec<Diagnostic> = sets.iter().flat_map(all_findings).collect();
        let mut by_channel: BTreeMap<Channel, BTreeMap<Key, Vec<&Diagnostic>>> = BTreeMap::new();
        for f in &all {
            by_channel
                .entry(f.channel.unwrap_or(Channel::Email))
                .or_default()
                .entry(key(f))
                .or_default()
                .push(f);
        }
        let distinct: Vec<&Diagnostic> = by_channel
            .values()
            .flat_map(|m| m.values().map(|v| v[0]))
            .collect();
        let (e, w, i) = counts(distinct.iter().copied());
        total = (total.0 + e, total.1 + w, total.2 + i);
        s.push_str(&format!(
            "{} v{} — {} ({} {})\n",
            bundle.template_id,
            bundle.version,
            count_text(e, w, i, ja),
            sets.len(),
            if ja {
                "件のペルソナ×言語"
            } else {
                "persona × locale renders"
            }
        ));
        for (channel, groups) in &by_channel {
            let (e, w, i) = counts(groups.values().map(|v| v[0]));
            s.push_str(&format!("  {channel}: {}\n", count_text(e, w, i, ja)));
            for (k, fs) in groups {
                let f = fs[0];
                let place = match (&f.file, k.line) {
                    (Some(file), Some(line)) => {
                        format!("{file}:{line}:{}", k.column.unwrap_or(1))
                    }
                    (Some(file), None) => file.clone(),
                    (None, _) => String::new(),
                };
                let mut who: Vec<String> = fs
                    .iter()
                    .filter_map(|f| f.subject.as_ref())
                    .map(|s| format!("{}/{}", s.persona, s.locale))
                    .collect();
                who.dedup();
                s.push_str(&format!(
                    "    {:<7} {}  {place} [{}]  ({})\n",
                    sev_label(f.severity, ja),
                    f.code,
                    field(f),
                    who.join(", ")
                ));
                s.push_str(&format!("            {}\n", f.message.get(lang)));
                if let Some(r) = &f.related {
                    // The other channel of a cross-channel finding, where to look too.
                    s.push_str(&format!(
                        "            {} {} {} [{}]\n",
                        if ja { "対応箇所:" } else { "other place:" },
                        r.channel.map_or(String::new(), |c| c.to_string()),
                        r.location(),
                        r.rendition.as_ref().map_or("", |p| p.field.as_str()),
                    ));
                }
                if let Some(sg) = f
                    .hint
                    .as_ref()
                    .map(|h| h.get(lang))
                    .filter(|x| !x.is_empty())
                {
                    s.push_str(&format!("            → {sg}\n"));
                }
                if let Some(c) = f.citation() {
                    s.push_str(&format!(
                        "            {} {c}\n",
                        if ja { "根拠:" } else { "see:" }
                    ));
                }
            }
        }
    }
    s.push_str(&format!(
        "{} {} {}, {renders} {}: {}\n",
        if ja { "チェック済み:" } else { "checked" },
        checked.len(),
        if ja {
            "テンプレート"
        } else {
            "template(s)"
        },
        if ja {
            "件のペルソナ×言語"
        } else {
            "persona × locale renders"
        },
        count_text(total.0, total.1, total.2, ja)
    ));
    s
}
