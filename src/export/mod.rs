//! Writing a collection, a folder or one request for other tools: Postman v2.1 ([`postman`],
//! the importer's inverse), a script of curl commands ([`curl`]), a JetBrains `.http` file
//! ([`http_file`]), HAR 1.2 from the history's exchanges ([`har`]) and a k6 load script
//! ([`k6`]). A folder or a request
//! is exported as its collection [`pruned`] to the path leading to it, so what it inherits
//! (auth, headers, variables, options of the folders around it) goes with it.
//!
//! Nothing here reads `.env`: an export never holds a secret. Formats without inheritance
//! (curl, `.http`) get each request's effective headers, auth and options ([`Effective`]),
//! their templates kept as templates (`{{token}}` in `.http`, `${token}` in a shell script) so
//! secrets stay where they were. What a format has no place for is reported, as an import's
//! losses are.

pub mod curl;
pub mod har;
pub mod http_file;
pub mod k6;
mod k6_checks;
pub mod postman;
mod postman_tests;

#[cfg(test)]
mod tests;

use crate::import::Losses;
use crate::model::{Auth, KeyValue, Options};
use crate::store::{Collection, Folder, Item, LoadedRequest};

/// What an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Postman,
    Curl,
    Http,
    Har,
    K6,
}

impl Format {
    /// By the name `--format` takes.
    pub fn named(name: &str) -> Option<Format> {
        Some(match name.to_ascii_lowercase().as_str() {
            "postman" => Format::Postman,
            "curl" | "sh" => Format::Curl,
            "http" | "rest" => Format::Http,
            "har" => Format::Har,
            "k6" => Format::K6,
            _ => return None,
        })
    }
}

/// `collection` with only the items on the way to `path` (directory and file keys, as
/// `order` lists them): the last one whole, the folders around it with their settings but no
/// other items. An empty path keeps everything.
pub fn pruned(collection: &Collection, path: &[String]) -> Collection {
    let mut out = collection.clone();
    prune(&mut out.root, path);
    out
}

fn prune(folder: &mut Folder, path: &[String]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    folder.items.retain(|item| match item {
        Item::Folder(sub) => sub.key() == *first,
        Item::Request(request) => request.key() == *first,
        Item::Broken(_) => false,
    });
    for item in &mut folder.items {
        if let Item::Folder(sub) = item {
            prune(sub, rest);
        }
    }
}

/// What a request is sent with once everything it inherits is applied: its headers after
/// the collection's and its folders' (a later one of a name replacing an earlier), the first
/// auth that does not inherit, and its options over theirs. Templates are left as written.
pub struct Effective {
    pub headers: Vec<KeyValue>,
    pub auth: Auth,
    pub options: Options,
    /// The variables it sees from files, most general first (the collection's, its folders',
    /// its own): what a format without inheritance must set itself.
    pub variables: Vec<(String, String)>,
}

impl Effective {
    pub fn of(collection: &Collection, folders: &[&Folder], request: &LoadedRequest) -> Effective {
        let mut headers: Vec<KeyValue> = Vec::new();
        let all = collection
            .meta
            .headers
            .iter()
            .chain(folders.iter().flat_map(|f| f.meta.headers.iter()))
            .chain(request.request.headers.iter())
            .filter(|h| h.enabled);
        for header in all {
            headers.retain(|h| !h.name.eq_ignore_ascii_case(&header.name));
            headers.push(header.clone());
        }
        let auth = std::iter::once(&request.request.auth)
            .chain(folders.iter().rev().map(|f| &f.meta.auth))
            .chain(std::iter::once(&collection.meta.auth))
            .find(|auth| !auth.is_inherit())
            .cloned()
            .unwrap_or(Auth::None);
        let options = request.request.options.over(
            &folders
                .iter()
                .fold(collection.meta.options.clone(), |acc, f| {
                    f.meta.options.over(&acc)
                }),
        );
        let mut variables: Vec<(String, String)> = Vec::new();
        let layers = std::iter::once(&collection.meta.variables)
            .chain(folders.iter().map(|f| &f.meta.variables))
            .chain(std::iter::once(&request.request.variables));
        for layer in layers {
            for (name, value) in layer {
                variables.retain(|(known, _)| known != name);
                variables.push((name.clone(), value.clone()));
            }
        }
        Effective {
            headers,
            auth,
            options,
            variables,
        }
    }
}

/// The path whose length a jq filter takes (`.items | length` → `.items`, `length` → `.`),
/// which JavaScript writes as `.length`; None for any other filter.
pub(crate) fn measured_path(filter: &str) -> Option<&str> {
    match filter.trim() {
        "length" => Some("."),
        filter => filter.strip_suffix("| length").map(str::trim_end),
    }
}

/// A request's enabled query pairs as `name=value`, as written (templates kept).
pub fn query_pairs(request: &crate::model::Request) -> Vec<String> {
    request
        .query
        .iter()
        .filter(|pair| pair.enabled)
        .map(|pair| format!("{}={}", pair.name, pair.value))
        .collect()
}

/// The place a request is named by in a report: `folder/request`.
pub fn place(folders: &[&Folder], request: &LoadedRequest) -> String {
    let mut parts: Vec<String> = folders.iter().map(|f| f.key()).collect();
    parts.push(request.key());
    parts.join("/")
}

/// Reports what `options` hold that a format writes nowhere, by their names.
pub fn report_options(options: &Options, written: &[&str], place: &str, losses: &mut Losses) {
    let mut dropped = Vec::new();
    let timeouts = &options.timeouts;
    let named: [(&str, bool); 8] = [
        ("connect timeout", timeouts.connect.is_some()),
        ("read timeout", timeouts.read.is_some()),
        ("total timeout", timeouts.total.is_some()),
        ("HTTP version", options.http.is_some()),
        (
            "redirects",
            options.redirects.follow.is_some() || options.redirects.max.is_some(),
        ),
        ("TLS verification", options.tls.verify.is_some()),
        (
            "TLS files",
            options.tls.ca_file.is_some() || options.tls.client_cert.is_some(),
        ),
        ("proxy", options.proxy.is_some()),
    ];
    for (name, set) in named {
        if set && !written.contains(&name) {
            dropped.push(name);
        }
    }
    if !dropped.is_empty() {
        losses.add(
            place,
            format!(
                "{} not written: the format has no place for them",
                dropped.join(", ")
            ),
        );
    }
}
