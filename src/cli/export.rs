//! `courier export COLLECTION [--format postman] [-o FILE]`: a collection for another tool.
//! What the format has no place for is said on stderr, as an import's report would.

use super::{ExportArgs, exit};
use crate::import::Losses;
use crate::import::postman_export;
use crate::paths::Paths;

pub fn run(args: ExportArgs, paths: &Paths) -> u8 {
    if args.format != "postman" {
        eprintln!(
            "courier: --format {}: only postman can be written yet (curl, http and har are still to come)",
            args.format
        );
        return exit::USAGE;
    }
    let dir = args
        .collections
        .clone()
        .unwrap_or_else(|| paths.default_collections());
    let workspace = match crate::store::load_workspace(&dir) {
        Ok(workspace) => workspace,
        Err(err) => {
            eprintln!("courier: {err}");
            return exit::COLLECTION;
        }
    };
    let Some(collection) = workspace.collections.iter().find(|c| {
        c.dir.file_name().is_some_and(|n| *n == *args.collection) || c.name() == args.collection
    }) else {
        eprintln!(
            "courier: no collection {:?} in {}",
            args.collection,
            dir.display()
        );
        return exit::COLLECTION;
    };
    let mut losses = Losses::default();
    let value = postman_export::collection(collection, &mut losses);
    for loss in &losses.0 {
        eprintln!("courier: {}: {}", loss.place, loss.what);
    }
    // A Value of our own making: serialising it cannot fail.
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
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
