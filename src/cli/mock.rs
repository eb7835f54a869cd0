//! `courier mock [COLLECTION]`: a collection's (or folder's) saved examples served on
//! loopback until Ctrl-C or SIGTERM (exit 0), one line on stdout for each request answered,
//! missed or refused.

use std::path::{Path, PathBuf};

use clap::Args;
use tokio::signal::unix::{SignalKind, signal};

use super::exit;
use crate::import;
use crate::mock::openapi::Contract;
use crate::mock::record::Recorder;
use crate::mock::{EventSink, MockOptions, MockServer, Source, Table};
use crate::paths::Paths;
use crate::store::{self, COLLECTION_FILE, Collection};

#[derive(Debug, Args)]
pub struct MockArgs {
    /// What to serve: COLLECTION, COLLECTION/FOLDER/… or a path inside a collection; by
    /// default the collection the current directory is in.
    #[arg(conflicts_with = "openapi")]
    pub target: Option<String>,
    /// Serve an OpenAPI (3.x) or Swagger (2.0) description instead: its examples (or
    /// examples made from its schemas), under its first server's path, and turn away with a
    /// 400 each request that does not fit it.
    #[arg(long, value_name = "FILE")]
    pub openapi: Option<PathBuf>,
    /// With --openapi: answer 401 to a request without the credentials its operation's
    /// security asks for (by default security is not checked).
    #[arg(long, requires = "openapi")]
    pub check_security: bool,
    /// Send what no example answers to this server, relay its answer and save it as an
    /// example (of a new request when none has that method and path); TARGET is made a
    /// collection whose base_url is UPSTREAM when it is an empty or missing directory.
    #[arg(long, value_name = "UPSTREAM", conflicts_with = "openapi")]
    pub record: Option<String>,
    /// Play recorded streams (SSE, NDJSON, chunked) this many times faster than they came.
    #[arg(long, value_name = "TIMES", default_value_t = 1.0, value_parser = positive)]
    pub speed: f64,
    /// Where to look COLLECTION up (default as for the TUI).
    #[arg(long, value_name = "DIR")]
    pub collections: Option<PathBuf>,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 4010)]
    pub port: u16,
    /// Serve HTTPS (h2 and http/1.1 by ALPN) with a freshly made certificate.
    #[arg(long)]
    pub tls: bool,
    /// With --tls: write the CA certificate (PEM) here, for clients to trust.
    #[arg(long, value_name = "FILE", requires = "tls")]
    pub ca_out: Option<PathBuf>,
    /// The environment whose variables say where `{{base_url}}` puts the requests' paths
    /// (`https://host/api/v3` serves them under `/api/v3`).
    #[arg(short = 'e', long = "env", value_name = "NAME")]
    pub environment: Option<String>,
}

pub async fn run(args: MockArgs, paths: &Paths) -> u8 {
    crate::http::install_crypto_provider();
    let Served {
        table,
        name,
        recorder,
        watched,
        _imported,
    } = match served(&args, paths) {
        Ok(served) => served,
        Err(message) => return super::said(exit::COLLECTION, message),
    };
    for problem in &table.problems {
        eprintln!(
            "courier: {}",
            crate::body::make_visible(problem.as_bytes()).text
        );
    }
    let (sink, mut events) = EventSink::channel();
    let options = MockOptions {
        port: args.port,
        tls: args.tls,
        speed: args.speed,
        ..MockOptions::default()
    };
    let summary = routes_summary(&table);
    let recording = recorder.zip(watched.clone());
    let mut server =
        match MockServer::start_recording(table, recording, options, sink.clone()).await {
            Ok(server) => server,
            Err(err) => return super::said(exit::FAILURE, err.to_string()),
        };
    if let Some(source) = watched
        && let Err(message) = server.reload_on_change(source)
    {
        eprintln!("courier: {message} (changes on disk are not served until a restart)");
    }
    // Listen for signals before saying where the server is: whoever reads the URL may stop it
    // at once.
    let (Ok(mut terminate), Ok(mut interrupt)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        return super::said(exit::FAILURE, "cannot listen for signals".to_owned());
    };
    if let (Some(path), Some(pem)) = (&args.ca_out, server.ca_pem()) {
        if let Err(err) = store::write_atomic(path, pem.as_bytes()) {
            return super::said(exit::WRITE, err.to_string());
        }
        println!("CA certificate written to {}", path.display());
    }
    print!(
        "{}",
        heading(&name, &server.url(), &summary, args.record.as_deref())
    );
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Some(event) => println!("{}", event.line()),
                None => break,
            },
            _ = terminate.recv() => break,
            _ = interrupt.recv() => break,
        }
    }
    server.shutdown().await;
    while let Ok(event) = events.try_recv() {
        println!("{}", event.line());
    }
    if sink.dropped() > 0 {
        println!(
            "({} log lines dropped: stdout was too slow)",
            sink.dropped()
        );
    }
    println!("stopped");
    exit::OK
}

/// What is served where, the routes, and where misses go: the first lines of the output.
/// Names come from files (an OpenAPI description's summaries): nothing raw to the terminal.
fn heading(name: &str, url: &str, routes: &str, record: Option<&str>) -> String {
    let mut text =
        format!("Courier mock of {name:?} on {url} (HTTP/1.1 and HTTP/2; Ctrl-C stops it)\n");
    text.push_str(routes);
    if let Some(upstream) = record {
        text.push_str(&format!(
            "Recording what no example answers from {upstream}\n"
        ));
    }
    crate::body::make_visible(text.as_bytes()).text
}

/// The routes with examples, one line each, then how many have none.
fn routes_summary(table: &Table) -> String {
    let mut text = String::new();
    let mut without = 0;
    for route in &table.routes {
        if route.examples.is_empty() {
            without += 1;
            continue;
        }
        let names: Vec<&str> = route.examples.iter().map(|e| e.name.as_str()).collect();
        text.push_str(&format!(
            "  {:<7} {}  {} ({})\n",
            route.method,
            route.pattern,
            route.request,
            names.join(", ")
        ));
    }
    if table.routes.is_empty() {
        text.push_str("  (no requests: every request will miss)\n");
    } else if without > 0 {
        text.push_str(&format!(
            "  and {without} request(s) without examples, which answer 404 until one is saved\n"
        ));
    }
    text
}

/// What is served, and the name it goes by.
struct Served {
    table: Table,
    name: String,
    recorder: Option<Recorder>,
    /// Where the table is read again from when the collection changes (none for a
    /// description).
    watched: Option<Source>,
    /// An OpenAPI description's collection, imported for as long as it is served.
    _imported: Option<tempfile::TempDir>,
}

fn served(args: &MockArgs, paths: &Paths) -> Result<Served, String> {
    if let Some(file) = &args.openapi {
        return described(file, args.check_security);
    }
    let collections = args
        .collections
        .clone()
        .unwrap_or_else(|| paths.default_collections());
    if let Some(upstream) = &args.record {
        let dir = recording_dir(args.target.as_deref(), &collections)?;
        let recorder = Recorder::new(upstream, &dir)?;
        let source = Source {
            dir,
            environment: args.environment.clone(),
            within: None,
        };
        return Ok(Served {
            table: source.read(),
            name: store::load_collection(&source.dir).name().to_owned(),
            recorder: Some(recorder),
            watched: Some(source),
            _imported: None,
        });
    }
    let (collection, within) = collection(args.target.as_deref(), &collections)?;
    let source = Source {
        dir: collection.dir.clone(),
        environment: args.environment.clone(),
        within,
    };
    Ok(Served {
        table: source.read(),
        name: collection.name().to_owned(),
        recorder: None,
        watched: Some(source),
        _imported: None,
    })
}

/// Where `--record` saves: TARGET as a path, or a collection's name, or a new directory of
/// that name among the collections; without TARGET, the collection the current directory is
/// in.
fn recording_dir(target: Option<&str>, collections: &Path) -> Result<PathBuf, String> {
    let Some(target) = target else {
        return collection(None, collections).map(|(collection, _)| collection.dir);
    };
    if Path::new(target).exists() || target.contains('/') {
        return Ok(PathBuf::from(target));
    }
    match super::export::target(target, collections) {
        Ok((collection, _)) => Ok(collection.dir),
        Err(_) => Ok(collections.join(target)),
    }
}

/// An OpenAPI description imported into a temporary collection, served with its contract.
fn described(file: &Path, check_security: bool) -> Result<Served, String> {
    let bytes = std::fs::read(file).map_err(|err| format!("{}: {err}", file.display()))?;
    let document = import::document(file, &bytes).map_err(|err| err.to_string())?;
    let imported = import::openapi_document(file, document.clone());
    let source = imported
        .collections
        .first()
        .ok_or_else(|| format!("{}: no description in it", file.display()))?;
    let dir = tempfile::tempdir().map_err(|err| err.to_string())?;
    let target = dir.path().join("openapi");
    import::write::write_collection(&target, source, false, &mut import::Losses::default())
        .map_err(|err| err.to_string())?;
    let collection = store::load_collection(&target);
    let mut table = Table::of_collection(&collection, None);
    let contract = Contract::read(document, check_security);
    if contract.is_empty() {
        return Err(format!(
            "{}: the description has no operations",
            file.display()
        ));
    }
    table.contract = Some(contract);
    Ok(Served {
        table,
        name: collection.name().to_owned(),
        recorder: None,
        watched: None,
        _imported: Some(dir),
    })
}

/// The collection to serve and, when a folder or request inside it was named, its path.
fn collection(
    target: Option<&str>,
    collections: &Path,
) -> Result<(Collection, Option<PathBuf>), String> {
    let Some(target) = target else {
        let here = std::env::current_dir().map_err(|err| err.to_string())?;
        let dir = here
            .ancestors()
            .find(|dir| dir.join(COLLECTION_FILE).is_file())
            .ok_or_else(|| {
                "the current directory is in no collection: name one, `courier mock COLLECTION`"
                    .to_owned()
            })?;
        return Ok((store::load_collection(dir), None));
    };
    let (collection, keys) = super::export::target(target, collections)?;
    let within = (!keys.is_empty()).then(|| {
        keys.iter()
            .fold(collection.dir.clone(), |path, key| path.join(key))
    });
    Ok((collection, within))
}

/// A number above 0, for `--speed`.
fn positive(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() && value > 0.0 => Ok(value),
        _ => Err(format!("`{text}` is not a number above 0")),
    }
}
