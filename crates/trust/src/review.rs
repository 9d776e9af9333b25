//! The review process, enforced here (the CLI and the app only call it):
//!
//! draft → in review (submit freezes the latest version) → approved | changes requested;
//! approved → stale when any input changes; an edit while in review supersedes the request.
//! Four-eyes: the approver holds the compliance role on the team roster and made none of the
//! versions (nor the shared-block and brand-kit edits) since the last approval, and did not
//! submit it. Error findings need a waiver each, with a reason, recorded in the approval.

use std::collections::BTreeMap;

use ccm_core::diagnostic::Severity;
use ccm_core::identity::{Identity, Role};
use ccm_core::model::{ContentHash, TemplateBundle};
use ccm_core::store::Store;
use ccm_render::Engine;
use ccm_rules::RuleSet;
use serde::Serialize;
use time::Date;

use crate::archive::{self, Appended, NewEntry, Signer};
use crate::entry::{Anchor, Approval, Entry, Kind, Waiver, APPROVAL_MEANING};
use crate::error::{codes, refuse, Result, TrustError};
use crate::inputs::{Inputs, StaleReason, TemplateRef};
use crate::manifest::{self, Manifest};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum State {
    Draft,
    InReview,
    ChangesRequested,
    Approved,
    Stale,
}

impl State {
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            State::Draft => ("draft", "下書き"),
            State::InReview => ("in review", "レビュー中"),
            State::ChangesRequested => ("changes requested", "修正依頼"),
            State::Approved => ("approved", "承認済み"),
            State::Stale => ("stale", "承認失効"),
        }
    }
}

/// One review event, as shown in status and history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Event {
    pub seq: u64,
    pub hash: String,
    pub kind: Kind,
    pub version: u32,
    /// Content hash of that version: what review decisions are bound to (version numbers are
    /// per library; two libraries sharing a folder number versions differently).
    pub version_hash: String,
    pub by: String,
    pub by_key: String,
    pub at: String,
    pub comment: Option<String>,
}

/// A comment with its edits applied, and where it stands on the latest version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommentView {
    pub seq: u64,
    pub version: u32,
    pub version_hash: String,
    pub by: String,
    pub by_key: String,
    pub at: String,
    pub text: String,
    /// Earlier texts, oldest first (edits keep history).
    pub history: Vec<String>,
    pub anchor: Option<Anchor>,
    /// `current` (made on the latest version), `carried` (its quoted text is still there) or
    /// `outdated`.
    pub standing: String,
}

/// Where a template stands in review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Status {
    pub template_id: String,
    pub latest_version: u32,
    pub state: State,
    /// The open request (submitted, not yet decided) for the latest version.
    pub pending: Option<Event>,
    /// A request for an older version that an edit overtook.
    pub superseded: Option<Event>,
    pub last_approval: Option<Event>,
    pub changes_requested: Option<Event>,
    /// Why the last approval no longer stands (empty when it does).
    pub stale_reasons: Vec<StaleReason>,
    pub comments: Vec<CommentView>,
    pub history: Vec<Event>,
    /// Set when the approval in `last_approval` arrived in a signed pack from another library
    /// (`ccm pack import`) rather than being made here.
    pub imported_from: Option<ImportedFrom>,
}

/// Where an imported approval came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportedFrom {
    pub pack_id: String,
    pub brand: String,
    pub sequence: u64,
    pub signed_by: String,
    pub imported_at: String,
}

/// What review operations need besides the library: rendering and the rule packs.
pub struct Reviewer<'a> {
    pub engine: &'a Engine,
    pub rules: &'a RuleSet,
}

fn event(hash: &str, e: &Entry) -> Event {
    Event {
        seq: e.seq,
        hash: hash.to_owned(),
        kind: e.kind,
        version: e.template.version,
        version_hash: e.template.hash.clone(),
        by: e.actor.name.clone(),
        by_key: e.actor.key.clone(),
        at: e.at.clone(),
        comment: e.comment.clone(),
    }
}

/// The review status of template `id`.
pub fn status(store: &Store, rules: &RuleSet, id: &str) -> Result<Status> {
    let latest = store.get(id, None)?;
    let rows = store.archive_rows_for(id)?;
    let mut pending: Option<Event> = None;
    let mut approved: Option<(Event, Entry)> = None;
    let mut changes: Option<Event> = None;
    let mut history = Vec::new();
    let mut comments: BTreeMap<u64, CommentView> = BTreeMap::new();
    for row in &rows {
        let e = archive::parse(row)?;
        let ev = event(&row.hash, &e);
        match e.kind {
            Kind::Submit => pending = Some(ev.clone()),
            Kind::Withdraw => pending = None,
            Kind::RequestChanges => {
                pending = None;
                changes = Some(ev.clone());
            }
            Kind::Approve => {
                pending = None;
                changes = None;
                approved = Some((ev.clone(), e.clone()));
            }
            Kind::Comment => {
                comments.insert(
                    e.seq,
                    CommentView {
                        seq: e.seq,
                        version: e.template.version,
                        version_hash: e.template.hash.clone(),
                        by: e.actor.name.clone(),
                        by_key: e.actor.key.clone(),
                        at: e.at.clone(),
                        text: e.comment.clone().unwrap_or_default(),
                        history: Vec::new(),
                        anchor: e.anchor.clone(),
                        standing: String::new(),
                    },
                );
            }
            Kind::CommentEdit => {
                if let Some(c) = e.edits.and_then(|s| comments.get_mut(&s)) {
                    let new = e.comment.clone().unwrap_or_default();
                    c.history.push(std::mem::replace(&mut c.text, new));
                }
            }
        }
        history.push(ev);
    }
    // An approval that arrived in a pack counts like one made here when it is the newest.
    let mut imported_from = None;
    if let Some(row) = store.imported_approvals_for(id)?.pop() {
        let newer = approved
            .as_ref()
            .is_none_or(|(ev, _)| ev.at < row.approved_at);
        if let (true, Ok(entry)) = (newer, serde_json::from_str::<Entry>(&row.entry_body)) {
            let mut ev = event(&row.entry_hash, &entry);
            ev.version = row.version;
            if let Some(pack) = store.pack_import(&row.pack_id)? {
                imported_from = Some(ImportedFrom {
                    pack_id: pack.pack_id,
                    brand: pack.brand,
                    sequence: pack.sequence,
                    signed_by: pack.signer_name,
                    imported_at: pack.imported_at,
                });
            }
            approved = Some((ev, entry));
        }
    }
    let source_text: String = latest
        .files
        .0
        .values()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    for c in comments.values_mut() {
        let quote = c.anchor.as_ref().and_then(|a| a.quote.as_deref());
        c.standing = if c.version_hash == latest.hash.0 {
            "current"
        } else if quote.is_some_and(|q| source_text.contains(q)) {
            "carried"
        } else {
            "outdated"
        }
        .to_owned();
    }
    let mut superseded = None;
    if let Some(p) = &pending {
        if p.version_hash != latest.hash.0 {
            superseded = pending.take();
        }
    }
    let mut stale_reasons = Vec::new();
    let state = if pending.is_some() {
        State::InReview
    } else if let Some((_, entry)) = &approved {
        stale_reasons = stale(store, rules, entry)?;
        if stale_reasons.is_empty() {
            State::Approved
        } else if changes
            .as_ref()
            .is_some_and(|c| c.version_hash == latest.hash.0)
        {
            State::ChangesRequested
        } else {
            State::Stale
        }
    } else if changes
        .as_ref()
        .is_some_and(|c| c.version_hash == latest.hash.0)
    {
        State::ChangesRequested
    } else {
        State::Draft
    };
    Ok(Status {
        template_id: id.to_owned(),
        latest_version: latest.number,
        state,
        pending,
        superseded,
        last_approval: approved.map(|(ev, _)| ev),
        changes_requested: changes,
        stale_reasons,
        comments: comments.into_values().collect(),
        history,
        imported_from,
    })
}

/// The approved manifest of an approval entry.
pub fn manifest_of(store: &Store, entry: &Entry) -> Result<Manifest> {
    let damaged = |detail: String| TrustError::Damaged {
        what: format!("#{}", entry.seq),
        detail,
    };
    let a = entry
        .approval
        .as_ref()
        .ok_or_else(|| damaged("an approval without a manifest".to_owned()))?;
    let bytes = store
        .blob(&ContentHash(a.manifest_sha256.clone()))?
        .ok_or_else(|| damaged("its manifest is not in the library".to_owned()))?;
    serde_json::from_slice(&bytes).map_err(|e| damaged(e.to_string()))
}

/// Why the approval in `entry` no longer stands: compares its recorded inputs with today's.
fn stale(store: &Store, rules: &RuleSet, entry: &Entry) -> Result<Vec<StaleReason>> {
    let approved = manifest_of(store, entry)?.inputs;
    let bundle = store.bundle(&entry.template.id, None)?;
    let brand_version = store
        .brand_latest(&bundle.source.manifest.brand)?
        .map(|(v, _)| v)
        .unwrap_or(0);
    let now = Inputs::collect(&bundle, brand_version, rules);
    Ok(approved.stale_reasons(&now))
}

/// The person signing, checked against the library's roster.
fn signer<'a>(store: &Store, identity: &'a Identity) -> Result<Signer<'a>> {
    let (roster, team_version) = store.team()?;
    let Some(member) = roster.member(&identity.fingerprint) else {
        return Err(refuse(
            codes::NOT_ON_TEAM,
            format!(
                "{} ({}) is not on this library's team roster",
                identity.member.name, identity.fingerprint
            ),
            format!(
                "{}（{}）はこのライブラリのチーム名簿に登録されていません",
                identity.member.name, identity.fingerprint
            ),
            "ask a team member to add you: `ccm team add --name NAME --role ROLE --key KEY` with the key `ccm id show` prints",
            "チームのメンバーに追加を依頼してください（`ccm id show` が表示する公開鍵で `ccm team add`）",
        ));
    };
    Ok(Signer {
        identity,
        role: member.role.as_str().to_owned(),
        team_version,
    })
}

fn template_ref(store: &Store, id: &str) -> Result<TemplateRef> {
    let v = store.get(id, None)?;
    let source = ccm_core::format::parse_template(&v.files).map_err(ccm_core::Error::Invalid)?;
    Ok(TemplateRef {
        id: id.to_owned(),
        version: v.number,
        hash: v.hash.0,
        brand: source.manifest.brand,
    })
}

/// Submits the latest version for review (freezes it: approval will be of exactly this version).
pub fn submit(
    store: &mut Store,
    rules: &RuleSet,
    identity: &Identity,
    id: &str,
    comment: Option<String>,
) -> Result<Appended> {
    let signer = signer(store, identity)?;
    let st = status(store, rules, id)?;
    match st.state {
        State::InReview => {
            return Err(refuse(
                codes::ALREADY_IN_REVIEW,
                format!(
                    "version {} of `{id}` is already in review",
                    st.latest_version
                ),
                format!("`{id}` の第{}版はすでにレビュー中です", st.latest_version),
                "wait for the decision, or withdraw the request first",
                "判断を待つか、先に申請を取り下げてください",
            ))
        }
        State::Approved => {
            return Err(refuse(
                codes::ALREADY_APPROVED,
                format!(
                    "version {} of `{id}` is approved and nothing it uses changed",
                    st.latest_version
                ),
                format!(
                    "`{id}` の第{}版は承認済みで、変更はありません",
                    st.latest_version
                ),
                "edit the template to start a new review",
                "新しいレビューを始めるにはテンプレートを編集してください",
            ))
        }
        _ => {}
    }
    let template = template_ref(store, id)?;
    archive::append(
        store,
        &signer,
        NewEntry {
            kind: Kind::Submit,
            template,
            comment,
            approval: None,
            anchor: None,
            edits: None,
        },
        &[],
    )
}

/// The open request for the latest version, or the refusal explaining why there is none.
fn pending(st: &Status, id: &str) -> Result<Event> {
    if let Some(p) = &st.pending {
        return Ok(p.clone());
    }
    if let Some(s) = &st.superseded {
        return Err(refuse(
            codes::SUPERSEDED,
            format!(
                "the request for version {} of `{id}` was superseded: version {} was made since",
                s.version, st.latest_version
            ),
            format!(
                "`{id}` 第{}版の申請は、その後の編集（第{}版）により無効になりました",
                s.version, st.latest_version
            ),
            "the author submits the latest version again: `ccm review submit ID`",
            "作成者が最新版を再申請してください（`ccm review submit ID`）",
        ));
    }
    Err(refuse(
        codes::NOT_IN_REVIEW,
        format!("`{id}` is not in review (it is {})", st.state.label().0),
        format!(
            "`{id}` はレビュー中ではありません（状態: {}）",
            st.state.label().1
        ),
        "submit it first: `ccm review submit ID`",
        "先に申請してください（`ccm review submit ID`）",
    ))
}

/// Withdraws the open request; only its submitter may.
pub fn withdraw(
    store: &mut Store,
    rules: &RuleSet,
    identity: &Identity,
    id: &str,
    comment: Option<String>,
) -> Result<Appended> {
    let signer = signer(store, identity)?;
    let st = status(store, rules, id)?;
    let p = pending(&st, id)?;
    if p.by_key != identity.fingerprint {
        return Err(refuse(
            codes::NOT_SUBMITTER,
            format!(
                "only {} ({}), who submitted it, can withdraw this request",
                p.by, p.by_key
            ),
            format!(
                "申請を取り下げられるのは申請者の {}（{}）だけです",
                p.by, p.by_key
            ),
            "ask the submitter, or request changes if you are the reviewer",
            "申請者に依頼するか、レビュアーとして修正依頼を出してください",
        ));
    }
    let template = template_ref(store, id)?;
    archive::append(
        store,
        &signer,
        NewEntry {
            kind: Kind::Withdraw,
            template,
            comment,
            approval: None,
            anchor: None,
            edits: None,
        },
        &[],
    )
}

fn require_compliance(signer: &Signer<'_>, what_en: &str, what_ja: &str) -> Result<()> {
    if signer.role == Role::Compliance.as_str() {
        return Ok(());
    }
    Err(refuse(
        codes::WRONG_ROLE,
        format!(
            "{} has the role `{}` on the team; {what_en} needs the compliance role",
            signer.identity.member.name, signer.role
        ),
        format!(
            "{} のチームでの役割は `{}` です。{what_ja}にはコンプライアンス担当の役割が必要です",
            signer.identity.member.name, signer.role
        ),
        "ask a compliance officer on the team to review it",
        "チームのコンプライアンス担当者にレビューを依頼してください",
    ))
}

/// Sends the open request back with a comment (compliance role).
pub fn request_changes(
    store: &mut Store,
    rules: &RuleSet,
    identity: &Identity,
    id: &str,
    comment: String,
) -> Result<Appended> {
    let signer = signer(store, identity)?;
    require_compliance(&signer, "requesting changes", "修正依頼")?;
    if comment.trim().is_empty() {
        return Err(refuse(
            codes::COMMENT_REQUIRED,
            "a request for changes needs a comment saying what to change",
            "修正依頼には、何を直すべきかのコメントが必要です",
            "add --comment \"…\"",
            "--comment \"…\" を付けてください",
        ));
    }
    let st = status(store, rules, id)?;
    pending(&st, id)?;
    let template = template_ref(store, id)?;
    archive::append(
        store,
        &signer,
        NewEntry {
            kind: Kind::RequestChanges,
            template,
            comment: Some(comment),
            approval: None,
            anchor: None,
            edits: None,
        },
        &[],
    )
}

/// A waiver the officer asks for: every error finding of `rule`, with `reason`.
#[derive(Debug, Clone)]
pub struct WaiverRequest {
    pub rule: String,
    pub reason: String,
}

/// The people whose work is being approved: authors of every version since the last approval,
/// editors of the blocks and brand kit it uses since then, and the submitter.
fn contributors(
    store: &Store,
    st: &Status,
    bundle: &TemplateBundle,
    block_names: &[String],
) -> Result<Vec<String>> {
    let (after, since) = match &st.last_approval {
        Some(a) => (
            store
                .version_number_by_hash(&bundle.template_id, &a.version_hash)?
                .unwrap_or(0),
            a.at.clone(),
        ),
        None => (0, String::new()),
    };
    let mut keys: Vec<Option<String>> =
        store.version_author_keys(&bundle.template_id, after, st.latest_version)?;
    if st.last_approval.is_some() {
        keys.extend(store.shared_input_author_keys(
            block_names,
            &bundle.source.manifest.brand,
            &since,
        )?);
    }
    let mut out: Vec<String> = keys.into_iter().flatten().collect();
    if let Some(p) = &st.pending {
        out.push(p.by_key.clone());
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Approves the open request: four-eyes, compliance role, waivers for every error finding;
/// renders every persona × locale × channel and signs the manifest of those bytes.
#[allow(clippy::too_many_arguments)]
pub fn approve(
    store: &mut Store,
    reviewer: &Reviewer<'_>,
    identity: &Identity,
    id: &str,
    comment: Option<String>,
    waivers: &[WaiverRequest],
    today: Date,
) -> Result<Appended> {
    let signer = signer(store, identity)?;
    require_compliance(&signer, "approving", "承認")?;
    let st = status(store, reviewer.rules, id)?;
    pending(&st, id)?;
    let bundle = store.bundle(id, None)?;
    let brand_version = store
        .brand_latest(&bundle.source.manifest.brand)?
        .map(|(v, _)| v)
        .unwrap_or(0);
    let inputs = Inputs::collect(&bundle, brand_version, reviewer.rules);
    let authors = contributors(store, &st, &bundle, &inputs.block_names())?;
    if authors.contains(&identity.fingerprint) {
        return Err(refuse(
            codes::SELF_APPROVAL,
            format!(
                "{} made or submitted changes under review, so cannot approve them (four-eyes)",
                identity.member.name
            ),
            format!(
                "{} はレビュー対象の変更を作成または申請したため、承認できません（四つの目の原則）",
                identity.member.name
            ),
            "another compliance officer who did not work on it must approve",
            "作業に関わっていない別のコンプライアンス担当者が承認してください",
        ));
    }
    let rendered = manifest::render(
        reviewer.engine,
        reviewer.rules,
        &bundle,
        brand_version,
        today,
    )?;
    let waivers = apply_waivers(&rendered.manifest, waivers)?;
    let manifest_bytes = rendered.manifest.canonical();
    let approval = Approval {
        meaning: APPROVAL_MEANING.to_owned(),
        manifest_sha256: crate::jcs::sha256_hex(&manifest_bytes),
        manifest_size: manifest_bytes.len() as u64,
        authors,
        findings: rendered.manifest.counts(),
        waivers,
        channels: rendered.manifest.channels(),
        rule_packs: rendered
            .manifest
            .inputs
            .rule_packs
            .iter()
            .map(|p| format!("{}@{}", p.id, &p.sha256[..8]))
            .collect(),
    };
    let mut blobs: Vec<Vec<u8>> = vec![manifest_bytes];
    blobs.extend(rendered.files.into_iter().map(|(_, b)| b));
    let template = TemplateRef {
        id: id.to_owned(),
        version: bundle.version,
        hash: bundle.hash.0.clone(),
        brand: bundle.source.manifest.brand.clone(),
    };
    let appended = archive::append(
        store,
        &signer,
        NewEntry {
            kind: Kind::Approve,
            template,
            comment,
            approval: Some(approval),
            anchor: None,
            edits: None,
        },
        &blobs,
    )?;
    // The evidence PDF is made now, once, and kept with the approval: packs copy it instead of
    // rendering it again. The approval is recorded whatever happens here; an evidence PDF that
    // cannot be made now is made (or its error reported) by the first export that needs it.
    let _ = crate::evidence::kept_evidence_pdf(
        store,
        reviewer.engine,
        appended.entry.seq,
        crate::evidence::KEPT_LANG,
    );
    Ok(appended)
}

/// Every error finding needs a waiver naming its rule; a waiver for a rule with no error
/// finding is refused (it would record a decision about nothing).
fn apply_waivers(manifest: &Manifest, requests: &[WaiverRequest]) -> Result<Vec<Waiver>> {
    let mut errors: BTreeMap<&str, u32> = BTreeMap::new();
    for f in manifest
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
    {
        *errors.entry(f.code.as_str()).or_default() += 1;
    }
    let mut out = Vec::new();
    for w in requests {
        let Some(n) = errors.get(w.rule.as_str()) else {
            return Err(refuse(
                codes::NOTHING_TO_WAIVE,
                format!("there is no error finding of `{}` to waive", w.rule),
                format!("`{}` のエラー指摘はないため、免除できません", w.rule),
                "waive only rules `ccm check` reports as errors",
                "`ccm check` がエラーとして報告したルールだけを免除してください",
            ));
        };
        if w.reason.trim().is_empty() {
            return Err(refuse(
                codes::UNWAIVED_ERRORS,
                format!("the waiver of `{}` has no reason", w.rule),
                format!("`{}` の免除に理由がありません", w.rule),
                "give --reason \"…\" for every --waive",
                "--waive ごとに --reason \"…\" を付けてください",
            ));
        }
        out.push(Waiver {
            rule: w.rule.clone(),
            reason: w.reason.trim().to_owned(),
            findings: *n,
        });
    }
    let unwaived: Vec<String> = errors
        .iter()
        .filter(|(rule, _)| !out.iter().any(|w| w.rule == **rule))
        .map(|(rule, n)| format!("{rule} ×{n}"))
        .collect();
    if !unwaived.is_empty() {
        return Err(refuse(
            codes::UNWAIVED_ERRORS,
            format!(
                "approval refused: error findings without a waiver: {}",
                unwaived.join(", ")
            ),
            format!(
                "エラー指摘に免除がないため承認できません: {}",
                unwaived.join(", ")
            ),
            "request changes, or record a waiver per rule: --waive RULE --reason \"…\"",
            "修正を依頼するか、ルールごとに免除を記録してください（--waive RULE --reason \"…\"）",
        ));
    }
    out.sort_by(|a, b| a.rule.cmp(&b.rule));
    Ok(out)
}

/// Adds a comment on the latest version, anchored to a channel and a place in it.
pub fn comment(
    store: &mut Store,
    identity: &Identity,
    id: &str,
    text: String,
    anchor: Option<Anchor>,
) -> Result<Appended> {
    let signer = signer(store, identity)?;
    let template = template_ref(store, id)?;
    archive::append(
        store,
        &signer,
        NewEntry {
            kind: Kind::Comment,
            template,
            comment: Some(text),
            approval: None,
            anchor,
            edits: None,
        },
        &[],
    )
}

/// Edits a comment; only its author may, and the earlier text stays in the archive.
pub fn edit_comment(
    store: &mut Store,
    identity: &Identity,
    seq: u64,
    text: String,
) -> Result<Appended> {
    let signer = signer(store, identity)?;
    let row = store
        .archive_row(seq)?
        .filter(|r| r.kind == Kind::Comment.as_str());
    let Some(row) = row else {
        return Err(refuse(
            codes::NO_SUCH_COMMENT,
            format!("archive entry #{seq} is not a comment"),
            format!("アーカイブのエントリ #{seq} はコメントではありません"),
            "see the comments with `ccm review status ID`",
            "`ccm review status ID` でコメントを確認してください",
        ));
    };
    let original = archive::parse(&row)?;
    if original.actor.key != identity.fingerprint {
        return Err(refuse(
            codes::NOT_COMMENT_AUTHOR,
            format!("only {} can edit their comment", original.actor.name),
            format!(
                "このコメントを編集できるのは {} だけです",
                original.actor.name
            ),
            "reply with a comment of your own",
            "ご自身のコメントで返信してください",
        ));
    }
    let template = template_ref(store, &original.template.id)?;
    archive::append(
        store,
        &signer,
        NewEntry {
            kind: Kind::CommentEdit,
            template,
            comment: Some(text),
            approval: None,
            anchor: original.anchor.clone(),
            edits: Some(seq),
        },
        &[],
    )
}

/// One row of the review queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QueueItem {
    pub template_id: String,
    pub name: String,
    pub brand: String,
    pub state: State,
    pub version: u32,
    pub since: String,
    pub by: String,
    /// The person asking made or submitted this work, so cannot approve it.
    pub mine: bool,
    pub stale_reasons: Vec<StaleReason>,
}

/// What needs someone's attention: for compliance, everything in review (oldest first); for
/// designers and brand, their changes requested and stale approvals.
pub fn queue(
    store: &Store,
    rules: &RuleSet,
    me: Option<&Identity>,
    role: Option<Role>,
) -> Result<Vec<QueueItem>> {
    let mut out = Vec::new();
    for t in store.list(&Default::default())? {
        let st = status(store, rules, &t.id)?;
        let (wanted, since, by) = match (st.state, role) {
            (State::InReview, Some(Role::Compliance) | None) => {
                let p = st.pending.clone().expect("in review has a pending request");
                (true, p.at, p.by)
            }
            (State::ChangesRequested, r) if r != Some(Role::Compliance) => {
                let c = st
                    .changes_requested
                    .clone()
                    .expect("changes requested has its event");
                (true, c.at, c.by)
            }
            (State::Stale, r) if r != Some(Role::Compliance) => {
                let a = st.last_approval.clone().expect("stale has an approval");
                (true, a.at, a.by)
            }
            _ => (false, String::new(), String::new()),
        };
        if !wanted {
            continue;
        }
        let mine = me.is_some_and(|me| {
            st.pending
                .as_ref()
                .is_some_and(|p| p.by_key == me.fingerprint)
                || store
                    .version_author_keys(
                        &t.id,
                        approved_number(store, &t.id, &st),
                        st.latest_version,
                    )
                    .map(|keys| keys.iter().flatten().any(|k| *k == me.fingerprint))
                    .unwrap_or(false)
        });
        out.push(QueueItem {
            template_id: t.id.clone(),
            name: t.name.clone(),
            brand: t.brand.clone(),
            state: st.state,
            version: st.latest_version,
            since,
            by,
            mine,
            stale_reasons: st.stale_reasons,
        });
    }
    out.sort_by(|a, b| {
        a.since
            .cmp(&b.since)
            .then(a.template_id.cmp(&b.template_id))
    });
    Ok(out)
}

/// The local version number of the last approved version (0 when none).
fn approved_number(store: &Store, id: &str, st: &Status) -> u32 {
    st.last_approval
        .as_ref()
        .and_then(|a| {
            store
                .version_number_by_hash(id, &a.version_hash)
                .ok()
                .flatten()
        })
        .unwrap_or(0)
}

/// Every approved template whose approval a change would make stale: run [`status`] for each
/// template with an approval, with the change applied in a copy by the caller. Used before
/// saving a block, kit or pack to list what goes stale.
pub fn approved_templates(store: &Store, rules: &RuleSet) -> Result<Vec<Status>> {
    let mut out = Vec::new();
    for t in store.list(&Default::default())? {
        let st = status(store, rules, &t.id)?;
        if st.state == State::Approved {
            out.push(st);
        }
    }
    Ok(out)
}
