//! What the engine reports about an exchange. Each event carries the [`ExchangeId`] of the send
//! it belongs to, so many exchanges can share one channel and still be told apart.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;

/// Identifies one exchange (one send of one request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExchangeId(pub u64);

/// The life of an exchange, in order: `Started`, `Head`, any number of `Chunk`s, `Done` — or
/// `Failed` at any point after `Started` (a failure before the request could be built comes
/// without `Started`). Exactly one of `Done` and `Failed` ends every exchange. A WebSocket
/// session has `Opened` after its `Head` (the 101), then `Frame`s either way instead of
/// `Chunk`s, and `Closed` before its `Done` when a close frame was seen.
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
    /// Body bytes as they arrive, decoded unless the request asked for raw bytes.
    Chunk {
        id: ExchangeId,
        bytes: Bytes,
    },
    Opened {
        id: ExchangeId,
        opened: super::websocket::Opened,
    },
    Frame {
        id: ExchangeId,
        frame: super::websocket::Frame,
    },
    Closed {
        id: ExchangeId,
        close: super::websocket::Close,
    },
    /// The engine waits on the user before it can send: an OAuth2 device grant's code to
    /// enter at a URL. Comes before `Started`, perhaps more than once.
    Waiting {
        id: ExchangeId,
        message: String,
    },
    Done {
        id: ExchangeId,
        summary: Summary,
    },
    Failed {
        id: ExchangeId,
        failure: Failure,
    },
}

impl EngineEvent {
    pub fn id(&self) -> ExchangeId {
        match self {
            EngineEvent::Started { id, .. }
            | EngineEvent::Head { id, .. }
            | EngineEvent::Chunk { id, .. }
            | EngineEvent::Opened { id, .. }
            | EngineEvent::Frame { id, .. }
            | EngineEvent::Closed { id, .. }
            | EngineEvent::Waiting { id, .. }
            | EngineEvent::Done { id, .. }
            | EngineEvent::Failed { id, .. } => *id,
        }
    }

    /// Writes what this event brings of the body into `body`, `since_start` after the
    /// exchange started: the content type, the bytes, the end. Past the memory cap that means
    /// the body's spill file, so this is for whoever receives the events (the TUI's send task,
    /// `courier send`), never for the UI's `update`.
    pub fn write_body(&self, body: &crate::body::store::SharedBody, since_start: Duration) {
        use crate::body::store::lock;
        match self {
            EngineEvent::Head { head, .. } => {
                lock(body).head_arrived(head.content_type(), since_start)
            }
            EngineEvent::Chunk { bytes, .. } => lock(body).push(bytes, since_start),
            EngineEvent::Done { .. } | EngineEvent::Failed { .. } => lock(body).finish(since_start),
            // A WebSocket session's body is its log, a line per frame; a GraphQL
            // subscription's is its results (the `Chunk`s), one a line.
            EngineEvent::Opened { opened, .. } if opened.graphql => {
                lock(body).set_content_type("application/x-ndjson")
            }
            EngineEvent::Frame { frame, .. } => {
                let mut body = lock(body);
                // A frame's line is made only while the transcript takes it.
                if body.takes_frames()
                    && let Some(line) = super::websocket::transcript_frame(frame)
                {
                    body.push_frame(&line);
                }
                if body.kind != Some(crate::body::store::BodyKind::Ndjson) {
                    let line = super::websocket::log_line(frame);
                    let event = super::websocket::frame_event(frame, since_start);
                    body.push_logged_event(&line, event, since_start);
                }
            }
            EngineEvent::Started { .. }
            | EngineEvent::Opened { .. }
            | EngineEvent::Closed { .. }
            | EngineEvent::Waiting { .. } => {}
        }
    }
}

/// The request as it went out: method, final URL, and every header including the ones the
/// engine computes (Host, Content-Length, Accept-Encoding, User-Agent).
#[derive(Debug, Clone)]
pub struct SentRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// None when the length is not known in advance (a streamed body).
    pub body_bytes: Option<u64>,
    /// The server's certificate was not verified (`tls.verify: false` on an https URL).
    pub insecure: bool,
    /// The body as sent (for "copy as curl"): bytes when it was in memory, else where its
    /// files were.
    pub body: SentBody,
    /// Secret values in this request (from `.env` or the process environment): whatever
    /// shows it masks them.
    pub secrets: Vec<String>,
}

impl SentRequest {
    /// `text` with every secret of this request replaced by `••••••`.
    pub fn mask(&self, text: &str) -> String {
        mask_secrets(text, &self.secrets)
    }
}

/// `text` with every one of `secrets` replaced by `••••••`, also as it appears inside a URL
/// (percent-encoded in a path or query, form-encoded in a query pair); longest first, so a
/// secret that contains another is masked whole.
pub fn mask_secrets(text: &str, secrets: &[String]) -> String {
    let mut forms: Vec<String> = secrets
        .iter()
        .filter(|s| !s.is_empty())
        .flat_map(|secret| url_forms(secret))
        .collect();
    forms.sort_by_key(|s| std::cmp::Reverse(s.len()));
    forms.dedup();
    let mut out = text.to_owned();
    for form in forms {
        out = out.replace(form.as_str(), "••••••");
    }
    out
}

/// `bytes` with every one of `secrets` masked: as text (see [`mask_secrets`]) when they are
/// UTF-8, else byte for byte.
pub fn mask_secret_bytes(bytes: &[u8], secrets: &[String]) -> Vec<u8> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return mask_secrets(text, secrets).into_bytes();
    }
    let mut out = bytes.to_vec();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        out = replace_bytes(&out, secret.as_bytes(), "••••••".as_bytes());
    }
    out
}

/// `bytes` masked as [`mask_secret_bytes`] masks them, with each of `offsets` (ascending
/// positions in `bytes`) moved to where its byte went: a stream's pieces keep their ends in
/// an example whose body had a secret masked. One pass, the longest form first at each byte.
pub fn mask_secret_bytes_at(bytes: &[u8], secrets: &[String], offsets: &mut [u64]) -> Vec<u8> {
    let secrets = secrets.iter().filter(|s| !s.is_empty());
    let mut forms: Vec<Vec<u8>> = if std::str::from_utf8(bytes).is_ok() {
        secrets
            .flat_map(|s| url_forms(s))
            .map(String::into_bytes)
            .collect()
    } else {
        secrets.map(|s| s.as_bytes().to_vec()).collect()
    };
    if forms.is_empty() {
        return bytes.to_vec();
    }
    forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
    forms.dedup();
    let mask = "••••••".as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut next = 0;
    let mut at = 0;
    // Moves the offsets before `until` to the end of what is written so far.
    let mut move_offsets = |until: usize, written: usize, next: &mut usize| {
        while let Some(offset) = offsets.get_mut(*next)
            && usize::try_from(*offset).unwrap_or(usize::MAX) < until
        {
            *offset = written as u64;
            *next += 1;
        }
    };
    while at < bytes.len() {
        move_offsets(at + 1, out.len(), &mut next);
        match forms.iter().find(|form| bytes[at..].starts_with(form)) {
            Some(form) => {
                out.extend_from_slice(mask);
                // An offset inside the secret moves past its mask.
                move_offsets(at + form.len(), out.len(), &mut next);
                at += form.len();
            }
            None => {
                out.push(bytes[at]);
                at += 1;
            }
        }
    }
    move_offsets(usize::MAX, out.len(), &mut next);
    out
}

fn replace_bytes(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut at = 0;
    while at < haystack.len() {
        if haystack[at..].starts_with(needle) {
            out.extend_from_slice(with);
            at += needle.len();
        } else {
            out.push(haystack[at]);
            at += 1;
        }
    }
    out
}

/// A secret as written, and as a URL may carry it.
fn url_forms(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_owned()];
    // As it reads inside a JSON string (a body, an assertion's quoted expected value).
    if let Ok(quoted) = serde_json::to_string(secret) {
        forms.extend(
            quoted
                .strip_prefix('"')
                .and_then(|q| q.strip_suffix('"'))
                .map(str::to_owned),
        );
    }
    forms.push(url::form_urlencoded::byte_serialize(secret.as_bytes()).collect());
    if let Ok(mut url) = url::Url::parse("http://h/") {
        url.set_query(Some(secret));
        forms.extend(url.query().map(str::to_owned));
        url.set_path(&format!("/{secret}"));
        forms.extend(url.path().strip_prefix('/').map(str::to_owned));
    }
    // Encoding only lengthens; a shorter form (a path's `..` resolved) would mask too much.
    forms.retain(|form| form.len() >= secret.len());
    forms
}

/// What a request's body was made of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SentBody {
    #[default]
    None,
    Bytes(bytes::Bytes),
    File(std::path::PathBuf),
    /// Multipart parts: name, a text value or a file, and a content type.
    Multipart(Vec<super::prepare::PreparedPart>),
}

#[derive(Debug, Clone)]
pub struct ResponseHead {
    pub status: u16,
    pub reason: String,
    /// `HTTP/1.1`, `HTTP/2`, …: the version actually spoken.
    pub version: String,
    pub headers: Vec<(String, String)>,
    pub remote_addr: Option<SocketAddr>,
    /// The redirects followed to get here, in order.
    pub redirects: Vec<RedirectHop>,
    /// The URL that answered (differs from the request's after redirects).
    pub url: String,
}

/// What chaining needs of a head: the status line and the headers.
impl From<&ResponseHead> for crate::chain::LatestHead {
    fn from(head: &ResponseHead) -> Self {
        crate::chain::LatestHead {
            status: format!("{} {}", head.status, head.reason),
            headers: head.headers.clone(),
        }
    }
}

impl ResponseHead {
    /// The Content-Type header's value, or "" without one.
    pub fn content_type(&self) -> &str {
        self.headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map_or("", |(_, value)| value.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectHop {
    pub status: u16,
    pub from: String,
    pub to: String,
}

/// How an exchange ended well.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Body bytes as they came over the wire (compressed, if they were).
    pub wire_bytes: u64,
    /// Body bytes after decoding: what the `Chunk`s carried.
    pub body_bytes: u64,
    pub timing: Timing,
}

/// Where the time went. Each figure is measured where the stack lets us see it:
/// - `dns`: name resolution; None for an IP address or a reused connection.
/// - `connect`: opening the connection, TCP and TLS together (the TLS handshake happens inside
///   the connector, which does not report it apart); None when a pooled connection was reused.
/// - `first_byte`: from the send to the response head, including `dns`, `connect`, writing
///   the request and the server's think time (and every redirect hop).
/// - `download`: from the head to the last body byte.
/// - `total`: from the send to the end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timing {
    pub dns: Option<Duration>,
    pub connect: Option<Duration>,
    pub first_byte: Duration,
    pub download: Duration,
    pub total: Duration,
}

/// Why an exchange failed, with a sentence a person understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The host name did not resolve.
    Dns,
    /// Nothing listens at the address.
    Refused,
    /// Any other failure to connect (unreachable, reset during connect).
    Connect,
    /// The TLS handshake failed: untrusted or expired certificate, wrong name, no common
    /// protocol, client certificate refused.
    Tls,
    ConnectTimeout,
    /// No byte arrived for longer than the read timeout.
    ReadTimeout,
    /// The whole exchange took longer than the total timeout.
    TotalTimeout,
    /// The body could not be decoded (corrupt compressed data, or over the size limit).
    Decode,
    TooManyRedirects,
    Cancelled,
    /// The connection broke while the body was arriving (reset, truncated chunked encoding).
    Body,
    /// The request itself is unusable (bad method, header or URL, unreadable body file).
    Request,
    /// A WebSocket handshake the server answered without switching protocols.
    NotSwitched,
    /// A WebSocket peer broke the protocol: a text frame that is not UTF-8, a frame over the
    /// size limit, a bad close frame, bytes that are not frames.
    Protocol,
    /// A WebSocket connection that ended without a close frame.
    Dropped,
    Other,
}

impl FailureKind {
    pub fn is_timeout(self) -> bool {
        matches!(
            self,
            FailureKind::ConnectTimeout | FailureKind::ReadTimeout | FailureKind::TotalTimeout
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_moves_piece_ends_with_the_bytes() {
        let secrets = vec!["tok3n".to_owned()];
        // Piece ends: before, inside and after the secret, and at the end.
        let body = b"ab tok3n cd";
        let mut ends = vec![2, 5, 9, 11];
        let masked = mask_secret_bytes_at(body, &secrets, &mut ends);
        assert_eq!(masked, mask_secret_bytes(body, &secrets));
        assert_eq!(String::from_utf8_lossy(&masked), "ab •••••• cd");
        assert_eq!(ends, vec![2, 21, 22, 24]);
        let mut untouched = vec![3];
        assert_eq!(
            mask_secret_bytes_at(body, &[], &mut untouched),
            body.to_vec()
        );
        assert_eq!(untouched, vec![3]);
        // Not UTF-8: the secret's bytes as they are.
        let mut ends = vec![1, 7];
        let binary = mask_secret_bytes_at(b"\xfftok3n!", &secrets, &mut ends);
        assert_eq!(binary, mask_secret_bytes(b"\xfftok3n!", &secrets));
        assert_eq!(ends, vec![1, 20]);
    }

    #[test]
    fn secrets_are_masked_as_written_and_as_urls_carry_them() {
        let secrets = vec!["s3 cr&t/ü?".to_owned(), "ab".to_owned()];
        let url = url::Url::parse("http://h/p/s3 cr&t/ü??k=s3 cr&t/ü?&x=ab").unwrap();
        let masked = mask_secrets(url.as_str(), &secrets);
        assert_eq!(masked, "http://h/p/••••••?k=••••••&x=••••••", "{url}");
        let mut pairs = url::Url::parse("http://h/").unwrap();
        pairs.query_pairs_mut().append_pair("k", "s3 cr&t/ü?");
        assert_eq!(mask_secrets(pairs.as_str(), &secrets), "http://h/?k=••••••");
        assert_eq!(
            mask_secrets("a/../b", &["a/../b".to_owned()]),
            "••••••",
            "no form shorter than the secret"
        );
        assert_eq!(mask_secrets("b/c", &["a/../b".to_owned()]), "b/c");
    }

    #[test]
    fn a_secret_is_masked_as_a_json_string_carries_it() {
        let secret = r#"pa"ss\word"#.to_owned();
        let body = serde_json::json!({ "password": secret }).to_string();
        assert_eq!(
            mask_secrets(&body, std::slice::from_ref(&secret)),
            r#"{"password":"••••••"}"#
        );
    }
}
