//! What `courier load` prints: the heading (what is sent and how), a live line on stderr
//! while it runs, and the summary: counts, latency percentiles, a histogram, statuses, errors
//! by kind and the `--fail-if` verdicts, as text or as one JSON object.

use std::fmt::Write as _;
use std::io::Write as _;

use crate::body::human::{human_bytes, human_count};
use crate::load::{Plan, Stop, Summary, fail_if::Verdict};

/// What the run sends and how, said before it starts and kept in the JSON.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    pub request: String,
    pub method: String,
    pub url: String,
    pub concurrency: usize,
    pub stop: Stop,
    pub rate: Option<f64>,
    pub latency_correction: bool,
    pub data_rows: usize,
}

impl Heading {
    /// The heading of `plan`, the URL's `secrets` masked.
    pub fn of(request: &str, plan: &Plan, secrets: &[String]) -> Heading {
        let first = &plan.targets[0];
        Heading {
            request: request.to_owned(),
            method: first.method.to_string(),
            url: crate::http::mask_secrets(&first.absolute.to_string(), secrets),
            concurrency: plan.concurrency,
            stop: plan.stop,
            rate: plan.rate,
            latency_correction: plan.latency_correction,
            data_rows: plan.targets.len(),
        }
    }
}

impl std::fmt::Display for Heading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how_long = match self.stop {
            Stop::After(duration) => format!("for {}", humantime::format_duration(duration)),
            Stop::Count(count) => format!("{} requests", human_count(count)),
        };
        let pace = match self.rate {
            Some(rate) => format!(", {rate} a second"),
            None => String::new(),
        };
        write!(
            f,
            "{} {}: {} at once, {how_long}{pace}",
            self.method, self.url, self.concurrency
        )?;
        if self.data_rows > 1 {
            write!(f, ", going round {} data rows", self.data_rows)?;
        }
        Ok(())
    }
}

/// The live line: elapsed, rate, p99 and failures of the newest second, over itself.
pub fn live_line(snapshot: &crate::load::Snapshot, stop: Stop) {
    let progress = match stop {
        Stop::After(duration) => {
            format!("{:.0}s/{}s", snapshot.elapsed_seconds, duration.as_secs())
        }
        Stop::Count(count) => format!("{}/{}", human_count(snapshot.requests), human_count(count)),
    };
    let (rate, p99) = snapshot
        .latest
        .as_ref()
        .map_or((0.0, 0.0), |p| (p.requests_per_second, p.p99_ms));
    let mut stderr = std::io::stderr().lock();
    let _ = write!(
        stderr,
        "\r\x1b[2K{progress}  {} req/s  p99 {p99:.2} ms  {} failed",
        human_count(rate as u64),
        human_count(snapshot.failed)
    );
    let _ = stderr.flush();
}

pub fn clear_live_line() {
    let mut stderr = std::io::stderr().lock();
    let _ = write!(stderr, "\r\x1b[2K");
    let _ = stderr.flush();
}

/// The summary as one JSON object: the heading, the totals, the verdicts.
pub fn json(heading: &Heading, summary: &Summary, verdicts: &[Verdict]) -> String {
    let value = serde_json::json!({
        "run": heading,
        "summary": summary,
        "fail_if": verdicts,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// The summary as text.
pub fn text(summary: &Summary, verdicts: &[Verdict]) -> String {
    let totals = &summary.totals;
    let mut out = String::new();
    let share = |n: u64| {
        if totals.requests == 0 {
            0.0
        } else {
            n as f64 * 100.0 / totals.requests as f64
        }
    };
    let ended = match summary.ended {
        crate::load::Ended::Count => "every request sent",
        crate::load::Ended::Duration => "time up",
        crate::load::Ended::Stopped => "stopped",
    };
    let _ = writeln!(out, "\nSummary ({ended})");
    let _ = writeln!(
        out,
        "  Requests     {} in {:.2}s: {} a second",
        human_count(totals.requests),
        totals.elapsed_seconds,
        human_count(totals.requests_per_second.round() as u64)
    );
    let _ = writeln!(
        out,
        "  Succeeded    {} ({:.2}%)",
        human_count(totals.succeeded),
        share(totals.succeeded)
    );
    let _ = writeln!(
        out,
        "  Failed       {} ({:.2}%)",
        human_count(totals.failed),
        share(totals.failed)
    );
    let _ = writeln!(
        out,
        "  Received     {} ({}/s)",
        human_bytes(totals.bytes_received),
        human_bytes((totals.bytes_received as f64 / totals.elapsed_seconds.max(1e-9)) as u64)
    );
    let _ = writeln!(
        out,
        "  Connections  {} opened",
        human_count(summary.connections_opened)
    );
    if summary.cut_off > 0 {
        let _ = writeln!(
            out,
            "  Cut off      {} in flight at the end (not counted)",
            human_count(summary.cut_off)
        );
    }
    latency_and_histogram(&mut out, summary);
    statuses_and_errors(&mut out, summary);
    if !verdicts.is_empty() {
        let _ = writeln!(out, "\n--fail-if");
        for verdict in verdicts {
            let said = if verdict.failed { "FAILED" } else { "ok" };
            let _ = writeln!(
                out,
                "  {:<16} {:>12}  {said}",
                verdict.condition, verdict.actual
            );
        }
    }
    out
}

fn latency_and_histogram(out: &mut String, summary: &Summary) {
    let l = &summary.totals.latency_ms;
    if summary.totals.histogram.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nLatency (ms)");
    let _ = writeln!(
        out,
        "  min {:.2}  mean {:.2}  stdev {:.2}  max {:.2}",
        l.min, l.mean, l.stdev, l.max
    );
    let _ = writeln!(
        out,
        "  p50 {:.2}  p90 {:.2}  p95 {:.2}  p99 {:.2}  p99.9 {:.2}",
        l.p50, l.p90, l.p95, l.p99, l.p99_9
    );
    let _ = writeln!(out, "\nHistogram (ms, up to)");
    let most = summary.totals.tallest_bar();
    for (upper, count) in &summary.totals.histogram {
        let width = (*count * 40).div_ceil(most) as usize;
        let _ = writeln!(
            out,
            "  {upper:>10.2} │{:<40} {}",
            "■".repeat(width),
            human_count(*count)
        );
    }
}

fn statuses_and_errors(out: &mut String, summary: &Summary) {
    if !summary.totals.statuses.is_empty() {
        let _ = writeln!(out, "\nStatuses");
        for (status, count) in &summary.totals.statuses {
            let _ = writeln!(out, "  {status}  {}", human_count(*count));
        }
    }
    if !summary.totals.errors.is_empty() {
        let _ = writeln!(out, "\nErrors");
        for error in &summary.totals.errors {
            let _ = writeln!(
                out,
                "  {:<34} {:>10}  first: {}",
                error.description,
                human_count(error.count),
                crate::body::make_visible(error.first.as_bytes()).text
            );
        }
    }
}
