//! Window-envelope profiles. They are data (assets/print/envelopes.toml, compiled in) because
//! window positions differ between envelope suppliers.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::job::{PageSize, PrintError};

const PROFILES_TOML: &str = include_str!("../../../assets/print/envelopes.toml");

/// A rectangle on the unfolded sheet, millimetres from its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowMm {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeProfile {
    pub id: String,
    pub label: String,
    /// The sheet this envelope is made for.
    pub sheet: PageSize,
    /// Where the window lies over the folded sheet.
    pub window: WindowMm,
    /// How far inside the window the address block is kept (3–5 mm).
    pub inset_mm: f64,
    /// `ja` (〒 line first) or `en`; informs the caller's address formatting.
    pub address_order: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    envelope: Vec<EnvelopeProfile>,
}

impl EnvelopeProfile {
    /// All built-in profiles, in file order.
    pub fn builtin() -> Result<&'static [EnvelopeProfile], PrintError> {
        static PROFILES: OnceLock<Result<Vec<EnvelopeProfile>, String>> = OnceLock::new();
        PROFILES
            .get_or_init(|| parse_profiles(PROFILES_TOML))
            .as_deref()
            .map_err(|e| PrintError::Envelopes(e.clone()))
    }

    /// The built-in profile with this id (`naga3`, `us10`); `None` for an unknown id.
    pub fn by_id(id: &str) -> Result<Option<EnvelopeProfile>, PrintError> {
        Ok(Self::builtin()?.iter().find(|p| p.id == id).cloned())
    }

    /// The area the address block may use: the window shrunk by the inset on every side.
    pub fn address_area(&self) -> WindowMm {
        let i = self.inset_mm;
        WindowMm {
            x: self.window.x + i,
            y: self.window.y + i,
            w: (self.window.w - 2.0 * i).max(0.0),
            h: (self.window.h - 2.0 * i).max(0.0),
        }
    }
}

fn parse_profiles(text: &str) -> Result<Vec<EnvelopeProfile>, String> {
    let file: ProfileFile = toml::from_str(text).map_err(|e| e.to_string())?;
    for p in &file.envelope {
        let (sw, sh) = p.sheet.size_mm();
        let w = p.window;
        if w.w <= 0.0 || w.h <= 0.0 || w.x < 0.0 || w.y < 0.0 || w.x + w.w > sw || w.y + w.h > sh {
            return Err(format!("profile `{}`: window lies outside the sheet", p.id));
        }
        if !(3.0..=5.0).contains(&p.inset_mm) {
            return Err(format!("profile `{}`: inset_mm must be 3–5 mm", p.id));
        }
    }
    Ok(file.envelope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_profiles_load_and_meet_postal_minimums() {
        let naga3 = EnvelopeProfile::by_id("naga3")
            .unwrap()
            .expect("naga3 profile");
        assert_eq!(naga3.sheet, PageSize::A4);
        // Japan Post: a window of at least 45 × 80 mm.
        let (short, long) = (
            naga3.window.w.min(naga3.window.h),
            naga3.window.w.max(naga3.window.h),
        );
        assert!(short >= 45.0 && long >= 80.0, "{:?}", naga3.window);
        // Whole window within the top third of the sheet, so it shows once folded.
        assert!(naga3.window.y + naga3.window.h <= 99.0);

        let us10 = EnvelopeProfile::by_id("us10")
            .unwrap()
            .expect("us10 profile");
        assert_eq!(us10.sheet, PageSize::Letter);
        assert!(us10.window.y + us10.window.h <= 279.4 / 3.0);
        assert!(EnvelopeProfile::by_id("dl").unwrap().is_none());
    }

    #[test]
    fn address_area_is_inset() {
        let p = EnvelopeProfile::by_id("naga3").unwrap().unwrap();
        let a = p.address_area();
        assert_eq!(a.x, p.window.x + p.inset_mm);
        assert_eq!(a.w, p.window.w - 2.0 * p.inset_mm);
    }

    #[test]
    fn bad_profiles_are_rejected() {
        let outside = r#"[[envelope]]
id = "x"
label = "x"
sheet = "a4"
window = { x = 150.0, y = 40.0, w = 90.0, h = 45.0 }
inset_mm = 4.0
address_order = "ja"
"#;
        assert!(parse_profiles(outside).unwrap_err().contains("outside"));
        let unknown_key = outside.replace("inset_mm = 4.0", "inset_mm = 4.0\ncolour = 1");
        assert!(parse_profiles(&unknown_key).is_err());
    }
}
