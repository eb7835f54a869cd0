//! Finding a request inside a collection by a name path, `folder/…/name`, where each part is
//! a directory or file name (without `.json`) or a display name, in any case. The command
//! line and request chaining (`{{response "folder/name" …}}`) both name requests this way.

use super::{Folder, Item, LoadError, LoadedRequest};

#[derive(Debug, Clone, thiserror::Error)]
pub enum LookupError {
    #[error("`{part}` is not in {within} (there are: {available})")]
    NoItem {
        part: String,
        within: String,
        available: String,
    },
    #[error("`{0}` names a folder, not a request")]
    NotARequest(String),
    #[error("the request could not be loaded: {0}")]
    Broken(LoadError),
}

/// The request at `parts` under `folder`, which is called `within` in errors.
pub fn find_in<'a>(
    folder: &'a Folder,
    within: &str,
    parts: &[&str],
) -> Result<&'a LoadedRequest, LookupError> {
    let mut folder = folder;
    let mut within = within.to_owned();
    let whole = parts.join("/");
    for (i, part) in parts.iter().enumerate() {
        let item = folder
            .items
            .iter()
            .find(|item| item_matches(item, part))
            .ok_or_else(|| LookupError::NoItem {
                part: (*part).to_owned(),
                within: within.clone(),
                available: folder
                    .items
                    .iter()
                    .map(item_label)
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        let last = i + 1 == parts.len();
        match (item, last) {
            (Item::Folder(sub), false) => {
                within = sub.name();
                folder = sub;
            }
            (Item::Request(request), true) => return Ok(request),
            (Item::Broken(broken), true) => return Err(LookupError::Broken(broken.error.clone())),
            _ => return Err(LookupError::NotARequest(whole)),
        }
    }
    Err(LookupError::NotARequest(whole))
}

/// The name path of the request file `path` inside the collection at `collection_dir`
/// (`folder/request`, the file's stem last), as chaining and messages name it.
pub fn name_path(collection_dir: &std::path::Path, path: &std::path::Path) -> String {
    path.strip_prefix(collection_dir)
        .unwrap_or(path)
        .with_extension("")
        .to_string_lossy()
        .into_owned()
}

/// Whether `wanted` (from a name path) names the item with file or directory name `key`
/// and display name `name`.
pub fn matches(wanted: &str, key: &str, name: &str) -> bool {
    let wanted = wanted.strip_suffix(".json").unwrap_or(wanted);
    wanted.eq_ignore_ascii_case(key) || wanted.eq_ignore_ascii_case(name)
}

pub fn item_matches(item: &Item, wanted: &str) -> bool {
    match item {
        Item::Folder(folder) => matches(wanted, &folder.key(), &folder.name()),
        Item::Request(request) => matches(wanted, &request.key(), &request.request.name),
        Item::Broken(broken) => matches(wanted, broken.name().trim_end_matches(".json"), ""),
    }
}

fn item_label(item: &Item) -> String {
    match item {
        Item::Folder(folder) => format!("{}/", folder.key()),
        Item::Request(request) => request.key(),
        Item::Broken(broken) => broken.name(),
    }
}
