//! Importing a Postman collection the size teams have: 1,000 requests in 50 folders, each with
//! headers, a query, auth on the folders, a JSON body and a saved response.
//! - reading it into Courier's model (sniffing, JSON, every field, the loss report);
//! - writing it as files (1,000 request files, their bodies and examples), staged and renamed.
//!
//! - reading a large OpenAPI description (YAML, 1,000 operations under 50 tags, schemas shared
//!   by `$ref` with `allOf`, path and query parameters, a response of each of three codes):
//!   parsing, following references, and making every body and example from its schema.
//!
//! `cargo bench --bench import`. Numbers are in the README.

use std::path::Path;

use courier::import::write::{target_for, write_collection};
use courier::import::{Losses, import};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

fn collection(requests: usize, folders: usize) -> Vec<u8> {
    let per_folder = requests / folders;
    let items: Vec<serde_json::Value> = (0..folders)
        .map(|f| {
            let requests: Vec<serde_json::Value> = (0..per_folder)
                .map(|r| {
                    json!({
                        "name": format!("Request {f}-{r}"),
                        "request": {
                            "method": "POST",
                            "header": [{"key": "Accept", "value": "application/json"},
                                       {"key": "X-Trace", "value": "{{trace}}", "disabled": true}],
                            "url": {"raw": format!("{{{{base}}}}/items/:id?page={r}"),
                                    "query": [{"key": "page", "value": r.to_string()}],
                                    "variable": [{"key": "id", "value": r.to_string()}]},
                            "body": {"mode": "raw", "raw": format!("{{\"n\": {r}, \"name\": \"item\"}}"),
                                     "options": {"raw": {"language": "json"}}}
                        },
                        "response": [{"name": "OK", "code": 200,
                                      "header": [{"key": "Content-Type", "value": "application/json"}],
                                      "body": "{\"ok\": true}"}]
                    })
                })
                .collect();
            json!({"name": format!("Folder {f}"),
                   "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}"}]},
                   "item": requests})
        })
        .collect();
    serde_json::to_vec(&json!({
        "info": {"name": "Big", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "variable": [{"key": "base", "value": "http://127.0.0.1:8808"}],
        "item": items
    }))
    .expect("JSON")
}

fn bench(c: &mut Criterion) {
    let source = collection(1000, 50);
    let path = Path::new("big.postman_collection.json");
    let mut group = c.benchmark_group("import a 1,000-request Postman collection");
    group.sample_size(10);
    group.bench_function("read into the model", |b| {
        b.iter(|| {
            let imported = import(path, &source, None).expect("imported");
            assert_eq!(imported.collections[0].counts(), (1000, 50));
        })
    });
    let imported = import(path, &source, None).expect("imported");
    let collection = &imported.collections[0];
    // Each run into a directory of its own, all removed at the end: removing 5,000 files is
    // not the import's time.
    let base = tempfile::tempdir().expect("a temporary directory");
    let mut run = 0;
    group.bench_function("write as files (staged, renamed)", |b| {
        b.iter(|| {
            run += 1;
            let into = base.path().join(run.to_string());
            let target = target_for(&into, collection);
            let written = write_collection(&target, collection, false, &mut Losses::default())
                .expect("written");
            assert_eq!(written.requests, 1000);
        })
    });
    group.finish();
}

/// The schemas every operation shares: `allOf`, a recursive `Owner`, enums and formats.
const COMPONENTS: &str = r#"components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    NewThing:
      type: object
      properties:
        name: {type: string, example: widget}
        size: {type: number}
        created: {type: string, format: date-time}
        tags: {type: array, items: {type: string}}
        owner: {$ref: '#/components/schemas/Owner'}
    Owner:
      type: object
      properties:
        id: {type: integer}
        email: {type: string, format: email}
        manager: {$ref: '#/components/schemas/Owner'}
    Thing:
      allOf:
        - $ref: '#/components/schemas/NewThing'
        - type: object
          properties:
            id: {type: integer, readOnly: true}
            state: {type: string, enum: [new, used]}
    Error:
      type: object
      properties:
        code: {type: integer}
        message: {type: string}
"#;

/// An OpenAPI 3.0 description in YAML: `operations` operations (a GET and a POST per path)
/// under `tags` tags.
fn openapi(operations: usize, tags: usize) -> String {
    let mut out = String::from(
        r#"openapi: 3.0.3
info:
  title: Big
  version: '1'
servers:
  - url: http://127.0.0.1:8808
security:
  - bearer: []
paths:
"#,
    );
    for path in 0..operations / 2 {
        let tag = path % tags;
        out.push_str(&format!(
            r#"  /things{tag}/{{id}}/part{path}:
    parameters:
      - {{name: id, in: path, required: true, schema: {{type: integer, example: {path}}}}}
"#
        ));
        for method in ["get", "post"] {
            out.push_str(&format!(
                r#"    {method}:
      tags: [tag{tag}]
      summary: {method} part {path}
      operationId: {method}Part{path}
      parameters:
        - {{name: page, in: query, schema: {{type: integer, minimum: 1}}}}
        - {{name: X-Trace, in: header, schema: {{type: string, format: uuid}}}}
"#
            ));
            if method == "post" {
                out.push_str(
                    r#"      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewThing'}
"#,
                );
            }
            out.push_str("      responses:\n");
            for (code, schema) in [("200", "Thing"), ("404", "Error"), ("default", "Error")] {
                out.push_str(&format!(
                    r#"        '{code}':
          description: a {schema}
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/{schema}'}}
"#
                ));
            }
        }
    }
    out.push_str(COMPONENTS);
    out
}

fn bench_openapi(c: &mut Criterion) {
    let source = openapi(1000, 50);
    let path = Path::new("big.openapi.yaml");
    let mut group = c.benchmark_group("import a 1,000-operation OpenAPI description");
    group.sample_size(10);
    group.bench_function(
        format!("read into the model ({} KB of YAML)", source.len() / 1000),
        |b| {
            b.iter(|| {
                let imported = import(path, source.as_bytes(), None).expect("imported");
                assert_eq!(imported.collections[0].counts(), (1000, 50));
            })
        },
    );
    group.finish();
}

criterion_group!(benches, bench, bench_openapi);
criterion_main!(benches);
