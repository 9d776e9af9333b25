//! Live preview of the editor's (unsaved) files. Rendering runs on the blocking pool, never on
//! the UI or IPC threads; a request older than the newest one is skipped before it renders.
//! Email, SMS and push come back first; print (Typst → PNG pages) is a second request.

use std::time::Instant;

use base64::Engine as _;
use ccm_core::diagnostic::codes;
use ccm_core::model::{Channel, TemplateFiles};
use ccm_render::draft::{self, Draft, DraftRequest, Prepared};
use ccm_render::push::PushRendition;
use ccm_render::{Diagnostic, RenderOptions, Rendition};
use tauri::State;

use crate::dto::{
    EmailImageView, EmailLinkView, EmailView, ForcingChar, Outline, Preview, PreviewRequest,
    PrintPreview, PushView, SmsPartView, SmsView, SurfaceView, WindowRect,
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

/// The draft to render, or — when nothing can render — the response's outline and problems.
fn prepare(shared: &Shared, request: PreviewRequest) -> IpcResult<Prepared> {
    let request = DraftRequest {
        template_id: request.template_id,
        files: TemplateFiles(request.files),
        persona: request.persona,
        locale: request.locale,
    };
    Ok(draft::prepare(&shared.library()?.store, request)?)
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
        Prepared::Unrenderable { outline, problems } => {
            out.outline = outline.map(Outline::from);
            out.problems = problems;
        }
        Prepared::Ready(draft) => {
            out.problems = draft.problems.clone();
            let set = draft.render(
                &shared.engine,
                &[Channel::Email, Channel::Sms, Channel::Push],
                &options(None),
            );
            for result in &set.outputs {
                out.problems
                    .extend(result.diagnostics.iter().filter_map(problem_of));
                match &result.rendition {
                    Some(Rendition::Email(e)) => out.email = Some(email_view(&draft, e)),
                    Some(Rendition::Sms(s)) => out.sms = Some(sms_view(s)),
                    Some(Rendition::Push(push)) => out.push = Some(push_view(push)),
                    Some(Rendition::Print(_)) | None => {}
                }
            }
            (out.findings, out.rules_error) = findings(shared, &draft, &set);
            out.outline = draft.outline.map(Outline::from);
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
        findings: Vec::new(),
        rules_error: None,
    };
    // Problems of an unparsable template are already shown by the preview response.
    let Prepared::Ready(draft) = prepare(shared, request)? else {
        return Ok(out);
    };
    let set = draft.render(
        &shared.engine,
        &[Channel::Print],
        &options(Some(PREVIEW_DPI)),
    );
    let Some(result) = set.outputs.first() else {
        return Ok(out); // print.md is broken: the preview response shows why
    };
    out.problems
        .extend(result.diagnostics.iter().filter_map(problem_of));
    if let Some(Rendition::Print(print)) = &result.rendition {
        out.page_width_mm = print.metrics.page_width_mm;
        out.page_height_mm = print.metrics.page_height_mm;
        out.pdf_bytes = u32::try_from(print.pdf.len()).unwrap_or(u32::MAX);
        out.pages = print
            .pages_png
            .iter()
            .map(|png| data_url("image/png", png))
            .collect();
        out.envelope_window = draft.envelope_window().map(|w| WindowRect {
            x_mm: w.x,
            y_mm: w.y,
            width_mm: w.w,
            height_mm: w.h,
        });
    }
    (out.findings, out.rules_error) = findings(shared, &draft, &set);
    out.elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    Ok(out)
}

/// The draft's findings for the channels in `set`, or why the rule packs could not run (never
/// silently nothing).
fn findings(
    shared: &Shared,
    draft: &Draft,
    set: &ccm_render::RenderSet,
) -> (Vec<Diagnostic>, Option<String>) {
    let checked = match &shared.rules {
        Ok(rules) => draft.check(rules, set).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    match checked {
        Ok(found) => (found, None),
        Err(e) => (Vec::new(), Some(e)),
    }
}

/// Renders use today's date from the system clock: the preview shows what would be sent today.
fn options(png_dpi: Option<f32>) -> RenderOptions {
    let mut opts = RenderOptions::new(time::OffsetDateTime::now_utc().date());
    opts.png_dpi = png_dpi;
    opts
}

/// Render diagnostics for the panes; "this channel is absent" is shown as the pane's state.
pub fn problem_of(d: &Diagnostic) -> Option<Diagnostic> {
    (d.code != codes::RENDER_CHANNEL_ABSENT.id).then(|| d.clone())
}

fn email_view(draft: &Draft, e: &ccm_render::email::EmailRendition) -> EmailView {
    let kit = &draft.bundle.brand.kit;
    EmailView {
        // The name the From header carries, so the inbox row shows what the recipient sees.
        from_name: e.from_name.clone(),
        from_address: kit.contact.email.clone(),
        subject: e.subject.clone(),
        preheader: e.preheader.clone(),
        html: e.html.clone(),
        text: e.text.clone(),
        html_bytes: u32::try_from(e.metrics.html_bytes).unwrap_or(u32::MAX),
        links: e
            .metrics
            .links
            .iter()
            .map(|l| EmailLinkView {
                href: l.href.clone(),
                text: l.text.clone(),
            })
            .collect(),
        images: e
            .metrics
            .images
            .iter()
            .map(|i| EmailImageView {
                // Inline parts are named by a content hash; people only need to know they travel
                // with the message.
                src: if i.src.starts_with("cid:") {
                    "inline".to_owned()
                } else {
                    i.src.clone()
                },
                alt: i.alt.clone(),
                width: i.width,
            })
            .collect(),
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

pub(crate) fn data_url(media_type: &str, bytes: &[u8]) -> String {
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
    fn channel_absent_info_is_not_a_pane_problem() {
        let d = Diagnostic::info(Channel::Push, codes::RENDER_CHANNEL_ABSENT, "no push");
        assert!(problem_of(&d).is_none());
        let d = Diagnostic::error(Channel::Sms, codes::TERA_SYNTAX, "bad").at(
            "sms.txt",
            Some(2),
            Some(5),
        );
        let p = problem_of(&d).unwrap();
        assert_eq!(
            (p.channel, p.file.as_deref(), p.line),
            (Some(Channel::Sms), Some("sms.txt"), Some(2))
        );
    }
}
