//! HTTP Digest authentication (RFC 7616): reading a server's `WWW-Authenticate: Digest`
//! challenge and answering it. MD5, SHA-256 and their `-sess` variants, with `qop=auth` (or
//! none, for RFC 2069 servers); `auth-int` is refused with a clear reason. The demo server
//! checks answers with its own code, so the two cannot share a mistake.

use md5::Md5;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
}

impl Algorithm {
    fn parse(text: &str) -> Option<Algorithm> {
        match text.to_ascii_uppercase().as_str() {
            "MD5" => Some(Algorithm::Md5),
            "MD5-SESS" => Some(Algorithm::Md5Sess),
            "SHA-256" => Some(Algorithm::Sha256),
            "SHA-256-SESS" => Some(Algorithm::Sha256Sess),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
        }
    }

    fn hash(self, text: &str) -> String {
        let bytes: Vec<u8> = match self {
            Algorithm::Md5 | Algorithm::Md5Sess => Md5::digest(text.as_bytes()).to_vec(),
            Algorithm::Sha256 | Algorithm::Sha256Sess => Sha256::digest(text.as_bytes()).to_vec(),
        };
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn is_session(self) -> bool {
        matches!(self, Algorithm::Md5Sess | Algorithm::Sha256Sess)
    }
}

/// A server's digest challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub realm: String,
    pub nonce: String,
    /// The qop values offered (empty: none, the old RFC 2069 form).
    pub qop: Vec<String>,
    pub algorithm: Algorithm,
    pub opaque: Option<String>,
}

/// `key=value` and `key="quoted, value"` pairs, comma-separated.
pub fn parameters(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else {
            break;
        };
        let key = rest[..eq]
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        rest = rest[eq + 1..].trim_start();
        let value;
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut end = None;
            let mut escaped = false;
            for (i, c) in quoted.char_indices() {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => {
                        end = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            let end = end.unwrap_or(quoted.len());
            value = quoted[..end].replace("\\\"", "\"").replace("\\\\", "\\");
            rest = quoted.get(end + 1..).unwrap_or("");
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            value = rest[..end].trim().to_owned();
            rest = &rest[end..];
        }
        rest = rest.trim_start().trim_start_matches(',').trim_start();
        out.push((key, value));
    }
    out
}

/// Why a server's digest challenge cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestError {
    #[error("the server asked for `{0}`, not Digest")]
    NotDigest(String),
    #[error("the digest algorithm `{0}` is not supported")]
    Algorithm(String),
    #[error("the digest challenge has no nonce")]
    NoNonce,
    #[error("the server offers digest qop {} only; Courier answers qop=auth", .0.join(", "))]
    Qop(Vec<String>),
}

/// The digest challenge in a `WWW-Authenticate` value, or why it cannot be answered.
pub fn parse_challenge(header: &str) -> Result<Challenge, DigestError> {
    let Some(rest) = header
        .trim()
        .strip_prefix("Digest ")
        .or_else(|| header.trim().strip_prefix("digest "))
    else {
        return Err(DigestError::NotDigest(header.to_owned()));
    };
    let params = parameters(rest);
    let get = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let algorithm = match get("algorithm") {
        None => Algorithm::Md5,
        Some(name) => {
            Algorithm::parse(&name).ok_or_else(|| DigestError::Algorithm(name.clone()))?
        }
    };
    Ok(Challenge {
        realm: get("realm").unwrap_or_default(),
        nonce: get("nonce").ok_or(DigestError::NoNonce)?,
        qop: get("qop")
            .map(|q| q.split(',').map(|v| v.trim().to_owned()).collect())
            .unwrap_or_default(),
        algorithm,
        opaque: get("opaque"),
    })
}

/// The `response` value: what the client proves and the server checks.
#[allow(clippy::too_many_arguments)]
pub fn response_hash(
    algorithm: Algorithm,
    username: &str,
    realm: &str,
    password: &str,
    nonce: &str,
    cnonce: &str,
    nc: &str,
    qop: Option<&str>,
    method: &str,
    uri: &str,
) -> String {
    let mut ha1 = algorithm.hash(&format!("{username}:{realm}:{password}"));
    if algorithm.is_session() {
        ha1 = algorithm.hash(&format!("{ha1}:{nonce}:{cnonce}"));
    }
    let ha2 = algorithm.hash(&format!("{method}:{uri}"));
    match qop {
        Some(qop) => algorithm.hash(&format!("{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")),
        None => algorithm.hash(&format!("{ha1}:{nonce}:{ha2}")),
    }
}

/// The `Authorization` value answering `challenge` for `method` on `uri` (path and query).
pub fn authorization(
    challenge: &Challenge,
    username: &str,
    password: &str,
    method: &str,
    uri: &str,
    cnonce: &str,
) -> Result<String, DigestError> {
    let qop = if challenge.qop.is_empty() {
        None
    } else if challenge.qop.iter().any(|q| q == "auth") {
        Some("auth")
    } else {
        return Err(DigestError::Qop(challenge.qop.clone()));
    };
    let nc = "00000001";
    let response = response_hash(
        challenge.algorithm,
        username,
        &challenge.realm,
        password,
        &challenge.nonce,
        cnonce,
        nc,
        qop,
        method,
        uri,
    );
    let quote = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"");
    let mut value = format!(
        "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", algorithm={}, response=\"{response}\"",
        quote(username),
        quote(&challenge.realm),
        quote(&challenge.nonce),
        quote(uri),
        challenge.algorithm.name(),
    );
    if let Some(qop) = qop {
        value.push_str(&format!(", qop={qop}, nc={nc}, cnonce=\"{cnonce}\""));
    }
    if let Some(opaque) = &challenge.opaque {
        value.push_str(&format!(", opaque=\"{}\"", quote(opaque)));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_7616_example_is_answered_exactly() {
        // RFC 7616 §3.9.1: Mufasa, "Circle of Life", GET /dir/index.html.
        let header = r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
        let challenge = parse_challenge(header).unwrap();
        assert_eq!(challenge.algorithm, Algorithm::Sha256);
        assert_eq!(challenge.qop, ["auth", "auth-int"]);
        let response = response_hash(
            Algorithm::Sha256,
            "Mufasa",
            &challenge.realm,
            "Circle of Life",
            &challenge.nonce,
            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
            "00000001",
            Some("auth"),
            "GET",
            "/dir/index.html",
        );
        assert_eq!(
            response,
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
        );
        let md5 = response_hash(
            Algorithm::Md5,
            "Mufasa",
            &challenge.realm,
            "Circle of Life",
            &challenge.nonce,
            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
            "00000001",
            Some("auth"),
            "GET",
            "/dir/index.html",
        );
        assert_eq!(
            md5, "8ca523f5e9506fed4657c9700eebdbec",
            "the same example in MD5"
        );
    }

    #[test]
    fn the_authorization_header_carries_what_the_server_needs() {
        let challenge =
            parse_challenge(r#"Digest realm="r", nonce="n\"1", qop="auth", opaque="o""#).unwrap();
        assert_eq!(challenge.nonce, "n\"1", "quoted values unescape");
        let value = authorization(&challenge, "ada", "pw", "GET", "/p?q=1", "c1").unwrap();
        assert!(value.starts_with("Digest username=\"ada\", realm=\"r\", nonce=\"n\\\"1\""));
        assert!(value.contains("uri=\"/p?q=1\""));
        assert!(value.contains("qop=auth, nc=00000001, cnonce=\"c1\""));
        assert!(value.ends_with("opaque=\"o\""));
        let only_int = parse_challenge(r#"Digest realm="r", nonce="n", qop="auth-int""#).unwrap();
        assert!(authorization(&only_int, "a", "b", "GET", "/", "c").is_err());
        assert!(parse_challenge("Basic realm=\"x\"").is_err());
        assert!(parse_challenge("Digest realm=\"x\", nonce=\"n\", algorithm=SHA-512").is_err());
    }
}
