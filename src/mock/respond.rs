//! Turning a choice into what goes on the wire: an example's status, headers and body with
//! their templates rendered (`{{$uuid}}`, `{{id}}` for a path placeholder, `{{request
//! ".user.name"}}` from the request's JSON body, `{{request header "X-Id"}}`, `{{request query
//! "page"}}`, `{{request method}}`, `{{request path}}`; single quotes fit in a JSON string;
//! what comes from the request is put in as it is, never rendered itself),
//! then its bad day: a delay, a fault
//! (the connection dropped, an error status, the body cut short), the body dripped a few bytes
//! at a time. A miss is a JSON body saying what came closest.

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::Frame;

use super::choose::{Answer, Incoming, Miss};
use crate::model::{Delay, Drip, FaultKind, StreamTiming};
use crate::template::{Scope, TemplateError};
use futures_util::StreamExt;

/// A response body the mock sends: whole, dripped, or cut short by an error.
pub type MockBody = BoxBody<Bytes, std::io::Error>;

/// Headers of a saved answer that describe how it crossed the wire once, not what it is:
/// the server sets its own.
const HOP_HEADERS: [&str; 6] = [
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "content-encoding",
    "upgrade",
];

/// What to send, or to drop the connection instead.
pub enum Reply {
    Send(hyper::Response<MockBody>),
    /// Close the connection without an answer (a `drop` fault).
    Drop,
}

/// The example's answer to `incoming`, after its delay; a recorded stream is played at
/// `speed` times its own speed (and the example's).
pub async fn answer(answer: &Answer<'_>, incoming: &Incoming<'_>, speed: f64) -> Reply {
    let settings = &answer.example.settings;
    if let Some(delay) = &settings.delay {
        tokio::time::sleep(drawn(delay)).await;
    }
    let fault = settings
        .fault
        .as_ref()
        .filter(|fault| fault.rate >= 1.0 || unit_random() < fault.rate);
    match fault.map(|fault| (fault.kind, fault.status)) {
        Some((FaultKind::Drop, _)) => return Reply::Drop,
        Some((FaultKind::Status, status)) => {
            return Reply::Send(plain(status.unwrap_or(500), Bytes::new()));
        }
        _ => {}
    }
    let (headers, body) = match rendered(answer, incoming) {
        Ok(rendered) => rendered,
        Err(err) => {
            let message = format!(
                "courier mock: the example {:?} of {} ({}): {err}",
                answer.example.name,
                answer.route.request,
                answer.example.file.display()
            );
            return Reply::Send(json(500, &serde_json::json!({ "error": message })));
        }
    };
    let mut builder = hyper::Response::builder().status(answer.example.status);
    for (name, value) in &headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let body = match (fault.map(|fault| fault.kind), &settings.drip) {
        (Some(FaultKind::Truncate), _) => {
            builder = builder.header("content-length", body.len());
            cut_short(body)
        }
        (_, Some(drip)) => dripped(body, drip),
        _ => match &settings.stream {
            Some(stream) => replayed(body, stream, speed),
            None => whole(body),
        },
    };
    Reply::Send(builder.body(body).unwrap_or_else(|_| {
        json(
            500,
            &serde_json::json!({"error": "courier mock: the example's headers are not valid HTTP"}),
        )
    }))
}

/// The answer to a miss: its status and a JSON body of what came closest.
pub fn miss(miss: &Miss) -> hyper::Response<MockBody> {
    let closest: Vec<serde_json::Value> = miss
        .closest
        .iter()
        .map(|candidate| {
            let mut value = serde_json::json!({
                "method": candidate.method,
                "path": candidate.path,
                "request": candidate.request,
            });
            if let Some(example) = &candidate.example {
                value["example"] = example.clone().into();
            }
            value["why"] = candidate.why.clone().into();
            value
        })
        .collect();
    let mut response = json(
        miss.status,
        &serde_json::json!({
            "error": format!("courier mock: {}", miss.why),
            "closest": closest,
        }),
    );
    if let Ok(allow) = hyper::header::HeaderValue::from_str(&miss.allow.join(", "))
        && !miss.allow.is_empty()
    {
        response.headers_mut().insert(hyper::header::ALLOW, allow);
    }
    response
}

/// The answer to a request that does not fit the OpenAPI description.
pub fn rejected(rejection: &super::openapi::Rejection) -> hyper::Response<MockBody> {
    json(
        rejection.status,
        &serde_json::json!({
            "error": "courier mock: the request does not fit the OpenAPI description",
            "operation": rejection.operation,
            "at": rejection.misfit.at,
            "message": rejection.misfit.message,
        }),
    )
}

/// A JSON answer of the mock's own.
pub fn json(status: u16, value: &serde_json::Value) -> hyper::Response<MockBody> {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    let mut response = plain(status, Bytes::from(text));
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json"),
    );
    response
}

fn plain(status: u16, body: Bytes) -> hyper::Response<MockBody> {
    let mut response = hyper::Response::new(whole(body));
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response
}

/// The example's headers and body, templates rendered unless it says not to.
fn rendered(
    answer: &Answer<'_>,
    incoming: &Incoming<'_>,
) -> Result<(Vec<(String, String)>, Bytes), TemplateError> {
    let example = answer.example;
    let headers = example
        .headers
        .iter()
        .filter(|(name, _)| !HOP_HEADERS.contains(&name.to_ascii_lowercase().as_str()));
    let templated = |text: &str| example.settings.templates && text.contains("{{");
    let body_text = std::str::from_utf8(&example.body)
        .ok()
        .filter(|text| templated(text));
    if !example.headers.iter().any(|(_, value)| templated(value)) && body_text.is_none() {
        return Ok((headers.cloned().collect(), example.body.clone()));
    }
    // The path's values come as they are, never rendered again: `/users/%7B%7Bx%7D%7D` is
    // the text `{{x}}`, not a placeholder.
    let extra = |inside: &str| {
        let captured = answer
            .captures
            .iter()
            .find(|(name, _)| name == inside.trim());
        match captured {
            Some((_, value)) => Some(Ok(value.clone())),
            None => request_value(inside, answer, incoming),
        }
    };
    let random = crate::http::random_u64;
    let scope = Scope {
        now: Some(std::time::SystemTime::now()),
        random: Some(&random),
        extra: Some(&extra),
        ..Scope::default()
    };
    let mut rendered_headers = Vec::new();
    for (name, value) in headers {
        let value = if templated(value) {
            scope.render(value)?
        } else {
            value.clone()
        };
        rendered_headers.push((name.clone(), value));
    }
    let body = match body_text {
        Some(text) => Bytes::from(scope.render(text)?),
        None => example.body.clone(),
    };
    Ok((rendered_headers, body))
}

/// `{{request …}}`'s value; None for any other placeholder.
fn request_value(
    inside: &str,
    answer: &Answer<'_>,
    incoming: &Incoming<'_>,
) -> Option<Result<String, TemplateError>> {
    let rest = inside.strip_prefix("request")?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let words = quoted_words(rest);
    let bad = |reason: &str| TemplateError::BadResponseRef {
        text: inside.to_owned(),
        reason: format!(
            "{reason}; write {{{{request \".jq.path\"}}}}, {{{{request header \"Name\"}}}}, \
             {{{{request query \"name\"}}}}, {{{{request path \"name\"}}}}, \
             {{{{request method}}}} or {{{{request path}}}}"
        ),
    };
    let find = |pairs: &[(String, String)], name: &str, any_case: bool| {
        pairs
            .iter()
            .find(|(known, _)| known == name || (any_case && known.eq_ignore_ascii_case(name)))
            .map(|(_, value)| value.clone())
    };
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    Some(match words.as_slice() {
        ["method"] => Ok(incoming.method.to_owned()),
        ["path"] => Ok(incoming.path.to_owned()),
        // A header or query parameter the client left out is empty, as it would be to a
        // server that reads it.
        ["header", name] => Ok(find(incoming.headers, name, true).unwrap_or_default()),
        ["query", name] => Ok(find(incoming.query, name, false).unwrap_or_default()),
        ["path", name] => {
            find(&answer.captures, name, false).ok_or_else(|| bad("no such placeholder"))
        }
        [filter] => body_value(filter, incoming.body).map_err(|reason| bad(&reason)),
        _ => Err(bad("unexpected words")),
    })
}

/// One value of the request's JSON body: a string as its text, anything else as JSON.
fn body_value(filter: &str, body: &[u8]) -> Result<String, String> {
    let input = crate::body::jq::parse(body).map_err(|err| format!("the body: {err}"))?;
    let values =
        crate::body::jq::compact_values(filter, &input, 2).map_err(|err| err.to_string())?;
    match values.as_slice() {
        [one] => Ok(match serde_json::from_str::<serde_json::Value>(one) {
            Ok(serde_json::Value::String(text)) => text,
            _ => one.clone(),
        }),
        [] => Err(format!("`{filter}` gives nothing")),
        _ => Err(format!("`{filter}` gives more than one value")),
    }
}

/// Words, `"quoted"` or `'quoted'` ones as one.
fn quoted_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = text.trim().chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        if c == '"' || c == '\'' {
            chars.next();
            while let Some(next) = chars.next() {
                match next {
                    '\\' => word.extend(chars.next()),
                    quote if quote == c => break,
                    other => word.push(other),
                }
            }
        } else {
            while let Some(&next) = chars.peek() {
                if next.is_whitespace() {
                    break;
                }
                word.push(next);
                chars.next();
            }
        }
        words.push(word);
    }
    words
}

pub(super) fn whole(body: Bytes) -> MockBody {
    Full::new(body)
        .map_err(|never: Infallible| match never {})
        .boxed()
}

/// The body `drip.bytes` at a time, one piece every `drip.every`.
fn dripped(body: Bytes, drip: &Drip) -> MockBody {
    let size = (drip.bytes as usize).max(1);
    let every = drip.every.duration().unwrap_or(Duration::from_millis(100));
    let pieces = futures_util::stream::unfold((body, true), move |(rest, first)| async move {
        if rest.is_empty() {
            return None;
        }
        if !first {
            tokio::time::sleep(every).await;
        }
        let mut rest = rest;
        let piece = rest.split_to(size.min(rest.len()));
        Some((Ok(Frame::data(piece)), (rest, false)))
    });
    BodyExt::boxed(StreamBody::new(pieces))
}

/// The longest wait a recording's timing asks for (a file may say anything).
const LONGEST_WAIT: Duration = Duration::from_secs(30 * 24 * 3600);

/// `ms` of a recording played `speed` times faster; a speed that is not a positive number
/// plays as recorded, and no wait is longer than [`LONGEST_WAIT`].
pub(super) fn played_after(ms: u64, speed: f64) -> Duration {
    let speed = if speed.is_finite() && speed > 0.0 {
        speed
    } else {
        1.0
    };
    Duration::try_from_secs_f64(ms as f64 / 1000.0 / speed)
        .unwrap_or(LONGEST_WAIT)
        .min(LONGEST_WAIT)
}

/// The body in the pieces it was recorded in, each sent when it came (sooner by `speed` and
/// the recording's own); bytes past the last piece go at the end.
fn replayed(body: Bytes, stream: &StreamTiming, speed: f64) -> MockBody {
    let speed = stream.speed * speed;
    let mut pieces = Vec::with_capacity(stream.chunks.len() + 1);
    let mut start = 0usize;
    for &(end, at_ms) in &stream.chunks {
        let end = usize::try_from(end).unwrap_or(usize::MAX).min(body.len());
        if end > start {
            let at = played_after(at_ms, speed);
            pieces.push((body.slice(start..end), at));
            start = end;
        }
    }
    if start < body.len() {
        let last = pieces.last().map_or(Duration::ZERO, |(_, at)| *at);
        pieces.push((body.slice(start..), last));
    }
    let began = tokio::time::Instant::now();
    let frames = futures_util::stream::iter(pieces).then(move |(piece, at)| async move {
        tokio::time::sleep_until(began + at).await;
        Ok(Frame::data(piece))
    });
    BodyExt::boxed(StreamBody::new(frames))
}

/// Half the body, then an error: the connection ends before the length it promised. The
/// pause between lets the server send the head and the half first, as a server that dies
/// mid-answer would have.
fn cut_short(body: Bytes) -> MockBody {
    let half = body.slice(..body.len() / 2);
    let pieces = futures_util::stream::unfold(Cut::Half(half), |step| async move {
        match step {
            Cut::Half(half) => Some((Ok(Frame::data(half)), Cut::Failing)),
            Cut::Failing => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                let error = std::io::Error::other("cut short by the example's fault");
                Some((Err(error), Cut::Done))
            }
            Cut::Done => None,
        }
    });
    BodyExt::boxed(StreamBody::new(pieces))
}

/// Where a body cut short is.
enum Cut {
    Half(Bytes),
    Failing,
    Done,
}

/// A wait drawn evenly from the delay's range.
fn drawn(delay: &Delay) -> Duration {
    let span = delay.most.saturating_sub(delay.least);
    delay.least + span.mul_f64(unit_random())
}

/// A random number in [0, 1).
fn unit_random() -> f64 {
    (crate::http::random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_quoted_spaces() {
        assert_eq!(
            quoted_words(r#" header "X-Id"  '.a b' plain "say \"hi\"" "#),
            ["header", "X-Id", ".a b", "plain", "say \"hi\""]
        );
    }

    #[test]
    fn body_values_are_text_or_json() {
        let body = br#"{"user": {"name": "Ada", "roles": ["a", "b"]}}"#;
        assert_eq!(body_value(".user.name", body).unwrap(), "Ada");
        assert_eq!(body_value(".user.roles", body).unwrap(), r#"["a","b"]"#);
        assert!(body_value(".user.roles[]", body).is_err());
        assert!(body_value(".x", b"not json").is_err());
    }

    #[test]
    fn a_delay_is_drawn_within_its_range() {
        let delay = Delay::try_from("100ms..200ms".to_owned()).unwrap();
        for _ in 0..100 {
            let wait = drawn(&delay);
            assert!(wait >= Duration::from_millis(100) && wait <= Duration::from_millis(200));
        }
    }
}
