//! All built-in packs over all four channels of one typical template and persona.
//! Target: ≤ 5 ms warm; the consistency pack alone ≤ 1 ms.

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn bench_check(c: &mut Criterion) {
    let set = common::builtin();
    let input = common::typical_input(common::all_pack_ids(&set));
    c.bench_function("check all packs, 4 channels, typical template", |b| {
        b.iter(|| ccm_rules::check(black_box(&set), black_box(&input)).expect("packs exist"))
    });
    c.bench_function("load built-in packs", |b| b.iter(common::builtin));
    // What the cross-channel consistency pack adds to one template × persona (target ≤ 1 ms).
    let consistency = ccm_rules::RuleSet {
        packs: vec![set.pack("consistency").expect("bundled").clone()],
    };
    let always_on_only = common::typical_input(Vec::new());
    c.bench_function("consistency pack, 4 channels, typical template", |b| {
        b.iter(|| {
            ccm_rules::check(black_box(&consistency), black_box(&always_on_only)).expect("pack")
        })
    });
}

criterion_group!(benches, bench_check);
criterion_main!(benches);
