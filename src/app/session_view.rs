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
    fn open_session(&self, path: &std::path::Path) -> Option<crate::http::ExchangeId> {
        self.sends
            .get(path)
            .filter(|r| r.phase.is_active())
            .filter(|r| r.session.as_ref().is_some_and(SessionView::is_open))
            .map(|r| r.exchange)
    }

    fn message_cmd(
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

/// `Ctrl-O`: the open session's saved messages, then a ping; Enter or a message's number
/// sends it. The last one sent stays chosen, so sending it again is two keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessagePicker {
    pub request: std::path::PathBuf,
    pub exchange: crate::http::ExchangeId,
    /// Each saved message's name and what it sends (`text`, `json`, `hex`, `base64`, `file`).
    pub messages: Vec<(String, &'static str)>,
    pub selected: usize,
}

/// What the picker picked: the choice's index (the saved messages, then the ping, then the
/// close), and for which session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picked {
    pub request: std::path::PathBuf,
    pub exchange: crate::http::ExchangeId,
    pub index: usize,
    pub saved: usize,
}

impl MessagePicker {
    /// How many choices: every saved message, then the ping and the close.
    pub fn choices(&self) -> usize {
        self.messages.len() + 2
    }

    pub fn key(&mut self, key: &crossterm::event::KeyEvent) -> super::layers::LayerReply<Picked> {
        use super::keymap::{Action, Context};
        use super::layers::LayerReply;
        let picked = |index: usize| Picked {
            request: self.request.clone(),
            exchange: self.exchange,
            index,
            saved: self.messages.len(),
        };
        match super::keymap::lookup_own(Context::MessagePicker, key) {
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => self.selected = (self.selected + 1).min(self.choices() - 1),
            Some(Action::Choose(n)) if usize::from(n) < self.messages.len() => {
                self.selected = usize::from(n);
                return LayerReply::Answer(picked(self.selected));
            }
            Some(Action::Activate) => return LayerReply::Answer(picked(self.selected)),
            Some(Action::Help) => return LayerReply::Help,
            Some(Action::Close) => return LayerReply::Close,
            _ => {}
        }
        LayerReply::Stay
    }
}

impl super::App {
    /// `Ctrl-O`: the picker of the selected request's saved messages, when its session is
    /// open.
    pub(super) fn pick_message(&mut self) -> Vec<super::Cmd> {
        let Some(path) = self.selected_request().map(std::path::Path::to_owned) else {
            return Vec::new();
        };
        let Some(exchange) = self.open_session(&path) else {
            self.notice = Some(
                "Ctrl-O sends a saved message on an open WebSocket session: Ctrl-R opens one."
                    .to_owned(),
            );
            return Vec::new();
        };
        let messages = self
            .request_view(&path)
            .and_then(|r| r.request.websocket.as_deref())
            .map(|spec| {
                spec.messages
                    .iter()
                    .map(|m| (m.name.clone(), kind_name(&m.content)))
                    .collect()
            })
            .unwrap_or_default();
        let selected = self
            .sends
            .get(&path)
            .and_then(|r| r.session.as_ref())
            .map_or(0, |s| s.last_message);
        self.layers
            .open(super::layers::Layer::MessagePicker(MessagePicker {
                request: path,
                exchange,
                messages,
                selected,
            }));
        Vec::new()
    }

    /// A choice of the picker: the message made and sent, or a ping.
    pub(super) fn on_message_picked(&mut self, picked: Picked) -> Vec<super::Cmd> {
        if let Some(session) = self
            .sends
            .get_mut(&picked.request)
            .and_then(|r| r.session.as_mut())
        {
            session.last_message = picked.index;
        }
        if picked.index == picked.saved {
            return vec![super::Cmd::SessionCommand {
                exchange: picked.exchange,
                command: crate::http::websocket::Command::Ping(bytes::Bytes::new()),
            }];
        }
        if picked.index > picked.saved {
            let prompt = super::tree_ops::Prompt::close_session(picked.exchange);
            self.layers.open(super::layers::Layer::Prompt(prompt));
            return Vec::new();
        }
        let message = OutgoingMessage::Saved(picked.index);
        vec![self.message_cmd(&picked.request, picked.exchange, message)]
    }

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

fn kind_name(content: &crate::model::MessageContent) -> &'static str {
    use crate::model::MessageContent as C;
    match content {
        C::Text(_) => "text",
        C::Json(_) => "json",
        C::Hex(_) => "hex",
        C::Base64(_) => "base64",
        C::File(_) => "file",
    }
}
