//! The shapes that cross IPC for the Blocks view (shared blocks, read-only) — reshaped from
//! what the core decided: a block's variants and the templates that include it.

use ccm_core::library::{BlockImpact, BlockOverview};
use ccm_core::model::TemplateSummary;
use serde::Serialize;

/// One shared block in the list: its languages and how many templates include it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BlockSummary {
    pub name: String,
    /// Locales of its variants; `null` is the language-neutral one.
    pub locales: Vec<Option<String>>,
    pub templates: u32,
}

impl From<BlockOverview> for BlockSummary {
    fn from(b: BlockOverview) -> Self {
        BlockSummary {
            name: b.name,
            locales: b.locales,
            templates: u32::try_from(b.used_by.len()).unwrap_or(u32::MAX),
        }
    }
}

/// One shared block in full.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BlockDetail {
    pub name: String,
    pub variants: Vec<BlockVariant>,
    /// Every template a change to the block touches (including through other blocks).
    pub templates: Vec<TemplateSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BlockVariant {
    pub locale: Option<String>,
    /// `templates/_blocks/<name>[.<locale>].md`.
    pub file: String,
    pub content: String,
    pub hash: String,
}

impl From<BlockImpact> for BlockDetail {
    fn from(b: BlockImpact) -> Self {
        BlockDetail {
            variants: b
                .variants
                .into_iter()
                .map(|v| BlockVariant {
                    file: format!(
                        "templates/_blocks/{}",
                        ccm_core::format::block_file_name(&v.name, v.locale.as_deref())
                    ),
                    locale: v.locale,
                    content: v.content,
                    hash: v.hash.0,
                })
                .collect(),
            name: b.name,
            templates: b.templates,
        }
    }
}
