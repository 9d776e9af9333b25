//! `ccm archive export --ocfl DIR`: each template's approvals as one OCFL 1.1 object
//! (`DIR/<template-id>/`), one OCFL version per approval, so a third party can check what was
//! approved with an OCFL validator and `minisign`, without CCM Studio. Each version holds the
//! signed entry and its signature, the manifest, every rendition and the approved sources.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use ccm_core::store::Store;

use crate::archive::parse;
use crate::entry::Kind;
use crate::error::{Result, TrustError};
use crate::ocfl::{write_object, OcflSummary, OcflUser, OcflVersion};
use crate::review::manifest_of;

/// Writes one object per template with approvals (or only `template`); returns each template id
/// with what was written. Objects already in `dir` are refused (OCFL versions are immutable).
pub fn export(
    store: &Store,
    dir: &Path,
    template: Option<&str>,
) -> Result<Vec<(String, OcflSummary)>> {
    let rows = store.archive_rows()?;
    let ids: BTreeSet<String> = rows
        .iter()
        .filter(|r| r.kind == Kind::Approve.as_str())
        .filter(|r| template.is_none_or(|t| t == r.template_id))
        .map(|r| r.template_id.clone())
        .collect();
    let mut out = Vec::new();
    for id in ids {
        let mut versions = Vec::new();
        for row in rows
            .iter()
            .filter(|r| r.template_id == id && r.kind == Kind::Approve.as_str())
        {
            let entry = parse(row)?;
            let manifest = manifest_of(store, &entry)?;
            let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
            files.insert(
                "approval/entry.json".to_owned(),
                row.body.as_bytes().to_vec(),
            );
            files.insert(
                "approval/entry.json.minisig".to_owned(),
                row.signature.as_bytes().to_vec(),
            );
            files.insert("approval/manifest.json".to_owned(), manifest.canonical());
            for r in &manifest.renditions {
                let bytes = store
                    .blob(&ccm_core::model::ContentHash(r.sha256.clone()))?
                    .ok_or_else(|| TrustError::Damaged {
                        what: format!("#{} {}", row.seq, r.path()),
                        detail: "rendition missing (run `ccm archive verify`)".to_owned(),
                    })?;
                files.insert(format!("renditions/{}", r.path()), bytes);
            }
            if let Some(number) = store.version_number_by_hash(&id, &entry.template.hash)? {
                for (path, text) in store.get(&id, Some(number))?.files.0 {
                    files.insert(format!("source/{path}"), text.into_bytes());
                }
            }
            versions.push(OcflVersion {
                created: entry.at.clone(),
                message: format!(
                    "{}: {}@v{} by {} ({}), archive entry #{} sha256 {}",
                    entry
                        .approval
                        .as_ref()
                        .map_or("approved", |a| a.meaning.as_str()),
                    id,
                    entry.template.version,
                    entry.actor.name,
                    entry.actor.role,
                    entry.seq,
                    row.hash
                ),
                user: OcflUser {
                    name: entry.actor.name.clone(),
                    address: Some(format!("urn:ccm-studio:key:{}", entry.actor.key)),
                },
                files,
            });
        }
        let summary = write_object(
            &dir.join(&id),
            &format!("urn:ccm-studio:template:{id}"),
            &versions,
        )
        .map_err(|e| TrustError::Damaged {
            what: format!("OCFL object {id}"),
            detail: e.to_string(),
        })?;
        out.push((id, summary));
    }
    Ok(out)
}
