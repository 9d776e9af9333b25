//! Email channel, warm: Markdown → MJML → HTML → inlined CSS → MIME for a ~3 KB Japanese bank
//! reminder. Target ≤ 5 ms (issue 3).

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

#[path = "../tests/email_support/mod.rs"]
mod support;

fn bench_email(c: &mut Criterion) {
    let brand = support::brand();
    let input = support::input_ja();
    // Warm: the logo variant is cached after the first render, as in the app.
    ccm_render::email::render_email(&input, &brand).expect("renders");
    c.bench_function("email/jp-bank-reminder", |b| {
        b.iter(|| ccm_render::email::render_email(black_box(&input), black_box(&brand)))
    });
}

criterion_group!(benches, bench_email);
criterion_main!(benches);
