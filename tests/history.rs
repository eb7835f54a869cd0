//! The history as `courier send` records it and `courier history` reads it back: real
//! exchanges with the demo server, secrets that must never reach the database or a blob, two
//! processes recording at once, a body past the cap, and a damaged database that turns
//! history off without stopping the send.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use base64::Engine as _;
use common::{courier, demo};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn succeeded(output: &Output) -> &Output {
    assert!(
        output.status.success(),
        "{:?}\nstdout: {}\nstderr: {}",
        output.status,
        text(&output.stdout),
        text(&output.stderr)
    );
    output
}

async fn entries(home: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["history", "list", "--json"];
    all.extend_from_slice(args);
    let output = courier(home, &all).await;
    let listed: serde_json::Value = serde_json::from_slice(&succeeded(&output).stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&output.stdout)));
    listed.as_array().cloned().unwrap_or_default()
}

/// A collection with one request that uses `.env`'s TOKEN in its URL, a header, Basic auth
/// and its body, and one more request.
fn collection(root: &Path, base: &str, token: &str) -> PathBuf {
    let dir = common::shop_with_token(root, base, token);
    std::fs::write(
        dir.join("secret-post.json"),
        r#"{
  "courier": 1,
  "name": "Secret post",
  "method": "POST",
  "url": "{{base}}/status/201?key={{TOKEN}}",
  "headers": [{"name": "X-Token", "value": "{{TOKEN}}"}],
  "auth": {"kind": "basic", "username": "user", "password": "{{TOKEN}}"},
  "body": {"kind": "json", "file": "secret-post.body.json"}
}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("secret-post.body.json"),
        "{\"token\": \"{{TOKEN}}\"}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("numbers.json"),
        r#"{"courier": 1, "name": "Numbers", "method": "GET", "url": "{{base}}/json?bytes=300"}
"#,
    )
    .unwrap();
    root.join("collections")
}

#[tokio::test]
async fn send_records_and_history_lists_shows_and_filters() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let collections = collection(home.path(), &demo.url(), "not-used-here");
    let dir = collections.to_str().unwrap();
    let sent = courier(home.path(), &["send", "shop/numbers", "--collections", dir]).await;
    let url = format!("{}/bytes?n=100", demo.url());
    succeeded(&courier(home.path(), &["send", &url]).await);
    succeeded(&courier(home.path(), &["send", &url, "--no-history"]).await);

    let all = entries(home.path(), &[]).await;
    assert_eq!(all.len(), 2, "{all:?}");
    let (bytes, numbers) = (&all[0], &all[1]);
    assert_eq!(bytes["url"], url.as_str());
    assert_eq!(bytes["size"], 100);
    assert_eq!(numbers["method"], "GET");
    assert_eq!(numbers["status"], 200);
    assert_eq!(numbers["request"], "Numbers");
    assert!(numbers["duration"].as_u64().is_some_and(|us| us > 0));
    assert!(numbers["time"].as_str().is_some_and(|t| t.ends_with('Z')));
    for field in ["id", "time", "method", "url", "status", "duration", "size"] {
        assert!(!numbers[field].is_null(), "{field} in {numbers}");
    }

    let id = numbers["id"].to_string();
    let body = courier(home.path(), &["history", "show", &id, "--body"]).await;
    assert_eq!(
        succeeded(&body).stdout,
        succeeded(&sent).stdout,
        "the body as received"
    );
    let shown = text(&courier(home.path(), &["history", "show", &id]).await.stdout);
    assert!(shown.contains("GET "), "{shown}");
    assert!(shown.contains("200 OK"), "{shown}");
    assert!(shown.contains("outcome: done"), "{shown}");

    let only = entries(home.path(), &["shop/numbers", "--collections", dir]).await;
    assert_eq!(only.len(), 1);
    assert_eq!(only[0]["id"], numbers["id"]);
    assert_eq!(entries(home.path(), &[&url]).await.len(), 1);
    let found = entries(home.path(), &["--search", "octet"]).await;
    assert_eq!(found.len(), 1, "{found:?}");

    let bytes_id = bytes["id"].to_string();
    succeeded(&courier(home.path(), &["history", "pin", &bytes_id]).await);
    let cleared = courier(home.path(), &["history", "clear"]).await;
    assert!(text(&succeeded(&cleared).stdout).contains("Removed 1 exchange"));
    let left = entries(home.path(), &[]).await;
    assert_eq!(left.len(), 1, "the pinned one stays: {left:?}");
    assert_eq!(left[0]["pinned"], true);
    let cleared = courier(home.path(), &["history", "clear", "--all"]).await;
    assert!(text(&succeeded(&cleared).stdout).contains("Removed 1 exchange"));
    assert!(entries(home.path(), &[]).await.is_empty());
    let missing = courier(home.path(), &["history", "pin", "999"]).await;
    assert!(text(&missing.stderr).contains("there is no exchange 999"));
}

/// Every file under `dir`, blobs decompressed, as bytes.
fn every_file(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(every_file(&path));
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let decoded = zstd::decode_all(bytes.as_slice()).ok();
        found.push((path.clone(), bytes));
        if let Some(decoded) = decoded {
            found.push((path, decoded));
        }
    }
    found
}

#[tokio::test]
async fn a_secret_from_env_reaches_no_history_file_in_any_encoding() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let token = "s3cr3t Value/+=&?x";
    let collections = collection(home.path(), &demo.url(), token);
    let dir = collections.to_str().unwrap();
    let output = courier(
        home.path(),
        &["send", "shop/secret-post", "--collections", dir],
    )
    .await;
    succeeded(&output);
    let listed = entries(home.path(), &[]).await;
    assert_eq!(listed.len(), 1, "the exchange was recorded: {listed:?}");
    assert_eq!(listed[0]["status"], 201);
    let id = listed[0]["id"].to_string();
    let shown = text(&courier(home.path(), &["history", "show", &id]).await.stdout);
    assert!(
        shown.contains("x-token: ••••••"),
        "masked as on screen: {shown}"
    );

    let forms = [
        token.to_owned(),
        url::form_urlencoded::byte_serialize(token.as_bytes()).collect(),
        token.replace(' ', "%20").replace('/', "%2F"),
        base64::engine::general_purpose::STANDARD.encode(token),
        base64::engine::general_purpose::URL_SAFE.encode(token),
        base64::engine::general_purpose::STANDARD.encode(format!("user:{token}")),
    ];
    let files = every_file(&home.path().join("state/history"));
    assert!(files.len() >= 3, "the database and its blobs: {files:?}");
    for (path, bytes) in &files {
        let haystack = String::from_utf8_lossy(bytes);
        for form in &forms {
            assert!(
                !haystack.contains(form.as_str()),
                "{form:?} found in {}",
                path.display()
            );
        }
    }
}

#[tokio::test]
async fn two_processes_record_at_once_and_a_capped_body_says_so() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("config")).unwrap();
    std::fs::write(
        home.path().join("config/config.json"),
        "{\"courier\": 1, \"history\": {\"body_cap\": 1000}}",
    )
    .unwrap();
    let url = format!("{}/bytes?n=5000", demo.url());
    let sends: Vec<_> = (0..8)
        .map(|_| {
            let (home, url) = (home.path().to_owned(), url.clone());
            tokio::spawn(async move { courier(&home, &["send", &url]).await })
        })
        .collect();
    for send in sends {
        let output = send.await.unwrap();
        succeeded(&output);
        assert!(text(&output.stderr).is_empty(), "{}", text(&output.stderr));
    }
    let listed = entries(home.path(), &[]).await;
    assert_eq!(listed.len(), 8, "every send recorded");
    assert!(
        listed
            .iter()
            .all(|e| e["size"] == 5000 && e["body_kept"] == 1000)
    );
    let id = listed[0]["id"].to_string();
    let body = courier(home.path(), &["history", "show", &id, "--body"]).await;
    assert_eq!(body.stdout.len(), 1000);
    assert!(text(&body.stderr).contains("only the first 1.0 KB of 5.0 KB were kept"));
}

#[tokio::test]
async fn a_damaged_database_turns_history_off_and_the_send_goes_on() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let history = home.path().join("state/history");
    std::fs::create_dir_all(&history).unwrap();
    std::fs::write(
        history.join("history.sqlite3"),
        "not a database at all, but long enough to look like a header to SQLite. ".repeat(4),
    )
    .unwrap();
    let url = format!("{}/status/200", demo.url());
    let output = courier(home.path(), &["send", &url]).await;
    succeeded(&output);
    let said = text(&output.stderr);
    assert!(said.contains("history is off for this send"), "{said}");
    assert!(said.contains("is damaged"), "{said}");
    let listed = courier(home.path(), &["history", "list"]).await;
    assert!(!listed.status.success());
    assert!(text(&listed.stderr).contains("is damaged"));
}

#[tokio::test]
async fn the_tui_records_lists_opens_resends_and_edits_from_the_history() {
    use common::pty::{CTRL_P, CTRL_Q, CTRL_R, Session, demo_copy};
    let home = tempfile::tempdir().unwrap();
    let collections = demo_copy(home.path());
    let mut tui = Session::start(&collections, home.path());
    tui.wait_for("Courier demo");
    tui.keys(CTRL_P);
    tui.wait_for("Find a request");
    tui.keys("echo json");
    tui.keys("\r");
    tui.keys(CTRL_R);
    tui.wait_for("200 OK");
    // Done: what the screen shows as done is in the history.
    tui.wait_without("◌");
    // H lists it; Enter opens it from the history, without sending.
    tui.keys("\t");
    tui.keys("\t");
    tui.keys("H");
    tui.wait_for("History of Echo JSON");
    tui.wait_for("#1 ");
    tui.keys("\r");
    tui.wait_for("nothing was sent");
    tui.wait_for("\"method\": \"POST\"");

    // The file changes on disk (a teammate's pull); `r` sends the request as it was then.
    let file = collections.join("demo/basics/echo-json.json");
    let now = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, now.replace("/echo\"", "/echo?v=2\"")).unwrap();
    tui.keys("H");
    tui.wait_for("#1 ");
    tui.keys("r");
    tui.wait_for("Sending the request of exchange #1 again");
    tui.wait_for("200 OK");
    tui.wait_without("◌");
    // Ctrl-R sends it as it is now.
    tui.keys(CTRL_R);
    tui.wait_for("v=2");
    tui.wait_without("◌");

    // Every request's history, filtered as typed: only the send with `v=2`.
    tui.keys("H");
    tui.wait_for("#3 ");
    tui.keys("\t");
    tui.wait_for("http://127.0.0.1");
    tui.keys("/v=2");
    tui.wait_without("#2 ");
    tui.wait_for("#3 ");
    tui.keys("\r");
    // `e`: the request of exchange #1 becomes the draft, unsaved.
    tui.keys("\u{1b}");
    tui.keys("H");
    tui.wait_for("#2 ");
    // `d` on two rows compares them: the echo differs in its query.
    tui.keys("d");
    tui.keys("j");
    tui.keys("d");
    tui.wait_for("#2 → #3");
    tui.wait_for(".query.v");
    tui.keys("\u{1b}");
    tui.keys("je");
    tui.wait_for("is now the draft");
    tui.keys(CTRL_Q);
    tui.wait_for("Quit?");
    tui.keys("d");
    assert!(tui.wait_exit().success());
    let listed = entries(home.path(), &[]).await;
    let urls: Vec<&str> = listed.iter().filter_map(|e| e["url"].as_str()).collect();
    assert_eq!(listed.len(), 3, "opening one recorded nothing: {listed:?}");
    assert!(urls[0].ends_with("/echo?v=2"), "{urls:?}");
    assert!(urls[1].ends_with("/echo"), "sent again as it was: {urls:?}");
    assert_eq!(listed[2]["request"], "Echo JSON");
    assert_eq!(listed[2]["method"], "POST");
    assert_eq!(listed[2]["status"], 200);
    let id = listed[2]["id"].to_string();
    let body = courier(home.path(), &["history", "show", &id, "--body"]).await;
    let echoed: serde_json::Value = serde_json::from_slice(&body.stdout).unwrap();
    assert_eq!(echoed["method"], "POST", "the demo's echo, as received");
}

#[tokio::test]
async fn two_exchanges_diff_by_status_header_and_json_path() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let echo = format!("{}/echo", demo.url());
    for (value, extra) in [("1", "a"), ("2", "b")] {
        let body = format!("{{\"n\": {value}, \"same\": true}}");
        succeeded(
            &courier(
                home.path(),
                &[
                    "send",
                    &echo,
                    "-d",
                    &body,
                    "-H",
                    &format!("X-Extra-{extra}: yes"),
                ],
            )
            .await,
        );
    }
    let status = format!("{}/status/404", demo.url());
    succeeded(&courier(home.path(), &["send", &status]).await);
    let ids: Vec<String> = entries(home.path(), &[])
        .await
        .iter()
        .map(|e| e["id"].to_string())
        .collect();
    let (first, second, third) = (&ids[2], &ids[1], &ids[0]);

    let diffed = courier(home.path(), &["history", "diff", first, second]).await;
    assert_eq!(diffed.status.code(), Some(1), "they differ");
    let said = text(&diffed.stdout);
    assert!(said.contains("body: JSON"), "{said}");
    // The echo returns the request's headers and body: the paths that changed are listed.
    assert!(
        said.contains(".headers[\"x-extra-a\"]: \"yes\" → (none)"),
        "{said}"
    );
    assert!(
        said.contains(".headers[\"x-extra-b\"]: (none) → \"yes\""),
        "{said}"
    );
    assert!(!said.contains("status:"), "same status: {said}");

    let against_404 = text(
        &courier(home.path(), &["history", "diff", second, third])
            .await
            .stdout,
    );
    assert!(
        against_404.contains("status: 200 OK → 404 Not Found"),
        "{against_404}"
    );

    let same = courier(home.path(), &["history", "diff", first, first]).await;
    assert_eq!(same.status.code(), Some(0));
    assert!(text(&same.stdout).contains("body: the same"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_is_recorded_with_when_its_pieces_came() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let url = format!("{}/ndjson?lines=4&interval_ms=40", demo.url());
    succeeded(&courier(home.path(), &["send", &url]).await);
    let quick = format!("{}/echo", demo.url());
    succeeded(&courier(home.path(), &["send", &quick]).await);
    let listed = entries(home.path(), &[]).await;
    let id = |entry: &serde_json::Value| entry["id"].as_i64().expect("an id");
    let (json_id, stream_id) = (id(&listed[0]), id(&listed[1]));
    let history = courier::history::History::open(
        &home.path().join("state").join("history"),
        courier::model::HistorySettings::default(),
    )
    .expect("opened");
    let pieces = history
        .body_timing(stream_id)
        .expect("read")
        .expect("a stream's timing");
    let size = history.get(stream_id).expect("found").body.kept;
    assert!(pieces.len() >= 2, "{pieces:?}");
    assert_eq!(pieces.last().map(|p| p.0), Some(size), "{pieces:?}");
    // Three 40 ms waits on the server between the four lines.
    assert!(pieces.last().map(|p| p.1) >= Some(120), "{pieces:?}");
    assert!(pieces.windows(2).all(|w| w[0] < w[1]), "{pieces:?}");
    assert_eq!(
        history.body_timing(json_id).expect("read"),
        None,
        "one piece"
    );
}
