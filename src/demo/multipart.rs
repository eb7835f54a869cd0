//! A small multipart/form-data reader for the demo server's `/upload`: it splits a whole body
//! at its boundary and describes each part. Enough for a demo and for tests; not streaming.

use serde_json::{Value, json};

/// FNV-1a, 64 bits: a checksum tests can compute too, with no dependency.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Each part's name, file name, content type, size and checksum.
pub fn parts(body: &[u8], boundary: &str) -> Result<Vec<Value>, String> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut rest = body;
    let start = find(rest, delimiter.as_bytes()).ok_or("no boundary in the body")?;
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts); // the closing delimiter
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or("a boundary line must end with CRLF")?;
        let head_end = find(rest, b"\r\n\r\n").ok_or("a part has no end of headers")?;
        let head = String::from_utf8_lossy(&rest[..head_end]).into_owned();
        rest = &rest[head_end + 4..];
        let end = find(rest, format!("\r\n{delimiter}").as_bytes())
            .ok_or("a part has no closing boundary")?;
        let content = &rest[..end];
        rest = &rest[end + 2 + delimiter.len()..];
        let header = |name: &str| {
            head.lines()
                .find(|line| line.to_ascii_lowercase().starts_with(&format!("{name}:")))
                .map(|line| line[name.len() + 1..].trim().to_owned())
        };
        let disposition = header("content-disposition").unwrap_or_default();
        let attribute = |key: &str| {
            disposition
                .split(';')
                .map(str::trim)
                .find_map(|piece| piece.strip_prefix(&format!("{key}=")))
                .map(|v| v.trim_matches('"').to_owned())
        };
        parts.push(json!({
            "name": attribute("name"),
            "filename": attribute("filename"),
            "content_type": header("content-type"),
            "size": content.len(),
            "fnv1a64": format!("{:016x}", fnv1a64(content)),
        }));
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_described() {
        let body = b"--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello\r\n--xyz\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01\r\n--xyz--\r\n";
        let parts = parts(body, "xyz").unwrap();
        assert_eq!(parts[0]["name"], "a");
        assert_eq!(parts[0]["size"], 5);
        assert_eq!(parts[1]["filename"], "x.bin");
        assert_eq!(parts[1]["content_type"], "application/octet-stream");
        assert_eq!(
            parts[1]["fnv1a64"],
            format!("{:016x}", fnv1a64(b"\x00\x01"))
        );
        assert!(super::parts(b"nothing", "xyz").is_err());
    }
}
