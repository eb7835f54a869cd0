//! Reading the history for the TUI, each on a blocking thread with its answer sent back as a
//! message: the rows of the list (`Msg::HistoryLoaded`), a past exchange replayed as events
//! into the response pane, the request an exchange sent read back from what the history
//! kept of it as written (`Msg::PastRequestLoaded`), and two exchanges compared
//! (`Msg::PastCompared`). Bodies are read under the history's lock; comparing them is not.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::mpsc;

use super::recording::SharedHistory;
use crate::app::Msg;
use crate::app::history_list::{PastRow, PastUse, Scope};
use crate::body::store::SharedBody;
use crate::body::transcript::Transcript;
use crate::history::{Exchange, History, HistoryError, ListFilter, Outcome};
use crate::http::{
    EngineEvent, ExchangeId, Failure, FailureKind, ResponseHead, SentBody, SentRequest, Summary,
    Timing,
};
use crate::store::LoadedRequest;

/// The most past exchanges the list shows.
const LISTED: usize = 500;
/// The size of the chunks a past body is replayed in.
const REPLAY_CHUNK: usize = 64 * 1024;
/// What the history masks a secret with (`http::mask_secrets`).
const MASK: &str = "••••••";

impl SharedHistory {
    /// Reads the exchanges of `scope` that `query` keeps; `root` is the workspace's
    /// directory, so that a row's request is known by the path the app knows it by.
    pub fn load(
        &self,
        scope: Scope,
        query: String,
        root: PathBuf,
        results: mpsc::UnboundedSender<Msg>,
    ) {
        let history = self.shared().clone();
        tokio::task::spawn_blocking(move || {
            let rows = rows_of(&history, &scope, &query, &root);
            let _ = results.send(Msg::HistoryLoaded { scope, query, rows });
        });
    }

    /// Reads the request past exchange `id` sent, as `saved`'s file would hold it.
    pub fn load_request(
        &self,
        id: i64,
        saved: LoadedRequest,
        then: PastUse,
        results: mpsc::UnboundedSender<Msg>,
    ) {
        let history = self.shared().clone();
        tokio::task::spawn_blocking(move || {
            let request = request_of(&history, id, &saved).map(Box::new);
            let _ = results.send(Msg::PastRequestLoaded { id, then, request });
        });
    }

    /// Compares past exchanges `old` and `new`.
    pub fn compare(&self, old: i64, new: i64, results: mpsc::UnboundedSender<Msg>) {
        let history = self.shared().clone();
        tokio::task::spawn_blocking(move || {
            let rows = compared(&history, old, new).map_err(|err| err.to_string());
            let _ = results.send(Msg::PastCompared { old, new, rows });
        });
    }

    /// The events of the history's exchange `id`, as `exchange`, into `events` (from a
    /// blocking thread: the body is read from its blob); `body`, the store they are taken
    /// into, gets the exchange's recorded timing and transcript first, so that saving it as
    /// an example keeps them.
    pub fn replay(
        &self,
        exchange: ExchangeId,
        id: i64,
        events: mpsc::Sender<EngineEvent>,
        body: SharedBody,
    ) {
        let history = self.shared().clone();
        tokio::task::spawn_blocking(move || {
            let replayed = match history.lock() {
                Ok(history) => replayed_events(&history, exchange, id).and_then(|events| {
                    recorded_extras(&history, id, &body)?;
                    Ok(events)
                }),
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

/// Puts what the history kept of exchange `id` beside its body into `body`: when its pieces
/// came, and a WebSocket session's transcript (up to its last whole line when it was cut).
fn recorded_extras(history: &History, id: i64, body: &SharedBody) -> Result<(), HistoryError> {
    let past = history.get(id)?;
    let timing = history.body_timing(id)?;
    let mut transcript = history.transcript_bytes(&past)?;
    let mut store = crate::body::store::lock(body);
    if let Some(pieces) = timing {
        store.replayed_timing(pieces);
    }
    if past.transcript.hash.is_some() {
        let cut = past.transcript.kept < past.transcript.size;
        if cut {
            let whole = transcript
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            transcript.truncate(whole);
        }
        store.transcript = Some(Transcript {
            bytes: transcript,
            cut,
        });
    }
    Ok(())
}

/// The rows of the list.
fn rows_of(
    history: &Mutex<History>,
    scope: &Scope,
    query: &str,
    root: &Path,
) -> Result<Vec<PastRow>, String> {
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_owned());
    let mut filter = ListFilter::typed(query);
    filter.limit = Some(LISTED);
    if let Scope::Request(path) = scope {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        filter.request_key = Some(key.display().to_string());
    }
    let history = history
        .lock()
        .map_err(|_| "the history is not available".to_owned())?;
    let exchanges = history.list(&filter).map_err(|err| err.to_string())?;
    Ok(exchanges
        .iter()
        .map(|exchange| {
            let request = match scope {
                Scope::Request(path) => Some(path.clone()),
                Scope::Everything => Path::new(&exchange.request_key)
                    .strip_prefix(&canonical_root)
                    .ok()
                    .map(|inside| root.join(inside)),
            };
            past_row(exchange, request)
        })
        .collect())
}

/// A past exchange as the list shows it.
fn past_row(exchange: &Exchange, request: Option<PathBuf>) -> PastRow {
    PastRow {
        id: exchange.id,
        when: crate::history::local_time(exchange.started_at_ms),
        method: exchange.method.clone(),
        url: exchange.url.clone(),
        request,
        status: exchange.head.as_ref().map(|h| h.status),
        duration_us: exchange.duration_us(),
        size: exchange.body.size,
        failed: (exchange.outcome != Outcome::Done)
            .then(|| exchange.error.clone().unwrap_or_default()),
    }
}

/// The request exchange `id` sent, from what the history kept of it as written, with
/// `saved`'s path and name.
fn request_of(
    history: &Mutex<History>,
    id: i64,
    saved: &LoadedRequest,
) -> Result<LoadedRequest, String> {
    let past = history
        .lock()
        .map_err(|_| "the history is not available".to_owned())?
        .get(id)
        .map_err(|err| err.to_string())?;
    let Some(source) = past.request_source else {
        return Err(
            "the history has what it sent, not the request as written (it was sent \
             by `courier send` with flags that change it), so it cannot be sent again from here"
                .to_owned(),
        );
    };
    if source.contains(MASK) {
        return Err(
            "a secret was written in the request itself, and the history masks it: \
             it cannot be sent again"
                .to_owned(),
        );
    }
    let mut request =
        crate::store::request_from_snapshot(&saved.path, &source).map_err(|err| err.to_string())?;
    // What was sent, under the name the request has now.
    request.request.name.clone_from(&saved.request.name);
    Ok(request)
}

/// Exchanges `old` and `new` compared, as rows: bodies read under the lock, compared after.
fn compared(
    history: &Mutex<History>,
    old: i64,
    new: i64,
) -> Result<Vec<crate::history::diff_lines::DiffRow>, HistoryError> {
    let ((old, old_body), (new, new_body)) = {
        let history = history.lock().map_err(|_| HistoryError::NotFound(old))?;
        let read = |id: i64| -> Result<(Exchange, Vec<u8>), HistoryError> {
            let exchange = history.get(id)?;
            let body = history.body_bytes(&exchange)?;
            Ok((exchange, body))
        };
        (read(old)?, read(new)?)
    };
    let diff = crate::history::diff::diff(&old, &old_body, &new, &new_body);
    let label = |e: &Exchange| {
        let when = crate::history::local_time(e.started_at_ms);
        format!("#{} {when}", e.id)
    };
    Ok(crate::history::diff_lines::rows(
        &diff,
        &label(&old),
        &label(&new),
    ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::store::{BodyStore, lock};
    use crate::history::{Exchange, RecordedHead, StoredBody};

    #[test]
    fn a_past_exchange_brings_its_timing_and_transcript_into_the_body() {
        let temp = tempfile::tempdir().unwrap();
        let mut history =
            History::open(temp.path(), crate::model::HistorySettings::default()).expect("opened");
        let transcript = b"{\"ms\":0,\"from\":\"server\",\"text\":\"a\"}\n{\"ms\":9,\"fr";
        let mut entry = Exchange {
            id: 0,
            started_at_ms: 0,
            request_key: "url:ws://127.0.0.1:1/".to_owned(),
            collection: None,
            request_name: None,
            environment: None,
            method: "GET".to_owned(),
            url: "ws://127.0.0.1:1/".to_owned(),
            request_headers: Vec::new(),
            request_body: StoredBody::default(),
            request_body_note: None,
            head: Some(RecordedHead {
                status: 101,
                reason: "Switching Protocols".to_owned(),
                version: "HTTP/1.1".to_owned(),
                headers: Vec::new(),
                remote_addr: None,
                final_url: "ws://127.0.0.1:1/".to_owned(),
            }),
            timing: None,
            body: history.blobs().store(b"log").expect("stored"),
            outcome: Outcome::Done,
            error: None,
            pinned: false,
            request_source: None,
            search_text: None,
            body_timing: Some(vec![(1, 0), (3, 80)]),
            transcript: history.blobs().store(transcript).expect("stored"),
        };
        // Kept only in part: up to its last whole line.
        entry.transcript.size += 10;
        let id = history.record(&entry).expect("recorded");
        let body = BodyStore::shared(temp.path().join("spill"), 1 << 20);
        recorded_extras(&history, id, &body).expect("read");
        let store = lock(&body);
        assert_eq!(store.timing.pieces(), vec![(1, 0), (3, 80)]);
        let kept = store.transcript.clone().expect("a transcript");
        let first_line = transcript.iter().position(|b| *b == b'\n').unwrap() + 1;
        assert_eq!(kept.bytes, transcript[..first_line].to_vec());
        assert!(kept.cut, "it was cut");
    }
}
