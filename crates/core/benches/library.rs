//! Library benchmarks on a generated 10,000-template library (Japanese and English):
//! `cargo bench -p ccm-core --bench library`. Targets (issue 2): import of 10,000 ≤ 15 s,
//! list ≤ 200 ms, search p95 ≤ 10 ms. `ccm bench library` reports the same on the CLI.

use std::time::Duration;

use ccm_core::library::{generate_library, import, LibraryDirs, BENCH_QUERIES};
use ccm_core::store::{ListFilter, Store};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

const LARGE: usize = 10_000;

/// Whether a bench query belongs to a class.
type QueryClass = fn(&str) -> bool;

fn library(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    generate_library(dir.path(), LARGE).unwrap();
    let dirs = LibraryDirs::resolve(dir.path(), None);

    let mut group = c.benchmark_group("import");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(60));
    group.bench_function("10000 templates, new library", |b| {
        b.iter_batched(
            || {
                let file = tempfile::NamedTempFile::new().unwrap().into_temp_path();
                let path = file.to_path_buf();
                std::fs::remove_file(&path).unwrap();
                (file, Store::open_or_create(&path).unwrap())
            },
            |(_file, mut store)| import(&mut store, &dirs, "bench").unwrap(),
            BatchSize::PerIteration,
        )
    });
    group.finish();

    let store_dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_or_create(&store_dir.path().join("lib.sqlite")).unwrap();
    import(&mut store, &dirs, "bench").unwrap();

    c.bench_function("list 10000", |b| {
        b.iter(|| store.list(&ListFilter::default()).unwrap())
    });
    let mut group = c.benchmark_group("reimport");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("10000 unchanged", |b| {
        b.iter(|| import(&mut store, &dirs, "bench").unwrap())
    });
    group.finish();
    let mut group = c.benchmark_group("search 10000");
    for query in [
        "お支払い",
        "請求",
        "計画停電のお知らせ",
        "bill ready",
        "zebra",
    ] {
        group.bench_function(query, |b| b.iter(|| store.search(query, 20).unwrap()));
    }
    // Per class, because common English words match most of the library and cost the most.
    let classes: [(&str, QueryClass); 3] = [
        ("japanese queries", |q| !q.is_ascii()),
        ("english one word", |q| q.is_ascii() && !q.contains(' ')),
        ("english several words", |q| q.is_ascii() && q.contains(' ')),
    ];
    for (name, in_class) in classes {
        let queries: Vec<&str> = BENCH_QUERIES
            .iter()
            .copied()
            .filter(|q| in_class(q))
            .collect();
        group.bench_function(format!("{name} (each of {})", queries.len()), |b| {
            b.iter(|| {
                for query in &queries {
                    store.search(query, 20).unwrap();
                }
            })
        });
    }
    group.bench_function("all bench queries", |b| {
        b.iter(|| {
            for query in BENCH_QUERIES {
                store.search(query, 20).unwrap();
            }
        })
    });
    group.finish();
}

criterion_group!(benches, library);
criterion_main!(benches);
