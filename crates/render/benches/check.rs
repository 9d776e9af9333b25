//! Compliance checks on the rendered sample `jp-cosme-campaign-noncompliant` (typical persona,
//! ja — the sample with the most findings): every built-in pack over all four channels, warm.
//! Target (issue 5): ≤ 5 ms for one template and persona. Render + check is measured too
//! (warm: the print compile of an unchanged letter is memoised by typst).
//!
//! `cargo bench -p ccm-render --bench check`

use ccm_core::format::load_library;
use ccm_core::model::TemplateBundle;
use ccm_render::checks::{check_input, check_rendered};
use ccm_render::{render_all, Engine, RenderOptions};
use ccm_rules::RuleSet;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;

const TEMPLATE: &str = "jp-cosme-campaign-noncompliant";

fn bundle(root: &Path) -> TemplateBundle {
    let load = load_library(&root.join("templates"), &root.join("assets"));
    let source = load
        .templates
        .into_iter()
        .find(|t| t.manifest.id == TEMPLATE)
        .expect("sample template in templates/");
    let brand = load
        .brands
        .into_iter()
        .find(|b| b.kit.id == source.manifest.brand)
        .expect("its brand in assets/brands/");
    TemplateBundle {
        template_id: source.manifest.id.clone(),
        version: 1,
        hash: source.files.content_hash(),
        source,
        brand,
        blocks: load.blocks,
    }
}

fn bench_check(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let rules =
        RuleSet::load_dir(&root.join(ccm_rules::BUILTIN_PACKS_DIR)).expect("built-in packs");
    let bundle = bundle(&root);
    let persona = "typical";
    let locale = bundle.source.manifest.default_locale.clone();
    let engine = Engine::new();
    let mut opts = RenderOptions::new(time::macros::date!(2026 - 11 - 23));
    opts.png_dpi = None;
    let set = render_all(&engine, &bundle, persona, &locale, &opts);
    assert!(
        set.outputs.iter().all(|o| o.rendition.is_some()),
        "all four channels render: {:?}",
        set.diagnostics().collect::<Vec<_>>()
    );
    let findings = check_rendered(&rules, &bundle, persona, &locale, &set).expect("packs apply");
    assert!(
        !findings.is_empty(),
        "the non-compliant sample has findings"
    );

    c.bench_function("check/all-packs-4-channels", |b| {
        b.iter(|| check_rendered(&rules, &bundle, persona, &locale, black_box(&set)))
    });
    c.bench_function("check/input-only", |b| {
        b.iter(|| check_input(&bundle, black_box(&set)))
    });
    c.bench_function("check/render-and-check", |b| {
        b.iter(|| {
            let set = render_all(&engine, &bundle, persona, &locale, &opts);
            check_rendered(&rules, &bundle, persona, &locale, &set)
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench_check
}
criterion_main!(benches);
