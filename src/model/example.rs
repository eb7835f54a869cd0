//! An example: a response saved beside its request, with a name (`Not found`, `Empty cart`),
//! to show what the request returns and, later, to be served by the mock server and written
//! by importers. One file `<request>.examples/<slug>.json` holds the status and headers; the
//! body, when there is one, is a sidecar beside it (`<slug>.body.json`), so a JSON body reads
//! and diffs in git like any other file.

use serde::{Deserialize, Serialize};

use std::time::Duration;

use super::{DurationText, KeyValue, UnknownFields, ValueError, format_version};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    #[serde(default = "format_version")]
    pub courier: u32,
    pub name: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<KeyValue>,
    /// The body's sidecar file, beside this one; none for an empty body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// How `courier mock` serves it; by default to any request for its request's method and
    /// path, at once.
    #[serde(default, skip_serializing_if = "MockSettings::is_empty")]
    pub mock: MockSettings,
    #[serde(skip)]
    pub unknown: UnknownFields,
}

/// When the mock server answers with an example, and how (a bad day included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MockSettings {
    /// Rules the request must meet, one line each in the assertions' language, read against
    /// the request: `query page == 2`, `header X-Tenant == acme`, `jq .role == "admin"`,
    /// `body contains hello`, `size > 0`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<String>,
    /// Wait this long before answering: `250ms`, or `100ms..2s` for a wait drawn between.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<Delay>,
    /// Send the body a few bytes at a time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drip: Option<Drip>,
    /// Misbehave instead of answering, always or for a share of the requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<Fault>,
    /// False: the headers and body are served as saved, `{{…}}` and all (a recorded answer).
    #[serde(default = "super::yes", skip_serializing_if = "super::is_true")]
    pub templates: bool,
    /// When each piece of the body came, to send it again with the same timing (a stream
    /// recorded by `courier mock --record`: SSE, NDJSON, chunked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<StreamTiming>,
}

/// A body's pieces in time: `[end, ms]` pairs, the piece ending at byte `end` sent `ms`
/// milliseconds after the head; `speed` above 1 plays it faster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamTiming {
    pub chunks: Vec<(u64, u64)>,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub speed: f64,
}

impl Default for MockSettings {
    fn default() -> Self {
        MockSettings {
            when: Vec::new(),
            delay: None,
            drip: None,
            fault: None,
            templates: true,
            stream: None,
        }
    }
}

impl MockSettings {
    pub fn is_empty(&self) -> bool {
        self == &MockSettings::default()
    }
}

/// A wait, fixed (`250ms`) or drawn from a range (`100ms..2s`), kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Delay {
    pub least: Duration,
    pub most: Duration,
    text: String,
}

impl TryFrom<String> for Delay {
    type Error = ValueError;
    fn try_from(text: String) -> Result<Self, ValueError> {
        let parse = |part: &str| {
            humantime::parse_duration(part.trim()).map_err(|err| ValueError::NotADuration {
                text: text.clone(),
                reason: err.to_string(),
            })
        };
        let (least, most) = match text.split_once("..") {
            Some((least, most)) => (parse(least)?, parse(most)?),
            None => {
                let fixed = parse(&text)?;
                (fixed, fixed)
            }
        };
        if most < least {
            return Err(ValueError::NotADuration {
                text,
                reason: "the range's end comes before its start".to_owned(),
            });
        }
        Ok(Delay { least, most, text })
    }
}

impl From<Delay> for String {
    fn from(delay: Delay) -> String {
        delay.text
    }
}

/// The body `bytes` at a time, one piece every `every`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drip {
    pub bytes: u32,
    pub every: DurationText,
}

/// A fault instead of the answer: for `rate` of the requests (a share, 1 by default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    pub kind: FaultKind,
    /// With `status`: the status answered (an empty body).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub rate: f64,
}

fn one() -> f64 {
    1.0
}

fn is_one(rate: &f64) -> bool {
    *rate >= 1.0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Close the connection without answering.
    Drop,
    /// Answer `status` (500 unless said) instead of the example.
    Status,
    /// Send the head and half the body, then close the connection.
    Truncate,
}
