//! CCM Studio desktop shell: a thin layer of typed commands over ccm-core and ccm-render.
//! No business logic lives here: each command takes the state, calls the core, and maps the
//! result (or the error, as `IpcError`) for the UI.

// Release builds on Windows must not open a console window next to the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod args;
mod block_dto;
mod brand_dto;
mod brand_edit_dto;
mod commands;
mod desktop;
mod desktop_dto;
mod dto;
mod error;
mod new_template_dto;
mod pack_dto;
mod review_dto;
mod samples;
mod state;
mod watch;

#[cfg(test)]
mod types_export;

use tauri::Manager;

/// The main window's minimum size (as `minWidth`/`minHeight` in tauri.conf.json).
const MIN_WINDOW: (u32, u32) = (1024, 640);

fn main() {
    match args::parse(std::env::args().skip(1)) {
        args::Invocation::Run => {}
        args::Invocation::Print(text) => {
            print!("{text}");
            return;
        }
        args::Invocation::Usage(text) => {
            eprint!("{text}");
            std::process::exit(2);
        }
    }
    // A library that cannot be used (open in another instance, made by a newer version, not a
    // library) does not stop the app: its window says so and offers another library or quit.
    // The terminal gets the same message, for people who started it from one.
    let state = state::AppState::start();
    if let Some(blocked) = state.0.blocked() {
        eprintln!(
            "CCM Studio cannot open its library {}: {}",
            blocked.path, blocked.message
        );
        if let Some(hint) = &blocked.hint {
            eprintln!("  hint: {hint}");
        }
    }
    let app = tauri::Builder::default()
        .manage(state)
        .manage(desktop::DesktopState::load())
        .setup(|app| {
            if let Some(window) = app.get_webview_window("main") {
                app.state::<desktop::DesktopState>()
                    .restore_window(&window, MIN_WINDOW);
            }
            watch::start_for_app(app.handle());
            Ok(())
        })
        .on_window_event(|window, event| {
            window
                .state::<desktop::DesktopState>()
                .on_window_event(window, event);
        })
        .invoke_handler(tauri::generate_handler![
            commands::desktop::library_status,
            commands::desktop::about_info,
            commands::desktop::last_template,
            commands::desktop::remember_template,
            commands::desktop::quit_app,
            commands::library::library_info,
            commands::library::open_library,
            commands::library::list_templates,
            commands::library::search_templates,
            commands::new_template::list_brands,
            commands::brands::brand_kits,
            commands::brands::brand_kit,
            commands::brand_edit::brand_font_choices,
            commands::brand_edit::brand_kit_preview_edit,
            commands::brand_edit::brand_kit_impact,
            commands::brand_edit::brand_kit_save,
            commands::blocks::shared_blocks,
            commands::blocks::shared_block,
            commands::new_template::check_new_template_id,
            commands::new_template::create_template,
            commands::template::get_template,
            commands::template::template_history,
            commands::template::template_diff,
            commands::template::save_template,
            commands::template::resolve_folder_conflict,
            commands::preview::preview_live,
            commands::preview::preview_page,
            commands::check::check_all,
            commands::review::identity_info,
            commands::review::create_identity,
            commands::review::review_status,
            commands::review::review_queue,
            commands::review::review_submit,
            commands::review::review_withdraw,
            commands::review::review_request_changes,
            commands::review::review_approve,
            commands::review::review_comment,
            commands::review::review_edit_comment,
            commands::review::archive_search,
            commands::review::archive_entry,
            commands::review::archive_verify,
            commands::review::archive_diff,
            commands::pack::pack_export_plan,
            commands::pack::pack_export,
        ])
        .build(tauri::generate_context!("tauri.conf.json"));
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("CCM Studio could not start its window: {e}");
            std::process::exit(1);
        }
    }
}
