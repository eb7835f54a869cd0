//! `courier export TARGET [--format postman|curl|http|har] [-o FILE]`: a collection, a folder
//! or one request for another tool. TARGET is named as `courier send` names requests
//! (`COLLECTION/FOLDER/…/NAME`, each part a file or directory name or a display name), or is a
//! path to a collection's, folder's or request's file or directory. What the format has no
//! place for is said on stderr, as an import's report would.

use std::path::{Path, PathBuf};

use super::{ExportArgs, exit};
use crate::export::{Format, curl, har, http_file, k6, postman, pruned};
use crate::history::History;
use crate::import::Losses;
use crate::paths::Paths;
use crate::store::lookup::item_matches;
use crate::store::{self, COLLECTION_FILE, Collection, Folder, Item};

pub fn run(args: ExportArgs, paths: &Paths) -> u8 {
    let Some(format) = Format::named(&args.format) else {
        eprintln!(
            "courier: --format {}: one of postman, curl, http, har, k6",
            args.format
        );
        return exit::USAGE;
    };
    let dir = args
        .collections
        .clone()
        .unwrap_or_else(|| paths.default_collections());
    let (collection, path) = match target(&args.target, &dir) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("courier: {message}");
            return exit::COLLECTION;
        }
    };
    let selected = pruned(&collection, &path);
    let mut losses = Losses::default();
    let text = match format {
        Format::Postman => json_text(&postman::collection(&selected, &mut losses)),
        Format::Curl => curl::script(&selected, &mut losses),
        Format::Http => http_file::file(&selected, &mut losses),
        Format::K6 => match k6_shape(&args.load) {
            Ok(shape) => k6::script(&selected, &shape, &mut losses),
            Err(message) => {
                eprintln!("courier: {message}");
                return exit::USAGE;
            }
        },
        Format::Har => match har_log(&selected, paths, &mut losses) {
            Ok(text) => text,
            Err(message) => {
                eprintln!("courier: {message}");
                return exit::FAILURE;
            }
        },
    };
    for loss in &losses.0 {
        eprintln!("courier: {}: {}", loss.place, loss.what);
    }
    match &args.output {
        Some(file) => match crate::store::write_atomic(file, text.as_bytes()) {
            Ok(()) => exit::OK,
            Err(err) => {
                eprintln!("courier: {err}");
                exit::WRITE
            }
        },
        None => {
            print!("{text}");
            exit::OK
        }
    }
}

/// The k6 script's load shape from `courier load`'s flags: -c virtual users, -n iterations
/// or -z seconds (10 by default), --rate, and --fail-if as thresholds.
fn k6_shape(load: &super::LoadShapeArgs) -> Result<k6::Shape, String> {
    let conditions = match &load.fail_if {
        Some(text) => crate::load::fail_if::parse(text).map_err(|e| e.to_string())?,
        None => Vec::new(),
    };
    if let Some(rate) = load.rate
        && !(rate.is_finite() && rate > 0.0)
    {
        return Err(format!(
            "--rate {rate}: a rate is a number of iterations a second above 0"
        ));
    }
    let mut thresholds = Vec::new();
    for condition in &conditions {
        match condition.k6_threshold() {
            Some(threshold) => thresholds.push(threshold),
            None => {
                return Err(format!(
                    "--fail-if `{}`: k6 keeps failures as a rate; say it as a share (errors>1%)",
                    condition.text
                ));
            }
        }
    }
    Ok(k6::Shape {
        vus: load.concurrency,
        stop: match (load.count, load.duration) {
            (Some(count), _) => k6::ShapeStop::Iterations(count),
            (None, duration) => k6::ShapeStop::Seconds(duration.map_or(10, |d| d.as_secs().max(1))),
        },
        rate: load.rate,
        thresholds,
    })
}

/// A value of our own making as pretty JSON (serialising it cannot fail).
fn json_text(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn har_log(collection: &Collection, paths: &Paths, losses: &mut Losses) -> Result<String, String> {
    let settings = store::read_config_or_default(&paths.config_file())
        .map_err(|err| err.to_string())?
        .history
        .settings();
    let history = History::open(&History::dir_in(&paths.state_dir), settings)
        .map_err(|err| err.to_string())?;
    let log = har::log(collection, &history, losses).map_err(|err| err.to_string())?;
    Ok(json_text(&log))
}

/// The collection `target` is in, and the keys of the folders and request leading to it
/// (none for the whole collection).
pub(super) fn target(
    target: &str,
    collections: &Path,
) -> Result<(Collection, Vec<String>), String> {
    let as_path = Path::new(target);
    if as_path.exists() {
        return by_path(as_path);
    }
    let workspace = store::load_workspace(collections).map_err(|err| err.to_string())?;
    let mut parts = target.split('/').filter(|part| !part.is_empty());
    let first = parts.next().unwrap_or_default();
    let collection = workspace
        .collections
        .iter()
        .find(|c| store::lookup::matches(first, &key_of(&c.dir), c.name()))
        .ok_or_else(|| {
            let names: Vec<String> = workspace
                .collections
                .iter()
                .map(|c| key_of(&c.dir))
                .collect();
            format!(
                "no collection `{first}` in {} (there are: {})",
                collections.display(),
                names.join(", ")
            )
        })?;
    let mut keys = Vec::new();
    let mut folder: &Folder = &collection.root;
    for part in parts {
        let item = folder
            .items
            .iter()
            .find(|item| item_matches(item, part))
            .ok_or_else(|| format!("`{part}` is not in {}", folder.name()))?;
        match item {
            Item::Folder(sub) => {
                keys.push(sub.key());
                folder = sub;
            }
            Item::Request(request) => {
                keys.push(request.key());
                break;
            }
            Item::Broken(broken) => return Err(format!("{}: {}", broken.name(), broken.error)),
        }
    }
    Ok((collection.clone(), keys))
}

/// The collection holding the file or directory at `path`, and the keys leading to it.
fn by_path(path: &Path) -> Result<(Collection, Vec<String>), String> {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let dir = absolute
        .ancestors()
        .find(|dir| dir.join(COLLECTION_FILE).is_file())
        .ok_or_else(|| {
            format!(
                "{} is not inside a collection (no collection.json above it)",
                path.display()
            )
        })?;
    let collection = store::load_collection(dir);
    let inside: PathBuf = absolute
        .strip_prefix(dir)
        .map(Path::to_owned)
        .unwrap_or_default();
    let mut keys: Vec<String> = inside
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    // `collection.json` and `folder.json` name what holds them; a request file, its stem.
    if let Some(last) = keys.last_mut() {
        match last.as_str() {
            "collection.json" | "folder.json" => {
                keys.pop();
            }
            name => *last = name.trim_end_matches(".json").to_owned(),
        }
    }
    Ok((collection, keys))
}

fn key_of(dir: &Path) -> String {
    dir.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}
