//! The loaded shape of collections: a workspace holds collections, a collection holds a tree
//! of folders and requests. Items that failed to load stay in the tree as [`Item::Broken`],
//! so the user sees them, with the reason, where they would have been.

use std::path::{Path, PathBuf};

use super::LoadError;
use crate::model::{CollectionMeta, EnvironmentFile, FolderMeta, Request};

/// Every collection found under one directory.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    pub root: PathBuf,
    pub collections: Vec<Collection>,
    /// Only the first screenful of the tree was loaded (`load_workspace_head`); the rest is
    /// still being read.
    pub partial: bool,
}

impl Workspace {
    /// The request saved at `path`, with its collection and enclosing folders.
    pub fn find_request(&self, path: &Path) -> Option<(&Collection, Vec<&Folder>, &LoadedRequest)> {
        self.collections.iter().find_map(|collection| {
            let mut folders = Vec::new();
            find_in(&collection.root, path, &mut folders)
                .map(|request| (collection, folders, request))
        })
    }

    /// The request saved at `path`, to replace it after a save.
    pub fn find_request_mut(&mut self, path: &Path) -> Option<&mut LoadedRequest> {
        fn walk<'a>(folder: &'a mut Folder, path: &Path) -> Option<&'a mut LoadedRequest> {
            for item in &mut folder.items {
                match item {
                    Item::Request(request) if request.path == path => return Some(request),
                    Item::Folder(sub) if path.starts_with(&sub.dir) => return walk(sub, path),
                    _ => {}
                }
            }
            None
        }
        self.collections
            .iter_mut()
            .filter(|c| path.starts_with(&c.dir))
            .find_map(|c| walk(&mut c.root, path))
    }

    /// The deepest loaded folder (or collection root) whose directory holds `path`.
    fn folder_holding_mut(&mut self, path: &Path) -> Option<&mut Folder> {
        let collection = self
            .collections
            .iter_mut()
            .find(|c| path.starts_with(&c.dir))?;
        // The way down first (by index), then the walk that follows it.
        let mut way = Vec::new();
        let mut folder = &collection.root;
        while let Some((at, sub)) =
            folder
                .items
                .iter()
                .enumerate()
                .find_map(|(at, item)| match item {
                    Item::Folder(sub) if path.starts_with(&sub.dir) => Some((at, sub)),
                    _ => None,
                })
        {
            way.push(at);
            folder = sub;
        }
        let mut folder = &mut collection.root;
        for at in way {
            folder = match folder.items.get_mut(at) {
                Some(Item::Folder(sub)) => sub,
                _ => return None,
            };
        }
        Some(folder)
    }

    /// Puts `request` back in the tree, in the deepest folder still holding its path (the
    /// app keeps a request whose file was deleted under unsaved edits). False when no
    /// collection holds it any more.
    pub fn insert_request(&mut self, request: LoadedRequest) -> bool {
        match self.folder_holding_mut(&request.path) {
            Some(folder) => {
                folder.items.push(Item::Request(request));
                true
            }
            None => false,
        }
    }

    /// Takes the request at `path` out of the tree (not off the disk).
    pub fn remove_request(&mut self, path: &Path) {
        if let Some(folder) = self.folder_holding_mut(path) {
            folder
                .items
                .retain(|item| !matches!(item, Item::Request(r) if r.path == path));
        }
    }
}

fn find_in<'a>(
    folder: &'a Folder,
    path: &Path,
    trail: &mut Vec<&'a Folder>,
) -> Option<&'a LoadedRequest> {
    for item in &folder.items {
        match item {
            Item::Request(request) if request.path == path => return Some(request),
            Item::Folder(sub) if path.starts_with(&sub.dir) => {
                trail.push(sub);
                if let Some(found) = find_in(sub, path, trail) {
                    return Some(found);
                }
                trail.pop();
            }
            _ => {}
        }
    }
    None
}

/// One collection: a directory with a `collection.json`.
#[derive(Debug, Clone)]
pub struct Collection {
    pub dir: PathBuf,
    pub meta: CollectionMeta,
    /// Set when `collection.json` itself is broken; `meta` then holds defaults.
    pub meta_error: Option<LoadError>,
    pub root: Folder,
    pub environments: Vec<Environment>,
    /// Values from the collection's `.env` file: secrets, never written back into the
    /// collection's JSON files.
    pub secrets: Vec<(String, String)>,
    /// Problems outside the request tree: a broken environment or `.env` file.
    pub problems: Vec<LoadError>,
}

impl Collection {
    /// The name shown for the collection.
    pub fn name(&self) -> &str {
        &self.meta.name
    }

    /// Every request in the collection, depth first in display order, with the folders
    /// enclosing it (outermost first, the collection's root folder excluded).
    pub fn requests(&self) -> Vec<(Vec<&Folder>, &LoadedRequest)> {
        fn walk<'a>(
            folder: &'a Folder,
            chain: &mut Vec<&'a Folder>,
            out: &mut Vec<(Vec<&'a Folder>, &'a LoadedRequest)>,
        ) {
            for item in &folder.items {
                match item {
                    Item::Request(request) => out.push((chain.clone(), request)),
                    Item::Folder(sub) => {
                        chain.push(sub);
                        walk(sub, chain, out);
                        chain.pop();
                    }
                    Item::Broken(_) => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut Vec::new(), &mut out);
        out
    }

    /// Every item that failed to load, anywhere in the tree, plus the collection's own problems.
    pub fn all_problems(&self) -> Vec<&LoadError> {
        fn walk<'a>(folder: &'a Folder, out: &mut Vec<&'a LoadError>) {
            out.extend(&folder.meta_error);
            for item in &folder.items {
                match item {
                    Item::Broken(broken) => out.push(&broken.error),
                    Item::Folder(sub) => walk(sub, out),
                    Item::Request(_) => {}
                }
            }
        }
        let mut out: Vec<&LoadError> = self.meta_error.iter().chain(&self.problems).collect();
        walk(&self.root, &mut out);
        out
    }
}

/// A folder (a directory). The collection's own directory is its root folder.
#[derive(Debug, Clone)]
pub struct Folder {
    pub dir: PathBuf,
    pub meta: FolderMeta,
    pub meta_error: Option<LoadError>,
    pub items: Vec<Item>,
}

impl Folder {
    /// The directory name, which `order` lists and paths use.
    pub fn key(&self) -> String {
        file_name(&self.dir)
    }

    /// The name shown: `folder.json`'s `name`, else the directory name.
    pub fn name(&self) -> String {
        self.meta.name.clone().unwrap_or_else(|| self.key())
    }
}

#[derive(Debug, Clone)]
pub enum Item {
    Folder(Folder),
    Request(LoadedRequest),
    Broken(BrokenItem),
}

/// A request file, parsed, with its body's text read from its sidecar file.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedRequest {
    pub path: PathBuf,
    pub request: Request,
    pub body_text: Option<String>,
}

impl LoadedRequest {
    /// The file stem, which `order` lists and `COLLECTION/FOLDER/NAME` paths may use.
    pub fn key(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// A file or directory that should have been a request or folder but could not be loaded.
#[derive(Debug, Clone)]
pub struct BrokenItem {
    pub path: PathBuf,
    pub error: LoadError,
}

impl BrokenItem {
    pub fn name(&self) -> String {
        file_name(&self.path)
    }
}

/// An environment: `environments/<name>.json`.
#[derive(Debug, Clone)]
pub struct Environment {
    pub name: String,
    pub path: PathBuf,
    pub file: EnvironmentFile,
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}
