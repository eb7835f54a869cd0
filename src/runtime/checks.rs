//! A finished response checked against its request's assertions, and its captures taken, off
//! the UI thread: the answer comes back as `Msg::Checked` for the Tests tab (and the captured
//! values become session values). The lines are rendered with the values their templates had
//! when the request was prepared, and what is shown is masked with the request's secrets, as
//! `courier test` does (`check::request`). The request's `after_response` hooks run here too,
//! with the same body: what they set comes back as `Msg::HooksRan`, a failure as a notice.

use std::io::Read;

use tokio::sync::mpsc;

use crate::app::{Msg, SendPlan};
use crate::body::store::{SharedBody, SharedReader};
use crate::http::hooks::{AfterResponse, Answered};
use crate::http::{ExchangeId, PreparedRequest, mask_secrets};
use crate::model::Variables;

/// The body looked at: past this, what came after is not checked (as in `courier test`).
const BODY_CAP: u64 = 64 * 1024 * 1024;

/// A request's assertions, captures and `after_response` hooks, waiting for its response to
/// end.
pub struct PendingChecks {
    asserts: Vec<String>,
    captures: Variables,
    values: Vec<(String, Result<String, String>)>,
    secrets: Vec<String>,
    after: Option<AfterResponse>,
}

/// What a plan's request asks to check: its name, assertions and captures.
pub fn wanted(plan: &SendPlan) -> Option<(String, Vec<String>, Variables)> {
    let (_, _, request) = plan.sendable()?;
    let request = &request.request;
    Some((
        request.name.clone(),
        request.asserts.clone(),
        request.captures.clone(),
    ))
}

impl PendingChecks {
    /// The checks of a request as it was prepared (its placeholders' values, its secrets),
    /// when it has assertions, captures or `after_response` hooks.
    pub fn new(
        wanted: Option<(String, Vec<String>, Variables)>,
        prepared: &mut PreparedRequest,
    ) -> Option<Self> {
        let (label, asserts, captures) = wanted?;
        let after = AfterResponse::of(prepared, &label);
        if asserts.is_empty() && captures.is_empty() && after.is_none() {
            return None;
        }
        Some(PendingChecks {
            asserts,
            captures,
            values: std::mem::take(&mut prepared.assert_values),
            secrets: prepared.secrets.clone(),
            after,
        })
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
                query: &[],
            };
            if let Some(after) = &self.after {
                let _ = results.send(after_response(after, &response));
            }
            if self.asserts.is_empty() && self.captures.is_empty() {
                return;
            }
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

/// Runs the `after_response` hooks; what they did, or why they failed, for the app.
fn after_response(after: &AfterResponse, response: &crate::check::Response<'_>) -> Msg {
    let answered = Answered {
        status: response.status,
        headers: response.headers,
        body: response.body,
        duration_ms: response.duration_ms,
    };
    match after.run(&answered) {
        Ok(ran) => Msg::HooksRan {
            notes: ran.notes,
            variables: ran.variables,
        },
        Err(err) => Msg::Notice(mask_secrets(&err.to_string(), after.secrets())),
    }
}
