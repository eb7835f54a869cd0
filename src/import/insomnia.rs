//! Insomnia exports: v4 (`_type: export`, a flat list of resources tied by `parentId`, JSON or
//! YAML) and v5 (`type: collection.insomnia.rest/5.0`, a YAML tree). Each workspace becomes a
//! collection: its folders and requests in Insomnia's order (`metaSortKey`, or v5's
//! `sortKey`), its base environment the collection's variables, each sub-environment an
//! environment (a private one's values, and `kvPairData` marked secret, into `.env`), a
//! folder's environment its variables. What a request becomes is
//! [`super::insomnia_request`]'s; templates are [`super::insomnia_template`]'s. gRPC,
//! WebSocket and Socket.IO requests, unit tests and cookie jars are named in the report. A
//! design document's OpenAPI spec is imported as OpenAPI when its workspace has no requests.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::insomnia_request::{Reader, flatten};
use super::insomnia_template::Templates;
use super::postman::{scalar, text};
use super::tree::{Environments, ImportedCollection, ImportedItem, Losses, Secrets};
use crate::model::{CollectionMeta, EnvironmentFile};

/// Whether `value` is an Insomnia export (v4 or v5).
pub fn is_export(value: &Value) -> bool {
    value.get("_type").and_then(Value::as_str) == Some("export")
        || value
            .get("type")
            .and_then(Value::as_str)
            .is_some_and(|kind| {
                kind.contains("insomnia.rest/5") || kind.starts_with("mcpClient.insomnia")
            })
}

/// A folder or request of the tree, its children in order.
struct Node<'a> {
    value: &'a Value,
    place: String,
    kind: Kind,
    children: Vec<Node<'a>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Folder,
    Request,
    /// gRPC, WebSocket, Socket.IO: named in the report.
    Other(String),
}

/// Every workspace of the export as a collection.
pub fn collections(path: &Path, value: &Value, losses: &mut Losses) -> Vec<ImportedCollection> {
    if value.get("_type").is_some() {
        v4(path, value, losses)
    } else {
        v5(path, value, losses).into_iter().collect()
    }
}

fn v4(path: &Path, value: &Value, losses: &mut Losses) -> Vec<ImportedCollection> {
    let resources: Vec<(usize, &Value)> = value
        .get("resources")
        .and_then(Value::as_array)
        .map(|all| all.iter().enumerate().collect())
        .unwrap_or_default();
    let kind_of = |r: &Value| text(r.get("_type")).unwrap_or_default();
    let id_of = |r: &Value| text(r.get("_id")).unwrap_or_default();
    let workspaces: Vec<&Value> = resources
        .iter()
        .map(|(_, r)| *r)
        .filter(|r| kind_of(r) == "workspace")
        .collect();
    let known: Vec<String> = resources.iter().map(|(_, r)| id_of(r)).collect();
    let mut out = Vec::new();
    for (n, workspace) in workspaces.iter().enumerate() {
        let id = id_of(workspace);
        // Items whose parent is in no resource go to the first workspace.
        let orphans_here = n == 0;
        let mut children = v4_children(&resources, &id, orphans_here, &known, losses);
        let (mut collection, names) = collection_of(path, workspace, &mut children, losses);
        let templates = Templates { requests: &names };
        let base = resources
            .iter()
            .map(|(_, r)| *r)
            .find(|r| kind_of(r) == "environment" && text(r.get("parentId")) == Some(id.clone()));
        if let Some(base) = base {
            let subs: Vec<&Value> = resources
                .iter()
                .map(|(_, r)| *r)
                .filter(|r| {
                    kind_of(r) == "environment" && text(r.get("parentId")) == Some(id_of(base))
                })
                .collect();
            environments(&mut collection, base, &subs, &templates, losses);
        }
        for (index, resource) in &resources {
            let kind = kind_of(resource);
            if matches!(
                kind.as_str(),
                "cookie_jar" | "unit_test_suite" | "unit_test"
            ) && text(resource.get("parentId")) == Some(id.clone())
            {
                losses.add(
                    &format!("/resources/{index}"),
                    format!(
                        "{} `{}`: not imported",
                        kind.replace('_', " "),
                        scalar(resource.get("name"))
                    ),
                );
            }
        }
        out.push(collection);
    }
    if workspaces.is_empty() {
        losses.add(
            "/resources",
            "no workspace in the export: nothing to import",
        );
    }
    out
}

/// The children of `parent` among v4 `resources`, ordered as Insomnia shows them.
fn v4_children<'a>(
    resources: &[(usize, &'a Value)],
    parent: &str,
    orphans: bool,
    known: &[String],
    losses: &mut Losses,
) -> Vec<Node<'a>> {
    let mut children: Vec<(usize, &Value)> = resources
        .iter()
        .filter(|(_, r)| {
            let parent_id = text(r.get("parentId")).unwrap_or_default();
            let kind = text(r.get("_type")).unwrap_or_default();
            let item = matches!(
                kind.as_str(),
                "request"
                    | "request_group"
                    | "grpc_request"
                    | "websocket_request"
                    | "socketio_request"
            );
            item && (parent_id == parent || (orphans && !known.contains(&parent_id)))
        })
        .copied()
        .collect();
    // metaSortKey ascending; equal keys by id, descending (as Insomnia sorts).
    children.sort_by(|(_, a), (_, b)| {
        let key = |r: &Value| r.get("metaSortKey").and_then(Value::as_f64).unwrap_or(0.0);
        key(a)
            .total_cmp(&key(b))
            .then_with(|| text(b.get("_id")).cmp(&text(a.get("_id"))))
    });
    children
        .into_iter()
        .map(|(index, value)| {
            let place = format!("/resources/{index}");
            let parent_id = text(value.get("parentId")).unwrap_or_default();
            if parent_id != parent {
                losses.add(
                    &place,
                    format!("its parent `{parent_id}` is not in the export: put at the top"),
                );
            }
            let kind = match text(value.get("_type")).as_deref() {
                Some("request_group") => Kind::Folder,
                Some("request") => Kind::Request,
                other => Kind::Other(other.unwrap_or_default().replace('_', " ")),
            };
            let children = if kind == Kind::Folder {
                v4_children(
                    resources,
                    &text(value.get("_id")).unwrap_or_default(),
                    false,
                    known,
                    losses,
                )
            } else {
                Vec::new()
            };
            Node {
                value,
                place,
                kind,
                children,
            }
        })
        .collect()
}

fn v5(path: &Path, value: &Value, losses: &mut Losses) -> Option<ImportedCollection> {
    let mut children = v5_children(value.get("collection"), "/collection");
    let (mut collection, names) = collection_of(path, value, &mut children, losses);
    if let Some(base) = value.get("environments").filter(|e| e.is_object()) {
        let subs: Vec<&Value> = base
            .get("subEnvironments")
            .and_then(Value::as_array)
            .map(|all| all.iter().collect())
            .unwrap_or_default();
        let templates = Templates { requests: &names };
        environments(&mut collection, base, &subs, &templates, losses);
    }
    if value
        .pointer("/cookieJar/cookies")
        .and_then(Value::as_array)
        .is_some_and(|c| !c.is_empty())
    {
        losses.add("/cookieJar", "the cookie jar: not imported");
    }
    if collection.items.is_empty()
        && let Some(spec) = value.pointer("/spec/contents").filter(|c| c.is_object())
    {
        losses.add("/spec", "a design document: its OpenAPI spec is imported");
        let from_spec =
            super::openapi::collection(path, spec.clone(), &collection.meta.name, losses);
        collection.items = from_spec.items;
        collection.environments.extend(from_spec.environments);
        collection.secrets.extend(from_spec.secrets);
        collection.meta.variables.extend(from_spec.meta.variables);
    }
    Some(collection)
}

/// The items of a v5 `collection` list (or a folder's `children`), by `sortKey` when given.
fn v5_children<'a>(list: Option<&'a Value>, place: &str) -> Vec<Node<'a>> {
    let mut items: Vec<(usize, &Value)> = list
        .and_then(Value::as_array)
        .map(|all| all.iter().enumerate().collect())
        .unwrap_or_default();
    items.sort_by(|(ia, a), (ib, b)| {
        let key = |v: &Value| v.pointer("/meta/sortKey").and_then(Value::as_f64);
        match (key(a), key(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => ia.cmp(ib),
        }
    });
    items
        .into_iter()
        .map(|(index, value)| {
            let place = format!("{place}/{index}");
            let id = text(value.pointer("/meta/id")).unwrap_or_default();
            let declared = text(value.get("type")).unwrap_or_default();
            let kind = if declared == "RequestGroup"
                || id.starts_with("fld_")
                || value.get("children").is_some()
            {
                Kind::Folder
            } else if declared.is_empty() && id.starts_with("req_")
                || declared == "Request"
                || (declared.is_empty() && id.is_empty())
            {
                Kind::Request
            } else if id.starts_with("greq_") || declared == "GrpcRequest" {
                Kind::Other("gRPC request".to_owned())
            } else if id.starts_with("ws-req_") || declared == "WebSocketRequest" {
                Kind::Other("WebSocket request".to_owned())
            } else {
                Kind::Other(if declared.is_empty() {
                    "request of another kind".to_owned()
                } else {
                    declared
                })
            };
            let children = if kind == Kind::Folder {
                v5_children(value.get("children"), &format!("{place}/children"))
            } else {
                Vec::new()
            };
            Node {
                value,
                place,
                kind,
                children,
            }
        })
        .collect()
}

/// A workspace's collection: its name and description, and its items read.
fn collection_of(
    path: &Path,
    workspace: &Value,
    children: &mut [Node],
    losses: &mut Losses,
) -> (ImportedCollection, HashMap<String, String>) {
    let fallback = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "insomnia".to_owned());
    let mut meta = CollectionMeta::named(
        text(workspace.get("name"))
            .filter(|n| !n.is_empty())
            .unwrap_or(fallback),
    );
    meta.description = text(workspace.get("description"))
        .or_else(|| text(workspace.pointer("/meta/description")))
        .unwrap_or_default();
    let mut names = HashMap::new();
    request_paths(children, "", &mut names);
    let mut reader = Reader {
        templates: Templates { requests: &names },
        losses,
    };
    let items = items(children, &mut reader);
    let collection = ImportedCollection {
        meta,
        items,
        environments: Environments::new(),
        secrets: Secrets::new(),
        scripts: Vec::new(),
        files: Vec::new(),
    };
    (collection, names)
}

/// Each request's id and the path a `{{response}}` names it by: folder and request names
/// (file names instead where a name has a `/` or a quote, which the path could not hold).
fn request_paths(nodes: &[Node], prefix: &str, out: &mut HashMap<String, String>) {
    for node in nodes {
        let name = text(node.value.get("name")).unwrap_or_default();
        let part = if name.contains(['/', '"']) {
            crate::store::ops::slug(&name)
        } else {
            name
        };
        let path = if prefix.is_empty() {
            part
        } else {
            format!("{prefix}/{part}")
        };
        let id = text(node.value.get("_id"))
            .or_else(|| text(node.value.pointer("/meta/id")))
            .unwrap_or_default();
        match node.kind {
            Kind::Folder => request_paths(&node.children, &path, out),
            Kind::Request => {
                out.insert(id, path);
            }
            Kind::Other(_) => {}
        }
    }
}

fn items(nodes: &[Node], reader: &mut Reader) -> Vec<ImportedItem> {
    let mut out = Vec::new();
    for node in nodes {
        match &node.kind {
            Kind::Folder => {
                let mut folder = reader.folder(node.value, &node.place);
                folder.items = items(&node.children, reader);
                out.push(ImportedItem::Folder(Box::new(folder)));
            }
            Kind::Request => out.push(ImportedItem::Request(Box::new(
                reader.request(node.value, &node.place),
            ))),
            Kind::Other(kind) => reader.losses.add(
                &node.place,
                format!(
                    "{kind} `{}`: Courier sends HTTP requests only, not imported",
                    scalar(node.value.get("name"))
                ),
            ),
        }
    }
    out
}

/// Whether `value` is a v5 export of environments alone.
pub fn is_environment_file(value: &Value) -> bool {
    text(value.get("type")).is_some_and(|kind| kind.starts_with("environment.insomnia.rest/"))
}

/// A v5 environment file's environments (the base one too, under its name) and secrets:
/// they go into the collections imported with it, as a Postman environment's do.
pub fn environment_file(value: &Value, losses: &mut Losses) -> (Environments, Secrets) {
    let mut holder = ImportedCollection {
        meta: CollectionMeta::named(""),
        items: Vec::new(),
        environments: Environments::new(),
        secrets: Secrets::new(),
        scripts: Vec::new(),
        files: Vec::new(),
    };
    let names = HashMap::new();
    let templates = Templates { requests: &names };
    if let Some(base) = value.get("environments").filter(|e| e.is_object()) {
        let subs: Vec<&Value> = base
            .get("subEnvironments")
            .and_then(Value::as_array)
            .map(|all| all.iter().collect())
            .unwrap_or_default();
        environments(&mut holder, base, &subs, &templates, losses);
        if !holder.meta.variables.is_empty() {
            let name = text(base.get("name")).unwrap_or_else(|| "base".to_owned());
            let file = EnvironmentFile {
                variables: holder.meta.variables.clone(),
                ..EnvironmentFile::default()
            };
            holder.environments.insert(0, (name, file));
        }
    }
    (holder.environments, holder.secrets)
}

/// The base environment as the collection's variables, each sub-environment an environment.
fn environments(
    collection: &mut ImportedCollection,
    base: &Value,
    subs: &[&Value],
    templates: &Templates,
    losses: &mut Losses,
) {
    let (variables, secrets) = environment_values(base, templates, losses);
    collection.meta.variables.extend(variables);
    collection.secrets.extend(secrets);
    let mut ordered: Vec<&&Value> = subs.iter().collect();
    ordered.sort_by(|a, b| {
        let key = |v: &Value| {
            v.get("metaSortKey")
                .or_else(|| v.pointer("/meta/sortKey"))
                .and_then(Value::as_f64)
                .unwrap_or(0.0)
        };
        key(a).total_cmp(&key(b))
    });
    for sub in ordered {
        let name = text(sub.get("name")).unwrap_or_else(|| "environment".to_owned());
        let (variables, secrets) = environment_values(sub, templates, losses);
        let private = sub
            .get("isPrivate")
            .or_else(|| sub.pointer("/meta/isPrivate"))
            .and_then(Value::as_bool)
            == Some(true);
        let mut file = EnvironmentFile::default();
        if private {
            // A private environment's values never leave the machine: into `.env`.
            losses.add(
                &format!("environment “{name}”"),
                "a private environment: its values went to .env, not environments/",
            );
            collection.secrets.extend(variables);
        } else {
            file.variables.extend(variables);
        }
        collection.secrets.extend(secrets);
        collection.environments.push((name, file));
    }
}

/// An environment's variables and its secrets (`kvPairData` entries of type secret), each
/// as names and values.
fn environment_values(
    environment: &Value,
    templates: &Templates,
    losses: &mut Losses,
) -> (Secrets, Secrets) {
    let mut variables = crate::model::Variables::new();
    let mut secrets = Vec::new();
    if let Some(pairs) = environment.get("kvPairData").and_then(Value::as_array) {
        for pair in pairs {
            let (Some(name), value) = (text(pair.get("name")), scalar(pair.get("value"))) else {
                continue;
            };
            if pair.get("enabled").and_then(Value::as_bool) == Some(false) {
                continue;
            }
            if text(pair.get("type")).as_deref() == Some("secret") {
                secrets.push((name, value));
            } else {
                variables.insert(name, value);
            }
        }
    } else {
        flatten(environment.get("data"), "", &mut variables);
    }
    if environment.pointer("/data/__insomnia_vault").is_some() {
        losses.add(
            &format!("environment “{}”", scalar(environment.get("name"))),
            "vault secrets are masked in exports: set them in .env",
        );
    }
    let place = format!("environment “{}”", scalar(environment.get("name")));
    let mut convert = |(name, value): (String, String)| {
        let value = templates.convert(&value, &place, losses);
        (name, value)
    };
    let variables = variables.into_iter().map(&mut convert).collect();
    let secrets = secrets.into_iter().map(&mut convert).collect();
    (variables, secrets)
}
