//! Assertions on a response, one per line as a request file keeps them, so a change to one
//! is a one-line diff: `status == 200`, `header Content-Type contains json`,
//! `jq .items count == 3`, `jq ".items[] | .id" each is uuid`, `duration < 500ms`,
//! `size <= 10kb`, `jq .error not exists`. [`parse`] reads a line (saying at which column it
//! is wrong), [`evaluate`] checks it against a response and says what was expected, what came
//! and where. [`capture`] takes a subject's value as text, for a variable (through a regular expression
//! when [`parse_capture`] read one: `header Set-Cookie regex "sid=([^;]+)"`). No I/O and no
//! clock: the response, its duration included, is handed in.
//!
//! A line is `SUBJECT [count|each] PREDICATE [# NAME]`:
//! - SUBJECT: `status`, `duration` (milliseconds), `size` (body bytes), `body` (its text),
//!   `header NAME`, `jq FILTER` (a word, or quoted when it has spaces), `jsonpath PATH` (names,
//!   indexes and `[*]`: `$.items[*].id`);
//! - `count` checks how many values the subject has (an array's length, an object's keys, or
//!   how many values a filter gave); `each` checks every one of them;
//! - PREDICATE: `==`, `!=`, `<`, `<=`, `>`, `>=`, `contains`, `matches` and a VALUE (JSON: `200`,
//!   `"text"`, `true`, `null`; a duration `500ms`/`2s`; a size `10kb`/`1MiB`; or a bare word,
//!   taken as text), or `exists`, `not exists`, `type T` (null, boolean, number, integer,
//!   string, array, object), `is F` (uuid, date, email, url).

mod eval;
mod parse;
mod request;

pub use eval::{Checked, Response, capture, evaluate};
pub use parse::{
    Assertion, Capture, Op, ParseError, Predicate, Quantifier, RenderWord, Subject, is_plain_name,
    parse, parse_capture, parse_rule, parse_with, quote, split_name, unword, word,
};
pub use request::{AssertionResult, Values, check_all, take_captures};

#[cfg(test)]
mod tests;
