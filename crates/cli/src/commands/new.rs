//! `ccm new ID --name NAME`: create a template — from the starter, or as a copy of another.
//!
//! ```text
//! ccm new ID --name NAME [--brand B] [--purpose transactional|marketing] [--industry I]
//!            [--locales ja,en] [--channels email,sms,push,print] [--out DIR]
//! ccm new ID --name NAME --from EXISTING_ID [--out DIR]
//! ```
//! The template is stored as version 1; an id already in the library is refused. With --out
//! the folder is also written to DIR/templates/ID/ (the layout `ccm export` writes), with the
//! shared blocks and brand kit it uses where DIR does not have them yet.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Result};
use ccm_core::library::{
    create_copy, create_from_starter, export_template, library_brand, usual_industry,
    validate_new_id, Created, StarterOptions, STARTER_LOCALES,
};
use ccm_core::model::{Channel, Purpose};
use ccm_core::store::Store;
use serde::Serialize;

use crate::context::Context;

/// Create a new template from the starter (or a copy of another with --from)
#[derive(clap::Args)]
pub struct Args {
    /// Id of the new template: lowercase letters, digits and `-` (also its folder name)
    id: String,
    /// Name shown in the library list
    #[arg(long)]
    name: String,
    /// Brand kit id [default: the library's only brand]
    #[arg(long, conflicts_with = "from")]
    brand: Option<String>,
    /// transactional | marketing
    #[arg(long, value_parser = ["transactional", "marketing"], conflicts_with = "from")]
    purpose: Option<String>,
    /// bank, insurance, telco, utility, retail … [default: that of the brand's templates]
    #[arg(long, conflicts_with = "from")]
    industry: Option<String>,
    /// Locales, the default first: ja, en or both [default: the brand's locale]
    #[arg(long, value_delimiter = ',', conflicts_with = "from")]
    locales: Vec<String>,
    /// Channels [default: email,sms,push,print]
    #[arg(long, value_delimiter = ',', conflicts_with = "from")]
    channels: Vec<Channel>,
    /// Copy this template (its latest version) instead of starting from the starter
    #[arg(long, value_name = "EXISTING_ID")]
    from: Option<String>,
    /// Also write the template to DIR/templates/ID/ (as `ccm export DIR` would), with the
    /// blocks and brand kit it uses where DIR lacks them
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Recorded as the author of version 1
    #[arg(long, default_value = "cli")]
    author: String,
}

#[derive(Serialize)]
struct Report {
    id: String,
    version: u32,
    hash: String,
    /// The template it was copied from; `None` for a starter.
    from: Option<String>,
    files: Vec<String>,
    /// The folder written with --out.
    folder: Option<String>,
    next: Vec<String>,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    let mut store = ctx.open()?;
    // Refuse a bad id or an existing folder before anything is stored.
    validate_new_id(&args.id)?;
    let folder = args
        .out
        .as_deref()
        .map(|dir| dir.join("templates").join(&args.id));
    if let Some(folder) = &folder {
        if folder.exists() {
            bail!(
                "{} already exists\n  hint: choose another --out folder, or another id",
                folder.display()
            );
        }
    }
    let created = match &args.from {
        Some(from) => create_copy(&mut store, from, &args.id, &args.name, &args.author)?,
        None => {
            let opts = starter_options(&store, &args)?;
            create_from_starter(&mut store, &opts, &args.author)?
        }
    };
    if let (Some(out), Some(folder)) = (&args.out, &folder) {
        export_template(&store, &created.files, out).map_err(|e| {
            anyhow!(
                "template {} was created in the library, but writing {} failed: {e}\n  hint: run `ccm export {}` to write it",
                created.id,
                folder.display(),
                out.display()
            )
        })?;
    }
    let report = report(
        &created,
        args.from.clone(),
        args.out.as_deref(),
        folder.as_deref(),
    );
    if ctx.json {
        ctx.print_json(&report)?;
    } else {
        print_report(&report);
    }
    Ok(ExitCode::SUCCESS)
}

/// The starter options from the arguments, with defaults taken from the library: its only
/// brand, the brand's locale, the industry of the brand's other templates.
fn starter_options(store: &Store, args: &Args) -> Result<StarterOptions> {
    let brand = match &args.brand {
        Some(b) => b.clone(),
        None => {
            let brands: Vec<String> = store.brands()?.into_iter().map(|b| b.id).collect();
            match brands.as_slice() {
                [one] => one.clone(),
                [] => bail!(
                    "the library has no brand kits\n  hint: import a project with assets/brands/ first: `ccm import DIR`"
                ),
                many => bail!(
                    "choose a brand with --brand\n  hint: the library has {}",
                    many.join(", ")
                ),
            }
        }
    };
    // An unknown brand is reported first, with the brands there are.
    let kit = library_brand(store, &brand)?.kit;
    let industry = match &args.industry {
        Some(i) => i.clone(),
        None => usual_industry(store, &brand)?.ok_or_else(|| {
            anyhow!(
                "choose an industry with --industry\n  hint: the brand `{brand}` has no templates yet to take it from; use e.g. bank, insurance, telco, utility or retail"
            )
        })?,
    };
    let locales = if args.locales.is_empty() {
        // The brand's own locale when there is starter copy in it.
        let locale = kit.default_locale;
        vec![if STARTER_LOCALES.contains(&locale.as_str()) {
            locale
        } else {
            "en".into()
        }]
    } else {
        args.locales.iter().map(|l| l.trim().to_string()).collect()
    };
    let channels = if args.channels.is_empty() {
        Channel::ALL.to_vec()
    } else {
        args.channels.clone()
    };
    let purpose = match args.purpose.as_deref() {
        Some("marketing") => Purpose::Marketing,
        _ => Purpose::Transactional,
    };
    Ok(StarterOptions {
        id: args.id.clone(),
        name: args.name.clone(),
        brand,
        purpose,
        industry,
        locales,
        channels,
    })
}

fn report(
    created: &Created,
    from: Option<String>,
    out: Option<&Path>,
    folder: Option<&Path>,
) -> Report {
    let id = &created.id;
    let mut next = vec![
        format!("ccm check {id}"),
        format!("ccm render {id} --out render/{id}"),
    ];
    match (out, folder) {
        (Some(out), Some(f)) => next.push(format!(
            "ccm watch {}  # edits saved in {}/ become new versions",
            out.display(),
            f.display()
        )),
        _ => next.push(format!(
            "ccm export DIR  # then edit DIR/templates/{id}/ and `ccm import DIR`"
        )),
    }
    Report {
        id: id.clone(),
        version: created.version,
        hash: created.hash.0.clone(),
        from,
        files: created.files.0.keys().cloned().collect(),
        folder: folder.map(|f| f.display().to_string()),
        next,
    }
}

fn print_report(r: &Report) {
    match &r.from {
        Some(from) => println!("created {} v{} as a copy of {from}", r.id, r.version),
        None => println!("created {} v{} from the starter", r.id, r.version),
    }
    for file in &r.files {
        println!("  {file}");
    }
    if let Some(folder) = &r.folder {
        println!("wrote {folder}/");
    }
    println!("next:");
    for step in &r.next {
        println!("  {step}");
    }
}
