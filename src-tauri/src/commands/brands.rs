//! The Brands view (read-only brand kits) and the logos of the library list. Each command is
//! state → core (and the rules engine's contrast table) → DTO/IpcError.
//!
//! `list_brands` (new_template.rs) stays the new-template dialog's list: it carries what the
//! dialog preselects per brand, not logos or colours.

use ccm_core::library::{brand_impact, brand_overviews};
use ccm_rules::brand_contrast::brand_contrast_table;
use tauri::State;

use crate::brand_dto::{BrandKitDetail, BrandKitSummary};
use crate::error::IpcResult;
use crate::state::AppState;

/// Every brand kit with its logo thumbnail, swatches and how many templates use it.
#[tauri::command]
pub fn brand_kits(state: State<'_, AppState>) -> IpcResult<Vec<BrandKitSummary>> {
    let overviews = brand_overviews(&state.0.library()?.store)?;
    Ok(overviews.into_iter().map(BrandKitSummary::from).collect())
}

/// One kit in full; an unknown id is the `not_found` error.
#[tauri::command]
pub fn brand_kit(state: State<'_, AppState>, id: String) -> IpcResult<BrandKitDetail> {
    let impact = brand_impact(&state.0.library()?.store, &id)?;
    let contrast = brand_contrast_table(&impact.overview.kit.colors);
    Ok(BrandKitDetail::new(impact, contrast))
}
