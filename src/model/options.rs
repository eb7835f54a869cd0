//! Transport options: timeouts, HTTP version, redirects, TLS, decompression. Every field is
//! optional so that a request, its folders, its collection and the user's config can each set
//! some of them; [`Options::over`] layers them, most specific first.

use super::ValueError;
use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Options {
    #[serde(default, skip_serializing_if = "Timeouts::is_empty")]
    pub timeouts: Timeouts,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpVersion>,
    #[serde(default, skip_serializing_if = "Redirects::is_empty")]
    pub redirects: Redirects,
    #[serde(default, skip_serializing_if = "Tls::is_empty")]
    pub tls: Tls,
    /// Decode gzip/br/zstd/deflate bodies (default true); false keeps the raw bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decompress: Option<bool>,
    /// Stop decoding a compressed body past this many bytes (default 1 GiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decompress_limit: Option<u64>,
    /// `"off"` for a direct connection, `"env"` (the default) for HTTP_PROXY, HTTPS_PROXY,
    /// ALL_PROXY and NO_PROXY, or a proxy URL (`http://…`, `https://…`, `socks5://…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
}

impl Options {
    pub fn is_empty(&self) -> bool {
        self == &Options::default()
    }

    /// These options, with anything unset taken from `parent`.
    pub fn over(&self, parent: &Options) -> Options {
        Options {
            timeouts: Timeouts {
                connect: self
                    .timeouts
                    .connect
                    .clone()
                    .or(parent.timeouts.connect.clone()),
                read: self.timeouts.read.clone().or(parent.timeouts.read.clone()),
                total: self
                    .timeouts
                    .total
                    .clone()
                    .or(parent.timeouts.total.clone()),
            },
            http: self.http.or(parent.http),
            redirects: Redirects {
                follow: self.redirects.follow.or(parent.redirects.follow),
                max: self.redirects.max.or(parent.redirects.max),
            },
            tls: Tls {
                verify: self.tls.verify.or(parent.tls.verify),
                ca_file: self.tls.ca_file.clone().or(parent.tls.ca_file.clone()),
                client_cert: self
                    .tls
                    .client_cert
                    .clone()
                    .or(parent.tls.client_cert.clone()),
                client_key: self
                    .tls
                    .client_key
                    .clone()
                    .or(parent.tls.client_key.clone()),
            },
            decompress: self.decompress.or(parent.decompress),
            decompress_limit: self.decompress_limit.or(parent.decompress_limit),
            proxy: self.proxy.clone().or(parent.proxy.clone()),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeouts {
    /// Time to open the connection (TCP and TLS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect: Option<DurationText>,
    /// Longest wait between two reads of the response; resets on every chunk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<DurationText>,
    /// The whole exchange, from connect to last byte.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<DurationText>,
}

impl Timeouts {
    pub fn is_empty(&self) -> bool {
        self == &Timeouts::default()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HttpVersion {
    /// HTTP/2 when TLS ALPN offers it, else HTTP/1.1.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "1.1")]
    Http1,
    /// HTTP/2 only; over cleartext, with prior knowledge.
    #[serde(rename = "2")]
    Http2,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redirects {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl Redirects {
    pub fn is_empty(&self) -> bool {
        self == &Redirects::default()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tls {
    /// Verify the server's certificate (default true). False is shown loudly wherever it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cert: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key: Option<String>,
}

impl Tls {
    pub fn is_empty(&self) -> bool {
        self == &Tls::default()
    }
}

/// A duration as a person writes it (`"2s"`, `"1500ms"`, `"1m 30s"`), kept with its original
/// text so that saving an unchanged file writes the same bytes. It may be a template
/// (`"{{timeout}}"`), whose duration is known only once rendered, when the request is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DurationText {
    /// None for a template.
    duration: Option<Duration>,
    text: String,
}

impl DurationText {
    pub fn new(duration: Duration) -> Self {
        DurationText {
            duration: Some(duration),
            text: humantime::format_duration(duration).to_string(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The duration; None while it is a template not yet rendered.
    pub fn duration(&self) -> Option<Duration> {
        self.duration
    }

    pub fn is_template(&self) -> bool {
        self.duration.is_none()
    }

    /// The duration a template renders to (`rendered` is its text after rendering).
    pub fn rendered(&self, rendered: &str) -> Result<DurationText, ValueError> {
        let text = rendered.trim().to_owned();
        match DurationText::try_from(text) {
            Ok(parsed) if !parsed.is_template() => Ok(parsed),
            Ok(_) => Err(ValueError::StillATemplate(rendered.to_owned())),
            Err(error) => Err(ValueError::RendersBadly {
                template: self.text.clone(),
                error: Box::new(error),
            }),
        }
    }
}

impl TryFrom<String> for DurationText {
    type Error = ValueError;
    fn try_from(text: String) -> Result<Self, ValueError> {
        if text.contains("{{") {
            return Ok(DurationText {
                duration: None,
                text,
            });
        }
        match humantime::parse_duration(&text) {
            Ok(duration) => Ok(DurationText {
                duration: Some(duration),
                text,
            }),
            Err(err) => Err(ValueError::NotADuration {
                text,
                reason: err.to_string(),
            }),
        }
    }
}

impl From<DurationText> for String {
    fn from(value: DurationText) -> String {
        value.text
    }
}
