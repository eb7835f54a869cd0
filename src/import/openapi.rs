//! OpenAPI 3.0 and 3.1 and Swagger 2.0 descriptions, JSON or YAML: one request per
//! operation, in folders by tag (the order of the description's `tags`, then as met), named by
//! summary or `operationId`. Each server is an environment; the info's text and the tags'
//! descriptions are the collection's and folders' descriptions. What an operation becomes is
//! [`super::openapi_operation`]'s; its body and saved responses [`super::openapi_body`]'s.
//! Webhooks and callbacks are requests made *to* the API's users, not by them: each is
//! named in the report.

use std::path::Path;

use serde_json::Value;

use super::openapi_auth::{Schemes, Server, environments, servers, swagger_servers};
use super::openapi_operation::{Context, operation};
use super::openapi_refs::{Node, Refs};
use super::tree::{ImportedCollection, ImportedFolder, ImportedItem, Losses};
use crate::model::{ApiKeyLocation, CollectionMeta, FolderMeta};

/// The operations of a path item, in the order requests are listed.
pub const METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "trace",
];

/// Whether `value` is an OpenAPI or Swagger description.
pub fn is_description(value: &Value) -> bool {
    value.get("openapi").is_some_and(Value::is_string)
        || value.get("swagger").is_some()
        || (value.get("openapi").is_some() && value.get("paths").is_some())
}

/// The description in `value` (read from `path`) as a collection.
pub fn collection(
    path: &Path,
    value: Value,
    fallback_name: &str,
    losses: &mut Losses,
) -> ImportedCollection {
    let root = Node::root(path, value);
    let mut refs = Refs::new(path);
    let swagger = root.value().get("swagger").is_some();
    let info = root.get("info");
    let mut meta = CollectionMeta::named(info.text("title").unwrap_or(fallback_name));
    meta.description = info_text(&info);
    let servers: Vec<Server> = if swagger {
        swagger_servers(&root, losses)
    } else {
        servers(&root.get("servers"), losses)
    };
    match servers.first() {
        Some(first) => meta.variables = first.variables.clone(),
        None => {
            meta.variables
                .insert("baseUrl".to_owned(), "http://localhost".to_owned());
            losses.add(
                "/servers",
                "no servers: baseUrl is http://localhost until you set it",
            );
        }
    }
    let mut schemes = Schemes::read(&root, &mut refs, losses);
    if let Some(requirement) = schemes.auth(&root.get("security"), losses) {
        meta.auth = requirement.auth.clone();
        for (pair, location) in requirement.extra {
            if location == ApiKeyLocation::Query {
                losses.add(
                    "/security",
                    format!("the API key `{}` goes in the query of every request: sent as a header of the collection instead, check the API takes it so", pair.name),
                );
            }
            super::openapi_operation::add_api_key(&mut meta.headers, None, pair, location);
        }
    }
    let document_security = root.get("security");
    let mut context = Context {
        refs: &mut refs,
        schemes: &mut schemes,
        document_security,
        swagger,
        losses,
    };
    let items = operations(&root, &mut context);
    webhooks(&root, context.losses);
    let secrets = std::mem::take(&mut schemes.secrets);
    ImportedCollection {
        meta,
        items,
        environments: environments(&servers),
        secrets,
        scripts: Vec::new(),
        files: Vec::new(),
    }
}

/// Every operation, filed under its first tag.
fn operations(root: &Node, context: &mut Context) -> Vec<ImportedItem> {
    let mut folders: Vec<ImportedFolder> = root
        .get("tags")
        .items()
        .into_iter()
        .filter_map(|tag| {
            Some(ImportedFolder {
                name: tag.text("name")?.to_owned(),
                meta: FolderMeta {
                    description: tag.text("description").unwrap_or_default().to_owned(),
                    ..FolderMeta::default()
                },
                ..ImportedFolder::default()
            })
        })
        .collect();
    let mut top: Vec<ImportedItem> = Vec::new();
    for (template, item) in root.get("paths").entries() {
        let Some(item) = context.refs.follow(&item, context.losses) else {
            continue;
        };
        for method in METHODS {
            let node = item.get(method);
            if !node.exists() {
                continue;
            }
            let (tag, request) = operation(&template, method, &item, &node, context);
            let request = ImportedItem::Request(Box::new(request));
            match tag {
                None => top.push(request),
                Some(tag) => folder_for(&mut folders, &tag).items.push(request),
            }
        }
    }
    let mut items: Vec<ImportedItem> = folders
        .into_iter()
        .filter(|folder| !folder.items.is_empty())
        .map(|folder| ImportedItem::Folder(Box::new(folder)))
        .collect();
    items.extend(top);
    items
}

fn folder_for<'a>(folders: &'a mut Vec<ImportedFolder>, tag: &str) -> &'a mut ImportedFolder {
    let at = match folders.iter().position(|folder| folder.name == tag) {
        Some(at) => at,
        None => {
            folders.push(ImportedFolder {
                name: tag.to_owned(),
                ..ImportedFolder::default()
            });
            folders.len() - 1
        }
    };
    &mut folders[at]
}

/// The collection's description: the info's, with its version, contact and licence.
fn info_text(info: &Node) -> String {
    let mut text = info
        .text("description")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let mut facts = Vec::new();
    if let Some(version) = info.value().get("version") {
        facts.push(format!(
            "Version: {}",
            super::openapi_schema::as_text(version)
        ));
    }
    let contact = info.get("contact");
    if let Some(who) = contact
        .text("email")
        .or(contact.text("url"))
        .or(contact.text("name"))
    {
        facts.push(format!("Contact: {who}"));
    }
    if let Some(licence) = info.get("license").text("name") {
        facts.push(format!("Licence: {licence}"));
    }
    if let Some(terms) = info.text("termsOfService") {
        facts.push(format!("Terms: {terms}"));
    }
    if !facts.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&facts.join("\n"));
    }
    text
}

/// Webhooks (3.1) are named in the report: the API sends them, nobody sends them to it.
fn webhooks(root: &Node, losses: &mut Losses) {
    for (name, item) in root.get("webhooks").entries() {
        let methods: Vec<String> = METHODS
            .iter()
            .filter(|method| item.get(method).exists())
            .map(|method| method.to_ascii_uppercase())
            .collect();
        losses.add(
            &item.place(),
            format!(
                "webhook `{name}` ({}): the API sends it, so there is no request to make; not imported",
                methods.join(", ")
            ),
        );
    }
}

/// Operations of `request` for tests: the request a folder holds, by name.
#[cfg(test)]
pub fn find<'a>(items: &'a [ImportedItem], name: &str) -> Option<&'a super::tree::ImportedRequest> {
    items.iter().find_map(|item| match item {
        ImportedItem::Request(request) if request.request.name == name => Some(&**request),
        ImportedItem::Folder(folder) => find(&folder.items, name),
        ImportedItem::Request(_) => None,
    })
}
