//! The documents of one OpenAPI import and the `$ref`s between them. A [`Node`] is a place in
//! a document (the document and a JSON pointer into it), so every loss can name where it
//! was; [`Refs::follow`] takes a node through its `$ref`s, local (`#/components/…`) or into
//! another file (`Pet.yaml`, `parameters.json#/limit`), each file read once.
//!
//! A document may only reach files under its own folder: an imported document is someone
//! else's text, and `$ref: ../../.docker/config.json#/auths` must not copy credentials into
//! a collection. Remote references (`https://…`) are never fetched. A chain of references
//! that loops is cut and reported, as is one longer than [`LONGEST_CHAIN`].

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde_json::Value;

use super::Losses;
use super::openapi_schema::Direction;

/// `$ref`s followed in a row before the chain is taken for a loop.
const LONGEST_CHAIN: usize = 32;
/// Files a document may pull in.
const MOST_FILES: usize = 500;

static NULL: Value = Value::Null;

/// One file of the description.
#[derive(Debug)]
pub struct Document {
    /// Where it was read from (empty for standard input).
    path: PathBuf,
    /// How places in it are named: empty for the imported file itself, else its path from
    /// the imported file's folder.
    shown: String,
    value: Value,
}

/// A place in a document.
#[derive(Debug, Clone)]
pub struct Node {
    doc: Rc<Document>,
    pointer: String,
}

impl Node {
    pub fn root(path: &Path, value: Value) -> Node {
        Node {
            doc: Rc::new(Document {
                path: path.to_owned(),
                shown: String::new(),
                value,
            }),
            pointer: String::new(),
        }
    }

    /// What is there (null for a place that holds nothing).
    pub fn value(&self) -> &Value {
        self.doc.value.pointer(&self.pointer).unwrap_or(&NULL)
    }

    pub fn get(&self, key: &str) -> Node {
        let escaped = key.replace('~', "~0").replace('/', "~1");
        Node {
            doc: Rc::clone(&self.doc),
            pointer: format!("{}/{escaped}", self.pointer),
        }
    }

    pub fn at(&self, index: usize) -> Node {
        Node {
            doc: Rc::clone(&self.doc),
            pointer: format!("{}/{index}", self.pointer),
        }
    }

    pub fn exists(&self) -> bool {
        self.doc.value.pointer(&self.pointer).is_some()
    }

    /// The text of the string at `key`.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.value().get(key).and_then(Value::as_str)
    }

    /// The strings of the array at `key` (`tags`, `consumes`).
    pub fn strings(&self, key: &str) -> Vec<String> {
        self.value()
            .get(key)
            .and_then(Value::as_array)
            .map(|all| {
                all.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The entries of an object, in order.
    pub fn entries(&self) -> Vec<(String, Node)> {
        self.value()
            .as_object()
            .map(|map| map.keys().map(|key| (key.clone(), self.get(key))).collect())
            .unwrap_or_default()
    }

    /// The items of an array.
    pub fn items(&self) -> Vec<Node> {
        let count = self.value().as_array().map_or(0, Vec::len);
        (0..count).map(|index| self.at(index)).collect()
    }

    /// Where it is, for the report: a JSON pointer, after the file's path when it is not
    /// the imported file.
    pub fn place(&self) -> String {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        if self.doc.shown.is_empty() {
            pointer.to_owned()
        } else {
            format!("{}#{pointer}", self.doc.shown)
        }
    }

    /// The same place, named as a `$ref` would name it (for telling loops apart).
    fn key(&self) -> String {
        format!("{}#{}", self.doc.path.display(), self.pointer)
    }
}

/// The documents read so far, by path.
pub struct Refs {
    /// The folder references may reach into (canonical), if the imported file has one.
    boundary: Option<PathBuf>,
    /// Its folder as given, for naming other files by their path from it.
    base: PathBuf,
    files: HashMap<PathBuf, Rc<Document>>,
    /// References already reported as broken: each is said once.
    reported: HashSet<String>,
    /// Examples made from schemas, by the schema's place and whose they are.
    pub examples: HashMap<(String, Direction), Option<Value>>,
}

impl Refs {
    pub fn new(root: &Path) -> Refs {
        let base = root.parent().map(Path::to_owned).unwrap_or_default();
        let folder = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &base
        };
        Refs {
            boundary: std::fs::canonicalize(folder).ok(),
            base,
            files: HashMap::new(),
            reported: HashSet::new(),
            examples: HashMap::new(),
        }
    }

    /// `node`, or what its `$ref` (and theirs) lead to; `None` when a reference leads
    /// nowhere (reported once, at the reference).
    pub fn follow(&mut self, node: &Node, losses: &mut Losses) -> Option<Node> {
        let mut seen = Vec::new();
        let mut here = node.clone();
        while let Some(reference) = here.text("$ref").map(str::to_owned) {
            if seen.contains(&here.key()) || seen.len() >= LONGEST_CHAIN {
                self.report(
                    &here,
                    &reference,
                    "its references go round in a loop",
                    losses,
                );
                return None;
            }
            seen.push(here.key());
            match self.target(&here, &reference) {
                Ok(next) if next.exists() => here = next,
                Ok(_) => {
                    self.report(&here, &reference, "nothing is there", losses);
                    return None;
                }
                Err(why) => {
                    self.report(&here, &reference, &why, losses);
                    return None;
                }
            }
        }
        Some(here)
    }

    fn report(&mut self, at: &Node, reference: &str, why: &str, losses: &mut Losses) {
        let place = format!("{}/$ref", at.place().trim_end_matches('/'));
        if self.reported.insert(format!("{place} {reference}")) {
            losses.add(&place, format!("`{reference}` not followed: {why}"));
        }
    }

    /// Where `reference`, written in `from`'s document, points.
    fn target(&mut self, from: &Node, reference: &str) -> Result<Node, String> {
        let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let pointer = percent_decoded(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err("only JSON-pointer fragments (`#/…`) are understood".to_owned());
        }
        let doc = if file.is_empty() {
            Rc::clone(&from.doc)
        } else if file.contains("://") {
            return Err("remote references are never fetched".to_owned());
        } else {
            self.file(&from.doc, &percent_decoded(file))?
        };
        Ok(Node { doc, pointer })
    }

    /// The document at `file`, relative to the document `from`.
    fn file(&mut self, from: &Document, file: &str) -> Result<Rc<Document>, String> {
        let folder = from.path.parent().unwrap_or(Path::new(""));
        let path = folder.join(file);
        let canonical = std::fs::canonicalize(&path).map_err(|err| err.to_string())?;
        if let Some(doc) = self.files.get(&canonical) {
            return Ok(Rc::clone(doc));
        }
        let inside = self
            .boundary
            .as_ref()
            .is_some_and(|boundary| canonical.starts_with(boundary));
        if !inside {
            return Err(
                "it is outside the imported document's folder, which is all a document may read"
                    .to_owned(),
            );
        }
        if self.files.len() >= MOST_FILES {
            return Err(format!("more than {MOST_FILES} files referenced"));
        }
        let value = read_document(&path)?;
        let shown = path
            .strip_prefix(&self.base)
            .unwrap_or(&path)
            .display()
            .to_string();
        let doc = Rc::new(Document { path, shown, value });
        self.files.insert(canonical, Rc::clone(&doc));
        Ok(doc)
    }
}

/// A referenced file: JSON or YAML holding an object or an array (a lone scalar is no part
/// of an API description, and reading one would copy any text file into the collection).
fn read_document(path: &Path) -> Result<Value, String> {
    let bytes = std::fs::read(path).map_err(|err| err.to_string())?;
    if bytes.len() > super::BIGGEST_SOURCE {
        return Err("too big".to_owned());
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| "not UTF-8 text".to_owned())?;
    let value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(_) => {
            super::yaml::parse(path, text, &mut Losses::default()).map_err(|err| err.to_string())?
        }
    };
    if value.is_object() || value.is_array() {
        Ok(value)
    } else {
        Err("it holds no JSON or YAML object".to_owned())
    }
}

/// `text` with its `%XX` escapes undone (invalid UTF-8 replaced).
fn percent_decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}
