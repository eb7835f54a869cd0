//! What the mock reads off a connection before it chooses an answer: whether the client
//! speaks HTTP/1.1 or HTTP/2, a request's query and headers as text, and its body up to
//! [`BODY_CAP`] with a stall or break said plainly.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use tokio::net::TcpStream;

use super::server::BODY_CAP;

/// HTTP/2's connection preface, which a client by prior knowledge sends first.
const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Waits until the first bytes tell HTTP/1.1 from HTTP/2 (they leave the preface, or it is
/// whole), as hyper reads them before its own head timeout runs: false when the client
/// closed first, an error when it took longer than `timeout`.
pub(super) async fn version_told(stream: &TcpStream, timeout: Duration) -> Result<bool, String> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut first = [0u8; PREFACE.len()];
    loop {
        let peeked = tokio::time::timeout_at(deadline, stream.peek(&mut first)).await;
        let read = match peeked {
            Err(_) => return Err(format!("closed: nothing sent in {timeout:?}")),
            Ok(Err(_) | Ok(0)) => return Ok(false),
            Ok(Ok(read)) => read,
        };
        if read == PREFACE.len() || !PREFACE.starts_with(&first[..read]) {
            return Ok(true);
        }
        // Part of the preface: the rest is on its way, or never comes.
        if tokio::time::Instant::now() >= deadline {
            return Err(format!("closed: half an HTTP/2 preface in {timeout:?}"));
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A request's body as the mock keeps it.
pub(super) struct ReadBody {
    pub bytes: Bytes,
    pub cut: bool,
}

/// Names and values, in order.
pub(super) type Pairs = Vec<(String, String)>;

/// The request's query parameters (decoded) and headers, as text.
pub(super) fn query_and_headers(parts: &http::request::Parts) -> (Pairs, Pairs) {
    let query = parts
        .uri
        .query()
        .map(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    (query, headers)
}

/// The body up to [`BODY_CAP`], the rest read and dropped; an error when it stalls or breaks.
pub(super) async fn read_body(
    mut body: hyper::body::Incoming,
    idle: Duration,
) -> Result<ReadBody, String> {
    let mut kept = BytesMut::new();
    let mut cut = false;
    let mut total: u64 = 0;
    loop {
        let frame = match tokio::time::timeout(idle, body.frame()).await {
            Err(_) => {
                return Err(format!("the body stalled for {idle:?} after {total} bytes"));
            }
            Ok(None) => break,
            Ok(Some(Err(err))) => return Err(format!("the body broke after {total} bytes: {err}")),
            Ok(Some(Ok(frame))) => frame,
        };
        if let Ok(data) = frame.into_data() {
            total += data.len() as u64;
            let room = BODY_CAP.saturating_sub(kept.len());
            if data.len() > room {
                cut = true;
            }
            kept.extend_from_slice(&data[..data.len().min(room)]);
        }
    }
    Ok(ReadBody {
        bytes: kept.freeze(),
        cut,
    })
}
