use std::path::PathBuf;

use ccm_core::model::TemplateSummary;
use ccm_core::store::ListFilter;
use tauri::State;

use crate::dto::{LibraryInfo, ListQuery, SearchResult};
use crate::error::IpcResult;
use crate::state::AppState;

#[tauri::command]
pub fn library_info(state: State<'_, AppState>) -> IpcResult<LibraryInfo> {
    state.0.info()
}

/// Opens (or creates) another library file; an empty one gets the sample library.
#[tauri::command]
pub fn open_library(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    path: String,
) -> IpcResult<LibraryInfo> {
    state.0.set_watch(None);
    state.0.reopen(&PathBuf::from(path))?;
    crate::watch::start_for_app(&app);
    state.0.info()
}

#[tauri::command]
pub fn list_templates(
    state: State<'_, AppState>,
    query: ListQuery,
) -> IpcResult<Vec<TemplateSummary>> {
    let filter = ListFilter {
        tag: query.tag,
        brand: query.brand,
        industry: query.industry,
        purpose: query.purpose,
    };
    Ok(state.0.library()?.store.list(&filter)?)
}

#[tauri::command]
pub fn search_templates(
    state: State<'_, AppState>,
    query: String,
    limit: u32,
) -> IpcResult<Vec<SearchResult>> {
    let hits = state.0.library()?.store.search(&query, limit as usize)?;
    Ok(hits
        .into_iter()
        .map(|h| SearchResult {
            template_id: h.id,
            name: h.name,
            snippet: h.snippet,
        })
        .collect())
}
