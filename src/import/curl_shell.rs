//! Shell parameters in curl commands as Courier's templates: `$NAME` and `${NAME}` (the
//! placeholders of published commands), `${NAME:-value}` (what Courier's curl export writes)
//! with its value kept as a request variable, and the commands the export writes for
//! built-ins (`$(uuidgen)`) as those built-ins.

/// Shell parameters turned into templates: `$NAME` and `${NAME}` (the placeholders of
/// published commands) as `{{NAME}}`; `${NAME:-value}` (what Courier's curl export writes)
/// as `{{NAME}}` with `value` its request variable; and the commands Courier's export writes
/// for built-ins (`$(uuidgen)`) as those built-ins.
#[derive(Default)]
pub struct Shell {
    /// `NAME` and its default, from `${NAME:-default}`.
    pub defaults: Vec<(String, String)>,
    /// How many bare `$NAME`s were taken for templates (a `$` the shell's quotes kept
    /// literal cannot be told apart once split: each is reported).
    pub guessed: usize,
}

/// The commands Courier's curl export writes for its built-ins.
const BUILT_INS: &[(&str, &str)] = &[
    ("$(uuidgen)", "{{$uuid}}"),
    ("$(date +%s)", "{{$timestamp}}"),
    ("$(date -u +%Y-%m-%dT%H:%M:%SZ)", "{{$isoTimestamp}}"),
    (
        "$(awk 'BEGIN{srand(); print int(rand()*1001)}')",
        "{{$randomInt}}",
    ),
    ("${COURIER_DEMO:-http://127.0.0.1:8808}", "{{$demo}}"),
];

impl Shell {
    pub fn templated(&mut self, word: &str) -> String {
        let mut out = String::new();
        let mut rest = word;
        while let Some(at) = rest.find('$') {
            out.push_str(&rest[..at]);
            let here = &rest[at..];
            if let Some((command, built_in)) = BUILT_INS.iter().find(|(c, _)| here.starts_with(c)) {
                out.push_str(built_in);
                rest = &here[command.len()..];
                continue;
            }
            let after = &here[1..];
            let (taken, used) = match after.strip_prefix('{') {
                Some(inner) => self.braced(inner).map(|(t, n)| (t, n + 1)),
                None => bare(after).map(|(t, n)| {
                    self.guessed += 1;
                    (t, n)
                }),
            }
            .unwrap_or_else(|| ("$".to_owned(), 0));
            out.push_str(&taken);
            rest = &after[used..];
        }
        out.push_str(rest);
        out
    }

    /// `NAME}` or `NAME:-default}` after a `${`: the template and the bytes taken.
    fn braced(&mut self, inner: &str) -> Option<(String, usize)> {
        // A `\}` is a `}` of the value, not the end (the export writes it so).
        let mut depth = 1;
        let mut escaped = false;
        let close = inner.char_indices().find_map(|(at, c)| {
            match (c, escaped) {
                (_, true) => escaped = false,
                ('\\', false) => escaped = true,
                ('{', false) => depth += 1,
                ('}', false) => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(at)
        })?;
        let body = &inner[..close];
        let (name, default) = match body.split_once(":-") {
            Some((name, default)) => (name, Some(default)),
            None => (body, None),
        };
        if !is_shell_name(name) {
            return None;
        }
        match default {
            Some(default) => {
                let value = self.templated(&default.replace("\\}", "}"));
                self.defaults.push((name.to_owned(), value));
            }
            None => self.guessed += 1,
        }
        Some((format!("{{{{{name}}}}}"), close + 1))
    }
}

/// `NAME` right after a `$`: the template and the bytes taken.
fn bare(after: &str) -> Option<(String, usize)> {
    let length = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(after.len());
    let name = &after[..length];
    is_shell_name(name).then(|| (format!("{{{{{name}}}}}"), length))
}

fn is_shell_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
