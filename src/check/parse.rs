//! An assertion's line read into its parts (see the module's note for the grammar).

use serde_json::Value;

/// What is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Status,
    Header(String),
    /// A query parameter of a request (a mock's rule, [`parse_rule`]).
    Query(String),
    Jq(String),
    /// A JSONPath as written, and the jq path it was read as.
    JsonPath {
        path: String,
        jq: String,
    },
    Duration,
    Size,
    Body,
}

/// Whether the predicate holds of the value, of how many there are, or of each of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    Value,
    Count,
    Each,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    Compare(Op, Value),
    Exists,
    NotExists,
    Type(String),
    Is(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    Matches,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Contains => "contains",
            Op::Matches => "matches",
        }
    }
}

/// One assertion, and the line it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Assertion {
    /// The line without its name.
    pub line: String,
    /// What the line says after ` # `: the test's name in the user's words (a Postman
    /// test's `pm.test` name, kept on import).
    pub name: Option<String>,
    pub subject: Subject,
    pub quantifier: Quantifier,
    pub predicate: Predicate,
}

/// What is wrong with a line, and at which column (1-based, in characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("column {column}: {message}")]
pub struct ParseError {
    pub column: usize,
    pub message: String,
}

const TYPES: &[&str] = &[
    "null", "boolean", "number", "integer", "string", "array", "object",
];
const FORMATS: &[&str] = &["uuid", "date", "email", "url"];

/// Reads one assertion line.
pub fn parse(line: &str) -> Result<Assertion, ParseError> {
    parse_with(line, &|word| Ok(word.to_owned()))
}

/// Reads a mock's rule: a line of the same language read against a request, so `query NAME`
/// is a subject and `status` and `duration` are not.
pub fn parse_rule(line: &str) -> Result<Assertion, ParseError> {
    let (line, name) = split_name(line);
    let render = |word: &str| Ok(word.to_owned());
    let mut words = Words::new(line, &render);
    let parsed = assertion(&mut words, line, Reads::Request).map(|mut assertion| {
        assertion.name = name.map(str::to_owned);
        assertion
    });
    match words.failed.take() {
        Some(err) => Err(err),
        None => parsed,
    }
}

/// What a line is read against: a response (an assertion) or a request (a mock's rule).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reads {
    Response,
    Request,
}

/// Turns a word of a line into what it stands for (its `{{templates}}` rendered), or says why
/// it cannot.
pub type RenderWord<'r> = dyn Fn(&str) -> Result<String, String> + 'r;

/// Reads one assertion line, each word rendered by `render` once the line is cut into words,
/// so a value with spaces or quotes (a data row's) stays one value.
pub fn parse_with(line: &str, render: &RenderWord<'_>) -> Result<Assertion, ParseError> {
    let (line, name) = split_name(line);
    let mut words = Words::new(line, render);
    let parsed = assertion(&mut words, line, Reads::Response).map(|mut assertion| {
        assertion.name = name.map(str::to_owned);
        assertion
    });
    match words.failed.take() {
        Some(err) => Err(err),
        None => parsed,
    }
}

fn assertion(words: &mut Words, line: &str, reads: Reads) -> Result<Assertion, ParseError> {
    let subject = subject(words)?;
    let wrong = match (&subject, reads) {
        (Subject::Query(_), Reads::Response) => {
            Some("`query` reads a request (a mock's rule); a response has none")
        }
        (Subject::Status, Reads::Request) => Some(
            "`status` is a response's; a mock's rule reads the request: query, header, body, \
             jq, jsonpath, size",
        ),
        (Subject::Duration, Reads::Request) => Some(
            "`duration` is a response's; a mock's rule reads the request: query, header, \
             body, jq, jsonpath, size",
        ),
        _ => None,
    };
    if let Some(message) = wrong {
        return Err(ParseError {
            column: line.len() - line.trim_start().len() + 1,
            message: message.to_owned(),
        });
    }
    let quantifier = match words.peek() {
        Some("count") => {
            words.next_word();
            Quantifier::Count
        }
        Some("each") => {
            words.next_word();
            Quantifier::Each
        }
        _ => Quantifier::Value,
    };
    let predicate = predicate(
        words,
        subject == Subject::Duration,
        subject == Subject::Size,
    )?;
    if let Some((column, extra)) = words.next_word() {
        return Err(ParseError {
            column,
            message: format!("`{extra}` after the end of the assertion"),
        });
    }
    Ok(Assertion {
        line: line.trim().to_owned(),
        name: None,
        subject,
        quantifier,
        predicate,
    })
}

/// Whether `name` can follow a dot in a jq path (`.items`) as it can in JavaScript: a letter
/// or `_`, then letters, digits and `_`.
pub fn is_plain_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// A line cut at its name: a `#` that starts a word outside quotes begins it
/// (`status == 200 # Status is OK`); the name is the rest, trimmed.
pub fn split_name(line: &str) -> (&str, Option<&str>) {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut previous: Option<char> = None;
    for (at, c) in line.char_indices() {
        match (quote, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some(open), '\\') => escaped = is_escape(open, line[at + 1..].chars().next()),
            (Some(open), c) if c == open => quote = None,
            (None, '"' | '\'') if previous.is_none_or(char::is_whitespace) => quote = Some(c),
            (None, '#') if previous.is_some_and(char::is_whitespace) => {
                let name = line[at + 1..].trim();
                return (line[..at].trim_end(), (!name.is_empty()).then_some(name));
            }
            _ => {}
        }
        previous = Some(c);
    }
    (line, None)
}

/// Inside `open` quotes, a backslash escapes only the quote and a backslash; any other stays
/// as written, so `matches "\d+"` is the regular expression as typed.
fn is_escape(open: char, next: Option<char>) -> bool {
    next.is_some_and(|next| next == open || next == '\\')
}

/// `text` as one quoted value of an assertion line, read back by [`parse`] as exactly `text`:
/// a quote is escaped, and a backslash where it would otherwise read as an escape.
pub fn quote(text: &str) -> String {
    quote_in(text, '"')
}

fn quote_in(text: &str, open: char) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(open);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == open || (c == '\\' && chars.peek().is_none_or(|&next| is_escape(open, Some(next))))
        {
            out.push('\\');
        }
        out.push(c);
    }
    out.push(open);
    out
}

/// `text` as one word of an assertion line: as it is when it has no spaces or quotes, else
/// quoted (see [`quote`]), in `'` when it holds `"` but no `'` (a jq filter's strings read
/// best that way); one that starts with `#` is quoted too, or it would read as a name.
pub fn word(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with('#')
        && !text.contains(|c: char| c.is_whitespace() || c == '"' || c == '\'');
    if plain {
        text.to_owned()
    } else if text.contains('"') && !text.contains('\'') {
        quote_in(text, '\'')
    } else {
        quote(text)
    }
}

/// The text of `word` as an assertion line reads it (the inverse of [`word`]); None when it
/// is not exactly one word.
pub fn unword(word: &str) -> Option<String> {
    let keep = |word: &str| Ok(word.to_owned());
    let mut words = Words::new(word, &keep);
    let (_, text, _) = words.next_raw()?;
    (words.failed.is_none() && words.peek().is_none()).then_some(text)
}

/// A capture: a subject, and a regular expression over its text when only part of it is
/// wanted (`header Set-Cookie regex "sid=([^;]+)"`: the first group, or the whole match).
#[derive(Debug, Clone)]
pub struct Capture {
    pub subject: Subject,
    pub pattern: Option<regex::Regex>,
}

/// Reads a capture: `SUBJECT [regex PATTERN]`.
pub fn parse_capture(line: &str) -> Result<Capture, ParseError> {
    let mut words = Words::new(line, &|word| Ok(word.to_owned()));
    let subject = subject(&mut words)?;
    let pattern = match words.next_word() {
        None => None,
        Some((_, word)) if word == "regex" => {
            let column = words.column();
            let (_, raw, _) = words.next_value().ok_or(ParseError {
                column,
                message: "`regex` needs a pattern".to_owned(),
            })?;
            let pattern = regex::Regex::new(&raw).map_err(|err| ParseError {
                column,
                message: format!("not a regular expression: {err}"),
            })?;
            Some(pattern)
        }
        Some((column, extra)) => {
            return Err(ParseError {
                column,
                message: format!("`{extra}` after the subject (only `regex PATTERN` may follow)"),
            });
        }
    };
    if let Some((column, extra)) = words.next_word() {
        return Err(ParseError {
            column,
            message: format!("`{extra}` after the pattern"),
        });
    }
    Ok(Capture { subject, pattern })
}

fn subject(words: &mut Words) -> Result<Subject, ParseError> {
    let (column, word) = words.next_word().ok_or(ParseError {
        column: 1,
        message: "an empty assertion".to_owned(),
    })?;
    let mut argument = |what: &str| {
        words.next_word().map(|(_, w)| w).ok_or(ParseError {
            column: column + word.chars().count() + 1,
            message: format!("`{word}` needs {what}"),
        })
    };
    Ok(match word.as_str() {
        "status" => Subject::Status,
        "duration" => Subject::Duration,
        "size" => Subject::Size,
        "body" => Subject::Body,
        "header" => Subject::Header(argument("a header's name")?),
        "query" => Subject::Query(argument("a query parameter's name")?),
        "jq" => Subject::Jq(argument("a filter")?),
        "jsonpath" => {
            let path = argument("a path")?;
            let jq = crate::body::jq::from_jsonpath(&path).ok_or(ParseError {
                column: column + word.chars().count() + 1,
                message: format!(
                    "`{path}`: a JSONPath of names, indexes and [*] (use jq for more)"
                ),
            })?;
            Subject::JsonPath { path, jq }
        }
        other => {
            return Err(ParseError {
                column,
                message: format!(
                    "`{other}` is not a subject: status, header NAME, jq FILTER, duration, size or body"
                ),
            });
        }
    })
}

fn predicate(words: &mut Words, duration: bool, size: bool) -> Result<Predicate, ParseError> {
    let end = words.column();
    let (column, word) = words.next_word().ok_or(ParseError {
        column: end,
        message: "no check: ==, !=, <, contains, matches, exists, type, is…".to_owned(),
    })?;
    let op = match word.as_str() {
        "exists" => return Ok(Predicate::Exists),
        "not" => {
            return match words.next_word() {
                Some((_, w)) if w == "exists" => Ok(Predicate::NotExists),
                _ => Err(ParseError {
                    column,
                    message: "`not` goes with `exists`".to_owned(),
                }),
            };
        }
        "type" => return named(words, column, "type", TYPES).map(Predicate::Type),
        "is" => return named(words, column, "format", FORMATS).map(Predicate::Is),
        "==" => Op::Eq,
        "!=" => Op::Ne,
        "<" => Op::Lt,
        "<=" => Op::Le,
        ">" => Op::Gt,
        ">=" => Op::Ge,
        "contains" => Op::Contains,
        "matches" => Op::Matches,
        other => {
            return Err(ParseError {
                column,
                message: format!(
                    "`{other}` is not a check: ==, !=, <, <=, >, >=, contains, matches, exists, not exists, type, is"
                ),
            });
        }
    };
    let (value_column, raw, quoted) = words.next_value().ok_or(ParseError {
        column: words.column(),
        message: format!("`{}` needs a value", op.as_str()),
    })?;
    if op == Op::Matches
        && let Err(err) = regex::Regex::new(&raw)
    {
        return Err(ParseError {
            column: value_column,
            message: format!("not a regular expression: {err}"),
        });
    }
    Ok(Predicate::Compare(
        op,
        value_of(&raw, quoted, duration, size).map_err(|message| ParseError {
            column: value_column,
            message,
        })?,
    ))
}

fn named(
    words: &mut Words,
    column: usize,
    what: &str,
    known: &[&str],
) -> Result<String, ParseError> {
    match words.next_word() {
        Some((_, name)) if known.contains(&name.as_str()) => Ok(name),
        _ => Err(ParseError {
            column,
            message: format!("a {what}: one of {}", known.join(", ")),
        }),
    }
}

/// A value as written: JSON when it reads as JSON, a duration or size where the subject is
/// one, else the text itself.
fn value_of(raw: &str, quoted: bool, duration: bool, size: bool) -> Result<Value, String> {
    if quoted {
        return Ok(Value::String(raw.to_owned()));
    }
    if duration && let Some(ms) = milliseconds(raw) {
        return Ok(Value::from(ms));
    }
    if size && let Some(bytes) = bytes(raw) {
        return Ok(Value::from(bytes));
    }
    Ok(serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_owned())))
}

/// `500ms`, `2s`, `1.5s`, `1m` as milliseconds.
fn milliseconds(text: &str) -> Option<f64> {
    let (number, scale) = [("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)]
        .iter()
        .find_map(|(unit, scale)| text.strip_suffix(unit).map(|n| (n, *scale)))?;
    number.parse::<f64>().ok().map(|n| n * scale)
}

/// `10kb`, `1MiB`, `512b` as bytes.
fn bytes(text: &str) -> Option<f64> {
    let lower = text.to_ascii_lowercase();
    let units = [
        ("kib", 1024.0),
        ("mib", 1_048_576.0),
        ("kb", 1000.0),
        ("mb", 1_000_000.0),
        ("b", 1.0),
    ];
    let (number, scale) = units
        .iter()
        .find_map(|(unit, scale)| lower.strip_suffix(unit).map(|n| (n.to_owned(), *scale)))?;
    number.parse::<f64>().ok().map(|n| n * scale)
}

/// The words of a line: separated by spaces, a word quoted with `"` or `'` may hold them.
struct Words<'a> {
    chars: Vec<char>,
    at: usize,
    render: &'a RenderWord<'a>,
    /// The first word that did not render.
    failed: Option<ParseError>,
}

impl<'a> Words<'a> {
    fn new(line: &str, render: &'a RenderWord<'a>) -> Self {
        Words {
            chars: line.chars().collect(),
            at: 0,
            render,
            failed: None,
        }
    }

    fn skip_spaces(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    /// The 1-based column the next word starts at.
    fn column(&mut self) -> usize {
        self.skip_spaces();
        self.at + 1
    }

    fn peek(&mut self) -> Option<&str> {
        let start = self.at;
        let word = self.next_value().map(|(_, w, _)| w);
        self.at = start;
        word.map(|w| match w.as_str() {
            "count" => "count",
            "each" => "each",
            _ => "",
        })
    }

    fn next_word(&mut self) -> Option<(usize, String)> {
        self.next_value().map(|(column, word, _)| (column, word))
    }

    /// The next word (rendered), where it starts, and whether it was quoted.
    fn next_value(&mut self) -> Option<(usize, String, bool)> {
        let (column, word, quoted) = self.next_raw()?;
        match (self.render)(&word) {
            Ok(rendered) => Some((column, rendered, quoted)),
            Err(message) => {
                self.failed.get_or_insert(ParseError { column, message });
                Some((column, word, quoted))
            }
        }
    }

    fn next_raw(&mut self) -> Option<(usize, String, bool)> {
        let column = self.column();
        let first = *self.chars.get(self.at)?;
        if first == '"' || first == '\'' {
            let mut word = String::new();
            self.at += 1;
            while let Some(&c) = self.chars.get(self.at) {
                self.at += 1;
                match c {
                    '\\' if is_escape(first, self.chars.get(self.at).copied()) => {
                        word.extend(self.chars.get(self.at));
                        self.at += 1;
                    }
                    c if c == first => return Some((column, word, true)),
                    c => word.push(c),
                }
            }
            self.failed.get_or_insert(ParseError {
                column,
                message: format!("the quote {first} opened here is not closed"),
            });
            return Some((column, word, true));
        }
        let mut word = String::new();
        while let Some(&c) = self.chars.get(self.at).filter(|c| !c.is_whitespace()) {
            word.push(c);
            self.at += 1;
        }
        Some((column, word, false))
    }
}
