//! Example values made from JSON Schemas, for bodies and parameters a description gives no
//! example of. A schema's own `example`, `examples`, `const`, `default` or first `enum` value
//! wins; otherwise the value is built from its type: objects from their properties
//! (`allOf` merged, the first of `oneOf`/`anyOf`), arrays of one item, strings by their
//! `format`. Recursion is bounded three ways: a schema already being built is not entered
//! again (a tree's `children` come out `[]`), nesting stops at [`DEEPEST`], and one value
//! holds at most [`MOST_VALUES`] values.

use serde_json::{Map, Value};

use super::Losses;
use super::openapi_refs::{Node, Refs};

/// Nesting levels built.
const DEEPEST: usize = 12;
/// Values in one example: a wide schema does not make a megabyte body.
const MOST_VALUES: usize = 2_000;

/// Whose example it is: a request's leaves out `readOnly` properties, a response's
/// `writeOnly` ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Request,
    Response,
}

/// Builds examples, noting where it had to choose.
pub struct Sampler<'a> {
    pub refs: &'a mut Refs,
    pub losses: &'a mut Losses,
    direction: Direction,
    /// Schemas being built, innermost last.
    building: Vec<String>,
    values_left: usize,
    /// `oneOf`/`anyOf` places where the first choice was taken, and how many there were.
    pub choices: Vec<(String, usize)>,
}

impl<'a> Sampler<'a> {
    pub fn new(refs: &'a mut Refs, losses: &'a mut Losses, direction: Direction) -> Self {
        Sampler {
            refs,
            losses,
            direction,
            building: Vec::new(),
            values_left: MOST_VALUES,
            choices: Vec::new(),
        }
    }

    /// An example of `schema`; `None` when it allows nothing that can be shown. A schema
    /// met before (a shared `$ref`) gives the example it gave then: the same value, made and
    /// reported once.
    pub fn example(&mut self, schema: &Node) -> Option<Value> {
        let followed = self.refs.follow(schema, self.losses)?;
        let key = (followed.place(), self.direction);
        if let Some(made) = self.refs.examples.get(&key) {
            return made.clone();
        }
        self.values_left = MOST_VALUES;
        self.building.clear();
        let made = self.sample(&followed, 0);
        self.refs.examples.insert(key, made.clone());
        made
    }

    fn sample(&mut self, schema: &Node, depth: usize) -> Option<Value> {
        let schema = self.refs.follow(schema, self.losses)?;
        if depth > DEEPEST || self.values_left == 0 {
            return None;
        }
        let key = schema.place();
        if self.building.contains(&key) {
            return None;
        }
        self.values_left -= 1;
        self.building.push(key);
        let value = self.sample_here(&schema, depth);
        self.building.pop();
        value
    }

    fn sample_here(&mut self, schema: &Node, depth: usize) -> Option<Value> {
        let value = schema.value();
        if !value.is_object() {
            return None;
        }
        if let Some(given) = given_value(value) {
            return Some(given);
        }
        if value.get("allOf").is_some() {
            return self.all_of(schema, depth);
        }
        for choice in ["oneOf", "anyOf"] {
            let options = schema.get(choice).items();
            if options.len() > 1 {
                self.choices
                    .push((schema.get(choice).place(), options.len()));
            }
            if let Some(first) = options
                .iter()
                .find_map(|option| self.sample(option, depth + 1))
            {
                return Some(first);
            }
        }
        match type_of(value) {
            Some("object") => Some(self.object(schema, depth)),
            Some("array") => Some(Value::Array(
                self.sample(&schema.get("items"), depth + 1)
                    .into_iter()
                    .collect(),
            )),
            Some("string") => Some(Value::String(string_for(value).to_owned())),
            Some("integer") => Some(number_for(value, true)),
            Some("number") => Some(number_for(value, false)),
            Some("boolean") => Some(Value::Bool(true)),
            Some("null") => Some(Value::Null),
            Some("file") => Some(Value::String(String::new())),
            _ => None,
        }
    }

    /// Each property's example, in order; the properties the other direction only sees
    /// are left out.
    fn object(&mut self, schema: &Node, depth: usize) -> Value {
        let skipped = match self.direction {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        };
        let mut out = Map::new();
        for (name, property) in schema.get("properties").entries() {
            let followed = self.refs.follow(&property, self.losses);
            let hidden = followed
                .as_ref()
                .and_then(|node| node.value().get(skipped))
                .and_then(Value::as_bool)
                == Some(true);
            if hidden {
                continue;
            }
            if let Some(value) = self.sample(&property, depth + 1) {
                out.insert(name, value);
            }
        }
        Value::Object(out)
    }

    /// The parts of an `allOf` merged: objects key by key, anything else the last one.
    /// Properties written beside `allOf` are one more part.
    fn all_of(&mut self, schema: &Node, depth: usize) -> Option<Value> {
        let mut parts: Vec<Option<Value>> = Vec::new();
        for part in schema.get("allOf").items() {
            parts.push(self.sample(&part, depth + 1));
        }
        if schema.value().get("properties").is_some() {
            parts.push(Some(self.object(schema, depth)));
        }
        parts
            .into_iter()
            .flatten()
            .reduce(|merged, part| match (merged, part) {
                (Value::Object(mut all), Value::Object(more)) => {
                    all.extend(more);
                    Value::Object(all)
                }
                (_, last) => last,
            })
    }
}

/// The value a schema names itself: `example`, the first of `examples`, `const`,
/// `default`, or the first `enum` value.
fn given_value(schema: &Value) -> Option<Value> {
    if let Some(example) = schema.get("example") {
        return Some(example.clone());
    }
    if let Some(first) = schema
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|all| all.first())
    {
        return Some(first.clone());
    }
    for key in ["const", "default"] {
        if let Some(value) = schema.get(key) {
            return Some(value.clone());
        }
    }
    schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|all| all.first())
        .cloned()
}

/// The schema's type: its `type` (the first that is not `null`, when it is a list), or
/// what its keywords imply.
fn type_of(schema: &Value) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(kind)) => Some(kind),
        Some(Value::Array(kinds)) => {
            let named: Vec<&str> = kinds.iter().filter_map(Value::as_str).collect();
            named
                .iter()
                .find(|kind| **kind != "null")
                .or(named.first())
                .copied()
        }
        _ if schema.get("properties").is_some() => Some("object"),
        _ if schema.get("items").is_some() => Some("array"),
        _ => None,
    }
}

/// A string that fits the schema's `format`.
fn string_for(schema: &Value) -> &'static str {
    match schema.get("format").and_then(Value::as_str).unwrap_or("") {
        "date-time" => "2024-01-01T00:00:00Z",
        "date" => "2024-01-01",
        "time" => "00:00:00Z",
        "email" => "user@example.com",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "uri" | "url" | "uri-reference" => "https://example.com",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "U3dhZ2dlcg==",
        "binary" => "",
        "password" => "********",
        _ => "string",
    }
}

/// The schema's `minimum` when it has one, else zero.
fn number_for(schema: &Value, integer: bool) -> Value {
    match schema.get("minimum").and_then(Value::as_f64) {
        Some(minimum) if integer => Value::from(minimum.ceil() as i64),
        Some(minimum) => Value::from(minimum),
        None => Value::from(0),
    }
}

/// A value as a parameter's or a form field's text: strings as they are, arrays joined by
/// commas (the `form` style), anything else as JSON.
pub fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(as_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}
