//! The history's store: retention by count and by bytes with pinned exchanges kept, blobs
//! removed once nothing refers to them, full-text search, and databases it must not use.

use super::*;
use crate::model::HistorySettings;

fn exchange(key: &str, body: &[u8], blobs: &Blobs) -> Exchange {
    Exchange {
        id: 0,
        started_at_ms: 1_700_000_000_000,
        request_key: key.to_owned(),
        collection: None,
        request_name: Some("Get thing".to_owned()),
        environment: None,
        method: "GET".to_owned(),
        url: format!("http://127.0.0.1:1/{key}"),
        request_headers: vec![("accept".to_owned(), "application/json".to_owned())],
        request_body: StoredBody::default(),
        request_body_note: None,
        head: Some(RecordedHead {
            status: 200,
            reason: "OK".to_owned(),
            version: "HTTP/1.1".to_owned(),
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            remote_addr: None,
            final_url: format!("http://127.0.0.1:1/{key}"),
        }),
        timing: Some(RecordedTiming {
            total_us: 1500,
            ..RecordedTiming::default()
        }),
        body: blobs.store(body).expect("the body is stored"),
        outcome: Outcome::Done,
        error: None,
        pinned: false,
        request_source: None,
        search_text: Some(String::from_utf8_lossy(body).into_owned()),
        body_timing: None,
        transcript: StoredBody::default(),
    }
}

fn open(dir: &std::path::Path, settings: HistorySettings) -> History {
    History::open(dir, settings)
        .expect("the history opens")
        .without_blob_grace()
}

#[test]
fn each_request_keeps_its_newest_and_its_pinned_exchanges() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let settings = HistorySettings {
        per_request: 3,
        ..HistorySettings::default()
    };
    let mut history = open(temp.path(), settings);
    let blobs = history.blobs().clone();
    let first = history
        .record(&exchange("a", b"{\"n\": 0}", &blobs))
        .expect("recorded");
    history.pin(first, true).expect("pinned");
    for n in 1..=5 {
        let body = format!("{{\"n\": {n}}}");
        history
            .record(&exchange("a", body.as_bytes(), &blobs))
            .expect("recorded");
    }
    history
        .record(&exchange("b", b"{\"other\": 1}", &blobs))
        .expect("recorded");
    let of_a = history
        .list(&ListFilter {
            request_key: Some("a".to_owned()),
            ..ListFilter::default()
        })
        .expect("listed");
    let ids: Vec<i64> = of_a.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        vec![6, 5, 4, 1],
        "the newest three and the pinned first"
    );
    assert!(of_a[3].pinned);
    // The bodies of the exchanges that went are gone; the others are there.
    assert_eq!(blobs.all().len(), 5, "{:?}", blobs.all());
    let mut body = Vec::new();
    history.copy_body(&of_a[0], &mut body).expect("the body");
    assert_eq!(body, b"{\"n\": 5}");
}

#[test]
fn the_oldest_go_when_the_history_holds_too_many_bytes() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let mut history = open(temp.path(), HistorySettings::default());
    let blobs = history.blobs().clone();
    let mut sizes = Vec::new();
    for n in 0..6 {
        // Random-looking bytes do not compress: each body takes about its size.
        let body: Vec<u8> = (0..4000u32)
            .map(|i| (i * 7919 + n * 104_729) as u8 ^ (i >> 3) as u8)
            .collect();
        let entry = exchange(&format!("r{n}"), &body, &blobs);
        sizes.push(entry.body.stored);
        history.record(&entry).expect("recorded");
    }
    let total: u64 = sizes.iter().sum();
    let mut history = History::open(
        temp.path(),
        HistorySettings {
            max_bytes: total - sizes[0] - sizes[1] / 2,
            ..HistorySettings::default()
        },
    )
    .expect("reopened")
    .without_blob_grace();
    let pruned = history.prune().expect("pruned");
    assert_eq!(pruned.exchanges, 2, "the two oldest go: {pruned:?}");
    assert_eq!(pruned.bytes, sizes[0] + sizes[1]);
    let left: Vec<String> = history
        .list(&ListFilter::default())
        .expect("listed")
        .into_iter()
        .map(|e| e.request_key)
        .collect();
    assert_eq!(left, vec!["r5", "r4", "r3", "r2"]);
}

#[test]
fn text_search_finds_words_in_urls_headers_and_bodies() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let mut history = open(temp.path(), HistorySettings::default());
    let blobs = history.blobs().clone();
    history
        .record(&exchange("users", b"{\"name\": \"Ada Lovelace\"}", &blobs))
        .expect("recorded");
    history
        .record(&exchange("orders", b"{\"total\": 12}", &blobs))
        .expect("recorded");
    let find = |history: &History, text: &str| -> Vec<String> {
        history
            .list(&ListFilter {
                text: Some(text.to_owned()),
                ..ListFilter::default()
            })
            .expect("searched")
            .into_iter()
            .map(|e| e.request_key)
            .collect()
    };
    assert_eq!(find(&history, "lovelace"), vec!["users"]);
    assert_eq!(find(&history, "orders"), vec!["orders"]);
    assert_eq!(find(&history, "application"), vec!["orders", "users"]);
    assert!(find(&history, "nothing").is_empty());
    history.clear(true).expect("cleared");
    assert!(
        find(&history, "lovelace").is_empty(),
        "cleared from the index too"
    );
    assert!(blobs.all().is_empty());
}

#[test]
fn a_damaged_or_newer_database_is_refused_with_the_reason() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(temp.path().join("history.sqlite3"), b"this is no database, just text that is long enough to be read as a header by sqlite itself").expect("written");
    let err = History::open(temp.path(), HistorySettings::default())
        .err()
        .expect("refused");
    assert!(matches!(err, HistoryError::Damaged { .. }), "{err}");
    assert!(err.to_string().contains("is damaged"), "{err}");

    let newer = tempfile::tempdir().expect("a temporary directory");
    drop(open(newer.path(), HistorySettings::default()));
    let conn = rusqlite::Connection::open(newer.path().join("history.sqlite3")).expect("opened");
    conn.pragma_update(None, "user_version", 99).expect("set");
    drop(conn);
    let err = History::open(newer.path(), HistorySettings::default())
        .err()
        .expect("refused");
    assert!(
        matches!(err, HistoryError::Newer { found: 99, .. }),
        "{err}"
    );
}

#[test]
fn a_request_body_is_masked_and_capped_like_a_response_body() {
    use crate::http::{EngineEvent, ExchangeId, SentBody, SentRequest};
    let temp = tempfile::tempdir().expect("a temporary directory");
    let mut history = open(temp.path(), HistorySettings::default());
    let blobs = history.blobs().clone();
    let mut recorder = Recorder::new(blobs.clone(), 24, RequestIdentity::default(), 0);
    let body = "{\"token\": \"hunter2\", \"padding\": \"0123456789\"}";
    recorder.take(&EngineEvent::Started {
        id: ExchangeId(1),
        request: SentRequest {
            method: "POST".to_owned(),
            url: "http://127.0.0.1:1/login?key=hunter2".to_owned(),
            headers: vec![("x-token".to_owned(), "hunter2".to_owned())],
            body_bytes: Some(body.len() as u64),
            insecure: false,
            body: SentBody::Bytes(bytes::Bytes::from(body)),
            secrets: vec!["hunter2".to_owned()],
        },
    });
    let exchange = recorder.finish();
    assert_eq!(exchange.url, "http://127.0.0.1:1/login?key=••••••");
    assert_eq!(exchange.request_headers[0].1, "••••••");
    assert_eq!(
        exchange.request_key,
        "url:http://127.0.0.1:1/login?key=••••••"
    );
    let masked_length = body.replace("hunter2", "••••••").len() as u64;
    assert_eq!(
        (exchange.request_body.size, exchange.request_body.kept),
        (masked_length, 24)
    );
    let id = history.record(&exchange).expect("recorded");
    let back = history.get(id).expect("read back");
    assert_eq!(back.request_body.kept, 24);
    let hash = back.request_body.hash.expect("kept");
    let kept = blobs.read_prefix(&hash, 100).expect("read");
    assert_eq!(kept, &body.replace("hunter2", "••••••").as_bytes()[..24]);
}

#[test]
fn a_typed_query_narrows_by_method_status_url_and_text() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let mut history = open(temp.path(), HistorySettings::default());
    let blobs = history.blobs().clone();
    let mut record = |key: &str, method: &str, status: u16, body: &[u8]| {
        let mut entry = exchange(key, body, &blobs);
        entry.method = method.to_owned();
        if let Some(head) = entry.head.as_mut() {
            head.status = status;
        }
        history.record(&entry).expect("recorded")
    };
    let users = record("users/42", "GET", 200, br#"{"name": "Ada Lovelace"}"#);
    let missing = record("users/43", "GET", 404, br#"{"error": "no such user"}"#);
    let created = record("orders", "POST", 201, br#"{"order": "lovely"}"#);
    let ids = |query: &str| -> Vec<i64> {
        let filter = ListFilter::typed(query);
        history
            .list(&filter)
            .expect("listed")
            .iter()
            .map(|e| e.id)
            .collect()
    };
    assert_eq!(ids(""), [created, missing, users]);
    assert_eq!(ids("post"), [created]);
    assert_eq!(ids("4xx"), [missing]);
    assert_eq!(ids("2xx get"), [users]);
    assert_eq!(ids("sers/4"), [missing, users], "anywhere in the URL");
    assert_eq!(ids("love"), [created, users], "a word's start in the body");
    assert_eq!(ids("users lovelace"), [users], "every word");
    assert_eq!(ids("\"unbalanced ( quote*"), Vec::<i64>::new());
}

#[test]
fn the_request_as_written_is_kept_with_its_secrets_masked() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let mut history = open(temp.path(), HistorySettings::default());
    let blobs = history.blobs().clone();
    let identity = RequestIdentity {
        source: Some(r#"{"url": "{{host}}/x", "token": "s3cret"}"#.to_owned()),
        ..RequestIdentity::default()
    };
    let mut recorder = Recorder::new(blobs, 1024, identity, 0);
    let request = crate::http::SentRequest {
        method: "GET".to_owned(),
        url: "http://127.0.0.1:1/x".to_owned(),
        headers: Vec::new(),
        body_bytes: None,
        insecure: false,
        body: crate::http::SentBody::None,
        secrets: vec!["s3cret".to_owned()],
    };
    let id = crate::http::ExchangeId(1);
    recorder.take(&crate::http::EngineEvent::Started { id, request });
    let stored = history.record(&recorder.finish()).expect("recorded");
    let source = history.get(stored).expect("found").request_source;
    assert_eq!(
        source.as_deref(),
        Some(r#"{"url": "{{host}}/x", "token": "••••••"}"#)
    );
}

#[test]
fn a_run_keeps_its_counts_and_finds_where_a_request_last_passed() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let mut history = open(temp.path(), HistorySettings::default());
    let blobs = history.blobs().clone();
    let send = |history: &mut History, run: i64, key: &str, passed: bool| {
        let id = history
            .record(&exchange(key, b"{}", &blobs))
            .expect("recorded");
        history.mark_run(id, run, Some(passed)).expect("marked");
        id
    };
    let first = history.start_run("shop", 1_700_000_000_000).expect("run");
    let passed_a = send(&mut history, first, "a", true);
    send(&mut history, first, "b", false);
    let second = history.start_run("shop", 1_700_000_001_000).expect("run");
    let failed_a = send(&mut history, second, "a", false);
    history
        .finish_run(&RunRecord {
            id: second,
            started_at_ms: 1_700_000_001_000,
            target: "shop".to_owned(),
            requests: 1,
            failed: 1,
            duration_us: Some(2_000),
            ..RunRecord::default()
        })
        .expect("finished");

    let runs = history.runs(10).expect("runs");
    assert_eq!(
        runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        [second, first]
    );
    assert_eq!(runs[0].failed, 1);
    assert!(!runs[0].passed());
    assert_eq!(runs[1].duration_us, None, "the first never finished");
    let sent = history.run_exchanges(second).expect("exchanges");
    assert_eq!(sent.len(), 1);
    assert_eq!((sent[0].0.id, sent[0].1), (failed_a, Some(false)));
    let last = history.last_pass("a", second).expect("looked up");
    assert_eq!(last.map(|e| e.id), Some(passed_a));
    assert_eq!(history.last_pass("b", second).expect("looked up"), None);
    assert!(matches!(history.run(99), Err(HistoryError::NoRun(99))));

    history.clear(true).expect("cleared");
    assert!(
        history.runs(10).expect("runs").is_empty(),
        "runs go with their exchanges"
    );
}

#[test]
fn a_websocket_transcript_and_a_stream_s_timing_are_kept_and_pruned_with_it() {
    use crate::body::transcript::{self, Message, Side};
    use crate::http::websocket::{Direction, Frame, FrameKind, Opened};
    use crate::http::{EngineEvent, ExchangeId};
    let temp = tempfile::tempdir().expect("a temporary directory");
    let settings = HistorySettings {
        per_request: 1,
        ..HistorySettings::default()
    };
    let mut history = open(temp.path(), settings);
    let blobs = history.blobs().clone();
    let mut recorder = Recorder::new(blobs.clone(), 1 << 20, RequestIdentity::default(), 0);
    let id = ExchangeId(1);
    let opened = Opened {
        protocol: None,
        extensions: None,
        graphql: false,
    };
    recorder.take(&EngineEvent::Opened { id, opened });
    let frame = |direction, kind, payload: &'static [u8], ms| Frame {
        direction,
        at: std::time::Duration::from_millis(ms),
        kind,
        payload: bytes::Bytes::from_static(payload),
        compressed: false,
        wire_len: payload.len() as u64,
    };
    for frame in [
        frame(Direction::Sent, FrameKind::Text, b"hi", 0),
        frame(Direction::Received, FrameKind::Ping, b"", 5),
        frame(Direction::Received, FrameKind::Binary, b"\x00\x01", 20),
        frame(Direction::Received, FrameKind::Close, b"\x03\xe8bye", 30),
    ] {
        recorder.take(&EngineEvent::Frame { id, frame });
    }
    let mut entry = recorder.finish();
    entry.body_timing = Some(vec![(10, 0), (20, 150)]);
    let stored = history.record(&entry).expect("recorded");
    assert_eq!(
        history.body_timing(stored).expect("read"),
        Some(vec![(10, 0), (20, 150)])
    );
    let back = history.get(stored).expect("found");
    let frames =
        transcript::parse(&history.transcript_bytes(&back).expect("read")).expect("it reads");
    let said: Vec<(u64, Side, Message)> = frames
        .into_iter()
        .map(|f| (f.ms, f.from, f.message))
        .collect();
    assert_eq!(
        said,
        vec![
            (0, Side::Client, Message::Text("hi".to_owned())),
            (20, Side::Server, Message::Binary(vec![0, 1])),
            (
                30,
                Side::Server,
                Message::Close(Some(1000), "bye".to_owned())
            ),
        ],
        "pings left out"
    );
    let hash = back.transcript.hash.clone().expect("a blob");
    assert!(blobs.path_of(&hash).exists());
    // The next exchange of the same request pushes it out, and its transcript goes with it.
    assert_eq!(entry.request_key, "url:");
    history
        .record(&exchange("url:", b"{}", &blobs))
        .expect("recorded");
    assert!(matches!(
        history.get(stored),
        Err(HistoryError::NotFound(_))
    ));
    assert!(!blobs.path_of(&hash).exists(), "its transcript removed");
}
