//! Request chaining in the UI: when a request's `{{response …}}` needs another request's
//! response first, that request is sent (in its own pane, marked in the tree, said in the
//! footer) and the first one waits; when the response arrives the waiting request is sent
//! again, and when it fails the waiting one fails with the reason. What to do is decided by
//! [`crate::chain::plan`], as for `courier send`; who waits for whom is read from the sends'
//! phases.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::sends::Phase;
use super::{App, Cmd};
use crate::chain::Latest;
use crate::chain::plan::{Step, cycle_message, next_step};
use crate::http::{EngineEvent, ExchangeId, Failure, FailureKind};

impl App {
    /// The latest response of the request at `path`, for `{{response …}}`.
    pub fn latest_response(&self, path: &Path) -> Option<Latest> {
        self.sends.get(path).map(super::ResponseView::latest)
    }

    /// When the user's send that the request at `path` is part of began.
    pub fn send_origin(&self, path: &Path) -> Option<Instant> {
        self.sends.get(path).map(|r| r.origin)
    }

    /// The request of `exchange` needs `dependency`'s response first: send that (unless it
    /// is on its way) and wait for it, or report the cycle.
    pub(super) fn on_needs_response(
        &mut self,
        exchange: ExchangeId,
        dependency: PathBuf,
        reason: &str,
    ) -> Vec<Cmd> {
        let Some(dependent) = self.sends.request_of(exchange).map(Path::to_owned) else {
            return Vec::new(); // replaced meanwhile
        };
        let Some(origin) = self
            .sends
            .get(&dependent)
            .filter(|r| r.phase == Phase::Preparing)
            .map(|r| r.origin)
        else {
            return Vec::new(); // cancelled meanwhile
        };
        let waits_for = |path: &Path| self.sends.waits_for(path).map(Path::to_owned);
        let on_its_way = self
            .sends
            .get(&dependency)
            .is_some_and(|r| r.phase.is_active());
        let step = next_step(&dependent, &dependency, &waits_for, on_its_way);
        if let Step::Cycle(cycle) = step {
            let names: Vec<String> = cycle.iter().map(|p| self.request_label(p)).collect();
            return self.fail_exchange(exchange, cycle_message(&names));
        }
        let label = self.request_label(&dependency);
        let dependent_label = self.request_label(&dependent);
        if let Some(response) = self.sends.get_mut(&dependent) {
            response.phase = Phase::Waiting {
                on: dependency.clone(),
                why: format!("{label} ({reason})"),
            };
        }
        if step == Step::Wait {
            self.notice = Some(format!("{dependent_label} waits for {label}, on its way."));
            return Vec::new();
        }
        self.notice = Some(format!(
            "Sending {label} first: {dependent_label} needs its response ({reason})."
        ));
        self.send_in_chain(dependency, origin)
    }

    /// The requests that need `dependency`'s response, which just arrived: send them again.
    pub(super) fn resume_waiting_on(&mut self, dependency: &Path) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        for dependent in self.sends.waiting_on(dependency) {
            let origin = self
                .sends
                .get(&dependent)
                .map_or_else(|| self.clock(), |r| r.origin);
            cmds.extend(self.send_in_chain(dependent, origin));
        }
        cmds
    }

    /// `dependency` failed: so does every request waiting for it (and those waiting for them).
    pub(super) fn fail_waiting_on(&mut self, dependency: &Path, why: &str) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        let label = self.request_label(dependency);
        for dependent in self.sends.waiting_on(dependency) {
            if let Some(exchange) = self.sends.get(&dependent).map(|r| r.exchange) {
                cmds.extend(self.fail_exchange(
                    exchange,
                    format!("needs the response of {label}, which failed: {why}"),
                ));
            }
        }
        cmds
    }

    /// Stops the request's wait for another's response (that one goes on). False when it is
    /// not waiting.
    pub(super) fn cancel_waiting(&mut self, path: &Path) -> bool {
        if self.sends.waits_for(path).is_none() {
            return false;
        }
        if let Some(exchange) = self.sends.get(path).map(|r| r.exchange) {
            self.end_cancelled(exchange, "cancelled while waiting for another response");
        }
        true
    }

    /// Ends `exchange` as cancelled by the user, before the engine had it.
    pub(super) fn end_cancelled(&mut self, exchange: ExchangeId, message: &str) -> Vec<Cmd> {
        self.on_engine_event(EngineEvent::Failed {
            id: exchange,
            failure: Failure {
                kind: FailureKind::Cancelled,
                message: message.to_owned(),
            },
        })
    }

    /// Ends `exchange` as failed before anything was sent.
    pub(super) fn fail_exchange(&mut self, exchange: ExchangeId, message: String) -> Vec<Cmd> {
        self.on_engine_event(EngineEvent::Failed {
            id: exchange,
            failure: Failure {
                kind: FailureKind::Request,
                message,
            },
        })
    }

    /// `folder/request` inside its collection, as `{{response …}}` names it.
    pub fn request_label(&self, path: &Path) -> String {
        let collection = self
            .requests
            .workspace()
            .collections
            .iter()
            .find(|c| path.starts_with(&c.dir));
        crate::store::lookup::name_path(collection.map_or(Path::new(""), |c| &c.dir), path)
    }

    /// The time of the message being handled: the runtime's clock, handed in with it.
    pub(super) fn clock(&self) -> Instant {
        self.now
            .expect("update sets the time before handling a message")
    }
}
