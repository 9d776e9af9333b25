//! `templates/_team/<fingerprint>.toml`: one team member per file (name, role, public key).

use super::error::{from_toml, FormatError};
use crate::identity::Member;

/// The roster folder inside the templates folder.
pub const TEAM_DIR: &str = "_team";

/// The review archive shared with the templates (`templates/_archive/`: signed entries, approval
/// manifests and renditions); written and read by ccm-trust, never parsed as a template.
pub const ARCHIVE_DIR: &str = "_archive";

/// Parses one member file; the key must decode and the name must not be empty.
pub fn parse_member(file: &str, text: &str) -> Result<Member, FormatError> {
    let member: Member = toml::from_str(text).map_err(|e| {
        from_toml(
            file,
            text,
            1,
            &e,
            "a member file holds name = \"…\", role = \"designer|compliance|brand\" and public_key = \"RW…\" (see `ccm team add`)",
        )
    })?;
    member
        .validate()
        .map_err(|e| FormatError::new(file, e.to_string(), e.hint()))?;
    Ok(member)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_field_is_named_with_its_line() {
        let e = parse_member(
            "_team/x.toml",
            "name = \"A\"\nrole = \"compliance\"\npublic_ky = \"RW\"\n",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.hint.contains("public_key"), "{e}");
    }

    #[test]
    fn a_key_that_does_not_decode_is_refused() {
        let e = parse_member(
            "_team/x.toml",
            "name = \"A\"\nrole = \"brand\"\npublic_key = \"RWnot-a-key\"\n",
        )
        .unwrap_err();
        assert!(e.message.contains("public key"), "{e}");
    }
}
