//! Each report from one run of three requests in two folders, one failing and one with no
//! response: the counts agree with the elements, response text cannot break a format, and
//! the JSON lists every assertion.

use super::*;

fn assertion(line: &str, passed: bool, actual: &str) -> AssertionResult {
    AssertionResult {
        line: line.to_owned(),
        name: String::new(),
        passed,
        expected: "== 200".to_owned(),
        actual: actual.to_owned(),
        at: "status".to_owned(),
    }
}

fn results() -> RunResults {
    let ok = RequestResult {
        iteration: 1,
        folders: vec!["Users".to_owned()],
        name: "List users".to_owned(),
        file: "users/list.json".to_owned(),
        method: "GET".to_owned(),
        url: "http://127.0.0.1:1/users".to_owned(),
        status: Some(200),
        duration_ms: 12.5,
        size: 42,
        attempts: 1,
        assertions: vec![assertion("status == 200", true, "200")],
        ..RequestResult::default()
    };
    let failed = RequestResult {
        name: "Create <user> & \"friends\"".to_owned(),
        file: "users/create.json".to_owned(),
        status: Some(404),
        started_ms: 12.5,
        assertions: vec![
            assertion("status == 200", false, "404"),
            // A response's control bytes, as an actual value can carry them.
            assertion("jq .name == ada", false, "\u{1b}[2J<script>\u{7}"),
            assertion("header X exists", true, "1"),
        ],
        ..ok.clone()
    };
    let broken = RequestResult {
        folders: Vec::new(),
        name: "Health".to_owned(),
        file: "health.json".to_owned(),
        status: None,
        error: Some("cannot connect to 127.0.0.1:1".to_owned()),
        error_code: Some(4),
        assertions: Vec::new(),
        ..ok.clone()
    };
    RunResults {
        target: "shop".to_owned(),
        started_at_ms: 1_764_826_000_000,
        duration_ms: 40.0,
        iterations: vec![Iteration {
            number: 1,
            ..Iteration::default()
        }],
        requests: vec![ok, failed, broken],
        not_run: 0,
    }
}

#[test]
fn counts_tell_passed_failed_and_errors_apart() {
    let counts = results().counts();
    assert_eq!(
        counts,
        Counts {
            requests: 3,
            passed: 1,
            failed: 1,
            errors: 1,
            assertions: 4,
            assertions_failed: 2,
        }
    );
}

#[test]
fn junit_counts_agree_with_its_elements() {
    let xml = junit::render(&results());
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
    assert!(
        xml.contains("tests=\"3\" failures=\"1\" errors=\"1\""),
        "{xml}"
    );
    assert_eq!(xml.matches("<testsuite ").count(), 2, "{xml}");
    assert!(xml.contains("<testsuite name=\"Users\" tests=\"2\" failures=\"1\" errors=\"0\""));
    assert!(xml.contains("<testsuite name=\"shop\" tests=\"1\" failures=\"0\" errors=\"1\""));
    assert_eq!(xml.matches("<testcase ").count(), 3);
    assert_eq!(xml.matches("<failure ").count(), 1);
    assert_eq!(xml.matches("<error ").count(), 1);
    assert!(xml.contains("name=\"Create &lt;user&gt; &amp; &quot;friends&quot;\""));
    assert!(xml.contains("message=\"2 of 3 assertions failed\""));
    // Nothing XML 1.0 cannot hold, nothing that opens an element.
    assert!(!xml.contains('\u{1b}') && !xml.contains('\u{7}') && !xml.contains("<script>"));
    assert!(xml.contains("\\x1B[2J&lt;script&gt;\\x07"));
    assert!(xml.contains("time=\"0.013\""), "{xml}");
}

#[test]
fn junit_names_iterations_apart() {
    let mut run = results();
    let mut second = run.requests[0].clone();
    second.iteration = 2;
    run.requests.push(second);
    run.iterations.push(Iteration {
        number: 2,
        ..Iteration::default()
    });
    let xml = junit::render(&run);
    assert!(xml.contains("name=\"List users [iteration 1]\""));
    assert!(xml.contains("name=\"List users [iteration 2]\""));
}

#[test]
fn tap_has_a_plan_and_a_yaml_block_per_failure() {
    let tap = tap::render(&results());
    let lines: Vec<&str> = tap.lines().collect();
    assert_eq!(lines[0], "TAP version 14");
    assert_eq!(lines[1], "1..3");
    assert_eq!(lines[2], "ok 1 - Users / List users");
    assert!(tap.contains("not ok 2 - Users / Create <user> & \"friends\"\n  ---\n"));
    assert!(tap.contains(
        "    - assertion: \"status == 200\"\n      expected: \"== 200\"\n      actual: \"404\""
    ));
    assert!(
        tap.contains("actual: \"\\u001b[2J<script>\\u0007\""),
        "{tap}"
    );
    assert!(tap.contains("not ok 3 - Health\n  ---\n  message: \"cannot connect to 127.0.0.1:1\""));
    assert_eq!(tap.matches("  ...\n").count(), 2);
}

#[test]
fn json_lists_every_assertion_with_its_request() {
    let text = json::render(&results());
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["courier_report"], 1);
    assert_eq!(report["counts"]["failed"], 1);
    assert_eq!(report["requests"].as_array().unwrap().len(), 3);
    let failed = &report["requests"][1];
    assert_eq!(failed["file"], "users/create.json");
    assert_eq!(failed["assertions"][0]["passed"], false);
    assert_eq!(failed["assertions"][0]["expected"], "== 200");
    assert_eq!(failed["assertions"][0]["actual"], "404");
    assert_eq!(
        report["requests"][2]["error"],
        "cannot connect to 127.0.0.1:1"
    );
    assert!(report["requests"][2].get("status").is_none());
    assert_eq!(report["started_at"], "2025-12-04T05:26:40Z");
}

#[test]
fn html_is_one_page_with_a_chart_and_escaped_text() {
    let html = html::render(&results());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<rect ").count(), 3);
    assert!(html.contains("3 requests: <span class=\"passed\">1 passed</span>"));
    assert!(html.contains("Create &lt;user&gt;"));
    assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("href="));
    assert!(html.contains("<td class=\"failed\">2 of 3 assertions failed<ul><li>"));
}

#[test]
fn a_tap_title_escapes_its_backslashes_before_its_hashes() {
    let mut run = results();
    run.requests[2].name = r"Health #1 C:\".to_owned();
    let tap = tap::render(&run);
    assert!(tap.contains(r"not ok 3 - Health \#1 C:\\"), "{tap}");
}
