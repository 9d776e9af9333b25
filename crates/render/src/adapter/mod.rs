//! Channel adapters: one module per channel behind one small trait, the way mdBook has a
//! `Renderer` per output format. An adapter turns the channel's source file into its rendition
//! for one persona and locale; [`crate::pipeline`] only orchestrates (shared checks, which
//! adapter, failures kept per channel). The formats themselves live beside them: [`crate::email`],
//! [`crate::sms`], [`crate::push`] and the `ccm-print` crate.

mod email;
mod print;
mod push;
mod sms;

use crate::context::{Part, TemplateSet};
use crate::engine::Engine;
use crate::filters::FilterLocale;
use crate::pipeline::RenderOptions;
use crate::rendition::Rendition;
use ccm_core::diagnostic::Diagnostic;
use ccm_core::format::{self as fmt, FormatError};
use ccm_core::model::{Brand, Channel, Persona, TemplateBundle};
use std::collections::HashMap;
use time::Date;

/// A rendition and its warnings, or the diagnostics that stopped the channel.
pub(crate) type ChannelResult = Result<(Rendition, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Renders one channel's source file.
pub(crate) trait ChannelAdapter: Sync {
    /// Renders `text`, the channel's source file `file` for the job's locale, for the job's
    /// persona.
    fn render(&self, engine: &Engine, job: &Job<'_>, file: &str, text: &str) -> ChannelResult;
}

/// The adapter of `channel`. The match is exhaustive: a new channel needs its adapter here.
pub(crate) fn adapter(channel: Channel) -> &'static dyn ChannelAdapter {
    match channel {
        Channel::Email => &email::EmailAdapter,
        Channel::Sms => &sms::SmsAdapter,
        Channel::Push => &push::PushAdapter,
        Channel::Print => &print::PrintAdapter,
    }
}

/// Shared inputs of one persona × locale rendering.
pub(crate) struct Job<'a> {
    pub(crate) bundle: &'a TemplateBundle,
    pub(crate) persona: &'a Persona,
    pub(crate) locale: &'a str,
    pub(crate) ctx: tera::Context,
    pub(crate) filters: FilterLocale,
    pub(crate) opts: &'a RenderOptions,
}

pub(crate) fn format_diag(channel: Channel, e: FormatError) -> Diagnostic {
    Diagnostic::format(&e).in_channel(channel)
}

/// Parses (cached) and renders `parts`; every part's error is collected, not only the first.
pub(crate) fn expand(
    engine: &Engine,
    job: &Job<'_>,
    channel: Channel,
    parts: Vec<Part>,
) -> Result<HashMap<String, String>, Vec<Diagnostic>> {
    let names: Vec<String> = parts.iter().map(|p| p.name.clone()).collect();
    let set = TemplateSet::new(
        channel,
        job.locale,
        job.filters.clone(),
        parts,
        &job.bundle.blocks,
    );
    let built = engine.templates(&set);
    let templates = match built.as_ref() {
        Ok(t) => t,
        Err(d) => return Err(d.clone()),
    };
    let mut out = HashMap::new();
    let mut errors = Vec::new();
    for name in names {
        match templates.render(&name, &job.ctx) {
            Ok(s) => {
                out.insert(name, s);
            }
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

pub(crate) fn lookup_str(persona: &Persona, paths: &[&str]) -> Option<String> {
    paths.iter().find_map(|p| {
        fmt::lookup(&persona.data, p)
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .filter(|s| !s.trim().is_empty())
    })
}

pub(crate) fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

pub(crate) fn ymd(d: Date) -> (i32, u8, u8) {
    (d.year(), d.month() as u8, d.day())
}

/// The bytes of an image named by a library asset path (push image, email body image): brand
/// files are addressed as `brands/<brand>/<file>` (or just `<file>`).
pub(crate) fn brand_asset<'a>(brand: &'a Brand, path: &str) -> Option<&'a [u8]> {
    let p = path.trim_start_matches("assets/");
    let prefix = format!("brands/{}/", brand.kit.id);
    let rel = p.strip_prefix(&prefix).unwrap_or(p);
    brand.files.get(rel).map(Vec::as_slice)
}

/// Line of `key = …` in a TOML text.
pub(crate) fn field_line(toml_text: &str, key: &str) -> Option<u32> {
    toml_text
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|i| i as u32 + 1)
}
