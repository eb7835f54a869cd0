//! The module map of ARCHITECTURE.md, enforced: every `crate::…` path in a module's source
//! names only modules that the map lets it use, and `app` takes from the engine only the
//! words of its events. A new import against the map's direction fails here, naming the file
//! and line, so the map is changed on purpose (in ARCHITECTURE.md too) or not at all.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each module and the modules it may use (`*`: any but `cli`, which only `main` uses; the
/// command line never uses the TUI's `app`, `ui` or `runtime`).
const MAP: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("store", &["model"]),
    ("template", &["model"]),
    ("body", &[]),
    ("chain", &["model", "store", "template", "body"]),
    ("check", &["body", "template"]),
    ("report", &["check"]),
    (
        "http",
        &["model", "store", "template", "body", "chain", "program"],
    ),
    ("load", &["http", "model"]),
    (
        "mock",
        &[
            "model", "store", "template", "body", "check", "http", "demo",
        ],
    ),
    ("history", &["model", "body", "http"]),
    ("import", &["model", "store", "body", "check"]),
    (
        "export",
        &["model", "store", "template", "history", "import", "check"],
    ),
    (
        "app",
        &[
            "model", "store", "body", "chain", "http", "history", "import", "check", "load", "mock",
        ],
    ),
    ("ui", &["app", "model", "store", "body", "history", "load"]),
    ("runtime", &["*"]),
    (
        "cli",
        &[
            "model", "store", "template", "body", "chain", "http", "history", "import", "export",
            "check", "report", "demo", "paths", "load", "mock",
        ],
    ),
    ("demo", &[]),
    ("paths", &[]),
    ("logging", &["paths"]),
    ("program", &[]),
];

/// What `app` may name of `http`: the engine's events and the values inside them. Building
/// or sending a request (`PreparedRequest`, `prepare`, `Engine`…) is the runtime's.
const APP_MAY_USE_OF_HTTP: &[&str] = &[
    "EngineEvent",
    "ExchangeId",
    "Failure",
    "FailureKind",
    "ResponseHead",
    "RedirectHop",
    "SentRequest",
    "SentBody",
    "Summary",
    "Timing",
    "mask_secrets",
    // A WebSocket session's words: its events (`Opened`, `Frame`, `Close`) and the commands
    // the app hands the runtime for it (`Command`).
    "websocket",
];

fn rust_files(path: &Path, into: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for entry in entries {
            rust_files(&entry, into);
        }
    } else if path.is_file() && path.extension().is_some_and(|e| e == "rs") {
        into.push(path.to_owned());
    }
}

/// Every `crate::name…` path in `line`, outside comments: the module, and what follows it
/// (`http::{A, B}` gives `A` and `B`).
fn crate_paths(line: &str) -> Vec<(String, Vec<String>)> {
    let code = line.split("//").next().unwrap_or_default();
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let module: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let tail = &after[module.len()..];
        let items: Vec<String> = match tail.strip_prefix("::") {
            Some(group) if group.starts_with('{') => group[1..]
                .split('}')
                .next()
                .unwrap_or_default()
                .split(',')
                .map(|item| item.trim().to_owned())
                .filter(|item| !item.is_empty())
                .collect(),
            Some(path) => vec![
                path.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect(),
            ],
            None => Vec::new(),
        };
        found.push((module, items));
        rest = after;
    }
    found
}

#[test]
fn modules_import_only_along_the_map() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules: BTreeSet<&str> = MAP.iter().map(|(m, _)| *m).collect();
    let mut wrong = Vec::new();
    for (module, allowed) in MAP {
        let mut files = Vec::new();
        rust_files(&src.join(module), &mut files);
        rust_files(&src.join(format!("{module}.rs")), &mut files);
        assert!(
            !files.is_empty(),
            "the map names {module}, which is not in src/"
        );
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            // Tests may reach across (they play the runtime); the map is about the product.
            let product = text.split("#[cfg(test)]").next().unwrap_or_default();
            let is_tests_dir = file.components().any(|c| c.as_os_str() == "tests");
            if is_tests_dir {
                continue;
            }
            for (number, line) in product.lines().enumerate() {
                for (used, items) in crate_paths(line) {
                    if used == *module || !modules.contains(used.as_str()) {
                        continue;
                    }
                    let may = allowed.contains(&used.as_str())
                        || (allowed.contains(&"*") && used != "cli");
                    let where_ = format!(
                        "{}:{}",
                        file.strip_prefix(&src).unwrap().display(),
                        number + 1
                    );
                    if !may {
                        wrong.push(format!("{where_}: {module} uses {used}"));
                    } else if (*module == "app" || *module == "ui")
                        && used == "history"
                        && items.iter().any(|item| item != "diff_lines")
                    {
                        wrong.push(format!(
                            "{where_}: {module} uses history beyond its diff's rows (diff_lines)"
                        ));
                    } else if *module == "app"
                        && used == "import"
                        && items.iter().any(|item| item != "curl" && item != "Losses")
                    {
                        wrong.push(format!(
                            "{where_}: app uses import beyond reading a pasted curl command"
                        ));
                    } else if *module == "app" && used == "http" {
                        for item in items {
                            if !APP_MAY_USE_OF_HTTP.contains(&item.as_str()) {
                                wrong.push(format!(
                                    "{where_}: app uses http::{item}, not one of the engine's events"
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against ARCHITECTURE.md's map:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_module_is_on_the_map_and_says_what_it_owns() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    for line in lib.lines() {
        let Some(name) = line
            .strip_prefix("pub mod ")
            .and_then(|rest| rest.strip_suffix(';'))
        else {
            continue;
        };
        assert!(
            MAP.iter().any(|(module, _)| *module == name),
            "src/{name} is not on the map"
        );
        let top = if src.join(name).is_dir() {
            src.join(name).join("mod.rs")
        } else {
            src.join(format!("{name}.rs"))
        };
        let text = std::fs::read_to_string(&top).unwrap();
        assert!(
            text.starts_with("//!"),
            "{} does not open with a //! paragraph",
            top.display()
        );
    }
    let architecture =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
            .unwrap();
    for (module, _) in MAP {
        assert!(
            architecture.contains(&format!("`{module}`")),
            "ARCHITECTURE.md does not describe `{module}`"
        );
    }
}

#[test]
fn the_scanner_finds_grouped_and_plain_paths_and_skips_comments() {
    assert_eq!(
        crate_paths("use crate::http::{EngineEvent, Engine};"),
        [(
            "http".to_owned(),
            vec!["EngineEvent".to_owned(), "Engine".to_owned()]
        )]
    );
    assert_eq!(
        crate_paths("let x = crate::body::make_visible(b); // crate::cli"),
        [("body".to_owned(), vec!["make_visible".to_owned()])]
    );
    assert!(crate_paths("/// see [`crate::runtime`]").is_empty());
}

#[test]
fn keys_are_matched_only_in_the_keymap() {
    // ARCHITECTURE.md: a handler asks the keymap for an action and never matches a key code
    // itself, so help and the footer, written from the keymap, can never drift from behaviour.
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
    let mut files = Vec::new();
    rust_files(&app, &mut files);
    let mut wrong = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(&app)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if relative.starts_with("keymap") || relative.starts_with("tests") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        // A module's own tests press keys; only the code above them counts.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (number, line) in code.lines().enumerate() {
            if line.contains("KeyCode::") {
                wrong.push(format!(
                    "src/app/{relative}:{}: {}",
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "keys matched outside the keymap:\n{}",
        wrong.join("\n")
    );
}
