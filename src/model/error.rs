//! Why a value in a collection file is not what its field takes: a method, a duration, a body
//! or auth missing what its kind needs. serde puts the file, line and column in front.

/// A field's value that does not fit it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("`{0}` is not an HTTP method (letters such as GET or POST)")]
    NotAMethod(String),
    #[error("`{text}` is not a duration ({reason}); write it like \"2s\", \"500ms\" or \"1m 30s\"")]
    NotADuration { text: String, reason: String },
    #[error("`{0}` is still a template")]
    StillATemplate(String),
    /// A duration template rendered to something that is not a duration.
    #[error("`{template}` renders to {error}")]
    RendersBadly {
        template: String,
        error: Box<ValueError>,
    },
    #[error(
        "a {kind} body needs `file`, the name of the file beside the request that holds its text"
    )]
    NoBodyFile { kind: &'static str },
    #[error("body `file` must be a plain file name beside the request, not `{0}`")]
    BodyFileNotPlain(String),
    #[error("a binary body needs `file`, the path of the file to send")]
    NoBinaryFile,
    #[error("the message `{0}` needs exactly one of `text`, `json`, `hex`, `base64` or `file`")]
    MessageKinds(String),
    #[error("`{text}` is not hex: {why}")]
    NotHex { text: String, why: String },
    #[error("`{text}` is not base64: {why}")]
    NotBase64 { text: String, why: String },
    #[error("{kind} auth needs `{field}`")]
    AuthNeeds {
        kind: &'static str,
        field: &'static str,
    },
    #[error(
        "oauth2 `grant` `{grant}` is not client_credentials, password, refresh_token, device_code \
         or authorization_code"
    )]
    UnknownGrant { grant: String },
}
