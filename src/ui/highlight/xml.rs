//! XML and HTML: tags, attribute names and values, entities, comments and `{{templates}}`.
//! A line is read as starting outside any tag.

use super::{Token, quoted_len, split_templates_in_strings, template_len};

/// Cuts a line of XML into (token, text) pieces that join back to `line`.
pub fn xml_tokens(line: &str) -> Vec<(Token, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut in_tag = false;
    while at < line.len() {
        let rest = &line[at..];
        let start = at;
        let c = rest.chars().next().unwrap_or(' ');
        let token = if rest.starts_with("{{") {
            at += template_len(rest);
            Token::Template
        } else if !in_tag && rest.starts_with("<!--") {
            at += rest.find("-->").map_or(rest.len(), |end| end + 3);
            Token::Comment
        } else if !in_tag && c == '<' {
            // The tag's opening and its name: `<a`, `</a`, `<?xml`, `<!DOCTYPE`.
            in_tag = true;
            let name_end = rest[1..]
                .char_indices()
                .find(|(i, ch)| {
                    *i > 0 && (ch.is_whitespace() || *ch == '>' || *ch == '/' || *ch == '?')
                })
                .map_or(rest.len(), |(i, _)| i + 1);
            at = start + name_end;
            Token::Tag
        } else if in_tag && (rest.starts_with("/>") || rest.starts_with("?>")) {
            in_tag = false;
            at += 2;
            Token::Tag
        } else if in_tag && c == '>' {
            in_tag = false;
            at += 1;
            Token::Tag
        } else if in_tag && (c == '"' || c == '\'') {
            at += quoted_len(rest, c);
            Token::String
        } else if in_tag && !c.is_whitespace() && c != '=' {
            at += rest
                .find(|ch: char| ch.is_whitespace() || "=>/\"'".contains(ch))
                .unwrap_or(rest.len())
                .max(c.len_utf8());
            Token::Attribute
        } else if !in_tag && c == '&' {
            at += rest
                .find(';')
                .filter(|end| *end < 12)
                .map_or(1, |end| end + 1);
            Token::Literal
        } else {
            // Text (or spaces and `=` in a tag) up to the next thing of interest.
            at += rest
                .char_indices()
                .skip(1)
                .find(|(i, ch)| {
                    matches!(ch, '<' | '&' | '>' | '"' | '\'' | '/' | '?')
                        || rest[*i..].starts_with("{{")
                        || in_tag && !ch.is_whitespace() && *ch != '='
                })
                .map_or(rest.len(), |(i, _)| i);
            if in_tag && c == '=' {
                Token::Punctuation
            } else {
                Token::Plain
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
    fn a_line_of_xml_is_cut_into_its_tokens() {
        let tokens: Vec<(Token, &str)> =
            xml_tokens(r#"<user id="7" name='{{who}}'>Ada &amp; co<!-- hi --></user><br/>"#)
                .into_iter()
                .filter(|(t, _)| !matches!(t, Token::Plain | Token::Punctuation))
                .collect();
        assert_eq!(
            tokens,
            vec![
                (Token::Tag, "<user"),
                (Token::Attribute, "id"),
                (Token::String, "\"7\""),
                (Token::Attribute, "name"),
                (Token::String, "'"),
                (Token::Template, "{{who}}"),
                (Token::String, "'"),
                (Token::Tag, ">"),
                (Token::Literal, "&amp;"),
                (Token::Comment, "<!-- hi -->"),
                (Token::Tag, "</user"),
                (Token::Tag, ">"),
                (Token::Tag, "<br"),
                (Token::Tag, "/>"),
            ]
        );
    }
}
