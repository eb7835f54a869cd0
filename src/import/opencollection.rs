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
use super::bruno_request::{FileRefs, Shared, credentials_auth, path_templates, templated};
use super::opencollection_parts::{
    assertions, docs, environment_of, environments_in, pair, pairs, read_yaml, scripts, seq,
    settings, variables,
};
use super::postman::{scalar, text};
use super::tree::{
    Environments, ImportedCollection, ImportedFolder, ImportedItem, ImportedRequest, Losses,
    Secrets,
};
use crate::model::{Auth, Body, CollectionMeta, FolderMeta, Method, MultipartPart, Request};

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
        params(http.get("params"), &mut request);
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
        request.description = description(value);
        settings(value.get("settings"), &mut request);
        let mut kept = runtime.map(|r| scripts(r, place)).unwrap_or_default();
        kept.extend(assertions(runtime, place));
        super::bruno_asserts::take(&mut kept, &mut request, self.losses);
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
            "basic" | "digest" | "bearer" | "apikey" => credentials_auth(&kind, &field, "query"),
            "oauth2" if field("flow") == "client_credentials" => {
                let scope = field("scope");
                Auth::OAuth2 {
                    token_url: field("accessTokenUrl"),
                    client_id: templated(&scalar(auth.pointer("/credentials/clientId"))),
                    client_secret: templated(&scalar(auth.pointer("/credentials/clientSecret"))),
                    scope: (!scope.is_empty()).then_some(scope),
                    grant: crate::model::OAuth2Grant::ClientCredentials,
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
        let body = self.selected_variant(body?, place)?;
        if graphql {
            let variables = super::insomnia_request::graphql_variables(body.get("variables"));
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
                request.body = self.file_body(data);
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

    /// A body, or of a list of variants the selected one (the first when none is).
    fn selected_variant<'v>(&mut self, body: &'v Value, place: &str) -> Option<&'v Value> {
        let Some(variants) = body.as_array() else {
            return Some(body);
        };
        if variants.len() > 1 {
            let count = variants.len();
            self.losses.add(
                place,
                format!("{count} body variants: only the selected one is kept"),
            );
        }
        variants
            .iter()
            .find(|v| v.get("selected").and_then(Value::as_bool) == Some(true))
            .or(variants.first())?
            .get("body")
    }

    /// A `file` body: the file selected (the first not turned off).
    fn file_body(&mut self, data: Option<&Value>) -> Body {
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
        Body::Binary {
            file,
            content_type: chosen.and_then(|f| text(f.get("contentType"))),
        }
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

/// Path parameters as request variables; disabled query parameters kept, off (the enabled
/// ones are in the URL already).
fn params(list: Option<&Value>, request: &mut Request) {
    for param in list.and_then(Value::as_array).into_iter().flatten() {
        let pair = pair(param);
        match text(param.get("type")).as_deref() {
            Some("path") => {
                request.variables.insert(pair.name, pair.value);
            }
            _ if !pair.enabled => request.query.push(pair),
            _ => {}
        }
    }
}

/// A request's description: its `info.description`, then its docs.
fn description(value: &Value) -> String {
    let summary = text(value.pointer("/info/description")).unwrap_or_default();
    let docs = docs(value);
    match (summary.is_empty(), docs.is_empty()) {
        (_, true) => summary,
        (true, false) => docs,
        (false, false) => format!("{summary}\n\n{docs}"),
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
