//! Syntax highlighting of request bodies, one line at a time: JSON, GraphQL and XML (HTML too).
//! Each lexer cuts a line into (token, text) pieces that join back to the line, so only the
//! lines on screen are ever looked at, however big the body. A construct that spans lines (an
//! XML comment, a GraphQL block string) is coloured on its first line only; that is the price
//! of never scanning what is off screen.

mod graphql;
mod json;
mod xml;

pub use graphql::graphql_tokens;
pub use json::json_tokens;
pub use xml::xml_tokens;

use crate::model::Body;

/// The kinds of token a line is cut into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Key,
    String,
    Number,
    Literal,
    Punctuation,
    Template,
    Keyword,
    Variable,
    Tag,
    Attribute,
    Comment,
    Plain,
}

/// The languages Courier colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Json,
    Graphql,
    Xml,
    Plain,
}

impl Language {
    /// The language of a body: by kind, and for text by its content type.
    pub fn of(body: &Body) -> Language {
        match body {
            Body::Json { .. } => Language::Json,
            Body::Graphql { .. } => Language::Graphql,
            Body::Text {
                content_type: Some(content_type),
                ..
            } if content_type.contains("xml") || content_type.contains("html") => Language::Xml,
            _ => Language::Plain,
        }
    }

    /// Cuts `line` into its tokens.
    pub fn tokens(self, line: &str) -> Vec<(Token, &str)> {
        match self {
            Language::Json => json_tokens(line),
            Language::Graphql => graphql_tokens(line),
            Language::Xml => xml_tokens(line),
            Language::Plain => vec![(Token::Plain, line)],
        }
    }
}

/// Byte length of the `{{template}}` at the start of `rest` (to its closing braces, or to the
/// end of the line when they are missing).
fn template_len(rest: &str) -> usize {
    rest.find("}}").map_or(rest.len(), |end| end + 2)
}

/// Byte length of the quoted string at the start of `rest`, closing quote included, honouring
/// backslash escapes; to the end of the line when it is not closed.
fn quoted_len(rest: &str, quote: char) -> usize {
    let mut escaped = false;
    for (i, c) in rest.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == quote {
            return i + c.len_utf8();
        }
    }
    rest.len()
}

/// Templates inside strings (JSON strings, XML attribute values, GraphQL strings) get their
/// own colour too.
fn split_templates_in_strings(tokens: Vec<(Token, &str)>) -> Vec<(Token, &str)> {
    let mut out = Vec::new();
    for (token, text) in tokens {
        if !matches!(token, Token::String | Token::Key) || !text.contains("{{") {
            out.push((token, text));
            continue;
        }
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            let close = rest[open..]
                .find("}}")
                .map_or(rest.len(), |end| open + end + 2);
            if open > 0 {
                out.push((token, &rest[..open]));
            }
            out.push((Token::Template, &rest[open..close]));
            rest = &rest[close..];
        }
        if !rest.is_empty() {
            out.push((token, rest));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lexer_joins_back_to_its_line() {
        let lines = [
            r#"{"a\"b": [1, 2.5, "x\\"], "c": nul"#,
            "garbage ☃ {{x",
            "",
            "\"unterminated",
            r#"query Q($id: ID!) { user(id: $id) @include(if: true) { name } } # done"#,
            r#"<?xml version="1.0"?><a href='x' b="{{v}}">t &amp; u<!-- c --></a>"#,
            "<unclosed attr=\"",
            "</>< < <!-- never",
        ];
        for language in [
            Language::Json,
            Language::Graphql,
            Language::Xml,
            Language::Plain,
        ] {
            for line in lines {
                let joined: String = language.tokens(line).into_iter().map(|(_, t)| t).collect();
                assert_eq!(joined, line, "{language:?}");
            }
        }
    }

    #[test]
    fn the_language_follows_the_body() {
        let text = |content_type: &str| Body::Text {
            file: "b.txt".into(),
            content_type: Some(content_type.into()),
        };
        assert_eq!(Language::of(&text("application/xml")), Language::Xml);
        assert_eq!(
            Language::of(&text("text/html; charset=utf-8")),
            Language::Xml
        );
        assert_eq!(Language::of(&text("text/plain")), Language::Plain);
        assert_eq!(
            Language::of(&Body::Graphql {
                file: "q.graphql".into(),
                variables: None
            }),
            Language::Graphql
        );
    }
}
