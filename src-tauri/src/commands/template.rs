use ccm_core::model::TemplateFiles;
use tauri::State;

use crate::dto::{Outline, SaveRequest, SaveResult, TemplateDoc, VersionInfo};
use crate::error::IpcResult;
use crate::state::AppState;
use ccm_render::draft;

/// Who the app's saves are attributed to in the version history.
const AUTHOR: &str = "app";

#[tauri::command]
pub fn get_template(
    state: State<'_, AppState>,
    id: String,
    version: Option<u32>,
) -> IpcResult<TemplateDoc> {
    let lib = state.0.library()?;
    let v = lib.store.get(&id, version)?;
    let brand_name = lib
        .store
        .brand(&draft::brand_id(&v.files))
        .ok()
        .map(|b| b.kit.name);
    let outline = draft::outline(&v.files, brand_name.as_deref()).map(Outline::from);
    Ok(TemplateDoc {
        template_id: v.template_id,
        version: v.number,
        hash: v.hash.0,
        files: v.files.0,
        outline,
    })
}

#[tauri::command]
pub fn template_history(state: State<'_, AppState>, id: String) -> IpcResult<Vec<VersionInfo>> {
    let history = state.0.library()?.store.history(&id)?;
    Ok(history.into_iter().map(version_info).collect())
}

/// Saves the editor's files as a new version — unless the template gained a version the
/// editor has not seen (a watched-folder edit): then nothing is written and the newer version
/// is returned so the UI can show the conflict.
#[tauri::command]
pub fn save_template(state: State<'_, AppState>, request: SaveRequest) -> IpcResult<SaveResult> {
    let mut lib = state.0.library()?;
    // Check and save under one lock: the watcher stores versions through the same mutex.
    let history = lib.store.history(&request.template_id)?;
    if let Some(latest) = history.last() {
        if latest.hash.0 != request.base_hash {
            return Ok(SaveResult::Conflict {
                latest: version_info(latest.clone()),
            });
        }
    }
    let (_, outcome) =
        lib.store
            .save_template(TemplateFiles(request.files), AUTHOR, "edited in CCM Studio")?;
    Ok(SaveResult::Saved {
        version: outcome.version(),
        hash: outcome.hash().0.clone(),
        created: outcome.is_created(),
    })
}

fn version_info(v: ccm_core::store::VersionMeta) -> VersionInfo {
    VersionInfo {
        number: v.number,
        hash: v.hash.0,
        parent: v.parent.map(|p| p.0),
        created_at: v.created_at,
        author: v.author,
        message: v.message,
    }
}
