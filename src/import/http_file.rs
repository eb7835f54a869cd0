//! `.http` and `.rest` files, in the JetBrains HTTP Client and the VS Code REST Client
//! dialects: `@name = value` file variables (the collection's variables), requests separated
//! by `###` (whose text names the request), `# @name` naming one too, `#` and `//` comments
//! before a request (its description), a request line `METHOD URL [HTTP/x]` continued by lines
//! starting with `?` or `&`, headers to the first blank line, then the body (`< file` for a
//! body read from a file). Response handlers (`> {% … %}`, `> file.js`) and pre-request
//! scripts (`< {% … %}`) are kept as text. Their `{{variables}}` and `{{$uuid}}`-style
//! built-ins are Courier's own syntax already.
//!
//! And the environment files of the JetBrains client: `http-client.env.json` (one
//! environment per key) and `http-client.private.env.json` (secrets, into `.env`).

use serde_json::Value;

use super::tree::{
    Environments, ImportedCollection, ImportedItem, ImportedRequest, Losses, Script, Secrets,
};
use crate::model::{
    Body, CollectionMeta, DurationText, EnvironmentFile, KeyValue, Method, Options, Request,
};

const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT",
];

/// Every request of the `.http` text as a collection named `name`.
pub fn collection(text: &str, name: &str, losses: &mut Losses) -> ImportedCollection {
    let mut meta = CollectionMeta::named(name);
    let mut items = Vec::new();
    for block in blocks(text) {
        if let Some(request) = request(&block, &mut meta, losses) {
            items.push(ImportedItem::Request(Box::new(request)));
        }
    }
    ImportedCollection {
        meta,
        items,
        environments: Vec::new(),
        secrets: Vec::new(),
        scripts: Vec::new(),
        files: Vec::new(),
    }
}

/// One `###`-separated part: its `###` text, its first line's number, its lines.
struct Block<'a> {
    title: String,
    first_line: usize,
    lines: Vec<&'a str>,
}

fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = vec![Block {
        title: String::new(),
        first_line: 1,
        lines: Vec::new(),
    }];
    for (index, line) in text.lines().enumerate() {
        if let Some(title) = line.strip_prefix("###") {
            out.push(Block {
                title: title.trim().to_owned(),
                first_line: index + 2,
                lines: Vec::new(),
            });
        } else if let Some(block) = out.last_mut() {
            block.lines.push(line);
        }
    }
    out
}

/// What comes before a request line: its name, its description and its pre-request scripts
/// (file variables go straight to the collection).
#[derive(Default)]
struct Preamble {
    name: Option<String>,
    description: Vec<String>,
    scripts: Vec<Script>,
    /// From the client's `# @timeout`-style directives.
    options: Options,
}

/// The request of a block (file variables in it go to `meta`); None when it has none.
fn request(
    block: &Block<'_>,
    meta: &mut CollectionMeta,
    losses: &mut Losses,
) -> Option<ImportedRequest> {
    let mut preamble = Preamble {
        name: (!block.title.is_empty()).then(|| block.title.clone()),
        ..Preamble::default()
    };
    let mut lines = block.lines.iter().enumerate().peekable();
    let (number, request_line) = loop {
        let (offset, line) = lines.next()?;
        let number = block.first_line + offset;
        let trimmed = line.trim();
        // A pre-request script comes before its request: `< {% … %}`.
        if let Some(first) = trimmed.strip_prefix("< {%") {
            let text = script_text(first, || lines.next().map(|(_, l)| (*l).to_owned()));
            preamble.scripts.push(Script {
                when: "pre-request".to_owned(),
                extension: "js",
                text,
                place: format!("line {number}"),
            });
        } else if !preamble.take(trimmed, number, meta, losses) {
            break (number, trimmed);
        }
    };
    let (method, mut url) = request_line_parts(request_line);
    // The URL may go on over lines starting with `?` or `&`.
    while let Some(next) = lines
        .peek()
        .map(|(_, l)| l.trim())
        .filter(|l| l.starts_with('?') || l.starts_with('&'))
    {
        url.push_str(next);
        lines.next();
    }
    let mut request = Request::new("", method, url);
    for (_, line) in lines.by_ref() {
        let Some((header, value)) = line.split_once(':').filter(|_| !line.trim().is_empty()) else {
            break;
        };
        request
            .headers
            .push(KeyValue::new(header.trim(), value.trim()));
    }
    let rest: Vec<&str> = lines.map(|(_, line)| *line).collect();
    let (body_text, scripts) = body_and_scripts(&rest, number);
    preamble.scripts.extend(scripts);
    let body_text = body(&mut request, body_text);
    request.description = preamble.description.join("\n");
    request.options = preamble.options;
    request.name = preamble
        .name
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| super::name_from_url(&request.url));
    Some(ImportedRequest {
        request,
        body_text,
        examples: Vec::new(),
        scripts: preamble.scripts,
    })
}

impl Preamble {
    /// The JetBrains client's directives Courier has options for: `@timeout N` (the read
    /// timeout, seconds), `@connection-timeout N` and `@no-redirect`.
    fn option(&mut self, comment: &str) -> bool {
        let seconds = |text: &str| {
            let n: u64 = text.trim().parse().ok()?;
            Some(DurationText::new(std::time::Duration::from_secs(n)))
        };
        if let Some(value) = comment.strip_prefix("@connection-timeout") {
            self.options.timeouts.connect = seconds(value);
        } else if let Some(value) = comment.strip_prefix("@timeout") {
            self.options.timeouts.read = seconds(value);
        } else if comment == "@no-redirect" {
            self.options.redirects.follow = Some(false);
        } else {
            return false;
        }
        true
    }

    /// Takes a line before the request line (blank, `@var = value`, a comment or a `@name`);
    /// false when it is none of those, so it is the request line.
    fn take(
        &mut self,
        line: &str,
        number: usize,
        meta: &mut CollectionMeta,
        losses: &mut Losses,
    ) -> bool {
        if line.is_empty() {
            return true;
        }
        if let Some((variable, value)) = line.strip_prefix('@').and_then(|v| v.split_once('=')) {
            meta.variables
                .insert(variable.trim().to_owned(), value.trim().to_owned());
            return true;
        }
        let Some(comment) = line.strip_prefix('#').or_else(|| line.strip_prefix("//")) else {
            return false;
        };
        let comment = comment.trim();
        if self.option(comment) {
            return true;
        }
        match comment.strip_prefix("@name") {
            Some(named) => self.name = Some(named.trim_start_matches([' ', '=']).trim().to_owned()),
            None if comment.starts_with('@') => losses.add(
                &format!("line {number}"),
                format!("the directive `{comment}` has no equivalent: dropped"),
            ),
            None => self.description.push(comment.to_owned()),
        }
        true
    }
}

/// The text of a `{% … %}` script whose first line (after `{%`) is `first`, the next ones
/// from `next`, up to the `%}`.
fn script_text(first: &str, mut next: impl FnMut() -> Option<String>) -> String {
    let mut text = Vec::new();
    let mut current = first.to_owned();
    loop {
        if let Some(end) = current.find("%}") {
            text.push(current[..end].to_owned());
            break;
        }
        text.push(current);
        match next() {
            Some(line) => current = line,
            None => break,
        }
    }
    text.join("\n").trim().to_owned()
}

/// `POST https://h/x HTTP/1.1` as its method and URL; a line of only a URL is a GET.
fn request_line_parts(line: &str) -> (Method, String) {
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or_default();
    let (method, url) = if METHODS.contains(&first.to_ascii_uppercase().as_str()) {
        (first.to_ascii_uppercase(), words.next().unwrap_or_default())
    } else {
        ("GET".to_owned(), first)
    };
    (
        Method::try_from(method).unwrap_or_else(|_| Method::get()),
        url.to_owned(),
    )
}

/// The body's lines (trailing blank lines dropped) and the scripts after or before it.
fn body_and_scripts(lines: &[&str], request_line: usize) -> (String, Vec<Script>) {
    let mut body = Vec::new();
    let mut scripts = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let handler = line.strip_prefix("> ").map(|rest| ("tests", rest));
        match handler {
            Some((when, rest)) if rest.trim_start().starts_with("{%") => {
                let first = rest.trim_start().trim_start_matches("{%");
                let start = index;
                let text = script_text(first, || {
                    index += 1;
                    lines.get(index).map(|l| (*l).to_owned())
                });
                scripts.push(Script {
                    when: when.to_owned(),
                    extension: "js",
                    text,
                    place: format!("line {}", request_line + 1 + start),
                });
            }
            Some((when, file)) => scripts.push(Script {
                when: when.to_owned(),
                extension: "txt",
                text: format!("// The script is the file {}\n", file.trim()),
                place: format!("line {}", request_line + 1 + index),
            }),
            None => body.push(line),
        }
        index += 1;
    }
    while body.last().is_some_and(|line| line.trim().is_empty()) {
        body.pop();
    }
    (body.join("\n"), scripts)
}

/// Sets the request's body from its text; the text for its sidecar, when it has one.
fn body(request: &mut Request, text: String) -> Option<String> {
    if text.trim().is_empty() {
        return None;
    }
    let content_type = request
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-type"))
        .map(|h| h.value.to_ascii_lowercase());
    if let Some(file) = text.trim().strip_prefix("< ").filter(|f| !f.contains('\n')) {
        request.body = Body::Binary {
            file: file.trim().to_owned(),
            content_type: None,
        };
        return None;
    }
    let is_json = content_type.as_deref().is_some_and(|t| t.contains("json"));
    request.body = if is_json {
        Body::Json {
            file: String::new(),
        }
    } else if content_type
        .as_deref()
        .is_some_and(|t| t.contains("x-www-form-urlencoded"))
    {
        let fields = text
            .trim()
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                KeyValue::new(name.trim(), value.trim())
            })
            .collect();
        request.body = Body::Form { fields };
        return None;
    } else {
        Body::Text {
            file: String::new(),
            content_type: None,
        }
    };
    Some(text)
}

/// Whether `value` (a file named `file_name`) is a JetBrains environment file.
pub fn is_environment_file(file_name: &str, value: &Value) -> bool {
    file_name.ends_with("env.json")
        && file_name.contains("http-client")
        && value
            .as_object()
            .is_some_and(|map| map.values().all(Value::is_object))
}

/// The environments of `http-client.env.json`, or the secrets of its private twin.
pub fn environments(value: &Value, private: bool, losses: &mut Losses) -> (Environments, Secrets) {
    let mut environments = Vec::new();
    let mut secrets: Vec<(String, String)> = Vec::new();
    for (name, values) in value.as_object().into_iter().flatten() {
        let mut file = EnvironmentFile::default();
        for (key, value) in values.as_object().into_iter().flatten() {
            let text = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            if private {
                match secrets.iter().find(|(k, _)| k == key) {
                    Some((_, first)) if *first != text => losses.add(
                        &format!("/{name}/{key}"),
                        format!(
                            "`{key}` differs between private environments; .env keeps the first"
                        ),
                    ),
                    Some(_) => {}
                    None => secrets.push((key.clone(), text)),
                }
            } else {
                file.variables.insert(key.clone(), text);
            }
        }
        if !private {
            environments.push((name.clone(), file));
        }
    }
    (environments, secrets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eshop_file_comes_across_field_by_field() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/import/http/dotnet-eshop-Catalog.API.http");
        let text = std::fs::read_to_string(path).expect("the fixture");
        let mut losses = Losses::default();
        let collection = collection(&text, "Catalog.API", &mut losses);
        assert!(losses.0.is_empty(), "{losses:?}");
        assert_eq!(
            collection
                .meta
                .variables
                .get("Catalog.API_HostAddress")
                .map(String::as_str),
            Some("http://localhost:5222")
        );
        let all = collection.requests();
        assert!(all.len() >= 6, "{}", all.len());
        assert_eq!(
            all[0].request.url,
            "{{Catalog.API_HostAddress}}/openapi/v1.json"
        );
        assert_eq!(all[0].request.name, "/openapi/v1.json");
        assert!(
            all[3]
                .request
                .description
                .starts_with("A request with an unknown API version")
        );
        let put = all
            .iter()
            .find(|r| r.request.method.as_str() == "PUT")
            .expect("the PUT");
        assert!(matches!(put.request.body, Body::Json { .. }));
        let body: Value =
            serde_json::from_str(put.body_text.as_deref().expect("a body")).expect("JSON");
        assert_eq!(body["catalogBrandId"], 2);
    }

    #[test]
    fn names_multi_line_urls_scripts_and_file_bodies() {
        let text = "### Create one\nPOST https://h/items\n    ?a=1\n    &b=2\nContent-Type: text/plain\n\nhello\n\n> {%\n  client.test(\"ok\", () => {});\n%}\n\n###\n< {%\n  request.variables.set(\"t\", \"1\");\n%}\n# @name upload\nPUT https://h/up HTTP/1.1\n\n< ./photo.png\n";
        let mut losses = Losses::default();
        let collection = collection(text, "t", &mut losses);
        let all = collection.requests();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].request.name, "Create one");
        assert_eq!(all[0].request.url, "https://h/items?a=1&b=2");
        assert_eq!(all[0].body_text.as_deref(), Some("hello"));
        assert_eq!(all[0].scripts.len(), 1);
        assert!(all[0].scripts[0].text.contains("client.test"));
        assert_eq!(all[1].request.name, "upload");
        assert_eq!(all[1].scripts[0].when, "pre-request");
        assert!(
            all[1].scripts[0].text.starts_with("request.variables.set"),
            "{:?}",
            all[1].scripts
        );
        assert!(matches!(&all[1].request.body, Body::Binary { file, .. } if file == "./photo.png"));
    }

    #[test]
    fn environment_files_become_environments_and_secrets() {
        let public =
            serde_json::json!({"dev": {"host": "localhost"}, "prod": {"host": "api", "port": 443}});
        assert!(is_environment_file("http-client.env.json", &public));
        let mut losses = Losses::default();
        let (environments, secrets) = environments(&public, false, &mut losses);
        assert_eq!(environments.len(), 2);
        assert_eq!(
            environments[1].1.variables.get("port").map(String::as_str),
            Some("443")
        );
        assert!(secrets.is_empty());
        let private = serde_json::json!({"dev": {"token": "a"}, "prod": {"token": "b"}});
        let (environments, secrets) = super::environments(&private, true, &mut losses);
        assert!(environments.is_empty());
        assert_eq!(secrets, vec![("token".to_owned(), "a".to_owned())]);
        assert_eq!(losses.0.len(), 1, "the second value is reported");
    }
}
