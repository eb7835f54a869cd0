//! `courier send`: send a saved request (from a collection) or an ad-hoc URL, with curl's
//! habits for flags, and stream the body to stdout as it arrives.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::{SendArgs, adhoc, dependencies, exit, find_request, history, output, websocket};
use crate::demo::DemoServer;
use crate::history::{Recorder, RequestIdentity};
use crate::http::{CookieJar, Engine, EngineEvent, ExchangeId, PreparedRequest};
use crate::model::Config;
use crate::paths::Paths;
use crate::store;

pub async fn run(args: SendArgs, paths: &Paths) -> u8 {
    let config = match super::config_or_exit(paths) {
        Ok(config) => config,
        Err(code) => return code,
    };
    // Keeps the in-process demo server alive for the whole exchange when one was started.
    let demo = tokio::sync::OnceCell::<DemoServer>::new();
    let (mut prepared, identity, collection_keeps_history, websocket) =
        if adhoc::is_url(&args.request) {
            let url = crate::http::with_default_scheme(&args.request);
            let mut request = PreparedRequest::with_options("GET", &url, &config.options);
            request.cookie_jar = Some(Arc::new(CookieJar::in_memory()));
            (request, RequestIdentity::default(), true, None)
        } else {
            match saved_request(&args, paths, &config, &demo).await {
                Ok(saved) => saved,
                Err(code) => return code,
            }
        };
    if let Err(err) = adhoc::apply(&args, &mut prepared) {
        eprintln!("courier: {err}");
        return exit::USAGE;
    }
    if !prepared.transport.verify_tls {
        eprintln!("courier: warning: TLS certificate verification is OFF for this request");
    }
    let history =
        history::open_for_send(paths, &config, !args.no_history && collection_keeps_history);
    if websocket.is_some() || crate::model::is_websocket_url(&prepared.url) {
        let recording = history.map(|history| {
            let blobs = history.blobs().clone();
            let cap = history.settings().body_cap;
            (history, Recorder::new(blobs, cap, identity, now_ms()))
        });
        let code = session(&args, prepared, websocket.unwrap_or_default(), recording).await;
        drop(demo);
        return code;
    }
    if let Err(err) = http_only(&args) {
        eprintln!("courier: {err}");
        return exit::USAGE;
    }

    let engine = Engine::new();
    let (events, received) = mpsc::channel(64);
    let label = identity.name.clone().unwrap_or_default();
    let (received, after_hooks) = super::after_hooks::tap(received, &prepared, &label);
    let _exchange = engine.send(ExchangeId(1), prepared, events);
    let (received, recording) = recording(history, identity, received);
    let printing = output::Printing {
        include: args.include || args.head,
        verbose: args.verbose,
        output: args.output.clone(),
        fail: args.fail,
        write_out: args.write_out.clone(),
    };
    let mut code = output::print_exchange(received, printing).await;
    if let Some(after_hooks) = after_hooks {
        code = after_hooks.run(code).await;
    }
    if let Some((mut history, task)) = recording
        && let Ok(exchange) = task.await
        && let Err(err) = history.record(&exchange)
    {
        eprintln!("courier: the exchange was not recorded in the history: {err}");
    }
    drop(demo);
    code
}

/// A WebSocket session: what the request offers (the saved `websocket` part, then the
/// flags) and how to print it; recorded in the history (its log as the body) when it is on.
async fn session(
    args: &SendArgs,
    prepared: PreparedRequest,
    saved: crate::model::WebSocket,
    recording: Option<(crate::history::History, Recorder)>,
) -> u8 {
    let usage = |message: String| {
        eprintln!("courier: {message}");
        exit::USAGE
    };
    if args.json.as_deref().is_some_and(|json| !json.is_empty()) {
        return usage(
            "with a WebSocket, --json takes no value: it prints each frame as JSON".into(),
        );
    }
    let until = match websocket::Until::parse(args.until.as_deref()) {
        Ok(until) => until,
        Err(message) => return usage(message),
    };
    let mut messages = Vec::new();
    for text in &args.messages {
        match websocket::message(text) {
            Ok(message) => messages.push(message),
            Err(message) => return usage(message),
        }
    }
    // A file of messages that cannot be read is said before connecting.
    if let Some(path) = args.messages_from.as_ref().filter(|p| p.as_os_str() != "-")
        && let Err(err) = std::fs::File::open(path)
    {
        return usage(format!("--messages-from {}: {err}", path.display()));
    }
    let mut subprotocols = saved.subprotocols;
    subprotocols.extend(args.subprotocols.iter().cloned());
    let offer = crate::http::websocket::Offer {
        subprotocols,
        deflate: saved.deflate && !args.no_deflate,
        graphql: crate::http::websocket::graphql::subscription_body(&prepared.body),
    };
    let printing = websocket::Session {
        messages,
        lines: args.messages_from.clone().map(|path| websocket::Lines {
            path,
            close_at_end: args.until.is_none(),
        }),
        until,
        json: args.json.is_some(),
        include: args.include,
        verbose: args.verbose,
    };
    let (mut history, recorder) = recording.unzip();
    let (code, recorded) =
        match on_one_thread(websocket::run(prepared, offer, printing, recorder)).await {
            Ok(done) => done,
            Err(err) => {
                eprintln!("courier: cannot start the session: {err}");
                return exit::FAILURE;
            }
        };
    if let (Some(history), Some(exchange)) = (&mut history, recorded)
        && let Err(err) = history.record(&exchange)
    {
        eprintln!("courier: the session was not recorded in the history: {err}");
    }
    code
}

/// Runs `work` to its end on a single-threaded runtime of its own. A WebSocket session's
/// messages cross from stdin to the socket and from the socket to stdout; on the shared
/// runtime each crossing woke another thread (perf: most of the time in futex wake-ups),
/// and an echo's round trip took 15% longer (236 µs mean against 202 µs, three interleaved
/// runs of scripts/echo_round_trip.py), for no more frames a second.
async fn on_one_thread<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(runtime.block_on(work))
    })
    .await
    .map_err(std::io::Error::other)?
}

/// The WebSocket flags make no sense for HTTP, nor does a bare `--json`.
fn http_only(args: &SendArgs) -> Result<(), String> {
    if args.json.as_deref() == Some("") {
        return Err("--json needs a body: --json '{\"a\": 1}' or --json @FILE".into());
    }
    if !args.messages.is_empty()
        || args.messages_from.is_some()
        || args.until.is_some()
        || !args.subprotocols.is_empty()
    {
        return Err(
            "--message, --messages-from, --until and --subprotocol are for WebSocket \
             sessions (ws:// or wss://)"
                .into(),
        );
    }
    Ok(())
}

/// The history an exchange is recorded into, and the task recording it.
type Recording = (
    crate::history::History,
    tokio::task::JoinHandle<crate::history::Exchange>,
);

/// The events to print, and the recording of them when the history is on.
fn recording(
    history: Option<crate::history::History>,
    identity: RequestIdentity,
    received: mpsc::Receiver<EngineEvent>,
) -> (mpsc::Receiver<EngineEvent>, Option<Recording>) {
    let Some(history) = history else {
        return (received, None);
    };
    let (forward, printed) = mpsc::channel(64);
    let recorder = Recorder::new(
        history.blobs().clone(),
        history.settings().body_cap,
        identity,
        now_ms(),
    );
    let task = tokio::spawn(record(received, forward, recorder));
    (printed, Some((history, task)))
}

/// Passes each event on to the printing, recording it on the way; the entry once the
/// exchange is over (or the printing stopped taking events: stdout closed, `-o` failed).
async fn record(
    mut events: mpsc::Receiver<EngineEvent>,
    printing: mpsc::Sender<EngineEvent>,
    mut recorder: Recorder,
) -> crate::history::Exchange {
    while let Some(event) = events.recv().await {
        recorder.take(&event);
        if printing.send(event).await.is_err() {
            recorder.given_up("the output was closed before the end");
            break;
        }
    }
    recorder.finish()
}

/// Now, for the history: the CLI's edge may read the clock.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Loads and prepares a saved request (sending the requests it needs responses of first),
/// with who it is for the history and whether its collection keeps history; on failure,
/// prints why and returns the exit code.
async fn saved_request(
    args: &SendArgs,
    paths: &Paths,
    config: &Config,
    demo: &tokio::sync::OnceCell<DemoServer>,
) -> Result<
    (
        PreparedRequest,
        RequestIdentity,
        bool,
        Option<crate::model::WebSocket>,
    ),
    u8,
> {
    let (found, jar) = found_with_jar(&args.request, &args.scope, paths)?;
    let collection = &found.collection;
    let overrides = args.scope.vars.iter().cloned().collect();
    let lookup = Saved {
        found: &found,
        jar,
        config,
        environment: args.scope.environment.clone(),
    };
    let prepared = prepare_on_terminal(&lookup, overrides, paths, demo).await?;
    for note in &prepared.hook_notes {
        eprintln!("courier: {note}");
    }
    let saved = collection
        .requests()
        .into_iter()
        .find(|(_, r)| r.path == found.request_path)
        .map(|(_, r)| r);
    let name = saved.map_or_else(|| args.request.clone(), |r| r.request.name.clone());
    let mut identity = RequestIdentity::saved(
        &found.request_path,
        &collection.dir,
        &name,
        args.scope.environment.as_deref(),
    );
    // The request as written is what was sent unless flags changed it.
    if !args.changes_the_request() {
        identity.source = saved.map(store::request_snapshot);
    }
    let websocket = saved.and_then(|r| r.request.websocket.as_deref().cloned());
    Ok((
        prepared,
        identity,
        collection.meta.history != Some(false),
        websocket,
    ))
}

/// A saved request named as `courier send` and `courier load` name it, with its
/// collection's cookie jar; or the exit code once it has said why not.
pub(super) fn found_with_jar(
    request: &str,
    scope: &super::Scope,
    paths: &Paths,
) -> Result<(super::find::Found, Arc<CookieJar>), u8> {
    let collections = scope
        .collections
        .clone()
        .unwrap_or_else(|| paths.default_collections());
    let found =
        find_request(request, &collections).map_err(|err| super::said(exit::COLLECTION, err))?;
    let jar_file = CookieJar::file_for(&paths.state_dir, &found.collection.dir);
    let jar = CookieJar::open(&jar_file).map_err(|err| super::said(exit::COLLECTION, err))?;
    Ok((found, Arc::new(jar)))
}

/// A found request and what it is prepared with, whatever the values of the run.
pub(super) struct Saved<'a> {
    pub found: &'a super::find::Found,
    pub jar: Arc<CookieJar>,
    pub config: &'a Config,
    pub environment: Option<String>,
}

/// Prepares the saved request with `overrides` over its values, the requests it needs sent
/// first (each said on stderr) and its `{{prompt …}}`s asked on the terminal.
pub(super) async fn prepare_on_terminal(
    saved: &Saved<'_>,
    overrides: crate::model::Variables,
    paths: &Paths,
    demo: &tokio::sync::OnceCell<DemoServer>,
) -> Result<PreparedRequest, u8> {
    let mut run = dependencies::Run {
        collection: &saved.found.collection,
        defaults: &saved.config.options,
        environment: saved.environment.clone(),
        overrides,
        jar: saved.jar.clone(),
        spill_dir: paths.cache_dir.join("bodies"),
        demo,
        tell: true,
        ask: Some(&super::prompt::ON_TERMINAL),
    };
    dependencies::prepare(&mut run, &saved.found.request_path)
        .await
        .map_err(|err| super::said(exit::COLLECTION, err))
}

pub(super) fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    let absolute = |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    absolute(a) == absolute(b)
}
