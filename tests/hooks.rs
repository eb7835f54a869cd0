//! Hooks as a collection meets them, run by `courier send` and `courier test` against a demo
//! server started by the test (its `/echo` says what arrived): what a hook may change, how
//! hooks are inherited, what a hook that misbehaves does to the send, and which secrets it sees.

mod common;

use std::path::{Path, PathBuf};

use common::{courier, demo};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A collection `hooked` under `root/collections` that allows programs (unless `allow` is
/// false), with `hooks` at its top, a `.env` secret and one request per `(stem, json)`.
fn collection(root: &Path, base: &str, allow: bool, hooks: serde_json::Value) -> PathBuf {
    let dir = root.join("collections/hooked");
    std::fs::create_dir_all(&dir).unwrap();
    let meta = serde_json::json!({
        "courier": 1,
        "name": "Hooked",
        "variables": {"base": base},
        "allow_commands": allow,
        "hooks": hooks,
    });
    std::fs::write(dir.join("collection.json"), meta.to_string()).unwrap();
    std::fs::write(
        dir.join(".env"),
        "API_TOKEN='tok-3141'\nSIGNING_KEY='k-2718'\n",
    )
    .unwrap();
    dir
}

fn request(dir: &Path, stem: &str, extra: serde_json::Value) {
    let mut request = serde_json::json!({
        "courier": 1,
        "name": stem,
        "method": "POST",
        "url": "{{base}}/echo",
        "auth": {"kind": "bearer", "token": "{{API_TOKEN}}"},
    });
    if let (Some(request), Some(extra)) = (request.as_object_mut(), extra.as_object()) {
        request.extend(extra.clone());
    }
    std::fs::write(dir.join(format!("{stem}.json")), request.to_string()).unwrap();
}

fn script(dir: &Path, name: &str, body: &str) {
    std::fs::write(dir.join(name), body).unwrap();
}

async fn send(root: &Path, stem: &str) -> std::process::Output {
    let collections = root.join("collections");
    courier(
        root,
        &[
            "send",
            &format!("hooked/{stem}"),
            "--collections",
            &collections.to_string_lossy(),
        ],
    )
    .await
}

fn echo(output: &std::process::Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[tokio::test]
async fn a_hook_changes_headers_url_and_body_and_says_so() {
    let demo = demo().await;
    let root = tempfile::tempdir().unwrap();
    let dir = collection(root.path(), &demo.url(), true, serde_json::json!([]));
    script(
        &dir,
        "change.sh",
        r#"cat > seen.json
printf 'changing\n' >&2
printf '{"headers": {"X-Added": "yes", "X-Gone": null}, "url": "%s/echo?changed=1", "body": "new body"}' "$1"
"#,
    );
    request(
        &dir,
        "changed",
        serde_json::json!({
            "headers": [{"name": "X-Gone", "value": "bye"}],
            "hooks": [{"name": "change", "before_send": format!("sh change.sh {}", demo.url())}],
        }),
    );
    let output = send(root.path(), "changed").await;
    let echo = echo(&output);
    assert_eq!(echo["headers"]["x-added"], "yes");
    assert!(echo["headers"].get("x-gone").is_none(), "{echo}");
    assert_eq!(echo["query"]["changed"], "1");
    assert_eq!(echo["body"], "new body");
    let stderr = text(&output.stderr);
    assert!(stderr.contains("hook `change` said: changing"), "{stderr}");
    assert!(
        stderr.contains(
            "hook `change` set X-Added, removed X-Gone, changed the URL, replaced the body"
        ),
        "{stderr}"
    );
    let seen: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("seen.json")).unwrap()).unwrap();
    assert_eq!(seen["hook"], "before_send");
    assert_eq!(seen["request"]["method"], "POST");
    let authorization = seen["request"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| {
            h["name"]
                .as_str()
                .unwrap()
                .eq_ignore_ascii_case("authorization")
        })
        .unwrap();
    assert_eq!(
        authorization["value"], "Bearer ••••••",
        "a secret the hook did not name reaches it masked"
    );
    assert_eq!(seen["secrets"], serde_json::json!({}));
}

#[tokio::test]
async fn a_hook_gets_the_secrets_it_names_and_hooks_are_inherited_by_name() {
    let demo = demo().await;
    let root = tempfile::tempdir().unwrap();
    let outer = serde_json::json!([
        {"name": "tag", "before_send": "sh tag.sh outer"},
        {"name": "sign", "before_send": "sh sign.sh", "secrets": ["SIGNING_KEY"]},
    ]);
    let dir = collection(root.path(), &demo.url(), true, outer);
    script(
        &dir,
        "tag.sh",
        r#"cat > /dev/null; printf '{"headers": {"X-Tag": "%s"}}' "$1""#,
    );
    script(
        &dir,
        "sign.sh",
        // The key it named arrives in "secrets"; sed pulls it out of the JSON.
        r#"key=$(sed -n 's/.*"SIGNING_KEY":"\([^"]*\)".*/\1/p'); printf '{"headers": {"X-Key-Seen": "%s"}}' "$key""#,
    );
    let folder = dir.join("inner");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("folder.json"),
        serde_json::json!({
            "courier": 1,
            "hooks": [{"name": "tag", "before_send": "sh ../tag.sh inner"}],
        })
        .to_string(),
    )
    .unwrap();
    request(&folder, "tagged", serde_json::json!({}));
    request(
        &folder,
        "untagged",
        serde_json::json!({"hooks": [{"name": "tag", "enabled": false}]}),
    );
    let tagged = send(root.path(), "inner/tagged").await;
    let echoed = echo(&tagged);
    assert_eq!(
        echoed["headers"]["x-tag"], "inner",
        "the folder's hook replaced the collection's"
    );
    assert_eq!(
        echoed["headers"]["x-key-seen"], "k-2718",
        "the named secret reached it"
    );
    assert!(
        !text(&tagged.stderr).contains("k-2718"),
        "never shown: {}",
        text(&tagged.stderr)
    );
    let untagged = echo(&send(root.path(), "inner/untagged").await);
    assert!(
        untagged["headers"].get("x-tag").is_none(),
        "turned off: {untagged}"
    );
    assert_eq!(untagged["headers"]["x-key-seen"], "k-2718");
}

#[tokio::test]
async fn a_hook_that_misbehaves_fails_the_send_with_its_name_and_why() {
    let demo = demo().await;
    let root = tempfile::tempdir().unwrap();
    let dir = collection(root.path(), &demo.url(), true, serde_json::json!([]));
    let cases = [
        (
            "refuses",
            "printf '{\"refuse\": \"no token today\"}'",
            "hook `h` refused the send: no token today",
        ),
        (
            "crashes",
            "echo boom >&2; exit 4",
            "hook `h` failed (exit status: 4): boom",
        ),
        (
            "hangs",
            "sleep 600",
            "`sh` did not finish within 1s; it was ended",
        ),
        (
            "nonsense",
            "echo 'not json'",
            "hook `h` answered what Courier cannot read",
        ),
        ("typo", "echo '{\"header\": {}}'", "unknown field `header`"),
        (
            "floods",
            "head -c 10000000 /dev/zero",
            "printed more than 1048576 bytes on stdout",
        ),
        (
            "bad-url",
            "echo '{\"url\": \"::\"}'",
            "its url is not a URL",
        ),
    ];
    for (stem, body, _) in &cases {
        script(
            &dir,
            &format!("{stem}.sh"),
            &format!("cat > /dev/null; {body}\n"),
        );
        request(
            &dir,
            stem,
            serde_json::json!({"hooks": [{"name": "h", "before_send": format!("sh {stem}.sh"), "timeout": "1s"}]}),
        );
    }
    for (stem, _, expected) in cases {
        let output = send(root.path(), stem).await;
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{stem}: {stderr}");
        assert!(stderr.contains(expected), "{stem}: {stderr}");
        assert!(output.stdout.is_empty(), "{stem}: nothing was sent");
    }
}

#[tokio::test]
async fn hooks_do_not_run_unless_the_collection_allows_programs() {
    let demo = demo().await;
    let root = tempfile::tempdir().unwrap();
    let hooks = serde_json::json!([{"name": "marker", "before_send": "touch ran"}]);
    let dir = collection(root.path(), &demo.url(), false, hooks);
    request(&dir, "plain", serde_json::json!({}));
    let output = send(root.path(), "plain").await;
    assert!(
        text(&output.stderr)
            .contains("hook `marker` was not run: this collection does not allow programs"),
        "{}",
        text(&output.stderr)
    );
    assert!(!dir.join("ran").exists());
}

#[tokio::test]
async fn after_response_hooks_set_variables_for_the_requests_after_them() {
    let demo = demo().await;
    let root = tempfile::tempdir().unwrap();
    let dir = collection(root.path(), &demo.url(), true, serde_json::json!([]));
    script(
        &dir,
        "keep.sh",
        // The echo's method, as the variable `seen_method`.
        r#"m=$(sed -n 's/.*\\"method\\": \\"\([A-Z]*\)\\".*/\1/p'); printf '{"variables": {"seen_method": "%s"}}' "$m""#,
    );
    request(
        &dir,
        "1-first",
        serde_json::json!({"hooks": [{"name": "keep", "after_response": "sh keep.sh"}]}),
    );
    request(
        &dir,
        "2-second",
        serde_json::json!({
            "headers": [{"name": "X-Seen", "value": "{{seen_method}}"}],
            "asserts": ["jq '.headers[\"x-seen\"]' == POST"],
        }),
    );
    let collections = root.path().join("collections");
    let output = courier(
        root.path(),
        &[
            "test",
            "hooked",
            "--collections",
            &collections.to_string_lossy(),
        ],
    )
    .await;
    assert!(
        output.status.success(),
        "{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );

    // courier send runs it too, and says what it set.
    let sent = send(root.path(), "1-first").await;
    assert!(
        text(&sent.stderr).contains("hook `keep` set seen_method"),
        "{}",
        text(&sent.stderr)
    );
}
