//! A jq filter over the response's body (`|`): what it gave, and running it again as the
//! filter is typed. Over an event stream (SSE, NDJSON, a WebSocket session's frames) the
//! filter runs over each JSON event as `jq` runs over several inputs, before the stream ends,
//! and again as new events come while the stream goes on (at most every [`LIVE_EVERY`]).

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::inspect::PromptKind;
use super::{App, Cmd, ResponseTab};
use crate::body::jq::{JqError, JqOutput};
use crate::body::store::lock;
use crate::http::ExchangeId;

/// How often a filter over a stream still arriving runs again over the events that came.
pub const LIVE_EVERY: Duration = Duration::from_secs(1);

/// A jq filter over one response's body, and what it gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JqView {
    pub filter: String,
    /// The run asked for last; results of older runs are dropped.
    pub id: u64,
    /// The output of the last run that succeeded, by line.
    pub lines: Arc<Vec<String>>,
    pub values: usize,
    pub cut: bool,
    /// Why the latest filter gave nothing (it does not parse, the body is not JSON…).
    pub error: Option<String>,
    pub running: bool,
    /// Over an event stream: the JSON events it ran over, how many it failed on, the first
    /// failure (`event 7: jq error: cannot index string`).
    pub inputs: Option<usize>,
    pub failed: usize,
    pub first_failure: Option<String>,
    /// The events the stream had when the run was asked for, and when it was.
    events_seen: u64,
    asked_at: Option<Instant>,
}

impl App {
    /// Opens the jq prompt and runs the filter it starts with.
    pub(super) fn open_jq(&mut self) -> Vec<Cmd> {
        self.open_response_prompt(PromptKind::Jq);
        match &self.inspector.prompt {
            Some(prompt) => {
                let filter = prompt.input.text();
                self.inspector.tab = ResponseTab::Pretty;
                self.start_jq(filter, false)
            }
            None => Vec::new(),
        }
    }

    /// Runs `filter` over the shown response's body: a new filter from the top of its
    /// output, or (`again`) the same one over a stream's new events, where the view stays.
    pub(super) fn start_jq(&mut self, filter: String, again: bool) -> Vec<Cmd> {
        let now = self.now;
        let id = self.inspector.next_search;
        self.inspector.next_search += 1;
        let Some(response) = self.current_response_mut() else {
            return Vec::new();
        };
        let jq = response.jq.get_or_insert_with(|| JqView {
            filter: String::new(),
            id,
            lines: Arc::new(Vec::new()),
            values: 0,
            cut: false,
            error: None,
            running: false,
            inputs: None,
            failed: 0,
            first_failure: None,
            events_seen: 0,
            asked_at: None,
        });
        jq.filter.clone_from(&filter);
        jq.id = id;
        jq.running = true;
        jq.events_seen = lock(&response.body).events_seen();
        jq.asked_at = now;
        if !again {
            response.scroll = 0;
            response.cursor = 0;
            response.follow = false;
        }
        // The prompt opens empty (typing `.items` gives `.items`); nothing typed is the
        // identity filter, the whole body.
        let filter = if filter.trim().is_empty() {
            ".".to_owned()
        } else {
            filter
        };
        vec![Cmd::Jq {
            exchange: response.exchange,
            id,
            filter,
        }]
    }

    pub(super) fn on_jq_done(
        &mut self,
        exchange: ExchangeId,
        id: u64,
        result: Result<JqOutput, JqError>,
    ) {
        let Some(response) = self.sends.by_exchange_mut(exchange) else {
            return;
        };
        let Some(jq) = response.jq.as_mut().filter(|jq| jq.id == id) else {
            return;
        };
        jq.running = false;
        match result {
            Ok(output) => {
                jq.lines = Arc::new(output.text.lines().map(str::to_owned).collect());
                jq.values = output.values;
                jq.cut = output.cut;
                jq.error = None;
                jq.inputs = output.inputs;
                jq.failed = output.failed;
                jq.first_failure = output.first_failure;
            }
            // The last good output stays on screen under the error.
            Err(error) => jq.error = Some(error.to_string()),
        }
    }

    /// The shown response's filter runs again when its stream has new events: at most every
    /// [`LIVE_EVERY`] while they come, and once more when the stream has ended. Asked after
    /// a tick, an exchange's end, and a run's answer.
    pub(super) fn rerun_live_jq(&mut self) -> Vec<Cmd> {
        let Some(response) = self.current_response() else {
            return Vec::new();
        };
        let Some(jq) = response
            .jq
            .as_ref()
            .filter(|jq| !jq.running && jq.error.is_none())
        else {
            return Vec::new();
        };
        let (events, finished) = {
            let body = lock(&response.body);
            (body.events_seen(), body.finished)
        };
        let due = match (jq.asked_at, self.now) {
            (Some(asked), Some(now)) => now.saturating_duration_since(asked) >= LIVE_EVERY,
            _ => true,
        };
        if events > jq.events_seen && (due || finished) {
            let filter = jq.filter.clone();
            return self.start_jq(filter, true);
        }
        Vec::new()
    }
}
