//! Request chaining: the value a `{{response "folder/request" …}}` placeholder stands for,
//! taken from the latest response of another request of the same collection — a jq path into
//! its JSON body, or one of its headers.
//!
//! Whoever sends keeps the responses (the TUI its response panes, `courier send` the
//! dependencies it sent this run) and hands them in through [`Responses`]. When the request
//! has no response, or only one older than the placeholder's `max_age`, resolving fails with
//! [`TemplateError::NeedsResponse`], naming the request's file: the sender sends it first and
//! tries again. A response that finished after `origin` — sent for this very send — is always
//! fresh, so a `max_age=0` dependency is sent once per send, not forever.

mod json_path;
pub mod plan;

use std::path::Path;
use std::time::{Duration, Instant};

use crate::body::jq::JqError;
use crate::body::store::{SharedBody, lock, read_raw};
use crate::store::Collection;
use crate::template::{ResponsePart, ResponseRef, TemplateError};

/// The most of a body chaining reads. The value is taken while the send is prepared, on the
/// UI's thread in the TUI, so the caps bound that pause: a plain path through 16 MB takes
/// 26 ms (48 ms from the end of an array), while jq parses the whole body (0.43 s for 16 MB),
/// so it gets 2 MB: 54 ms (`cargo bench --bench inspector -- chaining`). Tokens and ids come
/// in far smaller bodies.
pub const MAX_CHAIN_BODY: u64 = 16 * 1024 * 1024;

/// The most of a body a jq filter (anything but a plain path) reads for chaining.
pub const MAX_JQ_BODY: u64 = 2 * 1024 * 1024;

/// A request's latest response, as its keeper sees it.
#[derive(Debug, Clone)]
pub struct Latest {
    /// The status line (`200 OK`) and headers, once they came.
    pub head: Option<LatestHead>,
    pub body: SharedBody,
    pub state: LatestState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestHead {
    pub status: String,
    pub headers: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LatestState {
    /// Still being sent or received.
    InFlight,
    /// Complete, at this instant.
    Done { finished: Instant },
    /// It failed, for this reason.
    Failed(String),
}

/// Looks up a request's latest response by the request's file.
pub type LatestLookup<'a> = &'a dyn Fn(&Path) -> Option<Latest>;

/// The responses chaining may take values from.
#[derive(Clone, Copy)]
pub struct Responses<'a> {
    pub latest: LatestLookup<'a>,
    /// The time now, to tell a response's age.
    pub now: Instant,
    /// When the send this belongs to began: a response finished since is fresh whatever its age.
    pub origin: Instant,
}

impl std::fmt::Debug for Responses<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Responses")
            .field("now", &self.now)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl Responses<'_> {
    /// The value `reference` stands for, in `collection`.
    pub fn resolve(
        &self,
        collection: &Collection,
        reference: &ResponseRef,
    ) -> Result<String, TemplateError> {
        let chain_error = |message: String| TemplateError::Chain {
            request: reference.request.clone(),
            message,
        };
        let parts: Vec<&str> = reference
            .request
            .split('/')
            .filter(|p| !p.is_empty())
            .collect();
        let request = crate::store::lookup::find_in(&collection.root, collection.name(), &parts)
            .map_err(|error| chain_error(error.to_string()))?;
        let needs = |reason: String| TemplateError::NeedsResponse {
            request: reference.request.clone(),
            path: request.path.clone(),
            reason,
        };
        let latest = (self.latest)(&request.path).ok_or_else(|| needs("no response yet".into()))?;
        let finished = match &latest.state {
            LatestState::InFlight => return Err(needs("its response is still arriving".into())),
            LatestState::Failed(why) => return Err(needs(format!("its last send failed: {why}"))),
            LatestState::Done { finished } => *finished,
        };
        if let Some(max_age) = reference.max_age {
            let age = self.now.saturating_duration_since(finished);
            if finished < self.origin && age > max_age {
                return Err(needs(format!(
                    "its response is {} old, more than max_age={}",
                    whole_seconds(age),
                    whole_seconds(max_age)
                )));
            }
        }
        let status = latest
            .head
            .as_ref()
            .map(|head| head.status.clone())
            .unwrap_or_default();
        match &reference.part {
            ResponsePart::Header(name) => {
                let headers = latest.head.as_ref().map(|h| &h.headers[..]).unwrap_or(&[]);
                headers
                    .iter()
                    .find(|(header, _)| header.eq_ignore_ascii_case(name))
                    .map(|(_, value)| value.clone())
                    .ok_or_else(|| {
                        let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
                        chain_error(format!(
                            "{status} has no header `{name}` (it has: {})",
                            names.join(", ")
                        ))
                    })
            }
            ResponsePart::Body(filter) => body_value(&latest.body, filter, &status)
                .map_err(|error| chain_error(error.to_string())),
        }
    }
}

/// Why a body gave no value to chain.
#[derive(Debug, thiserror::Error)]
enum BodyValueError {
    #[error("its body is {size_mb} MB; chaining reads bodies up to {MAX_CHAIN_MB} MB")]
    TooBig { size_mb: u64 },
    #[error(
        "its body is {size_mb} MB; a jq filter reads bodies up to {MAX_JQ_MB} MB (a plain path \
         such as .a.b[0] reads up to {MAX_CHAIN_MB} MB)"
    )]
    TooBigForJq { size_mb: u64 },
    #[error("`{filter}` is null or not there ({status})")]
    NotThere { filter: String, status: String },
    #[error("{status}: the body is not JSON: {error}")]
    NotJson { status: String, error: String },
    #[error("{status}: {error}")]
    Unparsed { status: String, error: JqError },
    #[error("`{filter}`: {error}")]
    Filter { filter: String, error: JqError },
    #[error("`{filter}` gives nothing ({status})")]
    Nothing { filter: String, status: String },
    #[error("`{filter}` is null ({status})")]
    Null { filter: String, status: String },
    #[error("`{filter}` gives more than one value; narrow it to one (with first(…) or [0])")]
    Many { filter: String },
}

const MAX_CHAIN_MB: u64 = MAX_CHAIN_BODY / 1_000_000;
const MAX_JQ_MB: u64 = MAX_JQ_BODY / 1_000_000;

/// What `filter` picks out of the JSON `body`: a string as it is, anything else as compact
/// JSON. It must pick exactly one value, and not null (almost always an error response).
fn body_value(body: &SharedBody, filter: &str, status: &str) -> Result<String, BodyValueError> {
    let size = lock(body).raw.len();
    let size_mb = size / 1_000_000;
    if size > MAX_CHAIN_BODY {
        return Err(BodyValueError::TooBig { size_mb });
    }
    let bytes = read_raw(body);
    let (filter, status) = (filter.to_owned(), status.to_owned());
    match json_path::value(&bytes, &filter) {
        Some(json_path::Found::Value(value)) => return Ok(value),
        Some(json_path::Found::Nothing) => {
            return Err(BodyValueError::NotThere { filter, status });
        }
        Some(json_path::Found::NotJson(error)) => {
            return Err(BodyValueError::NotJson {
                status,
                error: error.to_string(),
            });
        }
        None if size > MAX_JQ_BODY => return Err(BodyValueError::TooBigForJq { size_mb }),
        None => {}
    }
    let input = crate::body::jq::parse(&bytes).map_err(|error| BodyValueError::Unparsed {
        status: status.clone(),
        error,
    })?;
    let values = crate::body::jq::compact_values(&filter, &input, 2).map_err(|error| {
        BodyValueError::Filter {
            filter: filter.clone(),
            error,
        }
    })?;
    match &values[..] {
        [] => Err(BodyValueError::Nothing { filter, status }),
        [one] if one == "null" => Err(BodyValueError::Null { filter, status }),
        [one] => Ok(serde_json::from_str::<String>(one).unwrap_or_else(|_| one.clone())),
        _ => Err(BodyValueError::Many { filter }),
    }
}

fn whole_seconds(duration: Duration) -> String {
    humantime::format_duration(Duration::from_secs(duration.as_secs())).to_string()
}
