//! The rendering pipeline, warm (parsed templates cached, fonts loaded), on the bundled sample
//! `jp-bank-payment-reminder` (typical persona, ja). Targets (issue 3): SMS and push ≤ 0.1 ms,
//! email ≤ 5 ms, print PDF ≤ 50 ms, first page PNG ≤ 50 ms, all four ≤ 100 ms.
//!
//! `cargo bench -p ccm-render --bench render`

use ccm_core::format::load_library;
use ccm_core::model::{Channel, TemplateBundle};
use ccm_render::{render, render_all, Engine, RenderOptions};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;

#[path = "../tests/support/mod.rs"]
mod support;

const TEMPLATE: &str = "jp-bank-payment-reminder";

/// The sample template when the library is there, else the tests' hand-built bundle.
fn bundle() -> (TemplateBundle, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let load = load_library(&root.join("templates"), &root.join("assets"));
    if let Some(source) = load
        .templates
        .into_iter()
        .find(|t| t.manifest.id == TEMPLATE)
    {
        if let Some(brand) = load
            .brands
            .into_iter()
            .find(|b| b.kit.id == source.manifest.brand)
        {
            let persona = source.personas[0].id.clone();
            let bundle = TemplateBundle {
                template_id: source.manifest.id.clone(),
                version: 1,
                hash: source.files.content_hash(),
                source,
                brand,
                blocks: load.blocks,
            };
            return (bundle, persona);
        }
    }
    (support::bundle(), "typical".to_string())
}

fn bench_render(c: &mut Criterion) {
    let (bundle, persona) = bundle();
    let locale = bundle.source.manifest.default_locale.clone();
    let engine = Engine::new();
    let mut pdf_only = RenderOptions::new(support::today());
    pdf_only.png_dpi = None;
    let mut with_png = pdf_only.clone();
    with_png.png_dpi = Some(144.0);
    // Warm up: parse and cache every channel's templates, load the fonts.
    let warm = render_all(&engine, &bundle, &persona, &locale, &with_png);
    assert!(
        !warm.has_errors(),
        "{:?}",
        warm.diagnostics().collect::<Vec<_>>()
    );

    let mut g = c.benchmark_group("render");
    for (name, channel) in [
        ("sms", Channel::Sms),
        ("push", Channel::Push),
        ("email", Channel::Email),
        ("print-pdf", Channel::Print),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                render(
                    &engine,
                    black_box(&bundle),
                    &persona,
                    &locale,
                    channel,
                    &pdf_only,
                )
            })
        });
    }
    g.bench_function("print-pdf+png-all-pages-144dpi", |b| {
        b.iter(|| {
            render(
                &engine,
                black_box(&bundle),
                &persona,
                &locale,
                Channel::Print,
                &with_png,
            )
        })
    });
    g.bench_function("all-four-pdf", |b| {
        b.iter(|| render_all(&engine, black_box(&bundle), &persona, &locale, &pdf_only))
    });
    g.bench_function("all-four-pdf+png", |b| {
        b.iter(|| render_all(&engine, black_box(&bundle), &persona, &locale, &with_png))
    });
    g.finish();

    c.bench_function("sms/analyze-ja-2-parts", |b| {
        let text = "【さくら銀行】山田 太郎様 2026年12月10日にカードご利用代金¥12,800をお引き落としします。前日までにご入金をお願いいたします。詳細はアプリでご確認ください。";
        b.iter(|| ccm_render::sms::analyze(black_box(text), "ja"))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench_render
}
criterion_main!(benches);
