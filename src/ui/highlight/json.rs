//! JSON, one line at a time. JSON strings never span lines, so a line can be coloured alone.
//! `{{templates}}` stand out, inside strings too.

use super::{Token, split_templates_in_strings};

/// Cuts `line` into (token, text) pieces that join back to `line`.
pub fn json_tokens(line: &str) -> Vec<(Token, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < line.len() {
        let rest = &line[at..];
        let start = at;
        let token = if rest.starts_with("{{") {
            at += rest.find("}}").map_or(rest.len(), |end| end + 2);
            Token::Template
        } else if rest.starts_with('"') {
            let mut end = 1;
            let mut escaped = false;
            for (i, c) in rest.char_indices().skip(1) {
                end = i + c.len_utf8();
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    break;
                }
            }
            at += end;
            // A string followed by a colon is a key.
            let after = line[at..].trim_start();
            if after.starts_with(':') {
                Token::Key
            } else {
                Token::String
            }
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            match c {
                '{' | '}' | '[' | ']' | ',' | ':' => {
                    at += 1;
                    Token::Punctuation
                }
                '-' | '0'..='9' => {
                    at += rest
                        .find(|ch: char| !(ch.is_ascii_digit() || "+-.eE".contains(ch)))
                        .unwrap_or(rest.len())
                        .max(1);
                    Token::Number
                }
                't' | 'f' | 'n'
                    if ["true", "false", "null"]
                        .iter()
                        .any(|w| rest.starts_with(w)) =>
                {
                    at += ["true", "false", "null"]
                        .iter()
                        .find(|w| rest.starts_with(**w))
                        .map_or(1, |w| w.len());
                    Token::Literal
                }
                _ => {
                    // Whitespace as one run; anything else (not JSON) a character at a time.
                    at += if c.is_whitespace() {
                        rest.find(|ch: char| !ch.is_whitespace())
                            .unwrap_or(rest.len())
                    } else {
                        c.len_utf8()
                    };
                    Token::Plain
                }
            }
        };
        out.push((token, &line[start..at]));
    }
    split_templates_in_strings(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_cut_into_its_tokens() {
        let tokens =
            json_tokens(r#"  "id": {{user_id}}, "name": "Ada {{last}}", "n": -1.5e3, "ok": true"#);
        let kinds: Vec<(Token, &str)> = tokens
            .into_iter()
            .filter(|(t, _)| *t != Token::Plain)
            .collect();
        assert_eq!(
            kinds,
            vec![
                (Token::Key, "\"id\""),
                (Token::Punctuation, ":"),
                (Token::Template, "{{user_id}}"),
                (Token::Punctuation, ","),
                (Token::Key, "\"name\""),
                (Token::Punctuation, ":"),
                (Token::String, "\"Ada "),
                (Token::Template, "{{last}}"),
                (Token::String, "\""),
                (Token::Punctuation, ","),
                (Token::Key, "\"n\""),
                (Token::Punctuation, ":"),
                (Token::Number, "-1.5e3"),
                (Token::Punctuation, ","),
                (Token::Key, "\"ok\""),
                (Token::Punctuation, ":"),
                (Token::Literal, "true"),
            ]
        );
    }

    #[test]
    fn the_pieces_always_join_back_to_the_line() {
        for line in [
            r#"{"a\"b": [1, 2.5, "x\\"], "c": nul"#,
            "garbage ☃ {{x",
            "",
            "\"unterminated",
        ] {
            let joined: String = json_tokens(line).into_iter().map(|(_, t)| t).collect();
            assert_eq!(joined, line);
        }
    }
}
