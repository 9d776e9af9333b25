// The app package's manifest is the workspace root Cargo.toml (see its first comment), so the
// build script runs with the repository root as its directory: tauri.conf.json is right there
// and the capabilities live in src-tauri/capabilities/.
const COMMANDS: &[&str] = &[
    "library_info",
    "open_library",
    "list_templates",
    "search_templates",
    "list_brands",
    "brand_kits",
    "brand_kit",
    "brand_font_choices",
    "brand_kit_preview_edit",
    "brand_kit_impact",
    "brand_kit_save",
    "shared_blocks",
    "shared_block",
    "check_new_template_id",
    "create_template",
    "get_template",
    "template_history",
    "template_diff",
    "save_template",
    "resolve_folder_conflict",
    "preview_live",
    "preview_page",
    "check_all",
    "library_status",
    "about_info",
    "last_template",
    "remember_template",
    "quit_app",
    "identity_info",
    "create_identity",
    "review_status",
    "review_queue",
    "review_submit",
    "review_withdraw",
    "review_request_changes",
    "review_approve",
    "review_comment",
    "review_edit_comment",
    "archive_search",
    "archive_entry",
    "archive_verify",
    "archive_diff",
    "pack_export_plan",
    "pack_export",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new()
        .config_path("./tauri.conf.json")
        .capabilities_path_pattern("./src-tauri/capabilities/**/*.json")
        // Listing the commands makes each one a permission (`allow-<command>`) that a
        // capability must grant: nothing is callable from the webview unless listed there.
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("tauri build script failed");
}
