//! "Check every persona × locale": what `ccm check ID` reports, for the editor's draft (saved
//! or not), so a reviewer sees every finding before approving — not only the persona on screen.

use std::time::Instant;

use ccm_core::model::TemplateFiles;
use ccm_render::checks::check_template;
use ccm_render::draft::{self, DraftRequest, Prepared};
use ccm_render::{RenderOptions, Severity};
use tauri::State;

use crate::commands::preview::problem_of;
use crate::dto::{CheckAllReport, CheckedSetView, PreviewRequest};
use crate::error::{IpcError, IpcResult};
use crate::state::{AppState, Shared};

#[tauri::command]
pub async fn check_all(
    state: State<'_, AppState>,
    request: PreviewRequest,
) -> IpcResult<CheckAllReport> {
    let shared = state.0.clone();
    tauri::async_runtime::spawn_blocking(move || check(&shared, request))
        .await
        .map_err(|e| IpcError::internal(format!("the check worker stopped: {e}")))?
}

fn check(shared: &Shared, request: PreviewRequest) -> IpcResult<CheckAllReport> {
    let started = Instant::now();
    let mut out = CheckAllReport {
        seq: request.seq,
        elapsed_ms: 0.0,
        sets: Vec::new(),
        problems: Vec::new(),
        rules_error: None,
    };
    let request = DraftRequest {
        template_id: request.template_id,
        files: TemplateFiles(request.files),
        persona: None,
        locale: None,
    };
    let prepared = draft::prepare(&shared.library()?.store, request)?;
    let draft = match prepared {
        Prepared::Ready(draft) => draft,
        Prepared::Unrenderable { problems, .. } => {
            out.problems = problems;
            return Ok(out);
        }
    };
    out.problems = draft.problems.clone();
    let rules = match &shared.rules {
        Ok(rules) => rules,
        Err(e) => {
            out.rules_error = Some(e.to_string());
            return Ok(out);
        }
    };
    let opts = RenderOptions::new(time::OffsetDateTime::now_utc().date());
    match check_template(&shared.engine, rules, &draft.bundle, &opts, None, None) {
        Ok(checked) => {
            let label = |id: &str| {
                let personas = &draft.bundle.source.personas;
                personas
                    .iter()
                    .find(|p| p.id == id)
                    .map(|p| p.label.clone())
                    .unwrap_or_default()
            };
            out.sets = checked
                .iter()
                .map(|c| CheckedSetView {
                    persona_label: label(&c.set.persona),
                    persona: c.set.persona.clone(),
                    locale: c.set.locale.clone(),
                    findings: c.findings.clone(),
                    render_errors: c
                        .set
                        .outputs
                        .iter()
                        .flat_map(|o| &o.diagnostics)
                        .filter(|d| d.severity == Severity::Error)
                        .filter_map(problem_of)
                        .collect(),
                })
                .collect();
        }
        Err(e) => out.rules_error = Some(e.to_string()),
    }
    out.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(out)
}
