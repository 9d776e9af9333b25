//! `ccm watch DIR`: keep the library in step with a folder while it is edited.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use ccm_core::library::{import, sync, LibraryDirs};

use crate::context::Context;

/// Import DIR, then save every valid change as a new version until stopped (Ctrl-C)
#[derive(clap::Args)]
pub struct Args {
    /// A project folder holding templates/ and assets/, or a templates folder
    dir: PathBuf,
    /// Assets folder with brands/ [default: assets/ beside the templates folder]
    #[arg(long, value_name = "DIR")]
    assets: Option<PathBuf>,
    /// Recorded as the author of the new versions
    #[arg(long, default_value = "watch")]
    author: String,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let dirs = LibraryDirs::resolve(&args.dir, args.assets.as_deref());
    let library = ctx.library_path()?;
    let mut store = ctx.open_or_create()?;
    let report = import(&mut store, &dirs, &args.author)?;
    drop(store);
    let json = ctx.json;
    if json {
        println!(
            "{}",
            serde_json::json!({ "event": "imported", "report": report })
        );
    } else {
        println!(
            "imported {}: {} new versions, {} problems",
            dirs.templates.display(),
            report.created.len(),
            report.problems.len()
        );
        for problem in &report.problems {
            println!("{problem}");
        }
    }
    let _sync = sync::start(&library, &dirs, &args.author, move |event| {
        if json {
            println!("{}", serde_json::to_string(&event).unwrap_or_default());
        } else {
            println!("{event}");
        }
    })?;
    if !json {
        println!("watching {} (Ctrl-C stops)", dirs.templates.display());
    }
    loop {
        // Every change is its own transaction, so stopping at any moment is safe.
        std::thread::park();
    }
}
