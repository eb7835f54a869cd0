//! What a key does: the top layer's component takes it first (and its `LayerReply` is carried
//! out here), then an open response prompt, then what is open in the request pane (with the
//! global Ctrl and F keys over it), then the focused pane's bindings from the keymap. The one
//! place a key press is routed.

use crossterm::event::KeyEvent;

use super::keymap::{self, Action, Pressed};
use super::layers::{Layer, LayerReply};
use super::{App, Cmd, Finder, Focus, RequestTab, ResponseTab, cycle, inspect};

impl App {
    /// A key over help or the preview: quitting quits, `Ctrl-K` shows or masks the preview's
    /// secrets, and any other key closes the layer and does nothing else.
    fn on_passing_layer_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        match keymap::lookup(self.context(), &key) {
            Some(Action::Quit) => return self.quit(),
            Some(Action::RevealSecrets) if matches!(self.layers.top(), Some(Layer::Preview(_))) => {
                self.toggle_secrets();
            }
            _ => {
                self.layers.close_top();
            }
        }
        Vec::new()
    }

    /// Does what the top layer's component answered to a key; `answered` acts on its answer
    /// once the layer has closed.
    pub(super) fn carry_out<T>(
        &mut self,
        reply: LayerReply<T>,
        answered: impl FnOnce(&mut App, T) -> Vec<Cmd>,
    ) -> Vec<Cmd> {
        match reply {
            LayerReply::Stay => Vec::new(),
            LayerReply::Close => {
                self.layers.close_top();
                Vec::new()
            }
            LayerReply::Answer(answer) => {
                self.layers.close_top();
                answered(self, answer)
            }
            LayerReply::Help => {
                self.layers.open(Layer::Help);
                Vec::new()
            }
            LayerReply::Quit => {
                self.layers.close_top();
                self.quit()
            }
            LayerReply::Copied(text) => self.copied(text),
        }
    }

    fn toggle_secrets(&mut self) {
        self.scopes.reveal_secrets = !self.scopes.reveal_secrets;
        self.notice = Some(if self.scopes.reveal_secrets {
            "Secrets are shown. Ctrl-K masks them again.".to_owned()
        } else {
            "Secrets are masked.".to_owned()
        });
    }

    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        // The top layer takes the key, and only it.
        let register = self.request_pane.register.clone();
        let register = register.as_deref();
        match self.layers.top_mut() {
            Some(Layer::Finder(finder)) => {
                let reply = finder.key(&key, register);
                return self.carry_out(reply, |app, path| {
                    app.reveal(&path);
                    app.focus = Focus::Tree;
                    Vec::new()
                });
            }
            Some(Layer::Prompt(prompt)) => {
                let reply = prompt.key(&key, register);
                let declined = matches!(reply, LayerReply::Close)
                    .then(|| prompt.asked_for())
                    .flatten();
                let mut cmds = self.carry_out(reply, App::on_prompt_answer);
                if let Some(exchange) = declined {
                    cmds.extend(self.on_send_answer_declined(exchange));
                }
                return cmds;
            }
            Some(Layer::EnvironmentPicker(picker)) => {
                let reply = picker.key(&key);
                return self.carry_out(reply, App::on_environment_chosen);
            }
            Some(Layer::MessagePicker(picker)) => {
                let reply = picker.key(&key);
                return self.carry_out(reply, App::on_message_picked);
            }
            Some(Layer::HistoryList(_)) => return self.on_history_key(&key, register),
            Some(Layer::PastDiff(_)) => return self.on_past_diff_key(&key),
            Some(Layer::MockLog(_)) => return self.on_mock_log_key(&key),
            Some(Layer::Confirm(confirm)) => {
                let reply = confirm.key(&key);
                return self.carry_out(reply, App::on_confirmed);
            }
            Some(Layer::Preview(_) | Layer::Help | Layer::Changes(_)) => {
                return self.on_passing_layer_key(key);
            }
            None => {}
        }
        if self.inspector.prompt.is_some() {
            return self.on_response_prompt_key(key);
        }
        let context = self.context();
        // An open editor or picker takes every key but the global ones with Ctrl and the F
        // keys (send, save, find, help, quit…); with text selected, Ctrl-C copies and Ctrl-X
        // cuts rather than quit and cancel.
        if context.is_in_request_pane() {
            let copy_or_cut = matches!(
                keymap::press(context, &key),
                Pressed::Text {
                    action: Action::Copy | Action::Cut,
                    ..
                }
            ) && self.editor_has_selection();
            match keymap::lookup_over_editors(&key) {
                Some(action) if !copy_or_cut => return self.on_action(action),
                _ => return self.on_request_editing_key(key),
            }
        }
        match keymap::lookup(context, &key) {
            Some(action) => self.on_action(action),
            None => Vec::new(),
        }
    }

    /// An action of the keymap: the global ones first, then the focused pane's.
    fn on_action(&mut self, action: Action) -> Vec<Cmd> {
        match action {
            Action::Quit => return self.quit(),
            Action::Help => self.layers.open(Layer::Help),
            Action::Send => return self.send_selected(),
            Action::Save => return self.save_selected(),
            Action::EditExternally => return self.edit_body_externally(),
            Action::Cancel => {
                return self
                    .stop_selected_load()
                    .unwrap_or_else(|| self.cancel_selected());
            }
            Action::LoadTest => return self.ask_load_spec(),
            Action::Mock => return self.open_mock(),
            Action::SendSavedMessage => return self.pick_message(),
            Action::OpenFinder => self
                .layers
                .open(Layer::Finder(Finder::new(self.requests.workspace()))),
            Action::PickEnvironment => self.open_environment_picker(),
            Action::History => return self.open_history(),
            Action::SetSessionValue => {
                self.layers
                    .open(Layer::Prompt(super::Prompt::session_value()));
            }
            Action::RevealSecrets => self.toggle_secrets(),
            Action::FocusNext | Action::FocusPrevious => {
                self.leave_request_pane();
                self.focus = self
                    .focus
                    .step(if action == Action::FocusNext { 1 } else { -1 });
            }
            Action::NextTab | Action::PreviousTab => self.cycle_tab(action),
            _ if self.focus == Focus::Request => return self.on_request_action(action),
            Action::NewRequest
            | Action::NewFolder
            | Action::Rename
            | Action::Duplicate
            | Action::Cut
            | Action::Paste
            | Action::MoveUp
            | Action::MoveDown
            | Action::DeleteItem
            | Action::ImportFile => return self.on_tree_action(action),
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => match self.focus {
                Focus::Tree => self.move_in_tree(action),
                Focus::Response => self.scroll_response(action),
                Focus::Request => {}
            },
            Action::Expand => self.set_open(true),
            Action::Collapse => self.collapse_or_go_up(),
            Action::Activate => match self.tree.row_is_open() {
                Some(open) => self.set_open(!open),
                None if self.selected_request().is_some() => self.focus = Focus::Request,
                None => {}
            },
            response => return self.on_response_action(response),
        }
        Vec::new()
    }

    /// The next or previous tab of the focused pane.
    fn cycle_tab(&mut self, action: Action) {
        let by = if action == Action::NextTab { 1 } else { -1 };
        match self.focus {
            Focus::Request => {
                self.request_pane.tab = cycle(&RequestTab::ALL, self.request_pane.tab, by);
                self.request_pane.row = 0;
            }
            Focus::Response => {
                self.inspector.tab = cycle(&ResponseTab::ALL, self.inspector.tab, by)
            }
            Focus::Tree => {}
        }
    }

    /// The response pane's own actions: search, jq, folds, copies, saving the body.
    fn on_response_action(&mut self, action: Action) -> Vec<Cmd> {
        match action {
            Action::ToggleWrap => self.inspector.wrap = !self.inspector.wrap,
            Action::Search => self.open_response_prompt(inspect::PromptKind::Search),
            Action::GotoLine => self.open_response_prompt(inspect::PromptKind::GotoLine),
            Action::NextMatch => self.next_match(true),
            Action::PreviousMatch => self.next_match(false),
            Action::Jq => return self.open_jq(),
            Action::ToggleFold => return self.toggle_fold(),
            Action::AssertValue => return self.assert_at_cursor(),
            Action::SaveResponse => self.open_response_prompt(inspect::PromptKind::SavePath),
            Action::SaveExample => self.ask_example_name(),
            Action::CopyBody => return self.copy_body(),
            Action::CopyCurl => return self.copy_as_curl(),
            _ => {}
        }
        Vec::new()
    }
}
