//! JSON formatting as a streaming state machine: bytes go in chunk by chunk (a response as it
//! arrives, or a whole request body), formatted text comes out. It works on tokens and never
//! re-reads a number, so `1.0`, `1e400` or a 30-digit id come out exactly as written; the
//! pretty form matches serde_json's (two-space indent, `"key": value`, `[]` and `{}` kept
//! empty). With templates on, `{{name}}` outside a string is one opaque value, so request
//! bodies such as `{"count": {{n}}}` format without losing their placeholders.
//! Input that is not JSON is passed through token by token; use [`check`] to find out why.

/// How to lay out the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Two-space indentation, one value per line.
    Pretty,
    /// No insignificant whitespace at all.
    Minified,
}

/// A formatter fed chunk by chunk.
#[derive(Debug, Clone)]
pub struct JsonFormatter {
    layout: Layout,
    templates: bool,
    depth: usize,
    state: State,
    /// Just after `{` or `[`: the next token decides between `{}` and a new line.
    after_open: bool,
    /// Bytes of an unfinished UTF-8 character or template at a chunk's end.
    pending: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Between,
    InString { escaped: bool },
    InScalar,
    InTemplate,
}

impl JsonFormatter {
    pub fn new(layout: Layout) -> Self {
        JsonFormatter {
            layout,
            templates: false,
            depth: 0,
            state: State::Between,
            after_open: false,
            pending: Vec::new(),
        }
    }

    /// Treats `{{…}}` outside strings as one value (request bodies with placeholders).
    pub fn with_templates(mut self) -> Self {
        self.templates = true;
        self
    }

    fn newline(&self, out: &mut String) {
        if self.layout == Layout::Pretty {
            out.push('\n');
            for _ in 0..self.depth {
                out.push_str("  ");
            }
        }
    }

    /// Called before the first character of a value or key: closes a pending `{`/`[` line.
    fn start_token(&mut self, out: &mut String) {
        if self.after_open {
            self.after_open = false;
            self.newline(out);
        }
    }

    /// Formats `chunk` and returns the text it completes.
    pub fn feed(&mut self, chunk: &[u8]) -> String {
        let text = self.complete_text(chunk);
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        for (at, c) in text.char_indices() {
            match self.state {
                State::InString { escaped } => {
                    out.push(c);
                    self.state = match (escaped, c) {
                        (true, _) => State::InString { escaped: false },
                        (false, '\\') => State::InString { escaped: true },
                        (false, '"') => State::Between,
                        _ => State::InString { escaped: false },
                    };
                }
                State::InTemplate => {
                    out.push(c);
                    if c == '}' && out.ends_with("}}") {
                        self.state = State::Between;
                    }
                }
                State::InScalar if is_scalar_char(c) => out.push(c),
                State::InScalar | State::Between => {
                    self.state = State::Between;
                    self.between_tokens(c, &text[at + c.len_utf8()..], &mut out);
                }
            }
        }
        out
    }

    /// The text of what is pending and `chunk`, less an incomplete UTF-8 character at its end,
    /// which stays pending for the next chunk.
    fn complete_text(&mut self, chunk: &[u8]) -> String {
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(chunk);
        let valid = match std::str::from_utf8(&data) {
            Ok(_) => data.len(),
            Err(err) if err.error_len().is_none() => err.valid_up_to(),
            Err(err) => err.valid_up_to() + err.error_len().unwrap_or(1),
        };
        self.pending = data.split_off(valid);
        String::from_utf8_lossy(&data).into_owned()
    }

    /// Formats `c`, met between tokens, with `rest` the text after it in this chunk.
    #[inline]
    fn between_tokens(&mut self, c: char, rest: &str, out: &mut String) {
        match c {
            ' ' | '\t' | '\n' | '\r' => {}
            '{' if self.templates && rest.starts_with('{') => {
                self.start_token(out);
                out.push(c);
                self.state = State::InTemplate;
            }
            '{' if self.templates && rest.is_empty() => {
                // Cannot tell `{` from `{{` yet: wait for the next chunk.
                self.pending.splice(0..0, c.to_string().into_bytes());
            }
            '{' | '[' => {
                self.start_token(out);
                out.push(c);
                self.depth += 1;
                self.after_open = true;
            }
            '}' | ']' => {
                self.depth = self.depth.saturating_sub(1);
                if !self.after_open {
                    self.newline(out);
                }
                self.after_open = false;
                out.push(c);
            }
            ',' => {
                out.push(',');
                self.newline(out);
            }
            ':' => {
                out.push(':');
                if self.layout == Layout::Pretty {
                    out.push(' ');
                }
            }
            '"' => {
                self.start_token(out);
                out.push('"');
                self.state = State::InString { escaped: false };
            }
            other => {
                self.start_token(out);
                out.push(other);
                self.state = State::InScalar;
            }
        }
    }

    /// Flushes what is left at the end of the input.
    pub fn finish(&mut self) -> String {
        let rest = std::mem::take(&mut self.pending);
        let mut out = String::new();
        if !rest.is_empty() {
            let templates = std::mem::replace(&mut self.templates, false);
            out = self.feed(&rest);
            self.templates = templates;
            out.push_str(&String::from_utf8_lossy(&std::mem::take(&mut self.pending)));
        }
        out
    }
}

/// Numbers, `true`, `false`, `null` — and, in broken input, whatever else is not structure.
fn is_scalar_char(c: char) -> bool {
    !matches!(
        c,
        ' ' | '\t' | '\n' | '\r' | '{' | '}' | '[' | ']' | ',' | ':' | '"'
    )
}

/// Formats a whole text at once.
pub fn format(text: &str, layout: Layout, templates: bool) -> String {
    let mut formatter = JsonFormatter::new(layout);
    if templates {
        formatter = formatter.with_templates();
    }
    let mut out = formatter.feed(text.as_bytes());
    out.push_str(&formatter.finish());
    out
}

/// Where and why a JSON text is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
}

/// Checks that `text` is JSON. With `templates`, each `{{…}}` is accepted where a value may
/// stand, or anywhere inside a string; positions in the error are those of `text` itself.
pub fn check(text: &str, templates: bool) -> Result<(), JsonError> {
    // Most bodies hold no template: check them as they are, without a masked copy (this
    // runs on every keystroke in the body editor).
    let (masked, unclosed) = if templates && text.contains("{{") {
        let (masked, unclosed) = mask_templates(text);
        (std::borrow::Cow::Owned(masked), unclosed)
    } else {
        (std::borrow::Cow::Borrowed(text), None)
    };
    match serde_json::from_str::<serde::de::IgnoredAny>(&masked) {
        Ok(_) => Ok(()),
        // `{{` outside a string is never JSON: the unclosed template is the likely cause.
        Err(_) if unclosed.is_some() => {
            let (line, column) = unclosed.unwrap_or((1, 1));
            Err(JsonError {
                line,
                column,
                message: "this `{{` is not closed by `}}`".to_owned(),
            })
        }
        Err(err) => {
            let full = err.to_string();
            let message = full
                .rfind(" at line ")
                .map_or(full.as_str(), |at| &full[..at])
                .to_owned();
            let line = err.line().max(1);
            Err(JsonError {
                line,
                column: char_column(&masked, line, err.column()),
                message,
            })
        }
    }
}

/// serde_json counts columns in bytes; people count characters. Masking keeps one character
/// for each, so the character column in the masked text is the one in the user's text.
fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(line_text) = text.split('\n').nth(line - 1) else {
        return byte_column.max(1);
    };
    let mut end = byte_column.min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    line_text[..end].chars().count().max(1)
}

/// Replaces each placeholder by text of the same length that JSON accepts in its place: `x`s
/// inside a string, a `0` and spaces outside one. Newlines are kept, so lines and columns of
/// errors still point into the original. Also returns where the first `{{` outside a string
/// that is never closed on its line begins (line and character column, 1-based).
fn mask_templates(text: &str) -> (String, Option<(usize, usize)>) {
    let mut out = String::with_capacity(text.len());
    let mut unclosed = None;
    let mut in_string = false;
    let mut escaped = false;
    let (mut line, mut column) = (1, 1);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if !escaped && rest.starts_with("{{") {
            let line_end = rest.find('\n').unwrap_or(rest.len());
            let closed = rest[2..line_end].find("}}");
            if closed.is_none() && !in_string && unclosed.is_none() {
                unclosed = Some((line, column));
            }
            if let Some(end) = closed {
                let placeholder = &rest[..end + 4];
                let mut first = true;
                for ch in placeholder.chars() {
                    out.push(match ch {
                        '\n' => '\n',
                        _ if in_string => 'x',
                        _ if first => '0',
                        _ => ' ',
                    });
                    first = false;
                }
                rest = &rest[placeholder.len()..];
                column += placeholder.chars().count();
                continue;
            }
        }
        if c == '\n' {
            (line, column) = (line + 1, 1);
        } else {
            column += 1;
        }
        out.push(c);
        if in_string {
            escaped = !escaped && c == '\\';
            if c == '"' && !escaped {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        }
        rest = &rest[c.len_utf8()..];
    }
    (out, unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"name":"Ada \"the\" first","tags":["a","b"],"empty":{},"none":[],"n":-1.5e3,"big":123456789012345678901234567890,"nested":{"ok":true,"null":null,"deep":[[1,2],[]]}}"#;

    #[test]
    fn pretty_output_equals_serde_json_pretty() {
        let value: serde_json::Value = serde_json::from_str(r#"{"name":"Ada \"the\" first","tags":["a","b"],"empty":{},"none":[],"nested":{"ok":true,"null":null,"deep":[[1,2],[]]}}"#).unwrap();
        let ours = format(
            &serde_json::to_string(&value).unwrap(),
            Layout::Pretty,
            false,
        );
        assert_eq!(ours, serde_json::to_string_pretty(&value).unwrap());
    }

    /// A deterministic pseudo-random JSON value (splitmix64), `depth` levels deep at most.
    fn random_value(seed: &mut u64, depth: u32) -> serde_json::Value {
        fn next(seed: &mut u64) -> u64 {
            *seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = *seed;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        let pick = next(seed) % if depth == 0 { 5 } else { 7 };
        let strings = [
            "",
            "a",
            "ünï ☃",
            "quote \" and \\",
            "tab\there",
            "{{not a template}}",
            "🚀",
        ];
        match pick {
            0 => serde_json::Value::Null,
            1 => serde_json::Value::Bool(next(seed) % 2 == 0),
            2 => serde_json::json!((next(seed) % 2_000_000) as i64 - 1_000_000),
            3 => serde_json::json!((next(seed) % 10_000) as f64 / 7.0),
            4 => serde_json::json!(strings[(next(seed) % strings.len() as u64) as usize]),
            5 => {
                let len = next(seed) % 4;
                serde_json::Value::Array((0..len).map(|_| random_value(seed, depth - 1)).collect())
            }
            _ => {
                let len = next(seed) % 4;
                let mut map = serde_json::Map::new();
                for i in 0..len {
                    map.insert(
                        format!("k{i}-{}", next(seed) % 100),
                        random_value(seed, depth - 1),
                    );
                }
                serde_json::Value::Object(map)
            }
        }
    }

    #[test]
    fn random_documents_in_random_chunks_format_as_serde_json_pretty_does() {
        let mut seed = 7;
        for case in 0..300 {
            let value = random_value(&mut seed, 4);
            let minified = serde_json::to_string(&value).unwrap();
            let expected = serde_json::to_string_pretty(&value).unwrap();
            let size = 1 + (case % 13);
            let mut formatter = JsonFormatter::new(Layout::Pretty);
            let mut out = String::new();
            for chunk in minified.as_bytes().chunks(size) {
                out.push_str(&formatter.feed(chunk));
            }
            out.push_str(&formatter.finish());
            assert_eq!(out, expected, "case {case}, chunks of {size}: {minified}");
            // And the pretty form minifies back to what went in.
            assert_eq!(
                format(&out, Layout::Minified, false),
                minified,
                "case {case}"
            );
        }
    }

    #[test]
    fn numbers_come_out_exactly_as_written() {
        let pretty = format(SAMPLE, Layout::Pretty, false);
        assert!(pretty.contains("\"big\": 123456789012345678901234567890"));
        assert!(pretty.contains("\"n\": -1.5e3"));
        assert_eq!(
            format(&pretty, Layout::Minified, false),
            SAMPLE,
            "minify undoes pretty"
        );
    }

    #[test]
    fn any_chunking_gives_the_same_output() {
        let whole = format(SAMPLE, Layout::Pretty, false);
        let text = format!("{SAMPLE} ☃");
        let expected = format(&text, Layout::Pretty, false);
        for size in 1..12 {
            let mut formatter = JsonFormatter::new(Layout::Pretty);
            let mut out = String::new();
            for chunk in text.as_bytes().chunks(size) {
                out.push_str(&formatter.feed(chunk));
            }
            out.push_str(&formatter.finish());
            assert_eq!(out, expected, "chunks of {size}");
        }
        assert!(expected.starts_with(&whole));
    }

    #[test]
    fn templates_survive_formatting_and_checking() {
        let body = "{\"count\": {{n}}, \"name\": \"{{first}} {{last}}\", \"list\": [{{a}},{{b}}]}";
        let pretty = format(body, Layout::Pretty, true);
        assert_eq!(
            pretty,
            "{\n  \"count\": {{n}},\n  \"name\": \"{{first}} {{last}}\",\n  \"list\": [\n    {{a}},\n    {{b}}\n  ]\n}"
        );
        assert_eq!(
            format(&pretty, Layout::Minified, true),
            "{\"count\":{{n}},\"name\":\"{{first}} {{last}}\",\"list\":[{{a}},{{b}}]}"
        );
        assert_eq!(check(body, true), Ok(()));
        assert!(
            check(body, false).is_err(),
            "without templates it is not JSON"
        );
    }

    #[test]
    fn errors_point_at_the_users_text() {
        // The placeholder is masked in place, so serde's position is the one in the text typed.
        let err = check("{\"a\": {{long_name}}, \"b\": tru}", true).unwrap_err();
        let plain = check("{\"a\": 0            , \"b\": tru}", false).unwrap_err();
        assert_eq!((err.line, err.column), (plain.line, plain.column));
        assert_eq!(err.column, 30);
        assert!(err.message.contains("expected ident"), "{}", err.message);
        let err = check("[1, 2,]", false).unwrap_err();
        assert_eq!(
            (err.line, err.column, err.message.as_str()),
            (1, 7, "expected value")
        );
        let err = check("", false).unwrap_err();
        assert_eq!(err.message, "EOF while parsing a value");
    }
}
