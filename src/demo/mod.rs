//! The built-in demo server: a small HTTP server on loopback with endpoints that exercise
//! every part of an API client — echo, big JSON, SSE, NDJSON, slow drips, stalls, compression,
//! redirects, cookies, auth and hostile bytes.
//!
//! One port serves HTTP/1.1 and HTTP/2 with prior knowledge (h2c); with TLS it serves HTTPS and
//! negotiates h2 or http/1.1 by ALPN, with a certificate made at start-up by a throwaway CA.
//! The TUI starts it in-process, on a free port, the first time a request uses `{{$demo}}`;
//! `courier serve-demo` runs it alone; tests start it on port 0. It counts accepted
//! connections so tests can check that a client pools them.
//!
//! It knows nothing about the rest of Courier.

mod digest;
mod drain;
mod images;
mod multipart;
mod oauth;
mod routes;
mod session;
mod signing;
mod streams;
pub mod tls;
mod websocket;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// `bytes` random bytes from the system's generator, in hex: the demo's nonces and tokens.
fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    // The system generator does not fail on Linux; if it did, zeros are still a token.
    let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut buffer);
    buffer.iter().map(|byte| format!("{byte:02x}")).collect()
}

pub use tls::DemoCertificates;

/// How to start the demo server.
#[derive(Debug, Clone, Default)]
pub struct DemoOptions {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Serve HTTPS with a freshly generated certificate.
    pub tls: bool,
}

/// A running demo server. Dropping it stops accepting connections.
pub struct DemoServer {
    addr: SocketAddr,
    certificates: Option<DemoCertificates>,
    counters: Arc<Counters>,
    stop: watch::Sender<bool>,
    accept_task: Option<JoinHandle<()>>,
}

#[derive(Debug, Default)]
struct Counters {
    connections: AtomicU64,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("cannot set up TLS: {0}")]
    Tls(#[from] tls::TlsSetupError),
}

impl DemoServer {
    /// Starts the server on 127.0.0.1 and returns once it is accepting connections.
    pub async fn start(options: DemoOptions) -> Result<DemoServer, DemoError> {
        let listener = TcpListener::bind(("127.0.0.1", options.port))
            .await
            .map_err(|source| DemoError::Bind {
                port: options.port,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| DemoError::Bind {
            port: options.port,
            source,
        })?;
        let certificates = if options.tls {
            Some(DemoCertificates::generate()?)
        } else {
            None
        };
        let acceptor = match &certificates {
            Some(certs) => Some(certs.acceptor()?),
            None => None,
        };
        let counters = Arc::new(Counters::default());
        let (stop, stopped) = watch::channel(false);
        let accept_task = tokio::spawn(accept_loop(listener, acceptor, counters.clone(), stopped));
        tracing::info!(%addr, tls = options.tls, "demo server listening");
        Ok(DemoServer {
            addr,
            certificates,
            counters,
            stop,
            accept_task: Some(accept_task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, e.g. `http://127.0.0.1:8808` (no trailing slash).
    pub fn url(&self) -> String {
        let scheme = if self.certificates.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// The CA certificate (PEM) that signed the server's certificate, when serving TLS.
    pub fn ca_pem(&self) -> Option<&str> {
        self.certificates.as_ref().map(|c| c.ca_pem.as_str())
    }

    /// How many TCP connections the server has accepted since it started.
    pub fn connections_accepted(&self) -> u64 {
        self.counters.connections.load(Ordering::SeqCst)
    }

    /// Stops accepting connections and closes those open (in-flight exchanges are dropped).
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.accept_task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

async fn accept_loop(
    listener: TcpListener,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    counters: Arc<Counters>,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(%err, "demo server accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stopped.changed() => return,
        };
        counters.connections.fetch_add(1, Ordering::SeqCst);
        let _ = stream.set_nodelay(true);
        let acceptor = acceptor.clone();
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                routes::handle(request.map(drain::Drained::new), peer)
            });
            let builder = auto::Builder::new(TokioExecutor::new());
            let served = async {
                match acceptor {
                    None => {
                        builder
                            .serve_connection_with_upgrades(TokioIo::new(stream), service)
                            .await
                    }
                    Some(acceptor) => match acceptor.accept(stream).await {
                        Ok(tls) => {
                            builder
                                .serve_connection_with_upgrades(TokioIo::new(tls), service)
                                .await
                        }
                        Err(err) => Err(err.into()),
                    },
                }
            };
            tokio::select! {
                result = served => if let Err(err) = result {
                    tracing::debug!(%err, %peer, "demo connection ended with an error");
                },
                _ = stopped.changed() => {}
            }
        });
    }
}
