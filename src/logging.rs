//! Logging through `tracing` to a file in the state directory — never to the terminal, which
//! belongs to the UI. The level comes from `COURIER_LOG` (default `info`), with `RUST_LOG`
//! syntax.

use std::fs::OpenOptions;
use std::path::Path;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// Starts logging to `file`, creating its directory. Returns a sentence for the user when the
/// log cannot be opened; Courier runs on without a log then.
pub fn init(file: &Path) -> Result<(), String> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create the log directory {}: {e}", dir.display()))?;
    }
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .map_err(|e| format!("cannot open the log file {}: {e}", file.display()))?;
    let filter = EnvFilter::try_from_env("COURIER_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,hyper=warn,reqwest=warn,rustls=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(log))
        .with_ansi(false)
        .try_init()
        .map_err(|e| format!("cannot start logging: {e}"))
}
