//! `ccm archive diff A B`: what changed between two approvals, per persona × locale × channel —
//! a line diff of what the customer reads (email text part, SMS, push payload), and for files
//! that are not text (the letter's PDF) whether the bytes changed.

use std::collections::BTreeMap;

use ccm_core::model::ContentHash;
use ccm_core::store::Store;
use serde::Serialize;

use crate::error::Result;
use crate::manifest::Manifest;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileChange {
    /// `ja/customer-a/sms.txt`
    pub path: String,
    pub channel: String,
    pub persona: String,
    pub locale: String,
    /// `added`, `removed`, `changed` or `same`.
    pub change: String,
    /// Unified diff for text files that changed.
    pub diff: Option<String>,
}

const TEXT_FILES: &[&str] = &[
    "email.txt",
    "sms.txt",
    "push.apns.json",
    "push.fcm.json",
    "email.html",
];

/// Compares the renditions of two approval manifests.
pub fn diff(store: &Store, a: &Manifest, b: &Manifest) -> Result<Vec<FileChange>> {
    let index = |m: &Manifest| -> BTreeMap<String, crate::manifest::RenditionDigest> {
        m.renditions.iter().map(|r| (r.path(), r.clone())).collect()
    };
    let (ia, ib) = (index(a), index(b));
    let mut paths: Vec<&String> = ia.keys().chain(ib.keys()).collect();
    paths.sort();
    paths.dedup();
    let mut out = Vec::new();
    for p in paths {
        let (ra, rb) = (ia.get(p), ib.get(p));
        let r = ra.or(rb).expect("path from one of them");
        let change = match (ra, rb) {
            (Some(x), Some(y)) if x.sha256 == y.sha256 => "same",
            (Some(_), Some(_)) => "changed",
            (None, _) => "added",
            (_, None) => "removed",
        };
        let diff = if change == "changed" && TEXT_FILES.contains(&r.name.as_str()) {
            let text = |sha: &str| -> Result<String> {
                Ok(store
                    .blob(&ContentHash(sha.to_owned()))?
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default())
            };
            let (ta, tb) = (text(&ra.unwrap().sha256)?, text(&rb.unwrap().sha256)?);
            Some(
                similar::TextDiff::from_lines(&ta, &tb)
                    .unified_diff()
                    .context_radius(2)
                    .header("approved A", "approved B")
                    .to_string(),
            )
        } else {
            None
        };
        out.push(FileChange {
            path: p.clone(),
            channel: r.channel.clone(),
            persona: r.persona.clone(),
            locale: r.locale.clone(),
            change: change.to_owned(),
            diff,
        });
    }
    Ok(out)
}
