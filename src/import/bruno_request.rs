//! What the blocks of a Bruno `.bru` file mean: a request (its method block with the URL and
//! the body and auth modes, query and path parameters, headers, the body of its mode, the
//! auth of its mode, variables, settings, scripts, tests, assertions and docs), and the
//! headers, auth, variables, scripts and docs a `collection.bru` or `folder.bru` gives what
//! is under it. Only the block the mode names counts: files keep stale blocks of other modes.
//! `{{process.env.NAME}}` (a value from the collection's `.env`) becomes `{{NAME}}`, which
//! Courier reads from its own `.env`.

use super::bru::{Block, entries_of, list_of, text_of, value_of};
use super::tree::{Losses, Script};
use crate::model::{
    ApiKeyLocation, Auth, Body, DurationText, KeyValue, Method, MultipartPart, Request, Variables,
};

const METHODS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "options", "head", "connect", "trace",
];

/// `{{process.env.NAME}}` as `{{NAME}}`.
pub fn templated(text: &str) -> String {
    text.replace("{{process.env.", "{{")
}

/// The settings a `collection.bru` or `folder.bru` (or a request) gives what it holds.
pub struct Shared {
    pub headers: Vec<KeyValue>,
    pub auth: Auth,
    pub variables: Variables,
    pub scripts: Vec<Script>,
    pub docs: String,
}

/// What `collection.bru`, `folder.bru` or a request file says for everything under it.
pub fn shared(blocks: &[Block], mode: Option<&str>, place: &str, losses: &mut Losses) -> Shared {
    let mut variables = Variables::new();
    for entry in entries_of(blocks, "vars:pre-request")
        .iter()
        .filter(|e| e.enabled)
    {
        variables.insert(entry.key.clone(), templated(&entry.value));
    }
    let after: Vec<String> = entries_of(blocks, "vars:post-response")
        .iter()
        .map(|e| format!("{} = {}", e.key, e.value))
        .collect();
    if !after.is_empty() {
        losses.add(
            place,
            format!("post-response variables ({}) are not kept: take such values with {{{{response \"request\" \".path\"}}}}", after.join("; ")),
        );
    }
    let mode = mode.or_else(|| value_of(blocks, "auth", "mode"));
    Shared {
        headers: pairs(entries_of(blocks, "headers")),
        auth: auth(blocks, mode.unwrap_or("inherit"), place, losses),
        variables,
        scripts: scripts(blocks, place),
        docs: text_of(blocks, "docs")
            .map(str::trim)
            .unwrap_or_default()
            .to_owned(),
    }
}

/// Where in the new collection the files requests send are copied.
pub const FILES_DIR: &str = ".files";

/// The files requests send: Bruno names them from the collection's root, Courier from the
/// request's folder.
pub struct FileRefs {
    /// From the request's folder to the collection's (`../../`).
    pub root_from_here: String,
    /// Every file named, from the collection's root.
    pub named: Vec<String>,
}

impl FileRefs {
    /// `file` (from the collection's root) as the request names it, noted: it is copied into
    /// the new collection's hidden `.files/` folder (hidden, so a JSON file there is never
    /// taken for a request).
    pub fn take(&mut self, file: &str) -> String {
        if !self.named.iter().any(|known| known == file) {
            self.named.push(file.to_owned());
        }
        format!("{}{FILES_DIR}/{file}", self.root_from_here)
    }
}

/// The request a request file's `blocks` make, its body's text and its scripts.
pub fn request(
    blocks: &[Block],
    name: &str,
    files: &mut FileRefs,
    place: &str,
    losses: &mut Losses,
) -> (Request, Option<String>, Vec<Script>) {
    let (method, block) = METHODS
        .iter()
        .find_map(|m| {
            blocks
                .iter()
                .find(|b| b.name == *m)
                .map(|b| (m.to_ascii_uppercase(), b.name.as_str()))
        })
        .or_else(|| {
            let custom = value_of(blocks, "http", "method")?;
            Some((custom.to_ascii_uppercase(), "http"))
        })
        .unwrap_or(("GET".to_owned(), "get"));
    let url = value_of(blocks, block, "url").unwrap_or_default();
    let method = Method::try_from(method.clone()).unwrap_or_else(|_| {
        losses.add(place, format!("`{method}` is no HTTP method: GET instead"));
        Method::get()
    });
    let mut request = Request::new(name, method, path_templates(&templated(url)));
    // The query is in the URL already; `params:query` mirrors it, with the disabled ones.
    let disabled: Vec<KeyValue> = pairs(entries_of(blocks, "params:query"))
        .into_iter()
        .filter(|p| !p.enabled)
        .collect();
    request.query = disabled;
    for entry in entries_of(blocks, "params:path") {
        request
            .variables
            .insert(entry.key.clone(), templated(&entry.value));
    }
    let common = shared(blocks, value_of(blocks, block, "auth"), place, losses);
    request.headers = common.headers;
    request.auth = common.auth;
    request.variables.extend(common.variables);
    request.description = common.docs;
    let body_mode = value_of(blocks, block, "body").unwrap_or("none");
    let body_text = body(blocks, body_mode, files, &mut request, place, losses);
    settings(blocks, &mut request);
    let examples = blocks.iter().filter(|b| b.name == "example").count();
    if examples > 0 {
        losses.add(
            place,
            format!("{examples} saved examples: not imported (their layout is Bruno's own)"),
        );
    }
    let mut scripts = common.scripts;
    super::bruno_asserts::take(&mut scripts, &mut request, losses);
    (request, body_text, scripts)
}

/// `/:id` path segments as `/{{id}}`.
pub fn path_templates(url: &str) -> String {
    let (path, query) = url
        .split_once('?')
        .map_or((url, None), |(p, q)| (p, Some(q)));
    let segments: Vec<String> = path
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) if !name.is_empty() && !name.contains('{') => format!("{{{{{name}}}}}"),
            _ => segment.to_owned(),
        })
        .collect();
    match query {
        Some(query) => format!("{}?{query}", segments.join("/")),
        None => segments.join("/"),
    }
}

fn pairs(entries: &[super::bru::Entry]) -> Vec<KeyValue> {
    entries
        .iter()
        .map(|entry| KeyValue {
            enabled: entry.enabled,
            ..KeyValue::new(templated(&entry.key), templated(&entry.value))
        })
        .collect()
}

/// The auth of `mode`, from its `auth:<mode>` block.
fn auth(blocks: &[Block], mode: &str, place: &str, losses: &mut Losses) -> Auth {
    let block = format!("auth:{mode}");
    let field = |key: &str| templated(value_of(blocks, &block, key).unwrap_or_default());
    match mode {
        "inherit" => Auth::Inherit,
        "none" => Auth::None,
        "basic" | "digest" | "bearer" | "apikey" => credentials_auth(mode, &field, "queryparams"),
        "awsv4" => {
            let token = field("sessionToken");
            Auth::AwsSigV4(crate::model::AwsSigV4 {
                access_key: field("accessKeyId"),
                secret_key: field("secretAccessKey"),
                session_token: (!token.is_empty()).then_some(token),
                region: field("region"),
                service: field("service"),
                unsigned_payload: false,
            })
        }
        "oauth2" => match oauth2_grant(&field) {
            Some(grant) => {
                let scope = field("scope");
                Auth::OAuth2 {
                    token_url: field("access_token_url"),
                    client_id: field("client_id"),
                    client_secret: field("client_secret"),
                    scope: (!scope.is_empty()).then_some(scope),
                    grant,
                }
            }
            None => {
                losses.add(&format!("{place} auth:oauth2"), format!("OAuth 2 by the `{}` grant: Courier's grants are client credentials, password and authorization code with PKCE (besides refresh token and device code), so it inherits", field("grant_type")));
                Auth::Inherit
            }
        },
        other => {
            losses.add(
                &format!("{place} auth:{other}"),
                format!("`{other}` auth has no Courier equivalent: it inherits instead"),
            );
            Auth::Inherit
        }
    }
}

/// Bruno's OAuth2 grants that Courier has: client credentials, password, and authorization
/// code with PKCE.
fn oauth2_grant(field: &dyn Fn(&str) -> String) -> Option<crate::model::OAuth2Grant> {
    use crate::model::OAuth2Grant;
    match field("grant_type").as_str() {
        "client_credentials" => Some(OAuth2Grant::ClientCredentials),
        "password" => Some(OAuth2Grant::Password {
            username: field("username"),
            password: field("password"),
        }),
        "authorization_code" if field("pkce") == "true" => Some(OAuth2Grant::AuthorizationCode {
            authorization_url: field("authorization_url"),
            redirect_port: None,
        }),
        _ => None,
    }
}

/// The auth kinds Bruno's two formats write alike (`basic`, `digest`, `bearer`, `apikey`),
/// from their fields; `query` is what an API key's `placement` says for the query.
pub fn credentials_auth(kind: &str, field: &dyn Fn(&str) -> String, query: &str) -> Auth {
    match kind {
        "basic" => Auth::Basic {
            username: field("username"),
            password: field("password"),
        },
        "digest" => Auth::Digest {
            username: field("username"),
            password: field("password"),
        },
        "bearer" => Auth::Bearer {
            token: field("token"),
        },
        _ => Auth::ApiKey {
            name: field("key"),
            value: field("value"),
            location: if field("placement") == query {
                ApiKeyLocation::Query
            } else {
                ApiKeyLocation::Header
            },
        },
    }
}

/// The body of `mode` from its block; its text when it has a sidecar.
fn body(
    blocks: &[Block],
    mode: &str,
    files: &mut FileRefs,
    request: &mut Request,
    place: &str,
    losses: &mut Losses,
) -> Option<String> {
    let text = |name: &str| text_of(blocks, name).map(templated);
    let typed = |content_type: &str| Body::Text {
        file: String::new(),
        content_type: Some(content_type.to_owned()),
    };
    match mode {
        "json" => {
            request.body = Body::Json {
                file: String::new(),
            };
            text("body:json").or_else(|| text("body"))
        }
        "text" => {
            request.body = typed("text/plain");
            text("body:text")
        }
        "xml" => {
            request.body = typed("application/xml");
            text("body:xml")
        }
        "sparql" => {
            request.body = typed("application/sparql-query");
            text("body:sparql")
        }
        "graphql" => {
            let variables = text("body:graphql:vars").and_then(|v| serde_json::from_str(&v).ok());
            request.body = Body::Graphql {
                file: String::new(),
                variables,
            };
            text("body:graphql")
        }
        "formUrlEncoded" => {
            request.body = Body::Form {
                fields: pairs(entries_of(blocks, "body:form-urlencoded")),
            };
            None
        }
        "multipartForm" => {
            request.body = Body::Multipart {
                parts: parts(blocks, files, place, losses),
            };
            None
        }
        "file" => {
            let chosen = entries_of(blocks, "body:file").iter().find(|e| e.enabled);
            let (named, content_type) =
                chosen.map(|e| file_reference(&e.value)).unwrap_or_default();
            let file = named.first().map(|f| files.take(f)).unwrap_or_default();
            request.body = Body::Binary { file, content_type };
            None
        }
        "none" => None,
        other => {
            losses.add(
                place,
                format!("the `{other}` body has no Courier equivalent: left out"),
            );
            None
        }
    }
}

/// Multipart parts; `@file(a|b)` parts with their first file (named from the collection's
/// root in Bruno, so from the request's folder here).
fn parts(
    blocks: &[Block],
    files: &mut FileRefs,
    place: &str,
    losses: &mut Losses,
) -> Vec<MultipartPart> {
    let mut out = Vec::new();
    for entry in entries_of(blocks, "body:multipart-form") {
        let (named, content_type) = file_reference(&entry.value);
        if named.len() > 1 {
            losses.add(
                place,
                format!(
                    "part `{}` sends {} files: only the first is kept",
                    entry.key,
                    named.len()
                ),
            );
        }
        let is_file = entry.value.trim_start().starts_with("@file(");
        let value = entry
            .value
            .split(" @contentType(")
            .next()
            .unwrap_or_default();
        out.push(MultipartPart {
            name: templated(&entry.key),
            value: (!is_file).then(|| templated(value)),
            file: is_file.then(|| named.first().map(|f| files.take(f)).unwrap_or_default()),
            content_type,
            enabled: entry.enabled,
        });
    }
    out
}

/// The files of `@file(a|b)` and the type of ` @contentType(t)`.
fn file_reference(value: &str) -> (Vec<String>, Option<String>) {
    let inside = |marker: &str| {
        let (_, after) = value.split_once(marker)?;
        let (inner, _) = after.split_once(')')?;
        Some(inner.to_owned())
    };
    let files = inside("@file(")
        .map(|list| {
            list.split('|')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    (files, inside("@contentType("))
}

/// `settings`: redirects and the timeout (milliseconds, the whole exchange's).
fn settings(blocks: &[Block], request: &mut Request) {
    match value_of(blocks, "settings", "followRedirects") {
        Some("false") => request.options.redirects.follow = Some(false),
        Some("true") => request.options.redirects.follow = Some(true),
        _ => {}
    }
    if let Some(max) = value_of(blocks, "settings", "maxRedirects").and_then(|m| m.parse().ok()) {
        request.options.redirects.max = Some(max);
    }
    let timeout = value_of(blocks, "settings", "timeout").and_then(|t| t.parse::<u64>().ok());
    if let Some(ms) = timeout.filter(|ms| *ms > 0) {
        request.options.timeouts.total =
            Some(DurationText::new(std::time::Duration::from_millis(ms)));
    }
}

/// Scripts, tests and assertions, kept as text beside what they belong to.
fn scripts(blocks: &[Block], place: &str) -> Vec<Script> {
    let mut out = Vec::new();
    for (block, when) in [
        ("script:pre-request", "pre-request"),
        ("script:post-response", "post-response"),
        ("tests", "tests"),
    ] {
        if let Some(text) = text_of(blocks, block).filter(|t| !t.trim().is_empty()) {
            out.push(Script {
                when: when.to_owned(),
                extension: "js",
                text: text.to_owned(),
                place: place.to_owned(),
            });
        }
    }
    let asserts: Vec<String> = entries_of(blocks, "assert")
        .iter()
        .map(|e| format!("{}{}: {}", if e.enabled { "" } else { "~" }, e.key, e.value))
        .collect();
    if !asserts.is_empty() {
        out.push(Script {
            when: "assert".to_owned(),
            extension: "txt",
            text: asserts.join("\n") + "\n",
            place: place.to_owned(),
        });
    }
    out
}

/// The names `vars:secret [...]` lists (their values are kept by Bruno, not in files).
pub fn secret_names(blocks: &[Block]) -> Vec<String> {
    list_of(blocks, "vars:secret").to_vec()
}
