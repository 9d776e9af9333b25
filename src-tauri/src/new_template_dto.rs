//! The shapes that cross IPC for creating templates (the "New template" and "Duplicate"
//! dialogs). TypeScript twins are generated like those of `dto.rs`.

use ccm_core::library::IdProblem;
use ccm_core::model::{Channel, Purpose};
use serde::{Deserialize, Serialize};

/// What the dialog shows under the id field while a person types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IdCheck {
    /// What is wrong with the id's spelling; `None` when it is a valid id.
    pub problem: Option<IdProblem>,
    /// A template with this id is already in the library.
    pub taken: bool,
    /// An id made from the name when the name is written in ASCII.
    pub suggestion: Option<String>,
}

/// Where a new template's files come from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TemplateStart {
    /// The starter for these choices; `locales` lists the default locale first.
    Starter {
        brand: String,
        purpose: Purpose,
        industry: String,
        locales: Vec<String>,
        channels: Vec<Channel>,
    },
    /// A copy of the latest version of another template.
    Copy { from: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CreateTemplateRequest {
    pub id: String,
    pub name: String,
    pub start: TemplateStart,
}

/// The template just stored as version 1; the UI opens it by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CreatedTemplate {
    pub template_id: String,
    pub version: u32,
    pub hash: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn requests_in_the_shape_the_ui_sends_deserialize() {
        let starter: CreateTemplateRequest = serde_json::from_value(json!({
            "id": "card-limit", "name": "ご利用限度額のご案内",
            "start": { "kind": "starter", "brand": "sakura-bank", "purpose": "marketing",
                       "industry": "bank", "locales": ["ja", "en"], "channels": ["email", "print"] }
        }))
        .unwrap();
        assert_eq!(
            starter.start,
            TemplateStart::Starter {
                brand: "sakura-bank".into(),
                purpose: Purpose::Marketing,
                industry: "bank".into(),
                locales: vec!["ja".into(), "en".into()],
                channels: vec![Channel::Email, Channel::Print],
            }
        );
        let copy: CreateTemplateRequest = serde_json::from_value(json!({
            "id": "x-copy", "name": "x", "start": { "kind": "copy", "from": "x" }
        }))
        .unwrap();
        assert_eq!(copy.start, TemplateStart::Copy { from: "x".into() });
        let unknown = serde_json::from_value::<CreateTemplateRequest>(json!({
            "id": "x", "name": "x", "start": { "kind": "blank" }
        }));
        assert!(unknown.is_err(), "an unknown start is refused, not guessed");
    }

    #[test]
    fn id_check_names_the_problem_in_snake_case() {
        let v = serde_json::to_value(IdCheck {
            problem: Some(IdProblem::DashAtEdge),
            taken: false,
            suggestion: Some("spring-sale".into()),
        })
        .unwrap();
        assert_eq!(
            v,
            json!({ "problem": "dash_at_edge", "taken": false, "suggestion": "spring-sale" })
        );
    }
}
