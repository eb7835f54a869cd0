//! The command line: `courier [DIR]` (the TUI), `courier send` (one request, to stdout),
//! `courier cookies` (a collection's cookie jar), `courier history` (past exchanges),
//! `courier import` (other tools' collections) and `courier serve-demo` (the demo server
//! alone). Parsing lives here; each subcommand has its own file and uses the core modules,
//! never the TUI's types.

mod adhoc;
mod after_hooks;
mod cookies;
mod curl;
mod dependencies;
mod export;
mod find;
mod history;
mod history_runs;
mod import;
mod load;
mod load_report;
mod mock;
mod output;
pub mod prompt;
mod send;
mod serve_demo;
mod test;
mod websocket;

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
    /// Send a saved request, or a URL with curl-like options, and stream the body to stdout.
    Send(Box<SendArgs>),
    /// Show or clear a collection's cookie jar.
    Cookies(CookiesArgs),
    /// Run the built-in demo server until interrupted.
    ServeDemo(ServeDemoArgs),
    /// List, show, prune or clear the history of exchanges.
    History(HistoryArgs),
    /// Import collections from other tools: Postman (and environments), curl, .http (and
    /// its environment files), HAR.
    Import(ImportArgs),
    /// Export a collection, folder or request for another tool (Postman, curl, .http, HAR).
    Export(ExportArgs),
    /// Send a collection's, folder's or request's requests in order and check their
    /// assertions (`asserts` in each request file).
    Test(TestArgs),
    /// Send one request again and again, many at once or at a fixed rate, and say how fast
    /// the answers came (latency percentiles, a histogram, errors by kind).
    Load(Box<LoadArgs>),
    /// Serve a collection's saved examples as a mock server: matched by method, path and
    /// rules, with templates, delays and faults.
    Mock(mock::MockArgs),
}

/// How hard a load run pushes, and when it fails: `load`'s, and `export --format k6`'s
/// `options`.
#[derive(Debug, Args)]
pub struct LoadShapeArgs {
    /// Requests in flight at once, each on its own connection unless --connections says.
    #[arg(short = 'c', long, value_name = "N", default_value_t = 50,
        value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub concurrency: u32,
    /// Send this many requests, then stop.
    #[arg(short = 'n', long = "requests", value_name = "N", conflicts_with = "duration",
        value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Send for this long (`30s`, `5m`); the default is 10s.
    #[arg(short = 'z', long, value_name = "DURATION", value_parser = parse_duration)]
    pub duration: Option<std::time::Duration>,
    /// Start this many requests a second, whatever the answers' speed (an open model); by
    /// default each of the -c workers sends its next request as soon as the last one ends.
    #[arg(long, value_name = "PER_SECOND")]
    pub rate: Option<f64>,
    /// The run fails (`courier load` exits with 1; k6's thresholds) when any of these is true
    /// at the end: `p95>300ms,errors>1%,rps<100` (latencies p50 p90 p95 p99 p99.9 mean min
    /// max; errors as a share or a count; rps).
    #[arg(long, value_name = "CONDITIONS")]
    pub fail_if: Option<String>,
}

#[derive(Debug, Args)]
pub struct LoadArgs {
    /// A saved request (its file, or COLLECTION/FOLDER/…/NAME) or a URL.
    pub request: String,
    #[command(flatten)]
    pub scope: Scope,
    #[command(flatten)]
    pub shape: RequestShape,
    #[command(flatten)]
    pub load: LoadShapeArgs,
    /// With --rate, count each latency from when its request was due rather than when a
    /// worker was free to send it (coordinated omission corrected).
    #[arg(long, requires = "rate")]
    pub latency_correction: bool,
    /// HTTP/2: share this many connections among the -c requests (multiplexed on them).
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..))]
    pub connections: Option<u32>,
    /// Threads to send from (default: one per core, half the cores when the server is on
    /// this machine, as it needs the rest to answer).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub threads: Option<u32>,
    /// A CSV file (with a header row) or a JSON array of objects: the request is prepared
    /// once per row with its values as variables, and the requests go round the rows.
    #[arg(long = "data", value_name = "FILE")]
    pub rows: Option<PathBuf>,
    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// What to run: COLLECTION, COLLECTION/FOLDER/… or COLLECTION/…/REQUEST (file or
    /// directory names, or the names shown), or the path of one of them; several run one
    /// after another.
    #[arg(required = true, value_name = "TARGET")]
    pub targets: Vec<String>,
    #[command(flatten)]
    pub scope: Scope,
    /// A CSV file (with a header row) or a JSON array of objects: one iteration per row, its
    /// values as variables.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// How many times to run everything (default: once, or once per data row; more than
    /// the rows goes round them again).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub iterations: Option<u32>,
    /// How many sub-folders of the target run at once (requests within a folder stay in
    /// order).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub jobs: u32,
    /// Send a request that failed (an assertion, or no response) again, up to N more times.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub retry: u32,
    /// How long to wait before a retry.
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    pub retry_interval: std::time::Duration,
    /// Stop at the first request that fails (reports are still written).
    #[arg(long)]
    pub bail: bool,
    /// Run only requests with one of these tags (comma-separated, repeatable).
    #[arg(long, value_name = "TAG,…", value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Leave out requests with any of these tags.
    #[arg(long, value_name = "TAG,…", value_delimiter = ',')]
    pub exclude_tags: Vec<String>,
    /// Write reports: FORMAT:FILE with FORMAT junit, tap, json or html (comma-separated,
    /// repeatable).
    #[arg(long, value_name = "FORMAT:FILE,…", value_delimiter = ',', value_parser = parse_report)]
    pub report: Vec<(ReportFormat, PathBuf)>,
    /// Say only the failures and the counts.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Do not record the run and its exchanges in the history.
    #[arg(long)]
    pub no_history: bool,
}

/// A report `courier test` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Junit,
    Tap,
    Json,
    Html,
}

fn parse_report(text: &str) -> Result<(ReportFormat, PathBuf), String> {
    let (format, file) = text
        .split_once(':')
        .filter(|(_, file)| !file.is_empty())
        .ok_or_else(|| format!("`{text}` is not FORMAT:FILE (e.g. junit:report.xml)"))?;
    let format = match format {
        "junit" => ReportFormat::Junit,
        "tap" => ReportFormat::Tap,
        "json" => ReportFormat::Json,
        "html" => ReportFormat::Html,
        other => {
            return Err(format!(
                "`{other}` is not a report format (junit, tap, json or html)"
            ));
        }
    };
    Ok((format, PathBuf::from(file)))
}

fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(text).map_err(|err| format!("`{text}`: {err}"))
}

/// Where a saved request is looked up, and the values it is sent with: `send`'s and `test`'s.
#[derive(Debug, Args)]
pub struct Scope {
    /// Where to look up COLLECTION/… names (default as for the TUI).
    #[arg(long, value_name = "DIR")]
    pub collections: Option<PathBuf>,
    /// The environment of the collection to send with (its `environments/NAME.json`).
    #[arg(short = 'e', long = "env", value_name = "NAME")]
    pub environment: Option<String>,
    /// A variable, `NAME=VALUE`, over every other value of it; repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export: COLLECTION, COLLECTION/FOLDER/… or COLLECTION/…/REQUEST (file or
    /// directory names, or the names shown), or the path of one of them.
    pub target: String,
    /// Where to look it up (default as for the TUI).
    #[arg(long, value_name = "DIR")]
    pub collections: Option<PathBuf>,
    /// The format: postman (v2.1), curl (a shell script), http (JetBrains .http), har (the
    /// history's exchanges of the requests) or k6 (a load script).
    #[arg(long, value_name = "FORMAT", default_value = "postman")]
    pub format: String,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With `--format k6`: the load shape of its `options` (-c virtual users, -n iterations
    /// or -z a duration, --rate iterations a second) and `--fail-if` as its thresholds.
    #[command(flatten)]
    pub load: LoadShapeArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The files to import; `-` reads standard input. Environments given with a collection
    /// go into it.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The collections directory each collection is written into, as DIR/NAME (default: the
    /// one the TUI opens); made when missing.
    #[arg(long, value_name = "DIR")]
    pub into: Option<PathBuf>,
    /// The format, when sniffing the content is not wanted: postman, postman-environment,
    /// openapi, insomnia, har, http, curl, bruno.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Also write the report (what was lost or approximated, and where) to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Replace a collection of the same name (otherwise the import stops before writing it).
    #[arg(long)]
    pub force: bool,
}

/// What shapes a request on the command line, curl's way: `send`'s and `load`'s.
#[derive(Debug, Args)]
pub struct RequestShape {
    /// The method (default GET, or POST with -d/-F).
    #[arg(short = 'X', long = "request", value_name = "METHOD")]
    pub method: Option<String>,
    /// A header, `Name: value`; repeatable; replaces a saved header of the same name.
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,
    /// The body exactly as given, or a file streamed as-is with `@FILE`.
    #[arg(long = "data-binary", value_name = "DATA")]
    pub data_binary: Option<String>,
    /// A multipart field, `name=value` or `name=@FILE` (streamed from disk; `;type=…` sets
    /// the part's content type); repeatable.
    #[arg(
        short = 'F',
        long = "form",
        value_name = "FIELD",
        conflicts_with = "data_binary"
    )]
    pub form: Vec<String>,
    /// Basic auth, `USER:PASS` (digest with --digest).
    #[arg(short = 'u', long = "user", value_name = "USER:PASS")]
    pub user: Option<String>,
    /// Use HTTP Digest auth (RFC 7616) with the -u credentials.
    #[arg(long, requires = "user")]
    pub digest: bool,
    /// Sign with AWS Signature Version 4 as curl spells it, `aws:amz[:REGION[:SERVICE]]`
    /// (both taken from a `SERVICE.REGION.amazonaws.com` host when left out), with -u
    /// ACCESS_KEY:SECRET_KEY; an X-Amz-Security-Token header given with -H is signed too.
    #[arg(long = "aws-sigv4", value_name = "PROVIDER", requires = "user")]
    pub aws_sigv4: Option<String>,

    /// Speak HTTP/1.1 only.
    #[arg(long = "http1.1", conflicts_with = "http2")]
    pub http1: bool,
    /// Speak HTTP/2 only (prior knowledge over cleartext).
    #[arg(long)]
    pub http2: bool,
    /// Seconds allowed to connect (TCP and TLS).
    #[arg(long, value_name = "S")]
    pub connect_timeout: Option<f64>,
    /// Seconds allowed between two reads of the response.
    #[arg(long, value_name = "S")]
    pub read_timeout: Option<f64>,
    /// Seconds allowed for the whole exchange.
    #[arg(long = "timeout", short = 'm', value_name = "S")]
    pub total_timeout: Option<f64>,
    /// Trust the CA certificates in this PEM file too.
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,
    /// Client certificate (PEM) for mutual TLS; needs --key.
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,
    /// Client private key (PEM) for --cert.
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
    /// Do not verify the server's certificate. Dangerous; a warning says so.
    #[arg(short = 'k', long)]
    pub insecure: bool,
    /// Use this proxy (http://, https:// or socks5://), or `off` for none.
    #[arg(short = 'x', long, value_name = "URL")]
    pub proxy: Option<String>,
    /// Do not follow redirects.
    #[arg(long)]
    pub no_follow: bool,
    /// Do not decode compressed bodies: print the bytes as they came.
    #[arg(long)]
    pub raw: bool,

    /// The User-Agent header.
    #[arg(short = 'A', long = "user-agent", value_name = "AGENT")]
    pub user_agent: Option<String>,
    /// Cookies to send, `NAME=VALUE; NAME2=VALUE2` (cookie files are not read).
    #[arg(short = 'b', long = "cookie", value_name = "DATA")]
    pub cookie: Option<String>,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// A saved request (its file, or COLLECTION/FOLDER/…/NAME) or a URL (http://, https://,
    /// or a host such as localhost:8808/echo).
    pub request: String,
    #[command(flatten)]
    pub scope: Scope,

    /// The request's method, headers, body, auth and transport, as curl spells them.
    #[command(flatten)]
    pub shape: RequestShape,
    /// A form-encoded body (`-d @file` reads a file, newlines removed); repeatable, joined
    /// with `&`.
    #[arg(short = 'd', long = "data", value_name = "DATA", conflicts_with_all = ["data_binary", "form"])]
    pub data: Vec<String>,
    /// Print the status line and response headers before the body.
    #[arg(short = 'i', long)]
    pub include: bool,
    /// Print the request as sent, the response head and the timing to stderr.
    #[arg(short = 'v', long)]
    pub verbose: bool,

    // curl's habits that map onto Courier (README: "curl's flags").
    /// A JSON body (`@FILE`, `@-` for stdin): sets Content-Type and Accept to JSON, POST.
    /// With a WebSocket, no value: print one JSON object per frame.
    #[arg(long, value_name = "DATA", num_args = 0..=1, default_missing_value = "",
        conflicts_with_all = ["data", "data_binary", "form"])]
    pub json: Option<String>,

    // WebSocket sessions (a ws:// or wss:// URL, or a saved WebSocket request).
    /// A message to send once the session is open: text, or `@FILE` (`@-`: stdin), sent as
    /// text when its bytes are UTF-8 and as binary otherwise; repeatable, sent in order.
    #[arg(long = "message", value_name = "TEXT|@FILE")]
    pub messages: Vec<String>,
    /// Send each line of FILE (`-`: stdin) as a text message as it is read, after the
    /// `--message`s; at its end Courier closes the session, unless `--until` says when.
    #[arg(long = "messages-from", value_name = "FILE|-")]
    pub messages_from: Option<PathBuf>,
    /// When to stop: after N messages from the server, `close` (when the server closes), or
    /// a jq filter true for a JSON message. Then Courier closes the session.
    #[arg(long, value_name = "N|close|JQ")]
    pub until: Option<String>,
    /// Offer this subprotocol (repeatable, in order of preference).
    #[arg(long = "subprotocol", value_name = "NAME")]
    pub subprotocols: Vec<String>,
    /// Do not offer permessage-deflate compression.
    #[arg(long)]
    pub no_deflate: bool,
    /// Write the body to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Send HEAD and print the response head.
    #[arg(short = 'I', long = "head")]
    pub head: bool,
    /// On an HTTP error status (400 and up) print no body and exit with 22, as curl does.
    #[arg(short = 'f', long = "fail")]
    pub fail: bool,
    /// Not supported: Courier keeps each collection's cookies in its own jar.
    #[arg(short = 'c', long = "cookie-jar", value_name = "FILE", hide = true)]
    pub cookie_jar: Option<PathBuf>,
    /// After the exchange, print FORMAT with %{http_code}, %{time_total}, %{size_download},
    /// %{url_effective}, %{content_type} and %{method} filled in (\n is a newline).
    #[arg(short = 'w', long = "write-out", value_name = "FORMAT")]
    pub write_out: Option<String>,
    /// Accepted for curl's sake: Courier follows redirects already (--no-follow stops it).
    #[arg(short = 'L', long = "location")]
    pub location: bool,
    /// Accepted for curl's sake: Courier prints no progress meter.
    #[arg(short = 's', long = "silent")]
    pub silent: bool,
    /// Accepted for curl's sake: Courier asks for and decodes compressed bodies already.
    #[arg(long)]
    pub compressed: bool,
    /// Do not record this exchange in the history.
    #[arg(long)]
    pub no_history: bool,
}

impl SendArgs {
    /// Whether flags change what a saved request sends (its method, headers, body or
    /// values), so that it is no longer the request as written.
    pub fn changes_the_request(&self) -> bool {
        self.shape.method.is_some()
            || !self.shape.headers.is_empty()
            || !self.data.is_empty()
            || self.shape.data_binary.is_some()
            || !self.shape.form.is_empty()
            || self.shape.user.is_some()
            || self.json.as_deref().is_some_and(|json| !json.is_empty())
            || !self.scope.vars.is_empty()
    }
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[command(subcommand)]
    pub command: HistoryCommand,
}

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// The exchanges of one request (or URL), or of all, newest first.
    List {
        /// A saved request (its file, or COLLECTION/FOLDER/…/NAME) or a URL.
        request: Option<String>,
        /// Where to look up COLLECTION/… names (default as for the TUI).
        #[arg(long, value_name = "DIR")]
        collections: Option<PathBuf>,
        /// Only exchanges with these words in their URL, headers or text body.
        #[arg(long, value_name = "WORDS")]
        search: Option<String>,
        /// At most this many.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// One JSON array, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// One exchange: the request as sent, the response head, timing and sizes.
    Show {
        id: i64,
        /// Print only the response body, exactly as received (decoded).
        #[arg(long)]
        body: bool,
    },
    /// What changed from exchange A to exchange B: status, headers, time and the body (JSON
    /// by path, text by line, anything else by size and hash). Exits 1 when they differ.
    Diff { a: i64, b: i64 },
    /// `courier test` runs, newest first, with their counts.
    Runs {
        /// At most this many.
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: usize,
    },
    /// One `courier test` run: each exchange it sent, passed or failed, and for each failed
    /// request its exchange in the last run where it passed (--diff: what changed since).
    Run {
        id: i64,
        #[arg(long)]
        diff: bool,
    },
    /// Keep an exchange whatever the retention (--off: let retention take it again).
    Pin {
        id: i64,
        #[arg(long)]
        off: bool,
    },
    /// Apply the retention settings now.
    Prune,
    /// Remove every exchange but the pinned ones.
    Clear {
        /// Pinned ones too.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Args)]
pub struct CookiesArgs {
    /// The collection: its directory, or its name under --collections.
    pub collection: String,
    /// Where to look up collection names (default as for the TUI).
    #[arg(long, value_name = "DIR")]
    pub collections: Option<PathBuf>,
    /// Empty the jar.
    #[arg(long)]
    pub clear: bool,
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

/// The user's configuration, or the exit code after saying why it cannot be read.
fn config_or_exit(paths: &crate::paths::Paths) -> Result<crate::model::Config, u8> {
    crate::store::read_config_or_default(&paths.config_file()).map_err(|err| {
        eprintln!("courier: {err}");
        exit::COLLECTION
    })
}

/// Says `message` on stderr as Courier's and gives back `code`, for `map_err`.
fn said(code: u8, message: impl std::fmt::Display) -> u8 {
    eprintln!("courier: {message}");
    code
}

/// Exit codes, documented in the README. Any HTTP response, whatever its status, is a success:
/// the exchange worked.
pub mod exit {
    pub const OK: u8 = 0;
    /// Something else went wrong (the demo server could not start, a signal handler failed).
    pub const FAILURE: u8 = 1;
    /// Bad arguments (clap uses this code too).
    pub const USAGE: u8 = 2;
    /// The collection or request could not be found, loaded or rendered.
    pub const COLLECTION: u8 = 3;
    /// The connection could not be made: DNS, refused, unreachable.
    pub const CONNECT: u8 = 4;
    /// A connect, read or total timeout.
    pub const TIMEOUT: u8 = 5;
    pub const TLS: u8 = 6;
    /// Any other failure of the exchange: a broken or undecodable body, too many redirects.
    pub const EXCHANGE: u8 = 7;
    /// With `-f`: the server answered 400 or above (curl's code for it).
    pub const HTTP_ERROR: u8 = 22;
    /// A WebSocket closed with a code other than 1000 or 1001, ended without a close frame,
    /// or the server broke the protocol.
    pub const WS_CLOSED: u8 = 8;
    /// A WebSocket handshake the server answered without switching protocols.
    pub const WS_REFUSED: u8 = 9;
    /// With `-o`: the file could not be written (curl's code for it).
    pub const WRITE: u8 = 23;
    /// `courier load`: not one request got a response under 400.
    pub const NOTHING_SUCCEEDED: u8 = 10;
}

/// A subcommand the user most likely meant when `arg` (the first word, which names no
/// directory) is a typo of one: `courier sned` → `send`.
pub fn suggest_command(arg: &str) -> Option<&'static str> {
    if arg.starts_with('-') || std::path::Path::new(arg).exists() {
        return None;
    }
    let commands = [
        "send",
        "cookies",
        "serve-demo",
        "history",
        "import",
        "export",
        "test",
        "load",
        "mock",
    ];
    if commands.contains(&arg) {
        return None;
    }
    find::closest(arg, commands.into_iter())
}

/// Runs a headless subcommand and returns the process exit code.
pub async fn run(command: Command, paths: &crate::paths::Paths) -> ExitCode {
    ExitCode::from(match command {
        Command::Send(args) => send::run(*args, paths).await,
        Command::Cookies(args) => cookies::run(args, paths),
        Command::ServeDemo(args) => serve_demo::run(args).await,
        Command::History(args) => history::run(args.command, paths),
        Command::Import(args) => import::run(args, paths),
        Command::Export(args) => export::run(args, paths),
        Command::Test(args) => test::run(args, paths).await,
        Command::Load(args) => load::run(*args, paths).await,
        Command::Mock(args) => mock::run(args, paths).await,
    })
}

/// `NAME=VALUE` for `--var`.
fn parse_var(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("`{text}` is not NAME=VALUE")),
    }
}
