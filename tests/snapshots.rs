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
    app.update(Msg::Resize { width, height }, Instant::now());
    common::screen_text(app, width, height, false)
}

fn press(app: &mut App, code: KeyCode) -> Vec<Cmd> {
    app.update(
        Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        Instant::now(),
    )
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
        // The send's clock runs from the key, so the key has a fixed time too.
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        let cmds = app.update(
            Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
            t0,
        );
        let Some(Cmd::Send { exchange: id, .. }) = cmds.first().cloned() else {
            panic!("{cmds:?}")
        };
        let sent = SentRequest {
            method: "POST".into(),
            url: "http://127.0.0.1:8808/echo".into(),
            headers: vec![],
            body_bytes: Some(110),
            insecure: false,
            body: Default::default(),
            secrets: Vec::new(),
        };
        courier::runtime::deliver(&mut app, EngineEvent::Started { id, request: sent }, at(0));
        let head = ResponseHead {
            status: 200,
            reason: "OK".into(),
            version: "HTTP/1.1".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            remote_addr: None,
            redirects: vec![],
            url: "http://127.0.0.1:8808/echo".into(),
        };
        courier::runtime::deliver(&mut app, EngineEvent::Head { id, head }, at(2));
        let body = "{\n  \"method\": \"POST\",\n  \"path\": \"/echo\",\n  \"json\": {\n    \"name\": \"Ada Lovelace\"\n  }\n}\n";
        courier::runtime::deliver(
            &mut app,
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
        courier::runtime::deliver(&mut app, EngineEvent::Done { id, summary }, at(3));
        answer_json_check(&mut app, id, at(3));
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

/// The runtime's answer to the whole-body JSON check that a finished JSON body asks for.
fn answer_json_check(app: &mut App, id: courier::http::ExchangeId, at: Instant) {
    let error = app
        .body_of(id)
        .and_then(|body| courier::body::store::check_json(&body));
    app.update(
        Msg::JsonChecked {
            exchange: id,
            error,
        },
        at,
    );
}

/// "label" sent and answered with `body` (`headers` besides its Content-Type), all at fixed
/// times, with the response pane focused.
fn answered(label: &str, content_type: &str, headers: &[(&str, &str)], body: &[u8]) -> App {
    let mut app = app_over("collections");
    app.update(
        Msg::Resize {
            width: 100,
            height: 30,
        },
        Instant::now(),
    );
    select(&mut app, label);
    // The send's clock runs from the key, so the key has a fixed time too.
    let t0 = Instant::now();
    let at = |ms| t0 + Duration::from_millis(ms);
    let cmds = app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)),
        t0,
    );
    let Some(Cmd::Send { exchange: id, .. }) = cmds.first() else {
        panic!("{cmds:?}")
    };
    let id = *id;
    let sent = SentRequest {
        method: "GET".into(),
        url: "http://127.0.0.1:8808/x".into(),
        headers: vec![],
        body_bytes: None,
        insecure: false,
        body: Default::default(),
        secrets: Vec::new(),
    };
    courier::runtime::deliver(&mut app, EngineEvent::Started { id, request: sent }, at(0));
    let mut all = vec![("content-type".to_owned(), content_type.to_owned())];
    all.extend(headers.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    let head = ResponseHead {
        status: 200,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: all,
        remote_addr: None,
        redirects: vec![],
        url: "http://127.0.0.1:8808/x".into(),
    };
    courier::runtime::deliver(&mut app, EngineEvent::Head { id, head }, at(1));
    for (index, chunk) in body.chunks(40).enumerate() {
        courier::runtime::deliver(
            &mut app,
            EngineEvent::Chunk {
                id,
                bytes: Bytes::copy_from_slice(chunk),
            },
            at(2 + 250 * index as u64),
        );
    }
    let summary = Summary {
        wire_bytes: body.len() as u64,
        body_bytes: body.len() as u64,
        timing: Timing {
            total: Duration::from_secs(5),
            ..Timing::default()
        },
    };
    courier::runtime::deliver(&mut app, EngineEvent::Done { id, summary }, at(5000));
    answer_json_check(&mut app, id, at(5000));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    app
}

const USERS: &str = r#"{"users":[{"id":1,"name":"Ada","tags":["math","poetry"]},{"id":2,"name":"Grace","tags":[]}],"total":2}"#;

fn tab(app: &mut App, title: &str) {
    for _ in 0..10 {
        if app.inspector.tab.title() == title {
            return;
        }
        press(app, KeyCode::Char(']'));
    }
    panic!("no tab {title}");
}

/// Each view of the response pane, at 100x30.
#[test]
fn response_views() {
    let cookie = (
        "set-cookie",
        "session=abc123; Path=/; HttpOnly; SameSite=Lax",
    );
    let mut app = answered("Echo JSON", "application/json", &[cookie], USERS.as_bytes());
    insta::assert_snapshot!("response_pretty_100x30", screen(&mut app, 100, 30));
    for view in ["Raw", "Hex", "Cookies"] {
        tab(&mut app, view);
        insta::assert_snapshot!(
            format!("response_{}_100x30", view.to_lowercase()),
            screen(&mut app, 100, 30)
        );
    }
    let sse = "id: 1\nevent: tick\ndata: {\"n\":1,\"of\":3}\n\nid: 2\nevent: note\ndata: plain text\n\n: a comment\nid: 3\nevent: tick\ndata: {\"n\":3,\"of\":3}\n\n";
    let mut app = answered("SSE stream", "text/event-stream", &[], sse.as_bytes());
    insta::assert_snapshot!("response_events_100x30", screen(&mut app, 100, 30));
}

/// Searching, filtering with jq and folding the pretty JSON, at 100x30.
#[test]
fn response_search_jq_and_folds() {
    // A search for "name", as the runtime would answer it.
    let mut app = answered("Echo JSON", "application/json", &[], USERS.as_bytes());
    press(&mut app, KeyCode::Char('/'));
    for c in "name".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    let cmds = press(&mut app, KeyCode::Enter);
    let [
        Cmd::Search {
            exchange,
            id,
            query,
            target,
        },
    ] = &cmds[..]
    else {
        panic!("{cmds:?}")
    };
    let body = app.body_of(*exchange).unwrap();
    let mut reports = Vec::new();
    courier::body::search::search(&body, *target, query, &Default::default(), |p| {
        reports.push(p)
    });
    for progress in reports {
        app.update(
            Msg::SearchProgress {
                exchange: *exchange,
                id: *id,
                progress,
            },
            Instant::now(),
        );
    }
    insta::assert_snapshot!("response_search_100x30", screen(&mut app, 100, 30));

    // The first user folded.
    let mut app = answered("Echo JSON", "application/json", &[], USERS.as_bytes());
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    let cmds = press(&mut app, KeyCode::Enter);
    let [Cmd::Fold { exchange, line }] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    let body = app.body_of(*exchange).unwrap();
    let end = courier::body::store::find_fold_end(&body, *line);
    app.update(
        Msg::Folded {
            exchange: *exchange,
            start: *line,
            end,
        },
        Instant::now(),
    );
    insta::assert_snapshot!("response_folded_100x30", screen(&mut app, 100, 30));

    // A jq filter, as the worker would answer it.
    let mut app = answered("Echo JSON", "application/json", &[], USERS.as_bytes());
    press(&mut app, KeyCode::Char('|'));
    press(&mut app, KeyCode::Backspace);
    let mut cmds = Vec::new();
    for c in ".users[] | {name, tags: (.tags | length)}".chars() {
        cmds = press(&mut app, KeyCode::Char(c));
    }
    let [
        Cmd::Jq {
            exchange,
            id,
            filter,
        },
    ] = &cmds[..]
    else {
        panic!("{cmds:?}")
    };
    let input = courier::body::jq::parse(USERS.as_bytes()).unwrap();
    let result = courier::body::jq::run(filter, &input, || true).unwrap();
    app.update(
        Msg::JqDone {
            exchange: *exchange,
            id: *id,
            result,
        },
        Instant::now(),
    );
    insta::assert_snapshot!("response_jq_100x30", screen(&mut app, 100, 30));
}
