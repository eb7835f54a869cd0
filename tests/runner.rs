//! `courier test` as CI runs it: a collection's requests sent to a demo server on loopback, their
//! assertions checked, the failures said with what was expected and what came, and the exit
//! code telling passed (0), failed (1) and could not connect (4) apart.

mod common;

use common::courier;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &std::path::Path, file: &str, contents: &str) {
    std::fs::write(dir.join(file), contents).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assertions_pass_fail_and_say_what_came() {
    let demo = common::demo().await;
    let home = tempfile::tempdir().unwrap();
    let collections = home.path().join("collections");
    let shop = collections.join("shop");
    std::fs::create_dir_all(&shop).unwrap();
    write(
        &shop,
        "collection.json",
        &format!(
            r#"{{"name": "Shop", "variables": {{"base": "{}"}}, "order": ["echo", "wrong", "broken"]}}"#,
            demo.url()
        ),
    );
    write(
        &shop,
        "echo.json",
        r#"{"name": "Echo", "method": "POST", "url": "{{base}}/echo",
        "body": {"kind": "json", "file": "echo.body.json"},
        "asserts": ["status == 200", "jq .method == POST", "jq .json.n == 1", "jq .json.tags count == 2",
                    "header content-type contains json", "duration < 60s"],
        "captures": {"first_tag": "jq .json.tags[0]"}}"#,
    );
    write(&shop, "echo.body.json", r#"{"n": 1, "tags": ["a", "b"]}"#);
    write(
        &shop,
        "wrong.json",
        r#"{"name": "Wrong", "method": "GET", "url": "{{base}}/status/404",
        "asserts": ["status == 200", "status >= 400"]}"#,
    );
    write(
        &shop,
        "broken.json",
        r#"{"name": "Broken", "method": "GET", "url": "{{base}}/echo?tag={{first_tag}}",
            "asserts": ["stauts == 200", "jq .query.tag == a"]}"#,
    );
    let dir = collections.to_str().unwrap();

    let all = courier(home.path(), &["test", "shop", "--collections", dir]).await;
    let said = text(&all.stdout);
    assert_eq!(all.status.code(), Some(1), "{said}{}", text(&all.stderr));
    assert!(said.contains("✓ Echo  200"), "{said}");
    assert!(said.contains("(6 of 6 assertions passed)"), "{said}");
    assert!(said.contains("✗ Wrong  404"), "{said}");
    assert!(
        said.contains("    ✗ status == 200: expected == 200, got 404 (at status)"),
        "{said}"
    );
    assert!(
        said.contains("    ✗ stauts == 200: not an assertion: column 1: `stauts` is not a subject"),
        "{said}"
    );
    assert!(
        said.contains("3 requests: 1 passed, 2 failed, 0 errors; 8 of 10 assertions passed in"),
        "{said}"
    );

    let one = courier(home.path(), &["test", "shop/echo", "--collections", dir]).await;
    assert_eq!(one.status.code(), Some(0), "{}", text(&one.stdout));
    assert!(
        text(&one.stdout)
            .contains("1 request: 1 passed, 0 failed, 0 errors; 6 of 6 assertions passed"),
        "{}",
        text(&one.stdout)
    );
}

#[tokio::test]
async fn a_request_that_cannot_connect_exits_with_the_connect_code() {
    let home = tempfile::tempdir().unwrap();
    let shop = home.path().join("collections/shop");
    std::fs::create_dir_all(&shop).unwrap();
    write(&shop, "collection.json", r#"{"name": "Shop"}"#);
    // Port 1 on loopback: nothing listens there.
    write(
        &shop,
        "down.json",
        r#"{"name": "Down", "method": "GET", "url": "http://127.0.0.1:1/", "asserts": ["status == 200"]}"#,
    );
    let dir = home.path().join("collections");
    let output = courier(
        home.path(),
        &["test", "shop", "--collections", dir.to_str().unwrap()],
    )
    .await;
    assert_eq!(output.status.code(), Some(4), "{}", text(&output.stdout));
    assert!(
        text(&output.stdout).contains("✗ Down:"),
        "{}",
        text(&output.stdout)
    );
}
