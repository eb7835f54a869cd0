//! The editing half of [`App`]: drafts of unsaved edits, keys in the request pane, saving,
//! restoring drafts after a crash, and not quitting over unsaved work without asking.

use std::path::Path;

use crossterm::event::KeyEvent;

use super::confirm::Confirm;
use super::keymap::Action;
use super::layers::Layer;
use super::request_pane::{Editing, RequestPane};
use super::{App, Cmd, RequestTab};
use crate::body::json_format::{self, Layout};
use crate::model::Body;
use crate::store::LoadedRequest;

/// Re-lays out a JSON body, placeholders and all; false when there is nothing to change.
fn reformat_json_body(draft: &mut LoadedRequest, layout: Layout) -> bool {
    if !matches!(draft.request.body, Body::Json { .. }) {
        return false;
    }
    let Some(text) = &draft.body_text else {
        return false;
    };
    let mut formatted = json_format::format(text, layout, true);
    if layout == Layout::Pretty {
        formatted.push('\n');
    }
    if formatted == *text {
        return false;
    }
    draft.body_text = Some(formatted);
    true
}

/// The selected request's JSON body error, when its body is JSON and does not parse.
pub fn json_body_error(request: &LoadedRequest) -> Option<json_format::JsonError> {
    if !matches!(request.request.body, Body::Json { .. }) {
        return None;
    }
    json_format::check(request.body_text.as_deref().unwrap_or(""), true).err()
}

impl App {
    /// The request at `path` as the user sees it: the draft when there is one, else as saved.
    pub fn request_view(&self, path: &Path) -> Option<&LoadedRequest> {
        self.requests.view(path)
    }

    /// The draft of `path`, if it has been edited.
    pub fn draft(&self, path: &Path) -> Option<&LoadedRequest> {
        self.requests.draft(path)
    }

    /// Whether `path` has edits not yet on disk.
    pub fn is_dirty(&self, path: &Path) -> bool {
        self.requests.is_dirty(path)
    }

    /// The requests with unsaved edits.
    pub fn dirty_requests(&self) -> Vec<&LoadedRequest> {
        self.requests.dirty()
    }

    /// The selected request's draft, made from the saved request on first use.
    fn draft_of_selected(&mut self) -> Option<&mut LoadedRequest> {
        let path = self.selected_request()?.to_owned();
        self.requests.draft_mut(&path)
    }

    /// Runs `edit` on the selected request's draft; a change asks the runtime to journal drafts.
    pub(super) fn edit_selected(
        &mut self,
        edit: impl FnOnce(&mut RequestPane, &mut LoadedRequest) -> bool,
    ) -> Vec<Cmd> {
        let mut pane = std::mem::take(&mut self.request_pane);
        let changed = match self.draft_of_selected() {
            Some(draft) => edit(&mut pane, draft),
            None => false,
        };
        self.request_pane = pane;
        if changed {
            vec![Cmd::DraftsChanged]
        } else {
            Vec::new()
        }
    }

    /// Keys while an editor or the method picker is open in the request pane.
    pub(super) fn on_request_editing_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        if self.request_pane.method_picker.is_some() {
            return self.edit_selected(|pane, draft| pane.method_picker_key(&key, draft));
        }
        if self.request_pane.kind_picker.is_some() {
            return self.edit_selected(|pane, draft| pane.kind_picker_key(&key, draft));
        }
        let text = super::layout::body_text(super::layout::areas(self.size).request);
        self.request_pane.body_view = (usize::from(text.width), usize::from(text.height));
        let mut commands = self.edit_selected(|pane, draft| pane.editing_key(&key, draft));
        if let Some(text) = self.request_pane.copied.take() {
            commands.extend(self.copied(text));
        }
        commands
    }

    /// Text copied or cut from any editor or prompt: Ctrl-V pastes it in any other, and the
    /// terminal's clipboard gets it too.
    pub(super) fn copied(&mut self, text: String) -> Vec<Cmd> {
        self.notice = Some(copied_notice(&text));
        self.request_pane.register = Some(text.clone());
        vec![Cmd::Copy(text)]
    }

    /// Whether an open editor has text selected (then Ctrl-C copies and Ctrl-X cuts, rather
    /// than quit and cancel).
    pub(super) fn editor_has_selection(&self) -> bool {
        self.request_pane
            .editing
            .as_ref()
            .is_some_and(|editing| editing.editor().selection().is_some())
    }

    pub(super) fn paste_into_editor(&mut self, text: &str) -> Vec<Cmd> {
        let in_url = matches!(self.request_pane.editing, Some(Editing::Url(_)));
        if in_url && crate::import::curl::is_command(text) {
            return self.paste_curl(text);
        }
        self.edit_selected(|pane, draft| pane.paste(text, draft))
    }

    /// A curl command pasted into the URL field becomes the request: its method, URL,
    /// headers, body, auth and options (the name stays).
    fn paste_curl(&mut self, text: &str) -> Vec<Cmd> {
        let mut losses = crate::import::Losses::default();
        let Some((parsed, body_text)) = crate::import::curl::parse_command(text, &mut losses)
        else {
            self.notice = Some("That curl command has no URL: nothing changed.".to_owned());
            return Vec::new();
        };
        self.request_pane.editing = None;
        let cmds = self.edit_selected(|_, draft| {
            apply_curl(draft, parsed, body_text);
            true
        });
        self.notice = Some(match losses.0.first() {
            None => "The curl command is now the request (Ctrl-S saves it).".to_owned(),
            Some(loss) => format!(
                "The curl command is now the request; {} more: {}",
                losses.0.len(),
                loss.what
            ),
        });
        cmds
    }

    /// The request pane's own actions (when nothing is being edited).
    pub(super) fn on_request_action(&mut self, action: Action) -> Vec<Cmd> {
        let tab = self.request_pane.tab;
        match action {
            Action::EditUrl => self.edit_selected(|pane, draft| {
                pane.edit_url(draft);
                false
            }),
            Action::PickMethod => self.edit_selected(|pane, draft| {
                pane.open_method_picker(draft);
                false
            }),
            Action::PickBodyKind => {
                if tab != RequestTab::Body {
                    self.notice = Some("b picks the body kind in the Body tab.".to_owned());
                    return Vec::new();
                }
                self.edit_selected(|pane, draft| {
                    pane.open_kind_picker(draft);
                    false
                })
            }
            Action::EditVariables => {
                let opened = tab == RequestTab::Body
                    && self
                        .draft_of_selected()
                        .is_some_and(|draft| matches!(draft.request.body, Body::Graphql { .. }));
                if !opened {
                    self.notice = Some(
                        "v edits the variables of a GraphQL body, in the Body tab.".to_owned(),
                    );
                    return Vec::new();
                }
                self.edit_selected(|pane, draft| {
                    pane.edit_variables(draft);
                    false
                })
            }
            Action::Preview => self.toggle_preview(),
            Action::ToggleWrap => {
                self.request_pane.wrap = !self.request_pane.wrap;
                Vec::new()
            }
            Action::AddRow => self.edit_selected(|pane, draft| pane.add_row(tab, draft)),
            Action::Activate if tab == RequestTab::Examples => self.open_example(),
            Action::Activate => self.edit_selected(|pane, draft| pane.activate(tab, draft)),
            Action::Toggle => self.edit_selected(|pane, draft| pane.toggle_row(tab, draft)),
            Action::DeleteRow => self.edit_selected(|pane, draft| pane.delete_row(tab, draft)),
            Action::FormatBody => self.reformat_body(Layout::Pretty),
            Action::MinifyBody => self.reformat_body(Layout::Minified),
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => {
                self.move_request_row(action);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// `f` and `M`: a JSON body pretty-printed or minified.
    fn reformat_body(&mut self, layout: Layout) -> Vec<Cmd> {
        let cmds = self.edit_selected(|_, draft| reformat_json_body(draft, layout));
        if cmds.is_empty() {
            self.notice = Some("Only a JSON body is formatted (and it is already so).".to_owned());
        }
        cmds
    }

    /// Moves the request pane's row cursor (a page or the ends jump to the first or last).
    fn move_request_row(&mut self, action: Action) {
        let by = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp | Action::Top => -10_000,
            _ => 10_000,
        };
        let tab = self.request_pane.tab;
        if let Some(path) = self.selected_request().map(Path::to_owned)
            && let Some(request) = self.request_view(&path).cloned()
        {
            self.request_pane.move_row(by, tab, &request);
        }
    }

    /// Ctrl-E: the selected request's text body, to be edited in the user's editor.
    pub(super) fn edit_body_externally(&mut self) -> Vec<Cmd> {
        let Some(request) = self
            .selected_request()
            .and_then(|path| self.request_view(path))
        else {
            self.notice = Some("Select a request to edit its body.".to_owned());
            return Vec::new();
        };
        let Some(sidecar) = request.request.body.sidecar() else {
            self.notice = Some("Only a JSON, text or GraphQL body opens in $EDITOR.".to_owned());
            return Vec::new();
        };
        let extension = Path::new(sidecar)
            .extension()
            .map_or("txt".into(), |e| e.to_string_lossy().into_owned());
        let text = request.body_text.clone().unwrap_or_default();
        vec![Cmd::EditExternally {
            request: request.path.clone(),
            text,
            extension,
        }]
    }

    /// The editor closed: its text becomes the draft's body (and the open body editor's).
    pub(super) fn on_edited_externally(
        &mut self,
        path: &Path,
        result: Result<String, String>,
    ) -> Vec<Cmd> {
        let text = match result {
            Ok(text) => text,
            Err(err) => {
                self.notice = Some(format!("The editor did not run: {err}"));
                return Vec::new();
            }
        };
        if self.selected_request() != Some(path) {
            return Vec::new();
        }
        if let Some(super::request_pane::Editing::Body(editor)) = &mut self.request_pane.editing {
            *editor = super::editor::TextEditor::multi_line(&text);
        }
        self.edit_selected(|_, draft| {
            let changed = draft.body_text.as_deref() != Some(text.as_str());
            draft.body_text = Some(text);
            changed
        })
    }

    /// Ctrl-S: save the selected request when it has unsaved edits.
    pub(super) fn save_selected(&mut self) -> Vec<Cmd> {
        let Some(path) = self.selected_request().map(Path::to_owned) else {
            self.notice = Some("Select a request to save it.".to_owned());
            return Vec::new();
        };
        if !self.is_dirty(&path) {
            self.notice = Some("No unsaved edits here.".to_owned());
            return Vec::new();
        }
        // Never over a file another program changed meanwhile without asking.
        if let Some(question) = self.disk_question(&path) {
            self.layers.open(Layer::Confirm(question));
            return Vec::new();
        }
        match self.requests.draft(&path) {
            Some(draft) => vec![Cmd::Save(Box::new(draft.clone()))],
            None => Vec::new(),
        }
    }

    /// How many requests with unsaved edits changed on disk meanwhile.
    pub fn changed_on_disk(&self) -> usize {
        self.dirty_requests()
            .iter()
            .filter(|r| self.is_changed_on_disk(&r.path))
            .count()
    }

    /// Whether the file of `path` changed (or was deleted) on disk while it has unsaved
    /// edits.
    pub fn is_changed_on_disk(&self, path: &Path) -> bool {
        self.requests.changed_on_disk(path) || self.requests.deleted_on_disk(path)
    }

    /// Whether the file of `path` was deleted on disk while it has unsaved edits.
    pub fn is_deleted_on_disk(&self, path: &Path) -> bool {
        self.requests.deleted_on_disk(path)
    }

    /// A save finished: the saved copy becomes the request, and its draft goes.
    pub(super) fn on_saved(&mut self, request: LoadedRequest) -> Vec<Cmd> {
        self.notice = Some(format!("Saved {}.", request.request.name));
        self.requests.saved_as(request);
        self.refresh_rows();
        vec![Cmd::DraftsChanged]
    }

    pub(super) fn on_save_failed(&mut self, path: &Path, message: String) {
        let name = self
            .request_view(path)
            .map_or_else(|| path.display().to_string(), |r| r.request.name.clone());
        self.notice = Some(format!("Could not save {name}: {message}"));
        self.layers
            .close(|layer| matches!(layer, Layer::Confirm(_)));
    }

    /// Drafts found in the journal at start: those that still differ from disk come back.
    pub(super) fn on_drafts_restored(&mut self, drafts: Vec<crate::store::JournalDraft>) {
        let reloaded = self.requests.restore(drafts);
        if reloaded.restored > 0 {
            self.notice = Some(format!(
                "Restored unsaved edits of {} request(s); Ctrl-S saves them.",
                reloaded.restored
            ));
        }
        if !reloaded.deleted.is_empty() {
            // Their stand-ins joined the tree.
            self.refresh_rows();
        }
        // A file that changed or went on disk since its draft was journaled: never restored
        // over it, or dropped, without saying so.
        let names = |paths: &[std::path::PathBuf]| -> String {
            paths
                .iter()
                .filter_map(|path| self.request_view(path))
                .map(|r| r.request.name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut since = Vec::new();
        if !reloaded.changed.is_empty() {
            since.push(format!(
                "{} changed on disk since",
                names(&reloaded.changed)
            ));
        }
        if !reloaded.deleted.is_empty() {
            since.push(format!("{} was deleted since", names(&reloaded.deleted)));
        }
        if !since.is_empty() {
            self.notice = Some(format!(
                "Restored unsaved edits of {} request(s); {}: Ctrl-S asks what to keep.",
                reloaded.restored,
                since.join("; ")
            ));
        }
        self.keep_lost_edits(&reloaded.lost);
    }

    /// Quit, unless edits would be lost: then ask.
    pub(super) fn quit(&mut self) -> Vec<Cmd> {
        let unsaved = self.dirty_requests().len();
        if unsaved == 0 {
            return vec![Cmd::Quit];
        }
        self.layers.open(Layer::Confirm(Confirm::Quit { unsaved }));
        Vec::new()
    }

    /// Ends editing when the request pane loses the keyboard or shows another request.
    pub(super) fn leave_request_pane(&mut self) {
        self.request_pane.editing = None;
        self.request_pane.method_picker = None;
        self.request_pane.kind_picker = None;
        self.request_pane.error = None;
    }

    /// The drafts worth journaling (those that differ from disk), each with the saved
    /// request its edits started from.
    pub fn drafts_to_journal(&self) -> Vec<(&LoadedRequest, &LoadedRequest)> {
        self.requests.dirty_with_bases()
    }
}

/// What the footer says after a copy. Terminals cap what OSC 52 may carry (often around
/// 100 KB), so a big copy says so.
fn copied_notice(text: &str) -> String {
    let plural = |n: usize, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    let what = if text.contains('\n') {
        plural(text.lines().count().max(1), "line")
    } else {
        plural(text.chars().count(), "character")
    };
    if text.len() > 100_000 {
        format!(
            "Copied {what}; Ctrl-V pastes it here (the terminal may refuse a clipboard this big)"
        )
    } else {
        format!("Copied {what} (Ctrl-V pastes)")
    }
}

/// Puts what a curl command says into `draft`, keeping its name and file.
fn apply_curl(draft: &mut LoadedRequest, parsed: crate::model::Request, body_text: Option<String>) {
    let stem = draft
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let request = &mut draft.request;
    request.method = parsed.method;
    request.url = parsed.url;
    request.query = parsed.query;
    request.headers = parsed.headers;
    if !parsed.auth.is_inherit() {
        request.auth = parsed.auth;
    }
    request.body = parsed.body;
    request.body.name_sidecar(&stem);
    if !parsed.options.is_empty() {
        request.options = parsed.options;
    }
    draft.body_text = body_text;
}
