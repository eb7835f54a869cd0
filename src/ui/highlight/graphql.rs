//! GraphQL: keywords, `$variables`, `@directives`, argument names, strings, numbers, comments
//! and `{{templates}}`.

use super::{Token, quoted_len, split_templates_in_strings, template_len};

const KEYWORDS: [&str; 15] = [
    "query",
    "mutation",
    "subscription",
    "fragment",
    "on",
    "type",
    "input",
    "enum",
    "interface",
    "union",
    "scalar",
    "schema",
    "extend",
    "directive",
    "implements",
];

/// Cuts a line of GraphQL into (token, text) pieces that join back to `line`.
pub fn graphql_tokens(line: &str) -> Vec<(Token, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < line.len() {
        let rest = &line[at..];
        let start = at;
        let c = rest.chars().next().unwrap_or(' ');
        let token = if rest.starts_with("{{") {
            at += template_len(rest);
            Token::Template
        } else if c == '#' {
            at = line.len();
            Token::Comment
        } else if c == '"' {
            at += match rest.strip_prefix("\"\"\"") {
                Some(block) => block.find("\"\"\"").map_or(rest.len(), |end| end + 6),
                None => quoted_len(rest, '"'),
            };
            Token::String
        } else if c == '$' || c == '@' || is_name_start(c) {
            let sigil = usize::from(c == '$' || c == '@');
            at += sigil
                + rest[sigil..]
                    .find(|ch: char| !is_name_char(ch))
                    .unwrap_or(rest.len() - sigil);
            let word = &line[start..at];
            match c {
                '$' => Token::Variable,
                '@' => Token::Keyword,
                _ if KEYWORDS.contains(&word) => Token::Keyword,
                _ if matches!(word, "true" | "false" | "null") => Token::Literal,
                // An argument or an alias, as a key in JSON.
                _ if line[at..].trim_start().starts_with(':') => Token::Key,
                _ => Token::Plain,
            }
        } else if c == '-' || c.is_ascii_digit() {
            at += rest
                .char_indices()
                .skip(1)
                .find(|(_, ch)| !(ch.is_ascii_digit() || ".eE+-".contains(*ch)))
                .map_or(rest.len(), |(i, _)| i);
            Token::Number
        } else if "{}()[]:!=,|&.".contains(c) {
            at += c.len_utf8();
            Token::Punctuation
        } else {
            at += c.len_utf8();
            Token::Plain
        };
        out.push((token, &line[start..at]));
    }
    split_templates_in_strings(out)
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_line_is_cut_into_its_tokens() {
        let tokens: Vec<(Token, &str)> = graphql_tokens(
            r#"query User($id: ID!) { user(id: $id, n: -2) @skip(if: false) { "s" } } # c"#,
        )
        .into_iter()
        .filter(|(t, _)| !matches!(t, Token::Plain | Token::Punctuation))
        .collect();
        assert_eq!(
            tokens,
            vec![
                (Token::Keyword, "query"),
                (Token::Variable, "$id"),
                (Token::Key, "id"),
                (Token::Variable, "$id"),
                (Token::Key, "n"),
                (Token::Number, "-2"),
                (Token::Keyword, "@skip"),
                (Token::Key, "if"),
                (Token::Literal, "false"),
                (Token::String, "\"s\""),
                (Token::Comment, "# c"),
            ]
        );
    }
}
