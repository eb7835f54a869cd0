//! A WebSocket session as a user drives it in the TUI: `Ctrl-R` connects, the handshake
//! opens the session, `Ctrl-R` again sends the body as a message (not a new connection), the
//! status line counts messages, `Ctrl-X` closes politely and a second `Ctrl-X` drops it.

use super::*;
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

#[test]
fn ctrl_r_sends_the_body_as_a_message_once_open_and_ctrl_x_closes() {
    let mut app = demo_app();
    app.update(
        Msg::Resize {
            width: 160,
            height: 45,
        },
        Instant::now(),
    );
    select(&mut app, "Echo JSON");
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    let now = Instant::now();
    engine(
        &mut app,
        EngineEvent::Started {
            id: exchange,
            request: sent(),
        },
        now,
    );
    engine(
        &mut app,
        EngineEvent::Head {
            id: exchange,
            head: head(101, ""),
        },
        now,
    );
    let opened = Opened {
        protocol: Some("chat.v2".into()),
        extensions: Some("permessage-deflate".into()),
    };
    engine(
        &mut app,
        EngineEvent::Opened {
            id: exchange,
            opened,
        },
        now,
    );

    let cmds = ctrl(&mut app, 'r');
    let [Command::Text(message)] = &session_commands(&cmds)[..] else {
        panic!("a message, not a new send: {cmds:?}")
    };
    assert!(
        message.starts_with('{') && !message.ends_with('\n'),
        "{message:?}"
    );
    for event in [
        frame(Direction::Sent, message),
        frame(Direction::Received, message),
    ] {
        engine(
            &mut app,
            EngineEvent::Frame {
                id: exchange,
                frame: event,
            },
            now,
        );
    }
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
    engine(
        &mut app,
        EngineEvent::Closed {
            id: exchange,
            close,
        },
        now,
    );
    engine(
        &mut app,
        EngineEvent::Done {
            id: exchange,
            summary: Summary::default(),
        },
        now,
    );
    assert!(drawn(&app).contains("⇄ closed 1000 bye"));
    // Closed, Ctrl-R connects again.
    assert!(session_commands(&ctrl(&mut app, 'r')).is_empty());
}
