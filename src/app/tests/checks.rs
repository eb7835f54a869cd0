//! The Tests tab as a user drives it: `a` on a JSON line adds an assertion on its value to
//! the request's draft (once), the runtime's verdict lands on the response, and captured
//! values become session values.

use super::*;
use crate::app::ResponseTab;
use crate::check::AssertionResult;

/// "Big JSON" answered with two records, the response pane focused on the Pretty view.
fn answered() -> (App, ExchangeId) {
    let mut app = demo_app_160x45();
    select(&mut app, "Big JSON (5 MB)");
    let exchange = sent_exchange(&ctrl(&mut app, 'r'));
    let now = Instant::now();
    let body = br#"{"items":[{"id":0,"name":"user-0"},{"id":1,"name":"user \"one\""}]}"#;
    for event in [
        EngineEvent::Started {
            id: exchange,
            request: sent(),
        },
        EngineEvent::Head {
            id: exchange,
            head: head(200, "application/json"),
        },
        EngineEvent::Chunk {
            id: exchange,
            bytes: Bytes::from_static(body),
        },
        EngineEvent::Done {
            id: exchange,
            summary: Summary::default(),
        },
    ] {
        engine(&mut app, event, now);
    }
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::Response);
    (app, exchange)
}

/// Plays the runtime for `a`: finds the value on the line and answers.
fn run_value_at(app: &mut App, cmds: &[Cmd]) -> Vec<Cmd> {
    let [Cmd::ValueAt { exchange, line }] = cmds else {
        panic!("{cmds:?}")
    };
    let body = app.body_of(*exchange).unwrap();
    let found = crate::body::json_path::at_line(&body, *line);
    app.update(
        Msg::ValueAt {
            exchange: *exchange,
            found,
        },
        Instant::now(),
    )
}

fn asserts(app: &App) -> Vec<String> {
    let path = app.selected_request().unwrap().to_owned();
    app.request_view(&path).unwrap().request.asserts.clone()
}

#[test]
fn a_on_a_json_line_asserts_its_value_at_its_path() {
    let (mut app, _) = answered();
    let before = asserts(&app).len();
    let added = |app: &App| asserts(app)[before..].to_vec();
    // Line 0 is `{`, 1 `"items": [`, 2 `{`, 3 `"id": 0`; line 8 is the second name.
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('j'));
    }
    let cmds = key(&mut app, KeyCode::Char('a'));
    let cmds = run_value_at(&mut app, &cmds);
    assert!(matches!(&cmds[..], [Cmd::DraftsChanged]), "{cmds:?}");
    assert_eq!(added(&app), ["jq .items[0].id == 0"]);
    assert!(app.is_dirty(app.selected_request().unwrap()));

    for _ in 0..5 {
        key(&mut app, KeyCode::Char('j'));
    }
    let cmds = key(&mut app, KeyCode::Char('a'));
    run_value_at(&mut app, &cmds);
    assert_eq!(
        added(&app),
        [
            "jq .items[0].id == 0",
            "jq .items[1].name == \"user \\\"one\\\"\""
        ]
    );
    // Every line it writes is one Courier reads back.
    for line in asserts(&app) {
        crate::check::parse(&line).unwrap_or_else(|e| panic!("{line}: {e}"));
    }
    let cmds = key(&mut app, KeyCode::Char('a'));
    run_value_at(&mut app, &cmds);
    assert_eq!(
        added(&app).len(),
        2,
        "the same assertion is not added twice"
    );
}

#[test]
fn a_outside_the_pretty_json_says_where_it_works() {
    let (mut app, _) = answered();
    app.inspector.tab = ResponseTab::Headers;
    let cmds = key(&mut app, KeyCode::Char('a'));
    assert!(cmds.is_empty());
    assert!(
        app.notice
            .as_deref()
            .is_some_and(|n| n.contains("pretty JSON"))
    );
}

#[test]
fn the_verdict_lands_on_its_response_and_captures_become_session_values() {
    let (mut app, exchange) = answered();
    let failed = AssertionResult {
        line: "status == 201".to_owned(),
        name: "Created".to_owned(),
        passed: false,
        expected: "== 201".to_owned(),
        actual: "200".to_owned(),
        at: "status".to_owned(),
    };
    app.update(
        Msg::Checked {
            exchange,
            results: vec![failed.clone()],
            captured: vec![("first".to_owned(), "user-0".to_owned())],
        },
        Instant::now(),
    );
    let response = app.current_response().unwrap();
    let tests = response.tests.as_ref().unwrap();
    assert_eq!(tests.results, [failed]);
    assert_eq!(tests.failed(), 1);
    assert_eq!(app.session_values()["first"], "user-0");
}

/// The screen as drawn, one line per row.

#[test]
fn the_tests_tab_shows_a_failure_beside_what_came_and_the_captures() {
    let (mut app, exchange) = answered();
    app.inspector.tab = ResponseTab::Tests;
    assert!(drawn(&app).contains("◌ checking…"), "{}", drawn(&app));
    let result = |line: &str, passed: bool, actual: &str| AssertionResult {
        line: line.to_owned(),
        name: String::new(),
        passed,
        expected: "== 201".to_owned(),
        actual: actual.to_owned(),
        at: "status".to_owned(),
    };
    app.update(
        Msg::Checked {
            exchange,
            results: vec![
                result("status == 201", false, "200 \u{1b}[2J"),
                result("jq .items count == 2", true, "2"),
            ],
            captured: vec![("first".to_owned(), "user-0".to_owned())],
        },
        Instant::now(),
    );
    let screen = drawn(&app);
    assert!(screen.contains("✗ 1 of 2 tests failed"), "{screen}");
    assert!(screen.contains("✗ 1 of 2 failed"), "{screen}");
    assert!(screen.contains("✗ status == 201"), "{screen}");
    assert!(
        screen.contains("expected == 201, got 200 ␛[2J (at status)"),
        "bytes from the response are shown as symbols: {screen}"
    );
    assert!(screen.contains("✓ jq .items count == 2"), "{screen}");
    assert!(screen.contains("first = user-0"), "{screen}");
}

/// Every value of a body whose keys and strings are full of quotes, backslashes, `#` and line
/// breaks: the assertion `a` writes for it parses and passes against that body.
#[test]
fn the_assertion_a_writes_holds_for_awkward_keys_and_strings() {
    use crate::body::json_path::at_line;
    use crate::body::store::BodyStore;
    let value = serde_json::json!({
        "it's": "C:\\dir\\",
        "say \"hi\"": "a\\\"b",
        "a b": ["#hash", "\\d+", "line\nbreak", "tab\there", "it's \"quoted\""],
        "n": 1.5,
        "nested": {"#": null, "ok": true}
    });
    let text = serde_json::to_string(&value).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let body = BodyStore::shared(dir.path().to_owned(), 1 << 20);
    {
        let mut store = crate::body::store::lock(&body);
        store.set_content_type("application/json");
        store.push(text.as_bytes(), std::time::Duration::ZERO);
        store.finish(std::time::Duration::ZERO);
    }
    let headers = Vec::new();
    let response = crate::check::Response {
        status: 200,
        headers: &headers,
        body: text.as_bytes(),
        duration_ms: 1.0,
        query: &[],
    };
    let mut checked = 0;
    for line in 0..40 {
        let Some(found) = at_line(&body, line) else {
            continue;
        };
        let assertion = crate::app::checks::assertion_for(&found);
        let parsed = crate::check::parse(&assertion).unwrap_or_else(|e| panic!("{assertion}: {e}"));
        let result = crate::check::evaluate(&parsed, &response);
        assert!(result.passed, "{assertion}: {result:?}");
        checked += 1;
    }
    assert_eq!(checked, 13, "every value of the body was asserted");
}
