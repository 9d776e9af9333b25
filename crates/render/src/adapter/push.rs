//! Push: each field of `push.toml` through Tera, the image checked from the brand kit, then the
//! APNs and FCM payloads and what lock screens show ([`crate::push`]).

use super::{brand_asset, expand, field_line, format_diag, ChannelAdapter, ChannelResult, Job};
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
    let push_text = PushText {
        title: take("title"),
        subtitle: take("subtitle"),
        body: take("body"),
        image: take("image"),
        deep_link: take("deep_link"),
    };
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
