//! ccm-print — printed letters: Markdown body → Typst markup in the brand letterhead → PDF and
//! PNG pages. Its own crate because typst is by far the heaviest dependency.
//!
//! ```no_run
//! # use ccm_print::*;
//! let printer = Printer::new()?; // once per process: loads the bundled fonts
//! let job = PrintJob {
//!     page: PageSize::A4,
//!     envelope: EnvelopeProfile::by_id("naga3")?,
//!     locale: "ja".into(),
//!     title: Some("お引き落とし日のお知らせ".into()),
//!     date_text: "2026年11月23日".into(),
//!     recipient_lines: vec!["〒150-0001".into(), "東京都渋谷区神宮前1-2-3".into(), "山田 太郎 様".into()],
//!     body_markdown: "拝啓 平素は格別のお引き立てを賜り、厚く御礼申し上げます。".into(),
//!     body_first_line: 7,
//!     brand: LetterBrand::default(),
//!     pdf_a: false,
//!     document_date: (2026, 11, 23),
//!     images: Default::default(),
//! };
//! let letter = printer.compile(&job).map_err(|d| PrintError::Pdf(format!("{d:?}")))?;
//! let pdf = letter.pdf()?;
//! let page1 = letter.png(1, 144.0)?;
//! # Ok::<(), PrintError>(())
//! ```

pub mod components;
pub mod customer_barcode;
mod envelope;
mod escape;
pub mod evidence;
mod fonts;
mod job;
mod layout;
mod letter;
mod markdown;
mod printer;
#[doc(hidden)]
pub mod samples;
mod world;

pub use ccm_core::diagnostic::{Diagnostic, Severity};
pub use customer_barcode::CustomerBarcode;
pub use envelope::{EnvelopeProfile, WindowMm};
pub use evidence::{
    render_evidence, AttachmentRelationship, EvidenceAttachment, EvidenceEmail, EvidenceFinding,
    EvidenceLang, EvidencePush, EvidenceRecord, EvidenceRendition, EvidenceSms, EvidenceWaiver,
};
/// The family letters are set in (bundled; see `fonts`).
pub use fonts::{font_files, BODY_FAMILY as LETTER_FONT};
pub use job::{LetterBrand, PageSize, PrintError, PrintJob};
pub use letter::{BarcodeMetric, ImageMetric, Letter, PrintMetrics, MIN_PRINT_DPI};
pub use markdown::DIALECT as MARKDOWN_DIALECT;
pub use printer::Printer;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printer_and_letter_can_be_shared_between_threads() {
        fn is<T: Send + Sync>() {}
        is::<Printer>();
        is::<Letter>();
    }
}
