//! Whether a value fits an OpenAPI schema (3.0's dialect and 3.1's JSON Schema, the keywords
//! descriptions use): `$ref` within the document, `type` (one or several; 3.0's `nullable`),
//! `enum`, `const`, `properties`, `required` (a `readOnly` property is not required of a
//! request), `additionalProperties`, `items`, `minItems`/`maxItems`, `uniqueItems`,
//! `minimum`/`maximum` and their exclusive forms (3.0's booleans and 3.1's numbers),
//! `multipleOf`, `minLength`/`maxLength`, `pattern`, `format` (`int32`, `int64`, `date`,
//! `date-time`, `email`, `uuid`), `allOf`, `anyOf`, `oneOf`, `not`. The first misfit is said
//! with where it is (`body.tags[1].name`). Other keywords are not checked.

use serde_json::Value;

/// How deep schemas may nest through `$ref`s and combinators before the check gives up
/// (a schema that refers to itself without the value going deeper).
const DEEPEST: usize = 64;

/// Where a value does not fit, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misfit {
    /// `body.category.id`, `query parameter limit`.
    pub at: String,
    pub message: String,
}

/// Schemas checked for one value at most: `oneOf`s of recursive schemas over a deep value
/// multiply; past this the rest is taken as fitting.
const MOST_CHECKS: usize = 100_000;

/// Checks `value` (at `at`) against `schema`, `$ref`s looked up in `document`.
pub fn check(value: &Value, schema: &Value, document: &Value, at: &str) -> Result<(), Misfit> {
    let checker = Checker {
        document,
        budget: std::cell::Cell::new(MOST_CHECKS),
    };
    checker.check(value, schema, at, 0)
}

struct Checker<'d> {
    document: &'d Value,
    budget: std::cell::Cell<usize>,
}

fn misfit(at: &str, message: String) -> Result<(), Misfit> {
    Err(Misfit {
        at: at.to_owned(),
        message,
    })
}

/// What a `$ref` within `document` points at (`#/components/schemas/Pet`, percent-encoded
/// or not); None for a reference to another file.
pub fn resolve<'d>(document: &'d Value, reference: &str) -> Option<&'d Value> {
    let pointer = reference.strip_prefix('#')?;
    let decoded = percent_encoding::percent_decode_str(pointer).decode_utf8_lossy();
    document.pointer(&decoded)
}

/// A value's JSON type as a schema names it (`integer` for whole numbers).
fn type_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A short showing of a value for a message.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

impl Checker<'_> {
    fn check(&self, value: &Value, schema: &Value, at: &str, depth: usize) -> Result<(), Misfit> {
        if depth > DEEPEST || self.budget.get() == 0 {
            return Ok(());
        }
        self.budget.set(self.budget.get() - 1);
        let Some(schema) = schema.as_object() else {
            // `true` (anything) or a schema this checker cannot read: nothing to hold to.
            return match schema {
                Value::Bool(false) => misfit(at, "nothing is allowed here".to_owned()),
                _ => Ok(()),
            };
        };
        if let Some(Value::String(reference)) = schema.get("$ref") {
            if let Some(target) = self.resolve(reference) {
                self.check(value, target, at, depth + 1)?;
            }
            // 3.0 ignores a `$ref`'s siblings; 3.1 applies them, which is the same when
            // there are none.
        }
        self.check_type(value, schema, at)?;
        self.check_enum(value, schema, at)?;
        self.check_combinators(value, schema, at, depth)?;
        match value {
            Value::Object(_) => self.check_object(value, schema, at, depth),
            Value::Array(items) => self.check_array(items, schema, at, depth),
            Value::String(text) => check_string(text, schema, at),
            Value::Number(_) => check_number(value, schema, at),
            _ => Ok(()),
        }
    }

    /// `#/components/schemas/Pet` in the document; None for anything else.
    fn resolve(&self, reference: &str) -> Option<&Value> {
        resolve(self.document, reference)
    }

    fn check_type(
        &self,
        value: &Value,
        schema: &serde_json::Map<String, Value>,
        at: &str,
    ) -> Result<(), Misfit> {
        let allowed: Vec<&str> = match schema.get("type") {
            Some(Value::String(one)) => vec![one.as_str()],
            Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
            _ => return Ok(()),
        };
        let nullable = schema.get("nullable") == Some(&Value::Bool(true));
        let actual = type_of(value);
        let fits = allowed.iter().any(|wanted| {
            *wanted == actual
                || (*wanted == "number" && actual == "integer")
                || (actual == "null" && nullable)
        });
        if fits {
            Ok(())
        } else {
            misfit(
                at,
                format!(
                    "expected {}, got {actual} {}",
                    allowed.join(" or "),
                    shown(value)
                ),
            )
        }
    }

    fn check_enum(
        &self,
        value: &Value,
        schema: &serde_json::Map<String, Value>,
        at: &str,
    ) -> Result<(), Misfit> {
        if let Some(Value::Array(options)) = schema.get("enum")
            && !options.contains(value)
        {
            let options: Vec<String> = options.iter().map(shown).collect();
            return misfit(
                at,
                format!("{} is not one of {}", shown(value), options.join(", ")),
            );
        }
        if let Some(constant) = schema.get("const")
            && constant != value
        {
            return misfit(
                at,
                format!("expected {}, got {}", shown(constant), shown(value)),
            );
        }
        Ok(())
    }

    fn check_combinators(
        &self,
        value: &Value,
        schema: &serde_json::Map<String, Value>,
        at: &str,
        depth: usize,
    ) -> Result<(), Misfit> {
        let list = |key: &str| match schema.get(key) {
            Some(Value::Array(schemas)) => schemas.as_slice(),
            _ => &[],
        };
        for part in list("allOf") {
            self.check(value, part, at, depth + 1)?;
        }
        let fitting = |key: &str| {
            list(key)
                .iter()
                .filter(|part| self.check(value, part, at, depth + 1).is_ok())
                .count()
        };
        if !list("anyOf").is_empty() && fitting("anyOf") == 0 {
            return misfit(at, "fits none of the schemas of anyOf".to_owned());
        }
        if !list("oneOf").is_empty() {
            let count = fitting("oneOf");
            if count != 1 {
                return misfit(at, format!("fits {count} of the schemas of oneOf, not one"));
            }
        }
        if let Some(not) = schema.get("not")
            && self.check(value, not, at, depth + 1).is_ok()
        {
            return misfit(at, "fits the schema it must not (not)".to_owned());
        }
        Ok(())
    }

    fn check_object(
        &self,
        value: &Value,
        schema: &serde_json::Map<String, Value>,
        at: &str,
        depth: usize,
    ) -> Result<(), Misfit> {
        let Value::Object(fields) = value else {
            return Ok(());
        };
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            let read_only = properties
                .and_then(|p| p.get(name))
                .and_then(|p| p.get("readOnly"))
                == Some(&Value::Bool(true));
            if !fields.contains_key(name) && !read_only {
                return misfit(at, format!("`{name}` is required"));
            }
        }
        for (name, field) in fields {
            let place = format!("{at}.{name}");
            match properties.and_then(|p| p.get(name)) {
                Some(property) => self.check(field, property, &place, depth + 1)?,
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        return misfit(at, format!("`{name}` is not a property it has"));
                    }
                    Some(extra @ Value::Object(_)) => {
                        self.check(field, extra, &place, depth + 1)?;
                    }
                    _ => {}
                },
            }
        }
        Ok(())
    }

    fn check_array(
        &self,
        items: &[Value],
        schema: &serde_json::Map<String, Value>,
        at: &str,
        depth: usize,
    ) -> Result<(), Misfit> {
        let bound = |key: &str| schema.get(key).and_then(Value::as_u64);
        if let Some(least) = bound("minItems")
            && (items.len() as u64) < least
        {
            return misfit(at, format!("{} items, fewer than {least}", items.len()));
        }
        if let Some(most) = bound("maxItems")
            && (items.len() as u64) > most
        {
            return misfit(at, format!("{} items, more than {most}", items.len()));
        }
        if schema.get("uniqueItems") == Some(&Value::Bool(true)) {
            let mut seen = std::collections::HashSet::new();
            for (index, item) in items.iter().enumerate() {
                if !seen.insert(item.to_string()) {
                    return misfit(
                        &format!("{at}[{index}]"),
                        "repeats an earlier item".to_owned(),
                    );
                }
            }
        }
        if let Some(each) = schema.get("items") {
            for (index, item) in items.iter().enumerate() {
                self.check(item, each, &format!("{at}[{index}]"), depth + 1)?;
            }
        }
        Ok(())
    }
}

fn check_string(
    text: &str,
    schema: &serde_json::Map<String, Value>,
    at: &str,
) -> Result<(), Misfit> {
    let length = text.chars().count() as u64;
    let bound = |key: &str| schema.get(key).and_then(Value::as_u64);
    if let Some(least) = bound("minLength")
        && length < least
    {
        return misfit(at, format!("{length} characters, fewer than {least}"));
    }
    if let Some(most) = bound("maxLength")
        && length > most
    {
        return misfit(at, format!("{length} characters, more than {most}"));
    }
    if let Some(Value::String(pattern)) = schema.get("pattern")
        && let Ok(regex) = regex::Regex::new(pattern)
        && !regex.is_match(text)
    {
        return misfit(at, format!("{} does not match {pattern}", shown_text(text)));
    }
    let format = schema.get("format").and_then(Value::as_str);
    let fits = match format {
        Some("date") => jiff::civil::Date::strptime("%Y-%m-%d", text).is_ok(),
        Some("date-time") => text.parse::<jiff::Timestamp>().is_ok(),
        Some("uuid") => is_uuid(text),
        Some("email") => text
            .split_once('@')
            .is_some_and(|(who, host)| !who.is_empty() && host.contains('.')),
        _ => true,
    };
    if fits {
        Ok(())
    } else {
        misfit(
            at,
            format!(
                "{} is not a {}",
                shown_text(text),
                format.unwrap_or_default()
            ),
        )
    }
}

fn shown_text(text: &str) -> String {
    shown(&Value::String(text.to_owned()))
}

fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(at, c)| match at {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn check_number(
    value: &Value,
    schema: &serde_json::Map<String, Value>,
    at: &str,
) -> Result<(), Misfit> {
    let Some(number) = value.as_f64() else {
        return Ok(());
    };
    let limit = |key: &str| schema.get(key).and_then(Value::as_f64);
    let flag = |key: &str| schema.get(key) == Some(&Value::Bool(true));
    if let Some(least) = limit("minimum") {
        let exclusive = flag("exclusiveMinimum");
        if number < least || (exclusive && number == least) {
            return misfit(at, format!("{number} is below the minimum {least}"));
        }
    }
    if let Some(most) = limit("maximum") {
        let exclusive = flag("exclusiveMaximum");
        if number > most || (exclusive && number == most) {
            return misfit(at, format!("{number} is above the maximum {most}"));
        }
    }
    if let Some(least) = limit("exclusiveMinimum")
        && number <= least
    {
        return misfit(at, format!("{number} is not above {least}"));
    }
    if let Some(most) = limit("exclusiveMaximum")
        && number >= most
    {
        return misfit(at, format!("{number} is not below {most}"));
    }
    if let Some(step) = limit("multipleOf")
        && step > 0.0
        && ((number / step).round() * step - number).abs() > 1e-9 * number.abs().max(1.0)
    {
        return misfit(at, format!("{number} is not a multiple of {step}"));
    }
    let range = match schema.get("format").and_then(Value::as_str) {
        Some("int32") => Some((f64::from(i32::MIN), f64::from(i32::MAX))),
        Some("int64") => Some((i64::MIN as f64, i64::MAX as f64)),
        _ => None,
    };
    if let Some((least, most)) = range
        && !(least..=most).contains(&number)
    {
        return misfit(at, format!("{number} does not fit its format"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Value {
        json!({"components": {"schemas": {
            "Pet": {
                "type": "object",
                "required": ["name", "photoUrls", "id"],
                "properties": {
                    "id": {"type": "integer", "format": "int64", "readOnly": true},
                    "name": {"type": "string", "minLength": 1},
                    "status": {"type": "string", "enum": ["available", "sold"]},
                    "photoUrls": {"type": "array", "items": {"type": "string"}},
                    "category": {"$ref": "#/components/schemas/Category"},
                    "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Pet/properties/category"}}
                }
            },
            "Category": {"type": "object", "properties": {"id": {"type": "integer", "minimum": 1}}, "additionalProperties": false}
        }}})
    }

    fn at(value: Value) -> Result<(), Misfit> {
        let document = document();
        let schema = json!({"$ref": "#/components/schemas/Pet"});
        check(&value, &schema, &document, "body")
    }

    #[test]
    fn a_fitting_value_passes_and_read_only_is_not_required() {
        assert_eq!(
            at(json!({"name": "Rex", "photoUrls": [], "status": "sold", "category": {"id": 2}})),
            Ok(())
        );
    }

    #[test]
    fn each_misfit_says_where_and_how() {
        let cases = [
            (json!({"photoUrls": []}), "body", "`name` is required"),
            (
                json!({"name": 3, "photoUrls": []}),
                "body.name",
                "expected string, got integer 3",
            ),
            (
                json!({"name": "", "photoUrls": []}),
                "body.name",
                "0 characters, fewer than 1",
            ),
            (
                json!({"name": "a", "photoUrls": [1]}),
                "body.photoUrls[0]",
                "expected string",
            ),
            (
                json!({"name": "a", "photoUrls": [], "status": "gone"}),
                "body.status",
                "is not one of",
            ),
            (
                json!({"name": "a", "photoUrls": [], "category": {"id": 0}}),
                "body.category.id",
                "below the minimum",
            ),
            (
                json!({"name": "a", "photoUrls": [], "category": {"x": 1}}),
                "body.category",
                "`x` is not a property",
            ),
            (
                json!({"name": "a", "photoUrls": [], "tags": [{"id": 1}, {"id": "a"}]}),
                "body.tags[1].id",
                "expected integer",
            ),
            (json!([1]), "body", "expected object, got array"),
        ];
        for (value, place, words) in cases {
            let misfit = at(value.clone()).expect_err(&value.to_string());
            assert_eq!(misfit.at, place, "{value}");
            assert!(
                misfit.message.contains(words),
                "{value}: {}",
                misfit.message
            );
        }
    }

    #[test]
    fn combinators_formats_and_nullable() {
        let document = json!({});
        let schema = json!({"oneOf": [{"type": "string", "format": "uuid"}, {"type": "integer"}]});
        assert!(check(&json!(5), &schema, &document, "x").is_ok());
        assert!(check(&json!("nope"), &schema, &document, "x").is_err());
        let nullable = json!({"type": "string", "nullable": true});
        assert!(check(&Value::Null, &nullable, &document, "x").is_ok());
        let date = json!({"type": "string", "format": "date-time"});
        assert!(check(&json!("2026-12-04T10:00:00Z"), &date, &document, "x").is_ok());
        assert!(check(&json!("yesterday"), &date, &document, "x").is_err());
        let itself = json!({"$ref": "#"});
        assert!(
            check(&json!(1), &itself, &itself, "x").is_ok(),
            "a cycle ends"
        );
    }
}
