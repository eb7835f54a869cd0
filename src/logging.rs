//! Logging through `tracing` to a file in the state directory — never to the terminal, which
//! belongs to the UI. The level comes from `COURIER_LOG` (default `info`), with `RUST_LOG`
//! syntax.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// Why logging could not start; Courier runs on without a log then, and says so.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("cannot create the log directory {}: {source}", dir.display())]
    Directory {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the log file {}: {source}", file.display())]
    File {
        file: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot start logging: {0}")]
    Start(String),
}

/// Starts logging to `file`, creating its directory.
pub fn init(file: &Path) -> Result<(), LogError> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|source| LogError::Directory {
            dir: dir.to_owned(),
            source,
        })?;
    }
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .map_err(|source| LogError::File {
            file: file.to_owned(),
            source,
        })?;
    let filter = EnvFilter::try_from_env("COURIER_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,hyper=warn,reqwest=warn,rustls=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(log))
        .with_ansi(false)
        .try_init()
        .map_err(|e| LogError::Start(e.to_string()))
}
