//! The demo server's log-in session, for request chaining: `POST /login` with a JSON body
//! `{"username": …, "password": …}` (any non-empty pair; the password `wrong` is refused)
//! answers with a session token in the body (`.token`) and in the `X-Session-Token` header,
//! and how many times that user has logged in; `GET /me` answers 200 to a live token, sent as
//! `Authorization: Bearer …` or `X-Session-Token`, and 401 to anything else. Sessions live in
//! this process only; counting log-ins per user lets tests see whether a login was sent again.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use http::header::{self, HeaderValue};
use http::{HeaderMap, StatusCode};
use hyper::Response;
use serde_json::json;

use super::routes::json_response;
use super::streams::DemoBody;

#[derive(Default)]
struct Sessions {
    /// Token to user name.
    tokens: HashMap<String, String>,
    /// Log-ins so far, by user name.
    logins: HashMap<String, u64>,
}

fn sessions() -> &'static Mutex<Sessions> {
    static SESSIONS: OnceLock<Mutex<Sessions>> = OnceLock::new();
    SESSIONS.get_or_init(Default::default)
}

/// `POST /login`, with the request's body already read.
pub fn login(body: &[u8]) -> Response<DemoBody> {
    let credentials: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(err) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                json!({ "error": format!("the body is not JSON: {err}") }),
            );
        }
    };
    let field = |name: &str| credentials.get(name).and_then(|v| v.as_str()).unwrap_or("");
    let (username, password) = (field("username"), field("password"));
    if username.is_empty() || password.is_empty() {
        return json_response(
            StatusCode::BAD_REQUEST,
            json!({ "error": "send {\"username\": …, \"password\": …}" }),
        );
    }
    if password == "wrong" {
        return json_response(
            StatusCode::UNAUTHORIZED,
            json!({ "error": "wrong password" }),
        );
    }
    let token = format!("sess-{}", super::random_hex(12));
    let logins = {
        let mut sessions = sessions().lock().unwrap_or_else(|p| p.into_inner());
        sessions.tokens.insert(token.clone(), username.to_owned());
        let count = sessions.logins.entry(username.to_owned()).or_default();
        *count += 1;
        *count
    };
    let mut response = json_response(
        StatusCode::OK,
        json!({ "token": token, "user": { "name": username, "logins": logins } }),
    );
    if let Ok(value) = HeaderValue::from_str(&token) {
        response.headers_mut().insert("x-session-token", value);
    }
    response
}

/// `GET /me`: who the session token belongs to.
pub fn me(headers: &HeaderMap) -> Response<DemoBody> {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let token = header(header::AUTHORIZATION.as_str())
        .and_then(|v| v.strip_prefix("Bearer "))
        .or_else(|| header("x-session-token"))
        .unwrap_or("");
    let sessions = sessions().lock().unwrap_or_else(|p| p.into_inner());
    match sessions.tokens.get(token) {
        Some(user) => json_response(
            StatusCode::OK,
            json!({ "user": user, "logins": sessions.logins.get(user).copied().unwrap_or(0) }),
        ),
        None => json_response(
            StatusCode::UNAUTHORIZED,
            json!({ "error": "no session: log in with POST /login and send its token" }),
        ),
    }
}
