//! The history: every exchange remembered in an SQLite database (WAL, so a TUI and
//! `courier send` record at once) in Courier's state directory, never in a collection. Each
//! entry keeps the request as sent, with secrets masked as on screen, the response head,
//! timing, sizes and outcome; bodies live beside it in [`blobs`], compressed and stored once.
//! [`Recorder`] builds an entry from an exchange's events as they come; [`History`] stores,
//! lists, shows and prunes them. A database that cannot be used turns history off with a
//! [`HistoryError`] saying why; it never stops a send.

mod blobs;
pub mod diff;
pub mod diff_lines;
mod query;
mod recorder;
mod runs;
mod schema;
mod store;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

pub use blobs::{Blobs, StoredBody};
pub use query::{ListFilter, StatusMatch};
pub use recorder::{Recorder, RequestIdentity};
pub use runs::RunRecord;
pub use store::Pruned;

use crate::model::HistorySettings;

/// How long a write waits for another Courier's before history gives up on it.
const BUSY_WAIT: Duration = Duration::from_secs(3);

/// Why the history cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("the history database {} is locked by another program", path.display())]
    Locked { path: PathBuf },
    #[error("the history database {} is damaged ({reason}); move it away to start a new one", path.display())]
    Damaged { path: PathBuf, reason: String },
    #[error(
        "the history database {} is from a newer Courier (schema {found}; this one knows up to {known})",
        path.display()
    )]
    Newer {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    #[error("the history database {}: {reason}", path.display())]
    Database { path: PathBuf, reason: String },
    #[error("the history's files in {}: {source}", path.display())]
    Files {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("there is no exchange {0} in the history")]
    NotFound(i64),
    #[error("there is no run {0} in the history (`courier history runs` lists them)")]
    NoRun(i64),
}

impl HistoryError {
    fn from_sqlite(path: &Path, err: rusqlite::Error) -> HistoryError {
        use rusqlite::ErrorCode;
        let path = path.to_owned();
        match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                HistoryError::Locked { path }
            }
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => HistoryError::Damaged {
                path,
                reason: err.to_string(),
            },
            _ => HistoryError::Database {
                path,
                reason: err.to_string(),
            },
        }
    }
}

/// How an exchange ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Done,
    Failed,
    Cancelled,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Failed => "failed",
            Outcome::Cancelled => "cancelled",
        }
    }

    fn parse(text: &str) -> Outcome {
        match text {
            "done" => Outcome::Done,
            "cancelled" => Outcome::Cancelled,
            _ => Outcome::Failed,
        }
    }
}

/// Where the time went, in microseconds (see `http::Timing`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedTiming {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_us: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_us: Option<u64>,
    pub first_byte_us: u64,
    pub download_us: u64,
    pub total_us: u64,
}

/// The response head as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedHead {
    pub status: u16,
    pub reason: String,
    pub version: String,
    pub headers: Vec<(String, String)>,
    pub remote_addr: Option<String>,
    pub final_url: String,
}

/// One exchange as the history keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// 0 until stored.
    pub id: i64,
    /// When it started, in milliseconds since the Unix epoch.
    pub started_at_ms: i64,
    pub request_key: String,
    pub collection: Option<String>,
    pub request_name: Option<String>,
    pub environment: Option<String>,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: StoredBody,
    /// What the request's body was when it is not kept as bytes (a file, multipart parts).
    pub request_body_note: Option<String>,
    pub head: Option<RecordedHead>,
    pub timing: Option<RecordedTiming>,
    pub body: StoredBody,
    pub outcome: Outcome,
    pub error: Option<String>,
    pub pinned: bool,
    /// The request's document as it was written (templates unrendered, secrets masked should
    /// one be written in it), when it was a saved request: what "send again" and "edit from
    /// this one" start from. Its format is the store's (`store::request_snapshot`).
    pub request_source: Option<String>,
    /// The first 64 KB of a text body, for full-text search (not read back).
    pub search_text: Option<String>,
    /// When the body's pieces came (`(end, ms after the head)`), for a body that came as a
    /// stream worth playing back (`body::timing`).
    pub body_timing: Option<Vec<(u64, u64)>>,
    /// A WebSocket session's transcript (`body::transcript`), beside its log (the body).
    pub transcript: StoredBody,
}

impl Exchange {
    /// The whole duration, when the exchange got that far.
    pub fn duration_us(&self) -> Option<u64> {
        self.timing.map(|t| t.total_us)
    }
}

/// `ms` since the epoch as a local date and time (`2026-12-03 18:00:00`): the time zone is
/// the system's, read from its files.
pub fn local_time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map_or_else(
        |_| ms.to_string(),
        |t| {
            t.to_zoned(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d %H:%M:%S")
                .to_string()
        },
    )
}

/// The history: its database and its blobs.
pub struct History {
    conn: Connection,
    blobs: Blobs,
    path: PathBuf,
    settings: HistorySettings,
    /// How old an unused blob must be before a prune removes it (see `blobs::FRESH`).
    blob_grace: Duration,
}

impl History {
    /// Opens (creating and migrating as needed) the history in `dir`. Another Courier opening
    /// a new database at the same moment can hold it for a moment in ways SQLite does not
    /// wait for (switching to WAL, recovering it), so a locked database is tried again for
    /// as long as a write would wait.
    pub fn open(dir: &Path, settings: HistorySettings) -> Result<History, HistoryError> {
        let started = std::time::Instant::now();
        loop {
            match History::open_once(dir, settings) {
                Err(HistoryError::Locked { .. }) if started.elapsed() < BUSY_WAIT => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                opened => return opened,
            }
        }
    }

    fn open_once(dir: &Path, settings: HistorySettings) -> Result<History, HistoryError> {
        std::fs::create_dir_all(dir).map_err(|source| HistoryError::Files {
            path: dir.to_owned(),
            source,
        })?;
        let path = dir.join("history.sqlite3");
        let sqlite = |err| HistoryError::from_sqlite(&path, err);
        let mut conn = Connection::open(&path).map_err(sqlite)?;
        conn.busy_timeout(BUSY_WAIT).map_err(sqlite)?;
        // WAL: readers never wait for the writer, and two writers take turns.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sqlite)?;
        match schema::migrate(&mut conn).map_err(sqlite)? {
            schema::Migrated::Current => {}
            schema::Migrated::Newer { found } => {
                return Err(HistoryError::Newer {
                    path,
                    found,
                    known: schema::VERSION,
                });
            }
        }
        Ok(History {
            conn,
            blobs: Blobs::new(dir.join("blobs")),
            path,
            settings,
            blob_grace: blobs::FRESH,
        })
    }

    /// Unused blobs go at once, however new: for tests, where no other Courier records.
    pub fn without_blob_grace(mut self) -> History {
        self.blob_grace = Duration::ZERO;
        self
    }

    /// Where the history of the state directory `state_dir` lives.
    pub fn dir_in(state_dir: &Path) -> PathBuf {
        state_dir.join("history")
    }

    pub fn blobs(&self) -> &Blobs {
        &self.blobs
    }

    pub fn settings(&self) -> HistorySettings {
        self.settings
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sqlite(&self, err: rusqlite::Error) -> HistoryError {
        HistoryError::from_sqlite(&self.path, err)
    }
}
