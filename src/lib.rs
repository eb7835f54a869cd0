//! Courier: a terminal API explorer — Postman's job, local-first, with collections as plain
//! files in git.
//!
//! The crate is one library with a thin binary on top. Modules, roughly from the bottom up
//! (each depends only on those above it in this list):
//!
//! - [`model`]: the typed collection model (requests, bodies, auth, options, environments).
//! - [`store`]: the on-disk format — load with precise errors, atomic save.
//! - [`template`]: `{{variable}}` rendering.
//! - [`body`]: response bodies as the user sees them: terminal-safe text, the response
//!   buffer, pretty-printing, search and jq filters.
//! - [`chain`]: request chaining, values taken from other requests' latest responses.
//! - [`http`]: the engine — prepare and send requests, stream the responses back as events.
//! - [`app`]: the UI's state machine; `App::update` is pure.
//! - [`ui`]: drawing the state with ratatui.
//! - [`runtime`]: the event loop and the terminal's lifecycle.
//! - [`cli`]: the command line and the headless subcommands.
//! - [`demo`]: the built-in demo server, independent of everything else.
//! - [`paths`], [`logging`]: where Courier keeps its files, and its log.

pub mod app;
pub mod body;
pub mod chain;
pub mod check;
pub mod cli;
pub mod demo;
pub mod export;
pub mod history;
pub mod http;
pub mod import;
pub mod load;
pub mod logging;
pub mod mock;
pub mod model;
pub mod paths;
pub mod program;
pub mod report;
pub mod runtime;
pub mod store;
pub mod template;
pub mod ui;
