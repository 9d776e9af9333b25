//! Library benchmarks: `cargo bench -p ccm-core --bench library`.

use ccm_core::model::TemplateFiles;
use criterion::{criterion_group, criterion_main, Criterion};

fn content_hash(c: &mut Criterion) {
    let mut files = TemplateFiles::default();
    files.0.insert("email.md".into(), "お支払い期日のお知らせ\n".repeat(100));
    c.bench_function("content_hash", |b| b.iter(|| files.content_hash()));
}

criterion_group!(benches, content_hash);
criterion_main!(benches);
