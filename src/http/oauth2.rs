//! OAuth2 client credentials (RFC 6749 §4.4): the engine asks the token endpoint for an access
//! token (client id and secret by HTTP Basic, as the RFC prefers), keeps it until shortly before
//! it expires, and sends it as a bearer token; an expired one is fetched again. The cache is the
//! engine's, so every request with the same client shares one token.

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
}

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
}

fn refusal(error: &str, description: &str) -> String {
    format!("{error} {description}").trim_end().to_owned()
}

/// Tokens by the credentials that got them.
#[derive(Debug, Default)]
pub struct TokenCache {
    tokens: Mutex<HashMap<ClientCredentials, (String, Option<Instant>)>>,
}

impl TokenCache {
    /// A token for `credentials`: the cached one while it is fresh, else a new one.
    pub async fn token(
        &self,
        client: &reqwest::Client,
        credentials: &ClientCredentials,
    ) -> Result<String, TokenError> {
        let fresh = self
            .tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(credentials)
            .filter(|(_, expires)| expires.is_none_or(|at| Instant::now() + MARGIN < at))
            .map(|(token, _)| token.clone());
        if let Some(token) = fresh {
            return Ok(token);
        }
        let (token, lifetime) = fetch(client, credentials).await?;
        let expires = lifetime.map(|seconds| Instant::now() + Duration::from_secs(seconds));
        self.tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(credentials.clone(), (token.clone(), expires));
        Ok(token)
    }
}

/// Asks the token endpoint; returns the access token and its lifetime in seconds.
async fn fetch(
    client: &reqwest::Client,
    credentials: &ClientCredentials,
) -> Result<(String, Option<u64>), TokenError> {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        form_encode(&credentials.client_id),
        form_encode(&credentials.client_secret)
    ));
    let mut form = String::from("grant_type=client_credentials");
    if let Some(scope) = &credentials.scope {
        form.push_str(&format!("&scope={}", form_encode(scope)));
    }
    let response = client
        .post(&credentials.token_url)
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
            url: credentials.token_url.clone(),
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
    let token = json["access_token"]
        .as_str()
        .ok_or(TokenError::NoToken)?
        .to_owned();
    Ok((token, json["expires_in"].as_u64()))
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
