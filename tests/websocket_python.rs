//! Courier's WebSocket client against a server no one here wrote: the `websockets` package
//! from PyPI (tests/fixtures/websocket/server.py), which offers permessage-deflate the way
//! most production servers do. `.ci/run` installs it in `.ci/python`; where neither that nor
//! the machine's Python has it, the tests say they skipped.

mod common;

use std::process::Stdio;

use courier::http::websocket::{Command, Direction, FrameKind, Offer};
use courier::http::{Engine, EngineEvent, ExchangeId, PreparedRequest};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::mpsc;

/// A Python that can import `websockets`: the CI's own, else the machine's.
fn python() -> Option<std::path::PathBuf> {
    let ours = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/python/bin/python3");
    [ours, "python3".into()].into_iter().find(|python| {
        std::process::Command::new(python)
            .args(["-c", "import websockets.asyncio.server"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    })
}

/// The server, running until the returned child is dropped, and its ws:// base.
async fn server() -> Option<(tokio::process::Child, String)> {
    let Some(python) = python() else {
        eprintln!(
            "skipped: Python's `websockets` package is not installed (.ci/run installs it in .ci/python)"
        );
        return None;
    };
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/websocket/server.py");
    let mut child = tokio::process::Command::new(python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        // It logs each refused handshake with a traceback; the tests check what the client saw.
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("python starts");
    let stdout = child.stdout.take().expect("its stdout");
    let mut port = String::new();
    BufReader::new(stdout)
        .read_line(&mut port)
        .await
        .expect("it prints its port");
    Some((child, format!("ws://127.0.0.1:{}", port.trim())))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deflate_and_subprotocols_agree_with_python_websockets() {
    let Some((_server, base)) = server().await else {
        return;
    };
    let engine = Engine::new();
    let (events, mut received) = mpsc::channel(64);
    let offer = Offer {
        subprotocols: vec!["chat.v1".into(), "chat.v2".into()],
        deflate: true,
        graphql: None,
    };
    let handle = engine.open_websocket(
        ExchangeId(1),
        PreparedRequest::new("GET", &format!("{base}/echo")),
        offer,
        events,
    );
    let commands = handle.commands();
    let long = "the same words again and again ".repeat(300);
    let mut echoed = Vec::new();
    let mut opened = None;
    let mut ended_well = false;
    while let Some(event) = received.recv().await {
        match event {
            EngineEvent::Opened { opened: o, .. } => {
                opened = Some(o);
                commands.send(Command::Text(long.clone())).await.unwrap();
                commands
                    .send(Command::Binary(vec![1u8, 2, 3].into()))
                    .await
                    .unwrap();
            }
            EngineEvent::Frame { frame, .. } if frame.direction == Direction::Received => {
                echoed.push(frame);
                if echoed.len() == 2 {
                    let close = Command::Close {
                        code: 1000,
                        reason: "thanks".into(),
                    };
                    commands.send(close).await.unwrap();
                }
            }
            EngineEvent::Done { .. } => ended_well = true,
            EngineEvent::Failed { failure, .. } => panic!("{}", failure.message),
            _ => {}
        }
    }
    let opened = opened.expect("opened");
    assert_eq!(opened.protocol.as_deref(), Some("chat.v2"));
    assert!(
        opened
            .extensions
            .as_deref()
            .is_some_and(|e| e.contains("permessage-deflate")),
        "{opened:?}"
    );
    assert_eq!(echoed[0].text(), Some(long.as_str()));
    assert!(echoed[0].compressed, "python compresses what it echoes");
    assert!(echoed[0].wire_len < long.len() as u64 / 10);
    assert_eq!(
        (echoed[1].kind, &echoed[1].payload[..]),
        (FrameKind::Binary, &[1u8, 2, 3][..])
    );
    assert!(ended_well);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn courier_send_sees_python_close_and_bursts() {
    let Some((_server, base)) = server().await else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    // It insists on a subprotocol: without one the handshake is refused, and said so.
    let out = common::courier(home.path(), &["send", &format!("{base}/close")]).await;
    assert_eq!(out.status.code(), Some(9));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("answered 400 Bad Request instead of switching"),
        "{said}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("subprotocol"),
        "its reason is shown"
    );

    let chat = ["--subprotocol", "chat.v2"];
    let close = format!("{base}/close");
    let out = common::courier(
        home.path(),
        &[&["send", close.as_str()][..], &chat].concat(),
    )
    .await;
    assert_eq!(out.status.code(), Some(8));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("closed by the server: 4002 python says bye"),
        "{said}"
    );

    let burst = format!("{base}/burst?n=2000");
    let out = common::courier(
        home.path(),
        &[&["send", burst.as_str()][..], &chat].concat(),
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.len(), 2000);
    assert_eq!(lines[1999], r#"{"tick": 2000}"#);
}
