//! The request as it goes out: the reqwest request built from a [`PreparedRequest`] (method,
//! headers, a body from memory, a file streamed from disk, or multipart parts), and the
//! [`SentRequest`] record of it, with the headers reqwest and hyper add on their way out so
//! the user sees what was really sent.

use super::Failure;
use super::decode;
use super::events::{FailureKind, SentBody, SentRequest};
use super::exchange::{describe, failure, header_pairs};
use super::prepare::{PreparedBody, PreparedRequest};

/// Builds the reqwest request and the record of what will be sent, computed headers included.
pub(crate) async fn build(
    client: &reqwest::Client,
    request: &PreparedRequest,
) -> Result<(reqwest::Request, SentRequest), Failure> {
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|_| {
        failure(
            FailureKind::Request,
            format!("`{}` is not a valid HTTP method", request.method),
        )
    })?;
    let builder = with_headers(client.request(method, &request.url), request)?;
    let (builder, body_bytes) = with_body(builder, &request.body).await?;
    let built = builder
        .build()
        .map_err(|e| failure(FailureKind::Request, describe(&e)))?;
    let sent = sent_record(&built, request, body_bytes);
    Ok((built, sent))
}

/// The request's own headers, checked, and an Accept-Encoding unless it sets one.
fn with_headers(
    mut builder: reqwest::RequestBuilder,
    request: &PreparedRequest,
) -> Result<reqwest::RequestBuilder, Failure> {
    for (name, value) in &request.headers {
        let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            failure(
                FailureKind::Request,
                format!("`{name}` is not a valid header name"),
            )
        })?;
        let value = http::HeaderValue::from_str(value).map_err(|_| {
            failure(
                FailureKind::Request,
                format!("the value of header `{name}` has characters a header cannot carry"),
            )
        })?;
        builder = builder.header(name, value);
    }
    let has_encoding = request
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("accept-encoding"));
    if !has_encoding {
        builder = builder.header(http::header::ACCEPT_ENCODING, decode::ACCEPT_ENCODING);
    }
    Ok(builder)
}

/// The body, and its length when it is known in advance.
async fn with_body(
    mut builder: reqwest::RequestBuilder,
    body: &PreparedBody,
) -> Result<(reqwest::RequestBuilder, Option<u64>), Failure> {
    let body_bytes = match body {
        PreparedBody::None => None,
        PreparedBody::Bytes(bytes) => {
            builder = builder.body(bytes.clone());
            Some(bytes.len() as u64)
        }
        PreparedBody::File(path) => {
            let file = tokio::fs::File::open(path).await.map_err(|e| {
                failure(
                    FailureKind::Request,
                    format!("cannot open the body file {}: {e}", path.display()),
                )
            })?;
            let len = file.metadata().await.ok().map(|m| m.len());
            // Streamed from disk; with the length known the request still gets Content-Length.
            let stream = tokio_util::io::ReaderStream::new(file);
            builder = builder.body(reqwest::Body::wrap_stream(stream));
            if let Some(len) = len {
                builder = builder.header(http::header::CONTENT_LENGTH, len);
            }
            len
        }
        PreparedBody::Multipart(parts) => {
            builder = builder.multipart(multipart_form(parts).await?);
            None
        }
    };
    Ok((builder, body_bytes))
}

/// What the user is shown as sent: the built request's headers plus those reqwest and hyper
/// add on their way out (Host, User-Agent, Accept, Content-Length).
fn sent_record(
    built: &reqwest::Request,
    request: &PreparedRequest,
    body_bytes: Option<u64>,
) -> SentRequest {
    let mut headers = header_pairs(built.headers());
    let mut add = |name: &str, value: String| {
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            headers.push((name.to_owned(), value));
        }
    };
    if let Some(host) = built.url().host_str() {
        let host = match built.url().port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        add("host", host);
    }
    add(
        "user-agent",
        concat!("courier/", env!("CARGO_PKG_VERSION")).to_owned(),
    );
    add("accept", "*/*".to_owned());
    if let Some(len) = body_bytes {
        add("content-length", len.to_string());
    }
    SentRequest {
        method: built.method().to_string(),
        url: built.url().to_string(),
        headers,
        body_bytes,
        insecure: !request.transport.verify_tls && built.url().scheme() == "https",
        body: match &request.body {
            PreparedBody::None => SentBody::None,
            PreparedBody::Bytes(bytes) => SentBody::Bytes(bytes.clone()),
            PreparedBody::File(path) => SentBody::File(path.clone()),
            PreparedBody::Multipart(parts) => SentBody::Multipart(parts.clone()),
        },
        secrets: request.secrets.clone(),
    }
}

/// A multipart form whose file parts stream from disk (never read whole into memory).
async fn multipart_form(
    parts: &[super::prepare::PreparedPart],
) -> Result<reqwest::multipart::Form, Failure> {
    use super::prepare::PartContent;
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        let mut piece = match &part.content {
            PartContent::Text(text) => reqwest::multipart::Part::text(text.clone()),
            PartContent::File(path) => {
                let file = tokio::fs::File::open(path).await.map_err(|e| {
                    failure(
                        FailureKind::Request,
                        format!(
                            "cannot open {} for part `{}`: {e}",
                            path.display(),
                            part.name
                        ),
                    )
                })?;
                let len = file.metadata().await.map(|m| m.len()).unwrap_or(0);
                let stream = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(file));
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                reqwest::multipart::Part::stream_with_length(stream, len).file_name(name)
            }
        };
        if let Some(content_type) = &part.content_type {
            piece = piece.mime_str(content_type).map_err(|_| {
                failure(
                    FailureKind::Request,
                    format!(
                        "`{content_type}` is not a content type (part `{}`)",
                        part.name
                    ),
                )
            })?;
        }
        form = form.part(part.name.clone(), piece);
    }
    Ok(form)
}
