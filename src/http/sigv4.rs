//! AWS Signature Version 4, written from AWS's description of the signing process and checked
//! against its published test suite (`tests/fixtures/sigv4`). The engine signs a request as
//! the last thing before it goes (after hooks and the command line's flags), so what is
//! signed is what is sent.
//!
//! Canonical request: the method; the path, normalised (dot segments and repeated slashes
//! gone) and encoded again, except for S3, whose path is used as it is; the query's pairs
//! decoded, encoded the AWS way and sorted; each signed header's lower-case name and trimmed
//! value (repeats joined by commas), sorted; the signed names; the payload's SHA-256.

use std::time::SystemTime;

use super::prepare::{PreparedBody, PreparedRequest};

/// What a request is signed with, its templates rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key: String,
    pub secret_key: String,
    pub session_token: Option<String>,
    pub region: String,
    pub service: String,
    pub unsigned_payload: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    #[error("AWS SigV4: the URL `{0}` has no host to sign")]
    NoHost(String),
    #[error(
        "AWS SigV4: a multipart body's bytes are only known as it is sent, so its hash cannot be \
         signed; set \"unsigned_payload\": true (S3 accepts it)"
    )]
    Multipart,
    #[error("AWS SigV4: cannot read the body file {path} to hash it: {source}")]
    BodyFile {
        path: String,
        source: std::io::Error,
    },
}

/// Headers never signed: they are changed or added on the way (a proxy, the HTTP library).
const UNSIGNED: [&str; 6] = [
    "user-agent",
    "expect",
    "authorization",
    "connection",
    "transfer-encoding",
    "x-amzn-trace-id",
];

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Signs `request` as at `now` (or at the `X-Amz-Date` it already has, as curl does): adds
/// `X-Amz-Date`, `X-Amz-Security-Token` and (for S3 or an unsigned payload)
/// `X-Amz-Content-SHA256`, then `Authorization`.
pub fn sign(
    request: &mut PreparedRequest,
    credentials: &Credentials,
    now: SystemTime,
) -> Result<(), SigningError> {
    let url =
        url::Url::parse(&request.url).map_err(|_| SigningError::NoHost(request.url.clone()))?;
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => return Err(SigningError::NoHost(request.url.clone())),
    };
    let payload = payload_hash(&request.body, credentials.unsigned_payload)?;
    let given_date = request
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("x-amz-date"))
        .map(|(_, value)| value.clone());
    let amz_date = given_date.unwrap_or_else(|| amz_date(now));
    let mut set = |name: &str, value: String| {
        request
            .headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        request.headers.push((name.to_owned(), value));
    };
    set("X-Amz-Date", amz_date.clone());
    if let Some(token) = &credentials.session_token {
        set("X-Amz-Security-Token", token.clone());
    }
    if credentials.service == "s3" || credentials.unsigned_payload {
        set("X-Amz-Content-SHA256", payload.clone());
    }
    let mut signed: Vec<(String, String)> = vec![("host".into(), host)];
    signed.extend(
        request
            .headers
            .iter()
            .filter(|(name, _)| {
                !UNSIGNED.contains(&name.to_ascii_lowercase().as_str())
                    && !name.eq_ignore_ascii_case("host")
            })
            .cloned(),
    );
    let path = if url.path().is_empty() {
        "/"
    } else {
        url.path()
    };
    let signing = Signing {
        method: &request.method,
        path,
        query: url.query().unwrap_or(""),
        headers: &signed,
        payload_hash: &payload,
        amz_date: &amz_date,
    };
    let authorization = authorization(credentials, &signing);
    request
        .headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
    request
        .headers
        .push(("Authorization".into(), authorization));
    // The secret key never leaves; the signature is good for minutes: masked where shown.
    request.secrets.push(credentials.secret_key.clone());
    Ok(())
}

/// `20150830T123600Z`.
fn amz_date(now: SystemTime) -> String {
    let timestamp = jiff::Timestamp::try_from(now).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    timestamp.strftime("%Y%m%dT%H%M%SZ").to_string()
}

fn payload_hash(body: &PreparedBody, unsigned: bool) -> Result<String, SigningError> {
    if unsigned {
        return Ok("UNSIGNED-PAYLOAD".into());
    }
    let hash = |bytes: &[u8]| hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref());
    match body {
        PreparedBody::None => Ok(EMPTY_SHA256.into()),
        PreparedBody::Bytes(bytes) => Ok(hash(bytes)),
        PreparedBody::File(path) => {
            let bytes = std::fs::read(path).map_err(|source| SigningError::BodyFile {
                path: path.display().to_string(),
                source,
            })?;
            Ok(hash(&bytes))
        }
        PreparedBody::Multipart(_) => Err(SigningError::Multipart),
    }
}

/// A request as it is signed.
pub struct Signing<'a> {
    pub method: &'a str,
    /// As sent: percent-encoded.
    pub path: &'a str,
    /// As sent, without the `?`.
    pub query: &'a str,
    /// The headers to sign, `host` among them.
    pub headers: &'a [(String, String)],
    pub payload_hash: &'a str,
    pub amz_date: &'a str,
}

/// The `Authorization` header's value.
pub fn authorization(credentials: &Credentials, signing: &Signing<'_>) -> String {
    let (canonical, signed_headers) = canonical_request(signing, &credentials.service);
    let scope = scope(credentials, signing.amz_date);
    let to_sign = string_to_sign(&canonical, signing.amz_date, &scope);
    let date = &signing.amz_date[..signing.amz_date.len().min(8)];
    let mut key = hmac(
        format!("AWS4{}", credentials.secret_key).as_bytes(),
        date.as_bytes(),
    );
    for part in [&credentials.region, &credentials.service, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    let signature = hex(&hmac(&key, to_sign.as_bytes()));
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.access_key
    )
}

fn scope(credentials: &Credentials, amz_date: &str) -> String {
    format!(
        "{}/{}/{}/aws4_request",
        &amz_date[..amz_date.len().min(8)],
        credentials.region,
        credentials.service
    )
}

/// The canonical request, and the signed headers' names.
pub fn canonical_request(signing: &Signing<'_>, service: &str) -> (String, String) {
    let path = if service == "s3" {
        signing.path.to_owned()
    } else {
        uri_encode(&normalized(signing.path), false)
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, value) in signing.headers {
        let name = name.to_ascii_lowercase();
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        match headers.iter_mut().find(|(known, _)| *known == name) {
            Some((_, values)) => {
                values.push(',');
                values.push_str(&value);
            }
            None => headers.push((name, value)),
        }
    }
    headers.sort();
    let signed: Vec<&str> = headers.iter().map(|(name, _)| name.as_str()).collect();
    let signed = signed.join(";");
    let lines: String = headers
        .iter()
        .map(|(name, value)| format!("{name}:{value}\n"))
        .collect();
    let canonical = format!(
        "{}\n{path}\n{}\n{lines}\n{signed}\n{}",
        signing.method,
        canonical_query(signing.query),
        signing.payload_hash
    );
    (canonical, signed)
}

pub fn string_to_sign(canonical: &str, amz_date: &str, scope: &str) -> String {
    let hash = hex(ring::digest::digest(&ring::digest::SHA256, canonical.as_bytes()).as_ref());
    format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hash}")
}

/// The path with `.` and `..` segments resolved and empty segments dropped; a trailing slash
/// stays.
fn normalized(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut out = format!("/{}", segments.join("/"));
    if trailing && !segments.is_empty() {
        out.push('/');
    }
    out
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                uri_encode(&percent_decoded(key), true),
                uri_encode(&percent_decoded(value), true),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// `text` with its `%XX` escapes undone (invalid UTF-8 replaced).
fn percent_decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// AWS's URI encoding: unreserved characters as they are, `/` too unless `slash` says
/// otherwise, everything else `%XX` in upper case.
fn uri_encode(text: &str, slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'.' | b'~')
            || (byte == b'/' && !slash);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    ring::hmac::sign(&key, data).as_ref().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[path = "sigv4_tests.rs"]
mod tests;
