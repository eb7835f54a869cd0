//! The `courier` binary: parse the command line, set up logging, and hand over to the TUI or a
//! headless subcommand. Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;
use courier::cli::{self, Cli};
use courier::paths::Paths;

fn main() -> ExitCode {
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
