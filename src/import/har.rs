//! HAR 1.2 (what browsers' network panels and proxies export): each entry becomes a request,
//! in order, named by its path, with its response as the request's example. A browser's
//! HAR carries the session's credentials: `Authorization` and `Cookie` values are moved to
//! the collection's `.env` (the header then reads `{{HAR_AUTHORIZATION_3}}`), never written
//! into a request file, and the report says so. Headers the client makes itself (HTTP/2
//! pseudo-headers, `Host`, `Content-Length`) are left out.

use base64::Engine as _;
use serde_json::Value;

use super::postman::{scalar, text};
use super::tree::{ImportedCollection, ImportedExample, ImportedItem, ImportedRequest, Losses};
use crate::model::{Body, CollectionMeta, KeyValue, Method, MultipartPart, Request};

/// Headers a client sets itself, and those that describe the transfer rather than the message.
const MADE_BY_THE_CLIENT: &[&str] = &["host", "content-length", "connection", "transfer-encoding"];
/// Headers whose values are credentials.
const CREDENTIALS: &[&str] = &["authorization", "cookie", "proxy-authorization"];

/// The entries of the HAR in `value` as a collection named `name`.
pub fn collection(value: &Value, name: &str, losses: &mut Losses) -> ImportedCollection {
    let mut collection = ImportedCollection {
        meta: CollectionMeta::named(name),
        items: Vec::new(),
        environments: Vec::new(),
        secrets: Vec::new(),
        scripts: Vec::new(),
        files: Vec::new(),
    };
    let entries = value.pointer("/log/entries").and_then(Value::as_array);
    for (index, entry) in entries.into_iter().flatten().enumerate() {
        let place = format!("/log/entries/{index}");
        let Some(source) = entry.get("request") else {
            losses.add(&place, "an entry without a request: skipped");
            continue;
        };
        let (request, body_text) = request(source, index, &place, &mut collection.secrets, losses);
        let examples = entry
            .get("response")
            .and_then(|response| example(response, &place, losses))
            .into_iter()
            .collect();
        collection
            .items
            .push(ImportedItem::Request(Box::new(ImportedRequest {
                request,
                body_text,
                examples,
                scripts: Vec::new(),
            })));
    }
    collection
}

fn request(
    source: &Value,
    index: usize,
    place: &str,
    secrets: &mut Vec<(String, String)>,
    losses: &mut Losses,
) -> (Request, Option<String>) {
    let method_text = text(source.get("method")).unwrap_or_else(|| "GET".to_owned());
    let method = Method::try_from(method_text.to_ascii_uppercase()).unwrap_or_else(|_| {
        losses.add(
            place,
            format!("`{method_text}` is no HTTP method: GET instead"),
        );
        Method::get()
    });
    let url = text(source.get("url")).unwrap_or_default();
    let mut request = Request::new(super::name_from_url(&url), method, url);
    for header in source
        .get("headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = text(header.get("name")) else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        if name.starts_with(':') || MADE_BY_THE_CLIENT.contains(&lower.as_str()) {
            continue;
        }
        let mut value = scalar(header.get("value"));
        if CREDENTIALS.contains(&lower.as_str()) && !value.is_empty() {
            let variable = format!(
                "HAR_{}_{index}",
                lower.replace('-', "_").to_ascii_uppercase()
            );
            secrets.push((variable.clone(), value));
            losses.add(
                &format!("{place}/request/headers"),
                format!(
                    "the {name} header's value moved to .env as {variable}: a recorded credential"
                ),
            );
            value = format!("{{{{{variable}}}}}");
        }
        request.headers.push(KeyValue::new(name, value));
    }
    let body_text = body(source.get("postData"), &mut request);
    (request, body_text)
}

/// The body of `postData`: JSON, form fields, multipart parts or text, by its MIME type.
fn body(post: Option<&Value>, request: &mut Request) -> Option<String> {
    let post = post?;
    let mime = text(post.get("mimeType"))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let params = post.get("params").and_then(Value::as_array);
    if mime.contains("x-www-form-urlencoded")
        && let Some(params) = params
    {
        let fields = params
            .iter()
            .filter_map(|p| Some(KeyValue::new(text(p.get("name"))?, scalar(p.get("value")))))
            .collect();
        request.body = Body::Form { fields };
        return None;
    }
    if mime.contains("multipart/form-data")
        && let Some(params) = params
    {
        let parts = params
            .iter()
            .filter_map(|p| {
                let file = text(p.get("fileName"));
                Some(MultipartPart {
                    name: text(p.get("name"))?,
                    value: file.is_none().then(|| scalar(p.get("value"))),
                    file,
                    content_type: text(p.get("contentType")),
                    enabled: true,
                })
            })
            .collect();
        request.body = Body::Multipart { parts };
        return None;
    }
    let body = text(post.get("text")).filter(|t| !t.is_empty())?;
    request.body = if mime.contains("json") {
        Body::Json {
            file: String::new(),
        }
    } else {
        Body::Text {
            file: String::new(),
            content_type: (!mime.is_empty()).then_some(mime),
        }
    };
    Some(body)
}

/// The recorded response as an example named by its status.
fn example(response: &Value, place: &str, losses: &mut Losses) -> Option<ImportedExample> {
    let status = response
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| *s >= 100)?;
    let headers = response
        .get("headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|h| Some((text(h.get("name"))?, scalar(h.get("value")))))
        .filter(|(name, _)| {
            let lower = name.to_ascii_lowercase();
            !name.starts_with(':')
                && ![
                    "set-cookie",
                    "content-length",
                    "content-encoding",
                    "transfer-encoding",
                    "date",
                ]
                .contains(&lower.as_str())
        })
        .collect();
    let content = response.get("content");
    let mime = content
        .and_then(|c| text(c.get("mimeType")))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let raw = content
        .and_then(|c| text(c.get("text")))
        .unwrap_or_default();
    let body = if content
        .and_then(|c| c.get("encoding"))
        .and_then(Value::as_str)
        == Some("base64")
    {
        base64::engine::general_purpose::STANDARD
            .decode(raw.as_bytes())
            .unwrap_or_else(|_| {
                losses.add(
                    &format!("{place}/response/content"),
                    "the body is not base64 as it says: left out",
                );
                Vec::new()
            })
    } else {
        raw.into_bytes()
    };
    let extension = crate::store::examples::extension_for(&mime);
    let reason = text(response.get("statusText")).filter(|r| !r.is_empty());
    Some(ImportedExample {
        name: match reason {
            Some(reason) => format!("{status} {reason}"),
            None => status.to_string(),
        },
        status,
        headers,
        body,
        extension,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_become_requests_with_their_responses_and_no_credentials() {
        let har = serde_json::json!({"log": {"version": "1.2", "entries": [
            {"request": {"method": "POST", "url": "https://api.example.com/v1/items?draft=1",
                "headers": [{"name": ":authority", "value": "api.example.com"},
                            {"name": "Host", "value": "api.example.com"},
                            {"name": "Authorization", "value": "Bearer eyJs3cr3t"},
                            {"name": "Content-Type", "value": "application/json"}],
                "postData": {"mimeType": "application/json", "text": "{\"n\":1}"}},
             "response": {"status": 201, "statusText": "Created",
                "headers": [{"name": "Content-Type", "value": "application/json"},
                            {"name": "Set-Cookie", "value": "sid=abc"}],
                "content": {"mimeType": "application/json", "text": "eyJvayI6dHJ1ZX0=", "encoding": "base64"}}},
            {"request": {"method": "POST", "url": "https://api.example.com/login",
                "postData": {"mimeType": "application/x-www-form-urlencoded",
                             "params": [{"name": "user", "value": "ada"}]}},
             "response": {"status": 0}}
        ]}});
        let mut losses = Losses::default();
        let collection = collection(&har, "session", &mut losses);
        let all = collection.requests();
        assert_eq!(all.len(), 2);
        let post = all[0];
        assert_eq!(post.request.name, "/v1/items");
        assert_eq!(post.request.url, "https://api.example.com/v1/items?draft=1");
        let headers: Vec<(&str, &str)> = post
            .request
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        assert_eq!(
            headers,
            [
                ("Authorization", "{{HAR_AUTHORIZATION_0}}"),
                ("Content-Type", "application/json")
            ]
        );
        assert_eq!(
            collection.secrets,
            vec![(
                "HAR_AUTHORIZATION_0".to_owned(),
                "Bearer eyJs3cr3t".to_owned()
            )]
        );
        assert_eq!(post.body_text.as_deref(), Some("{\"n\":1}"));
        let example = &post.examples[0];
        assert_eq!(
            (example.name.as_str(), example.status),
            ("201 Created", 201)
        );
        assert_eq!(example.body, b"{\"ok\":true}");
        assert_eq!(
            example.headers.len(),
            1,
            "no Set-Cookie in a collection file"
        );
        assert!(matches!(&all[1].request.body, Body::Form { fields } if fields[0].name == "user"));
        assert!(
            all[1].examples.is_empty(),
            "status 0: the request never got an answer"
        );
        assert_eq!(losses.0.len(), 1, "{losses:?}");
    }
}
