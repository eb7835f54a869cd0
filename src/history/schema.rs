//! The history database's schema and its migrations. `PRAGMA user_version` is the number of
//! migrations applied; each runs in its own transaction, so a Courier that stops half-way
//! leaves the database at the last whole version. A database from a newer Courier (a version
//! past the last migration here) is left alone.

use rusqlite::{Connection, TransactionBehavior};

/// Each migration, in order; never edit one that has shipped, add the next.
const MIGRATIONS: &[&str] = &[
    // 1: exchanges and their full-text index.
    "CREATE TABLE exchange (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at_ms INTEGER NOT NULL,
        -- Which request: the saved request's file (canonical), or 'url:' and the URL ad hoc.
        request_key TEXT NOT NULL,
        collection TEXT,
        request_name TEXT,
        environment TEXT,
        method TEXT NOT NULL,
        url TEXT NOT NULL,
        request_headers TEXT NOT NULL,
        request_body_blob TEXT,
        request_body_size INTEGER,
        request_body_kept INTEGER,
        request_body_note TEXT,
        status INTEGER,
        reason TEXT,
        http_version TEXT,
        response_headers TEXT,
        remote_addr TEXT,
        final_url TEXT,
        timing TEXT,
        duration_us INTEGER,
        body_blob TEXT,
        body_size INTEGER NOT NULL DEFAULT 0,
        body_kept INTEGER NOT NULL DEFAULT 0,
        stored_bytes INTEGER NOT NULL DEFAULT 0,
        outcome TEXT NOT NULL,
        error TEXT,
        pinned INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX exchange_by_request ON exchange (request_key, id);
    CREATE INDEX exchange_by_blob ON exchange (body_blob);
    CREATE INDEX exchange_by_request_blob ON exchange (request_body_blob);
    CREATE VIRTUAL TABLE exchange_text USING fts5 (
        url, headers, body, content='', contentless_delete=1
    );
    -- The bytes the history holds, kept by triggers: retention reads one row, not a sum
    -- over every exchange.
    CREATE TABLE totals (stored_bytes INTEGER NOT NULL);
    INSERT INTO totals VALUES (0);
    CREATE TRIGGER exchange_added AFTER INSERT ON exchange BEGIN
        UPDATE totals SET stored_bytes = stored_bytes + NEW.stored_bytes;
    END;
    CREATE TRIGGER exchange_removed AFTER DELETE ON exchange BEGIN
        UPDATE totals SET stored_bytes = stored_bytes - OLD.stored_bytes;
    END;",
    // 2: the request as it was written (its document, templates unrendered), so a past
    // exchange can be sent again or edited from without the secrets the record masks.
    "ALTER TABLE exchange ADD COLUMN request_source TEXT;",
    // 3: `courier test` runs, and which run (and whether its request passed there) an
    // exchange was sent in, so a failing run can be set beside the last passing one.
    "CREATE TABLE run (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at_ms INTEGER NOT NULL,
        target TEXT NOT NULL,
        requests INTEGER NOT NULL DEFAULT 0,
        passed INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        not_run INTEGER NOT NULL DEFAULT 0,
        duration_us INTEGER
    );
    ALTER TABLE exchange ADD COLUMN run_id INTEGER;
    ALTER TABLE exchange ADD COLUMN run_passed INTEGER;
    CREATE INDEX exchange_by_run ON exchange (run_id, id);",
    // 4: when a streamed body's pieces came (`[[end, ms], …]`, so that an example saved
    // from it plays back as it came), and a WebSocket session's transcript
    // (`body::transcript`), a blob as bodies are.
    "ALTER TABLE exchange ADD COLUMN body_timing TEXT;
    ALTER TABLE exchange ADD COLUMN transcript_blob TEXT;
    ALTER TABLE exchange ADD COLUMN transcript_size INTEGER;
    ALTER TABLE exchange ADD COLUMN transcript_kept INTEGER;
    CREATE INDEX exchange_by_transcript_blob ON exchange (transcript_blob);",
];

/// The schema version this Courier writes.
pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// What the database's version says.
#[derive(Debug, PartialEq, Eq)]
pub enum Migrated {
    /// At [`VERSION`], migrated now or already.
    Current,
    /// From a newer Courier: `found` is its version.
    Newer { found: u32 },
}

/// Brings the database up to [`VERSION`]. Two Courier processes may open a new database at
/// once: each step takes the write lock first and reads the version again under it.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<Migrated> {
    let version = |conn: &Connection| -> rusqlite::Result<u32> {
        conn.query_row("PRAGMA user_version", [], |row| row.get(0))
    };
    loop {
        let found = version(conn)?;
        if found > VERSION {
            return Ok(Migrated::Newer { found });
        }
        if found == VERSION {
            return Ok(Migrated::Current);
        }
        let transaction = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found = version(&transaction)?;
        if let Some(migration) = MIGRATIONS.get(found as usize) {
            transaction.execute_batch(migration)?;
            transaction.pragma_update(None, "user_version", found + 1)?;
        }
        transaction.commit()?;
    }
}
