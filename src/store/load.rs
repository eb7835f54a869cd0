//! Loading a directory of collections from disk into a [`Workspace`].
//!
//! Loading never stops at the first problem: each broken file becomes an [`Item::Broken`] (or
//! a collection-level problem) carrying a [`LoadError`], and everything else still loads.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::document::{self, position_of};
use super::tree::{BrokenItem, Collection, Environment, Folder, Item, LoadedRequest, Workspace};
use super::{COLLECTION_FILE, FOLDER_FILE, LoadError};
use crate::model::{CollectionMeta, EnvironmentFile, FolderMeta, Request};

/// Loads every collection under `root`. When `root` itself holds a `collection.json` it is the
/// one collection; otherwise each sub-directory with a `collection.json` is one. Errors only
/// when `root` cannot be listed at all.
pub fn load_workspace(root: &Path) -> Result<Workspace, LoadError> {
    let collections = collection_dirs(root)?
        .iter()
        .map(|dir| load_collection_within(dir, None))
        .collect();
    Ok(workspace(root, collections, false))
}

/// The first `rows` rows of the tree under `root`, as the tree shows them (every folder
/// open): enough for a first frame of a big collection while [`load_workspace`] reads the
/// rest. The workspace is `partial` when something was left out. Errors as `load_workspace`.
pub fn load_workspace_head(root: &Path, rows: usize) -> Result<Workspace, LoadError> {
    let mut dirs: Vec<(String, PathBuf)> = collection_dirs(root)?
        .into_iter()
        .map(|dir| (collection_name(&dir).to_lowercase(), dir))
        .collect();
    dirs.sort();
    let budget = Budget::new(rows);
    // Lazily, so each collection's row is taken just before its items.
    let collections = dirs
        .iter()
        .take_while(|_| budget.take())
        .map(|(_, dir)| load_collection_within(dir, Some(&budget)))
        .collect();
    Ok(workspace(root, collections, budget.cut_short.get()))
}

fn workspace(root: &Path, mut collections: Vec<Collection>, partial: bool) -> Workspace {
    collections.sort_by_key(|c| c.meta.name.to_lowercase());
    Workspace {
        root: root.to_owned(),
        collections,
        partial,
    }
}

/// The collection directories under `root`: `root` itself when it is one, else each
/// sub-directory with a `collection.json`.
fn collection_dirs(root: &Path) -> Result<Vec<PathBuf>, LoadError> {
    if root.join(COLLECTION_FILE).exists() {
        return Ok(vec![root.to_owned()]);
    }
    Ok(list_dir(root)?
        .into_iter()
        .map(|entry| entry.path)
        .filter(|dir| dir.is_dir() && dir.join(COLLECTION_FILE).exists())
        .collect())
}

/// The name a collection is sorted by, read ahead of loading it.
fn collection_name(dir: &Path) -> String {
    read_document::<CollectionMeta>(&dir.join(COLLECTION_FILE))
        .map_or_else(|_| super::tree::file_name(dir), |meta| meta.name)
}

/// The rows still to load when only the head of the tree is wanted.
struct Budget {
    rows: std::cell::Cell<usize>,
    /// Something was left out for want of rows.
    cut_short: std::cell::Cell<bool>,
}

impl Budget {
    fn new(rows: usize) -> Budget {
        Budget {
            rows: std::cell::Cell::new(rows),
            cut_short: std::cell::Cell::new(false),
        }
    }

    /// Takes one row; false (and the budget marked cut short) when none is left.
    fn take(&self) -> bool {
        match self.rows.get() {
            0 => {
                self.cut_short.set(true);
                false
            }
            left => {
                self.rows.set(left - 1);
                true
            }
        }
    }
}

/// Loads one collection directory. Always returns a collection; its problems are inside it.
pub fn load_collection(dir: &Path) -> Collection {
    load_collection_within(dir, None)
}

/// Loads one collection directory, or as much of it as `budget` has rows for.
fn load_collection_within(dir: &Path, budget: Option<&Budget>) -> Collection {
    let meta_path = dir.join(COLLECTION_FILE);
    let (meta, meta_error) = match read_document::<CollectionMeta>(&meta_path) {
        Ok(meta) => (meta, None),
        Err(err) => (
            CollectionMeta::named(super::tree::file_name(dir)),
            Some(err),
        ),
    };
    let mut problems = Vec::new();
    let environments = load_environments(&dir.join("environments"), &mut problems);
    let secrets = load_dotenv(&dir.join(".env"), &mut problems);
    // The collection's own row, then as many of its items as fit.
    let mut root = load_folder(dir, &meta.order, budget);
    // The collection's own order lives in collection.json, not in a folder.json.
    if root.meta.order.is_empty() {
        root.meta.order = meta.order.clone();
        sort_items(&mut root.items, &root.meta.order);
    }
    Collection {
        dir: dir.to_owned(),
        meta,
        meta_error,
        root,
        environments,
        secrets,
        problems,
    }
}

/// Loads the folder `dir` (whose order is `inherited` when it has no `folder.json` order of
/// its own), or as much of it as `budget` has rows for.
fn load_folder(dir: &Path, inherited: &[String], budget: Option<&Budget>) -> Folder {
    let meta_path = dir.join(FOLDER_FILE);
    let (meta, meta_error) = if meta_path.exists() {
        match read_document::<FolderMeta>(&meta_path) {
            Ok(meta) => (meta, None),
            Err(err) => (FolderMeta::default(), Some(err)),
        }
    } else {
        (FolderMeta::default(), None)
    };
    let mut items = Vec::new();
    match (list_dir(dir), budget) {
        (Ok(entries), None) => items.extend(load_entries(&entries).into_iter().flatten()),
        (Ok(entries), Some(budget)) => {
            let order = if meta.order.is_empty() {
                inherited
            } else {
                &meta.order
            };
            items = load_entries_within(entries, order, budget);
        }
        (Err(error), _) => items.push(Item::Broken(BrokenItem {
            path: dir.to_owned(),
            error,
        })),
    }
    sort_items(&mut items, &meta.order);
    Folder {
        dir: dir.to_owned(),
        meta,
        meta_error,
        items,
    }
}

/// The entries of one directory as tree items, in the tree's order, as many as `budget` has
/// rows for (a folder's items count against it too).
fn load_entries_within(mut entries: Vec<DirEntry>, order: &[String], budget: &Budget) -> Vec<Item> {
    entries.sort_by_cached_key(|entry| {
        let is_dir = entry.metadata_is_dir().unwrap_or(false);
        let name = super::tree::file_name(&entry.path);
        let name = name.strip_suffix(".json").unwrap_or(&name).to_owned();
        let rank = order.iter().position(|o| *o == name).unwrap_or(usize::MAX);
        (rank, u8::from(!is_dir), name.to_lowercase())
    });
    let mut items = Vec::new();
    for entry in &entries {
        // The row is taken before the entry loads: a folder's own row comes before its items.
        if !budget.take() {
            break;
        }
        match load_entry_within(entry, Some(budget)) {
            Some(item) => items.push(item),
            // Not a row (a sidecar, a hidden file): the row is given back.
            None => budget.rows.set(budget.rows.get() + 1),
        }
    }
    items
}

/// Entries a thread of their own is worth starting for: below this many, one thread reads
/// them all.
const PARALLEL_FROM: usize = 16;

/// The entries of one directory as tree items, in their order. A big directory is read by as
/// many threads as there are cores (a folder deeper down by its own thread), so a collection
/// of a thousand files opens sooner; a small one by this thread alone.
fn load_entries(entries: &[DirEntry]) -> Vec<Option<Item>> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || entries.len() < PARALLEL_FROM || PARALLEL.with(std::cell::Cell::get) {
        return entries
            .iter()
            .map(|entry| load_entry_within(entry, None))
            .collect();
    }
    let chunk = entries.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = entries
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    // Threads are started at one level only, not again in every folder.
                    PARALLEL.with(|inside| inside.set(true));
                    part.iter()
                        .map(|entry| load_entry_within(entry, None))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

thread_local! {
    /// Set in a loading thread: it reads its part alone.
    static PARALLEL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// One directory entry as a tree item, or None for what is not part of the tree (hidden
/// files, metadata files, sidecars, environments, non-JSON files).
fn load_entry_within(entry: &DirEntry, budget: Option<&Budget>) -> Option<Item> {
    let path = entry.path.as_path();
    let name = super::tree::file_name(path);
    if name.starts_with('.') || name == COLLECTION_FILE || name == FOLDER_FILE {
        return None;
    }
    let is_dir = match entry.metadata_is_dir() {
        Ok(is_dir) => is_dir,
        Err(err) => {
            let error = LoadError::unreadable(path, &err);
            return name.ends_with(".json").then(|| broken(path, error));
        }
    };
    if is_dir {
        if name == "environments" || super::examples::is_examples_dir(&name) {
            return None;
        }
        if name.ends_with(".json") {
            // Named like a request, but a directory: most likely a mistake worth showing.
            let error = LoadError::WrongKind {
                path: path.to_owned(),
                message: "this is a directory, but a JSON file belongs here".to_owned(),
            };
            return Some(broken(path, error));
        }
        return Some(Item::Folder(load_folder(path, &[], budget)));
    }
    if !name.ends_with(".json") || is_sidecar(&name) {
        return None;
    }
    Some(match load_request(path) {
        Ok(request) => Item::Request(request),
        Err(error) => broken(path, error),
    })
}

fn broken(path: &Path, error: LoadError) -> Item {
    Item::Broken(BrokenItem {
        path: path.to_owned(),
        error,
    })
}

/// Body sidecar files are named `<request>.body.<ext>`; they are read with their request.
pub fn is_sidecar(file_name: &str) -> bool {
    file_name.contains(".body.")
}

/// Loads one request file and its body sidecar.
pub fn load_request(path: &Path) -> Result<LoadedRequest, LoadError> {
    let text = read_text(path)?;
    let request: Request = document::parse(path, &text)?;
    let body_text = match request.body.sidecar() {
        None => None,
        Some(sidecar) => {
            let sidecar_path = path.with_file_name(sidecar);
            let failure = |reason: String| {
                let (line, column) = position_of(&text, &format!("\"{sidecar}\""));
                LoadError::Sidecar {
                    path: path.to_owned(),
                    line,
                    column,
                    sidecar: sidecar.to_owned(),
                    reason,
                }
            };
            match fs::read(&sidecar_path) {
                Ok(bytes) => Some(String::from_utf8(bytes).map_err(|err| {
                    failure(format!(
                        "is not UTF-8 text (bad byte at offset {})",
                        err.utf8_error().valid_up_to()
                    ))
                })?),
                Err(err) if err.kind() == io::ErrorKind::NotFound => {
                    return Err(failure(format!(
                        "does not exist (expected at {})",
                        sidecar_path.display()
                    )));
                }
                Err(err) => return Err(failure(super::error::describe_io(&err))),
            }
        }
    };
    Ok(LoadedRequest {
        path: path.to_owned(),
        request,
        body_text,
    })
}

fn load_environments(dir: &Path, problems: &mut Vec<LoadError>) -> Vec<Environment> {
    let Ok(entries) = list_dir(dir) else {
        return Vec::new(); // no environments directory: no environments
    };
    let mut environments = Vec::new();
    for DirEntry { path, .. } in entries {
        let name = super::tree::file_name(&path);
        let Some(stem) = name.strip_suffix(".json") else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        match read_document::<EnvironmentFile>(&path) {
            Ok(file) => environments.push(Environment {
                name: stem.to_owned(),
                path,
                file,
            }),
            Err(err) => problems.push(err),
        }
    }
    environments
}

/// Reads `KEY=value` pairs from a `.env` file (dotenv syntax: comments, quotes, `export`).
/// The process environment is left alone.
fn load_dotenv(path: &Path, problems: &mut Vec<LoadError>) -> Vec<(String, String)> {
    let iter = match dotenvy::from_path_iter(path) {
        Ok(iter) => iter,
        Err(dotenvy::Error::Io(err)) if err.kind() == io::ErrorKind::NotFound => return Vec::new(),
        Err(err) => {
            problems.push(dotenv_error(path, err));
            return Vec::new();
        }
    };
    let mut pairs = Vec::new();
    for item in iter {
        match item {
            Ok(pair) => pairs.push(pair),
            Err(err) => {
                problems.push(dotenv_error(path, err));
                break;
            }
        }
    }
    pairs
}

fn dotenv_error(path: &Path, err: dotenvy::Error) -> LoadError {
    match err {
        dotenvy::Error::LineParse(line_text, index) => {
            // dotenvy says which text failed but not on which line: find it.
            let line = fs::read_to_string(path)
                .ok()
                .and_then(|text| text.lines().position(|l| l.contains(line_text.trim())))
                .map_or(1, |i| i + 1);
            LoadError::Invalid {
                path: path.to_owned(),
                line,
                column: index + 1,
                message: format!("cannot parse `{line_text}` as KEY=value"),
            }
        }
        dotenvy::Error::Io(io) => LoadError::unreadable(path, &io),
        other => LoadError::Invalid {
            path: path.to_owned(),
            line: 1,
            column: 1,
            message: other.to_string(),
        },
    }
}

pub(crate) fn read_document<T>(path: &Path) -> Result<T, LoadError>
where
    T: serde::de::DeserializeOwned + crate::model::Document,
{
    let text = read_text(path)?;
    document::parse(path, &text)
}

fn read_text(path: &Path) -> Result<String, LoadError> {
    match fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|err| {
            let valid = err.utf8_error().valid_up_to();
            let (line, column) = line_column(err.as_bytes(), valid);
            LoadError::Invalid {
                path: path.to_owned(),
                line,
                column,
                message: format!("the file is not UTF-8 text (bad byte at offset {valid})"),
            }
        }),
        Err(err) if err.kind() == io::ErrorKind::IsADirectory || path.is_dir() => {
            Err(LoadError::WrongKind {
                path: path.to_owned(),
                message: "this is a directory, but a JSON file belongs here".to_owned(),
            })
        }
        Err(err) => Err(LoadError::unreadable(path, &err)),
    }
}

fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, column)
}

/// One entry of a directory: its path, and its kind when listing the directory said it.
struct DirEntry {
    path: PathBuf,
    kind: Option<fs::FileType>,
}

impl DirEntry {
    /// Whether the entry is a directory, following a symbolic link. The listing usually says
    /// already, which saves a `stat` per file of a big collection.
    fn metadata_is_dir(&self) -> io::Result<bool> {
        match self.kind {
            Some(kind) if !kind.is_symlink() => Ok(kind.is_dir()),
            _ => fs::metadata(&self.path).map(|metadata| metadata.is_dir()),
        }
    }
}

/// The entries of a directory, sorted by name so loading is deterministic.
fn list_dir(dir: &Path) -> Result<Vec<DirEntry>, LoadError> {
    let read = fs::read_dir(dir).map_err(|err| match err.kind() {
        io::ErrorKind::NotADirectory => LoadError::WrongKind {
            path: dir.to_owned(),
            message: "this is a file, but a directory belongs here".to_owned(),
        },
        _ => LoadError::unreadable(dir, &err),
    })?;
    // All in one directory, so the file name orders them. Comparing whole paths, component
    // by component, cost a sixth of opening a thousand-request collection.
    let mut named: Vec<_> = read
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name(), e.path(), e.file_type().ok()))
        .collect();
    named.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let entries = named
        .into_iter()
        .map(|(_, path, kind)| DirEntry { path, kind })
        .collect();
    Ok(entries)
}

/// Orders items: those named in `order` first, in that order; then folders, then requests
/// and broken items, each by name.
fn sort_items(items: &mut [Item], order: &[String]) {
    let key = |item: &Item| -> (usize, u8, String) {
        let (group, name) = match item {
            Item::Folder(folder) => (0, folder.key()),
            Item::Request(request) => (1, request.key()),
            Item::Broken(broken) => (1, broken.name().trim_end_matches(".json").to_owned()),
        };
        let rank = order.iter().position(|o| *o == name).unwrap_or(usize::MAX);
        (rank, group, name.to_lowercase())
    };
    items.sort_by_cached_key(key);
}
