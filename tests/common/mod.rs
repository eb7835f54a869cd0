//! Helpers shared by the integration tests: a demo server, an exchange run to the end with its
//! events collected, and the `courier` binary run with its own home.
#![allow(dead_code)] // each test file uses its own subset

pub mod pty;

use courier::app::App;
use courier::demo::{DemoOptions, DemoServer};
use courier::http::{
    Engine, EngineEvent, ExchangeId, Failure, PreparedRequest, ResponseHead, SentRequest, Summary,
};
use tokio::sync::mpsc;

pub async fn demo() -> DemoServer {
    courier::http::install_crypto_provider();
    DemoServer::start(DemoOptions::default())
        .await
        .expect("demo server starts")
}

pub async fn demo_tls() -> DemoServer {
    courier::http::install_crypto_provider();
    DemoServer::start(DemoOptions { port: 0, tls: true })
        .await
        .expect("TLS demo server starts")
}

/// Everything one exchange reported.
#[derive(Debug, Default)]
pub struct Collected {
    pub started: Option<SentRequest>,
    pub head: Option<ResponseHead>,
    pub body: Vec<u8>,
    pub chunks: usize,
    pub done: Option<Summary>,
    pub failed: Option<Failure>,
    /// What the engine waited on the user for (an OAuth2 device code), before `Started`.
    pub waiting: Vec<String>,
}

impl Collected {
    pub fn header(&self, name: &str) -> Option<&str> {
        let head = self.head.as_ref()?;
        head.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn status(&self) -> u16 {
        self.head.as_ref().map_or(0, |h| h.status)
    }
}

/// Feeds one exchange's events into a `Collected`; panics on events out of order.
pub fn collect(into: &mut Collected, event: EngineEvent) {
    match event {
        EngineEvent::Started { request, .. } => {
            assert!(into.started.is_none(), "Started twice");
            into.started = Some(request);
        }
        EngineEvent::Head { head, .. } => {
            assert!(
                into.started.is_some() && into.head.is_none(),
                "Head out of order"
            );
            into.head = Some(head);
        }
        EngineEvent::Chunk { bytes, .. } => {
            assert!(into.head.is_some(), "Chunk before Head");
            into.body.extend_from_slice(&bytes);
            into.chunks += 1;
        }
        EngineEvent::Opened { .. } | EngineEvent::Frame { .. } | EngineEvent::Closed { .. } => {
            panic!("a WebSocket event in an HTTP exchange")
        }
        EngineEvent::Waiting { message, .. } => {
            assert!(into.started.is_none(), "Waiting after Started");
            into.waiting.push(message);
        }
        EngineEvent::Done { summary, .. } => {
            assert!(into.done.is_none() && into.failed.is_none(), "two endings");
            into.done = Some(summary);
        }
        EngineEvent::Failed { failure, .. } => {
            assert!(into.done.is_none() && into.failed.is_none(), "two endings");
            into.failed = Some(failure);
        }
    }
}

/// Sends `request` and collects its events until the channel closes.
pub async fn exchange(engine: &Engine, request: PreparedRequest) -> Collected {
    let (events, mut received) = mpsc::channel(16);
    let handle = engine.send(ExchangeId(1), request, events);
    let mut collected = Collected::default();
    while let Some(event) = received.recv().await {
        collect(&mut collected, event);
    }
    handle.finished().await;
    assert!(
        collected.done.is_some() != collected.failed.is_some(),
        "exactly one ending"
    );
    collected
}

pub async fn get(engine: &Engine, url: String) -> Collected {
    exchange(engine, PreparedRequest::new("GET", &url)).await
}

/// The text of a whole screen drawn from `app` at `width`×`height` (trailing spaces trimmed).
pub fn screen_text(app: &App, width: u16, height: u16, no_color: bool) -> String {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| courier::ui::draw(app, &courier::ui::Theme::new(no_color), frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_owned()
                + "\n"
        })
        .collect()
}

/// Runs `courier ARGS` with its state in `home`, from the repository root, without proxies.
pub async fn courier(home: &std::path::Path, args: &[&str]) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_courier"))
        .env("COURIER_HOME", home)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .await
        .unwrap()
}

/// Starts `courier ARGS` with its state in `home`, run from `dir`, its stdin, stdout and
/// stderr piped, for a test that talks to it as it runs.
pub fn courier_piped(
    home: &std::path::Path,
    dir: &std::path::Path,
    args: &[&str],
) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_courier"))
        .env("COURIER_HOME", home)
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// A collection `shop` under `root/collections` whose `base` variable is `base` and whose
/// `.env` sets TOKEN to `token`; the collection's directory.
pub fn shop_with_token(root: &std::path::Path, base: &str, token: &str) -> std::path::PathBuf {
    let dir = root.join("collections/shop");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("collection.json"),
        format!("{{\"courier\": 1, \"name\": \"Shop\", \"variables\": {{\"base\": \"{base}\"}}}}"),
    )
    .unwrap();
    std::fs::write(dir.join(".env"), format!("TOKEN='{token}'\n")).unwrap();
    dir
}

/// A server of the test's own on loopback, HTTP/1.1 and HTTP/2: `answer` makes each
/// response from the request's path. Accepting goes on past running out of open files (a
/// test of thousands of clients), waiting for some to close. Its URL, `http://IP:PORT`.
pub async fn serve<F, Fut>(answer: F) -> String
where
    F: Fn(String) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = bytes::Bytes> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                tokio::task::yield_now().await;
                continue;
            };
            let answer = answer.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: http::Request<_>| {
                    let body = answer(request.uri().to_string());
                    async move {
                        Ok::<_, std::convert::Infallible>(http::Response::new(
                            http_body_util::Full::new(body.await),
                        ))
                    }
                });
                let _ = hyper_util::server::conn::auto::Builder::new(
                    hyper_util::rt::TokioExecutor::new(),
                )
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
            });
        }
    });
    url
}

/// `courier mock ARGS` started from `dir`, once it says where it listens: the child, its
/// URL (`http://127.0.0.1:PORT`) and the rest of its stdout, a line a request.
pub async fn mock_running(
    home: &std::path::Path,
    dir: &std::path::Path,
    args: &[&str],
) -> (
    tokio::process::Child,
    String,
    tokio::io::BufReader<tokio::process::ChildStdout>,
) {
    let mut child = courier_piped(home, dir, args);
    let stdout = child.stdout.take().expect("piped");
    let mut lines = tokio::io::BufReader::new(stdout);
    // The first line with a URL says where it listens (`--ca-out` says its file first).
    let mut said = String::new();
    for _ in 0..5 {
        let mut line = String::new();
        tokio::io::AsyncBufReadExt::read_line(&mut lines, &mut line)
            .await
            .expect("a line");
        let url = line
            .split_whitespace()
            .find(|word| word.starts_with("http://") || word.starts_with("https://"));
        if let Some(url) = url {
            return (child, url.to_owned(), lines);
        }
        said.push_str(&line);
    }
    panic!("no URL in {said:?}")
}
