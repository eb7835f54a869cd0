//! A collection (or part of one) as a shell script of curl commands, one per request in the
//! collection's order, each under a comment naming it. Templates become shell parameters
//! with the saved value as their default (`${petId:-0}`), so the script runs as it is and
//! `petId=12 sh pets.sh` sends another value; a template with no saved value (a secret from
//! `.env`) is a bare `${API_KEY}` the header asks to be set. Built-ins become commands
//! (`{{$uuid}}` is `$(uuidgen)`). `courier import` reads the script back: `${NAME:-value}`
//! becomes `{{NAME}}` with the request variable `NAME = value`.

use crate::import::Losses;
use crate::model::{ApiKeyLocation, Auth, Body, HttpVersion, Method};
use crate::store::{Collection, Folder, LoadedRequest};
use crate::template::{Segment, parse};

use super::{Effective, place, report_options};

/// Defaults nest this deep (a variable whose value names another) before the inner one is
/// left bare.
const DEEPEST_DEFAULT: usize = 4;

/// The script for every request of `collection`.
pub fn script(collection: &Collection, losses: &mut Losses) -> String {
    let mut commands = Vec::new();
    let mut unset: Vec<String> = Vec::new();
    for (folders, request) in collection.requests() {
        let mut words = Words {
            variables: Effective::of(collection, &folders, request).variables,
            unset: &mut unset,
            place: place(&folders, request),
            losses,
        };
        commands.push(command(collection, &folders, request, &mut words));
    }
    let mut out = format!(
        "#!/bin/sh\n# “{}”, exported by Courier as curl commands, in the collection's order.\n\
         # Templates are shell variables, the saved values their defaults: `name=value sh FILE`\n\
         # sends other values.\n",
        collection.name().replace('\n', " "),
    );
    if !unset.is_empty() {
        out.push_str(&format!(
            "# Set first (secrets are never exported): {}\n",
            unset.join(" ")
        ));
    }
    for command in commands {
        out.push('\n');
        out.push_str(&command);
        out.push('\n');
    }
    out
}

/// What turns templates into shell words for one request.
struct Words<'a> {
    variables: Vec<(String, String)>,
    unset: &'a mut Vec<String>,
    place: String,
    losses: &'a mut Losses,
}

impl Words<'_> {
    /// `text` as one shell word: single-quoted when it has no template (nothing in it is
    /// then special), double-quoted with its templates expanded otherwise.
    fn word(&mut self, text: &str) -> String {
        let literal = parse(text).is_ok_and(|segments| {
            segments
                .iter()
                .all(|segment| matches!(segment, Segment::Text(_)))
        });
        if literal {
            format!("'{}'", text.replace('\'', r"'\''"))
        } else {
            format!("\"{}\"", self.inside(text, 0))
        }
    }

    /// `text` for inside double quotes: literal parts escaped, placeholders expanded.
    fn inside(&mut self, text: &str, depth: usize) -> String {
        let Ok(segments) = parse(text) else {
            // Not a template after all (an unclosed `{{`): sent as written.
            return escaped(text);
        };
        let mut out = String::new();
        for segment in segments {
            match segment {
                // Inside a `${name:-…}` default a `}` would end it: escaped there too.
                Segment::Text(literal) if depth > 0 => {
                    out.push_str(&escaped(literal).replace('}', "\\}"));
                }
                Segment::Text(literal) => out.push_str(&escaped(literal)),
                Segment::Placeholder { name, .. } => out.push_str(&self.placeholder(name, depth)),
            }
        }
        out
    }

    fn placeholder(&mut self, name: &str, depth: usize) -> String {
        if let Some(builtin) = name.strip_prefix('$') {
            return self.builtin(builtin);
        }
        if name.starts_with("response ") || name.starts_with("response\t") {
            self.losses.add(
                &self.place,
                format!("`{{{{{name}}}}}` takes a value from another response: set ${{RESPONSE_VALUE}} to it"),
            );
            return "${RESPONSE_VALUE}".to_owned();
        }
        if crate::template::call::looks_like_call(name)
            && !self.variables.iter().any(|(known, _)| known == name)
        {
            return self.function_call(name);
        }
        let shell_name = shell_name(name);
        if shell_name != name {
            self.losses.add(
                &self.place,
                format!("`{{{{{name}}}}}` is no shell name: written as ${{{shell_name}}}"),
            );
        }
        let saved = self
            .variables
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, value)| value.clone());
        match saved {
            Some(value) if depth < DEEPEST_DEFAULT => {
                let default = self.inside(&value, depth + 1);
                format!("${{{shell_name}:-{default}}}")
            }
            _ => {
                if !self.unset.contains(&shell_name) {
                    self.unset.push(shell_name.clone());
                }
                format!("${{{shell_name}}}")
            }
        }
    }

    /// A template function's call (`hmac …`, `now …`): Courier works its value out when it
    /// sends, a shell script cannot, so it becomes a parameter the user sets.
    fn function_call(&mut self, call: &str) -> String {
        let function = call
            .split(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or(call);
        let shell_name = format!("{}_VALUE", function.to_ascii_uppercase());
        self.losses.add(
            &self.place,
            format!(
                "`{{{{{call}}}}}` is worked out by Courier's `{function}` function when it sends: \
                 set ${{{shell_name}}} to its value"
            ),
        );
        if !self.unset.contains(&shell_name) {
            self.unset.push(shell_name.clone());
        }
        format!("${{{shell_name}}}")
    }

    fn builtin(&mut self, name: &str) -> String {
        match name {
            "uuid" => "$(uuidgen)".to_owned(),
            "timestamp" => "$(date +%s)".to_owned(),
            "isoTimestamp" => "$(date -u +%Y-%m-%dT%H:%M:%SZ)".to_owned(),
            "randomInt" => "$(awk 'BEGIN{srand(); print int(rand()*1001)}')".to_owned(),
            "demo" => "${COURIER_DEMO:-http://127.0.0.1:8808}".to_owned(),
            _ => match name.strip_prefix("env.") {
                Some(variable) => format!("${{{}}}", shell_name(variable)),
                None => {
                    self.losses.add(
                        &self.place,
                        format!(
                            "the built-in `{{{{${name}}}}}` has no shell equivalent: left empty"
                        ),
                    );
                    String::new()
                }
            },
        }
    }
}

/// A curl command for `request`, one flag per line.
fn command(
    collection: &Collection,
    folders: &[&Folder],
    request: &LoadedRequest,
    words: &mut Words,
) -> String {
    let effective = Effective::of(collection, folders, request);
    let req = &request.request;
    let mut title: Vec<String> = folders.iter().map(|f| f.name()).collect();
    title.push(req.name.clone());
    let mut lines = vec![format!("# {}", title.join(" / ").replace('\n', " "))];
    let mut url = req.url.clone();
    let mut query = super::query_pairs(req);
    let mut flags: Vec<String> = Vec::new();
    for header in &effective.headers {
        flags.push(format!(
            "-H {}",
            words.word(&format!("{}: {}", header.name, header.value))
        ));
    }
    auth(&effective.auth, &mut flags, &mut query, words);
    if !query.is_empty() {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&query.join("&"));
    }
    body(request, &effective, &mut flags, words);
    options(&effective, &url, &mut flags, words);
    let method = method_flag(&req.method, &req.body);
    lines.push(format!("curl{method} {}", words.word(&url)));
    for flag in flags {
        lines.push(format!("  {flag}"));
    }
    lines.join(" \\\n").replacen(" \\\n", "\n", 1)
}

/// `-X METHOD` unless curl would use that method anyway.
fn method_flag(method: &Method, body: &Body) -> String {
    match (method.as_str(), body.is_none()) {
        ("GET", true) => String::new(),
        (name, _) => format!(" -X {name}"),
    }
}

fn auth(auth: &Auth, flags: &mut Vec<String>, query: &mut Vec<String>, words: &mut Words) {
    match auth {
        Auth::Inherit | Auth::None => {}
        Auth::Basic { username, password } => {
            flags.push(format!(
                "-u {}",
                words.word(&format!("{username}:{password}"))
            ));
        }
        Auth::Digest { username, password } => {
            flags.push(format!(
                "--digest -u {}",
                words.word(&format!("{username}:{password}"))
            ));
        }
        Auth::Bearer { token } => {
            flags.push(format!(
                "-H {}",
                words.word(&format!("Authorization: Bearer {token}"))
            ));
        }
        Auth::ApiKey {
            name,
            value,
            location: ApiKeyLocation::Header,
        } => {
            flags.push(format!("-H {}", words.word(&format!("{name}: {value}"))));
        }
        Auth::ApiKey {
            name,
            value,
            location: ApiKeyLocation::Query,
        } => query.push(format!("{name}={value}")),
        Auth::OAuth2 { token_url, .. } => {
            words.losses.add(
                &words.place,
                format!("OAuth 2 client credentials: curl cannot fetch the token, so the command sends ${{ACCESS_TOKEN}} (from {token_url})"),
            );
            if !words.unset.iter().any(|name| name == "ACCESS_TOKEN") {
                words.unset.push("ACCESS_TOKEN".to_owned());
            }
            flags.push("-H \"Authorization: Bearer ${ACCESS_TOKEN}\"".to_owned());
        }
        Auth::AwsSigV4(aws) => {
            // curl signs with the same flags (7.75 and later).
            let provider = format!("aws:amz:{}:{}", aws.region, aws.service);
            flags.push(format!("--aws-sigv4 {}", words.word(&provider)));
            let user = format!("{}:{}", aws.access_key, aws.secret_key);
            flags.push(format!("-u {}", words.word(&user)));
            if let Some(token) = &aws.session_token {
                let header = format!("X-Amz-Security-Token: {token}");
                flags.push(format!("-H {}", words.word(&header)));
            }
            if aws.unsigned_payload {
                words.losses.add(
                    &words.place,
                    "AWS SigV4's unsigned payload: curl signs the body's hash".to_owned(),
                );
            }
        }
    }
}

fn body(
    request: &LoadedRequest,
    effective: &Effective,
    flags: &mut Vec<String>,
    words: &mut Words,
) {
    let has_type = effective
        .headers
        .iter()
        .any(|h| h.name.eq_ignore_ascii_case("content-type"));
    let text = request.body_text.clone().unwrap_or_default();
    match &request.request.body {
        Body::None => {}
        Body::Json { .. } => {
            if !has_type {
                flags.push("-H \"Content-Type: application/json\"".to_owned());
            }
            flags.push(format!("--data-raw {}", words.word(&text)));
        }
        Body::Text { content_type, .. } => {
            if let (Some(content_type), false) = (content_type, has_type) {
                flags.push(format!(
                    "-H {}",
                    words.word(&format!("Content-Type: {content_type}"))
                ));
            }
            flags.push(format!("--data-raw {}", words.word(&text)));
        }
        Body::Graphql { variables, .. } => {
            let mut payload = serde_json::json!({"query": text});
            if let Some(variables) = variables {
                payload["variables"] = variables.clone();
            }
            if !has_type {
                flags.push("-H \"Content-Type: application/json\"".to_owned());
            }
            flags.push(format!("--data-raw {}", words.word(&payload.to_string())));
        }
        Body::Form { fields } => {
            for field in fields.iter().filter(|f| f.enabled) {
                flags.push(format!(
                    "--data-urlencode {}",
                    words.word(&format!("{}={}", field.name, field.value))
                ));
            }
        }
        Body::Multipart { parts } => {
            for part in parts.iter().filter(|p| p.enabled) {
                let value = match (&part.file, &part.value) {
                    (Some(file), _) => format!("@{file}"),
                    (None, value) => value.clone().unwrap_or_default(),
                };
                let typed = part
                    .content_type
                    .as_ref()
                    .map(|t| format!(";type={t}"))
                    .unwrap_or_default();
                flags.push(format!(
                    "-F {}",
                    words.word(&format!("{}={value}{typed}", part.name))
                ));
            }
        }
        Body::Binary { file, content_type } => {
            if let (Some(content_type), false) = (content_type, has_type) {
                flags.push(format!(
                    "-H {}",
                    words.word(&format!("Content-Type: {content_type}"))
                ));
            }
            flags.push(format!("--data-binary {}", words.word(&format!("@{file}"))));
        }
    }
    let files = matches!(&request.request.body, Body::Binary { .. })
        || matches!(&request.request.body, Body::Multipart { parts } if parts.iter().any(|p| p.file.is_some()));
    if files {
        words.losses.add(&words.place, "its files are named as saved, relative to the request's folder: run the command from there");
    }
}

fn options(effective: &Effective, url: &str, flags: &mut Vec<String>, words: &mut Words) {
    let options = &effective.options;
    let seconds =
        |text: &crate::model::DurationText| text.duration().map(|d| format!("{}", d.as_secs_f64()));
    if let Some(connect) = options.timeouts.connect.as_ref().and_then(seconds) {
        flags.push(format!("--connect-timeout {connect}"));
    }
    if let Some(total) = options.timeouts.total.as_ref().and_then(seconds) {
        flags.push(format!("-m {total}"));
    }
    match options.http {
        Some(HttpVersion::Http1) => flags.push("--http1.1".to_owned()),
        // As Courier speaks it: over TLS by ALPN, over cleartext with prior knowledge.
        Some(HttpVersion::Http2) if url.starts_with("https://") => flags.push("--http2".to_owned()),
        Some(HttpVersion::Http2) => flags.push("--http2-prior-knowledge".to_owned()),
        _ => {}
    }
    if options.redirects.follow != Some(false) {
        flags.push("-L".to_owned());
        if let Some(max) = options.redirects.max {
            flags.push(format!("--max-redirs {max}"));
        }
    }
    if options.tls.verify == Some(false) {
        flags.push("-k".to_owned());
    }
    for (flag, file) in [
        ("--cacert", &options.tls.ca_file),
        ("--cert", &options.tls.client_cert),
        ("--key", &options.tls.client_key),
    ] {
        if let Some(file) = file {
            flags.push(format!("{flag} {}", words.word(file)));
        }
    }
    match options.proxy.as_deref() {
        Some("off") => flags.push("--noproxy \"*\"".to_owned()),
        Some(proxy) => flags.push(format!("-x {}", words.word(proxy))),
        None => {}
    }
    let written = [
        "connect timeout",
        "total timeout",
        "HTTP version",
        "redirects",
        "TLS verification",
        "TLS files",
        "proxy",
    ];
    report_options(options, &written, &words.place, words.losses);
}

/// Text safe inside double quotes: `\`, `"`, `$` and `` ` `` escaped.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '"' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A name the shell takes: letters, digits and `_`, not starting with a digit.
fn shell_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}
