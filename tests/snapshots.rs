//! Whole screens as the user sees them, at 80x24 and 160x45, kept as insta snapshots under
//! tests/snapshots/ and reviewed like code. Collections load through relative paths so the
//! screens are the same on every machine; times come from fixed synthetic events.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use bytes::Bytes;
use courier::app::{App, Cmd, Msg};
use courier::http::{EngineEvent, ResponseHead, SentRequest, Summary, Timing};
use courier::store::load_workspace;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 45)];

fn app_over(dir: &str) -> App {
    let workspace = load_workspace(Path::new(dir)).expect("the fixture loads");
    App::new(workspace)
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    app.update(Msg::Resize { width, height });
    common::screen_text(app, width, height, false)
}

fn press(app: &mut App, code: KeyCode) -> Vec<Cmd> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn select(app: &mut App, label: &str) {
    let index = app
        .rows()
        .iter()
        .position(|r| r.label == label)
        .expect("row exists");
    for _ in 0..index {
        press(app, KeyCode::Down);
    }
}

fn snapshot_both(name: &str, mut make: impl FnMut() -> App) {
    for (width, height) in SIZES {
        let mut app = make();
        insta::assert_snapshot!(
            format!("{name}_{width}x{height}"),
            screen(&mut app, width, height)
        );
    }
}

#[test]
fn empty() {
    snapshot_both("empty", || app_over("tests/fixtures/empty"));
}

#[test]
fn demo_collection() {
    snapshot_both("demo", || app_over("collections"));
}

#[test]
fn request_with_a_body() {
    snapshot_both("request_body", || {
        let mut app = app_over("collections");
        select(&mut app, "Echo JSON");
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Char(']'));
        press(&mut app, KeyCode::Char(']'));
        app
    });
}

#[test]
fn response_received() {
    snapshot_both("response", || {
        let mut app = app_over("collections");
        select(&mut app, "Echo JSON");
        let cmds = app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char('r'),
            KeyModifiers::CONTROL,
        )));
        let Some(Cmd::Send { exchange: id, .. }) = cmds.first().cloned() else {
            panic!("{cmds:?}")
        };
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        let sent = SentRequest {
            method: "POST".into(),
            url: "http://127.0.0.1:8808/echo".into(),
            headers: vec![],
            body_bytes: Some(110),
            insecure: false,
            body: Default::default(),
        };
        app.deliver(EngineEvent::Started { id, request: sent }, at(0));
        let head = ResponseHead {
            status: 200,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            remote_addr: None,
            redirects: vec![],
            url: "http://127.0.0.1:8808/echo".into(),
        };
        app.deliver(EngineEvent::Head { id, head }, at(2));
        let body = "{\n  \"method\": \"POST\",\n  \"path\": \"/echo\",\n  \"json\": {\n    \"name\": \"Ada Lovelace\"\n  }\n}\n";
        app.deliver(
            EngineEvent::Chunk {
                id,
                bytes: Bytes::from(body),
            },
            at(3),
        );
        let timing = Timing {
            dns: None,
            connect: Some(Duration::from_micros(300)),
            first_byte: Duration::from_millis(2),
            download: Duration::from_millis(1),
            total: Duration::from_millis(3),
        };
        let summary = Summary {
            wire_bytes: body.len() as u64,
            body_bytes: body.len() as u64,
            timing,
        };
        app.deliver(EngineEvent::Done { id, summary }, at(3));
        app
    });
}

#[test]
fn help() {
    snapshot_both("help", || {
        let mut app = app_over("collections");
        press(&mut app, KeyCode::Char('?'));
        app
    });
}

#[test]
fn an_error() {
    snapshot_both("error", || {
        let mut app = app_over("tests/fixtures/broken");
        select(&mut app, "truncated.json");
        app
    });
}

/// The Body tab of a request of each body kind, at 80x24.
#[test]
fn body_tab_of_each_kind() {
    let cases = [
        ("collections", "Echo JSON", "json"),
        ("collections", "Form post", "form"),
        ("collections", "Multipart upload", "multipart"),
        ("collections", "GraphQL query", "graphql"),
        ("tests/fixtures/kinds", "XML text", "text"),
        ("tests/fixtures/kinds", "Binary file", "binary"),
    ];
    for (dir, label, kind) in cases {
        let mut app = app_over(dir);
        select(&mut app, label);
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Char(']'));
        press(&mut app, KeyCode::Char(']'));
        insta::assert_snapshot!(format!("body_{kind}_80x24"), screen(&mut app, 80, 24));
    }
}
