//! The brand kits as a brand team reviews them: every kit with its logo thumbnail and how many
//! templates use it ([`brand_overviews`]), and for one kit its version history and every
//! template a change to it would touch ([`brand_impact`]).

use crate::error::{Error, Result};
use crate::model::{brand_asset_path, BrandKit, ContentHash, TemplateSummary};
use crate::store::{BrandVersionMeta, ListFilter, Store};

/// One brand kit at its latest version.
#[derive(Debug, Clone, PartialEq)]
pub struct BrandOverview {
    pub kit: BrandKit,
    pub version: u32,
    pub hash: ContentHash,
    /// RFC 3339 UTC.
    pub updated_at: String,
    /// The PNG thumbnail kept for the library view; `None` when the logo could not be read at
    /// import (the import reported it then).
    pub logo_thumbnail: Option<Vec<u8>>,
    /// Templates whose latest version names this kit.
    pub templates: u32,
}

/// One brand kit with what a change to it would touch.
#[derive(Debug, Clone, PartialEq)]
pub struct BrandImpact {
    pub overview: BrandOverview,
    /// Every version of the kit, oldest first.
    pub history: Vec<BrandVersionMeta>,
    /// The templates using the kit, ordered by id.
    pub templates: Vec<TemplateSummary>,
}

/// Every brand kit in the library, ordered by id.
pub fn brand_overviews(store: &Store) -> Result<Vec<BrandOverview>> {
    let counts = store.template_counts_by_brand()?;
    store
        .brands()?
        .into_iter()
        .map(|summary| {
            let kit = store.brand(&summary.id)?.kit;
            Ok(BrandOverview {
                logo_thumbnail: logo_thumbnail(store, &kit)?,
                templates: counts.get(&summary.id).copied().unwrap_or(0),
                kit,
                version: summary.latest_version,
                hash: summary.latest_hash,
                updated_at: summary.updated_at,
            })
        })
        .collect()
}

/// The brand kit `id` with its history and the templates using it; an unknown id is
/// [`Error::NotFound`].
pub fn brand_impact(store: &Store, id: &str) -> Result<BrandImpact> {
    let summary = store
        .brands()?
        .into_iter()
        .find(|b| b.id == id)
        .ok_or_else(|| Error::NotFound {
            what: "brand",
            id: id.to_owned(),
        })?;
    let kit = store.brand(id)?.kit;
    let templates = store.list(&ListFilter {
        brand: Some(id.to_owned()),
        ..ListFilter::default()
    })?;
    let overview = BrandOverview {
        logo_thumbnail: logo_thumbnail(store, &kit)?,
        templates: u32::try_from(templates.len()).unwrap_or(u32::MAX),
        kit,
        version: summary.latest_version,
        hash: summary.latest_hash,
        updated_at: summary.updated_at,
    };
    Ok(BrandImpact {
        overview,
        history: store.brand_history(id)?,
        templates,
    })
}

fn logo_thumbnail(store: &Store, kit: &BrandKit) -> Result<Option<Vec<u8>>> {
    match store.thumbnail(&brand_asset_path(&kit.id, &kit.logo)) {
        Ok(png) => Ok(Some(png)),
        Err(Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::library::{create_from_starter, import, LibraryDirs, StarterOptions};
    use crate::model::{Channel, Purpose};

    /// A library holding the bundled samples.
    fn samples() -> Store {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut store = Store::in_memory().unwrap();
        let report = import(&mut store, &LibraryDirs::resolve(&root, None), "test").unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        store
    }

    #[test]
    fn overviews_carry_each_kits_logo_thumbnail_and_template_count() {
        let store = samples();
        let overviews = brand_overviews(&store).unwrap();
        let ids: Vec<&str> = overviews.iter().map(|o| o.kit.id.as_str()).collect();
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "ordered by id: {ids:?}"
        );
        let listed: u32 = overviews.iter().map(|o| o.templates).sum();
        assert_eq!(
            u64::from(listed),
            store.count_templates().unwrap(),
            "every template counts for exactly one brand"
        );
        let sakura = overviews
            .iter()
            .find(|o| o.kit.id == "sakura-bank")
            .unwrap();
        assert_eq!(sakura.kit.name, "さくら銀行");
        assert_eq!(sakura.version, 1);
        let thumb = sakura.logo_thumbnail.as_deref().expect("a logo thumbnail");
        assert!(thumb.starts_with(b"\x89PNG"), "the thumbnail is a PNG");
        assert_eq!(
            sakura.templates,
            store
                .list(&ListFilter {
                    brand: Some("sakura-bank".into()),
                    ..ListFilter::default()
                })
                .unwrap()
                .len() as u32
        );
    }

    #[test]
    fn impact_lists_the_templates_a_change_would_touch_including_new_ones() {
        let mut store = samples();
        let before = brand_impact(&store, "aoba-sonpo").unwrap();
        assert!(before.templates.iter().all(|t| t.brand == "aoba-sonpo"));
        let opts = StarterOptions {
            id: "aoba-renewal".into(),
            name: "更新のご案内".into(),
            brand: "aoba-sonpo".into(),
            purpose: Purpose::Transactional,
            industry: "insurance".into(),
            locales: vec!["ja".into()],
            channels: Channel::ALL.to_vec(),
        };
        create_from_starter(&mut store, &opts, "test").unwrap();
        let after = brand_impact(&store, "aoba-sonpo").unwrap();
        assert_eq!(after.templates.len(), before.templates.len() + 1);
        assert_eq!(after.overview.templates as usize, after.templates.len());
        assert!(after.templates.iter().any(|t| t.id == "aoba-renewal"));
        assert_eq!(after.history.len(), 1);
        assert_eq!(after.overview.hash, after.history[0].hash);
    }

    #[test]
    fn a_kit_without_a_stored_thumbnail_has_no_logo_rather_than_an_error() {
        let store = samples();
        let mut kit = store.brand("sakura-bank").unwrap().kit;
        kit.logo = "missing.png".into();
        assert_eq!(logo_thumbnail(&store, &kit).unwrap(), None);
    }

    #[test]
    fn an_unknown_brand_is_not_found() {
        let store = samples();
        let err = brand_impact(&store, "no-such-brand").unwrap_err();
        assert_eq!(err.code(), "not_found");
    }
}
