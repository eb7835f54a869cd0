//! A `courier test` run in the history: the run's row, and each exchange it sends recorded as
//! `courier send` records one (secrets masked, bodies kept within the history's cap), marked
//! with the run and whether its request passed. `courier history runs` lists runs and
//! `courier history run ID` sets each failed request beside the last run where it passed.
//! A history that cannot be used turns recording off with a word on stderr; it never stops
//! the run.

use std::sync::Mutex;

use crate::history::{History, Recorder, RequestIdentity, RunRecord};
use crate::report::RunResults;
use crate::store::{self, Collection, LoadedRequest};

pub struct RunHistory {
    history: Mutex<History>,
    run: i64,
    /// The first failure to record an exchange, said once at the end.
    trouble: Mutex<Option<String>>,
}

impl RunHistory {
    /// Starts the run's row; None (and why, on stderr) when history is off or unusable.
    pub fn start(history: Option<History>, target: &str, started_at_ms: i64) -> Option<RunHistory> {
        let mut history = history?;
        match history.start_run(target, started_at_ms) {
            Ok(run) => Some(RunHistory {
                history: Mutex::new(history),
                run,
                trouble: Mutex::new(None),
            }),
            Err(err) => {
                eprintln!("courier: this run is not recorded in the history: {err}");
                None
            }
        }
    }

    /// A recorder for one send of `request`; None when its collection keeps no history.
    pub fn recorder(
        &self,
        collection: &Collection,
        request: &LoadedRequest,
        environment: Option<&str>,
    ) -> Option<Recorder> {
        if collection.meta.history == Some(false) {
            return None;
        }
        let history = self.history.lock().ok()?;
        let mut identity = RequestIdentity::saved(
            &request.path,
            &collection.dir,
            &request.request.name,
            environment,
        );
        identity.source = Some(store::request_snapshot(request));
        Some(Recorder::new(
            history.blobs().clone(),
            history.settings().body_cap,
            identity,
            now_ms(),
        ))
    }

    /// Records the exchange `recorder` saw as one of the run's, without a verdict yet; its id
    /// for [`RunHistory::verdict`], None when it could not be recorded.
    pub fn keep(&self, recorder: Recorder) -> Option<i64> {
        let exchange = recorder.finish();
        let mut history = self.history.lock().ok()?;
        let kept = history
            .record(&exchange)
            .and_then(|id| history.mark_run(id, self.run, None).map(|()| id));
        drop(history);
        self.noted(kept)
    }

    /// The verdict on the request whose last attempt is `exchange`, once its assertions and
    /// captures are all checked. Earlier attempts keep no verdict: they were retried.
    pub fn verdict(&self, exchange: i64, passed: bool) {
        let Ok(mut history) = self.history.lock() else {
            return;
        };
        let marked = history.mark_run(exchange, self.run, Some(passed));
        drop(history);
        self.noted(marked);
    }

    /// `outcome`'s value; its error kept for the end, when it is the first.
    fn noted<T>(&self, outcome: Result<T, crate::history::HistoryError>) -> Option<T> {
        match outcome {
            Ok(value) => Some(value),
            Err(err) => {
                if let Ok(mut trouble) = self.trouble.lock() {
                    trouble.get_or_insert(err.to_string());
                }
                None
            }
        }
    }

    /// Stores the run's counts; its id, for the summary.
    pub fn finish(self, results: &RunResults) -> Option<i64> {
        let counts = results.counts();
        let record = RunRecord {
            id: self.run,
            started_at_ms: results.started_at_ms,
            target: results.target.clone(),
            requests: counts.requests as u64,
            passed: counts.passed as u64,
            failed: counts.failed as u64,
            errors: counts.errors as u64,
            not_run: results.not_run as u64,
            duration_us: Some((results.duration_ms * 1000.0) as u64),
        };
        let mut history = self.history.into_inner().ok()?;
        let trouble = self.trouble.into_inner().ok().flatten();
        if let Some(trouble) = &trouble {
            eprintln!("courier: some exchanges were not recorded in the history: {trouble}");
        }
        match history.finish_run(&record) {
            Ok(()) => Some(self.run),
            Err(err) => {
                eprintln!("courier: this run's counts were not recorded in the history: {err}");
                None
            }
        }
    }
}

/// Now, for the history: the CLI's edge may read the clock.
fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}
