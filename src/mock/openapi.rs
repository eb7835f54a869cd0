//! `courier mock --openapi FILE`: what an OpenAPI (or Swagger 2.0) description asks of a
//! request, checked before an example answers. Each operation is its method and path under
//! the first server's path (`/api/v3`), its parameters (path, query, header, cookie; each
//! value read as its schema's type) and its body (required or not, its media types, a JSON
//! body's schema). A request that does not fit answers 400 (415 for a media type the
//! operation does not take) saying where; with `check_security`, one without the credentials
//! the operation asks for answers 401. The answers themselves come from the description's
//! examples, imported as a collection (`import`), served like any other.

use serde_json::Value;

use super::choose::Incoming;
use super::pattern::PathPattern;
use super::schema::{self, Misfit};

/// A description's operations, as the mock checks requests against them.
#[derive(Debug)]
pub struct Contract {
    document: Value,
    operations: Vec<Operation>,
    check_security: bool,
}

#[derive(Debug)]
struct Operation {
    method: String,
    pattern: PathPattern,
    /// `GET /pet/{petId}`, as the description writes it.
    name: String,
    parameters: Vec<Parameter>,
    body: Option<BodySpec>,
    /// Alternatives, each a set of schemes that must all be met; empty: none asked.
    security: Vec<Vec<Credential>>,
}

#[derive(Debug)]
struct Parameter {
    name: String,
    location: String,
    required: bool,
    schema: Value,
}

#[derive(Debug)]
struct BodySpec {
    required: bool,
    /// Media types and their schemas.
    media: Vec<(String, Option<Value>)>,
}

/// What a security scheme needs a request to carry.
#[derive(Debug, Clone, PartialEq)]
enum Credential {
    Header(String),
    Query(String),
    Cookie(String),
    /// `Authorization: SCHEME …` (Bearer, Basic).
    Authorization(String),
}

/// Why a request is turned away.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub status: u16,
    pub operation: String,
    pub misfit: Misfit,
}

impl Contract {
    /// The operations of `document`; `check_security` asks for their credentials.
    pub fn read(document: Value, check_security: bool) -> Contract {
        let base = base_path(&document);
        let mut operations = Vec::new();
        if let Some(paths) = document.get("paths").and_then(Value::as_object) {
            for (template, item) in paths {
                operations.extend(path_operations(&document, &base, template, item));
            }
        }
        // `/pet/findByStatus` is that operation's, not `/pet/{petId}`'s with a strange id.
        operations.sort_by_key(|operation| std::cmp::Reverse(operation.pattern.specificity()));
        Contract {
            document,
            operations,
            check_security,
        }
    }

    /// How many operations it has.
    pub fn len(&self) -> usize {
        self.operations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.operations.is_empty()
    }

    /// Whether `incoming` fits its operation; a request no operation has passes (the
    /// examples say 404 or 405 for it).
    pub fn check(&self, incoming: &Incoming<'_>) -> Result<(), Rejection> {
        let Some((operation, captures)) = self.operation(incoming) else {
            return Ok(());
        };
        let reject = |status: u16, misfit: Misfit| Rejection {
            status,
            operation: operation.name.clone(),
            misfit,
        };
        if self.check_security {
            self.check_credentials(operation, incoming)
                .map_err(|misfit| reject(401, misfit))?;
        }
        self.check_parameters(operation, incoming, &captures)
            .map_err(|misfit| reject(400, misfit))?;
        if let Some(body) = &operation.body {
            self.check_body(body, incoming)
                .map_err(|(status, misfit)| reject(status, misfit))?;
        }
        Ok(())
    }

    fn operation(&self, incoming: &Incoming<'_>) -> Option<(&Operation, Vec<(String, String)>)> {
        let find = |method: &str| {
            self.operations.iter().find_map(|operation| {
                (operation.method == method)
                    .then(|| operation.pattern.matches(incoming.path))
                    .flatten()
                    .map(|captures| (operation, captures))
            })
        };
        find(incoming.method).or_else(|| (incoming.method == "HEAD").then(|| find("GET")).flatten())
    }

    fn check_parameters(
        &self,
        operation: &Operation,
        incoming: &Incoming<'_>,
        captures: &[(String, String)],
    ) -> Result<(), Misfit> {
        let cookies = cookies(incoming.headers);
        for parameter in &operation.parameters {
            let pairs: &[(String, String)] = match parameter.location.as_str() {
                "path" => captures,
                "query" => incoming.query,
                "cookie" => &cookies,
                _ => incoming.headers,
            };
            let any_case = parameter.location == "header";
            let value = pairs.iter().find(|(name, _)| {
                name == &parameter.name || (any_case && name.eq_ignore_ascii_case(&parameter.name))
            });
            let at = format!("{} parameter {}", parameter.location, parameter.name);
            match value {
                None if parameter.required => {
                    return Err(Misfit {
                        at,
                        message: "it is required".to_owned(),
                    });
                }
                None => {}
                Some((_, text)) => {
                    let value = self.typed(text, &parameter.schema);
                    schema::check(&value, &parameter.schema, &self.document, &at)?;
                }
            }
        }
        Ok(())
    }

    /// A parameter's text as the value its schema's type says.
    fn typed(&self, text: &str, schema: &Value) -> Value {
        let schema = self.followed(schema);
        // 3.1 writes `["integer", "null"]`: the first type that is not null.
        let kind = match schema.get("type") {
            Some(Value::String(kind)) => kind.as_str(),
            Some(Value::Array(kinds)) => kinds
                .iter()
                .filter_map(Value::as_str)
                .find(|kind| *kind != "null")
                .unwrap_or("string"),
            _ => "string",
        };
        match kind {
            "integer" => text
                .parse::<i64>()
                .map_or_else(|_| text.into(), Value::from),
            // A whole number stays whole, so `enum: [1, 2]` holds for `1`.
            "number" => text.parse::<i64>().map(Value::from).unwrap_or_else(|_| {
                text.parse::<f64>()
                    .ok()
                    .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number))
                    .unwrap_or_else(|| text.into())
            }),
            "boolean" => match text {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => text.into(),
            },
            "array" => {
                let items = schema.get("items").cloned().unwrap_or(Value::Bool(true));
                Value::Array(
                    text.split(',')
                        .map(|part| self.typed(part, &items))
                        .collect(),
                )
            }
            _ => text.into(),
        }
    }

    /// A schema with its `$ref` followed (one step at a time, a few steps at most).
    fn followed<'s>(&'s self, mut schema: &'s Value) -> &'s Value {
        for _ in 0..8 {
            let Some(target) = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| schema::resolve(&self.document, reference))
            else {
                break;
            };
            schema = target;
        }
        schema
    }

    /// The body's verdict: a 415 for a media type the operation does not take, a 400 for a
    /// body that does not fit.
    fn check_body(&self, body: &BodySpec, incoming: &Incoming<'_>) -> Result<(), (u16, Misfit)> {
        let misfit = |message: String| Misfit {
            at: "body".to_owned(),
            message,
        };
        if incoming.body.is_empty() && !incoming.body_cut {
            return match body.required {
                true => Err((400, misfit("a body is required".to_owned()))),
                false => Ok(()),
            };
        }
        let media = incoming
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| {
                value
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        let Some((_, schema)) = body
            .media
            .iter()
            .find(|(taken, _)| media_fits(taken, &media))
        else {
            let taken: Vec<&str> = body.media.iter().map(|(name, _)| name.as_str()).collect();
            let wrong = Misfit {
                at: "header Content-Type".to_owned(),
                message: format!("{media:?} is not one of {}", taken.join(", ")),
            };
            return Err((415, wrong));
        };
        // A body past the mock's cap is taken as it is: its start is no JSON document.
        let (Some(schema), true, false) = (schema, media.contains("json"), incoming.body_cut)
        else {
            return Ok(());
        };
        let value: Value = serde_json::from_slice(incoming.body)
            .map_err(|err| (400, misfit(format!("not JSON: {err}"))))?;
        schema::check(&value, schema, &self.document, "body").map_err(|misfit| (400, misfit))
    }

    fn check_credentials(
        &self,
        operation: &Operation,
        incoming: &Incoming<'_>,
    ) -> Result<(), Misfit> {
        if operation.security.is_empty() {
            return Ok(());
        }
        let cookies = cookies(incoming.headers);
        let carries = |credential: &Credential| match credential {
            Credential::Header(name) => header(incoming.headers, name).is_some(),
            Credential::Query(name) => incoming.query.iter().any(|(known, _)| known == name),
            Credential::Cookie(name) => cookies.iter().any(|(known, _)| known == name),
            Credential::Authorization(scheme) => header(incoming.headers, "authorization")
                .is_some_and(|value| {
                    value
                        .split_whitespace()
                        .next()
                        .is_some_and(|word| word.eq_ignore_ascii_case(scheme))
                }),
        };
        if operation
            .security
            .iter()
            .any(|alternative| alternative.iter().all(carries))
        {
            return Ok(());
        }
        let wanted: Vec<String> = operation
            .security
            .iter()
            .map(|alternative| {
                alternative
                    .iter()
                    .map(|credential| match credential {
                        Credential::Header(name) => format!("header {name}"),
                        Credential::Query(name) => format!("query {name}"),
                        Credential::Cookie(name) => format!("cookie {name}"),
                        Credential::Authorization(scheme) => format!("Authorization: {scheme}"),
                    })
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect();
        Err(Misfit {
            at: "credentials".to_owned(),
            message: format!("needs {}", wanted.join(", or ")),
        })
    }
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// The request's cookies, by name.
fn cookies(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("cookie"))
        .flat_map(|(_, value)| value.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

/// Whether a request's media type is one an operation takes (`application/*`, `*/*`).
fn media_fits(taken: &str, media: &str) -> bool {
    let taken = taken.to_ascii_lowercase();
    match taken.split_once('/') {
        _ if taken == media => true,
        Some(("*", "*")) => true,
        Some((kind, "*")) => media.split('/').next() == Some(kind),
        _ => false,
    }
}

/// The first server's path (`/api/v3`), its `{variables}` at their defaults; Swagger 2.0's
/// `basePath`.
fn base_path(document: &Value) -> String {
    if let Some(base) = document.get("basePath").and_then(Value::as_str) {
        return base.trim_end_matches('/').to_owned();
    }
    let Some(server) = document.pointer("/servers/0") else {
        return String::new();
    };
    let mut url = server
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    if let Some(variables) = server.get("variables").and_then(Value::as_object) {
        for (name, variable) in variables {
            let default = variable
                .get("default")
                .and_then(Value::as_str)
                .unwrap_or("");
            url = url.replace(&format!("{{{name}}}"), default);
        }
    }
    let path = match url::Url::parse(&url) {
        Ok(parsed) => parsed.path().to_owned(),
        Err(_) => url,
    };
    path.trim_end_matches('/').to_owned()
}

/// `{petId}` as the mock's patterns write it, `{{petId}}`.
fn as_pattern(template: &str) -> String {
    template.replace('{', "{{").replace('}', "}}")
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn path_operations(document: &Value, base: &str, template: &str, item: &Value) -> Vec<Operation> {
    let shared = item.get("parameters");
    METHODS
        .iter()
        .filter_map(|method| {
            let node = item.get(*method)?;
            let mut parameters = parameters(document, shared);
            for own in parameters_of(document, node.get("parameters")) {
                parameters
                    .retain(|p: &Parameter| (&p.name, &p.location) != (&own.name, &own.location));
                parameters.push(own);
            }
            let body = body_spec(document, node);
            parameters.retain(|p| p.location != "body" && p.location != "formData");
            let security = node
                .get("security")
                .or_else(|| document.get("security"))
                .map(|requirements| credentials(document, requirements))
                .unwrap_or_default();
            Some(Operation {
                method: method.to_ascii_uppercase(),
                pattern: PathPattern::parse(&as_pattern(template)).under(base),
                name: format!("{} {template}", method.to_ascii_uppercase()),
                parameters,
                body,
                security,
            })
        })
        .collect()
}

fn parameters(document: &Value, list: Option<&Value>) -> Vec<Parameter> {
    parameters_of(document, list).collect()
}

fn parameters_of<'d>(
    document: &'d Value,
    list: Option<&'d Value>,
) -> impl Iterator<Item = Parameter> + 'd {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(move |parameter| {
            let parameter = local_ref(document, parameter);
            let location = parameter.get("in")?.as_str()?.to_owned();
            // Swagger 2.0 puts a parameter's type on the parameter itself.
            let schema = parameter.get("schema").cloned().unwrap_or_else(|| {
                let mut own = parameter.clone();
                if let Some(object) = own.as_object_mut() {
                    object.retain(|key, _| !matches!(key.as_str(), "name" | "in" | "required"));
                }
                own
            });
            Some(Parameter {
                name: parameter.get("name")?.as_str()?.to_owned(),
                required: location == "path"
                    || parameter.get("required") == Some(&Value::Bool(true)),
                location,
                schema,
            })
        })
}

/// A `$ref` within the document followed, or the value itself.
fn local_ref<'d>(document: &'d Value, value: &'d Value) -> &'d Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| schema::resolve(document, reference))
        .unwrap_or(value)
}

/// 3.x's `requestBody`, or Swagger 2.0's `in: body` parameter (JSON, by `consumes`).
fn body_spec(document: &Value, operation: &Value) -> Option<BodySpec> {
    if let Some(body) = operation.get("requestBody") {
        let body = local_ref(document, body);
        let media = body
            .get("content")
            .and_then(Value::as_object)?
            .iter()
            .map(|(name, media)| (name.to_ascii_lowercase(), media.get("schema").cloned()))
            .collect();
        return Some(BodySpec {
            required: body.get("required") == Some(&Value::Bool(true)),
            media,
        });
    }
    let parameter = operation
        .get("parameters")
        .and_then(Value::as_array)?
        .iter()
        .map(|parameter| local_ref(document, parameter))
        .find(|parameter| parameter.get("in").and_then(Value::as_str) == Some("body"))?;
    let consumes: Vec<String> = operation
        .get("consumes")
        .or_else(|| document.get("consumes"))
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_else(|| vec!["application/json".to_owned()]);
    Some(BodySpec {
        required: parameter.get("required") == Some(&Value::Bool(true)),
        media: consumes
            .into_iter()
            .map(|name| (name, parameter.get("schema").cloned()))
            .collect(),
    })
}

/// Security requirements as the credentials each asks a request to carry.
fn credentials(document: &Value, requirements: &Value) -> Vec<Vec<Credential>> {
    let schemes = document
        .pointer("/components/securitySchemes")
        .or_else(|| document.get("securityDefinitions"));
    requirements
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|alternative| {
            alternative
                .keys()
                .filter_map(|name| schemes?.get(name))
                .filter_map(|scheme| credential(local_ref(document, scheme)))
                .collect()
        })
        .collect()
}

fn credential(scheme: &Value) -> Option<Credential> {
    let text = |key: &str| scheme.get(key).and_then(Value::as_str).unwrap_or("");
    Some(match text("type") {
        "apiKey" => match text("in") {
            "query" => Credential::Query(text("name").to_owned()),
            "cookie" => Credential::Cookie(text("name").to_owned()),
            _ => Credential::Header(text("name").to_owned()),
        },
        "http" => Credential::Authorization(match text("scheme") {
            "" => "Bearer".to_owned(),
            scheme => scheme.to_owned(),
        }),
        "basic" => Credential::Authorization("Basic".to_owned()),
        "oauth2" | "openIdConnect" => Credential::Authorization("Bearer".to_owned()),
        _ => return None,
    })
}
