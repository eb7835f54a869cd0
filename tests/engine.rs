//! The engine against real servers on loopback: events, pooling, HTTP versions, timeouts,
//! decoding, redirects, cancellation, concurrency and middleware.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Collected, collect, demo, exchange, get};
use courier::http::{
    Engine, EngineEvent, ExchangeId, FailureKind, Middleware, PreparedBody, PreparedRequest,
    ResponseHead, SentRequest,
};
use courier::model::HttpVersion;
use tokio::sync::mpsc;

#[tokio::test]
async fn started_shows_the_request_as_sent_with_computed_headers() {
    let demo = demo().await;
    let engine = Engine::new();
    let mut request = PreparedRequest::new("POST", &format!("{}/echo?x=1", demo.url()));
    request.headers.push(("X-Mine".into(), "yes".into()));
    request.body = PreparedBody::Bytes("hello".into());
    let result = exchange(&engine, request).await;
    let sent = result.started.as_ref().unwrap();
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.url, format!("{}/echo?x=1", demo.url()));
    assert_eq!(sent.body_bytes, Some(5));
    let names: Vec<&str> = sent.headers.iter().map(|(n, _)| n.as_str()).collect();
    for computed in [
        "x-mine",
        "accept-encoding",
        "host",
        "user-agent",
        "content-length",
    ] {
        assert!(
            names.contains(&computed),
            "{computed} missing from {names:?}"
        );
    }
    // The server saw what Started said.
    let echo = result.json();
    assert_eq!(
        echo["headers"]["user-agent"],
        format!("courier/{}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        echo["headers"]["accept-encoding"],
        "gzip, deflate, br, zstd"
    );
    assert_eq!(echo["body"], "hello");
    let head = result.head.as_ref().unwrap();
    assert_eq!((head.status, head.version.as_str()), (200, "HTTP/1.1"));
    assert_eq!(head.remote_addr, Some(demo.addr()));
    let done = result.done.unwrap();
    assert_eq!(done.body_bytes, result.body.len() as u64);
    assert!(done.timing.total >= done.timing.first_byte);
    assert!(
        done.timing.connect.is_some(),
        "a fresh connection was timed"
    );
    assert_eq!(done.timing.dns, None, "an IP address needs no lookup");
}

#[tokio::test]
async fn consecutive_sends_share_one_pooled_connection() {
    let demo = demo().await;
    let engine = Engine::new();
    let mut reused = 0;
    for _ in 0..5 {
        let result = get(&engine, format!("{}/echo", demo.url())).await;
        assert_eq!(result.status(), 200);
        reused += usize::from(result.done.unwrap().timing.connect.is_none());
    }
    assert_eq!(demo.connections_accepted(), 1);
    assert_eq!(reused, 4, "later sends report a reused connection");
    assert_eq!(engine.clients(), 1);
    // Other transport settings get their own client, and so their own connection.
    let mut h2 = PreparedRequest::new("GET", &format!("{}/echo", demo.url()));
    h2.transport.http = HttpVersion::Http2;
    assert_eq!(exchange(&engine, h2).await.head.unwrap().version, "HTTP/2");
    assert_eq!(engine.clients(), 2);
    assert_eq!(demo.connections_accepted(), 2);
}

#[tokio::test]
async fn http_versions_can_be_forced() {
    let demo = demo().await;
    let engine = Engine::new();
    for (version, expected) in [
        (HttpVersion::Auto, "HTTP/1.1"),
        (HttpVersion::Http1, "HTTP/1.1"),
        (HttpVersion::Http2, "HTTP/2"),
    ] {
        let mut request = PreparedRequest::new("GET", &format!("{}/echo", demo.url()));
        request.transport.http = version;
        let result = exchange(&engine, request).await;
        assert_eq!(
            result.head.as_ref().unwrap().version,
            expected,
            "{version:?}"
        );
    }
}

#[tokio::test]
async fn the_read_timeout_fires_on_a_stall_but_not_on_a_steady_stream() {
    let demo = demo().await;
    let engine = Engine::new();
    let mut stalled = PreparedRequest::new("GET", &format!("{}/stall?after_bytes=10", demo.url()));
    stalled.transport.read_timeout = Some(Duration::from_millis(300));
    let result = exchange(&engine, stalled).await;
    assert_eq!(result.body.len(), 10, "the partial body arrived first");
    let failure = result.failed.unwrap();
    assert_eq!(
        failure.kind,
        FailureKind::ReadTimeout,
        "{}",
        failure.message
    );
    assert!(failure.message.contains("300ms"), "{}", failure.message);

    // 8 events 150 ms apart: 1.05 s in all, far longer than the 400 ms read timeout.
    let mut steady = PreparedRequest::new(
        "GET",
        &format!("{}/sse?events=8&interval_ms=150", demo.url()),
    );
    steady.transport.read_timeout = Some(Duration::from_millis(400));
    let result = exchange(&engine, steady).await;
    assert!(result.failed.is_none(), "{:?}", result.failed);
    assert!(String::from_utf8_lossy(&result.body).contains("id: 8"));
    assert!(result.chunks >= 8, "events arrived one by one");
}

#[tokio::test]
async fn the_read_timeout_also_covers_waiting_for_the_head() {
    let demo = demo().await;
    let mut slow = PreparedRequest::new("GET", &format!("{}/delay/2000", demo.url()));
    slow.transport.read_timeout = Some(Duration::from_millis(200));
    let failure = exchange(&Engine::new(), slow).await.failed.unwrap();
    assert_eq!(failure.kind, FailureKind::ReadTimeout);
}

#[tokio::test]
async fn the_total_timeout_fires_on_a_long_but_lively_exchange() {
    let demo = demo().await;
    let mut drip = PreparedRequest::new(
        "GET",
        &format!("{}/drip?bytes=100&duration_ms=3000", demo.url()),
    );
    drip.transport.read_timeout = Some(Duration::from_secs(2));
    drip.total_timeout = Some(Duration::from_millis(500));
    let started = Instant::now();
    let result = exchange(&Engine::new(), drip).await;
    let failure = result.failed.unwrap();
    assert_eq!(
        failure.kind,
        FailureKind::TotalTimeout,
        "{}",
        failure.message
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "stopped at the limit, not at the end"
    );
    assert!(
        !result.body.is_empty() && result.body.len() < 100,
        "kept the partial body"
    );
}

#[tokio::test]
async fn the_connect_timeout_fires_when_the_server_never_accepts() {
    // A listener with a backlog of 1 that never accepts: once its queue is full, the kernel
    // drops further SYNs, so a new connection hangs in the handshake.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        match tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(addr),
        )
        .await
        {
            Ok(Ok(stream)) => fillers.push(stream),
            _ => break, // the queue is full
        }
    }
    let mut request = PreparedRequest::new("GET", &format!("http://{addr}/"));
    request.transport.connect_timeout = Some(Duration::from_millis(300));
    let started = Instant::now();
    let failure = exchange(&Engine::new(), request).await.failed.unwrap();
    assert_eq!(
        failure.kind,
        FailureKind::ConnectTimeout,
        "{}",
        failure.message
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    drop(listener);
}

#[tokio::test]
async fn refused_and_unresolvable_hosts_are_told_apart() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let engine = Engine::new();
    let refused = get(&engine, format!("http://127.0.0.1:{port}/"))
        .await
        .failed
        .unwrap();
    assert_eq!(refused.kind, FailureKind::Refused, "{}", refused.message);
    assert!(
        refused.message.contains("nothing is listening"),
        "{}",
        refused.message
    );
    // A 64-byte label is longer than DNS allows, so the system resolver fails without sending
    // a query anywhere (checked with strace): the test stays on this machine.
    let host = format!("{}.invalid", "a".repeat(64));
    let dns = get(&engine, format!("http://{host}/"))
        .await
        .failed
        .unwrap();
    assert_eq!(dns.kind, FailureKind::Dns, "{}", dns.message);
    assert!(dns.message.contains(&host), "{}", dns.message);
}

#[tokio::test]
async fn every_codec_is_decoded_and_counted() {
    let demo = demo().await;
    let engine = Engine::new();
    for codec in ["gzip", "brotli", "zstd", "deflate"] {
        let result = get(&engine, format!("{}/{codec}", demo.url())).await;
        assert_eq!(result.json()["compressed_with"], codec);
        let done = result.done.unwrap();
        assert!(done.wire_bytes < done.body_bytes / 2, "{codec}: {done:?}");
        assert_eq!(done.body_bytes, result.body.len() as u64);
    }
}

#[tokio::test]
async fn raw_mode_keeps_the_compressed_bytes() {
    let demo = demo().await;
    let mut request = PreparedRequest::new("GET", &format!("{}/gzip", demo.url()));
    request.decompress = false;
    let result = exchange(&Engine::new(), request).await;
    assert_eq!(&result.body[..2], b"\x1f\x8b", "gzip magic");
    let done = result.done.unwrap();
    assert_eq!(done.wire_bytes, done.body_bytes);
}

#[tokio::test]
async fn a_decompression_bomb_stops_at_the_limit() {
    let demo = demo().await;
    // /gzip decodes to ~12 KB; a 4 KB limit makes it a "bomb".
    let mut request = PreparedRequest::new("GET", &format!("{}/gzip", demo.url()));
    request.decompress_limit = 4096;
    let result = exchange(&Engine::new(), request).await;
    let failure = result.failed.unwrap();
    assert_eq!(failure.kind, FailureKind::Decode);
    assert!(
        failure.message.contains("limit of 4096 bytes"),
        "{}",
        failure.message
    );
    assert!(result.body.len() <= 4096);
}

#[tokio::test]
async fn corrupt_compressed_bodies_fail_as_decode_errors() {
    let server = common_server::serve_once(
        b"HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: 12\r\n\r\nnot gzip at all!"
            .to_vec(),
    )
    .await;
    let failure = get(&Engine::new(), server).await.failed.unwrap();
    assert_eq!(failure.kind, FailureKind::Decode, "{}", failure.message);
}

#[tokio::test]
async fn a_truncated_chunked_body_is_a_body_failure_with_the_partial_body_kept() {
    let raw = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\nonly part"
        .to_vec();
    let url = common_server::serve_once(raw).await;
    let result = get(&Engine::new(), url).await;
    assert!(result.body.starts_with(b"hello"));
    let failure = result.failed.unwrap();
    assert_eq!(failure.kind, FailureKind::Body, "{}", failure.message);
}

#[tokio::test]
async fn redirects_are_followed_and_reported_or_not_followed() {
    let demo = demo().await;
    let engine = Engine::new();
    let followed = get(&engine, format!("{}/redirect/3", demo.url())).await;
    let head = followed.head.as_ref().unwrap();
    assert_eq!(head.status, 200);
    assert_eq!(head.redirects.len(), 3);
    assert_eq!(head.redirects[0].from, format!("{}/redirect/3", demo.url()));
    assert_eq!(head.redirects[2].to, format!("{}/redirect/0", demo.url()));
    assert_eq!(head.url, format!("{}/redirect/0", demo.url()));

    let mut manual = PreparedRequest::new("GET", &format!("{}/redirect/3", demo.url()));
    manual.transport.follow_redirects = false;
    let result = exchange(&engine, manual).await;
    assert_eq!(result.status(), 302);
    assert_eq!(result.header("location"), Some("/redirect/2"));

    let mut limited = PreparedRequest::new("GET", &format!("{}/redirect/5", demo.url()));
    limited.transport.max_redirects = 2;
    let failure = exchange(&engine, limited).await.failed.unwrap();
    assert_eq!(
        failure.kind,
        FailureKind::TooManyRedirects,
        "{}",
        failure.message
    );
}

#[tokio::test]
async fn cancelling_before_the_head_and_mid_body_ends_with_cancelled() {
    let demo = demo().await;
    let engine = Engine::new();
    for path in ["/delay/5000", "/drip?bytes=50&duration_ms=5000"] {
        let (events, mut received) = mpsc::channel(16);
        let handle = engine.send(
            ExchangeId(7),
            PreparedRequest::new("GET", &format!("{}{path}", demo.url())),
            events,
        );
        let mut collected = Collected::default();
        let started = Instant::now();
        if path.starts_with("/drip") {
            // Wait for the first body byte, then cancel.
            while collected.chunks == 0 {
                collect(&mut collected, received.recv().await.unwrap());
            }
        } else {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        handle.cancel();
        while let Some(event) = received.recv().await {
            assert_eq!(event.id(), ExchangeId(7));
            collect(&mut collected, event);
        }
        assert_eq!(
            collected.failed.unwrap().kind,
            FailureKind::Cancelled,
            "{path}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{path}: cancelled promptly"
        );
    }
}

/// Open sockets of this process, from /proc/self/fd.
fn open_sockets() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|target| target.to_string_lossy().starts_with("socket:"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_cancelled_exchanges_leave_nothing_behind() {
    let demo = demo().await;
    let engine = Engine::new();
    // Warm up: the client and the demo server's listener exist before we count.
    get(&engine, format!("{}/echo", demo.url())).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let sockets_before = open_sockets();
    let tasks_before = tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks();

    let (events, mut received) = mpsc::channel(1024);
    let mut handles = Vec::new();
    for i in 0..100 {
        let path = if i % 2 == 0 {
            "/delay/10000"
        } else {
            "/stall?after_bytes=10"
        };
        handles.push(engine.send(
            ExchangeId(i),
            PreparedRequest::new("GET", &format!("{}{path}", demo.url())),
            events.clone(),
        ));
    }
    drop(events);
    tokio::time::sleep(Duration::from_millis(300)).await;
    for handle in &handles {
        handle.cancel();
    }
    let mut cancelled = 0;
    while let Some(event) = received.recv().await {
        if let EngineEvent::Failed { failure, .. } = event {
            assert_eq!(failure.kind, FailureKind::Cancelled);
            cancelled += 1;
        }
    }
    assert_eq!(cancelled, 100);
    for handle in handles {
        handle.finished().await;
    }
    // Give the demo server's side a moment to notice the closed connections.
    let mut settled = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let tasks = tokio::runtime::Handle::current()
            .metrics()
            .num_alive_tasks();
        if open_sockets() <= sockets_before && tasks <= tasks_before {
            settled = true;
            break;
        }
    }
    assert!(
        settled,
        "sockets {} (before {sockets_before}), tasks {} (before {tasks_before})",
        open_sockets(),
        tokio::runtime::Handle::current()
            .metrics()
            .num_alive_tasks()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_exchanges_in_flight_keep_their_events_apart() {
    let demo = demo().await;
    let engine = Engine::new();
    let (events, mut received) = mpsc::channel(256);
    let mut handles = Vec::new();
    for i in 0..200u64 {
        let url = format!("{}/echo?n={i}", demo.url());
        handles.push(engine.send(
            ExchangeId(i),
            PreparedRequest::new("GET", &url),
            events.clone(),
        ));
    }
    drop(events);
    let mut results: Vec<Collected> = (0..200).map(|_| Collected::default()).collect();
    while let Some(event) = received.recv().await {
        let index = event.id().0 as usize;
        collect(&mut results[index], event);
    }
    for (i, result) in results.iter().enumerate() {
        assert!(result.done.is_some(), "{i}: {:?}", result.failed);
        assert_eq!(
            result.json()["query"]["n"],
            i.to_string(),
            "exchange {i} got its own body"
        );
    }
}

#[tokio::test]
async fn middleware_changes_requests_and_sees_heads() {
    struct Stamp(Mutex<Vec<u16>>);
    impl Middleware for Stamp {
        fn before_send(&self, request: &mut PreparedRequest) -> Result<(), String> {
            request
                .headers
                .push(("X-Stamped".into(), "by middleware".into()));
            Ok(())
        }
        fn after_head(&self, _request: &SentRequest, head: &ResponseHead) {
            self.0.lock().unwrap().push(head.status);
        }
    }
    struct Refuse;
    impl Middleware for Refuse {
        fn before_send(&self, request: &mut PreparedRequest) -> Result<(), String> {
            if request.url.contains("forbidden") {
                Err("blocked by policy".into())
            } else {
                Ok(())
            }
        }
    }
    let demo = demo().await;
    let stamp = Arc::new(Stamp(Mutex::new(Vec::new())));
    let engine = Engine::new()
        .with_middleware(stamp.clone())
        .with_middleware(Arc::new(Refuse));
    let result = get(&engine, format!("{}/echo", demo.url())).await;
    assert_eq!(result.json()["headers"]["x-stamped"], "by middleware");
    get(&engine, format!("{}/status/404", demo.url())).await;
    assert_eq!(*stamp.0.lock().unwrap(), vec![200, 404]);
    let refused = get(&engine, format!("{}/forbidden", demo.url()))
        .await
        .failed
        .unwrap();
    assert_eq!(refused.kind, FailureKind::Request);
    assert_eq!(refused.message, "blocked by policy");
}

#[tokio::test]
async fn cookies_are_kept_and_sent_back() {
    let demo = demo().await;
    let jar = Arc::new(courier::http::CookieJar::in_memory());
    let engine = Engine::new();
    let mut set = PreparedRequest::new("GET", &format!("{}/cookies/set?session=abc", demo.url()));
    set.cookie_jar = Some(jar.clone());
    exchange(&engine, set).await;
    let mut show = PreparedRequest::new("GET", &format!("{}/cookies", demo.url()));
    show.cookie_jar = Some(jar.clone());
    assert_eq!(
        exchange(&engine, show).await.json()["cookies"]["session"],
        "abc"
    );
    assert_eq!(jar.list()[0].name, "session");
    jar.clear();
    assert!(jar.list().is_empty());
    let without = get(&engine, format!("{}/cookies", demo.url())).await;
    assert_eq!(
        without.json()["cookies"],
        serde_json::json!({}),
        "no jar, no cookies"
    );
}

#[tokio::test]
async fn a_body_file_is_streamed_from_disk() {
    let demo = demo().await;
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), vec![b'z'; 300_000]).unwrap();
    let mut request = PreparedRequest::new("PUT", &format!("{}/echo", demo.url()));
    request.body = PreparedBody::File(file.path().to_owned());
    let result = exchange(&Engine::new(), request).await;
    assert_eq!(result.json()["body_length"], 300_000);
    assert_eq!(result.started.unwrap().body_bytes, Some(300_000));
}

/// A one-shot raw TCP server for responses no well-behaved server would send.
mod common_server {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Serves `response` verbatim to the first connection (after reading its request), then
    /// closes it. Returns the URL.
    pub async fn serve_once(response: Vec<u8>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer).await;
            let _ = stream.write_all(&response).await;
            let _ = stream.shutdown().await;
        });
        format!("http://{addr}/")
    }
}

#[tokio::test]
async fn digest_auth_answers_the_challenge_with_md5_and_sha_256() {
    let demo = demo().await;
    let engine = Engine::new();
    for algorithm in ["MD5", "SHA-256", "SHA-256-sess"] {
        let url = format!(
            "{}/digest-auth/auth/ada/lovelace/{algorithm}?x=1",
            demo.url()
        );
        let mut request = PreparedRequest::new("GET", &url);
        request.digest = Some(("ada".into(), "lovelace".into()));
        let answered = exchange(&engine, request).await;
        assert_eq!(
            answered.status(),
            200,
            "{algorithm}: {}",
            String::from_utf8_lossy(&answered.body)
        );
        assert_eq!(answered.json()["algorithm"], algorithm);
        let sent = answered.started.unwrap();
        let authorization = sent
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
            .map(|(_, value)| value.clone())
            .unwrap_or_default();
        assert!(
            authorization.starts_with("Digest username=\"ada\"")
                && authorization.contains("uri=\"/digest-auth/auth/ada/lovelace/")
                && !authorization.contains("lovelace\","),
            "Started shows the answer, never the password: {authorization}"
        );
    }
    // A wrong password: the second answer is the server's 401.
    let mut wrong = PreparedRequest::new(
        "GET",
        &format!("{}/digest-auth/auth/ada/lovelace", demo.url()),
    );
    wrong.digest = Some(("ada".into(), "babbage".into()));
    assert_eq!(exchange(&engine, wrong).await.status(), 401);
    // A server that does not challenge: its first answer is the response.
    let mut open = PreparedRequest::new("GET", &format!("{}/status/200", demo.url()));
    open.digest = Some(("ada".into(), "x".into()));
    assert_eq!(exchange(&engine, open).await.status(), 200);
}

#[tokio::test]
async fn oauth2_client_credentials_are_fetched_once_kept_and_refreshed_when_expired() {
    use courier::http::oauth2::ClientCredentials;
    let demo = demo().await;
    let engine = Engine::new();
    let credentials = |lifetime: u64, secret: &str| ClientCredentials {
        token_url: format!("{}/oauth/token?expires_in={lifetime}", demo.url()),
        client_id: "demo".into(),
        client_secret: secret.into(),
        scope: Some("read write".into()),
        grant: courier::http::oauth2::Grant::ClientCredentials,
    };
    let call = |credentials: ClientCredentials| {
        let mut request = PreparedRequest::new("GET", &format!("{}/oauth/protected", demo.url()));
        request.oauth2 = Some(credentials);
        exchange(&engine, request)
    };
    let first = call(credentials(3600, "demo-secret")).await;
    assert_eq!(
        first.status(),
        200,
        "{}",
        String::from_utf8_lossy(&first.body)
    );
    let token = first.json()["token"].as_str().unwrap().to_owned();
    let sent = first.started.as_ref().unwrap();
    assert!(
        sent.secrets.contains(&token),
        "the token is masked where the request is shown"
    );
    let second = call(credentials(3600, "demo-secret")).await;
    assert_eq!(second.json()["token"], token.as_str(), "the token was kept");

    // Tokens that live 11 s are fetched again at once: within the 10 s margin they count as
    // expired; so two sends get two tokens, both accepted.
    let short_a = call(credentials(11, "demo-secret")).await.json()["token"].clone();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let short_b = call(credentials(11, "demo-secret")).await.json()["token"].clone();
    assert_ne!(short_a, short_b, "an expiring token is refreshed");

    let refused = call(credentials(3600, "wrong")).await;
    let failure = refused.failed.expect("no token, no send");
    assert!(
        failure.message.contains("invalid_client"),
        "{}",
        failure.message
    );
}

#[tokio::test]
async fn oauth2_password_grant_tokens_are_refreshed_with_their_refresh_token() {
    use courier::http::oauth2::{ClientCredentials, Grant};
    let demo = demo().await;
    let engine = Engine::new();
    let credentials = |lifetime: u64, password: &str| ClientCredentials {
        token_url: format!("{}/oauth/token?expires_in={lifetime}", demo.url()),
        client_id: "demo".into(),
        client_secret: "demo-secret".into(),
        scope: None,
        grant: Grant::Password {
            username: "ada".into(),
            password: password.into(),
        },
    };
    let call = |credentials: ClientCredentials| {
        let mut request = PreparedRequest::new("GET", &format!("{}/oauth/protected", demo.url()));
        request.oauth2 = Some(credentials);
        exchange(&engine, request)
    };
    let first = call(credentials(5, "lovelace")).await.json()["token"].clone();
    assert!(first.as_str().unwrap().starts_with("demo-pw-"), "{first}");
    // Within the 10 s margin it counts as expired at once: the refresh token that came with
    // it gets the next one, without the password.
    let second = call(credentials(5, "lovelace")).await.json()["token"].clone();
    assert!(second.as_str().unwrap().starts_with("demo-rt-"), "{second}");

    let refused = call(credentials(3600, "wrong")).await;
    let failure = refused.failed.expect("no token, no send");
    assert!(
        failure.message.contains("invalid_grant"),
        "{}",
        failure.message
    );

    let mut given = credentials(3600, "x");
    given.grant = Grant::RefreshToken("not-given".into());
    let failure = call(given).await.failed.expect("refused");
    assert!(
        failure
            .message
            .contains("that refresh token was not given by this server"),
        "{}",
        failure.message
    );
}

/// Sends a request with the demo's device grant, approving (or refusing) its code the way a
/// person would, by opening the URL the `Waiting` event names; its events.
async fn device_grant(approve: bool) -> common::Collected {
    use courier::http::oauth2::{ClientCredentials, Grant};
    let demo = demo().await;
    let engine = Engine::new();
    let mut request = PreparedRequest::new("GET", &format!("{}/oauth/protected", demo.url()));
    request.oauth2 = Some(ClientCredentials {
        token_url: format!("{}/oauth/token", demo.url()),
        client_id: "demo".into(),
        client_secret: "demo-secret".into(),
        scope: None,
        grant: Grant::DeviceCode(format!("{}/oauth/device", demo.url())),
    });
    let (events, mut received) = tokio::sync::mpsc::channel(16);
    let _handle = engine.send(ExchangeId(1), request, events);
    let mut collected = common::Collected::default();
    while let Some(event) = received.recv().await {
        if let EngineEvent::Waiting { message, .. } = &event {
            let start = message.find("(or open ").expect("a URL with the code") + "(or open ".len();
            let mut url = message[start..message[start..].find(')').unwrap() + start].to_owned();
            if !approve {
                url.push_str("&deny=1");
            }
            assert_eq!(common::get(&engine, url).await.status(), 200);
        }
        common::collect(&mut collected, event);
    }
    collected
}

#[tokio::test]
async fn an_oauth2_device_grant_waits_for_the_code_to_be_approved() {
    let approved = device_grant(true).await;
    assert_eq!(approved.waiting.len(), 1, "the code is told once");
    let told = &approved.waiting[0];
    assert!(told.starts_with("OAuth2: open http://127.0.0.1:"), "{told}");
    assert!(
        told.contains("/oauth/device/verify and enter the code "),
        "{told}"
    );
    assert_eq!(
        approved.status(),
        200,
        "{}",
        String::from_utf8_lossy(&approved.body)
    );

    let refused = device_grant(false).await;
    let failure = refused.failed.expect("a refused code sends nothing");
    assert!(
        failure.message.contains("was refused at"),
        "{}",
        failure.message
    );
}

/// Sends a request with the demo's authorization code grant (PKCE), signing in the way a
/// browser would: opening the URL the `Waiting` event names and following its redirect to
/// Courier's listener on 127.0.0.1.
async fn pkce_grant(approve: bool) -> Collected {
    use courier::http::oauth2::{ClientCredentials, Grant};
    let demo = demo().await;
    let engine = Engine::new();
    let mut request = PreparedRequest::new("GET", &format!("{}/oauth/protected", demo.url()));
    request.oauth2 = Some(ClientCredentials {
        token_url: format!("{}/oauth/token", demo.url()),
        client_id: "demo".into(),
        client_secret: "demo-secret".into(),
        scope: Some("read".into()),
        grant: Grant::AuthorizationCode {
            authorization_url: format!("{}/oauth/authorize", demo.url()),
            port: None,
        },
    });
    let (events, mut received) = mpsc::channel(16);
    let _handle = engine.send(ExchangeId(1), request, events);
    let mut collected = Collected::default();
    while let Some(event) = received.recv().await {
        if let EngineEvent::Waiting { message, .. } = &event {
            let start = message.find("sign in at ").expect("a sign-in URL") + "sign in at ".len();
            let end = message.find(" (waiting").expect("the redirect named");
            let mut url = message[start..end].to_owned();
            if !approve {
                url.push_str("&deny=1");
            }
            let browser = get(&engine, url).await;
            assert_eq!(browser.status(), 200, "the listener answers the browser");
            assert!(String::from_utf8_lossy(&browser.body).contains("close this tab"));
        }
        collect(&mut collected, event);
    }
    collected
}

#[tokio::test]
async fn an_oauth2_authorization_code_grant_with_pkce_takes_the_redirect_on_loopback() {
    let signed_in = pkce_grant(true).await;
    let told = &signed_in.waiting[0];
    assert!(told.contains("code_challenge_method=S256"), "{told}");
    assert!(
        told.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A"),
        "{told}"
    );
    assert_eq!(
        signed_in.status(),
        200,
        "{}",
        String::from_utf8_lossy(&signed_in.body)
    );
    assert!(
        signed_in.json()["token"]
            .as_str()
            .unwrap()
            .starts_with("demo-ac-")
    );

    let refused = pkce_grant(false).await;
    let failure = refused.failed.expect("a refused sign-in sends nothing");
    assert!(
        failure.message.contains("access_denied"),
        "{}",
        failure.message
    );
}
