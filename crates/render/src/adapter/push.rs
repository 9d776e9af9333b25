//! Push: each field of `push.toml` through Tera, the image checked from the brand kit, then the
//! APNs and FCM payloads and what lock screens show ([`crate::push`]).

use super::{brand_asset, expand, field_line, format_diag, ChannelAdapter, ChannelResult, Job};
use crate::components::{self, Component};
use crate::context::Part;
use crate::engine::Engine;
use crate::push::{self, PushText};
use crate::rendition::Rendition;
use ccm_core::diagnostic::{codes, Diagnostic};
use ccm_core::format as fmt;
use ccm_core::model::Channel;

pub(crate) struct PushAdapter;

impl ChannelAdapter for PushAdapter {
    fn render(&self, engine: &Engine, job: &Job<'_>, file: &str, text: &str) -> ChannelResult {
        render_push(engine, job, file, text)
    }
}

fn render_push(engine: &Engine, job: &Job<'_>, file: &str, text: &str) -> ChannelResult {
    let ch = Channel::Push;
    let content = fmt::parse_push(file, text).map_err(|e| vec![format_diag(ch, e)])?;
    let fields: [(&str, Option<&String>); 5] = [
        ("title", Some(&content.title)),
        ("subtitle", content.subtitle.as_ref()),
        ("body", Some(&content.body)),
        ("image", content.image.as_ref()),
        ("deep_link", content.deep_link.as_ref()),
    ];
    let parts = fields
        .iter()
        .filter_map(|(k, v)| v.map(|v| Part::field(file, k, v, text, 1)))
        .collect();
    let mut out = expand(engine, job, ch, parts)?;
    let mut take = |k: &str| {
        out.remove(&format!("{file}#{k}"))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    // A button() in a field shows its label there; its URL becomes the deep link (unless
    // push.toml gives one) and its action the notification's category.
    let mut buttons = Vec::new();
    let mut shown = |k: &str| {
        let (text, found) = components::take_push_actions(&take(k));
        buttons.extend(found);
        text.trim().to_string()
    };
    let (title, subtitle, body) = (shown("title"), shown("subtitle"), shown("body"));
    let mut push_text = PushText {
        title,
        subtitle,
        body,
        image: take("image"),
        deep_link: take("deep_link"),
        action: String::new(),
    };
    if let Some(Component::Button { url, action, .. }) = buttons.first() {
        if push_text.deep_link.is_empty() {
            push_text.deep_link = url.clone();
        }
        push_text.action = action.clone();
    }
    let mut diagnostics = Vec::new();
    let image =
        if push_text.image.is_empty() || push_text.image.to_ascii_lowercase().starts_with("http") {
            None
        } else {
            match brand_asset(&job.bundle.brand, &push_text.image) {
                Some(bytes) => match engine.image(bytes).as_ref() {
                    Ok(c) => Some(c.clone()),
                    Err(e) => {
                        diagnostics.push(
                            Diagnostic::error(
                                ch,
                                codes::PUSH_IMAGE_DECODE,
                                format!("image `{}`: {e}", push_text.image),
                            )
                            .at(file, field_line(text, "image"), None)
                            .hint("export the image again as PNG or JPEG"),
                        );
                        None
                    }
                },
                None => None,
            }
        };
    let r = push::render_push(push_text, image);
    diagnostics.extend(r.warnings.iter().map(|w| {
        let line = w.field().and_then(|f| field_line(text, f));
        w.clone().at(file, line, None)
    }));
    Ok((Rendition::Push(Box::new(r)), diagnostics))
}
