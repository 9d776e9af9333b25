//! What the caller hands the print renderer, and what it gets back when something is wrong.
//! Plain data only: the caller (ccm-render) has already expanded Tera and formatted dates.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::envelope::EnvelopeProfile;

/// Sheet size. Dimensions from ISO 216 and ANSI/ASME Y14.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageSize {
    A4,
    Letter,
}

impl PageSize {
    /// Width and height in millimetres (portrait).
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            PageSize::A4 => (210.0, 297.0),
            PageSize::Letter => (215.9, 279.4),
        }
    }

    /// Positions of the two folds of a tri-fold (letter fold), in mm from the top edge.
    pub fn fold_marks_mm(self) -> [f64; 2] {
        let (_, h) = self.size_mm();
        [h / 3.0, 2.0 * h / 3.0]
    }

    /// Parses the `page` value of print.md front matter (`a4` | `letter`).
    pub fn parse(s: &str) -> Option<PageSize> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Some(PageSize::A4),
            "letter" | "us-letter" => Some(PageSize::Letter),
            _ => None,
        }
    }
}

/// The sender side of the letterhead, taken from the brand kit.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LetterBrand {
    /// Trading name, shown when there is no logo and in the running header of later pages.
    pub name: String,
    /// Legal entity name, shown in the sender block.
    pub legal_name: String,
    pub address_lines: Vec<String>,
    /// Phone, e-mail, website… one per line, already formatted.
    pub contact_lines: Vec<String>,
    /// `#rrggbb`.
    pub primary_color: String,
    /// `#rrggbb`.
    pub text_color: String,
    /// PNG bytes of the logo; placed 12 mm high in the top-left corner.
    #[serde(skip)]
    pub logo_png: Option<Vec<u8>>,
}

impl LetterBrand {
    /// The letterhead's words as the letter sets them (`assets/print/letter.typ`): the trading
    /// name (in place of a missing logo, and in the running header of later pages), then the
    /// sender block — legal name, address lines, contact lines — one per line, blank lines
    /// left out. The rules engine checks this text, so it sees the letterhead that is printed.
    pub fn text_lines(&self) -> Vec<&str> {
        std::iter::once(&self.name)
            .chain(std::iter::once(&self.legal_name))
            .chain(&self.address_lines)
            .chain(&self.contact_lines)
            .map(String::as_str)
            .filter(|l| !l.trim().is_empty())
            .collect()
    }
}

/// One letter to print.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintJob {
    pub page: PageSize,
    /// Window-envelope profile; the recipient block is placed inside its window.
    pub envelope: Option<EnvelopeProfile>,
    /// BCP 47 locale, e.g. `ja`, `ja-JP`, `en-US`: sets Typst's `lang`/`region`.
    pub locale: String,
    pub title: Option<String>,
    /// The date line, already formatted for the locale by the caller.
    pub date_text: String,
    /// Address block lines in postal order (for Japan: 〒 line, address, name 様).
    pub recipient_lines: Vec<String>,
    /// Markdown, already Tera-expanded; converted to Typst with every character of text escaped.
    pub body_markdown: String,
    /// 1-based line of the body's first line in print.md, so diagnostics point at the source.
    pub body_first_line: u32,
    pub brand: LetterBrand,
    /// Export as PDF/A-2b (archival).
    pub pdf_a: bool,
    /// (year, month, day) recorded as the document date; fixed so output is reproducible.
    pub document_date: (i32, u8, u8),
    /// Images the body may show, by the path its Markdown names them with
    /// (`brands/<brand>/<file>`); any other image prints its alt text.
    pub images: BTreeMap<String, Vec<u8>>,
}

/// Failures that are not about the letter's content (those are [`Diagnostic`](ccm_core::diagnostic::Diagnostic)s).
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("bundled fonts could not be loaded: {0}")]
    Fonts(String),
    #[error("envelope profiles (assets/print/envelopes.toml) are invalid: {0}")]
    Envelopes(String),
    #[error("PDF export failed: {0}")]
    Pdf(String),
    #[error("page {page} does not exist: the letter has {count} page(s)")]
    NoSuchPage { page: usize, count: usize },
    #[error("PNG export failed: {0}")]
    Png(String),
    #[error("invalid resolution {0} dpi: use a value between 10 and 2400")]
    Resolution(f32),
    #[error("evidence record cannot be made: {0}")]
    Evidence(String),
}
