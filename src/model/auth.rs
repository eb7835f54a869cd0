//! Request authentication. Like bodies, auth is one flat object with a `kind` on disk and the
//! [`Auth`] enum in memory. `inherit` (the default) takes the folder's or collection's auth.

use super::ValueError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawAuth", into = "RawAuth")]
pub enum Auth {
    /// Use the auth of the enclosing folder or collection.
    #[default]
    Inherit,
    /// Send no auth, whatever the enclosing folder says.
    None,
    Basic {
        username: String,
        password: String,
    },
    Bearer {
        token: String,
    },
    /// HTTP Digest (RFC 7616): the server's challenge is answered, and the request sent again.
    Digest {
        username: String,
        password: String,
    },
    ApiKey {
        name: String,
        value: String,
        location: ApiKeyLocation,
    },
    /// OAuth2 client credentials: a token from `token_url`, cached until it expires.
    OAuth2 {
        token_url: String,
        client_id: String,
        client_secret: String,
        scope: Option<String>,
    },
    /// AWS Signature Version 4: the request signed as it is sent.
    AwsSigV4(AwsSigV4),
}

/// What AWS Signature Version 4 signs with. Every field is a template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsSigV4 {
    pub access_key: String,
    pub secret_key: String,
    /// Temporary credentials' token (STS), sent as `X-Amz-Security-Token` and signed.
    pub session_token: Option<String>,
    pub region: String,
    /// `s3`, `execute-api`, `sqs`…: S3 also gets `X-Amz-Content-SHA256` and a path encoded once.
    pub service: String,
    /// Sign `UNSIGNED-PAYLOAD` instead of the body's hash (S3 allows it; for big uploads).
    pub unsigned_payload: bool,
}

impl Auth {
    pub fn is_inherit(&self) -> bool {
        matches!(self, Auth::Inherit)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ApiKeyLocation {
    #[default]
    Header,
    Query,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum AuthKind {
    Inherit,
    None,
    Basic,
    Bearer,
    Digest,
    ApiKey,
    #[serde(rename = "oauth2")]
    OAuth2,
    AwsSigv4,
}

/// Auth as written on disk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawAuth {
    kind: AuthKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "in")]
    location: Option<ApiKeyLocation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    access_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secret_key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unsigned_payload: Option<bool>,
}

impl TryFrom<RawAuth> for Auth {
    type Error = ValueError;

    fn try_from(raw: RawAuth) -> Result<Self, ValueError> {
        let need = |value: Option<String>, field: &'static str, kind: &'static str| {
            value.ok_or(ValueError::AuthNeeds { kind, field })
        };
        Ok(match raw.kind {
            AuthKind::Inherit => Auth::Inherit,
            AuthKind::None => Auth::None,
            AuthKind::Basic => Auth::Basic {
                username: need(raw.username, "username", "basic")?,
                password: raw.password.unwrap_or_default(),
            },
            AuthKind::Digest => Auth::Digest {
                username: need(raw.username, "username", "digest")?,
                password: raw.password.unwrap_or_default(),
            },
            AuthKind::Bearer => Auth::Bearer {
                token: need(raw.token, "token", "bearer")?,
            },
            AuthKind::OAuth2 => Auth::OAuth2 {
                token_url: need(raw.token_url, "token_url", "oauth2")?,
                client_id: need(raw.client_id, "client_id", "oauth2")?,
                client_secret: raw.client_secret.unwrap_or_default(),
                scope: raw.scope,
            },
            AuthKind::ApiKey => Auth::ApiKey {
                name: need(raw.name, "name", "api_key")?,
                value: need(raw.value, "value", "api_key")?,
                location: raw.location.unwrap_or_default(),
            },
            AuthKind::AwsSigv4 => Auth::AwsSigV4(AwsSigV4 {
                access_key: need(raw.access_key, "access_key", "aws_sigv4")?,
                secret_key: need(raw.secret_key, "secret_key", "aws_sigv4")?,
                session_token: raw.session_token,
                region: need(raw.region, "region", "aws_sigv4")?,
                service: need(raw.service, "service", "aws_sigv4")?,
                unsigned_payload: raw.unsigned_payload.unwrap_or(false),
            }),
        })
    }
}

impl From<Auth> for RawAuth {
    fn from(auth: Auth) -> RawAuth {
        let mut raw = RawAuth {
            kind: AuthKind::Inherit,
            username: None,
            password: None,
            token: None,
            name: None,
            value: None,
            location: None,
            token_url: None,
            client_id: None,
            client_secret: None,
            scope: None,
            access_key: None,
            secret_key: None,
            session_token: None,
            region: None,
            service: None,
            unsigned_payload: None,
        };
        match auth {
            Auth::Inherit => {}
            Auth::None => raw.kind = AuthKind::None,
            Auth::Basic { username, password } => {
                raw.kind = AuthKind::Basic;
                raw.username = Some(username);
                raw.password = Some(password);
            }
            Auth::Digest { username, password } => {
                raw.kind = AuthKind::Digest;
                raw.username = Some(username);
                raw.password = Some(password);
            }
            Auth::Bearer { token } => {
                raw.kind = AuthKind::Bearer;
                raw.token = Some(token);
            }
            Auth::OAuth2 {
                token_url,
                client_id,
                client_secret,
                scope,
            } => {
                raw.kind = AuthKind::OAuth2;
                raw.token_url = Some(token_url);
                raw.client_id = Some(client_id);
                raw.client_secret = Some(client_secret);
                raw.scope = scope;
            }
            Auth::ApiKey {
                name,
                value,
                location,
            } => {
                raw.kind = AuthKind::ApiKey;
                raw.name = Some(name);
                raw.value = Some(value);
                raw.location = Some(location);
            }
            Auth::AwsSigV4(aws) => {
                raw.kind = AuthKind::AwsSigv4;
                raw.access_key = Some(aws.access_key);
                raw.secret_key = Some(aws.secret_key);
                raw.session_token = aws.session_token;
                raw.region = Some(aws.region);
                raw.service = Some(aws.service);
                raw.unsigned_payload = aws.unsigned_payload.then_some(true);
            }
        }
        raw
    }
}
