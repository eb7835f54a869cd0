//! A Postman request's body, in each of its modes: `raw` (JSON when its language says so or
//! its text parses as JSON, else text with the content type its language implies),
//! `urlencoded`, `formdata` (text and file parts), `file` and `graphql`. The sidecar's file name
//! is left empty: the writer names it after the request.

use serde_json::Value;

use super::postman::{scalar, text};
use super::tree::Losses;
use crate::model::{Body, KeyValue, MultipartPart, Request};

/// Sets `request`'s body from a Postman `body`; the text for its sidecar, when it has one.
pub fn apply(
    value: Option<&Value>,
    request: &mut Request,
    place: &str,
    losses: &mut Losses,
) -> Option<String> {
    let body = value.filter(|v| v.is_object())?;
    if body.get("disabled") == Some(&Value::Bool(true)) {
        losses.add(place, "the body is disabled in Postman: kept, and sent");
    }
    let mode = text(body.get("mode")).unwrap_or_default();
    match mode.as_str() {
        "raw" => raw(body, request),
        "urlencoded" => {
            request.body = Body::Form {
                fields: pairs(body.get("urlencoded")),
            };
            None
        }
        "formdata" => {
            request.body = Body::Multipart {
                parts: parts(body.get("formdata"), &format!("{place}/formdata"), losses),
            };
            None
        }
        "file" => {
            let file = text(body.pointer("/file/src")).unwrap_or_default();
            if file.is_empty() {
                losses.add(
                    place,
                    "a file body with no file chosen: left without a file",
                );
            }
            request.body = Body::Binary {
                file,
                content_type: None,
            };
            None
        }
        "graphql" => graphql(body, request, place, losses),
        "" => None,
        other => {
            losses.add(
                place,
                format!("a body of mode `{other}` is unknown: dropped"),
            );
            None
        }
    }
}

fn raw(body: &Value, request: &mut Request) -> Option<String> {
    let text = text(body.get("raw")).unwrap_or_default();
    if text.is_empty() {
        return None;
    }
    let language = body
        .pointer("/options/raw/language")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let declared = request
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-type"))
        .map(|h| h.value.to_ascii_lowercase())
        .unwrap_or_default();
    let looks_json = language == "json"
        || declared.contains("json")
        || (language.is_empty() && serde_json::from_str::<Value>(&text).is_ok());
    request.body = if looks_json {
        Body::Json {
            file: String::new(),
        }
    } else {
        let content_type = match language {
            "xml" => Some("application/xml"),
            "html" => Some("text/html"),
            "javascript" => Some("application/javascript"),
            "text" => Some("text/plain"),
            _ => None,
        };
        Body::Text {
            file: String::new(),
            content_type: content_type.map(str::to_owned),
        }
    };
    Some(text)
}

fn graphql(
    body: &Value,
    request: &mut Request,
    place: &str,
    losses: &mut Losses,
) -> Option<String> {
    let query = text(body.pointer("/graphql/query")).unwrap_or_default();
    let variables = match body.pointer("/graphql/variables") {
        Some(Value::String(text)) if !text.trim().is_empty() => {
            match serde_json::from_str::<Value>(text) {
                Ok(parsed) => Some(parsed),
                Err(err) => {
                    losses.add(
                        &format!("{place}/graphql/variables"),
                        format!("the GraphQL variables are not JSON ({err}): dropped"),
                    );
                    None
                }
            }
        }
        Some(Value::Object(map)) => Some(Value::Object(map.clone())),
        _ => None,
    };
    if let Some(operation) = text(body.pointer("/graphql/operationName")).filter(|o| !o.is_empty())
    {
        losses.add(
            &format!("{place}/graphql/operationName"),
            format!("the operation name `{operation}` has no place in a Courier GraphQL body: dropped (name the operation in the query)"),
        );
    }
    request.body = Body::Graphql {
        file: String::new(),
        variables,
    };
    Some(query)
}

/// `[{key, value, disabled}]` as pairs.
fn pairs(value: Option<&Value>) -> Vec<KeyValue> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|pair| {
            let mut kv = KeyValue::new(text(pair.get("key"))?, scalar(pair.get("value")));
            kv.enabled = pair.get("disabled") != Some(&Value::Bool(true));
            Some(kv)
        })
        .collect()
}

/// Multipart parts: text parts with their value, file parts with their file (`src` may be a
/// path, a list of them, or nothing chosen).
fn parts(value: Option<&Value>, place: &str, losses: &mut Losses) -> Vec<MultipartPart> {
    let mut out = Vec::new();
    for (index, part) in value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let place = format!("{place}/{index}");
        let Some(name) = text(part.get("key")) else {
            losses.add(&place, "a form part without a name: dropped");
            continue;
        };
        let is_file = part.get("type").and_then(Value::as_str) == Some("file");
        let file = is_file.then(|| match part.get("src") {
            Some(Value::String(path)) => path.clone(),
            Some(Value::Array(paths)) => {
                if paths.len() > 1 {
                    losses.add(
                        &place,
                        format!(
                            "part `{name}` has {} files: only the first is kept",
                            paths.len()
                        ),
                    );
                }
                paths.first().map(|p| scalar(Some(p))).unwrap_or_default()
            }
            _ => String::new(),
        });
        if file.as_deref() == Some("") {
            losses.add(
                &place,
                format!("file part `{name}` has no file chosen: kept without one"),
            );
        }
        out.push(MultipartPart {
            name,
            value: (!is_file).then(|| scalar(part.get("value"))),
            file,
            content_type: text(part.get("contentType")).filter(|t| !t.is_empty()),
            enabled: part.get("disabled") != Some(&Value::Bool(true)),
        });
    }
    out
}
