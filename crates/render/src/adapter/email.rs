//! Email: the body's Markdown and the front matter's fields through Tera, then the brand's MJML
//! layout and the MIME message ([`crate::email`]).

use super::{expand, format_diag, lookup_str, non_empty, ymd, ChannelAdapter, ChannelResult, Job};
use crate::context::Part;
use crate::email::{self, EmailInput};
use crate::engine::Engine;
use crate::rendition::Rendition;
use ccm_core::format as fmt;
use ccm_core::model::Channel;

pub(crate) struct EmailAdapter;

impl ChannelAdapter for EmailAdapter {
    fn render(&self, engine: &Engine, job: &Job<'_>, file: &str, text: &str) -> ChannelResult {
        render_email(engine, job, file, text)
    }
}

fn render_email(engine: &Engine, job: &Job<'_>, file: &str, text: &str) -> ChannelResult {
    let ch = Channel::Email;
    let src = fmt::parse_email(file, text).map_err(|e| vec![format_diag(ch, e)])?;
    let (toml_text, _, _) = fmt::split_front_matter(text).unwrap_or((None, text, 1));
    let toml_text = toml_text.unwrap_or_default();
    let meta = &src.meta;
    let mut parts = vec![
        Part::markdown(file, src.body, src.body_line),
        Part::field(file, "subject", &meta.subject, toml_text, 2),
    ];
    let optional = [
        ("preheader", &meta.preheader),
        ("unsubscribe_url", &meta.unsubscribe_url),
        ("from_name", &meta.from_name),
        ("reply_to", &meta.reply_to),
    ];
    for (key, value) in optional {
        if let Some(v) = value {
            parts.push(Part::field(file, key, v, toml_text, 2));
        }
    }
    let mut out = expand(engine, job, ch, parts)?;
    let mut take = |key: &str| out.remove(&format!("{file}#{key}"));
    let subject = take("subject").unwrap_or_default();
    let preheader = non_empty(take("preheader"));
    let unsubscribe_url = non_empty(take("unsubscribe_url"));
    // The inbox shows the sender's name: the template's own, else the brand's for this locale.
    let from_name = non_empty(take("from_name"))
        .or_else(|| non_empty(Some(job.bundle.brand.kit.identity(job.locale).name)));
    let reply_to = non_empty(take("reply_to"));
    let body_markdown = out.remove(file).unwrap_or_default();
    let kit = &job.bundle.brand.kit;
    let input = EmailInput {
        locale: job.locale.to_string(),
        purpose: job.bundle.source.manifest.purpose,
        subject: subject.trim().to_string(),
        preheader,
        from_name,
        from_address: kit.contact.email.clone(),
        reply_to,
        to_name: lookup_str(job.persona, &["customer.name", "name"]).unwrap_or_default(),
        // Personas without an address still preview; the placeholder is a reserved domain.
        to_address: lookup_str(job.persona, &["customer.email", "email"])
            .unwrap_or_else(|| "customer@example.com".to_string()),
        unsubscribe_url,
        body_markdown,
        body_first_line: src.body_line,
        source_file: file.to_string(),
        date: ymd(job.opts.today),
        message_id_seed: format!(
            "{}/{}/{}/{}",
            job.bundle.hash, job.bundle.version, job.persona.id, job.locale
        ),
    };
    let r = email::render_email(&input, &job.bundle.brand)?;
    let diagnostics = r.diagnostics.clone();
    Ok((Rendition::Email(Box::new(r)), diagnostics))
}
