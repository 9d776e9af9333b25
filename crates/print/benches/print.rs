//! Warm print rendering of the sample Japanese letter (release targets: compile + PDF ≤ 50 ms,
//! first page PNG ≤ 50 ms). Run with `cargo bench -p ccm-print`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use ccm_print::samples;
use ccm_print::Printer;

fn print(c: &mut Criterion) {
    let printer = Printer::new().expect("bundled fonts load");
    let mut job = samples::japanese_letter();
    job.brand.logo_png = Some(samples::logo_png(240));
    let letter = printer.compile(&job).expect("sample letter compiles");
    assert!(letter.page_count() <= 2);

    c.bench_function("print/compile+pdf ja letter", |b| {
        b.iter(|| {
            let letter = printer.compile(black_box(&job)).expect("compiles");
            letter.pdf().expect("pdf")
        })
    });
    c.bench_function("print/png page 1 @144dpi", |b| {
        b.iter(|| letter.png(black_box(1), 144.0).expect("png"))
    });
    c.bench_function("print/compile+pdf+png all-in ja letter", |b| {
        b.iter(|| {
            let letter = printer.compile(black_box(&job)).expect("compiles");
            (
                letter.pdf().expect("pdf"),
                letter.png(1, 144.0).expect("png"),
            )
        })
    });
}

/// Once per process: parse the bundled fonts and build the font book.
fn cold_start(c: &mut Criterion) {
    let mut group = c.benchmark_group("print/cold");
    group.sample_size(10);
    group.bench_function("Printer::new", |b| {
        b.iter(|| Printer::new().expect("fonts"))
    });
    group.finish();
}

criterion_group!(benches, print, cold_start);
criterion_main!(benches);
