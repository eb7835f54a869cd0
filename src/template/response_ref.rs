//! The chaining placeholder's syntax: `{{response "folder/request" ".jq.path"}}` takes a value
//! from the JSON body of another request's latest response, `{{response "folder/request"
//! header "Name"}}` one of its headers. A trailing `max_age=10m` asks for a response no older
//! than that (older ones are sent again first). Arguments are quoted with `"` or `'` (single
//! quotes fit inside a JSON string); a backslash escapes the quote. Parsing only: what the
//! values are is for whoever renders (see [`crate::chain`]).

use std::time::Duration;

use super::TemplateError;

/// A parsed `{{response …}}` placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseRef {
    /// The request, as `folder/…/name` inside the collection (file stems or display names).
    pub request: String,
    pub part: ResponsePart,
    /// Send the request again when its latest response is older than this.
    pub max_age: Option<Duration>,
}

/// Which part of the response the value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponsePart {
    /// A jq filter over the JSON body; it must give exactly one value.
    Body(String),
    /// A header, by name (any case).
    Header(String),
}

/// What is wrong with the words of a `{{response …}}` placeholder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefSyntaxError {
    #[error("max_age `{age}` is not a duration ({reason})")]
    MaxAge { age: String, reason: String },
    #[error("the request `{0}` must be quoted")]
    Unquoted(String),
    #[error("the request is missing")]
    NoRequest,
    #[error("the header's name is missing")]
    NoHeaderName,
    #[error("what to take from the response is missing")]
    NoPart,
    #[error("unexpected words after the request")]
    Unexpected,
    #[error("too many words")]
    TooManyWords,
    /// `at` counts characters from 1.
    #[error("the quote at character {at} is never closed")]
    Unclosed { at: usize },
}

const USAGE: &str = "write it as {{response \"folder/request\" \".jq.path\"}} or \
{{response \"folder/request\" header \"Name\"}}, optionally ending with max_age=10m";

/// Parses the inside of a placeholder. None when it is not a `response` placeholder at all.
pub fn parse(inside: &str) -> Option<Result<ResponseRef, TemplateError>> {
    let rest = inside.strip_prefix("response")?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None; // a variable that merely starts with "response"
    }
    Some(
        parse_arguments(rest).map_err(|reason| TemplateError::BadResponseRef {
            text: inside.to_owned(),
            reason: format!("{reason}; {USAGE}"),
        }),
    )
}

fn parse_arguments(text: &str) -> Result<ResponseRef, RefSyntaxError> {
    let mut words = words(text)?;
    let mut max_age = None;
    if let Some(Word::Bare(last)) = words.last()
        && let Some(age) = last.strip_prefix("max_age=")
    {
        let age = age.trim_matches(|c| c == '"' || c == '\'');
        max_age = Some(
            humantime::parse_duration(age)
                .or_else(|error| {
                    // A bare number is seconds.
                    age.parse::<u64>()
                        .map(Duration::from_secs)
                        .map_err(|_| error)
                })
                .map_err(|error| RefSyntaxError::MaxAge {
                    age: age.to_owned(),
                    reason: error.to_string(),
                })?,
        );
        words.pop();
    }
    let mut words = words.into_iter();
    let request = match words.next() {
        Some(Word::Quoted(request)) if !request.trim().is_empty() => request,
        Some(Word::Bare(bare)) => {
            return Err(RefSyntaxError::Unquoted(bare));
        }
        _ => return Err(RefSyntaxError::NoRequest),
    };
    let part = match (words.next(), words.next()) {
        (Some(Word::Quoted(filter)), None) => ResponsePart::Body(filter),
        (Some(Word::Bare(header)), Some(Word::Quoted(name)))
            if header == "header" && !name.is_empty() =>
        {
            ResponsePart::Header(name)
        }
        (Some(Word::Bare(header)), None) if header == "header" => {
            return Err(RefSyntaxError::NoHeaderName);
        }
        (None, _) => return Err(RefSyntaxError::NoPart),
        _ => return Err(RefSyntaxError::Unexpected),
    };
    if words.next().is_some() {
        return Err(RefSyntaxError::TooManyWords);
    }
    Ok(ResponseRef {
        request: request.trim().trim_matches('/').to_owned(),
        part,
        max_age,
    })
}

enum Word {
    Bare(String),
    Quoted(String),
}

/// Splits on whitespace, keeping quoted strings (with `\"`, `\'` and `\\` escapes) whole.
fn words(text: &str) -> Result<Vec<Word>, RefSyntaxError> {
    let mut words = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '"' || c == '\'' {
            chars.next();
            let mut word = String::new();
            let mut closed = false;
            while let Some((_, c2)) = chars.next() {
                match c2 {
                    '\\' => match chars.next() {
                        Some((_, escaped)) => word.push(escaped),
                        None => break,
                    },
                    _ if c2 == c => {
                        closed = true;
                        break;
                    }
                    _ => word.push(c2),
                }
            }
            if !closed {
                return Err(RefSyntaxError::Unclosed { at: at + 1 });
            }
            words.push(Word::Quoted(word));
        } else {
            let mut word = String::new();
            while let Some(&(_, c2)) = chars.peek() {
                if c2.is_whitespace() {
                    break;
                }
                word.push(c2);
                chars.next();
            }
            words.push(Word::Bare(word));
        }
    }
    Ok(words)
}

/// Where the placeholder opened at `open` (the `{{`) closes. For one shaped like a call
/// (`response …`, `hmac …`): the first `}}` outside quotes, so a jq filter such as
/// `{a: .b}}` or a quoted template argument (`"{{user}}"`) stays whole. Falls back on the
/// first `}}` when quotes do not pair up.
pub(super) fn closing(text: &str, inner_start: usize) -> Option<usize> {
    let inner = &text[inner_start..];
    let plain = inner.find("}}");
    let head = inner.trim_start();
    let name_length = head
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(head.len());
    let call_shaped =
        name_length > 0 && head[name_length..].starts_with(|c: char| c.is_whitespace() || c == '(');
    if !call_shaped {
        return plain;
    }
    let bytes = inner.as_bytes();
    let mut quote: Option<u8> = None;
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        match quote {
            Some(_) if b == b'\\' => at += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if inner[at..].starts_with("}}") => return Some(at),
            None => {}
        }
        at += 1;
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> ResponseRef {
        parse(text).expect("a response placeholder").expect("valid")
    }

    fn err(text: &str) -> String {
        parse(text)
            .expect("a response placeholder")
            .expect_err("invalid")
            .to_string()
    }

    #[test]
    fn the_body_and_header_forms_with_either_quote_and_an_age() {
        assert_eq!(
            ok(r#"response "auth/login" ".token""#),
            ResponseRef {
                request: "auth/login".into(),
                part: ResponsePart::Body(".token".into()),
                max_age: None,
            }
        );
        assert_eq!(
            ok("response 'auth/login' header 'X-Token' max_age=10m"),
            ResponseRef {
                request: "auth/login".into(),
                part: ResponsePart::Header("X-Token".into()),
                max_age: Some(Duration::from_secs(600)),
            }
        );
        assert_eq!(
            ok(r#"response "a" ".items[] | select(.name == \"x\") | .id" max_age=30"#).part,
            ResponsePart::Body(r#".items[] | select(.name == "x") | .id"#.into())
        );
        assert_eq!(
            ok(r#"response "a" '.' max_age="0s""#).max_age,
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn other_names_are_not_response_placeholders() {
        assert!(parse("responses").is_none());
        assert!(parse("response_time").is_none());
        assert!(parse("user").is_none());
    }

    #[test]
    fn mistakes_say_what_is_wrong_and_how_to_write_it() {
        assert!(err("response").contains("the request is missing"));
        assert!(err("response auth/login '.token'").contains("must be quoted"));
        assert!(err("response 'auth/login'").contains("what to take"));
        assert!(err("response 'a' header").contains("header's name is missing"));
        assert!(err("response 'a' '.x' max_age=soon").contains("not a duration"));
        assert!(err("response 'a' '.x' extra 'y'").contains("unexpected words"));
        assert!(err("response 'a' '.x").contains("never closed"));
        assert!(err("response 'a' body").contains("write it as {{response"));
    }

    #[test]
    fn a_placeholder_closes_after_its_quotes() {
        let text = r#"x {{response "a" "{b: .c}}"}} y"#;
        let close = closing(text, 4).unwrap();
        assert_eq!(&text[4..4 + close], r#"response "a" "{b: .c}}""#);
        assert_eq!(closing("{{ name }}", 2), Some(6));
        assert_eq!(closing("{{response 'a }}", 2), Some(12), "unpaired quote");
    }
}
