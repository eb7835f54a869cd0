//! One session after its handshake: every frame that arrives is checked and reported, every
//! command is sent and reported, and the closing handshake is seen through (waiting at most
//! [`CLOSE_WAIT`] for the other side's close). yawc answers pings and echoes a server's close
//! by itself; the session reports both.

use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::sync::mpsc;
use yawc::close::CloseCode;
use yawc::{OpCode, Role, WebSocket};

use super::super::events::{EngineEvent, ExchangeId, Failure, FailureKind, Summary, Timing};
use super::super::exchange::failure;
use super::super::prepare::PreparedRequest;
use super::graphql::{self, ServerMessage};
use super::handshake::{self, Offer};
use super::tap::{Headers, Tapped};
use super::{CLOSE_WAIT, Close, Command, Direction, Frame, FrameKind, MESSAGE_LIMIT};

type Socket = WebSocket<Tapped<reqwest::Upgraded>>;

/// Runs the session; its events (all but the final `Done`/`Failed`) go to `events`.
pub async fn run(
    id: ExchangeId,
    client: &reqwest::Client,
    request: PreparedRequest,
    offer: Offer,
    events: &mpsc::Sender<EngineEvent>,
    commands: mpsc::Receiver<Command>,
) -> Result<Summary, Failure> {
    let shaken = handshake::shake(id, client, &request, &offer, events).await?;
    let handshake_time = shaken.started.elapsed();
    let extensions = shaken.opened.extensions.clone();
    let _ = events
        .send(EngineEvent::Opened {
            id,
            opened: shaken.opened,
        })
        .await;
    let graphql = offer.graphql.clone();
    let tapped = Tapped::new(shaken.upgraded);
    let (received, sent) = (tapped.received.clone(), tapped.sent.clone());
    let read_bytes = tapped.read_bytes.clone();
    let mut options = yawc::Options::default()
        .with_max_payload_read(MESSAGE_LIMIT)
        .with_max_read_buffer(MESSAGE_LIMIT);
    if offer.deflate {
        options = options.with_low_latency_compression();
    }
    let socket = WebSocket::from_stream_with_extensions(
        tapped,
        Role::Client,
        extensions.as_deref(),
        options,
    )
    .map_err(|err| {
        failure(
            FailureKind::Protocol,
            format!("the session cannot start: {err}"),
        )
    })?;
    let mut session = Session {
        id,
        socket,
        events,
        received,
        sent,
        opened_at: Instant::now(),
        closing_since: None,
        close_seen: false,
        bytes_in: 0,
        graphql,
    };
    if session.graphql.is_some() {
        session
            .send(Command::Text(graphql::connection_init()))
            .await?;
    }
    let outcome = session.drive(commands).await;
    let total = shaken.started.elapsed();
    outcome.map(|()| Summary {
        wire_bytes: read_bytes.load(std::sync::atomic::Ordering::Relaxed),
        body_bytes: session.bytes_in,
        timing: Timing {
            first_byte: handshake_time,
            download: total.saturating_sub(handshake_time),
            total,
            ..Timing::default()
        },
    })
}

struct Session<'a> {
    id: ExchangeId,
    socket: Socket,
    events: &'a mpsc::Sender<EngineEvent>,
    received: Headers,
    sent: Headers,
    opened_at: Instant,
    /// When this side sent its close frame.
    closing_since: Option<Instant>,
    /// A close frame came from the server.
    close_seen: bool,
    /// Message bytes received (inflated).
    bytes_in: u64,
    /// A GraphQL subscription's body, to subscribe with once the server acknowledges.
    graphql: Option<bytes::Bytes>,
}

/// Whether the session goes on after a frame.
#[derive(PartialEq, Eq)]
enum Flow {
    Going,
    Ended,
}

impl Session<'_> {
    async fn drive(&mut self, commands: mpsc::Receiver<Command>) -> Result<(), Failure> {
        let mut commands = Some(commands);
        loop {
            let close_deadline = self.closing_since.map(|since| since + CLOSE_WAIT);
            tokio::select! {
                frame = self.socket.next_frame() => {
                    let frame = frame.map_err(|err| self.broken(err));
                    if self.take(frame?).await? == Flow::Ended {
                        return self.finish_closing().await;
                    }
                }
                command = next_command(&mut commands), if commands.is_some() && self.closing_since.is_none() => {
                    match command {
                        Some(command) => self.send(command).await?,
                        // The opener let go: the session goes on until a close.
                        None => commands = None,
                    }
                }
                _ = sleep_until(close_deadline), if close_deadline.is_some() => {
                    // The server never answered this side's close.
                    return Ok(());
                }
            }
        }
    }

    /// Reports a frame from the server; a close ends the session.
    async fn take(&mut self, frame: yawc::Frame) -> Result<Flow, Failure> {
        let (opcode, _, payload) = frame.into_parts();
        let kind = match opcode {
            OpCode::Text => FrameKind::Text,
            OpCode::Binary => FrameKind::Binary,
            OpCode::Ping => FrameKind::Ping,
            OpCode::Pong => FrameKind::Pong,
            OpCode::Close => FrameKind::Close,
            OpCode::Continuation => FrameKind::Binary,
        };
        let control = matches!(kind, FrameKind::Ping | FrameKind::Pong | FrameKind::Close);
        let seen = self.received.take(control);
        if kind == FrameKind::Text
            && let Err(err) = std::str::from_utf8(&payload)
        {
            self.close_quietly(CloseCode::Invalid, "text frame not UTF-8")
                .await;
            return Err(failure(
                FailureKind::Protocol,
                format!(
                    "the server sent a text message that is not UTF-8: byte {} of {} ({err})",
                    err.valid_up_to(),
                    payload.len()
                ),
            ));
        }
        if !control {
            self.bytes_in += payload.len() as u64;
        }
        let close = (kind == FrameKind::Close).then(|| super::close_parts(&payload));
        let text = (kind == FrameKind::Text && self.graphql.is_some())
            .then(|| String::from_utf8_lossy(&payload).into_owned());
        self.report(Frame {
            direction: Direction::Received,
            at: self.opened_at.elapsed(),
            kind,
            payload: payload.clone(),
            compressed: seen.compressed,
            wire_len: seen.wire_len,
        })
        .await?;
        if let Some(text) = text {
            self.graphql_message(&text).await?;
        }
        let Some((code, reason)) = close else {
            return Ok(Flow::Going);
        };
        self.close_seen = true;
        let initiated_by = if self.closing_since.is_some() {
            Direction::Sent
        } else {
            // yawc answers with the same code; that answer is this side's close frame.
            self.report(control_frame(FrameKind::Close, payload, self.opened_at))
                .await?;
            Direction::Received
        };
        let close = Close {
            code,
            reason,
            initiated_by,
        };
        self.tell(EngineEvent::Closed { id: self.id, close })
            .await?;
        Ok(Flow::Ended)
    }

    /// A graphql-transport-ws message from the server: subscribe once acknowledged, each
    /// result a line of the body, `complete` a normal close, `error` the session's failure.
    async fn graphql_message(&mut self, text: &str) -> Result<(), Failure> {
        let Some(payload) = self.graphql.clone() else {
            return Ok(());
        };
        let protocol = |message: String| failure(FailureKind::Protocol, message);
        match graphql::read(text) {
            Ok(ServerMessage::Ack) => {
                let subscribe = graphql::subscribe(&payload).map_err(protocol)?;
                self.send(Command::Text(subscribe)).await
            }
            Ok(ServerMessage::Next(line)) => {
                let id = self.id;
                self.tell(EngineEvent::Chunk { id, bytes: line }).await
            }
            Ok(ServerMessage::Complete) => {
                let close = Command::Close {
                    code: 1000,
                    reason: "complete".to_owned(),
                };
                self.send(close).await
            }
            Ok(ServerMessage::Ping) => self.send(Command::Text(graphql::pong())).await,
            Ok(ServerMessage::Other) => Ok(()),
            Ok(ServerMessage::Error(errors)) => {
                self.close_quietly(CloseCode::Normal, "subscription failed")
                    .await;
                Err(protocol(format!("the subscription failed: {errors}")))
            }
            Err(message) => {
                self.close_quietly(CloseCode::Protocol, "not graphql-transport-ws")
                    .await;
                Err(protocol(message))
            }
        }
    }

    /// After the close frames crossed: lets yawc send its answer and the server end the
    /// connection, for at most [`CLOSE_WAIT`].
    async fn finish_closing(&mut self) -> Result<(), Failure> {
        let drained = async { while self.socket.next_frame().await.is_ok() {} };
        let _ = tokio::time::timeout(CLOSE_WAIT, drained).await;
        Ok(())
    }

    async fn send(&mut self, command: Command) -> Result<(), Failure> {
        use futures_util::SinkExt;
        let (frame, kind) = match command {
            Command::Text(text) => (yawc::Frame::text(text), FrameKind::Text),
            Command::Binary(bytes) => (yawc::Frame::binary(bytes), FrameKind::Binary),
            Command::Ping(bytes) => (yawc::Frame::ping(bytes), FrameKind::Ping),
            Command::Close { code, reason } => (
                yawc::Frame::close(CloseCode::from(code), reason),
                FrameKind::Close,
            ),
        };
        let payload = frame.payload().clone();
        self.socket
            .send(frame)
            .await
            .map_err(|err| self.broken(err))?;
        let frame = if matches!(kind, FrameKind::Text | FrameKind::Binary) {
            let seen = self.sent.take(false);
            Frame {
                direction: Direction::Sent,
                at: self.opened_at.elapsed(),
                kind,
                payload,
                compressed: seen.compressed,
                wire_len: seen.wire_len,
            }
        } else {
            control_frame(kind, payload, self.opened_at)
        };
        if kind == FrameKind::Close {
            self.closing_since = Some(Instant::now());
        }
        self.report(frame).await
    }

    /// Sends a close without waiting for anything: the session is failing anyway.
    async fn close_quietly(&mut self, code: CloseCode, reason: &str) {
        use futures_util::SinkExt;
        let closing = self.socket.send(yawc::Frame::close(code, reason));
        let _ = tokio::time::timeout(Duration::from_millis(200), closing).await;
    }

    /// What a codec error means for the person watching.
    fn broken(&self, err: yawc::WebSocketError) -> Failure {
        use yawc::WebSocketError as E;
        match err {
            E::ConnectionClosed if self.close_seen => {
                failure(FailureKind::Dropped, "the connection is closed")
            }
            E::ConnectionClosed | E::IoError(_) => failure(
                FailureKind::Dropped,
                format!(
                    "the connection ended without a close frame{}",
                    match err {
                        E::IoError(io) => format!(" ({io})"),
                        _ => String::new(),
                    }
                ),
            ),
            E::FrameTooLarge => failure(
                FailureKind::Protocol,
                format!(
                    "the server sent a message larger than the limit of {} MiB",
                    MESSAGE_LIMIT >> 20
                ),
            ),
            other => failure(
                FailureKind::Protocol,
                format!("the server broke the WebSocket protocol: {other}"),
            ),
        }
    }

    async fn report(&mut self, frame: Frame) -> Result<(), Failure> {
        self.tell(EngineEvent::Frame { id: self.id, frame }).await
    }

    async fn tell(&mut self, event: EngineEvent) -> Result<(), Failure> {
        self.events
            .send(event)
            .await
            .map_err(|_| failure(FailureKind::Cancelled, "nobody is listening to the session"))
    }
}

/// A control frame this side sent (its wire size is fixed: a masked header and the payload).
fn control_frame(kind: FrameKind, payload: Bytes, opened_at: Instant) -> Frame {
    Frame {
        direction: Direction::Sent,
        at: opened_at.elapsed(),
        kind,
        wire_len: 6 + payload.len() as u64,
        payload,
        compressed: false,
    }
}

async fn next_command(commands: &mut Option<mpsc::Receiver<Command>>) -> Option<Command> {
    match commands {
        Some(commands) => commands.recv().await,
        None => std::future::pending().await,
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        None => std::future::pending().await,
    }
}
