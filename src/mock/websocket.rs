//! A WebSocket example served: the upgrade answered on yawc's server side (permessage-deflate
//! agreed when offered, as the demo server does), then the example's transcript
//! (`body::transcript`) played frame by frame. A server frame goes out as long after the
//! frame before it as it did when recorded (divided by the mock's `--speed`); a client frame
//! in the transcript is waited for (any message will do: ids and timestamps differ from one
//! run to the next) and the frames after it are timed from its arrival. A server close is
//! sent and its answer awaited; where the recorded client closed, the mock closes with its
//! code unless this client closed first (the frames the server sent after a client's close
//! were in flight, and are not played); a transcript that ends without a close closes with
//! 1000. The mock reads while it waits to send, so pings are answered, a client's messages
//! that come early count for the transcript's next client frames, and a client's close is
//! answered at once. A session holds a connection slot while it lasts, and ends when the
//! mock stops.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::SinkExt;
use http::{HeaderValue, header};
use http_body_util::BodyExt;
use yawc::close::CloseCode;
use yawc::{Frame, OpCode, WebSocket};

use super::choose::Answer;
use super::log::{EventKind, EventSink};
use super::respond::{MockBody, played_after};
use crate::body::transcript::{Message, Side, TranscriptFrame};

/// Whether a request asks to become a WebSocket (`Upgrade: websocket`).
pub fn is_upgrade(headers: &http::HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case("websocket"))
}

/// A transcript and how to play it.
pub struct Playback {
    pub frames: Arc<[TranscriptFrame]>,
    /// Played this many times faster than recorded.
    pub speed: f64,
    /// The subprotocol the example was recorded with, answered when the client offers it.
    pub protocol: Option<String>,
    /// Where the session's end is logged, and as whose.
    pub events: EventSink,
    pub peer: SocketAddr,
    /// `GET /path`, for the log.
    pub label: String,
    /// The mock stopping ends the session too.
    pub stopped: tokio::sync::watch::Receiver<bool>,
    /// The session holds one of the mock's connection slots while it lasts.
    pub slot: tokio::sync::OwnedSemaphorePermit,
}

/// A WebSocket example's answer: the upgrade, its transcript played on the session; a 426
/// to a request that does not ask for an upgrade.
pub(super) fn answer(
    answer: &Answer<'_>,
    parts: http::request::Parts,
    peer: SocketAddr,
    shared: &super::server::Shared,
) -> hyper::Response<MockBody> {
    let label = format!("{} {}", parts.method, parts.uri.path());
    if !is_upgrade(&parts.headers) {
        let why = format!("{label} is a WebSocket: connect with Upgrade: websocket");
        return super::respond::json(426, &serde_json::json!({ "error": why }));
    }
    let Ok(slot) = shared.slots.clone().try_acquire_owned() else {
        let why = format!(
            "{} connections open already",
            super::server::MAX_CONNECTIONS
        );
        return super::respond::json(503, &serde_json::json!({ "error": why }));
    };
    let playback = super::websocket::Playback {
        frames: answer
            .example
            .transcript
            .clone()
            .unwrap_or_else(|| Arc::from([])),
        speed: shared.speed,
        protocol: answer
            .example
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("sec-websocket-protocol"))
            .map(|(_, value)| value.clone()),
        events: shared.events.clone(),
        peer,
        label,
        stopped: shared.stopped.clone(),
        slot,
    };
    let request = hyper::Request::from_parts(parts, ());
    super::websocket::upgrade(request, playback).unwrap_or_else(|why| {
        super::respond::json(
            400,
            &serde_json::json!({ "error": format!("courier mock: {why}") }),
        )
    })
}

/// Answers the upgrade of `request` and plays `playback` on the session in a task of its
/// own; an error says why the request is no WebSocket handshake.
pub fn upgrade<B>(
    mut request: http::Request<B>,
    playback: Playback,
) -> Result<hyper::Response<MockBody>, String> {
    let offered: Vec<String> = request
        .headers()
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|value| value.to_str().ok())
        .map(|offered| offered.split(',').map(|p| p.trim().to_owned()).collect())
        .unwrap_or_default();
    let protocol = match &playback.protocol {
        Some(recorded) if offered.contains(recorded) => Some(recorded.clone()),
        _ => offered.into_iter().next(),
    };
    let options = yawc::Options::default().with_low_latency_compression();
    let (response, session) = WebSocket::upgrade_with_options(&mut request, options)
        .map_err(|err| format!("not a WebSocket handshake: {err}"))?;
    tokio::spawn(async move {
        let mut stopped = playback.stopped.clone();
        let played = async {
            match session.await {
                Ok(socket) => play(socket, &playback).await,
                Err(err) => format!("the upgrade failed: {err}"),
            }
        };
        let ended = tokio::select! {
            ended = played => ended,
            _ = stopped.wait_for(|stopped| *stopped) => "ended: the mock stopped".to_owned(),
        };
        let what = format!("{}: WebSocket {ended}", playback.label);
        playback
            .events
            .send(playback.peer, EventKind::Connection { what });
    });
    Ok(handshake_answer(response, protocol))
}

/// yawc's answer to a handshake as the mock's, saying the subprotocol chosen.
pub(super) fn handshake_answer(
    response: yawc::HttpResponse,
    protocol: Option<String>,
) -> hyper::Response<MockBody> {
    let (mut parts, _) = response.into_parts();
    if let Some(protocol) = protocol.and_then(|p| HeaderValue::from_str(&p).ok()) {
        parts
            .headers
            .insert(header::SEC_WEBSOCKET_PROTOCOL, protocol);
    }
    let empty = http_body_util::Empty::<Bytes>::new().map_err(|never| match never {});
    hyper::Response::from_parts(parts, BodyExt::boxed(empty))
}

/// A session being played: the socket, and what the client has said that the transcript
/// has not asked for yet.
struct Player<S> {
    socket: WebSocket<S>,
    /// Client messages that came while the mock waited to send: the transcript's next client
    /// frames are taken from these first.
    early: usize,
    /// The client has closed (its close answered), or gone.
    closed: bool,
    /// The mock has sent its close: the client's next close is its answer, not one to
    /// answer.
    closing: bool,
}

/// Plays the transcript on `socket`; says how the session ended.
async fn play<S>(socket: WebSocket<S>, playback: &Playback) -> String
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut player = Player {
        socket,
        early: 0,
        closed: false,
        closing: false,
    };
    let mut previous_ms = 0;
    let mut played = 0usize;
    let client_closed = |played| format!("ended by the client after {played} frames");
    for frame in playback.frames.iter() {
        let wait = played_after(frame.ms.saturating_sub(previous_ms), playback.speed);
        previous_ms = frame.ms;
        match (frame.from, &frame.message) {
            (Side::Server, message) => {
                if !player.wait(wait).await {
                    return client_closed(played);
                }
                let closing = matches!(message, Message::Close(..));
                player.closing = closing;
                if player.socket.send(frame_of(message)).await.is_err() {
                    return client_closed(played);
                }
                played += 1;
                if closing {
                    player.answer_awaited().await;
                    return format!("played {played} frames and closed");
                }
            }
            // The recorded client closed here: this one may close by then; if it has not,
            // the session ends as recorded, by a close from the mock.
            (Side::Client, Message::Close(code, _)) => {
                if !player.wait(wait).await {
                    return format!("played {played} frames; the client closed");
                }
                let code = CloseCode::from(code.unwrap_or(1000));
                let close = Frame::close(code, "the transcript ends here");
                player.closing = true;
                let _ = player.socket.send(close).await;
                player.answer_awaited().await;
                return format!("played {played} frames; closed where the recorded client did");
            }
            (Side::Client, _) => match player.next_message().await {
                true => played += 1,
                false => return client_closed(played),
            },
        }
    }
    if player.closed {
        return client_closed(played);
    }
    player.closing = true;
    let _ = player
        .socket
        .send(Frame::close(CloseCode::Normal, "the transcript ends here"))
        .await;
    player.answer_awaited().await;
    format!("played {played} frames; the transcript ended")
}

/// How long a client has to answer the mock's close before the connection is dropped.
const CLOSE_ANSWER: Duration = Duration::from_secs(5);

impl<S> Player<S>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    /// Waits `wait`, reading what the client sends meanwhile (pings answered, messages kept
    /// for the transcript's client frames); false when the client closed or went away.
    async fn wait(&mut self, wait: Duration) -> bool {
        // Frames recorded in the same millisecond go out together, as they came.
        if wait.is_zero() {
            return !self.closed;
        }
        let deadline = tokio::time::Instant::now() + wait;
        while !self.closed {
            tokio::select! {
                _ = tokio::time::sleep_until(deadline) => return true,
                read = self.socket.next_frame() => self.take(read).await,
            }
        }
        false
    }

    /// Waits for the client's next message; false when it closed or went away first.
    async fn next_message(&mut self) -> bool {
        while self.early == 0 && !self.closed {
            let read = self.socket.next_frame().await;
            self.take(read).await;
        }
        if self.early > 0 {
            self.early -= 1;
            return true;
        }
        false
    }

    /// Waits for the client's answer to the mock's close, a while at most.
    async fn answer_awaited(&mut self) {
        let answered = async {
            while !self.closed {
                let read = self.socket.next_frame().await;
                self.take(read).await;
            }
        };
        let _ = tokio::time::timeout(CLOSE_ANSWER, answered).await;
    }

    /// Takes in what the client sent. yawc answers a close (or a protocol error, with 1002)
    /// by itself, on the next read: that read is made here, so the answer goes out before the
    /// connection is dropped; not when the close answers the mock's own.
    async fn take(&mut self, read: yawc::Result<Frame>) {
        match read.map(|frame| frame.opcode()) {
            Ok(OpCode::Text | OpCode::Binary) => self.early += 1,
            // Pings are answered by yawc; pongs and continuations need nothing.
            Ok(OpCode::Ping | OpCode::Pong | OpCode::Continuation) => {}
            Ok(OpCode::Close) | Err(_) => {
                if !self.closing {
                    let _ = tokio::time::timeout(CLOSE_ANSWER, self.socket.next_frame()).await;
                }
                self.closed = true;
            }
        }
    }
}

fn frame_of(message: &Message) -> Frame {
    match message {
        Message::Text(text) => Frame::text(text.clone()),
        Message::Binary(bytes) => Frame::binary(bytes.clone()),
        Message::Close(Some(code), reason) => {
            // A control frame's payload is 125 bytes at most: the code and 123 of reason.
            let mut end = reason.len().min(123);
            while !reason.is_char_boundary(end) {
                end -= 1;
            }
            Frame::close(CloseCode::from(*code), &reason[..end])
        }
        Message::Close(None, _) => Frame::from((OpCode::Close, Bytes::new())),
    }
}
