//! A WebSocket session as the response pane knows it: what the handshake agreed, how many
//! messages went each way, whether this side is closing, and how it closed. Its frames are
//! the body's lines (the runtime writes one per frame), so the pane follows, scrolls,
//! searches and keeps them like any streamed body; this is only what the status line says.

use crate::http::websocket::{Close, Direction, Frame, FrameKind, Opened};

/// What a message for a session is made of: the request's body, or its saved message at an
/// index. The runtime makes it (rendering templates) from the plan it comes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutgoingMessage {
    Body,
    Saved(usize),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionView {
    pub protocol: Option<String>,
    pub deflate: bool,
    pub received: u64,
    pub sent: u64,
    /// This side sent its close and waits for the server's.
    pub closing: bool,
    pub closed: Option<Close>,
    /// The picker's last choice (`Ctrl-O`), chosen again when it opens.
    pub last_message: usize,
}

impl SessionView {
    pub fn opened(opened: &Opened) -> SessionView {
        SessionView {
            protocol: opened.protocol.clone(),
            deflate: opened
                .extensions
                .as_deref()
                .is_some_and(|e| e.contains("permessage-deflate")),
            ..SessionView::default()
        }
    }

    /// Counts a message either way (control frames are not messages).
    pub fn count(&mut self, frame: &Frame) {
        if matches!(frame.kind, FrameKind::Text | FrameKind::Binary) {
            match frame.direction {
                Direction::Sent => self.sent += 1,
                Direction::Received => self.received += 1,
            }
        }
    }

    /// Whether messages can still be sent.
    pub fn is_open(&self) -> bool {
        self.closed.is_none() && !self.closing
    }

    /// What the status line says: `⇄ open · chat.v2 · deflate · 12 in, 3 out`.
    pub fn summary(&self) -> String {
        let state = match (&self.closed, self.closing) {
            (Some(close), _) => format!(
                "closed {}{}",
                close.code.map_or("(no code)".to_owned(), |c| c.to_string()),
                if close.reason.is_empty() {
                    String::new()
                } else {
                    format!(" {}", close.reason)
                }
            ),
            (None, true) => "closing…".to_owned(),
            (None, false) => "open".to_owned(),
        };
        let mut parts = vec![format!("⇄ {state}")];
        parts.extend(self.protocol.clone());
        if self.deflate {
            parts.push("deflate".to_owned());
        }
        parts.push(format!("{} in, {} out", self.received, self.sent));
        parts.join(" · ")
    }
}

impl super::ResponseView {
    /// Takes in a session's `Opened`, `Frame` or `Closed`; on opening, the kind of body its
    /// view suits: a session's log reads as text, a subscription's results are events.
    pub(super) fn take_session_event(
        &mut self,
        event: crate::http::EngineEvent,
    ) -> Option<crate::body::store::BodyKind> {
        use crate::body::store::BodyKind;
        use crate::http::EngineEvent;
        match event {
            EngineEvent::Opened { opened, .. } => {
                self.session = Some(SessionView::opened(&opened));
                self.follow = true;
                self.phase = super::Phase::InFlight;
                return Some(if opened.graphql {
                    BodyKind::Ndjson
                } else {
                    BodyKind::Text
                });
            }
            EngineEvent::Frame { frame, .. } => {
                if let Some(session) = &mut self.session {
                    session.count(&frame);
                }
            }
            EngineEvent::Closed { close, .. } => {
                if let Some(session) = &mut self.session {
                    session.closing = false;
                    session.closed = Some(close);
                }
            }
            _ => {}
        }
        None
    }
}

impl super::App {
    /// `Ctrl-R` on a request whose WebSocket session is open: its body goes as a message,
    /// rendered by the runtime (a JSON body only when it is valid). None when no session of
    /// it is open.
    pub(super) fn send_message(&mut self, path: &std::path::Path) -> Option<Vec<super::Cmd>> {
        let exchange = self.open_session(path)?;
        let request = self.request_view(path)?;
        if let Some(error) = super::editing::json_body_error(request) {
            self.notice = Some(format!(
                "Not sent: the message is not valid JSON (line {}, column {}: {}).",
                error.line, error.column, error.message
            ));
            return Some(Vec::new());
        }
        Some(vec![self.message_cmd(
            path,
            exchange,
            OutgoingMessage::Body,
        )])
    }

    /// The open session of the request at `path`, if it has one.
    pub(super) fn open_session(&self, path: &std::path::Path) -> Option<crate::http::ExchangeId> {
        self.sends
            .get(path)
            .filter(|r| r.phase.is_active())
            .filter(|r| r.session.as_ref().is_some_and(SessionView::is_open))
            .map(|r| r.exchange)
    }

    pub(super) fn message_cmd(
        &self,
        path: &std::path::Path,
        exchange: crate::http::ExchangeId,
        message: OutgoingMessage,
    ) -> super::Cmd {
        let origin = self.clock();
        super::Cmd::SessionMessage {
            exchange,
            plan: Box::new(self.send_plan(path.to_owned(), origin)),
            message,
        }
    }

    /// `Ctrl-X` on an open session: the closing handshake (1000); a second `Ctrl-X` while
    /// it closes drops the connection (the usual cancel). None when no session is open.
    pub(super) fn close_session(&mut self) -> Option<Vec<super::Cmd>> {
        let path = self.selected_request()?.to_owned();
        let response = self.sends.get_mut(&path).filter(|r| r.phase.is_active())?;
        let session = response.session.as_mut().filter(|s| s.is_open())?;
        session.closing = true;
        self.notice = Some("Closing the session (Ctrl-X again drops it).".to_owned());
        Some(vec![super::Cmd::SessionCommand {
            exchange: response.exchange,
            command: crate::http::websocket::Command::Close {
                code: 1000,
                reason: String::new(),
            },
        }])
    }
}

impl super::App {
    /// The close prompt's answer, `CODE reason`: the session closes with them.
    pub(super) fn close_session_with(
        &mut self,
        exchange: crate::http::ExchangeId,
        answer: &str,
    ) -> Vec<super::Cmd> {
        let (code, reason) = answer.split_once(' ').unwrap_or((answer, ""));
        let code = match code.parse::<u16>() {
            Ok(code @ (1000..=1003 | 1007..=1014 | 3000..=4999)) => code,
            _ => {
                self.notice = Some(format!(
                    "Not closed: `{code}` is not a close code a client may send (1000–1003, 1007–1014, 3000–4999)."
                ));
                return Vec::new();
            }
        };
        if reason.len() > 123 {
            self.notice = Some("Not closed: a close reason is at most 123 bytes.".to_owned());
            return Vec::new();
        }
        if let Some(session) = self
            .sends
            .by_exchange_mut(exchange)
            .and_then(|r| r.session.as_mut())
        {
            session.closing = true;
        }
        vec![super::Cmd::SessionCommand {
            exchange,
            command: crate::http::websocket::Command::Close {
                code,
                reason: reason.trim().to_owned(),
            },
        }]
    }
}
