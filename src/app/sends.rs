//! Sends: every request's latest send, from the user's `Ctrl-R` to its end, in one place.
//! Each request has at most one [`ResponseView`], and its [`Phase`] says where the send is —
//! waiting for another request's response, being prepared by the runtime, on the wire, done,
//! failed or cancelled — holding exactly that phase's data. Which exchange belongs to which
//! request, who waits for whom and when a chain of sends began are all read from here, so
//! there are no parallel maps to keep in step. Pure state: the runtime prepares and sends.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::ResponseView;
use crate::body::store::{BodyStore, MEMORY_CAP, SharedBody};
use crate::chain::{Latest, LatestHead, LatestState};
use crate::http::{ExchangeId, Failure, Summary};
use crate::model::Variables;
use crate::store::{LoadedRequest, Workspace};

/// Everything the runtime needs to prepare one request and send it, off the UI loop and
/// without reading the app back: a snapshot, cheap to take (the workspace and the bodies are
/// shared, not copied).
#[derive(Debug, Clone)]
pub struct SendPlan {
    /// The request's file.
    pub request: PathBuf,
    /// The collections as they were when the user sent.
    pub workspace: Arc<Workspace>,
    /// The request as edited, when it has edits not yet saved.
    pub draft: Option<LoadedRequest>,
    /// The active environment of the request's collection.
    pub environment: Option<String>,
    /// Values set for this session (`Ctrl-G`), over every other value.
    pub session: Variables,
    /// The latest response of each request, for `{{response …}}`.
    pub responses: HashMap<PathBuf, Latest>,
    /// When the user's send this belongs to began: a dependency's response that finished
    /// since is fresh whatever its `max_age`.
    pub origin: Instant,
    /// Answers given to the request's `{{prompt …}}`s for this send, by label.
    pub answers: Vec<(String, String)>,
}

impl SendPlan {
    /// The request to send, as edited, with its collection and enclosing folders.
    pub fn sendable(
        &self,
    ) -> Option<(
        &crate::store::Collection,
        Vec<&crate::store::Folder>,
        &LoadedRequest,
    )> {
        let (collection, folders, saved) = self.workspace.find_request(&self.request)?;
        Some((collection, folders, self.draft.as_ref().unwrap_or(saved)))
    }
}

/// The store a send's response body is written into: the runtime's send task writes, the
/// response pane reads. Two are equal when they are the same store.
#[derive(Debug, Clone)]
pub struct ResponseBody(pub SharedBody);

impl PartialEq for ResponseBody {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Two plans are the same when they were taken of the same state: the same snapshot of the
/// workspace and of the responses (compared by identity), and equal values otherwise.
impl PartialEq for SendPlan {
    fn eq(&self, other: &Self) -> bool {
        let same_responses = self.responses.len() == other.responses.len()
            && self.responses.iter().all(|(path, latest)| {
                other
                    .responses
                    .get(path)
                    .is_some_and(|o| Arc::ptr_eq(&o.body, &latest.body))
            });
        self.request == other.request
            && Arc::ptr_eq(&self.workspace, &other.workspace)
            && self.draft == other.draft
            && self.environment == other.environment
            && self.session == other.session
            && self.origin == other.origin
            && same_responses
    }
}

/// Where a send is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// It needs another request's response first (`{{response …}}`): `on` is that request's
    /// file, `why` names it and says why (for the status line).
    Waiting { on: PathBuf, why: String },
    /// The runtime renders it (files, chained values, the demo server) and hands it over.
    Preparing,
    /// On the wire.
    InFlight,
    /// Complete.
    Done { summary: Summary, finished: Instant },
    /// It ended without a complete response: it did not prepare, the exchange broke, or the
    /// response it waited for failed.
    Failed { failure: Failure, finished: Instant },
    /// The user stopped it.
    Cancelled { message: String, finished: Instant },
}

impl Phase {
    /// Whether the send is still going (waiting, preparing or on the wire).
    pub fn is_active(&self) -> bool {
        matches!(
            self,
            Phase::Waiting { .. } | Phase::Preparing | Phase::InFlight
        )
    }

    /// Why it did not complete, when it did not.
    pub fn failure(&self) -> Option<&str> {
        match self {
            Phase::Failed { failure, .. } => Some(&failure.message),
            Phase::Cancelled { message, .. } => Some(message),
            _ => None,
        }
    }

    /// When it ended.
    pub fn finished(&self) -> Option<Instant> {
        match self {
            Phase::Done { finished, .. }
            | Phase::Failed { finished, .. }
            | Phase::Cancelled { finished, .. } => Some(*finished),
            _ => None,
        }
    }
}

/// The latest send of each request, by request file.
#[derive(Debug)]
pub struct Sends {
    latest: HashMap<PathBuf, ResponseView>,
    next_exchange: u64,
    /// Where response bodies too big for memory go (an unlinked file, gone on exit).
    spill_dir: PathBuf,
}

impl Default for Sends {
    fn default() -> Self {
        Sends {
            latest: HashMap::new(),
            next_exchange: 1,
            spill_dir: std::env::temp_dir(),
        }
    }
}

/// A new send, as [`Sends::begin`] made it.
#[derive(Debug)]
pub struct Begun {
    pub exchange: ExchangeId,
    /// The request's earlier exchange, still running: the runtime stops it.
    pub replaced: Option<ExchangeId>,
    /// Where its response body goes.
    pub body: SharedBody,
}

impl Sends {
    /// The latest send of the request at `path`.
    pub fn get(&self, path: &Path) -> Option<&ResponseView> {
        self.latest.get(path)
    }

    pub fn get_mut(&mut self, path: &Path) -> Option<&mut ResponseView> {
        self.latest.get_mut(path)
    }

    /// The request whose latest send is `exchange` (none once a newer send replaced it).
    pub fn request_of(&self, exchange: ExchangeId) -> Option<&Path> {
        self.latest
            .iter()
            .find(|(_, view)| view.exchange == exchange)
            .map(|(path, _)| path.as_path())
    }

    /// The latest send that is `exchange`.
    pub fn by_exchange(&self, exchange: ExchangeId) -> Option<&ResponseView> {
        self.latest.values().find(|view| view.exchange == exchange)
    }

    pub fn by_exchange_mut(&mut self, exchange: ExchangeId) -> Option<&mut ResponseView> {
        self.latest
            .values_mut()
            .find(|view| view.exchange == exchange)
    }

    /// Whether any send is still going (the runtime ticks the clock only then).
    pub fn any_active(&self) -> bool {
        self.latest.values().any(|view| view.phase.is_active())
    }

    /// Where bodies too big for memory are spilled from now on.
    pub fn set_spill_dir(&mut self, dir: PathBuf) {
        self.spill_dir = dir;
    }

    /// Starts a new send of the request at `path`, replacing its latest one, with an empty
    /// body store; `origin` is when the user's send it belongs to began, `now` the time of
    /// this message.
    pub fn begin(&mut self, path: PathBuf, origin: Instant, now: Instant) -> Begun {
        let body = BodyStore::shared(self.spill_dir.clone(), MEMORY_CAP);
        let replaced = self
            .latest
            .get(&path)
            .filter(|view| view.phase.is_active())
            .map(|view| view.exchange);
        let exchange = ExchangeId(self.next_exchange);
        self.next_exchange += 1;
        self.latest
            .insert(path, ResponseView::new(exchange, origin, now, body.clone()));
        Begun {
            exchange,
            replaced,
            body,
        }
    }

    /// The requests waiting for `dependency`'s response, in a stable order.
    pub fn waiting_on(&self, dependency: &Path) -> Vec<PathBuf> {
        let mut dependents: Vec<PathBuf> = self
            .latest
            .iter()
            .filter(
                |(_, view)| matches!(&view.phase, Phase::Waiting { on, .. } if on == dependency),
            )
            .map(|(path, _)| path.clone())
            .collect();
        dependents.sort();
        dependents
    }

    /// The request that the request at `path` waits for, if it waits.
    pub fn waits_for(&self, path: &Path) -> Option<&Path> {
        match &self.latest.get(path)?.phase {
            Phase::Waiting { on, .. } => Some(on),
            _ => None,
        }
    }

    /// Whether a send of `path` is already under way (preparing or on the wire): a request
    /// that needs its response waits for it rather than sending it again.
    pub fn on_its_way(&self, path: &Path) -> bool {
        self.latest
            .get(path)
            .is_some_and(|view| matches!(view.phase, Phase::Preparing | Phase::InFlight))
    }

    /// The latest response of every request, as chaining reads them (a snapshot: bodies are
    /// shared, heads copied).
    pub fn snapshot(&self) -> HashMap<PathBuf, Latest> {
        self.latest
            .iter()
            .map(|(path, view)| (path.clone(), view.latest()))
            .collect()
    }

    /// Forgets the responses of requests that are gone.
    pub fn retain(&mut self, mut keep: impl FnMut(&Path) -> bool) {
        self.latest.retain(|path, _| keep(path));
    }
}

impl ResponseView {
    /// This response as `{{response …}}` reads it.
    pub fn latest(&self) -> Latest {
        let state = match &self.phase {
            Phase::Waiting { .. } | Phase::Preparing | Phase::InFlight => LatestState::InFlight,
            Phase::Done { finished, .. } => LatestState::Done {
                finished: *finished,
            },
            Phase::Failed { failure, .. } => LatestState::Failed(failure.message.clone()),
            Phase::Cancelled { message, .. } => LatestState::Failed(message.clone()),
        };
        Latest {
            head: self.head.as_ref().map(LatestHead::from),
            body: self.body.clone(),
            state,
        }
    }
}
