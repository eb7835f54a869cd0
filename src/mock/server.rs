//! The mock's listener: HTTP/1.1 and HTTP/2 (h2c by prior knowledge; with TLS, h2 or
//! http/1.1 by ALPN, on a throwaway CA's certificate as the demo server's), each connection
//! on a task of its own. It holds against a bad client: a connection that sends nothing or
//! trickles its head is closed after [`HEAD_TIMEOUT`], a body that stalls after
//! [`BODY_IDLE`], at most [`MAX_CONNECTIONS`] are served at once, a body is read up to
//! [`BODY_CAP`] and the rest drained; each of these is a log event.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;

use super::choose::{Answer, Choice, Incoming, choose};
use super::intake::{query_and_headers, read_body, version_told};
use super::log::{EventKind, EventSink};
use super::record::{self, Recorder};
use super::respond::{self, MockBody, Reply};
use super::table::{Source, Table};
use super::websocket::is_upgrade;
use crate::demo::DemoCertificates;

/// A request's head must arrive whole within this, and a connection's first byte too.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A request body that sends nothing for this long is given up on.
pub const BODY_IDLE: Duration = Duration::from_secs(30);
/// Connections served at once; past this, new ones are closed at once.
pub const MAX_CONNECTIONS: usize = 16_384;
/// Bytes of a request body kept for rules and templates; the rest is read and dropped.
pub const BODY_CAP: usize = 8 * 1024 * 1024;
/// The biggest body a miss's log event keeps (to save as a new request's body).
const MISS_BODY_KEPT: usize = 64 * 1024;

/// How to start a mock.
#[derive(Debug, Clone)]
pub struct MockOptions {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Serve HTTPS with a freshly made certificate.
    pub tls: bool,
    /// [`HEAD_TIMEOUT`] unless a test wants it shorter.
    pub head_timeout: Duration,
    /// [`BODY_IDLE`] unless a test wants it shorter.
    pub body_idle: Duration,
    /// Recorded streams played this many times faster (1: as they came).
    pub speed: f64,
}

impl Default for MockOptions {
    fn default() -> Self {
        MockOptions {
            port: 0,
            tls: false,
            head_timeout: HEAD_TIMEOUT,
            body_idle: BODY_IDLE,
            speed: 1.0,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MockError {
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("cannot set up TLS: {0}")]
    Tls(#[from] crate::demo::tls::TlsSetupError),
}

/// A running mock. Dropping it stops it.
pub struct MockServer {
    addr: SocketAddr,
    certificates: Option<DemoCertificates>,
    stop: watch::Sender<bool>,
    accept_task: Option<JoinHandle<()>>,
    shared: Arc<Shared>,
    /// Watches the collection, once asked to (`reload_on_change`).
    watcher: Option<notify::RecommendedWatcher>,
}

/// What every connection shares.
pub(super) struct Shared {
    /// Swapped for a new one when a recording adds an example.
    pub(super) table: std::sync::RwLock<Arc<Table>>,
    pub(super) recorder: Option<Arc<Recorder>>,
    /// Where the table was read from, to read it again after a recording.
    pub(super) source: Option<Source>,
    pub(super) events: EventSink,
    pub(super) head_timeout: Duration,
    pub(super) body_idle: Duration,
    /// How much faster recorded streams are played.
    pub(super) speed: f64,
    /// The connections served at once, WebSocket sessions among them.
    pub(super) slots: Arc<Semaphore>,
    /// Says when the mock stops (a WebSocket session outlives its HTTP connection).
    pub(super) stopped: watch::Receiver<bool>,
    /// Held while the table is read again after a recording.
    pub(super) rereading: std::sync::Mutex<()>,
}

impl MockServer {
    /// Starts serving `table` on 127.0.0.1; returns once it accepts connections.
    pub async fn start(
        table: Table,
        options: MockOptions,
        events: EventSink,
    ) -> Result<MockServer, MockError> {
        MockServer::start_recording(table, None, options, events).await
    }

    /// Starts serving `table`, sending what it does not answer to `recorder`'s upstream and
    /// serving the answers saved from then on (`Source` is where `table` was read from).
    pub async fn start_recording(
        table: Table,
        recorder: Option<(Recorder, Source)>,
        options: MockOptions,
        events: EventSink,
    ) -> Result<MockServer, MockError> {
        let bind = |source| MockError::Bind {
            port: options.port,
            source,
        };
        let listener = TcpListener::bind(("127.0.0.1", options.port))
            .await
            .map_err(bind)?;
        let addr = listener.local_addr().map_err(bind)?;
        let certificates = options.tls.then(DemoCertificates::generate).transpose()?;
        let acceptor = certificates
            .as_ref()
            .map(DemoCertificates::acceptor)
            .transpose()?;
        let (stop, stopped) = watch::channel(false);
        let (recorder, source) = match recorder {
            Some((recorder, source)) => (Some(Arc::new(recorder)), Some(source)),
            None => (None, None),
        };
        let shared = Arc::new(Shared {
            table: std::sync::RwLock::new(Arc::new(table)),
            recorder,
            source,
            events,
            head_timeout: options.head_timeout,
            body_idle: options.body_idle,
            speed: options.speed,
            slots: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
            stopped: stopped.clone(),
            rereading: std::sync::Mutex::new(()),
        });
        let accept_task = tokio::spawn(accept_loop(listener, acceptor, shared.clone(), stopped));
        Ok(MockServer {
            addr,
            certificates,
            stop,
            accept_task: Some(accept_task),
            shared,
            watcher: None,
        })
    }

    /// Reads the table from `source` again whenever a file of its collection changes (an
    /// example edited or saved, a request added), so what is served is what is on disk; each
    /// time is a log event.
    pub fn reload_on_change(&mut self, source: Source) -> Result<(), String> {
        let dir = source.dir.clone();
        use notify::Watcher;
        let (changed, mut changes) = tokio::sync::mpsc::unbounded_channel();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if event.is_ok_and(|event| !event.kind.is_access()) {
                    let _ = changed.send(());
                }
            })
            .map_err(|err| format!("cannot watch {}: {err}", dir.display()))?;
        watcher
            .watch(&dir, notify::RecursiveMode::Recursive)
            .map_err(|err| format!("cannot watch {}: {err}", dir.display()))?;
        self.watcher = Some(watcher);
        let shared = self.shared.clone();
        let mut stopped = self.stop.subscribe();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    change = changes.recv() => if change.is_none() { return },
                    _ = stopped.changed() => return,
                }
                // A save is several files: wait for the burst to end, then read once.
                tokio::time::sleep(Duration::from_millis(150)).await;
                while changes.try_recv().is_ok() {}
                let source = source.clone();
                let read = tokio::task::spawn_blocking(move || source.read()).await;
                let Ok(mut table) = read else { continue };
                let event = EventKind::Reloaded {
                    requests: table.routes.len(),
                    examples: table.example_count(),
                    problems: std::mem::take(&mut table.problems),
                };
                // (An OpenAPI description's table is never read again: it lives in a
                // temporary directory no one edits.)
                if let Ok(mut current) = shared.table.write() {
                    *current = Arc::new(table);
                }
                shared
                    .events
                    .send(SocketAddr::from(([127, 0, 0, 1], 0)), event);
            }
        });
        Ok(())
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, e.g. `http://127.0.0.1:8000`.
    pub fn url(&self) -> String {
        let scheme = if self.certificates.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// The CA certificate (PEM) clients trust for `--tls`.
    pub fn ca_pem(&self) -> Option<&str> {
        self.certificates.as_ref().map(|c| c.ca_pem.as_str())
    }

    /// Stops accepting and closes every connection.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.accept_task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    shared: Arc<Shared>,
    mut stopped: watch::Receiver<bool>,
) {
    let slots = shared.slots.clone();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: say so, wait a little, go on.
                    let what = format!("cannot accept: {err}");
                    shared.events.send(SocketAddr::from(([0, 0, 0, 0], 0)), EventKind::Connection { what });
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stopped.changed() => return,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            let what = format!("refused: {MAX_CONNECTIONS} connections open already");
            shared.events.send(peer, EventKind::Connection { what });
            continue;
        };
        let _ = stream.set_nodelay(true);
        let acceptor = acceptor.clone();
        let shared = shared.clone();
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let events = shared.events.clone();
            tokio::select! {
                result = serve_connection(stream, peer, acceptor, shared) => {
                    if let Err(what) = result {
                        events.send(peer, EventKind::Connection { what });
                    }
                }
                _ = stopped.changed() => {}
            }
            drop(slot);
        });
    }
}

/// Serves one connection to its end; an error says how it ended badly.
async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    shared: Arc<Shared>,
) -> Result<(), String> {
    let head_timeout = shared.head_timeout;
    let service = service_fn(move |request| handle(request, peer, shared.clone()));
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(head_timeout);
    // A peer gone quiet on HTTP/2 is found by its unanswered pings.
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(Duration::from_secs(20)))
        .keep_alive_timeout(Duration::from_secs(20));
    let ended = |err: Box<dyn std::error::Error + Send + Sync>| {
        // A fault's drop is logged with its request already.
        if is_dropped(&*err) {
            return None;
        }
        Some(crate::http::describe_error(&*err))
    };
    match acceptor {
        None => {
            if !version_told(&stream, head_timeout).await? {
                return Ok(());
            }
            builder
                .serve_connection_with_upgrades(TokioIo::new(stream), service)
                .await
                .map_or_else(|err| ended(err).map_or(Ok(()), Err), Ok)
        }
        Some(acceptor) => {
            let tls = match tokio::time::timeout(head_timeout, acceptor.accept(stream)).await {
                Err(_) => return Err(format!("closed: no TLS handshake in {head_timeout:?}")),
                Ok(Err(err)) => return Err(format!("TLS handshake failed: {err}")),
                Ok(Ok(tls)) => tls,
            };
            // ALPN has said the version: no bytes to wait for before hyper's own timeouts.
            let builder = match tls.get_ref().1.alpn_protocol() {
                Some(b"h2") => builder.http2_only(),
                Some(_) => builder.http1_only(),
                None => builder,
            };
            builder
                .serve_connection_with_upgrades(TokioIo::new(tls), service)
                .await
                .map_or_else(|err| ended(err).map_or(Ok(()), Err), Ok)
        }
    }
}

fn is_dropped(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(err);
    while let Some(err) = next {
        if err.is::<Dropped>() {
            return true;
        }
        next = err.source();
    }
    false
}

/// Why a connection is dropped instead of answered (a `drop` fault).
#[derive(Debug, thiserror::Error)]
#[error("dropped by the example's fault")]
struct Dropped;

async fn handle(
    request: hyper::Request<hyper::body::Incoming>,
    peer: SocketAddr,
    shared: Arc<Shared>,
) -> Result<hyper::Response<MockBody>, Dropped> {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
    let body = match read_body(body, shared.body_idle).await {
        Ok(body) => body,
        Err(why) => {
            let what = format!("{method} {path}: {why}");
            shared.events.send(peer, EventKind::Connection { what });
            return Ok(respond::json(
                408,
                &serde_json::json!({ "error": format!("courier mock: {why}") }),
            ));
        }
    };
    let (query, headers) = query_and_headers(&parts);
    let incoming = Incoming {
        method: &method,
        path: &path,
        query: &query,
        headers: &headers,
        body: &body.bytes,
        body_cut: body.cut,
    };
    let table = shared.table.read().map_or_else(
        |poisoned| poisoned.into_inner().clone(),
        |table| table.clone(),
    );
    if let Some(contract) = &table.contract
        && let Err(rejection) = contract.check(&incoming)
    {
        let response = respond::rejected(&rejection);
        let event = EventKind::Rejected {
            method,
            path,
            status: rejection.status,
            operation: rejection.operation,
            at: rejection.misfit.at,
            message: rejection.misfit.message,
        };
        shared.events.send(peer, event);
        return Ok(response);
    }
    match choose(&table, &incoming) {
        Choice::Answer(answer) if answer.example.transcript.is_some() => {
            let response = super::websocket::answer(&answer, parts, peer, &shared);
            log_answer(
                &answer,
                &incoming,
                response.status().as_u16(),
                &shared,
                peer,
                started,
            );
            Ok(response)
        }
        Choice::Answer(answer) => answered(&answer, &incoming, peer, &shared, started).await,
        Choice::Miss(_) if shared.recorder.is_some() && is_upgrade(&parts.headers) => {
            Ok(super::record_ws::recorded_session(parts, peer, &shared).await)
        }
        Choice::Miss(_) if shared.recorder.is_some() => {
            let query = parts.uri.query();
            Ok(recorded(&table, &incoming, query, peer, &shared, started).await)
        }
        Choice::Miss(miss) => Ok(missed(miss, &incoming, peer, &shared)),
    }
}

/// A miss's 404 (or 405), logged with what a miss is saved from.
fn missed(
    miss: super::choose::Miss,
    incoming: &Incoming<'_>,
    peer: SocketAddr,
    shared: &Shared,
) -> hyper::Response<MockBody> {
    let response = respond::miss(&miss);
    let event = EventKind::Missed {
        method: incoming.method.to_owned(),
        path: incoming.path.to_owned(),
        status: miss.status,
        why: miss.why,
        closest: miss.closest,
        // Kept for saving the miss as an example: a request body, not an upload.
        body: if incoming.body.len() > MISS_BODY_KEPT || incoming.body_cut {
            Bytes::new()
        } else {
            Bytes::copy_from_slice(incoming.body)
        },
        headers: incoming.headers.to_vec(),
    };
    shared.events.send(peer, event);
    response
}

/// Reads the table again from where it came (after a recording saved an example) and
/// swaps it in; blocking work.
pub(super) fn reread_table(shared: &Shared) {
    let Some(source) = &shared.source else {
        return;
    };
    // One at a time: an older read must not be swapped in after a newer one.
    let _one_at_a_time = shared
        .rereading
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let fresh = Arc::new(source.read());
    if let Ok(mut table) = shared.table.write() {
        *table = fresh;
    }
}

/// Upstream's answer, relayed, saved and logged; the table read again with it.
async fn recorded(
    table: &Table,
    incoming: &Incoming<'_>,
    query: Option<&str>,
    peer: SocketAddr,
    shared: &Arc<Shared>,
    started: Instant,
) -> hyper::Response<MockBody> {
    let Some(recorder) = &shared.recorder else {
        return respond::json(
            500,
            &serde_json::json!({"error": "courier mock: not recording"}),
        );
    };
    let existing = table.routes.iter().find(|route| {
        route.method == incoming.method && route.pattern.matches(incoming.path).is_some()
    });
    let event = |status: u16, saved: Result<record::Saved, String>| EventKind::Recorded {
        method: incoming.method.to_owned(),
        path: incoming.path.to_owned(),
        status,
        saved,
        took: started.elapsed(),
    };
    match recorder.relay(incoming, query, existing).await {
        Ok(relayed) => {
            if relayed.saved.is_ok() {
                let shared = shared.clone();
                let _ = tokio::task::spawn_blocking(move || reread_table(&shared)).await;
            }
            shared
                .events
                .send(peer, event(relayed.status, relayed.saved));
            relayed.response
        }
        Err(why) => {
            shared.events.send(peer, event(502, Err(why.clone())));
            respond::json(
                502,
                &serde_json::json!({ "error": format!("courier mock: upstream: {why}") }),
            )
        }
    }
}

/// The example's answer, logged.
async fn answered(
    answer: &Answer<'_>,
    incoming: &Incoming<'_>,
    peer: SocketAddr,
    shared: &Shared,
    started: Instant,
) -> Result<hyper::Response<MockBody>, Dropped> {
    let reply = respond::answer(answer, incoming, shared.speed).await;
    let status = match &reply {
        Reply::Send(response) => response.status().as_u16(),
        Reply::Drop => 0,
    };
    log_answer(answer, incoming, status, shared, peer, started);
    match reply {
        Reply::Send(response) => Ok(response),
        Reply::Drop => Err(Dropped),
    }
}

/// Logs that `answer` answered `incoming` with `status` (0: the connection was dropped).
fn log_answer(
    answer: &Answer<'_>,
    incoming: &Incoming<'_>,
    status: u16,
    shared: &Shared,
    peer: SocketAddr,
    started: Instant,
) {
    let event = EventKind::Answered {
        method: incoming.method.to_owned(),
        path: incoming.path.to_owned(),
        status,
        request: answer.route.request.clone(),
        example: answer.example.name.clone(),
        why: answer.why.clone(),
        took: started.elapsed(),
    };
    shared.events.send(peer, event);
}
