//! Unsaved edits. Editing a request changes a draft — a full copy of the request and its body
//! — never the loaded original, so "dirty" is simply "the draft differs from what is on disk".
//! Also here: the URL line as the user sees it, with the enabled query parameters folded in,
//! and its inverse, so the URL and the Params table stay in step.

use crate::model::{KeyValue, Request};

/// The URL as shown and edited: the request's URL followed by its enabled query parameters,
/// written as they are (templates and all).
pub fn display_url(request: &Request) -> String {
    let pairs: Vec<String> = request
        .query
        .iter()
        .filter(|pair| pair.enabled)
        .map(|pair| {
            if pair.value.is_empty() {
                pair.name.clone()
            } else {
                format!("{}={}", pair.name, pair.value)
            }
        })
        .collect();
    if pairs.is_empty() {
        return request.url.clone();
    }
    let joiner = if request.url.contains('?') { '&' } else { '?' };
    format!("{}{joiner}{}", request.url, pairs.join("&"))
}

/// Takes an edited URL line apart: the part before `?` becomes the URL, the pairs after it
/// replace the enabled query parameters; disabled parameters stay, after them.
pub fn apply_display_url(request: &mut Request, line: &str) {
    let (base, query) = match line.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (line, None),
    };
    request.url = base.to_owned();
    let mut pairs: Vec<KeyValue> = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|piece| !piece.is_empty())
        .map(|piece| match piece.split_once('=') {
            Some((name, value)) => KeyValue::new(name, value),
            None => KeyValue::new(piece, ""),
        })
        .collect();
    pairs.extend(request.query.iter().filter(|pair| !pair.enabled).cloned());
    request.query = pairs;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Method;

    fn request(url: &str, query: &[(&str, &str, bool)]) -> Request {
        let mut request = Request::new("r", Method::get(), url);
        request.query = query
            .iter()
            .map(|(n, v, enabled)| KeyValue {
                name: (*n).into(),
                value: (*v).into(),
                enabled: *enabled,
            })
            .collect();
        request
    }

    #[test]
    fn enabled_parameters_show_in_the_url() {
        let r = request(
            "{{base}}/echo",
            &[
                ("page", "2", true),
                ("debug", "1", false),
                ("flag", "", true),
            ],
        );
        assert_eq!(display_url(&r), "{{base}}/echo?page=2&flag");
        assert_eq!(
            display_url(&request("http://h/?a=1", &[("b", "2", true)])),
            "http://h/?a=1&b=2"
        );
    }

    #[test]
    fn editing_the_url_rewrites_the_enabled_parameters_and_keeps_disabled_ones() {
        let mut r = request(
            "{{base}}/echo",
            &[("page", "2", true), ("debug", "1", false)],
        );
        apply_display_url(&mut r, "{{base}}/users?page=3&sort={{order}}");
        assert_eq!(r.url, "{{base}}/users");
        let names: Vec<(&str, &str, bool)> = r
            .query
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str(), p.enabled))
            .collect();
        assert_eq!(
            names,
            [
                ("page", "3", true),
                ("sort", "{{order}}", true),
                ("debug", "1", false)
            ]
        );
        assert_eq!(display_url(&r), "{{base}}/users?page=3&sort={{order}}");
        apply_display_url(&mut r, "{{base}}/users");
        assert_eq!(r.query.len(), 1, "only the disabled one is left");
    }
}
