//! The shared blocks as a team reviews them: every block with its language variants and the
//! templates that include it — what a change to the block would touch.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::format::find_includes;
use crate::model::{Block, TemplateSummary};
use crate::store::{ListFilter, Store};

/// One block name with all its variants.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockOverview {
    pub name: String,
    /// `None` first (the language-neutral variant), then by locale.
    pub locales: Vec<Option<String>>,
    /// Ids of the templates whose latest version includes the block, sorted.
    pub used_by: Vec<String>,
}

/// One block with its text per variant and the templates including it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockImpact {
    pub name: String,
    pub variants: Vec<Block>,
    pub templates: Vec<TemplateSummary>,
}

/// Every block in the library, by name.
pub fn block_overviews(store: &Store) -> Result<Vec<BlockOverview>> {
    let usage = block_usage(store)?;
    let mut by_name: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    for block in store.blocks()? {
        by_name.entry(block.name).or_default().push(block.locale);
    }
    Ok(by_name
        .into_iter()
        .map(|(name, mut locales)| {
            locales.sort();
            let used_by = usage
                .get(&name)
                .map(|ids| ids.iter().cloned().collect())
                .unwrap_or_default();
            BlockOverview {
                name,
                locales,
                used_by,
            }
        })
        .collect())
}

/// The block `name` with its variants and the templates including it; an unknown name is
/// [`Error::NotFound`].
pub fn block_impact(store: &Store, name: &str) -> Result<BlockImpact> {
    let variants: Vec<Block> = store
        .blocks()?
        .into_iter()
        .filter(|b| b.name == name)
        .collect();
    if variants.is_empty() {
        return Err(Error::NotFound {
            what: "block",
            id: name.to_owned(),
        });
    }
    let users = block_usage(store)?.remove(name).unwrap_or_default();
    let templates = store
        .list(&ListFilter::default())?
        .into_iter()
        .filter(|t| users.contains(&t.id))
        .collect();
    Ok(BlockImpact {
        name: name.to_owned(),
        variants,
        templates,
    })
}

/// Block name → ids of the templates whose latest version includes it, directly (in any file)
/// or through another block that includes it.
fn block_usage(store: &Store) -> Result<BTreeMap<String, BTreeSet<String>>> {
    let mut usage: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (id, files) in store.latest_files()? {
        for text in files.0.values() {
            for include in find_includes(text) {
                if let Some(block) = include.block_name() {
                    usage
                        .entry(block.to_owned())
                        .or_default()
                        .insert(id.clone());
                }
            }
        }
    }
    // Block → the blocks it includes; a template using the outer one uses the inner ones too.
    let mut nested: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for block in store.blocks()? {
        for include in find_includes(&block.content) {
            if let Some(inner) = include.block_name() {
                nested
                    .entry(block.name.clone())
                    .or_default()
                    .insert(inner.to_owned());
            }
        }
    }
    // Propagate until nothing changes (include cycles are refused at import; the bound is a
    // guard all the same).
    for _ in 0..=nested.len() {
        let mut changed = false;
        for (outer, inners) in &nested {
            let users = usage.get(outer).cloned().unwrap_or_default();
            for inner in inners {
                let entry = usage.entry(inner.clone()).or_default();
                let before = entry.len();
                entry.extend(users.iter().cloned());
                changed |= entry.len() != before;
            }
        }
        if !changed {
            break;
        }
    }
    Ok(usage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{generate_library, import, LibraryDirs};

    #[test]
    fn blocks_list_their_locales_and_the_templates_including_them() {
        let dir = tempfile::tempdir().unwrap();
        generate_library(dir.path(), 3).unwrap();
        let mut store = Store::in_memory().unwrap();
        import(&mut store, &LibraryDirs::resolve(dir.path(), None), "test").unwrap();
        let overviews = block_overviews(&store).unwrap();
        let footer = overviews
            .iter()
            .find(|b| b.name == "legal-footer")
            .expect("the generated library has a legal footer");
        assert!(footer.locales.iter().any(|l| l.as_deref() == Some("ja")));
        assert!(!footer.used_by.is_empty(), "{footer:?}");

        let impact = block_impact(&store, "legal-footer").unwrap();
        assert_eq!(impact.templates.len(), footer.used_by.len());
        assert!(impact.variants.iter().all(|v| v.name == "legal-footer"));
        let err = block_impact(&store, "nope").unwrap_err();
        assert_eq!(err.code(), "not_found");
    }
}
