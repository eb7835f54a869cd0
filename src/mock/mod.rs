//! `courier mock`: a collection's saved examples served as a server. [`table`] reads the
//! collection once into routes (each request's method and URL path as a [`PathPattern`], its
//! examples with their rules); [`choose`] picks the example that answers a request, or says
//! what came closest; [`respond`] renders its templates and plays its delay and faults;
//! [`server`] listens (HTTP/1.1, h2c, TLS with ALPN) and holds against bad clients; [`log`]
//! is what it did, one event a request, for `courier mock`'s lines and the TUI;
//! [`websocket`] plays a WebSocket example's transcript frame by frame, and [`record_ws`]
//! records one from upstream.

pub mod choose;
mod intake;
pub mod log;
pub mod openapi;
pub mod pattern;
pub mod record;
pub mod record_ws;
pub mod respond;
mod save;
pub mod schema;
pub mod server;
pub mod table;
pub mod websocket;

pub use choose::{Candidate, Choice, EXAMPLE_HEADER, Incoming, Miss, choose};
pub use log::{EventKind, EventSink, MockEvent};
pub use pattern::PathPattern;
pub use server::{MockError, MockOptions, MockServer};
pub use table::{MockExample, Route, Source, Table};
