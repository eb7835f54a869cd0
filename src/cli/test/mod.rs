//! `courier test TARGET… [--data FILE] [--iterations N] [--jobs N] [--retry N] [--bail]
//! [--tags T] [--report FORMAT:FILE]`: sends each request of a collection, folder or request
//! (named as `courier export` takes them) and checks the assertions its file lists (`asserts`,
//! one line each: the language is `check`'s). A request's `captures` set variables for the
//! requests after it. `plan` cuts the target into groups `--jobs` may run at once, `execute`
//! sends them, `data` reads the rows of a data-driven run, `progress` says how it goes, and
//! the reports (JUnit, TAP, JSON, HTML) are `report`'s. Exit 0 when every request passed, 1
//! when an assertion failed, else the code of the first collection or network error.

pub(super) mod data;
mod execute;
mod plan;
mod progress;
mod record;

use std::sync::Arc;

use tokio::sync::mpsc;

use super::{ReportFormat, TestArgs, exit};
use crate::http::CookieJar;
use crate::model::Variables;
use crate::paths::Paths;
use crate::report::{Iteration, RequestResult, RunResults};
use crate::store::{self, Collection};
use execute::{Runner, Settings, Shared};
use plan::TagFilter;

/// One target, loaded: its collection cut down to it, and how deep in it the target is.
struct Target {
    collection: Collection,
    depth: usize,
    jar: Arc<CookieJar>,
}

pub async fn run(args: TestArgs, paths: &Paths) -> u8 {
    match prepared_run(&args, paths) {
        Ok((targets, rows, config)) => run_targets(&args, paths, &targets, &rows, &config).await,
        Err(message) => {
            eprintln!("courier: {message}");
            exit::COLLECTION
        }
    }
}

/// The targets, the data rows and the configuration, or what is wrong with them.
fn prepared_run(
    args: &TestArgs,
    paths: &Paths,
) -> Result<(Vec<Target>, Vec<data::Row>, crate::model::Config), String> {
    let config = store::read_config_or_default(&paths.config_file()).map_err(|e| e.to_string())?;
    let rows = match &args.data {
        Some(path) => data::read(path).map_err(|e| e.to_string())?,
        None => Vec::new(),
    };
    let dir = args
        .scope
        .collections
        .clone()
        .unwrap_or_else(|| paths.default_collections());
    let mut targets = Vec::new();
    for name in &args.targets {
        let (collection, keys) = super::export::target(name, &dir)?;
        let selected = crate::export::pruned(&collection, &keys);
        let depth = folder_depth(&selected, &keys);
        let jar_file = CookieJar::file_for(&paths.state_dir, &collection.dir);
        let jar = CookieJar::open(&jar_file).map_err(|e| e.to_string())?;
        targets.push(Target {
            collection: selected,
            depth,
            jar: Arc::new(jar),
        });
    }
    Ok((targets, rows, config))
}

/// How many of `keys` (the way to the target) are folders: all, unless the last is a request.
fn folder_depth(selected: &Collection, keys: &[String]) -> usize {
    let names_a_request = selected.requests().iter().any(|(folders, request)| {
        folders.len() + 1 == keys.len() && keys.last() == Some(&request.key())
    });
    keys.len() - usize::from(names_a_request)
}

async fn run_targets(
    args: &TestArgs,
    paths: &Paths,
    targets: &[Target],
    rows: &[data::Row],
    config: &crate::model::Config,
) -> u8 {
    let filter = TagFilter {
        wanted: args.tags.clone(),
        excluded: args.exclude_tags.clone(),
    };
    let jobs = args.jobs as usize;
    let plans: Vec<plan::Plan> = targets
        .iter()
        .map(|t| plan::plan(&t.collection, t.depth, &filter, jobs))
        .collect();
    tell_sessions_left_out(args, targets, &filter);
    let iterations = args.iterations.map_or(rows.len().max(1), |n| n as usize);
    let total = plans.iter().map(plan::Plan::len).sum::<usize>() * iterations;
    if total == 0 {
        // A run of nothing passing in CI would hide a mistyped tag or an empty folder.
        eprintln!("courier: {}", nothing_to_run(args, iterations));
        return exit::COLLECTION;
    }
    let (sender, mut received) = mpsc::unbounded_channel::<RequestResult>();
    let mut printer = progress::Printer::new(total, iterations, args.quiet);
    let printing = tokio::spawn(async move {
        while let Some(result) = received.recv().await {
            printer.result(&result);
        }
        printer
    });
    let settings = Settings {
        jobs,
        retry: args.retry,
        retry_interval: args.retry_interval,
        bail: args.bail,
    };
    let started_at_ms = jiff::Timestamp::now().as_millisecond();
    let target = args.targets.join(" ");
    let history = super::history::open_for_send(paths, config, !args.no_history);
    let history = record::RunHistory::start(history, &target, started_at_ms);
    let mut runner = Runner::new(settings, sender, history);
    let demo = tokio::sync::OnceCell::new();
    let shared: Vec<Shared> = targets
        .iter()
        .map(|target| Shared {
            collection: &target.collection,
            defaults: &config.options,
            environment: args.scope.environment.clone(),
            jar: target.jar.clone(),
            spill_dir: paths.cache_dir.join("bodies"),
            demo: &demo,
        })
        .collect();
    let (done, mut placed) = iterate(&runner, &shared, &plans, rows, args, iterations).await;
    let duration_ms = runner.origin.elapsed().as_secs_f64() * 1000.0;
    let history = runner.history.take();
    drop(runner);
    let printer = printing.await.ok();
    placed.sort_by_key(|(place, _)| *place);
    let results = RunResults {
        target,
        started_at_ms,
        duration_ms,
        iterations: done,
        not_run: total - placed.len(),
        requests: placed.into_iter().map(|(_, r)| r).collect(),
    };
    let run_id = history.and_then(|history| history.finish(&results));
    if let Some(printer) = printer {
        printer.finish(&results, run_id);
    }
    let written = write_reports(&args.report, &results);
    exit_code(&results).max(written)
}

/// Says how many WebSocket requests the run leaves out (it sends HTTP requests).
fn tell_sessions_left_out(args: &TestArgs, targets: &[Target], filter: &TagFilter) {
    let sessions: usize = targets
        .iter()
        .map(|t| plan::websocket_requests(&t.collection, filter))
        .sum();
    if sessions > 0 && !args.quiet {
        eprintln!(
            "courier: {sessions} WebSocket request{} not run: courier test sends HTTP requests",
            if sessions == 1 { " is" } else { "s are" }
        );
    }
}

/// Why a run would send nothing.
fn nothing_to_run(args: &TestArgs, iterations: usize) -> String {
    let target = args.targets.join(" ");
    if iterations == 0 {
        return format!("nothing to run: --iterations 0 for {target}");
    }
    let mut tags = Vec::new();
    if !args.tags.is_empty() {
        tags.push(format!("tagged {}", args.tags.join(" or ")));
    }
    if !args.exclude_tags.is_empty() {
        tags.push(format!("not tagged {}", args.exclude_tags.join(" or ")));
    }
    if tags.is_empty() {
        format!("nothing to run: {target} has no requests")
    } else {
        format!(
            "nothing to run: no request in {target} is {}",
            tags.join(" and ")
        )
    }
}

/// Every iteration over every target, until `--bail` stops them: the iterations run, and
/// each result with its place (iteration, target, index in the plan).
async fn iterate(
    runner: &Runner,
    shared: &[Shared<'_>],
    plans: &[plan::Plan<'_>],
    rows: &[data::Row],
    args: &TestArgs,
    iterations: usize,
) -> (Vec<Iteration>, Vec<(Place, RequestResult)>) {
    let mut placed = Vec::new();
    let mut done = Vec::new();
    for number in 1..=iterations {
        let iteration = iteration_values(number, rows);
        // A data row's values, under the command line's.
        let overrides: Variables = iteration
            .values
            .clone()
            .into_iter()
            .chain(args.scope.vars.iter().cloned())
            .collect();
        for (part, (shared, plan)) in shared.iter().zip(plans).enumerate() {
            let results = runner
                .iteration(shared, plan, number, overrides.clone())
                .await;
            placed.extend(
                results
                    .into_iter()
                    .map(|(index, r)| ((number, part, index), r)),
            );
        }
        done.push(iteration);
        if runner.stop.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
    }
    (done, placed)
}

/// Where a result belongs in the reports: its iteration, its target, its index in the plan.
type Place = (usize, usize, usize);

/// Iteration `number`'s data row (going round the rows when there are more iterations).
fn iteration_values(number: usize, rows: &[data::Row]) -> Iteration {
    let at = (!rows.is_empty()).then(|| (number - 1) % rows.len());
    Iteration {
        number,
        data_row: at.map(|at| at + 1),
        values: at.map(|at| rows[at].clone()).unwrap_or_default(),
    }
}

/// 0 when every request passed, 1 when an assertion failed, else the first error's code.
fn exit_code(results: &RunResults) -> u8 {
    if results
        .requests
        .iter()
        .any(|r| r.error.is_none() && r.failed_assertions().next().is_some())
    {
        return exit::FAILURE;
    }
    results
        .requests
        .iter()
        .find_map(|r| r.error_code)
        .unwrap_or(exit::OK)
}

/// Writes each report asked for; [`exit::WRITE`] when one could not be written.
fn write_reports(reports: &[(ReportFormat, std::path::PathBuf)], results: &RunResults) -> u8 {
    let mut code = exit::OK;
    for (format, path) in reports {
        let text = match format {
            ReportFormat::Junit => crate::report::junit::render(results),
            ReportFormat::Tap => crate::report::tap::render(results),
            ReportFormat::Json => crate::report::json::render(results),
            ReportFormat::Html => crate::report::html::render(results),
        };
        if let Err(err) = store::write_atomic(path, text.as_bytes()) {
            eprintln!("courier: cannot write the report {}: {err}", path.display());
            code = exit::WRITE;
        }
    }
    code
}
