//! The shapes of the review and archive screens that are not the trust crate's own types
//! (those — `Status`, `QueueItem`, `VerifyReport`, `FileChange`, `Entry`, `Manifest` — cross
//! as they are, their TypeScript generated from them).

use ccm_core::identity::{Identity, Role};
use ccm_core::store::{ArchiveFilter, ArchiveRow};
use ccm_trust::entry::Entry;
use ccm_trust::manifest::Manifest;
use serde::{Deserialize, Serialize};

/// The person working on this computer, as the header shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct IdentityInfo {
    pub name: String,
    /// The role they gave themselves when the identity was made.
    pub role: Role,
    /// Key fingerprint (16 hex digits), as the roster and the archive name them.
    pub fingerprint: String,
    /// The public key line (`RW…`) a teammate adds to another library's roster.
    pub public_key: String,
    /// Their role on the open library's team roster; `None` when they are not on it (review
    /// actions are then refused with `REVIEW_NOT_ON_TEAM`).
    pub team_role: Option<Role>,
}

impl IdentityInfo {
    pub fn of(identity: &Identity, team_role: Option<Role>) -> IdentityInfo {
        IdentityInfo {
            name: identity.member.name.clone(),
            role: identity.member.role,
            fingerprint: identity.fingerprint.clone(),
            public_key: identity.member.public_key.clone(),
            team_role,
        }
    }
}

/// One waiver the officer records when approving: every error finding of `rule`, with why.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct WaiverInput {
    pub rule: String,
    pub reason: String,
}

/// The archive search form; every `Some` must match (combined, as 電子帳簿保存法 audits expect).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ArchiveQuery {
    /// From this date (`YYYY-MM-DD`) or time, inclusive.
    pub from: Option<String>,
    /// Up to this date or time, inclusive (a date alone means the whole day).
    pub to: Option<String>,
    pub template_id: Option<String>,
    pub brand: Option<String>,
    pub channel: Option<String>,
    /// Part of a name, or a key fingerprint.
    pub actor: Option<String>,
    pub kind: Option<String>,
    pub rule_pack: Option<String>,
    /// At most this many entries, newest first.
    pub limit: u32,
}

impl ArchiveQuery {
    /// The store's filter; blank fields of the form mean "any".
    pub fn filter(self) -> ArchiveFilter {
        let given = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        ArchiveFilter {
            from: given(self.from),
            to: given(self.to),
            template_id: given(self.template_id),
            brand: given(self.brand),
            channel: given(self.channel),
            actor: given(self.actor),
            kind: given(self.kind),
            rule_pack: given(self.rule_pack),
        }
    }
}

/// One search result row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ArchiveRowView {
    pub seq: u64,
    pub hash: String,
    pub kind: String,
    pub template_id: String,
    pub version: u32,
    pub brand: String,
    pub by: String,
    pub by_key: String,
    pub at: String,
    pub channels: Vec<String>,
    pub rule_packs: Vec<String>,
}

impl From<&ArchiveRow> for ArchiveRowView {
    fn from(r: &ArchiveRow) -> Self {
        let words = |s: &str| s.split_whitespace().map(str::to_owned).collect();
        ArchiveRowView {
            seq: r.seq,
            hash: r.hash.clone(),
            kind: r.kind.clone(),
            template_id: r.template_id.clone(),
            version: r.version,
            brand: r.brand.clone(),
            by: r.actor_name.clone(),
            by_key: r.actor_key.clone(),
            at: r.at.clone(),
            channels: words(&r.channels),
            rule_packs: words(&r.rule_packs),
        }
    }
}

/// One entry in full, as `ccm archive show` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ArchiveEntryDetail {
    pub seq: u64,
    /// sha256 of the signed body.
    pub hash: String,
    /// The minisign signature (`.minisig` text) over the body.
    pub signature: String,
    /// The signature verifies against the key the entry names (the whole chain is checked by
    /// "Verify archive").
    pub signature_valid: bool,
    pub entry: Entry,
    /// For an approval: the manifest of every rendition and input it binds to.
    pub manifest: Option<Manifest>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_search_fields_mean_any_and_the_rest_is_trimmed() {
        let q = ArchiveQuery {
            from: Some("2026-12-01".into()),
            to: Some("  ".into()),
            template_id: Some(" jp-bank-welcome ".into()),
            kind: Some(String::new()),
            limit: 10,
            ..ArchiveQuery::default()
        };
        assert_eq!(
            q.filter(),
            ArchiveFilter {
                from: Some("2026-12-01".into()),
                template_id: Some("jp-bank-welcome".into()),
                ..ArchiveFilter::default()
            }
        );
    }

    #[test]
    fn a_row_lists_its_channels_and_packs_as_words() {
        let row = ArchiveRow {
            seq: 3,
            hash: "ab".repeat(32),
            body: "{}".into(),
            signature: String::new(),
            kind: "approve".into(),
            template_id: "t".into(),
            version: 2,
            brand: "b".into(),
            actor_key: "0123456789ABCDEF".into(),
            actor_name: "Kenji".into(),
            at: "2026-12-03T10:00:00Z".into(),
            channels: " email sms ".into(),
            rule_packs: " jp-base@1234abcd ".into(),
        };
        let v = ArchiveRowView::from(&row);
        assert_eq!(v.channels, ["email", "sms"]);
        assert_eq!(v.rule_packs, ["jp-base@1234abcd"]);
        assert_eq!(
            (v.by.as_str(), v.by_key.as_str()),
            ("Kenji", "0123456789ABCDEF")
        );
    }
}
