//! One OpenAPI operation as a Courier request. The URL is `{{baseUrl}}` and the path, its
//! `{id}` parameters Courier variables (`{{id}}`) set on the request from their examples;
//! query and header parameters come with their examples, optional ones disabled (present, to
//! be switched on), as Postman does; cookie parameters make one `Cookie` header. Each
//! parameter's description goes into the request's description, under the operation's
//! summary and text, so nothing the author wrote is lost.

use serde_json::Value;

use super::Losses;
use super::openapi_auth::{Schemes, templated};
use super::openapi_body::{examples, request_body, swagger_body};
use super::openapi_refs::{Node, Refs};
use super::openapi_schema::{Direction, Sampler, as_text};
use super::tree::ImportedRequest;
use crate::model::{ApiKeyLocation, KeyValue, Method, Request};

/// What every operation is read with.
pub struct Context<'a> {
    pub refs: &'a mut Refs,
    pub schemes: &'a mut Schemes,
    /// The description's own `security`, which an operation's may repeat or override.
    pub document_security: Node,
    pub swagger: bool,
    pub losses: &'a mut Losses,
}

/// A parameter of an operation, its `$ref` followed.
pub struct Parameter {
    pub node: Node,
    pub name: String,
    pub location: String,
}

/// The operation `method` of the path `template`: its first tag, and the request.
pub fn operation(
    template: &str,
    method: &str,
    item: &Node,
    node: &Node,
    context: &mut Context,
) -> (Option<String>, ImportedRequest) {
    let tags = node.strings("tags");
    let upper = method.to_ascii_uppercase();
    // A summary is a title: "Find pet by ID." reads as a name without its full stop.
    let summary = node
        .text("summary")
        .map(|summary| summary.trim().trim_end_matches('.'))
        .filter(|summary| !summary.is_empty() && summary.len() <= 120 && !summary.contains('\n'));
    let name = summary.or(node.text("operationId")).map_or_else(
        || format!("{upper} {template}"),
        |name| name.trim().to_owned(),
    );
    let base = operation_base(item, node, context.losses);
    let url = format!("{base}{}", templated(template));
    let method = Method::try_from(upper).unwrap_or_else(|_| Method::get());
    let mut request = Request::new(name, method, url);
    let parameters = parameters(item, node, context);
    let mut description = operation_text(node, summary.is_some());
    apply_parameters(&parameters, &mut request, &mut description, context);
    let body_text = if context.swagger {
        swagger_body(&parameters, node, &mut request, context)
    } else {
        request_body(&node.get("requestBody"), &mut request, context)
    };
    request.description = description;
    apply_security(node, &mut request, context);
    if node.get("callbacks").exists() {
        for (name, callback) in node.get("callbacks").entries() {
            context.losses.add(
                &callback.place(),
                format!("callback `{name}`: the API calls it, so there is no request to make; not imported"),
            );
        }
    }
    let examples = examples(&node.get("responses"), context);
    let request = ImportedRequest {
        request,
        body_text,
        examples,
        scripts: Vec::new(),
    };
    (tags.into_iter().next(), request)
}

/// `{{baseUrl}}`, or the first server an operation or its path names instead.
fn operation_base(item: &Node, node: &Node, losses: &mut Losses) -> String {
    for servers in [node.get("servers"), item.get("servers")] {
        if let Some(url) = servers.at(0).text("url") {
            losses.add(
                &servers.place(),
                "servers of its own: the request's URL starts with the first, not {{baseUrl}}",
            );
            return templated(url.trim_end_matches('/'));
        }
    }
    "{{baseUrl}}".to_owned()
}

/// The operation's description (its summary too, unless that is the request's name), and
/// `Deprecated.` when it is.
fn operation_text(node: &Node, summary_is_name: bool) -> String {
    let mut parts = Vec::new();
    if node.value().get("deprecated").and_then(Value::as_bool) == Some(true) {
        parts.push("**Deprecated.**".to_owned());
    }
    let keys: &[&str] = if summary_is_name {
        &["description"]
    } else {
        &["summary", "description"]
    };
    for &key in keys {
        if let Some(text) = node.text(key).map(str::trim).filter(|t| !t.is_empty()) {
            parts.push(text.to_owned());
        }
    }
    if let Some(id) = node.text("operationId") {
        parts.push(format!("Operation: `{id}`"));
    }
    parts.join("\n\n")
}

/// The path item's parameters and the operation's, the operation's winning by name and place.
fn parameters(item: &Node, node: &Node, context: &mut Context) -> Vec<Parameter> {
    let mut out: Vec<Parameter> = Vec::new();
    for list in [item.get("parameters"), node.get("parameters")] {
        for parameter in list.items() {
            let Some(parameter) = context.refs.follow(&parameter, context.losses) else {
                continue;
            };
            let (Some(name), Some(location)) = (parameter.text("name"), parameter.text("in"))
            else {
                context.losses.add(
                    &parameter.place(),
                    "a parameter without `name` or `in`: skipped",
                );
                continue;
            };
            let parameter = Parameter {
                name: name.to_owned(),
                location: location.to_owned(),
                node: parameter.clone(),
            };
            out.retain(|p| !(p.name == parameter.name && p.location == parameter.location));
            out.push(parameter);
        }
    }
    out
}

/// Path, query, header and cookie parameters onto `request`; their descriptions onto
/// `description`.
fn apply_parameters(
    parameters: &[Parameter],
    request: &mut Request,
    description: &mut String,
    context: &mut Context,
) {
    let mut listed = Vec::new();
    let mut cookies = Vec::new();
    for parameter in parameters {
        let node = &parameter.node;
        let required = node.value().get("required").and_then(Value::as_bool) == Some(true);
        if let Some(text) = node
            .text("description")
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let text = text.replace('\n', " ");
            listed.push(format!(
                "- `{}` ({}): {text}",
                parameter.name, parameter.location
            ));
        }
        let value = parameter_value(node, context);
        match parameter.location.as_str() {
            "path" => {
                request.variables.insert(parameter.name.clone(), value);
            }
            "query" => request.query.push(KeyValue {
                enabled: required,
                ..KeyValue::new(&parameter.name, value)
            }),
            "header" => request.headers.push(KeyValue {
                enabled: required,
                ..KeyValue::new(&parameter.name, value)
            }),
            "cookie" => cookies.push(format!("{}={value}", parameter.name)),
            // Swagger's `body` and `formData` are the body's.
            "body" | "formData" => {}
            other => context.losses.add(
                &node.get("in").place(),
                format!(
                    "`{}` is a parameter in `{other}`, which is no place a request has: skipped",
                    parameter.name
                ),
            ),
        }
        let style = node.text("style");
        if style.is_some_and(|style| !matches!(style, "form" | "simple")) {
            context.losses.add(
                &node.get("style").place(),
                format!(
                    "`{}` is serialised in the `{}` style: written as plain text, check it",
                    parameter.name,
                    style.unwrap_or_default()
                ),
            );
        }
    }
    if !cookies.is_empty() {
        request
            .headers
            .push(KeyValue::new("Cookie", cookies.join("; ")));
    }
    if !listed.is_empty() {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str("Parameters:\n");
        description.push_str(&listed.join("\n"));
    }
}

/// A parameter's example: its `example`, its first `examples` value, or one made from its
/// schema (Swagger 2.0 puts the schema's keywords on the parameter itself).
fn parameter_value(node: &Node, context: &mut Context) -> String {
    if let Some(example) = node.value().get("example") {
        return as_text(example);
    }
    if let Some((_, first)) = node.get("examples").entries().into_iter().next()
        && let Some(first) = context.refs.follow(&first, context.losses)
        && let Some(value) = first.value().get("value")
    {
        return as_text(value);
    }
    let schema = if node.get("schema").exists() {
        node.get("schema")
    } else {
        node.clone()
    };
    let mut sampler = Sampler::new(context.refs, context.losses, Direction::Request);
    sampler
        .example(&schema)
        .map(|v| as_text(&v))
        .unwrap_or_default()
}

/// The operation's own `security`, when it differs from the description's.
fn apply_security(node: &Node, request: &mut Request, context: &mut Context) {
    let security = node.get("security");
    if !security.exists() || security.value() == context.document_security.value() {
        return;
    }
    if let Some(requirement) = context.schemes.auth(&security, context.losses) {
        request.auth = requirement.auth;
        for (pair, location) in requirement.extra {
            add_api_key(
                &mut request.headers,
                Some(&mut request.query),
                pair,
                location,
            );
        }
    }
}

/// An API key sent beside another auth: a header, or a query parameter where there are
/// query parameters to add to (a collection has none, so there it is a header).
pub fn add_api_key(
    headers: &mut Vec<KeyValue>,
    query: Option<&mut Vec<KeyValue>>,
    pair: KeyValue,
    location: ApiKeyLocation,
) {
    match (location, query) {
        (ApiKeyLocation::Query, Some(query)) => query.push(pair),
        _ => headers.push(pair),
    }
}
