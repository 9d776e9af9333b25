//! What saving a new brand-kit version would do to approved work, shown before the save: every
//! approval it makes stale ([`crate::impact::would_make_stale`]) and, for each of those
//! templates, which channels' renditions change — the template's default persona in its default
//! locale rendered with the kit as it is and as it would be, compared file by file.

use std::collections::BTreeMap;

use ccm_core::model::{Brand, Channel};
use ccm_core::store::Store;
use ccm_render::draft::default_persona;
use ccm_render::{render_all, Engine, RenderOptions};
use ccm_rules::RuleSet;
use serde::Serialize;
use time::Date;

use crate::error::Result;
use crate::impact::{would_make_stale, Change};
use crate::inputs::StaleReason;

/// One approved template a kit change makes stale, and how its renditions change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KitChangeImpact {
    pub template_id: String,
    pub name: String,
    /// The approved version.
    pub version: u32,
    pub approved_by: String,
    pub reasons: Vec<StaleReason>,
    /// What was rendered to compare: the default persona in the default locale.
    pub persona: String,
    pub locale: String,
    /// The four channels in their usual order.
    pub channels: Vec<ChannelChange>,
}

/// One channel of one template, before and after the kit change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChannelChange {
    pub channel: Channel,
    pub state: ChannelState,
    /// The rendition files whose bytes differ (`email.html`, `print.pdf`, …).
    pub files: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ChannelState {
    /// What recipients get changes.
    Changed,
    /// Byte-identical with the new kit.
    Unchanged,
    /// The template has no content for the channel (or it renders with neither kit).
    Absent,
}

/// The approved templates `brand` (a new version of a kit in the library) makes stale, each with
/// its channels compared. `today` is the date both renders are made for.
pub fn brand_change_impact(
    store: &Store,
    engine: &Engine,
    rules: &RuleSet,
    brand: &Brand,
    today: Date,
) -> Result<Vec<KitChangeImpact>> {
    let affected = would_make_stale(store, rules, &Change::Brands(std::slice::from_ref(brand)))?;
    let mut opts = RenderOptions::new(today);
    // Page images add nothing the PDF bytes do not already tell.
    opts.png_dpi = None;
    let mut out = Vec::new();
    for a in affected {
        let before = store.bundle(&a.template_id, None)?;
        let mut after = before.clone();
        after.brand = brand.clone();
        let manifest = &before.source.manifest;
        let persona = default_persona(&before.source.personas).unwrap_or_default();
        let locale = manifest.default_locale.clone();
        let old = files_by_channel(&render_all(engine, &before, &persona, &locale, &opts));
        let new = files_by_channel(&render_all(engine, &after, &persona, &locale, &opts));
        let channels = Channel::ALL
            .iter()
            .map(|c| compare(*c, old.get(c), new.get(c)))
            .collect();
        out.push(KitChangeImpact {
            template_id: a.template_id,
            name: manifest.name.clone(),
            version: a.version,
            approved_by: a.approved_by,
            reasons: a.reasons,
            persona,
            locale,
            channels,
        });
    }
    Ok(out)
}

type Files = BTreeMap<String, Vec<u8>>;

fn files_by_channel(set: &ccm_render::RenderSet) -> BTreeMap<Channel, Files> {
    set.outputs
        .iter()
        .filter_map(|o| {
            let r = o.rendition.as_ref()?;
            let files = r
                .artifacts()
                .into_iter()
                .map(|a| (a.name, a.bytes))
                .collect();
            Some((o.channel, files))
        })
        .collect()
}

fn compare(channel: Channel, old: Option<&Files>, new: Option<&Files>) -> ChannelChange {
    let empty = Files::new();
    let (state, files) = match (old, new) {
        (None, None) => (ChannelState::Absent, Vec::new()),
        (o, n) => {
            let (o, n) = (o.unwrap_or(&empty), n.unwrap_or(&empty));
            let mut names: Vec<String> = o.keys().chain(n.keys()).cloned().collect();
            names.sort();
            names.dedup();
            names.retain(|name| o.get(name) != n.get(name));
            let state = if names.is_empty() {
                ChannelState::Unchanged
            } else {
                ChannelState::Changed
            };
            (state, names)
        }
    };
    ChannelChange {
        channel,
        state,
        files,
    }
}
