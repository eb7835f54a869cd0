//! OAuth2 tokens (RFC 6749): the engine asks the token endpoint for an access token by the
//! request's grant (client credentials §4.4, a user's password §4.3, or a refresh token §6;
//! the client id and secret by HTTP Basic, as the RFC prefers), keeps it until shortly before
//! it expires, and sends it as a bearer token. An expired one is refreshed with the refresh
//! token that came with it, when one did (§6), and fetched again by the grant when that
//! fails. The cache is the engine's, so every request with the same client and grant shares
//! one token.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;

/// What a request needs to get a token.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientCredentials {
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub scope: Option<String>,
    pub grant: Grant,
}

/// The grant a token is asked for by, its values rendered.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Grant {
    ClientCredentials,
    Password {
        username: String,
        password: String,
    },
    RefreshToken(String),
    /// RFC 8628: a code for the user to enter at a URL, while the token endpoint is polled.
    /// Holds the device authorization endpoint.
    DeviceCode(String),
    /// RFC 6749 §4.1 with PKCE (RFC 7636): the user signs in at the authorization URL and is
    /// redirected to a listener on 127.0.0.1 (on `port`, or any free one).
    AuthorizationCode {
        authorization_url: String,
        port: Option<u16>,
    },
}

impl Grant {
    /// The form's fields for this grant.
    fn fields(&self) -> Vec<(&'static str, &str)> {
        match self {
            Grant::ClientCredentials => vec![("grant_type", "client_credentials")],
            Grant::Password { username, password } => vec![
                ("grant_type", "password"),
                ("username", username),
                ("password", password),
            ],
            Grant::RefreshToken(token) => {
                vec![("grant_type", "refresh_token"), ("refresh_token", token)]
            }
            // The device code itself is added by the polling (`device::poll`).
            Grant::DeviceCode(_) => vec![("grant_type", DEVICE_GRANT)],
            // The code and its verifier are added by `oauth2_pkce`.
            Grant::AuthorizationCode { .. } => vec![("grant_type", "authorization_code")],
        }
    }
}

/// A token as the cache keeps it.
#[derive(Debug, Clone)]
pub(super) struct Kept {
    access: String,
    expires: Option<Instant>,
    refresh: Option<String>,
}

/// The device grant's `grant_type` (RFC 8628 §3.4).
pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Where a device grant tells the user what to do: the exchange's `Waiting` events.
pub type Tell<'a> = &'a (dyn Fn(String) + Send + Sync);

/// A token is fetched again this long before it expires, so none is sent stale.
const MARGIN: Duration = Duration::from_secs(10);

/// Why no token came from the token endpoint.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("cannot reach the token endpoint {url}: {source}")]
    Unreachable { url: String, source: reqwest::Error },
    #[error("the token endpoint's answer broke off: {0}")]
    BrokeOff(reqwest::Error),
    /// `shown` is the start of the answer, made safe to show.
    #[error("the token endpoint answered {status} with something that is not JSON: {shown}")]
    NotJson {
        status: reqwest::StatusCode,
        shown: String,
    },
    #[error(
        "the token endpoint refused ({status}): {}",
        refusal(error, description)
    )]
    Refused {
        status: reqwest::StatusCode,
        error: String,
        description: String,
    },
    #[error("the token endpoint's answer has no access_token")]
    NoToken,
    /// An interactive grant's own failure: the code refused or expired, no redirect.
    #[error("{0}")]
    Flow(String),
}

fn refusal(error: &str, description: &str) -> String {
    format!("{error} {description}").trim_end().to_owned()
}

/// Tokens by the credentials that got them.
#[derive(Debug, Default)]
pub struct TokenCache {
    tokens: Mutex<HashMap<ClientCredentials, Kept>>,
}

impl TokenCache {
    /// A token for `credentials`: the cached one while it is fresh, else a refreshed one
    /// (when it came with a refresh token), else a new one.
    pub async fn token(
        &self,
        client: &reqwest::Client,
        credentials: &ClientCredentials,
        tell: Tell<'_>,
    ) -> Result<String, TokenError> {
        let kept = self
            .tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(credentials)
            .cloned();
        if let Some(kept) = &kept
            && kept.expires.is_none_or(|at| Instant::now() + MARGIN < at)
        {
            return Ok(kept.access.clone());
        }
        let refreshed = match kept.and_then(|kept| kept.refresh) {
            Some(refresh) => {
                let grant = Grant::RefreshToken(refresh);
                fetch(client, credentials, &grant).await.ok()
            }
            None => None,
        };
        let fetched = match (refreshed, &credentials.grant) {
            (Some(fetched), _) => fetched,
            (None, Grant::DeviceCode(url)) => {
                super::oauth2_device::authorize(client, credentials, url, tell).await?
            }
            (
                None,
                Grant::AuthorizationCode {
                    authorization_url,
                    port,
                },
            ) => {
                let at = (authorization_url.as_str(), *port);
                super::oauth2_pkce::authorize(client, credentials, at, tell).await?
            }
            (None, grant) => fetch(client, credentials, grant).await?,
        };
        let access = fetched.access.clone();
        self.tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(credentials.clone(), fetched);
        Ok(access)
    }
}

/// Asks the token endpoint by `grant`.
async fn fetch(
    client: &reqwest::Client,
    credentials: &ClientCredentials,
    grant: &Grant,
) -> Result<Kept, TokenError> {
    let mut fields = grant.fields();
    // A refresh asks for the scope granted, by leaving it out (§6): naming one the server
    // did not grant (it may drop `offline_access`) is refused.
    if let (Some(scope), false) = (&credentials.scope, matches!(grant, Grant::RefreshToken(_))) {
        fields.push(("scope", scope));
    }
    let json = post_form(client, credentials, &credentials.token_url, &fields).await?;
    kept(&json, grant)
}

/// POSTs `fields` to `url` as the client, by HTTP Basic; the answer's JSON, or the endpoint's
/// refusal.
pub(super) async fn post_form(
    client: &reqwest::Client,
    credentials: &ClientCredentials,
    url: &str,
    fields: &[(&str, &str)],
) -> Result<serde_json::Value, TokenError> {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        form_encode(&credentials.client_id),
        form_encode(&credentials.client_secret)
    ));
    let form = fields
        .iter()
        .map(|(name, value)| format!("{name}={}", form_encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    let response = client
        .post(url)
        .header(reqwest::header::AUTHORIZATION, format!("Basic {basic}"))
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(reqwest::header::ACCEPT, "application/json")
        .body(form)
        .send()
        .await
        .map_err(|source| TokenError::Unreachable {
            url: url.to_owned(),
            source,
        })?;
    let status = response.status();
    let body = response.bytes().await.map_err(TokenError::BrokeOff)?;
    let json: serde_json::Value =
        serde_json::from_slice(&body).map_err(|_| TokenError::NotJson {
            status,
            shown: crate::body::make_visible(&body[..body.len().min(200)]).text,
        })?;
    if !status.is_success() {
        return Err(TokenError::Refused {
            status,
            error: json["error"]
                .as_str()
                .unwrap_or("no error given")
                .to_owned(),
            description: json["error_description"].as_str().unwrap_or("").to_owned(),
        });
    }
    Ok(json)
}

/// The token in a token endpoint's answer, as the cache keeps it.
pub(super) fn kept(json: &serde_json::Value, grant: &Grant) -> Result<Kept, TokenError> {
    let access = json["access_token"]
        .as_str()
        .ok_or(TokenError::NoToken)?
        .to_owned();
    Ok(Kept {
        access,
        expires: json["expires_in"]
            .as_u64()
            .map(|seconds| Instant::now() + Duration::from_secs(seconds)),
        // A refresh grant may answer without a new refresh token: the old one still holds.
        refresh: json["refresh_token"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| match grant {
                Grant::RefreshToken(token) => Some(token.clone()),
                _ => None,
            }),
    })
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
