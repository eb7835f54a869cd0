//! What an importer makes of its source, before anything is written: collections of folders
//! and requests in Courier's own model, with their environments, secrets, examples and
//! scripts, and the report of everything that did not come across whole.

use crate::model::{CollectionMeta, EnvironmentFile, FolderMeta, Request};

/// Environments by name.
pub type Environments = Vec<(String, EnvironmentFile)>;
/// Secret values by name, for `.env`.
pub type Secrets = Vec<(String, String)>;

/// One collection, as imported.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedCollection {
    pub meta: CollectionMeta,
    /// The top level, in the source's order.
    pub items: Vec<ImportedItem>,
    /// Each environment: its name and its values that are not secret.
    pub environments: Vec<(String, EnvironmentFile)>,
    /// Values the source marks secret: they go to `.env`, never into a JSON file.
    pub secrets: Vec<(String, String)>,
    /// Scripts of the collection itself (run before or after every request in the source).
    pub scripts: Vec<Script>,
    /// Files its requests send (a Bruno collection's `@file(…)`s), by their path inside the
    /// collection, written there beside the requests.
    pub files: Vec<(String, Vec<u8>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ImportedItem {
    Folder(Box<ImportedFolder>),
    Request(Box<ImportedRequest>),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportedFolder {
    /// The name shown (its directory is named after it).
    pub name: String,
    pub meta: FolderMeta,
    pub items: Vec<ImportedItem>,
    pub scripts: Vec<Script>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedRequest {
    pub request: Request,
    /// The body's text, for a body kind kept in a sidecar file.
    pub body_text: Option<String>,
    pub examples: Vec<ImportedExample>,
    pub scripts: Vec<Script>,
}

/// A saved response of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedExample {
    pub name: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The body file's extension (`json`, `txt`, …).
    pub extension: &'static str,
}

/// A script of the source (a pre-request script, tests): kept as text beside what it belongs
/// to, never run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// When the source runs it: `pre-request` or `tests`.
    pub when: String,
    /// `js` for JavaScript.
    pub extension: &'static str,
    pub text: String,
    /// Where it was in the source, for the report.
    pub place: String,
}

/// Something that did not come across whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// Where in the source: a JSON pointer (`/item/0/request/auth`) or a line.
    pub place: String,
    /// What was dropped or approximated, and what became of it.
    pub what: String,
}

/// The losses of one import, in the order they were met.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Losses(pub Vec<Loss>);

impl Losses {
    pub fn add(&mut self, place: &str, what: impl Into<String>) {
        self.0.push(Loss {
            place: place.to_owned(),
            what: what.into(),
        });
    }
}

/// What one source file became.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Imported {
    pub collections: Vec<ImportedCollection>,
    /// Environments that came without a collection (a Postman environment file): they go to
    /// the collections imported with them.
    pub environments: Vec<(String, EnvironmentFile)>,
    pub secrets: Vec<(String, String)>,
    pub losses: Losses,
}

impl ImportedCollection {
    /// Every request, folders walked in order.
    pub fn requests(&self) -> Vec<&ImportedRequest> {
        fn walk<'a>(items: &'a [ImportedItem], out: &mut Vec<&'a ImportedRequest>) {
            for item in items {
                match item {
                    ImportedItem::Request(request) => out.push(request),
                    ImportedItem::Folder(folder) => walk(&folder.items, out),
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.items, &mut out);
        out
    }

    /// How many requests and folders it holds.
    pub fn counts(&self) -> (usize, usize) {
        fn walk(items: &[ImportedItem], counts: &mut (usize, usize)) {
            for item in items {
                match item {
                    ImportedItem::Request(_) => counts.0 += 1,
                    ImportedItem::Folder(folder) => {
                        counts.1 += 1;
                        walk(&folder.items, counts);
                    }
                }
            }
        }
        let mut counts = (0, 0);
        walk(&self.items, &mut counts);
        counts
    }
}
