//! `ccm archive evidence ENTRY --out x.pdf`: the review record of one approval as a PDF/A-3b a
//! compliance officer can file — what was approved, by whom, when, findings and waivers, the
//! email, SMS and push as the customer sees them, the letter's pages — with the signed entry,
//! its signature, the manifest, the checkpoint and the template sources attached.
//!
//! The letter's page images are rendered again from the archived inputs; the PDF they come
//! from must have the approved sha256, so the pictures are of exactly the approved letter.

use ccm_core::diagnostic::Severity;
use ccm_core::store::Store;
use ccm_print::{
    AttachmentRelationship, EvidenceAttachment, EvidenceEmail, EvidenceFinding, EvidenceLang,
    EvidencePush, EvidenceRecord, EvidenceRendition, EvidenceSms, EvidenceWaiver,
};
use ccm_render::rendition::Rendition;
use ccm_render::{render_all, Engine, RenderOptions};

use crate::archive::{head, parse};
use crate::entry::Kind;
use crate::error::{Result, TrustError};
use crate::jcs::sha256_hex;
use crate::rerender::archived_bundle;
use crate::review::manifest_of;

/// The language of the evidence PDF made with each approval and carried in packs.
pub const KEPT_LANG: &str = "en";

/// The evidence PDF kept with approval `seq` (made when it was approved), so a pack copies its
/// bytes instead of rendering the letter's pages again. An approval recorded before evidence
/// was kept gets its PDF made now and kept, so every later pack holds these same bytes.
pub fn kept_evidence_pdf(store: &Store, engine: &Engine, seq: u64, lang: &str) -> Result<Vec<u8>> {
    if let Some(pdf) = store.evidence(seq, lang)? {
        return Ok(pdf);
    }
    let pdf = evidence_pdf(store, engine, seq, lang)?;
    store.keep_evidence(seq, lang, &pdf)?;
    // Another export on another connection may have kept its copy first; the kept one counts.
    Ok(store.evidence(seq, lang)?.unwrap_or(pdf))
}

/// The evidence PDF of approval entry `seq`, labels in `lang` (`ja` or `en`).
pub fn evidence_pdf(store: &Store, engine: &Engine, seq: u64, lang: &str) -> Result<Vec<u8>> {
    let damaged = |detail: String| TrustError::Damaged {
        what: format!("#{seq}"),
        detail,
    };
    let row = store
        .archive_row(seq)?
        .ok_or_else(|| damaged("no such entry".to_owned()))?;
    let entry = parse(&row)?;
    if entry.kind != Kind::Approve {
        return Err(damaged(format!(
            "entry #{seq} is a {}, not an approval",
            row.kind
        )));
    }
    let approval = entry
        .approval
        .clone()
        .expect("approvals carry their approval");
    let manifest = manifest_of(store, &entry)?;
    let manifest_bytes = manifest.canonical();
    let bundle = archived_bundle(store, &manifest)?;
    let today = ccm_render::filters::parse_date(&manifest.rendered_for)
        .ok_or_else(|| damaged("the manifest's date does not parse".to_owned()))?;
    let mut opts = RenderOptions::new(today);
    opts.png_dpi = Some(110.0);
    let ja = lang == "ja";

    let mut channels = Vec::new();
    let mut pairs: Vec<(String, String)> = manifest
        .renditions
        .iter()
        .map(|r| (r.persona.clone(), r.locale.clone()))
        .collect();
    pairs.dedup();
    for (persona, locale) in pairs {
        let set = render_all(engine, &bundle, &persona, &locale, &opts);
        let mut view = EvidenceRendition {
            persona: persona.clone(),
            locale: locale.clone(),
            ..EvidenceRendition::default()
        };
        for out in &set.outputs {
            match &out.rendition {
                Some(Rendition::Email(e)) => {
                    view.email = Some(EvidenceEmail {
                        subject: e.subject.clone(),
                        text: e.text.clone(),
                    })
                }
                Some(Rendition::Sms(s)) => {
                    view.sms = Some(EvidenceSms {
                        text: s.text.clone(),
                        segments: s.analysis.segments as u32,
                    })
                }
                Some(Rendition::Push(p)) => {
                    view.push = Some(EvidencePush {
                        title: p.text.title.clone(),
                        body: p.text.body.clone(),
                    })
                }
                Some(Rendition::Print(p)) => {
                    let approved = manifest.renditions.iter().find(|r| {
                        r.persona == persona && r.locale == locale && r.name == "print.pdf"
                    });
                    if approved.map(|r| r.sha256.as_str()) != Some(sha256_hex(&p.pdf).as_str()) {
                        return Err(damaged(format!(
                            "the letter for {persona} ({locale}) no longer renders to the approved bytes: run `ccm archive verify --rerender`"
                        )));
                    }
                    view.letter_pages = p.pages_png.clone();
                }
                None => {}
            }
        }
        channels.push(view);
    }

    let findings = manifest
        .findings
        .iter()
        .map(|f| EvidenceFinding {
            severity: match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            }
            .to_owned(),
            code: f.code.clone(),
            channel: f.channel.map(|c| c.as_str().to_owned()).unwrap_or_default(),
            place: match (&f.file, f.line) {
                (Some(file), Some(line)) => format!("{file}:{line}"),
                (Some(file), None) => file.clone(),
                _ => String::new(),
            },
            message: if ja {
                f.message.ja.clone()
            } else {
                f.message.en.clone()
            },
        })
        .collect();
    let waivers = approval
        .waivers
        .iter()
        .map(|w| EvidenceWaiver {
            rule: w.rule.clone(),
            reason: w.reason.clone(),
            by: entry.actor.name.clone(),
        })
        .collect();
    let (size, root) = head(store)?.unwrap_or((0, String::new()));
    let names = |keys: &[String]| -> Vec<String> {
        let (roster, _) = store.team().unwrap_or_default();
        keys.iter()
            .map(|k| match roster.member(k) {
                Some(m) => format!("{} ({k})", m.name),
                None => k.clone(),
            })
            .collect()
    };
    let mut attachments = vec![
        attachment(
            "approval-entry.json",
            row.body.as_bytes().to_vec(),
            "application/json",
            "the signed archive entry (RFC 8785 canonical JSON)",
            AttachmentRelationship::Source,
        ),
        attachment(
            "approval-entry.json.minisig",
            row.signature.as_bytes().to_vec(),
            "text/plain",
            "minisign signature of the entry: minisign -Vm approval-entry.json -P <key>",
            AttachmentRelationship::Supplement,
        ),
        attachment(
            "manifest.json",
            manifest_bytes,
            "application/json",
            "sha256 of every rendition and input the approval binds",
            AttachmentRelationship::Source,
        ),
    ];
    if let Some(c) = store.archive_checkpoints()?.pop() {
        attachments.push(attachment(
            "checkpoint.txt",
            c.note.into_bytes(),
            "text/plain",
            "signed head of the archive (C2SP checkpoint)",
            AttachmentRelationship::Supplement,
        ));
    }
    for (path, text) in &bundle.source.files.0 {
        attachments.push(attachment(
            &format!("source/{path}"),
            text.as_bytes().to_vec(),
            "text/plain",
            "template source as approved",
            AttachmentRelationship::Source,
        ));
    }
    let record = EvidenceRecord {
        lang: if ja {
            EvidenceLang::Ja
        } else {
            EvidenceLang::En
        },
        title: bundle.source.manifest.name.clone(),
        template_id: entry.template.id.clone(),
        version: entry.template.version,
        version_hash: entry.template.hash.clone(),
        brand: entry.template.brand.clone(),
        decision: if ja {
            "送信を承認".to_owned()
        } else {
            approval.meaning.clone()
        },
        approver: entry.actor.name.clone(),
        approver_role: entry.actor.role.clone(),
        approver_key: entry.actor.key.clone(),
        authors: names(&approval.authors),
        decided_at: entry.at.clone(),
        entry_seq: entry.seq,
        entry_hash: row.hash.clone(),
        archive_root: root,
        archive_size: size,
        comment: entry.comment.clone(),
        findings,
        waivers,
        channels,
        attachments,
    };
    ccm_print::render_evidence(&record)
        .map_err(|e| damaged(format!("the evidence PDF could not be made: {e}")))
}

fn attachment(
    name: &str,
    bytes: Vec<u8>,
    mime: &str,
    description: &str,
    relationship: AttachmentRelationship,
) -> EvidenceAttachment {
    EvidenceAttachment {
        name: name.to_owned(),
        bytes,
        mime: mime.to_owned(),
        description: description.to_owned(),
        relationship,
    }
}
