//! Turns a [`PrintJob`] into the data the letter template reads (/job.json): page geometry,
//! where the address block goes, validated colours and locale. Problems with the job itself
//! (bad colour, unreadable logo, envelope for another sheet) become warnings here, and the
//! letter still renders with a safe fallback.

use std::io::Cursor;

use serde::Serialize;

use crate::envelope::{EnvelopeProfile, WindowMm};
use ccm_core::diagnostic::{codes, Diagnostic};
use ccm_core::model::Channel;

use crate::job::{PageSize, PrintJob};

/// Logo height on the letterhead; width follows the aspect ratio up to [`LOGO_MAX_WIDTH_MM`].
pub const LOGO_HEIGHT_MM: f64 = 12.0;
pub const LOGO_MAX_WIDTH_MM: f64 = 60.0;
/// Address block font size (pt).
pub const ADDRESS_FONT_PT: f64 = 10.5;
/// Space between the bottom of the window and the date line.
const GAP_BELOW_WINDOW_MM: f64 = 6.0;

const FALLBACK_PRIMARY: &str = "#1f3a68";
const FALLBACK_TEXT: &str = "#1a1a1a";

#[derive(Debug, Serialize)]
pub struct JobData<'a> {
    lang: String,
    region: Option<String>,
    page: SizeMm,
    margin: Margins,
    fold_marks: [f64; 2],
    document_date: (i32, u8, u8),
    date_text: &'a str,
    title: Option<&'a str>,
    recipient: &'a [String],
    pub address: AddressBox,
    flow_start: f64,
    brand: BrandData<'a>,
    logo: Option<SizeMm>,
}

#[derive(Debug, Serialize)]
struct SizeMm {
    width: f64,
    height: f64,
}

#[derive(Debug, Serialize)]
struct Margins {
    top: f64,
    bottom: f64,
    x: f64,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct AddressBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// Clip to the window (an envelope is in use) or grow freely (no envelope).
    pub clip: bool,
    pub font_pt: f64,
}

#[derive(Debug, Serialize)]
struct BrandData<'a> {
    name: &'a str,
    legal_name: &'a str,
    address_lines: &'a [String],
    contact_lines: &'a [String],
    primary: String,
    text: String,
}

/// The prepared job: template data plus the logo bytes to serve and warnings so far.
pub struct Prepared<'a> {
    pub data: JobData<'a>,
    pub logo: Option<Vec<u8>>,
    pub warnings: Vec<Diagnostic>,
}

pub fn prepare(job: &PrintJob) -> Prepared<'_> {
    let mut warnings = Vec::new();
    let (width, height) = job.page.size_mm();
    let margin = Margins {
        top: 18.0,
        bottom: 20.0,
        x: match job.page {
            PageSize::A4 => 20.0,
            PageSize::Letter => 22.2,
        },
    };

    let (area, clip) = match &job.envelope {
        Some(profile) => {
            if profile.sheet != job.page {
                warnings.push(
                    Diagnostic::warning(
                        Channel::Print,
                        codes::PRINT_ENVELOPE_SHEET,
                        format!(
                            "envelope `{}` is made for {:?} sheets but the letter is {:?}",
                            profile.id, profile.sheet, job.page
                        ),
                    )
                    .hint("choose an envelope profile for this page size in print.md"),
                );
            }
            if job.recipient_lines.iter().all(|l| l.trim().is_empty()) {
                warnings.push(
                    Diagnostic::warning(
                        Channel::Print,
                        codes::PRINT_NO_RECIPIENT,
                        "the letter goes in a window envelope but has no recipient address",
                    )
                    .hint("set `recipient` in the front matter of print.md"),
                );
            }
            (profile.address_area(), true)
        }
        None => (default_address_area(job.page), false),
    };
    let flow_start = area.y + area.h + GAP_BELOW_WINDOW_MM;

    let (lang, region) = parse_locale(&job.locale).unwrap_or_else(|| {
        warnings.push(
            Diagnostic::warning(
                Channel::Print,
                codes::PRINT_LOCALE,
                format!("locale `{}` is not a BCP 47 tag; using `en`", job.locale),
            )
            .hint("use a tag such as `ja`, `ja-JP` or `en-US`"),
        );
        ("en".to_string(), None)
    });

    let primary = colour(
        &job.brand.primary_color,
        FALLBACK_PRIMARY,
        "primary",
        &mut warnings,
    );
    let text = colour(&job.brand.text_color, FALLBACK_TEXT, "text", &mut warnings);

    let (logo, logo_size) = match &job.brand.logo_png {
        None => (None, None),
        Some(bytes) => match png_dimensions(bytes) {
            Some((px_w, px_h)) => (Some(bytes.clone()), Some(logo_size(px_w, px_h))),
            None => {
                warnings.push(
                    Diagnostic::warning(Channel::Print,
                        codes::PRINT_LOGO_DECODE,
                        "the brand logo is not a readable PNG image; the letterhead shows the brand name instead",
                    )
                    .hint("save the logo as PNG (ideally 300 dpi at 12 mm high, i.e. ≥ 142 px)"),
                );
                (None, None)
            }
        },
    };

    Prepared {
        data: JobData {
            lang,
            region,
            page: SizeMm { width, height },
            margin,
            fold_marks: job.page.fold_marks_mm(),
            document_date: job.document_date,
            date_text: &job.date_text,
            title: job.title.as_deref().filter(|t| !t.trim().is_empty()),
            recipient: &job.recipient_lines,
            address: AddressBox {
                x: area.x,
                y: area.y,
                w: area.w,
                h: area.h,
                clip,
                font_pt: ADDRESS_FONT_PT,
            },
            flow_start,
            brand: BrandData {
                name: &job.brand.name,
                legal_name: &job.brand.legal_name,
                address_lines: &job.brand.address_lines,
                contact_lines: &job.brand.contact_lines,
                primary,
                text,
            },
            logo: logo_size,
        },
        logo,
        warnings,
    }
}

/// Without an envelope the address sits where the sheet's usual window envelope would show it.
fn default_address_area(page: PageSize) -> WindowMm {
    let id = match page {
        PageSize::A4 => "naga3",
        PageSize::Letter => "us10",
    };
    EnvelopeProfile::by_id(id)
        .ok()
        .flatten()
        .map(|p| p.address_area())
        .unwrap_or(WindowMm {
            x: 24.0,
            y: 46.0,
            w: 82.0,
            h: 37.0,
        })
}

/// `ja`, `ja-JP`, `en_US` → (`ja`, Some(`JP`)). None when it is not a language tag.
pub fn parse_locale(locale: &str) -> Option<(String, Option<String>)> {
    let mut parts = locale.trim().split(['-', '_']);
    let lang = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let region = parts
        .find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|p| p.to_ascii_uppercase());
    Some((lang, region))
}

fn colour(value: &str, fallback: &str, which: &str, warnings: &mut Vec<Diagnostic>) -> String {
    let v = value.trim();
    let hex = v.strip_prefix('#').unwrap_or("");
    if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return v.to_ascii_lowercase();
    }
    warnings.push(
        Diagnostic::warning(
            Channel::Print,
            codes::PRINT_BRAND_COLOUR,
            format!("brand {which} colour `{value}` is not #rrggbb; using {fallback}"),
        )
        .hint("fix colors in brand.toml"),
    );
    fallback.to_string()
}

fn png_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let reader = image::ImageReader::with_format(Cursor::new(bytes), image::ImageFormat::Png);
    let (w, h) = reader.into_dimensions().ok()?;
    (w > 0 && h > 0).then_some((w, h))
}

fn logo_size(px_w: u32, px_h: u32) -> SizeMm {
    let aspect = f64::from(px_w) / f64::from(px_h);
    let width = LOGO_HEIGHT_MM * aspect;
    if width <= LOGO_MAX_WIDTH_MM {
        SizeMm {
            width,
            height: LOGO_HEIGHT_MM,
        }
    } else {
        SizeMm {
            width: LOGO_MAX_WIDTH_MM,
            height: LOGO_MAX_WIDTH_MM / aspect,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_parse_to_lang_and_region() {
        assert_eq!(parse_locale("ja"), Some(("ja".into(), None)));
        assert_eq!(
            parse_locale("ja-JP"),
            Some(("ja".into(), Some("JP".into())))
        );
        assert_eq!(
            parse_locale("en_us"),
            Some(("en".into(), Some("US".into())))
        );
        assert_eq!(parse_locale("日本語"), None);
        assert_eq!(parse_locale(""), None);
    }

    #[test]
    fn bad_colours_fall_back_with_a_warning() {
        let mut w = Vec::new();
        assert_eq!(colour("#00AA33", "#000000", "primary", &mut w), "#00aa33");
        assert!(w.is_empty());
        assert_eq!(
            colour("red\"); #read(", "#000000", "primary", &mut w),
            "#000000"
        );
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn wide_logos_are_capped() {
        let s = logo_size(1000, 100);
        assert_eq!(s.width, LOGO_MAX_WIDTH_MM);
        assert!((s.height - 6.0).abs() < 1e-9);
        let s = logo_size(300, 150);
        assert_eq!((s.width, s.height), (24.0, 12.0));
    }
}
