//! Bruno collections: a folder holding `bruno.json`, its requests in `.bru` files (read by
//! [`super::bru`], understood by [`super::bruno_request`]), folders with an optional
//! `folder.bru`, settings for everything in `collection.bru`, environments in
//! `environments/*.bru` and secrets in `.env`. Folders come first, by name, then moved to
//! their `seq`; requests follow by `seq`, as Bruno shows them. An environment's
//! `vars:secret` names are listed, blank, in `.env` (Bruno keeps their values outside the
//! files); the collection's own `.env` comes across whole, into Courier's `.env`.
//! A file that does not parse is reported by its line and left out; the rest comes across.

use std::path::{Path, PathBuf};

use super::ImportError;
use super::bru::{Block, parse, value_of};
use super::bruno_request::{FileRefs, request, secret_names, shared, templated};
use super::tree::{
    Environments, ImportedCollection, ImportedFolder, ImportedItem, ImportedRequest, Losses,
    Secrets,
};
use crate::model::{CollectionMeta, EnvironmentFile, FolderMeta};

/// Directories in a collection that hold no requests.
const NOT_FOLDERS: &[&str] = &["environments", "node_modules", ".git"];
/// Files read at most, and folders deep: a collection is not a whole disk.
const MOST_FILES: usize = 20_000;
const DEEPEST: usize = 32;

/// Whether `dir` is a Bruno collection of `.bru` files.
pub fn is_collection(dir: &Path) -> bool {
    dir.join("bruno.json").is_file()
}

/// The collection in `dir`.
pub fn collection(dir: &Path, losses: &mut Losses) -> Result<ImportedCollection, ImportError> {
    let config =
        std::fs::read_to_string(dir.join("bruno.json")).map_err(|err| ImportError::Read {
            path: dir.join("bruno.json"),
            reason: err.to_string(),
        })?;
    let config: serde_json::Value =
        serde_json::from_str(&config).map_err(|err| ImportError::Syntax {
            path: dir.join("bruno.json"),
            line: err.line(),
            column: err.column(),
            message: err.to_string(),
        })?;
    let fallback = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = config
        .get("name")
        .and_then(|n| n.as_str())
        .map(str::to_owned)
        .unwrap_or(fallback);
    let mut meta = CollectionMeta::named(name);
    let mut scripts = Vec::new();
    if let Some(blocks) = read_bru(&dir.join("collection.bru"), dir, losses) {
        let common = shared(&blocks, None, "collection.bru", losses);
        meta.headers = common.headers;
        meta.auth = common.auth;
        meta.variables = common.variables;
        meta.description = common.docs;
        scripts = common.scripts;
    }
    if config
        .get("proxy")
        .and_then(|p| p.get("enabled"))
        .and_then(|e| e.as_bool())
        == Some(true)
    {
        losses.add(
            "bruno.json",
            "the collection's proxy is not imported: set `proxy` in the collection's options",
        );
    }
    let mut walker = Walker {
        root: dir,
        losses,
        files: 0,
        named: Vec::new(),
    };
    let items = walker.folder_items(dir, "", 0);
    let named = std::mem::take(&mut walker.named);
    let (environments, mut secrets) = environments(dir, walker.losses);
    secrets.extend(dotenv(dir));
    let files = attachments(dir, &named, walker.losses);
    Ok(ImportedCollection {
        meta,
        items,
        environments,
        secrets,
        scripts,
        files,
    })
}

struct Walker<'a> {
    root: &'a Path,
    losses: &'a mut Losses,
    files: usize,
    /// The files requests send, from the collection's root.
    named: Vec<String>,
}

impl Walker<'_> {
    /// The folders and requests in `dir`, in Bruno's order; `root_from_here` leads back to
    /// the collection's folder.
    fn folder_items(
        &mut self,
        dir: &Path,
        root_from_here: &str,
        depth: usize,
    ) -> Vec<ImportedItem> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let mut folders: Vec<(Option<usize>, ImportedFolder)> = Vec::new();
        let mut requests: Vec<(usize, ImportedRequest)> = Vec::new();
        for path in paths {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if self.files >= MOST_FILES {
                self.losses.add(
                    &self.shown(dir),
                    format!("more than {MOST_FILES} files: the rest are left out"),
                );
                break;
            }
            if path.is_dir()
                && depth < DEEPEST
                && !NOT_FOLDERS.contains(&name.as_str())
                && !name.starts_with('.')
            {
                let inner = format!("{root_from_here}../");
                folders.push(self.folder(&path, &name, &inner, depth));
            } else if name.ends_with(".bru") && name != "folder.bru" && name != "collection.bru" {
                self.files += 1;
                if let Some(found) = self.request(&path, root_from_here) {
                    requests.push(found);
                }
            }
        }
        in_bruno_order(folders, requests)
    }

    fn folder(
        &mut self,
        dir: &Path,
        name: &str,
        root_from_here: &str,
        depth: usize,
    ) -> (Option<usize>, ImportedFolder) {
        let mut folder = ImportedFolder {
            name: name.to_owned(),
            ..ImportedFolder::default()
        };
        let mut seq = None;
        if let Some(blocks) = read_bru(&dir.join("folder.bru"), self.root, self.losses) {
            let place = self.shown(&dir.join("folder.bru"));
            let common = shared(&blocks, None, &place, self.losses);
            folder.meta = FolderMeta {
                headers: common.headers,
                auth: common.auth,
                variables: common.variables,
                description: common.docs,
                ..FolderMeta::default()
            };
            folder.scripts = common.scripts;
            if let Some(shown) = value_of(&blocks, "meta", "name") {
                folder.name = shown.to_owned();
            }
            seq = value_of(&blocks, "meta", "seq").and_then(|s| s.trim().parse().ok());
        }
        folder.items = self.folder_items(dir, root_from_here, depth + 1);
        (seq, folder)
    }

    /// A request file, with its `seq`; None when it is no HTTP request (reported).
    fn request(&mut self, file: &Path, root_from_here: &str) -> Option<(usize, ImportedRequest)> {
        let blocks = read_bru(file, self.root, self.losses)?;
        let place = self.shown(file);
        let kind = value_of(&blocks, "meta", "type").unwrap_or("http");
        if !matches!(kind, "http" | "graphql") {
            self.losses.add(
                &place,
                format!("a {kind} request: Courier sends HTTP requests only, not imported"),
            );
            return None;
        }
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = value_of(&blocks, "meta", "name")
            .map(str::to_owned)
            .unwrap_or(stem);
        let seq = value_of(&blocks, "meta", "seq")
            .and_then(|s| s.trim().parse::<f64>().ok())
            .map_or(usize::MAX, |s| s.max(0.0) as usize);
        let mut refs = FileRefs {
            root_from_here: root_from_here.to_owned(),
            named: std::mem::take(&mut self.named),
        };
        let (request, body_text, scripts) = request(&blocks, &name, &mut refs, &place, self.losses);
        self.named = refs.named;
        Some((
            seq,
            ImportedRequest {
                request,
                body_text,
                examples: Vec::new(),
                scripts,
            },
        ))
    }

    fn shown(&self, path: &Path) -> String {
        path.strip_prefix(self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// Folders first, by name, then each with a `seq` moved to that place; requests after them
/// by `seq`: the order Bruno shows.
pub(super) fn in_bruno_order(
    folders: Vec<(Option<usize>, ImportedFolder)>,
    mut requests: Vec<(usize, ImportedRequest)>,
) -> Vec<ImportedItem> {
    let mut ordered: Vec<ImportedFolder> = Vec::new();
    let (placed, free): (Vec<_>, Vec<_>) = folders.into_iter().partition(|(seq, _)| seq.is_some());
    ordered.extend(free.into_iter().map(|(_, f)| f));
    let mut placed: Vec<(usize, ImportedFolder)> = placed
        .into_iter()
        .map(|(seq, f)| (seq.unwrap_or(0), f))
        .collect();
    placed.sort_by_key(|(seq, _)| *seq);
    for (seq, folder) in placed {
        let at = seq.saturating_sub(1).min(ordered.len());
        ordered.insert(at, folder);
    }
    requests.sort_by_key(|(seq, _)| *seq);
    let mut items: Vec<ImportedItem> = ordered
        .into_iter()
        .map(|f| ImportedItem::Folder(Box::new(f)))
        .collect();
    items.extend(
        requests
            .into_iter()
            .map(|(_, r)| ImportedItem::Request(Box::new(r))),
    );
    items
}

/// The biggest file a request may send that is copied into the collection.
const BIGGEST_FILE: u64 = 64 * 1024 * 1024;

/// The files requests name, read from inside the collection to be written into the new one
/// at the same places. One outside it, missing or too big is reported instead.
pub(super) fn attachments(
    dir: &Path,
    named: &[String],
    losses: &mut Losses,
) -> Vec<(String, Vec<u8>)> {
    let Ok(root) = std::fs::canonicalize(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for name in named {
        let path = dir.join(name);
        let inside =
            std::fs::canonicalize(&path).is_ok_and(|p| p.starts_with(&root) && p.is_file());
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        let read = (inside && size <= BIGGEST_FILE)
            .then(|| std::fs::read(&path).ok())
            .flatten();
        match read {
            Some(bytes) => out.push((format!("{}/{name}", super::bruno_request::FILES_DIR), bytes)),
            None => losses.add(
                name,
                "a file a request sends, not copied (missing, outside the collection or over 64 MB): put it there yourself",
            ),
        }
    }
    out
}

/// The blocks of the `.bru` file at `path`, or None when it is missing or broken (reported).
fn read_bru(path: &Path, root: &Path, losses: &mut Losses) -> Option<Vec<Block>> {
    let text = std::fs::read_to_string(path).ok()?;
    let shown = path
        .strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string();
    match parse(&text) {
        Ok(blocks) => Some(blocks),
        Err(err) => {
            losses.add(
                &format!("{shown}:{}", err.line),
                format!("{}: the file is left out", err.message),
            );
            None
        }
    }
}

/// The files in `dir` with one of `extensions`, sorted.
pub(super) fn files_in(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| extensions.iter().any(|x| e == *x))
        })
        .collect();
    files.sort();
    files
}

/// `environments/*.bru`: each an environment; its `vars:secret` names blank in `.env`.
fn environments(dir: &Path, losses: &mut Losses) -> (Environments, Secrets) {
    let mut out = Environments::new();
    let mut secrets = Secrets::new();
    for file in files_in(&dir.join("environments"), &["bru"]) {
        let Some(blocks) = read_bru(&file, dir, losses) else {
            continue;
        };
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut environment = EnvironmentFile::default();
        for entry in super::bru::entries_of(&blocks, "vars")
            .iter()
            .filter(|e| e.enabled)
        {
            environment
                .variables
                .insert(entry.key.clone(), templated(&entry.value));
        }
        let names = secret_names(&blocks);
        if !names.is_empty() {
            losses.add(
                &format!("environments/{name}.bru"),
                format!(
                    "secret values ({}) are kept by Bruno, not in its files: fill them in .env",
                    names.join(", ")
                ),
            );
        }
        for secret in names {
            if !secrets.iter().any(|(known, _)| *known == secret) {
                secrets.push((secret, String::new()));
            }
        }
        out.push((name, environment));
    }
    (out, secrets)
}

/// The collection's `.env`: `NAME=value` lines (quotes around a value removed).
pub(super) fn dotenv(dir: &Path) -> Secrets {
    let Ok(text) = std::fs::read_to_string(dir.join(".env")) else {
        return Secrets::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let (name, value) = line.trim_start_matches("export ").split_once('=')?;
            let value = value.trim();
            let unquoted = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value);
            Some((name.trim().to_owned(), unquoted.to_owned()))
        })
        .collect()
}

/// A lone `.bru` request file as a collection of that one request.
pub fn single(
    path: &Path,
    text: &str,
    losses: &mut Losses,
) -> Result<ImportedCollection, ImportError> {
    let blocks = parse(text).map_err(|err| ImportError::Syntax {
        path: path.to_owned(),
        line: err.line,
        column: 1,
        message: err.message,
    })?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bruno".to_owned());
    let name = value_of(&blocks, "meta", "name")
        .map(str::to_owned)
        .unwrap_or_else(|| stem.clone());
    let place = path.display().to_string();
    let mut refs = FileRefs {
        root_from_here: String::new(),
        named: Vec::new(),
    };
    let (request, body_text, scripts) = request(&blocks, &name, &mut refs, &place, losses);
    Ok(ImportedCollection {
        meta: CollectionMeta::named(stem),
        items: vec![ImportedItem::Request(Box::new(ImportedRequest {
            request,
            body_text,
            examples: Vec::new(),
            scripts,
        }))],
        environments: Environments::new(),
        secrets: Secrets::new(),
        scripts: Vec::new(),
        files: Vec::new(),
    })
}
