//! The `courier` binary as a user runs it: `send` against the bundled demo collection (which
//! starts the in-process demo server), its exit codes, streaming, logging to a file, and
//! `serve-demo`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_courier");

fn collections() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("collections")
}

/// `courier` with its state kept in a temporary home, run from the repository root.
fn courier(home: &Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .env("COURIER_HOME", home)
        .env_remove("COURIER_LOG")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

fn send(home: &Path, args: &[&str]) -> Output {
    courier(home).arg("send").args(args).output().unwrap()
}

/// A temporary collection holding one request file `file` with `json` as its contents; returns
/// the directory (keep it alive) and the request's path as a string for the command line.
fn scratch_request(file: &str, json: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("collection.json"), "{\"name\": \"t\"}").unwrap();
    std::fs::write(dir.path().join(file), json).unwrap();
    let path = dir.path().join(file).to_string_lossy().into_owned();
    (dir, path)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn send_a_saved_request_by_name_path() {
    let home = tempfile::tempdir().unwrap();
    let output = send(home.path(), &["demo/basics/echo-json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let echo: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["json"]["name"], "Ada Lovelace");
    assert_eq!(echo["headers"]["content-type"], "application/json");
    assert_eq!(
        echo["headers"]["x-request-source"], "courier-demo",
        "request header sent"
    );
    assert_eq!(
        echo["headers"]["accept"], "application/json, text/event-stream, */*",
        "collection header inherited"
    );
}

#[test]
fn send_by_display_names_or_by_file() {
    let home = tempfile::tempdir().unwrap();
    let output = send(home.path(), &["Courier demo/Edge cases/Not found", "-i"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "an HTTP 404 is still a successful exchange"
    );
    assert!(
        stdout(&output).starts_with("HTTP/1.1 404 Not Found\r\n"),
        "{}",
        stdout(&output)
    );

    let file = collections().join("demo/edge-cases/http2-only.json");
    let output = send(home.path(), &[file.to_str().unwrap(), "--include"]);
    assert!(
        stdout(&output).starts_with("HTTP/2 200 OK\r\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn query_auth_and_form_bodies_go_out_as_written() {
    let home = tempfile::tempdir().unwrap();
    let echo: serde_json::Value =
        serde_json::from_slice(&send(home.path(), &["demo/basics/query-parameters"]).stdout)
            .unwrap();
    assert_eq!(
        echo["query"],
        serde_json::json!({"page": "2", "sort": "name"}),
        "disabled `debug` left out"
    );
    let form: serde_json::Value =
        serde_json::from_slice(&send(home.path(), &["demo/basics/form-post"]).stdout).unwrap();
    assert_eq!(form["body"], "username=ada&note=hello+%26+welcome");
    let auth = send(home.path(), &["demo/basics/basic-auth", "-i"]);
    assert!(
        stdout(&auth).starts_with("HTTP/1.1 200"),
        "{}",
        stdout(&auth)
    );
}

#[test]
fn a_read_timeout_exits_with_the_timeout_code() {
    let home = tempfile::tempdir().unwrap();
    let output = send(home.path(), &["demo/edge-cases/times-out"]);
    assert_eq!(output.status.code(), Some(5), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("for 1s (the read timeout)"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn unknown_and_broken_requests_exit_with_the_collection_code() {
    let home = tempfile::tempdir().unwrap();
    let output = send(home.path(), &["demo/basics/no-such-request"]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("`no-such-request` is not in Basics"),
        "{}",
        stderr(&output)
    );

    let (_dir, bad) = scratch_request("bad.json", "{\n  \"name\": \"x\",\n  \"url\": [1]\n}");
    let output = send(home.path(), &[&bad]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("bad.json:3:9: `url`: invalid type: sequence"),
        "{}",
        stderr(&output)
    );

    let (_dir, unknown) = scratch_request(
        "unknown.json",
        "{\"name\": \"x\", \"url\": \"{{nowhere}}/a\"}",
    );
    let output = send(home.path(), &[&unknown]);
    assert_eq!(output.status.code(), Some(3));
    assert!(
        stderr(&output).contains("url: unknown variable `nowhere`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_refused_connection_exits_with_the_connect_code() {
    let home = tempfile::tempdir().unwrap();
    // Bind a port, then free it: nothing listens there now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let json = format!("{{\"name\": \"x\", \"url\": \"http://127.0.0.1:{port}/\"}}");
    let (_dir, refused) = scratch_request("refused.json", &json);
    let output = send(home.path(), &[&refused]);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
}

#[test]
fn the_body_streams_to_stdout_as_it_arrives() {
    let home = tempfile::tempdir().unwrap();
    let (_dir, sse) = scratch_request(
        "sse.json",
        "{\"name\": \"sse\", \"url\": \"{{$demo}}/sse?events=4&interval_ms=400\"}",
    );
    let mut child = courier(home.path())
        .args(["send", &sse])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first_event = lines
        .find(|l| l.as_ref().is_ok_and(|l| l == "id: 1"))
        .is_some();
    assert!(first_event);
    assert!(
        child.try_wait().unwrap().is_none(),
        "the first event arrived while the stream was still open"
    );
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.contains(&"id: 4".to_owned()));
    assert!(child.wait().unwrap().success());
}

#[test]
fn piped_bodies_pass_through_byte_for_byte() {
    let home = tempfile::tempdir().unwrap();
    let output = send(home.path(), &["demo/edge-cases/terminal-escapes"]);
    assert!(
        output.stdout.windows(4).any(|w| w == b"\x1b]0;"),
        "piped output is the raw body"
    );
    let output = send(home.path(), &["demo/streams/binary-bytes"]);
    assert_eq!(output.stdout.len(), 4096);
}

#[test]
fn logs_go_to_the_state_directory_not_the_terminal() {
    let home = tempfile::tempdir().unwrap();
    let output = send(home.path(), &["demo/basics/gzip"]);
    assert!(output.status.success());
    assert!(!stderr(&output).contains("demo server listening"));
    let log = std::fs::read_to_string(home.path().join("state/logs/courier.log")).unwrap();
    assert!(log.contains("demo server listening"), "{log}");
}

#[test]
fn serve_demo_with_tls_writes_its_ca_and_serves_https() {
    let home = tempfile::tempdir().unwrap();
    let ca = home.path().join("ca.pem");
    let mut child = courier(home.path())
        .args([
            "serve-demo",
            "--port",
            "0",
            "--tls",
            "--ca-out",
            ca.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines
        .find_map(|line| {
            line.ok()?
                .split_whitespace()
                .find(|w| w.starts_with("https://"))
                .map(str::to_owned)
        })
        .expect("the server prints its URL");
    let pem = std::fs::read_to_string(&ca).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));

    courier::http::install_crypto_provider();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let version = runtime.block_on(async {
        let cert = reqwest::Certificate::from_pem(pem.as_bytes()).unwrap();
        let client = reqwest::Client::builder()
            .tls_backend_rustls()
            .tls_certs_only([cert])
            .build()
            .unwrap();
        client
            .get(format!("{url}/echo"))
            .send()
            .await
            .unwrap()
            .version()
    });
    assert_eq!(version, reqwest::Version::HTTP_2);
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert!(child.wait().unwrap().success(), "SIGTERM stops it cleanly");
}

#[test]
fn bad_arguments_exit_with_the_usage_code() {
    let home = tempfile::tempdir().unwrap();
    let output = courier(home.path()).args(["send"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = courier(home.path())
        .args(["serve-demo", "--ca-out", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "--ca-out needs --tls");
}

#[test]
fn the_demo_server_starts_only_for_a_request_that_renders_demo() {
    // "Elsewhere": a server of the test's own, which the environment points the collection at.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let elsewhere = runtime
        .block_on(courier::demo::DemoServer::start(Default::default()))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("collection.json"),
        r#"{"name": "t", "variables": {"base_url": "{{$demo}}"}}"#,
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("environments")).unwrap();
    std::fs::write(
        dir.path().join("environments/remote.json"),
        format!(r#"{{"variables": {{"base_url": "{}"}}}}"#, elsewhere.url()),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("echo.json"),
        r#"{"name": "Echo", "url": "{{base_url}}/echo"}"#,
    )
    .unwrap();
    let request = dir.path().join("echo.json").to_string_lossy().into_owned();
    let log = |home: &Path| {
        std::fs::read_to_string(home.join("state/logs/courier.log")).unwrap_or_default()
    };

    let home = tempfile::tempdir().unwrap();
    let output = send(home.path(), &["-e", "remote", &request]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        !log(home.path()).contains("demo server listening"),
        "the environment sends elsewhere: no demo server\n{}",
        log(home.path())
    );

    let home = tempfile::tempdir().unwrap();
    let output = send(home.path(), &[&request]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(log(home.path()).contains("demo server listening"));
    drop(elsewhere);
}
