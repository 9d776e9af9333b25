//! Live preview of the editor's (unsaved) files: one request per edit, answered on a channel
//! pane by pane as each is ready (`ccm_render::live` renders the channels in parallel on the
//! blocking pool, never on the UI or IPC threads). A request older than the newest one is
//! skipped, and a render overtaken by a newer edit stops at its next step.

use std::time::Instant;

use base64::Engine as _;
use ccm_core::diagnostic::codes;
use ccm_core::model::TemplateFiles;
use ccm_render::draft::{self, Draft, DraftRequest, Prepared};
use ccm_render::live::{self, LiveEvent, LiveOptions, PageImage};
use ccm_render::push::PushRendition;
use ccm_render::{Diagnostic, Rendition};
use tauri::ipc::Channel as IpcChannel;
use tauri::State;

use crate::dto::{
    EmailImageView, EmailLinkView, EmailView, ForcingChar, Outline, PaneUpdate, PreviewEvent,
    PreviewRequest, PrintPageView, PushView, SmsPartView, SmsView, SurfaceView, WindowRect,
};
use crate::error::{IpcError, IpcResult};
use crate::state::{AppState, KeptLetter, Shared};

/// The resolutions a page image may be asked for at: the pane's width in device pixels, from
/// a narrow pane on a plain screen to a wide one on a 3× screen.
const PAGE_DPI: std::ops::RangeInclusive<f32> = 30.0..=300.0;

/// The resolution to rasterise at: the screen's, as the pane measured it.
fn page_dpi(asked: f32) -> f32 {
    if asked.is_finite() {
        asked.clamp(*PAGE_DPI.start(), *PAGE_DPI.end())
    } else {
        110.0
    }
}

/// Renders the draft for every pane, streaming [`PreviewEvent`]s to `on_event`; returns when
/// the render is over (or was skipped as stale). The letter's page `print_page` is rasterised
/// at `print_dpi`, the resolution of the pane on screen.
#[tauri::command]
pub async fn preview_live(
    state: State<'_, AppState>,
    request: PreviewRequest,
    print_page: u32,
    print_dpi: f32,
    on_event: IpcChannel<PreviewEvent>,
) -> IpcResult<()> {
    let shared = state.0.clone();
    shared.note_request(request.seq);
    let page = (print_page, page_dpi(print_dpi));
    tauri::async_runtime::spawn_blocking(move || {
        live_preview(&shared, request, page, &|event| {
            // The window may be gone (closed mid-render): nothing left to show it in.
            let _ = on_event.send(event);
        })
    })
    .await
    .map_err(|e| IpcError::internal(format!("the render worker stopped: {e}")))?
}

/// Another page of the letter the newest preview laid out (as the user pages through it).
#[tauri::command]
pub async fn preview_page(
    state: State<'_, AppState>,
    page: u32,
    dpi: f32,
) -> IpcResult<PrintPageView> {
    let shared = state.0.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let kept = shared.kept_letter().ok_or_else(|| {
            IpcError::new(codes::INVALID_INPUT, "no letter has been laid out yet")
        })?;
        let image = live::page_png(&kept.letter, page as usize, page_dpi(dpi))
            .map_err(|d| IpcError::internal(d.message.en))?;
        let metrics = kept.letter.0.metrics();
        let size = (metrics.page_width_mm, metrics.page_height_mm);
        Ok(page_view(
            kept.seq,
            &image,
            size,
            kept.envelope_window.as_ref(),
        ))
    })
    .await
    .map_err(|e| IpcError::internal(format!("the render worker stopped: {e}")))?
}

/// The draft to render, or — when nothing can render — the outline and problems.
fn prepare(shared: &Shared, request: PreviewRequest) -> IpcResult<Prepared> {
    let request = DraftRequest {
        template_id: request.template_id,
        files: TemplateFiles(request.files),
        persona: request.persona,
        locale: request.locale,
    };
    Ok(draft::prepare(&shared.library()?.store, request)?)
}

fn live_preview(
    shared: &Shared,
    request: PreviewRequest,
    (print_page, print_dpi): (u32, f32),
    emit: &(dyn Fn(PreviewEvent) + Sync),
) -> IpcResult<()> {
    let started = Instant::now();
    let seq = request.seq;
    if shared.is_stale(seq) {
        return Err(IpcError::superseded());
    }
    let draft = match prepare(shared, request)? {
        Prepared::Unrenderable { outline, problems } => {
            emit(PreviewEvent::Draft {
                seq,
                outline: outline.map(Outline::from),
                problems,
                renderable: false,
            });
            emit(done(seq, started, true));
            return Ok(());
        }
        Prepared::Ready(draft) => draft,
    };
    emit(PreviewEvent::Draft {
        seq,
        outline: draft.outline.clone().map(Outline::from),
        problems: draft.problems.clone(),
        renderable: true,
    });
    let opts = LiveOptions {
        today: time::OffsetDateTime::now_utc().date(),
        print_page: print_page.max(1) as usize,
        print_dpi,
    };
    let sheet = Sheet::of(&draft);
    let rules = shared.rules.as_ref().map_err(ToString::to_string);
    let outcome = live::render_live(
        &shared.engine,
        &shared.live_cache,
        rules,
        &draft,
        &opts,
        &|| shared.is_stale(seq),
        &|event| emit(event_dto(seq, &draft, &sheet, event)),
    );
    if let Some(letter) = outcome.letter {
        shared.keep_letter(KeptLetter {
            seq,
            letter,
            envelope_window: sheet.window.clone(),
        });
    }
    emit(done(seq, started, outcome.complete));
    Ok(())
}

fn done(seq: u32, started: Instant, complete: bool) -> PreviewEvent {
    PreviewEvent::Done {
        seq,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        complete,
    }
}

/// What the pane draws over the letter: its envelope's window.
struct Sheet {
    window: Option<WindowRect>,
}

impl Sheet {
    fn of(draft: &Draft) -> Sheet {
        Sheet {
            window: draft.envelope_window().map(|w| WindowRect {
                x_mm: w.x,
                y_mm: w.y,
                width_mm: w.w,
                height_mm: w.h,
            }),
        }
    }
}

fn event_dto(seq: u32, draft: &Draft, sheet: &Sheet, event: LiveEvent<'_>) -> PreviewEvent {
    match event {
        LiveEvent::Pane {
            output,
            page,
            elapsed,
        } => {
            let mut pane = PaneUpdate {
                seq,
                channel: output.channel,
                elapsed_ms: elapsed.as_secs_f64() * 1000.0,
                email: None,
                sms: None,
                push: None,
                print: None,
                problems: output.diagnostics.iter().filter_map(problem_of).collect(),
            };
            match &output.rendition {
                Some(Rendition::Email(e)) => pane.email = Some(email_view(draft, e)),
                Some(Rendition::Sms(s)) => pane.sms = Some(sms_view(s)),
                Some(Rendition::Push(p)) => pane.push = Some(push_view(p)),
                Some(Rendition::Print(p)) => {
                    pane.print = page.map(|image| {
                        let (w, h) = (p.metrics.page_width_mm, p.metrics.page_height_mm);
                        page_view(seq, &image, (w, h), sheet.window.as_ref())
                    });
                }
                None => {}
            }
            PreviewEvent::Pane(Box::new(pane))
        }
        LiveEvent::Findings(found) => {
            let (findings, rules_error) = match found {
                Ok(findings) => (findings, None),
                Err(e) => (Vec::new(), Some(e)),
            };
            PreviewEvent::Findings {
                seq,
                findings,
                rules_error,
            }
        }
        LiveEvent::PrintPdf { bytes } => PreviewEvent::PrintPdf {
            seq,
            pdf_bytes: u32::try_from(bytes).unwrap_or(u32::MAX),
        },
    }
}

/// `size_mm`: the sheet's width and height.
fn page_view(
    seq: u32,
    image: &PageImage,
    size_mm: (f64, f64),
    window: Option<&WindowRect>,
) -> PrintPageView {
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    PrintPageView {
        seq,
        page: n(image.page),
        pages: n(image.pages),
        image: data_url("image/png", &image.png),
        page_width_mm: size_mm.0,
        page_height_mm: size_mm.1,
        envelope_window: (image.page == 1).then(|| window.cloned()).flatten(),
    }
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
    use ccm_core::model::Channel;

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
