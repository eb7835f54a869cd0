//! The demo server's signed endpoints, checked the way real APIs check them, so a request
//! signed by Courier's template functions can be seen to verify:
//!
//! - `GET /signed`: `X-Timestamp` (Unix seconds, within five minutes of now) and
//!   `X-Signature`, the hex HMAC-SHA256 of `TIMESTAMP\nMETHOD\nPATH` with the key
//!   `demo-signing-key` (the scheme of Coinbase's and many exchanges' APIs).
//! - `GET /jwt`: `Authorization: Bearer` a JWT signed HS256 with `demo-jwt-key`, not expired,
//!   whose claims are answered back.
//!
//! Written from the RFCs (2104, 7519) on ring, not with Courier's code: it checks the client.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use http::{HeaderMap, Method, StatusCode};
use hyper::Response;
use serde_json::{Value, json};

use super::routes::json_response;
use super::streams::DemoBody;

pub const SIGNING_KEY: &str = "demo-signing-key";
pub const JWT_KEY: &str = "demo-jwt-key";

/// How far a timestamp may be from now.
const SKEW_SECONDS: u64 = 300;

fn refused(why: impl Into<String>, more: Value) -> Response<DemoBody> {
    let mut body = json!({ "error": why.into() });
    if let (Value::Object(body), Value::Object(more)) = (&mut body, more) {
        body.extend(more);
    }
    json_response(StatusCode::UNAUTHORIZED, body)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `/signed` or `/jwt`, by `name`.
pub fn endpoint<B>(name: &str, request: &http::Request<B>, path: &str) -> Response<DemoBody> {
    match name {
        "signed" => signed(request.method(), path, request.headers()),
        _ => jwt(request.headers()),
    }
}

/// `GET /signed`.
fn signed(method: &Method, path: &str, headers: &HeaderMap) -> Response<DemoBody> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(timestamp), Some(signature)) = (header("x-timestamp"), header("x-signature")) else {
        return refused("X-Timestamp and X-Signature are required", json!({}));
    };
    let Ok(seconds) = timestamp.parse::<u64>() else {
        return refused("X-Timestamp is not Unix seconds", json!({}));
    };
    if seconds.abs_diff(now()) > SKEW_SECONDS {
        return refused(
            "X-Timestamp is more than five minutes away",
            json!({ "now": now() }),
        );
    }
    let signed = format!("{timestamp}\n{method}\n{path}");
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, SIGNING_KEY.as_bytes());
    let matches = hex_bytes(signature)
        .is_some_and(|given| ring::hmac::verify(&key, signed.as_bytes(), &given).is_ok());
    if !matches {
        return refused(
            "the signature does not match",
            json!({ "signed_text": signed, "scheme": "hex(HMAC-SHA256(key, TIMESTAMP\\nMETHOD\\nPATH))" }),
        );
    }
    json_response(
        StatusCode::OK,
        json!({ "verified": true, "signed_text": signed }),
    )
}

/// `GET /jwt`.
fn jwt(headers: &HeaderMap) -> Response<DemoBody> {
    let token = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(token) = token else {
        return refused("Authorization: Bearer TOKEN is required", json!({}));
    };
    match verify_hs256(token) {
        Ok(claims) => json_response(
            StatusCode::OK,
            json!({ "verified": true, "claims": claims }),
        ),
        Err(why) => refused(why, json!({})),
    }
}

fn verify_hs256(token: &str) -> Result<Value, String> {
    let decode = |part: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|_| "a part of the token is not base64url".to_owned())
    };
    let [header, claims, signature] = token.split('.').collect::<Vec<_>>()[..] else {
        return Err("a JWT has three parts".into());
    };
    let header: Value =
        serde_json::from_slice(&decode(header)?).map_err(|_| "its header is not JSON")?;
    if header["alg"] != "HS256" {
        return Err(format!("alg is {}, not HS256", header["alg"]));
    }
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, JWT_KEY.as_bytes());
    let signed = &token[..token.rfind('.').unwrap_or(0)];
    ring::hmac::verify(&key, signed.as_bytes(), &decode(signature)?)
        .map_err(|_| "the signature does not match".to_owned())?;
    let claims: Value =
        serde_json::from_slice(&decode(claims)?).map_err(|_| "its claims are not JSON")?;
    match claims["exp"].as_u64() {
        Some(exp) if exp > now() => Ok(claims),
        Some(_) => Err("the token has expired".into()),
        None => Err("the token has no exp".into()),
    }
}

fn hex_bytes(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}
