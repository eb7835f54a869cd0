//! The rendered-request preview (`P` in the request pane): the request as it would be sent now,
//! every template filled in from the active environment and the other scopes, secrets masked
//! unless revealed. The runtime renders it (it needs the demo server's address and the
//! process environment); the app asks and shows.

use std::path::{Path, PathBuf};

use super::{App, Cmd};
use crate::http::{PartContent, PreparedBody, PreparedRequest};

/// A request rendered for the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// How it would be sent, where that differs from the defaults: timeouts, proxy, TLS,
    /// HTTP version, redirects, and auth the engine completes (digest, OAuth2).
    pub settings: Vec<String>,
    /// The body as text when it is text (its start when it is long), or what it is made of.
    pub body: Vec<String>,
    pub secrets: Vec<String>,
}

impl Preview {
    /// The preview of a prepared request.
    pub fn of(prepared: PreparedRequest) -> Preview {
        let body = match &prepared.body {
            PreparedBody::None => Vec::new(),
            PreparedBody::Bytes(bytes) => {
                let text = crate::body::make_visible(&bytes[..bytes.len().min(4096)]).text;
                let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
                if bytes.len() > 4096 {
                    lines.push(format!("… {} bytes in all", bytes.len()));
                }
                lines
            }
            PreparedBody::File(file) => {
                vec![format!("(the file {}, streamed)", file.display())]
            }
            PreparedBody::Multipart(parts) => parts
                .iter()
                .map(|part| match &part.content {
                    PartContent::Text(text) => format!("part {}: {text}", part.name),
                    PartContent::File(file) => {
                        format!("part {}: the file {}", part.name, file.display())
                    }
                })
                .collect(),
        };
        Preview {
            settings: settings(&prepared),
            method: prepared.method,
            url: prepared.url,
            headers: prepared.headers,
            body,
            secrets: prepared.secrets,
        }
    }

    /// The preview as lines of text, secrets masked unless `reveal`.
    pub fn lines(&self, reveal: bool) -> Vec<String> {
        let shown = |text: &str| {
            if reveal {
                text.to_owned()
            } else {
                crate::http::mask_secrets(text, &self.secrets)
            }
        };
        let mut lines = vec![format!("{} {}", self.method, shown(&self.url))];
        lines.extend(
            self.headers
                .iter()
                .map(|(name, value)| format!("{name}: {}", shown(value))),
        );
        lines.extend(
            self.settings
                .iter()
                .map(|line| format!("· {}", shown(line))),
        );
        if !self.body.is_empty() {
            lines.push(String::new());
            lines.extend(self.body.iter().map(|line| shown(line)));
        }
        lines
    }
}

/// The ways `prepared` is sent that differ from the defaults, one line each.
fn settings(prepared: &PreparedRequest) -> Vec<String> {
    let transport = &prepared.transport;
    let defaults = crate::http::TransportOptions::default();
    let human = |d: std::time::Duration| humantime::format_duration(d).to_string();
    let mut lines = Vec::new();
    let timeouts: Vec<String> = [
        ("connect", transport.connect_timeout),
        ("read", transport.read_timeout),
        ("total", prepared.total_timeout),
    ]
    .into_iter()
    .filter_map(|(what, limit)| limit.map(|limit| format!("{what} {}", human(limit))))
    .collect();
    if !timeouts.is_empty() {
        lines.push(format!("timeouts: {}", timeouts.join(", ")));
    }
    match transport.http {
        crate::model::HttpVersion::Auto => {}
        crate::model::HttpVersion::Http1 => lines.push("HTTP/1.1 only".to_owned()),
        crate::model::HttpVersion::Http2 => lines.push("HTTP/2 only".to_owned()),
    }
    if !transport.follow_redirects {
        lines.push("redirects: not followed".to_owned());
    } else if transport.max_redirects != defaults.max_redirects {
        lines.push(format!("redirects: at most {}", transport.max_redirects));
    }
    if !transport.verify_tls {
        lines.push("TLS: the certificate is NOT verified".to_owned());
    }
    let files = [
        ("CA file", &transport.ca_file),
        ("client certificate", &transport.client_cert),
        ("client key", &transport.client_key),
    ];
    for (what, file) in files {
        if let Some(file) = file {
            lines.push(format!("TLS {what}: {}", file.display()));
        }
    }
    match &transport.proxy {
        crate::http::Proxy::Environment => {}
        crate::http::Proxy::Off => lines.push("proxy: none".to_owned()),
        crate::http::Proxy::Url(url) => lines.push(format!("proxy: {url}")),
    }
    if let Some((user, _)) = &prepared.digest {
        lines.push(format!("auth: answers a Digest challenge as {user}"));
    }
    if let Some(oauth2) = &prepared.oauth2 {
        lines.push(format!(
            "auth: an OAuth2 token from {} for {}",
            oauth2.token_url, oauth2.client_id
        ));
    }
    lines
}

impl App {
    /// `P`: asks the runtime to render the selected request (a second `P` closes it).
    pub(super) fn toggle_preview(&mut self) -> Vec<Cmd> {
        if self.preview.take().is_some() {
            return Vec::new();
        }
        match self.selected_request().map(Path::to_owned) {
            Some(path) => {
                let plan = self.send_plan(path, self.clock());
                vec![Cmd::Preview(Box::new(plan))]
            }
            None => Vec::new(),
        }
    }

    pub(super) fn on_previewed(&mut self, path: PathBuf, result: Result<Preview, String>) {
        if self.selected_request() == Some(path.as_path()) {
            self.preview = Some(result);
            self.needs_redraw = true;
        }
    }
}
