//! `courier send`: send a saved request (from a collection) or an ad-hoc URL, with curl's
//! habits for flags, and stream the body to stdout as it arrives.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::{SendArgs, adhoc, exit, find_request, output};
use crate::demo::{DemoOptions, DemoServer};
use crate::http::{self, CookieJar, Engine, ExchangeId, PreparedRequest};
use crate::model::Config;
use crate::paths::Paths;
use crate::store;

pub async fn run(args: SendArgs, paths: &Paths) -> u8 {
    let config = match store::read_config_or_default(&paths.config_file()) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("courier: {err}");
            return exit::COLLECTION;
        }
    };
    // Keeps the in-process demo server alive for the whole exchange when one was started.
    let mut demo: Option<DemoServer> = None;
    let mut prepared = if adhoc::is_url(&args.request) {
        let mut request = PreparedRequest::with_options("GET", &args.request, &config.options);
        request.cookie_jar = Some(Arc::new(CookieJar::in_memory()));
        request
    } else {
        match saved_request(&args, paths, &config, &mut demo).await {
            Ok(request) => request,
            Err(code) => return code,
        }
    };
    if let Err(err) = adhoc::apply(&args, &mut prepared) {
        eprintln!("courier: {err}");
        return exit::USAGE;
    }
    if !prepared.transport.verify_tls {
        eprintln!("courier: warning: TLS certificate verification is OFF for this request");
    }

    let engine = Engine::new();
    let (events, received) = mpsc::channel(64);
    let _exchange = engine.send(ExchangeId(1), prepared, events);
    let code = output::print_exchange(received, args.include, args.verbose).await;
    drop(demo);
    code
}

/// Loads and prepares a saved request; on failure, prints why and returns the exit code.
async fn saved_request(
    args: &SendArgs,
    paths: &Paths,
    config: &Config,
    demo: &mut Option<DemoServer>,
) -> Result<PreparedRequest, u8> {
    let collections = args
        .collections
        .clone()
        .unwrap_or_else(|| paths.default_collections());
    let found = find_request(&args.request, &collections).map_err(|err| {
        eprintln!("courier: {err}");
        exit::COLLECTION
    })?;
    let collection = &found.collection;
    let (folders, request) = collection
        .requests()
        .into_iter()
        .find(|(_, request)| same_file(&request.path, &found.request_path))
        .ok_or_else(|| {
            eprintln!(
                "courier: {} is not a request of {}",
                found.request_path.display(),
                collection.name()
            );
            exit::COLLECTION
        })?;
    // Start the in-process demo server only when something refers to it.
    if http::uses_demo(collection, &folders, request) {
        let server = DemoServer::start(DemoOptions::default())
            .await
            .map_err(|err| {
                eprintln!("courier: cannot start the demo server: {err}");
                exit::FAILURE
            })?;
        *demo = Some(server);
    }
    let demo_url = demo.as_ref().map(DemoServer::url);
    let context = http::SendContext {
        environment: args.environment.clone(),
        overrides: args.vars.iter().cloned().collect(),
        demo_url,
    };
    let mut prepared = http::prepare(collection, &folders, request, &config.options, &context)
        .map_err(|err| {
            eprintln!("courier: {}: {err}", request.path.display());
            exit::COLLECTION
        })?;
    let jar_file = CookieJar::file_for(&paths.state_dir, &collection.dir);
    let jar = CookieJar::open(&jar_file).map_err(|err| {
        eprintln!("courier: {err}");
        exit::COLLECTION
    })?;
    prepared.cookie_jar = Some(Arc::new(jar));
    Ok(prepared)
}

fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    let absolute = |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    absolute(a) == absolute(b)
}
