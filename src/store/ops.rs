//! Changing the shape of a collection on disk: new requests and folders, renames, duplicates,
//! moves and deletes. Each writes what it must at once — new files atomically, moves with one
//! rename — and returns the path of the item it made or moved, so the UI can select it.
//! Request files keep a stable name made from the request's name when created; renaming changes
//! the name shown, not the file, so history in git stays readable.

use std::fs;
use std::path::{Path, PathBuf};

use super::{
    COLLECTION_FILE, FOLDER_FILE, LoadError, LoadedRequest, SaveError, document, save_request,
    write_atomic,
};
use crate::model::{Body, CollectionMeta, FolderMeta, Method, Request};

/// Why a change to the shape of a collection did not happen.
#[derive(Debug, thiserror::Error)]
pub enum TreeOpError {
    /// The file system refused (permissions, a full disk, a name taken meanwhile).
    #[error("{}: {reason}", .path.display())]
    Io { path: PathBuf, reason: String },
    /// A file that had to be read is broken.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A file could not be written.
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error("cannot move {} into itself", .0.display())]
    IntoItself(PathBuf),
}

/// A file-system failure, said with the path.
fn io_error(path: &Path, err: std::io::Error) -> TreeOpError {
    TreeOpError::Io {
        path: path.to_owned(),
        reason: super::error::describe_io(&err),
    }
}

/// A file or directory name made from a display name: lower case, words joined by `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "untitled".to_owned()
    } else {
        out
    }
}

/// `dir/stem + suffix`, or with `-2`, `-3`… before the suffix when that is taken.
pub fn unique(dir: &Path, stem: &str, suffix: &str) -> PathBuf {
    let first = dir.join(format!("{stem}{suffix}"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{stem}-{n}{suffix}")))
        .find(|candidate| !candidate.exists())
        .unwrap_or(first)
}

/// What a new collection's `.gitignore` says: its secrets never go into git.
pub const GITIGNORE: &str = "# Secrets live in .env and never go into git.\n.env\n";

/// A new, empty collection called `name` under `root`, with a `.gitignore` that keeps its
/// `.env` out of git.
pub fn create_collection(root: &Path, name: &str) -> Result<PathBuf, TreeOpError> {
    fs::create_dir_all(root).map_err(|e| io_error(root, e))?;
    let dir = unique(root, &slug(name), "");
    fs::create_dir(&dir).map_err(|e| io_error(&dir, e))?;
    write_atomic(&dir.join(".gitignore"), GITIGNORE.as_bytes())?;
    let meta = CollectionMeta::named(name);
    write_atomic(
        &dir.join(COLLECTION_FILE),
        document::render(&meta).as_bytes(),
    )?;
    Ok(dir)
}

/// A new, empty GET request called `name` in `dir`.
pub fn create_request(dir: &Path, name: &str) -> Result<PathBuf, TreeOpError> {
    let path = unique(dir, &slug(name), ".json");
    let request = Request::new(name, Method::get(), "");
    save_request(&LoadedRequest {
        path: path.clone(),
        request,
        body_text: None,
    })?;
    Ok(path)
}

/// A new folder called `name` in `dir`; its `folder.json` keeps the name when the directory
/// name had to differ from it.
pub fn create_folder(dir: &Path, name: &str) -> Result<PathBuf, TreeOpError> {
    let path = unique(dir, &slug(name), "");
    fs::create_dir(&path).map_err(|e| io_error(&path, e))?;
    if slug(name) != name {
        let meta = FolderMeta {
            name: Some(name.to_owned()),
            ..FolderMeta::default()
        };
        write_atomic(&path.join(FOLDER_FILE), document::render(&meta).as_bytes())?;
    }
    Ok(path)
}

/// Gives the request at `path` a new display name.
pub fn rename_request(path: &Path, name: &str) -> Result<PathBuf, TreeOpError> {
    let mut loaded = super::load_request(path)?;
    loaded.request.name = name.to_owned();
    save_request(&loaded)?;
    Ok(path.to_owned())
}

/// Gives the folder at `dir` a new display name (in its `folder.json`, other fields kept).
pub fn rename_folder(dir: &Path, name: &str) -> Result<PathBuf, TreeOpError> {
    let file = dir.join(FOLDER_FILE);
    let mut meta: FolderMeta = if file.exists() {
        super::load::read_document(&file)?
    } else {
        FolderMeta::default()
    };
    meta.name = Some(name.to_owned());
    write_atomic(&file, document::render(&meta).as_bytes())?;
    Ok(dir.to_owned())
}

/// Renames a collection (in its `collection.json`).
pub fn rename_collection(dir: &Path, name: &str) -> Result<PathBuf, TreeOpError> {
    let file = dir.join(COLLECTION_FILE);
    let mut meta: CollectionMeta = super::load::read_document(&file)?;
    meta.name = name.to_owned();
    write_atomic(&file, document::render(&meta).as_bytes())?;
    Ok(dir.to_owned())
}

/// A copy of the request at `path` beside it, named "… copy", with its own body file.
pub fn duplicate_request(path: &Path) -> Result<PathBuf, TreeOpError> {
    let mut loaded = super::load_request(path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let copy = unique(dir, &format!("{stem}-copy"), ".json");
    loaded.request.name = format!("{} copy", loaded.request.name);
    rename_sidecar(&mut loaded.request.body, &copy);
    loaded.path = copy.clone();
    save_request(&loaded)?;
    Ok(copy)
}

/// Points a text body's sidecar at `<new request stem>.body.<ext>`.
fn rename_sidecar(body: &mut Body, new_request: &Path) {
    let stem = new_request
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Body::Json { file } | Body::Text { file, .. } | Body::Graphql { file, .. } = body {
        let extension = Path::new(file.as_str())
            .extension()
            .map(|e| e.to_string_lossy().into_owned())
            .unwrap_or_else(|| "txt".into());
        *file = format!("{stem}.body.{extension}");
    }
}

/// Moves a request (with its body file and its examples) or a folder into the directory
/// `into`.
pub fn move_item(path: &Path, into: &Path) -> Result<PathBuf, TreeOpError> {
    if path.parent() == Some(into) {
        return Ok(path.to_owned());
    }
    if path.is_dir() {
        if into.starts_with(path) {
            return Err(TreeOpError::IntoItself(path.to_owned()));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = unique(into, &name, "");
        fs::rename(path, &target).map_err(|e| io_error(path, e))?;
        return Ok(target);
    }
    let mut loaded = super::load_request(path)?;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let target = unique(into, &stem, ".json");
    let old_sidecar = loaded
        .request
        .body
        .sidecar()
        .map(|s| path.with_file_name(s));
    rename_sidecar(&mut loaded.request.body, &target);
    loaded.path = target.clone();
    // Write the new copy first, then remove the old: a crash between leaves two, never none.
    save_request(&loaded)?;
    if let Some(old) = old_sidecar {
        let _ = fs::remove_file(old);
    }
    // Its examples go with it.
    let examples = super::examples::examples_dir(path);
    if examples.is_dir() {
        let moved = super::examples::examples_dir(&target);
        fs::rename(&examples, &moved).map_err(|e| io_error(&examples, e))?;
    }
    fs::remove_file(path).map_err(|e| io_error(path, e))?;
    Ok(target)
}

/// Deletes a request (and its body file and examples) or a folder with everything in it.
pub fn delete_item(path: &Path) -> Result<(), TreeOpError> {
    if path.is_dir() {
        return fs::remove_dir_all(path).map_err(|e| io_error(path, e));
    }
    if let Ok(loaded) = super::load_request(path) {
        if let Some(sidecar) = loaded.request.body.sidecar() {
            let _ = fs::remove_file(path.with_file_name(sidecar));
        }
    }
    let examples = super::examples::examples_dir(path);
    if examples.is_dir() {
        fs::remove_dir_all(&examples).map_err(|e| io_error(&examples, e))?;
    }
    fs::remove_file(path).map_err(|e| io_error(path, e))
}

/// Writes the display order of a directory's entries: into `collection.json` for a
/// collection's top level, `folder.json` otherwise (created when missing, other fields kept).
pub fn set_order(dir: &Path, order: Vec<String>) -> Result<(), TreeOpError> {
    let collection_file = dir.join(COLLECTION_FILE);
    if collection_file.exists() {
        let mut meta: CollectionMeta = super::load::read_document(&collection_file)?;
        meta.order = order;
        write_atomic(&collection_file, document::render(&meta).as_bytes())?;
        return Ok(());
    }
    let file = dir.join(FOLDER_FILE);
    let mut meta: FolderMeta = if file.exists() {
        super::load::read_document(&file)?
    } else {
        FolderMeta::default()
    };
    meta.order = order;
    Ok(write_atomic(&file, document::render(&meta).as_bytes())?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Item, load_collection};

    #[test]
    fn a_new_collection_loads_and_keeps_its_env_out_of_git() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("not/yet");
        let dir = create_collection(&root, "Payments API").unwrap();
        assert!(dir.ends_with("payments-api"));
        let gitignore = fs::read_to_string(dir.join(".gitignore")).unwrap();
        assert!(gitignore.lines().any(|line| line == ".env"), "{gitignore}");
        let loaded = load_collection(&dir);
        assert_eq!(loaded.name(), "Payments API");
        assert!(loaded.all_problems().is_empty());
        let again = create_collection(&root, "Payments API").unwrap();
        assert!(
            again.ends_with("payments-api-2"),
            "never over an existing one"
        );
    }

    fn collection() -> tempfile::TempDir {
        let temp = tempfile::tempdir().unwrap();
        fs::write(temp.path().join(COLLECTION_FILE), "{\"name\": \"C\"}").unwrap();
        fs::create_dir(temp.path().join("users")).unwrap();
        fs::write(
            temp.path().join("users/get.json"),
            r#"{"name": "Get", "url": "u", "body": {"kind": "json", "file": "get.body.json"}}"#,
        )
        .unwrap();
        fs::write(temp.path().join("users/get.body.json"), "{}\n").unwrap();
        temp
    }

    #[test]
    fn slugs_are_file_friendly() {
        assert_eq!(slug("Big JSON (5 MB)"), "big-json-5-mb");
        assert_eq!(slug("  ?? "), "untitled");
        assert_eq!(slug("Créer un utilisateur"), "créer-un-utilisateur");
    }

    #[test]
    fn new_requests_and_folders_get_unique_names() {
        let temp = collection();
        let first = create_request(temp.path(), "List users").unwrap();
        let second = create_request(temp.path(), "List users").unwrap();
        assert_eq!(first.file_name().unwrap(), "list-users.json");
        assert_eq!(second.file_name().unwrap(), "list-users-2.json");
        let folder = create_folder(temp.path(), "Admin Tools").unwrap();
        assert_eq!(folder.file_name().unwrap(), "admin-tools");
        let loaded = load_collection(temp.path());
        assert!(
            loaded.all_problems().is_empty(),
            "{:?}",
            loaded.all_problems()
        );
        let names: Vec<String> = loaded
            .root
            .items
            .iter()
            .map(|i| match i {
                Item::Folder(f) => f.name(),
                Item::Request(r) => r.request.name.clone(),
                Item::Broken(b) => b.name(),
            })
            .collect();
        assert_eq!(names, ["Admin Tools", "users", "List users", "List users"]);
    }

    #[test]
    fn duplicates_and_moves_carry_their_body_files_and_examples() {
        let temp = collection();
        let original = temp.path().join("users/get.json");
        let copy = duplicate_request(&original).unwrap();
        assert_eq!(copy.file_name().unwrap(), "get-copy.json");
        let loaded = super::super::load_request(&copy).unwrap();
        assert_eq!(loaded.request.name, "Get copy");
        assert_eq!(loaded.body_text.as_deref(), Some("{}\n"));
        assert!(temp.path().join("users/get-copy.body.json").exists());

        let example = crate::store::examples::NewExample {
            name: "OK",
            status: 200,
            headers: &[],
            body: b"{}",
            extension: "json",
            stream: None,
        };
        crate::store::examples::save_example(&copy, &example).unwrap();
        let moved = move_item(&copy, temp.path()).unwrap();
        assert_eq!(moved, temp.path().join("get-copy.json"));
        assert!(temp.path().join("get-copy.examples/ok.body.json").exists());
        assert!(!temp.path().join("users/get-copy.examples").exists());
        let tree = crate::store::load_collection(temp.path());
        assert!(
            !tree
                .root
                .items
                .iter()
                .any(|item| matches!(item, crate::store::Item::Folder(_)
                if item_name(item) == "get-copy.examples")),
            "examples are no folder of the tree"
        );
        assert!(!temp.path().join("users/get-copy.json").exists());
        assert!(!temp.path().join("users/get-copy.body.json").exists());
        assert_eq!(
            super::super::load_request(&moved)
                .unwrap()
                .body_text
                .as_deref(),
            Some("{}\n")
        );
        let folder = temp.path().join("users");
        let inner = create_folder(&folder, "inner").unwrap();
        assert!(
            move_item(&folder, &inner)
                .unwrap_err()
                .to_string()
                .contains("into itself")
        );
    }

    fn item_name(item: &crate::store::Item) -> String {
        match item {
            crate::store::Item::Folder(folder) => folder.key(),
            crate::store::Item::Request(request) => request.key(),
            crate::store::Item::Broken(broken) => broken.name(),
        }
    }

    #[test]
    fn deleting_a_request_deletes_its_examples() {
        let temp = collection();
        let request = temp.path().join("users/get.json");
        let example = crate::store::examples::NewExample {
            name: "OK",
            status: 200,
            headers: &[],
            body: b"",
            extension: "txt",
            stream: None,
        };
        crate::store::examples::save_example(&request, &example).unwrap();
        delete_item(&request).unwrap();
        assert!(!temp.path().join("users/get.examples").exists());
    }

    #[test]
    fn renames_change_names_not_files_and_deletes_take_body_files() {
        let temp = collection();
        let path = temp.path().join("users/get.json");
        rename_request(&path, "Fetch user").unwrap();
        assert_eq!(
            super::super::load_request(&path).unwrap().request.name,
            "Fetch user"
        );
        rename_folder(&temp.path().join("users"), "People").unwrap();
        rename_collection(temp.path(), "Renamed").unwrap();
        let loaded = load_collection(temp.path());
        assert_eq!(loaded.name(), "Renamed");
        let Item::Folder(folder) = &loaded.root.items[0] else {
            panic!()
        };
        assert_eq!(folder.name(), "People");
        delete_item(&path).unwrap();
        assert!(!path.exists() && !temp.path().join("users/get.body.json").exists());
        delete_item(&temp.path().join("users")).unwrap();
        assert!(!temp.path().join("users").exists());
    }

    #[test]
    fn order_is_written_where_the_loader_reads_it() {
        let temp = collection();
        create_request(temp.path(), "Zeta").unwrap();
        set_order(temp.path(), vec!["zeta".into(), "users".into()]).unwrap();
        create_request(&temp.path().join("users"), "Another").unwrap();
        set_order(
            &temp.path().join("users"),
            vec!["get".into(), "another".into()],
        )
        .unwrap();
        let loaded = load_collection(temp.path());
        assert_eq!(loaded.name(), "C", "collection.json kept its other fields");
        let Item::Request(first) = &loaded.root.items[0] else {
            panic!()
        };
        assert_eq!(first.request.name, "Zeta");
        let Item::Folder(users) = &loaded.root.items[1] else {
            panic!()
        };
        let Item::Request(get) = &users.items[0] else {
            panic!()
        };
        assert_eq!(get.request.name, "Get");
    }
}
