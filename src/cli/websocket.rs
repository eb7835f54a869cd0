//! `courier send ws://…` (or a saved WebSocket request): opens the session, sends the
//! `--message`s in order once it is open, and prints what arrives as it arrives: a text
//! message as a line, a binary one as hex, or with `--json` one JSON object per frame either
//! way. `--until` says when to stop: after N messages, when the server closes, or on the
//! first JSON message a jq filter is true for; then Courier closes (1000) and waits for the
//! server's answer. The close code and reason go to stderr.
//!
//! Exit codes: 0 for a close with 1000 or 1001 (either side's) or `--until` met;
//! [`exit::WS_CLOSED`] for any other close code, a connection dropped without a close, or a
//! server that broke the protocol; [`exit::WS_REFUSED`] when the server did not switch
//! protocols; the usual codes for connecting, TLS and timeouts; 130 after Ctrl-C.

use std::io::{IsTerminal, Write};

use base64::Engine as _;
use bytes::Bytes;
use tokio::sync::mpsc;

use super::exit;
use super::output::{exit_code, print_head_verbose, print_request};
use crate::body::make_visible;
use crate::http::websocket::{
    Close, Command, Direction, Frame, FrameKind, Offer, close_parts, close_words,
};
use crate::http::{Engine, EngineEvent, ExchangeId, FailureKind, PreparedRequest};

/// When a session on the command line stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Until {
    /// When the server closes (or Ctrl-C).
    Close,
    /// After this many messages from the server.
    Count(u64),
    /// On the first JSON message from the server the filter gives `true` (or any value
    /// other than `false` and `null`) for.
    Jq(String),
}

impl Until {
    /// `--until`'s value: a number, `close`, or a jq filter (checked here, before connecting).
    pub fn parse(text: Option<&str>) -> Result<Until, String> {
        let Some(text) = text.map(str::trim) else {
            return Ok(Until::Close);
        };
        if text == "close" {
            return Ok(Until::Close);
        }
        if let Ok(count) = text.parse::<u64>() {
            return Ok(Until::Count(count));
        }
        let null = crate::body::jq::parse(b"null").map_err(|err| err.to_string())?;
        crate::body::jq::compact_values(text, &null, 1).map_err(|err| {
            format!("--until `{text}` is not a number, `close` or a jq filter: {err}")
        })?;
        Ok(Until::Jq(text.to_owned()))
    }

    /// Whether `message` (from the server, the `seen`th) meets it.
    fn met_by(&self, message: &[u8], seen: u64) -> bool {
        match self {
            Until::Close => false,
            Until::Count(count) => seen >= *count,
            Until::Jq(filter) => {
                let Ok(input) = crate::body::jq::parse(message) else {
                    return false;
                };
                crate::body::jq::compact_values(filter, &input, 1)
                    .is_ok_and(|values| values.first().is_some_and(|v| v != "false" && v != "null"))
            }
        }
    }
}

/// A `--message`: the text as given, or `@FILE` (`@-` for stdin), whose bytes go as a text
/// message when they are UTF-8 and as a binary one otherwise.
pub fn message(text: &str) -> Result<Command, String> {
    let Some(path) = text.strip_prefix('@') else {
        return Ok(Command::Text(text.to_owned()));
    };
    let bytes = if path == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|err| format!("--message @-: cannot read stdin: {err}"))?;
        bytes
    } else {
        std::fs::read(path).map_err(|err| format!("--message @{path}: {err}"))?
    };
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Command::Text(text),
        Err(not_text) => Command::Binary(Bytes::from(not_text.into_bytes())),
    })
}

/// `--messages-from`: a file (or stdin) whose lines are messages, sent as they are read.
#[derive(Debug)]
pub struct Lines {
    pub path: std::path::PathBuf,
    /// Close the session at the end of the lines (no `--until` was given).
    pub close_at_end: bool,
}

/// How a session is printed (its flags).
#[derive(Debug)]
pub struct Session {
    pub messages: Vec<Command>,
    pub lines: Option<Lines>,
    pub until: Until,
    pub json: bool,
    pub include: bool,
    pub verbose: bool,
}

/// What happened, for the exit code.
#[derive(Default)]
struct Outcome {
    met: bool,
    close: Option<Close>,
    failed: Option<FailureKind>,
    interrupted: bool,
}

/// Runs the session and prints it; its exit code, and what `recorder` made of it.
pub async fn run(
    prepared: PreparedRequest,
    offer: Offer,
    session: Session,
    mut recorder: Option<crate::history::Recorder>,
) -> (u8, Option<crate::history::Exchange>) {
    let engine = Engine::new();
    let (events, mut received) = mpsc::channel(256);
    let handle = engine.open_websocket(ExchangeId(1), prepared, offer, events);
    let mut printer = Printer::new(&session);
    // The lines of --messages-from, read once the session is open; `lines_ended` says
    // when they ran out.
    let (lines_done, mut lines_ended) = mpsc::channel::<()>(1);
    let mut driver = Driver {
        session: &session,
        commands: handle.commands(),
        outcome: Outcome::default(),
        seen: 0,
        closing: false,
        lines_done: Some(lines_done),
    };
    let interrupt = tokio::signal::ctrl_c();
    tokio::pin!(interrupt);
    loop {
        let event = tokio::select! {
            event = received.recv() => event,
            _ = &mut interrupt, if !driver.outcome.interrupted => {
                driver.outcome.interrupted = true;
                driver.close("interrupted").await;
                continue;
            }
            Some(()) = lines_ended.recv() => {
                if session.lines.as_ref().is_some_and(|lines| lines.close_at_end) {
                    driver.close("").await;
                }
                continue;
            }
        };
        let Some(event) = event else { break };
        if let Some(recorder) = &mut recorder {
            recorder.take(&event);
        }
        if let EngineEvent::Opened { opened, .. } = &event {
            printer.graphql = opened.graphql;
        }
        let message = message_of(&event, printer.graphql).map(<[u8]>::to_vec);
        // Once --until is met, what the server still sends is not printed.
        if driver.outcome.met && message.is_some() {
            continue;
        }
        if let Err(err) = printer.event(&event) {
            // stdout closed (`| head`): a quiet end, the session closed politely.
            if err.kind() == std::io::ErrorKind::BrokenPipe {
                driver.close("").await;
            }
        }
        driver.react(event, message).await;
    }
    let _ = std::io::stdout().flush();
    (
        code(&driver.outcome),
        recorder.map(crate::history::Recorder::finish),
    )
}

/// What the session is sent, and when it is closed, as its events come.
struct Driver<'s> {
    session: &'s Session,
    commands: mpsc::Sender<Command>,
    outcome: Outcome,
    /// Messages from the server so far.
    seen: u64,
    closing: bool,
    /// Handed to the reader of --messages-from when the session opens.
    lines_done: Option<mpsc::Sender<()>>,
}

impl Driver<'_> {
    /// Takes in `event` (`message`: the server's message it carries, if any): the messages
    /// go once the session is open, `--until` is checked, the close and failure kept.
    async fn react(&mut self, event: EngineEvent, message: Option<Vec<u8>>) {
        match event {
            EngineEvent::Opened { .. } => {
                for message in &self.session.messages {
                    let _ = self.commands.send(message.clone()).await;
                }
                if let (Some(lines), Some(done)) = (&self.session.lines, self.lines_done.take()) {
                    tokio::spawn(send_lines(lines.path.clone(), self.commands.clone(), done));
                }
                if self.session.until == Until::Count(0) {
                    self.outcome.met = true;
                    self.close("").await;
                }
            }
            _ if message.is_some() => {
                self.seen += 1;
                let message = message.unwrap_or_default();
                if !self.outcome.met && self.session.until.met_by(&message, self.seen) {
                    self.outcome.met = true;
                    self.close("").await;
                }
            }
            EngineEvent::Closed { close, .. } => self.outcome.close = Some(close),
            EngineEvent::Failed { failure, .. } => self.outcome.failed = Some(failure.kind),
            _ => {}
        }
    }

    /// Starts the closing handshake (1000), once.
    async fn close(&mut self, reason: &str) {
        if !self.closing {
            self.closing = true;
            let _ = self
                .commands
                .send(Command::Close {
                    code: 1000,
                    reason: reason.to_owned(),
                })
                .await;
        }
    }
}

/// Sends each line of `path` (`-`: stdin) as a text message as it is read (without its line
/// break), then says it is done. A read that fails ends the lines, and says why.
async fn send_lines(
    path: std::path::PathBuf,
    commands: mpsc::Sender<Command>,
    done: mpsc::Sender<()>,
) {
    use tokio::io::AsyncBufReadExt;
    let reader: Box<dyn tokio::io::AsyncRead + Unpin + Send> = if path.as_os_str() == "-" {
        Box::new(tokio::io::stdin())
    } else {
        match tokio::fs::File::open(&path).await {
            Ok(file) => Box::new(file),
            Err(err) => {
                eprintln!("courier: --messages-from {}: {err}", path.display());
                let _ = done.send(()).await;
                return;
            }
        }
    };
    let mut lines = tokio::io::BufReader::new(reader).lines();
    loop {
        match lines.next_line().await {
            Ok(Some(line)) => {
                let line = line.strip_suffix('\r').map(str::to_owned).unwrap_or(line);
                if commands.send(Command::Text(line)).await.is_err() {
                    return; // the session ended
                }
            }
            Ok(None) => break,
            Err(err) => {
                eprintln!("courier: --messages-from {}: {err}", path.display());
                break;
            }
        }
    }
    let _ = done.send(()).await;
}

/// A message from the server: a data frame, or in a GraphQL subscription a result (the
/// `Chunk`s after the session opened; its frames are the protocol's).
fn message_of(event: &EngineEvent, graphql: bool) -> Option<&[u8]> {
    match event {
        EngineEvent::Chunk { bytes, .. } if graphql => Some(bytes),
        EngineEvent::Frame { frame, .. }
            if !graphql
                && frame.direction == Direction::Received
                && matches!(frame.kind, FrameKind::Text | FrameKind::Binary) =>
        {
            Some(&frame.payload)
        }
        _ => None,
    }
}

fn code(outcome: &Outcome) -> u8 {
    if outcome.interrupted {
        return 130;
    }
    match outcome.failed {
        Some(FailureKind::NotSwitched) => return exit::WS_REFUSED,
        Some(FailureKind::Dropped | FailureKind::Protocol) => return exit::WS_CLOSED,
        Some(kind) => return exit_code(kind),
        None => {}
    }
    match &outcome.close {
        _ if outcome.met => exit::OK,
        Some(close) if !close.is_normal() => exit::WS_CLOSED,
        _ => exit::OK,
    }
}

/// Writes frames to stdout (made visible on a terminal) and the rest to stderr.
struct Printer {
    /// A GraphQL subscription: its results are printed, its frames only with --json.
    graphql: bool,
    json: bool,
    include: bool,
    verbose: bool,
    visible: bool,
}

impl Printer {
    fn new(session: &Session) -> Printer {
        Printer {
            graphql: false,
            json: session.json,
            include: session.include,
            verbose: session.verbose,
            visible: std::io::stdout().is_terminal(),
        }
    }

    fn event(&mut self, event: &EngineEvent) -> std::io::Result<()> {
        match event {
            EngineEvent::Started { request, .. } if self.verbose => print_request(request),
            EngineEvent::Head { head, .. } => {
                if self.verbose {
                    print_head_verbose(head);
                }
                if self.include {
                    let mut text = format!("{} {} {}\r\n", head.version, head.status, head.reason);
                    for (name, value) in &head.headers {
                        text.push_str(&format!("{name}: {value}\r\n"));
                    }
                    text.push_str("\r\n");
                    self.out(text.as_bytes())?;
                }
            }
            // The body of an answer that did not switch protocols, or a subscription's result.
            EngineEvent::Chunk { bytes, .. } if !(self.graphql && self.json) => self.out(bytes)?,
            EngineEvent::Opened { opened, .. } if self.verbose => {
                eprintln!(
                    "* open: subprotocol {}, extensions {}",
                    opened.protocol.as_deref().unwrap_or("none"),
                    opened.extensions.as_deref().unwrap_or("none")
                );
            }
            EngineEvent::Frame { frame, .. } => self.frame(frame)?,
            EngineEvent::Closed { close, .. } => {
                let by = match close.initiated_by {
                    Direction::Sent => "closed",
                    Direction::Received => "closed by the server",
                };
                let code = close.code.map_or("no code".to_owned(), |c| c.to_string());
                let reason = make_visible(close.reason.as_bytes()).text;
                eprintln!("courier: {by}: {code} {reason}");
            }
            EngineEvent::Failed { failure, .. } => {
                let _ = std::io::stdout().flush();
                eprintln!("courier: {}", failure.message);
            }
            _ => {}
        }
        Ok(())
    }

    fn frame(&mut self, frame: &Frame) -> std::io::Result<()> {
        if self.json {
            let mut line = json_line(frame).to_string();
            line.push('\n');
            return self.out(line.as_bytes());
        }
        let data = matches!(frame.kind, FrameKind::Text | FrameKind::Binary);
        if frame.direction == Direction::Received && data && !self.graphql {
            let mut line = match frame.kind {
                FrameKind::Text => frame.payload.to_vec(),
                _ => hex(&frame.payload).into_bytes(),
            };
            line.push(b'\n');
            return self.out(&line);
        }
        if self.verbose {
            let arrow = match frame.direction {
                Direction::Sent => '>',
                Direction::Received => '<',
            };
            let shown = match frame.kind {
                FrameKind::Text => make_visible(&frame.payload).text,
                FrameKind::Close => make_visible(close_words(&frame.payload).as_bytes()).text,
                _ => hex(&frame.payload),
            };
            let deflated = if frame.compressed { " deflated" } else { "" };
            eprintln!(
                "{arrow} {} {} B{deflated}: {shown}",
                frame.kind.name(),
                frame.payload.len()
            );
        }
        Ok(())
    }

    fn out(&self, bytes: &[u8]) -> std::io::Result<()> {
        let mut stdout = std::io::stdout().lock();
        if self.visible {
            stdout.write_all(make_visible(bytes).text.as_bytes())
        } else {
            stdout.write_all(bytes)
        }
    }
}

/// One frame as `--json` prints it.
pub fn json_line(frame: &Frame) -> serde_json::Value {
    let mut line = serde_json::json!({
        "direction": match frame.direction {
            Direction::Sent => "sent",
            Direction::Received => "received",
        },
        "at_ms": (frame.at.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0,
        "opcode": frame.kind.name(),
        "size": frame.payload.len(),
        "compressed": frame.compressed,
    });
    match (frame.kind, frame.text()) {
        (FrameKind::Close, _) => {
            let (code, reason) = close_parts(&frame.payload);
            line["code"] = serde_json::json!(code);
            line["reason"] = serde_json::json!(reason);
        }
        (_, Some(text)) => line["text"] = serde_json::json!(text),
        _ => {
            line["base64"] =
                serde_json::json!(base64::engine::general_purpose::STANDARD.encode(&frame.payload))
        }
    }
    line
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
