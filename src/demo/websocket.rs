//! The demo's WebSocket endpoints, on yawc's server side (permessage-deflate agreed whenever
//! the client offers it): an echo, a ticker that pushes frames on a schedule (or as fast as
//! it can), binary frames, and a close with a chosen code and reason. The first subprotocol
//! a client offers is chosen.

use std::time::Duration;

use bytes::Bytes;
use futures_util::SinkExt;
use http::{HeaderValue, Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::json;
use yawc::close::CloseCode;
use yawc::{Frame, OpCode, WebSocket};

use super::routes::{json_response, number};
use super::streams::DemoBody;

/// What a session does once the handshake is answered.
#[derive(Debug, Clone)]
pub enum Behaviour {
    Echo,
    /// GraphQL subscriptions over graphql-transport-ws: each subscription gets `n` results
    /// (its variable, default 3) `interval_ms` apart (default 100), then `complete`.
    Graphql,
    /// `count` text frames, `interval` apart, then a normal close.
    Ticker {
        count: u64,
        interval: Duration,
    },
    /// `count` binary frames of `bytes` each, then a normal close.
    Binary {
        count: u64,
        bytes: usize,
    },
    /// A close at once with this code (none: an empty close frame) and reason.
    Close {
        code: Option<u16>,
        reason: String,
    },
}

impl Behaviour {
    /// The behaviour `/ws/NAME` asks for, with its query; None for an unknown name.
    pub fn of(name: &str, query: &[(String, String)]) -> Option<Behaviour> {
        let text = |key: &str| query.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        Some(match name {
            "echo" => Behaviour::Echo,
            "ticker" => Behaviour::Ticker {
                count: number(query, "n", 10),
                interval: Duration::from_millis(number(query, "interval_ms", 250)),
            },
            "binary" => Behaviour::Binary {
                count: number(query, "n", 3),
                bytes: number(query, "bytes", 16).min(16 << 20) as usize,
            },
            "graphql" => Behaviour::Graphql,
            "close" => Behaviour::Close {
                code: match text("code").as_deref() {
                    Some("none") => None,
                    Some(code) => code.parse().ok().or(Some(1000)),
                    None => Some(1000),
                },
                reason: text("reason").unwrap_or_default(),
            },
            _ => return None,
        })
    }
}

/// `/ws/NAME`: its session, or a 404 that names it.
pub fn endpoint<B>(
    request: Request<B>,
    name: &str,
    query: &[(String, String)],
) -> Response<DemoBody> {
    match Behaviour::of(name, query) {
        Some(behaviour) => upgrade(request, behaviour),
        None => json_response(
            StatusCode::NOT_FOUND,
            json!({ "error": format!("no WebSocket endpoint /ws/{name}"), "see": "GET / lists the endpoints" }),
        ),
    }
}

/// Answers the upgrade (or says why not) and runs the session in its own task.
pub fn upgrade<B>(mut request: Request<B>, behaviour: Behaviour) -> Response<DemoBody> {
    let options = yawc::Options::default().with_low_latency_compression();
    let offered: Vec<String> = request
        .headers()
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .map(|offered| offered.split(',').map(|p| p.trim().to_owned()).collect())
        .unwrap_or_default();
    // The GraphQL endpoint speaks one protocol; the others take the first offered.
    let protocol = match behaviour {
        Behaviour::Graphql => offered.into_iter().find(|p| p == "graphql-transport-ws"),
        _ => offered.into_iter().next(),
    };
    let (response, session) = match WebSocket::upgrade_with_options(&mut request, options) {
        Ok(upgraded) => upgraded,
        Err(err) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                json!({ "error": format!("not a WebSocket handshake: {err}") }),
            );
        }
    };
    tokio::spawn(async move {
        match session.await {
            Ok(socket) => run(socket, behaviour).await,
            Err(err) => tracing::debug!(%err, "demo WebSocket upgrade failed"),
        }
    });
    let (mut parts, _) = response.into_parts();
    if let Some(protocol) = protocol.and_then(|p| HeaderValue::from_str(&p).ok()) {
        parts
            .headers
            .insert(header::SEC_WEBSOCKET_PROTOCOL, protocol);
    }
    Response::from_parts(parts, BodyExt::boxed(http_body_util::Empty::new()))
}

async fn run<S>(mut socket: WebSocket<S>, behaviour: Behaviour)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let sent = match behaviour {
        Behaviour::Echo => return echo(socket).await,
        Behaviour::Graphql => return graphql(socket).await,
        Behaviour::Ticker { count, interval } => ticker(&mut socket, count, interval).await,
        Behaviour::Binary { count, bytes } => binary(&mut socket, count, bytes).await,
        Behaviour::Close { code, reason } => {
            let frame = match code {
                Some(code) => Frame::close(CloseCode::from(code), reason),
                None => Frame::from((OpCode::Close, Bytes::new())),
            };
            socket.send(frame).await
        }
    };
    if sent.is_ok() {
        // Waits for the client's answer to a close (or its own close) before hanging up.
        while socket.next_frame().await.is_ok() {}
    }
}

async fn echo<S>(mut socket: WebSocket<S>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    while let Ok(frame) = socket.next_frame().await {
        let (opcode, _, payload) = frame.into_parts();
        let answer = match opcode {
            OpCode::Text => Frame::text(payload),
            OpCode::Binary => Frame::binary(payload),
            // Pings are answered and closes echoed by yawc itself.
            _ => continue,
        };
        if socket.send(answer).await.is_err() {
            return;
        }
    }
}

/// graphql-transport-ws, as much of it as a demo needs: `connection_init` is acknowledged,
/// `ping` answered, and each `subscribe` to a subscription streams its ticks.
async fn graphql<S>(mut socket: WebSocket<S>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    while let Ok(frame) = socket.next_frame().await {
        let (opcode, _, payload) = frame.into_parts();
        let Some(message) = (opcode == OpCode::Text)
            .then(|| serde_json::from_slice::<serde_json::Value>(&payload).ok())
            .flatten()
        else {
            continue;
        };
        let answer = match message["type"].as_str() {
            Some("connection_init") => vec![json!({ "type": "connection_ack" })],
            Some("ping") => vec![json!({ "type": "pong" })],
            Some("subscribe") => match ticks(&message, &mut socket).await {
                Ok(answer) => answer,
                Err(_) => return,
            },
            _ => Vec::new(),
        };
        for message in answer {
            if socket.send(Frame::text(message.to_string())).await.is_err() {
                return;
            }
        }
    }
}

/// A subscription's ticks, sent as they come; what ends it (`complete`, or an `error` for
/// an operation that is not a subscription).
async fn ticks<S>(
    message: &serde_json::Value,
    socket: &mut WebSocket<S>,
) -> yawc::Result<Vec<serde_json::Value>>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let id = message["id"].clone();
    let query = message["payload"]["query"].as_str().unwrap_or_default();
    if !query.trim_start().starts_with("subscription") {
        let errors = json!([{ "message": "only subscriptions are served here" }]);
        return Ok(vec![
            json!({ "id": id, "type": "error", "payload": errors }),
        ]);
    }
    let variables = &message["payload"]["variables"];
    let count = variables["n"].as_u64().unwrap_or(3).min(100_000);
    let interval = Duration::from_millis(variables["interval_ms"].as_u64().unwrap_or(100));
    for tick in 1..=count {
        if tick > 1 && !interval.is_zero() {
            tokio::time::sleep(interval).await;
        }
        let data = json!({ "data": { "tick": { "n": tick, "of": count } } });
        let next = json!({ "id": id, "type": "next", "payload": data });
        socket.send(Frame::text(next.to_string())).await?;
    }
    Ok(vec![json!({ "id": id, "type": "complete" })])
}

async fn ticker<S>(socket: &mut WebSocket<S>, count: u64, interval: Duration) -> yawc::Result<()>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    for tick in 1..=count {
        if !interval.is_zero() && tick > 1 {
            tokio::time::sleep(interval).await;
        }
        let text = json!({ "tick": tick, "of": count }).to_string();
        // Without an interval the frames go out in batches: one flush per 64.
        if interval.is_zero() && tick % 64 != 0 && tick != count {
            socket.feed(Frame::text(text)).await?;
        } else {
            socket.send(Frame::text(text)).await?;
        }
    }
    socket
        .send(Frame::close(CloseCode::Normal, "that was the last tick"))
        .await
}

async fn binary<S>(socket: &mut WebSocket<S>, count: u64, bytes: usize) -> yawc::Result<()>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    for index in 0..count {
        let payload: Vec<u8> = (0..bytes)
            .map(|i| (i as u64 * 31 + index * 7) as u8)
            .collect();
        socket.send(Frame::binary(payload)).await?;
    }
    socket.send(Frame::close(CloseCode::Normal, "")).await
}
