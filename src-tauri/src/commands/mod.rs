//! The commands the webview may call (each also listed in build.rs and granted in
//! src-tauri/capabilities/main-window.json). Each is a few lines: state → core → DTO/IpcError.

pub mod blocks;
pub mod brand_edit;
pub mod brands;
pub mod check;
pub mod desktop;
pub mod library;
pub mod new_template;
pub mod pack;
pub mod preview;
pub mod review;
pub mod template;
