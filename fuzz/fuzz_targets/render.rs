//! Tera → Markdown → every channel's renderer (email, SMS, push, print). The first line of the
//! input is a persona value; the rest replaces the email body, the SMS text and the letter body.
#![no_main]

#[path = "../../crates/render/tests/support/mod.rs"]
mod support;

use ccm_render::{render_all, Engine, RenderOptions};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::new);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (value, body) = text.split_once('\n').unwrap_or((text, ""));
    let email = format!("+++\nsubject = \"s\"\n+++\n{body}");
    let print = format!("+++\nrecipient = \"{{{{ customer.name }}}}\"\n+++\n{body}");
    let mut bundle = support::bundle_with(&[
        ("email.md", &email),
        ("sms.txt", body),
        ("print.md", &print),
    ]);
    for p in &mut bundle.source.personas {
        p.data
            .insert("note".into(), serde_json::Value::String(value.to_string()));
    }
    let mut opts = RenderOptions::new(support::today());
    opts.png_dpi = None;
    let set = render_all(&ENGINE, &bundle, "typical", "ja", &opts);
    assert_eq!(set.outputs.len(), 4);
});
