//! The name/value rows the request pane edits as a table: query parameters, headers, the
//! request's own variables (path parameters such as `{{id}}` among them), form fields and
//! multipart parts. A multipart part is shown and typed the way curl's `-F` takes
//! it, so there is one thing to learn: `text` for a field, `@path` for a file (streamed from
//! disk when sent), `@path;type=image/png` to give the file's content type.

use super::RequestTab;
use crate::model::{Body, KeyValue, MultipartPart, Variables};
use crate::store::LoadedRequest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairList {
    Query,
    Headers,
    /// The request's own variables: no on/off, a name given once.
    Variables,
    Form,
    Parts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairField {
    Name,
    Value,
}

/// One row as shown and edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub name: String,
    pub value: String,
    pub enabled: bool,
}

/// The list the current tab edits, if it is a table.
pub fn pair_list(tab: RequestTab, request: &LoadedRequest) -> Option<PairList> {
    match (tab, &request.request.body) {
        (RequestTab::Params, _) => Some(PairList::Query),
        (RequestTab::Headers, _) => Some(PairList::Headers),
        (RequestTab::Vars, _) => Some(PairList::Variables),
        (RequestTab::Body, Body::Form { .. }) => Some(PairList::Form),
        (RequestTab::Body, Body::Multipart { .. }) => Some(PairList::Parts),
        _ => None,
    }
}

pub fn rows(request: &LoadedRequest, list: PairList) -> Vec<Row> {
    let from_pair = |pair: &KeyValue| Row {
        name: pair.name.clone(),
        value: pair.value.clone(),
        enabled: pair.enabled,
    };
    match (list, &request.request.body) {
        (PairList::Query, _) => request.request.query.iter().map(from_pair).collect(),
        (PairList::Headers, _) => request.request.headers.iter().map(from_pair).collect(),
        (PairList::Variables, _) => request
            .request
            .variables
            .iter()
            .map(|(name, value)| Row {
                name: name.clone(),
                value: value.clone(),
                enabled: true,
            })
            .collect(),
        (PairList::Form, Body::Form { fields }) => fields.iter().map(from_pair).collect(),
        (PairList::Parts, Body::Multipart { parts }) => parts
            .iter()
            .map(|part| Row {
                name: part.name.clone(),
                value: part_value(part),
                enabled: part.enabled,
            })
            .collect(),
        _ => Vec::new(),
    }
}

pub fn len(request: &LoadedRequest, list: PairList) -> usize {
    rows(request, list).len()
}

/// The request's rows of `list`, for changing them.
enum RowsMut<'a> {
    Pairs(&'a mut Vec<KeyValue>),
    Variables(&'a mut Variables),
    Parts(&'a mut Vec<MultipartPart>),
}

fn rows_mut(request: &mut LoadedRequest, list: PairList) -> Option<RowsMut<'_>> {
    match (list, &mut request.request.body) {
        (PairList::Query, _) => Some(RowsMut::Pairs(&mut request.request.query)),
        (PairList::Headers, _) => Some(RowsMut::Pairs(&mut request.request.headers)),
        (PairList::Variables, _) => Some(RowsMut::Variables(&mut request.request.variables)),
        (PairList::Form, Body::Form { fields }) => Some(RowsMut::Pairs(fields)),
        (PairList::Parts, Body::Multipart { parts }) => Some(RowsMut::Parts(parts)),
        _ => None,
    }
}

/// Inserts an empty row at `at` (clamped); returns where it went.
pub fn insert_empty(request: &mut LoadedRequest, list: PairList, at: usize) -> Option<usize> {
    match rows_mut(request, list)? {
        RowsMut::Pairs(rows) => {
            let at = at.min(rows.len());
            rows.insert(at, KeyValue::new("", ""));
            Some(at)
        }
        RowsMut::Parts(rows) => {
            let at = at.min(rows.len());
            rows.insert(at, set_part_value(String::new(), ""));
            Some(at)
        }
        RowsMut::Variables(variables) => {
            // A name is given once: a second empty row is the first one, moved.
            // (An existing key moves to a place that must already be there.)
            let last = variables.len() - usize::from(variables.contains_key(""));
            variables.shift_insert(at.min(last), String::new(), String::new());
            variables.get_index_of("")
        }
    }
}

pub fn remove(request: &mut LoadedRequest, list: PairList, at: usize) -> bool {
    match rows_mut(request, list) {
        Some(RowsMut::Pairs(rows)) if at < rows.len() => {
            rows.remove(at);
            true
        }
        Some(RowsMut::Parts(rows)) if at < rows.len() => {
            rows.remove(at);
            true
        }
        Some(RowsMut::Variables(variables)) => variables.shift_remove_index(at).is_some(),
        _ => false,
    }
}

pub fn toggle(request: &mut LoadedRequest, list: PairList, at: usize) -> bool {
    let enabled = match rows_mut(request, list) {
        Some(RowsMut::Pairs(rows)) => rows.get_mut(at).map(|r| &mut r.enabled),
        Some(RowsMut::Parts(rows)) => rows.get_mut(at).map(|r| &mut r.enabled),
        // A variable is there or not: it has no off.
        Some(RowsMut::Variables(_)) | None => None,
    };
    match enabled {
        Some(enabled) => {
            *enabled = !*enabled;
            true
        }
        None => false,
    }
}

/// Sets a row's name or value to `text`; returns whether that changed it.
pub fn set(
    request: &mut LoadedRequest,
    list: PairList,
    at: usize,
    field: PairField,
    text: &str,
) -> bool {
    match rows_mut(request, list) {
        Some(RowsMut::Pairs(rows)) => {
            let Some(pair) = rows.get_mut(at) else {
                return false;
            };
            let slot = match field {
                PairField::Name => &mut pair.name,
                PairField::Value => &mut pair.value,
            };
            let changed = slot != text;
            text.clone_into(slot);
            changed
        }
        Some(RowsMut::Parts(rows)) => {
            let Some(part) = rows.get_mut(at) else {
                return false;
            };
            let before = part.clone();
            match field {
                PairField::Name => text.clone_into(&mut part.name),
                PairField::Value => {
                    let updated = set_part_value(part.name.clone(), text);
                    part.value = updated.value;
                    part.file = updated.file;
                    part.content_type = updated.content_type;
                }
            }
            *part != before
        }
        Some(RowsMut::Variables(variables)) => set_variable(variables, at, field, text),
        None => false,
    }
}

/// Renames or sets the variable at `at`, keeping its place; a name another row has already
/// takes that row's place's value away (a name is given once).
fn set_variable(variables: &mut Variables, at: usize, field: PairField, text: &str) -> bool {
    match field {
        PairField::Value => match variables.get_index_mut(at) {
            Some((_, value)) if value != text => {
                text.clone_into(value);
                true
            }
            _ => false,
        },
        PairField::Name => {
            let Some((name, _)) = variables.get_index(at) else {
                return false;
            };
            if name == text {
                return false;
            }
            let Some((_, value)) = variables.shift_remove_index(at) else {
                return false;
            };
            variables.shift_remove(text);
            let at = at.min(variables.len());
            variables.shift_insert(at, text.to_owned(), value);
            true
        }
    }
}

/// A part's value as curl's `-F` writes it.
pub fn part_value(part: &MultipartPart) -> String {
    match (&part.file, &part.content_type) {
        (Some(file), Some(content_type)) => format!("@{file};type={content_type}"),
        (Some(file), None) => format!("@{file}"),
        (None, _) => part.value.clone().unwrap_or_default(),
    }
}

/// A part from its name and a value typed as for curl's `-F`. A text value is kept exactly as
/// typed (`;type=` is read only after a file); its content type is set in the file.
fn set_part_value(name: String, text: &str) -> MultipartPart {
    let (value, file, content_type) = match text.strip_prefix('@') {
        Some(file) => match file.rsplit_once(";type=") {
            Some((file, content_type)) => (
                None,
                Some(file.to_owned()),
                Some(content_type.to_owned()).filter(|t| !t.is_empty()),
            ),
            None => (None, Some(file.to_owned()), None),
        },
        None => (Some(text.to_owned()), None, None),
    };
    MultipartPart {
        name,
        value,
        file,
        content_type,
        enabled: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_added_renamed_set_and_removed_in_place() {
        let mut request = LoadedRequest {
            path: "r.json".into(),
            request: crate::model::Request::new(
                "r",
                crate::model::Method::get(),
                "{{base}}/pets/{{id}}",
            ),
            body_text: None,
        };
        request.request.variables.insert("id".into(), "7".into());
        request
            .request
            .variables
            .insert("kind".into(), "dog".into());
        let list = PairList::Variables;
        assert_eq!(insert_empty(&mut request, list, 1), Some(1));
        assert_eq!(
            insert_empty(&mut request, list, 3),
            Some(2),
            "one empty row, moved"
        );
        assert!(set(&mut request, list, 2, PairField::Name, "limit"));
        assert!(set(&mut request, list, 2, PairField::Value, "10"));
        assert!(set(&mut request, list, 0, PairField::Name, "petId"));
        let names: Vec<(&str, &str)> = request
            .request
            .variables
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(names, [("petId", "7"), ("kind", "dog"), ("limit", "10")]);
        assert!(
            set(&mut request, list, 2, PairField::Name, "kind"),
            "a name given twice keeps one row"
        );
        assert_eq!(request.request.variables.len(), 2);
        assert!(!toggle(&mut request, list, 0), "a variable has no off");
        assert!(remove(&mut request, list, 0));
        assert_eq!(
            request.request.variables.keys().collect::<Vec<_>>(),
            ["kind"]
        );
        assert!(!remove(&mut request, list, 5));
    }

    #[test]
    fn a_part_value_reads_and_writes_like_curl_dash_f() {
        let part = set_part_value("photo".into(), "@pics/cat.png;type=image/png");
        assert_eq!(part.file.as_deref(), Some("pics/cat.png"));
        assert_eq!(part.content_type.as_deref(), Some("image/png"));
        assert_eq!(part.value, None);
        assert_eq!(part_value(&part), "@pics/cat.png;type=image/png");
        let text = set_part_value("note".into(), "a;type=b");
        assert_eq!(
            text.value.as_deref(),
            Some("a;type=b"),
            "text is kept as typed"
        );
        assert_eq!(text.file, None);
        let file = set_part_value("f".into(), "@data.bin");
        assert_eq!(
            (file.file.as_deref(), file.content_type),
            (Some("data.bin"), None)
        );
    }
}
