//! `--fail-if 'p95>300ms,errors>1%'`: the conditions under which a load run fails, for CI.
//! Each is a metric, a comparison and a value: latencies (`p50`, `p90`, `p95`, `p99`,
//! `p99.9`, `mean`, `min`, `max`) against a duration (`300ms`, `1.5s`, `800us`; a bare number
//! is milliseconds), `errors` against a share (`1%`) or a count, `rps` against requests per
//! second.

use super::stats::Snapshot;

/// One condition, as parsed.
#[derive(Debug, Clone)]
pub struct Condition {
    /// As the user wrote it, for the verdict.
    pub text: String,
    metric: Metric,
    comparison: Comparison,
    value: f64,
}

#[derive(Debug, Clone, Copy)]
enum Metric {
    /// A latency in milliseconds, read from the snapshot; k6's name for the statistic.
    Latency(ReadLatency, &'static str),
    ErrorShare,
    ErrorCount,
    Rate,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Comparison {
    Above,
    AtLeast,
    Below,
    AtMost,
}

/// Why a condition cannot be read: the condition and what is wrong with it.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("--fail-if `{condition}`: {problem}")]
pub struct FailIfError {
    pub condition: String,
    pub problem: String,
}

/// A condition checked against a run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Verdict {
    pub condition: String,
    /// What the run measured, in the condition's unit.
    pub actual: String,
    /// Whether the condition is true, so the run fails.
    pub failed: bool,
}

/// Reads `text`, conditions separated by commas.
pub fn parse(text: &str) -> Result<Vec<Condition>, FailIfError> {
    text.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(condition)
        .collect()
}

fn condition(text: &str) -> Result<Condition, FailIfError> {
    let error = |problem: &str| FailIfError {
        condition: text.to_owned(),
        problem: problem.to_owned(),
    };
    let at = text
        .find(['<', '>'])
        .ok_or_else(|| error("it needs a comparison: <, <=, > or >="))?;
    let (name, rest) = text.split_at(at);
    let (comparison, value) = match rest.as_bytes() {
        [b'>', b'=', ..] => (Comparison::AtLeast, &rest[2..]),
        [b'<', b'=', ..] => (Comparison::AtMost, &rest[2..]),
        [b'>', ..] => (Comparison::Above, &rest[1..]),
        _ => (Comparison::Below, &rest[1..]),
    };
    let (name, value) = (name.trim(), value.trim());
    let (metric, value) = match name {
        "errors" => match value.strip_suffix('%') {
            Some(share) => (
                Metric::ErrorShare,
                number(share).ok_or_else(|| error("the share is not a number"))?,
            ),
            None => (
                Metric::ErrorCount,
                number(value)
                    .ok_or_else(|| error("the count is not a number (or a share, `1%`)"))?,
            ),
        },
        "rps" => (
            Metric::Rate,
            number(value).ok_or_else(|| error("the rate is not a number"))?,
        ),
        latency => (
            {
                let (read, k6) = latency_of(latency).ok_or_else(|| {
                    error("the metric is one of p50, p90, p95, p99, p99.9, mean, min, max, errors, rps")
                })?;
                Metric::Latency(read, k6)
            },
            milliseconds(value)
                .ok_or_else(|| error("the duration is not one (300ms, 1.5s, 800us)"))?,
        ),
    };
    Ok(Condition {
        text: text.to_owned(),
        metric,
        comparison,
        value,
    })
}

/// Reads a latency from a run's snapshot.
type ReadLatency = fn(&Snapshot) -> f64;

fn latency_of(name: &str) -> Option<(ReadLatency, &'static str)> {
    Some(match name {
        "p50" | "median" => (|s| s.latency_ms.p50, "med"),
        "p90" => (|s| s.latency_ms.p90, "p(90)"),
        "p95" => (|s| s.latency_ms.p95, "p(95)"),
        "p99" => (|s| s.latency_ms.p99, "p(99)"),
        "p99.9" => (|s| s.latency_ms.p99_9, "p(99.9)"),
        "mean" | "avg" => (|s| s.latency_ms.mean, "avg"),
        "min" => (|s| s.latency_ms.min, "min"),
        "max" => (|s| s.latency_ms.max, "max"),
        _ => return None,
    })
}

fn number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A duration in milliseconds: `300ms`, `1.5s`, `800us` or `800µs`, a bare number.
fn milliseconds(text: &str) -> Option<f64> {
    let units: [(&str, f64); 6] = [
        ("ms", 1.0),
        ("us", 0.001),
        ("µs", 0.001),
        ("s", 1000.0),
        ("m", 60_000.0),
        ("h", 3_600_000.0),
    ];
    for (suffix, scale) in units {
        if let Some(value) = text.strip_suffix(suffix) {
            return number(value).map(|n| n * scale);
        }
    }
    number(text)
}

impl Condition {
    /// The condition as a k6 threshold: the metric and the rule that must hold for the run
    /// to pass (the condition's opposite). None for a count of errors: k6 keeps failures as
    /// a rate.
    pub fn k6_threshold(&self) -> Option<(String, String)> {
        let passes = match self.comparison {
            Comparison::Above => "<=",
            Comparison::AtLeast => "<",
            Comparison::Below => ">=",
            Comparison::AtMost => ">",
        };
        Some(match self.metric {
            Metric::Latency(_, statistic) => (
                "http_req_duration".to_owned(),
                format!("{statistic}{passes}{}", self.value),
            ),
            Metric::ErrorShare => (
                "http_req_failed".to_owned(),
                format!("rate{passes}{}", self.value / 100.0),
            ),
            Metric::Rate => (
                "http_reqs".to_owned(),
                format!("rate{passes}{}", self.value),
            ),
            Metric::ErrorCount => return None,
        })
    }

    /// Checks the condition against a run's totals.
    pub fn check(&self, run: &Snapshot) -> Verdict {
        let (actual, shown) = match self.metric {
            Metric::Latency(read, _) => {
                let ms = read(run);
                (ms, format!("{ms:.2}ms"))
            }
            Metric::ErrorShare => {
                let share = if run.requests == 0 {
                    100.0
                } else {
                    run.failed as f64 * 100.0 / run.requests as f64
                };
                (share, format!("{share:.2}%"))
            }
            Metric::ErrorCount => (run.failed as f64, run.failed.to_string()),
            Metric::Rate => (
                run.requests_per_second,
                format!("{:.1}", run.requests_per_second),
            ),
        };
        let failed = match self.comparison {
            Comparison::Above => actual > self.value,
            Comparison::AtLeast => actual >= self.value,
            Comparison::Below => actual < self.value,
            Comparison::AtMost => actual <= self.value,
        };
        Verdict {
            condition: self.text.clone(),
            actual: shown,
            failed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::stats::Latency;

    fn run(p95: f64, failed: u64, requests: u64) -> Snapshot {
        Snapshot {
            elapsed_seconds: 10.0,
            requests,
            succeeded: requests - failed,
            failed,
            requests_per_second: requests as f64 / 10.0,
            statuses: Default::default(),
            errors: Vec::new(),
            latency_ms: Latency {
                p95,
                ..Latency::default()
            },
            histogram: Vec::new(),
            bytes_received: 0,
            bytes_sent: 0,
            latest: None,
        }
    }

    #[test]
    fn conditions_fail_a_run_only_when_they_are_true() {
        let conditions = parse("p95>300ms, errors>1%,rps<50").expect("three conditions");
        let good = run(120.0, 1, 1000);
        assert!(conditions.iter().all(|c| !c.check(&good).failed));
        let slow = run(301.0, 1, 1000);
        let verdict = conditions[0].check(&slow);
        assert!(verdict.failed);
        assert_eq!(verdict.actual, "301.00ms");
        assert!(conditions[1].check(&run(1.0, 20, 1000)).failed);
        assert!(conditions[2].check(&run(1.0, 0, 400)).failed);
    }

    #[test]
    fn units_and_counts_are_read() {
        let c = parse("p99.9>=1.5s,max<800us,errors>3,mean<=2").expect("four");
        assert_eq!(c[0].value, 1500.0);
        assert!((c[1].value - 0.8).abs() < 1e-9);
        assert!(matches!(c[2].metric, Metric::ErrorCount));
        assert_eq!(c[3].value, 2.0);
        assert!(c[2].check(&run(1.0, 4, 10)).failed);
    }

    #[test]
    fn conditions_become_k6_thresholds_that_pass_when_they_are_false() {
        let c = parse("p95>300ms,errors>1%,rps<50,mean>=2s,errors>3").expect("five");
        let thresholds: Vec<Option<(String, String)>> =
            c.iter().map(Condition::k6_threshold).collect();
        let pair = |m: &str, r: &str| Some((m.to_owned(), r.to_owned()));
        assert_eq!(thresholds[0], pair("http_req_duration", "p(95)<=300"));
        assert_eq!(thresholds[1], pair("http_req_failed", "rate<=0.01"));
        assert_eq!(thresholds[2], pair("http_reqs", "rate>=50"));
        assert_eq!(thresholds[3], pair("http_req_duration", "avg<2000"));
        assert_eq!(thresholds[4], None);
    }

    #[test]
    fn a_bad_condition_says_which_and_why() {
        let err = parse("p95>300ms,p97>1s").expect_err("p97 is not kept");
        assert_eq!(err.condition, "p97>1s");
        assert!(err.problem.contains("p99.9"));
        let err = parse("errors=1%").expect_err("no comparison");
        assert!(err.problem.contains("comparison"));
        let err = parse("p95>fast").expect_err("not a duration");
        assert!(err.problem.contains("duration"));
    }
}
