//! `courier send`: send a saved request (from a collection) or an ad-hoc URL, with curl's
//! habits for flags, and stream the body to stdout as it arrives.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::{SendArgs, adhoc, dependencies, exit, find_request, output};
use crate::demo::DemoServer;
use crate::http::{CookieJar, Engine, ExchangeId, PreparedRequest};
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
        let url = crate::http::with_default_scheme(&args.request);
        let mut request = PreparedRequest::with_options("GET", &url, &config.options);
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
    let printing = output::Printing {
        include: args.include || args.head,
        verbose: args.verbose,
        output: args.output.clone(),
        fail: args.fail,
        write_out: args.write_out.clone(),
    };
    let code = output::print_exchange(received, printing).await;
    drop(demo);
    code
}

/// Loads and prepares a saved request (sending the requests it needs responses of first);
/// on failure, prints why and returns the exit code.
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
    let jar_file = CookieJar::file_for(&paths.state_dir, &collection.dir);
    let jar = CookieJar::open(&jar_file).map_err(|err| {
        eprintln!("courier: {err}");
        exit::COLLECTION
    })?;
    let mut run = dependencies::Run {
        collection,
        defaults: &config.options,
        environment: args.environment.clone(),
        overrides: args.vars.iter().cloned().collect(),
        jar: Arc::new(jar),
        spill_dir: paths.cache_dir.join("bodies"),
        demo,
    };
    dependencies::prepare(&mut run, &found.request_path)
        .await
        .map_err(|err| {
            eprintln!("courier: {err}");
            exit::COLLECTION
        })
}

pub(super) fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    let absolute = |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    absolute(a) == absolute(b)
}
