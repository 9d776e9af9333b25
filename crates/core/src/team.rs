//! The team roster: who may do what, by public key. It travels with the templates folder
//! (`templates/_team/<fingerprint>.toml`), so a team sharing the folder through git or a shared
//! drive shares who may approve; in the library it is versioned like everything else.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::identity::{Member, Role};
use crate::model::ContentHash;

/// The members of a team, sorted by key fingerprint; one entry per key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    members: Vec<(String, Member)>,
}

/// A member as listed: the roster entry and its key fingerprint.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    pub fingerprint: String,
    pub name: String,
    pub role: Role,
    pub public_key: String,
}

impl Roster {
    /// Validates every member; two entries with one key are refused (a key names one person).
    pub fn new(members: impl IntoIterator<Item = Member>) -> Result<Roster> {
        let mut roster = Roster::default();
        for m in members {
            roster.add(m)?;
        }
        Ok(roster)
    }

    /// Adds `member`; refuses a key already on the roster.
    pub fn add(&mut self, member: Member) -> Result<()> {
        member.validate()?;
        let fp = member.fingerprint()?;
        match self.members.binary_search_by(|(f, _)| f.cmp(&fp)) {
            Ok(i) => Err(Error::AlreadyExists {
                what: "team member with key",
                id: format!("{fp} ({})", self.members[i].1.name),
            }),
            Err(i) => {
                self.members.insert(i, (fp, member));
                Ok(())
            }
        }
    }

    /// The member holding the key `fingerprint`.
    pub fn member(&self, fingerprint: &str) -> Option<&Member> {
        self.members
            .binary_search_by(|(f, _)| f.as_str().cmp(fingerprint))
            .ok()
            .map(|i| &self.members[i].1)
    }

    pub fn list(&self) -> Vec<Listed> {
        self.members
            .iter()
            .map(|(fp, m)| Listed {
                fingerprint: fp.clone(),
                name: m.name.clone(),
                role: m.role,
                public_key: m.public_key.clone(),
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Canonical JSON: an array of members in fingerprint order with sorted keys, so equal
    /// rosters hash equal whatever order their files were read in.
    pub fn canonical_json(&self) -> String {
        let members: Vec<&Member> = self.members.iter().map(|(_, m)| m).collect();
        serde_json::to_string(&members).unwrap_or_default()
    }

    pub fn hash(&self) -> ContentHash {
        ContentHash::of_bytes(self.canonical_json().as_bytes())
    }

    /// The roster stored as [`Roster::canonical_json`].
    pub fn from_canonical_json(json: &str) -> Result<Roster> {
        let members: Vec<Member> =
            serde_json::from_str(json).map_err(|e| Error::Corrupt(format!("team roster: {e}")))?;
        Roster::new(members)
    }

    /// The file name of a member in `templates/_team/`.
    pub fn file_name(fingerprint: &str) -> String {
        format!("{}.toml", fingerprint.to_ascii_lowercase())
    }

    /// Every member as `(file name, TOML text)`, for export.
    pub fn files(&self) -> Vec<(String, String)> {
        self.members
            .iter()
            .map(|(fp, m)| {
                let text = toml::to_string(m).unwrap_or_default();
                (Roster::file_name(fp), text)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::Identity;

    fn member(name: &str, role: Role) -> Member {
        let dir = tempfile::tempdir().unwrap();
        Identity::create(dir.path(), name, role).unwrap().member
    }

    #[test]
    fn a_roster_is_the_same_whatever_order_its_members_come_in() {
        let (a, b) = (member("A", Role::Designer), member("B", Role::Compliance));
        let one = Roster::new([a.clone(), b.clone()]).unwrap();
        let two = Roster::new([b.clone(), a.clone()]).unwrap();
        assert_eq!(one.hash(), two.hash());
        assert_eq!(one.canonical_json(), two.canonical_json());
        let back = Roster::from_canonical_json(&one.canonical_json()).unwrap();
        assert_eq!(back, one);
        let fp = b.fingerprint().unwrap();
        assert_eq!(one.member(&fp).unwrap().role, Role::Compliance);
    }

    #[test]
    fn one_key_names_one_person() {
        let a = member("A", Role::Designer);
        let mut impostor = a.clone();
        impostor.name = "Mallory".into();
        impostor.role = Role::Compliance;
        let e = Roster::new([a, impostor]).unwrap_err();
        assert!(matches!(e, Error::AlreadyExists { .. }), "{e}");
    }
}
