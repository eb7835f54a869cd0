//! Seeing inside reqwest for one exchange: how long DNS and connecting took, and which
//! redirects were followed. reqwest shares its resolver, connector and redirect policy across
//! all requests of a client, so each exchange runs inside a tokio task-local [`Probe`] that
//! those hooks write into; they run within the exchange's task, so they find the right one.
//! A connection taken from the pool records nothing, which is exactly what "reused" means.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use super::events::RedirectHop;

tokio::task_local! {
    static PROBE: Arc<Probe>;
}

/// What one exchange saw of connection set-up and redirects.
#[derive(Debug, Default)]
pub struct Probe {
    inner: Mutex<ProbeData>,
}

#[derive(Debug, Default, Clone)]
pub struct ProbeData {
    pub dns: Option<Duration>,
    pub connect: Option<Duration>,
    pub redirects: Vec<RedirectHop>,
}

impl Probe {
    pub fn snapshot(&self) -> ProbeData {
        self.inner.lock().map(|d| d.clone()).unwrap_or_default()
    }

    /// Runs `future` with `probe` as the current exchange's probe.
    pub async fn scope<F: Future>(probe: Arc<Probe>, future: F) -> F::Output {
        PROBE.scope(probe, future).await
    }
}

fn record(update: impl FnOnce(&mut ProbeData)) {
    let _ = PROBE.try_with(|probe| {
        if let Ok(mut data) = probe.inner.lock() {
            update(&mut data);
        }
    });
}

pub fn record_redirect(hop: RedirectHop) {
    record(|data| data.redirects.push(hop));
}

/// A resolver that times each lookup (through the system resolver, as reqwest's default does).
#[derive(Debug, Clone, Default)]
pub struct TimedResolver;

impl reqwest::dns::Resolve for TimedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let started = Instant::now();
            let result = tokio::net::lookup_host((host.clone(), 0)).await;
            let took = started.elapsed();
            record(|data| data.dns = Some(data.dns.unwrap_or_default() + took));
            match result {
                Ok(addrs) => {
                    let addrs: Vec<SocketAddr> = addrs.collect();
                    if addrs.is_empty() {
                        return Err(Box::new(DnsError(host)) as _);
                    }
                    Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
                }
                Err(_) => Err(Box::new(DnsError(host)) as _),
            }
        })
    }
}

/// A host name that did not resolve; found in an error's source chain to classify it.
#[derive(Debug, thiserror::Error)]
#[error("the host name `{0}` did not resolve")]
pub struct DnsError(pub String);

/// A connector layer that times connection set-up (TCP and TLS).
#[derive(Debug, Clone, Default)]
pub struct TimedConnectLayer;

impl<S> tower_layer::Layer<S> for TimedConnectLayer {
    type Service = TimedConnect<S>;
    fn layer(&self, inner: S) -> Self::Service {
        TimedConnect { inner }
    }
}

#[derive(Debug, Clone)]
pub struct TimedConnect<S> {
    inner: S,
}

impl<S, R> tower_service::Service<R> for TimedConnect<S>
where
    S: tower_service::Service<R>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        let connecting = self.inner.call(request);
        Box::pin(async move {
            let started = Instant::now();
            let result = connecting.await;
            let took = started.elapsed();
            record(|data| data.connect = Some(took));
            result
        })
    }
}
