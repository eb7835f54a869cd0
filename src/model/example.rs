//! An example: a response saved beside its request, with a name (`Not found`, `Empty cart`),
//! to show what the request returns and, later, to be served by the mock server and written
//! by importers. One file `<request>.examples/<slug>.json` holds the status and headers; the
//! body, when there is one, is a sidecar beside it (`<slug>.body.json`), so a JSON body reads
//! and diffs in git like any other file.

use serde::{Deserialize, Serialize};

use super::{KeyValue, UnknownFields, format_version};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    #[serde(default = "format_version")]
    pub courier: u32,
    pub name: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<KeyValue>,
    /// The body's sidecar file, beside this one; none for an empty body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(skip)]
    pub unknown: UnknownFields,
}
