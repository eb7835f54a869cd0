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
use crate::body::store::{SharedBody, lock};
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
    // The body parsed last: which exchange, how long it was, and the value.
    let mut cache: Option<(ExchangeId, u64, JqInput)> = None;
    while let Ok(mut job) = jobs.recv() {
        std::thread::sleep(DEBOUNCE);
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        if job.id != latest.load(Ordering::SeqCst) {
            continue;
        }
        let (finished, len) = {
            let body = lock(&job.body);
            (body.finished, body.raw.len())
        };
        let result = if !finished {
            Some(Err(JqError::Unfinished))
        } else if len > MAX_JQ_BODY {
            Some(Err(JqError::TooBig {
                limit_mb: MAX_JQ_BODY / 1_000_000,
                size_mb: len / 1_000_000,
            }))
        } else {
            let fresh = cache.as_ref().is_some_and(|(exchange, cached_len, _)| {
                *exchange == job.exchange && *cached_len == len
            });
            let parsed = if fresh {
                Ok(())
            } else {
                let bytes = crate::body::store::read_raw(&job.body);
                jq::parse(&bytes).map(|input| cache = Some((job.exchange, len, input)))
            };
            match (parsed, &cache) {
                (Err(error), _) => Some(Err(error)),
                (Ok(()), Some((_, _, input))) => jq::run(&job.filter, input, || {
                    latest.load(Ordering::SeqCst) == job.id
                }),
                (Ok(()), None) => None,
            }
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
