//! Sending prepared requests: the client cache and the per-exchange event stream.

use std::collections::HashMap;
use std::error::Error as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::prepare::{PreparedBody, PreparedRequest, TransportOptions};
use crate::model::HttpVersion;

/// Identifies one exchange (one send of one request) in the events the engine emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExchangeId(pub u64);

/// What happened during an exchange, in order: `Started`, then `Head`, any number of `Chunk`s,
/// and `Done` — or `Failed` at any point after `Started`.
#[derive(Debug, Clone)]
pub enum EngineEvent {
    Started {
        id: ExchangeId,
        request: SentRequest,
    },
    Head {
        id: ExchangeId,
        head: ResponseHead,
    },
    Chunk {
        id: ExchangeId,
        bytes: Bytes,
    },
    Done {
        id: ExchangeId,
        timing: Timing,
        body_bytes: u64,
    },
    Failed {
        id: ExchangeId,
        kind: FailureKind,
        message: String,
    },
}

/// The request as it goes out.
#[derive(Debug, Clone)]
pub struct SentRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body_bytes: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct ResponseHead {
    pub status: u16,
    pub reason: String,
    /// `HTTP/1.1`, `HTTP/2`, …
    pub version: String,
    pub headers: Vec<(String, String)>,
    pub remote_addr: Option<SocketAddr>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Timing {
    /// From the send until the response head arrived.
    pub first_byte: Duration,
    /// From the send until the last byte of the body.
    pub total: Duration,
}

/// Why an exchange failed, for the exit code of `courier send` and the UI's colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    Connect,
    Timeout,
    Tls,
    Redirects,
    Body,
    Request,
    Cancelled,
    Other,
}

/// Sends requests. Cheap to clone; clones share the client cache.
#[derive(Clone, Default)]
pub struct Engine {
    clients: Arc<Mutex<HashMap<TransportOptions, reqwest::Client>>>,
}

impl Engine {
    pub fn new() -> Self {
        super::install_crypto_provider();
        Engine::default()
    }

    /// The pooled client for these transport settings, built on first use.
    fn client(&self, transport: &TransportOptions) -> Result<reqwest::Client, String> {
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(client) = clients.get(transport) {
            return Ok(client.clone());
        }
        let client = build_client(transport)?;
        clients.insert(transport.clone(), client.clone());
        Ok(client)
    }

    /// Starts an exchange on the current tokio runtime; its events go to `events`. Dropping the
    /// returned handle's task (abort) cancels the exchange and drops its connection.
    pub fn send(
        &self,
        id: ExchangeId,
        request: PreparedRequest,
        events: mpsc::UnboundedSender<EngineEvent>,
    ) -> tokio::task::JoinHandle<()> {
        let engine = self.clone();
        tokio::spawn(async move {
            let fail = |kind, message: String| EngineEvent::Failed { id, kind, message };
            let client = match engine.client(&request.transport) {
                Ok(client) => client,
                Err(message) => {
                    let _ = events.send(fail(FailureKind::Request, message));
                    return;
                }
            };
            if let Err((kind, message)) = exchange(id, &client, request, &events).await {
                let _ = events.send(fail(kind, message));
            }
        })
    }
}

fn build_client(transport: &TransportOptions) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder()
        .tls_backend_rustls()
        .redirect(if transport.follow_redirects {
            reqwest::redirect::Policy::limited(transport.max_redirects as usize)
        } else {
            reqwest::redirect::Policy::none()
        })
        .gzip(transport.decompress)
        .brotli(transport.decompress)
        .zstd(transport.decompress)
        .deflate(transport.decompress)
        .tls_danger_accept_invalid_certs(!transport.verify_tls);
    if let Some(timeout) = transport.connect_timeout {
        builder = builder.connect_timeout(timeout);
    }
    if let Some(timeout) = transport.read_timeout {
        builder = builder.read_timeout(timeout);
    }
    builder = match transport.http {
        HttpVersion::Auto => builder,
        HttpVersion::Http1 => builder.http1_only(),
        HttpVersion::Http2 => builder.http2_prior_knowledge(),
    };
    if let Some(ca_file) = &transport.ca_file {
        let pem = std::fs::read(ca_file)
            .map_err(|e| format!("cannot read the CA file {}: {e}", ca_file.display()))?;
        let certificates = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            format!(
                "the CA file {} holds no usable certificate: {e}",
                ca_file.display()
            )
        })?;
        for certificate in certificates {
            builder = builder.tls_certs_merge([certificate]);
        }
    }
    builder
        .build()
        .map_err(|e| format!("cannot set up the HTTP client: {}", describe(&e)))
}

async fn exchange(
    id: ExchangeId,
    client: &reqwest::Client,
    request: PreparedRequest,
    events: &mpsc::UnboundedSender<EngineEvent>,
) -> Result<(), (FailureKind, String)> {
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|_| {
        (
            FailureKind::Request,
            format!("`{}` is not a valid method", request.method),
        )
    })?;
    let mut builder = client.request(method, &request.url);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    if let Some(total) = request.total_timeout {
        builder = builder.timeout(total);
    }
    let body_bytes = match request.body {
        PreparedBody::None => None,
        PreparedBody::Bytes(bytes) => {
            let len = bytes.len() as u64;
            builder = builder.body(bytes);
            Some(len)
        }
        PreparedBody::File(path) => {
            let file = tokio::fs::File::open(&path).await.map_err(|e| {
                (
                    FailureKind::Request,
                    format!("cannot open the body file {}: {e}", path.display()),
                )
            })?;
            let len = file.metadata().await.ok().map(|m| m.len());
            builder = builder.body(reqwest::Body::from(file));
            len
        }
    };
    let built = builder
        .build()
        .map_err(|e| (FailureKind::Request, describe(&e)))?;
    let sent = SentRequest {
        method: built.method().to_string(),
        url: built.url().to_string(),
        headers: header_pairs(built.headers()),
        body_bytes,
    };
    let _ = events.send(EngineEvent::Started { id, request: sent });

    let start = Instant::now();
    let response = client.execute(built).await.map_err(|e| classify(&e))?;
    let first_byte = start.elapsed();
    let head = ResponseHead {
        status: response.status().as_u16(),
        reason: response
            .status()
            .canonical_reason()
            .unwrap_or("")
            .to_owned(),
        version: version_text(response.version()),
        headers: header_pairs(response.headers()),
        remote_addr: response.remote_addr(),
    };
    let _ = events.send(EngineEvent::Head { id, head });

    let mut body = response.bytes_stream();
    let mut received = 0u64;
    while let Some(chunk) = body.next().await {
        let bytes = chunk.map_err(|e| classify(&e))?;
        received += bytes.len() as u64;
        if events.send(EngineEvent::Chunk { id, bytes }).is_err() {
            return Ok(()); // nobody listens any more: stop reading, drop the connection
        }
    }
    let timing = Timing {
        first_byte,
        total: start.elapsed(),
    };
    let _ = events.send(EngineEvent::Done {
        id,
        timing,
        body_bytes: received,
    });
    Ok(())
}

fn header_pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect()
}

fn version_text(version: http::Version) -> String {
    match version {
        http::Version::HTTP_09 => "HTTP/0.9",
        http::Version::HTTP_10 => "HTTP/1.0",
        http::Version::HTTP_11 => "HTTP/1.1",
        http::Version::HTTP_2 => "HTTP/2",
        http::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/?",
    }
    .to_owned()
}

fn classify(err: &reqwest::Error) -> (FailureKind, String) {
    let text = describe(err);
    let kind = if err.is_timeout() {
        FailureKind::Timeout
    } else if err.is_redirect() {
        FailureKind::Redirects
    } else if text.contains("certificate") || text.contains("tls") || text.contains("TLS") {
        FailureKind::Tls
    } else if err.is_connect() {
        FailureKind::Connect
    } else if err.is_body() || err.is_decode() {
        FailureKind::Body
    } else if err.is_builder() || err.is_request() {
        FailureKind::Request
    } else {
        FailureKind::Other
    };
    (kind, text)
}

/// The error and its causes in one line: reqwest's own message is often just "error sending
/// request", with the useful part (refused, certificate unknown…) further down the chain.
fn describe(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
