//! `IpcError`: the one error shape that crosses IPC, `{code, message, details}`. The UI branches
//! on `code`; `message` is for people; `details` says where (file, line) and what to do.

use serde::Serialize;

use crate::dto::Problem;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IpcError {
    pub code: String,
    pub message: String,
    pub details: Option<ErrorDetails>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ErrorDetails {
    /// What to do about it.
    pub hint: Option<String>,
    /// Every problem, each with its file and place (an invalid template has several).
    pub problems: Vec<Problem>,
}

pub type IpcResult<T> = Result<T, IpcError>;

impl IpcError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        IpcError {
            code: code.to_owned(),
            message: message.into(),
            details: None,
        }
    }

    /// A request answered after a newer one: the UI drops it.
    pub fn superseded() -> Self {
        IpcError::new("superseded", "a newer edit replaced this render")
    }

    /// The app's own failure (a panicked worker, a poisoned lock): not the user's input.
    pub fn internal(message: impl Into<String>) -> Self {
        IpcError::new("internal", message)
    }
}

impl From<ccm_core::Error> for IpcError {
    fn from(e: ccm_core::Error) -> Self {
        let problems = match &e {
            ccm_core::Error::Invalid(list) => list.iter().map(Problem::from_format).collect(),
            ccm_core::Error::Format(one) => vec![Problem::from_format(one)],
            _ => Vec::new(),
        };
        let hint = e.hint();
        IpcError {
            code: e.code().to_owned(),
            message: e.to_string(),
            details: Some(ErrorDetails {
                hint: (!hint.is_empty()).then_some(hint),
                problems,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ipc_error_json_shape_is_code_message_details() {
        let e = IpcError::from(ccm_core::Error::NotFound {
            what: "template",
            id: "nope".into(),
        });
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], json!("not_found"));
        assert_eq!(v["message"], json!("template 'nope' is not in the library"));
        assert!(v["details"]["hint"].as_str().unwrap().contains("ccm list"));
        assert_eq!(v["details"]["problems"], json!([]));
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["code", "details", "message"],
            "exactly the three documented keys"
        );
    }

    #[test]
    fn superseded_has_no_details() {
        let v = serde_json::to_value(IpcError::superseded()).unwrap();
        assert_eq!(
            v,
            json!({"code": "superseded", "message": "a newer edit replaced this render", "details": null})
        );
    }
}
