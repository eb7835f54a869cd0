//! The collection model: plain, typed values for everything Courier keeps on disk —
//! collections, folders, requests, bodies, auth, options and environments.
//!
//! These types are what the rest of the program works with once a file has been parsed
//! (`store` does the parsing and the saving). They carry no I/O and no terminal or network
//! types. Each on-disk type remembers the fields it did not understand ([`UnknownFields`])
//! so that a file written by a newer Courier, or annotated by hand, survives a save.

mod auth;
mod body;
mod error;
mod example;
mod history;
mod hooks;
mod options;
mod websocket;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

pub use auth::{ApiKeyLocation, Auth, AwsSigV4, OAuth2Grant};
pub use body::{Body, BodyKind, MultipartPart};
pub use error::ValueError;
pub use example::{Delay, Drip, Example, Fault, FaultKind, MockSettings, StreamTiming};
pub use history::{HistoryConfig, HistorySettings};
pub use hooks::Hook;
pub use options::{DurationText, HttpVersion, Options, Redirects, Timeouts, Tls};
pub use websocket::{MessageContent, SavedMessage, WebSocket, decode_base64, decode_hex};

/// The version written in every file's `"courier"` field.
pub const FORMAT_VERSION: u32 = 1;

/// Variables as written in a file: an ordered map from name to template text.
pub type Variables = IndexMap<String, String>;

/// One step of a path into a JSON document: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonStep {
    Key(String),
    Index(usize),
}

/// Fields found in a file that this version of Courier does not know, with where they were.
/// `store` fills this on load and writes the fields back on save (forward compatibility).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnknownFields(pub Vec<(Vec<JsonStep>, serde_json::Value)>);

impl UnknownFields {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Where each field is, as `auth.location` or `headers[1].note`: a typo of a known
    /// field is kept like a newer version's field, so the UI names them.
    pub fn paths(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|(steps, _)| {
                let mut path = String::new();
                for step in steps {
                    match step {
                        JsonStep::Key(key) if path.is_empty() => path.push_str(key),
                        JsonStep::Key(key) => {
                            path.push('.');
                            path.push_str(key);
                        }
                        JsonStep::Index(index) => path.push_str(&format!("[{index}]")),
                    }
                }
                path
            })
            .collect()
    }
}

/// Implemented by every type that is the whole of one file, so `store` can carry its unknown
/// fields across a load and a save.
pub trait Document {
    fn unknown_fields(&self) -> &UnknownFields;
    fn unknown_fields_mut(&mut self) -> &mut UnknownFields;
}

macro_rules! document {
    ($($ty:ty),*) => {$(
        impl Document for $ty {
            fn unknown_fields(&self) -> &UnknownFields { &self.unknown }
            fn unknown_fields_mut(&mut self) -> &mut UnknownFields { &mut self.unknown }
        }
    )*};
}
document!(
    Request,
    CollectionMeta,
    FolderMeta,
    EnvironmentFile,
    Config,
    Example
);

fn format_version() -> u32 {
    FORMAT_VERSION
}

fn is_true(value: &bool) -> bool {
    *value
}

fn yes() -> bool {
    true
}

/// A name/value pair: a query parameter, a header or a form field. Disabled pairs are kept
/// (so a user can toggle them back) but never sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyValue {
    pub name: String,
    #[serde(default)]
    pub value: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
}

impl KeyValue {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        KeyValue {
            name: name.into(),
            value: value.into(),
            enabled: true,
        }
    }
}

/// One request file (`<name>.json`). The body's text, when it has one, lives in a sidecar file
/// named by [`Body`]; `store` reads it alongside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    #[serde(default = "format_version")]
    pub courier: u32,
    pub name: String,
    #[serde(default = "Method::get")]
    pub method: Method,
    pub url: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<KeyValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<KeyValue>,
    #[serde(default, skip_serializing_if = "Auth::is_inherit")]
    pub auth: Auth,
    #[serde(default, skip_serializing_if = "Body::is_none")]
    pub body: Body,
    #[serde(default, skip_serializing_if = "Options::is_empty")]
    pub options: Options,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub variables: Variables,
    /// What the request is for, in the user's words (Markdown, as Postman and OpenAPI write it).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Checks on the response, one line each (`status == 200`, `jq .items count == 3`; the
    /// language is `check`'s), run by `courier test`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asserts: Vec<String>,
    /// Values taken from the response into variables for the requests after it in a run
    /// (`"token": "jq .data.token"`, `"etag": "header ETag"`; `check`'s subjects).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub captures: Variables,
    /// Labels for choosing what a `courier test` run sends (`--tags smoke`, `--exclude-tags
    /// slow`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Programs run before it is sent and after its response (`model::hooks`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hooks: Vec<Hook>,
    /// What a WebSocket request offers and its saved messages (`model::websocket`); boxed,
    /// as most requests have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub websocket: Option<Box<WebSocket>>,
    #[serde(skip)]
    pub unknown: UnknownFields,
}

impl Request {
    pub fn new(name: impl Into<String>, method: Method, url: impl Into<String>) -> Self {
        Request {
            courier: FORMAT_VERSION,
            name: name.into(),
            method,
            url: url.into(),
            query: Vec::new(),
            headers: Vec::new(),
            auth: Auth::Inherit,
            body: Body::None,
            options: Options::default(),
            variables: Variables::new(),
            description: String::new(),
            asserts: Vec::new(),
            captures: Variables::new(),
            tags: Vec::new(),
            hooks: Vec::new(),
            websocket: None,
            unknown: UnknownFields::default(),
        }
    }

    /// Whether it opens a WebSocket: it has a `websocket` part or its URL as written starts
    /// with `ws://` or `wss://`.
    pub fn is_websocket(&self) -> bool {
        self.websocket.is_some() || is_websocket_url(&self.url)
    }
}

/// Whether `url` starts with `ws://` or `wss://` (in any case), or with the demo server's
/// WebSocket base, `{{$demoWs}}`.
pub fn is_websocket_url(url: &str) -> bool {
    let compact: String = url.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.starts_with("{{$demoWs}}") {
        return true;
    }
    let url = url.trim_start().as_bytes();
    let starts = |prefix: &[u8]| {
        url.len() >= prefix.len() && url[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    starts(b"ws://") || starts(b"wss://")
}

/// An HTTP method: any RFC 9110 token, kept as written (methods are case-sensitive).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Method(String);

impl Method {
    pub fn get() -> Self {
        Method("GET".to_owned())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Method {
    type Error = ValueError;
    fn try_from(text: String) -> Result<Self, ValueError> {
        let is_token_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if text.is_empty() || !text.chars().all(is_token_char) {
            return Err(ValueError::NotAMethod(text));
        }
        Ok(Method(text))
    }
}

impl From<Method> for String {
    fn from(method: Method) -> String {
        method.0
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `collection.json`: the collection's name and the defaults every request inherits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectionMeta {
    #[serde(default = "format_version")]
    pub courier: u32,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub variables: Variables,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<KeyValue>,
    #[serde(default, skip_serializing_if = "Auth::is_inherit")]
    pub auth: Auth,
    #[serde(default, skip_serializing_if = "Options::is_empty")]
    pub options: Options,
    /// Display order of the top-level entries (folder directory names and request file stems);
    /// entries not listed follow, folders first, each group by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<String>,
    /// `false`: exchanges of this collection's requests are not kept in the history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<bool>,
    /// `true`: the `{{command …}}` template function may run programs for this collection's
    /// requests. Off unless said, so a collection cloned from elsewhere runs nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_commands: Option<bool>,
    /// Programs run around every send of its requests, unless a folder or request turns
    /// them off (`model::hooks`); they run only when `allow_commands` is true.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hooks: Vec<Hook>,
    #[serde(skip)]
    pub unknown: UnknownFields,
}

impl CollectionMeta {
    pub fn named(name: impl Into<String>) -> Self {
        CollectionMeta {
            courier: FORMAT_VERSION,
            name: name.into(),
            description: String::new(),
            variables: Variables::new(),
            headers: Vec::new(),
            auth: Auth::Inherit,
            options: Options::default(),
            order: Vec::new(),
            history: None,
            allow_commands: None,
            hooks: Vec::new(),
            unknown: UnknownFields::default(),
        }
    }
}

/// `folder.json`, optional in every folder: display name and order, and inherited defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FolderMeta {
    #[serde(default = "format_version")]
    pub courier: u32,
    /// Shown instead of the directory name when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub variables: Variables,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<KeyValue>,
    #[serde(default, skip_serializing_if = "Auth::is_inherit")]
    pub auth: Auth,
    #[serde(default, skip_serializing_if = "Options::is_empty")]
    pub options: Options,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hooks: Vec<Hook>,
    #[serde(skip)]
    pub unknown: UnknownFields,
}

/// `environments/<name>.json`: one set of variable values (local, staging, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentFile {
    #[serde(default = "format_version")]
    pub courier: u32,
    #[serde(default)]
    pub variables: Variables,
    #[serde(skip)]
    pub unknown: UnknownFields,
}

// By hand, not derived: a new file says which format it is written in, never `0`.
impl Default for FolderMeta {
    fn default() -> Self {
        FolderMeta {
            courier: FORMAT_VERSION,
            name: None,
            description: String::new(),
            variables: Variables::new(),
            headers: Vec::new(),
            auth: Auth::Inherit,
            options: Options::default(),
            order: Vec::new(),
            hooks: Vec::new(),
            unknown: UnknownFields::default(),
        }
    }
}

impl Default for EnvironmentFile {
    fn default() -> Self {
        EnvironmentFile {
            courier: FORMAT_VERSION,
            variables: Variables::new(),
            unknown: UnknownFields::default(),
        }
    }
}

/// `config.json` in the user's config directory: defaults under every collection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Config {
    #[serde(default = "format_version")]
    pub courier: u32,
    #[serde(default, skip_serializing_if = "Options::is_empty")]
    pub options: Options,
    /// The TUI's colours: `"dark"` (the default) or `"light"`; `COURIER_THEME` overrides it
    /// and `NO_COLOR` overrides both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<ThemeName>,
    /// How pictures are drawn: `"auto"` (the default: ask the terminal), `"kitty"`,
    /// `"sixel"`, `"iterm2"` or `"halfblocks"`; `COURIER_GRAPHICS` overrides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graphics: Option<Graphics>,
    /// What the history of exchanges keeps (see [`HistoryConfig`]).
    #[serde(default, skip_serializing_if = "HistoryConfig::is_empty")]
    pub history: HistoryConfig,
    #[serde(skip)]
    pub unknown: UnknownFields,
}

/// How the TUI draws pictures: with a terminal graphics protocol, or with Unicode half-blocks
/// (two coloured pixels a cell), which every colour terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Graphics {
    /// Ask the terminal what it supports.
    #[default]
    Auto,
    Kitty,
    Sixel,
    Iterm2,
    Halfblocks,
}

impl Graphics {
    /// A name as the config file spells it, any case; None for anything else.
    pub fn parse(text: &str) -> Option<Graphics> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(Graphics::Auto),
            "kitty" => Some(Graphics::Kitty),
            "sixel" => Some(Graphics::Sixel),
            "iterm2" => Some(Graphics::Iterm2),
            "halfblocks" => Some(Graphics::Halfblocks),
            _ => None,
        }
    }
}

/// The TUI's colour themes, for a dark or a light terminal background.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
}

impl ThemeName {
    /// `dark` or `light`, any case; None for anything else.
    pub fn parse(text: &str) -> Option<ThemeName> {
        match text.trim().to_ascii_lowercase().as_str() {
            "dark" => Some(ThemeName::Dark),
            "light" => Some(ThemeName::Light),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_named_by_their_path() {
        let unknown = UnknownFields(vec![
            (
                vec![
                    JsonStep::Key("auth".into()),
                    JsonStep::Key("location".into()),
                ],
                1.into(),
            ),
            (
                vec![
                    JsonStep::Key("headers".into()),
                    JsonStep::Index(1),
                    JsonStep::Key("note".into()),
                ],
                2.into(),
            ),
        ]);
        assert_eq!(unknown.paths(), ["auth.location", "headers[1].note"]);
    }
}
