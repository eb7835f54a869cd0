//! `App::update` as a user story: keys in, state and commands out. Uses the bundled demo
//! collection so the tree is a real one.

use super::*;
use crate::app::{Confirm, RenameKind, RequestTab, TreeOp};
use crate::http::{EngineEvent, ExchangeId, Failure, FailureKind, ResponseHead, Summary};
use crate::store::{Item, load_workspace};
use bytes::Bytes;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use std::path::Path;
use std::time::{Duration, Instant};

fn demo_app() -> App {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("collections");
    App::new(load_workspace(&dir).expect("the demo collections load"))
}

/// The demo app on a 160×45 screen, the size `drawn` draws.
fn demo_app_160x45() -> App {
    let mut app = demo_app();
    app.update(
        Msg::Resize {
            width: 160,
            height: 45,
        },
        Instant::now(),
    );
    app
}

fn key(app: &mut App, code: KeyCode) -> Vec<Cmd> {
    app.update(
        Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        Instant::now(),
    )
}

fn selected_label(app: &App) -> String {
    app.rows()[app.selected_index()].label.clone()
}

fn ctrl(app: &mut App, c: char) -> Vec<Cmd> {
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
        Instant::now(),
    )
}

fn select(app: &mut App, label: &str) {
    let index = app
        .rows()
        .iter()
        .position(|r| r.label == label)
        .expect("row exists");
    key(app, KeyCode::Char('g'));
    for _ in 0..index {
        key(app, KeyCode::Down);
    }
}

fn head(status: u16, content_type: &str) -> ResponseHead {
    ResponseHead {
        status,
        reason: "OK".into(),
        version: "HTTP/1.1".into(),
        headers: vec![("content-type".into(), content_type.into())],
        remote_addr: None,
        redirects: Vec::new(),
        url: "http://127.0.0.1/".into(),
    }
}

/// An engine event as the runtime delivers it: body bytes into the store, then `update`.
fn engine(app: &mut App, event: EngineEvent, at: Instant) -> Vec<Cmd> {
    crate::runtime::deliver(app, event, at)
}

/// Line `index` of a response's raw body.
fn raw_line(response: &crate::app::ResponseView, index: u64) -> Option<String> {
    let body = crate::body::store::lock(&response.body);
    body.raw
        .lines(index, 1, usize::MAX)
        .pop()
        .map(|line| String::from_utf8_lossy(&line).into_owned())
}

fn sent_exchange(cmds: &[Cmd]) -> ExchangeId {
    cmds.iter()
        .find_map(|c| match c {
            Cmd::Send { exchange, .. } => Some(*exchange),
            _ => None,
        })
        .expect("a Send command")
}

fn sent() -> crate::http::SentRequest {
    crate::http::SentRequest {
        method: "GET".into(),
        url: "http://x/".into(),
        headers: Vec::new(),
        body_bytes: None,
        insecure: false,
        body: Default::default(),
        secrets: Vec::new(),
    }
}

fn type_text(app: &mut App, text: &str) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    for c in text.chars() {
        cmds.extend(key(app, KeyCode::Char(c)));
    }
    cmds
}

fn open_in_request_pane(app: &mut App, label: &str) {
    select(app, label);
    key(app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::Request);
}

fn tree_op(cmds: &[Cmd]) -> TreeOp {
    match cmds {
        [Cmd::Tree(op)] => op.clone(),
        other => panic!("expected one tree op, got {other:?}"),
    }
}

fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    app.update(
        Msg::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }),
        Instant::now(),
    );
}

fn click(app: &mut App, column: u16, row: u16) {
    mouse(app, MouseEventKind::Down(MouseButton::Left), column, row);
}

fn edit_body_of(app: &mut App, label: &str, text: &str) {
    open_in_request_pane(app, label);
    key(app, KeyCode::Char(']'));
    key(app, KeyCode::Char(']'));
    assert_eq!(app.request_pane.tab, RequestTab::Body);
    key(app, KeyCode::Enter);
    // Select everything by moving to the end and deleting back to the start.
    app.update(
        Msg::Key(KeyEvent::new(KeyCode::End, KeyModifiers::CONTROL)),
        Instant::now(),
    );
    let path = app.selected_request().unwrap().to_owned();
    let len = app
        .request_view(&path)
        .unwrap()
        .body_text
        .clone()
        .unwrap_or_default()
        .chars()
        .count();
    for _ in 0..len {
        key(app, KeyCode::Backspace);
    }
    app.update(Msg::Paste(text.into()), Instant::now());
    key(app, KeyCode::Esc);
}

mod asking;
mod body_editor;
mod body_parts;
mod chaining;
mod checks;
mod disk_changes;
mod editing;
mod environments;
mod examples;
mod history_list;
mod inspect;
mod json_bodies;
mod mock;
mod mouse;
mod pictures;
mod preview;
mod sending;
mod tree;
mod tree_ops;
mod websocket;

/// The whole screen, 160×45, without colours.
fn drawn(app: &App) -> String {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 45)).unwrap();
    terminal
        .draw(|frame| crate::ui::draw(app, &crate::ui::Theme::new(true), frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..45)
        .map(|y| {
            (0..160)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

/// Runs the last `Cmd::Jq` of `cmds` as the runtime's worker would, and hands the app its
/// answer.
fn run_jq(app: &mut App, cmds: &[Cmd]) {
    let Some(Cmd::Jq {
        exchange,
        id,
        filter,
    }) = cmds.iter().rev().find(|cmd| matches!(cmd, Cmd::Jq { .. }))
    else {
        panic!("no jq run asked for: {cmds:?}")
    };
    let body = app.body_of(*exchange).unwrap();
    let result = crate::runtime::jq::inputs(*exchange, &body, &mut None)
        .and_then(|input| crate::body::jq::run(filter, input, || true).unwrap());
    app.update(
        Msg::JqDone {
            exchange: *exchange,
            id: *id,
            result,
        },
        Instant::now(),
    );
}
