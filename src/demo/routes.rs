//! The demo server's endpoints. `GET /` lists them.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use super::drain::Drained;
use base64::Engine as _;
use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full};
use serde_json::{Value, json};

use super::streams::{self, DemoBody};

/// The endpoint list shown at `/` (and in the README).
pub const ENDPOINTS: &[(&str, &str)] = &[
    (
        "/echo",
        "any method: the request back as JSON (method, path, query, headers, body)",
    ),
    (
        "/upload",
        "a multipart form: each part's name, file name, type, size and checksum",
    ),
    (
        "/json?bytes=N",
        "valid, deterministic JSON of about N bytes, streamed",
    ),
    ("/sse?events=N&interval_ms=M", "server-sent events"),
    ("/ndjson?lines=N&interval_ms=M", "newline-delimited JSON"),
    (
        "/drip?bytes=N&duration_ms=M",
        "N bytes spread over M milliseconds",
    ),
    ("/delay/MS", "answers after MS milliseconds"),
    ("/stall?after_bytes=N", "sends N bytes, then hangs"),
    (
        "/gzip /brotli /zstd /deflate",
        "a JSON body compressed with that codec",
    ),
    ("/status/CODE", "answers with that status"),
    ("/redirect/N", "redirects N times, then answers"),
    ("/cookies/set?k=v", "sets the given cookies"),
    ("/cookies", "the cookies the request carried"),
    ("/bytes?n=N", "N deterministic random bytes"),
    (
        "/basic-auth/USER/PASS",
        "200 with matching basic auth, else 401",
    ),
    ("/bearer", "200 with a bearer token, else 401"),
    (
        "/oauth/authorize",
        "GET: OAuth2 sign-in with PKCE (S256) for the client demo, approved at once: a redirect to a 127.0.0.1 redirect_uri with a code (&deny=1 refuses)",
    ),
    (
        "/oauth/device",
        "POST: an OAuth2 device code (RFC 8628) for the client demo; its user code is approved at /oauth/device/verify?user_code=CODE (&deny=1 refuses)",
    ),
    (
        "/signed",
        "200 when X-Signature is hex HMAC-SHA256(demo-signing-key, X-Timestamp\\nMETHOD\\nPATH)",
    ),
    (
        "/jwt",
        "200 with the claims of a live HS256 JWT signed with demo-jwt-key",
    ),
    (
        "/oauth/token?expires_in=S",
        "POST: an OAuth2 access token for the client demo:demo-secret (client credentials)",
    ),
    (
        "/oauth/protected",
        "200 with a live token from /oauth/token, else 401",
    ),
    (
        "/digest-auth/QOP/USER/PASS[/ALGORITHM]",
        "200 with a digest answer proving PASS, else 401 with a challenge (MD5, SHA-256, -sess)",
    ),
    (
        "/login",
        "POST {\"username\", \"password\"}: a session token in .token and X-Session-Token",
    ),
    (
        "/me",
        "200 with a session token from /login (bearer or X-Session-Token), else 401",
    ),
    ("/ansi", "text full of terminal escape sequences"),
    (
        "/ws/echo",
        "WebSocket: each text or binary message back (permessage-deflate when offered)",
    ),
    (
        "/ws/ticker?n=N&interval_ms=M",
        "WebSocket: N JSON text frames M ms apart (0: as fast as it can), then a close",
    ),
    (
        "/ws/binary?n=N&bytes=B",
        "WebSocket: N binary frames of B bytes, then a close",
    ),
    (
        "/ws/graphql",
        "WebSocket: GraphQL subscriptions (graphql-transport-ws): n results, then complete",
    ),
    (
        "/ws/close?code=C&reason=R",
        "WebSocket: a close at once with that code (none: no code) and reason",
    ),
    (
        "/image/FORMAT?width=W&height=H",
        "a colourful picture: png (up to 12000×12000), jpeg, gif, webp; broken is a PNG cut off",
    ),
];

/// The largest request body `/echo` reads; more is refused with 413.
const ECHO_LIMIT: usize = 256 * 1024 * 1024;

pub async fn handle(
    request: Request<Drained>,
    peer: SocketAddr,
) -> Result<Response<DemoBody>, Infallible> {
    let path = request.uri().path().to_owned();
    let query = parse_query(request.uri().query());
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    tracing::debug!(method = %request.method(), %path, %peer, "demo request");
    let response = match segments.as_slice() {
        [""] => json_response(StatusCode::OK, index()),
        ["echo", ..] => echo(request, &query).await,
        ["upload"] => upload(request).await,
        ["json"] => streamed(
            "application/json",
            streams::json_document(number(&query, "bytes", 1024)),
        ),
        ["sse"] => streamed(
            "text/event-stream",
            streams::sse(
                number(&query, "events", 10),
                millis(&query, "interval_ms", 250),
            ),
        ),
        ["ndjson"] => streamed(
            "application/x-ndjson",
            streams::ndjson(
                number(&query, "lines", 10),
                millis(&query, "interval_ms", 100),
            ),
        ),
        ["drip"] => streamed(
            "application/octet-stream",
            streams::drip(
                number(&query, "bytes", 64),
                millis(&query, "duration_ms", 2000),
            ),
        ),
        ["delay", ms] => match ms.parse::<u64>() {
            Ok(ms) => {
                tokio::time::sleep(Duration::from_millis(ms.min(600_000))).await;
                json_response(StatusCode::OK, json!({ "delayed_ms": ms }))
            }
            Err(_) => bad_request(format!("`{ms}` is not a number of milliseconds")),
        },
        ["stall"] => streamed(
            "text/plain",
            streams::stall(number(&query, "after_bytes", 16)),
        ),
        [codec @ ("gzip" | "brotli" | "zstd" | "deflate")] => compressed(codec),
        ["status", code] => status(code),
        ["redirect", n] => redirect(n),
        ["cookies", "set"] => set_cookies(&query),
        ["cookies"] => json_response(StatusCode::OK, json!({ "cookies": cookies(&request) })),
        ["bytes"] => random_bytes(number(&query, "n", 1024)),
        ["image", format] => super::images::image(format, &query).await,
        ["basic-auth", user, pass] => basic_auth(&request, user, pass),
        ["oauth", "protected"] => super::oauth::protected(&request),
        ["oauth", ..] => oauth(&segments[1..], request, &query).await,
        ["digest-auth", qop, user, pass] => {
            super::digest::digest_auth(&request, qop, user, pass, "MD5")
        }
        ["digest-auth", qop, user, pass, algorithm] => {
            super::digest::digest_auth(&request, qop, user, pass, algorithm)
        }
        ["bearer"] => bearer(&request),
        [name @ ("signed" | "jwt")] => super::signing::endpoint(name, &request, &path),
        ["login"] => match read_body(request, 64 * 1024).await {
            Ok(body) => super::session::login(&body),
            Err(response) => response,
        },
        ["me"] => super::session::me(request.headers()),
        ["ansi"] => full("text/plain; charset=utf-8", ansi()),
        ["ws", name] => super::websocket::endpoint(request, name, &query),
        _ => json_response(
            StatusCode::NOT_FOUND,
            json!({ "error": "not found", "path": path, "see": "GET / lists the endpoints" }),
        ),
    };
    Ok(response)
}

/// `n` random bytes, their length said up front.
fn random_bytes(n: u64) -> Response<DemoBody> {
    let mut response = streamed("application/octet-stream", streams::random_bytes(n));
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, n.into());
    response
}

fn index() -> Value {
    let endpoints: serde_json::Map<String, Value> = ENDPOINTS
        .iter()
        .map(|(path, what)| ((*path).to_owned(), Value::from(*what)))
        .collect();
    json!({ "server": "courier demo", "endpoints": endpoints })
}

/// The body of a request, up to `limit` bytes; past it, or broken, a 400 to answer with.
async fn read_body(
    body: impl hyper::body::Body<Data = bytes::Bytes, Error = hyper::Error>,
    limit: usize,
) -> Result<bytes::Bytes, Response<DemoBody>> {
    match http_body_util::Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) => Err(json_response(
            StatusCode::BAD_REQUEST,
            json!({ "error": format!("cannot read the body: {err}") }),
        )),
    }
}

/// `POST /oauth/token`: reads the form, then hands over to the OAuth module.
/// `/oauth/token`, `/oauth/device` and `/oauth/device/verify`.
async fn oauth(
    segments: &[&str],
    request: Request<Drained>,
    query: &[(String, String)],
) -> Response<DemoBody> {
    match segments {
        ["device", "verify"] => return super::oauth::device_verify(query),
        ["authorize"] => return super::oauth::authorize(query),
        _ => {}
    }
    let (parts, form) = match read_form(request).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    match segments {
        ["token"] => super::oauth::token(&parts, &form, query),
        ["device"] => super::oauth::device_authorization(&parts, &form),
        _ => json_response(StatusCode::NOT_FOUND, json!({ "error": "not found" })),
    }
}

/// A request's head and its form body's fields.
async fn read_form(
    request: Request<Drained>,
) -> Result<(http::request::Parts, Vec<(String, String)>), Response<DemoBody>> {
    let (parts, body) = request.into_parts();
    let bytes = read_body(body, 64 * 1024).await?;
    let form = url::form_urlencoded::parse(&bytes).into_owned().collect();
    Ok((parts, form))
}

async fn echo(request: Request<Drained>, query: &[(String, String)]) -> Response<DemoBody> {
    let (parts, body) = request.into_parts();
    let limited = http_body_util::Limited::new(body, ECHO_LIMIT);
    let bytes = match limited.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) => {
            return json_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                json!({ "error": format!("cannot read the body: {err}") }),
            );
        }
    };
    let mut headers = BTreeMap::<String, Value>::new();
    for (name, value) in &parts.headers {
        let value = Value::from(String::from_utf8_lossy(value.as_bytes()).into_owned());
        match headers.get_mut(name.as_str()) {
            Some(Value::Array(values)) => values.push(value),
            Some(first) => *first = Value::Array(vec![first.clone(), value]),
            None => {
                headers.insert(name.as_str().to_owned(), value);
            }
        }
    }
    let mut report = json!({
        "method": parts.method.as_str(),
        "path": parts.uri.path(),
        "query": query_object(query),
        "http_version": format!("{:?}", parts.version),
        "headers": headers,
        "body_length": bytes.len(),
    });
    match std::str::from_utf8(&bytes) {
        Ok(text) => {
            report["body"] = Value::from(text);
            if let Ok(parsed) = serde_json::from_str::<Value>(text) {
                report["json"] = parsed;
            }
        }
        Err(_) => {
            report["body_base64"] =
                Value::from(base64::engine::general_purpose::STANDARD.encode(&bytes));
        }
    }
    if parts.method == Method::HEAD {
        return empty(StatusCode::OK);
    }
    json_response(StatusCode::OK, report)
}

/// Reports the parts of a multipart/form-data body without echoing their bytes, so a test can
/// send a large file and check it arrived whole by its size and checksum.
async fn upload(request: Request<Drained>) -> Response<DemoBody> {
    let boundary = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split("boundary=").nth(1))
        .map(|b| b.trim_matches('"').to_owned());
    let Some(boundary) = boundary else {
        return bad_request("send multipart/form-data with a boundary".to_owned());
    };
    let body = match http_body_util::Limited::new(request.into_body(), ECHO_LIMIT)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(err) => return bad_request(format!("cannot read the body: {err}")),
    };
    match super::multipart::parts(&body, &boundary) {
        Ok(parts) => json_response(StatusCode::OK, json!({ "parts": parts })),
        Err(err) => bad_request(err),
    }
}

fn compressed(codec: &str) -> Response<DemoBody> {
    let plain = serde_json::to_vec_pretty(&json!({
        "compressed_with": codec,
        "items": (0..40).map(streams::json_item).map(|s| serde_json::from_str::<Value>(&s).unwrap_or(Value::Null)).collect::<Vec<_>>(),
    }))
    .unwrap_or_default();
    let encoded: std::io::Result<Vec<u8>> = match codec {
        "gzip" => {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&plain).and_then(|()| encoder.finish())
        }
        // HTTP's "deflate" is the zlib format (RFC 9110 §8.4.1.2).
        "deflate" => {
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&plain).and_then(|()| encoder.finish())
        }
        "brotli" => {
            let mut out = Vec::new();
            let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
            let written = writer.write_all(&plain).and_then(|()| writer.flush());
            drop(writer);
            written.map(|()| out)
        }
        _ => zstd::encode_all(&plain[..], 3),
    };
    let token: &'static str = match codec {
        "gzip" => "gzip",
        "deflate" => "deflate",
        "brotli" => "br",
        _ => "zstd",
    };
    match encoded {
        Ok(bytes) => {
            let mut response = full("application/json", bytes);
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(token));
            response
        }
        Err(err) => json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({ "error": format!("compression failed: {err}") }),
        ),
    }
}

fn status(code: &str) -> Response<DemoBody> {
    let Some(status) = code
        .parse::<u16>()
        .ok()
        .and_then(|c| StatusCode::from_u16(c).ok())
    else {
        return bad_request(format!("`{code}` is not an HTTP status code (100-999)"));
    };
    if status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
        || status.is_informational()
    {
        return empty(status);
    }
    json_response(
        status,
        json!({ "status": status.as_u16(), "reason": status.canonical_reason().unwrap_or("") }),
    )
}

fn redirect(n: &str) -> Response<DemoBody> {
    let Ok(n) = n.parse::<u32>() else {
        return bad_request(format!("`{n}` is not a number of redirects"));
    };
    if n == 0 {
        return json_response(StatusCode::OK, json!({ "redirects": "done" }));
    }
    let mut response = empty(StatusCode::FOUND);
    if let Ok(location) = HeaderValue::from_str(&format!("/redirect/{}", n - 1)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

fn set_cookies(query: &[(String, String)]) -> Response<DemoBody> {
    let mut response = json_response(StatusCode::OK, json!({ "set": query_object(query) }));
    for (name, value) in query {
        let cookie = format!("{name}={value}; Path=/");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

fn cookies(request: &Request<Drained>) -> BTreeMap<String, String> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            Some((name.to_owned(), value.to_owned()))
        })
        .collect()
}

fn authorization(request: &Request<Drained>) -> Option<&str> {
    request.headers().get(header::AUTHORIZATION)?.to_str().ok()
}

/// The `user:pass` of an `Authorization: Basic` header.
pub(super) fn basic_credentials(headers: &http::HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value.strip_prefix("Basic ")?.trim())
        .ok()?;
    String::from_utf8(bytes).ok()
}

fn basic_auth(request: &Request<Drained>, user: &str, pass: &str) -> Response<DemoBody> {
    let given = basic_credentials(request.headers());
    if given.as_deref() == Some(&format!("{user}:{pass}")) {
        return json_response(
            StatusCode::OK,
            json!({ "authenticated": true, "user": user }),
        );
    }
    let mut response = json_response(StatusCode::UNAUTHORIZED, json!({ "authenticated": false }));
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"courier-demo\""),
    );
    response
}

fn bearer(request: &Request<Drained>) -> Response<DemoBody> {
    match authorization(request).and_then(|value| value.strip_prefix("Bearer ")) {
        Some(token) if !token.trim().is_empty() => json_response(
            StatusCode::OK,
            json!({ "authenticated": true, "token": token.trim() }),
        ),
        _ => {
            let mut response =
                json_response(StatusCode::UNAUTHORIZED, json!({ "authenticated": false }));
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            response
        }
    }
}

/// Text that would wreck a terminal if printed raw: a window title, a screen clear, colours,
/// cursor moves, a bell and an OSC 52 clipboard write.
fn ansi() -> Vec<u8> {
    let clipboard = base64::engine::general_purpose::STANDARD.encode("echo pwned");
    format!(
        "Terminal escapes follow. A safe client shows them as symbols.\n\
         \x1b]0;PWNED TITLE\x07\
         \x1b[2J\x1b[H\
         \x1b[31mred\x1b[0m \x1b[1;32mbold green\x1b[0m \x1b[7mreverse\x1b[27m\n\
         \x1b]52;c;{clipboard}\x07\
         \x1b[10;10Hcursor moved\x07\n\
         \x1b[?1049halternate screen\x1b[?1049l\n\
         \x1bPdevice control string\x1b\\\n\
         carriage\rreturn, tab\there, NUL\0 and DEL\x7f\n"
    )
    .into_bytes()
}

// ---- helpers -------------------------------------------------------------------------------

fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
    query
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// Query pairs as an object; a name given more than once maps to an array of its values.
fn query_object(query: &[(String, String)]) -> Value {
    let mut object = serde_json::Map::new();
    for (name, value) in query {
        let value = Value::from(value.as_str());
        match object.get_mut(name) {
            Some(Value::Array(values)) => values.push(value),
            Some(first) => *first = Value::Array(vec![first.clone(), value]),
            None => {
                object.insert(name.clone(), value);
            }
        }
    }
    Value::Object(object)
}

pub(super) fn number(query: &[(String, String)], name: &str, default: u64) -> u64 {
    query
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(default)
}

fn millis(query: &[(String, String)], name: &str, default: u64) -> Duration {
    Duration::from_millis(number(query, name, default))
}

fn streamed(content_type: &'static str, body: DemoBody) -> Response<DemoBody> {
    let mut response = Response::new(body);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

pub(super) fn full(content_type: &'static str, bytes: Vec<u8>) -> Response<DemoBody> {
    let mut response = Response::new(BodyExt::boxed(Full::new(Bytes::from(bytes))));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

pub(super) fn json_response(status: StatusCode, value: Value) -> Response<DemoBody> {
    let mut bytes = serde_json::to_vec_pretty(&value).unwrap_or_default();
    bytes.push(b'\n');
    let mut response = full("application/json", bytes);
    *response.status_mut() = status;
    response
}

fn empty(status: StatusCode) -> Response<DemoBody> {
    let mut response = Response::new(BodyExt::boxed(Full::new(Bytes::new())));
    *response.status_mut() = status;
    response
}

pub(super) fn bad_request(message: String) -> Response<DemoBody> {
    json_response(StatusCode::BAD_REQUEST, json!({ "error": message }))
}
