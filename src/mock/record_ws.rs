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
use http::{HeaderValue, header};
use http_body_util::BodyExt;
use tokio::sync::mpsc;
use yawc::close::CloseCode;
use yawc::{Frame, OpCode, WebSocket};

use super::log::{EventKind, EventSink};
use super::record::{Recorder, SessionToSave};
use super::respond::{self, MockBody};
use super::table::Table;
use crate::body::transcript::Transcript;
use crate::http::websocket::{Command, Direction, FrameKind, Offer, SessionHandle, close_parts};
use crate::http::{Engine, EngineEvent, ExchangeId, PreparedRequest};

/// Client headers that belong to its own handshake or connection, not sent upstream.
const NOT_FORWARDED: [&str; 10] = [
    "host",
    "connection",
    "upgrade",
    "keep-alive",
    "content-length",
    "accept-encoding",
    "sec-websocket-key",
    "sec-websocket-version",
    "sec-websocket-extensions",
    "x-courier-example",
];

/// How long upstream has to agree to the session.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long either side has to answer a close before the session is given up.
const CLOSE_ANSWER: Duration = Duration::from_secs(5);

/// A handshake to record, and what its session needs while it lasts.
pub struct Recording {
    pub recorder: Arc<Recorder>,
    /// The saved request of this path, when there is one: the example goes there.
    pub existing: Option<(std::path::PathBuf, String)>,
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
    table: &Table,
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
    let existing = table
        .routes
        .iter()
        .find(|route| route.method == "GET" && route.pattern.matches(parts.uri.path()).is_some())
        .map(|route| (route.file.clone(), route.request.clone()));
    let reread = shared.clone();
    let recording = Recording {
        recorder: recorder.clone(),
        existing,
        events: shared.events.clone(),
        peer,
        stopped: shared.stopped.clone(),
        slot,
        // The next handshake is answered by the example just saved.
        on_saved: Box::new(move || super::server::reread_table(&reread)),
    };
    relay(parts, recording).await
}

/// Opens the session upstream, answers the client's handshake, and relays and records the
/// session in a task of its own; a 502 when upstream does not agree.
pub async fn relay(parts: http::request::Parts, recording: Recording) -> hyper::Response<MockBody> {
    let started = Instant::now();
    let path = parts.uri.path().to_owned();
    let failed = |why: String| {
        let what = format!("GET {path}: not recorded: {why}");
        recording
            .events
            .send(recording.peer, EventKind::Connection { what });
        let error = format!("courier mock: upstream: {why}");
        respond::json(502, &serde_json::json!({ "error": error }))
    };
    if let Some(why) = super::record::refused_path(&path) {
        return failed(why);
    }
    let (prepared, offered) = upstream_request(&parts, recording.recorder.upstream());
    let url = prepared.url.clone();
    let offer = Offer {
        subprotocols: offered.clone(),
        deflate: true,
        graphql: None,
    };
    let (events, mut upstream_events) = mpsc::channel(256);
    let upstream = Engine::new().open_websocket(ExchangeId(0), prepared, offer, events);
    let protocol = match agreed(&upstream, &mut upstream_events).await {
        Ok(protocol) => protocol,
        Err(why) => return failed(format!("{url}: {why}")),
    };
    let query = parts
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let mut request = hyper::Request::from_parts(parts, ());
    let options = yawc::Options::default().with_low_latency_compression();
    let (response, session) = match WebSocket::upgrade_with_options(&mut request, options) {
        Ok(upgraded) => upgraded,
        Err(err) => {
            upstream.cancel();
            let error = format!("courier mock: not a WebSocket handshake: {err}");
            return respond::json(400, &serde_json::json!({ "error": error }));
        }
    };
    let to_save = SessionToSave {
        path,
        query,
        offered,
        protocol: protocol.clone(),
        existing: recording.existing.clone(),
        transcript: Vec::new(),
    };
    let upstream = Upstream {
        handle: upstream,
        events: upstream_events,
    };
    tokio::spawn(record_session(
        session, upstream, to_save, recording, started,
    ));
    let (mut parts, _) = response.into_parts();
    if let Some(protocol) = protocol.and_then(|p| HeaderValue::from_str(&p).ok()) {
        parts
            .headers
            .insert(header::SEC_WEBSOCKET_PROTOCOL, protocol);
    }
    let empty = http_body_util::Empty::<Bytes>::new().map_err(|never| match never {});
    hyper::Response::from_parts(parts, BodyExt::boxed(empty))
}

/// The session opened upstream: its handle and its events.
struct Upstream {
    handle: SessionHandle,
    events: mpsc::Receiver<EngineEvent>,
}

/// The same handshake for upstream: its URL under UPSTREAM, the client's headers but its
/// handshake's own; and the subprotocols the client offered.
fn upstream_request(
    parts: &http::request::Parts,
    upstream: &str,
) -> (PreparedRequest, Vec<String>) {
    let offered: Vec<String> = header_value(&parts.headers, header::SEC_WEBSOCKET_PROTOCOL)
        .map(|offered| offered.split(',').map(|p| p.trim().to_owned()).collect())
        .unwrap_or_default();
    let mut url = format!("{upstream}{}", parts.uri.path());
    if let Some(query) = parts.uri.query() {
        url.push('?');
        url.push_str(query);
    }
    let mut prepared = PreparedRequest::new("GET", &url);
    prepared.headers = parts
        .headers
        .iter()
        .filter(|(name, _)| !NOT_FORWARDED.contains(&name.as_str()))
        .filter(|(name, _)| *name != header::SEC_WEBSOCKET_PROTOCOL)
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    (prepared, offered)
}

/// Relays and records the session once the client's upgrade is through; saves it when it
/// ends and logs where (or why not).
async fn record_session(
    session: yawc::UpgradeFut,
    mut upstream: Upstream,
    to_save: SessionToSave,
    recording: Recording,
    started: Instant,
) {
    let commands = upstream.handle.commands();
    let mut stopped = recording.stopped.clone();
    let relayed = async {
        match session.await {
            Ok(client) => relay_frames(client, &commands, &mut upstream.events).await,
            Err(err) => (Transcript::default(), format!("the upgrade failed: {err}")),
        }
    };
    let (transcript, ended) = tokio::select! {
        relayed = relayed => relayed,
        _ = stopped.wait_for(|stopped| *stopped) => {
            (Transcript::default(), "the mock stopped".to_owned())
        }
    };
    upstream.handle.cancel();
    upstream.handle.finished().await;
    let path = to_save.path.clone();
    let saved = match transcript {
        t if t.cut => Err("not saved: the session is past 10 MB of frames".to_owned()),
        t if t.bytes.is_empty() => Err(format!("not saved: {ended}")),
        t => {
            let to_save = SessionToSave {
                transcript: t.bytes,
                ..to_save
            };
            recording.recorder.save_session(to_save).await
        }
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

fn header_value(headers: &http::HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// Waits for upstream to agree to the session, a while at most: the subprotocol it chose,
/// or why not.
async fn agreed(
    upstream: &SessionHandle,
    events: &mut mpsc::Receiver<EngineEvent>,
) -> Result<Option<String>, String> {
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
    let agreed = tokio::time::timeout(HANDSHAKE_TIMEOUT, opened)
        .await
        .unwrap_or_else(|_| {
            Err(format!(
                "no answer to the handshake in {HANDSHAKE_TIMEOUT:?}"
            ))
        });
    if agreed.is_err() {
        upstream.cancel();
    }
    agreed
}

/// Relays frames both ways until either side closes; the session's transcript (every data
/// frame and close, either way, as the engine timed it) and how it ended.
async fn relay_frames<S>(
    mut client: WebSocket<S>,
    upstream: &mpsc::Sender<Command>,
    events: &mut mpsc::Receiver<EngineEvent>,
) -> (Transcript, String)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let mut transcript = Transcript::default();
    let ended = loop {
        tokio::select! {
            read = client.next_frame() => {
                let Ok(frame) = read else {
                    let _ = upstream.send(Command::Close { code: 1001, reason: String::new() }).await;
                    break "the client went away".to_owned();
                };
                let (opcode, _, payload) = frame.into_parts();
                let command = match opcode {
                    OpCode::Text => Command::Text(String::from_utf8_lossy(&payload).into_owned()),
                    OpCode::Binary => Command::Binary(payload),
                    OpCode::Close => {
                        let (code, reason) = close_parts(&payload);
                        let close = Command::Close { code: code.unwrap_or(1000), reason };
                        let _ = upstream.send(close).await;
                        // yawc answers the client's close on this read.
                        let _ = tokio::time::timeout(CLOSE_ANSWER, client.next_frame()).await;
                        upstream_closes(events, &mut transcript).await;
                        break "the client closed".to_owned();
                    }
                    _ => continue,
                };
                if upstream.send(command).await.is_err() {
                    break "upstream went away".to_owned();
                }
            }
            event = events.recv() => {
                let Some(event) = event else { break "upstream went away".to_owned() };
                let EngineEvent::Frame { frame, .. } = event else {
                    if matches!(event, EngineEvent::Closed { .. } | EngineEvent::Failed { .. }) {
                        break "upstream went away".to_owned();
                    }
                    continue;
                };
                keep(&mut transcript, &frame);
                if frame.direction == Direction::Sent {
                    continue;
                }
                let (forwarded, closing) = match frame.kind {
                    FrameKind::Text => (Frame::text(frame.payload.clone()), false),
                    FrameKind::Binary => (Frame::binary(frame.payload.clone()), false),
                    FrameKind::Close => {
                        let (code, reason) = close_parts(&frame.payload);
                        let code = CloseCode::from(code.unwrap_or(1000));
                        (Frame::close(code, reason), true)
                    }
                    FrameKind::Ping | FrameKind::Pong => continue,
                };
                if client.send(forwarded).await.is_err() {
                    break "the client went away".to_owned();
                }
                if closing {
                    // The client's answer to the close upstream sent.
                    let answered = async {
                        while let Ok(frame) = client.next_frame().await {
                            if frame.opcode() == OpCode::Close {
                                break;
                            }
                        }
                    };
                    let _ = tokio::time::timeout(CLOSE_ANSWER, answered).await;
                    upstream_closes(events, &mut transcript).await;
                    break "upstream closed".to_owned();
                }
            }
        }
    };
    (transcript, ended)
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
