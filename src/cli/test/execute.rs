//! Sending a plan's requests and checking them. Each group goes in order with its own
//! variables (a capture is seen by the requests after it in its group); the setup group goes
//! first and its captures reach every group; then up to `--jobs` groups at once on one
//! engine (one connection pool) and one cookie jar. A request that failed is sent again up to
//! `--retry` times; `--bail` stops sending after the first failure. Every result goes to the
//! caller's channel as it is known, with the secrets the request was sent with masked.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::plan::{Plan, Planned};
use crate::check;
use crate::cli::{dependencies, exit, output};
use crate::demo::DemoServer;
use crate::http::hooks::{AfterResponse, Answered as AfterAnswered};
use crate::http::{CookieJar, Engine, EngineEvent, ExchangeId, mask_secrets};
use crate::model::{Options, Variables};
use crate::report::{RequestResult, Verdict};
use crate::store::{Collection, LoadedRequest};

/// The body kept for checking: past this, what came after is not looked at.
const BODY_CAP: usize = 64 * 1024 * 1024;

/// How the run goes, from the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    pub jobs: usize,
    pub retry: u32,
    pub retry_interval: Duration,
    pub bail: bool,
}

/// What every request of a collection's run is prepared with.
pub struct Shared<'a> {
    pub collection: &'a Collection,
    pub defaults: &'a Options,
    pub environment: Option<String>,
    pub jar: Arc<CookieJar>,
    pub spill_dir: std::path::PathBuf,
    pub demo: &'a tokio::sync::OnceCell<DemoServer>,
}

impl<'a> Shared<'a> {
    fn run(&self, overrides: Variables) -> dependencies::Run<'a> {
        dependencies::Run {
            collection: self.collection,
            defaults: self.defaults,
            environment: self.environment.clone(),
            overrides,
            jar: self.jar.clone(),
            spill_dir: self.spill_dir.clone(),
            demo: self.demo,
            tell: false,
            ask: Some(&crate::cli::prompt::ON_TERMINAL),
        }
    }
}

/// Sends requests and says how each went.
pub struct Runner {
    pub engine: Engine,
    pub settings: Settings,
    /// When the run started: each result's `started_ms` counts from it.
    pub origin: Instant,
    pub results: mpsc::UnboundedSender<RequestResult>,
    /// Set by `--bail` at the first failure: no request is sent after it.
    pub stop: AtomicBool,
    /// Where each exchange is recorded, when the history is on.
    pub history: Option<super::record::RunHistory>,
    next_exchange: std::sync::atomic::AtomicU64,
}

impl Runner {
    pub fn new(
        settings: Settings,
        results: mpsc::UnboundedSender<RequestResult>,
        history: Option<super::record::RunHistory>,
    ) -> Runner {
        Runner {
            engine: Engine::new(),
            settings,
            origin: Instant::now(),
            results,
            stop: AtomicBool::new(false),
            history,
            next_exchange: 1.into(),
        }
    }

    /// One pass over `plan` with `overrides` (the data row's and `--var` values): its
    /// results, each with its place in the plan.
    pub async fn iteration(
        &self,
        shared: &Shared<'_>,
        plan: &Plan<'_>,
        iteration: usize,
        overrides: Variables,
    ) -> Vec<(usize, RequestResult)> {
        let mut setup = shared.run(overrides);
        let mut results = self.group(&mut setup, &plan.setup, iteration).await;
        let after_setup = setup.overrides;
        let groups: Vec<Vec<(usize, RequestResult)>> = futures_util::stream::iter(&plan.groups)
            .map(|group| {
                let mut run = shared.run(after_setup.clone());
                async move { self.group(&mut run, group, iteration).await }
            })
            .buffer_unordered(self.settings.jobs.max(1))
            .collect()
            .await;
        results.extend(groups.into_iter().flatten());
        results
    }

    async fn group(
        &self,
        run: &mut dependencies::Run<'_>,
        group: &[(usize, Planned<'_>)],
        iteration: usize,
    ) -> Vec<(usize, RequestResult)> {
        let mut results = Vec::new();
        for (index, planned) in group {
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            let result = self.planned(run, planned, iteration).await;
            if self.settings.bail && result.verdict() != Verdict::Passed {
                self.stop.store(true, Ordering::Relaxed);
            }
            // The receiver only goes away when the caller stopped listening.
            let _ = self.results.send(result.clone());
            results.push((*index, result));
        }
        results
    }

    async fn planned(
        &self,
        run: &mut dependencies::Run<'_>,
        planned: &Planned<'_>,
        iteration: usize,
    ) -> RequestResult {
        match planned {
            Planned::Broken {
                folders,
                name,
                file,
                error,
            } => RequestResult {
                iteration,
                folders: folders.clone(),
                name: name.clone(),
                file: file.clone(),
                attempts: 1,
                error: Some(error.clone()),
                error_code: Some(exit::COLLECTION),
                started_ms: self.elapsed_ms(),
                ..RequestResult::default()
            },
            Planned::Request {
                folders,
                request,
                file,
            } => {
                let mut result = RequestResult {
                    iteration,
                    folders: folders.clone(),
                    name: request.request.name.clone(),
                    file: file.clone(),
                    method: request.request.method.to_string(),
                    url: request.request.url.clone(),
                    ..RequestResult::default()
                };
                self.with_retries(run, request, &mut result).await;
                result
            }
        }
    }

    /// Sends `request` until it passes or its tries are used up; its captures are taken from
    /// the last response.
    async fn with_retries(
        &self,
        run: &mut dependencies::Run<'_>,
        request: &LoadedRequest,
        result: &mut RequestResult,
    ) {
        loop {
            result.attempts += 1;
            let (checked, recorded) = self.attempt(run, request, result).await;
            let done = result.verdict() == Verdict::Passed
                || result.attempts > self.settings.retry
                || self.stop.load(Ordering::Relaxed);
            if done {
                if let Some((response, secrets)) = checked {
                    take_captures(run, request, &response, &secrets, result);
                }
                if let (Some(history), Some(exchange)) = (&self.history, recorded) {
                    history.verdict(exchange, result.verdict() == Verdict::Passed);
                }
                return;
            }
            tokio::time::sleep(self.settings.retry_interval).await;
        }
    }

    /// One send of `request`, its assertions checked into `result`: the response and the
    /// secrets it was sent with, when one came, and the exchange recorded in the history.
    async fn attempt(
        &self,
        run: &mut dependencies::Run<'_>,
        request: &LoadedRequest,
        result: &mut RequestResult,
    ) -> (Option<(Collected, Vec<String>)>, Option<i64>) {
        result.error = None;
        result.error_code = None;
        result.status = None;
        result.assertions.clear();
        result.started_ms = self.elapsed_ms();
        let mut prepared = match dependencies::prepare(run, &request.path).await {
            Ok(prepared) => prepared,
            Err(err) => {
                result.error = Some(err.to_string());
                result.error_code = Some(exit::COLLECTION);
                return (None, None);
            }
        };
        let secrets = prepared.secrets.clone();
        let values = std::mem::take(&mut prepared.assert_values);
        // Variables a hook set reach the requests after it, as captures do.
        run.overrides
            .extend(std::mem::take(&mut prepared.hook_variables));
        result.method = prepared.method.clone();
        result.url = mask_secrets(&prepared.url, &secrets);
        let after = AfterResponse::of(&prepared, &request.request.name);
        let id = ExchangeId(self.next_exchange.fetch_add(1, Ordering::Relaxed));
        let (events, received) = mpsc::channel(64);
        let _exchange = self.engine.send(id, prepared, events);
        let mut recorder = self.history.as_ref().and_then(|history| {
            history.recorder(run.collection, request, run.environment.as_deref())
        });
        let response = match collected(received, recorder.as_mut()).await {
            Ok(response) => response,
            Err(failure) => {
                result.duration_ms = self.elapsed_ms() - result.started_ms;
                result.error = Some(mask_secrets(&failure.message, &secrets));
                result.error_code = Some(output::exit_code(failure.kind));
                return (None, self.keep(recorder));
            }
        };
        result.status = Some(response.status);
        result.duration_ms = response.duration_ms;
        result.size = response.size;
        let mask = |text: &str| mask_secrets(text, &secrets);
        result.assertions =
            check::check_all(&request.request.asserts, &values, &response.view(), &mask);
        // Variables an `after_response` hook set reach the requests after it.
        match after.map(|after| after.run(&response.answered())) {
            Some(Ok(ran)) => run.overrides.extend(ran.variables),
            Some(Err(err)) => {
                result.error = Some(mask(&err.to_string()));
                result.error_code = Some(exit::COLLECTION);
            }
            None => {}
        }
        let recorded = self.keep(recorder);
        (Some((response, secrets)), recorded)
    }

    fn keep(&self, recorder: Option<crate::history::Recorder>) -> Option<i64> {
        self.history.as_ref()?.keep(recorder?)
    }

    fn elapsed_ms(&self) -> f64 {
        self.origin.elapsed().as_secs_f64() * 1000.0
    }
}

/// The request's captures, as variables for the requests after it in its group; one that
/// finds nothing fails the request.
fn take_captures(
    run: &mut dependencies::Run<'_>,
    request: &LoadedRequest,
    response: &Collected,
    secrets: &[String],
    result: &mut RequestResult,
) {
    let mask = |text: &str| mask_secrets(text, secrets);
    let (taken, failed) = check::take_captures(&request.request.captures, &response.view(), &mask);
    run.overrides.extend(taken);
    result.assertions.extend(failed);
}

/// A response as collected for checking.
pub struct Collected {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    size: u64,
    duration_ms: f64,
}

impl Collected {
    /// As `after_response` hooks are given it.
    fn answered(&self) -> AfterAnswered<'_> {
        AfterAnswered {
            status: self.status,
            headers: &self.headers,
            body: &self.body,
            duration_ms: self.duration_ms,
        }
    }

    fn view(&self) -> check::Response<'_> {
        check::Response {
            status: self.status,
            headers: &self.headers,
            body: &self.body,
            duration_ms: self.duration_ms,
            query: &[],
        }
    }
}

/// The exchange's head, body (up to [`BODY_CAP`]) and duration, or its failure; each event
/// goes to `recorder` too, when there is one.
async fn collected(
    mut events: mpsc::Receiver<EngineEvent>,
    mut recorder: Option<&mut crate::history::Recorder>,
) -> Result<Collected, crate::http::Failure> {
    let mut response = Collected {
        status: 0,
        headers: Vec::new(),
        body: Vec::new(),
        size: 0,
        duration_ms: 0.0,
    };
    while let Some(event) = events.recv().await {
        if let Some(recorder) = recorder.as_deref_mut() {
            recorder.take(&event);
        }
        match event {
            EngineEvent::Head { head, .. } => {
                response.status = head.status;
                response.headers = head.headers;
            }
            EngineEvent::Chunk { bytes, .. } => {
                let room = BODY_CAP.saturating_sub(response.body.len());
                response
                    .body
                    .extend_from_slice(&bytes[..bytes.len().min(room)]);
            }
            EngineEvent::Done { summary, .. } => {
                response.duration_ms = summary.timing.total.as_secs_f64() * 1000.0;
                response.size = summary.body_bytes;
                return Ok(response);
            }
            EngineEvent::Failed { failure, .. } => return Err(failure),
            // `courier test` sends HTTP requests; a WebSocket's events have nothing to check yet.
            EngineEvent::Opened { .. } | EngineEvent::Frame { .. } | EngineEvent::Closed { .. } => {
            }
            EngineEvent::Waiting { message, .. } => eprintln!("courier: {message}"),
            EngineEvent::Started { .. } => {}
        }
    }
    Ok(response)
}
