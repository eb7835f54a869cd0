//! What a load run counts: each request's latency in HDR histograms (a fixed few hundred
//! kilobytes however long the run), its status or the kind of error that ended it, and the
//! bytes each way. Workers record into a few shards (a lock each, rarely contended); the
//! collector folds the shards into the run's totals once a second, which is also one point of
//! the series the charts draw.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use hdrhistogram::Histogram;
use serde::Serialize;

/// Latencies are kept in microseconds, from 1 µs to an hour, to three significant figures.
const HIGHEST_MICROS: u64 = 3_600_000_000;
const SIGNIFICANT_FIGURES: u8 = 3;

/// How many shards the workers record into: more than the cores, so two threads seldom meet.
pub const SHARDS: usize = 16;

/// Why a request did not get its whole response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The server refused the connection (nothing listens there).
    ConnectRefused,
    /// The connection was not made within the connect timeout.
    ConnectTimeout,
    /// The connection could not be made otherwise (name lookup, no route, too many open files).
    Connect,
    /// The TLS handshake failed.
    Tls,
    /// The server was silent for longer than the read timeout.
    ReadTimeout,
    /// The request took longer than the total timeout.
    TotalTimeout,
    /// The server reset or closed the connection before the whole response.
    Reset,
    /// The response was not HTTP the client could read.
    Protocol,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 8] = [
        ErrorKind::ConnectRefused,
        ErrorKind::ConnectTimeout,
        ErrorKind::Connect,
        ErrorKind::Tls,
        ErrorKind::ReadTimeout,
        ErrorKind::TotalTimeout,
        ErrorKind::Reset,
        ErrorKind::Protocol,
    ];

    /// The words a summary says it with.
    pub fn describe(self) -> &'static str {
        match self {
            ErrorKind::ConnectRefused => "connection refused",
            ErrorKind::ConnectTimeout => "connect timeout",
            ErrorKind::Connect => "cannot connect",
            ErrorKind::Tls => "TLS handshake failed",
            ErrorKind::ReadTimeout => "read timeout (server silent)",
            ErrorKind::TotalTimeout => "total timeout",
            ErrorKind::Reset => "connection reset or closed early",
            ErrorKind::Protocol => "not HTTP the client can read",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One request's outcome, as a worker records it.
pub enum Outcome {
    /// A whole response: its status, how long it took, the bytes each way.
    Answered {
        status: u16,
        latency: Duration,
        received: u64,
    },
    /// No whole response, and the first words of why.
    Failed { kind: ErrorKind, message: String },
}

/// What the workers of one shard have recorded since the collector last took it.
struct Recorded {
    latencies: Histogram<u64>,
    statuses: BTreeMap<u16, u64>,
    errors: [u64; ErrorKind::ALL.len()],
    /// One message for each kind of error, the first seen.
    first_errors: [Option<String>; ErrorKind::ALL.len()],
    received: u64,
    sent: u64,
}

impl Recorded {
    fn new() -> Recorded {
        Recorded {
            latencies: new_histogram(),
            statuses: BTreeMap::new(),
            errors: [0; ErrorKind::ALL.len()],
            first_errors: Default::default(),
            received: 0,
            sent: 0,
        }
    }
}

fn new_histogram() -> Histogram<u64> {
    // The bounds are constants the crate accepts, so this cannot fail.
    Histogram::new_with_bounds(1, HIGHEST_MICROS, SIGNIFICANT_FIGURES)
        .unwrap_or_else(|_| unreachable!("1 µs to an hour at 3 figures is a valid histogram"))
}

/// Where workers record; the collector takes what they recorded.
pub struct Shards {
    shards: Vec<Mutex<Recorded>>,
}

impl Default for Shards {
    fn default() -> Shards {
        Shards {
            shards: (0..SHARDS).map(|_| Mutex::new(Recorded::new())).collect(),
        }
    }
}

impl Shards {
    /// Records one request's outcome, `sent` bytes sent, into the shard of worker `worker`.
    pub fn record(&self, worker: usize, outcome: Outcome, sent: u64) {
        let mut shard = self.shards[worker % SHARDS]
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        shard.sent += sent;
        match outcome {
            Outcome::Answered {
                status,
                latency,
                received,
            } => {
                let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
                shard.latencies.saturating_record(micros.max(1));
                *shard.statuses.entry(status).or_default() += 1;
                shard.received += received;
            }
            Outcome::Failed { kind, message } => {
                shard.errors[kind.index()] += 1;
                shard.first_errors[kind.index()].get_or_insert(message);
            }
        }
    }

    /// Everything recorded since the last call, the shards left empty.
    fn take(&self, into: &mut Recorded) {
        for shard in &self.shards {
            let mut shard = shard.lock().unwrap_or_else(|p| p.into_inner());
            // Both histograms have the same bounds, so adding cannot fail.
            let _ = into.latencies.add(&shard.latencies);
            shard.latencies.reset();
            for (status, count) in std::mem::take(&mut shard.statuses) {
                *into.statuses.entry(status).or_default() += count;
            }
            for kind in ErrorKind::ALL {
                let i = kind.index();
                into.errors[i] += std::mem::take(&mut shard.errors[i]);
                if let Some(message) = shard.first_errors[i].take() {
                    into.first_errors[i].get_or_insert(message);
                }
            }
            into.received += std::mem::take(&mut shard.received);
            into.sent += std::mem::take(&mut shard.sent);
        }
    }
}

/// One second of the run: the series the charts draw.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// Seconds since the start, at the end of this point's interval.
    pub at_seconds: f64,
    /// Requests that ended in the interval (whole responses and errors), per second, as the
    /// summary's rate counts them.
    pub requests_per_second: f64,
    /// Requests that failed (an error, or a status of 400 and up) in the interval.
    pub failed: u64,
    /// Latency percentiles of the interval's responses, in milliseconds (0 with none).
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Latency {
    pub min: f64,
    pub mean: f64,
    pub stdev: f64,
    pub p50: f64,
    pub p90: f64,
    pub p95: f64,
    pub p99: f64,
    #[serde(rename = "p99.9")]
    pub p99_9: f64,
    pub max: f64,
}

/// The run so far (or at its end): what the live views and the summary show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    pub elapsed_seconds: f64,
    /// Requests that ended: whole responses and errors.
    pub requests: u64,
    /// Whole responses with a status under 400.
    pub succeeded: u64,
    /// Errors, and responses of 400 and up.
    pub failed: u64,
    pub requests_per_second: f64,
    pub statuses: BTreeMap<u16, u64>,
    /// Each kind of error seen, with how many and the first one's message.
    pub errors: Vec<ErrorCount>,
    pub latency_ms: Latency,
    /// The latency distribution in up to 20 bars: (upper bound in ms, responses).
    pub histogram: Vec<(f64, u64)>,
    pub bytes_received: u64,
    pub bytes_sent: u64,
    /// The newest second, for the live views.
    pub latest: Option<Point>,
}

impl Snapshot {
    /// The count of the histogram's tallest bar (at least 1), to scale bars against.
    pub fn tallest_bar(&self) -> u64 {
        self.histogram
            .iter()
            .map(|(_, n)| *n)
            .max()
            .unwrap_or(1)
            .max(1)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorCount {
    pub kind: ErrorKind,
    pub description: &'static str,
    pub count: u64,
    pub first: String,
}

/// The collector's side: the run's totals, folded from the shards each tick.
pub struct Totals {
    all: Recorded,
}

impl Default for Totals {
    fn default() -> Self {
        Totals {
            all: Recorded::new(),
        }
    }
}

impl Totals {
    /// Takes what the shards recorded and returns the new point of the series: `interval`
    /// long, ending `elapsed` after the start.
    pub fn fold(&mut self, shards: &Shards, elapsed: Duration, interval: Duration) -> Point {
        let mut fresh = Recorded::new();
        shards.take(&mut fresh);
        let errors = fresh.errors.iter().sum::<u64>();
        let ended = fresh.latencies.len() + errors;
        let failed = errors + fresh.statuses.range(400..).map(|(_, n)| n).sum::<u64>();
        let point = Point {
            at_seconds: elapsed.as_secs_f64(),
            requests_per_second: ended as f64 / interval.as_secs_f64().max(1e-9),
            failed,
            p50_ms: millis(fresh.latencies.value_at_quantile(0.5)),
            p99_ms: millis(fresh.latencies.value_at_quantile(0.99)),
        };
        let _ = self.all.latencies.add(&fresh.latencies);
        for (status, count) in fresh.statuses {
            *self.all.statuses.entry(status).or_default() += count;
        }
        for kind in ErrorKind::ALL {
            let i = kind.index();
            self.all.errors[i] += fresh.errors[i];
            if let Some(message) = fresh.first_errors[i].take() {
                self.all.first_errors[i].get_or_insert(message);
            }
        }
        self.all.received += fresh.received;
        self.all.sent += fresh.sent;
        point
    }

    /// The run so far, `elapsed` after its start.
    pub fn snapshot(&self, elapsed: Duration, latest: Option<Point>) -> Snapshot {
        let all = &self.all;
        let errors: u64 = all.errors.iter().sum();
        let responses = all.latencies.len();
        let requests = responses + errors;
        let bad_statuses: u64 = all.statuses.range(400..).map(|(_, n)| n).sum();
        Snapshot {
            elapsed_seconds: elapsed.as_secs_f64(),
            requests,
            succeeded: responses - bad_statuses,
            failed: errors + bad_statuses,
            requests_per_second: requests as f64 / elapsed.as_secs_f64().max(1e-9),
            statuses: all.statuses.clone(),
            errors: ErrorKind::ALL
                .iter()
                .filter(|kind| all.errors[kind.index()] > 0)
                .map(|&kind| ErrorCount {
                    kind,
                    description: kind.describe(),
                    count: all.errors[kind.index()],
                    first: all.first_errors[kind.index()].clone().unwrap_or_default(),
                })
                .collect(),
            latency_ms: latency(&all.latencies),
            histogram: bars(&all.latencies, 20),
            bytes_received: all.received,
            bytes_sent: all.sent,
            latest,
        }
    }
}

fn millis(micros: u64) -> f64 {
    micros as f64 / 1000.0
}

fn latency(histogram: &Histogram<u64>) -> Latency {
    if histogram.is_empty() {
        return Latency::default();
    }
    let at = |q: f64| millis(histogram.value_at_quantile(q));
    Latency {
        min: millis(histogram.min()),
        mean: histogram.mean() / 1000.0,
        stdev: histogram.stdev() / 1000.0,
        p50: at(0.5),
        p90: at(0.9),
        p95: at(0.95),
        p99: at(0.99),
        p99_9: at(0.999),
        max: millis(histogram.max()),
    }
}

/// The distribution as `count` equal-width bars from the fastest response to the slowest,
/// each its upper bound in milliseconds and how many responses fell in it.
fn bars(histogram: &Histogram<u64>, count: usize) -> Vec<(f64, u64)> {
    if histogram.is_empty() {
        return Vec::new();
    }
    let (low, high) = (histogram.min(), histogram.max());
    let width = ((high - low) / count as u64).max(1);
    let bars = usize::try_from((high - low) / width + 1).map_or(count, |n| n.min(count));
    let mut counts = vec![0u64; bars];
    // Each recorded value once, in the bar it falls in (ranges of the histogram's own
    // buckets would count a wide bucket in two bars).
    for value in histogram.iter_recorded() {
        let at = value.value_iterated_to().clamp(low, high);
        let bar = usize::try_from((at - low) / width).map_or(bars - 1, |b| b.min(bars - 1));
        counts[bar] += value.count_at_value();
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(bar, n)| {
            let upper = if bar + 1 == bars {
                high
            } else {
                low + width * (bar as u64 + 1) - 1
            };
            (millis(upper), n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tick_folds_every_shard_and_the_summary_counts_failures() {
        let shards = Shards::default();
        for worker in 0..40 {
            shards.record(
                worker,
                Outcome::Answered {
                    status: if worker < 30 { 200 } else { 503 },
                    latency: Duration::from_millis(worker as u64 + 1),
                    received: 10,
                },
                100,
            );
        }
        shards.record(
            3,
            Outcome::Failed {
                kind: ErrorKind::Reset,
                message: "reset by peer".into(),
            },
            100,
        );
        let mut totals = Totals::default();
        let point = totals.fold(&shards, Duration::from_secs(2), Duration::from_secs(1));
        assert_eq!(point.requests_per_second, 41.0, "responses and the error");
        assert_eq!(point.failed, 11);
        let snapshot = totals.snapshot(Duration::from_secs(2), Some(point));
        assert_eq!(snapshot.requests, 41);
        assert_eq!(snapshot.succeeded, 30);
        assert_eq!(snapshot.failed, 11);
        assert_eq!(snapshot.statuses[&503], 10);
        assert_eq!(snapshot.errors[0].kind, ErrorKind::Reset);
        assert_eq!(snapshot.errors[0].first, "reset by peer");
        assert_eq!(snapshot.bytes_sent, 4100);
        assert_eq!(snapshot.bytes_received, 400);
        assert!((snapshot.latency_ms.max - 40.0).abs() < 0.1);
        assert!((snapshot.latency_ms.p50 - 20.0).abs() < 0.1);
        let in_bars: u64 = snapshot.histogram.iter().map(|(_, n)| n).sum();
        assert_eq!(in_bars, 40);
        // Taken once: the next tick starts from nothing.
        let next = totals.fold(&shards, Duration::from_secs(3), Duration::from_secs(1));
        assert_eq!(next.requests_per_second, 0.0);
        assert_eq!(totals.snapshot(Duration::from_secs(3), None).requests, 41);
    }
}
