//! `courier send REQUEST`: load a saved request, send it, stream the body to stdout.
//!
//! The body goes out as it arrives, chunk by chunk. When stdout is a terminal, control
//! characters are shown as visible symbols so a response cannot drive the terminal; piped, the
//! bytes pass through untouched.

use std::io::{IsTerminal, Write};

use tokio::sync::mpsc;

use super::{SendArgs, exit, find_request};
use crate::body::make_visible;
use crate::demo::{DemoOptions, DemoServer};
use crate::http::{self, Engine, EngineEvent, ExchangeId, FailureKind};
use crate::model::Config;
use crate::paths::Paths;
use crate::store;
use crate::template::mentions_demo;

pub async fn run(args: SendArgs, paths: &Paths) -> u8 {
    let collections = args
        .collections
        .clone()
        .unwrap_or_else(|| paths.default_collections());
    let found = match find_request(&args.request, &collections) {
        Ok(found) => found,
        Err(err) => {
            eprintln!("courier: {err}");
            return exit::COLLECTION;
        }
    };
    let collection = &found.collection;
    let located = collection
        .requests()
        .into_iter()
        .find(|(_, request)| same_file(&request.path, &found.request_path));
    let Some((folders, request)) = located else {
        eprintln!(
            "courier: {} is not a request of {}",
            found.request_path.display(),
            collection.name()
        );
        return exit::COLLECTION;
    };

    let config = match load_config(paths) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("courier: {err}");
            return exit::COLLECTION;
        }
    };

    // Start the in-process demo server only when something refers to it.
    let mut demo = None;
    if needs_demo(collection, &folders, request) {
        match DemoServer::start(DemoOptions::default()).await {
            Ok(server) => demo = Some(server),
            Err(err) => {
                eprintln!("courier: cannot start the demo server: {err}");
                return exit::EXCHANGE;
            }
        }
    }
    let prepared = match http::prepare(
        collection,
        &folders,
        request,
        &config.options,
        demo.as_ref().map(DemoServer::url),
    ) {
        Ok(prepared) => prepared,
        Err(err) => {
            eprintln!("courier: {}: {err}", request.path.display());
            return exit::COLLECTION;
        }
    };

    let engine = Engine::new();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let _exchange = engine.send(ExchangeId(1), prepared, tx);
    let stdout = std::io::stdout();
    let visible = stdout.is_terminal();
    let mut out = stdout.lock();
    let mut code = exit::OK;
    while let Some(event) = rx.recv().await {
        match event {
            EngineEvent::Started { request, .. } => {
                if args.verbose {
                    eprintln!("> {} {}", request.method, request.url);
                    for (name, value) in &request.headers {
                        eprintln!("> {name}: {value}");
                    }
                    eprintln!(">");
                }
            }
            EngineEvent::Head { head, .. } => {
                let status = format!("{} {} {}", head.version, head.status, head.reason);
                if args.verbose {
                    eprintln!("< {status}");
                    for (name, value) in &head.headers {
                        eprintln!("< {name}: {}", make_visible(value.as_bytes()).text);
                    }
                    eprintln!("<");
                }
                if args.include {
                    let mut text = format!("{}\r\n", status.trim_end());
                    for (name, value) in &head.headers {
                        text.push_str(&format!("{name}: {value}\r\n"));
                    }
                    text.push_str("\r\n");
                    if write(&mut out, text.as_bytes(), visible).is_err() {
                        return code;
                    }
                }
            }
            EngineEvent::Chunk { bytes, .. } => {
                if write(&mut out, &bytes, visible).is_err() {
                    return code; // stdout closed (e.g. `| head`): stop quietly
                }
            }
            EngineEvent::Done {
                timing, body_bytes, ..
            } => {
                if args.verbose {
                    eprintln!(
                        "* {body_bytes} bytes; first byte after {:.1} ms, total {:.1} ms",
                        timing.first_byte.as_secs_f64() * 1000.0,
                        timing.total.as_secs_f64() * 1000.0
                    );
                }
            }
            EngineEvent::Failed { kind, message, .. } => {
                let _ = out.flush();
                eprintln!("courier: {message}");
                code = match kind {
                    FailureKind::Connect => exit::CONNECT,
                    FailureKind::Timeout => exit::TIMEOUT,
                    FailureKind::Tls => exit::TLS,
                    FailureKind::Request => exit::COLLECTION,
                    _ => exit::EXCHANGE,
                };
            }
        }
    }
    let _ = out.flush();
    code
}

fn write(out: &mut impl Write, bytes: &[u8], visible: bool) -> std::io::Result<()> {
    if visible {
        out.write_all(make_visible(bytes).text.as_bytes())?;
    } else {
        out.write_all(bytes)?;
    }
    out.flush()
}

fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    let absolute = |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    absolute(a) == absolute(b)
}

fn load_config(paths: &Paths) -> Result<Config, store::LoadError> {
    let file = paths.config_file();
    if !file.exists() {
        return Ok(Config::default());
    }
    store::read_config(&file)
}

/// True when any template the request uses could refer to `{{$demo}}`.
fn needs_demo(
    collection: &store::Collection,
    folders: &[&store::Folder],
    request: &store::LoadedRequest,
) -> bool {
    let req = &request.request;
    let variables = std::iter::once(&collection.meta.variables)
        .chain(folders.iter().map(|f| &f.meta.variables))
        .chain(std::iter::once(&req.variables))
        .flat_map(|vars| vars.values());
    let headers = collection
        .meta
        .headers
        .iter()
        .chain(folders.iter().flat_map(|f| f.meta.headers.iter()))
        .chain(req.headers.iter().chain(req.query.iter()))
        .flat_map(|kv| [&kv.name, &kv.value]);
    std::iter::once(&req.url)
        .chain(variables)
        .chain(headers)
        .chain(request.body_text.iter())
        .any(|text| mentions_demo(text))
}
