//! What every command needs: where the library is, and how to print.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Result};
use ccm_core::identity::current_key;
use ccm_core::store::{default_library_path, Store};
use serde::Serialize;

pub struct Context {
    library: Option<PathBuf>,
    pub json: bool,
}

impl Context {
    pub fn new(library: Option<PathBuf>, json: bool) -> Self {
        Context { library, json }
    }

    /// `--library`, else `CCM_LIBRARY` (clap reads both), else the platform data folder.
    pub fn library_path(&self) -> Result<PathBuf> {
        match &self.library {
            Some(path) => Ok(path.clone()),
            None => default_library_path().ok_or_else(|| {
                anyhow!(
                    "no home folder to keep the library in; pass --library PATH or set CCM_LIBRARY"
                )
            }),
        }
    }

    /// The existing library; a missing one is an error telling how to create it.
    pub fn open(&self) -> Result<Store> {
        Ok(with_identity(Store::open(&self.library_path()?)?))
    }

    pub fn open_or_create(&self) -> Result<Store> {
        Ok(with_identity(Store::open_or_create(&self.library_path()?)?))
    }

    pub fn print_json(&self, value: &impl Serialize) -> Result<()> {
        println!("{}", serde_json::to_string_pretty(value)?);
        Ok(())
    }

    /// `error: …` and a hint on stderr (plus a JSON error object on stdout with `--json`).
    pub fn report_error(&self, error: &anyhow::Error) -> ExitCode {
        let (code, hint) = match error.downcast_ref::<ccm_core::Error>() {
            Some(e) => (e.code(), e.hint()),
            None => ("error", String::new()),
        };
        let message = format!("{error:#}");
        // Format errors carry their own hint line; do not print it twice.
        let already_hinted = message.contains("\n  hint: ");
        eprintln!("error: {message}");
        if !hint.is_empty() && !already_hinted {
            eprintln!("  hint: {hint}");
        }
        if self.json {
            let value = serde_json::json!({
                "error": { "code": code, "message": message, "hint": hint }
            });
            println!("{value:#}");
        }
        ExitCode::FAILURE
    }
}

/// Versions stored through `store` record this machine's identity (`ccm id init`), if any.
fn with_identity(mut store: Store) -> Store {
    store.set_author_key(current_key());
    store
}
