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
    /// OAuth2: a token from `token_url` by `grant`, cached until it expires (and refreshed
    /// with its refresh token when it has one).
    OAuth2 {
        token_url: String,
        client_id: String,
        client_secret: String,
        scope: Option<String>,
        grant: OAuth2Grant,
    },
    /// AWS Signature Version 4: the request signed as it is sent.
    AwsSigV4(AwsSigV4),
}

/// How an OAuth2 token is got (RFC 6749 §4, RFC 8628).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum OAuth2Grant {
    /// The client's own credentials (§4.4).
    #[default]
    ClientCredentials,
    /// A user's name and password (§4.3).
    Password { username: String, password: String },
    /// A refresh token given beforehand (§6).
    RefreshToken { refresh_token: String },
    /// The device authorization grant (RFC 8628): a code the user enters at a URL, anywhere.
    DeviceCode { device_authorization_url: String },
    /// The authorization code grant with PKCE (RFC 7636): the user signs in at
    /// `authorization_url` in a browser, redirected to Courier on 127.0.0.1 (`redirect_port`,
    /// or any free port).
    AuthorizationCode {
        authorization_url: String,
        redirect_port: Option<u16>,
    },
}

impl OAuth2Grant {
    /// The name written in `grant` and sent as `grant_type`.
    pub fn name(&self) -> &'static str {
        match self {
            OAuth2Grant::ClientCredentials => "client_credentials",
            OAuth2Grant::Password { .. } => "password",
            OAuth2Grant::RefreshToken { .. } => "refresh_token",
            OAuth2Grant::DeviceCode { .. } => "device_code",
            OAuth2Grant::AuthorizationCode { .. } => "authorization_code",
        }
    }
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
    grant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    device_authorization_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    authorization_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    redirect_port: Option<u16>,
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
                grant: match raw.grant.as_deref() {
                    None | Some("client_credentials") => OAuth2Grant::ClientCredentials,
                    Some("password") => OAuth2Grant::Password {
                        username: need(raw.username, "username", "oauth2 password")?,
                        password: raw.password.unwrap_or_default(),
                    },
                    Some("refresh_token") => OAuth2Grant::RefreshToken {
                        refresh_token: need(raw.refresh_token, "refresh_token", "oauth2")?,
                    },
                    Some("authorization_code") => OAuth2Grant::AuthorizationCode {
                        authorization_url: need(
                            raw.authorization_url,
                            "authorization_url",
                            "oauth2 authorization_code",
                        )?,
                        redirect_port: raw.redirect_port,
                    },
                    Some("device_code") => OAuth2Grant::DeviceCode {
                        device_authorization_url: need(
                            raw.device_authorization_url,
                            "device_authorization_url",
                            "oauth2 device_code",
                        )?,
                    },
                    Some(other) => {
                        return Err(ValueError::UnknownGrant {
                            grant: other.to_owned(),
                        });
                    }
                },
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

impl RawAuth {
    /// An OAuth2 grant's fields; the default grant is not written.
    fn write_grant(&mut self, grant: OAuth2Grant) {
        if grant != OAuth2Grant::ClientCredentials {
            self.grant = Some(grant.name().to_owned());
        }
        match grant {
            OAuth2Grant::ClientCredentials => {}
            OAuth2Grant::Password { username, password } => {
                self.username = Some(username);
                self.password = Some(password);
            }
            OAuth2Grant::RefreshToken { refresh_token } => {
                self.refresh_token = Some(refresh_token);
            }
            OAuth2Grant::DeviceCode {
                device_authorization_url,
            } => self.device_authorization_url = Some(device_authorization_url),
            OAuth2Grant::AuthorizationCode {
                authorization_url,
                redirect_port,
            } => {
                self.authorization_url = Some(authorization_url);
                self.redirect_port = redirect_port;
            }
        }
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
            grant: None,
            refresh_token: None,
            device_authorization_url: None,
            authorization_url: None,
            redirect_port: None,
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
                grant,
            } => {
                raw.kind = AuthKind::OAuth2;
                raw.token_url = Some(token_url);
                raw.client_id = Some(client_id);
                raw.client_secret = Some(client_secret);
                raw.scope = scope;
                raw.write_grant(grant);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth2_grants_and_aws_sigv4_read_and_write_back_the_same() {
        for text in [
            r#"{"kind":"oauth2","token_url":"t","client_id":"c","client_secret":"s","grant":"password","username":"ada","password":"pw"}"#,
            r#"{"kind":"oauth2","token_url":"t","client_id":"c","client_secret":"s","grant":"refresh_token","refresh_token":"r"}"#,
            r#"{"kind":"oauth2","token_url":"t","client_id":"c","client_secret":"s"}"#,
            r#"{"kind":"aws_sigv4","access_key":"a","secret_key":"s","region":"eu-west-1","service":"s3","unsigned_payload":true}"#,
        ] {
            let auth: Auth = serde_json::from_str(text).unwrap();
            let written: serde_json::Value = serde_json::to_value(&auth).unwrap();
            assert_eq!(
                written,
                serde_json::from_str::<serde_json::Value>(text).unwrap()
            );
        }
        let auth: Auth = serde_json::from_str(
            r#"{"kind":"oauth2","token_url":"t","client_id":"c","grant":"password","username":"ada"}"#,
        )
        .unwrap();
        assert!(matches!(
            auth,
            Auth::OAuth2 {
                grant: OAuth2Grant::Password { .. },
                ..
            }
        ));
        let unknown = serde_json::from_str::<Auth>(
            r#"{"kind":"oauth2","token_url":"t","client_id":"c","grant":"implicit"}"#,
        );
        assert!(
            unknown
                .unwrap_err()
                .to_string()
                .contains("`implicit` is not client_credentials")
        );
        let missing = serde_json::from_str::<Auth>(
            r#"{"kind":"aws_sigv4","access_key":"a","secret_key":"s","region":"r"}"#,
        );
        assert!(
            missing
                .unwrap_err()
                .to_string()
                .contains("aws_sigv4 auth needs `service`")
        );
    }
}
