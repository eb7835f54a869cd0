//! TLS in the engine: h2 by ALPN with a CA from a file, verification on by default, the
//! `insecure` switch, and mutual TLS against a server that demands a client certificate.
//! All certificates are made here by rcgen.

mod common;

use std::sync::Arc;

use common::{demo_tls, exchange};
use courier::demo::DemoCertificates;
use courier::http::{Engine, FailureKind, PreparedRequest};
use courier::model::HttpVersion;

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn h2_is_negotiated_by_alpn_when_the_ca_is_trusted() {
    let demo = demo_tls().await;
    let dir = tempfile::tempdir().unwrap();
    let ca = write(dir.path(), "ca.pem", demo.ca_pem().unwrap());
    let engine = Engine::new();

    let mut request = PreparedRequest::new("GET", &format!("{}/echo", demo.url()));
    request.transport.ca_file = Some(ca.clone());
    let result = exchange(&engine, request).await;
    assert!(result.failed.is_none(), "{:?}", result.failed);
    assert_eq!(result.head.as_ref().unwrap().version, "HTTP/2");
    assert!(
        result.done.unwrap().timing.connect.is_some(),
        "TCP + TLS set-up was timed"
    );

    let mut h1 = PreparedRequest::new("GET", &format!("{}/echo", demo.url()));
    h1.transport.ca_file = Some(ca);
    h1.transport.http = HttpVersion::Http1;
    assert_eq!(
        exchange(&engine, h1).await.head.unwrap().version,
        "HTTP/1.1"
    );
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_tls_failure_unless_insecure() {
    let demo = demo_tls().await;
    let engine = Engine::new();
    let strict = exchange(
        &engine,
        PreparedRequest::new("GET", &format!("{}/echo", demo.url())),
    )
    .await;
    let failure = strict.failed.unwrap();
    assert_eq!(failure.kind, FailureKind::Tls, "{}", failure.message);
    assert!(
        failure.message.contains("certificate"),
        "{}",
        failure.message
    );

    assert!(!strict.started.as_ref().unwrap().insecure);
    let mut insecure = PreparedRequest::new("GET", &format!("{}/echo", demo.url()));
    insecure.transport.verify_tls = false;
    let result = exchange(&engine, insecure).await;
    assert_eq!(result.status(), 200);
    assert!(
        result.started.unwrap().insecure,
        "the unverified send is marked, for the UI to say so"
    );
}

#[tokio::test]
async fn a_ca_file_that_is_not_a_certificate_is_reported() {
    let demo = demo_tls().await;
    let dir = tempfile::tempdir().unwrap();
    let bogus = write(dir.path(), "bogus.pem", "not a certificate\n");
    let mut request = PreparedRequest::new("GET", &format!("{}/echo", demo.url()));
    request.transport.ca_file = Some(bogus);
    let failure = exchange(&Engine::new(), request).await.failed.unwrap();
    assert_eq!(failure.kind, FailureKind::Request);
    assert!(failure.message.contains("bogus.pem"), "{}", failure.message);
}

/// An HTTPS server that requires a client certificate signed by `client_ca`.
async fn mtls_server(server: &DemoCertificates, client_ca: &DemoCertificates) -> String {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(client_ca.ca_der.clone()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .unwrap();
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![server.leaf_der.clone()], server.leaf_key())
        .unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                let service = hyper::service::service_fn(|_request| async {
                    Ok::<_, std::convert::Infallible>(hyper::Response::new(
                        http_body_util::Full::new(bytes::Bytes::from_static(
                            b"hello, certified client",
                        )),
                    ))
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    format!("https://localhost:{}/", addr.port())
}

#[tokio::test]
async fn mutual_tls_sends_the_client_certificate_and_fails_without_it() {
    courier::http::install_crypto_provider();
    let server_certs = DemoCertificates::generate().unwrap();
    let client_certs =
        DemoCertificates::generate_for(vec!["courier-client".into()], false).unwrap();
    let url = mtls_server(&server_certs, &client_certs).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = write(dir.path(), "server-ca.pem", &server_certs.ca_pem);
    let cert = write(dir.path(), "client.pem", &client_certs.leaf_pem);
    let key = write(dir.path(), "client.key", &client_certs.leaf_key_pem);
    let engine = Engine::new();

    let mut with_cert = PreparedRequest::new("GET", &url);
    with_cert.transport.ca_file = Some(ca.clone());
    with_cert.transport.client_cert = Some(cert);
    with_cert.transport.client_key = Some(key);
    let result = exchange(&engine, with_cert).await;
    assert!(result.failed.is_none(), "{:?}", result.failed);
    assert_eq!(result.body, b"hello, certified client");

    let mut without = PreparedRequest::new("GET", &url);
    without.transport.ca_file = Some(ca);
    let failure = exchange(&engine, without).await.failed.unwrap();
    assert_eq!(failure.kind, FailureKind::Tls, "{}", failure.message);
}
