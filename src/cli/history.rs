//! `courier history`: the recorded exchanges, listed (a table, or JSON for scripts), one shown
//! whole or its body alone, and the retention applied or everything cleared. Recording itself
//! is `courier send`'s (see [`open_for_send`]).

use std::io::{IsTerminal, Write};

use serde::Serialize;

use super::{HistoryCommand, adhoc, exit, find_request};
use crate::history::{Exchange, History, ListFilter};
use crate::paths::Paths;
use crate::store;

pub fn run(command: HistoryCommand, paths: &Paths) -> u8 {
    let settings = match store::read_config_or_default(&paths.config_file()) {
        Ok(config) => config.history.settings(),
        Err(err) => {
            eprintln!("courier: {err}");
            return exit::COLLECTION;
        }
    };
    let mut history = match History::open(&History::dir_in(&paths.state_dir), settings) {
        Ok(history) => history,
        Err(err) => {
            eprintln!("courier: {err}");
            return exit::FAILURE;
        }
    };
    let result = match command {
        HistoryCommand::List {
            request,
            collections,
            search,
            limit,
            json,
        } => {
            let collections = collections.unwrap_or_else(|| paths.default_collections());
            list(
                &history,
                request.as_deref(),
                &collections,
                search,
                limit,
                json,
            )
        }
        HistoryCommand::Show { id, body } => show(&history, id, body),
        HistoryCommand::Runs { limit } => super::history_runs::runs(&history, limit),
        HistoryCommand::Run { id, diff } => super::history_runs::run(&history, id, diff),
        HistoryCommand::Diff { a, b } => {
            return match diff(&history, a, b) {
                Ok(true) => 1,
                Ok(false) => exit::OK,
                Err(err) => {
                    eprintln!("courier: {err}");
                    exit::FAILURE
                }
            };
        }
        HistoryCommand::Pin { id, off } => history.pin(id, !off).map(|()| {
            if off {
                println!("Exchange {id} is no longer pinned.");
            } else {
                println!("Exchange {id} is pinned: retention keeps it.");
            }
        }),
        HistoryCommand::Prune => history.prune().map(|pruned| {
            println!(
                "Removed {} and {} of bodies.",
                count(pruned.exchanges),
                crate::body::human::human_bytes(pruned.bytes)
            );
        }),
        HistoryCommand::Clear { all } => history.clear(all).map(|pruned| {
            let kept = if all {
                ""
            } else {
                " (pinned ones kept: --all removes them too)"
            };
            println!("Removed {}{kept}.", count(pruned.exchanges));
        }),
    };
    match result {
        Ok(()) => exit::OK,
        Err(err) => {
            eprintln!("courier: {err}");
            exit::FAILURE
        }
    }
}

/// The history `courier send` records into: None when the config, the collection or
/// `--no-history` turn it off, or (said on stderr) when it cannot be used.
pub(super) fn open_for_send(
    paths: &Paths,
    config: &crate::model::Config,
    wanted: bool,
) -> Option<History> {
    let settings = config.history.settings();
    if !wanted || !settings.enabled {
        return None;
    }
    match History::open(&History::dir_in(&paths.state_dir), settings) {
        Ok(history) => Some(history),
        Err(err) => {
            eprintln!("courier: history is off for this send: {err}");
            None
        }
    }
}

fn list(
    history: &History,
    request: Option<&str>,
    collections: &std::path::Path,
    text: Option<String>,
    limit: Option<usize>,
    json: bool,
) -> Result<(), crate::history::HistoryError> {
    let mut filter = ListFilter {
        text,
        limit,
        ..ListFilter::default()
    };
    match request {
        None => {}
        Some(spec) if adhoc::is_url(spec) => {
            let url = crate::http::with_default_scheme(spec);
            filter.url =
                Some(url::Url::parse(&url).map_or_else(|_| url.to_string(), |u| u.to_string()));
        }
        Some(spec) => match find_request(spec, collections) {
            Ok(found) => {
                let canonical =
                    std::fs::canonicalize(&found.request_path).unwrap_or(found.request_path);
                filter.request_key = Some(canonical.display().to_string());
            }
            Err(err) => {
                eprintln!("courier: {err}");
                return Ok(());
            }
        },
    }
    let exchanges = history.list(&filter)?;
    let mut out = std::io::stdout().lock();
    let written = if json {
        let entries: Vec<JsonEntry> = exchanges.iter().map(JsonEntry::of).collect();
        serde_json::to_string_pretty(&entries)
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(out, "{text}"))
    } else {
        write_table(&mut out, &exchanges)
    };
    // stdout closed early (`| head`) is a quiet end.
    let _ = written;
    Ok(())
}

/// One exchange in `history list --json`.
#[derive(Serialize)]
struct JsonEntry<'a> {
    id: i64,
    /// RFC 3339, UTC.
    time: String,
    method: &'a str,
    url: &'a str,
    status: Option<u16>,
    /// Microseconds, when it got that far.
    duration: Option<u64>,
    /// Response body bytes.
    size: u64,
    outcome: crate::history::Outcome,
    request: Option<&'a str>,
    environment: Option<&'a str>,
    pinned: bool,
    /// Set when only the first bytes of the body were kept.
    body_kept: Option<u64>,
    error: Option<&'a str>,
}

impl<'a> JsonEntry<'a> {
    fn of(exchange: &'a Exchange) -> Self {
        JsonEntry {
            id: exchange.id,
            time: jiff::Timestamp::from_millisecond(exchange.started_at_ms)
                .map_or_else(|_| exchange.started_at_ms.to_string(), |t| t.to_string()),
            method: &exchange.method,
            url: &exchange.url,
            status: exchange.head.as_ref().map(|h| h.status),
            duration: exchange.duration_us(),
            size: exchange.body.size,
            outcome: exchange.outcome,
            request: exchange.request_name.as_deref(),
            environment: exchange.environment.as_deref(),
            pinned: exchange.pinned,
            body_kept: exchange.body.truncated().then_some(exchange.body.kept),
            error: exchange.error.as_deref(),
        }
    }
}

fn write_table(out: &mut impl Write, exchanges: &[Exchange]) -> std::io::Result<()> {
    if exchanges.is_empty() {
        return writeln!(out, "No exchanges recorded.");
    }
    writeln!(
        out,
        "{:>6}  {:<19}  {:<7} {:>6}  {:>9}  {:>9}  REQUEST",
        "ID", "TIME", "METHOD", "STATUS", "DURATION", "SIZE"
    )?;
    for exchange in exchanges {
        let status = match (&exchange.head, exchange.outcome) {
            (Some(head), _) => head.status.to_string(),
            (None, crate::history::Outcome::Cancelled) => "cancel".to_owned(),
            (None, _) => "failed".to_owned(),
        };
        let duration = exchange.duration_us().map_or("-".to_owned(), |us| {
            crate::body::human::human_duration(std::time::Duration::from_micros(us))
        });
        let what = match &exchange.request_name {
            Some(name) => format!("{name}  {}", exchange.url),
            None => exchange.url.clone(),
        };
        let pin = if exchange.pinned { " 📌" } else { "" };
        let line = format!(
            "{:>6}  {:<19}  {:<7} {:>6}  {:>9}  {:>9}  {what}{pin}",
            exchange.id,
            crate::history::local_time(exchange.started_at_ms),
            exchange.method,
            status,
            duration,
            crate::body::human::human_bytes(exchange.body.size),
        );
        writeln!(out, "{}", visible(&line))?;
    }
    Ok(())
}

/// Text from the network, safe for a terminal.
pub(super) fn visible(text: &str) -> String {
    crate::body::make_visible(text.as_bytes()).text
}

fn show(history: &History, id: i64, body_only: bool) -> Result<(), crate::history::HistoryError> {
    let exchange = history.get(id)?;
    if body_only {
        let mut bytes = Vec::new();
        history.copy_body(&exchange, &mut bytes)?;
        let mut out = std::io::stdout().lock();
        let _ = if out.is_terminal() {
            out.write_all(visible(&String::from_utf8_lossy(&bytes)).as_bytes())
        } else {
            out.write_all(&bytes)
        };
        if exchange.body.truncated() {
            eprintln!(
                "courier: only the first {} of {} were kept",
                crate::body::human::human_bytes(exchange.body.kept),
                crate::body::human::human_bytes(exchange.body.size)
            );
        }
        return Ok(());
    }
    let request_body = exchange
        .request_body
        .hash
        .as_ref()
        .and_then(|hash| history.blobs().read_prefix(hash, SHOWN_REQUEST_BODY).ok())
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let text = describe(&exchange, request_body.as_deref());
    let _ = std::io::stdout()
        .lock()
        .write_all(visible(&text).as_bytes());
    Ok(())
}

/// The most of a text request body `history show` prints.
const SHOWN_REQUEST_BODY: u64 = 4096;

/// The request of `exchange` as `history show` prints it: its line, its headers and its body
/// (shown when it is small text, else described).
fn describe_request(exchange: &Exchange, request_body: Option<&str>) -> String {
    let mut text = String::new();
    text.push_str(&format!("\n\n{} {}\n", exchange.method, exchange.url));
    for (name, value) in &exchange.request_headers {
        text.push_str(&format!("{name}: {value}\n"));
    }
    match (
        &exchange.request_body_note,
        exchange.request_body.size,
        request_body,
    ) {
        (Some(note), _, _) => text.push_str(&format!("(body: {note})\n")),
        (None, 0, _) => {}
        (None, size, Some(body)) if size <= SHOWN_REQUEST_BODY => {
            text.push('\n');
            text.push_str(body);
            if !body.ends_with('\n') {
                text.push('\n');
            }
        }
        (None, size, _) => text.push_str(&format!(
            "(body: {})\n",
            crate::body::human::human_bytes(size)
        )),
    }
    text
}

/// `history show`: the request as sent (with `request_body` when it is short text), the
/// response head, timing, sizes, outcome.
fn describe(exchange: &Exchange, request_body: Option<&str>) -> String {
    let mut text = format!(
        "#{}  {}",
        exchange.id,
        crate::history::local_time(exchange.started_at_ms)
    );
    if let Some(name) = &exchange.request_name {
        text.push_str(&format!("  {name}"));
    }
    if let Some(environment) = &exchange.environment {
        text.push_str(&format!("  (env: {environment})"));
    }
    if exchange.pinned {
        text.push_str("  pinned");
    }
    text.push_str(&describe_request(exchange, request_body));
    if let Some(head) = &exchange.head {
        text.push_str(&format!(
            "\n{} {} {}\n",
            head.version, head.status, head.reason
        ));
        for (name, value) in &head.headers {
            text.push_str(&format!("{name}: {value}\n"));
        }
        if head.final_url != exchange.url {
            text.push_str(&format!("(answered by {})\n", head.final_url));
        }
    }
    text.push('\n');
    if let Some(timing) = exchange.timing {
        let ms = |us: u64| crate::body::human::human_duration(std::time::Duration::from_micros(us));
        text.push_str(&format!(
            "{} in all: first byte {}, download {}\n",
            ms(timing.total_us),
            ms(timing.first_byte_us),
            ms(timing.download_us)
        ));
    }
    let body = &exchange.body;
    text.push_str(&format!(
        "body: {}",
        crate::body::human::human_bytes(body.size)
    ));
    if body.truncated() {
        text.push_str(&format!(
            " (the first {} kept)",
            crate::body::human::human_bytes(body.kept)
        ));
    }
    text.push('\n');
    text.push_str(&format!("outcome: {}", exchange.outcome.as_str()));
    if let Some(error) = &exchange.error {
        text.push_str(&format!(": {error}"));
    }
    text.push('\n');
    text
}

/// `history diff A B`: prints what changed; true when anything but the time did.
pub(super) fn diff(
    history: &History,
    a: i64,
    b: i64,
) -> Result<bool, crate::history::HistoryError> {
    use crate::history::diff::HeaderChange;
    let (old, new) = (history.get(a)?, history.get(b)?);
    let (old_body, new_body) = (history.body_bytes(&old)?, history.body_bytes(&new)?);
    let found = crate::history::diff::diff(&old, &old_body, &new, &new_body);
    let human = crate::body::human::human_bytes;
    let mut text = format!("#{a} → #{b}\n");
    if let Some((was, is)) = &found.status {
        text.push_str(&format!("status: {was} → {is}\n"));
    }
    if !found.headers.is_empty() {
        text.push_str("headers:\n");
    }
    for change in &found.headers {
        text.push_str(&match change {
            HeaderChange::Added { name, value } => format!("  + {name}: {value}\n"),
            HeaderChange::Removed { name, value } => format!("  - {name}: {value}\n"),
            HeaderChange::Changed { name, old, new } => format!("  ~ {name}: {old} → {new}\n"),
        });
    }
    if let Some((was, is)) = found.duration {
        let time = |us: Option<u64>| {
            us.map_or("-".to_owned(), |us| {
                crate::body::human::human_duration(std::time::Duration::from_micros(us))
            })
        };
        text.push_str(&format!("time: {} → {}\n", time(was), time(is)));
    }
    text.push_str(&describe_body_diff(&found.body));
    for exchange in [&old, &new] {
        if exchange.body.truncated() {
            text.push_str(&format!(
                "(#{} kept only its first {}: that much was compared)\n",
                exchange.id,
                human(exchange.body.kept)
            ));
        }
    }
    let _ = std::io::stdout()
        .lock()
        .write_all(visible(&text).as_bytes());
    Ok(found.differs())
}

/// The body's part of `history diff`.
fn describe_body_diff(body: &crate::history::diff::BodyDiff) -> String {
    use crate::history::diff::BodyDiff;
    let human = crate::body::human::human_bytes;
    let mut text = String::new();
    match body {
        BodyDiff::Same => text.push_str("body: the same\n"),
        BodyDiff::Json(changes) => {
            text.push_str(&format!("body: JSON, {} paths differ\n", changes.len()));
            let shown = |value: &Option<serde_json::Value>| {
                value
                    .as_ref()
                    .map_or("(none)".to_owned(), |v| v.to_string())
            };
            for change in changes {
                let mark = match (&change.old, &change.new) {
                    (None, _) => '+',
                    (_, None) => '-',
                    _ => '~',
                };
                text.push_str(&format!(
                    "  {mark} {}: {} → {}\n",
                    change.path,
                    shown(&change.old),
                    shown(&change.new)
                ));
            }
        }
        BodyDiff::Text {
            unified,
            changed_lines,
        } => {
            text.push_str(&format!("body: text, {changed_lines} lines differ\n"));
            text.push_str(unified);
        }
        BodyDiff::Bytes { old, new } => text.push_str(&format!(
            "body: {} (sha256 {}) → {} (sha256 {})\n",
            human(old.0),
            &old.1[..12],
            human(new.0),
            &new.1[..12]
        )),
    }
    text
}

/// `n` exchanges, in words.
fn count(n: usize) -> String {
    match n {
        1 => "1 exchange".to_owned(),
        n => format!("{n} exchanges"),
    }
}
