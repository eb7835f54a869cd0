//! Live validation of JSON bodies: the line and column the editor shows for a corpus of
//! invalid JSON (columns in characters, templates accepted), and a property over thousands of
//! broken documents: the error is never reported before the first character that changed.

use courier::body::json_format::check;

/// (text, line, column, what the message says). Columns count characters, so the non-ASCII
/// cases would be off if bytes were counted.
const CORPUS: &[(&str, usize, usize, &str)] = &[
    ("{\"a\": 1,,}", 1, 9, "key must be a string"),
    ("[1, 2,]", 1, 7, "expected value"),
    ("{\"é\": tru}", 1, 10, "expected ident"),
    ("{\"ä\": \"ö\", \"b\": ?}", 1, 17, "expected value"),
    ("{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, "expected `,` or `}`"),
    ("{\n  \"k\": [\n    1,\n  ]\n}", 4, 3, "expected value"),
    ("\"abc", 1, 4, "EOF while parsing a string"),
    ("{\"a\" 1}", 1, 6, "expected `:`"),
    ("{\"a\": 01}", 1, 8, "invalid number"),
    ("{\"a\": 1.}", 1, 9, "invalid number"),
    ("{\"a\": -}", 1, 8, "invalid number"),
    ("[1 2]", 1, 4, "expected `,` or `]`"),
    ("{\"a\": [1, 2}", 1, 12, "expected `,` or `]`"),
    ("{} x", 1, 4, "trailing characters"),
    ("{\"a\": 1}}", 1, 9, "trailing characters"),
    ("{\"a\": \"\\u12\"}", 1, 13, "invalid escape"),
    ("{\"a\":\"tab\there\"}", 1, 9, "control character"),
    ("[", 1, 1, "EOF while parsing a list"),
    ("{'a': 1}", 1, 2, "key must be a string"),
    ("{\"a\": nul}", 1, 10, "expected ident"),
    ("{\"a\": true false}", 1, 12, "expected `,` or `}`"),
    ("", 1, 1, "EOF while parsing a value"),
    // Templates stand for values and may sit inside strings; the positions are the user's.
    ("{\"a\": {{x}} {{y}}}", 1, 13, "expected `,` or `}`"),
    ("{\"id\": {{user_id}}, \"n\": tru}", 1, 29, "expected ident"),
    (
        "{\n  \"who\": \"{{first}} {{last}}\",\n  \"x\": ]\n}",
        3,
        8,
        "expected value",
    ),
    ("{\"a\": {{x}", 1, 7, "this `{{` is not closed by `}}`"),
    ("[\"{{open\", {{x}, 1]", 1, 12, "this `{{` is not closed"),
];

#[test]
fn the_corpus_reports_the_right_line_and_column() {
    for (text, line, column, message) in CORPUS {
        let error = check(text, true).expect_err(text);
        assert_eq!(
            (error.line, error.column),
            (*line, *column),
            "{text:?}: {error:?}"
        );
        assert!(error.message.contains(message), "{text:?}: {error:?}");
    }
}

#[test]
fn valid_bodies_with_templates_pass() {
    for text in [
        "{}",
        "[]",
        "{\"a\": {{x}}, \"b\": [{{y}}, \"{{z}} and {{w}}\"], \"c\": \"ünïcödé\"}",
        "{{whole_body}}",
        "  {\"n\": -1.5e3, \"big\": 123456789012345678901234567890}  \n",
    ] {
        assert_eq!(check(text, true), Ok(()), "{text:?}");
    }
}

/// (line, column) of character `index` of `text`, both 1-based.
fn position_of(text: &str, index: usize) -> (usize, usize) {
    let before: String = text.chars().take(index).collect();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

#[test]
fn an_error_is_never_reported_before_the_first_changed_character() {
    let documents = [
        "{\n  \"name\": \"Ada Lovelace\",\n  \"tags\": [\"math\", \"ünï\"],\n  \"n\": -1.5e3,\n  \"ok\": true,\n  \"none\": null,\n  \"id\": {{user_id}}\n}",
        "[1, {\"a\": [2, 3]}, \"x{{t}}y\", false]",
    ];
    let inserts = [',', ':', '{', '}', '[', ']', '"', 'x', '1', ' ', '\n', 'é'];
    let mut checked = 0;
    let mut errors = 0;
    for document in documents {
        assert_eq!(check(document, true), Ok(()));
        let chars: Vec<char> = document.chars().collect();
        for at in 0..=chars.len() {
            let mut mutations = Vec::new();
            if at < chars.len() {
                let mut deleted = chars.clone();
                deleted.remove(at);
                mutations.push(deleted);
            }
            for c in inserts {
                let mut inserted = chars.clone();
                inserted.insert(at, c);
                mutations.push(inserted);
            }
            for mutated in mutations {
                let text: String = mutated.into_iter().collect();
                checked += 1;
                if let Err(error) = check(&text, true) {
                    errors += 1;
                    // Breaking a template's braces is reported where the template starts.
                    if error.message.contains("`{{` is not closed") {
                        continue;
                    }
                    let changed = position_of(&text, at);
                    assert!(
                        (error.line, error.column) >= changed
                            || (error.line, error.column + 1) == changed,
                        "{text:?}: error at {}:{} but the first change is at {}:{}",
                        error.line,
                        error.column,
                        changed.0,
                        changed.1
                    );
                }
            }
        }
    }
    assert!(
        checked > 1000 && errors > 500,
        "{checked} checked, {errors} errors"
    );
}
