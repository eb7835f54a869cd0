//! The JSON report: the run's counts, its iterations (with each data row's values) and every
//! request with every assertion (its line, pass or fail, expected, actual, where). The shape
//! is versioned by `courier_report`, so scripts reading it can tell.

use serde::Serialize;

use super::{Counts, Iteration, RequestResult, RunResults, timestamp};

/// The report's version: a field renamed or removed makes it 2.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'r> {
    courier_report: u32,
    target: &'r str,
    started_at: String,
    duration_ms: f64,
    counts: Counts,
    not_run: usize,
    iterations: &'r [Iteration],
    requests: &'r [RequestResult],
}

pub fn render(results: &RunResults) -> String {
    let report = Report {
        courier_report: VERSION,
        target: &results.target,
        started_at: timestamp(results.started_at_ms),
        duration_ms: results.duration_ms,
        counts: results.counts(),
        not_run: results.not_run,
        iterations: &results.iterations,
        requests: &results.requests,
    };
    // Plain data with string keys: serialising it cannot fail.
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
