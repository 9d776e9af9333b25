//! Exporting a signed pack from the app: what the selection would hold (and what is left out,
//! and why) before anything is written, then the export itself off the main thread, with its
//! progress streamed to the dialog. Everything is `ccm_pack`'s; this file reshapes.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ccm_core::identity::Role;
use ccm_core::store::Store;
use ccm_pack::{Exporter, Progress, Selection};
use tauri::ipc::Channel;
use tauri::State;

use super::review::{load_identity, require_identity, rules, team_role};
use crate::error::{IpcError, IpcResult};
use crate::pack_dto::{
    PackExportedView, PackLayout, PackPlanView, PackProgressView, PackSelectionInput, PackStage,
};
use crate::state::{AppState, Shared};

/// Which templates an export of `selection` would hold and which it leaves out, and whether
/// this computer's identity may export at all.
#[tauri::command]
pub async fn pack_export_plan(
    state: State<'_, AppState>,
    selection: PackSelectionInput,
) -> IpcResult<PackPlanView> {
    let shared = state.0.clone();
    blocking(move || {
        let identity = load_identity()?;
        let lib = shared.library()?;
        let plan = ccm_pack::plan(&lib.store, rules(&shared)?, &Selection::from(selection))?;
        let can_export = match &identity {
            Some(id) => team_role(&lib.store, id)? == Some(Role::Brand),
            None => false,
        };
        let suggested = suggested_path(&plan.brand);
        Ok(PackPlanView::of(plan, can_export, suggested))
    })
    .await
}

/// Exports the selection to `out` (and `out.minisig`), signed with this computer's key.
/// Progress arrives on `on_progress`; the library stays usable meanwhile (the export reads
/// through connections of its own).
#[tauri::command]
pub async fn pack_export(
    state: State<'_, AppState>,
    selection: PackSelectionInput,
    out: String,
    layout: PackLayout,
    on_progress: Channel<PackProgressView>,
) -> IpcResult<PackExportedView> {
    let shared = state.0.clone();
    blocking(move || export(&shared, selection, out, layout, &on_progress)).await
}

fn export(
    shared: &Shared,
    selection: PackSelectionInput,
    out: String,
    layout: PackLayout,
    on_progress: &Channel<PackProgressView>,
) -> IpcResult<PackExportedView> {
    let out = PathBuf::from(out.trim());
    if out.as_os_str().is_empty() || out.is_dir() {
        return Err(IpcError::new(
            ccm_core::diagnostic::codes::INVALID_INPUT,
            format!(
                "`{}` is not a file to write the pack to: give a file name such as sakura-bank.ccmpack",
                out.display()
            ),
        ));
    }
    let identity = require_identity()?;
    let path = shared.library()?.path.clone();
    let store = Store::open(&path)?;
    let exporter = Exporter {
        identity: &identity,
        rules: rules(shared)?,
        engine: &shared.engine,
        layout: layout.into(),
    };
    let mut pace = Pace::default();
    let exported = ccm_pack::export(&store, &exporter, &Selection::from(selection), &out, |p| {
        if pace.due(p) {
            // A closed dialog drops the channel; the export still finishes.
            let _ = on_progress.send(p.into());
        }
    })?;
    Ok(exported.into())
}

/// Sends at most one progress event per 50 ms within a stage (a large pack has tens of
/// thousands of entries), but always the first and last of each stage.
#[derive(Default)]
struct Pace {
    last: Option<(PackStage, Instant)>,
}

impl Pace {
    fn due(&mut self, p: Progress) -> bool {
        let view = PackProgressView::from(p);
        let now = Instant::now();
        let due = match self.last {
            Some((stage, at)) if stage == view.stage && view.done < view.total => {
                now.duration_since(at) >= Duration::from_millis(50)
            }
            _ => true,
        };
        if due {
            self.last = Some((view.stage, now));
        }
        due
    }
}

/// `<Documents>/<brand>.ccmpack` (the home folder when there is no Documents folder).
fn suggested_path(brand: &str) -> String {
    let dir = directories::UserDirs::new()
        .map(|u| {
            u.document_dir()
                .map(PathBuf::from)
                .unwrap_or_else(|| u.home_dir().to_owned())
        })
        .unwrap_or_else(std::env::temp_dir);
    let name = if brand.is_empty() { "pack" } else { brand };
    dir.join(format!("{name}.ccmpack")).display().to_string()
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> IpcResult<T> + Send + 'static,
) -> IpcResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| IpcError::internal(format!("the pack export worker stopped: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pace_keeps_the_first_and_last_event_of_each_stage() {
        let mut pace = Pace::default();
        let write = |done| Progress::Write { done, total: 1000 };
        assert!(pace.due(Progress::Collect { done: 1, total: 2 }));
        assert!(
            pace.due(Progress::Collect { done: 2, total: 2 }),
            "last of a stage"
        );
        assert!(pace.due(write(1)), "first of a new stage");
        let sent = (2..1000).filter(|&d| pace.due(write(d))).count();
        assert!(sent < 998, "events within a stage are thinned out");
        assert!(pace.due(write(1000)), "last of a stage");
        assert!(pace.due(Progress::Sign));
    }

    #[test]
    fn suggested_path_is_the_brand_pack_file() {
        assert!(suggested_path("sakura-bank").ends_with("sakura-bank.ccmpack"));
        assert!(suggested_path("").ends_with("pack.ccmpack"));
    }
}
