//! The engine: sends prepared requests as cancellable background tasks that report
//! [`EngineEvent`]s on a channel. Clone it freely; clones share the client cache.

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::client::ClientCache;
use super::events::{EngineEvent, ExchangeId, FailureKind};
use super::exchange::{self, failure};
use super::middleware::Middleware;
use super::prepare::PreparedRequest;

#[derive(Clone, Default)]
pub struct Engine {
    clients: Arc<ClientCache>,
    middleware: Arc<Vec<Arc<dyn Middleware>>>,
    /// OAuth2 access tokens, shared by every request with the same client.
    tokens: Arc<super::oauth2::TokenCache>,
}

/// A running exchange. Dropping the handle does not stop it; [`ExchangeHandle::cancel`] does.
pub struct ExchangeHandle {
    pub id: ExchangeId,
    cancel: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl ExchangeHandle {
    /// Stops the exchange wherever it is — connecting, waiting for the head, mid-body. Its
    /// connection is dropped and it ends with `Failed` of kind `Cancelled`.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// Waits until the exchange has sent its last event.
    pub async fn finished(self) {
        let _ = self.task.await;
    }

    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

impl Engine {
    pub fn new() -> Engine {
        super::install_crypto_provider();
        Engine::default()
    }

    /// Adds a hook around every exchange sent from now on (by this engine and its clones made
    /// after this call).
    pub fn with_middleware(mut self, hook: Arc<dyn Middleware>) -> Engine {
        let mut hooks = (*self.middleware).clone();
        hooks.push(hook);
        self.middleware = Arc::new(hooks);
        self
    }

    /// How many pooled clients exist: one per distinct set of transport settings.
    pub fn clients(&self) -> usize {
        self.clients.len()
    }

    /// Starts sending `request` on the current tokio runtime. Events go to `events`; the
    /// exchange ends with exactly one `Done` or `Failed`. A bounded channel gives back-pressure:
    /// a listener that falls behind slows the download instead of filling memory.
    pub fn send(
        &self,
        id: ExchangeId,
        request: PreparedRequest,
        events: mpsc::Sender<EngineEvent>,
    ) -> ExchangeHandle {
        self.send_cancellable(id, request, events, CancellationToken::new())
    }

    /// [`Engine::send`] with a cancellation token of the caller's: one made before the request
    /// was prepared stops the exchange too.
    pub fn send_cancellable(
        &self,
        id: ExchangeId,
        request: PreparedRequest,
        events: mpsc::Sender<EngineEvent>,
        cancel: CancellationToken,
    ) -> ExchangeHandle {
        let token = cancel.clone();
        let engine = self.clone();
        let task = tokio::spawn(async move {
            let jar = request.cookie_jar.clone();
            let total_timeout = request.total_timeout;
            let exchange = async {
                let client = engine
                    .clients
                    .get(&request.transport, jar.as_ref())
                    .map_err(|error| failure(FailureKind::Request, error.to_string()))?;
                let run = exchange::run(
                    id,
                    &client,
                    request,
                    &engine.middleware,
                    &engine.tokens,
                    &events,
                );
                match total_timeout {
                    None => run.await,
                    Some(limit) => tokio::time::timeout(limit, run).await.unwrap_or_else(|_| {
                        Err(failure(
                            FailureKind::TotalTimeout,
                            format!("the exchange took longer than the total timeout ({limit:?})"),
                        ))
                    }),
                }
            };
            let outcome = tokio::select! {
                biased;
                _ = token.cancelled() => Err(failure(FailureKind::Cancelled, "cancelled")),
                outcome = exchange => outcome,
            };
            if let Some(jar) = jar {
                if let Err(err) = jar.save_if_changed() {
                    tracing::warn!(%err, "cannot save the cookie jar");
                }
            }
            let last = match outcome {
                Ok(summary) => EngineEvent::Done { id, summary },
                Err(failure) => EngineEvent::Failed { id, failure },
            };
            let _ = events.send(last).await;
        });
        ExchangeHandle { id, cancel, task }
    }

    /// Completes `request`'s auth as a send would (an OAuth2 token fetched or reused, the
    /// middleware, a SigV4 signature last) and returns it with nothing left for the engine to
    /// add: for callers that send it themselves, again and again (load mode). What the user
    /// must do for a token (a device code) goes to `events` as `Waiting`.
    pub async fn authorize(
        &self,
        mut request: PreparedRequest,
        events: &mpsc::Sender<EngineEvent>,
    ) -> Result<PreparedRequest, super::Failure> {
        let client = self
            .clients
            .get(&request.transport, request.cookie_jar.as_ref())
            .map_err(|error| failure(FailureKind::Request, error.to_string()))?;
        exchange::complete_auth(
            &mut request,
            &client,
            &self.middleware,
            &self.tokens,
            (ExchangeId(0), events),
        )
        .await?;
        request.oauth2 = None;
        request.sigv4 = None;
        Ok(request)
    }

    /// Opens a WebSocket session for `request` (a `ws://` or `wss://` URL) on the current
    /// tokio runtime, offering what `offer` says. Events go to `events` as for a send, with
    /// `Opened`, `Frame`s and `Closed` between the head and the end; the handle sends.
    pub fn open_websocket(
        &self,
        id: ExchangeId,
        request: PreparedRequest,
        offer: super::websocket::Offer,
        events: mpsc::Sender<EngineEvent>,
    ) -> super::websocket::SessionHandle {
        let (commands, received) = mpsc::channel(64);
        let cancel = CancellationToken::new();
        let token = cancel.clone();
        let engine = self.clone();
        let task = tokio::spawn(async move {
            let total_timeout = request.total_timeout;
            let session = async {
                // HTTP/1.1 only (the upgrade exists only there), no redirects, and no read
                // timeout on the connection: a session may be quiet for as long as it likes.
                // The handshake itself waits at most the read timeout for its answer.
                let mut transport = request.transport.clone();
                transport.http = crate::model::HttpVersion::Http1;
                transport.follow_redirects = false;
                transport.read_timeout = None;
                let client = engine
                    .clients
                    .get(&transport, request.cookie_jar.as_ref())
                    .map_err(|error| failure(FailureKind::Request, error.to_string()))?;
                let run = super::websocket::run(id, &client, request, offer, &events, received);
                match total_timeout {
                    None => run.await,
                    Some(limit) => tokio::time::timeout(limit, run).await.unwrap_or_else(|_| {
                        Err(failure(
                            FailureKind::TotalTimeout,
                            format!("the session lasted longer than the total timeout ({limit:?})"),
                        ))
                    }),
                }
            };
            let outcome = tokio::select! {
                biased;
                _ = token.cancelled() => Err(failure(FailureKind::Cancelled, "cancelled")),
                outcome = session => outcome,
            };
            let last = match outcome {
                Ok(summary) => EngineEvent::Done { id, summary },
                Err(failure) => EngineEvent::Failed { id, failure },
            };
            let _ = events.send(last).await;
        });
        super::websocket::SessionHandle::new(id, commands, cancel, task)
    }
}
