//! `data/<persona-id>.json`: sample customers.

use super::error::{from_json, FormatError};
use crate::diagnostic::line_col;
use crate::model::{Persona, PersonaMeta, Variable};
use serde_json::{Map, Value};

/// Key of the optional meta object in a persona file.
pub const PERSONA_META_KEY: &str = "$persona";

/// Parses one persona file. `id` is the file stem; `file` is the path used in errors.
pub fn parse_persona(file: &str, id: &str, text: &str) -> Result<Persona, FormatError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        from_json(
            file,
            &e,
            "fix the JSON at this place (keys and strings need double quotes, no trailing commas)",
        )
    })?;
    let Value::Object(mut data) = value else {
        return Err(FormatError::new(
            file,
            "a persona must be a JSON object",
            "wrap the data in { … }, e.g. { \"customer\": { \"name\": \"山田 太郎\" } }",
        )
        .at(1, 1));
    };
    let meta = match data.remove(PERSONA_META_KEY) {
        None => PersonaMeta::default(),
        Some(meta) => serde_json::from_value::<PersonaMeta>(meta).map_err(|e| {
            let e = FormatError::new(
                file,
                format!("`{PERSONA_META_KEY}`: {e}"),
                "`$persona` may only hold \"label\" (text) and \"edge_case\" (true/false)",
            );
            at_key(e, text, PERSONA_META_KEY)
        })?,
    };
    if let Some(key) = data.keys().find(|k| k.starts_with('$')) {
        let e = FormatError::new(
            file,
            format!("`{key}`: keys starting with `$` are reserved"),
            "rename the key; only `$persona` is recognised",
        );
        return Err(at_key(e, text, key));
    }
    Ok(Persona {
        id: id.to_string(),
        label: meta.label.unwrap_or_else(|| id.to_string()),
        edge_case: meta.edge_case,
        data,
    })
}

/// Errors for required variables that a persona does not provide (absent or `null`).
pub fn check_required_variables(
    file: &str,
    persona: &Persona,
    variables: &[Variable],
) -> Vec<FormatError> {
    variables
        .iter()
        .filter(|v| v.required && lookup(&persona.data, &v.name).is_none_or(Value::is_null))
        .map(|v| {
            FormatError::new(
                file,
                format!(
                    "required variable `{}` is missing from this persona",
                    v.name
                ),
                format!(
                    "add `{}` to the persona, or mark it `required = false` in template.toml",
                    v.name
                ),
            )
        })
        .collect()
}

/// Follows a dotted path (`customer.name`) through nested objects.
pub fn lookup<'a>(data: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut current = data.get(parts.next()?)?;
    for part in parts {
        current = current.as_object()?.get(part)?;
    }
    Some(current)
}

/// Points `e` at the first occurrence of `"key"` in the file (good enough: persona keys are
/// rarely repeated, and the message names the key anyway).
fn at_key(e: FormatError, text: &str, key: &str) -> FormatError {
    match text.find(&format!("\"{key}\"")) {
        Some(offset) => {
            let (line, column) = line_col(text, offset);
            e.at(line, column)
        }
        None => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VariableType;

    #[test]
    fn meta_is_split_from_data() {
        let p = parse_persona(
            "data/long-name.json",
            "long-name",
            r#"{ "$persona": { "label": "長い名前", "edge_case": true }, "customer": { "name": "x" } }"#,
        )
        .unwrap();
        assert_eq!(p.label, "長い名前");
        assert!(p.edge_case);
        assert!(!p.data.contains_key("$persona"));
        assert_eq!(lookup(&p.data, "customer.name"), Some(&Value::from("x")));
    }

    #[test]
    fn label_defaults_to_id() {
        let p = parse_persona("data/typical.json", "typical", "{}").unwrap();
        assert_eq!(p.label, "typical");
        assert!(!p.edge_case);
    }

    #[test]
    fn invalid_json_names_line_and_column() {
        let e = parse_persona(
            "data/p.json",
            "p",
            "{\n  \"customer\": {\n    \"name\": '山田'\n  }\n}",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.column.is_some());
        assert!(e.to_string().starts_with("data/p.json:3:"));
    }

    #[test]
    fn non_object_and_unknown_meta() {
        let e = parse_persona("data/p.json", "p", "[1, 2]").unwrap_err();
        assert!(e.message.contains("JSON object"));
        let e = parse_persona(
            "data/p.json",
            "p",
            "{\n \"$persona\": { \"lable\": \"x\" } }",
        )
        .unwrap_err();
        assert!(e.message.contains("unknown field `lable`"), "{}", e.message);
        assert_eq!(e.line, Some(2));
        let e = parse_persona("data/p.json", "p", "{ \"$other\": 1 }").unwrap_err();
        assert!(e.message.contains("reserved"));
    }

    #[test]
    fn required_variables_must_be_present() {
        let p = parse_persona("data/p.json", "p", r#"{ "customer": { "name": null } }"#).unwrap();
        let var = |name: &str, required| Variable {
            name: name.into(),
            kind: VariableType::String,
            required,
            description: String::new(),
            example: None,
        };
        let errs = check_required_variables(
            "data/p.json",
            &p,
            &[
                var("customer.name", true),
                var("customer.id", false),
                var("amount", true),
            ],
        );
        assert_eq!(errs.len(), 2);
        assert!(errs[0].message.contains("customer.name"));
        assert!(errs[1].message.contains("amount"));
    }
}
