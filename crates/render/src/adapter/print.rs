//! Print: the letter's Markdown and recipient through Tera, the brand letterhead, then the
//! `ccm-print` crate's Typst compile, PDF and page images.

use super::{expand, field_line, format_diag, non_empty, ymd, ChannelAdapter, ChannelResult, Job};
use crate::context::{self, Part};
use crate::engine::Engine;
use crate::filters;
use crate::pipeline::PrintExport;
use crate::rendition::{LaidOutLetter, PrintOutput, Rendition};
use ccm_core::diagnostic::{codes, Diagnostic};
use ccm_core::format as fmt;
use ccm_core::model::{Brand, Channel};

pub(crate) struct PrintAdapter;

impl ChannelAdapter for PrintAdapter {
    fn render(&self, engine: &Engine, job: &Job<'_>, file: &str, text: &str) -> ChannelResult {
        render_print(engine, job, file, text)
    }
}

fn render_print(engine: &Engine, job: &Job<'_>, file: &str, text: &str) -> ChannelResult {
    let ch = Channel::Print;
    let src = fmt::parse_print(file, text).map_err(|e| vec![format_diag(ch, e)])?;
    let (toml_text, _, _) = fmt::split_front_matter(text).unwrap_or((None, text, 1));
    let toml_text = toml_text.unwrap_or_default();
    let meta = &src.meta;
    let mut parts = vec![
        Part::markdown(file, src.body, src.body_line),
        Part::field(file, "recipient", &meta.recipient, toml_text, 2),
    ];
    if let Some(t) = &meta.title {
        parts.push(Part::field(file, "title", t, toml_text, 2));
    }
    let mut out = expand(engine, job, ch, parts)?;
    let recipient = out.remove(&format!("{file}#recipient")).unwrap_or_default();
    let title = non_empty(out.remove(&format!("{file}#title")));
    let body_markdown = out.remove(file).unwrap_or_default();
    if let Err((offset, what)) = crate::guard::check_print_body(&body_markdown) {
        let (line, _) = ccm_core::diagnostic::line_col(&body_markdown, offset);
        return Err(vec![crate::guard::located(
            ch,
            file,
            "",
            src.body_line,
            0,
            format!("{what} (line {line} of the expanded body)"),
        )]);
    }
    let components = ccm_print::components::in_markdown(&body_markdown);

    let page = match meta.page {
        fmt::PageSize::A4 => ccm_print::PageSize::A4,
        fmt::PageSize::Letter => ccm_print::PageSize::Letter,
    };
    let envelope_id = match meta.envelope {
        fmt::Envelope::Naga3 => Some("naga3"),
        fmt::Envelope::Us10 => Some("us10"),
        fmt::Envelope::None => None,
    };
    let envelope = match envelope_id.map(ccm_print::EnvelopeProfile::by_id) {
        None => None,
        Some(Ok(Some(p))) => Some(p),
        Some(Ok(None)) => {
            return Err(vec![Diagnostic::error(
                ch,
                codes::PRINT_ENVELOPE,
                format!("no envelope profile `{}`", envelope_id.unwrap_or_default()),
            )
            .at(file, field_line(toml_text, "envelope").map(|l| l + 1), None)])
        }
        Some(Err(e)) => {
            return Err(vec![Diagnostic::error(
                ch,
                codes::PRINT_ENVELOPE,
                e.to_string(),
            )
            .at(file, None, None)])
        }
    };
    let brand = &job.bundle.brand;
    let b = context::brand_value(brand, job.locale);
    let s = |k: &str| b[k].as_str().unwrap_or_default().to_string();
    let mut contact_lines = vec![
        filters::format_phone(&brand.kit.contact.phone, &job.filters),
        brand.kit.contact.email.clone(),
        brand.kit.contact.website.clone(),
    ];
    contact_lines.retain(|l| !l.trim().is_empty());
    let address_lines = b["address_lines"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let logo_png = brand
        .logo()
        .filter(|b| b.starts_with(b"\x89PNG\r\n\x1a\n"))
        .map(<[u8]>::to_vec);
    let print_job = ccm_print::PrintJob {
        page,
        envelope,
        locale: job.locale.to_string(),
        title,
        date_text: filters::format_date(job.opts.today, "long", &job.filters).unwrap_or_default(),
        recipient_lines: recipient
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        body_markdown,
        body_first_line: src.body_line,
        brand: ccm_print::LetterBrand {
            name: s("name"),
            legal_name: s("legal_name"),
            address_lines,
            contact_lines,
            primary_color: brand.kit.colors.primary.clone(),
            text_color: brand.kit.colors.text.clone(),
            logo_png,
        },
        pdf_a: job.opts.pdf_a,
        document_date: ymd(job.opts.today),
        images: brand_images(brand),
    };
    let printer = engine.printer().map_err(|e| {
        vec![Diagnostic::error(ch, codes::PRINT_FONTS, e)
            .hint("reinstall CCM Studio: its bundled fonts are missing")]
    })?;
    let to_diag = |d: &Diagnostic| d.clone().at(file, d.line, d.column);
    let live = job.opts.print_export == PrintExport::Live;
    let compiled = if live {
        // One warm body per template: the next edit of this letter re-parses incrementally.
        printer.compile_incremental(&print_job, &job.bundle.template_id)
    } else {
        printer.compile(&print_job)
    };
    let letter = compiled.map_err(|ds| ds.iter().map(to_diag).collect::<Vec<_>>())?;
    if letter.page_count() > ccm_core::limits::PRINT_PAGES {
        return Err(vec![Diagnostic::error(
            ch,
            codes::RENDER_LIMIT,
            format!(
                "the letter has {} pages; letters may have at most {} pages",
                letter.page_count(),
                ccm_core::limits::PRINT_PAGES
            ),
        )
        .at(file, Some(src.body_line), None)
        .hint("shorten the letter or split it; a loop over the data may print far more than intended (docs/SECURITY.md, Limits)")]);
    }
    let mut diagnostics: Vec<Diagnostic> = letter.warnings().iter().map(to_diag).collect();
    diagnostics.extend(brand_font_warning(brand));
    if live {
        return Ok((
            Rendition::Print(Box::new(PrintOutput {
                pdf: Vec::new(),
                pages_png: Vec::new(),
                png_dpi: None,
                metrics: letter.metrics(),
                pdf_a: job.opts.pdf_a,
                typst_body: letter.typst_body().to_string(),
                letterhead: print_job.brand.text_lines().join("\n"),
                components,
                letter: Some(LaidOutLetter(std::sync::Arc::new(letter))),
            })),
            diagnostics,
        ));
    }
    let export_err = |e: ccm_print::PrintError| {
        vec![Diagnostic::error(ch, codes::PRINT_EXPORT, e.to_string()).at(file, None, None)]
    };
    let pdf = letter.pdf().map_err(export_err)?;
    let mut pages_png = Vec::new();
    if let Some(dpi) = job.opts.png_dpi {
        for page in 1..=letter.page_count() {
            match letter.png(page, dpi) {
                Ok(png) => pages_png.push(png),
                Err(e) => {
                    diagnostics.push(
                        Diagnostic::error(ch, codes::PRINT_PNG, e.to_string()).at(file, None, None),
                    );
                    break;
                }
            }
        }
    }
    Ok((
        Rendition::Print(Box::new(PrintOutput {
            pdf,
            pages_png,
            png_dpi: job.opts.png_dpi,
            metrics: letter.metrics(),
            pdf_a: job.opts.pdf_a,
            typst_body: letter.typst_body().to_string(),
            letterhead: print_job.brand.text_lines().join("\n"),
            components,
            letter: None,
        })),
        diagnostics,
    ))
}

/// A kit that asks for print fonts CCM Studio does not bundle is told what letters are set in
/// instead (fonts are bundled, never taken from the system, so output is the same everywhere).
fn brand_font_warning(brand: &Brand) -> Option<Diagnostic> {
    let wanted = &brand.kit.fonts.print;
    if wanted.is_empty() || wanted.iter().any(|f| f == ccm_print::LETTER_FONT) {
        return None;
    }
    Some(
        Diagnostic::warning(
            Channel::Print,
            codes::PRINT_BRAND_FONT,
            format!(
                "the brand kit asks for print font {}, which is not bundled; letters are set in {}",
                wanted.join(", "),
                ccm_print::LETTER_FONT
            ),
        )
        .at(format!("brands/{}/brand.toml", brand.kit.id), None, None)
        .hint(format!(
            "name \"{}\" in fonts.print, or bundle the brand's font (an OFL font in assets/fonts)",
            ccm_print::LETTER_FONT
        )),
    )
}

/// The brand kit's image files by the path a template names them with
/// (`brands/<brand>/<file>`, as for email and push images).
fn brand_images(brand: &Brand) -> std::collections::BTreeMap<String, Vec<u8>> {
    const IMAGE: [&str; 4] = [".png", ".jpg", ".jpeg", ".gif"];
    brand
        .files
        .iter()
        .filter(|(path, _)| {
            let lower = path.to_ascii_lowercase();
            IMAGE.iter().any(|ext| lower.ends_with(ext))
        })
        .map(|(path, bytes)| (format!("brands/{}/{path}", brand.kit.id), bytes.clone()))
        .collect()
}
