//! A finished response checked against its request's assertions, and its captures taken, off
//! the UI thread: the answer comes back as `Msg::Checked` for the Tests tab (and the captured
//! values become session values). The lines are rendered with the values their templates had
//! when the request was prepared, and what is shown is masked with the request's secrets, as
//! `courier test` does (`check::request`).

use std::io::Read;

use tokio::sync::mpsc;

use crate::app::{Msg, SendPlan};
use crate::body::store::{SharedBody, SharedReader};
use crate::http::{ExchangeId, PreparedRequest, mask_secrets};
use crate::model::Variables;

/// The body looked at: past this, what came after is not checked (as in `courier test`).
const BODY_CAP: u64 = 64 * 1024 * 1024;

/// A request's assertions and captures, waiting for its response to end.
pub struct PendingChecks {
    asserts: Vec<String>,
    captures: Variables,
    values: Vec<(String, Result<String, String>)>,
    secrets: Vec<String>,
}

/// What a plan's request asks to check: its assertions and captures, when it has any.
pub fn wanted(plan: &SendPlan) -> Option<(Vec<String>, Variables)> {
    let (_, _, request) = plan.sendable()?;
    let request = &request.request;
    (!request.asserts.is_empty() || !request.captures.is_empty())
        .then(|| (request.asserts.clone(), request.captures.clone()))
}

impl PendingChecks {
    /// The checks of a request as it was prepared (its placeholders' values, its secrets).
    pub fn new(wanted: (Vec<String>, Variables), prepared: &mut PreparedRequest) -> Self {
        PendingChecks {
            asserts: wanted.0,
            captures: wanted.1,
            values: std::mem::take(&mut prepared.assert_values),
            secrets: prepared.secrets.clone(),
        }
    }

    /// Checks the whole response on a blocking thread and answers with `Msg::Checked`.
    pub fn run(
        self,
        exchange: ExchangeId,
        head: (u16, Vec<(String, String)>),
        body: SharedBody,
        duration_ms: f64,
        results: mpsc::UnboundedSender<Msg>,
    ) {
        tokio::task::spawn_blocking(move || {
            let mut bytes = Vec::new();
            let _ = SharedReader::new(body)
                .take(BODY_CAP)
                .read_to_end(&mut bytes);
            let response = crate::check::Response {
                status: head.0,
                headers: &head.1,
                body: &bytes,
                duration_ms,
            };
            let mask = |text: &str| mask_secrets(text, &self.secrets);
            let mut checked =
                crate::check::check_all(&self.asserts, &self.values, &response, &mask);
            let (captured, failed) = crate::check::take_captures(&self.captures, &response, &mask);
            checked.extend(failed);
            let _ = results.send(Msg::Checked {
                exchange,
                results: checked,
                captured,
            });
        });
    }
}
