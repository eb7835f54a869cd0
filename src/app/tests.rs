//! `App::update` as a user story: keys in, state and commands out. Uses the bundled demo
//! collection so the tree is a real one.

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::{Confirm, RenameKind, RequestTab, TreeOp};
use crate::store::{Item, load_workspace};

fn demo_app() -> App {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("collections");
    App::new(load_workspace(&dir).expect("the demo collections load"))
}

fn key(app: &mut App, code: KeyCode) -> Vec<Cmd> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn selected_label(app: &App) -> String {
    app.rows()[app.selected_index()].label.clone()
}

#[test]
fn starts_fully_open_on_the_first_collection() {
    let mut app = demo_app();
    assert_eq!(selected_label(&app), "Courier demo");
    assert!(app.rows().iter().any(|r| r.label == "SSE stream"));
    assert!(app.take_redraw(), "the first frame must be drawn");
    assert!(!app.take_redraw(), "and only once until something changes");
}

#[test]
fn moving_down_selects_requests_and_stops_at_the_ends() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Down);
    assert_eq!(selected_label(&app), "Echo JSON");
    assert!(matches!(
        app.selected(),
        Some(Selected::Item {
            item: Item::Request(_),
            ..
        })
    ));
    key(&mut app, KeyCode::Char('G'));
    let last = app.selected_index();
    key(&mut app, KeyCode::Down);
    assert_eq!(app.selected_index(), last);
    key(&mut app, KeyCode::Char('g'));
    key(&mut app, KeyCode::Up);
    assert_eq!(app.selected_index(), 0);
}

#[test]
fn closing_a_folder_hides_its_requests_and_keeps_the_cursor_on_it() {
    let mut app = demo_app();
    let before = app.rows().len();
    key(&mut app, KeyCode::Down); // Basics
    assert_eq!(selected_label(&app), "Basics");
    key(&mut app, KeyCode::Left);
    assert_eq!(selected_label(&app), "Basics");
    assert!(app.rows().len() < before);
    assert!(!app.rows().iter().any(|r| r.label == "Echo JSON"));
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.rows().len(), before);
}

#[test]
fn left_on_a_request_goes_to_its_folder() {
    let mut app = demo_app();
    for _ in 0..3 {
        key(&mut app, KeyCode::Down);
    }
    assert_eq!(selected_label(&app), "Query parameters");
    key(&mut app, KeyCode::Char('h'));
    assert_eq!(selected_label(&app), "Basics");
}

#[test]
fn help_opens_and_any_key_closes_it_without_acting() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Char('?'));
    assert!(app.help_open);
    key(&mut app, KeyCode::Char('x'));
    assert!(!app.help_open);
    key(&mut app, KeyCode::Char('?'));
    key(&mut app, KeyCode::Down);
    assert!(!app.help_open);
    assert_eq!(
        app.selected_index(),
        0,
        "the key that closed help did not move"
    );
}

#[test]
fn quit_keys_ask_the_runtime_to_quit() {
    let mut app = demo_app();
    assert_eq!(key(&mut app, KeyCode::Char('q')), vec![Cmd::Quit]);
    let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
    assert_eq!(app.update(Msg::Key(ctrl_q)), vec![Cmd::Quit]);
    assert!(key(&mut app, KeyCode::Char('z')).is_empty());
}

#[test]
fn paging_uses_the_terminal_height() {
    let mut app = demo_app();
    app.update(Msg::Resize {
        width: 80,
        height: 9,
    });
    key(&mut app, KeyCode::PageDown);
    assert_eq!(app.selected_index(), 5);
}

#[test]
fn a_reload_keeps_the_cursor_on_the_same_file() {
    let mut app = demo_app();
    for _ in 0..5 {
        key(&mut app, KeyCode::Down);
    }
    let label = selected_label(&app);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("collections");
    app.update(Msg::WorkspaceLoaded(load_workspace(&dir).unwrap()));
    assert_eq!(selected_label(&app), label);
}

// ---- sending, responses, the finder, focus ------------------------------------------------

use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::http::{EngineEvent, ExchangeId, Failure, FailureKind, ResponseHead, Summary};

fn ctrl(app: &mut App, c: char) -> Vec<Cmd> {
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
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

fn engine(app: &mut App, event: EngineEvent, at: Instant) {
    app.update(Msg::Engine { event, at });
}

fn sent_exchange(cmds: &[Cmd]) -> ExchangeId {
    cmds.iter()
        .find_map(|c| match c {
            Cmd::Send { exchange, .. } => Some(*exchange),
            _ => None,
        })
        .expect("a Send command")
}

#[test]
fn ctrl_r_sends_the_selected_request_and_events_fill_its_response() {
    let mut app = demo_app();
    select(&mut app, "Echo JSON");
    let cmds = ctrl(&mut app, 'r');
    let Cmd::Send { exchange, request } = &cmds[0] else {
        panic!("{cmds:?}")
    };
    assert!(request.ends_with("basics/echo-json.json"));
    assert!(app.in_flight());
    let t0 = Instant::now();
    engine(
        &mut app,
        EngineEvent::Head {
            id: *exchange,
            head: head(200, "application/json"),
        },
        t0,
    );
    engine(
        &mut app,
        EngineEvent::Chunk {
            id: *exchange,
            bytes: Bytes::from_static(b"{\"a\":\n1}"),
        },
        t0,
    );
    let response = app.current_response().unwrap();
    assert_eq!(response.head.as_ref().unwrap().status, 200);
    assert_eq!(response.body.line(1), Some("1}"));
    assert!(!response.follow, "a plain body starts at the top");
    engine(
        &mut app,
        EngineEvent::Done {
            id: *exchange,
            summary: Summary::default(),
        },
        t0 + Duration::from_millis(40),
    );
    assert!(!app.in_flight());
    assert!(matches!(
        app.current_response().unwrap().outcome,
        Outcome::Done(_)
    ));
}

#[test]
fn sending_again_cancels_the_older_exchange_and_ignores_its_late_events() {
    let mut app = demo_app();
    select(&mut app, "SSE stream");
    let first = sent_exchange(&ctrl(&mut app, 'r'));
    let cmds = ctrl(&mut app, 'r');
    assert_eq!(cmds[0], Cmd::Cancel(first));
    let second = sent_exchange(&cmds);
    assert_ne!(first, second);
    let now = Instant::now();
    engine(
        &mut app,
        EngineEvent::Chunk {
            id: first,
            bytes: Bytes::from_static(b"stale"),
        },
        now,
    );
    engine(
        &mut app,
        EngineEvent::Head {
            id: second,
            head: head(200, "text/event-stream"),
        },
        now,
    );
    engine(
        &mut app,
        EngineEvent::Chunk {
            id: second,
            bytes: Bytes::from_static(b"fresh\n"),
        },
        now,
    );
    let response = app.current_response().unwrap();
    assert_eq!(response.exchange, second);
    assert_eq!(response.body.line(0), Some("fresh"));
    assert!(response.follow, "streams are followed");
}

#[test]
fn ctrl_x_cancels_only_what_is_in_flight() {
    let mut app = demo_app();
    select(&mut app, "Slow drip");
    assert!(ctrl(&mut app, 'x').is_empty());
    assert!(app.notice.is_some(), "says there is nothing to cancel");
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    assert_eq!(ctrl(&mut app, 'x'), vec![Cmd::Cancel(exchange)]);
    let failure = Failure {
        kind: FailureKind::Cancelled,
        message: "cancelled".into(),
    };
    engine(
        &mut app,
        EngineEvent::Failed {
            id: exchange,
            failure,
        },
        Instant::now(),
    );
    assert!(!app.in_flight());
}

#[test]
fn sending_a_folder_says_what_to_do_instead() {
    let mut app = demo_app();
    select(&mut app, "Basics");
    assert!(ctrl(&mut app, 'r').is_empty());
    assert_eq!(app.notice.as_deref(), Some("Select a request to send it."));
}

#[test]
fn a_rejected_send_shows_its_reason_as_a_failure() {
    let mut app = demo_app();
    select(&mut app, "Gzip");
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    app.update(Msg::SendRejected {
        exchange,
        message: "url: unknown variable `x`".into(),
        at: Instant::now(),
    });
    let Outcome::Failed(failure) = &app.current_response().unwrap().outcome else {
        panic!()
    };
    assert_eq!(failure.message, "url: unknown variable `x`");
    assert!(!app.in_flight());
}

#[test]
fn the_clock_ticks_the_elapsed_time_of_a_request_in_flight() {
    let mut app = demo_app();
    select(&mut app, "Slow drip");
    let t0 = Instant::now();
    app.update(Msg::Tick { now: t0 });
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    engine(
        &mut app,
        EngineEvent::Started {
            id: exchange,
            request: sent(),
        },
        t0,
    );
    app.take_redraw();
    app.update(Msg::Tick {
        now: t0 + Duration::from_millis(1500),
    });
    assert!(app.take_redraw(), "a tick redraws while in flight");
    let response = app.current_response().unwrap();
    assert_eq!(
        response.elapsed(app.now.unwrap()),
        Duration::from_millis(1500)
    );
}

fn sent() -> crate::http::SentRequest {
    crate::http::SentRequest {
        method: "GET".into(),
        url: "http://x/".into(),
        headers: Vec::new(),
        body_bytes: None,
        insecure: false,
    }
}

#[test]
fn the_finder_finds_big_json_and_reveals_it() {
    let mut app = demo_app();
    select(&mut app, "Basics");
    key(&mut app, KeyCode::Left); // close Basics: the finder must open it again
    ctrl(&mut app, 'p');
    for c in "big json".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let finder = app.finder.as_ref().unwrap();
    assert_eq!(
        finder.chosen().unwrap().label,
        "Courier demo › Basics › Big JSON (5 MB)"
    );
    key(&mut app, KeyCode::Enter);
    assert!(app.finder.is_none());
    assert_eq!(selected_label(&app), "Big JSON (5 MB)");
    assert_eq!(app.focus, Focus::Tree);
}

#[test]
fn the_finder_closes_with_escape_and_keeps_the_cursor() {
    let mut app = demo_app();
    select(&mut app, "Gzip");
    ctrl(&mut app, 'p');
    key(&mut app, KeyCode::Char('q')); // typed, not quit
    assert_eq!(app.finder.as_ref().unwrap().query, "q");
    key(&mut app, KeyCode::Esc);
    assert!(app.finder.is_none());
    assert_eq!(selected_label(&app), "Gzip");
}

#[test]
fn tab_cycles_the_panes_and_brackets_cycle_their_tabs() {
    let mut app = demo_app();
    assert_eq!(app.focus, Focus::Tree);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::Request);
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(app.request_tab, RequestTab::Headers);
    key(&mut app, KeyCode::Char('['));
    key(&mut app, KeyCode::Char('['));
    assert_eq!(app.request_tab, RequestTab::Options, "wraps around");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char(']'));
    assert_eq!(
        (app.focus, app.response_tab),
        (Focus::Response, ResponseTab::Headers)
    );
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
    )));
    assert_eq!(app.focus, Focus::Request);
}

#[test]
fn scrolling_up_stops_following_and_the_bottom_resumes_it() {
    let mut app = demo_app();
    select(&mut app, "NDJSON stream");
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    let now = Instant::now();
    engine(
        &mut app,
        EngineEvent::Head {
            id: exchange,
            head: head(200, "application/x-ndjson"),
        },
        now,
    );
    let many: String = (0..200).map(|i| format!("{{\"line\":{i}}}\n")).collect();
    engine(
        &mut app,
        EngineEvent::Chunk {
            id: exchange,
            bytes: Bytes::from(many),
        },
        now,
    );
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('k'));
    assert!(!app.current_response().unwrap().follow);
    key(&mut app, KeyCode::Char('G'));
    assert!(app.current_response().unwrap().follow);
}

#[test]
fn a_pasted_query_lands_in_the_finder_at_once() {
    let mut app = demo_app();
    ctrl(&mut app, 'p');
    app.update(Msg::Paste("redirect\nchain".into()));
    assert_eq!(
        app.finder.as_ref().unwrap().chosen().unwrap().label,
        "Courier demo › Edge cases › Redirect chain"
    );
}

// ---- editing, drafts, saving, quitting ------------------------------------------------------

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

#[test]
fn editing_the_url_makes_a_draft_and_ctrl_s_saves_it() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Echo JSON");
    key(&mut app, KeyCode::Char('e'));
    key(&mut app, KeyCode::End);
    let cmds = type_text(&mut app, "/more?x=1");
    assert!(cmds.contains(&Cmd::DraftsChanged), "edits are journaled");
    let path = app.selected_request().unwrap().to_owned();
    assert!(app.is_dirty(&path));
    let draft = app.request_view(&path).unwrap();
    assert_eq!(draft.request.url, "{{base_url}}/echo/more");
    assert_eq!(draft.request.query[0].name, "x");
    key(&mut app, KeyCode::Esc);
    assert!(app.request_pane.editing.is_none());

    let cmds = ctrl(&mut app, 's');
    let [Cmd::Save(saved)] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert_eq!(saved.request.url, "{{base_url}}/echo/more");
    let cmds = app.update(Msg::Saved(saved.clone()));
    assert_eq!(cmds, vec![Cmd::DraftsChanged]);
    assert!(!app.is_dirty(&path));
    assert_eq!(app.notice.as_deref(), Some("Saved Echo JSON."));
}

#[test]
fn ctrl_s_works_while_an_editor_is_open() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "x");
    assert!(matches!(ctrl(&mut app, 's').as_slice(), [Cmd::Save(_)]));
}

#[test]
fn headers_are_added_edited_toggled_and_deleted() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Gzip");
    key(&mut app, KeyCode::Char(']')); // Headers
    key(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "X-Trace");
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "abc");
    key(&mut app, KeyCode::Enter);
    let path = app.selected_request().unwrap().to_owned();
    let headers = &app.request_view(&path).unwrap().request.headers;
    assert_eq!(
        (
            headers[0].name.as_str(),
            headers[0].value.as_str(),
            headers[0].enabled
        ),
        ("X-Trace", "abc", true)
    );
    key(&mut app, KeyCode::Char(' '));
    assert!(!app.request_view(&path).unwrap().request.headers[0].enabled);
    key(&mut app, KeyCode::Char('d'));
    assert!(app.request_view(&path).unwrap().request.headers.is_empty());
    assert!(!app.is_dirty(&path), "back to what is on disk");
}

#[test]
fn an_added_row_left_empty_disappears() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('a'));
    key(&mut app, KeyCode::Esc);
    let path = app.selected_request().unwrap().to_owned();
    assert!(app.request_view(&path).unwrap().request.query.is_empty());
}

#[test]
fn the_method_picker_changes_the_method() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('m'));
    assert!(app.request_pane.method_picker.is_some());
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Enter);
    let path = app.selected_request().unwrap().to_owned();
    assert_eq!(
        app.request_view(&path).unwrap().request.method.as_str(),
        "DELETE"
    );
}

#[test]
fn the_body_is_edited_in_place_and_a_paste_lands_whole() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Echo JSON");
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char(']')); // Body
    key(&mut app, KeyCode::Enter);
    app.update(Msg::Paste("[1,\n 2]".into()));
    key(&mut app, KeyCode::Enter);
    let path = app.selected_request().unwrap().to_owned();
    let body = app.request_view(&path).unwrap().body_text.clone().unwrap();
    assert!(
        body.starts_with("[1,\n 2]\n {"),
        "Enter keeps the indentation\n{body}"
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.request_pane.editing.is_none());
}

#[test]
fn options_are_typed_or_cycled_and_bad_durations_are_refused() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('['));
    assert_eq!(app.request_tab, RequestTab::Options);
    key(&mut app, KeyCode::Char('j')); // read timeout
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "2x");
    assert!(
        app.request_pane
            .error
            .as_deref()
            .unwrap_or("")
            .contains("is not a duration")
    );
    key(&mut app, KeyCode::Backspace);
    type_text(&mut app, "s");
    assert_eq!(app.request_pane.error, None);
    key(&mut app, KeyCode::Enter);
    let path = app.selected_request().unwrap().to_owned();
    let options = &app.request_view(&path).unwrap().request.options;
    assert_eq!(options.timeouts.read.as_ref().unwrap().as_str(), "2s");
    key(&mut app, KeyCode::Char('j'));
    key(&mut app, KeyCode::Char('j')); // HTTP version
    key(&mut app, KeyCode::Enter);
    let options = &app.request_view(&path).unwrap().request.options;
    assert_eq!(options.http, Some(crate::model::HttpVersion::Auto));
}

#[test]
fn quitting_with_unsaved_edits_asks_first() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "z");
    key(&mut app, KeyCode::Esc);
    assert!(ctrl(&mut app, 'q').is_empty(), "does not quit yet");
    assert_eq!(app.confirm, Some(Confirm::Quit { unsaved: 1 }));
    key(&mut app, KeyCode::Esc);
    assert!(app.confirm.is_none());
    ctrl(&mut app, 'q');
    let cmds = key(&mut app, KeyCode::Char('s'));
    assert!(
        matches!(cmds.as_slice(), [Cmd::Save(_), Cmd::Quit]),
        "{cmds:?}"
    );
    let mut app2 = demo_app();
    open_in_request_pane(&mut app2, "Gzip");
    key(&mut app2, KeyCode::Char('e'));
    type_text(&mut app2, "z");
    key(&mut app2, KeyCode::Esc);
    ctrl(&mut app2, 'q');
    assert_eq!(
        key(&mut app2, KeyCode::Char('d')),
        vec![Cmd::DraftsChanged, Cmd::Quit]
    );
}

#[test]
fn restored_drafts_come_back_only_when_they_differ_from_disk() {
    let mut app = demo_app();
    select(&mut app, "Gzip");
    let path = app.selected_request().unwrap().to_owned();
    let mut edited = app.request_view(&path).unwrap().clone();
    let unchanged = edited.clone();
    edited.request.url.push_str("/edited");
    app.update(Msg::DraftsRestored(vec![edited, unchanged]));
    assert!(app.is_dirty(&path));
    assert_eq!(app.dirty_requests().len(), 1);
    assert!(
        app.notice
            .as_deref()
            .unwrap_or("")
            .starts_with("Restored unsaved edits of 1")
    );
}

// ---- shaping the tree -------------------------------------------------------------------------

fn tree_op(cmds: &[Cmd]) -> TreeOp {
    match cmds {
        [Cmd::Tree(op)] => op.clone(),
        other => panic!("expected one tree op, got {other:?}"),
    }
}

#[test]
fn n_asks_for_a_name_and_creates_the_request_in_the_selected_folder() {
    let mut app = demo_app();
    select(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('n'));
    assert!(app.prompt.is_some());
    type_text(&mut app, "List users");
    let op = tree_op(&key(&mut app, KeyCode::Enter));
    let TreeOp::NewRequest { dir, name } = op else {
        panic!("{op:?}")
    };
    assert!(
        dir.ends_with("collections/demo/basics"),
        "beside the selected request: {dir:?}"
    );
    assert_eq!(name, "List users");
    assert!(app.prompt.is_none());
}

#[test]
fn rename_starts_from_the_current_name_and_escape_cancels() {
    let mut app = demo_app();
    select(&mut app, "Streams");
    key(&mut app, KeyCode::Char('r'));
    assert_eq!(app.prompt.as_ref().unwrap().editor.text(), "Streams");
    key(&mut app, KeyCode::Esc);
    assert!(app.prompt.is_none());
    key(&mut app, KeyCode::Char('r'));
    type_text(&mut app, " & events");
    let TreeOp::Rename { kind, name, .. } = tree_op(&key(&mut app, KeyCode::Enter)) else {
        panic!()
    };
    assert_eq!(
        (kind, name.as_str()),
        (RenameKind::Folder, "Streams & events")
    );
}

#[test]
fn delete_asks_and_only_y_deletes() {
    let mut app = demo_app();
    select(&mut app, "Streams");
    key(&mut app, KeyCode::Char('d'));
    let Some(Confirm::Delete { what, .. }) = &app.confirm else {
        panic!()
    };
    assert_eq!(what, "the folder Streams and the 4 items in it");
    assert!(key(&mut app, KeyCode::Char('n')).is_empty());
    assert!(app.confirm.is_none());
    key(&mut app, KeyCode::Char('d'));
    let TreeOp::Delete { path } = tree_op(&key(&mut app, KeyCode::Char('y'))) else {
        panic!()
    };
    assert!(path.ends_with("demo/streams"));
}

#[test]
fn cut_and_paste_moves_into_the_selected_folder() {
    let mut app = demo_app();
    select(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('x'));
    assert!(app.cut.as_ref().unwrap().ends_with("basics/gzip.json"));
    select(&mut app, "Edge cases");
    let TreeOp::Move { path, into } = tree_op(&key(&mut app, KeyCode::Char('p'))) else {
        panic!()
    };
    assert!(path.ends_with("basics/gzip.json") && into.ends_with("demo/edge-cases"));
    assert!(app.cut.is_none());
    select(&mut app, "Basics");
    key(&mut app, KeyCode::Char('x'));
    select(&mut app, "Gzip");
    assert!(
        key(&mut app, KeyCode::Char('p')).is_empty(),
        "a folder cannot go inside itself"
    );
}

#[test]
fn shift_j_swaps_an_item_with_the_next_one_in_its_folder() {
    let mut app = demo_app();
    select(&mut app, "Echo JSON");
    let cmds = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('J'),
        KeyModifiers::SHIFT,
    )));
    let TreeOp::SetOrder { dir, order } = tree_op(&cmds) else {
        panic!()
    };
    assert!(dir.ends_with("demo/basics"));
    assert_eq!(&order[..3], ["query-parameters", "echo-json", "form-post"]);
    select(&mut app, "Courier demo");
    assert!(
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char('K'),
            KeyModifiers::SHIFT
        )))
        .is_empty()
    );
}

#[test]
fn items_with_unsaved_edits_are_not_moved_or_deleted() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Gzip");
    key(&mut app, KeyCode::Char('e'));
    type_text(&mut app, "z");
    key(&mut app, KeyCode::Esc);
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
    )));
    assert!(key(&mut app, KeyCode::Char('d')).is_empty());
    assert!(app.confirm.is_none());
    assert!(
        app.notice
            .as_deref()
            .unwrap_or("")
            .contains("unsaved edits")
    );
    select(&mut app, "Basics");
    key(&mut app, KeyCode::Char('d'));
    assert!(app.confirm.is_none(), "nor the folder holding them");
}

#[test]
fn a_reload_keeps_closed_folders_closed_and_a_change_selects_the_new_item() {
    let mut app = demo_app();
    select(&mut app, "Streams");
    key(&mut app, KeyCode::Left);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("collections");
    app.update(Msg::WorkspaceLoaded(load_workspace(&dir).unwrap()));
    assert!(
        !app.rows().iter().any(|r| r.label == "SSE stream"),
        "Streams stayed closed"
    );
    let sse = dir.join("demo/streams/sse-stream.json");
    app.update(Msg::TreeChanged {
        workspace: load_workspace(&dir).unwrap(),
        select: Some(sse),
    });
    assert_eq!(selected_label(&app), "SSE stream", "revealed and selected");
}

// ---- the mouse --------------------------------------------------------------------------------

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

fn mouse(app: &mut App, kind: MouseEventKind, column: u16, row: u16) {
    app.update(Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

fn click(app: &mut App, column: u16, row: u16) {
    mouse(app, MouseEventKind::Down(MouseButton::Left), column, row);
}

#[test]
fn clicks_select_tree_rows_and_a_second_click_folds_a_folder() {
    let mut app = demo_app();
    app.update(Msg::Resize {
        width: 160,
        height: 45,
    });
    // Title on line 0, the tree's border on line 1: row r of the tree is on line r + 2.
    click(&mut app, 10, 2 + 2);
    assert_eq!(selected_label(&app), "Echo JSON");
    click(&mut app, 10, 2 + 1);
    assert_eq!(selected_label(&app), "Basics");
    click(&mut app, 10, 2 + 1);
    assert!(
        !app.rows().iter().any(|r| r.label == "Echo JSON"),
        "the second click closed Basics"
    );
}

#[test]
fn clicks_focus_panes_and_pick_tabs() {
    let mut app = demo_app();
    app.update(Msg::Resize {
        width: 160,
        height: 45,
    });
    select(&mut app, "Gzip");
    let areas = crate::app::layout::areas(ratatui::layout::Rect::new(0, 0, 160, 45));
    // The request pane's tab line is the second line inside its border; "Headers" is the 2nd tab.
    click(&mut app, areas.request.x + 1 + 10, areas.request.y + 2);
    assert_eq!(
        (app.focus, app.request_tab),
        (Focus::Request, RequestTab::Headers)
    );
    click(&mut app, areas.response.x + 1 + 18, areas.response.y + 2);
    assert_eq!(
        (app.focus, app.response_tab),
        (Focus::Response, ResponseTab::Timing)
    );
}

#[test]
fn the_wheel_scrolls_what_is_under_it() {
    let mut app = demo_app();
    app.update(Msg::Resize {
        width: 160,
        height: 45,
    });
    mouse(&mut app, MouseEventKind::ScrollDown, 10, 10);
    assert_eq!(app.selected_index(), 3);
    mouse(&mut app, MouseEventKind::ScrollUp, 10, 10);
    assert_eq!(app.selected_index(), 0);
}

#[test]
fn a_long_tree_scrolls_to_keep_the_selection_in_view_and_clicks_follow() {
    let mut app = demo_app();
    app.update(Msg::Resize {
        width: 160,
        height: 12,
    }); // a tree 8 rows tall inside its border
    key(&mut app, KeyCode::Char('G'));
    let last = app.rows().len() - 1;
    assert_eq!(app.tree_offset(), last + 1 - 8);
    click(&mut app, 10, 2);
    assert_eq!(
        app.selected_index(),
        app.tree_offset(),
        "the top visible row, not row 0"
    );
}

// ---- JSON bodies: check, format, ask before sending invalid JSON -------------------------------

fn edit_body_of(app: &mut App, label: &str, text: &str) {
    open_in_request_pane(app, label);
    key(app, KeyCode::Char(']'));
    key(app, KeyCode::Char(']'));
    assert_eq!(app.request_tab, RequestTab::Body);
    key(app, KeyCode::Enter);
    // Select everything by moving to the end and deleting back to the start.
    app.update(Msg::Key(KeyEvent::new(KeyCode::End, KeyModifiers::CONTROL)));
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
    app.update(Msg::Paste(text.into()));
    key(app, KeyCode::Esc);
}

#[test]
fn f_pretty_prints_and_shift_m_minifies_keeping_templates() {
    let mut app = demo_app();
    edit_body_of(
        &mut app,
        "Echo JSON",
        "{\"id\":{{user_id}},\"tags\":[\"{{tag}}\"]}",
    );
    let path = app.selected_request().unwrap().to_owned();
    key(&mut app, KeyCode::Char('f'));
    let body = app.request_view(&path).unwrap().body_text.clone().unwrap();
    assert_eq!(
        body,
        "{\n  \"id\": {{user_id}},\n  \"tags\": [\n    \"{{tag}}\"\n  ]\n}\n"
    );
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('M'),
        KeyModifiers::SHIFT,
    )));
    let body = app.request_view(&path).unwrap().body_text.clone().unwrap();
    assert_eq!(body, "{\"id\":{{user_id}},\"tags\":[\"{{tag}}\"]}");
}

#[test]
fn sending_an_invalid_json_body_asks_first() {
    let mut app = demo_app();
    edit_body_of(&mut app, "Echo JSON", "{\"a\": 1,,}");
    assert!(ctrl(&mut app, 'r').is_empty(), "not sent yet");
    let Some(Confirm::SendInvalid { error, .. }) = &app.confirm else {
        panic!("{:?}", app.confirm)
    };
    assert!(error.starts_with("line 1, column 9:"), "{error}");
    assert!(key(&mut app, KeyCode::Char('n')).is_empty());
    assert!(app.confirm.is_none());
    ctrl(&mut app, 'r');
    assert!(matches!(
        key(&mut app, KeyCode::Char('y')).as_slice(),
        [Cmd::Send { .. }]
    ));
}

#[test]
fn switching_body_kinds_keeps_what_fits() {
    let mut app = demo_app();
    open_in_request_pane(&mut app, "Echo JSON");
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char(']'));
    let path = app.selected_request().unwrap().to_owned();
    let original = app.request_view(&path).unwrap().body_text.clone();
    // json → text: the text stays, the sidecar follows the kind.
    key(&mut app, KeyCode::Char('b'));
    assert!(app.request_pane.kind_picker.is_some());
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let view = app.request_view(&path).unwrap();
    assert_eq!(view.request.body.sidecar(), Some("echo-json.body.txt"));
    assert_eq!(view.body_text, original);
    // text → none → json: the text comes back.
    key(&mut app, KeyCode::Char('b'));
    key(&mut app, KeyCode::Char('g'));
    for _ in 0..2 {
        key(&mut app, KeyCode::Up);
    }
    key(&mut app, KeyCode::Enter);
    assert!(app.request_view(&path).unwrap().request.body.is_none());
    key(&mut app, KeyCode::Char('b'));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let view = app.request_view(&path).unwrap();
    assert_eq!(view.request.body.sidecar(), Some("echo-json.body.json"));
    assert_eq!(view.body_text, original);
    assert!(!app.is_dirty(&path), "back where it started");
}

#[test]
fn form_fields_become_multipart_parts_and_back() {
    use crate::model::{Body, BodyKind};
    let mut app = demo_app();
    select(&mut app, "Form post");
    let path = app.selected_request().unwrap().to_owned();
    let mut request = app.request_view(&path).unwrap().clone();
    assert!(request_pane::switch_body_kind(
        &mut request,
        BodyKind::Multipart
    ));
    let Body::Multipart { parts } = &request.request.body else {
        panic!()
    };
    assert_eq!(
        (parts[0].name.as_str(), parts[0].value.as_deref()),
        ("username", Some("ada"))
    );
    assert!(request_pane::switch_body_kind(&mut request, BodyKind::Form));
    let Body::Form { fields } = &request.request.body else {
        panic!()
    };
    assert_eq!(fields.len(), 2);
    assert!(
        !request_pane::switch_body_kind(&mut request, BodyKind::Form),
        "same kind: no change"
    );
}
