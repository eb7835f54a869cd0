//! `courier test` runs in the history: a row per run with its counts, and each exchange it
//! sent marked with the run and whether its request passed there. A failing run is read back
//! with [`History::run_exchanges`], and each failed request set beside its exchange in the
//! last run where it passed ([`History::last_pass`]).

use rusqlite::{OptionalExtension, Row, params};

use super::store::{COLUMNS, exchange_of};
use super::{Exchange, History, HistoryError};

/// One run as the history keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunRecord {
    /// 0 until stored.
    pub id: i64,
    pub started_at_ms: i64,
    /// What was run, as it was named.
    pub target: String,
    pub requests: u64,
    pub passed: u64,
    pub failed: u64,
    pub errors: u64,
    pub not_run: u64,
    /// None while the run is going (or when it never finished).
    pub duration_us: Option<u64>,
}

impl RunRecord {
    /// Whether every request it sent passed (and it finished).
    pub fn passed(&self) -> bool {
        self.duration_us.is_some() && self.failed == 0 && self.errors == 0
    }
}

impl History {
    /// Starts a run: its id, for [`History::mark_run`] and [`History::finish_run`].
    pub fn start_run(&mut self, target: &str, started_at_ms: i64) -> Result<i64, HistoryError> {
        self.conn
            .execute(
                "INSERT INTO run (started_at_ms, target) VALUES (?, ?)",
                params![started_at_ms, target],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Marks the exchange `exchange` (recorded already) as sent in run `run`: passed, failed,
    /// or (None) an attempt a retry superseded, which has no verdict of its own.
    pub fn mark_run(
        &mut self,
        exchange: i64,
        run: i64,
        passed: Option<bool>,
    ) -> Result<(), HistoryError> {
        self.conn
            .execute(
                "UPDATE exchange SET run_id = ?, run_passed = ? WHERE id = ?",
                params![run, passed, exchange],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(())
    }

    /// Stores a run's counts once it is over.
    pub fn finish_run(&mut self, run: &RunRecord) -> Result<(), HistoryError> {
        let int = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        self.conn
            .execute(
                "UPDATE run SET requests = ?, passed = ?, failed = ?, errors = ?, not_run = ?,
                    duration_us = ? WHERE id = ?",
                params![
                    int(run.requests),
                    int(run.passed),
                    int(run.failed),
                    int(run.errors),
                    int(run.not_run),
                    run.duration_us.map(int),
                    run.id
                ],
            )
            .map_err(|e| self.sqlite(e))?;
        Ok(())
    }

    /// The newest runs first, at most `limit`.
    pub fn runs(&self, limit: usize) -> Result<Vec<RunRecord>, HistoryError> {
        let mut statement = self
            .conn
            .prepare("SELECT * FROM run ORDER BY id DESC LIMIT ?")
            .map_err(|e| self.sqlite(e))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = statement
            .query_map([limit], run_of)
            .map_err(|e| self.sqlite(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sqlite(e))
    }

    /// The run `id`.
    pub fn run(&self, id: i64) -> Result<RunRecord, HistoryError> {
        self.conn
            .query_row("SELECT * FROM run WHERE id = ?", [id], run_of)
            .optional()
            .map_err(|e| self.sqlite(e))?
            .ok_or(HistoryError::NoRun(id))
    }

    /// The exchanges run `id` sent, in order, each with whether its request passed (None for
    /// an attempt a retry superseded).
    pub fn run_exchanges(&self, id: i64) -> Result<Vec<(Exchange, Option<bool>)>, HistoryError> {
        let sql =
            format!("SELECT {COLUMNS}, run_passed FROM exchange WHERE run_id = ? ORDER BY id");
        let mut statement = self.conn.prepare(&sql).map_err(|e| self.sqlite(e))?;
        let rows = statement
            .query_map([id], |row| {
                Ok((exchange_of(row)?, row.get::<_, Option<bool>>("run_passed")?))
            })
            .map_err(|e| self.sqlite(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sqlite(e))
    }

    /// The newest exchange of `request_key` that passed in a run before `run`.
    pub fn last_pass(&self, request_key: &str, run: i64) -> Result<Option<Exchange>, HistoryError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM exchange
             WHERE request_key = ? AND run_id < ? AND run_passed = 1 ORDER BY id DESC LIMIT 1"
        );
        self.conn
            .query_row(&sql, params![request_key, run], exchange_of)
            .optional()
            .map_err(|e| self.sqlite(e))
    }
}

fn run_of(row: &Row<'_>) -> rusqlite::Result<RunRecord> {
    let count = |name: &str| -> rusqlite::Result<u64> {
        Ok(u64::try_from(row.get::<_, i64>(name)?).unwrap_or(0))
    };
    Ok(RunRecord {
        id: row.get("id")?,
        started_at_ms: row.get("started_at_ms")?,
        target: row.get("target")?,
        requests: count("requests")?,
        passed: count("passed")?,
        failed: count("failed")?,
        errors: count("errors")?,
        not_run: count("not_run")?,
        duration_us: row
            .get::<_, Option<i64>>("duration_us")?
            .map(|us| u64::try_from(us).unwrap_or(0)),
    })
}
