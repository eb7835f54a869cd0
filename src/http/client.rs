//! The client cache: one reqwest `Client` per distinct set of transport settings (and cookie
//! jar), built on first use and reused after, so keep-alive connections are pooled across
//! sends. Settings that vary per request (method, headers, body, total timeout) are not part of
//! the key.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::cookies::CookieJar;
use super::prepare::{Proxy, TransportOptions};
use super::probe::{TimedConnectLayer, TimedResolver};
use crate::model::HttpVersion;

/// What makes two sends share a client: equal transport settings and the same jar.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ClientKey {
    transport: TransportOptions,
    /// The jar's address: jars are shared by identity, not compared by contents.
    jar: Option<usize>,
}

#[derive(Default)]
pub struct ClientCache {
    clients: Mutex<HashMap<ClientKey, reqwest::Client>>,
}

impl ClientCache {
    /// The client for these settings, built on first use.
    pub fn get(
        &self,
        transport: &TransportOptions,
        jar: Option<&Arc<CookieJar>>,
    ) -> Result<reqwest::Client, ClientError> {
        let key = ClientKey {
            transport: transport.clone(),
            jar: jar.map(|jar| Arc::as_ptr(jar) as usize),
        };
        let mut clients = self.clients.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(client) = clients.get(&key) {
            return Ok(client.clone());
        }
        let client = build(transport, jar)?;
        clients.insert(key, client.clone());
        Ok(client)
    }

    /// How many distinct clients exist (tests check that sends share them).
    pub(crate) fn len(&self) -> usize {
        self.clients.lock().map(|c| c.len()).unwrap_or(0)
    }
}

const USER_AGENT: &str = concat!("courier/", env!("CARGO_PKG_VERSION"));

/// Why a client for a set of transport settings could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot read the CA file {}: {source}", file.display())]
    CaUnreadable {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("the CA file {} holds no usable certificate: {reason}", file.display())]
    CaUnusable { file: PathBuf, reason: String },
    #[error("the CA file {} holds no certificate", file.display())]
    CaEmpty { file: PathBuf },
    #[error("cannot read the client {what} {}: {source}", file.display())]
    IdentityUnreadable {
        what: &'static str,
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("the client certificate {} and key {} do not form an identity: {reason}", cert.display(), key.display())]
    IdentityInvalid {
        cert: PathBuf,
        key: PathBuf,
        reason: String,
    },
    #[error("a client certificate needs both a certificate and a key file")]
    IdentityHalf,
    #[error("the proxy `{url}` is not usable: {reason}")]
    Proxy { url: String, reason: String },
    #[error("cannot set up the HTTP client: {0}")]
    Build(String),
}

/// A client for `transport`, sharing `jar` when given.
fn build(
    transport: &TransportOptions,
    jar: Option<&Arc<CookieJar>>,
) -> Result<reqwest::Client, ClientError> {
    let mut builder = reqwest::Client::builder()
        .tls_backend_rustls()
        .user_agent(USER_AGENT)
        .redirect(redirect_policy(transport))
        .dns_resolver(TimedResolver)
        .connector_layer(TimedConnectLayer)
        .tcp_nodelay(true)
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
    builder = with_tls_files(builder, transport)?;
    builder = match &transport.proxy {
        // From HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY, reqwest's default.
        Proxy::Environment => builder,
        Proxy::Off => builder.no_proxy(),
        Proxy::Url(url) => {
            let proxy = reqwest::Proxy::all(url.as_str())
                .map_err(|e| ClientError::Proxy {
                    url: url.clone(),
                    reason: e.to_string(),
                })?
                .no_proxy(reqwest::NoProxy::from_env());
            builder.proxy(proxy)
        }
    };
    if let Some(jar) = jar {
        builder = builder.cookie_provider(jar.clone());
    }
    builder
        .build()
        .map_err(|e| ClientError::Build(super::exchange::describe(&e)))
}

/// Follows redirects up to the limit, recording each hop for the response's head; or none.
fn redirect_policy(transport: &TransportOptions) -> reqwest::redirect::Policy {
    if !transport.follow_redirects {
        return reqwest::redirect::Policy::none();
    }
    let max_redirects = transport.max_redirects as usize;
    reqwest::redirect::Policy::custom(move |attempt| {
        let from = attempt
            .previous()
            .last()
            .map(|u| u.to_string())
            .unwrap_or_default();
        super::probe::record_redirect(super::events::RedirectHop {
            status: attempt.status().as_u16(),
            from,
            to: attempt.url().to_string(),
        });
        if attempt.previous().len() > max_redirects {
            attempt.error(TooManyRedirects(max_redirects))
        } else {
            attempt.follow()
        }
    })
}

/// The CA file to trust and the client certificate to present, when the options name them.
fn with_tls_files(
    mut builder: reqwest::ClientBuilder,
    transport: &TransportOptions,
) -> Result<reqwest::ClientBuilder, ClientError> {
    if let Some(ca_file) = &transport.ca_file {
        let pem = std::fs::read(ca_file).map_err(|source| ClientError::CaUnreadable {
            file: ca_file.clone(),
            source,
        })?;
        let certificates =
            reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| ClientError::CaUnusable {
                file: ca_file.clone(),
                reason: e.to_string(),
            })?;
        if certificates.is_empty() {
            return Err(ClientError::CaEmpty {
                file: ca_file.clone(),
            });
        }
        builder = builder.tls_certs_merge(certificates);
    }
    match (&transport.client_cert, &transport.client_key) {
        (Some(cert), Some(key)) => {
            let read = |what, file: &PathBuf| {
                std::fs::read(file).map_err(|source| ClientError::IdentityUnreadable {
                    what,
                    file: file.clone(),
                    source,
                })
            };
            let mut pem = read("certificate", cert)?;
            pem.push(b'\n');
            pem.extend(read("key", key)?);
            let identity =
                reqwest::Identity::from_pem(&pem).map_err(|e| ClientError::IdentityInvalid {
                    cert: cert.clone(),
                    key: key.clone(),
                    reason: e.to_string(),
                })?;
            Ok(builder.identity(identity))
        }
        (Some(_), None) | (None, Some(_)) => Err(ClientError::IdentityHalf),
        (None, None) => Ok(builder),
    }
}

#[derive(Debug, thiserror::Error)]
#[error("more than {0} redirects")]
pub struct TooManyRedirects(pub usize);
