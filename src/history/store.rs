//! Storing, listing and pruning exchanges: the SQL behind [`History`]. Recording applies
//! retention in the same transaction: per request the newest `per_request` unpinned exchanges
//! stay, and the oldest unpinned go while the whole history holds more than `max_bytes`.

use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{
    Exchange, History, HistoryError, ListFilter, Outcome, RecordedHead, RecordedTiming, StoredBody,
};

/// What a prune or a clear removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub exchanges: usize,
    pub bytes: u64,
}

pub(super) const COLUMNS: &str =
    "id, started_at_ms, request_key, collection, request_name, environment,
    method, url, request_headers, request_body_blob, request_body_size, request_body_kept,
    request_body_note,
    status, reason, http_version, response_headers, remote_addr, final_url, timing,
    body_blob, body_size, body_kept, stored_bytes, outcome, error, pinned, request_source,
    transcript_blob, transcript_size, transcript_kept";

impl History {
    /// Stores `exchange` and applies retention; returns its id.
    pub fn record(&mut self, exchange: &Exchange) -> Result<i64, HistoryError> {
        let settings = self.settings;
        let (id, gone) = in_transaction(&mut self.conn, |transaction| {
            record_in(
                transaction,
                exchange,
                settings.per_request,
                settings.max_bytes,
            )
        })
        .map_err(|e| HistoryError::from_sqlite(&self.path, e))?;
        self.remove_orphans(&gone)?;
        Ok(id)
    }

    /// The exchanges `filter` asks for, newest first, without their bodies.
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<Exchange>, HistoryError> {
        let (condition, values) = filter.condition();
        let mut sql = format!("SELECT {COLUMNS} FROM exchange WHERE {condition}");
        sql.push_str(" ORDER BY id DESC");
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut statement = self.conn.prepare(&sql).map_err(|e| self.sqlite(e))?;
        let rows = statement
            .query_map(rusqlite::params_from_iter(values.iter()), exchange_of)
            .map_err(|e| self.sqlite(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sqlite(e))
    }

    /// The exchange `id`.
    pub fn get(&self, id: i64) -> Result<Exchange, HistoryError> {
        let sql = format!("SELECT {COLUMNS} FROM exchange WHERE id = ?");
        self.conn
            .query_row(&sql, [id], exchange_of)
            .optional()
            .map_err(|e| self.sqlite(e))?
            .ok_or(HistoryError::NotFound(id))
    }

    /// Writes the response body of `exchange` (as kept) into `out`.
    pub fn copy_body(
        &self,
        exchange: &Exchange,
        out: &mut dyn std::io::Write,
    ) -> Result<u64, HistoryError> {
        let Some(hash) = &exchange.body.hash else {
            return Ok(0);
        };
        self.blobs
            .copy_to(hash, out)
            .map_err(|source| HistoryError::Files {
                path: self.blobs.path_of(hash),
                source,
            })
    }

    /// When the body of exchange `id` came, piece by piece; None when it came at once.
    pub fn body_timing(&self, id: i64) -> Result<Option<Vec<(u64, u64)>>, HistoryError> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT body_timing FROM exchange WHERE id = ?",
                [id],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.sqlite(e))?
            .ok_or(HistoryError::NotFound(id))?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// The WebSocket transcript of `exchange` as kept (empty when it has none).
    pub fn transcript_bytes(&self, exchange: &Exchange) -> Result<Vec<u8>, HistoryError> {
        let mut bytes = Vec::new();
        if let Some(hash) = &exchange.transcript.hash {
            self.blobs
                .copy_to(hash, &mut bytes)
                .map_err(|source| HistoryError::Files {
                    path: self.blobs.path_of(hash),
                    source,
                })?;
        }
        Ok(bytes)
    }

    /// The response body of `exchange` as kept.
    pub fn body_bytes(&self, exchange: &Exchange) -> Result<Vec<u8>, HistoryError> {
        let mut bytes = Vec::new();
        self.copy_body(exchange, &mut bytes)?;
        Ok(bytes)
    }

    /// Keeps or unkeeps `id` whatever the retention.
    pub fn pin(&mut self, id: i64, pinned: bool) -> Result<(), HistoryError> {
        let changed = self
            .conn
            .execute(
                "UPDATE exchange SET pinned = ? WHERE id = ?",
                params![pinned, id],
            )
            .map_err(|e| self.sqlite(e))?;
        if changed == 0 {
            return Err(HistoryError::NotFound(id));
        }
        Ok(())
    }

    /// Applies retention now (after the settings changed, say).
    pub fn prune(&mut self) -> Result<Pruned, HistoryError> {
        let settings = self.settings;
        let gone = in_transaction(&mut self.conn, |transaction| {
            let keys: Vec<String> = transaction
                .prepare("SELECT DISTINCT request_key FROM exchange")?
                .query_map([], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            let mut gone = Vec::new();
            for key in keys {
                gone.extend(over_count(transaction, &key, settings.per_request)?);
            }
            gone.extend(over_bytes(transaction, settings.max_bytes)?);
            Ok(gone)
        })
        .map_err(|e| HistoryError::from_sqlite(&self.path, e))?;
        self.blobs.remove_stale_temporaries();
        self.remove_orphans(&gone)
    }

    /// Removes every exchange (pinned ones too when `pinned_too`).
    pub fn clear(&mut self, pinned_too: bool) -> Result<Pruned, HistoryError> {
        let condition = if pinned_too { "1 = 1" } else { "pinned = 0" };
        let gone = in_transaction(&mut self.conn, |transaction| {
            let gone = delete_where(transaction, condition, [])?;
            // A run none of whose exchanges are left is forgotten with them.
            transaction.execute(
                "DELETE FROM run WHERE id NOT IN
                    (SELECT run_id FROM exchange WHERE run_id IS NOT NULL)",
                [],
            )?;
            Ok(gone)
        })
        .map_err(|e| HistoryError::from_sqlite(&self.path, e))?;
        self.remove_orphans(&gone)
    }

    /// Removes the blobs of deleted exchanges that no exchange refers to any more.
    fn remove_orphans(&self, gone: &[Deleted]) -> Result<Pruned, HistoryError> {
        let mut orphans = Vec::new();
        for hash in gone.iter().flat_map(|d| d.blobs.iter().flatten()) {
            let used: bool = self
                .conn
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM exchange WHERE body_blob = ?1
                        OR request_body_blob = ?1 OR transcript_blob = ?1)",
                    [hash],
                    |row| row.get(0),
                )
                .map_err(|e| self.sqlite(e))?;
            if !used && !orphans.contains(hash) {
                orphans.push(hash.clone());
            }
        }
        let bytes = self.blobs.remove(&orphans, self.blob_grace);
        Ok(Pruned {
            exchanges: gone.len(),
            bytes,
        })
    }
}

/// Runs `work` in one transaction, committed when it succeeds.
fn in_transaction<T>(
    conn: &mut rusqlite::Connection,
    work: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let transaction = conn.transaction()?;
    let value = work(&transaction)?;
    transaction.commit()?;
    Ok(value)
}

/// An exchange deleted by retention: its blobs, to remove when nothing else uses them.
struct Deleted {
    blobs: [Option<String>; 3],
}

fn record_in(
    transaction: &Transaction<'_>,
    exchange: &Exchange,
    per_request: u32,
    max_bytes: u64,
) -> rusqlite::Result<(i64, Vec<Deleted>)> {
    let head = exchange.head.as_ref();
    let to_json = |value: &dyn erased::Json| value.json();
    transaction.execute(
        "INSERT INTO exchange (started_at_ms, request_key, collection, request_name,
            environment, method, url, request_headers, request_body_blob, request_body_size,
            request_body_kept, request_body_note, status, reason, http_version,
            response_headers, remote_addr, final_url, timing, duration_us, body_blob, body_size,
            body_kept, stored_bytes, outcome, error, pinned, request_source, body_timing,
            transcript_blob, transcript_size, transcript_kept)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32)",
        params![
            exchange.started_at_ms,
            exchange.request_key,
            exchange.collection,
            exchange.request_name,
            exchange.environment,
            exchange.method,
            exchange.url,
            to_json(&exchange.request_headers),
            exchange.request_body.hash,
            int(exchange.request_body.size),
            int(exchange.request_body.kept),
            exchange.request_body_note,
            head.map(|h| h.status),
            head.map(|h| h.reason.clone()),
            head.map(|h| h.version.clone()),
            head.map(|h| to_json(&h.headers)),
            head.and_then(|h| h.remote_addr.clone()),
            head.map(|h| h.final_url.clone()),
            exchange.timing.map(|t| to_json(&t)),
            exchange.duration_us().map(int),
            exchange.body.hash,
            int(exchange.body.size),
            int(exchange.body.kept),
            int(exchange.body.stored + exchange.request_body.stored + exchange.transcript.stored),
            exchange.outcome.as_str(),
            exchange.error,
            exchange.pinned,
            exchange.request_source,
            exchange.body_timing.as_ref().map(|t| to_json(t)),
            exchange.transcript.hash,
            exchange
                .transcript
                .hash
                .as_ref()
                .map(|_| int(exchange.transcript.size)),
            exchange
                .transcript
                .hash
                .as_ref()
                .map(|_| int(exchange.transcript.kept)),
        ],
    )?;
    let id = transaction.last_insert_rowid();
    index_text(transaction, id, exchange)?;
    let mut gone = over_count(transaction, &exchange.request_key, per_request)?;
    gone.extend(over_bytes(transaction, max_bytes)?);
    Ok((id, gone))
}

/// Puts exchange `id`'s URL, headers and search text in the full-text index.
fn index_text(transaction: &Transaction<'_>, id: i64, exchange: &Exchange) -> rusqlite::Result<()> {
    let header_text = |headers: &[(String, String)]| {
        headers
            .iter()
            .map(|(name, value)| format!("{name}: {value}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut headers = header_text(&exchange.request_headers);
    if let Some(head) = &exchange.head {
        headers.push('\n');
        headers.push_str(&header_text(&head.headers));
    }
    transaction.execute(
        "INSERT INTO exchange_text (rowid, url, headers, body) VALUES (?1, ?2, ?3, ?4)",
        params![id, exchange.url, headers, exchange.search_text],
    )?;
    Ok(())
}

/// Deletes the unpinned exchanges of `key` past the newest `keep`.
fn over_count(
    transaction: &Transaction<'_>,
    key: &str,
    keep: u32,
) -> rusqlite::Result<Vec<Deleted>> {
    delete_where(
        transaction,
        "id IN (SELECT id FROM exchange WHERE request_key = ?1 AND pinned = 0
            ORDER BY id DESC LIMIT -1 OFFSET ?2)",
        params![key, keep],
    )
}

/// Deletes the oldest unpinned exchanges while the history holds more than `max_bytes`.
fn over_bytes(transaction: &Transaction<'_>, max_bytes: u64) -> rusqlite::Result<Vec<Deleted>> {
    let total =
        uint(transaction.query_row("SELECT stored_bytes FROM totals", [], |row| row.get(0))?);
    if total <= max_bytes {
        return Ok(Vec::new());
    }
    // The oldest first, until enough bytes go: a running sum over them finds the last one.
    delete_where(
        transaction,
        "id IN (SELECT id FROM (SELECT id, SUM(stored_bytes) OVER (ORDER BY id) AS running
            FROM exchange WHERE pinned = 0) WHERE running - stored_bytes < ?1)",
        params![int(total - max_bytes)],
    )
}

/// Deletes the exchanges matching `condition` and their search text.
fn delete_where(
    transaction: &Transaction<'_>,
    condition: &str,
    values: impl rusqlite::Params + Clone,
) -> rusqlite::Result<Vec<Deleted>> {
    let mut gone = Vec::new();
    let mut ids = Vec::new();
    {
        let sql = format!(
            "SELECT id, body_blob, request_body_blob, transcript_blob FROM exchange WHERE {condition}"
        );
        let mut statement = transaction.prepare(&sql)?;
        let mut rows = statement.query(values.clone())?;
        while let Some(row) = rows.next()? {
            ids.push(row.get::<_, i64>(0)?);
            gone.push(Deleted {
                blobs: [row.get(1)?, row.get(2)?, row.get(3)?],
            });
        }
    }
    for id in ids {
        transaction.execute("DELETE FROM exchange WHERE id = ?", [id])?;
        transaction.execute("DELETE FROM exchange_text WHERE rowid = ?", [id])?;
    }
    Ok(gone)
}

pub(super) fn exchange_of(row: &Row<'_>) -> rusqlite::Result<Exchange> {
    let headers = |text: Option<String>| -> Vec<(String, String)> {
        text.and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    };
    let status: Option<u16> = row.get("status")?;
    let head = match status {
        Some(status) => Some(RecordedHead {
            status,
            reason: row.get::<_, Option<String>>("reason")?.unwrap_or_default(),
            version: row
                .get::<_, Option<String>>("http_version")?
                .unwrap_or_default(),
            headers: headers(row.get("response_headers")?),
            remote_addr: row.get("remote_addr")?,
            final_url: row
                .get::<_, Option<String>>("final_url")?
                .unwrap_or_default(),
        }),
        None => None,
    };
    let timing: Option<String> = row.get("timing")?;
    let stored = uint(row.get("stored_bytes")?);
    Ok(Exchange {
        id: row.get("id")?,
        started_at_ms: row.get("started_at_ms")?,
        request_key: row.get("request_key")?,
        collection: row.get("collection")?,
        request_name: row.get("request_name")?,
        environment: row.get("environment")?,
        method: row.get("method")?,
        url: row.get("url")?,
        request_headers: headers(row.get("request_headers")?),
        request_body: StoredBody {
            hash: row.get("request_body_blob")?,
            size: uint(row.get::<_, Option<i64>>("request_body_size")?.unwrap_or(0)),
            kept: uint(row.get::<_, Option<i64>>("request_body_kept")?.unwrap_or(0)),
            stored: 0,
        },
        request_body_note: row.get("request_body_note")?,
        head,
        timing: timing.and_then(|t| serde_json::from_str::<RecordedTiming>(&t).ok()),
        body: StoredBody {
            hash: row.get("body_blob")?,
            size: uint(row.get("body_size")?),
            kept: uint(row.get("body_kept")?),
            stored,
        },
        outcome: Outcome::parse(&row.get::<_, String>("outcome")?),
        error: row.get("error")?,
        pinned: row.get("pinned")?,
        request_source: row.get("request_source")?,
        search_text: None,
        // Read when asked for (`History::body_timing`): a list of rows does not need it.
        body_timing: None,
        transcript: StoredBody {
            hash: row.get("transcript_blob")?,
            size: uint(row.get::<_, Option<i64>>("transcript_size")?.unwrap_or(0)),
            kept: uint(row.get::<_, Option<i64>>("transcript_kept")?.unwrap_or(0)),
            stored: 0,
        },
    })
}

/// A size as SQLite keeps it (a signed 64-bit integer).
fn int(size: u64) -> i64 {
    i64::try_from(size).unwrap_or(i64::MAX)
}

/// A size as SQLite kept it.
fn uint(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// JSON text of what the database keeps as JSON.
mod erased {
    pub trait Json {
        fn json(&self) -> String;
    }

    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            // Headers and timings are strings and numbers: serialising them cannot fail.
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}
