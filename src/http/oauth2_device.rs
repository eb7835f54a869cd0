//! The OAuth2 device authorization grant (RFC 8628), the one that works over SSH: ask the
//! device authorization endpoint for a code, tell the user where to enter it (the exchange's
//! `Waiting` event: the TUI shows it, `courier send` writes it to stderr), and poll the token
//! endpoint at the interval it asks until the user has approved, refused, or the code expired.

use std::time::{Duration, Instant};

use super::oauth2::{ClientCredentials, DEVICE_GRANT, Grant, Kept, Tell, TokenError};

/// RFC 8628 §3.2: five seconds unless the server says otherwise.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// Gets a token by the device grant from `device_url`.
pub(super) async fn authorize(
    client: &reqwest::Client,
    credentials: &ClientCredentials,
    device_url: &str,
    tell: Tell<'_>,
) -> Result<Kept, TokenError> {
    let scope: Vec<(&str, &str)> = credentials
        .scope
        .as_deref()
        .map(|scope| ("scope", scope))
        .into_iter()
        .collect();
    let answer = super::oauth2::post_form(client, credentials, device_url, &scope).await?;
    let text = |name: &str| answer[name].as_str().map(str::to_owned);
    let (Some(device_code), Some(user_code), Some(uri)) = (
        text("device_code"),
        text("user_code"),
        text("verification_uri"),
    ) else {
        return Err(TokenError::Flow(
            "device authorization: the endpoint's answer lacks device_code, user_code or \
             verification_uri"
                .into(),
        ));
    };
    let expires =
        Instant::now() + Duration::from_secs(answer["expires_in"].as_u64().unwrap_or(600));
    let mut interval = answer["interval"]
        .as_u64()
        .map_or(DEFAULT_INTERVAL, Duration::from_secs);
    let complete = text("verification_uri_complete")
        .map(|uri| format!(" (or open {uri})"))
        .unwrap_or_default();
    tell(format!(
        "OAuth2: open {uri} and enter the code {user_code}{complete}; waiting for the approval…"
    ));
    let fields = [
        ("grant_type", DEVICE_GRANT),
        ("device_code", device_code.as_str()),
    ];
    loop {
        tokio::time::sleep(interval).await;
        match super::oauth2::post_form(client, credentials, &credentials.token_url, &fields).await {
            Ok(json) => return super::oauth2::kept(&json, &Grant::DeviceCode(device_url.into())),
            Err(TokenError::Refused { error, .. }) if error == "authorization_pending" => {}
            Err(TokenError::Refused { error, .. }) if error == "slow_down" => {
                interval += Duration::from_secs(5); // §3.5
            }
            Err(TokenError::Refused { error, .. }) if error == "access_denied" => {
                return Err(TokenError::Flow(format!(
                    "device authorization: the code {user_code} was refused at {uri}"
                )));
            }
            Err(other) => return Err(other),
        }
        if Instant::now() >= expires {
            return Err(TokenError::Flow(format!(
                "device authorization: the code {user_code} expired before it was approved at {uri}"
            )));
        }
    }
}
