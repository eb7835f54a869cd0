//! `courier import FILE… [--into DIR] [--format F] [--report FILE] [--force]`: each file is read
//! and turned into Courier's model first; only when every one of them has been understood is
//! anything written, each collection atomically. Environments imported beside a collection
//! go into it. The report names every loss by its file and place, or says there was none.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{ImportArgs, exit};
use crate::import::tree::ImportedCollection;
use crate::import::write::{target_for, write_collection};
use crate::import::{
    BIGGEST_SOURCE, Format, ImportError, Imported, Losses, import, import_dir, loss_line, summary,
};
use crate::paths::Paths;
use crate::store::ops::unique;

pub fn run(args: ImportArgs, paths: &Paths) -> u8 {
    let format = match args
        .format
        .as_deref()
        .map(|name| (name, Format::named(name)))
    {
        None => None,
        Some((_, Some(format))) => Some(format),
        Some((name, None)) => {
            eprintln!(
                "courier: --format {name}: one of postman, postman-environment, openapi, insomnia, har, http, curl, bruno"
            );
            return exit::USAGE;
        }
    };
    let mut sources = Vec::new();
    for file in &args.files {
        let read = if file.is_dir() {
            import_dir(file)
        } else {
            read_source(file).and_then(|bytes| import(file, &bytes, format))
        };
        match read {
            Ok(imported) => sources.push((file.clone(), imported)),
            Err(err) => {
                eprintln!("courier: {err}");
                return exit::COLLECTION;
            }
        }
    }
    let into = args
        .into
        .clone()
        .unwrap_or_else(|| paths.default_collections());
    let (collections, environments) = match gathered(sources) {
        Ok(gathered) => gathered,
        Err(message) => {
            eprintln!("courier: {message}");
            return exit::USAGE;
        }
    };
    let (mut report, mut lost) = match write_all(&collections, &into, args.force) {
        Ok(written) => written,
        Err((report, err)) => {
            print!("{report}");
            eprintln!("courier: {err}");
            return exit::COLLECTION;
        }
    };
    for (file, name, losses) in &environments {
        report.push_str(&format!(
            "Environment “{name}” ({}): into each collection above.\n",
            file.display()
        ));
        lost += losses.0.len();
        for loss in &losses.0 {
            report.push_str(&loss_line(file, loss));
        }
    }
    if lost == 0 {
        report.push_str("Nothing was lost: every field came across.\n");
    }
    print!("{report}");
    if let Some(file) = &args.report
        && let Err(err) = crate::store::write_atomic(file, report.as_bytes())
    {
        eprintln!("courier: the report was not written: {err}");
        return exit::WRITE;
    }
    exit::OK
}

/// Writes each collection into `into`; the report so far and how many losses it names, or
/// the report up to the one that could not be written, and why.
fn write_all(
    collections: &[Source],
    into: &Path,
    force: bool,
) -> Result<(String, usize), (String, ImportError)> {
    let mut report = String::new();
    let mut lost = 0;
    let mut written_here: Vec<PathBuf> = Vec::new();
    for source in collections {
        // Two sources of one name in one import: the second is written beside the first.
        let mut target = target_for(into, &source.collection);
        if written_here.contains(&target) {
            let name = target.file_name().map(|n| n.to_string_lossy().into_owned());
            target = unique(into, &name.unwrap_or_default(), "");
        }
        let mut losses = source.losses.clone();
        let written = match write_collection(&target, &source.collection, force, &mut losses) {
            Ok(written) => written,
            Err(err) => return Err((report, err)),
        };
        report.push_str(&summary(&source.collection, &written));
        lost += losses.0.len();
        for loss in &losses.0 {
            report.push_str(&loss_line(&source.file, loss));
        }
        written_here.push(target);
    }
    Ok((report, lost))
}

/// A collection to write: the file it came from and what reading it lost.
struct Source {
    file: PathBuf,
    collection: ImportedCollection,
    losses: Losses,
}

/// The collections to write, with the environments of the same command put into each, and
/// the environment files (file, name, losses) for the report.
#[allow(clippy::type_complexity)]
fn gathered(
    sources: Vec<(PathBuf, Imported)>,
) -> Result<(Vec<Source>, Vec<(PathBuf, String, Losses)>), String> {
    let mut collections = Vec::new();
    let mut environments = Vec::new();
    let mut environment_files = Vec::new();
    let mut secrets = Vec::new();
    for (file, imported) in sources {
        if imported.collections.is_empty() {
            let names: Vec<String> = imported
                .environments
                .iter()
                .map(|(n, _)| n.clone())
                .collect();
            environment_files.push((file.clone(), names.join(", "), imported.losses.clone()));
        }
        environments.extend(imported.environments);
        secrets.extend(imported.secrets);
        let losses = imported.losses;
        collections.extend(imported.collections.into_iter().map(|collection| Source {
            file: file.clone(),
            collection,
            losses: losses.clone(),
        }));
    }
    if collections.is_empty() {
        return Err(
            "an environment needs its collection: import them together (courier import collection.json environment.json)"
                .to_owned(),
        );
    }
    for source in &mut collections {
        source
            .collection
            .environments
            .extend(environments.iter().cloned());
        source.collection.secrets.extend(secrets.iter().cloned());
    }
    Ok((collections, environment_files))
}

/// A source's bytes; `-` is standard input.
fn read_source(file: &Path) -> Result<Vec<u8>, ImportError> {
    let failed = |err: std::io::Error| ImportError::Read {
        path: file.to_owned(),
        reason: err.to_string(),
    };
    let mut bytes = Vec::new();
    let limit = BIGGEST_SOURCE as u64 + 1;
    if file == Path::new("-") {
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(failed)?;
    } else {
        std::fs::File::open(file)
            .map_err(failed)?
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(failed)?;
    }
    Ok(bytes)
}
