//! What every request of a load run sends, built once from a prepared request: the method,
//! the URI in the two forms HTTP/1.1 and HTTP/2 write it, the headers as a ready `HeaderMap`
//! and the body in memory. A worker then only clones cheap handles for each request.

use std::time::Duration;

use bytes::Bytes;
use http::header::{HOST, HeaderName, HeaderValue, USER_AGENT};
use http::{HeaderMap, Method, Uri};

use crate::http::{PreparedBody, PreparedRequest, TransportOptions};
use crate::model::HttpVersion;

/// The largest body a load run keeps in memory to send again and again.
const BODY_LIMIT: u64 = 64 * 1024 * 1024;

/// Why a prepared request cannot be sent under load.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("`{0}` is not a URL Courier can load: {1}")]
    Url(String, String),
    #[error("courier load speaks http:// and https://, not `{0}`")]
    Scheme(String),
    #[error("`{0}` is not a valid HTTP method")]
    Method(String),
    #[error("the header `{0}` has a name or value a header cannot carry")]
    Header(String),
    #[error(
        "digest auth answers a challenge on every request; courier load does not do it (use \
         basic or bearer auth, or a token)"
    )]
    Digest,
    #[error("multipart bodies are not sent under load; use --data-binary @FILE with its bytes")]
    Multipart,
    #[error("cannot read the body file {}: {source}", path.display())]
    BodyFile {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("the body file {} is over 64 MiB; a load run keeps its body in memory", path.display())]
    BodyTooLarge { path: std::path::PathBuf },
    #[error("courier load connects directly; it does not go through the proxy `{0}`")]
    Proxy(String),
}

/// One request a load run sends.
#[derive(Debug, Clone)]
pub struct Target {
    pub method: Method,
    /// The path and query: HTTP/1.1's request line.
    pub origin_form: Uri,
    /// The whole URI: HTTP/2's pseudo-headers come from it.
    pub absolute: Uri,
    pub host: String,
    pub port: u16,
    pub tls: bool,
    pub headers: HeaderMap,
    /// The same without Host: HTTP/2 says it as `:authority`.
    pub http2_headers: HeaderMap,
    pub body: Bytes,
    /// The whole HTTP/1.1 request as it goes on the wire, encoded once.
    pub http1_bytes: Bytes,
    pub transport: TransportOptions,
    pub total_timeout: Option<Duration>,
}

impl Target {
    /// The request to send, from a prepared one whose auth the engine has completed.
    pub fn new(request: &PreparedRequest) -> Result<Target, TargetError> {
        if request.digest.is_some() {
            return Err(TargetError::Digest);
        }
        if let crate::http::Proxy::Url(url) = &request.transport.proxy {
            return Err(TargetError::Proxy(url.clone()));
        }
        let absolute: Uri = request.url.parse().map_err(|e: http::uri::InvalidUri| {
            TargetError::Url(request.url.clone(), e.to_string())
        })?;
        let tls = match absolute.scheme_str() {
            Some("http") => false,
            Some("https") => true,
            other => return Err(TargetError::Scheme(other.unwrap_or_default().to_owned())),
        };
        let authority = absolute
            .authority()
            .ok_or_else(|| TargetError::Url(request.url.clone(), "it has no host".into()))?
            .clone();
        let host = authority.host().trim_matches(['[', ']']).to_owned();
        let port = authority.port_u16().unwrap_or(if tls { 443 } else { 80 });
        let origin_form: Uri = absolute
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .parse()
            .map_err(|e: http::uri::InvalidUri| {
                TargetError::Url(request.url.clone(), e.to_string())
            })?;
        let method = Method::from_bytes(request.method.as_bytes())
            .map_err(|_| TargetError::Method(request.method.clone()))?;
        let headers = headers(request, authority.as_str())?;
        let mut http2_headers = headers.clone();
        http2_headers.remove(HOST);
        let body = body(&request.body)?;
        let http1_bytes = http1_bytes(&method, &origin_form, &headers, &body);
        Ok(Target {
            method,
            origin_form,
            absolute,
            host,
            port,
            tls,
            headers,
            http2_headers,
            body,
            http1_bytes,
            transport: request.transport.clone(),
            total_timeout: request.total_timeout,
        })
    }

    /// Whether connections speak HTTP/2 from the start (prior knowledge) rather than by
    /// TLS's ALPN or not at all.
    pub fn http2_only(&self) -> bool {
        self.transport.http == HttpVersion::Http2
    }

    /// Bytes a request takes on the wire (as HTTP/1.1 writes it).
    pub fn wire_size(&self) -> u64 {
        self.http1_bytes.len() as u64
    }
}

/// The request's headers, a Host and a User-Agent unless it has its own.
fn headers(request: &PreparedRequest, authority: &str) -> Result<HeaderMap, TargetError> {
    let mut map = HeaderMap::with_capacity(request.headers.len() + 2);
    for (name, value) in &request.headers {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| TargetError::Header(name.clone()))?;
        let header_value =
            HeaderValue::from_str(value).map_err(|_| TargetError::Header(name.clone()))?;
        map.append(header_name, header_value);
    }
    if !map.contains_key(HOST) {
        let host =
            HeaderValue::from_str(authority).map_err(|_| TargetError::Header("Host".into()))?;
        map.insert(HOST, host);
    }
    if !map.contains_key(USER_AGENT) {
        map.insert(
            USER_AGENT,
            HeaderValue::from_static(concat!("courier/", env!("CARGO_PKG_VERSION"))),
        );
    }
    Ok(map)
}

/// The request line, the headers (a Content-Length of the body's own, for a body or a
/// method that carries one), the blank line and the body.
fn http1_bytes(method: &Method, origin_form: &Uri, headers: &HeaderMap, body: &Bytes) -> Bytes {
    let mut out = Vec::with_capacity(256 + body.len());
    out.extend_from_slice(method.as_str().as_bytes());
    out.push(b' ');
    out.extend_from_slice(origin_form.to_string().as_bytes());
    out.extend_from_slice(b" HTTP/1.1\r\n");
    for (name, value) in headers {
        if name == http::header::CONTENT_LENGTH || name == http::header::TRANSFER_ENCODING {
            continue;
        }
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    let carries_body = matches!(*method, Method::POST | Method::PUT | Method::PATCH);
    if !body.is_empty() || carries_body {
        out.extend_from_slice(format!("content-length: {}\r\n", body.len()).as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    Bytes::from(out)
}

fn body(body: &PreparedBody) -> Result<Bytes, TargetError> {
    match body {
        PreparedBody::None => Ok(Bytes::new()),
        PreparedBody::Bytes(bytes) => Ok(bytes.clone()),
        PreparedBody::Multipart(_) => Err(TargetError::Multipart),
        PreparedBody::File(path) => {
            let too_large = std::fs::metadata(path)
                .map(|m| m.len() > BODY_LIMIT)
                .map_err(|source| TargetError::BodyFile {
                    path: path.clone(),
                    source,
                })?;
            if too_large {
                return Err(TargetError::BodyTooLarge { path: path.clone() });
            }
            std::fs::read(path)
                .map(Bytes::from)
                .map_err(|source| TargetError::BodyFile {
                    path: path.clone(),
                    source,
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_has_both_uri_forms_a_host_header_and_its_port() {
        let mut request = PreparedRequest::new("POST", "http://127.0.0.1:8808/echo?x=1");
        request.headers.push(("X-Run".into(), "7".into()));
        request.body = PreparedBody::Bytes(Bytes::from_static(b"{}"));
        let target = Target::new(&request).expect("a plain request");
        assert_eq!(target.origin_form, "/echo?x=1");
        assert_eq!(target.absolute, "http://127.0.0.1:8808/echo?x=1");
        assert_eq!(target.headers[HOST], "127.0.0.1:8808");
        assert_eq!(target.headers["x-run"], "7");
        assert_eq!((target.port, target.tls), (8808, false));
        assert_eq!(&target.body[..], b"{}");
        let expected = format!(
            "POST /echo?x=1 HTTP/1.1\r\nx-run: 7\r\nhost: 127.0.0.1:8808\r\n\
             user-agent: courier/{}\r\ncontent-length: 2\r\n\r\n{{}}",
            env!("CARGO_PKG_VERSION")
        );
        assert_eq!(String::from_utf8_lossy(&target.http1_bytes), expected);
        let tls = Target::new(&PreparedRequest::new("GET", "https://[::1]/")).expect("https");
        assert_eq!((tls.host.as_str(), tls.port, tls.tls), ("::1", 443, true));
    }

    #[test]
    fn what_load_cannot_send_is_refused_with_the_reason() {
        let mut digest = PreparedRequest::new("GET", "http://127.0.0.1/");
        digest.digest = Some(("u".into(), "p".into()));
        assert!(matches!(Target::new(&digest), Err(TargetError::Digest)));
        let ftp = Target::new(&PreparedRequest::new("GET", "ftp://example.com/"));
        assert!(matches!(ftp, Err(TargetError::Scheme(s)) if s == "ftp"));
        let mut header = PreparedRequest::new("GET", "http://127.0.0.1/");
        header.headers.push(("Bad Name".into(), "x".into()));
        assert!(matches!(Target::new(&header), Err(TargetError::Header(n)) if n == "Bad Name"));
    }
}
