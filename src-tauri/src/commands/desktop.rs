//! What an installed desktop app answers besides templates: whether the library could be
//! opened (and why not), About, the template to reopen, and quitting.

use tauri::{AppHandle, State};

use crate::desktop::DesktopState;
use crate::desktop_dto::{AboutInfo, LibraryStatus};
use crate::error::IpcResult;
use crate::state::AppState;

#[tauri::command]
pub fn library_status(state: State<'_, AppState>) -> LibraryStatus {
    match state.0.blocked() {
        Some(blocked) => LibraryStatus::Blocked { blocked },
        None => LibraryStatus::Ready,
    }
}

#[tauri::command]
pub fn about_info() -> AboutInfo {
    AboutInfo::of_this_build()
}

/// The template that was open when the app last ran on the open library.
#[tauri::command]
pub fn last_template(
    state: State<'_, AppState>,
    desktop: State<'_, DesktopState>,
) -> IpcResult<Option<String>> {
    let path = state.0.library()?.path.clone();
    Ok(desktop.last_template(&path))
}

/// Remembers the open template (`None`: the library list) for the next start.
#[tauri::command]
pub fn remember_template(
    state: State<'_, AppState>,
    desktop: State<'_, DesktopState>,
    id: Option<String>,
) -> IpcResult<()> {
    let path = state.0.library()?.path.clone();
    desktop.remember_template(&path, id.as_deref());
    Ok(())
}

#[tauri::command]
pub fn quit_app(app: AppHandle) {
    app.exit(0);
}
