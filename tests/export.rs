//! `courier export` as a user runs it: the demo collection's Echo request as a curl script run
//! by `sh` and curl against a demo server on loopback (skipped, and said, where curl is not
//! installed), the same request as a `.http` file, and the history's exchanges of it as HAR
//! that `courier import` reads back.

mod common;

use common::courier;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn has(program: &str) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_curl_script_sends_what_courier_sends() {
    let demo = common::demo().await;
    let home = tempfile::tempdir().unwrap();
    let script = home.path().join("echo.sh");
    let output = courier(
        home.path(),
        &[
            "export",
            "demo/basics/echo-json",
            "--collections",
            "collections",
            "--format",
            "curl",
            "-o",
            script.to_str().unwrap(),
        ],
    )
    .await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let written = std::fs::read_to_string(&script).unwrap();
    assert!(
        written
            .contains("curl -X POST \"${base_url:-${COURIER_DEMO:-http://127.0.0.1:8808}}/echo\""),
        "{written}"
    );
    if !has("curl") {
        eprintln!("SKIPPED running the script: curl is not installed here");
        return;
    }
    // Run where the request's files are, with the demo server of this test.
    let run = tokio::process::Command::new("sh")
        .arg(&script)
        .env("COURIER_DEMO", demo.url())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .await
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    let echoed: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let saved: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("collections/demo/basics/echo-json.body.json").unwrap(),
    )
    .unwrap();
    assert_eq!(echoed["json"], saved, "the body as saved");
    assert_eq!(echoed["method"], "POST");
    assert_eq!(echoed["headers"]["x-request-source"], "courier-demo");
    assert_eq!(echoed["headers"]["content-type"], "application/json");
    assert_eq!(
        echoed["headers"]["accept"], "application/json, text/event-stream, */*",
        "the collection's header"
    );
}

#[tokio::test]
async fn a_folder_as_an_http_file() {
    let home = tempfile::tempdir().unwrap();
    let output = courier(
        home.path(),
        &["export", "collections/demo/basics", "--format", "http"],
    )
    .await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let file = text(&output.stdout);
    assert!(
        file.starts_with("# “Courier demo”, exported by Courier"),
        "{file}"
    );
    assert!(file.contains("@base_url = {{$demo}}\n"), "{file}");
    assert!(
        file.contains("### Echo JSON\nPOST {{base_url}}/echo\n"),
        "{file}"
    );
    assert!(!file.contains("### Who am I"), "only the folder: {file}");
    let said = text(&output.stderr);
    assert!(said.contains("OAuth 2 client credentials"), "{said}");
}

/// A request sent with `courier send` (recorded), exported as HAR, imported back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_of_a_request_as_har_imports_back() {
    let demo = common::demo().await;
    let home = tempfile::tempdir().unwrap();
    let collections = home.path().join("collections");
    std::fs::create_dir_all(collections.join("shop")).unwrap();
    std::fs::write(
        collections.join("shop/collection.json"),
        format!(
            r#"{{"name": "Shop", "variables": {{"base": "{}"}}}}"#,
            demo.url()
        ),
    )
    .unwrap();
    std::fs::write(
        collections.join("shop/echo.json"),
        r#"{"name": "Echo", "method": "POST", "url": "{{base}}/echo?n=1",
            "headers": [{"name": "X-Trace", "value": "abc"}],
            "body": {"kind": "text", "file": "echo.body.txt", "content_type": "text/plain"}}"#,
    )
    .unwrap();
    std::fs::write(collections.join("shop/echo.body.txt"), "hello HAR").unwrap();
    let dir = collections.to_str().unwrap();
    for _ in 0..2 {
        let sent = courier(home.path(), &["send", "shop/echo", "--collections", dir]).await;
        assert!(sent.status.success(), "{}", text(&sent.stderr));
    }
    let har_file = home.path().join("shop.har");
    let output = courier(
        home.path(),
        &[
            "export",
            "shop/echo",
            "--collections",
            dir,
            "--format",
            "har",
            "-o",
            har_file.to_str().unwrap(),
        ],
    )
    .await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let har: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&har_file).unwrap()).unwrap();
    let entries = har["log"]["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{har}");
    let first = &entries[0];
    assert_eq!(first["request"]["method"], "POST");
    assert_eq!(first["request"]["url"], format!("{}/echo?n=1", demo.url()));
    assert_eq!(first["request"]["postData"]["text"], "hello HAR");
    assert_eq!(first["request"]["queryString"][0]["name"], "n");
    assert_eq!(first["response"]["status"], 200);
    let echoed: serde_json::Value =
        serde_json::from_str(first["response"]["content"]["text"].as_str().unwrap()).unwrap();
    assert_eq!(echoed["body"], "hello HAR");
    assert!(first["startedDateTime"].as_str().unwrap().ends_with('Z'));

    let into = home.path().join("imported");
    let output = courier(
        home.path(),
        &[
            "import",
            har_file.to_str().unwrap(),
            "--into",
            into.to_str().unwrap(),
        ],
    )
    .await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report = text(&output.stdout);
    assert!(report.contains("2 requests"), "{report}");
    assert!(report.contains("2 examples"), "{report}");
    let request = std::fs::read_to_string(into.join("shop/echo.json")).unwrap();
    assert!(
        request.contains(&format!("{}/echo?n=1", demo.url())),
        "{request}"
    );
    assert!(request.contains("\"x-trace\""), "{request}");
}
