//! YAML sources (OpenAPI and Swagger documents, Insomnia v5 exports, OpenCollection files)
//! read into the same JSON values the JSON importers walk. serde-saphyr parses without
//! panicking and within budgets: an alias bomb (billion laughs), a nesting a thousand deep or
//! a storm of documents stops with an error naming its line, in bounded time and memory.
//! The budgets are wide enough for the largest real API descriptions (GitHub's is ~10 MB).

use std::path::Path;

use serde_json::Value;
use serde_saphyr::options::DuplicateKeyPolicy;
use serde_saphyr::{Budget, Options};

use super::{ImportError, Losses};

/// Nodes in one document: a 256 MB source of short scalars holds fewer.
const MOST_NODES: usize = 40_000_000;
/// Events replayed from aliases in all: what keeps an alias bomb from growing.
const MOST_REPLAYED: usize = 2_000_000;
/// Nesting: schemas nest deep, but not this deep.
const DEEPEST: usize = 256;
/// The reading thread's stack (address space, touched only as deep as the nesting goes).
const STACK: usize = 64 * 1024 * 1024;

/// `text` read as YAML. A key given twice in one mapping is an error in YAML; real documents
/// have them, so the read is done again keeping the last, and the first such key reported.
pub fn parse(path: &Path, text: &str, losses: &mut Losses) -> Result<Value, ImportError> {
    match read(text, DuplicateKeyPolicy::Error) {
        Ok(value) => Ok(value),
        Err(err) if err.to_string().contains("duplicate mapping key") => {
            let value = read(text, DuplicateKeyPolicy::LastWins).map_err(|e| syntax(path, &e))?;
            let (line, _) = location(&err);
            losses.add(
                &format!("line {line}"),
                format!(
                    "{}: the last value kept (and so for any other key given twice)",
                    message(&err)
                ),
            );
            Ok(value)
        }
        Err(err) => Err(syntax(path, &err)),
    }
}

/// Reads on a thread of its own with a deep stack: the parser recurses once per level of
/// nesting, and [`DEEPEST`] levels need more than a test thread's 2 MB in a debug build.
fn read(text: &str, duplicates: DuplicateKeyPolicy) -> Result<Value, serde_saphyr::Error> {
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("yaml".to_owned())
            .stack_size(STACK)
            .spawn_scoped(scope, || read_here(text, duplicates));
        match reader {
            Ok(reader) => reader
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: read here, within this thread's stack.
            Err(_) => read_here(text, duplicates),
        }
    })
}

fn read_here(text: &str, duplicates: DuplicateKeyPolicy) -> Result<Value, serde_saphyr::Error> {
    // Both are `non_exhaustive`: made by default, then set.
    let mut budget = Budget::default();
    budget.max_events = MOST_NODES * 2;
    budget.max_nodes = MOST_NODES;
    budget.max_depth = DEEPEST;
    budget.max_total_scalar_bytes = super::BIGGEST_SOURCE;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.duplicate_keys = duplicates;
    options.alias_limits.max_total_replayed_events = MOST_REPLAYED;
    serde_saphyr::from_str_with_options(text, options)
}

fn syntax(path: &Path, err: &serde_saphyr::Error) -> ImportError {
    let (line, column) = location(err);
    ImportError::Syntax {
        path: path.to_owned(),
        line,
        column,
        message: message(err),
    }
}

fn location(err: &serde_saphyr::Error) -> (usize, usize) {
    err.location().map_or((1, 1), |at| {
        let convert = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        (convert(at.line()), convert(at.column()))
    })
}

/// The error's first line without its `error: line L column C:` prefix (the place is said
/// apart) and the snippet it draws below.
fn message(err: &serde_saphyr::Error) -> String {
    let full = err.to_string();
    let first = full.lines().next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let without_place = match first.split_once(": ") {
        Some((place, rest)) if place.starts_with("line ") => rest,
        _ => first,
    };
    // Budget breaches name every alias they passed through; the first is enough.
    let short = without_place
        .split(" at line ")
        .next()
        .unwrap_or(without_place);
    if short.starts_with("alias replay limit exceeded") {
        return format!("its aliases expand past {MOST_REPLAYED} values (a YAML bomb?): not read");
    }
    short
        .replace(", set DuplicateKeyPolicy in Options if acceptable", "")
        .replace("budget breached: ", "too big to read safely: ")
}
