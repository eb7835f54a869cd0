//! `courier test`'s run options against servers on loopback: data rows from CSV and JSON
//! (one iteration each, a result per row in the JSON report), `--iterations`, `--jobs` (two
//! folders meet at a server that answers only once both have arrived), `--retry`, `--bail`
//! (the reports still written), `--tags`, regex captures, and reports whose counts agree.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::courier;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, file: &str, contents: &str) {
    if let Some(parent) = dir.join(file).parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(dir.join(file), contents).unwrap();
}

/// A server for what the demo server cannot do: `/meet/NAME` answers once two requests are
/// waiting there (so only requests sent at once get answers), `/flaky` says 503 the first
/// time and 200 after. Its address, as `http://127.0.0.1:PORT`.
async fn meeting_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let flaky = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let barrier = barrier.clone();
            let flaky = flaky.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if stream.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let path = head.split(' ').nth(1).unwrap_or("/").to_owned();
                let status = if path.starts_with("/meet/") {
                    barrier.wait().await;
                    "200 OK"
                } else if path == "/flaky" && flaky.fetch_add(1, Ordering::SeqCst) == 0 {
                    "503 Service Unavailable"
                } else {
                    "200 OK"
                };
                let body = format!("{{\"path\": \"{path}\"}}");
                let response = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
            });
        }
    });
    format!("http://{address}")
}

/// A collection `shop` in `home/collections` with `base` set; its directory.
fn shop(home: &Path, base: &str) -> std::path::PathBuf {
    let shop = home.join("collections/shop");
    write(
        &shop,
        "collection.json",
        &format!(r#"{{"name": "Shop", "variables": {{"base": "{base}"}}}}"#),
    );
    shop
}

async fn test(home: &Path, args: &[&str]) -> (Option<i32>, String) {
    let dir = home.join("collections");
    let mut all = vec!["test", "--collections", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    let output = courier(home, &all).await;
    let said = format!("{}{}", text(&output.stdout), text(&output.stderr));
    (output.status.code(), said)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_rows_run_an_iteration_each() {
    let demo = common::demo().await;
    let home = tempfile::tempdir().unwrap();
    let shop = shop(home.path(), &demo.url());
    write(
        &shop,
        "user.json",
        r#"{"name": "User", "method": "GET", "url": "{{base}}/echo?name={{name}}",
        "asserts": ["status == 200", "jq .query.name == {{expected}}"]}"#,
    );
    // The third row's expectation is wrong on purpose.
    write(
        home.path(),
        "rows.csv",
        "name,expected\nada,ada\n\"grace, h\",\"grace, h\"\nlinus,linux\n",
    );
    let rows = home.path().join("rows.csv");
    let report = home.path().join("out/report.json");
    let (code, said) = test(
        home.path(),
        &[
            "shop",
            "--data",
            rows.to_str().unwrap(),
            "--report",
            &format!("json:{}", report.display()),
        ],
    )
    .await;
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("✓ User [iteration 1]"), "{said}");
    assert!(said.contains("✓ User [iteration 2]"), "{said}");
    assert!(said.contains("✗ User [iteration 3]"), "{said}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(report["iterations"][1]["data_row"], 2);
    assert_eq!(report["iterations"][1]["values"]["name"], "grace, h");
    assert_eq!(report["requests"][2]["iteration"], 3);
    let failed = &report["requests"][2]["assertions"][1];
    assert_eq!(failed["passed"], false);
    assert_eq!(failed["actual"], "\"linus\"");

    // Five iterations go round the three rows again.
    let json = home.path().join("rows.json");
    write(
        home.path(),
        "rows.json",
        r#"[{"name": "ada", "expected": "ada"}]"#,
    );
    let (code, said) = test(
        home.path(),
        &[
            "shop",
            "--data",
            json.to_str().unwrap(),
            "--iterations",
            "2",
        ],
    )
    .await;
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("2 requests: 2 passed"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_run_sub_folders_at_once() {
    let base = meeting_server().await;
    let home = tempfile::tempdir().unwrap();
    let shop = shop(home.path(), &base);
    for folder in ["left", "right"] {
        write(
            &shop,
            &format!("{folder}/folder.json"),
            &format!(r#"{{"name": "{folder}"}}"#),
        );
        write(
            &shop,
            &format!("{folder}/meet.json"),
            &format!(
                r#"{{"name": "Meet", "method": "GET", "url": "{{{{base}}}}/meet/{folder}",
                "options": {{"timeouts": {{"total": "3s"}}}}, "asserts": ["status == 200"]}}"#
            ),
        );
    }
    let (code, said) = test(home.path(), &["shop", "--jobs", "2"]).await;
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("2 requests: 2 passed"), "{said}");
    // One job: the first waits alone at the meeting until its timeout.
    let (code, said) = test(home.path(), &["shop", "--jobs", "1", "--bail"]).await;
    assert_eq!(code, Some(5), "{said}");
    assert!(said.contains("1 not run"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_sends_a_failed_request_again() {
    let base = meeting_server().await;
    let home = tempfile::tempdir().unwrap();
    let shop = shop(home.path(), &base);
    write(
        &shop,
        "flaky.json",
        r#"{"name": "Flaky", "method": "GET", "url": "{{base}}/flaky", "asserts": ["status == 200"]}"#,
    );
    let (code, said) = test(
        home.path(),
        &["shop", "--retry", "2", "--retry-interval", "0s"],
    )
    .await;
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("✓ Flaky  200"), "{said}");
    assert!(said.contains("2 attempts"), "{said}");
    // In the history the first attempt has no verdict of its own: the request passed.
    let run = courier(home.path(), &["history", "run", "1"]).await;
    let shown = text(&run.stdout);
    assert!(shown.contains("↻ #1  Flaky  GET"), "{shown}");
    assert!(shown.contains("(retried)"), "{shown}");
    assert!(shown.contains("✓ #2  Flaky  GET"), "{shown}");
    assert!(!shown.contains('✗'), "{shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bail_stops_and_still_writes_the_reports() {
    let demo = common::demo().await;
    let home = tempfile::tempdir().unwrap();
    let shop = shop(home.path(), &demo.url());
    write(
        &shop,
        "collection.json",
        &format!(
            r#"{{"name": "Shop", "variables": {{"base": "{}"}}, "order": ["a", "b", "c"]}}"#,
            demo.url()
        ),
    );
    for (name, status, tags) in [("a", 200, "smoke"), ("b", 404, "slow"), ("c", 200, "smoke")] {
        write(
            &shop,
            &format!("{name}.json"),
            &format!(
                r#"{{"name": "{name}", "method": "GET", "url": "{{{{base}}}}/status/{status}",
                "asserts": ["status == 200"], "tags": ["{tags}"]}}"#
            ),
        );
    }
    let junit = home.path().join("junit.xml");
    let tap = home.path().join("run.tap");
    let html = home.path().join("run.html");
    let reports = format!(
        "junit:{},tap:{},html:{}",
        junit.display(),
        tap.display(),
        html.display()
    );
    let (code, said) = test(home.path(), &["shop", "--bail", "--report", &reports]).await;
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("1 not run"), "{said}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains(
            "<testsuites name=\"courier test shop\" tests=\"2\" failures=\"1\" errors=\"0\""
        ),
        "{xml}"
    );
    assert_eq!(xml.matches("<testcase ").count(), 2);
    let tap = std::fs::read_to_string(&tap).unwrap();
    assert!(
        tap.starts_with("TAP version 14\n1..2\nok 1 - a\nnot ok 2 - b\n"),
        "{tap}"
    );
    assert!(std::fs::read_to_string(&html).unwrap().contains("<svg"));

    let (code, said) = test(home.path(), &["shop", "--tags", "smoke"]).await;
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("2 requests: 2 passed"), "{said}");
    let (code, said) = test(home.path(), &["shop", "--exclude-tags", "smoke"]).await;
    assert_eq!(code, Some(1), "{said}");
    assert!(said.contains("1 request: 0 passed, 1 failed"), "{said}");
    assert!(
        !said.contains('\u{1b}'),
        "no colour without a terminal: {said:?}"
    );
    let (code, said) = test(home.path(), &["shop", "--tags", "smok"]).await;
    assert_eq!(code, Some(3), "a run of nothing is not a pass: {said}");
    assert!(
        said.contains("nothing to run: no request in shop is tagged smok"),
        "{said}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_regex_capture_feeds_the_next_request() {
    let demo = common::demo().await;
    let home = tempfile::tempdir().unwrap();
    let shop = shop(home.path(), &demo.url());
    write(
        &shop,
        "collection.json",
        &format!(
            r#"{{"name": "Shop", "variables": {{"base": "{}"}}, "order": ["first", "second"]}}"#,
            demo.url()
        ),
    );
    write(
        &shop,
        "first.json",
        r#"{"name": "First", "method": "GET", "url": "{{base}}/echo?session=sid-42;path=/",
        "captures": {"sid": "jq .query.session regex \"sid-(\\d+)\""}}"#,
    );
    write(
        &shop,
        "second.json",
        r#"{"name": "Second", "method": "GET", "url": "{{base}}/echo?sid={{sid}}",
        "asserts": ["jq .query.sid == \"42\""]}"#,
    );
    let (code, said) = test(home.path(), &["shop"]).await;
    assert_eq!(code, Some(0), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_run_is_set_beside_the_last_passing_one_in_the_history() {
    let demo = common::demo().await;
    let home = tempfile::tempdir().unwrap();
    let shop = shop(home.path(), &demo.url());
    let request = |expected: u16| {
        format!(
            r#"{{"name": "Status", "method": "GET", "url": "{{{{base}}}}/status/200", "asserts": ["status == {expected}"]}}"#
        )
    };
    write(&shop, "status.json", &request(200));
    let (code, said) = test(home.path(), &["shop"]).await;
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("Recorded as run 1 in the history."), "{said}");
    write(&shop, "status.json", &request(201));
    let (code, said) = test(home.path(), &["shop"]).await;
    assert_eq!(code, Some(1), "{said}");
    assert!(
        said.contains("Recorded as run 2: `courier history run 2 --diff`"),
        "{said}"
    );

    let runs = courier(home.path(), &["history", "runs"]).await;
    let listed = text(&runs.stdout);
    assert!(
        listed
            .lines()
            .nth(1)
            .is_some_and(|l| l.trim_start().starts_with("2 ")),
        "{listed}"
    );
    let run = courier(home.path(), &["history", "run", "2", "--diff"]).await;
    let shown = text(&run.stdout);
    assert!(shown.contains("Run 2 of shop"), "{shown}");
    assert!(shown.contains("✗ #2  Status  GET"), "{shown}");
    assert!(shown.contains("last passed as #1"), "{shown}");
    assert!(shown.contains("courier history diff 1 2"), "{shown}");
    assert!(shown.contains("#1 → #2"), "{shown}");

    let (_, said) = test(home.path(), &["shop", "--no-history"]).await;
    assert!(!said.contains("Recorded as run"), "{said}");
}
