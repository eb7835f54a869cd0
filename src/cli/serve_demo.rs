//! `courier serve-demo`: the demo server in the foreground until Ctrl-C or SIGTERM.

use tokio::signal::unix::{SignalKind, signal};

use super::{ServeDemoArgs, exit};
use crate::demo::{DemoOptions, DemoServer};

pub async fn run(args: ServeDemoArgs) -> u8 {
    crate::http::install_crypto_provider();
    let server = match DemoServer::start(DemoOptions {
        port: args.port,
        tls: args.tls,
    })
    .await
    {
        Ok(server) => server,
        Err(err) => {
            eprintln!("courier: {err}");
            return exit::FAILURE;
        }
    };
    // Listen for signals before saying where the server is: whoever reads the URL may stop it
    // at once, and a SIGTERM before the handler exists would kill the process uncleanly.
    let (Ok(mut terminate), Ok(mut interrupt)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        eprintln!("courier: cannot listen for signals");
        return exit::FAILURE;
    };
    if let (Some(path), Some(pem)) = (&args.ca_out, server.ca_pem()) {
        if let Err(err) = crate::store::write_atomic(path, pem.as_bytes()) {
            eprintln!("courier: {err}");
            return exit::FAILURE;
        }
        println!("CA certificate written to {}", path.display());
    }
    println!(
        "Courier demo server on {} (HTTP/1.1 and HTTP/2; Ctrl-C stops it)",
        server.url()
    );
    println!("Try: curl {}/", server.url());
    tokio::select! {
        _ = terminate.recv() => {}
        _ = interrupt.recv() => {}
    }
    server.shutdown().await;
    exit::OK
}
