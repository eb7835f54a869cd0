//! Two parts of preparing a request that have a shape of their own: the auth (a header, a
//! query pair, or work the engine finishes — digest and OAuth2) and the body (rendered text,
//! form fields, multipart parts or a file), each rendered through the request's templates.

use std::path::PathBuf;

use base64::Engine as _;

use super::prepare::{PartContent, PrepareError, PreparedBody, PreparedPart, Render};
use crate::model::{ApiKeyLocation, Auth, Body, OAuth2Grant};
use crate::store::LoadedRequest;
use crate::template::Scope;

/// What of the auth the engine does itself, at send time.
#[derive(Default)]
pub struct EngineAuth {
    /// Answer a Digest challenge as this (user, password).
    pub digest: Option<(String, String)>,
    /// Get a token with these client credentials first.
    pub oauth2: Option<super::oauth2::ClientCredentials>,
    /// Sign the request as it is sent.
    pub sigv4: Option<super::sigv4::Credentials>,
}

/// An OAuth2 grant with its templates rendered.
fn rendered_grant(
    grant: &OAuth2Grant,
    render: &Render<'_>,
) -> Result<super::oauth2::Grant, PrepareError> {
    use super::oauth2::Grant;
    Ok(match grant {
        OAuth2Grant::ClientCredentials => Grant::ClientCredentials,
        OAuth2Grant::Password { username, password } => Grant::Password {
            username: render("auth username", username)?,
            password: render("auth password", password)?,
        },
        OAuth2Grant::RefreshToken { refresh_token } => {
            Grant::RefreshToken(render("auth refresh_token", refresh_token)?)
        }
        OAuth2Grant::DeviceCode {
            device_authorization_url,
        } => Grant::DeviceCode(render(
            "auth device_authorization_url",
            device_authorization_url,
        )?),
        OAuth2Grant::AuthorizationCode {
            authorization_url,
            redirect_port,
        } => Grant::AuthorizationCode {
            authorization_url: render("auth authorization_url", authorization_url)?,
            port: *redirect_port,
        },
    })
}

/// AWS SigV4 credentials with their templates rendered.
fn rendered_aws(
    aws: &crate::model::AwsSigV4,
    render: &Render<'_>,
) -> Result<super::sigv4::Credentials, PrepareError> {
    Ok(super::sigv4::Credentials {
        access_key: render("auth access_key", &aws.access_key)?,
        secret_key: render("auth secret_key", &aws.secret_key)?,
        session_token: aws
            .session_token
            .as_ref()
            .map(|text| render("auth session_token", text))
            .transpose()?,
        region: render("auth region", &aws.region)?,
        service: render("auth service", &aws.service)?,
        unsigned_payload: aws.unsigned_payload,
    })
}

/// Applies `auth`: a header or query pair set here, or what the engine is to do.
pub fn apply_auth(
    auth: &Auth,
    scope: &Scope<'_>,
    render: &Render<'_>,
    headers: &mut Vec<(String, String)>,
    query: &mut Vec<(String, String)>,
) -> Result<EngineAuth, PrepareError> {
    let mut engine = EngineAuth::default();
    match auth {
        Auth::Inherit | Auth::None => {}
        Auth::Basic { username, password } => {
            let user = render("auth username", username)?;
            let pass = render("auth password", password)?;
            let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
            // Base64 hides nothing: a secret credential makes the header's token a secret.
            let secret = (scope.secrets_used.borrow().iter())
                .any(|s| user.contains(s.as_str()) || pass.contains(s.as_str()));
            if secret {
                scope.secrets_used.borrow_mut().push(token.clone());
            }
            set_header(headers, "Authorization", format!("Basic {token}"));
        }
        Auth::Digest { username, password } => {
            engine.digest = Some((
                render("auth username", username)?,
                render("auth password", password)?,
            ));
        }
        Auth::OAuth2 {
            token_url,
            client_id,
            client_secret,
            scope,
            grant,
        } => {
            let grant = rendered_grant(grant, render)?;
            engine.oauth2 = Some(super::oauth2::ClientCredentials {
                token_url: render("auth token_url", token_url)?,
                client_id: render("auth client_id", client_id)?,
                client_secret: render("auth client_secret", client_secret)?,
                scope: scope
                    .as_ref()
                    .map(|scope| render("auth scope", scope))
                    .transpose()?,
                grant,
            });
        }
        Auth::AwsSigV4(aws) => engine.sigv4 = Some(rendered_aws(aws, render)?),
        Auth::Bearer { token } => {
            let token = render("auth token", token)?;
            set_header(headers, "Authorization", format!("Bearer {token}"));
        }
        Auth::ApiKey {
            name,
            value,
            location,
        } => {
            let name = render("auth key name", name)?;
            let value = render("auth key value", value)?;
            match location {
                ApiKeyLocation::Header => set_header(headers, &name, value),
                ApiKeyLocation::Query => query.push((name, value)),
            }
        }
    }
    Ok(engine)
}

/// The request's body, rendered, with the Content-Type it implies added to `headers` when
/// they have none (a multipart body's is the engine's, since it carries the boundary).
pub fn render_body(
    request: &LoadedRequest,
    render: &Render<'_>,
    headers: &mut Vec<(String, String)>,
) -> Result<PreparedBody, PrepareError> {
    let base_dir = request.path.parent().map(PathBuf::from).unwrap_or_default();
    let body_text = request.body_text.as_deref().unwrap_or("");
    let text_of = |kind: &Option<String>, default: &str| {
        Some(kind.clone().unwrap_or_else(|| default.to_owned()))
    };
    let (body, content_type) = match &request.request.body {
        Body::None => (PreparedBody::None, None),
        Body::Json { .. } => (
            PreparedBody::Bytes(render("body", body_text)?.into()),
            Some("application/json".to_owned()),
        ),
        Body::Text { content_type, .. } => (
            PreparedBody::Bytes(render("body", body_text)?.into()),
            text_of(content_type, "text/plain; charset=utf-8"),
        ),
        Body::Graphql { variables, .. } => {
            let query = render("body", body_text)?;
            let payload = serde_json::json!({ "query": query, "variables": variables });
            (
                PreparedBody::Bytes(payload.to_string().into()),
                Some("application/json".to_owned()),
            )
        }
        Body::Form { fields } => {
            let mut encoder = url::form_urlencoded::Serializer::new(String::new());
            for field in fields.iter().filter(|f| f.enabled) {
                let what = format!("form field `{}`", field.name);
                encoder.append_pair(&render(&what, &field.name)?, &render(&what, &field.value)?);
            }
            (
                PreparedBody::Bytes(encoder.finish().into()),
                Some("application/x-www-form-urlencoded".to_owned()),
            )
        }
        Body::Multipart { parts } => {
            let mut prepared = Vec::new();
            for part in parts.iter().filter(|p| p.enabled) {
                let what = format!("multipart part `{}`", part.name);
                let content = match (&part.file, &part.value) {
                    (Some(file), _) => PartContent::File(base_dir.join(render(&what, file)?)),
                    (None, value) => {
                        PartContent::Text(render(&what, value.as_deref().unwrap_or(""))?)
                    }
                };
                prepared.push(PreparedPart {
                    name: render(&what, &part.name)?,
                    content,
                    content_type: part.content_type.clone(),
                });
            }
            headers.retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
            (PreparedBody::Multipart(prepared), None)
        }
        Body::Binary { file, content_type } => (
            PreparedBody::File(base_dir.join(render("body file", file)?)),
            text_of(content_type, "application/octet-stream"),
        ),
    };
    let has_type = headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
    if let Some(content_type) = content_type.filter(|_| !has_type) {
        headers.push(("Content-Type".to_owned(), content_type));
    }
    Ok(body)
}

/// Sets a header, replacing any of the same name (case-insensitively).
fn set_header(headers: &mut Vec<(String, String)>, name: &str, value: String) {
    headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(name));
    headers.push((name.to_owned(), value));
}
