//! The demo server's Digest-auth endpoint, `/digest-auth/QOP/USER/PASS[/ALGORITHM]` (as
//! httpbin has it): without credentials, a 401 with a fresh challenge; with an answer, 200 when
//! it proves the password, else 401 again. Nonces are not remembered (a demo, not a vault):
//! the answer is checked against the nonce it names. The check is the server's own, written
//! from RFC 7616 and not shared with Courier's client, so a mistake in one cannot hide the
//! same mistake in the other.

use super::drain::Drained;
use http::header::{self, HeaderValue};
use http::{Request, StatusCode};
use hyper::Response;
use serde_json::json;

use super::routes::json_response;
use super::streams::DemoBody;
use md5::Md5;
use sha2::{Digest, Sha256};

/// The hash of a digest algorithm, and whether it is a `-sess` variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Algorithm {
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
}

impl Algorithm {
    fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
        }
    }

    /// `H(data)` of RFC 7616 §3.4.1: the digest in lowercase hex.
    fn h(self, data: &str) -> String {
        let digest = match self {
            Algorithm::Md5 | Algorithm::Md5Sess => Md5::digest(data).to_vec(),
            Algorithm::Sha256 | Algorithm::Sha256Sess => Sha256::digest(data).to_vec(),
        };
        digest.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

/// What a client's `Authorization: Digest …` must carry to prove `password`.
struct Expected<'a> {
    algorithm: Algorithm,
    user: &'a str,
    realm: &'a str,
    password: &'a str,
    method: &'a str,
}

impl Expected<'_> {
    /// The `response` value RFC 7616 §3.4.1 asks for, given the client's other parameters.
    fn response(&self, answer: &Answer) -> String {
        let h = |data: &str| self.algorithm.h(data);
        let secret = h(&format!("{}:{}:{}", self.user, self.realm, self.password));
        let a1 = match self.algorithm {
            Algorithm::Md5Sess | Algorithm::Sha256Sess => h(&format!(
                "{secret}:{}:{}",
                answer.get("nonce"),
                answer.get("cnonce")
            )),
            _ => secret,
        };
        let a2 = h(&format!("{}:{}", self.method, answer.get("uri")));
        if answer.get("qop").is_empty() {
            h(&format!("{a1}:{}:{a2}", answer.get("nonce")))
        } else {
            h(&format!(
                "{a1}:{}:{}:{}:{}:{a2}",
                answer.get("nonce"),
                answer.get("nc"),
                answer.get("cnonce"),
                answer.get("qop")
            ))
        }
    }
}

/// The parameters of an `Authorization: Digest` header: `name=value` or `name="quoted"`,
/// separated by commas (RFC 7235 §2.1 auth-params).
struct Answer(Vec<(String, String)>);

impl Answer {
    fn parse(text: &str) -> Answer {
        let mut params = Vec::new();
        let mut rest = text.trim_start();
        while let Some(eq) = rest.find('=') {
            let name = rest[..eq]
                .trim()
                .trim_start_matches(',')
                .trim()
                .to_ascii_lowercase();
            rest = rest[eq + 1..].trim_start();
            let mut value = String::new();
            if let Some(quoted) = rest.strip_prefix('"') {
                let mut chars = quoted.char_indices();
                let mut end = quoted.len();
                while let Some((at, c)) = chars.next() {
                    match c {
                        '\\' => value.extend(chars.next().map(|(_, c)| c)),
                        '"' => {
                            end = at + 1;
                            break;
                        }
                        c => value.push(c),
                    }
                }
                rest = &quoted[end..];
            } else {
                let end = rest.find(',').unwrap_or(rest.len());
                value = rest[..end].trim().to_owned();
                rest = &rest[end..];
            }
            params.push((name, value));
            rest = rest.trim_start().trim_start_matches(',').trim_start();
        }
        Answer(params)
    }

    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }
}

pub fn digest_auth(
    request: &Request<Drained>,
    qop: &str,
    user: &str,
    pass: &str,
    algorithm: &str,
) -> Response<DemoBody> {
    let algorithm = match algorithm.to_ascii_uppercase().as_str() {
        "MD5" => Algorithm::Md5,
        "SHA-256" => Algorithm::Sha256,
        "MD5-SESS" => Algorithm::Md5Sess,
        "SHA-256-SESS" => Algorithm::Sha256Sess,
        other => {
            return json_response(
                StatusCode::BAD_REQUEST,
                json!({ "error": format!("unknown algorithm {other}: MD5, SHA-256 or their -sess") }),
            );
        }
    };
    let realm = "courier-demo";
    let answer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Digest "))
        .map(Answer::parse);
    if let Some(answer) = answer {
        let expected = Expected {
            algorithm,
            user,
            realm,
            password: pass,
            method: request.method().as_str(),
        };
        let uri_matches = request
            .uri()
            .path_and_query()
            .is_some_and(|pq| pq.as_str() == answer.get("uri"));
        if answer.get("username") == user
            && answer.get("response") == expected.response(&answer)
            && uri_matches
        {
            return json_response(
                StatusCode::OK,
                json!({ "authenticated": true, "user": user, "algorithm": algorithm.name() }),
            );
        }
    }
    let nonce = super::random_hex(16);
    let challenge = format!(
        "Digest realm=\"{realm}\", qop=\"{qop}\", nonce=\"{nonce}\", opaque=\"demo\", algorithm={}",
        algorithm.name()
    );
    let mut response = json_response(StatusCode::UNAUTHORIZED, json!({ "authenticated": false }));
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7616 §3.9.1: Mufasa's request for /dir/index.html, with MD5 and with SHA-256.
    #[test]
    fn the_check_agrees_with_the_rfc_examples() {
        let header = r#"username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
        let answer = Answer::parse(header);
        assert_eq!(answer.get("username"), "Mufasa");
        assert_eq!(answer.get("nc"), "00000001");
        let mut expected = Expected {
            algorithm: Algorithm::Md5,
            user: "Mufasa",
            realm: "http-auth@example.org",
            password: "Circle of Life",
            method: "GET",
        };
        assert_eq!(
            expected.response(&answer),
            "8ca523f5e9506fed4657c9700eebdbec"
        );
        expected.algorithm = Algorithm::Sha256;
        assert_eq!(
            expected.response(&answer),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
        );
    }

    #[test]
    fn quoted_values_keep_their_commas_and_escapes() {
        let answer = Answer::parse(r#"realm="a, b", nonce="x\"y", nc=1"#);
        assert_eq!(answer.get("realm"), "a, b");
        assert_eq!(answer.get("nonce"), "x\"y");
        assert_eq!(answer.get("nc"), "1");
        assert_eq!(answer.get("missing"), "");
    }
}
