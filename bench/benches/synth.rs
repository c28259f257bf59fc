//! In-process synthesis figures (building the constructs plus `synthesize`, and freeing them,
//! which the command line's process skips at exit): a 38-resource
//! stack, generated apps of 400 to 20,000 resources over 1 to 50 stacks, and this
//! repository's app. `bash scripts/bench.sh` runs this and prints one table with the
//! whole-process figures beside these.

use std::hint::black_box;
use std::time::Duration;

use construct_lib::synthesize;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// (resources, stacks) of the generated apps. CloudFormation allows 500 resources per
/// stack, so the larger apps need more stacks.
pub const SIZES: [(usize, usize); 6] = [
    (400, 1),
    (1_000, 5),
    (1_000, 50),
    (5_000, 20),
    (5_000, 50),
    (20_000, 50),
];

fn small_stack(c: &mut Criterion) {
    c.bench_function("small_stack", |b| {
        b.iter(|| {
            let app = synth_bench::generated_app(1, 1);
            let assembly = synthesize(&app).expect("valid");
            black_box((app, assembly))
        })
    });
}

fn generated(c: &mut Criterion) {
    let mut group = c.benchmark_group("generated");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(4));
    for (resources, stacks) in SIZES {
        let services = synth_bench::services_for(resources, stacks);
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{resources}r_{stacks}s")),
            &(stacks, services),
            |b, &(stacks, services)| {
                b.iter(|| {
                    let app = synth_bench::generated_app(stacks, services);
                    let assembly = synthesize(&app).expect("valid");
                    black_box((app, assembly))
                })
            },
        );
    }
    group.finish();
}

fn repository(c: &mut Criterion) {
    c.bench_function("repository", |b| {
        b.iter(|| {
            let app = stacks::app_for("dev").expect("config");
            let assembly = synthesize(&app).expect("valid");
            black_box((app, assembly))
        })
    });
}

criterion_group!(benches, small_stack, generated, repository);
criterion_main!(benches);
