//! Errors of review and archive operations. A [`Refusal`] is a rule of the review process
//! saying no (self-approval, wrong role, unwaived errors): it carries a stable code so the CLI
//! and the app's IPC report it as a typed error, in both languages, with what to do.

use ccm_core::diagnostic::Localized;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// e.g. `REVIEW_SELF_APPROVAL`; listed in docs/REVIEW.md.
    pub code: &'static str,
    pub message: Localized,
    pub hint: Localized,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message.en, self.hint.en)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    #[error("{0}")]
    Refused(Refusal),
    #[error(transparent)]
    Core(#[from] ccm_core::Error),
    #[error("rule pack {}: {}", .0.file, .0.message)]
    Pack(ccm_rules::PackError),
    #[error("the archive entry {what} is damaged: {detail} (run `ccm archive verify`)")]
    Damaged { what: String, detail: String },
}

impl From<ccm_rules::PackError> for TrustError {
    fn from(e: ccm_rules::PackError) -> Self {
        TrustError::Pack(e)
    }
}

pub type Result<T, E = TrustError> = std::result::Result<T, E>;

pub(crate) fn refuse(
    code: &'static str,
    en: impl Into<String>,
    ja: impl Into<String>,
    hint_en: impl Into<String>,
    hint_ja: impl Into<String>,
) -> TrustError {
    TrustError::Refused(Refusal {
        code,
        message: Localized::new(en, ja),
        hint: Localized::new(hint_en, hint_ja),
    })
}

/// The refusal codes, one place (the UI and docs/REVIEW.md use the same strings).
pub mod codes {
    pub const NO_IDENTITY: &str = "REVIEW_NO_IDENTITY";
    pub const NOT_ON_TEAM: &str = "REVIEW_NOT_ON_TEAM";
    pub const WRONG_ROLE: &str = "REVIEW_WRONG_ROLE";
    pub const SELF_APPROVAL: &str = "REVIEW_SELF_APPROVAL";
    pub const NOT_IN_REVIEW: &str = "REVIEW_NOT_IN_REVIEW";
    pub const ALREADY_IN_REVIEW: &str = "REVIEW_ALREADY_IN_REVIEW";
    pub const ALREADY_APPROVED: &str = "REVIEW_ALREADY_APPROVED";
    pub const SUPERSEDED: &str = "REVIEW_SUPERSEDED";
    pub const UNWAIVED_ERRORS: &str = "REVIEW_UNWAIVED_ERRORS";
    pub const NOTHING_TO_WAIVE: &str = "REVIEW_NOTHING_TO_WAIVE";
    pub const COMMENT_REQUIRED: &str = "REVIEW_COMMENT_REQUIRED";
    pub const NOT_COMMENT_AUTHOR: &str = "REVIEW_NOT_COMMENT_AUTHOR";
    pub const NO_SUCH_COMMENT: &str = "REVIEW_NO_SUCH_COMMENT";
    pub const NOT_SUBMITTER: &str = "REVIEW_NOT_SUBMITTER";
}
