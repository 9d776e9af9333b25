//! Ids for new templates: what is wrong with one (for live validation while a person types),
//! and a suggestion derived from the template's name.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::format::is_valid_id;

/// Why a typed id cannot be a template id. The UI words each in the reader's language.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdProblem {
    Empty,
    /// Something other than `a-z`, `0-9` and `-` (capitals, spaces, `_`, kana …).
    InvalidCharacters,
    /// Starts or ends with `-`.
    DashAtEdge,
}

impl IdProblem {
    pub fn message(self, id: &str) -> String {
        match self {
            IdProblem::Empty => "the template id is empty".into(),
            IdProblem::InvalidCharacters => {
                format!("template id `{id}` may only use lowercase letters a-z, digits and `-`")
            }
            IdProblem::DashAtEdge => {
                format!("template id `{id}` may not start or end with `-`")
            }
        }
    }
}

/// What is wrong with `id` as a template id, or `None` when it is a valid one.
pub fn id_problem(id: &str) -> Option<IdProblem> {
    if id.is_empty() {
        Some(IdProblem::Empty)
    } else if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Some(IdProblem::InvalidCharacters)
    } else if !is_valid_id(id) {
        Some(IdProblem::DashAtEdge)
    } else {
        None
    }
}

/// [`Error::InvalidInput`] for an unusable id, with a corrected id to try when one exists.
pub fn validate_new_id(id: &str) -> Result<()> {
    let Some(problem) = id_problem(id) else {
        return Ok(());
    };
    let hint = match suggest_id(id) {
        Some(s) if s != id => format!("try `{s}` (lowercase words joined by `-`)"),
        _ => "use lowercase words joined by `-`, e.g. `payment-reminder`".into(),
    };
    Err(Error::InvalidInput {
        field: "id",
        message: problem.message(id),
        hint,
    })
}

/// A template id made from a name written in ASCII: lowercase, words joined by `-`
/// ("Spring Sale 2027!" → `spring-sale-2027`). `None` when the name has other characters
/// (a Japanese name has no sensible ASCII spelling to guess) or no letters or digits.
pub fn suggest_id(name: &str) -> Option<String> {
    if !name.is_ascii() {
        return None;
    }
    let mut id = String::new();
    for word in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !id.is_empty() {
            id.push('-');
        }
        id.push_str(&word.to_ascii_lowercase());
    }
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_named() {
        assert_eq!(id_problem("spring-sale-2027"), None);
        assert_eq!(id_problem(""), Some(IdProblem::Empty));
        for bad in ["Spring", "a_b", "a b", "お知らせ", "a/b", "../x"] {
            assert_eq!(id_problem(bad), Some(IdProblem::InvalidCharacters), "{bad}");
        }
        for bad in ["-a", "a-", "-"] {
            assert_eq!(id_problem(bad), Some(IdProblem::DashAtEdge), "{bad}");
        }
    }

    #[test]
    fn suggestions_come_from_ascii_names_only() {
        assert_eq!(
            suggest_id("Spring Sale 2027!").as_deref(),
            Some("spring-sale-2027")
        );
        assert_eq!(
            suggest_id("  Order_Shipped -- US ").as_deref(),
            Some("order-shipped-us")
        );
        assert_eq!(suggest_id("お支払いのお知らせ"), None);
        assert_eq!(
            suggest_id("Sale セール"),
            None,
            "mixed names are not guessed"
        );
        assert_eq!(suggest_id("!!!"), None);
        for name in ["Spring Sale 2027!", "A", "x--y"] {
            let id = suggest_id(name).unwrap();
            assert_eq!(id_problem(&id), None, "{name} → {id} is a valid id");
        }
    }

    #[test]
    fn a_bad_id_error_names_the_id_and_a_fix() {
        let err = validate_new_id("Spring_Sale").unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert_eq!(
            err.to_string(),
            "id: template id `Spring_Sale` may only use lowercase letters a-z, digits and `-`"
        );
        assert_eq!(
            err.hint(),
            "try `spring-sale` (lowercase words joined by `-`)"
        );
        let err = validate_new_id("お知らせ").unwrap_err();
        assert!(err.hint().contains("payment-reminder"), "{}", err.hint());
        assert!(validate_new_id("ok-1").is_ok());
    }
}
