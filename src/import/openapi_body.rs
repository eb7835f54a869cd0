//! An OpenAPI operation's request body and its responses. A body is taken from the media
//! type's `example`, else its first `examples` entry, else made from its schema
//! ([`super::openapi_schema`]); of several media types JSON is preferred, then forms, then
//! text, and the others are named in the report. Each response (each named example of one)
//! becomes a saved example of the request, with its status, headers and body.

use serde_json::Value;

use super::openapi_operation::{Context, Parameter};
use super::openapi_refs::Node;
use super::openapi_schema::{Direction, Sampler, as_text};
use super::tree::{ImportedExample, Losses};
use crate::model::{Body, KeyValue, MultipartPart, Request};

/// Media types in the order a body is chosen from them.
fn preference(media: &str) -> u8 {
    let media = media.to_ascii_lowercase();
    if media == "application/json" {
        0
    } else if media.ends_with("+json") || media.contains("json") {
        1
    } else if media == "application/x-www-form-urlencoded" {
        2
    } else if media == "multipart/form-data" {
        3
    } else if media.contains("xml") || media.starts_with("text/") {
        4
    } else {
        5
    }
}

/// The body of an OpenAPI 3 `requestBody`; the body's text, for a kind kept in a sidecar.
pub fn request_body(node: &Node, request: &mut Request, context: &mut Context) -> Option<String> {
    let node = context.refs.follow(node, context.losses)?;
    let mut media: Vec<(String, Node)> = node.get("content").entries();
    media.sort_by_key(|(name, _)| preference(name));
    let (chosen, media_node) = media.first()?.clone();
    if media.len() > 1 {
        let others: Vec<&str> = media[1..].iter().map(|(name, _)| name.as_str()).collect();
        context.losses.add(
            &node.get("content").place(),
            format!(
                "also accepts {}: the {chosen} body is the one imported",
                others.join(", ")
            ),
        );
    }
    let (value, more) = media_example(&media_node, Direction::Request, context);
    if more > 0 {
        context.losses.add(
            &media_node.get("examples").place(),
            format!("{more} more named examples of the body: only the first is the body"),
        );
    }
    let properties = context
        .refs
        .follow(&media_node.get("schema"), context.losses);
    body_of(
        &chosen,
        value,
        properties.as_ref(),
        request,
        &media_node.place(),
        context.losses,
    )
}

/// Sets `request`'s body to `value` sent as `media`.
fn body_of(
    media: &str,
    value: Option<Value>,
    schema: Option<&Node>,
    request: &mut Request,
    place: &str,
    losses: &mut Losses,
) -> Option<String> {
    // A JSON body says `application/json` itself; a vendor's JSON type must be named.
    if preference(media) == 1 {
        request.headers.push(KeyValue::new("Content-Type", media));
    }
    match preference(media) {
        0 | 1 => {
            request.body = Body::Json {
                file: String::new(),
            };
            let value = value.unwrap_or(Value::Object(serde_json::Map::new()));
            Some(serde_json::to_string_pretty(&value).unwrap_or_default() + "\n")
        }
        2 => {
            request.body = Body::Form {
                fields: fields(value.as_ref()),
            };
            None
        }
        3 => {
            request.body = Body::Multipart {
                parts: parts(value.as_ref(), schema, place, losses),
            };
            None
        }
        4 => {
            request.body = Body::Text {
                file: String::new(),
                content_type: Some(media.to_owned()),
            };
            match value {
                Some(Value::String(text)) => Some(text),
                _ => {
                    losses.add(
                        place,
                        format!("no {media} example is given: the body is left empty"),
                    );
                    Some(String::new())
                }
            }
        }
        _ => {
            request.body = Body::Binary {
                file: String::new(),
                content_type: Some(media.to_owned()),
            };
            losses.add(
                place,
                format!("a {media} body is a file: choose the file to send"),
            );
            None
        }
    }
}

/// Form fields from an example object.
fn fields(value: Option<&Value>) -> Vec<KeyValue> {
    value
        .and_then(Value::as_object)
        .map(|object| {
            object
                .iter()
                .map(|(name, value)| KeyValue::new(name, as_text(value)))
                .collect()
        })
        .unwrap_or_default()
}

/// Multipart parts: a file part for each binary property, a text part for the others.
fn parts(
    value: Option<&Value>,
    schema: Option<&Node>,
    place: &str,
    losses: &mut Losses,
) -> Vec<MultipartPart> {
    let mut out = Vec::new();
    for field in fields(value) {
        let property = schema.map(|schema| schema.get("properties").get(&field.name));
        let is_file = property.as_ref().is_some_and(|property| {
            let format = property.text("format");
            matches!(format, Some("binary" | "base64")) || property.text("type") == Some("file")
        });
        if is_file {
            losses.add(
                place,
                format!("file part `{}`: choose the file to send", field.name),
            );
        }
        out.push(MultipartPart {
            name: field.name,
            value: (!is_file).then_some(field.value),
            file: is_file.then(String::new),
            content_type: None,
            enabled: true,
        });
    }
    out
}

/// A media type's example: its `example`, its first `examples` value, or one made from its
/// schema; and how many more named examples there are.
fn media_example(
    media: &Node,
    direction: Direction,
    context: &mut Context,
) -> (Option<Value>, usize) {
    if let Some(example) = media.value().get("example") {
        return (Some(example.clone()), 0);
    }
    let named = media.get("examples").entries();
    if let Some((_, first)) = named.first() {
        let value = named_example(first, context);
        if value.is_some() {
            return (value, named.len() - 1);
        }
    }
    (schema_example(&media.get("schema"), direction, context), 0)
}

/// The `value` of an Example object; an `externalValue` is a URL never fetched.
fn named_example(node: &Node, context: &mut Context) -> Option<Value> {
    let node = context.refs.follow(node, context.losses)?;
    if let Some(value) = node.value().get("value") {
        return Some(value.clone());
    }
    if let Some(url) = node.text("externalValue") {
        context.losses.add(
            &node.place(),
            format!("the example is at {url}, which is never fetched"),
        );
    }
    None
}

/// An example made from `schema`, its choices reported.
fn schema_example(schema: &Node, direction: Direction, context: &mut Context) -> Option<Value> {
    if !schema.exists() {
        return None;
    }
    let mut sampler = Sampler::new(context.refs, context.losses, direction);
    let value = sampler.example(schema);
    let choices = std::mem::take(&mut sampler.choices);
    for (place, count) in choices {
        context.losses.add(
            &place,
            format!("the example was made from the first of {count} choices"),
        );
    }
    value
}

/// A Swagger 2.0 body: the `body` parameter's schema, or the `formData` parameters as a form
/// (multipart when the operation consumes it or a parameter is a file).
pub fn swagger_body(
    parameters: &[Parameter],
    node: &Node,
    request: &mut Request,
    context: &mut Context,
) -> Option<String> {
    if let Some(body) = parameters.iter().find(|p| p.location == "body") {
        let consumes = consumes(node);
        let media = consumes
            .iter()
            .min_by_key(|media| preference(media))
            .cloned()
            .unwrap_or_else(|| "application/json".to_owned());
        let value = schema_example(&body.node.get("schema"), Direction::Request, context);
        let schema = context
            .refs
            .follow(&body.node.get("schema"), context.losses);
        return body_of(
            &media,
            value,
            schema.as_ref(),
            request,
            &body.node.place(),
            context.losses,
        );
    }
    let form: Vec<&Parameter> = parameters
        .iter()
        .filter(|p| p.location == "formData")
        .collect();
    if form.is_empty() {
        return None;
    }
    let has_file = form.iter().any(|p| p.node.text("type") == Some("file"));
    let multipart = has_file || consumes(node).iter().any(|m| m == "multipart/form-data");
    let mut value = serde_json::Map::new();
    for parameter in &form {
        let mut sampler = Sampler::new(context.refs, context.losses, Direction::Request);
        let example = sampler
            .example(&parameter.node)
            .unwrap_or(Value::String(String::new()));
        value.insert(parameter.name.clone(), example);
    }
    // Each parameter is its own schema: a stand-in object holding them as properties.
    let schema = Node::root(
        std::path::Path::new(""),
        serde_json::json!({
            "properties": form.iter().map(|p| (p.name.clone(), p.node.value().clone())).collect::<serde_json::Map<_, _>>()
        }),
    );
    let media = if multipart {
        "multipart/form-data"
    } else {
        "application/x-www-form-urlencoded"
    };
    body_of(
        media,
        Some(Value::Object(value)),
        Some(&schema),
        request,
        &node.place(),
        context.losses,
    )
}

/// The media types an operation (or, failing that, its description) consumes.
fn consumes(node: &Node) -> Vec<String> {
    node.strings("consumes")
}

/// Each response as a saved example: one per named example, else one made from its
/// example or schema (a response with no content keeps its status and headers).
pub fn examples(responses: &Node, context: &mut Context) -> Vec<ImportedExample> {
    let mut out = Vec::new();
    for (code, response) in responses.entries() {
        let Some(response) = context.refs.follow(&response, context.losses) else {
            continue;
        };
        let status = status_of(&code);
        let title = response
            .text("description")
            .and_then(|text| text.lines().next())
            .map(|line| line.trim().chars().take(60).collect::<String>())
            .filter(|line| !line.is_empty());
        // The status is shown beside the name; a code that is no status (`default`, `2XX`)
        // is said in the name, as is one whose description another response has.
        let numeric = code.parse::<u16>().is_ok();
        let name = match title {
            Some(title) if numeric && !out.iter().any(|e: &ImportedExample| e.name == title) => {
                title
            }
            Some(title) => format!("{title} ({code})"),
            None => code.clone(),
        };
        let headers = response_headers(&response, context);
        let mut media: Vec<(String, Node)> = response.get("content").entries();
        media.sort_by_key(|(name, _)| preference(name));
        let Some((media_type, media_node)) = media.into_iter().next() else {
            // Swagger 2.0: a schema and `examples` by media type on the response itself.
            let body = swagger_response_body(&response, context);
            out.push(example(name, status, headers, body.0, &body.1));
            continue;
        };
        let named = media_node.get("examples").entries();
        if named.len() > 1 {
            for (label, node) in named {
                let value = named_example(&node, context);
                let body = value.map(|v| body_text(&v)).unwrap_or_default();
                out.push(example(
                    format!("{name}: {label}"),
                    status,
                    headers.clone(),
                    body,
                    &media_type,
                ));
            }
            continue;
        }
        let (value, _) = media_example(&media_node, Direction::Response, context);
        let body = value.map(|v| body_text(&v)).unwrap_or_default();
        out.push(example(name, status, headers, body, &media_type));
    }
    out
}

/// A Swagger 2.0 response's body: an `examples` entry by media type, else one made from its
/// schema, as JSON.
fn swagger_response_body(response: &Node, context: &mut Context) -> (String, String) {
    if let Some((media, value)) = response
        .value()
        .get("examples")
        .and_then(Value::as_object)
        .and_then(|all| all.iter().next())
    {
        return (body_text(value), media.clone());
    }
    let value = schema_example(&response.get("schema"), Direction::Response, context);
    let media = if value.is_some() {
        "application/json"
    } else {
        ""
    };
    (
        value.map(|v| body_text(&v)).unwrap_or_default(),
        media.to_owned(),
    )
}

fn response_headers(response: &Node, context: &mut Context) -> Vec<(String, String)> {
    let mut headers = Vec::new();
    for (name, header) in response.get("headers").entries() {
        let Some(header) = context.refs.follow(&header, context.losses) else {
            continue;
        };
        let schema = if header.get("schema").exists() {
            header.get("schema")
        } else {
            header.clone()
        };
        let value = match header.value().get("example") {
            Some(example) => as_text(example),
            None => {
                let mut sampler = Sampler::new(context.refs, context.losses, Direction::Response);
                sampler
                    .example(&schema)
                    .map(|v| as_text(&v))
                    .unwrap_or_default()
            }
        };
        headers.push((name, value));
    }
    headers
}

fn example(
    name: String,
    status: u16,
    mut headers: Vec<(String, String)>,
    body: String,
    media: &str,
) -> ImportedExample {
    if !media.is_empty()
        && !headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
    {
        headers.insert(0, ("Content-Type".to_owned(), media.to_owned()));
    }
    let media = media.to_ascii_lowercase();
    let extension = if media.contains("json") {
        "json"
    } else if media.contains("xml") {
        "xml"
    } else if media.contains("html") {
        "html"
    } else {
        "txt"
    };
    ImportedExample {
        name,
        status,
        headers,
        body: body.into_bytes(),
        extension,
    }
}

/// A body's text: a string as it is, anything else as pretty JSON.
fn body_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default() + "\n",
    }
}

/// A response code as a status: `2XX` as 200, `default` as 500 (what an unexpected error is).
fn status_of(code: &str) -> u16 {
    if let Ok(status) = code.parse::<u16>() {
        return status;
    }
    match code.as_bytes().first() {
        Some(digit @ b'1'..=b'5') => u16::from(digit - b'0') * 100,
        _ => 500,
    }
}
