//! HAR 1.2 from the history: every recorded exchange of the exported requests, oldest first,
//! as a browser's network panel would save it: the request as it was sent (its headers as
//! the history keeps them, secrets masked), the response's status, headers and body (text as
//! it is, anything else base64), and the timings. A body kept only in part (past the
//! history's cap) or not at all (a file or multipart upload) is said in the entry's
//! `comment` and in the report.

use base64::Engine as _;
use serde_json::{Value, json};

use crate::history::{Exchange, History, HistoryError, ListFilter};
use crate::import::Losses;
use crate::store::Collection;

/// A HAR log of every exchange of `collection`'s requests.
pub fn log(
    collection: &Collection,
    history: &History,
    losses: &mut Losses,
) -> Result<Value, HistoryError> {
    let mut exchanges: Vec<Exchange> = Vec::new();
    for (_, request) in collection.requests() {
        let key = std::fs::canonicalize(&request.path).unwrap_or_else(|_| request.path.clone());
        let filter = ListFilter {
            request_key: Some(key.display().to_string()),
            ..ListFilter::default()
        };
        exchanges.extend(history.list(&filter)?);
    }
    exchanges.sort_by_key(|exchange| (exchange.started_at_ms, exchange.id));
    let mut entries = Vec::new();
    for exchange in &exchanges {
        entries.push(entry(exchange, history, losses)?);
    }
    if exchanges.is_empty() {
        losses.add(
            collection.name(),
            "the history holds no exchange of these requests: send them first",
        );
    }
    Ok(json!({"log": {
        "version": "1.2",
        "creator": {"name": "Courier", "version": env!("CARGO_PKG_VERSION")},
        "pages": [],
        "entries": entries,
    }}))
}

fn entry(
    exchange: &Exchange,
    history: &History,
    losses: &mut Losses,
) -> Result<Value, HistoryError> {
    let mut comments = Vec::new();
    let request = request(exchange, history, &mut comments)?;
    let response = response(exchange, history, &mut comments, losses)?;
    let mut entry = json!({
        "startedDateTime": started(exchange.started_at_ms),
        "time": exchange.duration_us().map_or(0.0, |us| us as f64 / 1000.0),
        "request": request,
        "response": response,
        "cache": {},
        "timings": timings(exchange),
    });
    if let Some(address) = exchange
        .head
        .as_ref()
        .and_then(|h| h.remote_addr.as_deref())
    {
        entry["serverIPAddress"] = json!(
            address
                .rsplit_once(':')
                .map_or(address, |(ip, _)| ip)
                .trim_matches(['[', ']'])
        );
    }
    if !comments.is_empty() {
        entry["comment"] = json!(comments.join("; "));
    }
    Ok(entry)
}

/// HAR's name/value objects.
fn pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<Value> {
    pairs
        .map(|(name, value)| json!({"name": name, "value": value}))
        .collect()
}

/// The request as the history keeps it: headers as sent (secrets masked), its body.
fn request(
    exchange: &Exchange,
    history: &History,
    comments: &mut Vec<String>,
) -> Result<Value, HistoryError> {
    let query: Vec<(String, String)> = url::Url::parse(&exchange.url)
        .map(|url| {
            url.query_pairs()
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    let headers = &exchange.request_headers;
    let mut request = json!({
        "method": exchange.method,
        "url": exchange.url,
        "httpVersion": exchange.head.as_ref().map_or("HTTP/1.1", |h| h.version.as_str()),
        "cookies": [],
        "headers": pairs(headers.iter().map(|(n, v)| (n.as_str(), v.as_str()))),
        "queryString": pairs(query.iter().map(|(n, v)| (n.as_str(), v.as_str()))),
        "headersSize": -1,
        "bodySize": exchange.request_body.size,
    });
    if let Some(note) = &exchange.request_body_note {
        comments.push(format!("request body: {note}"));
    }
    if let Some(hash) = &exchange.request_body.hash {
        let mut bytes = Vec::new();
        history
            .blobs()
            .copy_to(hash, &mut bytes)
            .map_err(|source| HistoryError::Files {
                path: history.blobs().path_of(hash),
                source,
            })?;
        let mime = header(headers, "content-type").unwrap_or("application/octet-stream");
        let (text, _) = text_or_base64(&bytes);
        request["postData"] = json!({"mimeType": mime, "text": text});
        if exchange.request_body.truncated() {
            comments.push(format!(
                "request body: the first {} of {} bytes",
                exchange.request_body.kept, exchange.request_body.size
            ));
        }
    }
    Ok(request)
}

/// The response: status, headers and body (text as is, anything else base64).
fn response(
    exchange: &Exchange,
    history: &History,
    comments: &mut Vec<String>,
    losses: &mut Losses,
) -> Result<Value, HistoryError> {
    let Some(head) = &exchange.head else {
        let why = exchange
            .error
            .as_deref()
            .unwrap_or(exchange.outcome.as_str());
        comments.push(format!("no response: {why}"));
        return Ok(
            json!({"status": 0, "statusText": "", "httpVersion": "", "cookies": [],
            "headers": [], "content": {"size": 0, "mimeType": ""}, "redirectURL": "",
            "headersSize": -1, "bodySize": -1}),
        );
    };
    let body = history.body_bytes(exchange)?;
    let mime = header(&head.headers, "content-type").unwrap_or("");
    let (text, encoding) = text_or_base64(&body);
    let mut content = json!({"size": exchange.body.size, "mimeType": mime, "text": text});
    if let Some(encoding) = encoding {
        content["encoding"] = json!(encoding);
    }
    if exchange.body.truncated() {
        comments.push(format!(
            "response body: the first {} of {} bytes",
            exchange.body.kept, exchange.body.size
        ));
        losses.add(
            &format!("exchange {}", exchange.id),
            format!(
                "{} {}: only the first {} bytes of its response body were kept",
                exchange.method, exchange.url, exchange.body.kept
            ),
        );
    }
    Ok(json!({
        "status": head.status,
        "statusText": head.reason,
        "httpVersion": head.version,
        "cookies": [],
        "headers": pairs(head.headers.iter().map(|(n, v)| (n.as_str(), v.as_str()))),
        "content": content,
        "redirectURL": header(&head.headers, "location").unwrap_or(""),
        "headersSize": -1,
        "bodySize": exchange.body.size,
    }))
}

/// HAR's timings, in milliseconds (-1 for a phase not measured).
fn timings(exchange: &Exchange) -> Value {
    let ms = |us: u64| us as f64 / 1000.0;
    match exchange.timing {
        Some(t) => json!({
            "blocked": -1,
            "dns": t.dns_us.map_or(-1.0, ms),
            "connect": t.connect_us.map_or(-1.0, ms),
            "ssl": -1,
            "send": 0,
            "wait": ms(t.first_byte_us),
            "receive": ms(t.download_us),
        }),
        None => json!({"send": 0, "wait": 0, "receive": 0}),
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// Text as it is; anything else base64, and its encoding named.
fn text_or_base64(bytes: &[u8]) -> (String, Option<&'static str>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), None),
        Err(_) => (
            base64::engine::general_purpose::STANDARD.encode(bytes),
            Some("base64"),
        ),
    }
}

/// `ms` since the epoch as RFC 3339 in UTC (`2026-12-03T18:00:00.123Z`).
fn started(ms: i64) -> String {
    let at =
        std::time::UNIX_EPOCH + std::time::Duration::from_millis(u64::try_from(ms).unwrap_or(0));
    humantime::format_rfc3339_millis(at).to_string()
}
