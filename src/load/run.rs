//! Running a load plan: workers on a tokio runtime of the run's own (so a TUI's loop keeps its
//! thread however hard the run pushes), each taking tickets (the next request, and with a
//! fixed rate the moment it is due) until the count is reached, the time is up or the run is
//! stopped; a collector folding what they recorded into the totals once a second and handing
//! each second's snapshot to whoever watches.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use serde::Serialize;
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

use super::connect::{Conn, Connector, ConnectorError, Failure, classify};
use super::stats::{ErrorKind, Outcome, Point, Shards, Snapshot, Totals};
use super::target::Target;

/// What to run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The requests, one per data row (at least one); request `n` sends `targets[n % len]`.
    pub targets: Vec<Target>,
    /// Requests in flight at once.
    pub concurrency: usize,
    pub stop: Stop,
    /// Requests started per second, whatever the answers' speed; none: as fast as they come.
    pub rate: Option<f64>,
    /// With a rate, latency counts from when a request was due, not when it could start.
    pub latency_correction: bool,
    /// Connections the workers share (HTTP/2 multiplexes on them); none: one each.
    pub connections: Option<usize>,
    /// Threads the workers run on; none: a thread per core, half of them for loopback.
    pub threads: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    After(#[serde(serialize_with = "seconds")] Duration),
    Count(u64),
}

fn seconds<S: serde::Serializer>(duration: &Duration, to: S) -> Result<S::Ok, S::Error> {
    to.serialize_f64(duration.as_secs_f64())
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ended {
    /// Every request of the count was sent and answered (or failed).
    Count,
    /// The duration was up.
    Duration,
    /// Someone stopped it (Ctrl-C, the TUI's stop).
    Stopped,
}

/// A run's result.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    #[serde(flatten)]
    pub totals: Snapshot,
    pub ended: Ended,
    /// Requests in flight when the run ended, not counted anywhere else.
    pub cut_off: u64,
    pub connections_opened: u64,
    /// One point a second.
    pub series: Vec<Point>,
}

/// A run going on, on threads of its own.
pub struct Running {
    stop: CancellationToken,
    result: tokio::sync::oneshot::Receiver<Result<Summary, ConnectorError>>,
}

impl Running {
    /// A handle that stops the run at once, for a signal handler or another task: requests
    /// in flight are cut off, the summary still comes.
    pub fn stopper(&self) -> CancellationToken {
        self.stop.clone()
    }

    /// The run's summary once it has ended.
    pub async fn finished(self) -> Result<Summary, ConnectorError> {
        self.result.await.unwrap_or(Err(ConnectorError::Ended))
    }
}

/// Starts `plan` on a runtime of its own; `progress` gets each second's snapshot.
pub fn start(plan: Plan, progress: impl Fn(Snapshot) + Send + 'static) -> std::io::Result<Running> {
    raise_open_file_limit();
    let stop = CancellationToken::new();
    let (done, result) = tokio::sync::oneshot::channel();
    // The collector's runtime; the workers get one a thread of their own (`spawn_threads`).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let token = stop.clone();
    std::thread::Builder::new()
        .name("courier-load".into())
        .spawn(move || {
            let summary = runtime.block_on(drive(plan, token, progress));
            let _ = done.send(summary);
        })?;
    Ok(Running { stop, result })
}

/// What the workers share.
struct Shared {
    plan: Plan,
    connector: Connector,
    shards: Shards,
    tickets: AtomicU64,
    started: Instant,
    stop: CancellationToken,
    cut_off: AtomicU64,
    connections_opened: AtomicU64,
}

async fn drive(
    plan: Plan,
    stop: CancellationToken,
    progress: impl Fn(Snapshot),
) -> Result<Summary, ConnectorError> {
    let connector = Connector::new(&plan.targets[0]).await?;
    let slots = plan
        .connections
        .unwrap_or(plan.concurrency)
        .clamp(1, plan.concurrency);
    let shared = Arc::new(Shared {
        connector,
        shards: Shards::default(),
        tickets: AtomicU64::new(0),
        started: Instant::now(),
        stop: stop.clone(),
        cut_off: AtomicU64::new(0),
        connections_opened: AtomicU64::new(0),
        plan,
    });
    let slots: Vec<Arc<Mutex<Option<Conn>>>> =
        (0..slots).map(|_| Arc::new(Mutex::new(None))).collect();
    let mut workers = spawn_threads(&shared, &slots);
    let deadline = match shared.plan.stop {
        // A duration past what the clock can say is no deadline at all.
        Stop::After(duration) => shared
            .started
            .checked_add(duration)
            .map(tokio::time::Instant::from_std),
        Stop::Count(_) => None,
    };
    let mut totals = Totals::default();
    let mut series = Vec::new();
    let mut tick = tokio::time::interval_at(
        tokio::time::Instant::now() + Duration::from_secs(1),
        Duration::from_secs(1),
    );
    let mut last_tick = shared.started;
    let ended = loop {
        tokio::select! {
            _ = tick.tick() => {
                let now = Instant::now();
                let point = totals.fold(&shared.shards, now - shared.started, now - last_tick);
                last_tick = now;
                series.push(point.clone());
                progress(totals.snapshot(now - shared.started, Some(point)));
            }
            _ = until(deadline) => break Ended::Duration,
            _ = stop.cancelled() => break Ended::Stopped,
            // Every worker done: the count reached, or a rate's last request due before the
            // end was sent. Workers also end when told to stop, and `select!` may see them
            // gone before it sees the stop.
            None = workers.recv() => break match shared.plan.stop {
                _ if stop.is_cancelled() => Ended::Stopped,
                Stop::Count(_) => Ended::Count,
                Stop::After(_) => Ended::Duration,
            },
        }
    };
    stop.cancel();
    while workers.recv().await.is_some() {}
    let now = Instant::now();
    if now > last_tick + Duration::from_millis(100) {
        series.push(totals.fold(&shared.shards, now - shared.started, now - last_tick));
    } else {
        totals.fold(&shared.shards, now - shared.started, now - last_tick);
    }
    Ok(Summary {
        totals: totals.snapshot(now - shared.started, series.last().cloned()),
        ended,
        cut_off: shared.cut_off.load(Ordering::Relaxed),
        connections_opened: shared.connections_opened.load(Ordering::Relaxed),
        series,
    })
}

/// Starts the workers on the plan's threads (`default_threads`), each thread a current-thread
/// runtime: a worker and its connection's task then wake each other on one thread, as wrk's
/// event loops do (tokio's work-stealing runtime moved them between threads, and a request
/// cost a cross-thread wake-up). The receiver ends (nothing is ever sent on it) when every
/// thread's workers are done.
fn spawn_threads(
    shared: &Arc<Shared>,
    slots: &[Arc<Mutex<Option<Conn>>>],
) -> tokio::sync::mpsc::Receiver<()> {
    let threads = shared
        .plan
        .threads
        .unwrap_or_else(|| default_threads(&shared.plan.targets[0]))
        .clamp(1, slots.len());
    let (done, all_done) = tokio::sync::mpsc::channel(threads);
    for thread in 0..threads {
        // A slot's workers all on one thread: its connection belongs to that thread's
        // runtime, and goes when that runtime does.
        let workers: Vec<(usize, Arc<Mutex<Option<Conn>>>)> = (0..shared.plan.concurrency)
            .filter(|index| (index % slots.len()) % threads == thread)
            .map(|index| (index, slots[index % slots.len()].clone()))
            .collect();
        let shared = shared.clone();
        let done = done.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("courier-load-{thread}"))
            .spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                runtime.block_on(async move {
                    let mut set = tokio::task::JoinSet::new();
                    for (index, slot) in workers {
                        set.spawn(worker(index, shared.clone(), slot));
                    }
                    while set.join_next().await.is_some() {}
                    // Dropping the last sender is what tells the collector.
                    drop(done);
                });
                // Connections still closing are dropped with the runtime, not waited for.
                runtime.shutdown_background();
            });
        if spawned.is_err() {
            // No thread: its share of workers never runs; the others still do.
            tracing::warn!("cannot start a load thread");
        }
    }
    all_done
}

/// A thread per core; half the cores for a server on this machine (loopback), which needs
/// the other half to answer: on 2 cores against nginx, two threads made 95,000 requests a
/// second with a p99 of 4.3 ms (the scheduler's slice, each thread preempting the server),
/// one made 118,000 with a p99 of 1 ms.
fn default_threads(target: &Target) -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let loopback = target.host == "localhost"
        || target
            .host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if loopback { (cores / 2).max(1) } else { cores }
}

/// Waits for the deadline, or forever without one.
async fn until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// The next request to send, and when it is due under a fixed rate; none when the count is
/// reached or a rate's next request would be due after the end.
fn next_ticket(shared: &Shared) -> Option<(u64, Option<Instant>)> {
    let n = shared.tickets.fetch_add(1, Ordering::Relaxed);
    if let Stop::Count(count) = shared.plan.stop
        && n >= count
    {
        return None;
    }
    let due = shared.plan.rate.map(|rate| {
        Duration::try_from_secs_f64(n as f64 / rate)
            .ok()
            .and_then(|after| shared.started.checked_add(after))
    });
    // Due past what the clock can say: never.
    let due = match due {
        Some(None) => return None,
        Some(Some(due)) => Some(due),
        None => None,
    };
    if let (Some(due), Stop::After(duration)) = (due, shared.plan.stop)
        && shared
            .started
            .checked_add(duration)
            .is_some_and(|end| due >= end)
    {
        return None;
    }
    Some((n, due))
}

async fn worker(index: usize, shared: Arc<Shared>, slot: Arc<Mutex<Option<Conn>>>) {
    while !shared.stop.is_cancelled() {
        let Some((n, due)) = next_ticket(&shared) else {
            return;
        };
        if let Some(due) = due {
            tokio::select! {
                _ = shared.stop.cancelled() => return,
                _ = tokio::time::sleep_until(due.into()) => {}
            }
        }
        let target = &shared.plan.targets[(n % shared.plan.targets.len() as u64) as usize];
        let started = Instant::now();
        let outcome = tokio::select! {
            biased;
            _ = shared.stop.cancelled() => {
                shared.cut_off.fetch_add(1, Ordering::Relaxed);
                return;
            }
            outcome = within_total(target, exchange(&shared, target, &slot)) => outcome,
        };
        let from = match due {
            Some(due) if shared.plan.latency_correction => due,
            _ => started,
        };
        let outcome = match outcome {
            Ok((status, received)) => Outcome::Answered {
                status,
                latency: from.elapsed(),
                received,
            },
            Err((kind, message)) => Outcome::Failed { kind, message },
        };
        shared.shards.record(index, outcome, target.wire_size());
    }
}

async fn within_total(
    target: &Target,
    exchange: impl Future<Output = Result<(u16, u64), Failure>>,
) -> Result<(u16, u64), Failure> {
    match target.total_timeout {
        None => exchange.await,
        Some(limit) => tokio::time::timeout(limit, exchange)
            .await
            .unwrap_or_else(|_| {
                Err((
                    ErrorKind::TotalTimeout,
                    format!("no whole response within {limit:?}"),
                ))
            }),
    }
}

/// One request on the slot's connection (opened first when there is none or it closed):
/// its status and the body's size. An HTTP/1.1 connection is held for the whole exchange; an
/// HTTP/2 one is shared.
async fn exchange(
    shared: &Shared,
    target: &Target,
    slot: &Mutex<Option<Conn>>,
) -> Result<(u16, u64), Failure> {
    let mut connection = slot.lock().await;
    if connection.as_ref().is_none_or(Conn::is_closed) {
        *connection = None;
        // Boxed: opening (TCP, TLS, an HTTP/2 handshake) is a large future, and inline it
        // would make every worker that large (10,000 workers took 300 MB).
        *connection = Some(Box::pin(shared.connector.open()).await?);
        shared.connections_opened.fetch_add(1, Ordering::Relaxed);
    }
    let read_timeout = target.transport.read_timeout;
    if let Some(Conn::Http2(sender)) = connection.as_ref() {
        let mut sender = sender.clone();
        drop(connection);
        sender.ready().await.map_err(|e| classify(&e))?;
        let response = sender.send_request(http2_request(target));
        return read_response(response, read_timeout).await;
    }
    let head = target.method == http::Method::HEAD;
    let result = match connection.as_mut() {
        Some(Conn::Http1(wire)) => wire.exchange(&target.http1_bytes, head, read_timeout).await,
        Some(Conn::Http1Tls(wire)) => wire.exchange(&target.http1_bytes, head, read_timeout).await,
        _ => Err((ErrorKind::Reset, "the connection was lost".into())),
    };
    if result.is_err() {
        // A connection that failed mid-exchange is not used again.
        *connection = None;
    }
    result
}

/// The HTTP/2 request: hyper encodes it, so each is built anew (cheap handles cloned).
fn http2_request(target: &Target) -> Request<Full<Bytes>> {
    let mut request = Request::new(Full::new(target.body.clone()));
    *request.method_mut() = target.method.clone();
    *request.uri_mut() = target.absolute.clone();
    *request.headers_mut() = target.http2_headers.clone();
    request
}

/// Waits for the head and reads the body to its end, each within the read timeout.
async fn read_response(
    response: impl Future<Output = Result<Response<Incoming>, hyper::Error>>,
    read_timeout: Option<Duration>,
) -> Result<(u16, u64), Failure> {
    let response = within_read(read_timeout, response).await?;
    let status = response.status().as_u16();
    let mut body = response.into_body();
    let mut received = 0u64;
    while let Some(frame) =
        within_read(read_timeout, async { body.frame().await.transpose() }).await?
    {
        if let Some(data) = frame.data_ref() {
            received += data.len() as u64;
        }
    }
    Ok((status, received))
}

/// `read` within the read timeout, its error classified.
async fn within_read<T>(
    limit: Option<Duration>,
    read: impl Future<Output = Result<T, hyper::Error>>,
) -> Result<T, Failure> {
    let outcome = match limit {
        None => read.await,
        Some(limit) => match tokio::time::timeout(limit, read).await {
            Ok(outcome) => outcome,
            Err(_) => {
                return Err((
                    ErrorKind::ReadTimeout,
                    format!("the server sent nothing for {limit:?}"),
                ));
            }
        },
    };
    outcome.map_err(|e| classify(&e))
}

/// Lifts the soft limit on open files to the hard one: a run of 10,000 connections needs
/// more than the usual 1,024. Failing leaves the limit as it was; connections past it then
/// fail as `Connect` errors that say so.
fn raise_open_file_limit() {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    if limit.current < limit.maximum {
        limit.current = limit.maximum;
        let _ = setrlimit(Resource::Nofile, limit);
    }
}
