//! A WebSocket request's own part of its file: the subprotocols it offers, whether it offers
//! compression, and its saved messages. A request is a WebSocket request when it has this
//! part or its URL starts with `ws://` or `wss://`; everything else about it (URL, headers,
//! auth, options, inheritance) is a request's like any other.
//!
//! ```json
//! "websocket": {
//!   "subprotocols": ["chat.v2"],
//!   "messages": [
//!     {"name": "Hello", "text": "hello {{name}}"},
//!     {"name": "Subscribe", "json": {"type": "subscribe", "channel": "{{channel}}"}},
//!     {"name": "Frame", "hex": "89 50 4e 47"},
//!     {"name": "Blob", "file": "blob.bin"}
//!   ]
//! }
//! ```

use serde::{Deserialize, Serialize};

use super::{ValueError, is_true, yes};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebSocket {
    /// Offered in `Sec-WebSocket-Protocol`, in order of preference.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subprotocols: Vec<String>,
    /// Offer permessage-deflate (RFC 7692); on unless `false`.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub deflate: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<SavedMessage>,
}

impl Default for WebSocket {
    fn default() -> Self {
        WebSocket {
            subprotocols: Vec::new(),
            deflate: true,
            messages: Vec::new(),
        }
    }
}

/// A message kept with its request, sent by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawMessage", into = "RawMessage")]
pub struct SavedMessage {
    pub name: String,
    pub content: MessageContent,
}

/// What a saved message sends: text frames for text and JSON, binary frames for the rest.
#[derive(Debug, Clone, PartialEq)]
pub enum MessageContent {
    /// Text with `{{templates}}`.
    Text(String),
    /// JSON, kept as JSON so it reads and diffs as JSON; templates live inside its strings.
    Json(serde_json::Value),
    /// Bytes written in hex (spaces allowed between pairs).
    Hex(String),
    /// Bytes written in base64.
    Base64(String),
    /// A file beside the request (a path relative to its folder), sent as it is.
    File(String),
}

impl MessageContent {
    /// Whether it goes as a text frame.
    pub fn is_text(&self) -> bool {
        matches!(self, MessageContent::Text(_) | MessageContent::Json(_))
    }
}

/// On disk a message is a name and exactly one of its kinds' fields.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMessage {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    json: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base64: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file: Option<String>,
}

impl TryFrom<RawMessage> for SavedMessage {
    type Error = ValueError;

    fn try_from(raw: RawMessage) -> Result<Self, ValueError> {
        let mut kinds = Vec::new();
        if let Some(text) = raw.text {
            kinds.push(MessageContent::Text(text));
        }
        if let Some(json) = raw.json {
            kinds.push(MessageContent::Json(json));
        }
        if let Some(hex) = raw.hex {
            decode_hex(&hex)?;
            kinds.push(MessageContent::Hex(hex));
        }
        if let Some(text) = raw.base64 {
            decode_base64(&text)?;
            kinds.push(MessageContent::Base64(text));
        }
        if let Some(file) = raw.file {
            kinds.push(MessageContent::File(file));
        }
        match (kinds.pop(), kinds.is_empty()) {
            (Some(content), true) => Ok(SavedMessage {
                name: raw.name,
                content,
            }),
            _ => Err(ValueError::MessageKinds(raw.name)),
        }
    }
}

impl From<SavedMessage> for RawMessage {
    fn from(message: SavedMessage) -> Self {
        let mut raw = RawMessage {
            name: message.name,
            text: None,
            json: None,
            hex: None,
            base64: None,
            file: None,
        };
        match message.content {
            MessageContent::Text(text) => raw.text = Some(text),
            MessageContent::Json(json) => raw.json = Some(json),
            MessageContent::Hex(hex) => raw.hex = Some(hex),
            MessageContent::Base64(text) => raw.base64 = Some(text),
            MessageContent::File(file) => raw.file = Some(file),
        }
        raw
    }
}

/// The bytes `text` writes in hex, pairs of digits with any spaces between them.
pub fn decode_hex(text: &str) -> Result<Vec<u8>, ValueError> {
    let digits: Vec<(usize, char)> = text
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .collect();
    if let Some((at, c)) = digits.iter().find(|(_, c)| !c.is_ascii_hexdigit()) {
        return Err(ValueError::NotHex {
            text: text.to_owned(),
            why: format!("`{c}` at byte {at} is not a hex digit"),
        });
    }
    if digits.len() % 2 == 1 {
        return Err(ValueError::NotHex {
            text: text.to_owned(),
            why: "an odd number of digits".to_owned(),
        });
    }
    Ok(digits
        .chunks(2)
        .map(|pair| {
            let high = pair[0].1.to_digit(16).unwrap_or(0);
            let low = pair[1].1.to_digit(16).unwrap_or(0);
            (high * 16 + low) as u8
        })
        .collect())
}

/// The bytes `text` writes in base64 (standard alphabet, padding optional).
pub fn decode_base64(text: &str) -> Result<Vec<u8>, ValueError> {
    use base64::Engine as _;
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(compact.trim_end_matches('='))
        .map_err(|err| ValueError::NotBase64 {
            text: text.to_owned(),
            why: err.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_message_kind_reads_and_writes_back() {
        let text = r#"{"subprotocols": ["chat"], "deflate": false, "messages": [
            {"name": "a", "text": "hi {{n}}"},
            {"name": "b", "json": {"type": "subscribe"}},
            {"name": "c", "hex": "89 50 4e 47"},
            {"name": "d", "base64": "AAEC"},
            {"name": "e", "file": "blob.bin"}]}"#;
        let spec: WebSocket = serde_json::from_str(text).expect("reads");
        assert!(!spec.deflate);
        assert_eq!(spec.messages.len(), 5);
        assert_eq!(
            spec.messages[2].content,
            MessageContent::Hex("89 50 4e 47".into())
        );
        let again: WebSocket =
            serde_json::from_str(&serde_json::to_string(&spec).expect("writes")).expect("reads");
        assert_eq!(again, spec);
        assert_eq!(decode_hex("89 50 4e 47").unwrap(), [0x89, 0x50, 0x4e, 0x47]);
        assert_eq!(decode_base64("AAEC").unwrap(), [0, 1, 2]);
    }

    #[test]
    fn a_message_with_no_kind_or_two_or_bad_bytes_says_so() {
        for (text, says) in [
            (r#"{"name": "x"}"#, "exactly one of"),
            (
                r#"{"name": "x", "text": "a", "hex": "00"}"#,
                "exactly one of",
            ),
            (
                r#"{"name": "x", "hex": "0g"}"#,
                "`g` at byte 1 is not a hex digit",
            ),
            (r#"{"name": "x", "hex": "012"}"#, "odd number"),
            (r#"{"name": "x", "base64": "*"}"#, "not base64"),
        ] {
            let err = serde_json::from_str::<SavedMessage>(text).expect_err(text);
            assert!(err.to_string().contains(says), "{text}: {err}");
        }
    }
}
