//! The Auth tab of the request pane: its rows for the auth kind chosen (the kind first, then
//! that kind's fields), what each shows, and how a typed value or a cycled choice changes the
//! request's auth. Switching kinds keeps the username and password where both kinds have them.

use crate::model::{ApiKeyLocation, Auth, AwsSigV4, OAuth2Grant};

/// One row of the Auth tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthField {
    Kind,
    Username,
    Password,
    Token,
    KeyName,
    KeyValue,
    KeyIn,
    TokenUrl,
    ClientId,
    ClientSecret,
    Scope,
    AccessKey,
    SecretKey,
    SessionToken,
    Region,
    Service,
    UnsignedPayload,
    Grant,
    RefreshToken,
    DeviceUrl,
    AuthorizationUrl,
    RedirectPort,
}

impl AuthField {
    pub fn label(self) -> &'static str {
        match self {
            AuthField::Kind => "kind",
            AuthField::Username => "username",
            AuthField::Password => "password",
            AuthField::Token => "token",
            AuthField::KeyName => "key name",
            AuthField::KeyValue => "key value",
            AuthField::KeyIn => "sent in",
            AuthField::TokenUrl => "token URL",
            AuthField::ClientId => "client id",
            AuthField::ClientSecret => "client secret",
            AuthField::Scope => "scope",
            AuthField::AccessKey => "access key",
            AuthField::SecretKey => "secret key",
            AuthField::SessionToken => "session token",
            AuthField::Region => "region",
            AuthField::Service => "service",
            AuthField::UnsignedPayload => "payload",
            AuthField::Grant => "grant",
            AuthField::RefreshToken => "refresh token",
            AuthField::DeviceUrl => "device URL",
            AuthField::AuthorizationUrl => "sign-in URL",
            AuthField::RedirectPort => "redirect port",
        }
    }

    /// Shown masked unless secrets are revealed.
    pub fn is_secret(self) -> bool {
        matches!(
            self,
            AuthField::Password
                | AuthField::Token
                | AuthField::KeyValue
                | AuthField::ClientSecret
                | AuthField::SecretKey
                | AuthField::SessionToken
                | AuthField::RefreshToken
        )
    }

    /// Enter cycles it rather than opening an editor.
    pub fn cycles(self) -> bool {
        matches!(
            self,
            AuthField::Kind | AuthField::KeyIn | AuthField::UnsignedPayload | AuthField::Grant
        )
    }
}

/// The rows for `auth`.
pub fn fields(auth: &Auth) -> Vec<AuthField> {
    use AuthField::*;
    match auth {
        Auth::Inherit | Auth::None => vec![Kind],
        Auth::Basic { .. } | Auth::Digest { .. } => vec![Kind, Username, Password],
        Auth::Bearer { .. } => vec![Kind, Token],
        Auth::ApiKey { .. } => vec![Kind, KeyName, KeyValue, KeyIn],
        Auth::OAuth2 { grant, .. } => {
            let mut rows = vec![Kind, Grant, TokenUrl, ClientId, ClientSecret, Scope];
            match grant {
                OAuth2Grant::ClientCredentials => {}
                OAuth2Grant::Password { .. } => rows.extend([Username, Password]),
                OAuth2Grant::RefreshToken { .. } => rows.push(RefreshToken),
                OAuth2Grant::DeviceCode { .. } => rows.push(DeviceUrl),
                OAuth2Grant::AuthorizationCode { .. } => {
                    rows.extend([AuthorizationUrl, RedirectPort]);
                }
            }
            rows
        }
        Auth::AwsSigV4(_) => vec![
            Kind,
            AccessKey,
            SecretKey,
            SessionToken,
            Region,
            Service,
            UnsignedPayload,
        ],
    }
}

/// The kind as the Kind row shows it.
pub fn kind_name(auth: &Auth) -> &'static str {
    match auth {
        Auth::Inherit => "inherit (from the folder or collection)",
        Auth::None => "none",
        Auth::Basic { .. } => "basic",
        Auth::Bearer { .. } => "bearer",
        Auth::Digest { .. } => "digest",
        Auth::ApiKey { .. } => "api key",
        Auth::OAuth2 { grant, .. } => match grant {
            OAuth2Grant::ClientCredentials => "OAuth2 client credentials",
            OAuth2Grant::Password { .. } => "OAuth2 password",
            OAuth2Grant::RefreshToken { .. } => "OAuth2 refresh token",
            OAuth2Grant::DeviceCode { .. } => "OAuth2 device code",
            OAuth2Grant::AuthorizationCode { .. } => "OAuth2 authorization code (PKCE)",
        },
        Auth::AwsSigV4(_) => "AWS Signature Version 4",
    }
}

/// A row's value as shown and edited.
pub fn value(auth: &Auth, field: AuthField) -> String {
    match (auth, field) {
        (_, AuthField::Kind) => kind_name(auth).to_owned(),
        (Auth::Basic { username, .. } | Auth::Digest { username, .. }, AuthField::Username) => {
            username.clone()
        }
        (Auth::Basic { password, .. } | Auth::Digest { password, .. }, AuthField::Password) => {
            password.clone()
        }
        (Auth::Bearer { token }, AuthField::Token) => token.clone(),
        (Auth::ApiKey { name, .. }, AuthField::KeyName) => name.clone(),
        (Auth::ApiKey { value, .. }, AuthField::KeyValue) => value.clone(),
        (Auth::ApiKey { location, .. }, AuthField::KeyIn) => match location {
            ApiKeyLocation::Header => "header".to_owned(),
            ApiKeyLocation::Query => "query".to_owned(),
        },
        (Auth::OAuth2 { token_url, .. }, AuthField::TokenUrl) => token_url.clone(),
        (Auth::OAuth2 { client_id, .. }, AuthField::ClientId) => client_id.clone(),
        (Auth::OAuth2 { client_secret, .. }, AuthField::ClientSecret) => client_secret.clone(),
        (Auth::OAuth2 { scope, .. }, AuthField::Scope) => scope.clone().unwrap_or_default(),
        (Auth::OAuth2 { grant, .. }, field) => grant_value(grant, field),
        (Auth::AwsSigV4(aws), field) => aws_value(aws, field),
        _ => String::new(),
    }
}

/// Sets a typed row; returns whether the auth changed.
pub fn set(auth: &mut Auth, field: AuthField, text: &str) -> bool {
    let before = auth.clone();
    let text = text.to_owned();
    match (&mut *auth, field) {
        (Auth::Basic { username, .. } | Auth::Digest { username, .. }, AuthField::Username) => {
            *username = text
        }
        (Auth::Basic { password, .. } | Auth::Digest { password, .. }, AuthField::Password) => {
            *password = text
        }
        (Auth::Bearer { token }, AuthField::Token) => *token = text,
        (Auth::ApiKey { name, .. }, AuthField::KeyName) => *name = text,
        (Auth::ApiKey { value, .. }, AuthField::KeyValue) => *value = text,
        (Auth::OAuth2 { token_url, .. }, AuthField::TokenUrl) => *token_url = text,
        (Auth::OAuth2 { client_id, .. }, AuthField::ClientId) => *client_id = text,
        (Auth::OAuth2 { client_secret, .. }, AuthField::ClientSecret) => *client_secret = text,
        (Auth::OAuth2 { scope, .. }, AuthField::Scope) => {
            *scope = (!text.trim().is_empty()).then_some(text)
        }
        (
            Auth::OAuth2 {
                grant: OAuth2Grant::Password { username, .. },
                ..
            },
            AuthField::Username,
        ) => *username = text,
        (
            Auth::OAuth2 {
                grant: OAuth2Grant::Password { password, .. },
                ..
            },
            AuthField::Password,
        ) => *password = text,
        (
            Auth::OAuth2 {
                grant: OAuth2Grant::RefreshToken { refresh_token },
                ..
            },
            AuthField::RefreshToken,
        ) => *refresh_token = text,
        (
            Auth::OAuth2 {
                grant:
                    OAuth2Grant::DeviceCode {
                        device_authorization_url,
                    },
                ..
            },
            AuthField::DeviceUrl,
        ) => *device_authorization_url = text,
        (
            Auth::OAuth2 {
                grant:
                    OAuth2Grant::AuthorizationCode {
                        authorization_url, ..
                    },
                ..
            },
            AuthField::AuthorizationUrl,
        ) => *authorization_url = text,
        (
            Auth::OAuth2 {
                grant: OAuth2Grant::AuthorizationCode { redirect_port, .. },
                ..
            },
            AuthField::RedirectPort,
        ) => *redirect_port = text.trim().parse().ok(),
        (Auth::AwsSigV4(aws), AuthField::AccessKey) => aws.access_key = text,
        (Auth::AwsSigV4(aws), AuthField::SecretKey) => aws.secret_key = text,
        (Auth::AwsSigV4(aws), AuthField::SessionToken) => {
            aws.session_token = (!text.trim().is_empty()).then_some(text)
        }
        (Auth::AwsSigV4(aws), AuthField::Region) => aws.region = text,
        (Auth::AwsSigV4(aws), AuthField::Service) => aws.service = text,
        _ => {}
    }
    *auth != before
}

/// Enter on a choice row: the next kind (keeping a username and password), or the other side
/// an API key is sent in.
pub fn cycle(auth: &mut Auth, field: AuthField) {
    if let (Auth::AwsSigV4(aws), AuthField::UnsignedPayload) = (&mut *auth, field) {
        aws.unsigned_payload = !aws.unsigned_payload;
        return;
    }
    if let (Auth::OAuth2 { grant, .. }, AuthField::Grant) = (&mut *auth, field) {
        *grant = match grant {
            OAuth2Grant::ClientCredentials => OAuth2Grant::Password {
                username: String::new(),
                password: String::new(),
            },
            OAuth2Grant::Password { .. } => OAuth2Grant::RefreshToken {
                refresh_token: String::new(),
            },
            OAuth2Grant::RefreshToken { .. } => OAuth2Grant::DeviceCode {
                device_authorization_url: String::new(),
            },
            OAuth2Grant::DeviceCode { .. } => OAuth2Grant::AuthorizationCode {
                authorization_url: String::new(),
                redirect_port: None,
            },
            OAuth2Grant::AuthorizationCode { .. } => OAuth2Grant::ClientCredentials,
        };
        return;
    }
    if field == AuthField::KeyIn {
        if let Auth::ApiKey { location, .. } = auth {
            *location = match location {
                ApiKeyLocation::Header => ApiKeyLocation::Query,
                ApiKeyLocation::Query => ApiKeyLocation::Header,
            };
        }
        return;
    }
    let (user, pass) = match auth {
        Auth::Basic { username, password } | Auth::Digest { username, password } => {
            (username.clone(), password.clone())
        }
        _ => (String::new(), String::new()),
    };
    *auth = match auth {
        Auth::Inherit => Auth::None,
        Auth::None => Auth::Basic {
            username: user,
            password: pass,
        },
        // Basic and digest take the same credentials: the one leads to the other.
        Auth::Basic { .. } => Auth::Digest {
            username: user,
            password: pass,
        },
        Auth::Digest { .. } => Auth::Bearer {
            token: String::new(),
        },
        Auth::Bearer { .. } => Auth::ApiKey {
            name: "X-API-Key".to_owned(),
            value: String::new(),
            location: ApiKeyLocation::Header,
        },
        Auth::ApiKey { .. } => Auth::OAuth2 {
            token_url: String::new(),
            client_id: String::new(),
            client_secret: String::new(),
            scope: None,
            grant: crate::model::OAuth2Grant::ClientCredentials,
        },
        Auth::OAuth2 { .. } => Auth::AwsSigV4(AwsSigV4 {
            region: "us-east-1".to_owned(),
            ..AwsSigV4::default()
        }),
        Auth::AwsSigV4(_) => Auth::Inherit,
    };
}

fn grant_value(grant: &OAuth2Grant, field: AuthField) -> String {
    match (grant, field) {
        (_, AuthField::Grant) => grant.name().replace('_', " "),
        (OAuth2Grant::Password { username, .. }, AuthField::Username) => username.clone(),
        (OAuth2Grant::Password { password, .. }, AuthField::Password) => password.clone(),
        (OAuth2Grant::RefreshToken { refresh_token }, AuthField::RefreshToken) => {
            refresh_token.clone()
        }
        (
            OAuth2Grant::DeviceCode {
                device_authorization_url,
            },
            AuthField::DeviceUrl,
        ) => device_authorization_url.clone(),
        (
            OAuth2Grant::AuthorizationCode {
                authorization_url, ..
            },
            AuthField::AuthorizationUrl,
        ) => authorization_url.clone(),
        (OAuth2Grant::AuthorizationCode { redirect_port, .. }, AuthField::RedirectPort) => {
            redirect_port.map_or_else(|| "any free port".to_owned(), |port| port.to_string())
        }
        _ => String::new(),
    }
}

fn aws_value(aws: &AwsSigV4, field: AuthField) -> String {
    match field {
        AuthField::AccessKey => aws.access_key.clone(),
        AuthField::SecretKey => aws.secret_key.clone(),
        AuthField::SessionToken => aws.session_token.clone().unwrap_or_default(),
        AuthField::Region => aws.region.clone(),
        AuthField::Service => aws.service.clone(),
        AuthField::UnsignedPayload if aws.unsigned_payload => "UNSIGNED-PAYLOAD".to_owned(),
        AuthField::UnsignedPayload => "signed (its SHA-256)".to_owned(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_cycle_through_all_and_basic_credentials_carry_to_digest() {
        let mut auth = Auth::Basic {
            username: "ada".into(),
            password: "pw".into(),
        };
        cycle(&mut auth, AuthField::Kind);
        assert_eq!(
            auth,
            Auth::Digest {
                username: "ada".into(),
                password: "pw".into()
            },
            "basic's credentials carry over to digest"
        );
        let mut auth = Auth::Inherit;
        let mut seen = Vec::new();
        for _ in 0..8 {
            seen.push(kind_name(&auth));
            cycle(&mut auth, AuthField::Kind);
        }
        assert_eq!(auth, Auth::Inherit, "around to the start");
        assert_eq!(seen.len(), 8);
        assert_eq!(seen[7], "AWS Signature Version 4");
        let mut digest = Auth::Basic {
            username: String::new(),
            password: String::new(),
        };
        cycle(&mut digest, AuthField::Kind);
        assert!(set(&mut digest, AuthField::Username, "ada"));
        assert!(!set(&mut digest, AuthField::Username, "ada"), "unchanged");
        assert_eq!(value(&digest, AuthField::Username), "ada");
        assert_eq!(
            fields(&digest),
            [AuthField::Kind, AuthField::Username, AuthField::Password]
        );
    }
}
