//! What `courier test` says as it runs. On a terminal: a line per request as it ends (only
//! the failures with `--quiet`), a progress line on stderr with the counts so far, colour
//! unless `NO_COLOR` is set. Without a terminal (CI): the same lines, plain, and no progress
//! line. At the end, the slowest requests and the counts. Every line is made visible first:
//! a response's bytes never reach the terminal raw.

use std::io::{IsTerminal, Write};

use crate::report::{Counts, RequestResult, RunResults, Verdict};

/// How many of the slowest requests the summary lists.
const SLOWEST: usize = 5;

pub struct Printer {
    quiet: bool,
    colour: bool,
    /// Whether stderr shows a progress line (a terminal, and not `--quiet`).
    progress: bool,
    total: usize,
    /// Whether results carry their iteration (there are several).
    iterations: bool,
    counts: Counts,
}

impl Printer {
    pub fn new(total: usize, iterations: usize, quiet: bool) -> Printer {
        let no_colour = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Printer {
            quiet,
            colour: std::io::stdout().is_terminal() && !no_colour,
            progress: std::io::stderr().is_terminal() && !quiet,
            total,
            iterations: iterations > 1,
            counts: Counts::default(),
        }
    }

    /// Says how one request went, and the counts so far.
    pub fn result(&mut self, result: &RequestResult) {
        self.counts = add(self.counts, result);
        let verdict = result.verdict();
        if !(self.quiet && verdict == Verdict::Passed) {
            self.clear_progress();
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", self.request_line(result));
            for failed in result.failed_assertions() {
                let line = visible(&failed.explained());
                let _ = writeln!(out, "    {} {line}", self.mark(Verdict::Failed));
            }
            let _ = out.flush();
        }
        self.draw_progress(result);
    }

    fn request_line(&self, result: &RequestResult) -> String {
        let mut title = result.title();
        if self.iterations {
            title.push_str(&format!(" [iteration {}]", result.iteration));
        }
        let retried = if result.attempts > 1 {
            format!(", {} attempts", result.attempts)
        } else {
            String::new()
        };
        let text = match (&result.error, result.status) {
            (Some(error), _) => format!("{title}: {error}{retried}"),
            (None, status) => format!(
                "{title}  {}  {:.0} ms  ({}{retried})",
                status.unwrap_or_default(),
                result.duration_ms,
                result.summary()
            ),
        };
        format!("{} {}", self.mark(result.verdict()), visible(&text))
    }

    fn mark(&self, verdict: Verdict) -> String {
        let (mark, colour) = match verdict {
            Verdict::Passed => ("✓", "32"),
            Verdict::Failed | Verdict::Error => ("✗", "31"),
        };
        if self.colour {
            format!("\x1b[{colour}m{mark}\x1b[0m")
        } else {
            mark.to_owned()
        }
    }

    fn draw_progress(&self, last: &RequestResult) {
        if !self.progress {
            return;
        }
        let done = self.counts.requests;
        let width = self.total.to_string().len();
        let line = visible(&format!(
            "[{done:>width$}/{}] {} passed, {} failed, {} errors · {}",
            self.total,
            self.counts.passed,
            self.counts.failed,
            self.counts.errors,
            last.title()
        ));
        // One terminal line: a long title is cut rather than wrapped onto the next.
        let columns = crossterm::terminal::size().map_or(80, |(c, _)| usize::from(c));
        let shown: String = line.chars().take(columns.saturating_sub(1)).collect();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{shown}");
        let _ = err.flush();
    }

    fn clear_progress(&self) {
        if self.progress {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }

    /// The slowest requests (not with `--quiet`), the counts, and the run's number in the
    /// history when it was recorded.
    pub fn finish(&self, results: &RunResults, run_id: Option<i64>) {
        self.clear_progress();
        let mut out = std::io::stdout().lock();
        let slowest = results.slowest(SLOWEST);
        if !self.quiet && results.requests.len() > 1 && !slowest.is_empty() {
            let _ = writeln!(out, "\nSlowest requests:");
            for request in slowest {
                let title = results.case_name(request);
                let mut parts = request.folders.clone();
                parts.push(title);
                let _ = writeln!(
                    out,
                    "  {:>8.0} ms  {}",
                    request.duration_ms,
                    visible(&parts.join(" / "))
                );
            }
        }
        let _ = writeln!(out, "\n{}", summary(results));
        match run_id {
            Some(id) if results.counts().passed < results.requests.len() => {
                let _ = writeln!(
                    out,
                    "Recorded as run {id}: `courier history run {id} --diff` sets each failure beside the last run where it passed."
                );
            }
            Some(id) => {
                let _ = writeln!(out, "Recorded as run {id} in the history.");
            }
            None => {}
        }
    }
}

/// `3 requests: 1 passed, 1 failed, 1 error; 8 of 10 assertions passed in 1.2 s`.
pub fn summary(results: &RunResults) -> String {
    let counts = results.counts();
    let plural = crate::import::plural;
    let mut line = format!(
        "{}: {} passed, {} failed, {}; {} of {} passed in {:.1} s",
        plural(counts.requests, "request", "requests"),
        counts.passed,
        counts.failed,
        plural(counts.errors, "error", "errors"),
        counts.assertions - counts.assertions_failed,
        plural(counts.assertions, "assertion", "assertions"),
        results.duration_ms / 1000.0
    );
    if results.not_run > 0 {
        line.push_str(&format!(
            "; {} not run (stopped at the first failure: --bail)",
            results.not_run
        ));
    }
    line
}

fn add(counts: Counts, result: &RequestResult) -> Counts {
    let one = Counts::of([result]);
    Counts {
        requests: counts.requests + one.requests,
        passed: counts.passed + one.passed,
        failed: counts.failed + one.failed,
        errors: counts.errors + one.errors,
        assertions: counts.assertions + one.assertions,
        assertions_failed: counts.assertions_failed + one.assertions_failed,
    }
}

/// Text safe for a terminal: control characters shown as symbols.
fn visible(text: &str) -> String {
    crate::body::make_visible(text.as_bytes()).text
}
