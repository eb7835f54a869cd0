//! A WebSocket example served: the upgrade answered on yawc's server side (permessage-deflate
//! agreed when offered, as the demo server does), then the example's transcript
//! (`body::transcript`) played frame by frame. A server frame goes out as long after the
//! frame before it as it did when recorded (divided by the mock's `--speed`); a client frame
//! in the transcript is waited for (any message will do: ids and timestamps differ from one
//! run to the next) and the frames after it are timed from its arrival. A server close is
//! sent and its answer awaited; where the recorded client closed, the mock closes with its
//! code unless this client closed first (the frames the server sent after a client's close
//! were in flight, and are not played); a transcript that ends without a close closes with
//! 1000. Pings are answered by yawc while the mock reads.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::SinkExt;
use http::{HeaderValue, header};
use http_body_util::BodyExt;
use yawc::close::CloseCode;
use yawc::{Frame, OpCode, WebSocket};

use super::log::{EventKind, EventSink};
use super::respond::MockBody;
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
        let ended = match session.await {
            Ok(socket) => play(socket, &playback).await,
            Err(err) => format!("the upgrade failed: {err}"),
        };
        let what = format!("{}: WebSocket {ended}", playback.label);
        playback
            .events
            .send(playback.peer, EventKind::Connection { what });
    });
    let (mut parts, _) = response.into_parts();
    if let Some(protocol) = protocol.and_then(|p| HeaderValue::from_str(&p).ok()) {
        parts
            .headers
            .insert(header::SEC_WEBSOCKET_PROTOCOL, protocol);
    }
    let empty = http_body_util::Empty::<Bytes>::new().map_err(|never| match never {});
    Ok(hyper::Response::from_parts(parts, BodyExt::boxed(empty)))
}

/// Plays the transcript on `socket`; says how the session ended.
async fn play<S>(mut socket: WebSocket<S>, playback: &Playback) -> String
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut previous_ms = 0;
    let mut played = 0usize;
    for frame in playback.frames.iter() {
        let gap = frame.ms.saturating_sub(previous_ms);
        previous_ms = frame.ms;
        match (frame.from, &frame.message) {
            (Side::Server, message) => {
                if gap > 0 {
                    let wait = Duration::from_millis(gap).div_f64(playback.speed.max(1e-6));
                    tokio::time::sleep(wait).await;
                }
                let closing = matches!(message, Message::Close(..));
                if socket.send(frame_of(message)).await.is_err() {
                    return format!("ended by the client after {played} frames");
                }
                played += 1;
                if closing {
                    answer_awaited(&mut socket).await;
                    return format!("played {played} frames and closed");
                }
            }
            // The recorded client closed here: this one may close by then; if it has not,
            // the session ends as recorded, by a close from the mock.
            (Side::Client, Message::Close(code, _)) => {
                let wait = Duration::from_millis(gap).div_f64(playback.speed.max(1e-6));
                if tokio::time::timeout(wait, drain(&mut socket)).await.is_ok() {
                    return format!("played {played} frames; the client closed");
                }
                let code = CloseCode::from(code.unwrap_or(1000));
                let _ = socket
                    .send(Frame::close(code, "the transcript ends here"))
                    .await;
                answer_awaited(&mut socket).await;
                return format!("played {played} frames; closed where the recorded client did");
            }
            (Side::Client, _) => match next_message(&mut socket).await {
                Some(()) => played += 1,
                None => return format!("ended by the client after {played} frames"),
            },
        }
    }
    let _ = socket
        .send(Frame::close(CloseCode::Normal, "the transcript ends here"))
        .await;
    answer_awaited(&mut socket).await;
    format!("played {played} frames; the transcript ended")
}

/// Waits for the client's next message; None when it closed or went away first.
async fn next_message<S>(socket: &mut WebSocket<S>) -> Option<()>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    loop {
        let frame = socket.next_frame().await.ok()?;
        match frame.opcode() {
            OpCode::Text | OpCode::Binary => return Some(()),
            OpCode::Close => return None,
            // Pings are answered by yawc; pongs and continuations need nothing.
            _ => {}
        }
    }
}

/// How long a client has to answer the mock's close before the connection is dropped.
const CLOSE_ANSWER: Duration = Duration::from_secs(5);

/// Waits for the client's answer to the mock's close, a while at most.
async fn answer_awaited<S>(socket: &mut WebSocket<S>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let _ = tokio::time::timeout(CLOSE_ANSWER, drain(socket)).await;
}

/// Reads until the client's close (or its going away), so a close is answered in order.
async fn drain<S>(socket: &mut WebSocket<S>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    while let Ok(frame) = socket.next_frame().await {
        if frame.opcode() == OpCode::Close {
            return;
        }
    }
}

fn frame_of(message: &Message) -> Frame {
    match message {
        Message::Text(text) => Frame::text(text.clone()),
        Message::Binary(bytes) => Frame::binary(bytes.clone()),
        Message::Close(Some(code), reason) => Frame::close(CloseCode::from(*code), reason.clone()),
        Message::Close(None, _) => Frame::from((OpCode::Close, Bytes::new())),
    }
}
