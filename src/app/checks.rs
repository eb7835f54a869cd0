//! The response pane's Tests tab: each send's assertion results (the runtime checks a whole
//! response against its request's `asserts` and takes its `captures`), captured values set as
//! session values so the requests sent after it use them, and `a`, which adds an assertion on
//! the JSON value under the cursor (at its path, equal to what came) to the request's draft.

use crate::body::json_path::{LineValue, PathAt};
use crate::body::store::{BodyKind, lock};
use crate::check::AssertionResult;
use crate::http::ExchangeId;

use super::{App, Cmd, ResponseTab};

/// A response checked against its request's assertions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tests {
    pub results: Vec<AssertionResult>,
    /// The captures taken, as (variable, value): now session values.
    pub captured: Vec<(String, String)>,
}

impl Tests {
    pub fn failed(&self) -> usize {
        self.results.iter().filter(|r| !r.passed).count()
    }
}

impl App {
    /// The selected request's assertion lines that `response` was not checked against (added
    /// since it was sent).
    pub fn unchecked_assertions(&self, response: &super::ResponseView) -> Vec<String> {
        let Some(tests) = &response.tests else {
            return Vec::new();
        };
        let Some(request) = self.selected_request().and_then(|p| self.request_view(p)) else {
            return Vec::new();
        };
        request
            .request
            .asserts
            .iter()
            .filter(|line| {
                let (line, _) = crate::check::split_name(line);
                !tests.results.iter().any(|r| r.line == line.trim())
            })
            .cloned()
            .collect()
    }

    pub(super) fn on_checked(
        &mut self,
        exchange: ExchangeId,
        results: Vec<AssertionResult>,
        captured: Vec<(String, String)>,
    ) {
        // A capture is a session value from now on, like one set with Ctrl-G.
        for (name, value) in &captured {
            self.scopes.session.insert(name.clone(), value.clone());
        }
        if let Some(response) = self.sends.by_exchange_mut(exchange) {
            response.tests = Some(Tests { results, captured });
        }
    }

    /// `a` in the response pane: asks the runtime for the value and path on the cursor's line.
    pub(super) fn assert_at_cursor(&mut self) -> Vec<Cmd> {
        let tab = self.inspector.tab;
        let Some(path) = self.selected_request().map(std::path::Path::to_owned) else {
            return Vec::new();
        };
        let Some(response) = self.sends.get_mut(&path) else {
            return Vec::new();
        };
        let json = {
            let body = lock(&response.body);
            tab == ResponseTab::Pretty
                && response.jq.is_none()
                && body.kind == Some(BodyKind::Json)
                && body.shows_pretty()
        };
        if !json {
            self.notice = Some(
                "Put the cursor on a line of pretty JSON (the Pretty view) to assert on its value."
                    .to_owned(),
            );
            return Vec::new();
        }
        let cursor = response.cursor_in(&lock(&response.body), tab);
        vec![Cmd::ValueAt {
            exchange: response.exchange,
            line: response.to_logical(cursor),
        }]
    }

    /// The value on the cursor's line came: its assertion goes into the request's draft.
    pub(super) fn on_value_at(&mut self, exchange: ExchangeId, found: Option<PathAt>) -> Vec<Cmd> {
        let Some(found) = found else {
            self.notice = Some("There is no value on this line to assert on.".to_owned());
            return Vec::new();
        };
        let Some(path) = self
            .sends
            .request_of(exchange)
            .map(std::path::Path::to_owned)
        else {
            return Vec::new();
        };
        let line = assertion_for(&found);
        let Some(draft) = self.requests.draft_mut(&path) else {
            return Vec::new();
        };
        if draft.request.asserts.contains(&line) {
            self.notice = Some(format!("The request already asserts `{line}`."));
            return Vec::new();
        }
        draft.request.asserts.push(line.clone());
        self.notice = Some(format!(
            "Added `{line}` to the request's assertions (the Tests tab; Ctrl-S saves)."
        ));
        vec![Cmd::DraftsChanged]
    }
}

/// The assertion that the value found holds: equal for a string, number, boolean or null,
/// its type for an object or an array.
pub fn assertion_for(found: &PathAt) -> String {
    let path = crate::check::word(&found.path);
    match &found.value {
        LineValue::Object => format!("jq {path} type object"),
        LineValue::Array => format!("jq {path} type array"),
        LineValue::Scalar(json) => match serde_json::from_str::<serde_json::Value>(json) {
            // A line break or tab cannot be written in an assertion's quotes; jq's own string
            // literal can.
            Ok(serde_json::Value::String(text)) if text.contains(char::is_control) => {
                let filter = format!("{} == {json}", found.path);
                format!("jq {} == true", crate::check::word(&filter))
            }
            Ok(serde_json::Value::String(text)) => {
                format!("jq {path} == {}", crate::check::quote(&text))
            }
            _ => format!("jq {path} == {json}"),
        },
    }
}
