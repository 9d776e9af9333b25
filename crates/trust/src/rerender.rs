//! `archive verify --rerender`: renders each archived approval again with today's build, from
//! the archived inputs (the template version, the block and brand-kit versions it was approved
//! with, the date it was rendered for), and compares bytes. This is what "the same template +
//! data + brand gives byte-identical renditions" means years later.

use std::collections::BTreeMap;

use ccm_core::model::{Block, TemplateBundle};
use ccm_core::store::Store;
use ccm_render::Engine;
use ccm_rules::RuleSet;
use rayon::prelude::*;
use serde::Serialize;

use crate::archive::parse;
use crate::entry::Kind;
use crate::error::{Result, TrustError};
use crate::manifest::{self, Manifest};
use crate::review::manifest_of;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rerendered {
    pub seq: u64,
    pub template_id: String,
    pub version: u32,
    pub renditions: u32,
    /// Paths (`ja/customer-a/print.pdf`) whose bytes differ today, or that are missing/new.
    pub differ: Vec<String>,
    /// Set when the archived inputs could not be rebuilt (e.g. a block version is gone).
    pub error: Option<String>,
}

/// Stack of each re-render thread (the size of a main thread's default stack on Linux, twice).
const RENDER_STACK_BYTES: usize = 16 * 1024 * 1024;

/// The bundle exactly as approved: template version, blocks and brand kit by their digests.
pub fn archived_bundle(store: &Store, m: &Manifest) -> Result<TemplateBundle> {
    let t = &m.inputs.template;
    let mut bundle = store.bundle(&t.id, Some(t.version))?;
    if bundle.hash.0 != t.hash {
        return Err(TrustError::Damaged {
            what: format!("{}@v{}", t.id, t.version),
            detail: "the stored version no longer has the approved hash".to_owned(),
        });
    }
    let mut blocks: Vec<Block> = Vec::new();
    for b in &m.inputs.blocks {
        let found = store
            .block_by_hash(&b.name, &b.locale, &b.sha256)?
            .ok_or_else(|| TrustError::Damaged {
                what: format!("block {} ({})", b.name, b.locale),
                detail: "the approved version of this block is not in the library".to_owned(),
            })?;
        blocks.push(found);
    }
    // Blocks the template did not include stay as they are: they cannot change its output.
    let used: std::collections::BTreeSet<(String, String)> = blocks
        .iter()
        .map(|b| (b.name.clone(), b.locale.clone().unwrap_or_default()))
        .collect();
    bundle
        .blocks
        .retain(|b| !used.contains(&(b.name.clone(), b.locale.clone().unwrap_or_default())));
    bundle.blocks.extend(blocks);
    bundle
        .blocks
        .sort_by(|a, b| (&a.name, &a.locale).cmp(&(&b.name, &b.locale)));
    bundle.brand = store.brand_at(&t.brand, m.inputs.brand_version)?;
    Ok(bundle)
}

/// Re-renders every approval (or those of `template`) and compares.
pub fn rerender_all(
    store: &Store,
    engine: &Engine,
    rules: &RuleSet,
    template: Option<&str>,
) -> Result<Vec<Rerendered>> {
    let rows = match template {
        Some(t) => store.archive_rows_for(t)?,
        None => store.archive_rows()?,
    };
    // Reading the library is sequential (one connection); rendering is the cost and runs on
    // every core, each approval on its own.
    let mut jobs = Vec::new();
    for row in rows.iter().filter(|r| r.kind == Kind::Approve.as_str()) {
        let entry = parse(row)?;
        let m = manifest_of(store, &entry)?;
        let bundle = archived_bundle(store, &m);
        jobs.push((entry, m, bundle));
    }
    // Rendering (Tera, Markdown, Typst) recurses deeply; rayon's default 2 MiB worker stacks
    // overflow on real templates, so the re-render runs on its own pool with main-thread-sized
    // stacks.
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(RENDER_STACK_BYTES)
        .build()
        .map_err(|e| TrustError::Damaged {
            what: "re-render".to_owned(),
            detail: format!("cannot start render threads: {e}"),
        })?;
    Ok(pool.install(|| {
        jobs.into_par_iter()
            .map(|(entry, m, bundle)| {
                let mut result = Rerendered {
                    seq: entry.seq,
                    template_id: entry.template.id.clone(),
                    version: entry.template.version,
                    renditions: m.renditions.len() as u32,
                    differ: Vec::new(),
                    error: None,
                };
                match bundle.and_then(|b| rerender_one(&b, engine, rules, &m)) {
                    Ok(differ) => result.differ = differ,
                    Err(e) => result.error = Some(e.to_string()),
                }
                result
            })
            .collect()
    }))
}

fn rerender_one(
    bundle: &TemplateBundle,
    engine: &Engine,
    rules: &RuleSet,
    m: &Manifest,
) -> Result<Vec<String>> {
    let today =
        ccm_render::filters::parse_date(&m.rendered_for).ok_or_else(|| TrustError::Damaged {
            what: "manifest".to_owned(),
            detail: format!("rendered_for `{}` is not a date", m.rendered_for),
        })?;
    let again = manifest::render(engine, rules, bundle, m.inputs.brand_version, today)?;
    let before: BTreeMap<String, &str> = m
        .renditions
        .iter()
        .map(|r| (r.path(), r.sha256.as_str()))
        .collect();
    let after: BTreeMap<String, &str> = again
        .manifest
        .renditions
        .iter()
        .map(|r| (r.path(), r.sha256.as_str()))
        .collect();
    let mut differ: Vec<String> = before
        .iter()
        .filter(|(p, h)| after.get(*p) != Some(*h))
        .map(|(p, _)| p.clone())
        .collect();
    differ.extend(after.keys().filter(|p| !before.contains_key(*p)).cloned());
    Ok(differ)
}
