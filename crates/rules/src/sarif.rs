//! SARIF 2.1.0 output, so code-scanning and CI tools show findings next to template sources.

use crate::pack::RuleSet;
use ccm_core::diagnostic::{Diagnostic, Severity, DIAGNOSTIC_SCHEMA_VERSION};
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
/// the rendered channel, field and span as a logical location. Each result's property bag holds
/// the diagnostic's own fields (`message` and `hint` in both languages, `origin`, `subject`,
/// `rendition`) and `diagnosticSchemaVersion`, so nothing of the finding is lost.
///
/// Diagnostics that are not rule findings (a channel that does not render) become results
/// whose `ruleId` is their code, without a `ruleIndex`.
pub fn to_sarif(findings: &[Diagnostic], rules: &RuleSet, tool_version: &str) -> Value {
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
    let results: Vec<Value> = findings.iter().map(|f| result(f, &index)).collect();
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

fn result(f: &Diagnostic, index: &Map<String, Value>) -> Value {
    let template_id = f.subject.as_ref().map_or("", |s| s.template_id.as_str());
    let mut physical = json!({
        "artifactLocation": {
            "uri": format!("templates/{template_id}/{}", f.file.as_deref().unwrap_or("template.toml")),
        },
    });
    if let Some(line) = f.line {
        let mut region = json!({ "startLine": line.max(1) });
        if let Some(col) = f.column {
            region["startColumn"] = json!(col.max(1));
        }
        physical["region"] = region;
    }
    let mut message = f.message.en.clone();
    if let Some(h) = f.hint.as_ref().filter(|h| !h.en.is_empty()) {
        message = format!("{message} {}", h.en);
    }
    let channel = f.channel.map_or(String::new(), |c| c.to_string());
    let field = f.field().unwrap_or("render");
    let (persona, locale) = f
        .subject
        .as_ref()
        .map_or(("", ""), |s| (s.persona.as_str(), s.locale.as_str()));
    let mut result = json!({
        "ruleId": f.code,
        "level": level(f.severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": physical,
            "logicalLocations": [{
                "name": format!("{channel}.{field}"),
                "fullyQualifiedName": format!("{template_id}/{persona}/{locale}/{channel}.{field}"),
            }],
        }],
        "properties": {
            "diagnosticSchemaVersion": DIAGNOSTIC_SCHEMA_VERSION,
            "message": f.message,
            "hint": f.hint,
            "origin": f.origin,
            "subject": f.subject,
            "channel": f.channel,
            "rendition": f.rendition,
        },
    });
    if let Some(i) = index.get(&f.code) {
        result["ruleIndex"] = i.clone();
    }
    if let Some(r) = &f.related {
        let mut physical = json!({
            "artifactLocation": {
                "uri": format!("templates/{template_id}/{}", r.file.as_deref().unwrap_or("template.toml")),
            },
        });
        if let Some(line) = r.line {
            let mut region = json!({ "startLine": line.max(1) });
            if let Some(col) = r.column {
                region["startColumn"] = json!(col.max(1));
            }
            physical["region"] = region;
        }
        let channel = r.channel.map_or(String::new(), |c| c.to_string());
        let field = r.rendition.as_ref().map_or("", |p| p.field.as_str());
        let excerpt = r.rendition.as_ref().map_or("", |p| p.excerpt.as_str());
        result["relatedLocations"] = json!([{
            "id": 1,
            "physicalLocation": physical,
            "logicalLocations": [{
                "name": format!("{channel}.{field}"),
                "fullyQualifiedName": format!("{template_id}/{persona}/{locale}/{channel}.{field}"),
            }],
            "message": { "text": format!("{channel}: {excerpt}") },
        }]);
        result["properties"]["related"] = json!(r);
    }
    result
}
