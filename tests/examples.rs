//! Examples in the TUI against the demo server: a response saved as an example of its request
//! (`E`), with the secrets the exchange used masked in every file, then listed in the request's
//! Examples tab and opened from there without sending.

mod common;

use std::path::Path;

use base64::Engine as _;
use common::demo;
use common::pty::{CTRL_P, CTRL_Q, CTRL_R, Session};

/// A collection whose one request sends `.env`'s TOKEN in a header and as Basic auth to the
/// demo's echo, which sends both back in its body.
fn collection(root: &Path, base: &str, token: &str) -> std::path::PathBuf {
    let dir = common::shop_with_token(root, base, token);
    std::fs::write(
        dir.join("echo-token.json"),
        r#"{
  "courier": 1,
  "name": "Echo token",
  "method": "POST",
  "url": "{{base}}/echo",
  "headers": [{"name": "X-Token", "value": "{{TOKEN}}"}],
  "auth": {"kind": "basic", "username": "user", "password": "{{TOKEN}}"}
}
"#,
    )
    .unwrap();
    root.join("collections")
}

// Multi-threaded: the demo server runs on the runtime while the test waits on the screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_saved_as_an_example_keeps_no_secret_and_opens_from_its_tab() {
    let demo = demo().await;
    let home = tempfile::tempdir().unwrap();
    let token = "s3cr3t-Value";
    let collections = collection(home.path(), &demo.url(), token);
    let mut tui = Session::start(&collections, home.path());
    tui.wait_for("Shop");
    tui.keys(CTRL_P);
    tui.wait_for("Find a request");
    tui.keys("echo token\r");
    tui.keys(CTRL_R);
    tui.wait_for("200 OK");
    tui.wait_without("◌");
    tui.keys("\t\t");
    tui.keys("E");
    tui.wait_for("example named");
    tui.keys("\x15"); // Ctrl-U: the suggested name goes
    tui.keys("Echoed back\r");
    tui.wait_for("Saved the example");

    let examples = collections.join("shop/echo-token.examples");
    let meta = std::fs::read_to_string(examples.join("echoed-back.json")).unwrap();
    assert!(meta.contains("\"name\": \"Echoed back\""), "{meta}");
    assert!(meta.contains("\"status\": 200"), "{meta}");
    assert!(meta.contains("content-type"), "{meta}");
    assert!(
        !meta.contains("content-length") && !meta.contains("\"date\""),
        "{meta}"
    );
    let body = std::fs::read_to_string(examples.join("echoed-back.body.json")).unwrap();
    assert!(body.contains("\"x-token\": \"••••••\""), "masked: {body}");
    let forms = [
        token.to_owned(),
        base64::engine::general_purpose::STANDARD.encode(format!("user:{token}")),
    ];
    for entry in std::fs::read_dir(&examples).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for form in &forms {
            assert!(
                !text.contains(form.as_str()),
                "{form:?} in {}",
                path.display()
            );
        }
    }

    // The request's Examples tab lists it; Enter opens it, nothing sent.
    tui.keys("\t\t");
    tui.keys("[");
    tui.wait_for("Echoed back");
    tui.keys("\r");
    tui.wait_for("example “Echoed back”");
    tui.wait_for("\"x-token\": \"••••••\"");
    tui.keys(CTRL_Q);
    assert!(tui.wait_exit().success());
}
