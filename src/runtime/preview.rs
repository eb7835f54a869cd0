//! The preview of a rendered request (`P` in the request pane): what the app shows, built
//! here from the engine's prepared request, so the app never reads the engine's internals.

use crate::app::preview::Preview;
use crate::http::{PartContent, PreparedBody, PreparedRequest, Proxy, TransportOptions};

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

/// The ways `prepared` is sent that differ from the defaults, one line each.
fn settings(prepared: &PreparedRequest) -> Vec<String> {
    let transport = &prepared.transport;
    let defaults = TransportOptions::default();
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
        Proxy::Environment => {}
        Proxy::Off => lines.push("proxy: none".to_owned()),
        Proxy::Url(url) => lines.push(format!("proxy: {url}")),
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
    if let Some(aws) = &prepared.sigv4 {
        lines.push(format!(
            "auth: signed with AWS Signature Version 4 ({} in {}) as it is sent",
            aws.service, aws.region
        ));
    }
    lines.extend(prepared.hook_notes.iter().cloned());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_preview_says_how_it_is_sent_where_that_is_not_the_default() {
        use crate::model::{DurationText, Options};
        let mut options = Options::default();
        options.timeouts.read = Some(DurationText::new(Duration::from_millis(2500)));
        options.proxy = Some("off".into());
        options.tls.verify = Some(false);
        options.redirects.follow = Some(false);
        let mut prepared = PreparedRequest::with_options("GET", "http://h/", &options);
        prepared.digest = Some(("ada".into(), "pw".into()));
        let preview = of(prepared);
        assert_eq!(
            preview.settings,
            [
                "timeouts: read 2s 500ms",
                "redirects: not followed",
                "TLS: the certificate is NOT verified",
                "proxy: none",
                "auth: answers a Digest challenge as ada",
            ]
        );
        let plain = of(PreparedRequest::new("GET", "http://h/"));
        assert!(plain.settings.is_empty(), "{:?}", plain.settings);
    }
}
