//! The TUI's side of the history: which sends are recorded (not those of a collection that
//! says `"history": false`), a [`Recorder`] for each, fed in the send's task beside the body
//! store, and the finished entry stored on a blocking thread. The history is shared by every
//! send task behind a mutex; a recording that fails is logged, never shown as a send's error.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;

use crate::app::history_list::PastRow;
use crate::app::{Msg, SendPlan};
use crate::history::{
    Exchange, History, HistoryError, ListFilter, Outcome, Recorder, RequestIdentity,
};
use crate::http::{
    EngineEvent, ExchangeId, Failure, FailureKind, ResponseHead, SentBody, SentRequest, Summary,
    Timing,
};

/// The most past exchanges the list shows.
const LISTED: usize = 500;
/// The size of the chunks a past body is replayed in.
const REPLAY_CHUNK: usize = 64 * 1024;

/// The history every send records into.
#[derive(Clone)]
pub struct SharedHistory(Arc<Mutex<History>>);

impl SharedHistory {
    pub fn new(history: History) -> SharedHistory {
        SharedHistory(Arc::new(Mutex::new(history)))
    }

    /// A recorder for the send of `plan`, or None when its collection keeps no history.
    pub fn recorder_for(&self, plan: &SendPlan) -> Option<Recorder> {
        let (collection, _, request) = plan.sendable()?;
        if collection.meta.history == Some(false) {
            return None;
        }
        let identity = RequestIdentity::saved(
            &plan.request,
            &collection.dir,
            &request.request.name,
            plan.environment.as_deref(),
        );
        let (blobs, body_cap) = {
            let history = self.0.lock().ok()?;
            (history.blobs().clone(), history.settings().body_cap)
        };
        Some(Recorder::new(blobs, body_cap, identity, now_ms()))
    }

    /// Stores what `recorder` recorded, off the async workers.
    pub async fn store(&self, recorder: Recorder) {
        let history = self.0.clone();
        let stored = tokio::task::spawn_blocking(move || {
            let exchange = recorder.finish();
            let mut history = history
                .lock()
                .map_err(|_| "the history's lock was poisoned".to_owned())?;
            history.record(&exchange).map_err(|err| err.to_string())
        })
        .await;
        match stored {
            Ok(Ok(_)) => {}
            Ok(Err(err)) => tracing::warn!(%err, "an exchange was not recorded in the history"),
            Err(err) => tracing::warn!(%err, "recording an exchange failed"),
        }
    }
}

impl SharedHistory {
    /// Reads the past exchanges of `request` on a blocking thread; answers with
    /// `HistoryLoaded`.
    pub fn load(&self, request: &Path, results: mpsc::UnboundedSender<Msg>) {
        let (history, request) = (self.0.clone(), request.to_owned());
        tokio::task::spawn_blocking(move || {
            let key = std::fs::canonicalize(&request).unwrap_or_else(|_| request.clone());
            let filter = ListFilter {
                request_key: Some(key.display().to_string()),
                limit: Some(LISTED),
                ..ListFilter::default()
            };
            let rows = match history.lock() {
                Ok(history) => history
                    .list(&filter)
                    .map(|exchanges| exchanges.iter().map(past_row).collect())
                    .map_err(|err| err.to_string()),
                Err(_) => Err("the history is not available".to_owned()),
            };
            let _ = results.send(Msg::HistoryLoaded { request, rows });
        });
    }

    /// The events of the history's exchange `id`, as `exchange`, into `events` (from a
    /// blocking thread: the body is read from its blob).
    pub fn replay(&self, exchange: ExchangeId, id: i64, events: mpsc::Sender<EngineEvent>) {
        let history = self.0.clone();
        tokio::task::spawn_blocking(move || {
            let replayed = match history.lock() {
                Ok(history) => replayed_events(&history, exchange, id),
                Err(_) => Err(HistoryError::NotFound(id)),
            };
            let replayed = replayed.unwrap_or_else(|err| {
                let failure = Failure {
                    kind: FailureKind::Other,
                    message: format!("cannot open it from the history: {err}"),
                };
                vec![EngineEvent::Failed {
                    id: exchange,
                    failure,
                }]
            });
            for event in replayed {
                if events.blocking_send(event).is_err() {
                    return;
                }
            }
        });
    }
}

/// A past exchange as the list shows it (its time in local time, read here: time zones are
/// files).
fn past_row(exchange: &Exchange) -> PastRow {
    let when = jiff::Timestamp::from_millisecond(exchange.started_at_ms).map_or_else(
        |_| exchange.started_at_ms.to_string(),
        |t| {
            t.to_zoned(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d %H:%M:%S")
                .to_string()
        },
    );
    PastRow {
        id: exchange.id,
        when,
        status: exchange.head.as_ref().map(|h| h.status),
        duration_us: exchange.duration_us(),
        size: exchange.body.size,
        failed: (exchange.outcome != Outcome::Done)
            .then(|| exchange.error.clone().unwrap_or_default()),
    }
}

/// The events that tell the app of the history's exchange `id`, as `exchange`.
fn replayed_events(
    history: &History,
    exchange: ExchangeId,
    id: i64,
) -> Result<Vec<EngineEvent>, HistoryError> {
    let past = history.get(id)?;
    let body = history.body_bytes(&past)?;
    let mut events = vec![EngineEvent::Started {
        id: exchange,
        request: SentRequest {
            method: past.method.clone(),
            url: past.url.clone(),
            headers: past.request_headers.clone(),
            body_bytes: Some(past.request_body.size),
            insecure: false,
            body: SentBody::None,
            secrets: Vec::new(),
        },
    }];
    if let Some(head) = &past.head {
        events.push(EngineEvent::Head {
            id: exchange,
            head: ResponseHead {
                status: head.status,
                reason: head.reason.clone(),
                version: head.version.clone(),
                headers: head.headers.clone(),
                remote_addr: head.remote_addr.as_deref().and_then(|a| a.parse().ok()),
                redirects: Vec::new(),
                url: head.final_url.clone(),
            },
        });
    }
    for chunk in body.chunks(REPLAY_CHUNK) {
        events.push(EngineEvent::Chunk {
            id: exchange,
            bytes: bytes::Bytes::copy_from_slice(chunk),
        });
    }
    events.push(match past.outcome {
        Outcome::Done => {
            let micros = Duration::from_micros;
            let timing = past.timing.unwrap_or_default();
            EngineEvent::Done {
                id: exchange,
                summary: Summary {
                    wire_bytes: past.body.size,
                    body_bytes: past.body.kept,
                    timing: Timing {
                        dns: timing.dns_us.map(micros),
                        connect: timing.connect_us.map(micros),
                        first_byte: micros(timing.first_byte_us),
                        download: micros(timing.download_us),
                        total: micros(timing.total_us),
                    },
                },
            }
        }
        outcome => EngineEvent::Failed {
            id: exchange,
            failure: Failure {
                kind: if outcome == Outcome::Cancelled {
                    FailureKind::Cancelled
                } else {
                    FailureKind::Other
                },
                message: past.error.clone().unwrap_or_else(|| "it failed".to_owned()),
            },
        },
    });
    Ok(events)
}

/// Now, in milliseconds since the Unix epoch (the runtime may read the clock).
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
