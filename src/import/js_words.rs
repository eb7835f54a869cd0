//! Just enough of JavaScript's lexical rules to read Postman test scripts: a script cut into
//! its top-level statements (strings, template literals, regular expressions and comments
//! respected), a call's argument up to its closing parenthesis, and literals (numbers,
//! strings, booleans, `null`, arrays of those, and a variable's getter such as
//! `pm.environment.get("x")`). Nothing is run.

/// A literal value of a script.
#[derive(Debug, Clone, PartialEq)]
pub enum JsValue {
    /// As written (`200`, `1.5`).
    Number(String),
    Text(String),
    Bool(bool),
    Null,
    List(Vec<JsValue>),
    /// `pm.environment.get("name")` and its siblings: the variable's name.
    Variable(String),
}

/// The script's top-level statements, each trimmed, comments dropped: cut at `;` and at line
/// ends outside brackets, strings and comments.
pub fn statements(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for next in chars.by_ref() {
                    if next == '\n' {
                        break;
                    }
                }
                end_statement(&mut out, &mut current, depth);
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut previous = ' ';
                for next in chars.by_ref() {
                    if previous == '*' && next == '/' {
                        break;
                    }
                    previous = next;
                }
                current.push(' ');
            }
            '"' | '\'' | '`' => {
                current.push(c);
                copy_string(&mut chars, c, &mut current);
            }
            '/' if regex_may_start(&current) => {
                current.push(c);
                copy_string(&mut chars, '/', &mut current);
            }
            '(' | '[' | '{' => {
                depth += 1;
                current.push(c);
            }
            ')' | ']' | '}' => {
                depth -= 1;
                current.push(c);
            }
            ';' if depth <= 0 => end_statement(&mut out, &mut current, 0),
            '\n' if depth <= 0 && !continues(&current, chars.clone()) => {
                end_statement(&mut out, &mut current, 0);
            }
            c => current.push(c),
        }
    }
    end_statement(&mut out, &mut current, 0);
    out
}

fn end_statement(out: &mut Vec<String>, current: &mut String, depth: i32) {
    if depth > 0 {
        current.push('\n');
        return;
    }
    let statement = current.trim();
    if !statement.is_empty() {
        out.push(statement.to_owned());
    }
    current.clear();
}

/// Whether a line break inside a statement does not end it: the next line goes on with a
/// member (`.to.eql(1)`) or the statement ends in an operator.
fn continues(current: &str, rest: std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    let mut rest = rest;
    let next = rest.find(|c| !c.is_whitespace());
    let last = current.trim_end().chars().last();
    matches!(next, Some('.' | ')' | ']' | '}' | '+' | '?' | ':' | ','))
        || matches!(
            last,
            Some('.' | '(' | '[' | '{' | ',' | '=' | '+' | '&' | '|' | '?' | ':')
        )
}

/// Whether a `/` here starts a regular expression (after an opening bracket, a comma or an
/// operator) rather than dividing.
fn regex_may_start(before: &str) -> bool {
    matches!(
        before.trim_end().chars().last(),
        None | Some('(' | ',' | '=' | ':' | '[' | '!' | '&' | '|' | '?' | '{' | '}' | ';')
    )
}

/// Copies a string (or regex) literal's rest, up to its closing `quote`, escapes and all.
fn copy_string(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    quote: char,
    out: &mut String,
) {
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '\\' {
            if let Some(escaped) = chars.next() {
                out.push(escaped);
            }
        } else if c == quote || (c == '\n' && quote != '`') {
            return;
        }
    }
}

/// The argument of a call whose `(` has been read: the text up to the matching `)`, and what
/// follows it.
pub fn call_argument(text: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        if let Some(open) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == open {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '/' if regex_may_start(&text[..at]) => quote = Some('/'),
            '(' | '[' | '{' => depth += 1,
            ')' if depth == 0 => return Some((&text[..at], &text[at + 1..])),
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The literal at the start of `text` (after spaces), and the rest after it.
pub fn literal(text: &str) -> Option<(JsValue, &str)> {
    literal_within(text, MAX_NESTING)
}

/// How deep lists may nest inside one another: far past what a test writes, and a bound on
/// the recursion a hostile script could ask for.
const MAX_NESTING: usize = 64;

fn literal_within(text: &str, nesting: usize) -> Option<(JsValue, &str)> {
    let text = text.trim_start();
    let first = text.chars().next()?;
    match first {
        '"' | '\'' | '`' => string(text, first),
        '[' => list(text, nesting.checked_sub(1)?),
        '-' | '0'..='9' => {
            let end = text[1..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E'))
                .map_or(text.len(), |at| at + 1);
            let number = &text[..end];
            number
                .parse::<f64>()
                .ok()
                .map(|_| (JsValue::Number(number.to_owned()), text[end..].trim_start()))
        }
        _ => keyword(text),
    }
}

fn keyword(text: &str) -> Option<(JsValue, &str)> {
    for (word, value) in [
        ("true", JsValue::Bool(true)),
        ("false", JsValue::Bool(false)),
        ("null", JsValue::Null),
    ] {
        if let Some(rest) = text.strip_prefix(word)
            && !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_')
        {
            return Some((value, rest.trim_start()));
        }
    }
    const GETTERS: &[&str] = &[
        "pm.environment.get(",
        "pm.variables.get(",
        "pm.collectionVariables.get(",
        "pm.globals.get(",
        "pm.iterationData.get(",
        "environment[",
        "globals[",
        "data[",
    ];
    let rest = GETTERS.iter().find_map(|g| text.strip_prefix(g))?;
    let (JsValue::Text(name), after) = literal(rest)? else {
        return None;
    };
    let after = after.strip_prefix([')', ']'])?;
    Some((JsValue::Variable(name), after.trim_start()))
}

fn string(text: &str, quote: char) -> Option<(JsValue, &str)> {
    let mut out = String::new();
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                let (_, escaped) = chars.next()?;
                out.extend(escape(escaped, &mut chars)?);
            }
            // A template literal with a substitution is not a literal.
            '$' if quote == '`' && text[at + 1..].starts_with('{') => return None,
            c if c == quote => return Some((JsValue::Text(out), text[at + 1..].trim_start())),
            c => out.push(c),
        }
    }
    None
}

/// The next `digits` characters as a hexadecimal number.
fn hex(chars: &mut Chars<'_>, digits: usize) -> Option<u32> {
    let text: String = (0..digits)
        .map_while(|_| chars.next().map(|(_, c)| c))
        .collect();
    let whole = text.chars().count() == digits && text.chars().all(|c| c.is_ascii_hexdigit());
    whole.then(|| u32::from_str_radix(&text, 16).ok())?
}

type Chars<'a> = std::iter::Peekable<std::iter::Skip<std::str::CharIndices<'a>>>;

/// The character a JavaScript escape (`\n`, `\x41`, `\u00e9`, `\u{1F600}`) stands for, or
/// `Some(None)` for a line continuation, which stands for nothing. None when it is one Courier
/// cannot read exactly (an octal escape, a lone surrogate): the string is then not converted
/// rather than converted wrong.
fn escape(escaped: char, chars: &mut Chars<'_>) -> Option<Option<char>> {
    Some(Some(match escaped {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'v' => '\u{b}',
        '0' if !chars.peek().is_some_and(|(_, c)| c.is_ascii_digit()) => '\0',
        '1'..='9' | '0' => return None,
        'x' => char::from_u32(hex(chars, 2)?)?,
        'u' if chars.next_if(|(_, c)| *c == '{').is_some() => {
            let digits: String = chars
                .by_ref()
                .map(|(_, c)| c)
                .take_while(|c| *c != '}')
                .collect();
            if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            char::from_u32(u32::from_str_radix(&digits, 16).ok()?)?
        }
        'u' => {
            let unit = hex(chars, 4)?;
            if (0xD800..0xDC00).contains(&unit) {
                // A high surrogate: its low half follows as a second `\uXXXX`.
                chars.next_if(|(_, c)| *c == '\\')?;
                chars.next_if(|(_, c)| *c == 'u')?;
                let low = hex(chars, 4)?;
                char::decode_utf16([unit as u16, low as u16]).next()?.ok()?
            } else {
                char::from_u32(unit)?
            }
        }
        '\n' | '\u{2028}' | '\u{2029}' => return Some(None),
        other => other,
    }))
}

fn list(text: &str, nesting: usize) -> Option<(JsValue, &str)> {
    let mut items = Vec::new();
    let mut rest = text[1..].trim_start();
    if let Some(after) = rest.strip_prefix(']') {
        return Some((JsValue::List(items), after.trim_start()));
    }
    loop {
        let (item, after) = literal_within(rest, nesting)?;
        items.push(item);
        let after = after.trim_start();
        if let Some(after) = after.strip_prefix(']') {
            return Some((JsValue::List(items), after.trim_start()));
        }
        rest = after.strip_prefix(',')?.trim_start();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_cut_outside_strings_brackets_and_comments() {
        let script = "var a = 1; // one; two\nlet b = \"x;y\"\npm.test('t', function () {\n  pm.expect(a)\n    .to.eql(1);\n});\n/* a; b */ c()";
        assert_eq!(
            statements(script),
            [
                "var a = 1",
                "let b = \"x;y\"",
                "pm.test('t', function () {\n  pm.expect(a)\n    .to.eql(1);\n})",
                "c()"
            ]
        );
    }

    #[test]
    fn literals_and_variable_getters() {
        assert_eq!(literal("200)"), Some((JsValue::Number("200".into()), ")")));
        assert_eq!(
            literal("'it\\'s'"),
            Some((JsValue::Text("it's".into()), ""))
        );
        assert_eq!(
            literal("[200, \"201\"]"),
            Some((
                JsValue::List(vec![
                    JsValue::Number("200".into()),
                    JsValue::Text("201".into())
                ]),
                ""
            ))
        );
        assert_eq!(
            literal("pm.environment.get(\"id\"))"),
            Some((JsValue::Variable("id".into()), ")"))
        );
        assert_eq!(literal("`a ${b}`"), None);
        assert_eq!(literal("trueish"), None);
    }

    #[test]
    fn string_escapes_are_read_as_javascript_reads_them_or_refused() {
        let text = |js: &str| match literal(js) {
            Some((JsValue::Text(text), "")) => Some(text),
            _ => None,
        };
        assert_eq!(
            text(r#""caf\u00e9 \x41\u{1F600}\uD83D\uDE00""#).as_deref(),
            Some("café A😀😀")
        );
        assert_eq!(text(r#""a\tb\\c\0""#).as_deref(), Some("a\tb\\c\0"));
        assert_eq!(text("\"one \\\ntwo\"").as_deref(), Some("one two"));
        for refused in [
            r#""\101""#,
            r#""\uD83D""#,
            r#""\xZZ""#,
            r#""\u{}""#,
            r#""\u{110000}""#,
        ] {
            assert_eq!(text(refused), None, "{refused}");
        }
    }

    #[test]
    fn lists_nest_only_so_deep() {
        let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        assert!(literal(&deep(64)).is_some());
        assert_eq!(
            literal(&deep(100_000)),
            None,
            "refused, not a stack overflow"
        );
    }

    #[test]
    fn a_call_s_argument_ends_at_its_own_parenthesis() {
        assert_eq!(
            call_argument("f(\")\"), 2).to.eql(3)"),
            Some(("f(\")\"), 2", ".to.eql(3)"))
        );
        assert_eq!(call_argument("/a)b/).x"), Some(("/a)b/", ".x")));
    }
}
