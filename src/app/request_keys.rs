//! What a key does in the request pane while something in it is open: the method picker, an
//! editor (a field or the body) and the body's find prompt. The keys come from the keymap
//! (`Context::MethodPicker`, `Field`, `Body`, `BodySearch`); typing goes to `editor_keys`.

use crossterm::event::KeyEvent;

use super::editor::{SearchQuery, TextEditor};
use super::editor_keys::{self, KeyOutcome};
use super::keymap::{self, Action, Context, Pressed};
use super::line_input::{self, LineKey};
use super::request_pane::{Editing, METHODS, RequestPane, SearchPrompt};
use super::rows::{self, PairField, Row};
use crate::model::Method;
use crate::store::LoadedRequest;

impl RequestPane {
    /// The keymap context of what is open in the pane, if anything.
    pub fn context(&self) -> Option<Context> {
        if self.method_picker.is_some() {
            return Some(Context::MethodPicker);
        }
        if self.kind_picker.is_some() {
            return Some(Context::KindPicker);
        }
        match &self.editing {
            Some(Editing::Body(_)) if self.search.is_some() => Some(Context::BodySearch),
            Some(Editing::Body(_)) => Some(Context::Body),
            Some(Editing::Variables(_)) => Some(Context::Variables),
            Some(_) => Some(Context::Field),
            None => None,
        }
    }

    /// A key while the method picker is open. Returns whether the request changed.
    pub fn method_picker_key(&mut self, key: &KeyEvent, request: &mut LoadedRequest) -> bool {
        let Some(selected) = self.method_picker else {
            return false;
        };
        match keymap::lookup_own(Context::MethodPicker, key) {
            Some(Action::Up) => self.method_picker = Some(selected.saturating_sub(1)),
            Some(Action::Down) => self.method_picker = Some((selected + 1).min(METHODS.len() - 1)),
            Some(Action::Choose(n)) => self.method_picker = Some(usize::from(n)),
            Some(Action::Activate) => {
                self.method_picker = None;
                if let Ok(method) = Method::try_from(METHODS[selected].to_owned()) {
                    let changed = request.request.method != method;
                    request.request.method = method;
                    return changed;
                }
            }
            Some(Action::Close) => self.method_picker = None,
            _ => {}
        }
        false
    }

    /// A key while an editor is open. Returns whether the request changed.
    pub fn editing_key(&mut self, key: &KeyEvent, request: &mut LoadedRequest) -> bool {
        let Some(context) = self.context() else {
            return false;
        };
        if context == Context::BodySearch {
            self.body_search_key(key);
            return false;
        }
        let pressed = keymap::press(context, key);
        // Enter on an option that does not parse keeps the editor open with the reason;
        // Esc leaves it as it was.
        let refused = self.error.is_some() && matches!(self.editing, Some(Editing::Option { .. }));
        match pressed {
            Pressed::Own(Action::Submit) if refused => return false,
            Pressed::Own(Action::Close | Action::Submit) => return self.finish_editing(request),
            Pressed::Own(Action::NextField) => {
                self.next_field(request);
                return false;
            }
            Pressed::Own(action) => {
                self.body_action(action);
                return false;
            }
            _ => {}
        }
        let Some(editing) = &mut self.editing else {
            return false;
        };
        match editor_keys::type_pressed(editing.editor_mut(), pressed, self.register.as_deref()) {
            KeyOutcome::Handled => {}
            KeyOutcome::Copied(text) => {
                self.register = Some(text.clone());
                self.copied = Some(text);
            }
            KeyOutcome::Ignored => return false,
        }
        self.keep_body_in_view();
        self.apply(request)
    }

    /// Tab in a row's editor: from the name to the value and back.
    fn next_field(&mut self, request: &LoadedRequest) {
        let Some(Editing::Pair {
            list,
            row,
            field,
            editor,
        }) = &mut self.editing
        else {
            return;
        };
        let pair = rows::rows(request, *list)
            .into_iter()
            .nth(*row)
            .unwrap_or(Row {
                name: String::new(),
                value: String::new(),
                enabled: true,
            });
        *field = if *field == PairField::Name {
            PairField::Value
        } else {
            PairField::Name
        };
        *editor = TextEditor::single_line(if *field == PairField::Name {
            &pair.name
        } else {
            &pair.value
        });
    }

    /// The body editor's own actions: find (Ctrl-F), the next or previous match, soft wrap.
    fn body_action(&mut self, action: Action) {
        let Some(Editing::Body(editor)) = &mut self.editing else {
            return;
        };
        match action {
            Action::Search => {
                // A selection on one line is what the user most likely wants to find.
                let seed = editor
                    .selected_text()
                    .filter(|text| !text.contains('\n'))
                    .unwrap_or_default();
                let origin = editor
                    .selection()
                    .map_or(editor.cursor(), |(start, _)| start);
                self.search = Some(SearchPrompt {
                    input: TextEditor::single_line(&seed),
                    origin,
                    found: true,
                });
                if !seed.is_empty() {
                    self.last_search = Some(SearchQuery::new(&seed));
                }
            }
            Action::NextMatch | Action::PreviousMatch => {
                if let Some(query) = &self.last_search {
                    editor.find(query, action == Action::NextMatch);
                }
            }
            Action::ToggleWrap => self.wrap = !self.wrap,
            _ => return,
        }
        self.keep_body_in_view();
    }

    /// A key in the body's find prompt: the text is found as it is typed.
    fn body_search_key(&mut self, key: &KeyEvent) {
        let (Some(Editing::Body(editor)), Some(prompt)) = (&mut self.editing, &mut self.search)
        else {
            return;
        };
        let register = self.register.as_deref();
        match line_input::key(Context::BodySearch, &mut prompt.input, key, register) {
            LineKey::Own(Action::Close) => self.search = None,
            LineKey::Own(action @ (Action::NextMatch | Action::PreviousMatch)) => {
                if let Some(query) = &self.last_search {
                    prompt.found = editor.find(query, action == Action::NextMatch);
                }
            }
            edited @ (LineKey::Edited | LineKey::Copied(_)) => {
                // A cut changes the query as much as typing does.
                if let LineKey::Copied(text) = edited {
                    self.register = Some(text.clone());
                    self.copied = Some(text);
                }
                let query = SearchQuery::new(&prompt.input.text());
                prompt.found = query.is_empty() || editor.find_from(&query, prompt.origin);
                if query.is_empty() {
                    editor.clear_selection();
                }
                self.last_search = (!query.is_empty()).then_some(query);
            }
            LineKey::Own(_) | LineKey::Ignored => return,
        }
        self.keep_body_in_view();
    }

    /// Scrolls the body editor so its cursor is on screen.
    pub(super) fn keep_body_in_view(&mut self) {
        if let Some(Editing::Body(editor)) = &mut self.editing {
            let (width, height) = self.body_view;
            editor.keep_in_view(width, height, self.wrap);
        }
    }
}
