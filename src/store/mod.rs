//! The on-disk format of collections: loading a directory of collections into typed values
//! (with precise, never-fatal errors), saving them back atomically, and keeping fields this
//! version does not understand.
//!
//! Layout (see the README for the full format):
//! ```text
//! demo/                         a collection
//!   collection.json             name, variables, inherited headers/auth/options, order
//!   environments/local.json     {"variables": {...}}
//!   .env                        secrets, KEY=value, never committed
//!   users/                      a folder; folder.json optional (name, order, defaults)
//!     create-user.json          a request
//!     create-user.body.json     its body, a sidecar file
//! ```
//! This module does file I/O and nothing else: no network, no terminal.

mod atomic;
pub mod document;
mod error;
pub mod examples;
mod journal;
mod load;
#[cfg(test)]
mod load_head_tests;
pub mod lookup;
pub mod ops;
mod save;
mod tree;

pub use atomic::write_atomic;
pub use error::{LoadError, SaveError};
pub use journal::{
    JournalDraft, JournalError, read_journal, request_from_snapshot, request_snapshot,
    write_journal,
};
pub use load::{is_sidecar, load_collection, load_request, load_workspace, load_workspace_head};
pub use save::{save_collection_meta, save_folder_meta, save_request, save_request_replacing};
pub use tree::{BrokenItem, Collection, Environment, Folder, Item, LoadedRequest, Workspace};

/// Reads the user's `config.json`.
pub fn read_config(path: &std::path::Path) -> Result<crate::model::Config, LoadError> {
    load::read_document(path)
}

/// Reads the user's `config.json`, or the defaults when there is none.
pub fn read_config_or_default(path: &std::path::Path) -> Result<crate::model::Config, LoadError> {
    if path.exists() {
        read_config(path)
    } else {
        Ok(crate::model::Config::default())
    }
}

/// The file that makes a directory a collection.
pub const COLLECTION_FILE: &str = "collection.json";
/// The optional file that describes a folder.
pub const FOLDER_FILE: &str = "folder.json";
