//! The Blocks view (shared blocks, read-only): each command is state → core → DTO/IpcError.

use ccm_core::library::{block_impact, block_overviews};
use tauri::State;

use crate::block_dto::{BlockDetail, BlockSummary};
use crate::error::IpcResult;
use crate::state::AppState;

/// Every shared block with its languages and how many templates include it.
#[tauri::command]
pub fn shared_blocks(state: State<'_, AppState>) -> IpcResult<Vec<BlockSummary>> {
    let blocks = block_overviews(&state.0.library()?.store)?;
    Ok(blocks.into_iter().map(BlockSummary::from).collect())
}

/// One block in full; an unknown name is the `not_found` error.
#[tauri::command]
pub fn shared_block(state: State<'_, AppState>, name: String) -> IpcResult<BlockDetail> {
    Ok(block_impact(&state.0.library()?.store, &name)?.into())
}
