//! WebSocket sessions: the handshake through the engine's client (`handshake`), then frames
//! both ways on yawc's codec, with permessage-deflate when the server agrees, reported as
//! [`EngineEvent::Frame`]s with what the codec does not say (compressed or not, bytes on
//! the wire) read off the wire by `tap`. Whoever opened the session sends through its
//! [`SessionHandle`]: messages, pings, a close.
//!
//! A session ends with `Done` after a close handshake (either side's), or `Failed`: the
//! server refused the upgrade, broke the protocol (each break named: a text frame that is
//! not UTF-8 at its byte, a message over the limit), or dropped the connection.

pub mod graphql;
mod handshake;
mod session;
mod tap;

use std::time::Duration;

use bytes::Bytes;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

pub use handshake::{Offer, accept_for};

/// The largest message a session takes (inflated, fragments joined); a bigger one closes
/// the session with 1009 (too big) and says so.
pub const MESSAGE_LIMIT: usize = 64 * 1024 * 1024;

/// How long a closing session waits for the other side's close frame.
pub const CLOSE_WAIT: Duration = Duration::from_secs(2);

/// What the handshake agreed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Opened {
    /// The subprotocol the server chose from those offered.
    pub protocol: Option<String>,
    /// The extensions agreed (`permessage-deflate; server_no_context_takeover`).
    pub extensions: Option<String>,
    /// It speaks graphql-transport-ws: the body is the subscription's results, one a line.
    pub graphql: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Sent,
    Received,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    Text,
    Binary,
    Ping,
    Pong,
    Close,
}

impl FrameKind {
    pub fn name(self) -> &'static str {
        match self {
            FrameKind::Text => "text",
            FrameKind::Binary => "binary",
            FrameKind::Ping => "ping",
            FrameKind::Pong => "pong",
            FrameKind::Close => "close",
        }
    }
}

/// One message or control frame, either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub direction: Direction,
    /// Since the session opened (the 101 arrived).
    pub at: Duration,
    pub kind: FrameKind,
    /// Inflated, its fragments joined. A text frame's payload is UTF-8 (checked).
    pub payload: Bytes,
    /// It came compressed (permessage-deflate).
    pub compressed: bool,
    /// Its bytes on the wire, headers and every fragment included.
    pub wire_len: u64,
}

impl Frame {
    /// A text frame's text; None for other kinds.
    pub fn text(&self) -> Option<&str> {
        (self.kind == FrameKind::Text)
            .then(|| std::str::from_utf8(&self.payload).ok())
            .flatten()
    }
}

/// The frame as one line of a session's log, the text the response pane shows, searches and
/// keeps in the history: when, which way, what, how big, and the text (a JSON message as
/// it came, line breaks shown as `⏎`) or the first bytes in hex.
pub fn log_line(frame: &Frame) -> Vec<u8> {
    let arrow = match frame.direction {
        Direction::Sent => '→',
        Direction::Received => '←',
    };
    let deflated = if frame.compressed { " deflated" } else { "" };
    let shown = match frame.kind {
        FrameKind::Text => String::from_utf8_lossy(&frame.payload).replace(['\r', '\n'], "⏎"),
        FrameKind::Close => close_words(&frame.payload),
        _ => {
            const SHOWN: usize = 64;
            let mut hex: String = frame
                .payload
                .iter()
                .take(SHOWN)
                .map(|b| format!("{b:02x}"))
                .collect();
            if frame.payload.len() > SHOWN {
                hex.push('…');
            }
            hex
        }
    };
    format!(
        "{:>10.3}s {arrow} {:<6} {:>7} B{deflated}  {shown}\n",
        frame.at.as_secs_f64(),
        frame.kind.name(),
        frame.payload.len()
    )
    .into_bytes()
}

/// The frame as a line of the session's transcript (what an example of it replays); None
/// for a ping or pong, which whoever plays it answers itself.
pub fn transcript_frame(frame: &Frame) -> Option<crate::body::transcript::TranscriptFrame> {
    use crate::body::transcript::{Message, Side, TranscriptFrame};
    let message = match frame.kind {
        FrameKind::Text => Message::Text(String::from_utf8_lossy(&frame.payload).into_owned()),
        FrameKind::Binary => Message::Binary(frame.payload.to_vec()),
        FrameKind::Close => {
            let (code, reason) = close_parts(&frame.payload);
            Message::Close(code, reason)
        }
        FrameKind::Ping | FrameKind::Pong => return None,
    };
    Some(TranscriptFrame {
        ms: u64::try_from(frame.at.as_millis()).unwrap_or(u64::MAX),
        from: match frame.direction {
            Direction::Sent => Side::Client,
            Direction::Received => Side::Server,
        },
        message,
    })
}

/// A transcript with `secrets` masked frame by frame: in a text's or a close reason's text, in
/// a binary frame's bytes. Masking its lines would miss a secret in a binary frame's base64,
/// and could break a line (a secret `500` inside `"ms":1500`).
pub fn masked_transcript(
    bytes: &[u8],
    secrets: &[String],
) -> Result<Vec<u8>, crate::body::transcript::TranscriptError> {
    use crate::body::transcript::{self, Message};
    let mut masked = Vec::with_capacity(bytes.len());
    for mut frame in transcript::parse(bytes)? {
        frame.message = match frame.message {
            Message::Text(text) => Message::Text(super::mask_secrets(&text, secrets)),
            Message::Binary(bytes) => Message::Binary(super::mask_secret_bytes(&bytes, secrets)),
            Message::Close(code, reason) => {
                Message::Close(code, super::mask_secrets(&reason, secrets))
            }
        };
        masked.extend_from_slice(&frame.line());
    }
    Ok(masked)
}

/// The frame as an event of the Events view: which way and what (`← text`), and its text
/// (a JSON message pretty-printed there when selected, and an input of jq), a close's code
/// and reason, or the other kinds' bytes in hex (the first 4 KiB).
pub fn frame_event(frame: &Frame, at: Duration) -> crate::body::events::Event {
    const SHOWN: usize = 4096;
    let arrow = match frame.direction {
        Direction::Sent => '→',
        Direction::Received => '←',
    };
    let data = match frame.kind {
        FrameKind::Text => String::from_utf8_lossy(&frame.payload).into_owned(),
        FrameKind::Close => close_words(&frame.payload),
        _ => {
            let mut hex = hex_lines(&frame.payload[..frame.payload.len().min(SHOWN)]);
            if frame.payload.len() > SHOWN {
                hex.push_str(&format!("… ({} bytes in all)", frame.payload.len()));
            }
            hex
        }
    };
    crate::body::events::Event {
        at,
        id: String::new(),
        event: format!("{arrow} {}", frame.kind.name()),
        data,
        retry: None,
    }
}

/// Bytes in hex, 32 to a line, in groups of four.
fn hex_lines(bytes: &[u8]) -> String {
    let group = |group: &[u8]| group.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let line = |line: &[u8]| line.chunks(4).map(group).collect::<Vec<_>>().join(" ");
    bytes.chunks(32).map(line).collect::<Vec<_>>().join("\n")
}

/// A close frame's code and reason (none and empty for a frame without a code).
pub fn close_parts(payload: &[u8]) -> (Option<u16>, String) {
    match payload {
        [high, low, reason @ ..] => (
            Some(u16::from_be_bytes([*high, *low])),
            String::from_utf8_lossy(reason).into_owned(),
        ),
        _ => (None, String::new()),
    }
}

/// A close frame as words: `1000 that was the last tick`, or `(no code)`.
pub fn close_words(payload: &[u8]) -> String {
    match close_parts(payload) {
        (Some(code), reason) => format!("{code} {reason}"),
        (None, _) => "(no code)".to_owned(),
    }
}

/// How a session closed: the close code and reason the server sent (none when its close
/// frame had no code), and who closed first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Close {
    pub code: Option<u16>,
    pub reason: String,
    pub initiated_by: Direction,
}

impl Close {
    /// 1000 (normal) or 1001 (going away): a close that is not an error.
    pub fn is_normal(&self) -> bool {
        matches!(self.code, Some(1000 | 1001) | None)
    }
}

/// What the opener asks a session to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Text(String),
    Binary(Bytes),
    Ping(Bytes),
    /// Start the closing handshake.
    Close {
        code: u16,
        reason: String,
    },
}

/// A session under way. Dropping the handle does not end it; [`SessionHandle::cancel`] or
/// a close does.
pub struct SessionHandle {
    pub id: super::ExchangeId,
    commands: mpsc::Sender<Command>,
    cancel: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl SessionHandle {
    pub(super) fn new(
        id: super::ExchangeId,
        commands: mpsc::Sender<Command>,
        cancel: CancellationToken,
        task: tokio::task::JoinHandle<()>,
    ) -> Self {
        SessionHandle {
            id,
            commands,
            cancel,
            task,
        }
    }

    /// Where to send commands from; clones freely.
    pub fn commands(&self) -> mpsc::Sender<Command> {
        self.commands.clone()
    }

    /// Drops the connection at once, without a closing handshake.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    pub async fn finished(self) {
        let _ = self.task.await;
    }
}

pub(super) use session::run;

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(kind: FrameKind, payload: &[u8]) -> Frame {
        Frame {
            direction: Direction::Received,
            at: Duration::from_millis(1500),
            kind,
            payload: Bytes::copy_from_slice(payload),
            compressed: true,
            wire_len: 9,
        }
    }

    #[test]
    fn a_frame_is_a_log_line_and_an_event() {
        let text = frame(FrameKind::Text, b"{\"a\":\n1}");
        let line = String::from_utf8(log_line(&text)).unwrap();
        assert_eq!(
            line,
            "     1.500s ← text         8 B deflated  {\"a\":⏎1}\n"
        );
        let event = frame_event(&text, Duration::from_secs(2));
        assert_eq!(
            (event.event.as_str(), event.data.as_str()),
            ("← text", "{\"a\":\n1}")
        );

        let bytes: Vec<u8> = (0..40).collect();
        let event = frame_event(&frame(FrameKind::Binary, &bytes), Duration::ZERO);
        let rows: Vec<&str> = event.data.lines().collect();
        assert_eq!(rows.len(), 2, "32 bytes a row");
        assert!(rows[0].starts_with("00010203 04050607 "), "{}", rows[0]);
        assert_eq!(rows[1], "20212223 24252627");

        let big = frame_event(&frame(FrameKind::Binary, &[0; 5000]), Duration::ZERO);
        assert!(
            big.data.ends_with("… (5000 bytes in all)"),
            "{}",
            &big.data[big.data.len() - 40..]
        );

        let close = frame_event(&frame(FrameKind::Close, b"\x03\xe8bye"), Duration::ZERO);
        assert_eq!(
            (close.event.as_str(), close.data.as_str()),
            ("← close", "1000 bye")
        );
    }
}
