//! The jq worker: one thread that runs the response's jq filter off the UI thread. Filters
//! arrive as the user types; the worker waits a moment for typing to pause, skips to the
//! newest filter, stops a run as soon as a newer one is queued, and keeps the last body it
//! parsed, so refining a filter does not parse the body again.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::body::jq::{self, JqError, JqInput};
use crate::body::store::{BodyKind, SharedBody, lock};
use crate::http::ExchangeId;

/// How long typing must pause before a filter runs.
const DEBOUNCE: Duration = Duration::from_millis(120);
/// The biggest body jq is given (it must be parsed whole, in memory).
pub const MAX_JQ_BODY: u64 = 256 * 1024 * 1024;

struct Job {
    exchange: ExchangeId,
    id: u64,
    filter: String,
    body: SharedBody,
}

/// A handle on the worker thread.
pub struct JqWorker {
    jobs: std_mpsc::Sender<Job>,
    latest: Arc<AtomicU64>,
}

impl JqWorker {
    pub fn spawn(results: mpsc::UnboundedSender<Msg>) -> JqWorker {
        let (jobs, received) = std_mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let newest = latest.clone();
        std::thread::Builder::new()
            .name("courier-jq".to_owned())
            .spawn(move || work(&received, &newest, &results))
            .map_err(|error| tracing::warn!(%error, "cannot start the jq worker"))
            .ok();
        JqWorker { jobs, latest }
    }

    /// Queues a filter; any run of an older one stops.
    pub fn submit(&self, exchange: ExchangeId, id: u64, filter: String, body: SharedBody) {
        self.latest.store(id, Ordering::SeqCst);
        let _ = self.jobs.send(Job {
            exchange,
            id,
            filter,
            body,
        });
    }
}

fn work(jobs: &std_mpsc::Receiver<Job>, latest: &AtomicU64, results: &mpsc::UnboundedSender<Msg>) {
    let mut cache: Option<Parsed> = None;
    while let Ok(mut job) = jobs.recv() {
        std::thread::sleep(DEBOUNCE);
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        if job.id != latest.load(Ordering::SeqCst) {
            continue;
        }
        let result = match inputs(job.exchange, &job.body, &mut cache) {
            Err(error) => Some(Err(error)),
            Ok(input) => jq::run(&job.filter, input, || {
                latest.load(Ordering::SeqCst) == job.id
            }),
        };
        if let Some(result) = result {
            let _ = results.send(Msg::JqDone {
                exchange: job.exchange,
                id: job.id,
                result,
            });
        }
    }
}

/// The body parsed last, kept so refining a filter does not parse it again: which exchange,
/// how long the body was, and its inputs.
pub struct Parsed {
    exchange: ExchangeId,
    len: u64,
    input: JqInput,
}

/// The inputs of exchange `exchange`'s body, from `cache` when it holds them. An event
/// stream's are its JSON events so far, the new ones parsed and added as they come (it need
/// not be complete); any other body must be complete, and is parsed whole.
pub fn inputs<'c>(
    exchange: ExchangeId,
    shared: &SharedBody,
    cache: &'c mut Option<Parsed>,
) -> Result<&'c JqInput, JqError> {
    let body = lock(shared);
    let stream =
        !body.events.is_empty() || matches!(body.kind, Some(BodyKind::Sse | BodyKind::Ndjson));
    let (finished, len) = (body.finished, body.raw.len());
    let kept = cache.take().filter(|parsed| {
        parsed.exchange == exchange
            && (if stream {
                parsed.input.is_stream()
            } else {
                parsed.len == len
            })
    });
    if stream {
        let mut input = kept.map_or_else(JqInput::stream, |parsed| parsed.input);
        let first = body.events_dropped;
        let start = input.taken().max(first);
        let skip = usize::try_from(start - first).unwrap_or(usize::MAX);
        let new: Vec<String> = body
            .events
            .iter()
            .skip(skip)
            .map(|e| e.data.clone())
            .collect();
        drop(body);
        for (place, data) in (start..).zip(&new) {
            input.take_event(place, data);
        }
        input.forget_before(first);
        let parsed = cache.insert(Parsed {
            exchange,
            len,
            input,
        });
        return Ok(&parsed.input);
    }
    drop(body);
    if !finished {
        return Err(JqError::Unfinished);
    }
    if len > MAX_JQ_BODY {
        return Err(JqError::TooBig {
            limit_mb: MAX_JQ_BODY / 1_000_000,
            size_mb: len / 1_000_000,
        });
    }
    let input = match kept {
        Some(parsed) => parsed.input,
        None => jq::parse(&crate::body::store::read_raw(shared))?,
    };
    let parsed = cache.insert(Parsed {
        exchange,
        len,
        input,
    });
    Ok(&parsed.input)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::body::store::BodyStore;

    #[test]
    fn a_streams_inputs_are_its_json_events_so_far_taken_in_as_they_come() {
        let dir = tempfile::tempdir().unwrap();
        let body = BodyStore::shared(dir.path().to_owned(), 1 << 20);
        lock(&body).set_content_type("application/x-ndjson");
        lock(&body).push(b"{\"n\": 1}\nnot json\n", Duration::ZERO);
        let exchange = ExchangeId(7);
        let mut cache = None;
        let input = inputs(exchange, &body, &mut cache).unwrap();
        assert_eq!(
            (input.len(), input.taken()),
            (1, 2),
            "unfinished, and read all the same"
        );
        lock(&body).push(b"{\"n\": 2}\n{\"n\": 3}\n", Duration::ZERO);
        let input = inputs(exchange, &body, &mut cache).unwrap();
        assert_eq!(
            (input.len(), input.taken()),
            (3, 4),
            "only the new events are parsed"
        );
        let out = jq::run(".n", input, || true).unwrap().unwrap();
        assert_eq!(out.text, "1\n2\n3\n");
        // Another exchange's body is not this one's.
        let other = BodyStore::shared(dir.path().to_owned(), 1 << 20);
        lock(&other).push(b"[1, 2]", Duration::ZERO);
        let error = inputs(ExchangeId(8), &other, &mut cache).err();
        assert_eq!(error, Some(JqError::Unfinished));
        lock(&other).finish(Duration::ZERO);
        let input = inputs(ExchangeId(8), &other, &mut cache).unwrap();
        assert!(!input.is_stream());
    }
}
