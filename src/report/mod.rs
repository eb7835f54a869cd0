//! What a `courier test` run found, request by request, and the reports made from it for CI:
//! JUnit XML ([`junit`]: a request is a testcase, a folder a testsuite, under one `testsuites`
//! root, as Jenkins and GitLab read it), TAP version 14 ([`tap`]), JSON ([`json`]: every
//! assertion with its request, pass or fail, expected and actual, per data row) and one
//! self-contained HTML page with a timing chart ([`html`]). Each writer turns [`RunResults`]
//! into text and does no I/O; `cli::test` runs the requests and writes the files.
//!
//! Everything here came through a run that masked the secrets it sent (URLs, expected and
//! actual values), so a report can be kept as a CI artifact.

pub mod html;
pub mod json;
pub mod junit;
pub mod tap;
#[cfg(test)]
mod tests;

use indexmap::IndexMap;
use serde::Serialize;

pub use crate::check::AssertionResult;

/// A whole run: every request sent, in the order they finished within each folder.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunResults {
    /// What was run, as the user named it.
    pub target: String,
    /// When the run started (milliseconds since the Unix epoch), for the reports' timestamps.
    pub started_at_ms: i64,
    pub duration_ms: f64,
    /// One entry per iteration: its data row's values when `--data` was given.
    pub iterations: Vec<Iteration>,
    pub requests: Vec<RequestResult>,
    /// Requests never sent because `--bail` stopped the run.
    pub not_run: usize,
}

/// One pass over the requests.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Iteration {
    /// Counted from 1.
    pub number: usize,
    /// The data row it ran with (counted from 1), when there was a data file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_row: Option<usize>,
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub values: IndexMap<String, String>,
}

/// One request's result (its last attempt's, when it was retried).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RequestResult {
    pub iteration: usize,
    /// The folders it is in, outermost first (empty at the top of the collection).
    pub folders: Vec<String>,
    pub name: String,
    /// Its file, relative to the collection's directory.
    pub file: String,
    pub method: String,
    /// As sent, secrets masked; empty when it could not be prepared.
    pub url: String,
    /// The response's status; none when no response came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// When it was sent, in milliseconds from the start of the run.
    pub started_ms: f64,
    pub duration_ms: f64,
    /// Body bytes received.
    pub size: u64,
    pub attempts: u32,
    pub assertions: Vec<AssertionResult>,
    /// Why no response could be checked (the request did not render, the connection failed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The exit code that error stands for (`courier send`'s codes).
    #[serde(skip)]
    pub error_code: Option<u8>,
}

/// How a request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    /// A response came and an assertion (or capture) failed.
    Failed,
    /// No response could be checked.
    Error,
}

impl RequestResult {
    pub fn verdict(&self) -> Verdict {
        if self.error.is_some() {
            Verdict::Error
        } else if self.assertions.iter().all(|a| a.passed) {
            Verdict::Passed
        } else {
            Verdict::Failed
        }
    }

    /// Folders and name: `Users / Create user`.
    pub fn title(&self) -> String {
        let mut parts: Vec<&str> = self.folders.iter().map(String::as_str).collect();
        parts.push(&self.name);
        parts.join(" / ")
    }

    /// The folder part of the title, or `root` for requests at the top of what was run.
    pub fn suite(&self, root: &str) -> String {
        if self.folders.is_empty() {
            root.to_owned()
        } else {
            self.folders.join(" / ")
        }
    }

    pub fn failed_assertions(&self) -> impl Iterator<Item = &AssertionResult> {
        self.assertions.iter().filter(|a| !a.passed)
    }

    /// `2 of 5 assertions failed`, or the error.
    pub fn summary(&self) -> String {
        if let Some(error) = &self.error {
            return error.clone();
        }
        let failed = self.failed_assertions().count();
        let all = self.assertions.len();
        let noun = if all == 1 { "assertion" } else { "assertions" };
        match failed {
            _ if all == 0 => "no assertions".to_owned(),
            0 => format!("{all} of {all} {noun} passed"),
            failed => format!("{failed} of {all} {noun} failed"),
        }
    }
}

/// Counts over a run, as the summary and every report give them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub requests: usize,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub assertions: usize,
    pub assertions_failed: usize,
}

impl Counts {
    pub fn of<'r>(requests: impl IntoIterator<Item = &'r RequestResult>) -> Counts {
        let mut counts = Counts::default();
        for request in requests {
            counts.requests += 1;
            match request.verdict() {
                Verdict::Passed => counts.passed += 1,
                Verdict::Failed => counts.failed += 1,
                Verdict::Error => counts.errors += 1,
            }
            counts.assertions += request.assertions.len();
            counts.assertions_failed += request.failed_assertions().count();
        }
        counts
    }
}

impl RunResults {
    pub fn counts(&self) -> Counts {
        Counts::of(&self.requests)
    }

    /// The requests grouped by folder (a testsuite each), in the order each folder first
    /// finished a request.
    pub fn suites(&self) -> Vec<(String, Vec<&RequestResult>)> {
        let mut suites: IndexMap<String, Vec<&RequestResult>> = IndexMap::new();
        for request in &self.requests {
            suites
                .entry(request.suite(&self.target))
                .or_default()
                .push(request);
        }
        suites.into_iter().collect()
    }

    /// The name a request has in a report: with its iteration when there were several.
    pub fn case_name(&self, request: &RequestResult) -> String {
        if self.iterations.len() > 1 {
            format!("{} [iteration {}]", request.name, request.iteration)
        } else {
            request.name.clone()
        }
    }

    /// The `slowest` requests, slowest first.
    pub fn slowest(&self, slowest: usize) -> Vec<&RequestResult> {
        let mut sent: Vec<&RequestResult> = self
            .requests
            .iter()
            .filter(|r| r.status.is_some())
            .collect();
        sent.sort_by(|a, b| b.duration_ms.total_cmp(&a.duration_ms));
        sent.truncate(slowest);
        sent
    }
}

/// An ISO 8601 UTC timestamp (`2026-12-04T05:06:07Z`) for a time in Unix milliseconds.
pub fn timestamp(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}
