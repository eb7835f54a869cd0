//! The TUI's side of the history: which sends are recorded (not those of a collection that
//! says `"history": false`), a [`Recorder`] for each, fed in the send's task beside the body
//! store, and the finished entry stored on a blocking thread. The history is shared by every
//! send task behind a mutex; a recording that fails is logged, never shown as a send's error.

use std::sync::{Arc, Mutex};

use crate::app::SendPlan;
use crate::history::{History, Recorder, RequestIdentity};

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
        let mut identity = RequestIdentity::saved(
            &plan.request,
            &collection.dir,
            &request.request.name,
            plan.environment.as_deref(),
        );
        let (blobs, body_cap) = {
            let history = self.0.lock().ok()?;
            (history.blobs().clone(), history.settings().body_cap)
        };
        identity.source = Some(crate::store::request_snapshot(request));
        Some(Recorder::new(blobs, body_cap, identity, now_ms()))
    }

    /// The history itself, for reading it (`runtime::past`).
    pub fn shared(&self) -> &Arc<Mutex<History>> {
        &self.0
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

/// Now, in milliseconds since the Unix epoch (the runtime may read the clock).
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
