//! Editing a brand kit (the app's brand kit editor, `ccm brands set`): an edit applied to the
//! kit's current version gives the next version's files — `brand.toml` written in its canonical
//! form ([`crate::format::brand_toml`]) and, for a new logo, `logo.png` — plus every problem
//! that stops it being saved. Nothing is stored here; the caller shows the problems, asks what
//! the change makes stale, and saves with `Writer::save_brand`.
//!
//! An edit that changes nothing gives the current files back byte for byte, so opening the
//! editor and saving never makes a new version (nor stale approvals).

mod logo;
mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::format::{brand_toml, parse_brand_kit, BRAND_FILE};
use crate::model::{Brand, BrandKit, Contact};

pub use logo::{logo_ink, prepare_logo, LogoImage, LOGO_FILE, LOGO_LIMITS, LOGO_MAX_SIDE};

/// The email font stacks a kit can choose: fonts are the recipient's, so each stack names the
/// fonts Japanese and Western systems have, then a generic family. `(id, stack)`.
pub const EMAIL_FONT_STACKS: &[(&str, &str)] = &[
    (
        "ja-sans",
        "'Hiragino Kaku Gothic ProN', 'Noto Sans JP', Meiryo, sans-serif",
    ),
    (
        "ja-sans-modern",
        "'Hiragino Sans', 'Noto Sans JP', Meiryo, sans-serif",
    ),
    ("ja-serif", "'Hiragino Mincho ProN', 'Noto Serif JP', serif"),
    ("latin-sans", "'Helvetica Neue', Arial, sans-serif"),
    ("latin-serif", "Georgia, 'Times New Roman', serif"),
];

/// The families letters can be set in: those compiled into the print renderer (a test in
/// `ccm-print` checks each one loads). Fonts never come from the system, so print output is
/// the same on every machine.
pub const PRINT_FONT_FAMILIES: &[&str] = &["Noto Sans JP"];

/// What to change; a field left `None` (or an empty colour map) keeps the kit's value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BrandEdit {
    /// Role (`primary`, `secondary`, `text`, `background`, `muted`, `accent`) → `#rrggbb` or
    /// `#rgb`. An empty accent removes it; the other roles are required.
    pub colors: BTreeMap<String, String>,
    /// A new logo: PNG or JPEG bytes.
    pub logo: Option<Vec<u8>>,
    /// One of [`EMAIL_FONT_STACKS`] (or the kit's current stack); empty for the layout default.
    pub email_font: Option<String>,
    /// One of [`PRINT_FONT_FAMILIES`] (or the kit's current first family); empty for none.
    pub print_font: Option<String>,
    /// One guideline per entry; blank entries are dropped.
    pub voice: Option<Vec<String>>,
    /// Name, legal name and address per locale, the kit's default locale among them. Locales
    /// of the kit not listed are removed.
    pub identities: Option<Vec<IdentityEdit>>,
    pub contact: Option<Contact>,
}

/// A kit's identity in one locale as the editor shows it (fallbacks filled in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IdentityEdit {
    pub locale: String,
    pub name: String,
    pub legal_name: String,
    pub address_lines: Vec<String>,
    pub country: String,
}

/// Why an edit cannot be saved, for one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EditProblem {
    /// Which field: `colors.primary`, `logo`, `identities.en.legal_name`, `contact.email`, …
    pub field: String,
    pub en: String,
    pub ja: String,
}

/// An edit applied.
#[derive(Debug, Clone, PartialEq)]
pub struct EditOutcome {
    /// The kit as it would be saved. Fields with problems keep their current values.
    pub brand: Brand,
    /// Empty when the edit can be saved.
    pub problems: Vec<EditProblem>,
    /// The logo's ink colour after the edit (new or current), for the contrast check.
    pub logo_ink: Option<[u8; 3]>,
    /// The new logo's size when one was given and taken.
    pub new_logo_size: Option<(u32, u32)>,
    /// Whether any file of the kit differs from the current version.
    pub changed: bool,
}

impl EditOutcome {
    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Applies `edit` to `current` (the kit's latest version).
pub fn apply_edit(current: &Brand, edit: &BrandEdit) -> EditOutcome {
    let mut kit = current.kit.clone();
    let mut problems = Vec::new();
    validate::colors(&mut kit, &edit.colors, &mut problems);
    if let Some(stack) = &edit.email_font {
        validate::email_font(&mut kit, stack, &mut problems);
    }
    if let Some(family) = &edit.print_font {
        validate::print_font(&mut kit, family, &mut problems);
    }
    if let Some(voice) = &edit.voice {
        validate::voice(&mut kit, voice, &mut problems);
    }
    if let Some(identities) = &edit.identities {
        validate::identities(&mut kit, &current.kit, identities, &mut problems);
    }
    if let Some(contact) = &edit.contact {
        validate::contact(&mut kit, contact, &mut problems);
    }

    let mut files = current.files.clone();
    let mut new_logo = None;
    if let Some(bytes) = &edit.logo {
        match prepare_logo(bytes) {
            Ok(logo) => {
                // The old logo goes: templates reach the logo through the kit, not its name.
                files.remove(&kit.logo);
                files.insert(LOGO_FILE.to_owned(), logo.png.clone());
                kit.logo = LOGO_FILE.to_owned();
                new_logo = Some(logo);
            }
            Err(e) => problems.push(validate::logo_problem(&e)),
        }
    }
    if kit != current.kit {
        write_kit(&kit, &mut files, &mut problems);
    }
    let logo_ink = match &new_logo {
        Some(logo) => logo.ink,
        None => files.get(&kit.logo).and_then(|b| logo_ink(b)),
    };
    let changed = files != current.files;
    EditOutcome {
        brand: Brand { kit, files },
        problems,
        logo_ink,
        new_logo_size: new_logo.map(|l| (l.width, l.height)),
        changed,
    }
}

/// Writes `brand.toml` for `kit` and reads it back through the file format's own validation,
/// so a kit the editor accepts is one an import accepts too.
fn write_kit(
    kit: &BrandKit,
    files: &mut BTreeMap<String, Vec<u8>>,
    problems: &mut Vec<EditProblem>,
) {
    let text = match brand_toml(kit) {
        Ok(text) => text,
        Err(e) => {
            problems.push(validate::problem(
                BRAND_FILE,
                format!("brand.toml could not be written: {e}"),
                format!("brand.toml を書き出せません: {e}"),
            ));
            return;
        }
    };
    match parse_brand_kit(BRAND_FILE, &text) {
        Ok(parsed) if parsed == *kit => {}
        Ok(_) => problems.push(validate::problem(
            BRAND_FILE,
            "brand.toml does not read back as the edited kit".into(),
            "brand.toml を読み戻すと編集内容と一致しません".into(),
        )),
        Err(errors) => {
            for e in errors {
                problems.push(validate::problem(
                    BRAND_FILE,
                    e.to_string(),
                    format!("brand.toml の検証エラー: {}", e.message),
                ));
            }
        }
    }
    files.insert(BRAND_FILE.to_owned(), text.into_bytes());
}

#[cfg(test)]
mod tests;
