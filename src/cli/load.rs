//! `courier load`: a saved request (or a URL with curl's flags) prepared once per data row,
//! its auth completed by the engine, then sent again and again by `load::run`; a live line on
//! stderr while it runs (on a terminal), the summary at the end (text or `--json`), and the
//! exit code from `--fail-if`. Ctrl-C stops the run at once and still prints the summary.

use std::time::Duration;

use tokio::sync::mpsc;

use super::{LoadArgs, adhoc, exit, load_report};
use crate::demo::DemoServer;
use crate::http::{Engine, EngineEvent, PreparedRequest};
use crate::load::{self, Plan, Stop, Target, fail_if};
use crate::model::Config;
use crate::paths::Paths;

/// How long a run lasts when neither -n nor -z says.
const DEFAULT_DURATION: Duration = Duration::from_secs(10);

pub async fn run(args: LoadArgs, paths: &Paths) -> u8 {
    let usage = |message: String| super::said(exit::USAGE, message);
    let conditions = match args.load.fail_if.as_deref().map(fail_if::parse).transpose() {
        Ok(conditions) => conditions.unwrap_or_default(),
        Err(err) => return usage(err.to_string()),
    };
    if let Some(rate) = args.load.rate
        && !(rate.is_finite() && rate > 0.0)
    {
        return usage(format!(
            "--rate {rate}: a rate is a number of requests a second above 0"
        ));
    }
    let config = match super::config_or_exit(paths) {
        Ok(config) => config,
        Err(code) => return code,
    };
    // Keeps the in-process demo server alive for the whole run when one was started.
    let demo = tokio::sync::OnceCell::<DemoServer>::new();
    let prepared = match requests(&args, paths, &config, &demo).await {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let Targets { targets, secrets } = match authorized_targets(prepared).await {
        Ok(targets) => targets,
        Err(message) => {
            eprintln!("courier: {message}");
            return exit::COLLECTION;
        }
    };
    let plan = Plan {
        targets,
        concurrency: args.load.concurrency as usize,
        stop: match args.load.count {
            Some(count) => Stop::Count(count),
            None => Stop::After(args.load.duration.unwrap_or(DEFAULT_DURATION)),
        },
        rate: args.load.rate,
        latency_correction: args.latency_correction,
        connections: args.connections.map(|k| k as usize),
        threads: args.threads.map(|t| t as usize),
    };
    let code = run_plan(&args, plan, &conditions, &secrets).await;
    drop(demo);
    code
}

/// Runs the plan with a live line on a terminal's stderr, Ctrl-C stopping it; prints the
/// summary and returns the exit code.
async fn run_plan(
    args: &LoadArgs,
    plan: Plan,
    conditions: &[fail_if::Condition],
    secrets: &[String],
) -> u8 {
    let heading = load_report::Heading::of(&args.request, &plan, secrets);
    let live = !args.json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    if !args.json {
        println!("{heading}");
    }
    let stop = plan.stop;
    let running = match load::start(plan, move |snapshot| {
        if live {
            load_report::live_line(&snapshot, stop);
        }
    }) {
        Ok(running) => running,
        Err(err) => {
            eprintln!("courier: cannot start the load run: {err}");
            return exit::FAILURE;
        }
    };
    let stopper = running.stopper();
    let interrupt = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            stopper.cancel();
        }
    });
    let summary = running.finished().await;
    interrupt.abort();
    if live {
        load_report::clear_live_line();
    }
    let summary = match summary {
        Ok(summary) => summary,
        Err(err) => {
            eprintln!("courier: {err}");
            return exit::CONNECT;
        }
    };
    let verdicts: Vec<fail_if::Verdict> = conditions
        .iter()
        .map(|c| c.check(&summary.totals))
        .collect();
    if args.json {
        println!("{}", load_report::json(&heading, &summary, &verdicts));
    } else {
        print!("{}", load_report::text(&summary, &verdicts));
    }
    if summary.totals.succeeded == 0 {
        exit::NOTHING_SUCCEEDED
    } else if verdicts.iter().any(|v| v.failed) {
        exit::FAILURE
    } else {
        exit::OK
    }
}

/// The request prepared once per data row (once without rows), the flags applied to each.
async fn requests(
    args: &LoadArgs,
    paths: &Paths,
    config: &Config,
    demo: &tokio::sync::OnceCell<DemoServer>,
) -> Result<Vec<PreparedRequest>, u8> {
    let fail = super::said;
    let mut prepared = if adhoc::is_url(&args.request) {
        if args.rows.is_some() {
            return Err(fail(
                exit::USAGE,
                "--data fills a saved request's variables; a URL has none".into(),
            ));
        }
        let url = crate::http::with_default_scheme(&args.request);
        vec![PreparedRequest::with_options("GET", &url, &config.options)]
    } else {
        saved_requests(args, paths, config, demo).await?
    };
    for request in &mut prepared {
        adhoc::apply_shape(&args.shape, &[], request)
            .map_err(|err| fail(exit::USAGE, err.to_string()))?;
    }
    Ok(prepared)
}

/// The saved request prepared for each row of `--data` (or once), as `courier send` prepares
/// it: environment, chaining, hooks.
async fn saved_requests(
    args: &LoadArgs,
    paths: &Paths,
    config: &Config,
    demo: &tokio::sync::OnceCell<DemoServer>,
) -> Result<Vec<PreparedRequest>, u8> {
    let fail = super::said;
    let rows = match &args.rows {
        None => vec![Default::default()],
        Some(path) => {
            super::test::data::read(path).map_err(|e| fail(exit::USAGE, e.to_string()))?
        }
    };
    if rows.is_empty() {
        return Err(fail(exit::USAGE, "--data: the file has no rows".into()));
    }
    let (found, jar) = super::send::found_with_jar(&args.request, &args.scope, paths)?;
    let saved = super::send::Saved {
        found: &found,
        jar,
        config,
        environment: args.scope.environment.clone(),
    };
    let mut prepared = Vec::with_capacity(rows.len());
    for row in rows {
        let mut overrides: crate::model::Variables = row.into_iter().collect();
        overrides.extend(args.scope.vars.iter().cloned());
        prepared.push(super::send::prepare_on_terminal(&saved, overrides, paths, demo).await?);
    }
    for note in &prepared[0].hook_notes {
        eprintln!("courier: {note}");
    }
    Ok(prepared)
}

/// What a run sends, and the secrets in it (masked wherever it is shown).
struct Targets {
    targets: Vec<Target>,
    secrets: Vec<String>,
}

/// Each request's auth completed by the engine (a token fetched once), then made a target;
/// every data row must go to the first row's server, whose connections they share.
async fn authorized_targets(prepared: Vec<PreparedRequest>) -> Result<Targets, String> {
    let engine = Engine::new();
    let (events, mut waiting) = mpsc::channel(8);
    let telling = tokio::spawn(async move {
        while let Some(event) = waiting.recv().await {
            if let EngineEvent::Waiting { message, .. } = event {
                eprintln!("courier: {message}");
            }
        }
    });
    if prepared.iter().any(|request| !request.transport.verify_tls) {
        eprintln!("courier: warning: TLS certificate verification is OFF for this run");
    }
    let mut out = Targets {
        targets: Vec::with_capacity(prepared.len()),
        secrets: Vec::new(),
    };
    for (row, request) in prepared.into_iter().enumerate() {
        out.secrets.extend(request.secrets.iter().cloned());
        let masked = |message: String| crate::http::mask_secrets(&message, &out.secrets);
        let request = engine
            .authorize(request, &events)
            .await
            .map_err(|failure| masked(failure.message))?;
        let target = Target::new(&request).map_err(|e| masked(e.to_string()))?;
        if let Some(first) = out.targets.first()
            && (first.host != target.host || first.port != target.port || first.tls != target.tls)
        {
            return Err(masked(format!(
                "--data: row {} sends to {}, the first row to {}; a run loads one server",
                row + 1,
                target.absolute,
                first.absolute
            )));
        }
        out.secrets.extend(request.secrets.iter().cloned());
        out.targets.push(target);
    }
    drop(events);
    let _ = telling.await;
    Ok(out)
}
