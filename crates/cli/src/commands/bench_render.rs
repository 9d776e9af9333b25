//! `ccm bench render`: time one channel of one template, N renders in a row, optionally with a
//! different recipient every time (`--vary`), and print the figures as JSON. The same-run peer
//! comparison (`bench/peers/run.sh`) times the other tools on the same inputs next to it.

use std::time::Instant;

use anyhow::{anyhow, bail, Result};
use ccm_core::model::{Channel, Persona};
use ccm_render::{render_record, Engine, Rendition, Severity};
use serde_json::{json, Map, Value};

use super::bench::{ms, percentile};
use super::render::{options, Target};
use crate::context::Context;

#[derive(clap::Args)]
pub struct RenderArgs {
    #[command(flatten)]
    target: Target,
    /// email | sms | push | print
    #[arg(long)]
    channel: String,
    /// Persona whose data is rendered (and varied) [default: the first typical persona]
    #[arg(long)]
    persona: Option<String>,
    /// Timed renders
    #[arg(long, default_value_t = 100)]
    iterations: usize,
    /// Untimed renders first (warm caches, as in the app)
    #[arg(long, default_value_t = 3)]
    warmup: usize,
    /// A different recipient on every render: the persona's name and address fields get the
    /// iteration number appended, so no render repeats an earlier one
    #[arg(long)]
    vary: bool,
}

pub fn run(ctx: &Context, args: RenderArgs) -> Result<Value> {
    let bundle = args.target.bundle(ctx)?;
    let locale = args.target.locale(&bundle);
    let channel: Channel = args
        .channel
        .parse()
        .map_err(|e: String| anyhow!("--channel: {e}"))?;
    let personas = &bundle.source.personas;
    let persona = match &args.persona {
        Some(id) => personas
            .iter()
            .find(|p| &p.id == id)
            .ok_or_else(|| anyhow!("template `{}` has no persona `{id}`", bundle.template_id))?,
        None => personas
            .iter()
            .find(|p| !p.edge_case)
            .or(personas.first())
            .ok_or_else(|| anyhow!("template `{}` has no persona", bundle.template_id))?,
    };
    let mut opts = options(args.target.today.as_deref(), false, 0.0)?;
    // Page images are a preview feature; a PDF is what the peers produce too.
    opts.png_dpi = None;
    let engine = Engine::new();
    let render_one = |i: usize| -> Result<usize> {
        let record = if args.vary {
            varied(persona, i)
        } else {
            persona.clone()
        };
        let out = render_record(&engine, &bundle, &record, &locale, &[channel], &opts);
        let out = out.into_iter().next().ok_or_else(|| anyhow!("no output"))?;
        if let Some(d) = out
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
        {
            bail!("the {channel} render failed: {d}");
        }
        Ok(out.rendition.as_ref().map_or(0, output_bytes))
    };
    for i in 0..args.warmup {
        render_one(1_000_000 + i)?;
    }
    let mut times = Vec::with_capacity(args.iterations);
    let mut bytes = 0;
    let started = Instant::now();
    for i in 0..args.iterations {
        let t = Instant::now();
        bytes = render_one(i)?;
        times.push(t.elapsed());
    }
    let total = started.elapsed();
    times.sort();
    let n = args.iterations.max(1) as f64;
    Ok(json!({
        "channel": channel.as_str(),
        "template": bundle.template_id,
        "persona": persona.id,
        "locale": locale,
        "iterations": args.iterations,
        "vary": args.vary,
        "total_ms": ms(total),
        "mean_ms": ms(total) / n,
        "p50_ms": ms(percentile(&times, 50)),
        "p95_ms": ms(percentile(&times, 95)),
        "per_second": n / total.as_secs_f64().max(f64::EPSILON),
        "last_output_bytes": bytes,
        "build": build_profile(),
    }))
}

/// Size of what the channel delivers: the MIME message, the PDF, the SMS text, the push JSON.
fn output_bytes(r: &Rendition) -> usize {
    match r {
        Rendition::Email(e) => e.eml.len(),
        Rendition::Print(p) => p.pdf.len(),
        Rendition::Sms(s) => s.text.len(),
        Rendition::Push(p) => p.apns_bytes + p.fcm_bytes,
    }
}

/// The persona with ` <i>` appended to every name and address field (recursively: `customer.
/// name`, `address_line1`, `city`…), so each render is a new letter, not a cached one.
pub fn varied(persona: &Persona, i: usize) -> Persona {
    let mut p = persona.clone();
    p.id = format!("{}-{i}", persona.id);
    vary_fields(&mut p.data, i);
    p
}

fn vary_fields(map: &mut Map<String, Value>, i: usize) {
    for (key, value) in map.iter_mut() {
        match value {
            Value::Object(inner) => vary_fields(inner, i),
            Value::String(s) if !s.is_empty() && is_recipient_field(key) => {
                s.push_str(&format!(" {i}"));
            }
            _ => {}
        }
    }
}

fn is_recipient_field(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    !key.contains("email")
        && ["name", "address", "street", "city"]
            .iter()
            .any(|k| key.contains(k))
}

pub fn build_profile() -> &'static str {
    if cfg!(debug_assertions) {
        "debug (dependencies and ccm-render/ccm-print at opt-level 2)"
    } else {
        "release"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varied_changes_names_and_addresses_but_not_emails_or_numbers() {
        let data = json!({
            "customer": {"name": "Ana Ruiz", "address_line1": "88 Cedar Lane", "address_line2": "",
                         "email": "ana@example.com", "zip": "83702"},
            "amount": 12.5
        });
        let persona = Persona {
            id: "typical".into(),
            label: String::new(),
            edge_case: false,
            data: data.as_object().cloned().unwrap_or_default(),
        };
        let v = varied(&persona, 7);
        assert_eq!(v.data["customer"]["name"], "Ana Ruiz 7");
        assert_eq!(v.data["customer"]["address_line1"], "88 Cedar Lane 7");
        assert_eq!(v.data["customer"]["address_line2"], "");
        assert_eq!(v.data["customer"]["email"], "ana@example.com");
        assert_eq!(v.data["customer"]["zip"], "83702");
        assert_eq!(v.data["amount"], 12.5);
        assert_ne!(varied(&persona, 8).data, v.data);
    }
}
