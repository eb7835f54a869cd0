//! The opening handshake (RFC 6455 section 4), sent through the engine's own reqwest client
//! so a WebSocket request has everything an HTTP one has: proxies, TLS options, cookies,
//! headers, auth. The answer's head is reported like any response's; a server that does not
//! switch protocols has its body reported too (a 401's reason is usually there), and the
//! session fails with what it answered.

use std::time::{Duration, Instant};

use base64::Engine as _;
use http::header::{self, HeaderValue};
use tokio::sync::mpsc;

use super::super::events::{EngineEvent, ExchangeId, Failure, FailureKind, ResponseHead};
use super::super::exchange::{classify, failure, response_head};
use super::super::outgoing::build;
use super::super::prepare::{PreparedBody, PreparedRequest};
use super::Opened;

/// The GUID every server appends to the key (RFC 6455 section 1.3).
const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// How much of a refusing answer's body is kept to show.
const REFUSAL_BODY_LIMIT: usize = 64 * 1024;

/// What the handshake agreed, and the connection to speak frames on.
pub struct Shaken {
    pub upgraded: reqwest::Upgraded,
    pub opened: Opened,
    pub started: Instant,
}

/// What the request offers beyond HTTP: its subprotocols, whether it offers compression,
/// and, for a GraphQL subscription, the body to subscribe with (graphql-transport-ws is then
/// offered first).
#[derive(Debug, Clone, Default)]
pub struct Offer {
    pub subprotocols: Vec<String>,
    pub deflate: bool,
    pub graphql: Option<bytes::Bytes>,
}

pub async fn shake(
    id: ExchangeId,
    client: &reqwest::Client,
    request: &PreparedRequest,
    offer: &Offer,
    events: &mpsc::Sender<EngineEvent>,
) -> Result<Shaken, Failure> {
    let (built, mut sent, key) = upgrade_request(client, request, offer).await?;
    sent.url = request.url.clone();
    let started = Instant::now();
    let _ = events
        .send(EngineEvent::Started { id, request: sent })
        .await;
    let host = built.url().host_str().unwrap_or_default().to_owned();
    let transport = &request.transport;
    let answer = client.execute(built);
    let response = match transport.read_timeout {
        None => answer.await,
        Some(limit) => tokio::time::timeout(limit, answer)
            .await
            .map_err(|_| no_answer(&host, limit))?,
    }
    .map_err(|err| {
        classify(
            &err,
            &host,
            transport.connect_timeout,
            transport.read_timeout,
        )
    })?;
    let head = head_of(&response, &request.url);
    let _ = events.send(EngineEvent::Head { id, head }).await;
    if response.status() != reqwest::StatusCode::SWITCHING_PROTOCOLS {
        return Err(refused(id, response, events).await);
    }
    let opened = agreed(response.headers(), &key, offer)?;
    let upgraded = response.upgrade().await.map_err(|err| {
        failure(
            FailureKind::Protocol,
            format!("the connection could not be taken over after the handshake: {err}"),
        )
    })?;
    Ok(Shaken {
        upgraded,
        opened,
        started,
    })
}

/// The request as it goes: a GET over http(s) with the upgrade's headers (and no
/// Accept-Encoding), its record, and the key the server must answer.
async fn upgrade_request(
    client: &reqwest::Client,
    request: &PreparedRequest,
    offer: &Offer,
) -> Result<(reqwest::Request, super::super::events::SentRequest, String), Failure> {
    let mut http_request = request.clone();
    http_request.url = http_url(&request.url)?;
    http_request.method = "GET".to_owned();
    http_request.body = PreparedBody::None;
    let (mut built, mut sent) = build(client, &http_request).await?;
    let key = new_key();
    let mut added = vec![
        (header::CONNECTION, "Upgrade".to_owned()),
        (header::UPGRADE, "websocket".to_owned()),
        (header::SEC_WEBSOCKET_VERSION, "13".to_owned()),
        (header::SEC_WEBSOCKET_KEY, key.clone()),
    ];
    let subprotocols = offered_subprotocols(offer);
    if !subprotocols.is_empty() {
        added.push((header::SEC_WEBSOCKET_PROTOCOL, subprotocols.join(", ")));
    }
    if offer.deflate {
        let deflate = "permessage-deflate".to_owned();
        added.push((header::SEC_WEBSOCKET_EXTENSIONS, deflate));
    }
    built.headers_mut().remove(header::ACCEPT_ENCODING);
    sent.headers
        .retain(|(name, _)| !name.eq_ignore_ascii_case("accept-encoding"));
    for (name, value) in added {
        let value = HeaderValue::from_str(&value).map_err(|_| {
            failure(
                FailureKind::Request,
                format!("the {name} header cannot carry `{value}`"),
            )
        })?;
        let shown = value.to_str().unwrap_or_default().to_owned();
        sent.headers.push((name.to_string(), shown));
        built.headers_mut().insert(name, value);
    }
    Ok((built, sent, key))
}

/// The subprotocols offered: graphql-transport-ws first for a subscription, then the
/// request's.
fn offered_subprotocols(offer: &Offer) -> Vec<String> {
    let mut offered = Vec::new();
    if offer.graphql.is_some() {
        offered.push(super::graphql::SUBPROTOCOL.to_owned());
    }
    for protocol in &offer.subprotocols {
        if !offered.contains(protocol) {
            offered.push(protocol.clone());
        }
    }
    offered
}

/// `ws://` and `wss://` as the `http://` and `https://` the handshake goes over.
fn http_url(url: &str) -> Result<String, Failure> {
    let mut parsed = url::Url::parse(url)
        .map_err(|err| failure(FailureKind::Request, format!("`{url}` is not a URL: {err}")))?;
    let scheme = match parsed.scheme() {
        "ws" | "http" => "http",
        "wss" | "https" => "https",
        other => {
            return Err(failure(
                FailureKind::Request,
                format!("a WebSocket URL starts with ws:// or wss://, not {other}://"),
            ));
        }
    };
    // Setting a special scheme over another special one cannot fail.
    let _ = parsed.set_scheme(scheme);
    Ok(parsed.to_string())
}

fn new_key() -> String {
    let mut bytes = [0u8; 16];
    let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The `Sec-WebSocket-Accept` a server must answer `key` with.
pub fn accept_for(key: &str) -> String {
    let digest = ring::digest::digest(
        &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
        format!("{key}{GUID}").as_bytes(),
    );
    base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
}

fn no_answer(host: &str, limit: Duration) -> Failure {
    failure(
        FailureKind::ReadTimeout,
        format!(
            "{host} did not answer the WebSocket handshake within the read timeout ({limit:?})"
        ),
    )
}

/// The handshake's answer as a head, under the URL as the user wrote it (`ws://`).
fn head_of(response: &reqwest::Response, url: &str) -> ResponseHead {
    let mut head = response_head(response, Vec::new());
    url.clone_into(&mut head.url);
    head
}

/// A server that answered without switching: its body (the start of it) goes out as the
/// response's, and the failure says what it answered.
async fn refused(
    id: ExchangeId,
    mut response: reqwest::Response,
    events: &mpsc::Sender<EngineEvent>,
) -> Failure {
    let status = response.status();
    let mut kept = 0;
    while kept < REFUSAL_BODY_LIMIT {
        match response.chunk().await {
            Ok(Some(bytes)) => {
                let bytes = bytes.slice(..bytes.len().min(REFUSAL_BODY_LIMIT - kept));
                kept += bytes.len();
                let _ = events.send(EngineEvent::Chunk { id, bytes }).await;
            }
            _ => break,
        }
    }
    failure(
        FailureKind::NotSwitched,
        format!(
            "the server answered {} {} instead of switching to WebSocket (101)",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        ),
    )
}

/// Checks the 101's headers against the offer: the accept key, one of the offered
/// subprotocols (or none), and no extension that was not offered.
fn agreed(headers: &http::HeaderMap, key: &str, offer: &Offer) -> Result<Opened, Failure> {
    let text = |name: header::HeaderName| {
        headers
            .get(&name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
    };
    let protocol_error = |message: String| failure(FailureKind::Protocol, message);
    let upgrade = text(header::UPGRADE).unwrap_or_default();
    if !upgrade.eq_ignore_ascii_case("websocket") {
        return Err(protocol_error(format!(
            "the 101 answer's Upgrade header is `{upgrade}`, not `websocket`"
        )));
    }
    let expected = accept_for(key);
    match text(header::SEC_WEBSOCKET_ACCEPT) {
        Some(accept) if accept == expected => {}
        Some(accept) => {
            return Err(protocol_error(format!(
                "the server's Sec-WebSocket-Accept is `{accept}`, not `{expected}` (the key's answer)"
            )));
        }
        None => {
            return Err(protocol_error(
                "the 101 answer has no Sec-WebSocket-Accept header".to_owned(),
            ));
        }
    }
    let protocol = text(header::SEC_WEBSOCKET_PROTOCOL).filter(|p| !p.is_empty());
    if let Some(chosen) = &protocol
        && !offered_subprotocols(offer).contains(chosen)
    {
        return Err(protocol_error(format!(
            "the server chose the subprotocol `{chosen}`, which was not offered"
        )));
    }
    let extensions = text(header::SEC_WEBSOCKET_EXTENSIONS).filter(|e| !e.is_empty());
    if let Some(agreed) = &extensions {
        let deflate_only = agreed
            .split(',')
            .all(|ext| ext.split(';').next().map(str::trim) == Some("permessage-deflate"));
        if !offer.deflate || !deflate_only {
            return Err(protocol_error(format!(
                "the server agreed to extensions that were not offered: `{agreed}`"
            )));
        }
    }
    let graphql = offer.graphql.is_some();
    if graphql && protocol.as_deref() != Some(super::graphql::SUBPROTOCOL) {
        return Err(protocol_error(format!(
            "the server did not agree to {} for the subscription (it chose {})",
            super::graphql::SUBPROTOCOL,
            protocol.as_deref().unwrap_or("no subprotocol")
        )));
    }
    Ok(Opened {
        protocol,
        extensions,
        graphql,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accept_key_is_the_rfc_s() {
        // RFC 6455 section 1.3's example.
        assert_eq!(
            accept_for("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn ws_urls_go_over_http() {
        assert_eq!(http_url("ws://h:1/a?b").unwrap(), "http://h:1/a?b");
        assert_eq!(http_url("wss://h/").unwrap(), "https://h/");
        assert!(http_url("ftp://h/").unwrap_err().message.contains("ftp://"));
    }
}
