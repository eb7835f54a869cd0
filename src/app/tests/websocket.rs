//! A WebSocket session as a user drives it in the TUI: `Ctrl-R` connects, the handshake
//! opens the session, `Ctrl-R` again sends the body as a message (not a new connection), the
//! status line counts messages, `Ctrl-X` closes politely and a second `Ctrl-X` drops it.

use super::*;
use crate::app::session_view::OutgoingMessage;
use crate::http::websocket::{Close, Command, Direction, Frame, FrameKind, Opened};

fn frame(direction: Direction, text: &str) -> Frame {
    Frame {
        direction,
        at: std::time::Duration::ZERO,
        kind: FrameKind::Text,
        payload: Bytes::copy_from_slice(text.as_bytes()),
        compressed: false,
        wire_len: 2 + text.len() as u64,
    }
}

fn session_commands(cmds: &[Cmd]) -> Vec<Command> {
    cmds.iter()
        .filter_map(|cmd| match cmd {
            Cmd::SessionCommand { command, .. } => Some(command.clone()),
            _ => None,
        })
        .collect()
}

/// Sends the selected request and opens its session with `opened`: the exchange.
fn open(app: &mut App, opened: Opened) -> ExchangeId {
    let exchange = sent_exchange(&ctrl(app, 'r'));
    let now = Instant::now();
    for event in [
        EngineEvent::Started {
            id: exchange,
            request: sent(),
        },
        EngineEvent::Head {
            id: exchange,
            head: head(101, ""),
        },
        EngineEvent::Opened {
            id: exchange,
            opened,
        },
    ] {
        engine(app, event, now);
    }
    exchange
}

/// The demo app, 160×45, with the request `label`'s session opened with `opened`.
fn opened_session(label: &str, opened: Opened) -> (App, ExchangeId) {
    let mut app = demo_app_160x45();
    select(&mut app, label);
    let exchange = open(&mut app, opened);
    (app, exchange)
}

/// Feeds `events` to the app, all at `now`.
fn feed(app: &mut App, events: impl IntoIterator<Item = EngineEvent>) {
    let now = Instant::now();
    for event in events {
        engine(app, event, now);
    }
}

/// Picks the `index`th choice of the saved-message picker (`Ctrl-O`).
fn pick(app: &mut App, index: usize) -> Vec<Cmd> {
    ctrl(app, 'o');
    for _ in 0..index {
        key(app, KeyCode::Down);
    }
    key(app, KeyCode::Enter)
}

/// Replaces the open prompt's line with `text` and answers it.
fn answer(app: &mut App, text: &str) -> Vec<Cmd> {
    for _ in 0..8 {
        key(app, KeyCode::Backspace);
    }
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
    key(app, KeyCode::Enter)
}

#[test]
fn ctrl_r_sends_the_body_as_a_message_once_open_and_ctrl_x_closes() {
    let opened = Opened {
        protocol: Some("chat.v2".into()),
        extensions: Some("permessage-deflate".into()),
        graphql: false,
    };
    let (mut app, exchange) = opened_session("Echo JSON", opened);

    let cmds = ctrl(&mut app, 'r');
    let [
        Cmd::SessionMessage {
            exchange: to,
            plan,
            message: OutgoingMessage::Body,
        },
    ] = &cmds[..]
    else {
        panic!("a message, not a new send: {cmds:?}")
    };
    assert_eq!(*to, exchange);
    assert!(
        plan.request.ends_with("echo-json.json"),
        "{:?}",
        plan.request
    );
    let message = "{\"hello\": 1}";
    feed(
        &mut app,
        [Direction::Sent, Direction::Received].map(|direction| EngineEvent::Frame {
            id: exchange,
            frame: frame(direction, message),
        }),
    );
    let screen = drawn(&app);
    assert!(
        screen.contains("⇄ open · chat.v2 · deflate · 1 in, 1 out"),
        "{screen}"
    );

    let cmds = ctrl(&mut app, 'x');
    assert_eq!(
        session_commands(&cmds),
        [Command::Close {
            code: 1000,
            reason: String::new()
        }]
    );
    assert!(drawn(&app).contains("⇄ closing…"));
    // A second Ctrl-X while it closes drops the connection.
    assert!(ctrl(&mut app, 'x').contains(&Cmd::Cancel(exchange)));

    let close = Close {
        code: Some(1000),
        reason: "bye".into(),
        initiated_by: Direction::Sent,
    };
    feed(
        &mut app,
        [
            EngineEvent::Closed {
                id: exchange,
                close,
            },
            EngineEvent::Done {
                id: exchange,
                summary: Summary::default(),
            },
        ],
    );
    assert!(drawn(&app).contains("⇄ closed 1000 bye"));
    // Closed, Ctrl-R connects again.
    assert!(session_commands(&ctrl(&mut app, 'r')).is_empty());
}

#[test]
fn ctrl_o_sends_a_saved_message_by_number_or_a_ping() {
    let mut app = demo_app();
    select(&mut app, "Echo");
    // Closed: the picker opens (to edit the messages), and sending says how to open a session.
    assert!(ctrl(&mut app, 'o').is_empty());
    assert!(drawn(&app).contains("no session open: Ctrl-R opens one"));
    assert!(key(&mut app, KeyCode::Char('1')).is_empty());
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.contains("Ctrl-R opens one"))
    );
    let (mut app, _) = opened_session("Echo", Opened::default());

    assert!(ctrl(&mut app, 'o').is_empty());
    let drawn_picker = drawn(&app);
    assert!(drawn_picker.contains("1  Hello  (text)"), "{drawn_picker}");
    assert!(
        drawn_picker.contains("3  Magic bytes  (hex)"),
        "{drawn_picker}"
    );
    let cmds = key(&mut app, KeyCode::Char('2'));
    let [Cmd::SessionMessage { message, .. }] = &cmds[..] else {
        panic!("{cmds:?}")
    };
    assert_eq!(*message, OutgoingMessage::Saved(1));
    // It opens on the last one sent; down twice is the ping.
    ctrl(&mut app, 'o');
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    let cmds = key(&mut app, KeyCode::Enter);
    assert_eq!(
        session_commands(&cmds),
        [Command::Ping(Bytes::new())],
        "{cmds:?}"
    );
}

#[test]
fn the_picker_closes_with_a_code_and_reason_and_refuses_a_reserved_code() {
    let (mut app, exchange) = opened_session("Echo", Opened::default());
    assert!(
        pick(&mut app, 4).is_empty(),
        "the close asks its code first"
    );
    assert!(drawn(&app).contains("Close with: CODE reason"));
    // A reserved code is refused and said.
    assert!(answer(&mut app, "1005 no").is_empty());
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.contains("`1005` is not a close code"))
    );
    pick(&mut app, 4);
    assert_eq!(
        answer(&mut app, "4001 done here"),
        [Cmd::SessionCommand {
            exchange,
            command: Command::Close {
                code: 4001,
                reason: "done here".into()
            }
        }]
    );
}

#[test]
fn a_session_opens_on_its_log_and_a_subscription_on_its_events() {
    let mut app = demo_app();
    select(&mut app, "Echo");
    app.inspector.tab = crate::app::ResponseTab::Events;
    open(&mut app, Opened::default());
    assert_eq!(app.inspector.tab, crate::app::ResponseTab::Pretty);

    select(&mut app, "GraphQL subscription");
    let graphql = Opened {
        graphql: true,
        ..Opened::default()
    };
    open(&mut app, graphql);
    assert_eq!(app.inspector.tab, crate::app::ResponseTab::Events);
}

#[test]
fn jq_filters_a_sessions_json_frames_while_it_is_open_and_again_as_more_come() {
    let (mut app, exchange) = opened_session("Echo", Opened::default());
    let received = |text: &str| EngineEvent::Frame {
        id: exchange,
        frame: frame(Direction::Received, text),
    };
    feed(
        &mut app,
        [
            received(r#"{"type": "tick", "n": 1}"#),
            received("plain words"),
            received(r#"{"type": "note"}"#),
        ],
    );
    app.focus = Focus::Response;
    key(&mut app, KeyCode::Char('|'));
    let cmds = type_text(&mut app, r#"select(.type == "tick") | .n"#);
    run_jq(&mut app, &cmds);
    key(&mut app, KeyCode::Enter);
    let jq = app.current_response().unwrap().jq.clone().unwrap();
    assert_eq!(
        (jq.lines.as_slice(), jq.inputs),
        (&["1".to_owned()][..], Some(2))
    );
    let screen = drawn(&app);
    assert!(
        screen.contains("1 value from 2 JSON frames so far"),
        "{screen}"
    );

    // A new frame: the filter runs again, but not more than once a second.
    feed(&mut app, [received(r#"{"type": "tick", "n": 2}"#)]);
    let soon = app.update(Msg::Tick, Instant::now());
    assert!(
        !soon.iter().any(|c| matches!(c, Cmd::Jq { .. })),
        "{soon:?}"
    );
    let later = Instant::now() + crate::app::jq_view::LIVE_EVERY;
    let cmds = app.update(Msg::Tick, later);
    run_jq(&mut app, &cmds);
    let jq = app.current_response().unwrap().jq.clone().unwrap();
    assert_eq!(jq.lines.as_slice(), ["1", "2"]);
    // The stream's end runs it once more over what came last, however soon.
    feed(&mut app, [received(r#"{"type": "tick", "n": 3}"#)]);
    let done = EngineEvent::Done {
        id: exchange,
        summary: Summary::default(),
    };
    let cmds = engine(&mut app, done, later);
    run_jq(&mut app, &cmds);
    let response = app.current_response().unwrap();
    assert_eq!(
        response.jq.as_ref().unwrap().lines.as_slice(),
        ["1", "2", "3"]
    );
    assert_eq!(response.scroll, 0);
}

#[test]
fn the_events_view_lists_a_sessions_frames_with_the_selected_one_pretty() {
    let (mut app, exchange) = opened_session("Echo", Opened::default());
    feed(
        &mut app,
        [
            (Direction::Sent, r#"{"hello": "there"}"#),
            (Direction::Received, r#"{"echo": {"hello": "there"}}"#),
        ]
        .map(|(direction, text)| EngineEvent::Frame {
            id: exchange,
            frame: frame(direction, text),
        }),
    );
    app.inspector.tab = crate::app::ResponseTab::Events;
    let screen = drawn(&app);
    for shown in [
        "2 frames",
        "→ text",
        "← text",
        "frame 2 of 2",
        "\"echo\": {",
    ] {
        assert!(screen.contains(shown), "{shown} in\n{screen}");
    }
}

/// The saved messages of the request at `label`, as its draft has them: name and content.
fn saved_messages(app: &App, label: &str) -> Vec<(String, crate::model::MessageContent)> {
    assert_eq!(selected_label(app), label);
    let request = app
        .request_view(app.selected_request().unwrap())
        .cloned()
        .unwrap();
    request
        .request
        .websocket
        .map(|w| {
            w.messages
                .into_iter()
                .map(|m| (m.name, m.content))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn e_puts_a_saved_message_in_the_body_and_s_saves_the_body_as_one() {
    use crate::model::MessageContent;
    let mut app = demo_app();
    select(&mut app, "Echo");
    // `s` before any `e` suggests a new name, never one Enter would replace.
    ctrl(&mut app, 'o');
    key(&mut app, KeyCode::Char('s'));
    assert!(drawn(&app).contains("› message 4"));
    key(&mut app, KeyCode::Esc);
    // `e` on Subscribe: its JSON in the body, pretty, to edit with the body's checks.
    ctrl(&mut app, 'o');
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('e'));
    assert_eq!(
        body_of_selected(&app).as_deref(),
        Some("{\n  \"type\": \"subscribe\",\n  \"channel\": \"prices\"\n}\n")
    );
    assert_eq!(app.request_pane.tab, RequestTab::Body);

    // Edited, then `s` saves it back under the name suggested (the one chosen): replaced.
    write_echo_body(&mut app, r#"{"type": "subscribe", "channel": "{{pair}}"}"#);
    ctrl(&mut app, 'o');
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Char('s'));
    assert!(drawn(&app).contains("Save the body as message"));
    assert!(
        drawn(&app).contains("› Subscribe"),
        "the message the body came from"
    );
    key(&mut app, KeyCode::Enter);
    let messages = saved_messages(&app, "Echo");
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[1].0, "Subscribe");
    assert_eq!(
        messages[1].1,
        MessageContent::Json(serde_json::json!({"type": "subscribe", "channel": "{{pair}}"}))
    );
    assert!(app.notice.as_deref().unwrap_or("").contains("Replaced"));

    // Under a new name, text that is not JSON is saved as text, after the others.
    write_echo_body(&mut app, "ping {{$uuid}}");
    ctrl(&mut app, 'o');
    key(&mut app, KeyCode::Char('s'));
    select_all_and_type(&mut app, "Ping text");
    key(&mut app, KeyCode::Enter);
    let messages = saved_messages(&app, "Echo");
    assert_eq!(
        messages.last(),
        Some(&(
            "Ping text".to_owned(),
            MessageContent::Text("ping {{$uuid}}".into())
        ))
    );
}

#[test]
fn e_asks_before_replacing_unsaved_text_and_d_deletes_a_saved_message() {
    let mut app = demo_app();
    select(&mut app, "Echo");
    // `e` over unsaved text in the body asks first; no keeps the body.
    write_echo_body(&mut app, "draft I am writing");
    ctrl(&mut app, 'o');
    key(&mut app, KeyCode::Char('e'));
    assert!(drawn(&app).contains("Replace it with the saved message `Hello`?"));
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(
        body_of_selected(&app).as_deref(),
        Some("draft I am writing")
    );

    // A binary message is edited in the file; `d` deletes (the picker stays open).
    ctrl(&mut app, 'o');
    pick_row(&mut app, 2);
    key(&mut app, KeyCode::Char('e'));
    assert!(
        app.notice
            .as_deref()
            .unwrap_or("")
            .contains("edit it in the request file")
    );
    ctrl(&mut app, 'o');
    pick_row(&mut app, 2);
    key(&mut app, KeyCode::Char('d'));
    let names: Vec<String> = saved_messages(&app, "Echo")
        .into_iter()
        .map(|m| m.0)
        .collect();
    assert_eq!(names, ["Hello", "Subscribe"]);
    let picker = drawn(&app);
    assert!(picker.contains("2  Subscribe  (json)") && !picker.contains("Magic bytes  (hex)"));
    assert!(
        app.is_dirty(app.selected_request().unwrap()),
        "Ctrl-S keeps it"
    );
}

/// Writes `text` as the demo Echo request's body, from the tree as `edit_body_of` expects.
fn write_echo_body(app: &mut App, text: &str) {
    (app.focus, app.request_pane.tab) = (Focus::Tree, RequestTab::Params);
    edit_body_of(app, "Echo", text);
}

fn body_of_selected(app: &App) -> Option<String> {
    app.request_view(app.selected_request()?)?.body_text.clone()
}

/// Moves the open picker's choice to row `row` (from wherever it is).
fn pick_row(app: &mut App, row: usize) {
    for _ in 0..10 {
        key(app, KeyCode::Up);
    }
    for _ in 0..row {
        key(app, KeyCode::Down);
    }
}

/// Replaces the open prompt's text with `text`.
fn select_all_and_type(app: &mut App, text: &str) {
    for _ in 0..40 {
        key(app, KeyCode::Backspace);
    }
    type_text(app, text);
}
