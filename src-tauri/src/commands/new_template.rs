//! Creating templates from the app: the brands to choose from, live id checks, and the
//! create call itself (a starter or a copy). Each command is state → core → DTO/IpcError.

use ccm_core::library::{
    brand_choices, create_copy, create_from_starter, id_status, suggest_id, BrandChoice,
    StarterOptions,
};
use tauri::State;

use crate::error::IpcResult;
use crate::new_template_dto::{CreateTemplateRequest, CreatedTemplate, IdCheck, TemplateStart};
use crate::state::AppState;

/// Recorded as the author of version 1, like the app's saves.
const AUTHOR: &str = "app";

#[tauri::command]
pub fn list_brands(state: State<'_, AppState>) -> IpcResult<Vec<BrandChoice>> {
    Ok(brand_choices(&state.0.library()?.store)?)
}

#[tauri::command]
pub fn check_new_template_id(
    state: State<'_, AppState>,
    id: String,
    name: String,
) -> IpcResult<IdCheck> {
    let status = id_status(&state.0.library()?.store, &id)?;
    Ok(IdCheck {
        problem: status.problem,
        taken: status.taken,
        suggestion: suggest_id(&name),
    })
}

/// Stores the new template as version 1; a taken id is the `already_exists` error.
#[tauri::command]
pub fn create_template(
    state: State<'_, AppState>,
    request: CreateTemplateRequest,
) -> IpcResult<CreatedTemplate> {
    let store = &mut state.0.library()?.store;
    let created = match request.start {
        TemplateStart::Starter {
            brand,
            purpose,
            industry,
            locales,
            channels,
        } => {
            let opts = StarterOptions {
                id: request.id,
                name: request.name,
                brand,
                purpose,
                industry,
                locales,
                channels,
            };
            create_from_starter(store, &opts, AUTHOR)?
        }
        TemplateStart::Copy { from } => {
            create_copy(store, &from, &request.id, &request.name, AUTHOR)?
        }
    };
    Ok(CreatedTemplate {
        template_id: created.id,
        version: created.version,
        hash: created.hash.0,
    })
}
