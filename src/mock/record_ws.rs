//! `--record` for a WebSocket handshake no example answers: the mock opens the same session
//! upstream on Courier's engine (the client's headers, its offered subprotocols,
//! permessage-deflate), answers the client's handshake with the subprotocol upstream chose,
//! then relays frames both ways as they come and keeps each in a transcript
//! (`body::transcript`, timed by the engine from the session's opening). When either side
//! closes, the transcript is saved as a 101 example of the request, the way an HTTP answer
//! is saved, and served from then on (a session the mock's stopping cuts is not saved).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::SinkExt;
use http::header;
use tokio::sync::mpsc;
use yawc::close::CloseCode;
use yawc::{Frame, OpCode, WebSocket};

use super::log::{EventKind, EventSink};
use super::record::{Recorder, SessionToSave};
use super::respond::{self, MockBody};
use crate::body::transcript::Transcript;
use crate::http::websocket::{Command, Direction, FrameKind, Offer, SessionHandle, close_parts};
use crate::http::{Engine, EngineEvent, ExchangeId, PreparedRequest};

/// Client headers that belong to its own handshake or connection, not sent upstream.
const NOT_FORWARDED: [&str; 16] = [
    "host",
    "connection",
    "upgrade",
    "keep-alive",
    "proxy-connection",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "content-length",
    "accept-encoding",
    "sec-websocket-key",
    "sec-websocket-version",
    "sec-websocket-extensions",
    "sec-websocket-protocol",
    "x-courier-example",
];

/// How long upstream has to agree to the session.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long either side has to answer a close before the session is given up.
const CLOSE_ANSWER: Duration = Duration::from_secs(5);
/// How long a client may take to read a message before it counts as gone.
const CLIENT_STALL: Duration = Duration::from_secs(30);

/// A handshake to record, and what its session needs while it lasts.
pub struct Recording {
    pub recorder: Arc<Recorder>,
    pub events: EventSink,
    pub peer: SocketAddr,
    pub stopped: tokio::sync::watch::Receiver<bool>,
    /// The session holds one of the mock's connection slots while it lasts.
    pub slot: tokio::sync::OwnedSemaphorePermit,
    /// Called (on a blocking thread) once the session is saved.
    pub on_saved: Box<dyn FnOnce() + Send>,
}

/// A WebSocket handshake nothing answers, relayed upstream and its session recorded
/// (`record_ws`).
pub(super) async fn recorded_session(
    parts: http::request::Parts,
    peer: SocketAddr,
    shared: &Arc<super::server::Shared>,
) -> hyper::Response<MockBody> {
    let (Some(recorder), Ok(slot)) = (&shared.recorder, shared.slots.clone().try_acquire_owned())
    else {
        let why = format!(
            "{} connections open already",
            super::server::MAX_CONNECTIONS
        );
        return respond::json(503, &serde_json::json!({ "error": why }));
    };
    // The saved request the example goes to is looked up when the session is saved: the
    // collection may change while it lasts.
    let reread = shared.clone();
    let recording = Recording {
        recorder: recorder.clone(),
        events: shared.events.clone(),
        peer,
        stopped: shared.stopped.clone(),
        slot,
        // The next handshake is answered by the example just saved.
        on_saved: Box::new(move || super::server::reread_table(&reread)),
    };
    relay(parts, recording).await
}

/// Checks the client's handshake, opens the session upstream, answers the client, and
/// relays and records the session in a task of its own; a 502 when upstream does not agree.
pub async fn relay(parts: http::request::Parts, recording: Recording) -> hyper::Response<MockBody> {
    let started = Instant::now();
    let path = parts.uri.path().to_owned();
    let failed = |status: u16, why: String| {
        let what = format!("GET {path}: not recorded: {why}");
        recording
            .events
            .send(recording.peer, EventKind::Connection { what });
        let error = format!("courier mock: {why}");
        respond::json(status, &serde_json::json!({ "error": error }))
    };
    if parts.method != http::Method::GET {
        return failed(
            400,
            format!("a WebSocket handshake is a GET, not {}", parts.method),
        );
    }
    if let Some(why) = super::record::refused_path(&path) {
        return failed(502, why);
    }
    let (prepared, offered) = upstream_request(&parts, recording.recorder.upstream());
    let url = prepared.url.clone();
    let query = parts
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    // The client's handshake first: a bad one costs no upstream session.
    let mut request = hyper::Request::from_parts(parts, ());
    let (response, session) = match WebSocket::upgrade_with_options(&mut request, client_options())
    {
        Ok(upgraded) => upgraded,
        Err(err) => return failed(400, format!("not a WebSocket handshake: {err}")),
    };
    let offer = Offer {
        subprotocols: offered.clone(),
        deflate: true,
        graphql: None,
    };
    let (events, upstream_events) = mpsc::channel(256);
    let mut upstream = Upstream {
        handle: Some(Engine::new().open_websocket(ExchangeId(0), prepared, offer, events)),
        events: upstream_events,
    };
    let protocol = match upstream.agreed().await {
        Ok(protocol) => protocol,
        Err(why) => return failed(502, format!("upstream: {url}: {why}")),
    };
    let to_save = SessionToSave {
        path,
        query,
        offered,
        protocol: protocol.clone(),
        existing: None,
        transcript: Vec::new(),
    };
    tokio::spawn(record_session(
        session, upstream, to_save, recording, started,
    ));
    super::websocket::handshake_answer(response, protocol)
}

/// The client's side as the engine takes upstream's: deflate, and messages up to the
/// engine's limit.
fn client_options() -> yawc::Options {
    use crate::http::websocket::MESSAGE_LIMIT;
    yawc::Options::default()
        .with_low_latency_compression()
        .with_max_payload_read(MESSAGE_LIMIT)
        .with_max_read_buffer(MESSAGE_LIMIT)
}

/// The session opened upstream: its handle and its events. Dropped, it ends the session
/// (a handshake given up on must not leave one open upstream).
struct Upstream {
    handle: Option<SessionHandle>,
    events: mpsc::Receiver<EngineEvent>,
}

impl Drop for Upstream {
    fn drop(&mut self) {
        if let Some(handle) = &self.handle {
            handle.cancel();
        }
    }
}

impl Upstream {
    /// Waits for upstream to agree to the session, a while at most: the subprotocol it
    /// chose, or why not.
    async fn agreed(&mut self) -> Result<Option<String>, String> {
        let events = &mut self.events;
        let opened = async {
            while let Some(event) = events.recv().await {
                match event {
                    EngineEvent::Opened { opened, .. } => return Ok(opened.protocol),
                    EngineEvent::Failed { failure, .. } => return Err(failure.message),
                    EngineEvent::Done { .. } => break,
                    _ => {}
                }
            }
            Err("it ended before the session".to_owned())
        };
        tokio::time::timeout(HANDSHAKE_TIMEOUT, opened)
            .await
            .unwrap_or_else(|_| {
                Err(format!(
                    "no answer to the handshake in {HANDSHAKE_TIMEOUT:?}"
                ))
            })
    }

    /// Ends the session upstream and waits for its task; its events are let go first, so a
    /// task waiting to hand one over is not kept waiting.
    async fn end(mut self) {
        let handle = self.handle.take();
        self.events.close();
        if let Some(handle) = handle {
            handle.cancel();
            handle.finished().await;
        }
    }
}

/// The same handshake for upstream: its URL under UPSTREAM, the client's headers but its
/// handshake's and connection's own; and the subprotocols the client offered.
fn upstream_request(
    parts: &http::request::Parts,
    upstream: &str,
) -> (PreparedRequest, Vec<String>) {
    let offered: Vec<String> = parts
        .headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|protocol| protocol.trim().to_owned())
        .filter(|protocol| !protocol.is_empty())
        .collect();
    // Headers the client's `Connection` names are the connection's, not the request's.
    let named: Vec<String> = parts
        .headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    let mut url = format!("{upstream}{}", parts.uri.path());
    if let Some(query) = parts.uri.query() {
        url.push('?');
        url.push_str(query);
    }
    let mut prepared = PreparedRequest::new("GET", &url);
    prepared.headers = parts
        .headers
        .iter()
        .filter(|(name, _)| {
            let name = name.as_str();
            !NOT_FORWARDED.contains(&name) && !named.iter().any(|n| n == name)
        })
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    (prepared, offered)
}

/// Relays and records the session once the client's upgrade is through; saves it when a
/// side closed it, and logs where (or why not).
async fn record_session(
    session: yawc::UpgradeFut,
    mut upstream: Upstream,
    to_save: SessionToSave,
    recording: Recording,
    started: Instant,
) {
    let mut stopped = recording.stopped.clone();
    let relay = async {
        let commands = match &upstream.handle {
            Some(handle) => handle.commands(),
            None => return Relayed::broken("upstream went away"),
        };
        match session.await {
            Ok(client) => relay_frames(client, &commands, &mut upstream.events).await,
            Err(err) => Relayed::broken(&format!("the upgrade failed: {err}")),
        }
    };
    let relayed = tokio::select! {
        relayed = relay => relayed,
        _ = stopped.wait_for(|stopped| *stopped) => Relayed::broken("the mock stopped"),
    };
    upstream.end().await;
    let path = to_save.path.clone();
    let transcript = relayed.transcript;
    let saved = if !relayed.closed {
        Err(format!("not saved: {} before a close", relayed.ended))
    } else if transcript.cut {
        Err("not saved: the session is past 10 MB of frames".to_owned())
    } else {
        let to_save = SessionToSave {
            transcript: transcript.bytes,
            ..to_save
        };
        recording.recorder.save_session(to_save).await
    };
    if saved.is_ok() {
        let _ = tokio::task::spawn_blocking(recording.on_saved).await;
    }
    let event = EventKind::Recorded {
        method: "GET".to_owned(),
        path,
        status: 101,
        saved,
        took: started.elapsed(),
    };
    recording.events.send(recording.peer, event);
}

/// What relaying a session came to.
struct Relayed {
    transcript: Transcript,
    /// How it ended, for the log.
    ended: String,
    /// A side closed it with a close frame: a whole session, worth saving.
    closed: bool,
}

impl Relayed {
    fn broken(why: &str) -> Relayed {
        Relayed {
            transcript: Transcript::default(),
            ended: why.to_owned(),
            closed: false,
        }
    }
}

/// Relays frames both ways until a side closes or goes. The engine is never awaited while
/// its events wait: a client message goes upstream only when the command channel has room,
/// and the events are read meanwhile (each relayed message is an event too).
async fn relay_frames<S>(
    mut client: WebSocket<S>,
    upstream: &mpsc::Sender<Command>,
    events: &mut mpsc::Receiver<EngineEvent>,
) -> Relayed
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut transcript = Transcript::default();
    let mut pending: Option<Command> = None;
    // Upstream stopped taking messages: its events say how it ended.
    let mut upstream_done = false;
    let (ended, closed) = loop {
        tokio::select! {
            read = client.next_frame(), if pending.is_none() && !upstream_done => {
                match from_client(read) {
                    FromClient::Message(command) => pending = Some(command),
                    FromClient::Nothing => {}
                    FromClient::Close(code, reason) => {
                        let close = Command::Close { code, reason };
                        // yawc answers the client's close on this read.
                        let _ = tokio::time::timeout(CLOSE_ANSWER, client.next_frame()).await;
                        let sent = send_draining(upstream, close, events, &mut transcript).await;
                        upstream_closes(events, &mut transcript).await;
                        break ("the client closed".to_owned(), sent);
                    }
                    FromClient::Gone => {
                        // yawc's own close (a protocol error's) goes out on this read.
                        let _ = tokio::time::timeout(CLOSE_ANSWER, client.next_frame()).await;
                        going_away(upstream, events, &mut transcript).await;
                        break ("the client went away".to_owned(), false);
                    }
                }
            },
            permit = upstream.reserve(), if pending.is_some() && !upstream_done => {
                match (permit, pending.take()) {
                    (Ok(permit), Some(command)) => permit.send(command),
                    _ => upstream_done = true,
                }
            },
            event = events.recv() => match to_client(event, &mut transcript) {
                ToClient::Frame(frame) => {
                    if !send_client(&mut client, frame, CLIENT_STALL).await {
                        going_away(upstream, events, &mut transcript).await;
                        break ("the client went away".to_owned(), false);
                    }
                }
                ToClient::Nothing => {}
                ToClient::Close(frame) => {
                    send_client(&mut client, frame, CLOSE_ANSWER).await;
                    client_answers(&mut client).await;
                    upstream_closes(events, &mut transcript).await;
                    break ("upstream closed".to_owned(), true);
                }
                ToClient::Gone => {
                    let close = Frame::close(CloseCode::Error, "upstream went away");
                    send_client(&mut client, close, CLOSE_ANSWER).await;
                    client_answers(&mut client).await;
                    break ("upstream went away".to_owned(), false);
                }
            },
        }
    };
    Relayed {
        transcript,
        ended,
        closed,
    }
}

/// What a read from the client comes to.
enum FromClient {
    Message(Command),
    Close(u16, String),
    /// A ping or pong (yawc answers pings).
    Nothing,
    /// The connection broke, or the client broke the protocol.
    Gone,
}

fn from_client(read: yawc::Result<Frame>) -> FromClient {
    let Ok(frame) = read else {
        return FromClient::Gone;
    };
    let (opcode, _, payload) = frame.into_parts();
    match opcode {
        OpCode::Text => FromClient::Message(Command::Text(
            String::from_utf8_lossy(&payload).into_owned(),
        )),
        OpCode::Binary => FromClient::Message(Command::Binary(payload)),
        OpCode::Close => {
            let (code, reason) = close_parts(&payload);
            FromClient::Close(code.unwrap_or(1000), reason)
        }
        _ => FromClient::Nothing,
    }
}

/// What an event from upstream comes to for the client (each frame either way kept in the
/// transcript first).
enum ToClient {
    Frame(Frame),
    Close(Frame),
    Nothing,
    /// The session ended upstream without a close frame.
    Gone,
}

fn to_client(event: Option<EngineEvent>, transcript: &mut Transcript) -> ToClient {
    let frame = match event {
        Some(EngineEvent::Frame { frame, .. }) => frame,
        Some(
            EngineEvent::Closed { .. } | EngineEvent::Failed { .. } | EngineEvent::Done { .. },
        )
        | None => return ToClient::Gone,
        Some(_) => return ToClient::Nothing,
    };
    keep(transcript, &frame);
    if frame.direction == Direction::Sent {
        return ToClient::Nothing;
    }
    match frame.kind {
        FrameKind::Text => ToClient::Frame(Frame::text(frame.payload.clone())),
        FrameKind::Binary => ToClient::Frame(Frame::binary(frame.payload.clone())),
        FrameKind::Close => {
            let (code, reason) = close_parts(&frame.payload);
            ToClient::Close(match code {
                Some(code) => Frame::close(CloseCode::from(code), reason),
                None => Frame::from((OpCode::Close, Bytes::new())),
            })
        }
        FrameKind::Ping | FrameKind::Pong => ToClient::Nothing,
    }
}

/// Sends `frame` to the client within `limit`; false when it is gone or stopped reading.
async fn send_client<S>(client: &mut WebSocket<S>, frame: Frame, limit: Duration) -> bool
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    matches!(
        tokio::time::timeout(limit, client.send(frame)).await,
        Ok(Ok(()))
    )
}

/// Tells upstream the client went away (1001), and takes in its answer.
async fn going_away(
    upstream: &mpsc::Sender<Command>,
    events: &mut mpsc::Receiver<EngineEvent>,
    transcript: &mut Transcript,
) {
    let close = Command::Close {
        code: 1001,
        reason: String::new(),
    };
    if send_draining(upstream, close, events, transcript).await {
        upstream_closes(events, transcript).await;
    }
}

/// Sends `command` upstream, reading its events into the transcript meanwhile (a while at
/// most); whether it went.
async fn send_draining(
    upstream: &mpsc::Sender<Command>,
    command: Command,
    events: &mut mpsc::Receiver<EngineEvent>,
    transcript: &mut Transcript,
) -> bool {
    let send = upstream.send(command);
    tokio::pin!(send);
    let deadline = tokio::time::sleep(CLOSE_ANSWER);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            sent = &mut send => return sent.is_ok(),
            event = events.recv() => match event {
                Some(EngineEvent::Frame { frame, .. }) => keep(transcript, &frame),
                Some(_) => {}
                None => return false,
            },
            _ = &mut deadline => return false,
        }
    }
}

/// Waits for the client's answer to a close, a while at most.
async fn client_answers<S>(client: &mut WebSocket<S>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let answered = async {
        while let Ok(frame) = client.next_frame().await {
            if frame.opcode() == OpCode::Close {
                return;
            }
        }
    };
    let _ = tokio::time::timeout(CLOSE_ANSWER, answered).await;
}

/// Takes upstream's last events (its answer to a close, the frames before it) into the
/// transcript, a while at most.
async fn upstream_closes(events: &mut mpsc::Receiver<EngineEvent>, transcript: &mut Transcript) {
    let rest = async {
        while let Some(event) = events.recv().await {
            match event {
                EngineEvent::Frame { frame, .. } => keep(transcript, &frame),
                EngineEvent::Closed { .. } | EngineEvent::Failed { .. } => return,
                _ => {}
            }
        }
    };
    let _ = tokio::time::timeout(CLOSE_ANSWER, rest).await;
}

fn keep(transcript: &mut Transcript, frame: &crate::http::websocket::Frame) {
    if let Some(line) = crate::http::websocket::transcript_frame(frame) {
        transcript.push(&line);
    }
}
