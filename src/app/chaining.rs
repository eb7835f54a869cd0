//! Request chaining in the UI: when a request's `{{response …}}` needs another request's
//! response first, that request is sent (in its own pane, marked in the tree, said in the
//! footer) and the first one waits; when the response arrives the waiting request is sent
//! again, and when it fails the waiting one fails with the reason. A request that would wait,
//! directly or not, for itself is a cycle: reported, never followed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{App, Cmd, Outcome};
use crate::chain::{Latest, LatestHead, LatestState};
use crate::http::{EngineEvent, ExchangeId, Failure, FailureKind};

impl App {
    /// The latest response of the request at `path`, for `{{response …}}`.
    pub fn latest_response(&self, path: &Path) -> Option<Latest> {
        let response = self.responses.get(path)?;
        let state = match &response.outcome {
            Outcome::InFlight => LatestState::InFlight,
            Outcome::Done(_) => LatestState::Done {
                finished: response.finished_at.unwrap_or(response.started_at),
            },
            Outcome::Failed(failure) => LatestState::Failed(failure.message.clone()),
        };
        Some(Latest {
            head: response.head.as_ref().map(LatestHead::from),
            body: response.body.clone(),
            state,
        })
    }

    /// When the user's send that the request at `path` is part of began.
    pub fn send_origin(&self, path: &Path) -> Option<Instant> {
        self.send_origins.get(path).copied()
    }

    /// The request of `exchange` needs `dependency`'s response first: send that (unless it
    /// is on its way) and wait for it, or report the cycle.
    pub(super) fn on_needs_response(
        &mut self,
        exchange: ExchangeId,
        dependency: PathBuf,
        reason: &str,
    ) -> Vec<Cmd> {
        let Some(dependent) = self.exchanges.get(&exchange).cloned() else {
            return Vec::new(); // cancelled or replaced meanwhile
        };
        if let Some(cycle) = self.cycle(&dependent, &dependency) {
            let names: Vec<String> = cycle.iter().map(|p| self.request_label(p)).collect();
            let message = format!(
                "the requests need each other's responses: {}",
                names.join(" → ")
            );
            return self.fail_exchange(exchange, message);
        }
        let label = self.request_label(&dependency);
        if let Some(response) = self.responses.get_mut(&dependent) {
            response.waiting_for = Some(format!("{label} ({reason})"));
        }
        self.waiting.insert(dependent.clone(), dependency.clone());
        let on_its_way = self.responses.get(&dependency).is_some_and(|r| {
            matches!(r.outcome, Outcome::InFlight) && self.exchanges.contains_key(&r.exchange)
        });
        if on_its_way {
            self.notice = Some(format!(
                "{} waits for {label}, on its way.",
                self.request_label(&dependent)
            ));
            return Vec::new();
        }
        self.notice = Some(format!(
            "Sending {label} first: {} needs its response ({reason}).",
            self.request_label(&dependent)
        ));
        let origin = self.send_origin(&dependent).unwrap_or_else(|| self.clock());
        self.send_in_chain(dependency, origin)
    }

    /// The requests that need `dependency`'s response, which just arrived: send them again.
    pub(super) fn resume_waiting_on(&mut self, dependency: &Path) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        for dependent in self.waiting_on(dependency) {
            self.waiting.remove(&dependent);
            let origin = self.send_origin(&dependent).unwrap_or_else(|| self.clock());
            cmds.extend(self.send_in_chain(dependent, origin));
        }
        cmds
    }

    /// `dependency` failed: so does every request waiting for it (and those waiting for them).
    pub(super) fn fail_waiting_on(&mut self, dependency: &Path, why: &str) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        let label = self.request_label(dependency);
        for dependent in self.waiting_on(dependency) {
            self.waiting.remove(&dependent);
            if let Some(exchange) = self.responses.get(&dependent).map(|r| r.exchange) {
                cmds.extend(self.fail_exchange(
                    exchange,
                    format!("needs the response of {label}, which failed: {why}"),
                ));
            }
        }
        cmds
    }

    /// Stops the selected request's wait for another's response (that one goes on). False
    /// when it is not waiting.
    pub(super) fn cancel_waiting(&mut self, path: &Path) -> bool {
        if self.waiting.remove(path).is_none() {
            return false;
        }
        if let Some(response) = self.responses.get(path) {
            let exchange = response.exchange;
            let now = self.clock();
            self.on_engine_event(
                EngineEvent::Failed {
                    id: exchange,
                    failure: Failure {
                        kind: FailureKind::Cancelled,
                        message: "cancelled while waiting for another response".to_owned(),
                    },
                },
                now,
            );
        }
        true
    }

    fn fail_exchange(&mut self, exchange: ExchangeId, message: String) -> Vec<Cmd> {
        let now = self.clock();
        self.on_engine_event(
            EngineEvent::Failed {
                id: exchange,
                failure: Failure {
                    kind: FailureKind::Request,
                    message,
                },
            },
            now,
        )
    }

    fn waiting_on(&self, dependency: &Path) -> Vec<PathBuf> {
        let mut dependents: Vec<PathBuf> = self
            .waiting
            .iter()
            .filter(|(_, on)| on.as_path() == dependency)
            .map(|(dependent, _)| dependent.clone())
            .collect();
        dependents.sort(); // a stable order for sends and tests
        dependents
    }

    /// The loop `dependent` → `dependency` → … → `dependent` when `dependency` waits,
    /// directly or not, for `dependent` (or is it).
    fn cycle(&self, dependent: &Path, dependency: &Path) -> Option<Vec<PathBuf>> {
        let mut chain = vec![dependent.to_owned(), dependency.to_owned()];
        let mut at = dependency.to_owned();
        loop {
            if at == dependent {
                return Some(chain);
            }
            // The map never holds a loop, so this ends; the bound is for safety.
            if chain.len() > self.waiting.len() + 2 {
                return None;
            }
            at = self.waiting.get(&at)?.clone();
            chain.push(at.clone());
        }
    }

    /// `folder/request` inside its collection, as `{{response …}}` names it.
    pub fn request_label(&self, path: &Path) -> String {
        let collection = self
            .workspace
            .collections
            .iter()
            .find(|c| path.starts_with(&c.dir));
        crate::store::lookup::name_path(collection.map_or(Path::new(""), |c| &c.dir), path)
    }

    /// The latest time known: the clock is the runtime's, handed in with messages.
    fn clock(&self) -> Instant {
        self.now.unwrap_or_else(Instant::now)
    }
}
