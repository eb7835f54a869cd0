//! Assertions parsed and checked against one response: every subject, operator and format,
//! `count` and `each`, what a failure says, and lines that do not parse naming their column.

use super::*;

fn response() -> (Vec<(String, String)>, &'static [u8]) {
    let headers = vec![
        (
            "Content-Type".to_owned(),
            "application/json; charset=utf-8".to_owned(),
        ),
        ("X-Count".to_owned(), "3".to_owned()),
    ];
    let body: &[u8] = br#"{"items": [{"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "n": 1, "at": "2024-01-01T00:00:00Z"},
        {"id": "0b0c5e1d-1111-4a2b-9c3d-222233334444", "n": 2, "at": "2024-01-02"}],
        "owner": {"email": "ada@example.com", "site": "https://example.com"}, "next": null, "total": 2}"#;
    (headers, body)
}

fn check(line: &str) -> Checked {
    let (headers, body) = response();
    let response = Response {
        status: 201,
        headers: &headers,
        body,
        duration_ms: 42.0,
        query: &[],
    };
    let assertion = parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
    evaluate(&assertion, &response)
}

#[test]
fn every_subject_and_operator() {
    let passing = [
        "status == 201",
        "status >= 200",
        "status < 300",
        "status != 404",
        "header Content-Type contains json",
        "header content-type matches ^application/json",
        "header X-Count == 3",
        "header X-Missing not exists",
        "jq .total == 2",
        "jq .items count == 2",
        "jq \".items[] | .n\" count == 2",
        "jq .items each type object",
        "jq .items[].id each is uuid",
        "jq .items[].at each is date",
        "jq .owner.email is email",
        "jq .owner.site is url",
        "jq .owner.email == \"ada@example.com\"",
        "jq .next not exists",
        "jq .owner exists",
        "jq .owner contains email",
        "jq .owner count == 2",
        "jq .total type integer",
        "duration < 500ms",
        "duration <= 1s",
        "size < 1kb",
        "size > 100b",
        "body contains ada@",
        "jsonpath $.items[*].id each is uuid",
        "jsonpath $.items count == 2",
        "jsonpath $['owner'].email is email",
    ];
    for line in passing {
        let checked = check(line);
        assert!(
            checked.passed,
            "{line}: expected {}, got {}",
            checked.expected, checked.actual
        );
    }
}

#[test]
fn a_failure_says_what_was_expected_what_came_and_where() {
    let checked = check("jq .items[0].n == 5");
    assert!(!checked.passed);
    assert_eq!(
        (
            checked.at.as_str(),
            checked.expected.as_str(),
            checked.actual.as_str()
        ),
        ("jq .items[0].n", "== 5", "1")
    );
    let each = check("jq \".items[] | .n\" each < 2");
    assert_eq!(
        each.actual, "[1]: 2",
        "the first element that fails, by index"
    );
    let count = check("jq .items count == 3");
    assert_eq!(
        (count.expected.as_str(), count.actual.as_str()),
        ("count == 3", "2")
    );
    let missing = check("header X-Missing == 1");
    assert_eq!(missing.actual, "nothing (it does not exist)");
    let not_json = Response {
        status: 200,
        headers: &[],
        body: b"<html>",
        duration_ms: 1.0,
        query: &[],
    };
    let failed = evaluate(&parse("jq .a == 1").expect("parsed"), &not_json);
    assert!(
        !failed.passed && failed.actual.contains("not JSON"),
        "{failed:?}"
    );
    let bad_filter = check("jq .a[ == 1");
    assert!(!bad_filter.passed, "{bad_filter:?}");
}

#[test]
fn lines_that_do_not_parse_say_which_column() {
    let cases = [
        ("", 1, "an empty assertion"),
        ("stauts == 200", 1, "not a subject"),
        ("status", 7, "no check"),
        ("status ~= 200", 8, "not a check"),
        ("status ==", 10, "needs a value"),
        ("header", 8, "needs a header's name"),
        ("jq .a type float", 7, "a type: one of"),
        ("jq .a is phone", 7, "a format: one of"),
        ("body matches (", 14, "not a regular expression"),
        ("status == 200 extra", 15, "after the end"),
        ("jq .a not there", 7, "`not` goes with `exists`"),
        (r#"body == "C:\dir\""#, 9, "not closed"),
        (
            "jsonpath $..id exists",
            10,
            "a JSONPath of names, indexes and [*]",
        ),
    ];
    for (line, column, says) in cases {
        let err = parse(line).expect_err(line);
        assert_eq!(err.column, column, "{line}: {err}");
        assert!(err.message.contains(says), "{line}: {err}");
    }
}

#[test]
fn captures_take_a_subject_s_value_as_text() {
    let (headers, body) = response();
    let response = Response {
        status: 201,
        headers: &headers,
        body,
        duration_ms: 42.0,
        query: &[],
    };
    let take = |line: &str| capture(&parse_capture(line).expect(line), &response);
    assert_eq!(take("jq .owner.email"), Ok("ada@example.com".to_owned()));
    assert_eq!(take("jq .total"), Ok("2".to_owned()));
    assert_eq!(take("header x-count"), Ok("3".to_owned()));
    assert_eq!(take("status"), Ok("201".to_owned()));
    assert_eq!(take("jsonpath $.items[*].n"), Ok("[1,2]".to_owned()));
    assert!(take("header X-Missing").is_err());
    // A regular expression takes part of the text: its first group, or the whole match.
    assert_eq!(
        take(r#"header content-type regex "charset=([\w-]+)""#),
        Ok("utf-8".to_owned())
    );
    assert_eq!(take("jq .owner.site regex https?"), Ok("https".to_owned()));
    assert_eq!(
        take("jq .owner.email regex ^x"),
        Err("`^x` does not match \"ada@example.com\"".to_owned())
    );
    let err = parse_capture("jq .a == 1").unwrap_err();
    assert_eq!(err.column, 7, "a capture is a subject alone: {err}");
    let err = parse_capture("body regex (").unwrap_err();
    assert!(err.message.starts_with("not a regular expression"), "{err}");
    assert_eq!(err.column, 12);
}

#[test]
fn words_render_after_the_line_is_cut_so_values_stay_whole() {
    let values = |word: &str| -> Result<String, String> {
        Ok(match word {
            "{{name}}" => "grace, \"h\" hopper".to_owned(),
            "{{n}}" => "3".to_owned(),
            "{{missing}}" => return Err("no variable `missing`".to_owned()),
            other => other.to_owned(),
        })
    };
    let (headers, body) = response();
    let response = Response {
        status: 201,
        headers: &headers,
        body,
        duration_ms: 42.0,
        query: &[],
    };
    let name = parse_with("jq .owner.name == {{name}}", &values).unwrap();
    assert_eq!(
        evaluate(&name, &response).expected,
        "== \"grace, \\\"h\\\" hopper\""
    );
    let count = parse_with("jq .items count < {{n}}", &values).unwrap();
    assert!(
        evaluate(&count, &response).passed,
        "a bare number renders as a number"
    );
    let err = parse_with("status == {{missing}}", &values).unwrap_err();
    assert_eq!(err.column, 11);
    assert_eq!(err.message, "no variable `missing`");
}

#[test]
fn a_line_may_end_with_its_name() {
    let named = parse("status == 200 # Status code is 200").unwrap();
    assert_eq!(named.line, "status == 200");
    assert_eq!(named.name.as_deref(), Some("Status code is 200"));
    // A `#` inside a word or quotes is part of the value.
    let quoted = parse(r#"body contains "a # b""#).unwrap();
    assert_eq!(quoted.name, None);
    assert_eq!(split_name("jq .tag == a#b"), ("jq .tag == a#b", None));
    assert_eq!(split_name("status == 200 #"), ("status == 200", None));
}

#[test]
fn quoted_values_escape_only_the_quote_and_a_backslash() {
    let text_of = |line: &str| match parse(line).unwrap_or_else(|e| panic!("{line}: {e}")) {
        Assertion {
            predicate: Predicate::Compare(_, value),
            ..
        } => value,
        other => panic!("{other:?}"),
    };
    let awkward = [
        r"C:\dir\",
        r#"a\"b"#,
        r"\d+\.\\",
        "it's \"both\" # not a name",
        "#",
        "",
    ];
    for text in awkward {
        for line in [
            format!("body == {}", quote(text)),
            format!("body == {}", word(text)),
        ] {
            let value = text_of(&format!("{line} # named"));
            assert_eq!(value, serde_json::Value::from(text), "{line}");
            assert_eq!(
                split_name(&format!("{line} # named")).1,
                Some("named"),
                "{line}"
            );
        }
    }
    assert_eq!(
        quote(r"\d+"),
        r#""\d+""#,
        "a regular expression reads as typed"
    );
}

#[test]
fn a_mock_rule_reads_a_request_and_its_query() {
    let rule = super::parse_rule("query page == 2").unwrap();
    assert_eq!(rule.subject, Subject::Query("page".to_owned()));
    let query = vec![("page".to_owned(), "2".to_owned())];
    let request = Response {
        status: 0,
        headers: &[],
        body: b"",
        duration_ms: 0.0,
        query: &query,
    };
    assert!(evaluate(&rule, &request).passed);
    let missing = super::parse_rule("query sort exists").unwrap();
    assert!(!evaluate(&missing, &request).passed);
    let status = super::parse_rule("status == 200").unwrap_err();
    assert!(
        status.message.contains("a mock's rule reads the request"),
        "{status:?}"
    );
    assert_eq!(status.column, 1);
    let duration = super::parse_rule("  duration < 5").unwrap_err();
    assert_eq!(duration.column, 3);
    let on_response = parse("query page == 2").unwrap_err();
    assert!(
        on_response.message.contains("a response has none"),
        "{on_response:?}"
    );
}
