//! Live preview of the editor's (unsaved) files. Rendering runs on the blocking pool, never on
//! the UI or IPC threads; a request older than the newest one is skipped before it renders.
//! Email, SMS and push come back first; print (Typst → PNG pages) is a second request.

use std::time::Instant;

use base64::Engine as _;
use ccm_core::format::{
    parse_manifest, parse_persona, parse_print, parse_template, template_file_kind, Envelope,
    TemplateFileKind, MANIFEST_FILE,
};
use ccm_core::model::{Channel, Persona, TemplateBundle, TemplateFiles};
use ccm_print::EnvelopeProfile;
use ccm_render::checks::check_rendered;
use ccm_render::push::PushRendition;
use ccm_render::{
    render, ChannelOutput, Diagnostic, RenderOptions, RenderSet, Rendition, Severity,
};
use tauri::State;

use crate::dto::{
    EmailView, FindingView, ForcingChar, Outline, PersonaRef, Preview, PreviewRequest,
    PrintPreview, Problem, ProblemSeverity, PushView, SmsPartView, SmsView, SurfaceView,
    WindowRect,
};
use crate::error::{IpcError, IpcResult};
use crate::state::{AppState, Shared};

/// Page images for the preview pane: sharp enough on a 2× screen at pane width, cheap to make.
const PREVIEW_DPI: f32 = 110.0;

#[tauri::command]
pub async fn render_preview(
    state: State<'_, AppState>,
    request: PreviewRequest,
) -> IpcResult<Preview> {
    let shared = state.0.clone();
    shared.note_request(request.seq);
    tauri::async_runtime::spawn_blocking(move || preview(&shared, request))
        .await
        .map_err(|e| IpcError::internal(format!("the render worker stopped: {e}")))?
}

#[tauri::command]
pub async fn render_print(
    state: State<'_, AppState>,
    request: PreviewRequest,
) -> IpcResult<PrintPreview> {
    let shared = state.0.clone();
    tauri::async_runtime::spawn_blocking(move || print_preview(&shared, request))
        .await
        .map_err(|e| IpcError::internal(format!("the render worker stopped: {e}")))?
}

/// A parsed template ready to render, or the problems that stop every channel.
struct Prepared {
    bundle: TemplateBundle,
    persona: String,
    locale: String,
    outline: Option<Outline>,
    /// Channels whose source file does not parse: not rendered (the UI keeps their last good
    /// rendition), while every other channel renders from the rest of the files.
    broken: Vec<Channel>,
    /// The parse problems of those files.
    problems: Vec<Problem>,
}

/// What is left to show when nothing can render: the outline (if the manifest parses) and why.
type Unrenderable = (Option<Outline>, Vec<Problem>);

fn prepare(shared: &Shared, request: PreviewRequest) -> IpcResult<Result<Prepared, Unrenderable>> {
    let files = TemplateFiles(request.files);
    let brand_id = crate::commands::template::brand_of(&files);
    let (brand, blocks) = {
        let lib = shared.library()?;
        (lib.store.brand(&brand_id), lib.store.blocks()?)
    };
    let outline = outline_of(&files, brand.as_ref().ok().map(|b| b.kit.name.as_str()));
    let (source, broken, problems) = match parse_template(&files) {
        Ok(source) => (source, Vec::new(), Vec::new()),
        Err(errors) => {
            let problems: Vec<Problem> = errors.iter().map(Problem::from_format).collect();
            match with_stored_channel_files(shared, &request.template_id, &files, &errors)? {
                Some((source, broken)) => (source, broken, problems),
                None => return Ok(Err((outline, problems))),
            }
        }
    };
    let brand = match brand {
        Ok(brand) => brand,
        Err(e) => {
            let mut p = Problem::from_format(&ccm_core::format::FormatError::new(
                MANIFEST_FILE,
                e.to_string(),
                e.hint(),
            ));
            p.code = e.code().to_owned();
            return Ok(Err((outline, vec![p])));
        }
    };
    let persona = request
        .persona
        .filter(|id| source.personas.iter().any(|p| &p.id == id))
        .or_else(|| default_persona(&source.personas))
        .unwrap_or_default();
    let locale = request
        .locale
        .filter(|l| source.manifest.locales.contains(l))
        .unwrap_or_else(|| source.manifest.default_locale.clone());
    let bundle = TemplateBundle {
        template_id: request.template_id,
        version: 0,
        hash: files.content_hash(),
        source,
        brand,
        blocks,
    };
    Ok(Ok(Prepared {
        bundle,
        persona,
        locale,
        outline,
        broken,
        problems,
    }))
}

/// When only channel files fail to parse, the same files with those replaced by the stored
/// latest version's text, and the channels they belong to. `None` when anything else is
/// broken (the manifest, a persona) or the replacement does not parse either.
fn with_stored_channel_files(
    shared: &Shared,
    template_id: &str,
    files: &TemplateFiles,
    errors: &[ccm_core::format::FormatError],
) -> IpcResult<Option<(ccm_core::model::TemplateSource, Vec<Channel>)>> {
    let mut broken = Vec::new();
    let mut broken_files = Vec::new();
    for e in errors {
        let path = e.file.to_string_lossy().replace('\\', "/");
        match template_file_kind(&path) {
            TemplateFileKind::Channel { channel, .. } => {
                broken.push(channel);
                broken_files.push(path);
            }
            _ => return Ok(None),
        }
    }
    let Ok(stored) = shared.library()?.store.get(template_id, None) else {
        return Ok(None);
    };
    let mut patched = files.clone();
    for path in &broken_files {
        match stored.files.get(path) {
            Some(text) => patched.0.insert(path.clone(), text.to_owned()),
            None => return Ok(None),
        };
    }
    broken.sort();
    broken.dedup();
    Ok(parse_template(&patched).ok().map(|source| (source, broken)))
}

fn preview(shared: &Shared, request: PreviewRequest) -> IpcResult<Preview> {
    let started = Instant::now();
    let seq = request.seq;
    if shared.is_stale(seq) {
        return Err(IpcError::superseded());
    }
    let mut out = Preview {
        seq,
        elapsed_ms: 0.0,
        outline: None,
        email: None,
        sms: None,
        push: None,
        problems: Vec::new(),
        findings: Vec::new(),
        rules_error: None,
    };
    match prepare(shared, request)? {
        Err((outline, problems)) => {
            out.outline = outline;
            out.problems = problems;
        }
        Ok(p) => {
            let opts = options(None);
            out.problems.extend(p.problems.iter().cloned());
            let outputs: Vec<ChannelOutput> = [Channel::Email, Channel::Sms, Channel::Push]
                .into_iter()
                .filter(|c| !p.broken.contains(c))
                .map(|c| render(&shared.engine, &p.bundle, &p.persona, &p.locale, c, &opts))
                .collect();
            for result in &outputs {
                out.problems
                    .extend(result.diagnostics.iter().filter_map(problem_of));
                match &result.rendition {
                    Some(Rendition::Email(e)) => {
                        out.email = Some(email_view(&p.bundle, &p.locale, e))
                    }
                    Some(Rendition::Sms(s)) => out.sms = Some(sms_view(s)),
                    Some(Rendition::Push(push)) => out.push = Some(push_view(push)),
                    Some(Rendition::Print(_)) | None => {}
                }
            }
            let set = RenderSet {
                template_id: p.bundle.template_id.clone(),
                version: p.bundle.version,
                template_hash: p.bundle.hash.clone(),
                persona: p.persona.clone(),
                locale: p.locale.clone(),
                today: opts.today.to_string(),
                outputs,
            };
            match &shared.rules {
                Ok(rules) => match check_rendered(rules, &p.bundle, &p.persona, &p.locale, &set) {
                    Ok(findings) => {
                        out.findings = findings.iter().map(FindingView::from_finding).collect()
                    }
                    Err(e) => out.rules_error = Some(e.to_string()),
                },
                Err(e) => out.rules_error = Some(e.to_string()),
            }
            out.outline = p.outline;
        }
    }
    out.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(out)
}

fn print_preview(shared: &Shared, request: PreviewRequest) -> IpcResult<PrintPreview> {
    let started = Instant::now();
    let seq = request.seq;
    if shared.is_stale(seq) {
        return Err(IpcError::superseded());
    }
    let mut out = PrintPreview {
        seq,
        elapsed_ms: 0.0,
        pages: Vec::new(),
        page_width_mm: 210.0,
        page_height_mm: 297.0,
        envelope_window: None,
        pdf_bytes: 0,
        problems: Vec::new(),
    };
    // Print problems of an unparsable template are already shown by the preview response.
    let Ok(p) = prepare(shared, request)? else {
        return Ok(out);
    };
    if p.broken.contains(&Channel::Print) {
        return Ok(out);
    }
    let result = render(
        &shared.engine,
        &p.bundle,
        &p.persona,
        &p.locale,
        Channel::Print,
        &options(Some(PREVIEW_DPI)),
    );
    out.problems
        .extend(result.diagnostics.iter().filter_map(problem_of));
    if let Some(Rendition::Print(print)) = result.rendition {
        out.page_width_mm = print.metrics.page_width_mm;
        out.page_height_mm = print.metrics.page_height_mm;
        out.pdf_bytes = u32::try_from(print.pdf.len()).unwrap_or(u32::MAX);
        out.pages = print
            .pages_png
            .iter()
            .map(|png| data_url("image/png", png))
            .collect();
        out.envelope_window = envelope_window(&p.bundle, &p.locale);
    }
    out.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(out)
}

/// Renders use today's date from the system clock: the preview shows what would be sent today.
fn options(png_dpi: Option<f32>) -> RenderOptions {
    let mut opts = RenderOptions::new(time::OffsetDateTime::now_utc().date());
    opts.png_dpi = png_dpi;
    opts
}

fn default_persona(personas: &[Persona]) -> Option<String> {
    personas
        .iter()
        .find(|p| !p.edge_case)
        .or(personas.first())
        .map(|p| p.id.clone())
}

/// The outline of possibly broken files: whatever of the manifest and personas still parses.
pub fn outline_of(files: &TemplateFiles, brand_name: Option<&str>) -> Option<Outline> {
    let manifest = parse_manifest(MANIFEST_FILE, files.get(MANIFEST_FILE)?).ok()?;
    let mut personas: Vec<PersonaRef> = files
        .0
        .iter()
        .filter_map(|(path, text)| match template_file_kind(path) {
            TemplateFileKind::Persona { id } => parse_persona(path, &id, text).ok(),
            _ => None,
        })
        .map(|p: Persona| PersonaRef {
            id: p.id,
            label: p.label,
            edge_case: p.edge_case,
        })
        .collect();
    personas.sort_by(|a, b| a.edge_case.cmp(&b.edge_case).then_with(|| a.id.cmp(&b.id)));
    Some(Outline {
        name: manifest.name,
        brand_name: brand_name.unwrap_or(&manifest.brand).to_owned(),
        brand: manifest.brand,
        default_locale: manifest.default_locale,
        locales: manifest.locales,
        channels: manifest.channels,
        personas,
    })
}

/// Render diagnostics for the panes; "this channel is absent" is shown as the pane's state.
fn problem_of(d: &Diagnostic) -> Option<Problem> {
    if d.code == "render.channel-absent" {
        return None;
    }
    Some(Problem {
        severity: match d.severity {
            Severity::Error => ProblemSeverity::Error,
            Severity::Warning => ProblemSeverity::Warning,
            Severity::Info => ProblemSeverity::Info,
        },
        channel: Some(d.channel),
        code: d.code.clone(),
        message: d.message.clone(),
        file: d.file.clone(),
        line: d.line,
        column: d.column,
        hint: d.hint.clone(),
    })
}

fn email_view(
    bundle: &TemplateBundle,
    locale: &str,
    e: &ccm_render::email::EmailRendition,
) -> EmailView {
    let kit = &bundle.brand.kit;
    let name = kit
        .locales
        .get(locale)
        .and_then(|l| l.name.clone())
        .unwrap_or_else(|| kit.name.clone());
    EmailView {
        from_name: name,
        from_address: kit.contact.email.clone(),
        subject: e.subject.clone(),
        preheader: e.preheader.clone(),
        html: e.html.clone(),
        text: e.text.clone(),
        html_bytes: u32::try_from(e.metrics.html_bytes).unwrap_or(u32::MAX),
    }
}

fn sms_view(s: &ccm_render::SmsOutput) -> SmsView {
    let a = &s.analysis;
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    SmsView {
        text: s.text.clone(),
        encoding: match a.encoding {
            ccm_render::sms::SmsEncoding::Gsm7 => "GSM-7",
            ccm_render::sms::SmsEncoding::Ucs2 => "UCS-2",
        }
        .to_owned(),
        characters: n(a.characters),
        units: a.units,
        segments: n(a.segments),
        single_limit: a.single_limit,
        part_limit: a.part_limit,
        units_left_in_segment: a.units_left_in_segment,
        parts: a
            .parts
            .iter()
            .map(|p| SmsPartView {
                index: n(p.index),
                text: p.text.clone(),
                units: p.units,
            })
            .collect(),
        ucs2_forcing: a
            .ucs2_forcing
            .iter()
            .map(|c| ForcingChar {
                char: c.char.clone(),
                codepoint: c.codepoint.clone(),
                utf16_index: n(c.utf16_index),
                replacement: c.replacement.clone(),
            })
            .collect(),
    }
}

fn push_view(p: &PushRendition) -> PushView {
    let surface = |id: &str| {
        p.previews
            .iter()
            .find(|s| s.surface.id == id)
            .map(|s| SurfaceView {
                title: s.title.clone(),
                subtitle: p.text.subtitle.clone(),
                body: s.body.clone(),
                truncated: s.title_truncated || s.body_truncated,
            })
            .unwrap_or_else(|| SurfaceView {
                title: p.text.title.clone(),
                subtitle: p.text.subtitle.clone(),
                body: p.text.body.clone(),
                truncated: false,
            })
    };
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    PushView {
        ios: surface("ios-lock-screen"),
        android: surface("android-collapsed"),
        apns_json: p.apns_json.clone(),
        fcm_json: p.fcm_json.clone(),
        apns_bytes: n(p.apns_bytes),
        fcm_bytes: n(p.fcm_bytes),
        limit_bytes: n(p.payload_limit),
    }
}

/// The envelope window of the letter's profile, for the overlay on page 1.
fn envelope_window(bundle: &TemplateBundle, locale: &str) -> Option<WindowRect> {
    let manifest = &bundle.source.manifest;
    let file = Channel::Print.source_file(locale, &manifest.default_locale);
    let text = bundle.source.files.get(&file)?;
    let id = match parse_print(&file, text).ok()?.meta.envelope {
        Envelope::Naga3 => "naga3",
        Envelope::Us10 => "us10",
        Envelope::None => return None,
    };
    let w = EnvelopeProfile::by_id(id).ok()??.window;
    Some(WindowRect {
        x_mm: w.x,
        y_mm: w.y,
        width_mm: w.w,
        height_mm: w.h,
    })
}

fn data_url(media_type: &str, bytes: &[u8]) -> String {
    format!(
        "data:{media_type};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_url_is_base64_with_media_type() {
        assert_eq!(
            data_url("image/png", b"\x89PNG"),
            "data:image/png;base64,iVBORw=="
        );
    }

    #[test]
    fn outline_sorts_typical_personas_before_edge_cases() {
        let mut files = TemplateFiles::default();
        files.0.insert(
            "template.toml".into(),
            "id = \"t\"\nname = \"N\"\nindustry = \"bank\"\npurpose = \"transactional\"\nbrand = \"b\"\ndefault_locale = \"ja\"\nlocales = [\"ja\"]\n".into(),
        );
        files.0.insert(
            "data/a-long.json".into(),
            r#"{"$persona": {"label": "Long", "edge_case": true}}"#.into(),
        );
        files.0.insert(
            "data/z-typical.json".into(),
            r#"{"$persona": {"label": "Typical"}}"#.into(),
        );
        let o = outline_of(&files, Some("Brand")).expect("manifest parses");
        let ids: Vec<&str> = o.personas.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["z-typical", "a-long"]);
        assert_eq!(o.brand_name, "Brand");
        assert_eq!(o.channels.len(), 4, "channels default to all four");
    }

    #[test]
    fn channel_absent_info_is_not_a_pane_problem() {
        let d = Diagnostic::info(Channel::Push, "render.channel-absent", "no push");
        assert!(problem_of(&d).is_none());
        let d =
            Diagnostic::error(Channel::Sms, "tera.syntax", "bad").at("sms.txt", Some(2), Some(5));
        let p = problem_of(&d).unwrap();
        assert_eq!(
            (p.channel, p.file.as_deref(), p.line),
            (Some(Channel::Sms), Some("sms.txt"), Some(2))
        );
    }

    #[test]
    fn bundled_rule_packs_load_from_the_sample_root() {
        if std::env::var_os("CCM_RULES").is_some() || std::env::var_os("CCM_SAMPLES").is_some() {
            return; // the test is about the default location
        }
        let dir = crate::samples::rules_dir();
        assert!(dir.ends_with("assets/rules"), "{}", dir.display());
        let rules = ccm_rules::RuleSet::load_dir(&dir);
        assert!(rules.is_ok(), "the bundled packs load: {:?}", rules.err());
    }
}
