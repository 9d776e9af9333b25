//! `ccm pack import`: store a verified pack in this library, all in one transaction — the
//! brand kit and template versions, every rendition, approval manifest and evidence PDF as
//! blobs, and each approval (the approver's signed entry, byte for byte) with where it came
//! from. A pack whose sequence is not newer than the last one imported for its brand is
//! refused (rollback), and nothing is written when anything fails.

use ccm_core::format::{parse_brand_kit, parse_template, BRAND_FILE};
use ccm_core::model::{Brand, TemplateFiles};
use ccm_core::store::{ImportedApprovalRow, PackImportRow, Store};
use serde::Serialize;

use crate::error::{codes, refuse, refuse_entry, PackError, Result};
use crate::layout::*;
use crate::verify::Verified;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    pub pack_id: String,
    pub brand: String,
    pub sequence: u64,
    pub templates: Vec<ImportedTemplate>,
    pub blobs: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedTemplate {
    pub id: String,
    /// This library's version number for the imported version.
    pub version: u32,
    /// Whether the import made a new version (false: this library already had it as latest).
    pub new_version: bool,
}

/// Imports `pack` (already verified) into `store`.
pub fn import(store: &mut Store, pack: &Verified) -> Result<Imported> {
    let m = &pack.manifest;
    check_sequence(
        store.pack_import(&m.pack_id)?.is_some(),
        store.last_pack_sequence(&m.brand)?,
        m,
    )?;

    // Parse everything before the transaction: a template this version cannot read refuses the
    // whole pack.
    let brand = brand_kit(pack)?;
    let mut sources = Vec::new();
    for t in &m.templates {
        let prefix = source_path(&t.id, "");
        let files = TemplateFiles(
            pack.files
                .range(prefix.clone()..)
                .take_while(|(p, _)| p.starts_with(&prefix))
                .map(|(p, b)| {
                    (
                        p[prefix.len()..].to_owned(),
                        String::from_utf8_lossy(b).into_owned(),
                    )
                })
                .collect(),
        );
        let source = parse_template(&files).map_err(|errors| {
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            refuse_entry(
                codes::TEMPLATE,
                prefix.clone(),
                format!("this library cannot read the template: {first}"),
                "update CCM Studio to the sender's version, then import again",
            )
        })?;
        if source.manifest.id != t.id {
            return Err(refuse_entry(
                codes::TEMPLATE,
                prefix,
                format!(
                    "the template's id is `{}`, not `{}`",
                    source.manifest.id, t.id
                ),
                "do not use this pack; ask the sender for it again",
            ));
        }
        sources.push(source);
    }
    let blobs: Vec<&Vec<u8>> = pack
        .files
        .iter()
        .filter(|(p, _)| {
            p.contains("/renditions/")
                || p.ends_with("/approval/manifest.json")
                || p.ends_with("/evidence.pdf")
        })
        .map(|(_, b)| b)
        .collect();

    let author = format!("pack {}", m.pack_id);
    let message = format!(
        "imported from pack {} ({} #{}), signed by {}",
        m.pack_id, m.brand, m.sequence, pack.signer.name
    );
    let raced = |what: &str| ccm_core::Error::InvalidInput {
        field: "pack",
        message: format!("another import of {} {what} while this one ran", m.brand),
        hint: "run the import again".to_owned(),
    };
    let templates = store.write(|w| {
        // Checked again inside the transaction: another process may have imported meanwhile.
        if w.last_pack_sequence(&m.brand)?
            .is_some_and(|s| s >= m.sequence)
        {
            return Err(raced("finished"));
        }
        if let Some(b) = &brand {
            w.save_brand(b, &author)?;
        }
        for b in &blobs {
            w.put_blob(b)?;
        }
        w.record_pack_import(&PackImportRow {
            pack_id: m.pack_id.clone(),
            brand: m.brand.clone(),
            sequence: m.sequence,
            signer_key: pack.signer.fingerprint.clone(),
            signer_name: pack.signer.name.clone(),
            created_at: m.created_at.clone(),
            archive_size: m.archive.size,
            archive_root: m.archive.root.clone(),
            checkpoint: m.archive.checkpoint.clone(),
            pack_sha256: pack.sha256.clone(),
            imported_at: String::new(),
        })?;
        let mut out = Vec::new();
        for (t, source) in m.templates.iter().zip(&sources) {
            let saved = w.save_template(source, &author, &message)?;
            let body = &pack.files[&approval_path(&t.id, "entry.json")];
            let signature = &pack.files[&approval_path(&t.id, "entry.json.minisig")];
            let approver = pack
                .team
                .iter()
                .find(|p| p.fingerprint == t.approval.approved_by)
                .map(|p| p.name.clone())
                .unwrap_or_default();
            w.record_imported_approval(&ImportedApprovalRow {
                pack_id: m.pack_id.clone(),
                template_id: t.id.clone(),
                version: saved.version(),
                version_hash: t.version_hash.clone(),
                entry_seq: t.approval.seq,
                entry_hash: t.approval.hash.clone(),
                entry_body: String::from_utf8_lossy(body).into_owned(),
                entry_signature: String::from_utf8_lossy(signature).into_owned(),
                manifest_sha256: t.approval.manifest_sha256.clone(),
                approver_key: t.approval.approved_by.clone(),
                approver_name: approver,
                approved_at: t.approval.approved_at.clone(),
            })?;
            out.push(ImportedTemplate {
                id: t.id.clone(),
                version: saved.version(),
                new_version: saved.is_created(),
            });
        }
        Ok(out)
    })?;
    Ok(Imported {
        pack_id: m.pack_id.clone(),
        brand: m.brand.clone(),
        sequence: m.sequence,
        templates,
        blobs: blobs.len(),
    })
}

/// Refuses a pack already imported, or not newer than the last one of its brand.
fn check_sequence(already: bool, last: Option<u64>, m: &PackManifest) -> Result<()> {
    if already {
        return Err(refuse(
            codes::ALREADY_IMPORTED,
            format!(
                "pack {} ({} #{}) is already in this library",
                m.pack_id, m.brand, m.sequence
            ),
            "nothing to do; `ccm review status ID` shows the imported approvals",
        ));
    }
    match last {
        Some(last) if last >= m.sequence => Err(refuse(
            codes::ROLLBACK,
            format!(
                "this pack of {} has sequence {}, and this library already imported sequence {last}: it is older than what you have",
                m.brand, m.sequence
            ),
            "an older pack replayed would bring back approvals that were replaced: ask the brand team for their latest pack",
        )),
        _ => Ok(()),
    }
}

/// The pack's brand kit as a library brand (`None` when the pack carries no `brand.toml`).
fn brand_kit(pack: &Verified) -> Result<Option<Brand>> {
    let prefix = brand_path("");
    let files: std::collections::BTreeMap<String, Vec<u8>> = pack
        .files
        .range(prefix.clone()..)
        .take_while(|(p, _)| p.starts_with(&prefix))
        .map(|(p, b)| (p[prefix.len()..].to_owned(), b.clone()))
        .collect();
    let Some(toml) = files.get(BRAND_FILE) else {
        return Ok(None);
    };
    let bad = |msg: String| -> PackError {
        refuse_entry(
            codes::TEMPLATE,
            brand_path(BRAND_FILE),
            msg,
            "update CCM Studio to the sender's version, then import again",
        )
    };
    let text = std::str::from_utf8(toml).map_err(|_| bad("not UTF-8".to_owned()))?;
    let kit = parse_brand_kit(BRAND_FILE, text).map_err(|e| {
        bad(format!(
            "this library cannot read the brand kit: {}",
            e.first().map(ToString::to_string).unwrap_or_default()
        ))
    })?;
    if kit.id != pack.manifest.brand {
        return Err(bad(format!(
            "the kit is `{}`, not the pack's brand `{}`",
            kit.id, pack.manifest.brand
        )));
    }
    Ok(Some(Brand { kit, files }))
}
