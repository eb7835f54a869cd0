//! Postman collections (v2.0 and v2.1) and Postman environment files, read as JSON values so
//! that a field of an odd shape is reported where it is (a JSON pointer) instead of failing
//! the whole file. Folders keep their order, auth, variables, descriptions and scripts where
//! they were; requests keep their URL (path variables `:id` become `{{id}}`), query pairs
//! (disabled ones too), headers, body of every mode, auth, options and saved responses (as
//! examples). What has no place in Courier (AWS or Hawk auth, Postman-only options) is named
//! in the loss report.

use serde_json::Value;

use super::tree::{
    ImportedCollection, ImportedExample, ImportedFolder, ImportedItem, ImportedRequest, Losses,
    Script,
};
use crate::model::{
    ApiKeyLocation, Auth, CollectionMeta, EnvironmentFile, FolderMeta, KeyValue, Method, Options,
    Request, Variables,
};

/// Whether `value` is a Postman collection.
pub fn is_collection(value: &Value) -> bool {
    let schema = value.pointer("/info/schema").and_then(Value::as_str);
    schema.is_some_and(|s| s.contains("getpostman.com") || s.contains("postman"))
        || (value.get("info").is_some() && value.get("item").is_some_and(Value::is_array))
}

/// Whether `value` is a Postman environment (or globals) file.
pub fn is_environment(value: &Value) -> bool {
    value.get("values").is_some_and(Value::is_array)
        && (value.get("_postman_variable_scope").is_some() || value.get("name").is_some())
}

/// The collection in `value`.
pub fn collection(value: &Value, losses: &mut Losses) -> ImportedCollection {
    let name = text(value.pointer("/info/name")).unwrap_or_else(|| {
        losses.add(
            "/info/name",
            "the collection has no name: called it “Imported”",
        );
        "Imported".to_owned()
    });
    let mut meta = CollectionMeta::named(&name);
    meta.description = description(value.pointer("/info/description"));
    let mut secrets = Vec::new();
    meta.variables = variables(value, "", &mut secrets, losses);
    meta.auth = auth(value.get("auth"), "/auth", losses);
    meta.options = behaviour(value.get("protocolProfileBehavior"), "", losses);
    let items = items(value.get("item"), "/item", losses);
    ImportedCollection {
        meta,
        items,
        environments: Vec::new(),
        secrets,
        scripts: scripts(value.get("event"), "/event", losses),
        files: Vec::new(),
    }
}

/// The environment in `value`: its name, its plain values and its secret ones.
pub fn environment(
    value: &Value,
    losses: &mut Losses,
) -> (String, EnvironmentFile, Vec<(String, String)>) {
    let name = text(value.get("name")).unwrap_or_else(|| "imported".to_owned());
    let mut file = EnvironmentFile::default();
    let mut secrets = Vec::new();
    let values = value.get("values").and_then(Value::as_array);
    for (index, entry) in values.into_iter().flatten().enumerate() {
        let place = format!("/values/{index}");
        let Some(key) = text(entry.get("key")) else {
            losses.add(&place, "a value without a key: dropped");
            continue;
        };
        if entry.get("enabled") == Some(&Value::Bool(false)) {
            losses.add(&place, format!("`{key}` is disabled: dropped"));
            continue;
        }
        let value = scalar(entry.get("value"));
        if entry.get("type").and_then(Value::as_str) == Some("secret") {
            secrets.push((key, value));
        } else {
            file.variables.insert(key, value);
        }
    }
    (name, file, secrets)
}

fn items(value: Option<&Value>, place: &str, losses: &mut Losses) -> Vec<ImportedItem> {
    let Some(list) = value.and_then(Value::as_array) else {
        if value.is_some() {
            losses.add(place, "`item` is not a list: nothing under it came across");
        }
        return Vec::new();
    };
    let mut out = Vec::new();
    for (index, item) in list.iter().enumerate() {
        let place = format!("{place}/{index}");
        if item.get("item").is_some() {
            out.push(ImportedItem::Folder(Box::new(folder(item, &place, losses))));
        } else if item.get("request").is_some() {
            out.push(ImportedItem::Request(Box::new(request_item(
                item, &place, losses,
            ))));
        } else {
            losses.add(&place, "neither a folder nor a request: skipped");
        }
    }
    out
}

fn folder(value: &Value, place: &str, losses: &mut Losses) -> ImportedFolder {
    let name = text(value.get("name")).unwrap_or_else(|| "Folder".to_owned());
    let mut secrets = Vec::new();
    let meta = FolderMeta {
        name: Some(name.clone()),
        description: description(value.get("description")),
        variables: variables(value, place, &mut secrets, losses),
        auth: auth(value.get("auth"), &format!("{place}/auth"), losses),
        options: behaviour(value.get("protocolProfileBehavior"), place, losses),
        ..FolderMeta::default()
    };
    for (key, _) in secrets {
        losses.add(
            &format!("{place}/variable"),
            format!("folder variable `{key}` is secret: a folder has no .env, so it was dropped"),
        );
    }
    ImportedFolder {
        name,
        meta,
        items: items(value.get("item"), &format!("{place}/item"), losses),
        scripts: scripts(value.get("event"), &format!("{place}/event"), losses),
    }
}

fn request_item(value: &Value, place: &str, losses: &mut Losses) -> ImportedRequest {
    let name = text(value.get("name")).unwrap_or_else(|| "Request".to_owned());
    let source = value.get("request").unwrap_or(&Value::Null);
    let request_place = format!("{place}/request");
    // v2 allows a request to be just its URL.
    let (mut request, body_text) = match source {
        Value::String(url) => (Request::new(&name, Method::get(), url.clone()), None),
        _ => request(source, &name, &request_place, losses),
    };
    request.options = behaviour(value.get("protocolProfileBehavior"), place, losses);
    let examples = value
        .get("response")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(index, response)| example(response, &format!("{place}/response/{index}"), losses))
        .collect();
    let mut scripts = scripts(value.get("event"), &format!("{place}/event"), losses);
    scripts.retain_mut(|script| !tests_converted(script, &mut request, losses));
    ImportedRequest {
        request,
        body_text,
        examples,
        scripts,
    }
}

/// Turns a test script's common `pm.*` forms into the request's assertions and captures;
/// true when nothing of it is left, so the script need not be kept. What is left is named in
/// the report and kept beside the request (the script as it was when nothing converted).
fn tests_converted(script: &mut Script, request: &mut Request, losses: &mut Losses) -> bool {
    if script.when != "tests" {
        return false;
    }
    let converted = super::postman_script::convert(&script.text);
    request.asserts.extend(converted.asserts);
    request.captures.extend(converted.captures);
    script.text = converted.remainder;
    if !converted.left.is_empty() {
        losses.add(
            &script.place,
            format!("not converted to assertions: {}", converted.left.join(", ")),
        );
    }
    converted.left.is_empty()
}

fn request(
    value: &Value,
    name: &str,
    place: &str,
    losses: &mut Losses,
) -> (Request, Option<String>) {
    let method_text = text(value.get("method")).unwrap_or_else(|| "GET".to_owned());
    let method = Method::try_from(method_text.to_ascii_uppercase()).unwrap_or_else(|_| {
        losses.add(
            &format!("{place}/method"),
            format!("`{method_text}` is no HTTP method: sent as GET"),
        );
        Method::get()
    });
    let mut request = Request::new(name, method, "");
    super::postman_url::apply(
        value.get("url"),
        &mut request,
        &format!("{place}/url"),
        losses,
    );
    request.headers = headers(value.get("header"));
    request.auth = auth(value.get("auth"), &format!("{place}/auth"), losses);
    request.description = description(value.get("description"));
    let body_text = super::postman_body::apply(
        value.get("body"),
        &mut request,
        &format!("{place}/body"),
        losses,
    );
    (request, body_text)
}

/// Header pairs: a list of `{key, value, disabled}`, or (v2.0) one `Name: value` per line.
pub(super) fn headers(value: Option<&Value>) -> Vec<KeyValue> {
    match value {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|header| {
                let mut pair = KeyValue::new(text(header.get("key"))?, scalar(header.get("value")));
                pair.enabled = header.get("disabled") != Some(&Value::Bool(true));
                Some(pair)
            })
            .collect(),
        Some(Value::String(lines)) => lines
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| KeyValue::new(name.trim(), value.trim()))
            .collect(),
        _ => Vec::new(),
    }
}

/// The `variable` list of a collection or folder (secret ones into `secrets`).
fn variables(
    value: &Value,
    place: &str,
    secrets: &mut Vec<(String, String)>,
    losses: &mut Losses,
) -> Variables {
    let mut out = Variables::new();
    let list = value
        .get("variable")
        .or_else(|| value.get("variables"))
        .and_then(Value::as_array);
    for (index, entry) in list.into_iter().flatten().enumerate() {
        let place = format!("{place}/variable/{index}");
        let Some(key) = text(entry.get("key")).or_else(|| text(entry.get("id"))) else {
            losses.add(&place, "a variable without a key: dropped");
            continue;
        };
        if entry.get("disabled") == Some(&Value::Bool(true)) {
            losses.add(&place, format!("variable `{key}` is disabled: dropped"));
            continue;
        }
        let value = scalar(entry.get("value"));
        if entry.get("type").and_then(Value::as_str) == Some("secret") {
            secrets.push((key, value));
        } else {
            out.insert(key, value);
        }
    }
    out
}

/// Auth of a collection, folder or request: `{type, <type>: params}`. None: inherited.
fn auth(value: Option<&Value>, place: &str, losses: &mut Losses) -> Auth {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Auth::Inherit;
    };
    let kind = text(value.get("type")).unwrap_or_default();
    let param = |name: &str| auth_param(value.get(&kind), name);
    match kind.as_str() {
        "noauth" => Auth::None,
        "inherit" => Auth::Inherit,
        "basic" => Auth::Basic {
            username: param("username"),
            password: param("password"),
        },
        "bearer" => Auth::Bearer {
            token: param("token"),
        },
        "digest" => Auth::Digest {
            username: param("username"),
            password: param("password"),
        },
        "apikey" => Auth::ApiKey {
            name: param("key"),
            value: param("value"),
            location: if param("in") == "query" {
                ApiKeyLocation::Query
            } else {
                ApiKeyLocation::Header
            },
        },
        "oauth2" => oauth2(&param, place, losses),
        "awsv4" => {
            let token = param("sessionToken");
            Auth::AwsSigV4(crate::model::AwsSigV4 {
                access_key: param("accessKey"),
                secret_key: param("secretKey"),
                session_token: (!token.is_empty()).then_some(token),
                region: param("region"),
                service: param("service"),
                unsigned_payload: false,
            })
        }
        other => {
            losses.add(
                place,
                format!(
                    "{other} auth has no equivalent in Courier: the request is sent without it"
                ),
            );
            Auth::None
        }
    }
}

fn oauth2(param: &dyn Fn(&str) -> String, place: &str, losses: &mut Losses) -> Auth {
    use crate::model::OAuth2Grant;
    let grant = param("grant_type");
    // Postman's grants that Courier has; implicit and plain authorization code do not.
    let courier_grant = match grant.as_str() {
        "client_credentials" => Some(OAuth2Grant::ClientCredentials),
        "password_credentials" => Some(OAuth2Grant::Password {
            username: param("username"),
            password: param("password"),
        }),
        "authorization_code_with_pkce" => Some(OAuth2Grant::AuthorizationCode {
            authorization_url: param("authUrl"),
            redirect_port: None,
        }),
        _ => None,
    };
    if let Some(courier_grant) = courier_grant {
        let scope = param("scope");
        return Auth::OAuth2 {
            token_url: param("accessTokenUrl"),
            client_id: param("clientId"),
            client_secret: param("clientSecret"),
            scope: (!scope.is_empty()).then_some(scope),
            grant: courier_grant,
        };
    }
    let token = param("accessToken");
    let grant = if grant.is_empty() {
        "no grant type".to_owned()
    } else {
        format!("grant type {grant}")
    };
    if token.is_empty() {
        losses.add(
            place,
            format!("OAuth 2.0 with {grant} has no equivalent (Courier's grants are client credentials, password, refresh token, device code and authorization code with PKCE): sent without auth"),
        );
        Auth::None
    } else {
        losses.add(
            place,
            format!("OAuth 2.0 with {grant}: kept as a bearer token (the saved access token), which is not renewed"),
        );
        Auth::Bearer { token }
    }
}

/// One auth parameter: v2.1 writes `[{key, value}]`, v2.0 an object.
fn auth_param(params: Option<&Value>, name: &str) -> String {
    match params {
        Some(Value::Array(list)) => list
            .iter()
            .find(|p| p.get("key").and_then(Value::as_str) == Some(name))
            .map(|p| scalar(p.get("value")))
            .unwrap_or_default(),
        Some(Value::Object(map)) => scalar(map.get(name)),
        _ => String::new(),
    }
}

/// `protocolProfileBehavior`: what Courier has an option for, the rest reported.
fn behaviour(value: Option<&Value>, place: &str, losses: &mut Losses) -> Options {
    let mut options = Options::default();
    let Some(map) = value.and_then(Value::as_object) else {
        return options;
    };
    for (key, setting) in map {
        match (key.as_str(), setting) {
            ("followRedirects", Value::Bool(follow)) => options.redirects.follow = Some(*follow),
            ("maxRedirects", Value::Number(max)) => {
                options.redirects.max = max.as_u64().and_then(|m| u32::try_from(m).ok());
            }
            ("strictSSL", Value::Bool(verify)) => options.tls.verify = Some(*verify),
            // Courier never prunes a body, whatever the method.
            ("disableBodyPruning", Value::Bool(true)) => {}
            _ => losses.add(
                &format!("{place}/protocolProfileBehavior/{key}"),
                format!("the Postman setting `{key}` has no equivalent: dropped"),
            ),
        }
    }
    options
}

/// Pre-request and test scripts, kept as text.
fn scripts(value: Option<&Value>, place: &str, losses: &mut Losses) -> Vec<Script> {
    let mut out = Vec::new();
    for (index, event) in value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let place = format!("{place}/{index}");
        let exec = event.pointer("/script/exec");
        let text = match exec {
            Some(Value::Array(lines)) => lines
                .iter()
                .map(|line| line.as_str().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\n"),
            Some(Value::String(text)) => text.clone(),
            _ => String::new(),
        };
        if text.trim().is_empty() {
            continue;
        }
        let when = match event.get("listen").and_then(Value::as_str) {
            Some("prerequest") => "pre-request",
            Some("test") => "tests",
            other => {
                losses.add(
                    &place,
                    format!("a script for `{}`: dropped", other.unwrap_or("?")),
                );
                continue;
            }
        };
        out.push(Script {
            when: when.to_owned(),
            extension: "js",
            text,
            place,
        });
    }
    out
}

/// A saved response (its body is `body`, or `data` in older exports).
fn example(value: &Value, place: &str, losses: &mut Losses) -> ImportedExample {
    let cookies = value
        .get("cookie")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if cookies > 0 {
        losses.add(
            &format!("{place}/cookie"),
            format!("{cookies} cookies of a saved response: an example keeps headers, not cookies"),
        );
    }
    let headers: Vec<(String, String)> = headers(value.get("header"))
        .into_iter()
        .map(|pair| (pair.name, pair.value))
        .collect();
    let content_type = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map(|(_, value)| value.to_ascii_lowercase())
        .unwrap_or_default();
    let language = text(value.get("_postman_previewlanguage")).unwrap_or_default();
    let extension = match language.as_str() {
        "json" => "json",
        "xml" => "xml",
        "html" => "html",
        _ if content_type.contains("json") => "json",
        _ if content_type.contains("xml") => "xml",
        _ if content_type.contains("html") => "html",
        _ => "txt",
    };
    ImportedExample {
        name: text(value.get("name")).unwrap_or_else(|| "Example".to_owned()),
        status: value
            .get("code")
            .and_then(Value::as_u64)
            .and_then(|code| u16::try_from(code).ok())
            .unwrap_or(200),
        headers,
        body: text(value.get("body"))
            .or_else(|| text(value.get("data")))
            .unwrap_or_default()
            .into_bytes(),
        extension,
    }
}

/// A description: a string, or `{content}`.
pub(super) fn description(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Object(map)) => scalar(map.get("content")),
        _ => String::new(),
    }
}

/// A string field.
pub(super) fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_owned)
}

/// A value as text: strings as they are, numbers and booleans as written, null as empty.
pub(super) fn scalar(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}
