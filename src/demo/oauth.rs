//! The demo server's OAuth2 endpoints: `POST /oauth/token` hands out access tokens for the
//! client `demo` with the secret `demo-secret` (by HTTP Basic or in the form), living
//! `expires_in` seconds (`?expires_in=N`, default 3600), by the grants `client_credentials`,
//! `password` (any user; the password `wrong` is refused) and `refresh_token` (a refresh
//! token it gave with a password grant); `GET /oauth/protected` answers 200 to a live token
//! and 401 to anything else. Tokens live in this process only.

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

/// The 401 for a client that is not `demo` with `demo-secret` (by HTTP Basic or in the form).
fn client_refused(
    request: &http::request::Parts,
    form: &[(String, String)],
) -> Option<Response<DemoBody>> {
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
    (id != CLIENT_ID || secret != CLIENT_SECRET).then(|| {
        refused(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "the demo client is demo:demo-secret",
        )
    })
}

/// Device grants (RFC 8628) by device code: the user code, and whether a person approved
/// (`Some(true)`), refused (`Some(false)`) or has not yet answered.
type Devices = Mutex<HashMap<String, (String, Option<bool>)>>;

fn devices() -> &'static Devices {
    static DEVICES: OnceLock<Devices> = OnceLock::new();
    DEVICES.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The device grant's `grant_type`.
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// `POST /oauth/device`: a device code and the user code to enter at `/oauth/device/verify`
/// on this server (`host`, as the request named it); polled every second.
pub fn device_authorization(
    request: &http::request::Parts,
    form: &[(String, String)],
) -> Response<DemoBody> {
    if let Some(response) = client_refused(request, form) {
        return response;
    }
    let device_code = format!("demo-device-{}", super::random_hex(12));
    let code = super::random_hex(4).to_ascii_uppercase();
    let user_code = format!("{}-{}", &code[..4], &code[4..]);
    devices()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(device_code.clone(), (user_code.clone(), None));
    let host = request
        .headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    let uri = format!("http://{host}/oauth/device/verify");
    json_response(
        StatusCode::OK,
        json!({
            "device_code": device_code,
            "user_code": user_code,
            "verification_uri": uri,
            "verification_uri_complete": format!("{uri}?user_code={user_code}"),
            "expires_in": 600,
            "interval": 1,
        }),
    )
}

/// `GET /oauth/device/verify?user_code=CODE[&deny=1]`: what a person does in the browser,
/// approving (or refusing) the code.
pub fn device_verify(query: &[(String, String)]) -> Response<DemoBody> {
    let field = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let Some(user_code) = field("user_code") else {
        return refused(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "?user_code=CODE is missing",
        );
    };
    let approve = field("deny").is_none();
    let mut devices = devices().lock().unwrap_or_else(|p| p.into_inner());
    match devices.values_mut().find(|(code, _)| code == user_code) {
        Some((_, answer)) => {
            *answer = Some(approve);
            json_response(
                StatusCode::OK,
                json!({ "user_code": user_code, "approved": approve }),
            )
        }
        None => refused(
            StatusCode::NOT_FOUND,
            "invalid_request",
            "no such user code",
        ),
    }
}

/// The device grant at the token endpoint: pending until a person answers.
fn device_granted(
    form: &[(String, String)],
) -> Result<(Option<String>, bool), Box<Response<DemoBody>>> {
    let code = form
        .iter()
        .find(|(k, _)| k == "device_code")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let answer = devices()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(code)
        .map(|(_, answer)| *answer);
    match answer {
        Some(Some(true)) => Ok((Some("device-user".to_owned()), true)),
        Some(Some(false)) => Err(Box::new(refused(
            StatusCode::BAD_REQUEST,
            "access_denied",
            "the user refused",
        ))),
        Some(None) => Err(Box::new(refused(
            StatusCode::BAD_REQUEST,
            "authorization_pending",
            "the code has not been entered yet",
        ))),
        None => Err(Box::new(refused(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "no such device code",
        ))),
    }
}

/// Authorization codes given (RFC 6749 §4.1), with the PKCE challenge and the redirect URI
/// each was given for.
fn codes() -> &'static Mutex<HashMap<String, (String, String)>> {
    static CODES: OnceLock<Mutex<HashMap<String, (String, String)>>> = OnceLock::new();
    CODES.get_or_init(|| Mutex::new(HashMap::new()))
}

/// `GET /oauth/authorize?response_type=code&client_id=demo&redirect_uri=…&code_challenge=…
/// &code_challenge_method=S256&state=…`: the sign-in page a person would see, approving at
/// once (`&deny=1` refuses): a redirect to `redirect_uri` with a code or an error.
pub fn authorize(query: &[(String, String)]) -> Response<DemoBody> {
    let field = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let (Some(redirect), Some(challenge)) = (field("redirect_uri"), field("code_challenge")) else {
        return refused(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "redirect_uri and code_challenge (PKCE, S256) are required",
        );
    };
    if field("client_id") != Some(CLIENT_ID) || field("code_challenge_method") != Some("S256") {
        return refused(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the demo client is demo, and its challenge is S256",
        );
    }
    let mut target = match url::Url::parse(redirect) {
        Ok(url) if url.host_str() == Some("127.0.0.1") => url,
        _ => {
            return refused(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "the demo redirects only to 127.0.0.1",
            );
        }
    };
    if field("deny").is_some() {
        target
            .query_pairs_mut()
            .append_pair("error", "access_denied");
    } else {
        let code = format!("demo-code-{}", super::random_hex(12));
        codes()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(code.clone(), (challenge.to_owned(), redirect.to_owned()));
        target.query_pairs_mut().append_pair("code", &code);
    }
    if let Some(state) = field("state") {
        target.query_pairs_mut().append_pair("state", state);
    }
    let mut response = json_response(StatusCode::FOUND, json!({ "redirect": target.as_str() }));
    if let Ok(location) = HeaderValue::from_str(target.as_str()) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// The authorization code grant at the token endpoint: the code once, with the verifier
/// whose S256 is the challenge it was given for.
fn code_granted(
    form: &[(String, String)],
) -> Result<(Option<String>, bool), Box<Response<DemoBody>>> {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let given = codes()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(field("code").unwrap_or(""));
    let invalid = |why: &str| {
        Err(Box::new(refused(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            why,
        )))
    };
    let Some((challenge, redirect)) = given else {
        return invalid("that code was not given, or was used already");
    };
    let verifier = field("code_verifier").unwrap_or("");
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    let expected =
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, digest);
    if expected != challenge {
        return invalid("the code_verifier does not match the code_challenge");
    }
    if field("redirect_uri") != Some(redirect.as_str()) {
        return invalid("the redirect_uri is not the one the code was given for");
    }
    Ok((Some("signed-in-user".to_owned()), true))
}

/// Refresh tokens given, with the user each stands for.
fn refresh_tokens() -> &'static Mutex<HashMap<String, String>> {
    static REFRESH: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    REFRESH.get_or_init(|| Mutex::new(HashMap::new()))
}

fn refused(status: StatusCode, error: &str, description: &str) -> Response<DemoBody> {
    json_response(
        status,
        json!({ "error": error, "error_description": description }),
    )
}

/// The grant's verdict: the user it stands for (none for the client itself) and whether a
/// refresh token comes with the answer, or why not.
fn granted(form: &[(String, String)]) -> Result<(Option<String>, bool), Box<Response<DemoBody>>> {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    match field("grant_type") {
        Some("client_credentials") => Ok((None, false)),
        Some("password") => match (field("username"), field("password")) {
            (Some(user), Some(password)) if !user.is_empty() && password != "wrong" => {
                Ok((Some(user.to_owned()), true))
            }
            _ => Err(Box::new(refused(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "the demo takes any username with any password but `wrong`",
            ))),
        },
        Some(DEVICE_GRANT) => device_granted(form),
        Some("authorization_code") => code_granted(form),
        Some("refresh_token") => {
            let token = field("refresh_token").unwrap_or("");
            let user = refresh_tokens()
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(token)
                .cloned();
            match user {
                Some(user) => Ok((Some(user), false)),
                None => Err(Box::new(refused(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    "that refresh token was not given by this server",
                ))),
            }
        }
        _ => Err(Box::new(refused(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "client_credentials, password or refresh_token",
        ))),
    }
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
    if let Some(response) = client_refused(request, form) {
        return response;
    }
    let (user, with_refresh) = match granted(form) {
        Ok(verdict) => verdict,
        Err(response) => return *response,
    };
    let lifetime: u64 = query
        .iter()
        .find(|(k, _)| k == "expires_in")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(3600);
    // The grant shows in the token, so a client's refreshing can be seen.
    let kind = match form
        .iter()
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.as_str())
    {
        Some("password") => "pw-",
        Some("refresh_token") => "rt-",
        Some("authorization_code") => "ac-",
        _ => "",
    };
    let token = format!("demo-{kind}{}", super::random_hex(12));
    let count = {
        let mut issued = issued().lock().unwrap_or_else(|p| p.into_inner());
        issued.0.insert(
            token.clone(),
            Instant::now() + Duration::from_secs(lifetime),
        );
        issued.1 += 1;
        issued.1
    };
    let mut answer = json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": lifetime,
        "scope": field("scope"),
        "issued": count,
        "user": user,
    });
    if let (true, Some(user)) = (with_refresh, user) {
        let refresh = format!("demo-refresh-{}", super::random_hex(12));
        refresh_tokens()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(refresh.clone(), user);
        answer["refresh_token"] = refresh.into();
    }
    json_response(StatusCode::OK, answer)
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
