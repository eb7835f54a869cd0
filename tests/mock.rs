//! `courier mock` against real clients on loopback: reqwest (Courier's own engine's client),
//! curl where it is installed, and raw sockets for what no polite client sends. A collection
//! is written in a temporary directory, served in-process (the library's `MockServer`) or by
//! the binary (its output, SIGINT).

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use courier::mock::{EventKind, EventSink, MockEvent, MockOptions, MockServer, Table};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Writes `file` under `dir`, making its folders.
fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A shop: products by id (an admin view by header, a page by query), the current user at a
/// literal path, orders by body rules, a flaky and a slow endpoint, a request without examples.
fn shop(root: &Path) -> PathBuf {
    let dir = root.join("shop");
    write(
        &dir,
        "collection.json",
        r#"{"courier": 1, "name": "Shop", "variables": {"base": "https://shop.example.com/api"}}"#,
    );
    write(
        &dir,
        "products/get.json",
        r#"{"courier": 1, "name": "Get product", "url": "{{base}}/products/{{id}}"}"#,
    );
    write(
        &dir,
        "products/get.examples/ok.json",
        r#"{"courier": 1, "name": "OK", "status": 200,
            "headers": [{"name": "Content-Type", "value": "application/json"},
                        {"name": "X-Trace", "value": "{{$uuid}}"},
                        {"name": "Content-Length", "value": "999"}],
            "body": "ok.body.json"}"#,
    );
    write(
        &dir,
        "products/get.examples/ok.body.json",
        r#"{"id": "{{id}}", "page": "{{request query 'page'}}", "agent": "{{request header 'User-Agent'}}"}"#,
    );
    write(
        &dir,
        "products/get.examples/admin.json",
        r#"{"courier": 1, "name": "Admin view", "status": 200, "body": "admin.body.json",
            "mock": {"when": ["header X-Role == admin"]}}"#,
    );
    write(
        &dir,
        "products/get.examples/admin.body.json",
        r#"{"admin": true}"#,
    );
    write(
        &dir,
        "products/me.json",
        r#"{"courier": 1, "name": "My products", "url": "{{base}}/products/me"}"#,
    );
    write(
        &dir,
        "products/me.examples/mine.json",
        r#"{"courier": 1, "name": "Mine", "status": 200, "body": "mine.body.txt"}"#,
    );
    write(&dir, "products/me.examples/mine.body.txt", "mine");
    write(
        &dir,
        "orders/create.json",
        r#"{"courier": 1, "name": "Create order", "method": "POST", "url": "{{base}}/orders/:shop"}"#,
    );
    write(
        &dir,
        "orders/create.examples/created.json",
        r#"{"courier": 1, "name": "Created", "status": 201, "body": "created.body.json",
            "mock": {"when": ["jq .qty > 0", "query dry not exists"]}}"#,
    );
    write(
        &dir,
        "orders/create.examples/created.body.json",
        r#"{"shop": "{{shop}}", "item": "{{request '.item'}}", "qty": {{request ".qty"}}, "method": "{{request method}}"}"#,
    );
    write(
        &dir,
        "orders/create.examples/rejected.json",
        r#"{"courier": 1, "name": "Rejected", "status": 422, "body": "rejected.body.json",
            "mock": {"when": ["jq .qty <= 0"]}}"#,
    );
    write(
        &dir,
        "orders/create.examples/rejected.body.json",
        r#"{"error": "qty"}"#,
    );
    write(
        &dir,
        "bad-day/flaky.json",
        r#"{"courier": 1, "name": "Flaky", "url": "{{base}}/flaky/{{kind}}"}"#,
    );
    for (name, mock) in [
        ("drop", r#"{"fault": {"kind": "drop"}}"#),
        ("status", r#"{"fault": {"kind": "status", "status": 503}}"#),
        ("truncate", r#"{"fault": {"kind": "truncate"}}"#),
        ("drip", r#"{"drip": {"bytes": 5, "every": "20ms"}}"#),
        ("slow", r#"{"delay": "300ms..400ms"}"#),
    ] {
        write(
            &dir,
            &format!("bad-day/flaky.examples/{name}.json"),
            &format!(
                r#"{{"courier": 1, "name": "{name}", "status": 200, "body": "{name}.body.txt",
                    "mock": {mock}}}"#
            ),
        );
        write(
            &dir,
            &format!("bad-day/flaky.examples/{name}.body.txt"),
            "0123456789abcdefghijklmnopqrstuvwxyz",
        );
    }
    write(
        &dir,
        "bad-day/none.json",
        r#"{"courier": 1, "name": "No examples", "url": "{{base}}/empty"}"#,
    );
    dir
}

struct Served {
    server: MockServer,
    events: tokio::sync::mpsc::Receiver<MockEvent>,
    _root: tempfile::TempDir,
}

async fn served(options: MockOptions) -> Served {
    let root = tempfile::tempdir().unwrap();
    let dir = shop(root.path());
    let table = Table::of_collection(&courier::store::load_collection(&dir), None);
    assert!(table.problems.is_empty(), "{:?}", table.problems);
    let (sink, events) = EventSink::channel();
    let server = MockServer::start(table, options, sink).await.unwrap();
    Served {
        server,
        events,
        _root: root,
    }
}

impl Served {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    /// The next event the server logs.
    async fn event(&mut self) -> MockEvent {
        self.events.recv().await.expect("an event")
    }
}

async fn json(response: reqwest::Response) -> serde_json::Value {
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

/// A response's body in the pieces it came in.
async fn pieces_of(mut response: reqwest::Response) -> Vec<bytes::Bytes> {
    let mut pieces = Vec::new();
    while let Some(piece) = response.chunk().await.unwrap() {
        pieces.push(piece);
    }
    pieces
}

fn client() -> reqwest::Client {
    courier::http::install_crypto_provider();
    reqwest::Client::builder().no_proxy().build().unwrap()
}

#[tokio::test]
async fn examples_are_chosen_by_path_method_and_rules() {
    let mut mock = served(MockOptions::default()).await;
    let client = client();
    let ok = client
        .get(mock.url("/api/products/42?page=3"))
        .header("User-Agent", "test-agent")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let trace = ok.headers()["x-trace"].to_str().unwrap().to_owned();
    assert_eq!(trace.len(), 36, "a rendered uuid: {trace}");
    assert_eq!(
        json(ok).await,
        serde_json::json!({"id": "42", "page": "3", "agent": "test-agent"})
    );
    match mock.event().await.kind {
        EventKind::Answered {
            example, request, ..
        } => assert_eq!(
            (example.as_str(), request.as_str()),
            ("OK", "products/Get product")
        ),
        other => panic!("{other:?}"),
    }
    let admin = client
        .get(mock.url("/api/products/42"))
        .header("X-Role", "admin")
        .send()
        .await
        .unwrap();
    assert_eq!(admin.text().await.unwrap(), r#"{"admin": true}"#);
    // A literal path wins over a placeholder's.
    let mine = client
        .get(mock.url("/api/products/me/"))
        .send()
        .await
        .unwrap();
    assert_eq!(mine.text().await.unwrap(), "mine");
    // Named by header, whatever the rules say.
    let named = client
        .get(mock.url("/api/products/1"))
        .header("X-Courier-Example", "admin view")
        .send()
        .await
        .unwrap();
    assert_eq!(named.text().await.unwrap(), r#"{"admin": true}"#);
    // HEAD is answered by the GET's example, without a body.
    let head = client
        .head(mock.url("/api/products/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-length"], "4", "the GET's length");
    assert!(head.bytes().await.unwrap().is_empty());
    // A path's value is put in as it came, never read as a template itself.
    let odd = client
        .get(mock.url("/api/products/%7B%7Bx%7D%7D"))
        .send()
        .await
        .unwrap();
    assert_eq!(odd.status(), 200);
    assert_eq!(json(odd).await["id"], "{{x}}");
}

#[tokio::test]
async fn body_and_query_rules_pick_the_example_and_fill_its_template() {
    let mock = served(MockOptions::default()).await;
    let client = client();
    let order = |query: &'static str, body: &'static str| {
        client
            .post(mock.url(&format!("/api/orders/north{query}")))
            .body(body)
            .send()
    };
    let created = order("", r#"{"item": "pen", "qty": 2}"#).await.unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(
        json(created).await,
        serde_json::json!({"shop": "north", "item": "pen", "qty": 2, "method": "POST"})
    );
    let rejected = order("", r#"{"item": "pen", "qty": 0}"#).await.unwrap();
    assert_eq!(rejected.status(), 422);
    let dry = order("?dry=yes", r#"{"item": "pen", "qty": 2}"#)
        .await
        .unwrap();
    assert_eq!(dry.status(), 404);
    let miss = json(dry).await;
    let reasons = miss["closest"].to_string();
    assert!(reasons.contains("query dry not exists"), "{miss}");
    assert!(reasons.contains("jq .qty <= 0"), "{miss}");
}

#[tokio::test]
async fn a_miss_answers_404_or_405_with_the_closest_candidates() {
    let mut mock = served(MockOptions::default()).await;
    let client = client();
    let typo = client
        .get(mock.url("/api/product/42"))
        .send()
        .await
        .unwrap();
    assert_eq!(typo.status(), 404);
    let body = json(typo).await;
    assert_eq!(body["closest"][0]["path"], "/api/products/{{id}}", "{body}");
    assert_eq!(body["closest"][0]["request"], "products/Get product");
    assert!(matches!(
        mock.event().await.kind,
        EventKind::Missed { status: 404, .. }
    ));
    let wrong = client
        .delete(mock.url("/api/products/42"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 405);
    assert_eq!(wrong.headers()["allow"], "GET");
    let empty = client.get(mock.url("/api/empty")).send().await.unwrap();
    assert_eq!(empty.status(), 404);
    let body = json(empty).await;
    assert!(
        body["error"].as_str().unwrap().contains("has no examples"),
        "{body}"
    );
}

#[tokio::test]
async fn faults_drop_fail_cut_drip_and_delay() {
    let mock = served(MockOptions::default()).await;
    // A client each: a pool could hand the next request the connection a fault just closed.
    let get = |kind: &str| {
        client()
            .get(mock.url("/api/flaky/x"))
            .header("X-Courier-Example", kind)
            .send()
    };
    let dropped = get("drop").await;
    assert!(dropped.is_err(), "no answer: {dropped:?}");
    assert_eq!(get("status").await.unwrap().status(), 503);
    let truncated = get("truncate").await.unwrap();
    assert_eq!(truncated.content_length(), Some(36));
    assert!(truncated.bytes().await.is_err(), "the body ends early");
    let mut dripped = get("drip").await.unwrap();
    let mut pieces = Vec::new();
    while let Some(piece) = dripped.chunk().await.unwrap() {
        pieces.push(piece);
    }
    assert!(pieces.len() >= 2, "{pieces:?}");
    assert_eq!(pieces.concat(), b"0123456789abcdefghijklmnopqrstuvwxyz");
    let started = std::time::Instant::now();
    assert_eq!(get("slow").await.unwrap().status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn http2_by_prior_knowledge_and_over_tls() {
    let mock = served(MockOptions::default()).await;
    courier::http::install_crypto_provider();
    let h2c = reqwest::Client::builder()
        .no_proxy()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    let answer = h2c.get(mock.url("/api/products/me")).send().await.unwrap();
    assert_eq!(answer.version(), reqwest::Version::HTTP_2);
    assert_eq!(answer.text().await.unwrap(), "mine");
    let tls = served(MockOptions {
        tls: true,
        ..MockOptions::default()
    })
    .await;
    let ca = reqwest::Certificate::from_pem(tls.server.ca_pem().unwrap().as_bytes()).unwrap();
    let client = reqwest::Client::builder()
        .no_proxy()
        .add_root_certificate(ca)
        .build()
        .unwrap();
    let url = tls
        .url("/api/products/me")
        .replace("127.0.0.1", "localhost");
    let answer = client.get(url).send().await.unwrap();
    assert_eq!(answer.version(), reqwest::Version::HTTP_2, "h2 by ALPN");
    assert_eq!(answer.text().await.unwrap(), "mine");
}

/// Sends `bytes` on a new connection and reads until the server closes it.
async fn raw(url: &str, bytes: &[u8]) -> String {
    let addr = url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn malformed_http_and_slow_clients_are_refused_and_logged() {
    let mut mock = served(MockOptions {
        head_timeout: Duration::from_millis(300),
        body_idle: Duration::from_millis(300),
        ..MockOptions::default()
    })
    .await;
    let url = mock.server.url();
    let answer = raw(&url, b"GARBAGE \x01\x02 nonsense\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer:?}");
    let logged = |event: MockEvent| match event.kind {
        EventKind::Connection { what } => what,
        other => panic!("{other:?}"),
    };
    let what = logged(mock.event().await);
    assert!(what.contains("invalid"), "{what}");
    // A slowloris: half a head, then nothing.
    let answer = raw(&url, b"GET /api/products/1 HTTP/1.1\r\nHost: x\r\n").await;
    assert!(!answer.contains("200"), "{answer:?}");
    let what = logged(mock.event().await);
    assert!(
        what.contains("timeout") || what.contains("timed out"),
        "{what}"
    );
    // Connected and silent.
    assert_eq!(raw(&url, b"").await, "");
    assert!(logged(mock.event().await).contains("nothing sent"));
    // Half an HTTP/2 preface, then nothing.
    assert_eq!(raw(&url, b"PRI * HTTP/2.0\r\n").await, "");
    assert!(logged(mock.event().await).contains("half an HTTP/2 preface"));
    // A body promised and never sent.
    let answer = raw(
        &url,
        b"POST /api/orders/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"qty\"",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(logged(mock.event().await).contains("stalled"));
}

#[tokio::test]
async fn a_gigabyte_upload_is_read_in_bounded_memory() {
    let mut mock = served(MockOptions::default()).await;
    let chunk = bytes::Bytes::from(vec![b'x'; 1 << 20]);
    let chunks =
        futures_util::stream::iter((0..1024).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
    let answer = client()
        .post(mock.url("/api/orders/north"))
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    // Past the cap, the body rules cannot hold: a miss that says so.
    assert_eq!(answer.status(), 404);
    let body = answer.text().await.unwrap();
    assert!(body.contains("past what the mock reads"), "{body}");
    assert!(matches!(mock.event().await.kind, EventKind::Missed { .. }));
}

#[tokio::test]
async fn ten_thousand_connections_at_once_are_all_answered() {
    let mut limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
    limit.current = limit.maximum;
    let _ = rustix::process::setrlimit(rustix::process::Resource::Nofile, limit);
    let wanted = match limit.current {
        Some(most) if most < 21_000 => {
            eprintln!("skipped: only {most} open files allowed; 10,000 connections need 21,000");
            return;
        }
        _ => 10_000,
    };
    let mock = served(MockOptions::default()).await;
    let addr = mock.server.addr();
    let mut streams = Vec::with_capacity(wanted);
    for _ in 0..wanted {
        streams.push(tokio::net::TcpStream::connect(addr).await.unwrap());
    }
    let tasks: Vec<_> = streams
        .into_iter()
        .map(|mut stream| {
            tokio::spawn(async move {
                stream
                    .write_all(
                        b"GET /api/products/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    )
                    .await
                    .unwrap();
                let mut answer = Vec::new();
                stream.read_to_end(&mut answer).await.unwrap();
                answer.ends_with(b"mine")
            })
        })
        .collect();
    let mut answered = 0;
    for task in tasks {
        answered += usize::from(task.await.unwrap());
    }
    assert_eq!(answered, wanted);
}

#[tokio::test]
async fn the_command_serves_until_interrupted_and_exits_0() {
    let root = tempfile::tempdir().unwrap();
    let dir = shop(root.path());
    let (mut child, url, mut lines) =
        common::mock_running(root.path(), &dir, &["mock", "--port", "0"]).await;
    let answer = client()
        .get(format!("{url}/api/products/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.text().await.unwrap(), "mine");
    // An example edited on disk is served without a restart.
    std::fs::write(
        dir.join("products/me.examples/mine.body.txt"),
        "mine, edited",
    )
    .unwrap();
    let mut served = String::new();
    for _ in 0..400 {
        let answer = client().get(format!("{url}/api/products/me")).send().await;
        served = answer.unwrap().text().await.unwrap();
        if served == "mine, edited" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(served, "mine, edited");
    let pid = child.id().expect("running");
    rustix::process::kill_process(
        rustix::process::Pid::from_raw(pid as i32).expect("a pid"),
        rustix::process::Signal::INT,
    )
    .expect("signalled");
    let mut rest = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut lines, &mut rest)
        .await
        .unwrap();
    let status = child.wait().await.unwrap();
    assert_eq!(status.code(), Some(0), "{rest}");
    assert!(
        rest.contains("GET /api/products/me → 200 products/My products · \"Mine\""),
        "{rest}"
    );
    assert!(
        rest.contains("GET     /api/products/{{id}}  products/Get product (Admin view, OK)"),
        "{rest}"
    );
    assert!(rest.contains("collection read again"), "{rest}");
    assert!(rest.trim_end().ends_with("stopped"), "{rest}");
}

#[tokio::test]
async fn record_mode_relays_misses_and_serves_them_next_time() {
    let demo = common::demo().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("recorded");
    let dir_text = dir.to_str().unwrap();
    let args = ["mock", dir_text, "--record", &demo.url(), "--port", "0"];
    let (mut child, url, mut lines) = common::mock_running(root.path(), root.path(), &args).await;
    let client = client();
    let first = client
        .get(format!("{url}/json?bytes=200"))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 200);
    let relayed = first.bytes().await.unwrap();
    let collection: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("collection.json")).unwrap()).unwrap();
    assert_eq!(collection["variables"]["base_url"], demo.url());
    let example: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("get-json.examples/200-ok.json")).unwrap())
            .unwrap();
    assert_eq!(example["mock"]["templates"], false);
    assert_eq!(example["mock"]["when"][0], r#"query bytes == "200""#);
    let request: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("get-json.json")).unwrap()).unwrap();
    assert_eq!(request["url"], "{{base_url}}/json");
    // The same request again is the example's, byte for byte.
    let again = client
        .get(format!("{url}/json?bytes=200"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.bytes().await.unwrap(), relayed);
    // Another query is not: it is recorded as a second example.
    // A name given twice is one rule: the same request again is answered, not recorded.
    for _ in 0..2 {
        let twice = client
            .get(format!("{url}/json?bytes=20&bytes=30"))
            .send()
            .await;
        assert_eq!(twice.unwrap().status(), 200);
    }
    assert!(!dir.join("get-json.examples/200-ok-3.json").exists());
    let other = client
        .get(format!("{url}/json?bytes=50"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
    assert!(dir.join("get-json.examples/200-ok-3.json").is_file());
    let posted = client
        .post(format!("{url}/echo"))
        .header("Content-Type", "application/json")
        .body(r#"{"hello": "world"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 200);
    assert_eq!(
        std::fs::read_to_string(dir.join("post-echo.body.json")).unwrap(),
        r#"{"hello": "world"}"#
    );
    child.kill().await.unwrap();
    let mut log = String::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        tokio::io::AsyncReadExt::read_to_string(&mut lines, &mut log),
    )
    .await;
    assert!(
        log.contains("recorded from upstream: saved as GET /json · \"200 OK\""),
        "{log}"
    );
    assert!(
        log.contains("GET /json → 200 GET /json · \"200 OK\""),
        "{log}"
    );
}

#[tokio::test]
async fn a_folder_mock_reads_only_its_folder_again_after_a_change() {
    let root = tempfile::tempdir().unwrap();
    let dir = shop(root.path());
    let collections = root.path().to_str().unwrap();
    let args = [
        "mock",
        "shop/products",
        "--collections",
        collections,
        "--port",
        "0",
    ];
    let (mut child, url, mut lines) = common::mock_running(root.path(), root.path(), &args).await;
    let client = client();
    let order = || {
        client
            .post(format!("{url}/api/orders/north"))
            .body(r#"{"qty": 1}"#)
            .send()
    };
    assert_eq!(
        order().await.unwrap().status(),
        404,
        "orders are not in the folder"
    );
    std::fs::write(dir.join("products/me.examples/mine.body.txt"), "changed").unwrap();
    let mut line = String::new();
    while !line.contains("collection read again") {
        line.clear();
        let read = tokio::io::AsyncBufReadExt::read_line(&mut lines, &mut line).await;
        assert!(read.unwrap() > 0, "the mock ended");
    }
    assert!(line.contains("2 requests"), "{line}");
    assert_eq!(
        order().await.unwrap().status(),
        404,
        "still not in the folder"
    );
    child.kill().await.unwrap();
}

#[tokio::test]
async fn a_recorded_stream_is_played_back_in_its_pieces() {
    let demo = common::demo().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("streams");
    let dir_text = dir.to_str().unwrap();
    let args = [
        "mock",
        dir_text,
        "--record",
        &demo.url(),
        "--port",
        "0",
        "--speed",
        "20",
    ];
    let (mut child, url, _lines) = common::mock_running(root.path(), root.path(), &args).await;
    let client = client();
    let stream_url = format!("{url}/ndjson?lines=5&interval_ms=100");
    let recorded = client
        .get(&stream_url)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let example: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("get-ndjson.examples/200-ok.json")).unwrap(),
    )
    .unwrap();
    let chunks = example["mock"]["stream"]["chunks"].as_array().unwrap();
    assert!(chunks.len() >= 2, "{example}");
    let last = chunks.last().unwrap();
    assert_eq!(last[0].as_u64(), Some(recorded.len() as u64), "{example}");
    assert!(
        last[1].as_u64().unwrap() >= 300,
        "the pieces' times: {example}"
    );
    // Served from the example now, in its pieces.
    let pieces = pieces_of(client.get(&stream_url).send().await.unwrap()).await;
    assert!(pieces.len() >= 2, "{pieces:?}");
    assert_eq!(pieces.concat(), recorded.to_vec());
    assert!(
        !dir.join("get-ndjson.examples/200-ok-2.json").exists(),
        "not recorded again"
    );
    child.kill().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_mode_over_tls_and_http2_saves_and_replays_as_over_http1() {
    let demo = common::demo().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("recorded");
    let ca = root.path().join("ca.pem");
    let (dir_text, ca_text) = (dir.to_str().unwrap(), ca.to_str().unwrap());
    let args = [
        "mock",
        dir_text,
        "--record",
        &demo.url(),
        "--port",
        "0",
        "--tls",
        "--ca-out",
        ca_text,
    ];
    let (mut child, url, _lines) = common::mock_running(root.path(), root.path(), &args).await;
    assert!(url.starts_with("https://"), "{url}");
    let url = url.replace("127.0.0.1", "localhost");
    courier::http::install_crypto_provider();
    let trusted = reqwest::Certificate::from_pem(&std::fs::read(&ca).unwrap()).unwrap();
    let tls = reqwest::Client::builder()
        .no_proxy()
        .add_root_certificate(trusted)
        .build()
        .unwrap();
    let stream_url = format!("{url}/ndjson?lines=3&interval_ms=60");
    let first = tls.get(&stream_url).send().await.unwrap();
    assert_eq!(first.version(), reqwest::Version::HTTP_2, "h2 by ALPN");
    let recorded = first.bytes().await.unwrap();
    let example: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("get-ndjson.examples/200-ok.json")).unwrap(),
    )
    .unwrap();
    let chunks = example["mock"]["stream"]["chunks"].as_array().unwrap();
    assert_eq!(
        chunks.last().unwrap()[0].as_u64(),
        Some(recorded.len() as u64),
        "{example}"
    );
    let pieces = pieces_of(tls.get(&stream_url).send().await.unwrap()).await;
    assert!(pieces.len() >= 2, "played in pieces over h2: {pieces:?}");
    assert_eq!(pieces.concat(), recorded.to_vec());
    assert!(!dir.join("get-ndjson.examples/200-ok-2.json").exists());
    child.kill().await.unwrap();

    // h2c by prior knowledge: a body relayed upstream and saved as the new request's.
    let args = ["mock", dir_text, "--record", &demo.url(), "--port", "0"];
    let (mut child, url, _lines) = common::mock_running(root.path(), root.path(), &args).await;
    let h2c = reqwest::Client::builder()
        .no_proxy()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    let posted = h2c
        .post(format!("{url}/echo"))
        .header("Content-Type", "application/json")
        .body(r#"{"over": "h2c"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(posted.version(), reqwest::Version::HTTP_2);
    assert_eq!(posted.status(), 200);
    let echoed = posted.bytes().await.unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("post-echo.body.json")).unwrap(),
        r#"{"over": "h2c"}"#
    );
    let again = h2c
        .post(format!("{url}/echo"))
        .header("Content-Type", "application/json")
        .body(r#"{"over": "h2c"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.bytes().await.unwrap(),
        echoed,
        "served from the example"
    );
    assert!(!dir.join("post-echo.examples/200-ok-2.json").exists());
    child.kill().await.unwrap();
}
