//! Carrying out `Cmd::Send` and `Cmd::Preview` off the UI loop: each gets a task that starts
//! the demo server the first time a request needs it, renders the request from its
//! [`SendPlan`] (files, chained bodies: on a blocking thread), attaches the collection's
//! cookie jar and hands it to the engine, then writes the response's body into its store as
//! it arrives. The loop only spawns; what happens comes back as engine events (their bytes
//! already in the body), or as `NeedsResponse`, `SendRejected` or `Previewed` messages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::{OnceCell, mpsc};
use tokio_util::sync::CancellationToken;

use super::checks::PendingChecks;
use super::json_check::JsonCheck;
use super::recording::SharedHistory;
use crate::app::{Msg, SendPlan};
use crate::body::store::{BodyKind, SharedBody, lock};
use crate::demo::{DemoOptions, DemoServer};
use crate::history::Recorder;
use crate::http::websocket::Command;
use crate::http::{self, CookieJar, Engine, EngineEvent, ExchangeId, Failure, FailureKind};
use crate::model::Options;

/// What every send task shares: cheap to clone into each.
#[derive(Clone)]
pub struct Sender {
    engine: Engine,
    events: mpsc::Sender<EngineEvent>,
    results: mpsc::UnboundedSender<Msg>,
    defaults: Arc<Options>,
    /// The demo server, started by the first request that needs it.
    demo: Arc<OnceCell<DemoServer>>,
    /// The cookie jar of each collection, opened by its first send.
    jars: Arc<Mutex<HashMap<PathBuf, Arc<CookieJar>>>>,
    state_dir: PathBuf,
    /// Where exchanges are recorded; None when history is off.
    history: Option<SharedHistory>,
    /// Where to send the commands of each WebSocket session still open.
    sessions: Arc<Mutex<HashMap<ExchangeId, mpsc::Sender<Command>>>>,
    /// The secrets each open session's handshake and messages were rendered with: masked in
    /// its frames before they are logged, recorded or shown.
    session_secrets: Arc<Mutex<HashMap<ExchangeId, Vec<String>>>>,
}

/// The most events taken off an exchange's channel before they are written at once.
const TAKEN_AT_ONCE: usize = 256;

/// What taking in one exchange's events keeps between them.
struct Intake {
    /// When the request went out: a chunk's time is counted from here.
    started: Instant,
    check: Checking,
    /// The status and headers, for the assertions.
    head: (u16, Vec<(String, String)>),
    recorder: Option<Recorder>,
    checks: Option<PendingChecks>,
}

impl Intake {
    /// Writes `event`'s body bytes and records it (blocking work: the caller is off the
    /// reactor).
    fn write(&mut self, event: &EngineEvent, body: &SharedBody) {
        match event {
            EngineEvent::Started { .. } => self.started = Instant::now(),
            EngineEvent::Head { head, .. } => self.head = (head.status, head.headers.clone()),
            _ => {}
        }
        event.write_body(body, self.started.elapsed());
        if let Some(recorder) = &mut self.recorder {
            recorder.take(event);
        }
    }
}

/// Whether a body is checked as JSON while it arrives, decided by its first chunk (its kind
/// is known by then) or by its end when it has none.
enum Checking {
    Undecided,
    Json(JsonCheck),
    Not,
}

impl Checking {
    async fn take_in(
        self,
        event: &EngineEvent,
        body: &SharedBody,
        results: &mpsc::UnboundedSender<Msg>,
    ) -> Checking {
        let state = match (self, event) {
            (Checking::Undecided, EngineEvent::Chunk { id, .. } | EngineEvent::Done { id, .. }) => {
                if lock(body).kind == Some(BodyKind::Json) {
                    Checking::Json(JsonCheck::start(*id, results.clone()))
                } else {
                    Checking::Not
                }
            }
            (state, _) => state,
        };
        match (state, event) {
            (Checking::Json(check), EngineEvent::Chunk { bytes, .. }) => {
                check.feed(bytes.clone()).await;
                Checking::Json(check)
            }
            (Checking::Json(check), EngineEvent::Done { .. }) => {
                check.finish();
                Checking::Not
            }
            (state, _) => state,
        }
    }
}

/// A send on its way: its task, and the token that stops it wherever it is.
pub struct Running {
    cancel: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

/// Why a plan did not prepare.
enum Unprepared {
    /// It needs another request's response first (`{{response …}}`).
    Needs {
        dependency: PathBuf,
        reason: String,
        message: String,
    },
    /// A `{{prompt …}}` needs an answer first.
    Asks {
        label: String,
        secret: bool,
    },
    Error(String),
}

impl Unprepared {
    /// What the preview says: what is wrong, then what sending would do.
    fn into_message(self) -> String {
        match self {
            Unprepared::Needs { message, .. } => {
                format!("{message}\nSending this request sends that one first, then this one.")
            }
            Unprepared::Asks { label, .. } => {
                format!("Asks `{label}` when it is sent.")
            }
            Unprepared::Error(message) => {
                format!("{message}\nNothing is sent until this is fixed.")
            }
        }
    }
}

/// What a request is prepared for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// Sending: with the collection's cookie jar.
    Send,
    /// The preview: no jar, and no one is asked.
    Preview,
    /// A message on an open WebSocket session: only its body matters.
    Message,
}

/// The preview asks no one: a `{{prompt "label"}}` shows as `‹label›`.
static PREVIEW_ASK: http::effects::Ask<'static> =
    http::effects::Ask(&|label, _| Ok(format!("‹{label}›")));

impl Sender {
    pub fn new(
        events: mpsc::Sender<EngineEvent>,
        results: mpsc::UnboundedSender<Msg>,
        defaults: Options,
        state_dir: PathBuf,
        history: Option<SharedHistory>,
    ) -> Sender {
        Sender {
            engine: Engine::new(),
            events,
            results,
            defaults: Arc::new(defaults),
            demo: Arc::new(OnceCell::new()),
            jars: Arc::default(),
            state_dir,
            history,
            sessions: Arc::default(),
            session_secrets: Arc::default(),
        }
    }

    pub(super) fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The command senders of the open sessions.
    pub(super) fn sessions(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<ExchangeId, mpsc::Sender<Command>>> {
        self.sessions.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A session ended: its command sender and secrets go.
    pub(super) fn forget_session(&self, exchange: ExchangeId) {
        self.sessions().remove(&exchange);
        if let Ok(mut secrets) = self.session_secrets.lock() {
            secrets.remove(&exchange);
        }
    }

    /// Adds `secrets` to those masked in session `exchange`'s frames.
    pub(super) fn note_secrets(&self, exchange: ExchangeId, secrets: &[String]) {
        if let Ok(mut known) = self.session_secrets.lock() {
            let known = known.entry(exchange).or_default();
            for secret in secrets {
                if !known.contains(secret) {
                    known.push(secret.clone());
                }
            }
        }
    }

    /// `event` with the secrets of its session masked in its frame's payload.
    fn masked(&self, mut event: EngineEvent) -> EngineEvent {
        if let EngineEvent::Frame { id, frame } = &mut event
            && let Ok(known) = self.session_secrets.lock()
            && let Some(secrets) = known.get(id).filter(|s| !s.is_empty())
        {
            frame.payload = http::mask_secret_bytes(&frame.payload, secrets).into();
        }
        event
    }

    /// Hands `command` to the WebSocket session `exchange`, if it is still open.
    pub fn session_command(&self, exchange: ExchangeId, command: Command) {
        let session = self.sessions().get(&exchange).cloned();
        if let Some(session) = session {
            tokio::spawn(async move {
                let _ = session.send(command).await;
            });
        }
    }

    /// Prepares and sends `plan` as `exchange` in a task of its own, writing the response's
    /// body into `body` as it arrives, before each event goes on to the app.
    pub fn send(&self, exchange: ExchangeId, plan: SendPlan, body: SharedBody) -> Running {
        let cancel = CancellationToken::new();
        let sender = self.clone();
        let token = cancel.clone();
        let recorder = self.history.as_ref().and_then(|h| h.recorder_for(&plan));
        let wanted = super::checks::wanted(&plan);
        let websocket = plan
            .sendable()
            .and_then(|(_, _, request)| request.request.websocket.as_deref().cloned());
        let task = tokio::spawn(async move {
            let prepared = tokio::select! {
                biased;
                _ = token.cancelled() => {
                    let failure = Failure {
                        kind: FailureKind::Cancelled,
                        message: "cancelled".to_owned(),
                    };
                    let _ = sender.events.send(EngineEvent::Failed { id: exchange, failure }).await;
                    return;
                }
                prepared = sender.prepare(plan, Purpose::Send) => prepared,
            };
            if let Ok(prepared) = &prepared {
                sender.tell_hooks(prepared);
            }
            let message = match prepared {
                Ok(prepared)
                    if websocket.is_some() || crate::model::is_websocket_url(&prepared.url) =>
                {
                    sender
                        .run_session(exchange, prepared, websocket, &body, recorder, token)
                        .await;
                    return;
                }
                Ok(mut prepared) => {
                    let checks = PendingChecks::new(wanted, &mut prepared);
                    let (events, received) = mpsc::channel(64);
                    let _exchange = sender
                        .engine
                        .send_cancellable(exchange, prepared, events, token);
                    sender.take_in(received, &body, recorder, checks).await;
                    return;
                }
                Err(Unprepared::Needs {
                    dependency, reason, ..
                }) => Msg::NeedsResponse {
                    exchange,
                    dependency,
                    reason,
                },
                Err(Unprepared::Asks { label, secret }) => Msg::NeedsAnswer {
                    exchange,
                    label,
                    secret,
                },
                Err(Unprepared::Error(message)) => Msg::SendRejected { exchange, message },
            };
            let _ = sender.results.send(message);
        });
        Running { cancel, task }
    }

    /// Takes in an exchange's events: each one's body bytes go into `body` (pretty-printing
    /// and spilling, off the UI's loop), then the event goes on to the app. The channels are
    /// bounded, so a body arriving faster than this takes it in waits in the socket.
    ///
    /// The writing runs in `block_in_place`: measured with scripts/measure-big-body.sh, that
    /// kept keys answering in a median 4 ms while 1 GB of JSON streamed in, where a thread
    /// of its own (spawn_blocking) let them wait 8–18 ms, worst 94 ms, and writing on the
    /// worker itself stalled the reactor (median 8–19 ms, worst 85 ms).
    pub(super) async fn take_in(
        &self,
        mut received: mpsc::Receiver<EngineEvent>,
        body: &SharedBody,
        recorder: Option<Recorder>,
        checks: Option<PendingChecks>,
    ) {
        let mut intake = Intake {
            started: Instant::now(),
            check: Checking::Undecided,
            head: (0, Vec::new()),
            recorder,
            checks,
        };
        let mut batch = Vec::with_capacity(TAKEN_AT_ONCE);
        while let Some(first) = received.recv().await {
            // What else is waiting goes in with it: one hand-over to a blocking thread for
            // the lot, not one per event (a WebSocket server sends thousands of frames a
            // second; one at a time, the hand-overs were most of the work).
            batch.push(self.masked(first));
            while batch.len() < TAKEN_AT_ONCE
                && let Ok(event) = received.try_recv()
            {
                batch.push(self.masked(event));
            }
            tokio::task::block_in_place(|| {
                for event in &batch {
                    intake.write(event, body);
                }
            });
            for event in batch.drain(..) {
                if !self.pass_on(event, body, &mut intake).await {
                    return; // the loop is gone: Courier is quitting
                }
            }
        }
    }

    /// Hands on one event whose body bytes are written: the JSON check, the history, the
    /// assertions, then the app. False when the app's loop is gone.
    async fn pass_on(&self, event: EngineEvent, body: &SharedBody, intake: &mut Intake) -> bool {
        let check = std::mem::replace(&mut intake.check, Checking::Not);
        intake.check = check.take_in(&event, body, &self.results).await;
        // The history has the exchange before the app hears it ended, so what the
        // screen shows as done is recorded (and quitting then loses nothing).
        if matches!(event, EngineEvent::Done { .. } | EngineEvent::Failed { .. })
            && let (Some(history), Some(recorder)) = (&self.history, intake.recorder.take())
        {
            history.store(recorder).await;
        }
        // The body is whole: its assertions are checked beside the app's taking it in.
        if let EngineEvent::Done { id, summary } = &event
            && let Some(checks) = intake.checks.take()
        {
            let duration_ms = summary.timing.total.as_secs_f64() * 1000.0;
            let head = std::mem::take(&mut intake.head);
            checks.run(*id, head, body.clone(), duration_ms, self.results.clone());
        }
        self.events.send(event).await.is_ok()
    }

    /// The history, when it is on; the app hears why not when it is off.
    pub fn history(&self) -> Option<&SharedHistory> {
        self.history.as_ref()
    }

    /// Replays the history's exchange `id` as `exchange`: its events go through the same
    /// taking in as a live exchange's (the body into `body`, the JSON check), unrecorded.
    pub fn open_past(&self, exchange: ExchangeId, id: i64, body: SharedBody) {
        let (events, received) = mpsc::channel(64);
        match &self.history {
            Some(history) => history.replay(exchange, id, events, body.clone()),
            None => {
                let failure = Failure {
                    kind: FailureKind::Other,
                    message: "history is off".to_owned(),
                };
                let _ = events.try_send(EngineEvent::Failed {
                    id: exchange,
                    failure,
                });
            }
        }
        let sender = self.clone();
        tokio::spawn(async move { sender.take_in(received, &body, None, None).await });
    }

    /// Replays the example in `file` as `exchange`, through the same taking in as a live
    /// exchange's; `sent` is the request's method and URL as written.
    pub fn open_example(
        &self,
        exchange: ExchangeId,
        file: std::path::PathBuf,
        sent: (String, String),
        body: SharedBody,
    ) {
        let (events, received) = mpsc::channel(64);
        let store = body.clone();
        tokio::task::spawn_blocking(move || {
            for event in super::examples::replayed_events(exchange, &file, sent, &store) {
                if events.blocking_send(event).is_err() {
                    return;
                }
            }
        });
        let sender = self.clone();
        tokio::spawn(async move { sender.take_in(received, &body, None, None).await });
    }

    /// Renders `plan` for a session's message: its body is what is sent.
    pub(super) async fn prepare_for_message(
        &self,
        plan: SendPlan,
    ) -> Result<http::PreparedRequest, String> {
        self.prepare(plan, Purpose::Message)
            .await
            .map_err(|unprepared| match unprepared {
                Unprepared::Needs { message, .. } | Unprepared::Error(message) => message,
                Unprepared::Asks { label, .. } => {
                    format!(
                        "`{{{{prompt \"{label}\"}}}}` is not asked for a message: send the request"
                    )
                }
            })
    }

    /// Prepares the request of `plan` for a load run, as a send would (hooks run once); a
    /// value it needs from another response or an answer to a prompt must be had first.
    pub(super) async fn prepare_for_load(
        &self,
        plan: SendPlan,
    ) -> Result<http::PreparedRequest, String> {
        self.prepare(plan, Purpose::Send)
            .await
            .map_err(|unprepared| match unprepared {
                Unprepared::Needs { message, .. } => {
                    format!("{message}: send that request first, then load this one")
                }
                Unprepared::Error(message) => message,
                Unprepared::Asks { label, .. } => format!(
                    "`{{{{prompt \"{label}\"}}}}` is not asked in a load run: give it a value \
                     (Ctrl-G sets a session value)"
                ),
            })
    }

    /// Tells the app what a request's hooks did, when they did anything.
    fn tell_hooks(&self, prepared: &http::PreparedRequest) {
        if !prepared.hook_notes.is_empty() || !prepared.hook_variables.is_empty() {
            self.tell(Msg::HooksRan {
                notes: prepared.hook_notes.clone(),
                variables: prepared.hook_variables.clone(),
            });
        }
    }

    /// Tells the app something, out of band.
    pub(super) fn tell(&self, message: Msg) {
        let _ = self.results.send(message);
    }

    /// Renders `plan` for the preview in a task of its own; answers with `Previewed`.
    pub fn preview(&self, plan: SendPlan) {
        let sender = self.clone();
        tokio::spawn(async move {
            let path = plan.request.clone();
            let result = sender
                .prepare(plan, Purpose::Preview)
                .await
                .map_err(Unprepared::into_message)
                .map(super::preview::of);
            let _ = sender.results.send(Msg::Previewed { path, result });
        });
    }

    /// Renders the request of `plan` as it would be sent now, starting the demo server first
    /// when it needs it; a send gets the collection's cookie jar.
    async fn prepare(
        &self,
        plan: SendPlan,
        purpose: Purpose,
    ) -> Result<http::PreparedRequest, Unprepared> {
        let uses_demo = match plan.sendable() {
            Some((collection, folders, request)) => http::uses_demo(collection, &folders, request),
            None => false,
        };
        let demo_url = if uses_demo {
            let server = self
                .demo
                .get_or_try_init(|| DemoServer::start(DemoOptions::default()))
                .await
                .map_err(|err| Unprepared::Error(format!("cannot start the demo server: {err}")))?;
            Some(server.url())
        } else {
            self.demo.get().map(DemoServer::url)
        };
        let sender = self.clone();
        // Rendering reads files and chained bodies (up to 16 MB): a blocking thread's work.
        tokio::task::spawn_blocking(move || sender.prepare_blocking(&plan, demo_url, purpose))
            .await
            .unwrap_or_else(|error| Err(Unprepared::Error(format!("preparing failed: {error}"))))
    }

    fn prepare_blocking(
        &self,
        plan: &SendPlan,
        demo_url: Option<String>,
        purpose: Purpose,
    ) -> Result<http::PreparedRequest, Unprepared> {
        let Some((collection, folders, request)) = plan.sendable() else {
            return Err(Unprepared::Error(format!(
                "{} is no longer in the collection",
                plan.request.display()
            )));
        };
        let latest = |path: &Path| plan.responses.get(path).cloned();
        let now = Instant::now();
        let context = http::SendContext {
            environment: plan.environment.clone(),
            overrides: plan.session.clone(),
            demo_url,
            responses: Some(crate::chain::Responses {
                latest: &latest,
                now,
                origin: plan.origin,
            }),
            answers: plan.answers.clone(),
            ask: (purpose == Purpose::Preview).then_some(&PREVIEW_ASK),
            skip_hooks: purpose == Purpose::Message,
        };
        let mut prepared = http::prepare(collection, &folders, request, &self.defaults, &context)
            .map_err(|err| match (err.needs_response(), err.needs_answer()) {
            (Some((dependency, reason)), _) => Unprepared::Needs {
                dependency: dependency.to_owned(),
                reason: reason.to_owned(),
                message: err.to_string(),
            },
            (None, Some((label, secret))) => Unprepared::Asks {
                label: label.to_owned(),
                secret,
            },
            (None, None) => Unprepared::Error(err.to_string()),
        })?;
        if purpose == Purpose::Send {
            let jar = self.jar(&collection.dir);
            prepared.cookie_jar = Some(jar.map_err(|err| Unprepared::Error(err.to_string()))?);
        }
        Ok(prepared)
    }

    fn jar(&self, collection_dir: &Path) -> Result<Arc<CookieJar>, crate::http::JarError> {
        let mut jars = self.jars.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(jar) = jars.get(collection_dir) {
            return Ok(jar.clone());
        }
        let file = CookieJar::file_for(&self.state_dir, collection_dir);
        let jar = Arc::new(CookieJar::open(&file)?);
        jars.insert(collection_dir.to_owned(), jar.clone());
        Ok(jar)
    }
}
