//! Finding a saved request from what a user types on the command line: a file path, or
//! `COLLECTION/FOLDER/…/NAME` where each part is a directory or file name or a display name
//! (case-insensitive).

use std::path::{Path, PathBuf};

use crate::store::lookup::{LookupError, item_matches, matches};
use crate::store::{self, COLLECTION_FILE, Collection, LoadError};

#[derive(Debug, thiserror::Error)]
pub enum FindError {
    #[error("{0}")]
    Load(#[from] LoadError),
    #[error(
        "no collection named `{name}` in {dir}{} (there are: {available})",
        did_you_mean(name, available)
    )]
    NoCollection {
        name: String,
        dir: PathBuf,
        available: String,
    },
    #[error(
        "`{part}` is not in {within}{} (there are: {available})",
        did_you_mean(part, available)
    )]
    NoItem {
        part: String,
        within: String,
        available: String,
    },
    #[error("{path} is not inside a collection (no collection.json above it)")]
    NotInCollection { path: PathBuf },
    #[error("`{0}` names a folder or collection, not a request")]
    NotARequest(String),
    #[error("the request could not be loaded: {0}")]
    Broken(LoadError),
}

/// ": did you mean `gzip`?" when one of `available` (comma-separated) is close to `typed`.
fn did_you_mean(typed: &str, available: &str) -> String {
    closest(typed, available.split(", "))
        .map(|name| format!(": did you mean `{name}`?"))
        .unwrap_or_default()
}

/// The candidate closest to `typed` by edit distance (any case; a swap of two letters is one
/// edit), when close enough to be a
/// typo of it: at most a third of its length, and at least one edit allowed.
pub fn closest<'a>(typed: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    let allowed = (typed.chars().count() / 3).max(1);
    candidates
        .filter(|candidate| !candidate.is_empty())
        .map(|candidate| {
            (
                strsim::damerau_levenshtein(&typed, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// The collection holding the request, and the request's file path in it.
pub struct Found {
    pub collection: Collection,
    pub request_path: PathBuf,
}

/// Finds `spec` (a file path, or a name path under `collections_dir`).
pub fn find_request(spec: &str, collections_dir: &Path) -> Result<Found, FindError> {
    let as_path = Path::new(spec);
    if as_path.is_file() {
        return find_by_file(as_path);
    }
    let workspace = store::load_workspace(collections_dir)?;
    let mut parts = spec.split('/').filter(|p| !p.is_empty());
    let first = parts.next().unwrap_or_default();
    let names = |items: Vec<String>| items.join(", ");
    let collection = workspace
        .collections
        .iter()
        .find(|c| matches(first, &store_key(&c.dir), c.name()))
        .or_else(|| {
            // With a single collection its name may be left out.
            (workspace.collections.len() == 1)
                .then(|| &workspace.collections[0])
                .filter(|c| c.root.items.iter().any(|item| item_matches(item, first)))
        })
        .ok_or_else(|| FindError::NoCollection {
            name: first.to_owned(),
            dir: collections_dir.to_owned(),
            available: names(
                workspace
                    .collections
                    .iter()
                    .map(|c| store_key(&c.dir))
                    .collect(),
            ),
        })?;
    let mut rest: Vec<&str> = parts.collect();
    if !matches(first, &store_key(&collection.dir), collection.name()) {
        rest.insert(0, first);
    }
    let request = store::lookup::find_in(&collection.root, collection.name(), &rest).map_err(
        |err| match err {
            LookupError::NoItem {
                part,
                within,
                available,
            } => FindError::NoItem {
                part,
                within,
                available,
            },
            LookupError::NotARequest(_) => FindError::NotARequest(spec.to_owned()),
            LookupError::Broken(error) => FindError::Broken(error),
        },
    )?;
    Ok(Found {
        collection: collection.clone(),
        request_path: request.path.clone(),
    })
}

fn find_by_file(path: &Path) -> Result<Found, FindError> {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let dir = absolute
        .ancestors()
        .skip(1)
        .find(|dir| dir.join(COLLECTION_FILE).is_file())
        .ok_or_else(|| FindError::NotInCollection {
            path: path.to_owned(),
        })?;
    let collection = store::load_collection(dir);
    // A broken request file is reported with its own error rather than "not found".
    if let Some(error) = collection
        .all_problems()
        .into_iter()
        .find(|e| e.path() == absolute)
    {
        return Err(FindError::Broken(error.clone()));
    }
    Ok(Found {
        collection,
        request_path: absolute,
    })
}

fn store_key(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_gets_the_closest_name_and_nothing_gets_no_suggestion() {
        assert_eq!(
            did_you_mean("gzp", "gzip, brotli"),
            ": did you mean `gzip`?"
        );
        assert_eq!(did_you_mean("x", ""), "", "no name to suggest");
        assert_eq!(did_you_mean("zzzzzz", "gzip, brotli"), "");
    }
}
