//! jq filters over JSON bodies, with jaq: compiling a filter (with errors that say what was
//! expected and where), parsing a body once, and running a filter over it with its output
//! pretty-printed, stopping early when the caller no longer wants the result (a newer filter
//! was typed) or when the output grows past a cap. An event stream (SSE, NDJSON, a WebSocket
//! session's frames) is a stream of inputs, as `jq` takes several values: each event whose
//! data is JSON is one, taken in as it arrives, and the filter runs over each in turn.

use std::collections::VecDeque;

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;

/// Output kept from one run; the rest is cut, and the cut is said.
const MAX_OUTPUT: usize = 16 * 1024 * 1024;

/// A body parsed for jq: one value, or an event stream's JSON events, each with its place
/// in the stream (counted from its first event, dropped ones too).
pub struct JqInput {
    values: VecDeque<(u64, Val)>,
    /// Events taken in so far, JSON or not: the next one's place.
    taken: u64,
    stream: bool,
}

impl JqInput {
    /// An empty stream of inputs, for events to be taken in as they come.
    pub fn stream() -> JqInput {
        JqInput {
            values: VecDeque::new(),
            taken: 0,
            stream: true,
        }
    }

    /// Takes in the data of the event at `place`: an input when it is JSON, skipped
    /// otherwise.
    pub fn take_event(&mut self, place: u64, data: &str) {
        if let Ok(value) = jaq_json::read::parse_single(data.as_bytes()) {
            self.values.push_back((place, value));
        }
        self.taken = place + 1;
    }

    /// An event stream's inputs, not a body's one value.
    pub fn is_stream(&self) -> bool {
        self.stream
    }

    /// Events taken in so far (the place of the next).
    pub fn taken(&self) -> u64 {
        self.taken
    }

    /// Forgets the inputs from events before place `first` (the stream dropped them).
    pub fn forget_before(&mut self, first: u64) {
        while self.values.front().is_some_and(|(place, _)| *place < first) {
            self.values.pop_front();
        }
    }

    /// How many inputs there are.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Why a filter gave no output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JqError {
    /// The body does not parse as JSON (jaq says where).
    #[error("the body is not JSON: {0}")]
    NotJson(String),
    /// The filter does not parse or compile: what was expected, at which column.
    #[error("{0}")]
    Filter(String),
    /// The filter failed on this input (`.a` of a number, `error("…")`).
    #[error("jq error: {0}")]
    Run(String),
    /// An output value could not be written out as JSON.
    #[error("cannot write the result")]
    Write,
    /// jq runs on whole bodies; this one is still arriving.
    #[error("the body is still arriving; jq runs once it is complete")]
    Unfinished,
    /// The body is past what jq may hold in memory.
    #[error("jq takes bodies up to {limit_mb} MB; this one is {size_mb} MB")]
    TooBig { limit_mb: u64, size_mb: u64 },
}

/// What a filter gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JqOutput {
    /// Each output value pretty-printed, one after another.
    pub text: String,
    pub values: usize,
    /// The output went past the cap and was cut.
    pub cut: bool,
    /// Over a stream: the inputs it ran over, how many of them it failed on, and the
    /// first failure with the event's number (1-based), as `jq` goes on after an error.
    pub inputs: Option<usize>,
    pub failed: usize,
    pub first_failure: Option<String>,
}

/// A JSONPath of names, indexes and wildcards (`$.items[*].id`, `$['a-b'][0]`) as the jq
/// path that selects the same values (`.items[].id`, `.["a-b"][0]`); None for what jq paths
/// cannot say so simply (filters `[?(…)]`, slices, recursive descent `..`).
pub fn from_jsonpath(path: &str) -> Option<String> {
    let mut rest = path.trim().strip_prefix('$')?;
    let mut out = String::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix(".*").or_else(|| rest.strip_prefix("[*]")) {
            out.push_str("[]");
            rest = after;
        } else if let Some(after) = rest.strip_prefix('.') {
            if after.starts_with('.') {
                return None;
            }
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let name = &after[..end];
            if name.is_empty() {
                return None;
            }
            push_key(&mut out, name);
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let inner = after[..end].trim();
            match inner
                .strip_prefix(['\'', '"'])
                .and_then(|i| i.strip_suffix(['\'', '"']))
            {
                Some(key) => push_key(&mut out, key),
                None if !inner.is_empty()
                    && inner.chars().all(|c| c.is_ascii_digit() || c == '-') =>
                {
                    out.push_str(&format!("[{inner}]"));
                }
                None => return None,
            }
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(if out.is_empty() { ".".to_owned() } else { out })
}

/// `.name`, or `.["odd name"]` for a key jq would not read bare.
fn push_key(out: &mut String, key: &str) {
    let bare = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if bare {
        out.push('.');
        out.push_str(key);
    } else {
        out.push_str(&format!(".[{}]", serde_json::Value::String(key.to_owned())));
    }
}

/// Parses a JSON body for filtering.
pub fn parse(body: &[u8]) -> Result<JqInput, JqError> {
    jaq_json::read::parse_single(body)
        .map(|value| JqInput {
            values: VecDeque::from([(0, value)]),
            taken: 1,
            stream: false,
        })
        .map_err(|error| JqError::NotJson(error.to_string()))
}

/// Runs `filter` over `input`. `wanted` is asked between output values; once it says no, the
/// run stops and returns None.
pub fn run(
    filter: &str,
    input: &JqInput,
    wanted: impl Fn() -> bool,
) -> Option<Result<JqOutput, JqError>> {
    let mut output = JqOutput {
        text: String::new(),
        values: 0,
        cut: false,
        inputs: input.stream.then_some(input.len()),
        failed: 0,
        first_failure: None,
    };
    let pretty = jaq_json::write::Pp {
        indent: Some("  ".to_owned()),
        sep_space: true,
        ..Default::default()
    };
    let mut abandoned = false;
    let mut failure = None;
    let ran = for_each(filter, input, |value| {
        let value = match value {
            Ok(value) => value,
            Err((place, error)) => {
                output.failed += 1;
                output
                    .first_failure
                    .get_or_insert_with(|| format!("event {}: {error}", place + 1));
                return true;
            }
        };
        if !wanted() {
            abandoned = true;
            return false;
        }
        match write(&pretty, &value) {
            Ok(text) => {
                output.text.push_str(&text);
                output.text.push('\n');
                output.values += 1;
                output.cut = output.text.len() > MAX_OUTPUT;
                !output.cut
            }
            Err(error) => {
                failure = Some(error);
                false
            }
        }
    });
    if abandoned {
        return None;
    }
    Some(ran.and(failure.map_or(Ok(()), Err)).map(|()| output))
}

/// Runs `filter` over `input` and gives each output value as compact JSON, at most `limit`
/// of them: for taking a value out of a body (request chaining).
pub fn compact_values(filter: &str, input: &JqInput, limit: usize) -> Result<Vec<String>, JqError> {
    let compact = jaq_json::write::Pp::default();
    let mut values = Vec::new();
    let mut failure = None;
    for_each(filter, input, |value| {
        match value.map(|v| write(&compact, &v)) {
            Err((_, error)) => {
                failure = Some(error);
                false
            }
            Ok(Ok(text)) => {
                values.push(text);
                values.len() < limit
            }
            Ok(Err(error)) => {
                failure = Some(error);
                false
            }
        }
    })?;
    failure.map_or(Ok(values), Err)
}

fn write(pp: &jaq_json::write::Pp, value: &Val) -> Result<String, JqError> {
    let mut bytes = Vec::new();
    jaq_json::write::write(&mut bytes, pp, 0, value).map_err(|_| JqError::Write)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Compiles `filter` and hands each output value of it over each of `input`'s values to
/// `visit`, which says whether it wants more. A filter that does not compile is an error; one
/// that fails on a single body too. Over a stream, a failure on one input is handed to
/// `visit` with the input's place, and the next input's turn comes.
fn for_each(
    filter: &str,
    input: &JqInput,
    mut visit: impl FnMut(Result<Val, (u64, JqError)>) -> bool,
) -> Result<(), JqError> {
    let program = File {
        code: filter,
        path: (),
    };
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let loader = Loader::new(defs);
    let arena = Arena::default();
    let modules = loader
        .load(&arena, program)
        .map_err(|errors| JqError::Filter(load_error(filter, errors)))?;
    let compiled = Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errors| {
            errors
                .into_iter()
                .flat_map(|(_, undefined)| undefined)
                .map(|(name, kind)| {
                    format!(
                        "undefined {} `{name}` at column {}",
                        kind.as_str(),
                        column(filter, name)
                    )
                })
                .next()
                .unwrap_or_else(|| "the filter does not compile".to_owned())
        })
        .map_err(JqError::Filter)?;
    for (place, value) in &input.values {
        let ctx = Ctx::<data::JustLut<Val>>::new(&compiled.lut, Vars::new([]));
        for value in compiled.id.run((ctx, value.clone())).map(unwrap_valr) {
            let value = match value {
                Ok(value) => Ok(value),
                Err(error) if input.stream => Err((*place, JqError::Run(error.to_string()))),
                Err(error) => return Err(JqError::Run(error.to_string())),
            };
            let failed = value.is_err();
            if !visit(value) {
                return Ok(());
            }
            if failed {
                break; // jq goes on with the next input
            }
        }
    }
    Ok(())
}

/// The 1-based column where `rest`, a piece of `code`, starts.
fn column(code: &str, rest: &str) -> usize {
    let offset = (rest.as_ptr() as usize).saturating_sub(code.as_ptr() as usize);
    code.get(..offset.min(code.len()))
        .map_or(1, |before| before.chars().count() + 1)
}

fn load_error(code: &str, errors: jaq_core::load::Errors<&str, ()>) -> String {
    use jaq_core::load::Error;
    let Some((_, error)) = errors.into_iter().next() else {
        return "the filter does not parse".to_owned();
    };
    match error {
        Error::Lex(errors) => errors
            .first()
            .map(|(expect, rest)| {
                format!(
                    "expected {} at column {}",
                    expect.as_str(),
                    column(code, rest)
                )
            })
            .unwrap_or_default(),
        Error::Parse(errors) => errors
            .first()
            .map(|(expect, rest)| {
                let found = if rest.is_empty() {
                    "the end".to_owned()
                } else {
                    format!("column {}", column(code, rest))
                };
                format!("expected {} at {found}", expect.as_str())
            })
            .unwrap_or_default(),
        Error::Io(errors) => errors
            .first()
            .map(|(path, why)| format!("cannot load {path}: {why}"))
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jsonpath_of_names_indexes_and_wildcards_reads_as_a_jq_path() {
        assert_eq!(from_jsonpath("$").as_deref(), Some("."));
        assert_eq!(
            from_jsonpath("$.data.items[0].id").as_deref(),
            Some(".data.items[0].id")
        );
        assert_eq!(
            from_jsonpath("$.items[*].id").as_deref(),
            Some(".items[].id")
        );
        assert_eq!(from_jsonpath("$['a-b'].c").as_deref(), Some(".[\"a-b\"].c"));
        assert_eq!(from_jsonpath("$.a.*").as_deref(), Some(".a[]"));
        for unsupported in ["$..id", "$.a[?(@.b)]", "$.a[1:2]", "a.b", "$."] {
            assert_eq!(from_jsonpath(unsupported), None, "{unsupported}");
        }
    }

    fn jq(filter: &str, body: &str) -> Result<JqOutput, String> {
        let input = parse(body.as_bytes()).map_err(|error| error.to_string())?;
        run(filter, &input, || true)
            .unwrap()
            .map_err(|error| error.to_string())
    }

    #[test]
    fn a_filter_picks_and_shapes_values_pretty_printed() {
        let body = r#"{"items": [{"id": 1, "name": "ada"}, {"id": 2, "name": "bob"}]}"#;
        let out = jq(".items[] | select(.id > 1) | {name}", body).unwrap();
        assert_eq!(out.text, "{\n  \"name\": \"bob\"\n}\n");
        assert_eq!(out.values, 1);
        let out = jq(".items | map(.name) | join(\", \")", body).unwrap();
        assert_eq!(out.text, "\"ada, bob\"\n");
        let out = jq(".items | length", body).unwrap();
        assert_eq!(out.text, "2\n");
    }

    #[test]
    fn errors_say_what_and_where() {
        let body = r#"{"a": 1}"#;
        let error = jq(".a |", body).unwrap_err();
        assert!(error.contains("expected"), "{error}");
        let error = jq(".a | nosuchfn", body).unwrap_err();
        assert!(
            error.contains("undefined filter `nosuchfn` at column 6"),
            "{error}"
        );
        let error = jq(".a | .[0]", body).unwrap_err();
        assert!(error.starts_with("jq error: "), "{error}");
        assert!(parse(b"{not json").is_err());
    }

    #[test]
    fn compact_values_are_one_line_each_up_to_a_limit() {
        let input = parse(br#"{"a": [1, {"b": "x y"}], "s": "tok"}"#).unwrap();
        assert_eq!(
            compact_values(".a[]", &input, 5).unwrap(),
            ["1", r#"{"b":"x y"}"#]
        );
        assert_eq!(compact_values(".s", &input, 5).unwrap(), [r#""tok""#]);
        assert_eq!(compact_values(".a[]", &input, 1).unwrap(), ["1"]);
        assert!(compact_values(".s | .[0]", &input, 5).is_err());
    }

    #[test]
    fn over_a_stream_the_filter_runs_on_each_json_event_and_goes_on_after_a_failure() {
        let mut input = JqInput::stream();
        let events = [r#"{"n": 1}"#, "hello", r#"{"n": 2}"#, "[1]", r#"{"n": 3}"#];
        for (place, data) in (0..).zip(events) {
            input.take_event(place, data);
        }
        assert_eq!((input.len(), input.taken()), (4, 5), "`hello` is not JSON");
        let out = run(".n", &input, || true).unwrap().unwrap();
        assert_eq!(out.text, "1\n2\n3\n");
        assert_eq!((out.inputs, out.values, out.failed), (Some(4), 3, 1));
        let failure = out.first_failure.unwrap();
        assert!(failure.starts_with("event 4: jq error:"), "{failure}");
        // The stream dropped its first three events: their inputs go.
        input.forget_before(3);
        let out = run("select(type == \"object\") | .n", &input, || true)
            .unwrap()
            .unwrap();
        assert_eq!(
            (out.text.as_str(), out.inputs, out.failed),
            ("3\n", Some(1 + 1), 0)
        );
        // A single body still fails as a whole.
        let body = parse(b"[1]").unwrap();
        assert!(matches!(
            run(".n", &body, || true),
            Some(Err(JqError::Run(_)))
        ));
    }

    #[test]
    fn a_run_no_longer_wanted_stops() {
        let input = parse(b"[1, 2, 3]").unwrap();
        assert_eq!(run(".[]", &input, || false), None);
    }
}
