//! SARIF 2.1.0 output, so code-scanning and CI tools show findings next to template sources.

use crate::finding::{Finding, Severity};
use crate::pack::RuleSet;
use serde_json::{json, Map, Value};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// One SARIF log with one run. `tool.driver.rules` lists every rule of `rules` (in pack
/// order), so a CI dashboard can show rules that found nothing; results point at
/// `templates/<id>/<file>` with line and column where the source map knows them, and carry
/// the rendered channel, field and span as a logical location and properties.
pub fn to_sarif(findings: &[Finding], rules: &RuleSet, tool_version: &str) -> Value {
    let mut index = Map::new();
    let mut driver_rules = Vec::new();
    for pack in &rules.packs {
        for rule in &pack.rules {
            index.insert(rule.id.clone(), json!(driver_rules.len()));
            let mut r = json!({
                "id": rule.id,
                "shortDescription": { "text": rule.message_en },
                "fullDescription": { "text": rule.message_ja },
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": {
                    "pack": pack.meta.id,
                    "kind": rule.check.kind(),
                    "citation": rule.citation,
                    "tags": [pack.meta.id],
                },
            });
            if let Some(uri) = &rule.help_uri {
                r["helpUri"] = json!(uri);
            }
            driver_rules.push(r);
        }
    }
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut physical = json!({
                "artifactLocation": {
                    "uri": format!("templates/{}/{}", f.template_id,
                        f.source.as_ref().map_or("template.toml", |s| s.file.as_str())),
                },
            });
            if let Some(line) = f.source.as_ref().and_then(|s| s.line) {
                let mut region = json!({ "startLine": line.max(1) });
                if let Some(col) = f.source.as_ref().and_then(|s| s.column) {
                    region["startColumn"] = json!(col.max(1));
                }
                physical["region"] = region;
            }
            let mut message = f.message_en.clone();
            if let Some(s) = &f.suggestion_en {
                if !s.is_empty() {
                    message = format!("{message} {s}");
                }
            }
            let mut result = json!({
                "ruleId": f.rule_id,
                "level": level(f.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{
                        "name": format!("{}.{}", f.channel, f.field),
                        "fullyQualifiedName": format!("{}/{}/{}/{}.{}", f.template_id, f.persona, f.locale, f.channel, f.field),
                    }],
                }],
                "properties": {
                    "message_ja": f.message_ja,
                    "suggestion_en": f.suggestion_en,
                    "suggestion_ja": f.suggestion_ja,
                    "citation": f.citation,
                    "persona": f.persona,
                    "locale": f.locale,
                    "channel": f.channel,
                    "field": f.field,
                    "excerpt": f.excerpt,
                    "renderedSpan": f.span,
                },
            });
            if let Some(i) = index.get(&f.rule_id) {
                result["ruleIndex"] = i.clone();
            }
            result
        })
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "ccm-check",
                    "fullName": "CCM Studio compliance check",
                    "version": tool_version,
                    "rules": driver_rules,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}
