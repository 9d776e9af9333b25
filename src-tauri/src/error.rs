//! `IpcError`: the one error shape that crosses IPC, `{code, summary, message, details}`. The UI
//! branches on `code` and shows `summary` (from the core's code registry) in its language;
//! `message` is the English detail; `details` says where (file, line) and what to do.

use serde::Serialize;

use ccm_core::diagnostic::{codes, Code, Diagnostic, Localized};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IpcError {
    pub code: String,
    /// What `code` means, from the core's code registry, in both UI languages. Boxed to keep
    /// `IpcResult` small (it is every command's return type).
    pub summary: Box<Localized>,
    pub message: String,
    pub details: Option<ErrorDetails>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ErrorDetails {
    /// What to do about it.
    pub hint: Option<String>,
    /// The hint in both UI languages, when the core words it so (review refusals). Boxed
    /// like `summary`: every command's `IpcResult` carries this error's size.
    pub hint_localized: Option<Box<Localized>>,
    /// Every problem, each with its file and place (an invalid template has several).
    pub problems: Vec<Diagnostic>,
}

pub type IpcResult<T> = Result<T, IpcError>;

impl IpcError {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        IpcError {
            code: code.id.to_owned(),
            summary: Box::new(Localized::new(code.en, code.ja)),
            message: message.into(),
            details: None,
        }
    }

    /// A request answered after a newer one: the UI drops it.
    pub fn superseded() -> Self {
        IpcError::new(codes::SUPERSEDED, "a newer edit replaced this render")
    }

    /// The app's own failure (a panicked worker, a poisoned lock): not the user's input.
    pub fn internal(message: impl Into<String>) -> Self {
        IpcError::new(codes::INTERNAL, message)
    }
}

impl From<ccm_core::Error> for IpcError {
    fn from(e: ccm_core::Error) -> Self {
        let problems = e.diagnostics();
        let hint = e.hint();
        let code = e.code_entry();
        IpcError {
            code: code.id.to_owned(),
            summary: Box::new(Localized::new(code.en, code.ja)),
            message: e.to_string(),
            details: Some(ErrorDetails {
                hint: (!hint.is_empty()).then_some(hint),
                hint_localized: None,
                problems,
            }),
        }
    }
}

/// A review refusal crosses with its own code (`REVIEW_SELF_APPROVAL`, listed in
/// docs/REVIEW.md): `summary` is the refusal in both languages and `details.hint_localized`
/// what to do, so the UI shows it in the user's language without a table of its own.
impl From<ccm_trust::TrustError> for IpcError {
    fn from(e: ccm_trust::TrustError) -> Self {
        use ccm_trust::TrustError;
        match e {
            TrustError::Refused(r) => IpcError {
                code: r.code.to_owned(),
                message: r.message.en.clone(),
                details: Some(ErrorDetails {
                    hint: Some(r.hint.en.clone()),
                    hint_localized: Some(Box::new(r.hint)),
                    problems: Vec::new(),
                }),
                summary: Box::new(r.message),
            },
            TrustError::Core(e) => e.into(),
            TrustError::Pack(e) => IpcError::new(
                codes::RULES_UNAVAILABLE,
                format!("rule pack {}: {}", e.file, e.message),
            ),
            e @ TrustError::Damaged { .. } => IpcError::new(codes::ARCHIVE_DAMAGED, e.to_string()),
        }
    }
}

/// A pack refusal crosses with its own code (`PACK_NOT_BRAND`, listed in docs/PACKS.md). The
/// core words refusals in English (they also reach sending systems' logs); the refusals an
/// export from the app can meet get a Japanese summary here, the rest their code.
impl From<ccm_pack::PackError> for IpcError {
    fn from(e: ccm_pack::PackError) -> Self {
        use ccm_pack::PackError;
        match e {
            PackError::Refused(r) => {
                let en = r.to_string();
                let ja = match r.code {
                    "PACK_NOT_BRAND" => {
                        "パックを書き出せるのはチームのブランド担当者だけです".to_owned()
                    }
                    "PACK_NOTHING_APPROVED" => {
                        "選んだテンプレートに、承認済みで最新のものがありません".to_owned()
                    }
                    "PACK_MIXED_BRANDS" => {
                        "1 つのパックには 1 つのブランドのテンプレートだけを入れられます".to_owned()
                    }
                    "PACK_NO_CHECKPOINT" => {
                        "アーカイブに署名済みのチェックポイントがありません".to_owned()
                    }
                    code => format!("パックが拒否されました（{code}）：{en}"),
                };
                IpcError {
                    code: r.code.to_owned(),
                    message: en.clone(),
                    details: Some(ErrorDetails {
                        hint: Some(r.hint.clone()),
                        hint_localized: None,
                        problems: Vec::new(),
                    }),
                    summary: Box::new(Localized::new(en, ja)),
                }
            }
            PackError::Trust(e) => e.into(),
            PackError::Core(e) => e.into(),
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
        assert_eq!(
            v["summary"],
            json!({"en": "Not found", "ja": "見つかりません"})
        );
        assert_eq!(v["message"], json!("template 'nope' is not in the library"));
        assert!(v["details"]["hint"].as_str().unwrap().contains("ccm list"));
        assert_eq!(v["details"]["problems"], json!([]));
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["code", "details", "message", "summary"],
            "exactly the four documented keys"
        );
    }

    #[test]
    fn a_refusal_keeps_its_code_and_both_languages() {
        let refusal = ccm_trust::Refusal {
            code: ccm_trust::error::codes::SELF_APPROVAL,
            message: Localized::new("Ann made it", "Ann が作成しました"),
            hint: Localized::new("ask another officer", "別の担当者に依頼してください"),
        };
        let v =
            serde_json::to_value(IpcError::from(ccm_trust::TrustError::Refused(refusal))).unwrap();
        assert_eq!(v["code"], json!("REVIEW_SELF_APPROVAL"));
        assert_eq!(v["summary"]["ja"], json!("Ann が作成しました"));
        assert_eq!(v["message"], json!("Ann made it"));
        assert_eq!(v["details"]["hint"], json!("ask another officer"));
        assert_eq!(
            v["details"]["hint_localized"]["ja"],
            json!("別の担当者に依頼してください")
        );
    }

    #[test]
    fn superseded_has_no_details() {
        let v = serde_json::to_value(IpcError::superseded()).unwrap();
        assert_eq!(
            v,
            json!({
                "code": "superseded",
                "summary": {"en": codes::SUPERSEDED.en, "ja": codes::SUPERSEDED.ja},
                "message": "a newer edit replaced this render",
                "details": null,
            })
        );
    }
}
