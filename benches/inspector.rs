//! The response inspector with big bodies: how fast bodies are taken in (pretty-printing JSON
//! as it arrives), how long from a big JSON body's last byte to its pretty first screen, and
//! what one frame costs at the bottom of a 100 MB body while it streams, and how long a chained
//! value takes out of the biggest body chaining reads.
//!
//! `cargo bench --bench inspector`. Numbers are in the README.

use std::path::Path;
use std::time::{Duration, Instant};

use bytes::Bytes;
use courier::app::{App, Cmd, Focus, Msg};
use courier::body::store::{BodyStore, MEMORY_CAP};
use courier::http::{EngineEvent, ExchangeId, ResponseHead, Summary};
use courier::store::load_workspace;
use courier::ui::{Theme, draw};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const CHUNK: usize = 64 * 1024;

/// A minified JSON document of about `bytes` bytes, on one line, like `/json?bytes=N`.
fn json_document(bytes: usize) -> Vec<u8> {
    let mut out = String::from("{\"generated\":true,\"items\":[");
    let mut index = 0;
    while out.len() < bytes {
        if index > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{{\"id\":{index},\"name\":\"user-{index}\",\"email\":\"user{index}@example.test\",\"active\":{},\"score\":{}.5,\"tags\":[\"ops\",\"emoji 🚀\"],\"address\":{{\"city\":\"Kraków\",\"zip\":\"{:05}\"}}}}",
            index % 2 == 0,
            index % 1000,
            index % 100_000
        ));
        index += 1;
    }
    out.push_str("]}");
    out.into_bytes()
}

/// The demo collection with "Big JSON" sent: the app and the exchange to feed.
fn app_sending() -> (App, ExchangeId) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("collections");
    let mut app = App::new(load_workspace(&dir).unwrap());
    app.update(
        Msg::Resize {
            width: 160,
            height: 45,
        },
        Instant::now(),
    );
    let press = |app: &mut App, code| {
        app.update(
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
            Instant::now(),
        );
    };
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::CONTROL)),
        Instant::now(),
    );
    for c in "big json".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    let cmds = app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
        Instant::now(),
    );
    let Some(Cmd::Send { exchange, .. }) = cmds.first() else {
        panic!("{cmds:?}")
    };
    let exchange = *exchange;
    let head = ResponseHead {
        status: 200,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        remote_addr: None,
        redirects: vec![],
        url: "http://127.0.0.1/json".into(),
    };
    courier::runtime::deliver(
        &mut app,
        EngineEvent::Head { id: exchange, head },
        Instant::now(),
    );
    (app, exchange)
}

fn feed(app: &mut App, exchange: ExchangeId, body: &[u8]) {
    for chunk in body.chunks(CHUNK) {
        courier::runtime::deliver(
            app,
            EngineEvent::Chunk {
                id: exchange,
                bytes: Bytes::copy_from_slice(chunk),
            },
            Instant::now(),
        );
    }
}

fn done(app: &mut App, exchange: ExchangeId, len: usize) {
    let summary = Summary {
        wire_bytes: len as u64,
        body_bytes: len as u64,
        timing: Default::default(),
    };
    courier::runtime::deliver(
        app,
        EngineEvent::Done {
            id: exchange,
            summary,
        },
        Instant::now(),
    );
}

fn bench(c: &mut Criterion) {
    let temp = tempfile::tempdir().unwrap();
    let five = json_document(5_000_000);
    let hundred = json_document(100_000_000);
    let theme = Theme::new(false);
    let mut terminal = Terminal::new(TestBackend::new(160, 45)).unwrap();

    let mut ingest = c.benchmark_group("ingest");
    ingest.throughput(Throughput::Bytes(five.len() as u64));
    ingest.bench_function("5 MB minified JSON, pretty-printed as it arrives", |b| {
        b.iter(|| {
            let mut store = BodyStore::new(temp.path().to_owned(), MEMORY_CAP);
            store.set_content_type("application/json");
            for chunk in five.chunks(CHUNK) {
                store.push(chunk, Duration::ZERO);
            }
            store.finish(Duration::ZERO);
            store.pretty.len()
        })
    });
    ingest.bench_function("5 MB of text, kept as is", |b| {
        b.iter(|| {
            let mut store = BodyStore::new(temp.path().to_owned(), MEMORY_CAP);
            store.set_content_type("text/plain");
            for chunk in five.chunks(CHUNK) {
                store.push(chunk, Duration::ZERO);
            }
            store.raw.len()
        })
    });
    ingest.finish();

    let mut screens = c.benchmark_group("first pretty screen");
    screens.sample_size(10);
    screens.bench_function("5 MB JSON: last chunk, done, check, draw", |b| {
        let (head, last) = five.split_at(five.len() - 1000);
        b.iter_batched(
            || {
                let (mut app, exchange) = app_sending();
                feed(&mut app, exchange, head);
                (app, exchange)
            },
            |(mut app, exchange)| {
                feed(&mut app, exchange, last);
                done(&mut app, exchange, five.len());
                // The runtime's background check, here inline: the worst case.
                let body = app.body_of(exchange).unwrap();
                let error = courier::body::store::check_json(&body);
                app.update(Msg::JsonChecked { exchange, error }, Instant::now());
                terminal.draw(|frame| draw(&app, &theme, frame)).unwrap();
            },
            BatchSize::PerIteration,
        )
    });
    screens.bench_function("5 MB JSON: every chunk, done, draw", |b| {
        b.iter(|| {
            let (mut app, exchange) = app_sending();
            feed(&mut app, exchange, &five);
            done(&mut app, exchange, five.len());
            terminal.draw(|frame| draw(&app, &theme, frame)).unwrap();
        })
    });
    screens.bench_function("100 MB JSON on one line: every chunk, done, draw", |b| {
        b.iter(|| {
            let (mut app, exchange) = app_sending();
            feed(&mut app, exchange, &hundred);
            done(&mut app, exchange, hundred.len());
            terminal.draw(|frame| draw(&app, &theme, frame)).unwrap();
        })
    });
    screens.finish();

    // Search through 1 GB of body, most of it in the spill file (as in the TUI: `/`).
    let huge = BodyStore::shared(temp.path().to_owned(), MEMORY_CAP);
    courier::body::store::lock(&huge).set_content_type("text/plain");
    let block = json_document(CHUNK * 16);
    let mut total = 0;
    while total < 1_000_000_000 {
        courier::body::store::lock(&huge).push(&block, Duration::ZERO);
        total += block.len();
    }
    let mut search = c.benchmark_group("search");
    search.sample_size(10);
    search.throughput(Throughput::Bytes(total as u64));
    for query in ["user-999999", "KRAKÓW-nowhere", "kraków"] {
        search.bench_function(format!("1 GB body, {query:?}"), |b| {
            b.iter(|| {
                let mut count = 0;
                courier::body::search::search(
                    &huge,
                    courier::body::search::Target::Raw,
                    query,
                    &std::sync::atomic::AtomicBool::new(false),
                    |progress| count = progress.count,
                );
                count
            })
        });
    }
    search.finish();
    drop(huge);

    // A frame while a big body streams: following the end of 100 MB, pretty-printed.
    let (mut app, exchange) = app_sending();
    feed(&mut app, exchange, &hundred);
    app.focus = Focus::Response;
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::End, KeyModifiers::NONE)),
        Instant::now(),
    );
    c.bench_function("frame at the end of a 100 MB pretty body", |b| {
        b.iter(|| {
            terminal.draw(|frame| draw(&app, &theme, frame)).unwrap();
        })
    });
    c.bench_function("chunk + frame at the end of a 100 MB body", |b| {
        // Whole records after a comma: the document stays balanced however many go in.
        let record = ",{\"id\":7,\"name\":\"user-7\",\"tags\":[\"ops\"],\"active\":true}";
        let chunk = record.repeat(CHUNK / record.len()).into_bytes();
        let chunk = &chunk[..];
        b.iter(|| {
            courier::runtime::deliver(
                &mut app,
                EngineEvent::Chunk {
                    id: exchange,
                    bytes: Bytes::copy_from_slice(chunk),
                },
                Instant::now(),
            );
            terminal.draw(|frame| draw(&app, &theme, frame)).unwrap();
        })
    });
    drop(app);

    // A chained value taken from the biggest body chaining reads: the pause a send takes.
    chained_value(c);
}

/// `{{response "chaining/log-in" …}}` over the biggest bodies chaining reads: plain paths
/// through 16 MB, a jq filter through 2 MB.
fn chained_value(c: &mut Criterion) {
    use courier::chain::{Latest, LatestHead, LatestState, MAX_CHAIN_BODY, MAX_JQ_BODY};
    use courier::template::{ResponsePart, ResponseRef};
    let collection = courier::store::load_collection(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("collections/demo"),
    );
    let now = Instant::now();
    let latest_of = |bytes: u64| {
        let body = BodyStore::shared(std::env::temp_dir(), MEMORY_CAP);
        let document = json_document(bytes as usize - 1024);
        courier::body::store::lock(&body).push(&document, Duration::ZERO);
        Latest {
            head: Some(LatestHead {
                status: "200 OK".into(),
                headers: Vec::new(),
            }),
            body,
            state: LatestState::Done { finished: now },
        }
    };
    let reference = |filter: &str| ResponseRef {
        request: "chaining/log-in".into(),
        part: ResponsePart::Body(filter.into()),
        max_age: None,
    };
    let cases = [
        (
            "plain path into a 16 MB JSON body",
            MAX_CHAIN_BODY,
            ".items[50000].id",
        ),
        (
            "plain path from the end of a 16 MB array",
            MAX_CHAIN_BODY,
            ".items[-1].id",
        ),
        (
            "jq filter over a 2 MB JSON body",
            MAX_JQ_BODY,
            ".items | last | .id",
        ),
    ];
    let mut group = c.benchmark_group("chaining");
    group.sample_size(10);
    for (name, bytes, filter) in cases {
        let latest = latest_of(bytes);
        let lookup = |_: &Path| Some(latest.clone());
        let responses = courier::chain::Responses {
            latest: &lookup,
            now,
            origin: now,
        };
        let reference = reference(filter);
        group.bench_function(name, |b| {
            b.iter(|| responses.resolve(&collection, &reference).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
