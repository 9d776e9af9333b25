//! One archive entry: a review event, signed by the person who made it.
//!
//! The body is canonical JSON (RFC 8785); its sha256 is the entry's hash, the `prev` field
//! chains it to the entry before, and the minisign signature covers the body bytes. Nothing
//! about an entry is stored outside its body except copies for search, which verification
//! compares with the body.

use serde::{Deserialize, Serialize};

use crate::inputs::TemplateRef;
use crate::jcs;

/// `type` of every entry body this version writes.
pub const ENTRY_TYPE: &str = "ccm-archive-entry/1";

/// The `prev` of the first entry.
pub const GENESIS_PREV: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What the signature means for an approval: the words the approver signs.
pub const APPROVAL_MEANING: &str = "approved for sending";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Kind {
    Submit,
    Withdraw,
    Approve,
    RequestChanges,
    Comment,
    CommentEdit,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Submit => "submit",
            Kind::Withdraw => "withdraw",
            Kind::Approve => "approve",
            Kind::RequestChanges => "request_changes",
            Kind::Comment => "comment",
            Kind::CommentEdit => "comment_edit",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [
            Kind::Submit,
            Kind::Withdraw,
            Kind::Approve,
            Kind::RequestChanges,
            Kind::Comment,
            Kind::CommentEdit,
        ]
        .into_iter()
        .find(|k| k.as_str() == s.replace('-', "_"))
    }
}

/// Who made the entry, as the roster knew them when they made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Actor {
    pub name: String,
    pub role: String,
    /// Key fingerprint (minisign key id, 16 hex digits).
    pub key: String,
    /// The minisign public key line, so the entry can be checked on its own.
    pub public_key: String,
}

/// A recorded decision to approve despite an error finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Waiver {
    /// The finding's code or rule id.
    pub rule: String,
    pub reason: String,
    /// How many findings of that rule it covers (all personas × locales × channels).
    pub findings: u32,
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Counts {
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
}

/// The part of an approval entry that binds it to bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Approval {
    pub meaning: String,
    /// sha256 and size of the manifest (canonical JSON) listing every rendition and input.
    pub manifest_sha256: String,
    pub manifest_size: u64,
    /// Key fingerprints of everyone who made the versions (and shared-input edits) approved.
    pub authors: Vec<String>,
    pub findings: Counts,
    pub waivers: Vec<Waiver>,
    /// Channels rendered, and rule packs checked with (`id@sha8`), for search.
    pub channels: Vec<String>,
    pub rule_packs: Vec<String>,
}

/// Where a comment is placed in a rendition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Anchor {
    pub channel: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The text the comment is about, as the customer sees it (carried to a later version
    /// while that text is still there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// An element instead of text (e.g. `subject`, `button`, `page 2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
}

/// The signed body of an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Entry {
    #[serde(rename = "type")]
    pub type_: String,
    pub seq: u64,
    pub prev: String,
    pub kind: Kind,
    pub at: String,
    pub template: TemplateRef,
    pub actor: Actor,
    /// The roster version the actor's role was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_version: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<Anchor>,
    /// For a comment edit: the `seq` of the comment it edits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edits: Option<u64>,
}

impl Entry {
    /// The exact bytes that are hashed, signed and stored.
    pub fn canonical(&self) -> Vec<u8> {
        jcs::to_vec(self)
    }

    /// The text minisign signs as its trusted comment: readable with stock tools, and bound to
    /// the signature so it cannot be edited.
    pub fn trusted_comment(&self, hash: &str) -> String {
        format!(
            "ccm archive entry {} {} {}@v{} by {} sha256:{hash}",
            self.seq,
            self.kind.as_str(),
            self.template.id,
            self.template.version,
            self.actor.key
        )
    }
}
