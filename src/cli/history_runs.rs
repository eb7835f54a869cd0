//! `courier history runs` and `courier history run ID [--diff]`: the `courier test` runs the
//! history keeps, and one run's exchanges with each failed request set beside its exchange in
//! the last run where it passed, ready for `courier history diff` (or diffed at once).

use std::io::Write;

use crate::history::{History, HistoryError, RunRecord, local_time};

pub(super) fn runs(history: &History, limit: usize) -> Result<(), HistoryError> {
    let runs = history.runs(limit)?;
    let mut out = std::io::stdout().lock();
    if runs.is_empty() {
        let _ = writeln!(out, "No runs yet: `courier test` records each run here.");
        return Ok(());
    }
    let _ = writeln!(
        out,
        "{:>5}  {:<19}  {:>8}  {:>6}  {:>6}  {:>6}  {:>8}  target",
        "run", "started", "requests", "passed", "failed", "errors", "time"
    );
    for run in &runs {
        let _ = writeln!(out, "{}", super::history::visible(&run_line(run)));
    }
    Ok(())
}

fn run_line(run: &RunRecord) -> String {
    let time = run.duration_us.map_or("unfinished".to_owned(), |us| {
        crate::body::human::human_duration(std::time::Duration::from_micros(us))
    });
    format!(
        "{:>5}  {:<19}  {:>8}  {:>6}  {:>6}  {:>6}  {:>8}  {}",
        run.id,
        local_time(run.started_at_ms),
        run.requests,
        run.passed,
        run.failed,
        run.errors,
        time,
        run.target
    )
}

pub(super) fn run(history: &History, id: i64, diff: bool) -> Result<(), HistoryError> {
    let run = history.run(id)?;
    let exchanges = history.run_exchanges(id)?;
    let verdict = if run.passed() { "passed" } else { "failed" };
    println!(
        "{}",
        super::history::visible(&format!(
            "Run {id} of {} at {}: {verdict} ({} requests: {} passed, {} failed, {} errors{})",
            run.target,
            local_time(run.started_at_ms),
            run.requests,
            run.passed,
            run.failed,
            run.errors,
            if run.not_run > 0 {
                format!(", {} not run", run.not_run)
            } else {
                String::new()
            }
        ))
    );
    for (exchange, passed) in &exchanges {
        let status = exchange.head.as_ref().map_or_else(
            || exchange.error.clone().unwrap_or_default(),
            |h| h.status.to_string(),
        );
        let mark = match passed {
            Some(true) => "✓",
            Some(false) => "✗",
            None => "↻",
        };
        let line = format!(
            "{mark} #{}  {}  {} {}  {status}{}",
            exchange.id,
            exchange.request_name.as_deref().unwrap_or("?"),
            exchange.method,
            exchange.url,
            if passed.is_none() { "  (retried)" } else { "" },
        );
        println!("{}", super::history::visible(&line));
        if *passed == Some(false) {
            beside_last_pass(history, id, exchange, diff)?;
        }
    }
    Ok(())
}

/// Where a failed exchange's request last passed, and what changed since (with `diff`).
fn beside_last_pass(
    history: &History,
    run: i64,
    failed: &crate::history::Exchange,
    diff: bool,
) -> Result<(), HistoryError> {
    match history.last_pass(&failed.request_key, run)? {
        None => println!("    never passed in an earlier run the history keeps"),
        Some(passed) => {
            println!(
                "    last passed as #{} ({}): courier history diff {} {}",
                passed.id,
                local_time(passed.started_at_ms),
                passed.id,
                failed.id
            );
            if diff {
                super::history::diff(history, passed.id, failed.id)?;
            }
        }
    }
    Ok(())
}
