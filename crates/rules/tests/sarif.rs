//! SARIF output validates against the SARIF 2.1.0 JSON schema.

mod common;

use ccm_rules::{check, sarif};
use serde_json::Value;

/// The schema file as shipped, with one fix applied in memory: its `run.language` pattern
/// has a stray `]` that ECMA-262 reads as a literal but Rust's regex engines reject. Escaping
/// it keeps the ECMA meaning exactly.
fn schema() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/schema/sarif-2.1.0-rtm.5.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(
        text.contains(stray),
        "schema file changed: revisit the in-memory fix"
    );
    let text = text.replace(stray, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    serde_json::from_str(&text).unwrap()
}

fn assert_valid(log: &Value) {
    let validator = jsonschema::validator_for(&schema()).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF invalid:\n{}", errors.join("\n"));
}

#[test]
fn sarif_with_findings_validates_and_points_at_template_files() {
    let set = common::builtin();
    let mut input = common::typical_input(common::all_pack_ids(&set));
    let html = &mut input.channels[0].fields[2].value;
    let at = html.find("発行").unwrap();
    html.insert_str(at, "業界No.1の<img src=\"x.png\">");
    input.channels[1].fields[0]
        .value
        .push_str(" http://bit.ly/x");
    let findings = check(&set, &input).unwrap();
    assert!(findings.len() >= 3, "{findings:#?}");
    let log = sarif::to_sarif(&findings, &set, "0.1.0");
    assert_valid(&log);

    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    let no1 = results
        .iter()
        .find(|r| r["ruleId"] == "jp-keihyo/no1-superlative")
        .unwrap();
    assert_eq!(no1["level"], "warning");
    let loc = &no1["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "templates/jp-bank-term-deposit/_blocks/legal-footer.ja.md"
    );
    assert_eq!(loc["region"]["startLine"], 1);
    // The diagnostic's own fields travel in the property bag, both languages included.
    let props = &no1["properties"];
    assert_eq!(props["diagnosticSchemaVersion"], 1);
    assert_eq!(props["origin"]["kind"], "rule");
    assert_eq!(props["origin"]["pack"], "jp-keihyo");
    assert_eq!(props["rendition"]["field"], "html");
    assert!(props["message"]["ja"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert_eq!(props["subject"]["template_id"], "jp-bank-term-deposit");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let idx = no1["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[idx]["id"], "jp-keihyo/no1-superlative");
    assert!(results.iter().any(|r| r["level"] == "error"));
}

#[test]
fn sarif_without_findings_validates() {
    let set = common::builtin();
    assert_valid(&sarif::to_sarif(&[], &set, "0.1.0"));
}

#[test]
fn schema_rejects_a_broken_log() {
    let set = common::builtin();
    let mut log = sarif::to_sarif(&[], &set, "0.1.0");
    log["version"] = "2.0.0".into();
    let validator = jsonschema::validator_for(&schema()).unwrap();
    assert!(
        !validator.is_valid(&log),
        "the validator must catch a wrong version"
    );
}
