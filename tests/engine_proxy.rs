//! Proxies: an HTTP forward proxy (absolute-form requests and CONNECT tunnels) and a SOCKS5
//! proxy, both small servers inside this test, used explicitly by the engine and through the
//! environment by the `courier` binary.

mod common;

use std::sync::{Arc, Mutex};

use common::{demo, demo_tls, exchange};
use courier::http::{Engine, PreparedRequest, Proxy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

type Log = Arc<Mutex<Vec<String>>>;

/// A forward proxy on loopback; every request line it receives goes into the log.
async fn http_proxy() -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log: Log = Arc::default();
    let seen = log.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(forward(client, seen.clone()));
        }
    });
    (format!("http://{addr}"), log)
}

async fn forward(mut client: TcpStream, log: Log) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte).await.unwrap_or(0) == 0 {
            return;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let line = text.lines().next().unwrap_or_default().to_owned();
    log.lock().unwrap().push(line.clone());
    let mut words = line.split_whitespace();
    let (method, target) = (
        words.next().unwrap_or_default(),
        words.next().unwrap_or_default(),
    );
    let authority = if method == "CONNECT" {
        target.to_owned()
    } else {
        target
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    let Ok(mut upstream) = TcpStream::connect(&authority).await else {
        return;
    };
    if method == "CONNECT" {
        let _ = client
            .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            .await;
    } else {
        let _ = upstream.write_all(&head).await;
    }
    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
}

/// A SOCKS5 proxy (no auth, CONNECT only); logs each destination.
async fn socks5_proxy() -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log: Log = Arc::default();
    let seen = log.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut greeting = [0u8; 2];
                client.read_exact(&mut greeting).await.ok()?;
                let mut methods = vec![0u8; greeting[1] as usize];
                client.read_exact(&mut methods).await.ok()?;
                client.write_all(&[5, 0]).await.ok()?;
                let mut request = [0u8; 4];
                client.read_exact(&mut request).await.ok()?;
                let host = match request[3] {
                    1 => {
                        let mut ip = [0u8; 4];
                        client.read_exact(&mut ip).await.ok()?;
                        std::net::Ipv4Addr::from(ip).to_string()
                    }
                    3 => {
                        let mut len = [0u8; 1];
                        client.read_exact(&mut len).await.ok()?;
                        let mut name = vec![0u8; len[0] as usize];
                        client.read_exact(&mut name).await.ok()?;
                        String::from_utf8(name).ok()?
                    }
                    _ => return None,
                };
                let mut port = [0u8; 2];
                client.read_exact(&mut port).await.ok()?;
                let destination = format!("{host}:{}", u16::from_be_bytes(port));
                seen.lock().unwrap().push(destination.clone());
                let mut upstream = TcpStream::connect(&destination).await.ok()?;
                client
                    .write_all(&[5, 0, 0, 1, 0, 0, 0, 0, 0, 0])
                    .await
                    .ok()?;
                tokio::io::copy_bidirectional(&mut client, &mut upstream)
                    .await
                    .ok()
            });
        }
    });
    (format!("socks5://{addr}"), log)
}

#[tokio::test]
async fn plain_http_goes_through_the_proxy_in_absolute_form() {
    let demo = demo().await;
    let (proxy, log) = http_proxy().await;
    let mut request = PreparedRequest::new("GET", &format!("{}/echo", demo.url()));
    request.transport.proxy = Proxy::Url(proxy);
    let result = exchange(&Engine::new(), request).await;
    assert_eq!(result.status(), 200, "{:?}", result.failed);
    assert_eq!(
        *log.lock().unwrap(),
        vec![format!("GET {}/echo HTTP/1.1", demo.url())]
    );
}

#[tokio::test]
async fn https_is_tunnelled_with_connect_and_still_negotiates_h2() {
    let demo = demo_tls().await;
    let (proxy, log) = http_proxy().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), demo.ca_pem().unwrap()).unwrap();
    let mut request = PreparedRequest::new("GET", &format!("{}/echo", demo.url()));
    request.transport.proxy = Proxy::Url(proxy);
    request.transport.ca_file = Some(dir.path().join("ca.pem"));
    let result = exchange(&Engine::new(), request).await;
    assert!(result.failed.is_none(), "{:?}", result.failed);
    assert_eq!(result.head.unwrap().version, "HTTP/2");
    let line = log.lock().unwrap()[0].clone();
    assert!(
        line.starts_with(&format!("CONNECT {} ", demo.addr())),
        "{line}"
    );
}

#[tokio::test]
async fn socks5_proxies_carry_the_connection() {
    let demo = demo().await;
    let (proxy, log) = socks5_proxy().await;
    let mut request = PreparedRequest::new("GET", &format!("{}/echo", demo.url()));
    request.transport.proxy = Proxy::Url(proxy);
    let result = exchange(&Engine::new(), request).await;
    assert_eq!(result.status(), 200, "{:?}", result.failed);
    assert_eq!(*log.lock().unwrap(), vec![demo.addr().to_string()]);
}

/// Runs `courier send URL` with `env` set and extra `args`; returns its exit code.
async fn courier_send(url: &str, env: &[(&str, &str)], args: &[&str]) -> i32 {
    let home = tempfile::tempdir().unwrap();
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_courier"));
    command
        .env("COURIER_HOME", home.path())
        .args(["send", url])
        .args(args);
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    let output = command.output().await.unwrap();
    assert!(output.status.code().is_some(), "{output:?}");
    output.status.code().unwrap()
}

#[tokio::test]
async fn the_environment_proxy_is_used_and_can_be_switched_off() {
    let demo = demo().await;
    let (proxy, log) = http_proxy().await;
    let url = format!("{}/echo", demo.url());

    assert_eq!(courier_send(&url, &[("HTTP_PROXY", &proxy)], &[]).await, 0);
    assert_eq!(log.lock().unwrap().len(), 1, "HTTP_PROXY was used");

    assert_eq!(
        courier_send(&url, &[("HTTP_PROXY", &proxy)], &["-x", "off"]).await,
        0
    );
    assert_eq!(log.lock().unwrap().len(), 1, "-x off went direct");

    assert_eq!(
        courier_send(
            &url,
            &[("HTTP_PROXY", &proxy), ("NO_PROXY", "127.0.0.1")],
            &[]
        )
        .await,
        0
    );
    assert_eq!(log.lock().unwrap().len(), 1, "NO_PROXY went direct");

    assert_eq!(courier_send(&url, &[], &["-x", &proxy]).await, 0);
    assert_eq!(log.lock().unwrap().len(), 2, "-x URL was used");
}
