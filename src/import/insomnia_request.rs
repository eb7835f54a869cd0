//! One Insomnia request or folder as Courier's: its URL (`/:id` path parameters as `{{id}}`
//! request variables), query, headers and body (by its `mimeType`), auth, redirect setting,
//! description and scripts. The fields are the same in v4 and v5 exports, but for where v5
//! keeps the description (`meta`), the scripts (`scripts`) and the settings (`settings`).
//! Every template goes through [`Templates`].

use serde_json::Value;

use super::insomnia_template::Templates;
use super::postman::{scalar, text};
use super::tree::{ImportedFolder, ImportedRequest, Losses, Script};
use crate::model::{
    ApiKeyLocation, Auth, Body, FolderMeta, KeyValue, Method, MultipartPart, Request, Variables,
};

/// What a request or folder is read with.
pub struct Reader<'a> {
    pub templates: Templates<'a>,
    pub losses: &'a mut Losses,
}

impl Reader<'_> {
    fn convert(&mut self, text: &str, place: &str) -> String {
        self.templates.convert(text, place, self.losses)
    }

    /// The request in `value`, found at `place`.
    pub fn request(&mut self, value: &Value, place: &str) -> ImportedRequest {
        let method_text = text(value.get("method")).unwrap_or_else(|| "GET".to_owned());
        let method = Method::try_from(method_text.to_ascii_uppercase()).unwrap_or_else(|_| {
            self.losses.add(
                place,
                format!("`{method_text}` is no HTTP method: GET instead"),
            );
            Method::get()
        });
        let url = self.convert(
            &text(value.get("url")).unwrap_or_default(),
            &format!("{place}/url"),
        );
        let name = text(value.get("name"))
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| super::name_from_url(&url));
        let mut request = Request::new(name, method, path_templates(&url));
        for pair in value
            .get("pathParameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = text(pair.get("name")) {
                let value = self.convert(
                    &scalar(pair.get("value")),
                    &format!("{place}/pathParameters"),
                );
                request.variables.insert(name, value);
            }
        }
        request.query = self.pairs(value.get("parameters"), &format!("{place}/parameters"));
        request.headers = self.pairs(value.get("headers"), &format!("{place}/headers"));
        request.description = description(value);
        request.auth = self.auth(
            value.get("authentication"),
            &format!("{place}/authentication"),
        );
        let body_text = self.body(value.get("body"), &mut request, &format!("{place}/body"));
        match follow_redirects(value) {
            Some("off") => request.options.redirects.follow = Some(false),
            Some("on") => request.options.redirects.follow = Some(true),
            _ => {}
        }
        let scripts = scripts(value, place);
        ImportedRequest {
            request,
            body_text,
            examples: Vec::new(),
            scripts,
        }
    }

    /// A folder's own settings: its description, headers, auth and environment (as its
    /// variables, nested values flattened to dotted names).
    pub fn folder(&mut self, value: &Value, place: &str) -> ImportedFolder {
        let mut meta = FolderMeta {
            description: description(value),
            headers: self.pairs(value.get("headers"), &format!("{place}/headers")),
            auth: self.auth(
                value.get("authentication"),
                &format!("{place}/authentication"),
            ),
            ..FolderMeta::default()
        };
        flatten(value.get("environment"), "", &mut meta.variables);
        let converted: Vec<(String, String)> = meta
            .variables
            .iter()
            .map(|(k, v)| (k.clone(), self.convert(v, &format!("{place}/environment"))))
            .collect();
        meta.variables = converted.into_iter().collect();
        ImportedFolder {
            name: text(value.get("name")).unwrap_or_else(|| "folder".to_owned()),
            meta,
            items: Vec::new(),
            scripts: scripts(value, place),
        }
    }

    /// A field of an auth object, its templates converted.
    fn field(&mut self, auth: &Value, name: &str, place: &str) -> String {
        self.convert(&scalar(auth.get(name)), place)
    }

    /// Name/value pairs (`disabled` ones kept, off).
    fn pairs(&mut self, value: Option<&Value>, place: &str) -> Vec<KeyValue> {
        let mut out = Vec::new();
        for pair in value.and_then(Value::as_array).into_iter().flatten() {
            let Some(name) = text(pair.get("name")).filter(|n| !n.is_empty()) else {
                continue;
            };
            out.push(KeyValue {
                enabled: pair.get("disabled").and_then(Value::as_bool) != Some(true),
                ..KeyValue::new(
                    self.convert(&name, place),
                    self.convert(&scalar(pair.get("value")), place),
                )
            });
        }
        out
    }

    /// Auth: `{}` or a disabled one inherits; `none` stops inheritance.
    fn auth(&mut self, value: Option<&Value>, place: &str) -> Auth {
        let Some(auth) = value.filter(|v| v.get("type").is_some()) else {
            return Auth::Inherit;
        };
        if auth.get("disabled").and_then(Value::as_bool) == Some(true) {
            return Auth::Inherit;
        }
        let kind = text(auth.get("type")).unwrap_or_default();
        match kind.as_str() {
            "none" => Auth::None,
            "basic" => Auth::Basic {
                username: self.field(auth, "username", place),
                password: self.field(auth, "password", place),
            },
            "digest" => Auth::Digest {
                username: self.field(auth, "username", place),
                password: self.field(auth, "password", place),
            },
            "bearer" => {
                let prefix = self.field(auth, "prefix", place);
                if !prefix.trim().is_empty() && !prefix.trim().eq_ignore_ascii_case("bearer") {
                    self.losses.add(place, format!("the token's prefix `{prefix}` is not Bearer: sent as Bearer, change the Authorization header if the API wants `{prefix}`"));
                }
                Auth::Bearer {
                    token: self.convert(&scalar(auth.get("token")), place),
                }
            }
            "apikey" => {
                let location = match text(auth.get("addTo")).as_deref() {
                    Some("queryParams") => ApiKeyLocation::Query,
                    Some("cookie") => {
                        self.losses.add(place, "an API key sent as a cookie: sent as a header of that name instead; make it a Cookie header if the API wants one");
                        ApiKeyLocation::Header
                    }
                    _ => ApiKeyLocation::Header,
                };
                Auth::ApiKey {
                    name: self.field(auth, "key", place),
                    value: self.field(auth, "value", place),
                    location,
                }
            }
            "oauth2" => self.oauth2(auth, place),
            "iam" => {
                let token = self.field(auth, "sessionToken", place);
                Auth::AwsSigV4(crate::model::AwsSigV4 {
                    access_key: self.field(auth, "accessKeyId", place),
                    secret_key: self.field(auth, "secretAccessKey", place),
                    session_token: (!token.is_empty()).then_some(token),
                    region: self.field(auth, "region", place),
                    service: self.field(auth, "service", place),
                    unsigned_payload: false,
                })
            }
            other => {
                self.losses.add(
                    place,
                    format!(
                        "`{other}` auth has no Courier equivalent: the request inherits instead"
                    ),
                );
                Auth::Inherit
            }
        }
    }

    fn oauth2(&mut self, auth: &Value, place: &str) -> Auth {
        use crate::model::OAuth2Grant;
        let grant = text(auth.get("grantType")).unwrap_or_default();
        let pkce = auth.get("usePkce").and_then(Value::as_bool) == Some(true);
        let courier_grant = match grant.as_str() {
            "client_credentials" => Some(OAuth2Grant::ClientCredentials),
            "password" => Some(OAuth2Grant::Password {
                username: self.field(auth, "username", place),
                password: self.field(auth, "password", place),
            }),
            "authorization_code" if pkce => Some(OAuth2Grant::AuthorizationCode {
                authorization_url: self.field(auth, "authorizationUrl", place),
                redirect_port: None,
            }),
            _ => None,
        };
        if let Some(courier_grant) = courier_grant {
            let scope = self.field(auth, "scope", place);
            return Auth::OAuth2 {
                token_url: self.field(auth, "accessTokenUrl", place),
                client_id: self.field(auth, "clientId", place),
                client_secret: self.field(auth, "clientSecret", place),
                scope: (!scope.is_empty()).then_some(scope),
                grant: courier_grant,
            };
        }
        let token = self.field(auth, "accessToken", place);
        if token.is_empty() {
            self.losses.add(place, format!("OAuth 2 by the `{grant}` grant: Courier's grants are client credentials, password and authorization code with PKCE (besides refresh token and device code), so the request inherits"));
            return Auth::Inherit;
        }
        self.losses.add(place, format!("OAuth 2 by the `{grant}` grant: its saved token is sent as a Bearer token, never refreshed"));
        Auth::Bearer { token }
    }

    /// The body by its `mimeType`; its text, for a kind kept in a sidecar.
    fn body(
        &mut self,
        value: Option<&Value>,
        request: &mut Request,
        place: &str,
    ) -> Option<String> {
        let body = value.filter(|v| v.is_object())?;
        let mime = text(body.get("mimeType"))
            .unwrap_or_default()
            .to_ascii_lowercase();
        let essence = mime.split(';').next().unwrap_or_default().trim().to_owned();
        let body_text = text(body.get("text")).map(|t| self.convert(&t, place));
        match essence.as_str() {
            "application/x-www-form-urlencoded" => {
                request.body = Body::Form {
                    fields: self.pairs(body.get("params"), place),
                };
                None
            }
            "multipart/form-data" => {
                request.body = Body::Multipart {
                    parts: self.parts(body.get("params"), place),
                };
                // Courier writes the boundary; a bare multipart Content-Type would lose it.
                request
                    .headers
                    .retain(|h| !h.name.eq_ignore_ascii_case("content-type"));
                None
            }
            "application/octet-stream" if body.get("fileName").is_some() => {
                let file = text(body.get("fileName")).unwrap_or_default();
                self.losses.add(place, format!("the file body `{file}` is named as exported (an absolute path on the machine that exported it): check it"));
                request.body = Body::Binary {
                    file,
                    content_type: Some(mime),
                };
                None
            }
            "application/graphql" => {
                let payload: Value =
                    serde_json::from_str(body_text.as_deref().unwrap_or("{}")).unwrap_or_default();
                let variables = graphql_variables(payload.get("variables"));
                request.body = Body::Graphql {
                    file: String::new(),
                    variables,
                };
                Some(scalar(payload.get("query")))
            }
            json if json.contains("json") => {
                request.body = Body::Json {
                    file: String::new(),
                };
                body_text
            }
            "" if body_text.as_deref().is_none_or(str::is_empty) => None,
            _ => {
                let content_type = (!mime.is_empty()).then_some(mime);
                request.body = Body::Text {
                    file: String::new(),
                    content_type,
                };
                body_text
            }
        }
    }

    /// Multipart parts: `type: file` ones with their file.
    fn parts(&mut self, value: Option<&Value>, place: &str) -> Vec<MultipartPart> {
        let mut out = Vec::new();
        for part in value.and_then(Value::as_array).into_iter().flatten() {
            let Some(name) = text(part.get("name")) else {
                continue;
            };
            let is_file = text(part.get("type")).as_deref() == Some("file");
            let file = is_file.then(|| text(part.get("fileName")).unwrap_or_default());
            if let Some(file) = file.as_deref().filter(|f| !f.is_empty()) {
                self.losses.add(
                    place,
                    format!("file part `{name}`: `{file}` is named as exported: check the path"),
                );
            }
            out.push(MultipartPart {
                name: self.convert(&name, place),
                value: (!is_file).then(|| self.convert(&scalar(part.get("value")), place)),
                file,
                content_type: text(part.get("type")).filter(|t| t.contains('/')),
                enabled: part.get("disabled").and_then(Value::as_bool) != Some(true),
            });
        }
        out
    }
}

/// GraphQL variables: an object, or JSON text of one (exporters write either); none for null.
pub(super) fn graphql_variables(value: Option<&Value>) -> Option<Value> {
    match value {
        Some(Value::String(text)) => serde_json::from_str(text).ok(),
        Some(Value::Null) | None => None,
        Some(other) => Some(other.clone()),
    }
}

/// `/:id` path segments as `/{{id}}`.
fn path_templates(url: &str) -> String {
    let (before_query, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let converted: Vec<String> = before_query
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name)
                if !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-') =>
            {
                format!("{{{{{name}}}}}")
            }
            _ => segment.to_owned(),
        })
        .collect();
    let mut out = converted.join("/");
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// The description: v4 keeps it on the item, v5 in its `meta`.
fn description(value: &Value) -> String {
    text(value.get("description"))
        .or_else(|| text(value.pointer("/meta/description")))
        .unwrap_or_default()
}

/// `global`, `on` or `off`.
fn follow_redirects(value: &Value) -> Option<&str> {
    value
        .get("settingFollowRedirects")
        .or_else(|| value.pointer("/settings/followRedirects"))
        .and_then(Value::as_str)
}

/// The pre-request and after-response scripts, kept as text.
fn scripts(value: &Value, place: &str) -> Vec<Script> {
    let found = [
        (
            "pre-request",
            value
                .get("preRequestScript")
                .or_else(|| value.pointer("/scripts/preRequest")),
        ),
        (
            "after-response",
            value
                .get("afterResponseScript")
                .or_else(|| value.pointer("/scripts/afterResponse")),
        ),
    ];
    found
        .into_iter()
        .filter_map(|(when, script)| {
            let text = script
                .and_then(Value::as_str)
                .filter(|t| !t.trim().is_empty())?;
            Some(Script {
                when: when.to_owned(),
                extension: "js",
                text: text.to_owned(),
                place: place.to_owned(),
            })
        })
        .collect()
}

/// An environment's data as variables: nested objects flattened to dotted names (what
/// `{{ _.auth.user }}` becomes), arrays as JSON, numbers and booleans as written.
pub fn flatten(data: Option<&Value>, prefix: &str, variables: &mut Variables) {
    let Some(Value::Object(map)) = data else {
        return;
    };
    for (key, value) in map {
        if key == "__insomnia_vault" {
            continue;
        }
        let name = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(_) => flatten(Some(value), &name, variables),
            other => {
                variables.insert(name, scalar(Some(other)));
            }
        }
    }
}
