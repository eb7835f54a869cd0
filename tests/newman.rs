//! Parity with newman: one Postman collection whose tests use the `pm.*` forms Courier
//! converts, with some failing on purpose, run by newman and, once imported, by `courier
//! test`, against the same demo server on loopback. The same tests must pass and the same
//! ones fail. newman comes from the npm registry: `.ci/run` installs it into `.ci/node`; where
//! it is missing, the test says that it skipped.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::courier;

const COLLECTION: &str = "tests/fixtures/newman/parity.postman_collection.json";

/// (request, test name, passed), for every test of a run.
type Verdicts = BTreeSet<(String, String, bool)>;

/// newman's command: `COURIER_NEWMAN`, the one `.ci/run` installs, or one on the PATH.
fn newman() -> Option<PathBuf> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("COURIER_NEWMAN").map(PathBuf::from),
        Some(repo.join(".ci/node/node_modules/.bin/newman")),
        Some(PathBuf::from("newman")),
    ];
    candidates.into_iter().flatten().find(|command| {
        std::process::Command::new(command)
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn newman_and_courier_test_agree_on_every_test() {
    let Some(newman) = newman() else {
        eprintln!("skipped: newman is not installed (.ci/run installs it with npm into .ci/node)");
        return;
    };
    let demo = common::demo().await;
    let home = tempfile::tempdir().unwrap();
    let base = format!("base={}", demo.url());
    let collection = Path::new(env!("CARGO_MANIFEST_DIR")).join(COLLECTION);

    let by_newman = run_newman(&newman, &collection, &base, home.path()).await;

    let into = home.path().join("collections");
    let imported = courier(
        home.path(),
        &[
            "import",
            collection.to_str().unwrap(),
            "--into",
            into.to_str().unwrap(),
        ],
    )
    .await;
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let report = home.path().join("courier.json");
    let tested = courier(
        home.path(),
        &[
            "test",
            "newman-parity",
            "--collections",
            into.to_str().unwrap(),
            "--var",
            &base,
            "--report",
            &format!("json:{}", report.display()),
        ],
    )
    .await;
    assert_eq!(
        tested.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&tested.stdout)
    );
    let by_courier = courier_verdicts(&report);

    assert_eq!(by_courier, by_newman);
    let failed: Vec<&str> = by_newman
        .iter()
        .filter(|(_, _, passed)| !passed)
        .map(|(_, name, _)| name.as_str())
        .collect();
    assert_eq!(failed.len(), 5, "{failed:?}");
    assert!(
        failed
            .iter()
            .all(|name| name.ends_with("(fails on purpose)"))
    );
    assert!(by_newman.len() >= 20, "{by_newman:?}");
}

/// newman's verdicts on `collection` run against `base`.
async fn run_newman(newman: &Path, collection: &Path, base: &str, home: &Path) -> Verdicts {
    let newman_report = home.join("newman.json");
    let ran = tokio::process::Command::new(newman)
        .arg("run")
        .arg(collection)
        .args([
            "--env-var",
            base,
            "--reporters",
            "json",
            "--reporter-json-export",
        ])
        .arg(&newman_report)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .output()
        .await
        .unwrap();
    assert_eq!(
        ran.status.code(),
        Some(1),
        "newman fails the run (some tests fail on purpose): {}",
        String::from_utf8_lossy(&ran.stderr)
    );
    newman_verdicts(&newman_report)
}

fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn newman_verdicts(report: &Path) -> Verdicts {
    let report = read_json(report);
    let mut verdicts = Verdicts::new();
    for execution in report["run"]["executions"].as_array().unwrap() {
        let request = execution["item"]["name"].as_str().unwrap().to_owned();
        for assertion in execution["assertions"].as_array().into_iter().flatten() {
            let name = assertion["assertion"].as_str().unwrap().to_owned();
            verdicts.insert((request.clone(), name, assertion.get("error").is_none()));
        }
    }
    verdicts
}

/// A test is its `pm.test` name; it passed when every assertion with that name did.
fn courier_verdicts(report: &Path) -> Verdicts {
    let report = read_json(report);
    let mut tests: std::collections::BTreeMap<(String, String), bool> = Default::default();
    for request in report["requests"].as_array().unwrap() {
        let name = request["name"].as_str().unwrap();
        for assertion in request["assertions"].as_array().unwrap() {
            let test = assertion["name"].as_str().unwrap_or_default().to_owned();
            let passed = assertion["passed"].as_bool().unwrap();
            *tests.entry((name.to_owned(), test)).or_insert(true) &= passed;
        }
    }
    tests
        .into_iter()
        .map(|((request, test), passed)| (request, test, passed))
        .collect()
}
