//! A laid-out letter: export to PDF (optionally PDF/A-2b) and PNG pages, and what it contains.

use std::collections::BTreeSet;

use serde::Serialize;
use typst::foundations::{Datetime, Smart};
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use ccm_core::diagnostic::Diagnostic;

use crate::job::PrintError;

/// Print images need this resolution at their placed size.
pub const MIN_PRINT_DPI: f64 = 300.0;

const PT_PER_MM: f64 = 72.0 / 25.4;

/// What the printed letter contains, for reports and checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrintMetrics {
    pub pages: usize,
    pub page_width_mm: f64,
    pub page_height_mm: f64,
    /// PostScript names of the fonts glyphs were set in, sorted.
    pub fonts: Vec<String>,
    /// Smallest text size on any page (pt); `None` for a letter without text.
    pub min_font_size_pt: Option<f64>,
    pub images: Vec<ImageMetric>,
    /// The Japan Post customer barcodes printed, in order (empty for most letters).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub customer_barcodes: Vec<BarcodeMetric>,
}

/// A customer barcode as a print vendor audits it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BarcodeMetric {
    /// 1-based page.
    pub page: usize,
    /// Every character: `STC`, the 20 data characters (digits, `-`, `CC1`–`CC8`), the check
    /// digit, `SPC`.
    pub characters: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageMetric {
    /// 1-based page.
    pub page: usize,
    pub width_px: u32,
    pub height_px: u32,
    pub placed_width_mm: f64,
    pub placed_height_mm: f64,
    /// The lower of horizontal and vertical resolution at the placed size.
    pub effective_dpi: f64,
}

/// A compiled letter. Exports are deterministic: same job, same bytes.
pub struct Letter {
    pub(crate) document: PagedDocument,
    pub(crate) ident: String,
    pub(crate) date: (i32, u8, u8),
    pub(crate) pdf_a: bool,
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) metrics: PrintMetrics,
    pub(crate) typst_body: String,
}

impl std::fmt::Debug for Letter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Letter")
            .field("pages", &self.page_count())
            .field("pdf_a", &self.pdf_a)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

impl Letter {
    pub fn page_count(&self) -> usize {
        self.document.pages().len()
    }

    /// Warnings found while laying out (missing glyphs, low-resolution logo, address too big
    /// for the window, …). The letter is usable; these say what to fix.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    pub fn metrics(&self) -> PrintMetrics {
        self.metrics.clone()
    }

    /// The Typst markup generated from the Markdown body (for debugging and audits).
    pub fn typst_body(&self) -> &str {
        &self.typst_body
    }

    /// The text on page `page` (1-based) in layout order, one output line per baseline, for
    /// checks and search.
    pub fn page_text(&self, page: usize) -> Result<String, PrintError> {
        Ok(page_text(self.page(page)?))
    }

    fn page(&self, page: usize) -> Result<&typst_layout::Page, PrintError> {
        page.checked_sub(1)
            .and_then(|i| self.document.pages().get(i))
            .ok_or(PrintError::NoSuchPage {
                page,
                count: self.page_count(),
            })
    }

    /// The whole letter as PDF; PDF/A-2b when the job asked for it.
    pub fn pdf(&self) -> Result<Vec<u8>, PrintError> {
        let (y, m, d) = self.date;
        let datetime = Datetime::from_ymd_hms(y, m, d, 0, 0, 0)
            .ok_or_else(|| PrintError::Pdf(format!("invalid document date {y}-{m}-{d}")))?;
        let standards = if self.pdf_a {
            PdfStandards::new(&[PdfStandard::A_2b])
                .map_err(|e| PrintError::Pdf(e.message().to_string()))?
        } else {
            PdfStandards::default()
        };
        let options = PdfOptions {
            ident: Smart::Custom(self.ident.clone()),
            creator: Smart::Custom(Some("CCM Studio".to_string())),
            timestamp: Some(Timestamp::new_utc(datetime)),
            standards,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&self.document, &options).map_err(|errors| {
            PrintError::Pdf(
                errors
                    .iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
    }

    /// Page `page` (1-based, like the "1 / 2" on the paper) as PNG at `dpi`.
    pub fn png(&self, page: usize, dpi: f32) -> Result<Vec<u8>, PrintError> {
        if !(10.0..=2400.0).contains(&dpi) {
            return Err(PrintError::Resolution(dpi));
        }
        let p = self.page(page)?;
        let options = typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new(f64::from(dpi) / 72.0),
            render_bleed: false,
        };
        let pixmap = typst_render::render(p, &options);
        encode_png(pixmap.width(), pixmap.height(), pixmap.data())
    }
}

/// The text of `page` in layout order, one output line per baseline.
pub(crate) fn page_text(page: &typst_layout::Page) -> String {
    fn visit(frame: &Frame, origin: Point, runs: &mut Vec<(f64, String)>) {
        for (pos, item) in frame.items() {
            let at = origin + *pos;
            match item {
                FrameItem::Group(g) => visit(
                    &g.frame,
                    at + Point::new(g.transform.tx, g.transform.ty),
                    runs,
                ),
                FrameItem::Text(text) => runs.push((at.y.to_pt(), text.text.to_string())),
                _ => {}
            }
        }
    }
    let mut runs = Vec::new();
    visit(&page.frame, Point::zero(), &mut runs);
    let mut out = String::new();
    let mut last_y: Option<f64> = None;
    for (y, text) in runs {
        if last_y.is_some_and(|l| (l - y).abs() > 0.5) {
            out.push('\n');
        }
        out.push_str(&text);
        last_y = Some(y);
    }
    out.push('\n');
    out
}

/// PNG of a rendered page. Pages are opaque (white paper), so the alpha channel is dropped;
/// fast deflate keeps a 144 dpi A4 page well under the preview budget. Deterministic.
fn encode_png(width: u32, height: u32, premultiplied_rgba: &[u8]) -> Result<Vec<u8>, PrintError> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::{ExtendedColorType, ImageEncoder};

    let opaque = premultiplied_rgba.chunks_exact(4).all(|px| px[3] == 255);
    let (pixels, colour) = if opaque {
        let rgb: Vec<u8> = premultiplied_rgba
            .chunks_exact(4)
            .flat_map(|px| [px[0], px[1], px[2]])
            .collect();
        (rgb, ExtendedColorType::Rgb8)
    } else {
        let rgba: Vec<u8> = premultiplied_rgba
            .chunks_exact(4)
            .flat_map(|px| {
                let a = u16::from(px[3]);
                let un = |c: u8| {
                    (u16::from(c) * 255 + a / 2)
                        .checked_div(a)
                        .map_or(0, |v| v.min(255) as u8)
                };
                [un(px[0]), un(px[1]), un(px[2]), px[3]]
            })
            .collect();
        (rgba, ExtendedColorType::Rgba8)
    };
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(&pixels, width, height, colour)
        .map_err(|e| PrintError::Png(e.to_string()))?;
    Ok(out)
}

/// Walks every page once to gather fonts, text sizes and image resolutions.
pub(crate) fn measure(document: &PagedDocument) -> PrintMetrics {
    let mut acc = Acc::default();
    for (i, page) in document.pages().iter().enumerate() {
        acc.page = i + 1;
        walk(&page.frame, Transform::identity(), &mut acc);
    }
    let (w, h) = document
        .pages()
        .first()
        .map(|p| {
            (
                p.frame.width().to_pt() / PT_PER_MM,
                p.frame.height().to_pt() / PT_PER_MM,
            )
        })
        .unwrap_or((0.0, 0.0));
    PrintMetrics {
        pages: document.pages().len(),
        page_width_mm: round2(w),
        page_height_mm: round2(h),
        fonts: acc.fonts.into_iter().collect(),
        min_font_size_pt: acc.min_size.map(round2),
        images: acc.images,
        customer_barcodes: Vec::new(),
    }
}

/// Characters that no bundled font could set (they would print as empty boxes), with the
/// source span they came from.
pub(crate) fn missing_glyphs(document: &PagedDocument) -> Vec<(char, typst::syntax::Span)> {
    fn visit(frame: &Frame, out: &mut Vec<(char, typst::syntax::Span)>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => visit(&g.frame, out),
                FrameItem::Text(text) => {
                    for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
                        let range = usize::from(glyph.range.start)..usize::from(glyph.range.end);
                        if let Some(c) = text.text.get(range).and_then(|s| s.chars().next()) {
                            if !c.is_whitespace() && !out.iter().any(|(seen, _)| *seen == c) {
                                out.push((c, glyph.span.0));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for page in document.pages() {
        visit(&page.frame, &mut out);
    }
    out
}

#[derive(Default)]
struct Acc {
    page: usize,
    fonts: BTreeSet<String>,
    min_size: Option<f64>,
    images: Vec<ImageMetric>,
}

fn walk(frame: &Frame, ts: Transform, acc: &mut Acc) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => walk(&g.frame, ts.pre_concat(g.transform), acc),
            FrameItem::Text(text) => {
                let info = text.font.font().info();
                let name = text
                    .font
                    .font()
                    .post_script_name()
                    .unwrap_or_else(|| info.family.clone());
                acc.fonts.insert(name);
                let size = text.size.to_pt() * scale(ts);
                acc.min_size = Some(acc.min_size.map_or(size, |m: f64| m.min(size)));
            }
            // Vector images (QR codes, customer barcodes) have no resolution to check.
            FrameItem::Image(image, ..)
                if !matches!(image.kind(), typst::visualize::ImageKind::Raster(_)) => {}
            FrameItem::Image(image, size, _) => {
                let s = scale(ts);
                let w_pt = size.x.to_pt() * s;
                let h_pt = size.y.to_pt() * s;
                let (px_w, px_h) = (image.width(), image.height());
                let dpi = |px: f64, pt: f64| if pt > 0.0 { px / (pt / 72.0) } else { 0.0 };
                acc.images.push(ImageMetric {
                    page: acc.page,
                    width_px: px_w.round() as u32,
                    height_px: px_h.round() as u32,
                    placed_width_mm: round2(w_pt / PT_PER_MM),
                    placed_height_mm: round2(h_pt / PT_PER_MM),
                    effective_dpi: round2(dpi(px_w, w_pt).min(dpi(px_h, h_pt))),
                });
            }
            FrameItem::Shape(..) | FrameItem::Link(..) | FrameItem::Tag(_) => {}
        }
    }
}

/// Uniform scale of a transform (the template never skews or scales unevenly).
fn scale(ts: Transform) -> f64 {
    let sx = ts.sx.get().hypot(ts.ky.get());
    let sy = ts.sy.get().hypot(ts.kx.get());
    (sx * sy).sqrt()
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}
