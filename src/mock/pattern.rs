//! A saved request's URL as a path the mock server answers: `{{base_url}}/users/{{id}}` is
//! `/users/{{id}}`, where `{{id}}` (or `:id`) matches any one segment and names its value for
//! the response's templates. Segments mix text and placeholders (`{{id}}.json`). A trailing
//! slash and repeated slashes do not count; segments are compared percent-decoded.

use std::fmt;

/// One piece of a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    /// Any non-empty text, kept under this name.
    Param(String),
}

/// The path a request answers, as a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    segments: Vec<Vec<Piece>>,
    /// How many of the first segments are its server's path (`/api/v3`): a request may leave
    /// them out, as a client whose base URL is the mock's own does.
    prefix: usize,
}

/// Where a request's URL leaves the server and starts its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlPath<'u> {
    /// The leading placeholder standing for the server (`base_url`), when there is one.
    pub base: Option<&'u str>,
    /// The path as written, templates and all, without the query.
    pub path: &'u str,
}

/// Splits a request's URL into its server part and its path.
pub fn url_path(url: &str) -> UrlPath<'_> {
    let url = url.trim();
    let end = outside_placeholders(url, |c| c == '?' || c == '#').unwrap_or(url.len());
    let url = &url[..end];
    if let Some(rest) = url.strip_prefix("{{")
        && let Some(close) = rest.find("}}")
    {
        let after = &rest[close + 2..];
        if after.is_empty() || after.starts_with('/') {
            return UrlPath {
                base: Some(rest[..close].trim()),
                path: after,
            };
        }
    }
    let without_scheme = match url.find("://") {
        Some(at) if !url[..at].contains('/') => &url[at + 3..],
        _ if url.starts_with('/') => {
            return UrlPath {
                base: None,
                path: url,
            };
        }
        _ => url,
    };
    let path = outside_placeholders(without_scheme, |c| c == '/')
        .map_or("", |slash| &without_scheme[slash..]);
    UrlPath { base: None, path }
}

/// The byte offset of the first character `wanted` outside `{{ }}`.
fn outside_placeholders(text: &str, wanted: impl Fn(char) -> bool) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' if text[at..].starts_with("{{") => {
                depth += 1;
                chars.next();
            }
            '}' if depth > 0 && text[at..].starts_with("}}") => {
                depth -= 1;
                chars.next();
            }
            c if depth == 0 && wanted(c) => return Some(at),
            _ => {}
        }
    }
    None
}

impl PathPattern {
    /// The pattern of a path as written (`/users/{{id}}/posts/:post`).
    pub fn parse(path: &str) -> PathPattern {
        let segments = path
            .split('/')
            .filter(|segment| !segment.is_empty())
            .map(segment_pieces)
            .collect();
        PathPattern {
            segments,
            prefix: 0,
        }
    }

    /// The pattern under `prefix` (a base URL's own path, `/api/v3`), which a request may
    /// also leave out.
    pub fn under(mut self, prefix: &str) -> PathPattern {
        let mut segments: Vec<Vec<Piece>> = prefix
            .split('/')
            .filter(|segment| !segment.is_empty())
            .map(|segment| vec![Piece::Text(decode(segment))])
            .collect();
        self.prefix += segments.len();
        segments.append(&mut self.segments);
        self.segments = segments;
        self
    }

    /// The values of its placeholders when `path` (as it came, percent-encoded) fits it,
    /// with its server's path or without.
    pub fn matches(&self, path: &str) -> Option<Vec<(String, String)>> {
        let segments: Vec<String> = split_path(path);
        let fits = |pattern: &[Vec<Piece>]| {
            if segments.len() != pattern.len() {
                return None;
            }
            let mut captures = Vec::new();
            for (pieces, segment) in pattern.iter().zip(&segments) {
                if !fit(pieces, segment, &mut captures) {
                    return None;
                }
            }
            Some(captures)
        };
        fits(&self.segments).or_else(|| match self.prefix {
            0 => None,
            prefix => fits(&self.segments[prefix..]),
        })
    }

    /// How much of it is fixed text: a literal `/users/me` is chosen over `/users/{{id}}`.
    pub fn specificity(&self) -> (usize, usize) {
        let literal_segments = self
            .segments
            .iter()
            .filter(|pieces| pieces.iter().all(|piece| matches!(piece, Piece::Text(_))))
            .count();
        let literal_chars = self
            .segments
            .iter()
            .flatten()
            .map(|piece| match piece {
                Piece::Text(text) => text.len(),
                Piece::Param(_) => 0,
            })
            .sum();
        (literal_segments, literal_chars)
    }
}

impl PathPattern {
    /// How alike `segments` (a request's, decoded) are to the pattern, from 0 to 1: each
    /// segment a placeholder would take counts whole, a literal by how alike its text is.
    /// None when the numbers of segments differ.
    pub fn likeness(&self, segments: &[String]) -> Option<f64> {
        let alike = |pattern: &[Vec<Piece>]| {
            if segments.len() != pattern.len() {
                return None;
            }
            if segments.is_empty() {
                return Some(1.0);
            }
            let total: f64 = pattern
                .iter()
                .zip(segments)
                .map(|(pieces, segment)| match pieces.as_slice() {
                    [Piece::Text(text)] => strsim::normalized_levenshtein(text, segment),
                    pieces if fit(pieces, segment, &mut Vec::new()) => 1.0,
                    _ => 0.5,
                })
                .sum();
            Some(total / segments.len() as f64)
        };
        let full = alike(&self.segments);
        let bare = alike(&self.segments[self.prefix..]);
        match (full, bare) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }
}

impl fmt::Display for PathPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            return f.write_str("/");
        }
        for pieces in &self.segments {
            f.write_str("/")?;
            for piece in pieces {
                match piece {
                    Piece::Text(text) => f.write_str(text)?,
                    Piece::Param(name) => write!(f, "{{{{{name}}}}}")?,
                }
            }
        }
        Ok(())
    }
}

/// A request's path as segments, percent-decoded, empty ones left out.
pub fn split_path(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|segment| !segment.is_empty())
        .map(decode)
        .collect()
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// `:name` alone, or text with `{{name}}`s in it.
fn segment_pieces(segment: &str) -> Vec<Piece> {
    if let Some(name) = segment.strip_prefix(':')
        && !name.is_empty()
    {
        return vec![Piece::Param(name.to_owned())];
    }
    let mut pieces = Vec::new();
    let mut rest = segment;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else {
            break;
        };
        if open > 0 {
            pieces.push(Piece::Text(decode(&rest[..open])));
        }
        let name = rest[open + 2..open + close].trim();
        pieces.push(Piece::Param(name.to_owned()));
        rest = &rest[open + close + 2..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(decode(rest)));
    }
    pieces
}

/// Whether `text` fits `pieces`, each placeholder taking at least one character; the
/// placeholders' values are pushed on `captures` (and taken off again on a dead end).
fn fit(pieces: &[Piece], text: &str, captures: &mut Vec<(String, String)>) -> bool {
    match pieces.split_first() {
        None => text.is_empty(),
        Some((Piece::Text(literal), rest)) => text
            .strip_prefix(literal.as_str())
            .is_some_and(|after| fit(rest, after, captures)),
        // A placeholder that ends its segment takes the rest of it, at once.
        Some((Piece::Param(name), [])) if !text.is_empty() => {
            captures.push((name.clone(), text.to_owned()));
            true
        }
        Some((Piece::Param(name), rest)) => {
            let at = captures.len();
            for (end, _) in text.char_indices().skip(1) {
                if fit(rest, &text[end..], captures) {
                    captures.insert(at, (name.clone(), text[..end].to_owned()));
                    return true;
                }
                captures.truncate(at);
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_is_what_follows_the_server() {
        let cases = [
            (
                "{{base_url}}/users/{{id}}?x=1",
                Some("base_url"),
                "/users/{{id}}",
            ),
            ("{{ base }}", Some("base"), ""),
            ("https://api.example.com/v1/items#top", None, "/v1/items"),
            ("https://{{host}}/v1/{{id}}", None, "/v1/{{id}}"),
            ("http://localhost:8080", None, ""),
            ("localhost:8080/health", None, "/health"),
            ("/relative/path?q={{a}}", None, "/relative/path"),
            ("{{scheme}}://{{host}}/a?b={{c/d}}", None, "/a"),
        ];
        for (url, base, path) in cases {
            assert_eq!(url_path(url), UrlPath { base, path }, "{url}");
        }
    }

    #[test]
    fn placeholders_match_one_segment_and_name_it() {
        let pattern = PathPattern::parse("/users/{{id}}/posts/:post");
        assert_eq!(
            pattern.matches("/users/42/posts/hello%20world/"),
            Some(vec![
                ("id".to_owned(), "42".to_owned()),
                ("post".to_owned(), "hello world".to_owned())
            ])
        );
        assert_eq!(pattern.matches("/users/42/posts"), None);
        assert_eq!(pattern.matches("/users//posts/1"), None);
        assert_eq!(pattern.matches("/users/42/comments/1"), None);
        assert_eq!(pattern.to_string(), "/users/{{id}}/posts/{{post}}");
    }

    #[test]
    fn a_segment_mixes_text_and_placeholders() {
        let pattern = PathPattern::parse("/files/{{name}}.{{ext}}");
        assert_eq!(
            pattern.matches("/files/report.v2.pdf"),
            Some(vec![
                ("name".to_owned(), "report".to_owned()),
                ("ext".to_owned(), "v2.pdf".to_owned())
            ])
        );
        assert_eq!(pattern.matches("/files/.pdf"), None);
        assert_eq!(pattern.matches("/files/report"), None);
    }

    #[test]
    fn a_prefix_and_the_root() {
        let pattern = PathPattern::parse("/pet/{{petId}}").under("/api/v3/");
        assert!(pattern.matches("/api/v3/pet/1").is_some());
        assert!(
            pattern.matches("/pet/1").is_some(),
            "without the server's path"
        );
        assert!(pattern.matches("/v3/pet/1").is_none());
        assert_eq!(PathPattern::parse("").matches("/"), Some(vec![]));
        assert_eq!(PathPattern::parse("/").to_string(), "/");
    }

    #[test]
    fn literal_paths_are_more_specific() {
        let literal = PathPattern::parse("/users/me").specificity();
        let param = PathPattern::parse("/users/{{id}}").specificity();
        assert!(literal > param);
    }
}
