//! What the mock server did, one event each: a request answered (by which example, and
//! why), a miss (and what came closest), a connection refused or cut (malformed HTTP, too
//! slow, too many). Events go to whoever listens (`courier mock` prints them as lines, the
//! TUI lists them) through a bounded channel: when the listener falls behind, events are
//! counted as dropped rather than kept.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;

use super::choose::Candidate;

/// Events kept for a listener that is behind.
const BACKLOG: usize = 4096;

#[derive(Debug, Clone)]
pub struct MockEvent {
    pub at: SystemTime,
    pub peer: SocketAddr,
    pub kind: EventKind,
}

#[derive(Debug, Clone)]
pub enum EventKind {
    /// An example answered (`status` 0 when a fault dropped the connection instead).
    Answered {
        method: String,
        path: String,
        status: u16,
        request: String,
        example: String,
        why: String,
        took: Duration,
    },
    /// Nothing answered: a 404 or 405 with the closest candidates.
    Missed {
        method: String,
        path: String,
        status: u16,
        why: String,
        closest: Vec<Candidate>,
        /// The request's body as it came (up to the mock's cap), so a miss can be saved as an
        /// example of a new request.
        body: bytes::Bytes,
        headers: Vec<(String, String)>,
    },
    /// The request does not fit the OpenAPI description: 400, 401 or 415, and where.
    Rejected {
        method: String,
        path: String,
        status: u16,
        operation: String,
        at: String,
        message: String,
    },
    /// Nothing answered, so upstream did (`--record`): its status (502 when it did not
    /// answer) and where its answer was saved, or why not.
    Recorded {
        method: String,
        path: String,
        status: u16,
        saved: Result<super::record::Saved, String>,
        took: Duration,
    },
    /// The collection changed on disk and was read again.
    Reloaded {
        requests: usize,
        examples: usize,
        problems: Vec<String>,
    },
    /// A connection ended by the server or the client before a request was whole.
    Connection { what: String },
}

/// Where events go.
#[derive(Debug, Clone)]
pub struct EventSink {
    sender: Option<mpsc::Sender<MockEvent>>,
    dropped: Arc<AtomicU64>,
}

impl EventSink {
    /// A sink and the receiver of its events.
    pub fn channel() -> (EventSink, mpsc::Receiver<MockEvent>) {
        let (sender, receiver) = mpsc::channel(BACKLOG);
        let sink = EventSink {
            sender: Some(sender),
            dropped: Arc::default(),
        };
        (sink, receiver)
    }

    /// A sink no one reads.
    pub fn none() -> EventSink {
        EventSink {
            sender: None,
            dropped: Arc::default(),
        }
    }

    pub fn send(&self, peer: SocketAddr, kind: EventKind) {
        let Some(sender) = &self.sender else {
            return;
        };
        let event = MockEvent {
            at: SystemTime::now(),
            peer,
            kind,
        };
        if sender.try_send(event).is_err() {
            self.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Events that found the listener's backlog full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

impl MockEvent {
    /// One line for a log: the time, who asked, what, and what came of it. Whatever came
    /// from the network is made visible first.
    pub fn line(&self) -> String {
        let time = jiff::Timestamp::try_from(self.at)
            .map(|at| {
                at.to_zoned(jiff::tz::TimeZone::system())
                    .strftime("%H:%M:%S%.3f")
                    .to_string()
            })
            .unwrap_or_default();
        let what = describe(&self.kind);
        // Events of the server as a whole (a reload, an accept that failed) have no client.
        let line = match self.peer.port() {
            0 => format!("{time} {what}"),
            _ => format!("{time} {} {what}", self.peer),
        };
        crate::body::make_visible(line.replace('\n', " ").as_bytes()).text
    }
}

/// What an event says, after the time and the client.
fn describe(kind: &EventKind) -> String {
    match kind {
        EventKind::Answered {
            method,
            path,
            status,
            request,
            example,
            why,
            took,
        } => {
            let status = match status {
                0 => "dropped".to_owned(),
                status => status.to_string(),
            };
            format!(
                "{method} {path} → {status} {request} · {example:?} ({why}) {:.1} ms",
                took.as_secs_f64() * 1000.0
            )
        }
        EventKind::Missed {
            method,
            path,
            status,
            why,
            closest,
            ..
        } => {
            let near = closest
                .first()
                .map(|c| format!("; closest: {} {} ({})", c.method, c.path, c.request))
                .unwrap_or_default();
            format!("{method} {path} → {status} miss: {why}{near}")
        }
        EventKind::Rejected {
            method,
            path,
            status,
            operation,
            at,
            message,
        } => format!("{method} {path} → {status} rejected ({operation}): {at}: {message}"),
        EventKind::Recorded {
            method,
            path,
            status,
            saved,
            took,
        } => {
            let saved = match saved {
                Ok(saved) => format!("saved as {} · {:?}", saved.request, saved.example),
                Err(why) => why.clone(),
            };
            let ms = took.as_secs_f64() * 1000.0;
            format!("{method} {path} → {status} recorded from upstream: {saved} {ms:.1} ms")
        }
        EventKind::Reloaded {
            requests,
            examples,
            problems,
        } => {
            let mut text = format!(
                "collection read again: {}, {}",
                counted(*requests, "request"),
                counted(*examples, "example")
            );
            for problem in problems {
                text.push_str("; ");
                text.push_str(problem);
            }
            text
        }
        EventKind::Connection { what } => format!("connection: {what}"),
    }
}

/// `1 request`, `2 requests`.
fn counted(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}
