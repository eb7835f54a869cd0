//! Which example answers a request, and why (or why none does): routes whose path fits,
//! then those of the request's method, then each example's rules (the assertions' language
//! read against the request). `X-Courier-Example: NAME` picks an example by name among those
//! of the path and method, rules or not. Of several that fit, the most specific path wins,
//! then the kind of example (a WebSocket transcript for a handshake, any other for the
//! rest), then the example with the most rules, then a 2xx one (or a transcript), then the
//! first by name. A miss says
//! what came closest. No I/O: the request comes in whole (its body up to the server's cap).

use super::pattern::split_path;
use super::table::{MockExample, Route, Table};
use crate::check::{self, Subject};

/// The header that names the example to answer with.
pub const EXAMPLE_HEADER: &str = "x-courier-example";

/// How many near misses a 404 lists.
const CLOSEST: usize = 3;

/// A request as the chooser reads it.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    pub method: &'a str,
    /// As it came, percent-encoded, without the query.
    pub path: &'a str,
    pub query: &'a [(String, String)],
    pub headers: &'a [(String, String)],
    /// The body, or its first bytes when `body_cut`.
    pub body: &'a [u8],
    /// The body was longer than the server keeps; rules on it do not hold.
    pub body_cut: bool,
}

/// What answers.
#[derive(Debug)]
pub enum Choice<'t> {
    Answer(Answer<'t>),
    Miss(Miss),
}

#[derive(Debug)]
pub struct Answer<'t> {
    pub route: &'t Route,
    pub example: &'t MockExample,
    /// The path's placeholders and their values.
    pub captures: Vec<(String, String)>,
    pub why: String,
}

/// Nothing answers: 404, or 405 when the path is known under other methods.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    pub status: u16,
    pub why: String,
    pub closest: Vec<Candidate>,
    /// With 405: the methods the path has.
    pub allow: Vec<String>,
}

/// A request (or one of its examples) that came close.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub method: String,
    pub path: String,
    pub request: String,
    pub example: Option<String>,
    pub why: String,
}

/// The example that answers `incoming`, or why none does.
pub fn choose<'t>(table: &'t Table, incoming: &Incoming<'_>) -> Choice<'t> {
    let on_path: Vec<(&Route, Vec<(String, String)>)> = table
        .routes
        .iter()
        .filter_map(|route| route.pattern.matches(incoming.path).map(|c| (route, c)))
        .collect();
    if on_path.is_empty() {
        return Choice::Miss(nothing_on_path(table, incoming));
    }
    let method = effective_method(incoming.method, &on_path);
    let mut fitting: Vec<(&Route, Vec<(String, String)>)> = on_path
        .iter()
        .filter(|(route, _)| route.method == method)
        .cloned()
        .collect();
    if fitting.is_empty() {
        return Choice::Miss(wrong_method(incoming, &on_path));
    }
    // The most specific path first; a stable sort keeps the collection's order otherwise.
    fitting.sort_by_key(|(route, _)| std::cmp::Reverse(route.pattern.specificity()));
    if let Some(name) = header(incoming.headers, EXAMPLE_HEADER) {
        return by_name(name, incoming, fitting);
    }
    by_rules(incoming, fitting)
}

/// HEAD is answered by a GET's example when there is no HEAD request.
fn effective_method<'m>(method: &'m str, on_path: &[(&Route, Vec<(String, String)>)]) -> &'m str {
    let has = |wanted: &str| on_path.iter().any(|(route, _)| route.method == wanted);
    if method == "HEAD" && !has("HEAD") && has("GET") {
        "GET"
    } else {
        method
    }
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

fn by_name<'t>(
    name: &str,
    incoming: &Incoming<'_>,
    fitting: Vec<(&'t Route, Vec<(String, String)>)>,
) -> Choice<'t> {
    for (route, captures) in &fitting {
        if let Some(example) = route
            .examples
            .iter()
            .find(|example| example.name.eq_ignore_ascii_case(name.trim()))
        {
            return Choice::Answer(Answer {
                route,
                example,
                captures: captures.clone(),
                why: format!("named by X-Courier-Example: {name}"),
            });
        }
    }
    let closest = fitting
        .iter()
        .flat_map(|(route, _)| route.examples.iter().map(move |example| (route, example)))
        .take(CLOSEST * 3)
        .map(|(route, example)| candidate(route, Some(example), "another name".to_owned()))
        .collect();
    Choice::Miss(Miss {
        status: 404,
        why: format!(
            "no example named {name:?} for {} {}",
            incoming.method, incoming.path
        ),
        closest,
        allow: Vec::new(),
    })
}

fn by_rules<'t>(
    incoming: &Incoming<'_>,
    fitting: Vec<(&'t Route, Vec<(String, String)>)>,
) -> Choice<'t> {
    let mut best: Option<(Rank, Answer<'t>)> = None;
    let mut held = 0usize;
    let mut successes = 0usize;
    let mut refused = Vec::new();
    // A WebSocket handshake is best answered by a session's transcript, anything else by
    // an example that is not one.
    let upgrade = incoming.headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("upgrade") && value.eq_ignore_ascii_case("websocket")
    });
    for (route, captures) in &fitting {
        for example in &route.examples {
            if let Some(failed) = first_failed_rule(example, incoming) {
                refused.push(candidate(route, Some(example), failed));
                continue;
            }
            held += 1;
            let kind = example.transcript.is_some() == upgrade;
            let success = example.transcript.is_some() || is_success(example);
            successes += usize::from(kind && success);
            let rank = Rank {
                specificity: route.pattern.specificity(),
                kind,
                rules: example.rules.len(),
                success,
            };
            if best.as_ref().is_none_or(|(known, _)| rank > *known) {
                let answer = Answer {
                    route,
                    example,
                    captures: captures.clone(),
                    why: String::new(),
                };
                best = Some((rank, answer));
            }
        }
    }
    match best {
        Some((_, mut answer)) => {
            answer.why = why_chosen(answer.example, held, successes);
            Choice::Answer(answer)
        }
        None if refused.is_empty() => Choice::Miss(Miss {
            status: 404,
            why: format!(
                "{} {} is {}, which has no examples: save one, or record one with --record",
                incoming.method,
                incoming.path,
                fitting
                    .iter()
                    .map(|(route, _)| route.request.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            closest: fitting
                .iter()
                .map(|(route, _)| candidate(route, None, "no examples".to_owned()))
                .collect(),
            allow: Vec::new(),
        }),
        None => Choice::Miss(Miss {
            status: 404,
            why: format!(
                "{} {}: no example's rules held",
                incoming.method, incoming.path
            ),
            closest: refused,
            allow: Vec::new(),
        }),
    }
}

/// What makes one fitting example better than another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    specificity: (usize, usize),
    /// A transcript for a WebSocket handshake, not one for anything else.
    kind: bool,
    rules: usize,
    success: bool,
}

fn is_success(example: &MockExample) -> bool {
    (200..300).contains(&example.status)
}

fn why_chosen(example: &MockExample, held: usize, successes: usize) -> String {
    let rules = match example.rules.len() {
        0 => String::new(),
        1 => format!("its rule held ({})", example.rules[0].line),
        n => format!("its {n} rules held"),
    };
    let success = example.transcript.is_some() || is_success(example);
    match (held, rules.is_empty()) {
        (1, true) => "the only example that fits".to_owned(),
        (1, false) => rules,
        (n, true) if success && successes == 1 => {
            let which = match example.transcript {
                Some(_) => "WebSocket transcript",
                None => "2xx",
            };
            format!("the {which} of {n} that fit; X-Courier-Example picks another")
        }
        (n, true) => format!("first of {n} that fit; X-Courier-Example picks another"),
        (n, false) => format!("{rules}; first of {n} that fit"),
    }
}

/// The first of the example's rules the request fails, as a sentence.
fn first_failed_rule(example: &MockExample, incoming: &Incoming<'_>) -> Option<String> {
    let request = check::Response {
        status: 0,
        headers: incoming.headers,
        body: incoming.body,
        duration_ms: 0.0,
        query: incoming.query,
    };
    example.rules.iter().find_map(|rule| {
        let reads_body = matches!(
            rule.subject,
            Subject::Body | Subject::Jq(_) | Subject::JsonPath { .. } | Subject::Size
        );
        if reads_body && incoming.body_cut {
            return Some(format!(
                "`{}`: the body is past what the mock reads",
                rule.line
            ));
        }
        let checked = check::evaluate(rule, &request);
        (!checked.passed).then(|| {
            format!(
                "`{}`: expected {}, got {}",
                rule.line, checked.expected, checked.actual
            )
        })
    })
}

fn wrong_method(incoming: &Incoming<'_>, on_path: &[(&Route, Vec<(String, String)>)]) -> Miss {
    let mut allow: Vec<String> = on_path.iter().map(|(r, _)| r.method.clone()).collect();
    allow.sort();
    allow.dedup();
    Miss {
        status: 405,
        why: format!(
            "{} {} is known only as {}",
            incoming.method,
            incoming.path,
            allow.join(", ")
        ),
        closest: on_path
            .iter()
            .map(|(route, _)| candidate(route, None, "another method".to_owned()))
            .collect(),
        allow,
    }
}

/// A 404 for a path no route has, with the routes whose paths are most like it.
fn nothing_on_path(table: &Table, incoming: &Incoming<'_>) -> Miss {
    let segments = split_path(incoming.path);
    let mut scored: Vec<(f64, &Route)> = table
        .routes
        .iter()
        .map(|route| (closeness(route, &segments, incoming.method), route))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    Miss {
        status: 404,
        why: format!("no saved request has {} {}", incoming.method, incoming.path),
        closest: scored
            .into_iter()
            .take(CLOSEST)
            .map(|(_, route)| candidate(route, None, "another path".to_owned()))
            .collect(),
        allow: Vec::new(),
    }
}

/// The route most like a request of `method` on `path` (the first of a 404's candidates).
pub fn nearest<'t>(table: &'t Table, method: &str, path: &str) -> Option<&'t Route> {
    let segments = split_path(path);
    table
        .routes
        .iter()
        .map(|route| (closeness(route, &segments, method), route))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, route)| route)
}

/// How alike a route is to a request: segment by segment when they have as many, else by
/// the paths' text (and less); the same method counts a little.
fn closeness(route: &Route, segments: &[String], method: &str) -> f64 {
    let path = route.pattern.likeness(segments).unwrap_or_else(|| {
        let written = route.pattern.to_string();
        strsim::normalized_levenshtein(written.trim_start_matches('/'), &segments.join("/")) / 2.0
    });
    path + if route.method == method { 0.1 } else { 0.0 }
}

fn candidate(route: &Route, example: Option<&MockExample>, why: String) -> Candidate {
    Candidate {
        method: route.method.clone(),
        path: route.pattern.to_string(),
        request: route.request.clone(),
        example: example.map(|example| example.name.clone()),
        why,
    }
}
