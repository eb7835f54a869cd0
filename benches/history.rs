//! The history at the size it grows to: 100,000 recorded exchanges (50 per request over 2,000
//! requests, each with a small JSON body, one in a thousand naming "lovelace").
//! - opening the history and reading the newest screenful of the global list;
//! - a full-text query over all of them, first screenful;
//! - the TUI's filter as typed (`get 2xx love`), and one that matches nothing;
//! - the diff of two 10 MB JSON bodies that differ in a few places.
//!
//! `cargo bench --bench history`. Numbers are in the README. Filling the history takes a
//! while the first time (every entry goes through `History::record`, retention included).

use courier::history::{
    Exchange, History, ListFilter, Outcome, RecordedHead, RecordedTiming, StoredBody,
};
use courier::model::HistorySettings;
use criterion::{Criterion, criterion_group, criterion_main};

const ENTRIES: usize = 100_000;
const SCREEN: usize = 50;

fn entry(n: usize, body: StoredBody) -> Exchange {
    let request = n % 2000;
    Exchange {
        id: 0,
        started_at_ms: 1_700_000_000_000 + n as i64,
        request_key: format!(
            "/collections/big/folder-{}/request-{request}.json",
            request / 20
        ),
        collection: Some("/collections/big".to_owned()),
        request_name: Some(format!("Request {request}")),
        environment: None,
        method: "GET".to_owned(),
        url: format!("http://127.0.0.1:8808/items/{request}?page={n}"),
        request_headers: vec![("accept".to_owned(), "application/json".to_owned())],
        request_body: StoredBody::default(),
        request_body_note: None,
        head: Some(RecordedHead {
            status: 200,
            reason: "OK".to_owned(),
            version: "HTTP/1.1".to_owned(),
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            remote_addr: None,
            final_url: String::new(),
        }),
        timing: Some(RecordedTiming {
            total_us: 900 + (n % 500) as u64,
            ..RecordedTiming::default()
        }),
        body,
        outcome: Outcome::Done,
        error: None,
        pinned: false,
        request_source: None,
        search_text: Some(if n % 1000 == 0 {
            format!("{{\"id\": {n}, \"name\": \"Ada Lovelace\"}}")
        } else {
            format!("{{\"id\": {n}, \"name\": \"Someone\"}}")
        }),
        body_timing: None,
        transcript: StoredBody::default(),
    }
}

fn bench(c: &mut Criterion) {
    let home = tempfile::tempdir().unwrap();
    {
        let mut history = History::open(home.path(), HistorySettings::default()).unwrap();
        let body = history
            .blobs()
            .store(b"{\"id\": 1, \"name\": \"Someone\"}")
            .unwrap();
        for n in 0..ENTRIES {
            history.record(&entry(n, body.clone())).unwrap();
        }
    }
    let mut group = c.benchmark_group("history of 100,000");
    group.bench_function("open, newest screenful", |b| {
        b.iter(|| {
            let history = History::open(home.path(), HistorySettings::default()).unwrap();
            let shown = history
                .list(&ListFilter {
                    limit: Some(SCREEN),
                    ..ListFilter::default()
                })
                .unwrap();
            assert_eq!(shown.len(), SCREEN);
        })
    });
    let history = History::open(home.path(), HistorySettings::default()).unwrap();
    group.bench_function("full-text query, first screenful", |b| {
        b.iter(|| {
            let found = history
                .list(&ListFilter {
                    text: Some("lovelace".to_owned()),
                    limit: Some(SCREEN),
                    ..ListFilter::default()
                })
                .unwrap();
            assert_eq!(found.len(), SCREEN);
        })
    });
    // What the TUI's filter asks as it is typed: a method, a class and a word that must be in
    // the URL or start a word of the text (one exchange in a thousand has it).
    group.bench_function("typed filter `get 2xx love`, first screenful", |b| {
        b.iter(|| {
            let mut filter = ListFilter::typed("get 2xx love");
            filter.limit = Some(SCREEN);
            assert_eq!(history.list(&filter).unwrap().len(), SCREEN);
        })
    });
    group.bench_function("typed filter matching nothing (every row read)", |b| {
        b.iter(|| {
            let mut filter = ListFilter::typed("zzz");
            filter.limit = Some(SCREEN);
            assert!(history.list(&filter).unwrap().is_empty());
        })
    });
    group.finish();

    let (old, new) = (big_json(0), big_json(1));
    let mut group = c.benchmark_group("diff");
    group.sample_size(10);
    group.bench_function("two 10 MB JSON bodies", |b| {
        b.iter(|| match courier::history::diff::diff_bodies(&old, &new) {
            courier::history::diff::BodyDiff::Json(changes) => assert_eq!(changes.len(), 3),
            other => panic!("{other:?}"),
        })
    });
    group.finish();
}

/// About 10 MB of JSON: 60,000 records; `variant` 1 changes three of them.
fn big_json(variant: usize) -> Vec<u8> {
    let records: Vec<serde_json::Value> = (0..60_000)
        .map(|n| {
            let changed = variant == 1 && n % 20_000 == 7;
            serde_json::json!({
                "id": n,
                "name": format!("Record number {n}"),
                "tags": ["alpha", "beta", if changed { "changed" } else { "gamma" }],
                "score": n as f64 * 1.5,
                "nested": {"active": n % 2 == 0, "note": "lorem ipsum dolor sit amet"}
            })
        })
        .collect();
    let bytes = serde_json::to_vec(&serde_json::json!({ "records": records })).unwrap();
    assert!(bytes.len() > 9_000_000, "{} bytes", bytes.len());
    bytes
}

criterion_group!(benches, bench);
criterion_main!(benches);
