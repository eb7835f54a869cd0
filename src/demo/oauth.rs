//! The demo server's OAuth2 endpoints: `POST /oauth/token` hands out access tokens for the
//! client `demo` with the secret `demo-secret` (client credentials, by HTTP Basic or in the
//! form), living `expires_in` seconds (`?expires_in=N`, default 3600); `GET /oauth/protected`
//! answers 200 to a live token and 401 to anything else. Tokens live in this process only.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::drain::Drained;
use http::header::{self, HeaderValue};
use http::{Request, StatusCode};
use hyper::Response;
use serde_json::json;

use super::routes::json_response;
use super::streams::DemoBody;

const CLIENT_ID: &str = "demo";
const CLIENT_SECRET: &str = "demo-secret";

/// Issued tokens and when each expires, plus how many were issued.
fn issued() -> &'static Mutex<(HashMap<String, Instant>, u64)> {
    static ISSUED: OnceLock<Mutex<(HashMap<String, Instant>, u64)>> = OnceLock::new();
    ISSUED.get_or_init(|| Mutex::new((HashMap::new(), 0)))
}

/// `POST /oauth/token`, with the request's form body already read.
pub fn token(
    request: &http::request::Parts,
    form: &[(String, String)],
    query: &[(String, String)],
) -> Response<DemoBody> {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let basic = super::routes::basic_credentials(&request.headers);
    let (id, secret) = match &basic {
        Some(pair) => {
            let (id, secret) = pair.split_once(':').unwrap_or((pair, ""));
            (id.to_owned(), secret.to_owned())
        }
        None => (
            field("client_id").unwrap_or("").to_owned(),
            field("client_secret").unwrap_or("").to_owned(),
        ),
    };
    if field("grant_type") != Some("client_credentials") {
        return json_response(
            StatusCode::BAD_REQUEST,
            json!({ "error": "unsupported_grant_type", "error_description": "only client_credentials" }),
        );
    }
    if id != CLIENT_ID || secret != CLIENT_SECRET {
        return json_response(
            StatusCode::UNAUTHORIZED,
            json!({ "error": "invalid_client", "error_description": "the demo client is demo:demo-secret" }),
        );
    }
    let lifetime: u64 = query
        .iter()
        .find(|(k, _)| k == "expires_in")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(3600);
    let token = format!("demo-{}", super::random_hex(12));
    let count = {
        let mut issued = issued().lock().unwrap_or_else(|p| p.into_inner());
        issued.0.insert(
            token.clone(),
            Instant::now() + Duration::from_secs(lifetime),
        );
        issued.1 += 1;
        issued.1
    };
    json_response(
        StatusCode::OK,
        json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": field("scope"),
            "issued": count,
        }),
    )
}

/// `GET /oauth/protected`: 200 with a live token.
pub fn protected(request: &Request<Drained>) -> Response<DemoBody> {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let live = issued()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .0
        .get(token)
        .is_some_and(|expires| Instant::now() < *expires);
    if live {
        return json_response(
            StatusCode::OK,
            json!({ "authorized": true, "token": token }),
        );
    }
    let mut response = json_response(
        StatusCode::UNAUTHORIZED,
        json!({ "authorized": false, "error": "invalid_token" }),
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"courier-demo\""),
    );
    response
}
