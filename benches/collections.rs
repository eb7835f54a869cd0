//! Start-up costs that grow with the collection: loading a 1,000-request collection from disk
//! and building the UI's tree from it; plus making response bytes terminal-safe.
//!
//! `cargo bench --bench collections`. Numbers and the end-to-end procedure are in the README.

use courier::app::App;
use courier::body::make_visible;
use courier::store::load_workspace;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

#[path = "support/generate.rs"]
mod generate;
use generate::generate;

fn bench(c: &mut Criterion) {
    let temp = tempfile::tempdir().unwrap();
    generate(temp.path(), 10, 100);
    c.bench_function("load 1,000-request collection", |b| {
        b.iter(|| load_workspace(temp.path()).unwrap())
    });
    let workspace = load_workspace(temp.path()).unwrap();
    c.bench_function("build the UI tree for 1,000 requests", |b| {
        b.iter(|| App::new(workspace.clone()))
    });

    let hostile: Vec<u8> = (0..1_000_000u32)
        .map(|i| {
            if i % 50 == 0 {
                0x1b
            } else {
                b'a' + (i % 26) as u8
            }
        })
        .collect();
    let mut group = c.benchmark_group("terminal-safe text");
    group.throughput(Throughput::Bytes(hostile.len() as u64));
    group.bench_function("make_visible 1 MB with escapes", |b| {
        b.iter(|| make_visible(&hostile))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
