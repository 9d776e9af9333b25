//! The warm print renderer: one per process, shared by every render.

use std::collections::HashMap;
use std::sync::Mutex;

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::syntax::Source;
use typst::utils::PicoStr;
use typst::WorldExt;
use typst_layout::PagedDocument;

use ccm_core::diagnostic::{codes, Diagnostic, Severity};
use ccm_core::model::Channel;

use crate::job::PrintJob;
use crate::layout;
use crate::letter::{self, Letter, MIN_PRINT_DPI};
use crate::markdown::{self, TypstBody};
use crate::world::{LetterWorld, Warm, BODY};
use crate::PrintError;

/// Fonts, standard library and letter template, loaded once. `Send + Sync`: share it (e.g. in
/// an `Arc`) between threads; compilations do not block each other.
pub struct Printer {
    warm: Warm,
    /// The last body source compiled per live-preview session (e.g. per open template), so the
    /// next edit is re-parsed incrementally: unchanged parts of the body keep their syntax
    /// nodes and spans, and Typst's memoized layout of them (comemo) stays valid.
    warm_bodies: Mutex<HashMap<String, Source>>,
}

/// How many live-preview sessions keep a warm body; a few templates are open in turn.
const WARM_BODIES: usize = 8;

impl std::fmt::Debug for Printer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Printer").finish_non_exhaustive()
    }
}

/// Widest a body image prints (points): inside the narrowest text column (US Letter).
const BODY_IMAGE_MAX_PT: f64 = 425.0;

/// The job's images that decode far enough to be measured, with their print width.
fn body_images(job: &PrintJob) -> std::collections::BTreeMap<String, markdown::BodyImage> {
    job.images
        .iter()
        .filter_map(|(path, bytes)| {
            let (w, _) = image::ImageReader::new(std::io::Cursor::new(bytes))
                .with_guessed_format()
                .ok()?
                .into_dimensions()
                .ok()?;
            // At the resolution print needs (never below it: a narrower column only raises it).
            // Rounded down to the 0.1 pt the markup carries, so rounding never lowers the dpi.
            let width_pt = ((f64::from(w) * 72.0 / MIN_PRINT_DPI).min(BODY_IMAGE_MAX_PT) * 10.0)
                .floor()
                / 10.0;
            Some((path.clone(), markdown::BodyImage { width_pt }))
        })
        .collect()
}

impl Printer {
    /// Loads the bundled fonts (~100 ms in release builds). Do this once.
    pub fn new() -> Result<Printer, PrintError> {
        Ok(Printer {
            warm: Warm::new()?,
            warm_bodies: Mutex::new(HashMap::new()),
        })
    }

    /// Fonts and standard library, for the other documents this crate makes.
    pub(crate) fn warm(&self) -> &Warm {
        &self.warm
    }

    /// Lays out one letter. Errors (and any warnings found with them) come back as
    /// diagnostics pointing at print.md lines; on success the letter carries its warnings.
    pub fn compile(&self, job: &PrintJob) -> Result<Letter, Vec<Diagnostic>> {
        self.compile_with(job, None)
    }

    /// [`Printer::compile`] for a live preview that compiles the same letter again and again
    /// as it is edited: the body of the previous compile under `session` is edited into the
    /// new one instead of parsed afresh. Same output as [`Printer::compile`].
    pub fn compile_incremental(
        &self,
        job: &PrintJob,
        session: &str,
    ) -> Result<Letter, Vec<Diagnostic>> {
        self.compile_with(job, Some(session))
    }

    /// The body source for `markup`: the session's previous body edited to `markup`, or new.
    fn body_source(&self, session: Option<&str>, markup: &str) -> Source {
        let previous = session.and_then(|key| self.warm_bodies.lock().ok()?.remove(key));
        match previous {
            Some(mut source) => {
                source.replace(markup);
                source
            }
            None => Source::new(*BODY, markup.to_owned()),
        }
    }

    fn keep_body(&self, session: Option<&str>, source: Source) {
        let (Some(key), Ok(mut bodies)) = (session, self.warm_bodies.lock()) else {
            return;
        };
        if bodies.len() >= WARM_BODIES && !bodies.contains_key(key) {
            bodies.clear(); // rare: more sessions than templates anyone edits in turn
        }
        bodies.insert(key.to_owned(), source);
    }

    fn compile_with(
        &self,
        job: &PrintJob,
        session: Option<&str>,
    ) -> Result<Letter, Vec<Diagnostic>> {
        let available = body_images(job);
        let body = markdown::to_typst_with_images(&job.body_markdown, &available);
        let prepared = layout::prepare(job);
        let mut diagnostics = prepared.warnings;
        diagnostics.extend(body.notes.iter().cloned().map(|mut d| {
            d.line = d.line.map(|l| l + job.body_first_line);
            d
        }));

        let (y, m, d) = job.document_date;
        let Some(today) = Datetime::from_ymd(y, m, d) else {
            diagnostics.push(Diagnostic::error(
                Channel::Print,
                codes::PRINT_DOCUMENT_DATE,
                format!("document date {y}-{m:02}-{d:02} is not a calendar date"),
            ));
            return Err(diagnostics);
        };
        let address = prepared.data.address;
        let job_json = match serde_json::to_vec(&prepared.data) {
            Ok(json) => json,
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    Channel::Print,
                    codes::PRINT_LAYOUT,
                    e.to_string(),
                ));
                return Err(diagnostics);
            }
        };

        let images = body
            .images
            .iter()
            .enumerate()
            .filter_map(|(i, path)| {
                let bytes = job.images.get(path)?;
                let name = format!("/img/{i}.{}", markdown::image_extension(path));
                Some((name, bytes.clone()))
            })
            .collect();
        let world = LetterWorld::new(
            &self.warm,
            self.body_source(session, &body.markup),
            job_json,
            prepared.logo,
            images,
            today,
        );
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
        // Keep the memo cache from growing without bound in a long-running app, while
        // recent results stay warm for the next render.
        typst::comemo::evict(30);
        self.keep_body(session, world.body().clone());

        diagnostics.extend(
            warnings
                .iter()
                .map(|w| convert(w, &world, &body, job.body_first_line)),
        );
        let document = match output {
            Ok(document) => document,
            Err(errors) => {
                diagnostics.extend(
                    errors
                        .iter()
                        .map(|e| convert(e, &world, &body, job.body_first_line)),
                );
                return Err(diagnostics);
            }
        };

        for (c, span) in letter::missing_glyphs(&document) {
            let line = (span.id() == Some(*BODY))
                .then(|| body_line(&world, &body, span, job.body_first_line))
                .flatten();
            // PDF/A forbids the .notdef glyph: the archival copy cannot be made at all.
            let severity = if job.pdf_a {
                Severity::Error
            } else {
                Severity::Warning
            };
            diagnostics.push(
                Diagnostic::render(
                    severity,
                    Channel::Print,
                    codes::PRINT_MISSING_GLYPH,
                    format!("no bundled font has the character `{c}` (U+{:04X}); it prints as an empty box", c as u32),
                )
                .at_line(line)
                .hint("replace the character or use a common equivalent"),
            );
        }

        if address.clip {
            if let Some(height) = address_height(&document) {
                if height > address.h + 0.01 {
                    diagnostics.push(
                        Diagnostic::warning(Channel::Print,
                            codes::PRINT_ADDRESS_OVERFLOW,
                            format!(
                                "the recipient address is {height:.1} mm tall but only {:.1} mm fit inside the envelope window; the rest is cut off",
                                address.h
                            ),
                        )
                        .hint("shorten or join address lines in `recipient`"),
                    );
                }
            }
        }

        let mut metrics = letter::measure(&document);
        metrics.customer_barcodes = barcode_pages(&document)
            .into_iter()
            .zip(&body.barcodes)
            .map(|(page, code)| letter::BarcodeMetric {
                page,
                characters: code.labels(),
            })
            .collect();
        for image in metrics
            .images
            .iter()
            .filter(|i| i.effective_dpi < MIN_PRINT_DPI)
        {
            diagnostics.push(
                Diagnostic::warning(Channel::Print,
                    codes::PRINT_LOW_DPI,
                    format!(
                        "the logo is {} × {} px placed at {:.1} × {:.1} mm: {:.0} dpi, below the {MIN_PRINT_DPI:.0} dpi print needs",
                        image.width_px, image.height_px, image.placed_width_mm, image.placed_height_mm, image.effective_dpi
                    ),
                )
                .hint(format!(
                    "supply a logo at least {:.0} px high",
                    (image.placed_height_mm / 25.4 * MIN_PRINT_DPI).ceil()
                )),
            );
        }

        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            return Err(diagnostics);
        }
        Ok(Letter {
            document,
            ident: ident(job),
            date: job.document_date,
            pdf_a: job.pdf_a,
            warnings: diagnostics,
            metrics,
            typst_body: body.markup,
        })
    }
}

/// The page of every `<ccm-barcode>` marker the body placed after a customer barcode, in
/// document order.
fn barcode_pages(document: &PagedDocument) -> Vec<usize> {
    use typst::introspection::Introspector;
    let Some(label) = typst::foundations::Label::new(typst::utils::PicoStr::intern("ccm-barcode"))
    else {
        return Vec::new();
    };
    let introspector = document.introspector();
    introspector
        .query(&typst::foundations::Selector::Label(label))
        .iter()
        .filter_map(|c| c.location())
        .filter_map(|loc| introspector.page(loc))
        .map(|p| p.get())
        .collect()
}

/// A stable PDF document identifier derived from the letter's content.
fn ident(job: &PrintJob) -> String {
    let h = typst::utils::hash128(&(
        &job.title,
        &job.date_text,
        &job.recipient_lines,
        &job.body_markdown,
        &job.brand.legal_name,
        job.document_date,
    ));
    format!("ccm-print-{h:032x}")
}

fn convert(
    diag: &SourceDiagnostic,
    world: &LetterWorld,
    body: &TypstBody,
    first_line: u32,
) -> Diagnostic {
    let severity = match diag.severity {
        typst::diag::Severity::Error => Severity::Error,
        typst::diag::Severity::Warning => Severity::Warning,
    };
    let in_body = diag.span.id() == Some(*BODY);
    let line = if in_body {
        world
            .range(diag.span)
            .and_then(|range| world.body().lines().byte_to_line(range.start))
            .and_then(|l| body.markdown_line(l))
            .map(|l| l + first_line)
    } else {
        None
    };
    let hints: Vec<&str> = diag.hints.iter().map(|h| h.v.as_str()).collect();
    let (code, message) = if in_body {
        (codes::PRINT_TYPST, diag.message.to_string())
    } else {
        // Not the template author's text: the letterhead layout or its data.
        (
            codes::PRINT_LAYOUT,
            format!("letter layout: {}", diag.message),
        )
    };
    let d = Diagnostic::render(severity, Channel::Print, code, message).at_line(line);
    if hints.is_empty() {
        d
    } else {
        d.hint(hints.join("; "))
    }
}

fn body_line(
    world: &LetterWorld,
    body: &TypstBody,
    span: typst::syntax::Span,
    first_line: u32,
) -> Option<u32> {
    let range = world.range(span)?;
    let line = world.body().lines().byte_to_line(range.start)?;
    body.markdown_line(line).map(|l| l + first_line)
}

/// The natural height (mm) of the address block, as measured by the template.
fn address_height(document: &PagedDocument) -> Option<f64> {
    let label = typst::foundations::Label::new(PicoStr::intern("ccm-address-size"))?;
    let content = document.introspector().query_label(label).ok()?;
    let meta = content.to_packed::<MetadataElem>()?;
    match &meta.value {
        Value::Dict(dict) => match dict.get("height").ok()? {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        },
        _ => None,
    }
}
