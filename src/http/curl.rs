//! A request as sent, written as a curl command line a user can paste into a shell: method,
//! URL, the headers that were sent (less those curl adds itself), and the body — inline when
//! it is text, as `@file` when it came from a file, as `-F` parts for multipart. Every argument
//! is single-quoted for POSIX shells.

use super::events::{SentBody, SentRequest};
use super::prepare::PartContent;

/// Headers curl computes itself; repeating them could only make the command wrong.
const COMPUTED: [&str; 3] = ["host", "content-length", "transfer-encoding"];

impl SentRequest {
    /// The request as a curl command, one argument group per line (copy as curl).
    pub fn to_curl(&self) -> String {
        to_curl(self)
    }
}

/// `sent` as a curl command, one argument group per line.
pub fn to_curl(sent: &SentRequest) -> String {
    let mut args = vec![format!("curl -X {} {}", sent.method, quote(&sent.url))];
    let multipart = matches!(sent.body, SentBody::Multipart(_));
    for (name, value) in &sent.headers {
        let lower = name.to_ascii_lowercase();
        // curl writes its own multipart Content-Type, with its own boundary.
        if COMPUTED.contains(&lower.as_str()) || (multipart && lower == "content-type") {
            continue;
        }
        args.push(format!("-H {}", quote(&format!("{name}: {value}"))));
    }
    match &sent.body {
        SentBody::None => {}
        SentBody::Bytes(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) if !text.contains('\0') => args.push(format!("--data-raw {}", quote(text))),
            _ => args.push(format!(
                "--data-binary @body.bin  # a binary body of {} bytes: save it as body.bin",
                bytes.len()
            )),
        },
        SentBody::File(path) => {
            args.push(format!(
                "--data-binary {}",
                quote(&format!("@{}", path.display()))
            ));
        }
        SentBody::Multipart(parts) => {
            for part in parts {
                let value = match &part.content {
                    PartContent::Text(text) => text.clone(),
                    PartContent::File(path) => format!("@{}", path.display()),
                };
                let typed = match &part.content_type {
                    Some(content_type) => format!(";type={content_type}"),
                    None => String::new(),
                };
                args.push(format!(
                    "-F {}",
                    quote(&format!("{}={value}{typed}", part.name))
                ));
            }
        }
    }
    if sent.insecure {
        args.push("--insecure".to_owned());
    }
    args.join(" \\\n  ")
}

/// `text` in single quotes for a POSIX shell (a quote inside becomes `'\''`).
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::PreparedPart;

    fn sent(body: SentBody) -> SentRequest {
        SentRequest {
            method: "POST".into(),
            url: "http://127.0.0.1:8808/echo?q=it's".into(),
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("host".into(), "127.0.0.1:8808".into()),
                ("content-length".into(), "9".into()),
                ("x-token".into(), "a'b".into()),
            ],
            body_bytes: Some(9),
            insecure: false,
            body,
            secrets: Vec::new(),
        }
    }

    #[test]
    fn a_json_post_becomes_a_quoted_curl_command() {
        let curl = to_curl(&sent(SentBody::Bytes("{\"a\":'1'}".into())));
        assert_eq!(
            curl,
            "curl -X POST 'http://127.0.0.1:8808/echo?q=it'\\''s' \\\n  \
             -H 'content-type: application/json' \\\n  \
             -H 'x-token: a'\\''b' \\\n  \
             --data-raw '{\"a\":'\\''1'\\''}'"
        );
    }

    #[test]
    fn files_and_multipart_parts_are_referenced_not_inlined() {
        let curl = to_curl(&sent(SentBody::File("/tmp/core.bin".into())));
        assert!(curl.ends_with("--data-binary '@/tmp/core.bin'"), "{curl}");
        let parts = vec![
            PreparedPart {
                name: "title".into(),
                content: PartContent::Text("Q3".into()),
                content_type: None,
            },
            PreparedPart {
                name: "file".into(),
                content: PartContent::File("/tmp/r.pdf".into()),
                content_type: Some("application/pdf".into()),
            },
        ];
        let curl = to_curl(&sent(SentBody::Multipart(parts)));
        assert!(
            !curl.contains("content-type"),
            "curl sets its own boundary: {curl}"
        );
        assert!(curl.contains("-F 'title=Q3'"), "{curl}");
        assert!(
            curl.contains("-F 'file=@/tmp/r.pdf;type=application/pdf'"),
            "{curl}"
        );
    }
}
