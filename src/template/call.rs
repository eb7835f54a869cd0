//! The syntax of a function call inside a placeholder: `{{hmac "sha256" key "{{$timestamp}}"}}`.
//!
//! A call is the function's name, then its arguments separated by spaces. An argument is
//! - text in double or single quotes, itself a template (`"{{user}}:{{pass}}"`), where a
//!   backslash escapes the quote and the backslash, and `\n`, `\r` and `\t` are a newline, a
//!   carriage return and a tab (so a string to sign can be written on one line);
//! - a bare word: a variable's name, or a built-in such as `$timestamp`;
//! - another call in parentheses: `(sha256 "x")`.
//!
//! Parsing only: [`super::functions`] says what each function does.

use super::TemplateError;

/// One function call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub function: String,
    pub arguments: Vec<Argument>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Argument {
    /// Quoted text, rendered as a template when the call runs.
    Text(String),
    /// A variable or built-in, by name.
    Variable(String),
    /// A call in parentheses.
    Call(Call),
}

/// Whether the inside of a placeholder is shaped like a call: a name, then whitespace and
/// something more. `{{ name }}` is not; `{{hmac "sha256" k d}}` is.
pub fn looks_like_call(inside: &str) -> bool {
    let name_end = inside
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inside.len());
    name_end > 0
        && inside[..1].chars().all(|c| c.is_ascii_alphabetic())
        && inside[name_end..].trim().len() > 1
        && inside[name_end..].starts_with(char::is_whitespace)
}

/// Parses the inside of a placeholder as a call. `at` in errors counts characters from 1.
pub fn parse(inside: &str) -> Result<Call, TemplateError> {
    let tokens = tokens(inside).map_err(|(at, reason)| syntax(inside, at, reason))?;
    let mut reader = Reader {
        tokens: &tokens,
        next: 0,
    };
    let call = reader
        .call(None)
        .map_err(|(at, reason)| syntax(inside, at, reason))?;
    if let Some(extra) = reader.tokens.get(reader.next) {
        return Err(syntax(inside, extra.at, "a `)` that closes nothing".into()));
    }
    Ok(call)
}

fn syntax(inside: &str, at: usize, reason: String) -> TemplateError {
    TemplateError::CallSyntax {
        text: inside.to_owned(),
        at,
        reason,
    }
}

#[derive(Debug)]
enum Kind {
    Open,
    Close,
    Quoted(String),
    Bare(String),
}

#[derive(Debug)]
struct Token {
    kind: Kind,
    /// The token's first character, counted from 1.
    at: usize,
}

type Failure = (usize, String);

fn tokens(text: &str) -> Result<Vec<Token>, Failure> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().enumerate().peekable();
    while let Some(&(index, c)) = chars.peek() {
        let at = index + 1;
        let kind = match c {
            _ if c.is_whitespace() => {
                chars.next();
                continue;
            }
            '(' => {
                chars.next();
                Kind::Open
            }
            ')' => {
                chars.next();
                Kind::Close
            }
            '"' | '\'' => {
                chars.next();
                Kind::Quoted(
                    quoted(&mut chars, c).ok_or((at, "this quote is never closed".into()))?,
                )
            }
            _ => {
                let mut word = String::new();
                while let Some(&(_, c2)) = chars.peek() {
                    if c2.is_whitespace() || matches!(c2, '(' | ')' | '"' | '\'') {
                        break;
                    }
                    word.push(c2);
                    chars.next();
                }
                Kind::Bare(word)
            }
        };
        tokens.push(Token { kind, at });
    }
    Ok(tokens)
}

/// The rest of a quoted argument, its escapes undone; None when the quote never closes.
fn quoted(chars: &mut impl Iterator<Item = (usize, char)>, quote: char) -> Option<String> {
    let mut text = String::new();
    while let Some((_, c)) = chars.next() {
        match c {
            '\\' => match chars.next()?.1 {
                'n' => text.push('\n'),
                'r' => text.push('\r'),
                't' => text.push('\t'),
                other => text.push(other),
            },
            _ if c == quote => return Some(text),
            _ => text.push(c),
        }
    }
    None
}

struct Reader<'t> {
    tokens: &'t [Token],
    next: usize,
}

impl Reader<'_> {
    /// A call's name and arguments, up to the `)` that closes the call opened at `open` (or
    /// the end, for the outermost call).
    fn call(&mut self, open: Option<usize>) -> Result<Call, Failure> {
        let function = match self.tokens.get(self.next) {
            Some(Token {
                kind: Kind::Bare(name),
                ..
            }) if is_name(name) => name.clone(),
            Some(token) => return Err((token.at, "a function's name should come first".into())),
            None => return Err((open.unwrap_or(1), "a function's name is missing".into())),
        };
        self.next += 1;
        let mut arguments = Vec::new();
        while let Some(token) = self.tokens.get(self.next) {
            self.next += 1;
            arguments.push(match &token.kind {
                Kind::Quoted(text) => Argument::Text(text.clone()),
                Kind::Bare(name) => Argument::Variable(name.clone()),
                Kind::Open => Argument::Call(self.call(Some(token.at))?),
                Kind::Close if open.is_some() => {
                    return Ok(Call {
                        function,
                        arguments,
                    });
                }
                Kind::Close => {
                    self.next -= 1;
                    return Ok(Call {
                        function,
                        arguments,
                    });
                }
            });
        }
        match open {
            Some(at) => Err((at, "this `(` is never closed".into())),
            None => Ok(Call {
                function,
                arguments,
            }),
        }
    }
}

fn is_name(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Argument {
        Argument::Text(s.into())
    }

    fn error(inside: &str) -> String {
        parse(inside).unwrap_err().to_string()
    }

    #[test]
    fn arguments_are_quoted_text_names_or_calls() {
        assert_eq!(
            parse(r#"hmac "sha256" secret (sha256 '{{body}}' "hex") 'a\'b\n'"#).unwrap(),
            Call {
                function: "hmac".into(),
                arguments: vec![
                    text("sha256"),
                    Argument::Variable("secret".into()),
                    Argument::Call(Call {
                        function: "sha256".into(),
                        arguments: vec![text("{{body}}"), text("hex")],
                    }),
                    text("a'b\n"),
                ],
            }
        );
        assert_eq!(
            parse("base64 $uuid").unwrap().arguments,
            [Argument::Variable("$uuid".into())]
        );
    }

    #[test]
    fn what_looks_like_a_call() {
        assert!(looks_like_call(r#"hmac "sha256" k d"#));
        assert!(
            !looks_like_call("base64(x)"),
            "not our syntax: an unknown variable"
        );
        assert!(
            looks_like_call("hcam 'x'"),
            "an unknown function is still a call"
        );
        assert!(!looks_like_call("name"));
        assert!(!looks_like_call("$uuid"));
        assert!(!looks_like_call("$env.HOME"));
        assert!(!looks_like_call("user.name"));
    }

    #[test]
    fn mistakes_say_where() {
        assert!(error(r#"hmac "sha256"#).contains("character 6: this quote is never closed"));
        assert!(error("base64 (sha256 'x'").contains("character 8: this `(` is never closed"));
        assert!(error("base64 'x')").contains("character 11: a `)` that closes nothing"));
        assert!(error("base64 ( )").contains("a function's name should come first"));
    }
}
