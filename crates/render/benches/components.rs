//! What components cost (issue 13: ≤ 10 % of a channel's render time). The bundled sample
//! `jp-bank-statement-notice` (typical persona) is rendered twice per channel, warm: as
//! written, with components (callout, table, button, divider, signature, QR, customer
//! barcode), and as the same content written in plain Markdown and text (a Markdown table,
//! a link, a rule…). The ratio of the two is the figure to report.
//!
//! `cargo bench -p ccm-render --bench components`

use ccm_core::format::load_library;
use ccm_core::model::{Channel, TemplateBundle};
use ccm_render::{render, Engine, RenderOptions};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;

const TEMPLATE: &str = "jp-bank-statement-notice";

const PLAIN_EMAIL: &str = r#"+++
subject = "【さくら銀行】{{ statement.month }}のご利用明細のお知らせ"
preheader = "{{ statement.closing_date | date }}時点の残高は{{ statement.balance | currency }}です。明細をご確認ください。"
+++
{{ customer.name }} 様

いつも**さくら銀行**をご利用いただき、ありがとうございます。{{ statement.month }}のご利用明細ができました。

> **締め日の残高**
> {{ statement.closing_date | date }}時点　{{ statement.balance | currency }}

| 日付 | 内容 | 金額 |
|:--|:--|--:|
{% for l in statement.lines %}| {{ l.date | date(format="short") }} | {{ l.text }} | {{ l.amount | currency }} |
{% endfor %}

[明細を確認する](https://sakura-bank.example.jp/statements?utm_source=email)

---

**さくら銀行 お客さまサービス部**\
{{ brand.legal_name }}

{% include "blocks/no-reply" %}
"#;

const PLAIN_SMS: &str = "【さくら銀行】{{ statement.month }}のご利用明細ができました。明細: https://sakura-bank.example.jp/statements\n";

const PLAIN_PUSH: &str = r#"title = "{{ statement.month }}のご利用明細"
body = "締め日の残高は{{ statement.balance | currency }}です。明細を確認する"
deep_link = "https://sakura-bank.example.jp/app/statements"
"#;

const PLAIN_PRINT: &str = r#"+++
page = "a4"
envelope = "naga3"
recipient = """
〒{{ customer.postal_code }}
{{ customer.address }}
{{ customer.name }} 様"""
title = "ご利用明細のお知らせ"
+++
平素より格別のお引き立てを賜り、厚く御礼申し上げます。{{ statement.month }}のご利用明細をお届けいたします。

> **締め日の残高**
> {{ statement.closing_date | date }}時点　{{ statement.balance | currency }}

| 日付 | 内容 | 金額 |
|:--|:--|--:|
{% for l in statement.lines %}| {{ l.date | date(format="short") }} | {{ l.text }} | {{ l.amount | currency }} |
{% endfor %}

**明細を確認する** https://sakura-bank.example.jp/statements?utm_source=letter

**さくら銀行 お客さまサービス部**\
{{ brand.legal_name }}

{% include "blocks/legal-footer" %}
"#;

fn bundles() -> (TemplateBundle, TemplateBundle) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let load = load_library(&root.join("templates"), &root.join("assets"));
    let source = load
        .templates
        .into_iter()
        .find(|t| t.manifest.id == TEMPLATE)
        .expect("the sample library has jp-bank-statement-notice");
    let brand = load
        .brands
        .into_iter()
        .find(|b| b.kit.id == source.manifest.brand)
        .expect("its brand kit");
    let with = TemplateBundle {
        template_id: source.manifest.id.clone(),
        version: 1,
        hash: source.files.content_hash(),
        source,
        brand,
        blocks: load.blocks,
    };
    let mut plain = with.clone();
    for (file, text) in [
        ("email.md", PLAIN_EMAIL),
        ("sms.txt", PLAIN_SMS),
        ("push.toml", PLAIN_PUSH),
        ("print.md", PLAIN_PRINT),
    ] {
        plain
            .source
            .files
            .0
            .insert(file.to_string(), text.to_string());
    }
    plain.hash = plain.source.files.content_hash();
    (with, plain)
}

fn bench_components(c: &mut Criterion) {
    let (with, plain) = bundles();
    let engine = Engine::new();
    let mut opts = RenderOptions::new(time::macros::date!(2026 - 11 - 23));
    opts.png_dpi = None;
    let mut g = c.benchmark_group("components");
    for (name, channel) in [
        ("sms", Channel::Sms),
        ("push", Channel::Push),
        ("email", Channel::Email),
        ("print-pdf", Channel::Print),
    ] {
        for (variant, bundle) in [("with", &with), ("plain", &plain)] {
            // Warm: templates parsed and cached, fonts loaded.
            let warm = render(&engine, bundle, "typical", "ja", channel, &opts);
            assert!(
                warm.rendition.is_some(),
                "{variant} {name}: {:?}",
                warm.diagnostics
            );
            g.bench_function(format!("{name}/{variant}"), |b| {
                b.iter(|| render(&engine, black_box(bundle), "typical", "ja", channel, &opts))
            });
        }
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench_components
}
criterion_main!(benches);
