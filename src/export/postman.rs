//! A Courier collection as a Postman v2.1 collection: the inverse of the Postman importer, so
//! that importing what this writes gives the same files back. Folders in their order, auth,
//! variables and descriptions where they are, path variables (`{{id}}` as a whole path
//! segment with a request variable `id`) as Postman's `:id`, query pairs with their disabled
//! ones, every body kind, examples as saved responses and the scripts kept beside requests as
//! events. What Postman has no place for (timeouts, an HTTP version, other request variables)
//! is reported. `.env` values are never read: secrets stay out of what is exported.

use std::path::Path;

use serde_json::{Value, json};

use crate::import::Losses;
use crate::model::{ApiKeyLocation, Auth, Body, KeyValue, Options, Request};
use crate::store::{Collection, Folder, Item, LoadedRequest};

const SCHEMA: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

/// `collection` as a Postman collection.
pub fn collection(collection: &Collection, losses: &mut Losses) -> Value {
    let meta = &collection.meta;
    let mut out = json!({
        "info": {"name": meta.name, "schema": SCHEMA},
        "item": items(&collection.root, losses),
    });
    if !meta.description.is_empty() {
        out["info"]["description"] = json!(meta.description);
    }
    extend(&mut out, "variable", variables(&meta.variables));
    extend(&mut out, "auth", auth(&meta.auth));
    extend(
        &mut out,
        "protocolProfileBehavior",
        behaviour(&meta.options, &meta.name, losses),
    );
    extend(&mut out, "event", events(&collection.dir, "_collection"));
    out
}

fn items(folder: &Folder, losses: &mut Losses) -> Vec<Value> {
    folder
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Folder(sub) => Some(folder_item(sub, losses)),
            Item::Request(request) => Some(request_item(request, losses)),
            Item::Broken(broken) => {
                losses.add(
                    &broken.path.display().to_string(),
                    format!("does not load, so it is not exported: {}", broken.error),
                );
                None
            }
        })
        .collect()
}

fn folder_item(folder: &Folder, losses: &mut Losses) -> Value {
    let mut out = json!({"name": folder.name(), "item": items(folder, losses)});
    if !folder.meta.description.is_empty() {
        out["description"] = json!(folder.meta.description);
    }
    extend(&mut out, "variable", variables(&folder.meta.variables));
    extend(&mut out, "auth", auth(&folder.meta.auth));
    extend(
        &mut out,
        "protocolProfileBehavior",
        behaviour(&folder.meta.options, &folder.name(), losses),
    );
    extend(&mut out, "event", events(&folder.dir, "_folder"));
    out
}

fn request_item(loaded: &LoadedRequest, losses: &mut Losses) -> Value {
    let request = &loaded.request;
    let place = loaded.path.display().to_string();
    let mut inner = json!({
        "method": request.method.as_str(),
        "header": pairs(&request.headers),
        "url": url(request, &place, losses),
    });
    if !request.description.is_empty() {
        inner["description"] = json!(request.description);
    }
    extend(&mut inner, "auth", auth(&request.auth));
    extend(&mut inner, "body", body(loaded));
    let mut out =
        json!({"name": request.name, "request": inner, "response": responses(loaded, losses)});
    extend(
        &mut out,
        "protocolProfileBehavior",
        behaviour(&request.options, &place, losses),
    );
    let stem = loaded
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut events = loaded
        .path
        .parent()
        .and_then(|dir| events(dir, &stem))
        .and_then(|events| events.as_array().cloned())
        .unwrap_or_default();
    if let Some(script) = super::postman_tests::script(request, &place, losses) {
        let exec: Vec<&str> = script.lines().collect();
        events.push(json!({"listen": "test", "script": {"type": "text/javascript", "exec": exec}}));
    }
    if !events.is_empty() {
        out["event"] = json!(events);
    }
    out
}

/// The URL with path variables as `:name`, its query pairs and its path variables' values.
fn url(request: &Request, place: &str, losses: &mut Losses) -> Value {
    let mut path_variables = Vec::new();
    // Path segments only: what follows a `?` or `#` stays as it is.
    let (path, rest) = request
        .url
        .find(['?', '#'])
        .map_or((request.url.as_str(), ""), |at| request.url.split_at(at));
    let raw: Vec<String> = path
        .split('/')
        .map(|segment| {
            let name = segment
                .strip_prefix("{{")
                .and_then(|s| s.strip_suffix("}}"))
                .filter(|name| request.variables.contains_key(*name));
            match name {
                Some(name) => {
                    path_variables.push(json!({"key": name, "value": request.variables[name]}));
                    format!(":{name}")
                }
                None => segment.to_owned(),
            }
        })
        .collect();
    for name in request.variables.keys() {
        if !path_variables.iter().any(|v| v["key"] == json!(name)) {
            losses.add(
                place,
                format!("the request variable `{name}` has no place in Postman (only path variables do): dropped"),
            );
        }
    }
    let mut raw = raw.join("/") + rest;
    let enabled: Vec<String> = request
        .query
        .iter()
        .filter(|pair| pair.enabled)
        .map(|pair| format!("{}={}", pair.name, pair.value))
        .collect();
    if !enabled.is_empty() {
        raw.push(if raw.contains('?') { '&' } else { '?' });
        raw.push_str(&enabled.join("&"));
    }
    let mut out = json!({"raw": raw});
    if !request.query.is_empty() {
        out["query"] = json!(pairs(&request.query));
    }
    if !path_variables.is_empty() {
        out["variable"] = json!(path_variables);
    }
    out
}

fn pairs(pairs: &[KeyValue]) -> Vec<Value> {
    pairs
        .iter()
        .map(|pair| {
            let mut out = json!({"key": pair.name, "value": pair.value});
            if !pair.enabled {
                out["disabled"] = json!(true);
            }
            out
        })
        .collect()
}

fn variables(variables: &crate::model::Variables) -> Option<Value> {
    (!variables.is_empty()).then(|| {
        json!(
            variables
                .iter()
                .map(|(key, value)| json!({"key": key, "value": value}))
                .collect::<Vec<_>>()
        )
    })
}

fn auth(auth: &Auth) -> Option<Value> {
    let params = |list: &[(&str, &str)]| -> Value {
        json!(
            list.iter()
                .map(|(key, value)| json!({"key": key, "value": value, "type": "string"}))
                .collect::<Vec<_>>()
        )
    };
    Some(match auth {
        Auth::Inherit => return None,
        Auth::None => json!({"type": "noauth"}),
        Auth::Basic { username, password } => {
            json!({"type": "basic", "basic": params(&[("username", username), ("password", password)])})
        }
        Auth::Bearer { token } => json!({"type": "bearer", "bearer": params(&[("token", token)])}),
        Auth::Digest { username, password } => {
            json!({"type": "digest", "digest": params(&[("username", username), ("password", password)])})
        }
        Auth::ApiKey {
            name,
            value,
            location,
        } => {
            let at = if *location == ApiKeyLocation::Query {
                "query"
            } else {
                "header"
            };
            json!({"type": "apikey", "apikey": params(&[("key", name), ("value", value), ("in", at)])})
        }
        Auth::OAuth2 {
            token_url,
            client_id,
            client_secret,
            scope,
            grant,
        } => {
            let mut list = vec![
                ("accessTokenUrl", token_url.as_str()),
                ("clientId", client_id),
                ("clientSecret", client_secret),
                ("scope", scope.as_deref().unwrap_or_default()),
            ];
            list.extend(grant_params(grant));
            json!({"type": "oauth2", "oauth2": params(&list)})
        }
        Auth::AwsSigV4(aws) => json!({"type": "awsv4", "awsv4": params(&[
            ("accessKey", &aws.access_key),
            ("secretKey", &aws.secret_key),
            ("region", &aws.region),
            ("service", &aws.service),
            ("sessionToken", aws.session_token.as_deref().unwrap_or_default()),
        ])}),
    })
}

/// Postman's names for the grants it has; a refresh token or a device URL is kept under a
/// name of its own.
fn grant_params(grant: &crate::model::OAuth2Grant) -> Vec<(&'static str, &str)> {
    use crate::model::OAuth2Grant;
    match grant {
        OAuth2Grant::ClientCredentials => vec![("grant_type", "client_credentials")],
        OAuth2Grant::Password { username, password } => vec![
            ("grant_type", "password_credentials"),
            ("username", username.as_str()),
            ("password", password.as_str()),
        ],
        OAuth2Grant::RefreshToken { refresh_token } => vec![
            ("grant_type", "refresh_token"),
            ("refreshToken", refresh_token.as_str()),
        ],
        OAuth2Grant::DeviceCode {
            device_authorization_url,
        } => vec![
            ("grant_type", "device_code"),
            ("deviceAuthorizationUrl", device_authorization_url.as_str()),
        ],
        OAuth2Grant::AuthorizationCode {
            authorization_url, ..
        } => vec![
            ("grant_type", "authorization_code_with_pkce"),
            ("authUrl", authorization_url.as_str()),
            ("challengeAlgorithm", "S256"),
        ],
    }
}

fn behaviour(options: &Options, place: &str, losses: &mut Losses) -> Option<Value> {
    let mut out = serde_json::Map::new();
    if let Some(follow) = options.redirects.follow {
        out.insert("followRedirects".to_owned(), json!(follow));
    }
    if let Some(max) = options.redirects.max {
        out.insert("maxRedirects".to_owned(), json!(max));
    }
    if let Some(verify) = options.tls.verify {
        out.insert("strictSSL".to_owned(), json!(verify));
    }
    let mut rest = options.clone();
    rest.redirects = Default::default();
    rest.tls.verify = None;
    if !rest.is_empty() {
        losses.add(place, "options Postman has no setting for (timeouts, HTTP version, TLS files, decompression, proxy): dropped");
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

fn body(loaded: &LoadedRequest) -> Option<Value> {
    let text = loaded.body_text.clone().unwrap_or_default();
    Some(match &loaded.request.body {
        Body::None => return None,
        Body::Json { .. } => {
            json!({"mode": "raw", "raw": text, "options": {"raw": {"language": "json"}}})
        }
        Body::Text { content_type, .. } => {
            let language = match content_type.as_deref() {
                Some(t) if t.contains("xml") => "xml",
                Some(t) if t.contains("html") => "html",
                Some(t) if t.contains("javascript") => "javascript",
                _ => "text",
            };
            json!({"mode": "raw", "raw": text, "options": {"raw": {"language": language}}})
        }
        Body::Form { fields } => json!({"mode": "urlencoded", "urlencoded": pairs(fields)}),
        Body::Multipart { parts } => {
            json!({"mode": "formdata", "formdata": parts.iter().map(|part| {
            let mut out = match &part.file {
                Some(file) => json!({"key": part.name, "type": "file", "src": file}),
                None => json!({"key": part.name, "type": "text", "value": part.value.clone().unwrap_or_default()}),
            };
            if let Some(kind) = &part.content_type {
                out["contentType"] = json!(kind);
            }
            if !part.enabled {
                out["disabled"] = json!(true);
            }
            out
        }).collect::<Vec<_>>()})
        }
        Body::Binary { file, .. } => json!({"mode": "file", "file": {"src": file}}),
        Body::Graphql { variables, .. } => json!({"mode": "graphql", "graphql": {
            "query": text,
            "variables": variables.as_ref().map(Value::to_string).unwrap_or_default(),
        }}),
    })
}

/// The request's examples as Postman's saved responses.
fn responses(loaded: &LoadedRequest, losses: &mut Losses) -> Vec<Value> {
    let Ok(found) = crate::store::examples::load_examples(&loaded.path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for example in found.into_iter().flatten() {
        let body = crate::store::examples::example_body(&example).unwrap_or_default();
        let Ok(body) = String::from_utf8(body) else {
            losses.add(
                &example.path.display().to_string(),
                "a body that is not text: Postman keeps text only, so it is left out",
            );
            continue;
        };
        let language = match example
            .body_path()
            .and_then(|p| p.extension().map(|e| e.to_string_lossy().into_owned()))
            .as_deref()
        {
            Some("json") => "json",
            Some("xml") => "xml",
            Some("html") => "html",
            _ => "text",
        };
        out.push(json!({
            "name": example.example.name,
            "code": example.example.status,
            "header": pairs(&example.example.headers),
            "body": body,
            "_postman_previewlanguage": language,
        }));
    }
    out
}

/// The scripts kept beside an item (`<stem>.pre-request.js`, `<stem>.tests.js`) as events.
fn events(dir: &Path, stem: &str) -> Option<Value> {
    let events: Vec<Value> = [("pre-request", "prerequest"), ("tests", "test")]
        .iter()
        .filter_map(|(when, listen)| {
            let text = std::fs::read_to_string(dir.join(format!("{stem}.{when}.js"))).ok()?;
            let exec: Vec<&str> = text.lines().collect();
            Some(json!({"listen": listen, "script": {"type": "text/javascript", "exec": exec}}))
        })
        .collect();
    (!events.is_empty()).then(|| json!(events))
}

fn extend(out: &mut Value, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        out[key] = value;
    }
}
