//! Bruno's YAML format, OpenCollection 1.0: a folder holding `opencollection.yml` (the
//! collection's info, docs and `request` defaults), a `<name>.yml` per request, `folder.yml`
//! per folder and `environments/*.yml`; or one bundled file with nested `items` and
//! `config.environments`. The same things as a `.bru` collection come across (see
//! [`super::bruno`]): defaults inherited from the collection and folders, Bruno's order, every
//! body and auth, runtime variables, scripts, assertions as text, settings, docs, the files
//! requests send copied into `.files/`, secret environment values blank in `.env`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::ImportError;
use super::bruno::{attachments, dotenv, in_bruno_order};
use super::bruno_request::{FileRefs, Shared, path_templates, templated};
use super::postman::{scalar, text};
use super::tree::{
    Environments, ImportedCollection, ImportedFolder, ImportedItem, ImportedRequest, Losses,
    Script, Secrets,
};
use crate::model::{
    ApiKeyLocation, Auth, Body, CollectionMeta, DurationText, EnvironmentFile, FolderMeta,
    KeyValue, Method, MultipartPart, Request,
};

/// Files read at most: a collection is not a whole disk.
const MOST_FILES: usize = 20_000;
const DEEPEST: usize = 32;

/// Whether `dir` is an OpenCollection folder.
pub fn is_collection(dir: &Path) -> bool {
    dir.join("opencollection.yml").is_file() || dir.join("opencollection.yaml").is_file()
}

/// The collection in the folder `dir`.
pub fn from_dir(dir: &Path, losses: &mut Losses) -> Result<ImportedCollection, ImportError> {
    let root_file = [
        dir.join("opencollection.yml"),
        dir.join("opencollection.yaml"),
    ]
    .into_iter()
    .find(|p| p.is_file())
    .unwrap_or_else(|| dir.join("opencollection.yml"));
    let root = read_yaml(&root_file, losses)?;
    let mut reader = Reader {
        files: FileRefs {
            root_from_here: String::new(),
            named: Vec::new(),
        },
        losses,
    };
    let mut collection = reader.collection(&root, dir);
    let mut walker = Walker {
        root: dir,
        count: 0,
    };
    collection.items = walker.items(dir, "", 0, &mut reader);
    let (environments, secrets) = environments_in(dir, reader.losses);
    collection.environments.extend(environments);
    collection.secrets.extend(secrets);
    collection.secrets.extend(dotenv(dir));
    let named = std::mem::take(&mut reader.files.named);
    collection.files = attachments(dir, &named, reader.losses);
    Ok(collection)
}

/// A bundled OpenCollection file (`items` nested in it), read from `path`.
pub fn bundled(path: &Path, value: &Value, losses: &mut Losses) -> ImportedCollection {
    let mut reader = Reader {
        files: FileRefs {
            root_from_here: String::new(),
            named: Vec::new(),
        },
        losses,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut collection = reader.collection(value, dir);
    collection.items = reader.bundled_items(value.get("items"), "/items", "");
    for (index, environment) in value
        .pointer("/config/environments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let (name, file, secrets) = environment_of(
            environment,
            &format!("/config/environments/{index}"),
            reader.losses,
        );
        collection.environments.push((name, file));
        collection.secrets.extend(secrets);
    }
    let named = std::mem::take(&mut reader.files.named);
    collection.files = attachments(dir, &named, reader.losses);
    collection
}

fn read_yaml(path: &Path, losses: &mut Losses) -> Result<Value, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|err| ImportError::Read {
        path: path.to_owned(),
        reason: err.to_string(),
    })?;
    super::yaml::parse(path, &text, losses)
}

struct Reader<'a> {
    files: FileRefs,
    losses: &'a mut Losses,
}

impl Reader<'_> {
    /// The collection's info, docs and request defaults.
    fn collection(&mut self, root: &Value, dir: &Path) -> ImportedCollection {
        let fallback = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "bruno".to_owned());
        let mut meta = CollectionMeta::named(text(root.pointer("/info/name")).unwrap_or(fallback));
        let defaults = self.defaults(root.get("request"), "opencollection.yml/request");
        meta.headers = defaults.headers;
        meta.auth = defaults.auth;
        meta.variables = defaults.variables;
        meta.description = docs(root);
        ImportedCollection {
            meta,
            items: Vec::new(),
            environments: Environments::new(),
            secrets: Secrets::new(),
            scripts: defaults.scripts,
            files: Vec::new(),
        }
    }

    /// A collection's or folder's `request` defaults (its docs are the caller's).
    fn defaults(&mut self, request: Option<&Value>, place: &str) -> Shared {
        let mut shared = Shared {
            headers: Vec::new(),
            auth: Auth::Inherit,
            variables: crate::model::Variables::new(),
            scripts: Vec::new(),
            docs: String::new(),
        };
        if let Some(request) = request {
            if let Some(auth) = request.get("auth") {
                shared.auth = self.auth(auth, place);
            }
            shared.headers = pairs(request.get("headers"));
            shared.variables = variables(request.get("variables")).into_iter().collect();
            shared.scripts = scripts(request, place);
        }
        shared
    }

    /// Folder `info` and `request` defaults as a folder (its items are the caller's).
    fn folder(
        &mut self,
        value: &Value,
        name: &str,
        place: &str,
    ) -> (Option<usize>, ImportedFolder) {
        let defaults = self.defaults(value.get("request"), place);
        let folder = ImportedFolder {
            name: text(value.pointer("/info/name")).unwrap_or_else(|| name.to_owned()),
            meta: FolderMeta {
                headers: defaults.headers,
                auth: defaults.auth,
                variables: defaults.variables,
                description: docs(value),
                ..FolderMeta::default()
            },
            items: Vec::new(),
            scripts: defaults.scripts,
        };
        (seq(value).map(|s| s as usize), folder)
    }

    /// A request item, or None for one of another kind (reported).
    fn request(
        &mut self,
        value: &Value,
        fallback: &str,
        place: &str,
    ) -> Option<(usize, ImportedRequest)> {
        let kind = text(value.pointer("/info/type")).unwrap_or_else(|| "http".to_owned());
        let Some(http) = value.get("http").or_else(|| value.get("graphql")) else {
            self.losses.add(
                place,
                format!("a {kind} request: Courier sends HTTP requests only, not imported"),
            );
            return None;
        };
        let name = text(value.pointer("/info/name")).unwrap_or_else(|| fallback.to_owned());
        let method_text = text(http.get("method")).unwrap_or_else(|| {
            if value.get("graphql").is_some() {
                "POST".to_owned()
            } else {
                "GET".to_owned()
            }
        });
        let method =
            Method::try_from(method_text.to_ascii_uppercase()).unwrap_or_else(|_| Method::get());
        let url = templated(&text(http.get("url")).unwrap_or_default());
        let mut request = Request::new(name, method, path_templates(&url));
        for param in http
            .get("params")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let pair = pair(param);
            match text(param.get("type")).as_deref() {
                Some("path") => {
                    request.variables.insert(pair.name, pair.value);
                }
                // Enabled query parameters are in the URL already.
                _ if !pair.enabled => request.query.push(pair),
                _ => {}
            }
        }
        request.headers = pairs(http.get("headers"));
        request.auth = match http.get("auth") {
            None => Auth::None,
            Some(auth) => self.auth(auth, place),
        };
        let body_text = self.body(
            http.get("body"),
            value.get("graphql").is_some(),
            &mut request,
            place,
        );
        let runtime = value.get("runtime");
        request
            .variables
            .extend(variables(runtime.and_then(|r| r.get("variables"))));
        let mut description = text(value.pointer("/info/description")).unwrap_or_default();
        let docs = docs(value);
        if !docs.is_empty() {
            description = if description.is_empty() {
                docs
            } else {
                format!("{description}\n\n{docs}")
            };
        }
        request.description = description;
        settings(value.get("settings"), &mut request);
        let mut kept = runtime.map(|r| scripts(r, place)).unwrap_or_default();
        kept.extend(assertions(runtime, place));
        let seq = seq(value).map_or(usize::MAX, |s| s as usize);
        Some((
            seq,
            ImportedRequest {
                request,
                body_text,
                examples: Vec::new(),
                scripts: kept,
            },
        ))
    }

    fn auth(&mut self, auth: &Value, place: &str) -> Auth {
        if auth.as_str() == Some("inherit") {
            return Auth::Inherit;
        }
        let field = |key: &str| templated(&scalar(auth.get(key)));
        let kind = text(auth.get("type"))
            .or_else(|| text(auth.get("mode")))
            .unwrap_or_default();
        match kind.as_str() {
            "none" | "" => Auth::None,
            "inherit" => Auth::Inherit,
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
            "apikey" => Auth::ApiKey {
                name: field("key"),
                value: field("value"),
                location: if field("placement") == "query" {
                    ApiKeyLocation::Query
                } else {
                    ApiKeyLocation::Header
                },
            },
            "oauth2" if field("flow") == "client_credentials" => {
                let scope = field("scope");
                Auth::OAuth2 {
                    token_url: field("accessTokenUrl"),
                    client_id: templated(&scalar(auth.pointer("/credentials/clientId"))),
                    client_secret: templated(&scalar(auth.pointer("/credentials/clientSecret"))),
                    scope: (!scope.is_empty()).then_some(scope),
                }
            }
            other => {
                let flow = field("flow");
                let what = if other == "oauth2" {
                    format!("OAuth 2 by the `{flow}` flow")
                } else {
                    format!("`{other}` auth")
                };
                self.losses.add(
                    place,
                    format!("{what} has no Courier equivalent: it inherits instead"),
                );
                Auth::Inherit
            }
        }
    }

    /// The body `{type, data}`; its text when it has a sidecar.
    fn body(
        &mut self,
        body: Option<&Value>,
        graphql: bool,
        request: &mut Request,
        place: &str,
    ) -> Option<String> {
        let mut body = body?;
        if let Some(variants) = body.as_array() {
            // Variants: the selected one is sent.
            body = variants
                .iter()
                .find(|v| v.get("selected").and_then(Value::as_bool) == Some(true))
                .or(variants.first())?
                .get("body")?;
            if variants.len() > 1 {
                self.losses.add(
                    place,
                    format!(
                        "{} body variants: only the selected one is kept",
                        variants.len()
                    ),
                );
            }
        }
        if graphql {
            let variables = match body.get("variables") {
                Some(Value::String(text)) => serde_json::from_str(text).ok(),
                Some(Value::Null) | None => None,
                Some(other) => Some(other.clone()),
            };
            request.body = Body::Graphql {
                file: String::new(),
                variables,
            };
            return Some(templated(&scalar(body.get("query"))));
        }
        let data = body.get("data");
        let typed = |content_type: &str| Body::Text {
            file: String::new(),
            content_type: Some(content_type.to_owned()),
        };
        match text(body.get("type")).as_deref().unwrap_or("none") {
            "json" => {
                request.body = Body::Json {
                    file: String::new(),
                }
            }
            "text" => request.body = typed("text/plain"),
            "xml" => request.body = typed("application/xml"),
            "sparql" => request.body = typed("application/sparql-query"),
            "form-urlencoded" => {
                request.body = Body::Form {
                    fields: pairs(data),
                };
                return None;
            }
            "multipart-form" => {
                request.body = Body::Multipart {
                    parts: self.parts(data, place),
                };
                return None;
            }
            "file" => {
                let files: Vec<&Value> = data
                    .and_then(Value::as_array)
                    .map(|all| all.iter().collect())
                    .unwrap_or_default();
                let chosen = files
                    .iter()
                    .find(|f| f.get("selected").and_then(Value::as_bool) != Some(false))
                    .copied();
                let file = chosen
                    .and_then(|f| text(f.get("filePath")))
                    .map(|f| self.files.take(&f))
                    .unwrap_or_default();
                request.body = Body::Binary {
                    file,
                    content_type: chosen.and_then(|f| text(f.get("contentType"))),
                };
                return None;
            }
            "none" => return None,
            other => {
                self.losses.add(
                    place,
                    format!("the `{other}` body has no Courier equivalent: left out"),
                );
                return None;
            }
        }
        Some(templated(&scalar(data)))
    }

    fn parts(&mut self, data: Option<&Value>, place: &str) -> Vec<MultipartPart> {
        let mut out = Vec::new();
        for part in data.and_then(Value::as_array).into_iter().flatten() {
            let name = templated(&scalar(part.get("name")));
            let is_file = text(part.get("type")).as_deref() == Some("file");
            let paths: Vec<String> = match part.get("value") {
                Some(Value::Array(all)) => all.iter().map(|v| scalar(Some(v))).collect(),
                other => vec![scalar(other)],
            };
            if is_file && paths.len() > 1 {
                self.losses.add(
                    place,
                    format!(
                        "part `{name}` sends {} files: only the first is kept",
                        paths.len()
                    ),
                );
            }
            out.push(MultipartPart {
                name,
                value: (!is_file).then(|| templated(&scalar(part.get("value")))),
                file: is_file.then(|| {
                    paths
                        .first()
                        .map(|f| self.files.take(f))
                        .unwrap_or_default()
                }),
                content_type: text(part.get("contentType")).filter(|t| !t.is_empty()),
                enabled: part.get("disabled").and_then(Value::as_bool) != Some(true),
            });
        }
        out
    }

    /// A bundled file's `items`: folders (with their own `items`) and requests.
    fn bundled_items(
        &mut self,
        items: Option<&Value>,
        place: &str,
        root_from_here: &str,
    ) -> Vec<ImportedItem> {
        let mut folders = Vec::new();
        let mut requests = Vec::new();
        for (index, item) in items
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let here = format!("{place}/{index}");
            if text(item.pointer("/info/type")).as_deref() == Some("folder") {
                let (seq, mut folder) = self.folder(item, "folder", &here);
                folder.items = self.bundled_items(
                    item.get("items"),
                    &format!("{here}/items"),
                    &format!("{root_from_here}../"),
                );
                folders.push((seq, folder));
            } else {
                self.files.root_from_here = root_from_here.to_owned();
                requests.extend(self.request(item, "request", &here));
            }
        }
        in_bruno_order(folders, requests)
    }
}

/// The folder layout's walk over directories, in Bruno's order.
struct Walker<'a> {
    root: &'a Path,
    count: usize,
}

impl Walker<'_> {
    fn items(
        &mut self,
        dir: &Path,
        root_from_here: &str,
        depth: usize,
        reader: &mut Reader,
    ) -> Vec<ImportedItem> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let mut folders = Vec::new();
        let mut requests = Vec::new();
        for path in paths {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let shown = path
                .strip_prefix(self.root)
                .unwrap_or(&path)
                .display()
                .to_string();
            if self.count >= MOST_FILES {
                break;
            }
            if path.is_dir() {
                if depth >= DEEPEST
                    || name.starts_with('.')
                    || matches!(name.as_str(), "environments" | "node_modules")
                {
                    continue;
                }
                let folder_file = path.join("folder.yml");
                let value = if folder_file.is_file() {
                    read_yaml(&folder_file, reader.losses).unwrap_or(Value::Null)
                } else {
                    Value::Null
                };
                let (seq, mut folder) =
                    reader.folder(&value, &name, &format!("{shown}/folder.yml"));
                folder.items =
                    self.items(&path, &format!("{root_from_here}../"), depth + 1, reader);
                folders.push((seq, folder));
            } else if (name.ends_with(".yml") || name.ends_with(".yaml"))
                && !name.starts_with("folder.")
                && !name.starts_with("opencollection.")
            {
                self.count += 1;
                let value = match read_yaml(&path, reader.losses) {
                    Ok(value) => value,
                    Err(err) => {
                        reader
                            .losses
                            .add(&shown, format!("{err}: the file is left out"));
                        continue;
                    }
                };
                reader.files.root_from_here = root_from_here.to_owned();
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                requests.extend(reader.request(&value, &stem, &shown));
            }
        }
        in_bruno_order(folders, requests)
    }
}

/// `environments/*.yml` of the folder layout.
fn environments_in(dir: &Path, losses: &mut Losses) -> (Environments, Secrets) {
    let mut out = Environments::new();
    let mut secrets = Secrets::new();
    let Ok(entries) = std::fs::read_dir(dir.join("environments")) else {
        return (out, secrets);
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    for file in files {
        let shown = file
            .strip_prefix(dir)
            .unwrap_or(&file)
            .display()
            .to_string();
        let Ok(value) = read_yaml(&file, losses) else {
            losses.add(&shown, "the environment does not parse: left out");
            continue;
        };
        let (mut name, environment, found) = environment_of(&value, &shown, losses);
        if name.is_empty() {
            name = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
        }
        out.push((name, environment));
        secrets.extend(found);
    }
    (out, secrets)
}

/// An environment: its name, its values, and its secrets' names with blank values.
fn environment_of(
    value: &Value,
    place: &str,
    losses: &mut Losses,
) -> (String, EnvironmentFile, Secrets) {
    let mut file = EnvironmentFile::default();
    let mut secrets = Secrets::new();
    for variable in value
        .get("variables")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = text(variable.get("name")) else {
            continue;
        };
        if variable.get("secret").and_then(Value::as_bool) == Some(true) {
            secrets.push((name, String::new()));
        } else if variable.get("disabled").and_then(Value::as_bool) != Some(true) {
            file.variables
                .insert(name, templated(&value_text(variable.get("value"))));
        }
    }
    if !secrets.is_empty() {
        let names: Vec<&str> = secrets.iter().map(|(n, _)| n.as_str()).collect();
        losses.add(
            place,
            format!(
                "secret values ({}) are kept by Bruno, not in its files: fill them in .env",
                names.join(", ")
            ),
        );
    }
    (text(value.get("name")).unwrap_or_default(), file, secrets)
}

/// A variable's value: a string, or `{type, data}`.
fn value_text(value: Option<&Value>) -> String {
    match value {
        Some(Value::Object(typed)) => scalar(typed.get("data")),
        other => scalar(other),
    }
}

fn variables(list: Option<&Value>) -> Vec<(String, String)> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|v| v.get("disabled").and_then(Value::as_bool) != Some(true))
        .filter_map(|v| Some((text(v.get("name"))?, templated(&value_text(v.get("value"))))))
        .collect()
}

fn pair(value: &Value) -> KeyValue {
    KeyValue {
        enabled: value.get("disabled").and_then(Value::as_bool) != Some(true),
        ..KeyValue::new(
            templated(&scalar(value.get("name"))),
            templated(&value_text(value.get("value"))),
        )
    }
}

fn pairs(list: Option<&Value>) -> Vec<KeyValue> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(pair)
        .collect()
}

/// `scripts: [{type, code}]` kept as text.
fn scripts(holder: &Value, place: &str) -> Vec<Script> {
    let mut out = Vec::new();
    for script in holder
        .get("scripts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let code = scalar(script.get("code"));
        if code.trim().is_empty() {
            continue;
        }
        let when = match text(script.get("type")).as_deref() {
            Some("before-request") => "pre-request",
            Some("after-response") => "post-response",
            _ => "tests",
        };
        out.push(Script {
            when: when.to_owned(),
            extension: "js",
            text: code,
            place: place.to_owned(),
        });
    }
    out
}

/// `runtime.assertions` as one text file.
fn assertions(runtime: Option<&Value>, place: &str) -> Vec<Script> {
    let lines: Vec<String> = runtime
        .and_then(|r| r.get("assertions"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|a| {
            let off = if a.get("disabled").and_then(Value::as_bool) == Some(true) {
                "~"
            } else {
                ""
            };
            format!(
                "{off}{}: {} {}",
                scalar(a.get("expression")),
                scalar(a.get("operator")),
                scalar(a.get("value"))
            )
            .trim_end()
            .to_owned()
        })
        .collect();
    if lines.is_empty() {
        return Vec::new();
    }
    vec![Script {
        when: "assert".to_owned(),
        extension: "txt",
        text: lines.join("\n") + "\n",
        place: place.to_owned(),
    }]
}

/// `docs`: a string or `{content}`.
fn docs(value: &Value) -> String {
    match value.get("docs") {
        Some(Value::Object(docs)) => scalar(docs.get("content")),
        other => scalar(other),
    }
    .trim()
    .to_owned()
}

fn seq(value: &Value) -> Option<f64> {
    let seq = value.pointer("/info/seq")?;
    seq.as_f64()
        .or_else(|| seq.as_str()?.trim().parse().ok())
        .map(|s| s.max(0.0))
}

/// `settings`: redirects and the timeout (milliseconds).
fn settings(value: Option<&Value>, request: &mut Request) {
    let Some(settings) = value else {
        return;
    };
    if let Some(follow) = settings.get("followRedirects").and_then(Value::as_bool) {
        request.options.redirects.follow = Some(follow);
    }
    if let Some(max) = settings
        .get("maxRedirects")
        .and_then(Value::as_u64)
        .and_then(|m| u32::try_from(m).ok())
    {
        request.options.redirects.max = Some(max);
    }
    if let Some(ms) = settings
        .get("timeout")
        .and_then(Value::as_u64)
        .filter(|ms| *ms > 0)
    {
        request.options.timeouts.total =
            Some(DurationText::new(std::time::Duration::from_millis(ms)));
    }
}
