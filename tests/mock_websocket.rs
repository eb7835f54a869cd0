//! `courier mock` playing a WebSocket example's transcript to Courier's own engine on
//! loopback: frames in order, a client frame waited for, the close as recorded; and a live
//! session against the demo server taken into a response's body store (as the TUI does),
//! its transcript saved as an example and played back frame for frame.

mod common;

use std::path::Path;
use std::time::Duration;

use courier::body::store::BodyStore;
use courier::body::transcript::{self, Message, Side};
use courier::http::websocket::{Close, Command, Direction, Frame, FrameKind, Offer};
use courier::http::{Engine, EngineEvent, ExchangeId, PreparedRequest};
use courier::mock::{EventKind, EventSink, MockOptions, MockServer, Table};
use tokio::sync::mpsc;

fn write(dir: &Path, file: &str, text: &[u8]) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A collection of one WebSocket request, `/chat`, whose example is `transcript`.
fn chat(root: &Path, transcript: &[u8]) -> std::path::PathBuf {
    let dir = root.join("chat");
    write(
        &dir,
        "collection.json",
        br#"{"courier": 1, "name": "Chat"}"#,
    );
    write(
        &dir,
        "chat.json",
        br#"{"courier": 1, "name": "Chat", "url": "ws://chat.example.com/chat"}"#,
    );
    write(
        &dir,
        "chat.examples/session.json",
        br#"{"courier": 1, "name": "Session", "status": 101, "body": "session.body.jsonl"}"#,
    );
    write(&dir, "chat.examples/session.body.jsonl", transcript);
    dir
}

/// What a session saw: every frame, and how it closed.
#[derive(Debug, Default)]
struct Seen {
    frames: Vec<Frame>,
    close: Option<Close>,
}

impl Seen {
    fn received_texts(&self) -> Vec<String> {
        self.frames
            .iter()
            .filter(|f| f.direction == Direction::Received && f.kind == FrameKind::Text)
            .filter_map(|f| f.text().map(str::to_owned))
            .collect()
    }
}

/// Opens `url`, sends `first` once open, writes every event into `body` as the TUI's send
/// task does, and collects the frames until the session ends (a minute is a hang).
async fn session(url: &str, first: Option<&str>, body: &courier::body::store::SharedBody) -> Seen {
    let first: Vec<&str> = first.into_iter().collect();
    talk(url, &first, None, body).await
}

/// As `session`, sending each of `messages` once open, and closing (1000) after
/// `close_after` received messages.
async fn talk(
    url: &str,
    messages: &[&str],
    close_after: Option<usize>,
    body: &courier::body::store::SharedBody,
) -> Seen {
    let engine = Engine::new();
    let (events, mut received) = mpsc::channel(64);
    let offer = Offer {
        subprotocols: Vec::new(),
        deflate: true,
        graphql: None,
    };
    let handle = engine.open_websocket(
        ExchangeId(1),
        PreparedRequest::new("GET", url),
        offer,
        events,
    );
    let commands = handle.commands();
    let started = std::time::Instant::now();
    let collected = async {
        let mut seen = Seen::default();
        while let Some(event) = received.recv().await {
            event.write_body(body, started.elapsed());
            match event {
                EngineEvent::Opened { .. } => {
                    // Sent beside this loop, which must go on reading the session's events
                    // for the session to go on taking commands.
                    let commands = commands.clone();
                    let messages: Vec<String> = messages.iter().map(|m| m.to_string()).collect();
                    tokio::spawn(async move {
                        for text in messages {
                            if commands.send(Command::Text(text)).await.is_err() {
                                return;
                            }
                        }
                    });
                }
                EngineEvent::Frame { frame, .. } => {
                    // Once, as the `after`th text arrives (not again as our close goes out).
                    let text_in =
                        frame.direction == Direction::Received && frame.kind == FrameKind::Text;
                    seen.frames.push(frame);
                    if text_in && close_after == Some(seen.received_texts().len()) {
                        let close = Command::Close {
                            code: 1000,
                            reason: "enough".to_owned(),
                        };
                        commands.send(close).await.expect("the session takes it");
                    }
                }
                EngineEvent::Closed { close, .. } => seen.close = Some(close),
                _ => {}
            }
        }
        seen
    };
    let seen = tokio::time::timeout(Duration::from_secs(60), collected)
        .await
        .expect("the session ended");
    handle.finished().await;
    seen
}

async fn serve(dir: &Path) -> (MockServer, mpsc::Receiver<courier::mock::MockEvent>) {
    let table = Table::of_collection(&courier::store::load_collection(dir), None);
    assert!(table.problems.is_empty(), "{:?}", table.problems);
    let (sink, events) = EventSink::channel();
    let server = MockServer::start(table, MockOptions::default(), sink)
        .await
        .unwrap();
    (server, events)
}

/// Serves `transcript` as `/chat`'s example and talks to it (`talk`); what the session saw,
/// and the mock's log line for its end.
async fn played(
    transcript: &[u8],
    messages: &[&str],
    close_after: Option<usize>,
) -> (Seen, String) {
    let root = tempfile::tempdir().unwrap();
    let dir = chat(root.path(), transcript);
    let (server, mut events) = serve(&dir).await;
    let url = format!("{}/chat", server.url().replace("http://", "ws://"));
    let (_spill, body) = store();
    let seen = talk(&url, messages, close_after, &body).await;
    let _answered = events.recv().await.expect("an event");
    let ended = events.recv().await.expect("an event").line();
    (seen, ended)
}

fn store() -> (tempfile::TempDir, courier::body::store::SharedBody) {
    let spill = tempfile::tempdir().unwrap();
    let body = BodyStore::shared(spill.path().to_owned(), 1 << 20);
    (spill, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transcript_is_played_frame_by_frame_waiting_for_the_client() {
    let root = tempfile::tempdir().unwrap();
    let dir = chat(
        root.path(),
        br#"{"ms":0,"from":"client","text":"hello"}
{"ms":10,"from":"server","text":"first"}
{"ms":20,"from":"server","binary":"AAEC/w=="}
{"ms":25,"from":"server","text":"second"}
{"ms":30,"from":"server","close":4000,"reason":"done"}
"#,
    );
    let (server, mut events) = serve(&dir).await;
    let url = format!("{}/chat", server.url().replace("http://", "ws://"));
    let (_spill, body) = store();
    let seen = session(&url, Some("hi there"), &body).await;
    assert_eq!(seen.received_texts(), ["first", "second"], "{seen:?}");
    let binary = seen
        .frames
        .iter()
        .find(|f| f.kind == FrameKind::Binary)
        .expect("the binary frame");
    assert_eq!(binary.payload.as_ref(), [0, 1, 2, 255]);
    // The server's first frame waited for ours.
    let ours = seen
        .frames
        .iter()
        .position(|f| f.direction == Direction::Sent);
    let theirs = seen.frames.iter().position(|f| f.text() == Some("first"));
    assert!(ours < theirs, "{seen:?}");
    let close = seen.close.expect("closed");
    assert_eq!((close.code, close.reason.as_str()), (Some(4000), "done"));

    let answered = events.recv().await.expect("an event");
    match answered.kind {
        EventKind::Answered {
            status, example, ..
        } => assert_eq!((status, example.as_str()), (101, "Session")),
        other => panic!("{other:?}"),
    }
    let ended = events.recv().await.expect("an event");
    let line = ended.line();
    assert!(
        line.contains("WebSocket played 5 frames and closed"),
        "{line}"
    );

    // Not an upgrade: a 426 that says what it is.
    courier::http::install_crypto_provider();
    let plain = reqwest::Client::builder().no_proxy().build().unwrap();
    let answer = plain
        .get(format!("{}/chat", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 426);
    let said = answer.text().await.unwrap();
    assert!(said.contains("is a WebSocket"), "{said}");
}

#[tokio::test]
async fn a_broken_transcript_is_a_problem_naming_its_line() {
    let root = tempfile::tempdir().unwrap();
    let dir = chat(
        root.path(),
        b"{\"ms\":0,\"from\":\"server\",\"text\":\"a\"}\n{\"ms\":1,\"from\":\"server\"}\n",
    );
    let table = Table::of_collection(&courier::store::load_collection(&dir), None);
    assert_eq!(table.problems.len(), 1, "{:?}", table.problems);
    let problem = &table.problems[0];
    assert!(problem.contains("session.body.jsonl: line 2"), "{problem}");
    assert!(problem.contains("not served"), "{problem}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_session_saved_as_a_transcript_plays_back_the_same() {
    let demo = common::demo().await;
    let ws = demo.url().replace("http://", "ws://");
    let (_spill, body) = store();
    let live = session(&format!("{ws}/ws/ticker?n=5&interval_ms=20"), None, &body).await;
    let ticks = live.received_texts();
    assert_eq!(ticks.len(), 5, "{live:?}");
    let kept = courier::body::store::lock(&body)
        .transcript
        .clone()
        .expect("a transcript");
    assert!(!kept.cut);
    let frames = transcript::parse(&kept.bytes).expect("it reads back");
    let server_texts: Vec<&Message> = frames
        .iter()
        .filter(|f| f.from == Side::Server)
        .map(|f| &f.message)
        .collect();
    assert_eq!(
        server_texts.len(),
        6,
        "five ticks and the close: {frames:?}"
    );
    assert!(frames.windows(2).all(|pair| pair[0].ms <= pair[1].ms));

    let root = tempfile::tempdir().unwrap();
    let dir = chat(root.path(), &kept.bytes);
    let (server, _events) = serve(&dir).await;
    let url = format!("{}/chat", server.url().replace("http://", "ws://"));
    let (_spill, replay_body) = store();
    let replayed = session(&url, None, &replay_body).await;
    assert_eq!(replayed.received_texts(), ticks);
    let (live, replayed) = (live.close.expect("closed"), replayed.close.expect("closed"));
    assert_eq!((replayed.code, replayed.reason), (live.code, live.reason));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn where_the_recorded_client_closed_the_mock_closes_with_its_code() {
    let (seen, ended) = played(
        br#"{"ms":0,"from":"server","text":"one"}
{"ms":5,"from":"client","close":4001,"reason":"enough"}
{"ms":6,"from":"server","text":"in flight, not played"}
{"ms":7,"from":"server","close":4001,"reason":"enough"}
"#,
        &[],
        None,
    )
    .await;
    assert_eq!(seen.received_texts(), ["one"], "{seen:?}");
    let close = seen.close.expect("closed");
    assert_eq!(close.code, Some(4001));
    assert_eq!(close.reason, "the transcript ends here");
    assert_eq!(close.initiated_by, Direction::Received);
    assert!(
        ended.contains("closed where the recorded client did"),
        "{ended}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_closing_while_the_mock_waits_is_answered_at_once() {
    // The second frame is ten minutes away: only an answered close ends this soon.
    let transcript = br#"{"ms":0,"from":"server","text":"one"}
{"ms":600000,"from":"server","text":"two"}
"#;
    let (seen, ended) = played(transcript, &[], Some(1)).await;
    assert_eq!(seen.received_texts(), ["one"]);
    let close = seen.close.expect("closed");
    assert_eq!(close.initiated_by, Direction::Sent);
    assert_eq!(close.code, Some(1000), "the mock answered: {close:?}");
    assert!(
        ended.contains("ended by the client after 1 frames"),
        "{ended}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_messages_that_come_early_count_for_the_transcript_s_next() {
    let transcript = br#"{"ms":0,"from":"client","text":"a"}
{"ms":30,"from":"server","text":"x"}
{"ms":40,"from":"client","text":"b"}
{"ms":50,"from":"server","text":"y"}
{"ms":60,"from":"server","close":1000,"reason":""}
"#;
    // Both at once: the second comes while the mock waits to send x.
    let (seen, _) = played(transcript, &["1", "2"], None).await;
    assert_eq!(seen.received_texts(), ["x", "y"], "{seen:?}");
    assert_eq!(seen.close.expect("closed").code, Some(1000));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handshake_gets_the_transcript_and_a_plain_request_the_other_example() {
    let root = tempfile::tempdir().unwrap();
    let dir = chat(
        root.path(),
        b"{\"ms\":0,\"from\":\"server\",\"text\":\"hi\"}\n",
    );
    // First by name, and no more a success than the 101: only the kind of request decides.
    write(
        &dir,
        "chat.examples/denied.json",
        br#"{"courier": 1, "name": "Denied", "status": 401}"#,
    );
    let (server, _events) = serve(&dir).await;
    let url = format!("{}/chat", server.url().replace("http://", "ws://"));
    let (_spill, body) = store();
    let seen = session(&url, None, &body).await;
    assert_eq!(seen.received_texts(), ["hi"], "{seen:?}");
    courier::http::install_crypto_provider();
    let plain = reqwest::Client::builder().no_proxy().build().unwrap();
    let answer = plain
        .get(format!("{}/chat", server.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_close_reason_past_a_control_frame_s_room_is_cut_to_fit() {
    let reason = "é".repeat(100);
    let transcript =
        format!("{{\"ms\":0,\"from\":\"server\",\"close\":1000,\"reason\":\"{reason}\"}}\n");
    let (seen, ended) = played(transcript.as_bytes(), &[], None).await;
    let close = seen.close.expect("closed");
    assert_eq!(close.code, Some(1000));
    // 123 bytes of reason at most, cut between characters.
    assert_eq!(close.reason, "é".repeat(61), "{close:?}");
    assert!(ended.contains("played 1 frames and closed"), "{ended}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_mode_relays_a_session_upstream_and_serves_its_transcript_next_time() {
    let demo = common::demo().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("recorded");
    let (recorder, source) = (
        courier::mock::record::Recorder::new(&demo.url(), &dir).unwrap(),
        courier::mock::Source {
            dir: dir.clone(),
            environment: None,
            within: None,
        },
    );
    let table = source.read();
    let (sink, mut events) = EventSink::channel();
    let server = MockServer::start_recording(
        table,
        Some((recorder, source)),
        MockOptions::default(),
        sink,
    )
    .await
    .unwrap();
    let url = format!("{}/ws/echo", server.url().replace("http://", "ws://"));
    // Relayed: the demo's echo answers through the mock.
    let (_spill, body) = store();
    let live = talk(&url, &["hello", "again"], Some(2), &body).await;
    assert_eq!(live.received_texts(), ["hello", "again"], "{live:?}");
    assert_eq!(live.close.expect("closed").code, Some(1000));
    let saved = loop {
        let event = events.recv().await.expect("an event");
        if let EventKind::Recorded { status, saved, .. } = event.kind {
            assert_eq!(status, 101);
            break saved.expect("saved");
        }
    };
    assert_eq!(saved.example, "101 Switching Protocols", "{saved:?}");
    let request: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("get-ws-echo.json")).unwrap()).unwrap();
    assert!(
        request["websocket"].is_object(),
        "a WebSocket request: {request}"
    );
    let kept = std::fs::read(
        saved
            .file
            .with_file_name("101-switching-protocols.body.jsonl"),
    )
    .expect("the transcript beside it");
    let frames = transcript::parse(&kept).expect("it reads");
    let texts = |side: Side| -> Vec<Message> {
        frames
            .iter()
            .filter(|f| f.from == side && matches!(f.message, Message::Text(_)))
            .map(|f| f.message.clone())
            .collect()
    };
    let both = vec![
        Message::Text("hello".to_owned()),
        Message::Text("again".to_owned()),
    ];
    assert_eq!(texts(Side::Client), both, "{frames:?}");
    assert_eq!(texts(Side::Server), both, "{frames:?}");
    assert!(
        matches!(
            frames.last().map(|f| &f.message),
            Some(Message::Close(Some(1000), _))
        ),
        "{frames:?}"
    );
    // Next time the mock answers from the transcript: the client's messages are waited for,
    // the echoes played back, whatever is sent.
    let (_spill, body) = store();
    let replayed = talk(&url, &["one", "two"], None, &body).await;
    assert_eq!(
        replayed.received_texts(),
        ["hello", "again"],
        "{replayed:?}"
    );
    let answered = loop {
        let event = events.recv().await.expect("an event");
        if let EventKind::Answered { example, .. } = event.kind {
            break example;
        }
    };
    assert_eq!(answered, "101 Switching Protocols");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_mode_relays_a_burst_and_says_when_upstream_refuses() {
    let demo = common::demo().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("recorded");
    let source = courier::mock::Source {
        dir: dir.clone(),
        environment: None,
        within: None,
    };
    let recorder = courier::mock::record::Recorder::new(&demo.url(), &dir).unwrap();
    let (sink, mut events) = EventSink::channel();
    let server = MockServer::start_recording(
        source.read(),
        Some((recorder, source)),
        MockOptions::default(),
        sink,
    )
    .await
    .unwrap();
    let ws = server.url().replace("http://", "ws://");
    // Five hundred messages at once each way: more than the channels to and from the
    // engine hold, so the relay must read while it sends.
    let burst = vec!["m"; 500];
    let (_spill, body) = store();
    let seen = talk(&format!("{ws}/ws/echo"), &burst, Some(500), &body).await;
    assert_eq!(seen.received_texts().len(), 500);
    let saved = loop {
        if let EventKind::Recorded { saved, .. } = events.recv().await.expect("an event").kind {
            break saved;
        }
    };
    assert!(saved.is_ok(), "{saved:?}");
    // A path upstream has no session for: 502, saying why, and nothing saved.
    courier::http::install_crypto_provider();
    let plain = reqwest::Client::builder().no_proxy().build().unwrap();
    let refused = plain
        .get(format!("{}/ws/nothing-here", server.url()))
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .header("Sec-WebSocket-Version", "13")
        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 502);
    let said = refused.text().await.unwrap();
    assert!(said.contains("upstream"), "{said}");
    assert!(!dir.join("get-ws-nothing-here.json").exists());
}
