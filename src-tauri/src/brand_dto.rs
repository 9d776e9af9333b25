//! The shapes that cross IPC for the Brands view (read-only brand kits) and the logos of the
//! library list. TypeScript twins are generated like those of `dto.rs`.
//!
//! Conversions only reshape what the core and the rules engine decided: the logo thumbnail
//! becomes a `data:` URL, colours become swatches in the kit's role order.

use ccm_core::library::{BrandImpact, BrandOverview};
use ccm_core::model::{BrandColors, BrandKit, Purpose, TemplateSummary};
use ccm_core::store::BrandVersionMeta;
use ccm_rules::brand_contrast::ContrastCheck;
use ccm_rules::contrast::{brand_color, BRAND_COLOR_NAMES};
use serde::Serialize;

use crate::commands::preview::data_url;

/// One brand kit as a card in the Brands view; its `logo` is also the library rows' thumbnail.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BrandKitSummary {
    pub id: String,
    /// Display name in the kit's own locale.
    pub name: String,
    pub default_locale: String,
    /// `data:image/png;base64,…` of the logo thumbnail; `None` when the library has none.
    pub logo: Option<String>,
    /// Templates using the kit.
    pub templates: u32,
    pub version: u32,
    pub swatches: Vec<Swatch>,
}

/// A colour of the kit and the role it plays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Swatch {
    /// `primary`, `secondary`, `text`, `background`, `muted` or `accent`.
    pub role: String,
    /// `#rrggbb`, lowercase.
    pub hex: String,
}

/// Everything a reviewer reads about one brand kit, and what a change to it would touch.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BrandKitDetail {
    pub id: String,
    pub name: String,
    pub default_locale: String,
    pub logo: Option<String>,
    pub version: u32,
    pub hash: String,
    /// RFC 3339 UTC.
    pub updated_at: String,
    /// Name, legal name and address per locale, the default locale first.
    pub identities: Vec<BrandIdentityView>,
    pub contact: BrandContact,
    pub swatches: Vec<Swatch>,
    /// WCAG contrast of the pairs the layouts use.
    pub contrast: Vec<ContrastRow>,
    /// CSS font stack of emails; `None` uses the email layout's default.
    pub email_font_stack: Option<String>,
    /// Font families of printed letters, in order of preference.
    pub print_fonts: Vec<String>,
    pub voice: Vec<String>,
    /// Every version of the kit, newest first.
    pub history: Vec<BrandVersionView>,
    /// The templates using the kit, ordered by id.
    pub templates: Vec<BrandTemplateRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BrandIdentityView {
    pub locale: String,
    pub name: String,
    pub legal_name: String,
    /// In postal order for the country.
    pub address_lines: Vec<String>,
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BrandContact {
    pub phone: String,
    pub email: String,
    pub website: String,
    pub enquiries_url: Option<String>,
    pub opt_out_url: Option<String>,
}

/// One pair of the contrast table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ContrastRow {
    /// e.g. `text-on-background`; the UI says where the pair is used.
    pub id: String,
    /// A role of the kit or `white`.
    pub foreground: String,
    pub background: String,
    pub foreground_hex: String,
    pub background_hex: String,
    /// Rounded down to two decimals.
    pub ratio: f64,
    /// At least 4.5:1 (normal text).
    pub aa_normal: bool,
    /// At least 3:1 (large text).
    pub aa_large: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BrandVersionView {
    pub number: u32,
    pub hash: String,
    pub parent: Option<String>,
    pub created_at: String,
    pub author: String,
}

/// A template a change to the kit would touch.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BrandTemplateRef {
    pub id: String,
    pub name: String,
    pub purpose: Purpose,
    pub industry: String,
    pub locales: Vec<String>,
    pub latest_version: u32,
}

impl From<BrandOverview> for BrandKitSummary {
    fn from(o: BrandOverview) -> Self {
        BrandKitSummary {
            swatches: swatches(&o.kit.colors),
            logo: logo_url(o.logo_thumbnail.as_deref()),
            templates: o.templates,
            version: o.version,
            id: o.kit.id,
            name: o.kit.name,
            default_locale: o.kit.default_locale,
        }
    }
}

impl BrandKitDetail {
    /// `contrast` is the rules engine's table for the kit's colours.
    pub fn new(impact: BrandImpact, contrast: Vec<ContrastCheck>) -> Self {
        let BrandImpact {
            overview,
            history,
            templates,
        } = impact;
        let kit = overview.kit;
        BrandKitDetail {
            identities: identities(&kit),
            contact: BrandContact {
                phone: kit.contact.phone,
                email: kit.contact.email,
                website: kit.contact.website,
                enquiries_url: kit.contact.enquiries_url,
                opt_out_url: kit.contact.opt_out_url,
            },
            swatches: swatches(&kit.colors),
            contrast: contrast.into_iter().map(ContrastRow::from).collect(),
            email_font_stack: kit.fonts.email,
            print_fonts: kit.fonts.print,
            voice: kit.voice,
            history: history
                .into_iter()
                .rev()
                .map(BrandVersionView::from)
                .collect(),
            templates: templates.into_iter().map(BrandTemplateRef::from).collect(),
            logo: logo_url(overview.logo_thumbnail.as_deref()),
            version: overview.version,
            hash: overview.hash.0,
            updated_at: overview.updated_at,
            id: kit.id,
            name: kit.name,
            default_locale: kit.default_locale,
        }
    }
}

impl From<ContrastCheck> for ContrastRow {
    fn from(c: ContrastCheck) -> Self {
        ContrastRow {
            id: c.id.to_owned(),
            foreground: c.foreground.to_owned(),
            background: c.background.to_owned(),
            foreground_hex: c.foreground_hex,
            background_hex: c.background_hex,
            ratio: c.ratio,
            aa_normal: c.aa_normal,
            aa_large: c.aa_large,
        }
    }
}

impl From<BrandVersionMeta> for BrandVersionView {
    fn from(v: BrandVersionMeta) -> Self {
        BrandVersionView {
            number: v.number,
            hash: v.hash.0,
            parent: v.parent.map(|p| p.0),
            created_at: v.created_at,
            author: v.author,
        }
    }
}

impl From<TemplateSummary> for BrandTemplateRef {
    fn from(t: TemplateSummary) -> Self {
        BrandTemplateRef {
            id: t.id,
            name: t.name,
            purpose: t.purpose,
            industry: t.industry,
            locales: t.locales,
            latest_version: t.latest_version,
        }
    }
}

fn logo_url(png: Option<&[u8]>) -> Option<String> {
    png.map(|bytes| data_url("image/png", bytes))
}

/// The kit's colours in role order; the optional accent only when set.
fn swatches(colors: &BrandColors) -> Vec<Swatch> {
    BRAND_COLOR_NAMES
        .iter()
        .filter_map(|role| {
            brand_color(colors, role).map(|rgb| Swatch {
                role: (*role).to_owned(),
                hex: rgb.hex(),
            })
        })
        .collect()
}

fn identities(kit: &BrandKit) -> Vec<BrandIdentityView> {
    kit.identity_locales()
        .into_iter()
        .map(|locale| {
            let identity = kit.identity(&locale);
            BrandIdentityView {
                locale,
                name: identity.name,
                legal_name: identity.legal_name,
                address_lines: identity.address.lines,
                country: identity.address.country,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccm_core::library::{brand_impact, brand_overviews, import, LibraryDirs};
    use ccm_core::store::Store;
    use ccm_rules::brand_contrast::brand_contrast_table;
    use serde_json::json;
    use std::path::Path;

    fn samples() -> Store {
        let mut store = Store::in_memory().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let report = import(&mut store, &LibraryDirs::resolve(root, None), "test").unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        store
    }

    fn detail(store: &Store, id: &str) -> BrandKitDetail {
        let impact = brand_impact(store, id).unwrap();
        let contrast = brand_contrast_table(&impact.overview.kit.colors);
        BrandKitDetail::new(impact, contrast)
    }

    #[test]
    fn summaries_carry_a_png_data_url_logo_and_swatches_in_role_order() {
        let store = samples();
        let kits: Vec<BrandKitSummary> = brand_overviews(&store)
            .unwrap()
            .into_iter()
            .map(BrandKitSummary::from)
            .collect();
        let sakura = kits.iter().find(|k| k.id == "sakura-bank").unwrap();
        assert!(sakura
            .logo
            .as_deref()
            .unwrap()
            .starts_with("data:image/png;base64,iVBORw0KGgo"));
        let roles: Vec<&str> = sakura.swatches.iter().map(|s| s.role.as_str()).collect();
        assert_eq!(
            roles,
            [
                "primary",
                "secondary",
                "text",
                "background",
                "muted",
                "accent"
            ]
        );
        assert_eq!(sakura.swatches[0].hex, "#a61c48");
        assert!(sakura.templates >= 1);
    }

    #[test]
    fn detail_has_identities_per_locale_contrast_history_and_templates() {
        let store = samples();
        let d = detail(&store, "sakura-bank");
        let locales: Vec<&str> = d.identities.iter().map(|i| i.locale.as_str()).collect();
        assert_eq!(locales, ["ja", "en"]);
        assert_eq!(d.identities[0].legal_name, "株式会社さくら銀行");
        assert_eq!(d.identities[1].legal_name, "Sakura Bank, Ltd.");
        assert_eq!(d.identities[1].address_lines[2], "Tokyo 100-0005, Japan");
        assert_eq!(
            d.contact.opt_out_url.as_deref(),
            Some("https://sakura-bank.example.jp/mail/stop")
        );
        assert_eq!(d.contrast[0].id, "text-on-background");
        assert!(d.contrast.iter().all(|c| c.ratio >= 1.0));
        assert_eq!(d.history[0].number, d.version, "newest version first");
        assert_eq!(d.history[0].hash, d.hash);
        assert!(d
            .templates
            .iter()
            .any(|t| t.id == "jp-bank-payment-reminder"));
        assert_eq!(d.print_fonts, ["Noto Sans JP"]);
        assert!(d.email_font_stack.unwrap().contains("Noto Sans JP"));
    }

    #[test]
    fn a_failing_pair_of_the_kit_is_marked_failed_in_the_detail() {
        let store = samples();
        let impact = brand_impact(&store, "sakura-bank").unwrap();
        let mut colors = impact.overview.kit.colors.clone();
        colors.muted = "#aaaaaa".into();
        let d = BrandKitDetail::new(impact, brand_contrast_table(&colors));
        let muted = d
            .contrast
            .iter()
            .find(|c| c.id == "muted-on-background")
            .unwrap();
        assert_eq!(
            (muted.aa_normal, muted.aa_large),
            (false, false),
            "#aaaaaa on white is 2.32:1"
        );
        let text = d
            .contrast
            .iter()
            .find(|c| c.id == "text-on-background")
            .unwrap();
        assert!(text.aa_normal);
    }

    #[test]
    fn contrast_rows_serialize_in_the_shape_the_ui_reads() {
        let row = ContrastRow {
            id: "white-on-primary".into(),
            foreground: "white".into(),
            background: "primary".into(),
            foreground_hex: "#ffffff".into(),
            background_hex: "#a61c48".into(),
            ratio: 6.97,
            aa_normal: true,
            aa_large: true,
        };
        assert_eq!(
            serde_json::to_value(row).unwrap(),
            json!({ "id": "white-on-primary", "foreground": "white", "background": "primary",
                    "foreground_hex": "#ffffff", "background_hex": "#a61c48", "ratio": 6.97,
                    "aa_normal": true, "aa_large": true })
        );
    }
}
