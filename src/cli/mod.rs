//! The command line: `courier [DIR]` (the TUI), `courier send` (one request, to stdout) and
//! `courier serve-demo` (the demo server alone). Parsing lives here; the subcommands are in
//! their own files and share the core modules with the TUI, never its types.

mod find;
mod send;
mod serve_demo;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

pub use find::{FindError, find_request};

#[derive(Debug, Parser)]
#[command(
    name = "courier",
    version,
    about = "A terminal API explorer: collections as plain files, responses streamed as they arrive",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Directory of collections to open (default: ./collections if it exists, else the data
    /// directory's collections).
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send one saved request and stream its body to stdout.
    Send(SendArgs),
    /// Run the built-in demo server until interrupted.
    ServeDemo(ServeDemoArgs),
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// The request: the path of its file, or COLLECTION/FOLDER/…/NAME (names or file names).
    pub request: String,
    /// Where to look up COLLECTION/… names (default as for the TUI).
    #[arg(long, value_name = "DIR")]
    pub collections: Option<PathBuf>,
    /// Print the status line and response headers before the body.
    #[arg(short = 'i', long)]
    pub include: bool,
    /// Print the request as sent, and the timing, to stderr.
    #[arg(short = 'v', long)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct ServeDemoArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8808)]
    pub port: u16,
    /// Serve HTTPS (h2 and http/1.1 by ALPN) with a freshly generated certificate.
    #[arg(long)]
    pub tls: bool,
    /// With --tls: write the CA certificate (PEM) here, for clients to trust.
    #[arg(long, value_name = "FILE", requires = "tls")]
    pub ca_out: Option<PathBuf>,
}

/// Exit codes of `courier send`, documented in the README. Any HTTP response, whatever its
/// status, is a success: the exchange worked.
pub mod exit {
    pub const OK: u8 = 0;
    /// Reserved by clap for bad arguments.
    pub const USAGE: u8 = 2;
    /// The collection or request could not be found, loaded or rendered.
    pub const COLLECTION: u8 = 3;
    pub const CONNECT: u8 = 4;
    pub const TIMEOUT: u8 = 5;
    pub const TLS: u8 = 6;
    /// Any other failure of the exchange (a broken body, too many redirects, …).
    pub const EXCHANGE: u8 = 7;
}

/// Runs a headless subcommand and returns the process exit code.
pub async fn run(command: Command, paths: &crate::paths::Paths) -> ExitCode {
    match command {
        Command::Send(args) => ExitCode::from(send::run(args, paths).await),
        Command::ServeDemo(args) => ExitCode::from(serve_demo::run(args).await),
    }
}
