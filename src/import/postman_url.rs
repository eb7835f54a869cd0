//! A Postman request's URL: a string, or an object with `raw`, `host`, `path`, `query` and
//! path `variable`s. Path variables (`/users/:id`) become Courier templates (`{{id}}`) with
//! their values as the request's variables; query pairs become the request's `query` list, so
//! the disabled ones are kept too.

use serde_json::Value;

use super::postman::{scalar, text};
use super::tree::Losses;
use crate::model::{KeyValue, Request};

/// Sets `request`'s URL, query and path variables from a Postman `url`.
pub fn apply(value: Option<&Value>, request: &mut Request, place: &str, losses: &mut Losses) {
    let url = match value {
        Some(Value::String(raw)) => raw.clone(),
        Some(Value::Object(_)) => {
            let url = value.unwrap_or(&Value::Null);
            let query = url.get("query").and_then(Value::as_array);
            let raw = text(url.get("raw")).unwrap_or_else(|| assembled(url));
            match query {
                Some(pairs) => {
                    request.query = pairs.iter().filter_map(query_pair).collect();
                    // The pairs say it all, disabled ones included: the raw query would repeat.
                    raw.split_once('?')
                        .map_or(raw.clone(), |(base, _)| base.to_owned())
                }
                None => raw,
            }
        }
        None | Some(Value::Null) => {
            losses.add(place, "the request has no URL");
            String::new()
        }
        Some(_) => {
            losses.add(place, "the URL is neither text nor an object: left empty");
            String::new()
        }
    };
    request.url = with_path_templates(&url, request);
    let variables = value
        .and_then(|url| url.get("variable"))
        .and_then(Value::as_array);
    for variable in variables.into_iter().flatten() {
        if let Some(key) = text(variable.get("key")) {
            request.variables.insert(key, scalar(variable.get("value")));
        }
    }
}

/// A query pair; a pair with neither key nor value is none.
fn query_pair(pair: &Value) -> Option<KeyValue> {
    let key = text(pair.get("key")).unwrap_or_default();
    let value = scalar(pair.get("value"));
    if key.is_empty() && value.is_empty() {
        return None;
    }
    let mut kv = KeyValue::new(key, value);
    kv.enabled = pair.get("disabled") != Some(&Value::Bool(true));
    Some(kv)
}

/// A URL from its parts when there is no `raw`.
fn assembled(url: &Value) -> String {
    let joined = |value: Option<&Value>, separator: &str| match value {
        Some(Value::Array(parts)) => parts
            .iter()
            .map(|p| scalar(Some(p)))
            .collect::<Vec<_>>()
            .join(separator),
        other => scalar(other),
    };
    let mut out = String::new();
    if let Some(protocol) = text(url.get("protocol")) {
        out.push_str(&protocol);
        out.push_str("://");
    }
    out.push_str(&joined(url.get("host"), "."));
    if let Some(port) = url
        .get("port")
        .map(|p| scalar(Some(p)))
        .filter(|p| !p.is_empty())
    {
        out.push(':');
        out.push_str(&port);
    }
    let path = joined(url.get("path"), "/");
    if !path.is_empty() {
        out.push('/');
        out.push_str(path.trim_start_matches('/'));
    }
    out
}

/// `:name` path segments as `{{name}}`, each name a variable of the request (empty until
/// the source gives it a value).
fn with_path_templates(url: &str, request: &mut Request) -> String {
    let (base, rest) = match url.find(['?', '#']) {
        Some(at) => url.split_at(at),
        None => (url, ""),
    };
    // Past the scheme and the host: `http://host:8080` has a port, not a variable.
    let path_start = base
        .find("://")
        .map(|scheme| scheme + 3)
        .and_then(|after| base[after..].find('/').map(|slash| after + slash))
        .unwrap_or_else(|| base.find('/').unwrap_or(base.len()));
    let (host, path) = base.split_at(path_start);
    let segments: Vec<String> = path
        .split('/')
        .map(|segment| match segment.strip_prefix(':') {
            Some(name) if !name.is_empty() && !name.contains("{{") => {
                request.variables.entry(name.to_owned()).or_default();
                format!("{{{{{name}}}}}")
            }
            _ => segment.to_owned(),
        })
        .collect();
    format!("{host}{}{rest}", segments.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Method;

    fn url_of(value: Value) -> (Request, Losses) {
        let mut request = Request::new("r", Method::get(), "");
        let mut losses = Losses::default();
        apply(Some(&value), &mut request, "/url", &mut losses);
        (request, losses)
    }

    #[test]
    fn path_variables_become_templates_and_query_pairs_a_list() {
        let (request, losses) = url_of(serde_json::json!({
            "raw": "https://api.example.com:8443/users/:id/posts?page=2&draft=1",
            "query": [
                {"key": "page", "value": "2"},
                {"key": "draft", "value": "1", "disabled": true}
            ],
            "variable": [{"key": "id", "value": "42"}]
        }));
        assert_eq!(
            request.url,
            "https://api.example.com:8443/users/{{id}}/posts"
        );
        assert_eq!(request.variables.get("id").map(String::as_str), Some("42"));
        assert_eq!(request.query.len(), 2);
        assert!(!request.query[1].enabled, "a disabled pair is kept, off");
        assert!(losses.0.is_empty());
    }

    #[test]
    fn a_url_without_raw_is_assembled_and_a_plain_string_kept() {
        let (request, _) = url_of(serde_json::json!({
            "protocol": "http", "host": ["localhost"], "port": "8080", "path": ["a", ":b"]
        }));
        assert_eq!(request.url, "http://localhost:8080/a/{{b}}");
        let (request, _) = url_of(Value::String("{{url}}/repos/{{user}}".to_owned()));
        assert_eq!(request.url, "{{url}}/repos/{{user}}");
        let (request, losses) = url_of(Value::Bool(true));
        assert_eq!(request.url, "");
        assert_eq!(losses.0.len(), 1);
    }
}
