//! `courier send` and request chaining: a saved request whose `{{response …}}` needs another
//! request's response gets it by sending that request first (and its own dependencies before
//! it), each once per run, with the same cookie jar. The CLI keeps no responses between runs,
//! so every dependency is sent; each is said on stderr with its status. Requests that need
//! each other are an error naming the loop, never followed: [`crate::chain::plan`] decides,
//! as it does for the TUI.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::mpsc;

use crate::body::store::{BodyStore, MEMORY_CAP};
use crate::chain::plan::{Step, cycle_message, next_step};
use crate::chain::{Latest, LatestHead, LatestState, Responses};
use crate::demo::{DemoOptions, DemoServer};
use crate::http::{self, CookieJar, Engine, EngineEvent, ExchangeId, PreparedRequest};
use crate::model::{Options, Variables};
use crate::store::lookup::name_path;
use crate::store::{Collection, LoadedRequest};

/// What every request of this run is prepared with.
pub struct Run<'a> {
    pub collection: &'a Collection,
    pub defaults: &'a Options,
    pub environment: Option<String>,
    pub overrides: Variables,
    pub jar: Arc<CookieJar>,
    /// Where dependency bodies too big for memory go.
    pub spill_dir: PathBuf,
    /// The demo server, started when a request first needs it (once, for every request of
    /// the run, whichever task asks first).
    pub demo: &'a tokio::sync::OnceCell<DemoServer>,
    /// Whether each dependency sent is said on stderr (`courier send`); `courier test` says
    /// how each request went its own way.
    pub tell: bool,
    /// Asks `{{prompt …}}`s on the terminal.
    pub ask: Option<&'a http::effects::Ask<'a>>,
}

/// Why `courier send` could not prepare its request.
#[derive(Debug, thiserror::Error)]
pub enum PrepareRunError {
    #[error("{} is not a request of {collection}", path.display())]
    NotARequest { path: PathBuf, collection: String },
    #[error("cannot start the demo server: {0}")]
    Demo(#[from] crate::demo::DemoError),
    /// The request does not render (`who`: its file, or its name when a dependency's value
    /// is what is missing).
    #[error("{who}: {error}")]
    Render {
        who: String,
        error: http::PrepareError,
    },
    #[error("{0}")]
    Cycle(String),
    #[error("nothing to send")]
    Nothing,
}

/// Prepares the request at `target`, sending the requests it needs responses of first.
pub async fn prepare(run: &mut Run<'_>, target: &Path) -> Result<PreparedRequest, PrepareRunError> {
    let engine = Engine::new();
    let origin = Instant::now();
    let mut latest: HashMap<PathBuf, Latest> = HashMap::new();
    // The collection's own spelling of the path, so a loop back to it is recognised.
    let mut stack = vec![find(run.collection, target)?.1.path.clone()];
    let mut next_exchange = 1;
    while let Some(top) = stack.last().cloned() {
        let (folders, request) = find(run.collection, &top)?;
        let lookup = |path: &Path| latest.get(path).cloned();
        let context = context(run, &lookup, origin);
        let prepared = http::prepare(run.collection, &folders, request, run.defaults, &context);
        match prepared {
            Ok(mut prepared) => {
                prepared.cookie_jar = Some(run.jar.clone());
                if stack.len() == 1 {
                    return Ok(prepared);
                }
                let response = send(&engine, ExchangeId(next_exchange), prepared, run).await;
                next_exchange += 1;
                tell(run, || {
                    format!(
                        "sent {}: {}",
                        name_path(&run.collection.dir, &top),
                        outcome(&response)
                    )
                });
                latest.insert(top, response);
                stack.pop();
            }
            // Only a request that really renders `{{$demo}}` starts the demo server (an
            // environment may point the collection's base URL elsewhere).
            Err(error) if error.needs_demo() && run.demo.get().is_none() => {
                run.demo
                    .get_or_try_init(|| DemoServer::start(DemoOptions::default()))
                    .await?;
            }
            Err(error) => {
                let who = name_path(&run.collection.dir, &top);
                let Some((dependency, reason)) = error.needs_response() else {
                    return Err(PrepareRunError::Render {
                        who: request.path.display().to_string(),
                        error,
                    });
                };
                // Each request on the stack waits for the one above it.
                let waits_for = |path: &Path| {
                    let at = stack.iter().position(|p| p == path)?;
                    stack.get(at + 1).cloned()
                };
                if let Step::Cycle(cycle) = next_step(&top, dependency, &waits_for, false) {
                    let names: Vec<String> = from_first_asked(&cycle, &stack)
                        .iter()
                        .map(|p| name_path(&run.collection.dir, p))
                        .collect();
                    return Err(PrepareRunError::Cycle(cycle_message(&names)));
                }
                if latest.contains_key(dependency) {
                    return Err(PrepareRunError::Render { who, error });
                }
                tell(run, || {
                    format!(
                        "{who} needs {} ({reason}): sending it first",
                        name_path(&run.collection.dir, dependency)
                    )
                });
                stack.push(dependency.to_owned());
            }
        }
    }
    // The stack starts with the target and the loop returns it; an empty stack is a bug.
    Err(PrepareRunError::Nothing)
}

/// What a request of the run is prepared with: the run's values, and the responses sent
/// for it so far.
fn context<'l>(
    run: &Run<'l>,
    lookup: &'l dyn Fn(&Path) -> Option<Latest>,
    origin: Instant,
) -> http::SendContext<'l> {
    http::SendContext {
        environment: run.environment.clone(),
        overrides: run.overrides.clone(),
        demo_url: run.demo.get().map(DemoServer::url),
        responses: Some(Responses {
            latest: lookup,
            now: Instant::now(),
            origin,
        }),
        answers: Vec::new(),
        ask: run.ask,
        skip_hooks: false,
    }
}

/// Says `what` on stderr when the run tells of its dependencies.
fn tell(run: &Run<'_>, what: impl FnOnce() -> String) {
    if run.tell {
        eprintln!("courier: {}", what());
    }
}

/// How a dependency's send ended, for stderr: its status, or why it failed.
fn outcome(response: &Latest) -> String {
    match (&response.state, &response.head) {
        (LatestState::Failed(why), _) => format!("failed: {why}"),
        (_, Some(head)) => head.status.clone(),
        (_, None) => "no response".to_owned(),
    }
}

/// Sends a dependency and keeps its whole response.
async fn send(
    engine: &Engine,
    exchange: ExchangeId,
    prepared: PreparedRequest,
    run: &Run<'_>,
) -> Latest {
    let (events, mut received) = mpsc::channel(64);
    let _handle = engine.send(exchange, prepared, events);
    let body = BodyStore::shared(run.spill_dir.clone(), MEMORY_CAP);
    let started = Instant::now();
    let mut head = None;
    while let Some(event) = received.recv().await {
        event.write_body(&body, started.elapsed());
        match event {
            EngineEvent::Waiting { message, .. } => eprintln!("courier: {message}"),
            EngineEvent::Started { .. }
            | EngineEvent::Chunk { .. }
            | EngineEvent::Opened { .. }
            | EngineEvent::Frame { .. }
            | EngineEvent::Closed { .. } => {}
            EngineEvent::Head { head: h, .. } => head = Some(LatestHead::from(&h)),
            EngineEvent::Done { .. } => {
                return Latest {
                    head,
                    body,
                    state: LatestState::Done {
                        finished: Instant::now(),
                    },
                };
            }
            EngineEvent::Failed { failure, .. } => {
                return Latest {
                    head,
                    body,
                    state: LatestState::Failed(failure.message),
                };
            }
        }
    }
    Latest {
        head,
        body,
        state: LatestState::Failed("the exchange ended without a word".to_owned()),
    }
}

/// The loop `cycle` (its first request repeated at its end) told from the request of `stack`
/// that was asked for first: the one the user named comes first.
fn from_first_asked(cycle: &[PathBuf], stack: &[PathBuf]) -> Vec<PathBuf> {
    let ring = &cycle[..cycle.len().saturating_sub(1)];
    let start = ring
        .iter()
        .enumerate()
        .min_by_key(|(_, p)| stack.iter().position(|s| s == *p).unwrap_or(usize::MAX))
        .map_or(0, |(at, _)| at);
    let mut names: Vec<PathBuf> = ring[start..]
        .iter()
        .chain(&ring[..start])
        .cloned()
        .collect();
    names.extend(names.first().cloned());
    names
}

fn find<'c>(
    collection: &'c Collection,
    path: &Path,
) -> Result<(Vec<&'c crate::store::Folder>, &'c LoadedRequest), PrepareRunError> {
    collection
        .requests()
        .into_iter()
        .find(|(_, request)| super::send::same_file(&request.path, path))
        .ok_or_else(|| PrepareRunError::NotARequest {
            path: path.to_owned(),
            collection: collection.name().to_owned(),
        })
}
