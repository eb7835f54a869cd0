//! The OAuth2 authorization code grant with PKCE (RFC 6749 §4.1, RFC 7636), for a native
//! app as RFC 8252 describes: a listener on 127.0.0.1 takes the redirect, the authorization
//! URL is told to the user (the exchange's `Waiting` event) and opened in a browser when there
//! is one, and the code that comes back is exchanged for a token with the verifier only this
//! process knows.

use std::time::Duration;

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::oauth2::{ClientCredentials, Grant, Kept, Tell, TokenError};

/// How long the user has to sign in.
const SIGN_IN_TIME: Duration = Duration::from_secs(300);

/// The most of the redirect's request read.
const REQUEST_LIMIT: usize = 16 * 1024;

/// Gets a token by the authorization code grant: `authorization_url` is where the user signs
/// in, `port` the loopback port the redirect comes to (any free one when None).
pub(super) async fn authorize(
    client: &reqwest::Client,
    credentials: &ClientCredentials,
    (authorization_url, port): (&str, Option<u16>),
    tell: Tell<'_>,
) -> Result<Kept, TokenError> {
    let listener = TcpListener::bind(("127.0.0.1", port.unwrap_or(0)))
        .await
        .map_err(|err| {
            TokenError::Flow(format!(
                "authorization code: cannot listen on 127.0.0.1 for the redirect: {err}"
            ))
        })?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let verifier = random_base64url(32);
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        verifier.as_bytes(),
    ));
    let state = random_base64url(16);
    let mut url = url::Url::parse(authorization_url).map_err(|err| {
        TokenError::Flow(format!(
            "authorization code: the authorization URL `{authorization_url}`: {err}"
        ))
    })?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &credentials.client_id)
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("state", &state);
    if let Some(scope) = &credentials.scope {
        url.query_pairs_mut().append_pair("scope", scope);
    }
    tell(format!(
        "OAuth2: sign in at {url} (waiting for the redirect to {redirect_uri}…)"
    ));
    open_in_browser(url.as_str());
    let code = tokio::time::timeout(SIGN_IN_TIME, redirected_code(&listener, &state))
        .await
        .map_err(|_| {
            TokenError::Flow("authorization code: no one signed in within 5 minutes".into())
        })??;
    let fields = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect_uri.as_str()),
        ("code_verifier", verifier.as_str()),
    ];
    let json =
        super::oauth2::post_form(client, credentials, &credentials.token_url, &fields).await?;
    super::oauth2::kept(&json, &Grant::ClientCredentials)
}

/// Waits for the browser's redirect; the code in it, or the authorization server's refusal.
async fn redirected_code(listener: &TcpListener, state: &str) -> Result<String, TokenError> {
    loop {
        let (mut stream, _) = listener.accept().await.map_err(|err| {
            TokenError::Flow(format!(
                "authorization code: the redirect listener failed: {err}"
            ))
        })?;
        let mut request = Vec::new();
        let mut chunk = [0u8; 2048];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < REQUEST_LIMIT {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => request.extend_from_slice(&chunk[..n]),
            }
        }
        let line = String::from_utf8_lossy(&request);
        let target = line.split_whitespace().nth(1).unwrap_or("/");
        let Some(query) = target.strip_prefix("/callback?") else {
            // A favicon or a stray request: not the redirect.
            let _ = stream
                .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
                .await;
            continue;
        };
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let field = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let (page, outcome) = match (field("code"), field("error"), field("state")) {
            (_, Some(error), _) => (
                "Not signed in: Courier was refused. You can close this tab.",
                Err(TokenError::Refused {
                    status: reqwest::StatusCode::UNAUTHORIZED,
                    error,
                    description: field("error_description").unwrap_or_default(),
                }),
            ),
            (Some(_), None, Some(given)) if given != state => (
                "Not signed in: the answer was not for this request. You can close this tab.",
                Err(TokenError::Flow(
                    "authorization code: the redirect's state does not match: not sent".into(),
                )),
            ),
            (Some(code), None, _) => (
                "Signed in. You can close this tab and go back to Courier.",
                Ok(code),
            ),
            (None, None, _) => (
                "Not signed in: the redirect had no code. You can close this tab.",
                Err(TokenError::Flow(
                    "authorization code: the redirect had no code".into(),
                )),
            ),
        };
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
            page.len()
        );
        let _ = stream.write_all(answer.as_bytes()).await;
        return outcome;
    }
}

/// Opens `url` in the user's browser when there is a display to show one on (or `$BROWSER`
/// says which); over SSH there is not, and the URL shown is what the user opens.
fn open_in_browser(url: &str) {
    let browser = std::env::var("BROWSER").ok();
    let has_display = std::env::var_os("DISPLAY").is_some()
        || std::env::var_os("WAYLAND_DISPLAY").is_some()
        || cfg!(target_os = "macos");
    let program = match (&browser, has_display) {
        (Some(browser), _) => browser.as_str(),
        (None, true) if cfg!(target_os = "macos") => "open",
        (None, true) => "xdg-open",
        (None, false) => return,
    };
    // Its output would land on the TUI's screen: none of it is kept.
    let _ = std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

fn random_base64url(bytes: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(super::random_bytes(bytes))
}
