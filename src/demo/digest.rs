//! The demo server's Digest-auth endpoint, `/digest-auth/QOP/USER/PASS[/ALGORITHM]` (as
//! httpbin has it): without credentials, a 401 with a fresh challenge; with an answer, 200 when
//! it proves the password, else 401 again. Nonces are not remembered (a demo, not a vault):
//! the answer is checked against the nonce it names.

use http::header::{self, HeaderValue};
use http::{Request, StatusCode};
use hyper::Response;
use hyper::body::Incoming;
use serde_json::json;

use super::routes::json_response;
use super::streams::DemoBody;
use crate::http::digest::{self, Algorithm};

pub fn digest_auth(
    request: &Request<Incoming>,
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
        .map(digest::parameters);
    if let Some(params) = answer {
        let get = |key: &str| {
            params
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
                .unwrap_or("")
        };
        let qop_used = (!get("qop").is_empty()).then(|| get("qop"));
        let expected = digest::response_hash(
            algorithm,
            user,
            realm,
            pass,
            get("nonce"),
            get("cnonce"),
            get("nc"),
            qop_used,
            request.method().as_str(),
            get("uri"),
        );
        let uri_matches = request
            .uri()
            .path_and_query()
            .is_some_and(|pq| pq.as_str() == get("uri"));
        if get("username") == user && get("response") == expected && uri_matches {
            return json_response(
                StatusCode::OK,
                json!({ "authenticated": true, "user": user, "algorithm": algorithm.name() }),
            );
        }
    }
    let nonce = crate::http::random_hex(16);
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
