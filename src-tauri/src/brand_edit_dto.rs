//! The shapes that cross IPC for the brand kit editor. Conversions only reshape what the core
//! (`ccm_core::brand_edit`), the rules engine (contrast, suggested fixes, logo contrast) and
//! `ccm_trust::brand_change` decided.

use std::collections::BTreeMap;

use base64::Engine as _;
use ccm_core::brand_edit::{BrandEdit, EditProblem, IdentityEdit};
use ccm_core::model::Contact;
use ccm_rules::brand_contrast::{ContrastFix, LogoContrast};
use ccm_trust::brand_change::KitChangeImpact;
use serde::{Deserialize, Serialize};

use crate::brand_dto::ContrastRow;

/// What the editor holds: each field `null` keeps the kit's value.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BrandKitEdit {
    /// Colours by role, as typed (`#rrggbb` or `#rgb`); an empty accent removes it.
    pub colors: Vec<ColorInput>,
    /// A new logo: the PNG or JPEG file's bytes, base64.
    pub logo_base64: Option<String>,
    /// One of the offered email font stacks, or "" for the layout default.
    pub email_font: Option<String>,
    /// One of the bundled print font families, or "" for none.
    pub print_font: Option<String>,
    pub voice: Option<Vec<String>>,
    pub identities: Option<Vec<IdentityEdit>>,
    pub contact: Option<ContactEdit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ColorInput {
    pub role: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ContactEdit {
    pub phone: String,
    pub email: String,
    pub website: String,
    pub enquiries_url: Option<String>,
    pub opt_out_url: Option<String>,
}

/// The edited kit as the editor shows it while the user types.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BrandKitPreview {
    /// The WCAG table of the edited colours.
    pub contrast: Vec<ContrastRow>,
    /// A suggested colour for each failing pair.
    pub fixes: Vec<ContrastFixView>,
    /// Why the edit cannot be saved yet; empty when it can.
    pub problems: Vec<EditProblem>,
    /// The logo (new or current) on the kit's backgrounds: warnings, not refusals.
    pub logo_contrast: Vec<LogoContrastRow>,
    /// The stored size of a new logo (scaled down when larger).
    pub new_logo: Option<LogoSize>,
    /// Whether saving would make a new version.
    pub changed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ContrastFixView {
    pub pair: String,
    /// The role whose colour the fix changes.
    pub role: String,
    pub from_hex: String,
    pub to_hex: String,
    /// The pair's ratio with the fix (rounded down; at least 4.5).
    pub ratio: f64,
    /// Pairs passing now that the fix would make fail.
    pub breaks: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LogoContrastRow {
    pub background: String,
    pub background_hex: String,
    pub logo_hex: String,
    pub ratio: f64,
    /// At least 3:1 (WCAG 1.4.11, graphics).
    pub passes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct LogoSize {
    pub width: u32,
    pub height: u32,
}

/// What saving the edit would do to approved work.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BrandKitImpact {
    /// Approved templates whose approval the save makes stale, with their channels compared.
    pub templates: Vec<KitChangeImpact>,
    pub problems: Vec<EditProblem>,
    pub changed: bool,
}

/// A saved kit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BrandKitSaved {
    pub version: u32,
    pub hash: String,
    /// False when the edit changed nothing (no new version).
    pub created: bool,
    /// Templates whose approval is now stale.
    pub stale: Vec<String>,
}

/// What the font selects offer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct BrandFontChoices {
    pub email: Vec<EmailFontChoice>,
    /// Families letters can be set in.
    pub print: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct EmailFontChoice {
    /// e.g. `ja-sans`; the UI names it.
    pub id: String,
    pub stack: String,
}

impl BrandKitEdit {
    /// The core's edit; a logo that is not base64 is reported as a problem of the logo.
    pub fn into_core(self) -> (BrandEdit, Option<EditProblem>) {
        let mut bad_logo = None;
        let logo =
            self.logo_base64.and_then(|b64| {
                match base64::engine::general_purpose::STANDARD.decode(b64.trim()) {
                    Ok(bytes) => Some(bytes),
                    Err(e) => {
                        bad_logo = Some(EditProblem {
                            field: "logo".into(),
                            en: format!("the logo did not arrive intact ({e})"),
                            ja: "ロゴのデータが正しく届きませんでした".into(),
                        });
                        None
                    }
                }
            });
        let edit = BrandEdit {
            colors: self
                .colors
                .into_iter()
                .map(|c| (c.role, c.value))
                .collect::<BTreeMap<_, _>>(),
            logo,
            email_font: self.email_font,
            print_font: self.print_font,
            voice: self.voice,
            identities: self.identities,
            contact: self.contact.map(|c| Contact {
                phone: c.phone,
                email: c.email,
                website: c.website,
                enquiries_url: c.enquiries_url,
                opt_out_url: c.opt_out_url,
            }),
        };
        (edit, bad_logo)
    }
}

impl From<ContrastFix> for ContrastFixView {
    fn from(f: ContrastFix) -> Self {
        ContrastFixView {
            pair: f.pair.to_owned(),
            role: f.role.to_owned(),
            from_hex: f.from_hex,
            to_hex: f.to_hex,
            ratio: f.ratio,
            breaks: f.breaks.into_iter().map(str::to_owned).collect(),
        }
    }
}

impl From<LogoContrast> for LogoContrastRow {
    fn from(l: LogoContrast) -> Self {
        LogoContrastRow {
            background: l.background.to_owned(),
            background_hex: l.background_hex,
            logo_hex: l.logo_hex,
            ratio: l.ratio,
            passes: l.passes,
        }
    }
}
