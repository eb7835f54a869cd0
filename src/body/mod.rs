//! Response bodies as the user sees them. For now: making bytes from the network safe to put on
//! a terminal. The response buffer, line index, incremental pretty-printer, search and jq filter
//! join this module with the response inspector.

mod visible;

pub use visible::{VisibleText, make_visible};
