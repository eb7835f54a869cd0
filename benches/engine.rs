//! The engine's costs against a loopback hyper server that does as little as possible:
//! - body throughput through `Chunk` events (a 256 MiB body sent as one shared 64 KiB buffer);
//! - per-request overhead: a tiny GET through the engine (events and all) next to the same GET
//!   through a bare hyper client with a pooled connection. The ratio of the two is the number
//!   to watch;
//! - the same tiny GET recorded in the history (a `Recorder` fed every event, the entry stored
//!   in SQLite with its body blob and retention applied), next to it unrecorded.
//!
//! `cargo bench --bench engine`. Numbers are in the README.

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use courier::history::{History, Recorder, RequestIdentity};
use courier::http::{Engine, EngineEvent, ExchangeId, PreparedRequest};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures_util::stream;
use http_body_util::{BodyExt, Empty, Full, StreamBody};
use hyper::body::Frame;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::sync::mpsc;

const BIG: u64 = 256 * 1024 * 1024;
const PIECE: usize = 64 * 1024;

/// `/big` streams BIG bytes; anything else answers "ok".
async fn server() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let piece = Bytes::from(vec![b'x'; PIECE]);
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let _ = stream.set_nodelay(true);
            let piece = piece.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(
                    move |request: hyper::Request<hyper::body::Incoming>| {
                        let piece = piece.clone();
                        async move {
                            let body = if request.uri().path() == "/big" {
                                let pieces = (BIG / PIECE as u64) as usize;
                                let chunks =
                                    stream::iter((0..pieces).map(move |_| {
                                        Ok::<_, Infallible>(Frame::data(piece.clone()))
                                    }));
                                StreamBody::new(chunks).boxed()
                            } else {
                                Full::new(Bytes::from_static(b"ok")).boxed()
                            };
                            Ok::<_, Infallible>(hyper::Response::new(body))
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

async fn through_engine(engine: &Engine, url: &str) -> u64 {
    let (events, mut received) = mpsc::channel(64);
    let _handle = engine.send(ExchangeId(1), PreparedRequest::new("GET", url), events);
    let mut bytes = 0;
    while let Some(event) = received.recv().await {
        match event {
            EngineEvent::Chunk { bytes: chunk, .. } => bytes += chunk.len() as u64,
            EngineEvent::Failed { failure, .. } => panic!("{}", failure.message),
            _ => {}
        }
    }
    bytes
}

/// A tiny GET recorded as the TUI records it: every event through a recorder, then stored.
async fn recorded(engine: &Engine, url: &str, history: &std::sync::Mutex<History>) -> u64 {
    let (events, mut received) = mpsc::channel(64);
    let _handle = engine.send(ExchangeId(1), PreparedRequest::new("GET", url), events);
    let (blobs, cap) = {
        let history = history.lock().unwrap();
        (history.blobs().clone(), history.settings().body_cap)
    };
    let mut recorder = Recorder::new(blobs, cap, RequestIdentity::default(), 1_700_000_000_000);
    let mut bytes = 0;
    while let Some(event) = received.recv().await {
        tokio::task::block_in_place(|| recorder.take(&event));
        if let EngineEvent::Chunk { bytes: chunk, .. } = &event {
            bytes += chunk.len() as u64;
        }
    }
    let exchange = recorder.finish();
    tokio::task::block_in_place(|| history.lock().unwrap().record(&exchange).unwrap());
    bytes
}

fn bench(c: &mut Criterion) {
    courier::http::install_crypto_provider();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let addr = runtime.block_on(server());
    let engine = Engine::new();
    let big = format!("http://{addr}/big");
    let small = format!("http://{addr}/small");

    let mut group = c.benchmark_group("body throughput");
    group.throughput(Throughput::Bytes(BIG));
    group.sample_size(10);
    group.bench_function("256 MiB through Chunk events", |b| {
        b.to_async(&runtime)
            .iter(|| async { assert_eq!(through_engine(&engine, &big).await, BIG) })
    });
    group.finish();

    let mut group = c.benchmark_group("per-request overhead");
    group.bench_function("engine: tiny GET, pooled", |b| {
        b.to_async(&runtime)
            .iter(|| async { through_engine(&engine, &small).await })
    });
    let home = tempfile::tempdir().unwrap();
    let history = std::sync::Mutex::new(
        History::open(home.path(), courier::model::HistorySettings::default()).unwrap(),
    );
    group.bench_function("engine: tiny GET, pooled, recorded in the history", |b| {
        b.to_async(&runtime)
            .iter(|| async { recorded(&engine, &small, &history).await })
    });
    let hyper_client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
        .build_http::<Empty<Bytes>>();
    let uri: hyper::Uri = small.parse().unwrap();
    group.bench_function("bare hyper: tiny GET, pooled", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = hyper_client.get(uri.clone()).await.unwrap();
            response
                .into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
