//! "What does this change make stale?" — asked before a shared block, a brand kit or the rule
//! packs change, so the person making the change sees every approved template it affects (and
//! in which way) and confirms, instead of finding out later. No rival marks approvals stale on
//! a shared change; listing them first is the all-or-nothing behaviour compliance expects.

use ccm_core::model::{Block, Brand};
use ccm_core::store::Store;
use ccm_rules::RuleSet;
use serde::Serialize;

use crate::error::Result;
use crate::inputs::{Inputs, StaleReason};
use crate::review::{self, manifest_of, State};

/// A proposed change to something templates share.
pub enum Change<'a> {
    /// New content for these blocks (name + locale identify each).
    Blocks(&'a [Block]),
    /// New versions of these brand kits.
    Brands(&'a [Brand]),
    /// Another set of rule packs.
    Rules(&'a RuleSet),
}

/// An approved template the change would make stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Affected {
    pub template_id: String,
    pub version: u32,
    pub approved_by: String,
    pub reasons: Vec<StaleReason>,
}

/// Every currently approved (not yet stale) template that `change` would make stale.
pub fn would_make_stale(
    store: &Store,
    rules: &RuleSet,
    change: &Change<'_>,
) -> Result<Vec<Affected>> {
    let mut out = Vec::new();
    for t in store.list(&Default::default())? {
        let st = review::status(store, rules, &t.id)?;
        if st.state != State::Approved {
            continue;
        }
        let Some(approval) = &st.last_approval else {
            continue;
        };
        let row = store.archive_row(approval.seq)?;
        let Some(row) = row else { continue };
        let entry = crate::archive::parse(&row)?;
        let approved = manifest_of(store, &entry)?.inputs;
        let mut bundle = store.bundle(&t.id, None)?;
        let mut brand_version = store
            .brand_latest(&bundle.source.manifest.brand)?
            .map_or(0, |(v, _)| v);
        let mut rules_now = rules;
        match change {
            Change::Blocks(blocks) => {
                for b in *blocks {
                    bundle
                        .blocks
                        .retain(|x| !(x.name == b.name && x.locale == b.locale));
                    bundle.blocks.push(b.clone());
                }
            }
            Change::Brands(brands) => {
                if let Some(b) = brands
                    .iter()
                    .find(|b| b.kit.id == bundle.source.manifest.brand)
                {
                    if b.files != bundle.brand.files {
                        bundle.brand = b.clone();
                        brand_version += 1;
                    }
                }
            }
            Change::Rules(r) => rules_now = r,
        }
        let reasons = approved.stale_reasons(&Inputs::collect(&bundle, brand_version, rules_now));
        if !reasons.is_empty() {
            out.push(Affected {
                template_id: t.id.clone(),
                version: approval.version,
                approved_by: approval.by.clone(),
                reasons,
            });
        }
    }
    Ok(out)
}
