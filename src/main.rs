//! The `courier` binary: parse the command line, set up logging, and hand over to the TUI or a
//! headless subcommand. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;
use courier::cli::{self, Cli};
use courier::paths::Paths;

fn main() -> ExitCode {
    fix_mmap_threshold();
    if let Some(typo) = std::env::args().nth(1)
        && let Some(command) = cli::suggest_command(&typo)
    {
        eprintln!(
            "courier: `{typo}` is no command and no directory: did you mean `courier {command}`?"
        );
        return ExitCode::from(cli::exit::USAGE);
    }
    let cli = Cli::parse();
    let paths = Paths::discover();
    let log_problem = courier::logging::init(&paths.log_file()).err();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("courier: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match cli.command {
        Some(command) => runtime.block_on(cli::run(command, &paths)),
        None => {
            if let Some(problem) = log_problem {
                eprintln!("courier: {problem} (continuing without a log)");
            }
            let dir = match cli.dir {
                Some(dir) => dir,
                None => {
                    // Courier's own directory: made on first run, so `n` can start a collection.
                    let dir = paths.default_collections();
                    if let Err(err) = std::fs::create_dir_all(&dir) {
                        eprintln!("courier: cannot create {}: {err}", dir.display());
                        return ExitCode::FAILURE;
                    }
                    dir
                }
            };
            tracing::info!(dir = %dir.display(), "starting the TUI");
            let config = match courier::store::read_config_or_default(&paths.config_file()) {
                Ok(config) => config,
                Err(err) => {
                    eprintln!("courier: {err}");
                    return ExitCode::from(courier::cli::exit::COLLECTION);
                }
            };
            match runtime.block_on(courier::runtime::run(&dir, &paths, config)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("courier: {err:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// glibc raises its mmap threshold each time a big block is freed, up to 32 MiB; after that,
/// big blocks come from the heap and stay resident after they are freed. Streaming a 1 GB body
/// while the history compressed its start peaked at 78-117 MB that way, against 40-60 MB with
/// the threshold held at glibc's initial 128 KiB, where big blocks are mapped and returned to
/// the system when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn fix_mmap_threshold() {
    // SAFETY: mallopt only sets one of malloc's parameters; no other thread runs yet.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn fix_mmap_threshold() {}
