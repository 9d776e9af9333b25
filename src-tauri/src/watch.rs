//! Keeps the library in step with a folder edited in other editors (ccm-core's watch sync) and
//! tells the UI about every change as a `library-event`. The watched folder is `CCM_WATCH`
//! (`off` disables), else the `CCM_SAMPLES` folder the library was filled from; the bundled
//! samples of an installed app have no folder, so nothing is watched then.

use std::path::PathBuf;

use ccm_core::library::sync::{self, SyncEvent};
use ccm_core::library::LibraryDirs;
use tauri::{AppHandle, Emitter, Manager};

use crate::dto::LibraryEvent;
use crate::samples;
use crate::state::AppState;

pub const EVENT: &str = "library-event";

/// Which folder to watch, if any.
fn watch_dirs() -> Option<LibraryDirs> {
    match std::env::var_os("CCM_WATCH") {
        Some(v) if v == "off" || v.is_empty() => None,
        Some(v) => Some(LibraryDirs::resolve(&PathBuf::from(v), None)),
        None => samples::sample_dirs(),
    }
}

/// Starts (or restarts, after the library changed) the watch for the open library.
pub fn start_for_app(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Some(dirs) = watch_dirs() else {
        state.0.set_watch(None);
        return;
    };
    let Ok(library) = state.0.library().map(|l| l.path.clone()) else {
        return;
    };
    let handle = app.clone();
    let started = sync::start(&library, &dirs, "watch", move |event| {
        if let Some(e) = to_ui_event(event) {
            // The UI may be gone while the app quits; nothing to do then.
            let _ = handle.emit(EVENT, e);
        }
    });
    match started {
        Ok(running) => state.0.set_watch(Some((dirs.templates, running))),
        Err(e) => {
            state.0.set_watch(None);
            eprintln!("CCM Studio: not watching {}: {e}", dirs.templates.display());
        }
    }
}

fn to_ui_event(event: SyncEvent) -> Option<LibraryEvent> {
    match event {
        // `Unchanged`: valid again with the stored content. The UI clears the template's watch
        // problems; an editor already on this version ignores it (same hash).
        SyncEvent::Saved {
            template_id,
            version,
            hash,
        }
        | SyncEvent::Merged {
            template_id,
            version,
            hash,
            ..
        }
        | SyncEvent::Unchanged {
            template_id,
            version,
            hash,
        } => Some(LibraryEvent::TemplateChanged {
            template_id,
            version,
            hash: hash.0,
        }),
        SyncEvent::Invalid { problems, .. } => Some(LibraryEvent::WatchProblem { problems }),
        SyncEvent::Problem(p) => Some(LibraryEvent::WatchProblem { problems: vec![*p] }),
        SyncEvent::BlocksSaved { blocks } => Some(LibraryEvent::BlocksChanged { blocks }),
        SyncEvent::BrandSaved { brand_id, version } => {
            Some(LibraryEvent::BrandChanged { brand_id, version })
        }
        SyncEvent::Conflict {
            template_id,
            library_version,
            files,
        } => Some(LibraryEvent::WatchConflict {
            template_id,
            library_version,
            files,
        }),
        SyncEvent::Removed { .. } => None,
    }
}

/// Tells every window about a change the app made itself (e.g. a resolved conflict), as the
/// watcher does for changes it makes.
pub fn announce(app: &AppHandle, event: SyncEvent) {
    if let Some(e) = to_ui_event(event) {
        let _ = app.emit(EVENT, e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccm_core::model::ContentHash;

    #[test]
    fn a_saved_template_becomes_a_template_changed_event() {
        let e = to_ui_event(SyncEvent::Saved {
            template_id: "t".into(),
            version: 3,
            hash: ContentHash("ab".into()),
        })
        .unwrap();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "template_changed", "template_id": "t", "version": 3, "hash": "ab"})
        );
    }

    #[test]
    fn a_brand_kit_saved_in_the_folder_tells_open_previews_to_render_again() {
        let e = to_ui_event(SyncEvent::BrandSaved {
            brand_id: "sakura-bank".into(),
            version: 2,
        })
        .unwrap();
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"kind": "brand_changed", "brand_id": "sakura-bank", "version": 2})
        );
    }

    #[test]
    fn an_invalid_folder_becomes_a_problem_with_file_and_line() {
        let e = to_ui_event(SyncEvent::Invalid {
            template_id: "t".into(),
            kept_version: Some(2),
            problems: vec![ccm_core::diagnostic::Diagnostic::format(
                &ccm_core::format::FormatError::new("t/sms.txt", "bad", "fix").at(4, 2),
            )],
        });
        let Some(LibraryEvent::WatchProblem { problems }) = e else {
            panic!("expected a watch problem, got {e:?}");
        };
        assert_eq!(
            (problems[0].file.as_deref(), problems[0].line),
            (Some("t/sms.txt"), Some(4))
        );
    }
}
