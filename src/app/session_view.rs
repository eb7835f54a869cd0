//! A WebSocket session as the response pane knows it: what the handshake agreed, how many
//! messages went each way, whether this side is closing, and how it closed. Its frames are
//! the body's lines (the runtime writes one per frame), so the pane follows, scrolls,
//! searches and keeps them like any streamed body; this is only what the status line says.

use crate::http::websocket::{Close, Direction, Frame, FrameKind, Opened};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionView {
    pub protocol: Option<String>,
    pub deflate: bool,
    pub received: u64,
    pub sent: u64,
    /// This side sent its close and waits for the server's.
    pub closing: bool,
    pub closed: Option<Close>,
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

impl super::App {
    /// `Ctrl-R` on a request whose WebSocket session is open: its body goes as a message (a
    /// JSON body only when it is valid). None when no session of it is open.
    pub(super) fn send_message(&mut self, path: &std::path::Path) -> Option<Vec<super::Cmd>> {
        let exchange = self
            .sends
            .get(path)
            .filter(|r| r.phase.is_active())
            .filter(|r| r.session.as_ref().is_some_and(SessionView::is_open))
            .map(|r| r.exchange)?;
        let request = self.request_view(path)?;
        // A file's closing line break is the editor's, not the message's.
        let text = request.body_text.clone().unwrap_or_default();
        let text = text
            .strip_suffix('\n')
            .map(|t| t.strip_suffix('\r').unwrap_or(t))
            .unwrap_or(&text)
            .to_owned();
        if let Some(error) = super::editing::json_body_error(request) {
            self.notice = Some(format!(
                "Not sent: the message is not valid JSON (line {}, column {}: {}).",
                error.line, error.column, error.message
            ));
            return Some(Vec::new());
        }
        if text.is_empty() {
            self.notice = Some("Write a message in the body; Ctrl-R sends it.".to_owned());
            return Some(Vec::new());
        }
        Some(vec![super::Cmd::SessionCommand {
            exchange,
            command: crate::http::websocket::Command::Text(text),
        }])
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
