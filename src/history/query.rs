//! Which exchanges a list shows: [`ListFilter`], built by the command line's flags or from
//! what the user types over the TUI's history (`post 4xx users`), and the SQL it becomes.
//!
//! A typed query is words. A method's name keeps that method; `404` keeps that status and
//! `4xx` its class; every other word must be in the exchange's URL (anywhere in it) or be
//! the start of a word of its headers or text body (the full-text index), so the list narrows
//! as each letter is typed.

/// Which exchanges a list shows, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Only this request's (its `request_key`).
    pub request_key: Option<String>,
    /// Only exchanges to this URL.
    pub url: Option<String>,
    /// Words every shown exchange has in its URL, headers or text body (SQLite FTS5 syntax).
    pub text: Option<String>,
    /// Only this method (upper case).
    pub method: Option<String>,
    pub status: Option<StatusMatch>,
    /// Words typed: each is in the URL or starts a word of the headers or body.
    pub words: Vec<String>,
    pub limit: Option<usize>,
}

/// A status, or a class of them (`4xx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    Exactly(u16),
    /// The hundreds digit: 4 for `4xx`.
    Class(u16),
}

const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT",
];

impl ListFilter {
    /// The filter of a typed query (see the module's note); `limit` is left unset.
    pub fn typed(query: &str) -> ListFilter {
        let mut filter = ListFilter::default();
        for word in query.split_whitespace() {
            let upper = word.to_ascii_uppercase();
            if filter.method.is_none() && METHODS.contains(&upper.as_str()) {
                filter.method = Some(upper);
            } else if let Some(status) = status_of(word).filter(|_| filter.status.is_none()) {
                filter.status = Some(status);
            } else {
                filter.words.push(word.to_owned());
            }
        }
        filter
    }

    /// The SQL condition (after `WHERE`) and its values, in order.
    pub(super) fn condition(&self) -> (String, Vec<String>) {
        let mut sql = String::from("1 = 1");
        let mut values = Vec::new();
        let mut require = |clause: &str, new: Vec<String>| {
            sql.push_str(" AND ");
            sql.push_str(clause);
            values.extend(new);
        };
        if let Some(key) = &self.request_key {
            require("request_key = ?", vec![key.clone()]);
        }
        if let Some(url) = &self.url {
            require("url = ?", vec![url.clone()]);
        }
        if let Some(text) = &self.text {
            require(IN_TEXT, vec![text.clone()]);
        }
        if let Some(method) = &self.method {
            require("method = ?", vec![method.clone()]);
        }
        match self.status {
            Some(StatusMatch::Exactly(status)) => {
                require(&format!("status = {status}"), Vec::new());
            }
            Some(StatusMatch::Class(class)) => {
                let (low, high) = (class * 100, class * 100 + 99);
                require(&format!("status BETWEEN {low} AND {high}"), Vec::new());
            }
            None => {}
        }
        for word in &self.words {
            // The same word twice: once as a URL substring, once as an FTS prefix phrase.
            require(
                &format!("(url LIKE ? ESCAPE '\\' OR {IN_TEXT})"),
                vec![
                    format!("%{}%", like_escaped(word)),
                    format!("\"{}\"*", word.replace('"', "\"\"")),
                ],
            );
        }
        (sql, values)
    }
}

const IN_TEXT: &str = "id IN (SELECT rowid FROM exchange_text WHERE exchange_text MATCH ?)";

/// `404` or `4xx`.
fn status_of(word: &str) -> Option<StatusMatch> {
    let bytes = word.as_bytes();
    if bytes.len() != 3 || !(b'1'..=b'5').contains(&bytes[0]) {
        return None;
    }
    let class = u16::from(bytes[0] - b'0');
    if word[1..].eq_ignore_ascii_case("xx") {
        return Some(StatusMatch::Class(class));
    }
    word.parse().ok().map(StatusMatch::Exactly)
}

fn like_escaped(word: &str) -> String {
    word.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_query_is_a_method_a_status_and_words() {
        let filter = ListFilter::typed("post 4xx users/4 Bearer");
        assert_eq!(filter.method.as_deref(), Some("POST"));
        assert_eq!(filter.status, Some(StatusMatch::Class(4)));
        assert_eq!(filter.words, ["users/4", "Bearer"]);
        let filter = ListFilter::typed("404 get 200");
        assert_eq!(filter.status, Some(StatusMatch::Exactly(404)));
        assert_eq!(filter.words, ["200"], "a second status is a word");
        assert_eq!(ListFilter::typed("  "), ListFilter::default());
        assert_eq!(ListFilter::typed("4x1").words, ["4x1"]);
        assert_eq!(ListFilter::typed("999").words, ["999"]);
    }

    #[test]
    fn a_word_cannot_break_out_of_its_quotes() {
        let (sql, values) = ListFilter::typed(r#"a"b 100%_\"#).condition();
        assert_eq!(sql.matches('?').count(), values.len());
        assert!(values.contains(&r#""a""b"*"#.to_owned()), "{values:?}");
        assert!(values.contains(&r"%100\%\_\\%".to_owned()), "{values:?}");
    }
}
