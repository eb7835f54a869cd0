//! The `.bru` language of Bruno collections, read into blocks. A file is `name {…}` blocks
//! (`name [ … ]` for a list), each ended by a `}` (or `]`) at the start of a line. A block is
//! either text (bodies, scripts, `tests`, `docs`, and blocks Courier does not read: its lines
//! with the two spaces of indentation removed) or a dictionary of `key: value` lines: a key may be quoted
//! (`"colon:key"`, `\"` inside), `~` before it turns the entry off and `@` marks a request's
//! own variable; a value runs to the end of the line, or over lines between `'''` marks
//! (indented four spaces); annotation lines (`@description('…')`) are skipped. `tags: [`…`]`
//! inside `meta` is a list. Nothing here knows what a block means: that is
//! [`super::bruno`]'s.

/// The blocks of `key: value` lines (besides `auth:*`, `vars*`, `params:*` and the methods).
const DICTIONARIES: &[&str] = &[
    "meta",
    "http",
    "query",
    "headers",
    "auth",
    "body:form-urlencoded",
    "body:multipart-form",
    "body:file",
    "assert",
    "settings",
];

const METHODS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "options", "head", "connect", "trace",
];

/// Whether the block `name` holds `key: value` lines.
fn is_dictionary(name: &str) -> bool {
    DICTIONARIES.contains(&name)
        || METHODS.contains(&name)
        || ["auth:", "vars", "params:"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
}

/// One block of a `.bru` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub name: String,
    /// The line its name is on (1-based).
    pub line: usize,
    pub content: Content,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Text(String),
    Entries(Vec<Entry>),
    List(Vec<String>),
}

/// A `key: value` line of a dictionary block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    /// False for a `~key`.
    pub enabled: bool,
    /// True for an `@key` (a request's own variable).
    pub local: bool,
}

/// What is wrong with a `.bru` file, and on which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BruError {
    pub line: usize,
    pub message: String,
}

/// The blocks of `text`.
pub fn parse(text: &str) -> Result<Vec<Block>, BruError> {
    let lines: Vec<&str> = text
        .lines()
        .map(|line| line.trim_end_matches('\r'))
        .collect();
    let mut blocks = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let line = lines[at];
        if line.trim().is_empty() {
            at += 1;
            continue;
        }
        let (name, list) = match (
            line.trim_end().strip_suffix('{'),
            line.trim_end().strip_suffix('['),
        ) {
            (Some(name), _) => (name.trim(), false),
            (None, Some(name)) => (name.trim(), true),
            _ => {
                return Err(BruError {
                    line: at + 1,
                    message: format!("`{}` is no block: a block is `name {{`", line.trim()),
                });
            }
        };
        let close = if list { "]" } else { "}" };
        let end = (at + 1..lines.len())
            .find(|&i| lines[i].trim_end() == close)
            .ok_or_else(|| BruError {
                line: at + 1,
                message: format!(
                    "the block `{name}` is never closed with `{close}` at the start of a line"
                ),
            })?;
        let body = &lines[at + 1..end];
        let content = if list {
            Content::List(list_items(body))
        } else if is_dictionary(name) {
            Content::Entries(entries(body, at + 2)?)
        } else {
            // Text blocks, and blocks Courier has no use for (`example`, `grpc`, `ws`…),
            // whose nesting a dictionary could not hold.
            Content::Text(outdented(body))
        };
        blocks.push(Block {
            name: name.to_owned(),
            line: at + 1,
            content,
        });
        at = end + 1;
    }
    Ok(blocks)
}

/// A text block's lines, each without the first two spaces of indentation.
fn outdented(lines: &[&str]) -> String {
    let cut: Vec<&str> = lines
        .iter()
        .map(|line| line.strip_prefix("  ").unwrap_or(line))
        .collect();
    cut.join("\n")
}

fn list_items(lines: &[&str]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|line| line.split(','))
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A dictionary block's entries; `first` is the line number of its first line.
fn entries(lines: &[&str], first: usize) -> Result<Vec<Entry>, BruError> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let line = lines[at].trim();
        at += 1;
        // Blank lines and annotations (`@description('…')`, `@number`) carry no entry.
        // An annotation is `@name` or `@name(…)`; `@name: value` is a request's variable.
        let head = line.split(':').next().unwrap_or(line);
        let annotation = line.starts_with('@') && (head.contains('(') || !line.contains(':'));
        if line.is_empty() || annotation {
            if line.contains("'''") && !line.ends_with("''')") {
                // An annotation's text over lines: skip to its end.
                while at < lines.len() && !lines[at].trim().ends_with("''')") {
                    at += 1;
                }
                at += 1;
            }
            continue;
        }
        let (key, rest, enabled, local) = key_of(line).ok_or_else(|| BruError {
            line: first + at - 1,
            message: format!("`{line}` is no `key: value` line"),
        })?;
        let mut value = rest.trim().to_owned();
        if value == "[" {
            // `tags: [` … `]`
            let mut items = Vec::new();
            while at < lines.len() && lines[at].trim() != "]" {
                items.push(lines[at].trim().to_owned());
                at += 1;
            }
            at += 1;
            value = items.join(", ");
        } else if value == "'''"
            || value.starts_with("'''") && value.len() > 3 && !value[3..].contains("'''")
        {
            let mut text: Vec<&str> = Vec::new();
            while at < lines.len() && !lines[at].trim_start().starts_with("'''") {
                let line = lines[at];
                text.push(line.get(4..).unwrap_or_else(|| line.trim_start()));
                at += 1;
            }
            // What follows the closing marks (` @contentType(…)`) stays with the value.
            let after = lines
                .get(at)
                .map(|l| l.trim_start().trim_start_matches("'''"))
                .unwrap_or("");
            at += 1;
            value = format!("{}{after}", text.join("\n").trim());
        }
        out.push(Entry {
            key,
            value,
            enabled,
            local,
        });
    }
    Ok(out)
}

/// The key of a `key: value` line, what follows its `:`, and its `~` and `@` marks.
fn key_of(line: &str) -> Option<(String, &str, bool, bool)> {
    let (enabled, line) = match line.strip_prefix('~') {
        Some(rest) => (false, rest),
        None => (true, line),
    };
    let (local, line) = match line.strip_prefix('@') {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    if let Some(quoted) = line.strip_prefix('"') {
        let mut key = String::new();
        let mut chars = quoted.char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, next)) = chars.next() {
                        key.push(next);
                    }
                }
                '"' => {
                    let rest = quoted[at + 1..].trim_start().strip_prefix(':')?;
                    return Some((key, rest, enabled, local));
                }
                other => key.push(other),
            }
        }
        return None;
    }
    let (key, rest) = line.split_once(':')?;
    let key = key.trim();
    (!key.is_empty() && !key.contains(char::is_whitespace))
        .then(|| (key.to_owned(), rest, enabled, local))
}

/// The entries of the dictionary block `name`, or none.
pub fn entries_of<'a>(blocks: &'a [Block], name: &str) -> &'a [Entry] {
    blocks
        .iter()
        .find(|block| block.name == name)
        .and_then(|block| match &block.content {
            Content::Entries(entries) => Some(entries.as_slice()),
            _ => None,
        })
        .unwrap_or(&[])
}

/// The value of `key` in the dictionary block `name`.
pub fn value_of<'a>(blocks: &'a [Block], name: &str, key: &str) -> Option<&'a str> {
    entries_of(blocks, name)
        .iter()
        .rev()
        .find(|entry| entry.key == key)
        .map(|entry| entry.value.as_str())
}

/// The text of the text block `name`.
pub fn text_of<'a>(blocks: &'a [Block], name: &str) -> Option<&'a str> {
    blocks
        .iter()
        .find(|block| block.name == name)
        .and_then(|block| match &block.content {
            Content::Text(text) => Some(text.as_str()),
            _ => None,
        })
}

/// The items of the list block `name`.
pub fn list_of<'a>(blocks: &'a [Block], name: &str) -> &'a [String] {
    blocks
        .iter()
        .find(|block| block.name == name)
        .and_then(|block| match &block.content {
            Content::List(items) => Some(items.as_slice()),
            _ => None,
        })
        .unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_entries_quoted_keys_and_multi_line_values() {
        let text = "meta {\n  name: Send\n  seq: 2\n  tags: [\n    foo\n    bar\n  ]\n}\n\nheaders {\n  @description('the key')\n  \"colon:key\": a: b\n  ~off: 1\n  \"nested \\\"q\\\"\": x\n}\n\nbody:json {\n  {\n    \"a\": 1\n  }\n}\n\nvars:pre-request {\n  @mine: 1\n  long: '''\n    line one\n    line two\n  '''\n}\n\nvars:secret [\n  token,\n  password\n]\n";
        let blocks = parse(text).expect("parsed");
        assert_eq!(value_of(&blocks, "meta", "name"), Some("Send"));
        assert_eq!(value_of(&blocks, "meta", "tags"), Some("foo, bar"));
        let headers = entries_of(&blocks, "headers");
        assert_eq!(
            (headers[0].key.as_str(), headers[0].value.as_str()),
            ("colon:key", "a: b")
        );
        assert!(!headers[1].enabled);
        assert_eq!(headers[2].key, "nested \"q\"");
        assert_eq!(text_of(&blocks, "body:json"), Some("{\n  \"a\": 1\n}"));
        let vars = entries_of(&blocks, "vars:pre-request");
        assert!(vars[0].local);
        assert_eq!(vars[1].value, "line one\nline two");
        assert_eq!(list_of(&blocks, "vars:secret"), ["token", "password"]);
    }

    #[test]
    fn blocks_courier_does_not_read_are_kept_whole_not_refused() {
        let text = "meta {\n  name: One\n}\n\nexample {\n  name: ok\n  response {\n    status: 200\n  }\n}\n";
        let blocks = parse(text).expect("parsed");
        assert_eq!(
            text_of(&blocks, "example"),
            Some("name: ok\nresponse {\n  status: 200\n}")
        );
    }

    #[test]
    fn broken_files_say_which_line() {
        let err = parse("meta {\n  name: x\n").expect_err("unclosed");
        assert_eq!(err.line, 1);
        let err = parse("meta {\n  just words\n}\n").expect_err("no key");
        assert_eq!(err.line, 2);
        let err = parse("hello\n").expect_err("no block");
        assert_eq!(err.line, 1);
    }
}
