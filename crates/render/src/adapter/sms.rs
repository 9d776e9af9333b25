//! SMS: the text through Tera, then GSM-7/UCS-2 segmentation and its warnings ([`crate::sms`]).

use super::{expand, ChannelAdapter, ChannelResult, Job};
use crate::context::Part;
use crate::engine::Engine;
use crate::rendition::{Rendition, SmsOutput};
use crate::sms;
use ccm_core::model::Channel;

pub(crate) struct SmsAdapter;

impl ChannelAdapter for SmsAdapter {
    fn render(&self, engine: &Engine, job: &Job<'_>, file: &str, text: &str) -> ChannelResult {
        render_sms(engine, job, file, text)
    }
}

fn render_sms(engine: &Engine, job: &Job<'_>, file: &str, text: &str) -> ChannelResult {
    let ch = Channel::Sms;
    let out = expand(engine, job, ch, vec![Part::text_file(file, text)])?;
    let rendered = out.get(file).map(String::as_str).unwrap_or_default();
    let message = sms::strip_trailing_newline(rendered).to_string();
    let analysis = sms::analyze(&message, job.locale);
    let diagnostics = analysis
        .warnings
        .iter()
        .map(|w| w.clone().at(file, None, None))
        .collect();
    Ok((
        Rendition::Sms(Box::new(SmsOutput {
            text: message,
            analysis,
        })),
        diagnostics,
    ))
}
