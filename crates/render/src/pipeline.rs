//! The rendering contract: [`render`] one channel or [`render_all`] four, for one template
//! version, persona and locale. A failing channel returns diagnostics and the others still
//! render; nothing here panics on user input.
//!
//! This module only orchestrates: the checks every channel shares (locale, persona) are made
//! once, then each channel goes to its adapter ([`crate::adapter`]); the warm caches live in
//! the [`Engine`].

use crate::adapter::{adapter, Job};
use crate::context;
pub use crate::engine::Engine;
use crate::filters::FilterLocale;
use crate::rendition::{ChannelOutput, RenderSet};
use ccm_core::diagnostic::{codes, Diagnostic};
use ccm_core::model::{Channel, Persona, TemplateBundle};
use time::Date;

/// The clock and the export switches. Rendering never reads the system clock.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    /// "Today": `{{ today }}`, the letter date, the email `Date` header.
    pub today: Date,
    /// Export the letter as PDF/A-2b.
    pub pdf_a: bool,
    /// Resolution of page PNGs; `None` renders no PNGs.
    pub png_dpi: Option<f32>,
    /// What a print render exports.
    pub print_export: PrintExport,
}

/// What a print render produces besides the letter's metrics and text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrintExport {
    /// The PDF and, with `png_dpi`, a PNG of every page: what is sent, archived and approved.
    #[default]
    Files,
    /// The laid-out letter only ([`crate::PrintOutput::letter`]), compiled incrementally per
    /// template: a live preview rasterises the page on screen, the rest when asked for.
    Live,
}

impl RenderOptions {
    pub fn new(today: Date) -> Self {
        RenderOptions {
            today,
            pdf_a: false,
            png_dpi: Some(144.0),
            print_export: PrintExport::Files,
        }
    }
}

/// Checks shared by all channels; `Err` holds the diagnostics that stop every channel.
fn prepare<'a>(
    bundle: &'a TemplateBundle,
    persona_id: &str,
    locale: &'a str,
    opts: &'a RenderOptions,
) -> Result<Job<'a>, Diagnostic> {
    check_locale(bundle, locale)?;
    let manifest = &bundle.source.manifest;
    let persona = bundle
        .source
        .personas
        .iter()
        .find(|p| p.id == persona_id)
        .ok_or_else(|| {
            let ids: Vec<&str> = bundle
                .source
                .personas
                .iter()
                .map(|p| p.id.as_str())
                .collect();
            Diagnostic::error(
                Channel::Email,
                codes::RENDER_UNKNOWN_PERSONA,
                format!("template `{}` has no persona `{persona_id}`", manifest.id),
            )
            .at(format!("data/{persona_id}.json"), None, None)
            .hint(format!("use one of: {}", ids.join(", ")))
        })?;
    check_persona(persona, Channel::Email)?;
    Ok(job(bundle, persona, locale, opts))
}

/// A persona or record value over [`ccm_core::limits::PERSONA_VALUE_BYTES`] stops every
/// channel: each renderer would otherwise spend its time and memory on it.
fn check_persona(persona: &Persona, channel: Channel) -> Result<(), Diagnostic> {
    match crate::guard::oversized_value(persona) {
        Some((path, bytes)) => Err(crate::guard::persona_value_diagnostic(
            channel, persona, &path, bytes,
        )),
        None => Ok(()),
    }
}

fn job<'a>(
    bundle: &'a TemplateBundle,
    persona: &'a Persona,
    locale: &'a str,
    opts: &'a RenderOptions,
) -> Job<'a> {
    Job {
        bundle,
        persona,
        locale,
        ctx: context::build_context(persona, &bundle.brand, locale, opts.today),
        filters: FilterLocale::new(locale, &bundle.brand.kit.address.country),
        opts,
    }
}

fn check_locale(bundle: &TemplateBundle, locale: &str) -> Result<(), Diagnostic> {
    let manifest = &bundle.source.manifest;
    if !manifest.locales.iter().any(|l| l == locale) {
        return Err(Diagnostic::error(
            Channel::Email,
            codes::RENDER_UNKNOWN_LOCALE,
            format!(
                "template `{}` has no locale `{locale}` (it has: {})",
                manifest.id,
                manifest.locales.join(", ")
            ),
        )
        .at("template.toml", None, None)
        .hint("pick one of the template's locales, or add the locale to `locales` with its channel files"));
    }
    Ok(())
}

/// Renders `channels` of `bundle` in lanes that run side by side, the shared checks and
/// context made once: each lane's channels in order, `on_output` called (from the lane's
/// thread) as soon as each is ready. A lane starts each channel only while `go_on()` holds.
/// `(persona, locale)`: the persona id and locale to render for.
pub(crate) fn render_lanes(
    engine: &Engine,
    bundle: &TemplateBundle,
    (persona, locale): (&str, &str),
    lanes: &[&[Channel]],
    opts: &RenderOptions,
    go_on: &(dyn Fn() -> bool + Sync),
    on_output: &(dyn Fn(ChannelOutput) + Sync),
) {
    let job = prepare(bundle, persona, locale, opts);
    let run_lane = |channels: &[Channel]| {
        for &channel in channels {
            if !go_on() {
                return;
            }
            on_output(match &job {
                Ok(job) => render_channel(engine, job, channel),
                Err(d) => {
                    let mut d = d.clone();
                    d.channel = Some(channel);
                    ChannelOutput::failed(channel, vec![d])
                }
            });
        }
    };
    std::thread::scope(|scope| {
        let (first, others) = lanes
            .split_first()
            .map_or((&[][..], &[][..]), |(f, o)| (*f, o));
        for lane in others {
            scope.spawn(|| run_lane(lane));
        }
        run_lane(first);
    });
}

/// Renders one channel of `bundle` for `persona` (id) and `locale`.
pub fn render(
    engine: &Engine,
    bundle: &TemplateBundle,
    persona: &str,
    locale: &str,
    channel: Channel,
    opts: &RenderOptions,
) -> ChannelOutput {
    match prepare(bundle, persona, locale, opts) {
        Ok(job) => render_channel(engine, &job, channel),
        Err(mut d) => {
            d.channel = Some(channel);
            ChannelOutput::failed(channel, vec![d])
        }
    }
}

/// Renders all four channels (in [`Channel::ALL`] order). Channels the template declares no
/// content for come back without a rendition and with an info diagnostic.
pub fn render_all(
    engine: &Engine,
    bundle: &TemplateBundle,
    persona: &str,
    locale: &str,
    opts: &RenderOptions,
) -> RenderSet {
    let outputs = match prepare(bundle, persona, locale, opts) {
        Ok(job) => Channel::ALL
            .iter()
            .map(|c| render_channel(engine, &job, *c))
            .collect(),
        Err(d) => Channel::ALL
            .iter()
            .map(|c| {
                let mut d = d.clone();
                d.channel = Some(*c);
                ChannelOutput::failed(*c, vec![d])
            })
            .collect(),
    };
    RenderSet {
        template_id: bundle.template_id.clone(),
        version: bundle.version,
        template_hash: bundle.hash.clone(),
        persona: persona.to_string(),
        locale: locale.to_string(),
        today: context::iso_date(opts.today),
        outputs,
    }
}

/// Renders `channels` (in that order) for data that is not one of the template's personas:
/// one record of a batch run. The same checks and adapters as [`render`].
pub fn render_record(
    engine: &Engine,
    bundle: &TemplateBundle,
    record: &Persona,
    locale: &str,
    channels: &[Channel],
    opts: &RenderOptions,
) -> Vec<ChannelOutput> {
    match check_locale(bundle, locale).and_then(|()| check_persona(record, Channel::Email)) {
        Ok(()) => {
            let job = job(bundle, record, locale, opts);
            channels
                .iter()
                .map(|c| render_channel(engine, &job, *c))
                .collect()
        }
        Err(d) => channels
            .iter()
            .map(|c| {
                let mut d = d.clone();
                d.channel = Some(*c);
                ChannelOutput::failed(*c, vec![d])
            })
            .collect(),
    }
}

fn render_channel(engine: &Engine, job: &Job<'_>, channel: Channel) -> ChannelOutput {
    let manifest = &job.bundle.source.manifest;
    if !manifest.channels.contains(&channel) {
        return ChannelOutput::failed(
            channel,
            vec![Diagnostic::info(
                channel,
                codes::RENDER_CHANNEL_ABSENT,
                format!("template `{}` has no {channel} content", manifest.id),
            )
            .at("template.toml", None, None)],
        );
    }
    let file = channel.source_file(job.locale, &manifest.default_locale);
    let Some(text) = job.bundle.source.files.get(&file) else {
        return ChannelOutput::failed(
            channel,
            vec![Diagnostic::error(
                channel,
                codes::RENDER_MISSING_SOURCE,
                format!("`{file}` is missing for locale {}", job.locale),
            )
            .at(file.clone(), None, None)
            .hint(format!(
                "add {file}, or remove {channel} from `channels` in template.toml"
            ))],
        );
    };
    let result = adapter(channel).render(engine, job, &file, text);
    match result {
        Ok((rendition, diagnostics)) => ChannelOutput {
            channel,
            rendition: Some(rendition),
            diagnostics,
        },
        Err(diagnostics) => ChannelOutput::failed(channel, diagnostics),
    }
}
