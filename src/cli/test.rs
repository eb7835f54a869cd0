//! `courier test TARGET [-e ENV] [--var NAME=VALUE]`: sends each request of a collection,
//! folder or request (named as `courier export` takes them) in the collection's order, one
//! after another, and checks the assertions its file lists (`asserts`, one line each: the
//! language is `check`'s). A line per request, one per failed assertion with what was
//! expected, what came and where, and a summary. A request's `captures` (a variable's name
//! and the subject it takes: `jq .data.token`, `header ETag`) are set for the requests after
//! it, over every other value of those variables. Exit 0 when every assertion passed, 1 when
//! one failed, else the code of the first collection or network error.
//!
//! The first increment of issue 16: no data files, iterations, parallel jobs, retries or
//! reports yet.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::{TestArgs, dependencies, exit, output};
use crate::check::{self, Checked};
use crate::http::{CookieJar, Engine, EngineEvent, ExchangeId};
use crate::paths::Paths;
use crate::store::{self, LoadedRequest};

/// The body kept for checking: past this, what came after is not looked at.
const BODY_CAP: usize = 64 * 1024 * 1024;

/// How a run went, request by request.
#[derive(Default)]
struct Tally {
    requests: usize,
    passed: usize,
    failed: usize,
    /// The exit code of the first error that was not an assertion's (collection, network).
    error: Option<u8>,
}

pub async fn run(args: TestArgs, paths: &Paths) -> u8 {
    let config = match store::read_config_or_default(&paths.config_file()) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("courier: {err}");
            return exit::COLLECTION;
        }
    };
    let dir = args
        .scope
        .collections
        .clone()
        .unwrap_or_else(|| paths.default_collections());
    let (collection, keys) = match super::export::target(&args.target, &dir) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("courier: {message}");
            return exit::COLLECTION;
        }
    };
    let selected = crate::export::pruned(&collection, &keys);
    let jar = match CookieJar::open(&CookieJar::file_for(&paths.state_dir, &collection.dir)) {
        Ok(jar) => jar,
        Err(err) => {
            eprintln!("courier: {err}");
            return exit::COLLECTION;
        }
    };
    let mut demo = None;
    let mut run = dependencies::Run {
        collection: &collection,
        defaults: &config.options,
        environment: args.scope.environment.clone(),
        overrides: args.scope.vars.iter().cloned().collect(),
        jar: Arc::new(jar),
        spill_dir: paths.cache_dir.join("bodies"),
        demo: &mut demo,
    };
    let mut tally = Tally::default();
    for (index, (folders, request)) in selected.requests().into_iter().enumerate() {
        let mut title: Vec<String> = folders.iter().map(|f| f.name()).collect();
        title.push(request.request.name.clone());
        tally.requests += 1;
        let exchange = ExchangeId(index as u64 + 1);
        test_one(&mut run, request, &title.join(" / "), exchange, &mut tally).await;
    }
    println!(
        "\n{}: {} passed, {} failed{}",
        crate::import::plural(tally.requests, "request", "requests"),
        crate::import::plural(tally.passed, "assertion", "assertions"),
        tally.failed,
        if tally.error.is_some() {
            ", and errors above"
        } else {
            ""
        }
    );
    match (tally.failed, tally.error) {
        (0, None) => exit::OK,
        (0, Some(code)) => code,
        _ => exit::FAILURE,
    }
}

/// Sends `request` and checks its assertions, printing how it went.
async fn test_one(
    run: &mut dependencies::Run<'_>,
    request: &LoadedRequest,
    title: &str,
    id: ExchangeId,
    tally: &mut Tally,
) {
    let mut assertions = Vec::new();
    for (n, line) in request.request.asserts.iter().enumerate() {
        match check::parse(line) {
            Ok(assertion) => assertions.push(assertion),
            Err(err) => {
                println!("✗ {title}: assertion {} `{line}`: {err}", n + 1);
                tally.failed += 1;
            }
        }
    }
    let prepared = match dependencies::prepare(run, &request.path).await {
        Ok(prepared) => prepared,
        Err(err) => {
            println!("✗ {title}: {err}");
            tally.error.get_or_insert(exit::COLLECTION);
            return;
        }
    };
    let (events, received) = mpsc::channel(64);
    let engine = Engine::new();
    let _exchange = engine.send(id, prepared, events);
    let response = match collected(received).await {
        Ok(response) => response,
        Err(failure) => {
            println!("✗ {title}: {}", failure.message);
            tally.error.get_or_insert(output::exit_code(failure.kind));
            return;
        }
    };
    let view = check::Response {
        status: response.status,
        headers: &response.headers,
        body: &response.body,
        duration_ms: response.duration_ms,
    };
    let verdicts: Vec<Checked> = assertions
        .iter()
        .map(|a| check::evaluate(a, &view))
        .collect();
    let failed: Vec<(&check::Assertion, &Checked)> = assertions
        .iter()
        .zip(&verdicts)
        .filter(|(_, c)| !c.passed)
        .collect();
    let mark = if failed.is_empty() { "✓" } else { "✗" };
    let counted = if verdicts.is_empty() {
        "no assertions".to_owned()
    } else {
        format!(
            "{} of {} assertions passed",
            verdicts.len() - failed.len(),
            verdicts.len()
        )
    };
    println!(
        "{mark} {title}  {}  {:.0} ms  ({counted})",
        response.status, response.duration_ms
    );
    for (assertion, verdict) in &failed {
        println!(
            "    ✗ {}: expected {}, got {} (at {})",
            assertion.line, verdict.expected, verdict.actual, verdict.at
        );
    }
    tally.passed += verdicts.len() - failed.len();
    tally.failed += failed.len();
    take_captures(run, request, &view, tally);
}

/// The request's captures, as variables for the requests after it in this run.
fn take_captures(
    run: &mut dependencies::Run<'_>,
    request: &LoadedRequest,
    response: &check::Response,
    tally: &mut Tally,
) {
    for (name, spec) in &request.request.captures {
        let taken = check::parse_subject(spec)
            .map_err(|err| err.to_string())
            .and_then(|subject| check::capture(&subject, response));
        match taken {
            Ok(value) => {
                run.overrides.insert(name.clone(), value);
            }
            Err(why) => {
                println!("    ✗ capture {name} ({spec}): {why}");
                tally.failed += 1;
            }
        }
    }
}

/// A response as collected for checking.
struct Collected {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    duration_ms: f64,
}

/// The exchange's head, body (up to [`BODY_CAP`]) and duration, or its failure.
async fn collected(
    mut events: mpsc::Receiver<EngineEvent>,
) -> Result<Collected, crate::http::Failure> {
    let mut response = Collected {
        status: 0,
        headers: Vec::new(),
        body: Vec::new(),
        duration_ms: 0.0,
    };
    while let Some(event) = events.recv().await {
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
                return Ok(response);
            }
            EngineEvent::Failed { failure, .. } => return Err(failure),
            EngineEvent::Started { .. } => {}
        }
    }
    Ok(response)
}
