//! Start-up costs that grow with the collection: loading a 1,000-request collection from disk
//! and building the UI's tree from it; plus making response bytes terminal-safe.
//!
//! `cargo bench --bench collections`. Numbers and the end-to-end procedure are in the README.

use std::fs;
use std::path::Path;

use courier::app::App;
use courier::body::make_visible;
use courier::store::load_workspace;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Writes a collection of `folders` × `per_folder` requests, a third of them with JSON bodies.
pub fn generate(root: &Path, folders: usize, per_folder: usize) {
    let collection = root.join("big");
    fs::create_dir_all(&collection).unwrap();
    fs::write(collection.join("collection.json"), "{\n  \"courier\": 1,\n  \"name\": \"Big\",\n  \"variables\": {\n    \"base\": \"http://127.0.0.1:8808\"\n  }\n}\n").unwrap();
    for f in 0..folders {
        let dir = collection.join(format!("folder-{f:02}"));
        fs::create_dir_all(&dir).unwrap();
        for r in 0..per_folder {
            let stem = format!("request-{r:03}");
            let body = if r % 3 == 0 {
                fs::write(
                    dir.join(format!("{stem}.body.json")),
                    format!("{{\n  \"folder\": {f},\n  \"request\": {r}\n}}\n"),
                )
                .unwrap();
                format!(
                    ",\n  \"body\": {{\n    \"kind\": \"json\",\n    \"file\": \"{stem}.body.json\"\n  }}"
                )
            } else {
                String::new()
            };
            fs::write(
                dir.join(format!("{stem}.json")),
                format!(
                    "{{\n  \"courier\": 1,\n  \"name\": \"Request {f}-{r}\",\n  \"method\": \"{}\",\n  \"url\": \"{{{{base}}}}/items/{r}\",\n  \"headers\": [\n    {{\n      \"name\": \"X-Folder\",\n      \"value\": \"{f}\"\n    }}\n  ]{body}\n}}\n",
                    if r % 3 == 0 { "POST" } else { "GET" }
                ),
            )
            .unwrap();
        }
    }
}

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
