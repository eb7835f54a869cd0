//! Hooks: programs run around each send (`"hooks"` in `collection.json`, `folder.json` or a
//! request file). Inherited down the folders like headers: by name, the nearest wins, and
//! `"enabled": false` turns an inherited one off. What they get and answer is `http::hooks`'.

use serde::{Deserialize, Serialize};

use super::{DurationText, is_true, yes};

/// One named hook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hook {
    pub name: String,
    /// A command line, split into words as a shell would (quotes, backslashes) but run
    /// without one, in the folder of the file that names it: runs with the prepared request
    /// on stdin before it is sent, and may change it or refuse it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_send: Option<String>,
    /// Runs with the exchange on stdin once the response is whole; may set variables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_response: Option<String>,
    /// How long it may run (10 s unless said).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<DurationText>,
    /// The secrets (`.env` names, or process environment variables) it is given; every other
    /// secret reaches it masked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<String>,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
}
