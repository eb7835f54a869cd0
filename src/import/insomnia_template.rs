//! Insomnia's Nunjucks templates as Courier's. Variables (`{{ _.token }}`, `{{ token }}`,
//! `{{ _['api-key'] }}`, `{{ _.auth.user }}`) become `{{token}}`, `{{api-key}}`,
//! `{{auth.user}}` (nested environment values are flattened to dotted names to match). Tags
//! Courier has a built-in for become it: `{% uuid %}` `{{$uuid}}`, `{% now 'iso-8601' %}`
//! `{{$isoTimestamp}}`, `{% now 'unix' %}` and `{% timestamp %}` `{{$timestamp}}`. A
//! `{% response %}` tag becomes a chained value, `{{response "Folder/Login" ".data.token"}}`
//! (its JSONPath read as a jq path), or a header of one. Anything else (filters, other tags,
//! a JSONPath with filters) is kept as written and reported: Courier would send it as text.

use std::collections::HashMap;

use base64::Engine as _;

use super::tree::Losses;

/// What turns Insomnia's templates into Courier's for one import.
pub struct Templates<'a> {
    /// Each request's id and the path a `{{response}}` names it by (`Folder/Request`).
    pub requests: &'a HashMap<String, String>,
}

impl Templates<'_> {
    /// `text` with every template Courier understands rewritten; the rest reported at `place`.
    pub fn convert(&self, text: &str, place: &str, losses: &mut Losses) -> String {
        if !text.contains("{{") && !text.contains("{%") {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(['{']) {
            out.push_str(&rest[..at]);
            let here = &rest[at..];
            let (open, close) = if here.starts_with("{{") {
                ("{{", "}}")
            } else if here.starts_with("{%") {
                ("{%", "%}")
            } else {
                out.push('{');
                rest = &here[1..];
                continue;
            };
            let Some(end) = here[2..].find(close) else {
                out.push_str(here);
                return out;
            };
            let inner = here[2..2 + end].trim();
            let whole = &here[..2 + end + 2];
            let made = if open == "{{" {
                self.variable(inner)
            } else {
                self.tag(inner)
            };
            match made {
                Some(made) => out.push_str(&made),
                None => {
                    losses.add(
                        place,
                        format!(
                            "`{whole}` has no Courier equivalent: kept as written, sent as text"
                        ),
                    );
                    out.push_str(whole);
                }
            }
            rest = &here[2 + end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// `_.a.b`, `a`, `_['a-b']` as `{{a.b}}`, `{{a}}`, `{{a-b}}`; None with a filter.
    fn variable(&self, inner: &str) -> Option<String> {
        if inner.contains('|') {
            return None;
        }
        let path = inner
            .strip_prefix("_.")
            .or_else(|| inner.strip_prefix('_'))
            .unwrap_or(inner);
        let mut name = String::new();
        let mut chars = path.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '[' => {
                    let quoted: String = chars.by_ref().take_while(|c| *c != ']').collect();
                    let key = quoted.trim().trim_matches(['\'', '"']);
                    if !name.is_empty() {
                        name.push('.');
                    }
                    name.push_str(key);
                }
                ' ' => {}
                c => name.push(c),
            }
        }
        (!name.is_empty() && !name.contains(['(', ')', '+', '~']))
            .then(|| format!("{{{{{name}}}}}"))
    }

    /// A tag Courier has an equivalent of.
    fn tag(&self, inner: &str) -> Option<String> {
        let (name, arguments) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let arguments = words(arguments);
        let first = arguments.first().map(String::as_str);
        match (name, first) {
            ("uuid", None | Some("v4")) => Some("{{$uuid}}".to_owned()),
            ("timestamp", _) | ("now", Some("unix")) => Some("{{$timestamp}}".to_owned()),
            ("now", None | Some("iso-8601")) => Some("{{$isoTimestamp}}".to_owned()),
            ("response", _) => self.response(&arguments),
            _ => None,
        }
    }

    /// `response 'body'|'header', 'req_id', 'b64::…::46b', trigger, max_age`.
    fn response(&self, arguments: &[String]) -> Option<String> {
        let [attribute, id, encoded, rest @ ..] = arguments else {
            return None;
        };
        let request = self.requests.get(id)?;
        let argument = match encoded
            .strip_prefix("b64::")
            .and_then(|b| b.strip_suffix("::46b"))
        {
            Some(b64) => {
                let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
                String::from_utf8(bytes).ok()?
            }
            None => encoded.clone(),
        };
        let part = match attribute.as_str() {
            "body" => format!("\"{}\"", crate::body::jq::from_jsonpath(&argument)?),
            "header" => format!("header \"{argument}\""),
            _ => return None,
        };
        // `when-expired` sends again past its age; `always` every time.
        let age = match (rest.first().map(String::as_str), rest.get(1)) {
            (Some("when-expired"), Some(seconds)) => format!(" max_age={seconds}s"),
            (Some("always"), _) => " max_age=0s".to_owned(),
            _ => String::new(),
        };
        Some(format!("{{{{response \"{request}\" {part}{age}}}}}"))
    }
}

/// A tag's arguments: quoted strings and bare words, separated by commas.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, ',') => out.push(std::mem::take(&mut current).trim().to_owned()),
            (None, c) => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert(text: &str) -> (String, Losses) {
        let requests = HashMap::from([("req_1".to_owned(), "Auth/Log in".to_owned())]);
        let templates = Templates {
            requests: &requests,
        };
        let mut losses = Losses::default();
        (templates.convert(text, "/x", &mut losses), losses)
    }

    #[test]
    fn variables_built_ins_and_chained_responses() {
        assert_eq!(
            convert("{{ _.base }}/a/{{token}}/{{ _['api-key'] }}/{{ _.o.k }}").0,
            "{{base}}/a/{{token}}/{{api-key}}/{{o.k}}"
        );
        assert_eq!(
            convert("{% uuid 'v4' %} {% now 'iso-8601' %} {% timestamp %}").0,
            "{{$uuid}} {{$isoTimestamp}} {{$timestamp}}"
        );
        // `$.data.token`, base64-encoded as Insomnia writes it.
        let tag = "Bearer {% response 'body', 'req_1', 'b64::JC5kYXRhLnRva2Vu::46b', 'when-expired', 60 %}";
        assert_eq!(
            convert(tag).0,
            "Bearer {{response \"Auth/Log in\" \".data.token\" max_age=60s}}"
        );
        let header = "{% response 'header', 'req_1', 'b64::Y29udGVudC10eXBl::46b', 'never', 60 %}";
        assert_eq!(
            convert(header).0,
            "{{response \"Auth/Log in\" header \"content-type\"}}"
        );
        let (kept, losses) = convert(
            "{{ _.name | upper }} {% faker 'randomName' %} {% response 'raw', 'req_1', 'x', 'never' %}",
        );
        assert_eq!(
            kept,
            "{{ _.name | upper }} {% faker 'randomName' %} {% response 'raw', 'req_1', 'x', 'never' %}"
        );
        assert_eq!(losses.0.len(), 3);
        assert_eq!(
            convert("{ \"a\": 1 } {{").0,
            "{ \"a\": 1 } {{",
            "braces of JSON and an unclosed one stay"
        );
    }
}
