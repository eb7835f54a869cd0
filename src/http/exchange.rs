//! One exchange from start to end: build the request, send it, report its head, stream its
//! body, and turn whatever goes wrong into a [`Failure`] a person can act on.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::decode::{BodyDecoder, Coding, ReadError};
use super::events::{
    EngineEvent, ExchangeId, Failure, FailureKind, ResponseHead, SentRequest, Summary, Timing,
};
use super::middleware::Middleware;
use super::outgoing::build;
use super::prepare::PreparedRequest;
use super::probe::{DnsError, Probe};

/// Runs the exchange; its events (all but the final `Done`/`Failed`) go to `events`.
pub(crate) async fn run(
    id: ExchangeId,
    client: &reqwest::Client,
    mut request: PreparedRequest,
    middleware: &[Arc<dyn Middleware>],
    tokens: &super::oauth2::TokenCache,
    events: &mpsc::Sender<EngineEvent>,
) -> Result<Summary, Failure> {
    complete_auth(&mut request, client, middleware, tokens, (id, events)).await?;
    let (built, sent) = build(client, &request).await?;
    let exchange = Exchange {
        id,
        client,
        events,
        host: built.url().host_str().unwrap_or_default().to_owned(),
        connect_timeout: request.transport.connect_timeout,
        read_timeout: request.transport.read_timeout,
    };
    let first = exchange.first_answer(&mut request, built, sent).await?;
    exchange
        .tell(EngineEvent::Started {
            id,
            request: first.sent.clone(),
        })
        .await?;
    let response = match first.next {
        Next::Send(built) => Probe::scope(first.probe.clone(), client.execute(built))
            .await
            .map_err(|err| exchange.classify(&err))?,
        Next::Answered(response) => response,
    };
    let first_byte = first.started.elapsed();
    let seen = first.probe.snapshot();
    let content_encoding = response
        .headers()
        .get(http::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let head = response_head(&response, seen.redirects);
    for hook in middleware {
        hook.after_head(&first.sent, &head);
    }
    exchange.tell(EngineEvent::Head { id, head }).await?;
    let coding = if request.decompress {
        Coding::from_header(content_encoding.as_deref()).unwrap_or(Coding::Identity)
    } else {
        Coding::Identity
    };
    let mut body = BodyDecoder::new(response.bytes_stream(), coding, request.decompress_limit);
    exchange.stream_body(&mut body).await?;
    let total = first.started.elapsed();
    let connect = seen
        .connect
        .map(|c| c.saturating_sub(seen.dns.unwrap_or_default()));
    Ok(Summary {
        wire_bytes: body.wire_bytes(),
        body_bytes: body.decoded_bytes(),
        timing: Timing {
            dns: seen.dns,
            connect,
            first_byte,
            download: total.saturating_sub(first_byte),
            total,
        },
    })
}

/// Replaces the request's Authorization header.
/// What the engine adds before building: an OAuth2 token, the middleware's changes, and last
/// a SigV4 signature, so what is signed is what goes.
pub(super) async fn complete_auth(
    request: &mut PreparedRequest,
    client: &reqwest::Client,
    middleware: &[Arc<dyn Middleware>],
    tokens: &super::oauth2::TokenCache,
    (id, events): (ExchangeId, &mpsc::Sender<EngineEvent>),
) -> Result<(), Failure> {
    if let Some(credentials) = request.oauth2.clone() {
        let tell = |message: String| {
            // A receiver gone means no one waits for the answer either.
            let _ = events.try_send(EngineEvent::Waiting { id, message });
        };
        let token = tokens
            .token(client, &credentials, &tell)
            .await
            .map_err(|message| failure(FailureKind::Request, format!("OAuth2: {message}")))?;
        set_authorization(request, format!("Bearer {token}"));
        // The token is a credential: masked wherever the request is shown.
        request.secrets.push(token);
    }
    for hook in middleware {
        hook.before_send(request)
            .map_err(|message| failure(FailureKind::Request, message))?;
    }
    if let Some(credentials) = request.sigv4.clone() {
        super::sigv4::sign(request, &credentials, std::time::SystemTime::now())
            .map_err(|err| failure(FailureKind::Request, err.to_string()))?;
    }
    Ok(())
}

fn set_authorization(request: &mut PreparedRequest, value: String) {
    request
        .headers
        .retain(|(name, _)| !name.eq_ignore_ascii_case("authorization"));
    request.headers.push(("Authorization".to_owned(), value));
}

/// The head of `response`, with the redirects that led to it.
pub(crate) fn response_head(
    response: &reqwest::Response,
    redirects: Vec<super::RedirectHop>,
) -> ResponseHead {
    ResponseHead {
        status: response.status().as_u16(),
        reason: response
            .status()
            .canonical_reason()
            .unwrap_or("")
            .to_owned(),
        version: version_text(response.version()),
        headers: header_pairs(response.headers()),
        remote_addr: response.remote_addr(),
        redirects,
        url: response.url().to_string(),
    }
}

/// One exchange under way: where its events go, and what its failures are told against.
struct Exchange<'a> {
    id: ExchangeId,
    client: &'a reqwest::Client,
    events: &'a mpsc::Sender<EngineEvent>,
    host: String,
    connect_timeout: Option<std::time::Duration>,
    read_timeout: Option<std::time::Duration>,
}

/// The request as it is about to go (again), and what to do next.
struct FirstAnswer {
    next: Next,
    sent: SentRequest,
    /// When the request that counts went out: timing starts here.
    started: Instant,
    probe: Arc<Probe>,
}

impl Exchange<'_> {
    /// Passes an event on; a listener that is gone ends the exchange.
    async fn tell(&self, event: EngineEvent) -> Result<(), Failure> {
        self.events
            .send(event)
            .await
            .map_err(|_| failure(FailureKind::Cancelled, "nobody is listening any more"))
    }

    fn classify(&self, err: &reqwest::Error) -> Failure {
        classify(err, &self.host, self.connect_timeout, self.read_timeout)
    }

    /// With digest auth the request goes once without credentials; a 401 challenge is
    /// answered and the request sent again. Without a challenge, that first answer is the
    /// response. Without digest auth, the request is simply to be sent.
    async fn first_answer(
        &self,
        request: &mut PreparedRequest,
        built: reqwest::Request,
        sent: SentRequest,
    ) -> Result<FirstAnswer, Failure> {
        let probe = Arc::new(Probe::default());
        let started = Instant::now();
        let Some((username, password)) = request.digest.clone() else {
            return Ok(FirstAnswer {
                next: Next::Send(built),
                sent,
                started,
                probe,
            });
        };
        let first = Probe::scope(probe.clone(), self.client.execute(built))
            .await
            .map_err(|err| self.classify(&err))?;
        let challenge = (first.status() == reqwest::StatusCode::UNAUTHORIZED)
            .then(|| digest_challenge(first.headers()))
            .flatten();
        let Some(challenge) = challenge else {
            return Ok(FirstAnswer {
                next: Next::Answered(first),
                sent,
                started,
                probe,
            });
        };
        let answer = answer_challenge(request, &challenge, &username, &password)?;
        drop(first);
        set_authorization(request, answer);
        let started = Instant::now();
        let (again, sent) = build(self.client, request).await?;
        Ok(FirstAnswer {
            next: Next::Send(again),
            sent,
            started,
            probe: Arc::new(Probe::default()),
        })
    }

    /// Reads the body to its end, passing each chunk on.
    async fn stream_body(&self, body: &mut BodyDecoder) -> Result<(), Failure> {
        loop {
            match body.next().await {
                Ok(Some(bytes)) => {
                    // A listener that is gone stops the reading; dropping the body drops the
                    // connection.
                    self.tell(EngineEvent::Chunk { id: self.id, bytes }).await?;
                }
                Ok(None) => return Ok(()),
                Err(error) => return Err(self.read_failure(error)),
            }
        }
    }

    fn read_failure(&self, error: ReadError) -> Failure {
        match error {
            ReadError::Transport(err) => match err
                .get_ref()
                .and_then(|e| e.downcast_ref::<reqwest::Error>())
            {
                Some(reqwest_err) => self.classify(reqwest_err),
                None => failure(FailureKind::Body, format!("the body broke off: {err}")),
            },
            ReadError::Corrupt(coding, err) => failure(
                FailureKind::Decode,
                format!("the {coding:?} body could not be decoded: {err}").to_lowercase(),
            ),
            ReadError::TooLarge { limit, wire } => failure(
                FailureKind::Decode,
                format!(
                    "stopped decoding: the body grew past the limit of {limit} bytes from \
                     {wire} compressed bytes (a decompression bomb?); raise \
                     options.decompress_limit to allow more"
                ),
            ),
        }
    }
}

/// What happens next in an exchange: send this request, or the first answer already is the
/// response (a digest-auth request the server did not challenge).
enum Next {
    Send(reqwest::Request),
    Answered(reqwest::Response),
}

/// The digest challenge among a 401's `WWW-Authenticate` headers.
fn digest_challenge(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(http::header::WWW_AUTHENTICATE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("digest ")
        })
        .map(str::to_owned)
}

/// The `Authorization` answering a digest challenge for `request`.
fn answer_challenge(
    request: &PreparedRequest,
    challenge: &str,
    username: &str,
    password: &str,
) -> Result<String, Failure> {
    let challenge = super::digest::parse_challenge(challenge)
        .map_err(|e| failure(FailureKind::Request, e.to_string()))?;
    let url = reqwest::Url::parse(&request.url)
        .map_err(|e| failure(FailureKind::Request, e.to_string()))?;
    let uri = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let cnonce = super::random_hex(16);
    super::digest::authorization(
        &challenge,
        username,
        password,
        &request.method,
        &uri,
        &cnonce,
    )
    .map_err(|e| failure(FailureKind::Request, e.to_string()))
}

pub(crate) fn failure(kind: FailureKind, message: impl Into<String>) -> Failure {
    Failure {
        kind,
        message: message.into(),
    }
}

/// Sorts a reqwest error into a [`FailureKind`] with a sentence that says what happened.
pub(crate) fn classify(
    err: &reqwest::Error,
    host: &str,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
) -> Failure {
    let detail = describe(err);
    let seconds = |d: Option<Duration>| d.map_or("?".to_owned(), |d| format!("{:?}", d));
    if err.is_timeout() {
        return if err.is_connect() {
            failure(
                FailureKind::ConnectTimeout,
                format!(
                    "connecting to {host} took longer than the connect timeout ({})",
                    seconds(connect_timeout)
                ),
            )
        } else {
            failure(
                FailureKind::ReadTimeout,
                format!(
                    "no data arrived from {host} for {} (the read timeout)",
                    seconds(read_timeout)
                ),
            )
        };
    }
    if let Some(dns) = find_in_chain::<DnsError>(err) {
        return failure(FailureKind::Dns, format!("cannot connect: {dns}"));
    }
    if let Some(tls) = find_tls_error(err) {
        return failure(
            FailureKind::Tls,
            format!("the TLS handshake with {host} failed: {tls}"),
        );
    }
    if err.is_redirect() {
        return failure(
            FailureKind::TooManyRedirects,
            format!("stopped following redirects: {detail}"),
        );
    }
    if err.is_connect() {
        let refused = io_kind(err) == Some(std::io::ErrorKind::ConnectionRefused);
        return if refused {
            failure(
                FailureKind::Refused,
                format!("{host} refused the connection: nothing is listening there ({detail})"),
            )
        } else {
            failure(
                FailureKind::Connect,
                format!("cannot connect to {host}: {detail}"),
            )
        };
    }
    if err.is_body() || err.is_decode() {
        return failure(
            FailureKind::Body,
            format!("the connection broke while the body was arriving: {detail}"),
        );
    }
    if err.is_builder() {
        return failure(FailureKind::Request, detail);
    }
    failure(FailureKind::Other, detail)
}

/// The next error down a chain. `std::io::Error`'s own `source()` skips the error it wraps
/// (it returns that error's source), so look inside it with `get_ref` instead.
fn next_cause<'e>(error: &'e (dyn StdError + 'static)) -> Option<&'e (dyn StdError + 'static)> {
    if let Some(io) = error.downcast_ref::<std::io::Error>() {
        if let Some(inner) = io.get_ref() {
            return Some(inner as &(dyn StdError + 'static));
        }
    }
    error.source()
}

fn find_in_chain<'e, T: StdError + 'static>(err: &'e (dyn StdError + 'static)) -> Option<&'e T> {
    let mut current = Some(err);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<T>() {
            return Some(found);
        }
        current = next_cause(error);
    }
    None
}

/// rustls' reason for a failed handshake, if that is what failed.
fn find_tls_error(err: &reqwest::Error) -> Option<String> {
    find_in_chain::<rustls::Error>(err).map(ToString::to_string)
}

fn io_kind(err: &reqwest::Error) -> Option<std::io::ErrorKind> {
    find_in_chain::<std::io::Error>(err).map(std::io::Error::kind)
}

/// The error and its causes in one line: reqwest's own message is often just "error sending
/// request", with the useful part further down the chain.
pub(crate) fn describe(err: &reqwest::Error) -> String {
    describe_error(err)
}

/// An error with its causes, as one line (a cause already in the text is not said again).
pub fn describe_error(err: &(dyn StdError + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = next_cause(err);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = next_cause(cause);
    }
    text
}

pub(crate) fn header_pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
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
