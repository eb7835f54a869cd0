//! Load mode: one saved request sent again and again, by many workers at once or at a fixed
//! rate, for a count or a time, with every latency in an HDR histogram and every error by
//! kind. `target` builds what each request sends once, `connect` opens connections
//! (HTTP/1.1 written and read by `wire`, HTTP/2 on hyper's client API; no pool between a
//! worker and its connection), `run` drives the workers and the once-a-second collector,
//! `stats` counts, `fail_if` judges a run for CI.
//! The CLI (`courier load`) and the TUI's load view both start a run here and read its
//! snapshots; nothing here prints or draws.

mod connect;
pub mod fail_if;
mod run;
mod stats;
mod target;
mod wire;

pub use connect::ConnectorError;
pub use run::{Ended, Plan, Running, Stop, Summary, start};
pub use stats::{ErrorCount, ErrorKind, Latency, Point, Snapshot};
pub use target::{Target, TargetError};
