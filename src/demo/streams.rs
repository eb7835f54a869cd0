//! Response bodies the demo server produces over time: deterministic JSON of any size, random
//! bytes, SSE, NDJSON, slow drips and stalls. Every one is generated as it is sent, so a 1 GB
//! body costs the server no memory; when the client goes away hyper drops the stream and the
//! generation stops with it.

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt};
use http_body_util::StreamBody;
use http_body_util::combinators::BoxBody;
use hyper::body::Frame;

pub type DemoBody = BoxBody<Bytes, Infallible>;

const CHUNK: usize = 64 * 1024;

/// Wraps a stream of chunks as a response body.
pub fn body_from<S>(chunks: S) -> DemoBody
where
    S: Stream<Item = Bytes> + Send + Sync + 'static,
{
    BoxBody::new(StreamBody::new(chunks.map(|bytes| Ok(Frame::data(bytes)))))
}

/// A small, fast, deterministic generator (SplitMix64): the same seed gives the same body.
pub fn splitmix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const CITIES: [&str; 8] = [
    "Lisbon",
    "Osaka",
    "Nairobi",
    "Montréal",
    "Tromsø",
    "Valparaíso",
    "Kraków",
    "Auckland",
];
const TAGS: [&str; 6] = ["admin", "beta", "ops", "sales", "\"quoted\"", "emoji 🚀"];

/// One generated user record as minified JSON (about 230 bytes).
pub fn json_item(index: u64) -> String {
    let r = splitmix(index);
    let tags: Vec<String> = (0..(r % 3 + 1))
        .map(|t| {
            serde_json::Value::from(TAGS[((r >> (8 + t * 3)) % TAGS.len() as u64) as usize])
                .to_string()
        })
        .collect();
    format!(
        concat!(
            r#"{{"id":{id},"name":"user-{id}","email":"user{id}@example.test","active":{active},"#,
            r#""score":{score}.{frac},"tags":[{tags}],"address":{{"city":"{city}","zip":"{zip:05}"}},"#,
            r#""manager":{manager}}}"#
        ),
        id = index,
        active = r & 1 == 0,
        score = (r >> 16) % 1000,
        frac = (r >> 32) % 100,
        tags = tags.join(","),
        city = CITIES[((r >> 40) % CITIES.len() as u64) as usize],
        zip = (r >> 44) % 100_000,
        manager = if r % 5 == 0 {
            "null".to_owned()
        } else {
            ((r >> 20) % index.max(1)).to_string()
        },
    )
}

/// A valid JSON document of about `target` bytes (never less than ~60): an object whose `items`
/// array holds generated records, streamed in 64 KiB chunks.
pub fn json_document(target: u64) -> DemoBody {
    let head = format!(r#"{{"generated":true,"target_bytes":{target},"items":["#);
    let state = (0u64, head.len() as u64, Some(head));
    body_from(stream::unfold(
        state,
        move |(index, sent, head)| async move {
            let mut chunk = head.unwrap_or_default();
            if index == u64::MAX {
                return None;
            }
            let mut index = index;
            while chunk.len() < CHUNK {
                if sent + chunk.len() as u64 >= target.saturating_sub(2) && index > 0 {
                    chunk.push_str("]}");
                    let len = chunk.len() as u64;
                    return Some((Bytes::from(chunk), (u64::MAX, sent + len, None)));
                }
                if index > 0 {
                    chunk.push(',');
                }
                chunk.push_str(&json_item(index));
                index += 1;
            }
            let len = chunk.len() as u64;
            Some((Bytes::from(chunk), (index, sent + len, None)))
        },
    ))
}

/// `n` deterministic pseudo-random bytes.
pub fn random_bytes(n: u64) -> DemoBody {
    body_from(stream::unfold(0u64, move |offset| async move {
        if offset >= n {
            return None;
        }
        let len = (n - offset).min(CHUNK as u64) as usize;
        Some((Bytes::from(bytes_at(offset, len)), offset + len as u64))
    }))
}

/// The bytes `random_bytes` sends at `offset..offset+len`; tests compare against it.
pub fn bytes_at(offset: u64, len: usize) -> Vec<u8> {
    (offset..offset + len as u64)
        .map(|i| (splitmix(i / 8) >> ((i % 8) * 8)) as u8)
        .collect()
}

/// Server-sent events: a comment, then `events` events `interval` apart. Every event has an id
/// and a type; its data is JSON, and every fifth spans two `data:` lines.
pub fn sse(events: u64, interval: Duration) -> DemoBody {
    let preamble = Bytes::from_static(b": courier demo stream\nretry: 3000\n\n");
    let events = stream::unfold(1u64, move |n| async move {
        if n > events {
            return None;
        }
        if n > 1 {
            tokio::time::sleep(interval).await;
        }
        let data = format!(
            r#"{{"n":{n},"of":{events},"value":{}}}"#,
            splitmix(n) % 1000
        );
        let event = if n % 5 == 0 {
            format!("id: {n}\nevent: note\ndata: {{\"n\":{n},\ndata: \"text\":\"line two\"}}\n\n")
        } else {
            format!("id: {n}\nevent: tick\ndata: {data}\n\n")
        };
        Some((Bytes::from(event), n + 1))
    });
    body_from(stream::once(async { preamble }).chain(events))
}

/// Newline-delimited JSON: `lines` objects, `interval` apart.
pub fn ndjson(lines: u64, interval: Duration) -> DemoBody {
    body_from(stream::unfold(1u64, move |n| async move {
        if n > lines {
            return None;
        }
        if n > 1 {
            tokio::time::sleep(interval).await;
        }
        let line = format!(r#"{{"line":{n},"of":{lines},"item":{}}}"#, json_item(n)) + "\n";
        Some((Bytes::from(line), n + 1))
    }))
}

/// `total` bytes of `*` spread evenly over `duration`, in at most 200 pieces.
pub fn drip(total: u64, duration: Duration) -> DemoBody {
    let pieces = total.clamp(1, 200);
    let pause = duration / pieces as u32;
    body_from(stream::unfold(0u64, move |piece| async move {
        if piece >= pieces || total == 0 {
            return None;
        }
        if piece > 0 {
            tokio::time::sleep(pause).await;
        }
        let start = total * piece / pieces;
        let end = total * (piece + 1) / pieces;
        Some((Bytes::from(vec![b'*'; (end - start) as usize]), piece + 1))
    }))
}

/// Sends `after` bytes, then never another one (the connection stays open).
pub fn stall(after: u64) -> DemoBody {
    let head = stream::once(async move { Bytes::from(vec![b'.'; after as usize]) });
    let never = stream::once(async {
        std::future::pending::<()>().await;
        Bytes::new()
    });
    body_from(head.chain(never))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    async fn collect(body: DemoBody) -> Vec<u8> {
        body.collect().await.unwrap().to_bytes().to_vec()
    }

    #[tokio::test]
    async fn json_document_is_valid_and_near_its_target() {
        for target in [0, 100, 10_000, 300_000] {
            let bytes = collect(json_document(target)).await;
            let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert!(value["items"].as_array().is_some_and(|a| !a.is_empty()));
            let len = bytes.len() as u64;
            assert!(
                len + 300 >= target && len <= target.max(300) + 300,
                "{target}: {len}"
            );
        }
        assert_eq!(
            collect(json_document(5000)).await,
            collect(json_document(5000)).await
        );
    }

    #[tokio::test]
    async fn random_bytes_match_bytes_at() {
        let bytes = collect(random_bytes(200_000)).await;
        assert_eq!(bytes.len(), 200_000);
        assert_eq!(bytes[70_000..70_100], bytes_at(70_000, 100)[..]);
    }
}
