//! Bodies as the user sees them: making bytes from the network safe to put on a terminal, and
//! formatting and checking JSON (streamed, for responses; with templates, for request bodies). The response buffer, line index, incremental pretty-printer, search, jq filter and
//! image decoding join this module with the response inspector.

pub mod buffer;
pub mod events;
pub mod human;
pub mod jq;
pub mod json_format;
pub mod json_path;
pub mod picture;
pub mod search;
pub mod store;
pub mod timing;
pub mod transcript;
mod visible;
pub mod xml_format;

pub use json_format::{JsonError, JsonFormatter, Layout};
pub use visible::{VisibleText, make_visible, visible_char};
