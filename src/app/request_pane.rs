//! Editing a request in the request pane: which row of the current tab is selected, what is
//! being edited (the URL, a name or value, the body, an option) and the method picker. Every
//! keystroke applies to the request's draft at once, so the draft is always what the screen
//! shows; leaving an editor (Esc or Enter) only ends the editing.

use super::RequestTab;
use super::auth_tab::{self, AuthField};
use super::draft::{apply_display_url, display_url};
use super::editor::{Pos, SearchQuery, TextEditor};
pub use super::options_tab::OptionItem;
use super::options_tab::{cycle_option, set_option};
use super::rows;
pub use super::rows::{PairField, PairList, pair_list};
use crate::model::Body;
use crate::store::LoadedRequest;

/// Methods the picker offers; any other token can be typed into a file.
pub const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

#[derive(Debug, Clone, Default)]
pub struct RequestPane {
    /// The tab shown; stays as the user moves between requests.
    pub tab: super::RequestTab,
    /// The selected row of the current tab's list.
    pub row: usize,
    pub editing: Option<Editing>,
    /// The method picker, open, with its highlighted choice.
    pub method_picker: Option<usize>,
    /// The body-kind picker, open, with its highlighted choice.
    pub kind_picker: Option<usize>,
    /// Why the text being edited is not applied (an option that does not parse).
    pub error: Option<String>,
    /// The find prompt over the body editor (Ctrl-F), while open.
    pub search: Option<SearchPrompt>,
    /// The last search: F3 repeats it, and its matches are highlighted.
    pub last_search: Option<SearchQuery>,
    /// Soft wrap of long body lines (Alt-Z); stays as the user moves between requests.
    pub wrap: bool,
    /// The saved WebSocket message last put in the body (`Ctrl-O` `e`): its request and
    /// name, the name `s` suggests for saving it back.
    pub message_in_body: Option<(std::path::PathBuf, String)>,
    /// Courier's own clipboard: what Ctrl-C or Ctrl-X took last, which Ctrl-V pastes.
    pub register: Option<String>,
    /// Text the last key copied, for the app to put on the system clipboard too.
    pub copied: Option<String>,
    /// Esc was pressed once on variables that do not parse: the next Esc leaves without them.
    pub leaving: bool,
    /// The body editor's text area on screen (columns, rows), set by the app from the layout
    /// before each key so scrolling follows the cursor.
    pub body_view: (usize, usize),
    /// The Examples tab's list, for the request it was read for.
    pub examples: Option<super::examples::ExamplesList>,
}

/// The find prompt: what is typed, and where the search started, so the match stays put as
/// the query grows.
#[derive(Debug, Clone)]
pub struct SearchPrompt {
    pub input: TextEditor,
    pub origin: Pos,
    pub found: bool,
}

#[derive(Debug, Clone)]
pub enum Editing {
    Url(TextEditor),
    Pair {
        list: PairList,
        row: usize,
        field: PairField,
        editor: TextEditor,
    },
    Body(TextEditor),
    Option {
        item: OptionItem,
        editor: TextEditor,
    },
    /// The path of the file a binary body sends.
    BinaryFile(TextEditor),
    /// A GraphQL body's variables, as JSON.
    Variables(TextEditor),
    /// A field of the Auth tab.
    Auth {
        field: AuthField,
        editor: TextEditor,
    },
}

impl Editing {
    pub fn editor(&self) -> &TextEditor {
        match self {
            Editing::Url(editor)
            | Editing::Body(editor)
            | Editing::BinaryFile(editor)
            | Editing::Variables(editor)
            | Editing::Pair { editor, .. }
            | Editing::Auth { editor, .. }
            | Editing::Option { editor, .. } => editor,
        }
    }

    pub fn editor_mut(&mut self) -> &mut TextEditor {
        match self {
            Editing::Url(editor)
            | Editing::Body(editor)
            | Editing::BinaryFile(editor)
            | Editing::Variables(editor)
            | Editing::Pair { editor, .. }
            | Editing::Auth { editor, .. }
            | Editing::Option { editor, .. } => editor,
        }
    }
}

/// How many rows the current tab lists (for moving the selection).
pub fn row_count(tab: RequestTab, request: &LoadedRequest) -> usize {
    match tab {
        RequestTab::Options => OptionItem::ALL.len(),
        RequestTab::Auth => auth_tab::fields(&request.request.auth).len(),
        // Each line is a row to scroll by.
        RequestTab::Docs => request.request.description.lines().count(),
        _ => pair_list(tab, request).map_or(0, |list| rows::len(request, list)),
    }
}

impl RequestPane {
    /// A pane for another request: what belongs to the old request goes, the user's
    /// preferences (wrap, the clipboard, the last search) stay.
    pub fn reset(&mut self) {
        *self = RequestPane {
            tab: self.tab,
            wrap: self.wrap,
            register: self.register.take(),
            last_search: self.last_search.take(),
            body_view: self.body_view,
            // Keyed by its request: it holds when the user comes back to that one.
            message_in_body: self.message_in_body.take(),
            ..RequestPane::default()
        };
    }

    pub fn is_busy(&self) -> bool {
        self.editing.is_some() || self.method_picker.is_some() || self.kind_picker.is_some()
    }

    pub fn edit_url(&mut self, request: &LoadedRequest) {
        self.editing = Some(Editing::Url(TextEditor::single_line(&display_url(
            &request.request,
        ))));
    }

    pub fn open_method_picker(&mut self, request: &LoadedRequest) {
        let current = METHODS
            .iter()
            .position(|m| *m == request.request.method.as_str())
            .unwrap_or(0);
        self.method_picker = Some(current);
    }

    /// Opens the editor on a GraphQL body's variables, pretty-printed.
    pub fn edit_variables(&mut self, request: &LoadedRequest) {
        let Body::Graphql { variables, .. } = &request.request.body else {
            return;
        };
        let text = variables
            .as_ref()
            .and_then(|v| serde_json::to_string_pretty(v).ok())
            .unwrap_or_default();
        self.editing = Some(Editing::Variables(
            TextEditor::multi_line(&text).with_pairing(),
        ));
        self.leaving = false;
    }

    /// Adds an empty pair after the selected row and starts editing its name.
    pub fn add_row(&mut self, tab: RequestTab, request: &mut LoadedRequest) -> bool {
        let Some(list) = pair_list(tab, request) else {
            return false;
        };
        let at = if rows::len(request, list) == 0 {
            0
        } else {
            self.row + 1
        };
        let Some(at) = rows::insert_empty(request, list, at) else {
            return false;
        };
        self.row = at;
        self.editing = Some(Editing::Pair {
            list,
            row: at,
            field: PairField::Name,
            editor: TextEditor::single_line(""),
        });
        true
    }

    /// Enter on the current tab: edit the selected pair, the body, or an option.
    pub fn activate(&mut self, tab: RequestTab, request: &mut LoadedRequest) -> bool {
        if let Some(list) = pair_list(tab, request) {
            let Some(row) = rows::rows(request, list).into_iter().nth(self.row) else {
                return false;
            };
            let editor = TextEditor::single_line(&row.name);
            self.editing = Some(Editing::Pair {
                list,
                row: self.row,
                field: PairField::Name,
                editor,
            });
            return false;
        }
        match tab {
            RequestTab::Body if request.request.body.sidecar().is_some() => {
                let text = request.body_text.clone().unwrap_or_default();
                let editor = TextEditor::multi_line(&text);
                let structured = matches!(
                    request.request.body,
                    Body::Json { .. } | Body::Graphql { .. }
                );
                self.editing = Some(Editing::Body(if structured {
                    editor.with_pairing()
                } else {
                    editor
                }));
                false
            }
            RequestTab::Body => {
                if let Body::Binary { file, .. } = &request.request.body {
                    self.editing = Some(Editing::BinaryFile(TextEditor::single_line(file)));
                }
                false
            }
            RequestTab::Auth => {
                let auth = &mut request.request.auth;
                let Some(field) = auth_tab::fields(auth).get(self.row).copied() else {
                    return false;
                };
                if field.cycles() {
                    auth_tab::cycle(auth, field);
                    return true;
                }
                self.editing = Some(Editing::Auth {
                    field,
                    editor: TextEditor::single_line(&auth_tab::value(auth, field)),
                });
                false
            }
            RequestTab::Options => {
                let Some(item) = OptionItem::ALL.get(self.row).copied() else {
                    return false;
                };
                if item.cycles() {
                    cycle_option(item, request);
                    return true;
                }
                self.editing = Some(Editing::Option {
                    item,
                    editor: TextEditor::single_line(&item.value(request)),
                });
                false
            }
            _ => false,
        }
    }

    pub fn toggle_row(&mut self, tab: RequestTab, request: &mut LoadedRequest) -> bool {
        let Some(list) = pair_list(tab, request) else {
            return false;
        };
        rows::toggle(request, list, self.row)
    }

    pub fn delete_row(&mut self, tab: RequestTab, request: &mut LoadedRequest) -> bool {
        let Some(list) = pair_list(tab, request) else {
            return false;
        };
        if !rows::remove(request, list, self.row) {
            return false;
        }
        self.row = self.row.min(rows::len(request, list).saturating_sub(1));
        true
    }

    pub fn move_row(&mut self, by: isize, tab: RequestTab, request: &LoadedRequest) {
        let count = match (&self.examples, tab) {
            (Some(examples), RequestTab::Examples) => examples.shown().len(),
            _ => row_count(tab, request),
        };
        let last = count.saturating_sub(1);
        self.row = self.row.saturating_add_signed(by).min(last);
    }

    /// Pasted text goes into the open editor, whole.
    pub fn paste(&mut self, text: &str, request: &mut LoadedRequest) -> bool {
        let Some(editing) = &mut self.editing else {
            return false;
        };
        editing.editor_mut().insert_str(text);
        self.keep_body_in_view();
        self.apply(request)
    }

    /// Leaves the editor. A pair left with neither name nor value was added by mistake and is
    /// dropped; returns whether that changed the request.
    pub(super) fn finish_editing(&mut self, request: &mut LoadedRequest) -> bool {
        if let Some(Editing::Variables(editor)) = &self.editing
            && let Err(error) = parse_variables(&editor.text())
            && !self.leaving
        {
            self.leaving = true;
            self.error = Some(format!("{error} · Esc again leaves without these changes"));
            return false;
        }
        self.leaving = false;
        let editing = self.editing.take();
        self.error = None;
        let Some(Editing::Pair { list, row, .. }) = editing else {
            return false;
        };
        let empty = rows::rows(request, list)
            .get(row)
            .is_some_and(|p| p.name.is_empty() && p.value.is_empty());
        if empty && rows::remove(request, list, row) {
            self.row = self.row.min(rows::len(request, list).saturating_sub(1));
            return true;
        }
        false
    }

    /// Writes the editor's text into the draft.
    pub(super) fn apply(&mut self, request: &mut LoadedRequest) -> bool {
        self.error = None;
        self.leaving = false;
        let Some(editing) = &self.editing else {
            return false;
        };
        match editing {
            Editing::Url(editor) => {
                let before = request.request.clone();
                apply_display_url(&mut request.request, &editor.text());
                request.request != before
            }
            Editing::Body(editor) => {
                let text = editor.text();
                let changed = request.body_text.as_deref() != Some(text.as_str());
                request.body_text = Some(text);
                changed
            }
            Editing::Pair {
                list,
                row,
                field,
                editor,
            } => rows::set(request, *list, *row, *field, &editor.text()),
            Editing::Auth { field, editor } => {
                auth_tab::set(&mut request.request.auth, *field, &editor.text())
            }
            Editing::BinaryFile(editor) => {
                let Body::Binary { file, .. } = &mut request.request.body else {
                    return false;
                };
                let text = editor.text();
                let changed = *file != text;
                *file = text;
                changed
            }
            Editing::Variables(editor) => match parse_variables(&editor.text()) {
                Ok(variables) => {
                    let Body::Graphql {
                        variables: slot, ..
                    } = &mut request.request.body
                    else {
                        return false;
                    };
                    let changed = *slot != variables;
                    *slot = variables;
                    changed
                }
                Err(error) => {
                    self.error = Some(error);
                    false
                }
            },
            Editing::Option { item, editor } => {
                let text = editor.text();
                match set_option(*item, text.trim(), request) {
                    Ok(changed) => changed,
                    Err(err) => {
                        self.error = Some(err.to_string());
                        false
                    }
                }
            }
        }
    }
}

/// GraphQL variables as typed: empty for none, else a JSON object.
fn parse_variables(text: &str) -> Result<Option<serde_json::Value>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) if value.is_object() => Ok(Some(value)),
        Ok(_) => Err("variables must be a JSON object".to_owned()),
        // serde_json says where: "expected value at line 2 column 5".
        Err(error) => Err(error.to_string()),
    }
}
