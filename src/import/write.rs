//! Writing an imported collection as Courier's files: everything goes into a hidden temporary
//! directory beside the target first and is renamed into place at the end, so a failed
//! import leaves nothing half-written. A collection directory that exists already is replaced
//! only when the caller says so (`--force`); the old one goes only after the new one is in.

use std::path::{Path, PathBuf};

use super::ImportError;
use super::tree::{
    ImportedCollection, ImportedFolder, ImportedItem, ImportedRequest, Losses, Script,
};
use crate::model::{CollectionMeta, FolderMeta};
use crate::store::document;
use crate::store::examples::{NewExample, example_files};
use crate::store::ops::{GITIGNORE, slug, unique};

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub dir: PathBuf,
    pub requests: usize,
    pub folders: usize,
    pub environments: usize,
    pub examples: usize,
    pub scripts: usize,
}

/// Where `collection` goes in the collections directory `into`: a directory named after it.
pub fn target_for(into: &Path, collection: &ImportedCollection) -> PathBuf {
    into.join(slug(&collection.meta.name))
}

/// Writes `collection` as the directory `target`; `force` replaces a collection already
/// there. Scripts are reported in `losses` with the file they were kept in.
pub fn write_collection(
    target: &Path,
    collection: &ImportedCollection,
    force: bool,
    losses: &mut Losses,
) -> Result<Written, ImportError> {
    let target = target.to_owned();
    if target.exists() && !force {
        return Err(ImportError::Exists(target));
    }
    let into = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(into).map_err(|err| ImportError::write(into, &err))?;
    let temporary = tempfile::Builder::new()
        .prefix(".courier-import-")
        .tempdir_in(into)
        .map_err(|err| ImportError::write(into, &err))?;
    let mut written = Written {
        dir: target.clone(),
        requests: 0,
        folders: 0,
        environments: 0,
        examples: 0,
        scripts: 0,
    };
    let mut writer = Writer {
        written: &mut written,
        losses,
        target: &target,
        root: temporary.path(),
    };
    writer.collection(collection)?;
    let staged = temporary.keep();
    replace(&staged, &target)?;
    Ok(written)
}

/// Moves `staged` to `target`, the old `target` (if any) out of the way first and removed
/// only once the new one is in place.
fn replace(staged: &Path, target: &Path) -> Result<(), ImportError> {
    let old = target.exists().then(|| {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        target.with_file_name(format!(".{name}.replaced-by-import"))
    });
    if let Some(old) = &old {
        let _ = std::fs::remove_dir_all(old);
        std::fs::rename(target, old).map_err(|err| ImportError::write(target, &err))?;
    }
    if let Err(err) = std::fs::rename(staged, target) {
        if let Some(old) = &old {
            let _ = std::fs::rename(old, target);
        }
        let _ = std::fs::remove_dir_all(staged);
        return Err(ImportError::write(target, &err));
    }
    if let Some(old) = &old {
        let _ = std::fs::remove_dir_all(old);
    }
    Ok(())
}

struct Writer<'a> {
    written: &'a mut Written,
    losses: &'a mut Losses,
    /// Where the collection ends up, for the report's file names.
    target: &'a Path,
    /// Where it is written now.
    root: &'a Path,
}

impl Writer<'_> {
    fn collection(&mut self, collection: &ImportedCollection) -> Result<(), ImportError> {
        let root = self.root.to_owned();
        write(&root.join(".gitignore"), GITIGNORE.as_bytes())?;
        let mut meta: CollectionMeta = collection.meta.clone();
        meta.order = self.items(&root, &collection.items)?;
        write(
            &root.join("collection.json"),
            document::render(&meta).as_bytes(),
        )?;
        if !collection.secrets.is_empty() {
            write(
                &root.join(".env"),
                dotenv(&collection.secrets, self.losses).as_bytes(),
            )?;
        }
        for (name, environment) in &collection.environments {
            let file = root
                .join("environments")
                .join(format!("{}.json", slug(name)));
            write(&file, document::render(environment).as_bytes())?;
            self.written.environments += 1;
        }
        for (name, bytes) in &collection.files {
            // Only plain paths inside the collection: an importer never writes elsewhere.
            let plain = std::path::Path::new(name)
                .components()
                .all(|part| matches!(part, std::path::Component::Normal(_)))
                && !name.is_empty();
            if plain {
                write(&root.join(name), bytes)?;
            }
        }
        self.scripts(&root, "_collection", &collection.scripts)
    }

    /// Writes `items` into `dir`; their keys, in order.
    fn items(&mut self, dir: &Path, items: &[ImportedItem]) -> Result<Vec<String>, ImportError> {
        let mut keys = Vec::new();
        for item in items {
            let key = match item {
                ImportedItem::Folder(folder) => self.folder(dir, folder)?,
                ImportedItem::Request(request) => self.request(dir, request)?,
            };
            keys.push(key);
        }
        Ok(keys)
    }

    fn folder(&mut self, parent: &Path, folder: &ImportedFolder) -> Result<String, ImportError> {
        let dir = unique(parent, &free_slug(&folder.name), "");
        std::fs::create_dir_all(&dir).map_err(|err| ImportError::write(&dir, &err))?;
        let key = file_name(&dir);
        let mut meta: FolderMeta = folder.meta.clone();
        meta.order = self.items(&dir, &folder.items)?;
        // The name shown is the folder's own; its directory's name is only a slug of it.
        if meta.name.is_none() {
            meta.name = Some(folder.name.clone());
        }
        if meta.name.as_deref() == Some(key.as_str()) {
            meta.name = None;
        }
        write(&dir.join("folder.json"), document::render(&meta).as_bytes())?;
        self.scripts(&dir, "_folder", &folder.scripts)?;
        self.written.folders += 1;
        Ok(key)
    }

    fn request(&mut self, dir: &Path, imported: &ImportedRequest) -> Result<String, ImportError> {
        let path = unique(dir, &free_slug(&imported.request.name), ".json");
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut request = imported.request.clone();
        request.body.name_sidecar(&stem);
        // Plain writes: the whole directory is renamed into place at the end, so a file
        // needs no rename (nor an fsync) of its own.
        // A body kind kept in a sidecar gets its file even when the source gave no text
        // (a Bruno `body: json` with no `body:json` block): the request must load.
        if let Some(sidecar) = request.body.sidecar() {
            let text = imported.body_text.as_deref().unwrap_or_default();
            write(&path.with_file_name(sidecar), text.as_bytes())?;
        }
        write(&path, document::render(&request).as_bytes())?;
        for example in &imported.examples {
            let headers = example.headers.clone();
            let new = NewExample {
                name: &example.name,
                status: example.status,
                headers: &headers,
                body: &example.body,
                extension: example.extension,
                stream: None,
            };
            match example_files(&path, &new) {
                Ok(files) => {
                    for (file, bytes) in &files.files {
                        write(file, bytes)?;
                    }
                    self.written.examples += 1;
                }
                Err(err) if err.reason.contains("saved already") => self.losses.add(
                    &format!("request “{}”", imported.request.name),
                    format!("a second example named “{}”: dropped", example.name),
                ),
                Err(err) => {
                    return Err(ImportError::Write {
                        path: err.path,
                        reason: err.reason,
                    });
                }
            }
        }
        self.scripts(dir, &stem, &imported.scripts)?;
        self.written.requests += 1;
        Ok(stem)
    }

    /// Each script as `<stem>.<when>.<ext>` in `dir`, named in the report.
    fn scripts(&mut self, dir: &Path, stem: &str, scripts: &[Script]) -> Result<(), ImportError> {
        for script in scripts {
            let file = unique(
                dir,
                &format!("{stem}.{}", script.when),
                &format!(".{}", script.extension),
            );
            write(&file, script.text.as_bytes())?;
            // Named from the collections directory: `github/users/get.pre-request.js`.
            let collection = self
                .target
                .file_name()
                .map(Path::new)
                .unwrap_or(Path::new(""));
            let shown = file
                .strip_prefix(self.root)
                .map(|inside| collection.join(inside))
                .unwrap_or(file.clone());
            self.losses.add(
                &script.place,
                format!(
                    "{} script kept as text in {}; Courier never runs scripts",
                    script.when,
                    shown.display()
                ),
            );
            self.written.scripts += 1;
        }
        Ok(())
    }
}

/// A file name for an item, never one the collection's own files use (`collection.json`,
/// `folder.json`) nor `environments`, which the loader reads as environments at any depth.
fn free_slug(name: &str) -> String {
    let slug = slug(name);
    match slug.as_str() {
        "collection" | "folder" | "environments" => format!("{slug}-item"),
        _ => slug,
    }
}

/// `.env` lines; a name `.env` cannot hold is reported and left out.
fn dotenv(secrets: &[(String, String)], losses: &mut Losses) -> String {
    let mut out = String::from("# Secrets imported with the collection; never committed.\n");
    let mut written: Vec<&str> = Vec::new();
    for (name, value) in secrets {
        // One .env for the collection: a name given twice (two environments' secrets) keeps
        // its first value, and says so.
        if written.contains(&name.as_str()) {
            losses.add(
                ".env",
                format!("`{name}` is given more than once (by two environments?): .env keeps the first value"),
            );
            continue;
        }
        written.push(name);
        // What dotenv reads as a name: `[A-Za-z_][A-Za-z0-9_.]*`. One it cannot read would
        // stop it there, losing every secret after it.
        let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        if !plain {
            losses.add(
                ".env",
                format!("the secret `{name}` has a name .env cannot hold: dropped"),
            );
            continue;
        }
        // Single quotes keep a value as it is (no `$` expansion, no escapes); one that holds a
        // quote or a line break is double-quoted with those escaped.
        if !value.contains(['\'', '\n']) {
            out.push_str(&format!("{name}='{value}'\n"));
        } else {
            let escaped = value
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('$', "\\$")
                .replace('\n', "\\n");
            out.push_str(&format!("{name}=\"{escaped}\"\n"));
        }
    }
    out
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ImportError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|err| ImportError::write(parent, &err))?;
    }
    std::fs::write(path, bytes).map_err(|err| ImportError::write(path, &err))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
