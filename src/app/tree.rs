//! The collection tree as the user sees it: the workspace flattened into visible rows,
//! following which collections and folders are open.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::store::{Collection, Folder, Item, Workspace};

/// What a row shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKind {
    Collection { open: bool, problems: usize },
    Folder { open: bool },
    Request { method: String },
    Broken,
}

/// One visible line of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub depth: u16,
    pub kind: RowKind,
    pub label: String,
    /// The file or directory behind the row: its identity across reloads.
    pub path: PathBuf,
    /// Where the item is: collection index, then item indexes down the folders.
    pub address: Address,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub collection: usize,
    pub items: Vec<usize>,
}

/// An item of the workspace, found by its [`Address`].
pub enum Selected<'w> {
    Collection(&'w Collection),
    Item {
        collection: &'w Collection,
        /// Folders from the collection's root down to the item's parent, root excluded.
        folders: Vec<&'w Folder>,
        item: &'w Item,
    },
}

/// Flattens `workspace` into rows; closed directories hide their contents.
pub fn rows(workspace: &Workspace, open: &HashSet<PathBuf>) -> Vec<Row> {
    let mut rows = Vec::new();
    for (index, collection) in workspace.collections.iter().enumerate() {
        let is_open = open.contains(&collection.dir);
        rows.push(Row {
            depth: 0,
            kind: RowKind::Collection {
                open: is_open,
                problems: collection.all_problems().len(),
            },
            label: collection.name().to_owned(),
            path: collection.dir.clone(),
            address: Address {
                collection: index,
                items: Vec::new(),
            },
        });
        if is_open {
            push_folder(&collection.root, 1, index, &mut Vec::new(), open, &mut rows);
        }
    }
    rows
}

fn push_folder(
    folder: &Folder,
    depth: u16,
    collection: usize,
    trail: &mut Vec<usize>,
    open: &HashSet<PathBuf>,
    rows: &mut Vec<Row>,
) {
    for (index, item) in folder.items.iter().enumerate() {
        trail.push(index);
        let address = Address {
            collection,
            items: trail.clone(),
        };
        match item {
            Item::Folder(sub) => {
                let is_open = open.contains(&sub.dir);
                rows.push(Row {
                    depth,
                    kind: RowKind::Folder { open: is_open },
                    label: sub.name(),
                    path: sub.dir.clone(),
                    address,
                });
                if is_open {
                    push_folder(sub, depth + 1, collection, trail, open, rows);
                }
            }
            Item::Request(request) => rows.push(Row {
                depth,
                kind: RowKind::Request {
                    // A WebSocket request is known by its scheme, not its (GET) method.
                    method: if request.request.is_websocket() {
                        "WS".to_owned()
                    } else {
                        request.request.method.to_string()
                    },
                },
                label: request.request.name.clone(),
                path: request.path.clone(),
                address,
            }),
            Item::Broken(broken) => rows.push(Row {
                depth,
                kind: RowKind::Broken,
                label: broken.name(),
                path: broken.path.clone(),
                address,
            }),
        }
        trail.pop();
    }
}

/// The item at `address`, if the workspace still has it.
pub fn lookup<'w>(workspace: &'w Workspace, address: &Address) -> Option<Selected<'w>> {
    let collection = workspace.collections.get(address.collection)?;
    let Some((last, parents)) = address.items.split_last() else {
        return Some(Selected::Collection(collection));
    };
    let mut folder = &collection.root;
    let mut folders = Vec::new();
    for index in parents {
        match folder.items.get(*index)? {
            Item::Folder(sub) => {
                folders.push(sub);
                folder = sub;
            }
            _ => return None,
        }
    }
    Some(Selected::Item {
        collection,
        folders,
        item: folder.items.get(*last)?,
    })
}

/// Every collection and folder directory: the tree fully open.
pub fn all_directories(workspace: &Workspace) -> HashSet<PathBuf> {
    fn walk(folder: &Folder, out: &mut HashSet<PathBuf>) {
        out.insert(folder.dir.clone());
        for item in &folder.items {
            if let Item::Folder(sub) = item {
                walk(sub, out);
            }
        }
    }
    let mut out = HashSet::new();
    for collection in &workspace.collections {
        walk(&collection.root, &mut out);
    }
    out
}
