//! A collection (or part of one) as a `.http` file in the JetBrains HTTP Client's dialect,
//! which VS Code's REST Client reads too: the collection's variables as `@name = value`
//! lines, then each request under `### its name`, its description as `#` comments, the
//! variables it sets or overrides as in-place `@name = value` lines before it, then the
//! request line, its effective headers (auth written as the header it becomes: `Basic user
//! pass` and `Digest user pass` are the client's own shorthands) and its body. Templates are
//! the client's syntax already; `.env` is never read, so secrets stay `{{NAME}}`.
//! Timeouts and redirects become the client's `# @timeout`, `# @connection-timeout` and
//! `# @no-redirect` directives.

use crate::import::Losses;
use crate::model::{ApiKeyLocation, Auth, Body, HttpVersion};
use crate::store::{Collection, Folder, LoadedRequest};

use super::{Effective, place, report_options};

/// The `.http` text for every request of `collection`.
pub fn file(collection: &Collection, losses: &mut Losses) -> String {
    let mut out = format!(
        "# “{}”, exported by Courier (JetBrains HTTP Client dialect).\n",
        one_line(collection.name())
    );
    // What each variable is set to at this point of the file: in-place variables hold
    // until set again.
    let mut declared: Vec<(String, String)> = Vec::new();
    let top: Vec<(String, String)> = collection
        .meta
        .variables
        .iter()
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    if !top.is_empty() {
        out.push('\n');
    }
    for (name, value) in top {
        out.push_str(&format!("@{name} = {}\n", one_line(&value)));
        declared.push((name, value));
    }
    let mut with_examples = 0;
    for (folders, request) in collection.requests() {
        out.push('\n');
        out.push_str(&entry(collection, &folders, request, &mut declared, losses));
        with_examples += usize::from(request.path.with_extension("examples").is_dir());
    }
    if with_examples > 0 {
        losses.add(
            collection.name(),
            format!("the examples of {with_examples} requests are not written: a .http file keeps no responses"),
        );
    }
    out
}

/// One request: `###` and its name, comments, in-place variables, the request itself.
fn entry(
    collection: &Collection,
    folders: &[&Folder],
    request: &LoadedRequest,
    declared: &mut Vec<(String, String)>,
    losses: &mut Losses,
) -> String {
    let effective = Effective::of(collection, folders, request);
    let at = place(folders, request);
    let req = &request.request;
    let mut lines = vec![format!("### {}", one_line(&req.name))];
    lines.extend(
        req.description
            .lines()
            .map(|line| format!("# {line}").trim_end().to_owned()),
    );
    for (name, value) in &effective.variables {
        let current = declared
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, v)| v);
        if current != Some(value) {
            lines.push(format!("@{name} = {}", one_line(value)));
            declared.retain(|(known, _)| known != name);
            declared.push((name.clone(), value.clone()));
        }
    }
    lines.extend(directives(&effective, &at, losses));
    let mut url = req.url.clone();
    let mut headers: Vec<(String, String)> = effective
        .headers
        .iter()
        .map(|h| (h.name.clone(), h.value.clone()))
        .collect();
    let mut query = super::query_pairs(req);
    auth(&effective.auth, &mut headers, &mut query, &at, losses);
    if !query.is_empty() {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&query.join("&"));
    }
    let version = match effective.options.http {
        Some(HttpVersion::Http2) => " HTTP/2",
        Some(HttpVersion::Http1) => " HTTP/1.1",
        _ => "",
    };
    lines.push(format!("{} {url}{version}", req.method.as_str()));
    let body = body(request, &mut headers, &at, losses);
    lines.extend(
        headers
            .iter()
            .map(|(name, value)| format!("{name}: {}", one_line(value))),
    );
    if let Some(body) = body {
        lines.push(String::new());
        lines.push(body.trim_end_matches('\n').to_owned());
    }
    lines.join("\n") + "\n"
}

/// The client's directives for the options it has them for; the others are reported.
fn directives(effective: &Effective, at: &str, losses: &mut Losses) -> Vec<String> {
    let options = &effective.options;
    let mut out = Vec::new();
    let seconds = |text: &Option<crate::model::DurationText>| {
        text.as_ref()
            .and_then(|t| t.duration())
            .map(|d| d.as_secs().max(1))
    };
    if let Some(read) = seconds(&options.timeouts.read) {
        out.push(format!("# @timeout {read}"));
    }
    if let Some(connect) = seconds(&options.timeouts.connect) {
        out.push(format!("# @connection-timeout {connect}"));
    }
    if options.redirects.follow == Some(false) {
        out.push("# @no-redirect".to_owned());
    }
    let written = [
        "connect timeout",
        "read timeout",
        "HTTP version",
        "redirects",
    ];
    report_options(options, &written, at, losses);
    out
}

fn auth(
    auth: &Auth,
    headers: &mut Vec<(String, String)>,
    query: &mut Vec<String>,
    at: &str,
    losses: &mut Losses,
) {
    let header = match auth {
        Auth::Inherit | Auth::None => return,
        Auth::Basic { username, password } => format!("Basic {username} {password}"),
        Auth::Digest { username, password } => format!("Digest {username} {password}"),
        Auth::Bearer { token } => format!("Bearer {token}"),
        Auth::ApiKey {
            name,
            value,
            location: ApiKeyLocation::Header,
        } => {
            headers.push((name.clone(), value.clone()));
            return;
        }
        Auth::ApiKey {
            name,
            value,
            location: ApiKeyLocation::Query,
        } => {
            query.push(format!("{name}={value}"));
            return;
        }
        Auth::OAuth2 { token_url, .. } => {
            losses.add(
                at,
                format!("OAuth 2 client credentials (from {token_url}): the client configures OAuth in http-client.env.json, so the request sends {{{{ACCESS_TOKEN}}}}"),
            );
            "Bearer {{ACCESS_TOKEN}}".to_owned()
        }
        Auth::AwsSigV4(aws) => {
            losses.add(
                at,
                format!(
                    "AWS Signature Version 4 ({} in {}): a .http file cannot sign, so the request goes unsigned",
                    aws.service, aws.region
                ),
            );
            return;
        }
    };
    headers.retain(|(name, _)| !name.eq_ignore_ascii_case("authorization"));
    headers.push(("Authorization".to_owned(), header));
}

/// The body's text as the file writes it, with the content type it needs added to `headers`.
fn body(
    request: &LoadedRequest,
    headers: &mut Vec<(String, String)>,
    at: &str,
    losses: &mut Losses,
) -> Option<String> {
    let mut content_type = |value: &str| {
        if !headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        {
            headers.push(("Content-Type".to_owned(), value.to_owned()));
        }
    };
    let text = request.body_text.clone().unwrap_or_default();
    match &request.request.body {
        Body::None => None,
        Body::Json { .. } => {
            content_type("application/json");
            Some(text)
        }
        Body::Text {
            content_type: kind, ..
        } => {
            content_type(kind.as_deref().unwrap_or("text/plain"));
            Some(text)
        }
        Body::Graphql { variables, .. } => {
            content_type("application/json");
            let mut payload = serde_json::json!({"query": text});
            if let Some(variables) = variables {
                payload["variables"] = variables.clone();
            }
            Some(serde_json::to_string_pretty(&payload).unwrap_or_default())
        }
        Body::Form { fields } => {
            content_type("application/x-www-form-urlencoded");
            let pairs: Vec<String> = fields
                .iter()
                .filter(|f| f.enabled)
                .map(|f| format!("{}={}", f.name, f.value))
                .collect();
            Some(pairs.join("&"))
        }
        Body::Multipart { parts } => {
            content_type(&format!("multipart/form-data; boundary={BOUNDARY}"));
            Some(multipart(parts))
        }
        Body::Binary {
            file,
            content_type: kind,
        } => {
            if let Some(kind) = kind {
                content_type(kind);
            }
            if file.is_empty() {
                losses.add(
                    at,
                    "a file body with no file chosen: written without a body",
                );
                return None;
            }
            Some(format!("< ./{file}"))
        }
    }
}

/// The boundary between multipart parts.
const BOUNDARY: &str = "CourierBoundary";

/// A multipart body written out, a file part's content read from its file (`< ./photo.png`).
fn multipart(parts: &[crate::model::MultipartPart]) -> String {
    let mut out = String::new();
    for part in parts.iter().filter(|p| p.enabled) {
        out.push_str(&format!("--{BOUNDARY}\n"));
        let disposition = format!("Content-Disposition: form-data; name=\"{}\"", part.name);
        match &part.file {
            Some(file) => {
                let file_name = std::path::Path::new(file)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                out.push_str(&format!("{disposition}; filename=\"{file_name}\"\n"));
            }
            None => out.push_str(&format!("{disposition}\n")),
        }
        if let Some(kind) = &part.content_type {
            out.push_str(&format!("Content-Type: {kind}\n"));
        }
        match &part.file {
            Some(file) => out.push_str(&format!("\n< ./{file}\n")),
            None => out.push_str(&format!("\n{}\n", part.value.clone().unwrap_or_default())),
        }
    }
    out.push_str(&format!("--{BOUNDARY}--"));
    out
}

/// A value on one line (a `.http` line ends a header or a variable).
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}
