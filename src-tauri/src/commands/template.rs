use ccm_core::library::{diff_files, FileDiff};
use ccm_core::model::{ContentHash, TemplateFiles};
use ccm_core::store::SaveOver;
use tauri::State;

use crate::dto::{ConflictSide, Outline, SaveRequest, SaveResult, TemplateDoc, VersionInfo};
use crate::error::{IpcError, IpcResult};
use crate::state::{AppState, Shared};
use ccm_render::draft;

/// Who the app's saves are attributed to in the version history.
const AUTHOR: &str = "app";

#[tauri::command]
pub async fn get_template(
    state: State<'_, AppState>,
    id: String,
    version: Option<u32>,
) -> IpcResult<TemplateDoc> {
    state
        .blocking(move |shared| template_doc(shared, &id, version))
        .await
}

fn template_doc(shared: &Shared, id: &str, version: Option<u32>) -> IpcResult<TemplateDoc> {
    let lib = shared.library()?;
    let v = lib.store.get(id, version)?;
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

/// What changed from version `from` to version `to` (default: the latest), file by file.
#[tauri::command]
pub async fn template_diff(
    state: State<'_, AppState>,
    id: String,
    from: u32,
    to: Option<u32>,
) -> IpcResult<Vec<FileDiff>> {
    state
        .blocking(move |shared| {
            let lib = shared.library()?;
            let old = lib.store.get(&id, Some(from))?;
            let new = lib.store.get(&id, to)?;
            Ok(diff_files(&old.files, &new.files))
        })
        .await
}

#[tauri::command]
pub async fn template_history(
    state: State<'_, AppState>,
    id: String,
) -> IpcResult<Vec<VersionInfo>> {
    state
        .blocking(move |shared| {
            let history = shared.library()?.store.history(&id)?;
            Ok(history.into_iter().map(version_info).collect())
        })
        .await
}

/// Saves the editor's files as a new version — unless the template gained a version the
/// editor has not seen (a watched-folder edit): then nothing is written and the newer version
/// is returned so the UI can show the conflict.
#[tauri::command]
pub async fn save_template(
    state: State<'_, AppState>,
    request: SaveRequest,
) -> IpcResult<SaveResult> {
    state.blocking(move |shared| save(shared, request)).await
}

fn save(shared: &Shared, request: SaveRequest) -> IpcResult<SaveResult> {
    let mut lib = shared.library()?;
    let outcome = lib.store.save_template_over(
        TemplateFiles(request.files),
        &ContentHash(request.base_hash),
        AUTHOR,
        "edited in CCM Studio",
    )?;
    Ok(match outcome {
        SaveOver::Saved(saved) => SaveResult::Saved {
            version: saved.version(),
            hash: saved.hash().0.clone(),
            created: saved.is_created(),
        },
        SaveOver::Moved { version, .. } => {
            let history = lib.store.history(&request.template_id)?;
            let latest = history
                .into_iter()
                .find(|v| v.number == version)
                .ok_or_else(|| IpcError::internal("the newer version vanished"))?;
            SaveResult::Conflict {
                latest: version_info(latest),
            }
        }
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

/// The user's answer to a watched-folder conflict: keep the folder's files (they become the
/// newest version) or the library's (written back into the folder). Every window hears the
/// outcome as a `library-event`, as for the watcher's own changes.
#[tauri::command]
pub fn resolve_folder_conflict(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    template_id: String,
    keep: ConflictSide,
) -> IpcResult<()> {
    let mut lib = state.0.library()?;
    let event = state.0.with_watch(|sync| match keep {
        ConflictSide::Folder => sync.take_folder(&mut lib.store, &template_id),
        ConflictSide::Library => sync.write_library_version(&lib.store, &template_id),
    })??;
    drop(lib);
    crate::watch::announce(&app, event);
    Ok(())
}
