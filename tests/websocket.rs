//! WebSocket sessions against the demo server's /ws endpoints and against raw servers written
//! here to break the protocol: the handshake's head and what it agreed, frames both ways with
//! permessage-deflate, the closing handshake from either side, and each bad input a clear
//! failure rather than a hang.

mod common;

use std::time::Duration;

use courier::http::websocket::{Close, Command, Direction, Frame, FrameKind, Offer, Opened};
use courier::http::{Engine, EngineEvent, ExchangeId, Failure, FailureKind, PreparedRequest};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

/// What one session reported.
#[derive(Debug, Default)]
struct Session {
    status: Option<u16>,
    opened: Option<Opened>,
    frames: Vec<Frame>,
    close: Option<Close>,
    failed: Option<Failure>,
    done: bool,
}

impl Session {
    fn received(&self) -> Vec<&Frame> {
        self.frames
            .iter()
            .filter(|f| f.direction == Direction::Received)
            .collect()
    }
}

/// Opens a session on `url`, sends `commands` once it is open, and collects every event;
/// `close_after` received data frames, it closes (1000). A session still going after a
/// minute is a hang, and fails the test.
async fn session(
    url: &str,
    offer: Offer,
    commands: Vec<Command>,
    close_after: Option<usize>,
) -> Session {
    let collected = collect(url, offer, commands, close_after);
    tokio::time::timeout(Duration::from_secs(60), collected)
        .await
        .expect("the session ended")
}

async fn collect(
    url: &str,
    offer: Offer,
    commands: Vec<Command>,
    close_after: Option<usize>,
) -> Session {
    let engine = Engine::new();
    let (events, mut received) = mpsc::channel(64);
    let handle = engine.open_websocket(
        ExchangeId(1),
        PreparedRequest::new("GET", url),
        offer,
        events,
    );
    let sender = handle.commands();
    let mut seen = Session::default();
    let mut data = 0;
    while let Some(event) = received.recv().await {
        match event {
            EngineEvent::Head { head, .. } => seen.status = Some(head.status),
            EngineEvent::Opened { opened, .. } => {
                seen.opened = Some(opened);
                for command in &commands {
                    sender
                        .send(command.clone())
                        .await
                        .expect("session takes commands");
                }
                if close_after == Some(0) {
                    let close = Command::Close {
                        code: 1000,
                        reason: String::new(),
                    };
                    sender.send(close).await.expect("session takes commands");
                }
            }
            EngineEvent::Frame { frame, .. } => {
                let is_data = matches!(frame.kind, FrameKind::Text | FrameKind::Binary);
                if frame.direction == Direction::Received && is_data {
                    data += 1;
                    if Some(data) == close_after {
                        let close = Command::Close {
                            code: 1000,
                            reason: "enough".into(),
                        };
                        sender.send(close).await.expect("session takes commands");
                    }
                }
                seen.frames.push(frame);
            }
            EngineEvent::Closed { close, .. } => seen.close = Some(close),
            EngineEvent::Done { .. } => seen.done = true,
            EngineEvent::Failed { failure, .. } => seen.failed = Some(failure),
            EngineEvent::Started { .. }
            | EngineEvent::Chunk { .. }
            | EngineEvent::Waiting { .. } => {}
        }
    }
    handle.finished().await;
    seen
}

fn deflate() -> Offer {
    Offer {
        subprotocols: Vec::new(),
        deflate: true,
        graphql: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echo_compresses_and_the_client_closes_cleanly() {
    let demo = common::demo().await;
    let url = format!("{}/ws/echo", demo.url().replace("http://", "ws://"));
    let long = "all work and no play ".repeat(500);
    let commands = vec![
        Command::Text("hello".into()),
        Command::Binary(vec![0u8, 159, 255].into()),
        Command::Text(long.clone()),
    ];
    let seen = session(&url, deflate(), commands, Some(3)).await;
    assert_eq!(seen.status, Some(101));
    let extensions = seen.opened.as_ref().and_then(|o| o.extensions.clone());
    assert!(
        extensions.is_some_and(|e| e.starts_with("permessage-deflate")),
        "{seen:?}"
    );
    let received = seen.received();
    assert_eq!(received[0].text(), Some("hello"));
    assert_eq!(received[1].kind, FrameKind::Binary);
    assert_eq!(&received[1].payload[..], &[0u8, 159, 255]);
    let echoed = received[2];
    assert_eq!(echoed.text(), Some(long.as_str()));
    assert!(
        echoed.compressed,
        "a long repetitive message comes compressed"
    );
    assert!(
        echoed.wire_len < long.len() as u64 / 10,
        "{} on the wire",
        echoed.wire_len
    );
    let sent_long = seen
        .frames
        .iter()
        .find(|f| f.direction == Direction::Sent && f.payload.len() == long.len())
        .expect("the long message is reported as sent");
    assert!(sent_long.compressed);
    let close = seen.close.expect("closed");
    assert_eq!(
        (close.code, close.initiated_by),
        (Some(1000), Direction::Sent)
    );
    assert!(seen.done && seen.failed.is_none(), "{:?}", seen.failed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_s_close_ends_the_session_with_its_code_and_reason() {
    let demo = common::demo().await;
    let base = demo.url().replace("http://", "ws://");
    let ticks = session(
        &format!("{base}/ws/ticker?n=5&interval_ms=0"),
        deflate(),
        vec![],
        None,
    )
    .await;
    let texts: Vec<&str> = ticks.received().iter().filter_map(|f| f.text()).collect();
    assert_eq!(texts.len(), 5, "{texts:?}");
    assert_eq!(texts[4], r#"{"tick":5,"of":5}"#);
    let close = ticks.close.expect("closed by the server");
    assert_eq!(close.code, Some(1000));
    assert_eq!(close.reason, "that was the last tick");
    assert_eq!(close.initiated_by, Direction::Received);
    assert!(ticks.done);

    let refused = session(
        &format!("{base}/ws/close?code=4001&reason=bye"),
        deflate(),
        vec![],
        None,
    )
    .await;
    let close = refused.close.expect("closed");
    assert_eq!((close.code, close.reason.as_str()), (Some(4001), "bye"));
    assert!(!close.is_normal());

    let bare = session(
        &format!("{base}/ws/close?code=none"),
        deflate(),
        vec![],
        None,
    )
    .await;
    let close = bare.close.expect("closed");
    assert_eq!(
        (close.code, close.reason.as_str()),
        (None, ""),
        "a close without a code"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subprotocols_are_offered_and_a_refusal_shows_its_answer() {
    let demo = common::demo().await;
    let base = demo.url().replace("http://", "ws://");
    let offer = Offer {
        subprotocols: vec!["chat.v2".into(), "chat.v1".into()],
        deflate: false,
        graphql: None,
    };
    let seen = session(&format!("{base}/ws/echo"), offer, vec![], Some(0)).await;
    let opened = seen.opened.expect("opened");
    assert_eq!(opened.protocol.as_deref(), Some("chat.v2"));
    assert_eq!(opened.extensions, None, "no deflate when not offered");

    let refused = session(&format!("{base}/status/401"), deflate(), vec![], None).await;
    assert_eq!(refused.status, Some(401));
    let failure = refused.failed.expect("failed");
    assert_eq!(failure.kind, FailureKind::NotSwitched);
    assert!(failure.message.contains("401"), "{}", failure.message);
}

/// A server that answers the handshake properly, then writes `after` and, unless `hold`,
/// hangs up.
async fn raw_server(after: Vec<u8>, hold: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buffer = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let read = socket.read(&mut buffer).await.unwrap();
            if read == 0 {
                return;
            }
            request.extend_from_slice(&buffer[..read]);
        }
        let text = String::from_utf8_lossy(&request);
        let key = text
            .lines()
            .find_map(|l| l.strip_prefix("sec-websocket-key: "))
            .unwrap_or_default()
            .trim()
            .to_owned();
        let answer = format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n\r\n",
            courier::http::websocket::accept_for(&key)
        );
        socket.write_all(answer.as_bytes()).await.unwrap();
        socket.write_all(&after).await.unwrap();
        if hold {
            // Reads until the client hangs up, so only the client can end it.
            while socket.read(&mut buffer).await.is_ok_and(|n| n > 0) {}
        }
    });
    format!("ws://{address}/")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_clear_failure_never_a_hang() {
    // A text frame whose second byte is not UTF-8.
    let url = raw_server(vec![0x81, 0x03, b'a', 0xff, b'b'], true).await;
    let seen = session(&url, deflate(), vec![], None).await;
    let failure = seen.failed.expect("failed");
    assert_eq!(failure.kind, FailureKind::Protocol);
    assert!(
        failure.message.contains("not UTF-8: byte 1 of 3"),
        "{}",
        failure.message
    );

    // Bytes that are not frames: a reserved opcode.
    let url = raw_server(b"\x83garbage".to_vec(), true).await;
    let failure = session(&url, deflate(), vec![], None)
        .await
        .failed
        .expect("failed");
    assert_eq!(failure.kind, FailureKind::Protocol, "{}", failure.message);

    // A frame that claims more than the message limit.
    let mut huge = vec![0x82, 127];
    huge.extend((1u64 << 40).to_be_bytes());
    let url = raw_server(huge, true).await;
    let failure = session(&url, deflate(), vec![], None)
        .await
        .failed
        .expect("failed");
    assert_eq!(failure.kind, FailureKind::Protocol);
    assert!(
        failure.message.contains("larger than the limit"),
        "{}",
        failure.message
    );

    // A dropped connection, no close frame.
    let url = raw_server(vec![0x81, 0x02, b'h', b'i'], false).await;
    let seen = session(&url, deflate(), vec![], None).await;
    assert_eq!(seen.received()[0].text(), Some("hi"));
    let failure = seen.failed.expect("failed");
    assert_eq!(failure.kind, FailureKind::Dropped);
    assert!(
        failure.message.contains("without a close frame"),
        "{}",
        failure.message
    );

    // A message in three fragments is one message.
    let url = raw_server(
        [
            &[0x01, 0x02][..],
            b"he",
            &[0x00, 0x02],
            b"ll",
            &[0x80, 0x01],
            b"o",
            &[0x88, 0x00],
        ]
        .concat(),
        true,
    )
    .await;
    let seen = session(&url, deflate(), vec![], None).await;
    assert_eq!(seen.received()[0].text(), Some("hello"));
    assert_eq!(seen.received()[0].wire_len, 4 + 4 + 3);
    assert!(
        seen.close.is_some_and(|c| c.code.is_none()),
        "a close without a code or reason"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn courier_send_prints_frames_and_stops_when_told() {
    let demo = common::demo().await;
    let home = tempfile::tempdir().unwrap();
    let base = demo.url().replace("http://", "ws://");
    let echo = format!("{base}/ws/echo");
    let out = common::courier(
        home.path(),
        &[
            "send",
            &echo,
            "--message",
            "hi",
            "--message",
            r#"{"a": 1}"#,
            "--until",
            "2",
        ],
    )
    .await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout, "hi\n{\"a\": 1}\n");

    let ticker = format!("{base}/ws/ticker?n=10&interval_ms=0");
    let out = common::courier(
        home.path(),
        &["send", &ticker, "--json", "--until", ".tick == 3"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let received: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["direction"] == "received" && l["opcode"] == "text")
        .collect();
    assert_eq!(
        received.last().map(|l| l["text"].clone()),
        Some(r#"{"tick":3,"of":10}"#.into())
    );
    assert!(
        lines
            .iter()
            .any(|l| l["direction"] == "sent" && l["opcode"] == "close")
    );

    let closing = format!("{base}/ws/close?code=4001&reason=bye");
    let out = common::courier(home.path(), &["send", &closing]).await;
    assert_eq!(out.status.code(), Some(8));
    assert!(String::from_utf8_lossy(&out.stderr).contains("closed by the server: 4001 bye"));

    let refused = format!("{base}/status/403");
    let out = common::courier(home.path(), &["send", &refused, "--until", "1"]).await;
    assert_eq!(out.status.code(), Some(9));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("answered 403 Forbidden instead of switching"),
        "{said}"
    );

    let out = common::courier(home.path(), &["send", &echo, "--until", ".a |||"]).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "a bad filter is a usage error before connecting"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_from_stdin_go_as_they_are_typed_and_its_end_closes() {
    use tokio::io::AsyncBufReadExt;
    let demo = common::demo().await;
    let home = tempfile::tempdir().unwrap();
    let echo = format!("{}/ws/echo", demo.url().replace("http://", "ws://"));
    let args = ["send", &echo, "--messages-from", "-"];
    let mut child = common::courier_piped(home.path(), home.path(), &args);
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    // Each line's echo comes back before the next line is written: sent as read, not
    // gathered until the input ends.
    for line in ["first", "{\"second\": 2}", "third, with a CR"] {
        stdin
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .unwrap();
        let echoed = tokio::time::timeout(Duration::from_secs(20), stdout.next_line())
            .await
            .expect("the echo comes back while stdin stays open");
        assert_eq!(echoed.unwrap().as_deref(), Some(line));
    }
    drop(stdin);
    let out = tokio::time::timeout(Duration::from_secs(20), child.wait_with_output())
        .await
        .expect("the end of stdin closes the session")
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("closed: 1000"));

    let lines = home.path().join("lines.txt");
    std::fs::write(&lines, "a\nb\n").unwrap();
    let file = lines.to_str().unwrap();
    let out = common::courier(home.path(), &["send", &echo, "--messages-from", file]).await;
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).as_ref()
        ),
        (Some(0), "a\nb\n")
    );
    let missing = home.path().join("missing.txt");
    let args = ["send", &echo, "--messages-from", missing.to_str().unwrap()];
    let out = common::courier(home.path(), &args).await;
    assert_eq!(out.status.code(), Some(2), "said before connecting");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--messages-from"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_session_ends_at_once() {
    let demo = common::demo().await;
    let url = format!("{}/ws/echo", demo.url().replace("http://", "ws://"));
    let engine = Engine::new();
    let (events, mut received) = mpsc::channel(64);
    let handle = engine.open_websocket(
        ExchangeId(1),
        PreparedRequest::new("GET", &url),
        deflate(),
        events,
    );
    while let Some(event) = received.recv().await {
        if let EngineEvent::Opened { .. } = event {
            handle.cancel();
        }
        if let EngineEvent::Failed { failure, .. } = event {
            assert_eq!(failure.kind, FailureKind::Cancelled);
            break;
        }
    }
    tokio::time::timeout(Duration::from_secs(10), handle.finished())
        .await
        .expect("the task ends");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_websocket_request_starts_the_demo_by_itself() {
    let home = tempfile::tempdir().unwrap();
    let shop = home.path().join("collections").join("live");
    std::fs::create_dir_all(&shop).unwrap();
    std::fs::write(shop.join("collection.json"), r#"{"name": "Live"}"#).unwrap();
    std::fs::write(
        shop.join("echo.json"),
        r#"{"name": "Echo", "url": "{{$demoWs}}/ws/echo",
            "websocket": {"subprotocols": ["chat.v2"],
                          "messages": [{"name": "Hello", "text": "hello {{who}}"}]}}"#,
    )
    .unwrap();
    let collections = home.path().join("collections");
    let out = common::courier(
        home.path(),
        &[
            "send",
            "--collections",
            collections.to_str().unwrap(),
            "live/echo",
            "--message",
            "ping",
            "--until",
            "1",
            "-v",
        ],
    )
    .await;
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ping\n");
    assert!(said.contains("> GET ws://127.0.0.1:"), "{said}");
    assert!(
        said.contains("subprotocol chat.v2, extensions permessage-deflate"),
        "{said}"
    );
    assert!(said.contains("courier: closed: 1000"), "{said}");
}

/// A GraphQL subscription's results (the body's lines) and how it ended.
async fn subscription(url: &str, body: &str) -> (Vec<String>, Option<Close>, Option<Failure>) {
    let engine = Engine::new();
    let (events, mut received) = mpsc::channel(64);
    let mut request = PreparedRequest::new("GET", url);
    request.body = courier::http::PreparedBody::Bytes(body.to_owned().into());
    let offer = Offer {
        graphql: courier::http::websocket::graphql::subscription_body(&request.body)
            .or_else(|| Some(body.to_owned().into())),
        ..Offer::default()
    };
    let handle = engine.open_websocket(ExchangeId(1), request, offer, events);
    let (mut lines, mut close, mut failed) = (Vec::new(), None, None);
    let collected = async {
        while let Some(event) = received.recv().await {
            match event {
                EngineEvent::Chunk { bytes, .. } => {
                    lines.push(String::from_utf8_lossy(&bytes).trim_end().to_owned())
                }
                EngineEvent::Closed { close: c, .. } => close = Some(c),
                EngineEvent::Failed { failure, .. } => failed = Some(failure),
                _ => {}
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), collected)
        .await
        .expect("the subscription ended");
    handle.finished().await;
    (lines, close, failed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graphql_subscription_streams_its_results_and_completes() {
    let demo = common::demo().await;
    let url = format!("{}/ws/graphql", demo.url().replace("http://", "ws://"));
    let query = r#"{"query": "subscription Ticks { tick { n of } }", "variables": {"n": 3, "interval_ms": 0}}"#;
    let (lines, close, failed) = subscription(&url, query).await;
    assert!(failed.is_none(), "{failed:?}");
    assert_eq!(
        lines,
        [
            r#"{"data":{"tick":{"n":1,"of":3}}}"#,
            r#"{"data":{"tick":{"n":2,"of":3}}}"#,
            r#"{"data":{"tick":{"n":3,"of":3}}}"#
        ]
    );
    let close = close.expect("closed");
    assert_eq!(
        (close.code, close.initiated_by),
        (Some(1000), Direction::Sent)
    );

    let (lines, _, failed) = subscription(&url, r#"{"query": "query { tick }"}"#).await;
    assert!(lines.is_empty());
    let failed = failed.expect("a query is refused");
    assert!(
        failed
            .message
            .contains("only subscriptions are served here"),
        "{}",
        failed.message
    );

    let home = tempfile::tempdir().unwrap();
    let body =
        r#"{"query": "subscription { tick { n } }", "variables": {"n": 2, "interval_ms": 0}}"#;
    let out = common::courier(home.path(), &["send", &url, "--data-binary", body]).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "{\"data\":{\"tick\":{\"n\":1,\"of\":2}}}\n{\"data\":{\"tick\":{\"n\":2,\"of\":2}}}\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_line_session_is_kept_in_the_history_as_its_log() {
    let demo = common::demo().await;
    let home = tempfile::tempdir().unwrap();
    let url = format!(
        "{}/ws/ticker?n=3&interval_ms=0",
        demo.url().replace("http://", "ws://")
    );
    let out = common::courier(home.path(), &["send", &url]).await;
    assert_eq!(out.status.code(), Some(0));
    let listed = common::courier(home.path(), &["history", "list", "--json"]).await;
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("JSON");
    let entry = &listed[0];
    assert_eq!(entry["status"], 101, "{listed}");
    let id = entry["id"].as_i64().expect("an id").to_string();
    let shown = common::courier(home.path(), &["history", "show", &id, "--body"]).await;
    let log = String::from_utf8_lossy(&shown.stdout);
    assert_eq!(
        log.lines().count(),
        5,
        "three ticks and the two close frames: {log}"
    );
    assert!(
        log.contains(r#"← text        17 B deflated  {"tick":3,"of":3}"#),
        "{log}"
    );
    assert!(log.contains("→ close"), "{log}");

    // A second session diffs against the first like any two exchanges.
    let four = url.replace("n=3", "n=4");
    assert_eq!(
        common::courier(home.path(), &["send", &four])
            .await
            .status
            .code(),
        Some(0)
    );
    let listed = common::courier(home.path(), &["history", "list", "--json"]).await;
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("JSON");
    let newest = listed[0]["id"].as_i64().expect("an id").to_string();
    let diff = common::courier(home.path(), &["history", "diff", &id, &newest]).await;
    assert_eq!(diff.status.code(), Some(1), "they differ");
    let said = String::from_utf8_lossy(&diff.stdout);
    assert!(said.contains(r#"{"tick":4,"of":4}"#), "{said}");
}
