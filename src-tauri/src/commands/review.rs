//! Review and the archive: who is working (the identity on this computer), the review states
//! and decisions, and the archive's search, entries, verification and diff. Every rule —
//! four-eyes, roles, waivers — is `ccm_trust::review`'s; a refusal crosses as an `IpcError`
//! whose code is the refusal's (`REVIEW_SELF_APPROVAL`), in both languages.

use ccm_core::diagnostic::{codes, Localized};
use ccm_core::identity::{default_dir, Identity, Member, Role};
use ccm_core::store::Store;
use ccm_rules::RuleSet;
use ccm_trust::diff::FileChange;
use ccm_trust::entry::Anchor;
use ccm_trust::review::{self, QueueItem, Reviewer, Status, WaiverRequest};
use ccm_trust::verify::VerifyReport;
use ccm_trust::{archive, verify};
use tauri::State;

use crate::error::{ErrorDetails, IpcError, IpcResult};
use crate::review_dto::{
    ArchiveEntryDetail, ArchiveQuery, ArchiveRowView, IdentityInfo, WaiverInput,
};
use crate::state::{AppState, Shared};

/// Who signs the versions, submissions and decisions made in the app.
const TEAM_AUTHOR: &str = "app";

pub(crate) fn load_identity() -> IpcResult<Option<Identity>> {
    Ok(Identity::load(&default_dir()?)?)
}

/// The identity review actions are signed with; a typed error (the UI then asks "Who are
/// you?") when this computer has none yet.
pub(crate) fn require_identity() -> IpcResult<Identity> {
    load_identity()?.ok_or_else(|| {
        let summary = Localized::new(
            "Tell CCM Studio who you are before reviewing",
            "レビューの前に、あなたが誰かを登録してください",
        );
        IpcError {
            code: ccm_trust::error::codes::NO_IDENTITY.to_owned(),
            message: summary.en.clone(),
            summary: Box::new(summary),
            details: Some(ErrorDetails {
                hint: Some("create your identity: name and role".to_owned()),
                hint_localized: Some(Box::new(Localized::new(
                    "create your identity: name and role",
                    "氏名と役割を登録してください",
                ))),
                problems: Vec::new(),
            }),
        }
    })
}

pub(crate) fn rules(shared: &Shared) -> IpcResult<&RuleSet> {
    shared.rules.as_ref().map_err(|e| {
        IpcError::new(
            codes::RULES_UNAVAILABLE,
            format!("rule pack {}: {}", e.file, e.message),
        )
    })
}

pub(crate) fn team_role(store: &Store, identity: &Identity) -> IpcResult<Option<Role>> {
    let (roster, _) = store.team()?;
    Ok(roster.member(&identity.fingerprint).map(|m| m.role))
}

/// This computer's identity, or `None` before the first "Who are you?".
#[tauri::command]
pub fn identity_info(state: State<'_, AppState>) -> IpcResult<Option<IdentityInfo>> {
    let Some(identity) = load_identity()? else {
        return Ok(None);
    };
    let lib = state.0.library()?;
    let role = team_role(&lib.store, &identity)?;
    Ok(Some(IdentityInfo::of(&identity, role)))
}

/// First run: makes this computer's key pair for `name` and puts the person on the open
/// library's team roster (unless their key is on it already). From now on the app's saves
/// are attributed to this key.
#[tauri::command]
pub fn create_identity(
    state: State<'_, AppState>,
    name: String,
    role: Role,
) -> IpcResult<IdentityInfo> {
    let identity = Identity::create(&default_dir()?, &name, role)?;
    let mut lib = state.0.library()?;
    let (mut roster, _) = lib.store.team()?;
    if roster.member(&identity.fingerprint).is_none() {
        roster.add(Member {
            name: identity.member.name.clone(),
            role,
            public_key: identity.member.public_key.clone(),
        })?;
        lib.store.write(|w| w.save_team(&roster, TEAM_AUTHOR))?;
    }
    lib.store.set_author_key(Some(identity.fingerprint.clone()));
    let role = team_role(&lib.store, &identity)?;
    Ok(IdentityInfo::of(&identity, role))
}

#[tauri::command]
pub fn review_status(state: State<'_, AppState>, template_id: String) -> IpcResult<Status> {
    let lib = state.0.library()?;
    Ok(review::status(&lib.store, rules(&state.0)?, &template_id)?)
}

/// What needs this person's attention: in review for compliance; changes requested and
/// stale approvals for designers and brand.
#[tauri::command]
pub fn review_queue(state: State<'_, AppState>) -> IpcResult<Vec<QueueItem>> {
    let me = load_identity()?;
    let lib = state.0.library()?;
    let role = match &me {
        Some(id) => Some(team_role(&lib.store, id)?.unwrap_or(id.member.role)),
        None => None,
    };
    Ok(review::queue(
        &lib.store,
        rules(&state.0)?,
        me.as_ref(),
        role,
    )?)
}

/// A decision by the person on this machine, then the template's review status after it.
fn decide<T, E>(
    state: &State<'_, AppState>,
    template_id: &str,
    act: impl FnOnce(&mut Store, &RuleSet, &Identity) -> Result<T, E>,
) -> IpcResult<Status>
where
    IpcError: From<E>,
{
    let identity = require_identity()?;
    let rules = rules(&state.0)?;
    let mut lib = state.0.library()?;
    act(&mut lib.store, rules, &identity)?;
    Ok(review::status(&lib.store, rules, template_id)?)
}

#[tauri::command]
pub fn review_submit(
    state: State<'_, AppState>,
    template_id: String,
    comment: Option<String>,
) -> IpcResult<Status> {
    decide(&state, &template_id, |store, rules, me| {
        review::submit(store, rules, me, &template_id, comment)
    })
}

#[tauri::command]
pub fn review_withdraw(
    state: State<'_, AppState>,
    template_id: String,
    comment: Option<String>,
) -> IpcResult<Status> {
    decide(&state, &template_id, |store, rules, me| {
        review::withdraw(store, rules, me, &template_id, comment)
    })
}

#[tauri::command]
pub fn review_request_changes(
    state: State<'_, AppState>,
    template_id: String,
    comment: String,
) -> IpcResult<Status> {
    decide(&state, &template_id, |store, rules, me| {
        review::request_changes(store, rules, me, &template_id, comment)
    })
}

/// Renders every persona × locale × channel with today's (UTC) date and signs the manifest of
/// those bytes: seconds of work, so off the IPC thread.
#[tauri::command]
pub async fn review_approve(
    state: State<'_, AppState>,
    template_id: String,
    comment: Option<String>,
    waivers: Vec<WaiverInput>,
) -> IpcResult<Status> {
    let shared = state.0.clone();
    tauri::async_runtime::spawn_blocking(move || -> IpcResult<Status> {
        let identity = require_identity()?;
        let rules = rules(&shared)?;
        let waivers: Vec<WaiverRequest> = waivers
            .into_iter()
            .map(|w| WaiverRequest {
                rule: w.rule,
                reason: w.reason,
            })
            .collect();
        let reviewer = Reviewer {
            engine: &shared.engine,
            rules,
        };
        let today = time::OffsetDateTime::now_utc().date();
        let mut lib = shared.library()?;
        let comment = comment.filter(|c| !c.trim().is_empty());
        review::approve(
            &mut lib.store,
            &reviewer,
            &identity,
            &template_id,
            comment,
            &waivers,
            today,
        )?;
        Ok(review::status(&lib.store, rules, &template_id)?)
    })
    .await
    .map_err(|e| IpcError::internal(format!("the approval worker stopped: {e}")))?
}

#[tauri::command]
pub fn review_comment(
    state: State<'_, AppState>,
    template_id: String,
    text: String,
    anchor: Option<Anchor>,
) -> IpcResult<Status> {
    let identity = require_identity()?;
    let rules = rules(&state.0)?;
    let mut lib = state.0.library()?;
    review::comment(&mut lib.store, &identity, &template_id, text, anchor)?;
    Ok(review::status(&lib.store, rules, &template_id)?)
}

#[tauri::command]
pub fn review_edit_comment(
    state: State<'_, AppState>,
    template_id: String,
    seq: u64,
    text: String,
) -> IpcResult<Status> {
    let identity = require_identity()?;
    let rules = rules(&state.0)?;
    let mut lib = state.0.library()?;
    review::edit_comment(&mut lib.store, &identity, seq, text)?;
    Ok(review::status(&lib.store, rules, &template_id)?)
}

/// Archive entries by date range, template, brand, channel, person, kind and rule pack.
#[tauri::command]
pub fn archive_search(
    state: State<'_, AppState>,
    query: ArchiveQuery,
) -> IpcResult<Vec<ArchiveRowView>> {
    let limit = query.limit.clamp(1, 1000);
    let rows = state
        .0
        .library()?
        .store
        .archive_search(&query.filter(), limit)?;
    Ok(rows.iter().map(ArchiveRowView::from).collect())
}

/// One entry in full: its signed body, signature and, for an approval, its manifest.
#[tauri::command]
pub fn archive_entry(state: State<'_, AppState>, seq: u64) -> IpcResult<ArchiveEntryDetail> {
    let lib = state.0.library()?;
    let row = lib.store.archive_row(seq)?.ok_or_else(|| {
        IpcError::from(ccm_core::Error::NotFound {
            what: "archive entry",
            id: format!("#{seq}"),
        })
    })?;
    let entry = archive::parse(&row)?;
    let signature_valid =
        ccm_core::identity::verify(&entry.actor.public_key, row.body.as_bytes(), &row.signature)
            .is_ok();
    let manifest = match entry.approval {
        Some(_) => Some(review::manifest_of(&lib.store, &entry)?),
        None => None,
    };
    Ok(ArchiveEntryDetail {
        seq: row.seq,
        hash: row.hash,
        signature: row.signature,
        signature_valid,
        entry,
        manifest,
    })
}

/// Checks every hash, link, signature and rendition; names the first kind of tampering.
#[tauri::command]
pub async fn archive_verify(state: State<'_, AppState>) -> IpcResult<VerifyReport> {
    let shared = state.0.clone();
    tauri::async_runtime::spawn_blocking(move || -> IpcResult<VerifyReport> {
        let lib = shared.library()?;
        Ok(verify::verify(&lib.store, &[])?)
    })
    .await
    .map_err(|e| IpcError::internal(format!("the verify worker stopped: {e}")))?
}

/// What changed between the renditions of approvals `a` and `b`, per persona and channel.
#[tauri::command]
pub fn archive_diff(state: State<'_, AppState>, a: u64, b: u64) -> IpcResult<Vec<FileChange>> {
    let lib = state.0.library()?;
    let manifest = |seq: u64| -> IpcResult<_> {
        let row = lib
            .store
            .archive_row(seq)?
            .filter(|r| r.kind == ccm_trust::entry::Kind::Approve.as_str())
            .ok_or_else(|| {
                IpcError::new(
                    codes::INVALID_INPUT,
                    format!("archive entry #{seq} is not an approval"),
                )
            })?;
        Ok(review::manifest_of(&lib.store, &archive::parse(&row)?)?)
    };
    let (ma, mb) = (manifest(a)?, manifest(b)?);
    Ok(ccm_trust::diff::diff(&lib.store, &ma, &mb)?)
}
