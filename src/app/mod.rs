//! The UI's state machine: [`App`] holds everything the screen shows, [`Msg`] is everything that
//! can happen to it, and [`App::update`] turns one into the other. `update` is pure — no I/O,
//! no clock (the runtime hands in the time of each message), no terminal — and returns
//! [`Cmd`]s for the runtime to carry out, so every behaviour can be tested with plain values.
//!
//! `App` composes components that own their state: [`requests`] (the collections as saved and
//! the drafts), [`sends`] (each request's latest send and its phase), [`tree_view`] (the
//! tree), [`layers`] (popups and prompts, newest on top), [`inspect::Inspector`] (the response
//! pane), [`environments::Scopes`] (environments, session values, secrets shown) and the
//! request pane. Keys are data in [`keymap`]. ARCHITECTURE.md at the repository root is the
//! map.

mod asking;
pub mod auth_tab;
pub mod body_kind;
mod chaining;
pub mod checks;
mod confirm;
pub mod disk_changes;
pub mod draft;
mod editing;
pub mod editor;
mod editor_keys;
pub mod environments;
pub mod examples;
mod exchanges;
pub mod finder;
pub mod history_list;
pub mod inspect;
pub mod jq_view;
pub mod keymap;
mod keys;
pub mod layers;
pub mod layout;
pub mod line_input;
pub mod load_view;
mod loading;
mod messages;
pub mod mock_panel;
mod mouse;
mod options_tab;
mod past;
pub mod past_diff;
pub mod picture;
pub mod preview;
pub mod request_keys;
pub mod request_pane;
pub mod requests;
pub mod response;
pub mod rows;
pub mod saved_messages;
pub mod sends;
pub mod session_view;
pub mod tree;
mod tree_ops;
pub mod tree_view;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crossterm::event::{KeyEventKind, MouseEventKind};
use ratatui::layout::Rect;

use crate::http::{EngineEvent, ExchangeId};
use crate::store::Workspace;
pub use confirm::{Confirm, Confirmed};
pub use editing::json_body_error;
pub use finder::Finder;
use keymap::{Action, Context};
pub use messages::{Cmd, Msg};
pub use request_pane::RequestPane;
pub use response::{ResponseTab, ResponseView};
pub use sends::{Phase, SendPlan};
pub use tree::{Address, Row, RowKind, Selected};
pub use tree_ops::{Prompt, RenameKind, TreeOp};

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tree,
    Request,
    Response,
}

impl Focus {
    const ORDER: [Focus; 3] = [Focus::Tree, Focus::Request, Focus::Response];

    fn context(self) -> Context {
        match self {
            Focus::Tree => Context::Tree,
            Focus::Request => Context::Request,
            Focus::Response => Context::Response,
        }
    }

    fn step(self, by: isize) -> Focus {
        let at = Focus::ORDER.iter().position(|f| *f == self).unwrap_or(0) as isize;
        Focus::ORDER[(at + by).rem_euclid(Focus::ORDER.len() as isize) as usize]
    }
}

/// The tabs of the request pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RequestTab {
    #[default]
    Params,
    Headers,
    Body,
    Auth,
    Options,
    /// Responses saved beside the request (`app::examples`).
    Examples,
    /// The request's own variables (path parameters such as `{{id}}` among them).
    Vars,
    /// The request's description, read-only (imports bring operations' and parameters' docs).
    Docs,
}

impl RequestTab {
    pub const ALL: [RequestTab; 8] = [
        RequestTab::Params,
        RequestTab::Headers,
        RequestTab::Body,
        RequestTab::Auth,
        RequestTab::Options,
        RequestTab::Vars,
        RequestTab::Docs,
        RequestTab::Examples,
    ];

    pub fn title(self) -> &'static str {
        match self {
            RequestTab::Params => "Params",
            RequestTab::Headers => "Headers",
            RequestTab::Body => "Body",
            RequestTab::Auth => "Auth",
            RequestTab::Options => "Options",
            RequestTab::Examples => "Examples",
            RequestTab::Vars => "Vars",
            RequestTab::Docs => "Docs",
        }
    }
}

fn cycle<T: Copy + PartialEq>(all: &[T], current: T, by: isize) -> T {
    let at = all.iter().position(|t| *t == current).unwrap_or(0) as isize;
    all[(at + by).rem_euclid(all.len() as isize) as usize]
}

/// The state of the whole UI.
#[derive(Debug)]
pub struct App {
    /// The collections as saved and the unsaved edits of their requests.
    requests: requests::Requests,
    /// The collection tree: what is open, its rows, the cursor.
    tree: tree_view::TreeView,
    pub focus: Focus,
    /// Help, the finder, questions, prompts, the preview, the environment picker: the
    /// layers over the panes, newest on top.
    layers: layers::Layers,
    /// How the response pane shows a response: its tab, wrap, the prompt under its tabs.
    pub inspector: inspect::Inspector,
    /// The latest send of each request: its phase, its response, the view of it.
    sends: sends::Sends,
    /// The time of the latest message (every message has one); drives elapsed-time displays.
    pub now: Option<Instant>,
    /// A one-line notice for the footer (cleared by the next key).
    pub notice: Option<String>,
    /// What the request pane is editing.
    pub request_pane: RequestPane,
    /// The terminal's size, from which the layout (and so mouse targets) follow.
    size: Rect,
    /// Set by `update` when the screen must be redrawn; cleared by the runtime when it draws.
    needs_redraw: bool,
    /// The active environment of each collection and the session values.
    scopes: environments::Scopes,
    /// Each request's latest load run (`Ctrl-L`).
    loads: load_view::LoadRuns,
    /// The mock server (`M`) and its log.
    mock: mock_panel::MockPanel,
}

impl App {
    /// A new UI over `workspace`, with every collection and folder open.
    pub fn new(workspace: Workspace) -> Self {
        App {
            tree: tree_view::TreeView::new(&workspace),
            requests: requests::Requests::new(workspace),
            focus: Focus::Tree,
            layers: layers::Layers::default(),
            inspector: inspect::Inspector::default(),
            scopes: Default::default(),
            sends: sends::Sends::default(),
            now: None,
            notice: None,
            request_pane: RequestPane::default(),
            size: Rect::new(0, 0, 160, 45),
            needs_redraw: true,
            loads: load_view::LoadRuns::default(),
            mock: mock_panel::MockPanel::default(),
        }
    }

    /// Rows a page moves in the tree: the screen less the title, the footer and the pane's
    /// borders.
    fn page_height(&self) -> usize {
        usize::from(self.size.height.saturating_sub(4)).max(1)
    }

    /// Where response bodies too big for memory go (an unlinked file, gone on exit).
    pub fn set_spill_dir(&mut self, dir: PathBuf) {
        self.sends.set_spill_dir(dir);
    }

    /// The layers over the panes, bottom first.
    pub fn layers(&self) -> &layers::Layers {
        &self.layers
    }

    pub fn help_open(&self) -> bool {
        self.layers.help_open()
    }

    pub fn finder(&self) -> Option<&Finder> {
        self.layers.finder()
    }

    pub fn confirm(&self) -> Option<&Confirm> {
        self.layers.confirm()
    }

    pub fn prompt(&self) -> Option<&Prompt> {
        self.layers.prompt()
    }

    pub fn preview(&self) -> Option<&Result<preview::Preview, String>> {
        self.layers.preview()
    }

    pub fn environment_picker(&self) -> Option<&environments::EnvironmentPicker> {
        self.layers.environment_picker()
    }

    /// The request or folder cut (`x`), to be moved by the next paste (`p`).
    pub fn cut(&self) -> Option<&Path> {
        self.tree.cut.as_deref()
    }

    pub fn rows(&self) -> &[Row] {
        self.tree.rows()
    }

    pub fn selected_index(&self) -> usize {
        self.tree.selected_index()
    }

    /// The item under the tree's cursor.
    pub fn selected(&self) -> Option<Selected<'_>> {
        let row = self.tree.selected_row()?;
        tree::lookup(self.requests.workspace(), &row.address)
    }

    /// The file of the request under the cursor, when the cursor is on a request.
    pub fn selected_request(&self) -> Option<&Path> {
        let row = self.tree.selected_row()?;
        matches!(row.kind, RowKind::Request { .. }).then_some(row.path.as_path())
    }

    /// The latest response of the request at `path`.
    pub fn response(&self, path: &Path) -> Option<&ResponseView> {
        self.sends.get(path)
    }

    /// The latest response of the selected request.
    pub fn current_response(&self) -> Option<&ResponseView> {
        self.selected_request()
            .and_then(|path| self.sends.get(path))
    }

    fn current_response_mut(&mut self) -> Option<&mut ResponseView> {
        let path = self.selected_request()?.to_owned();
        self.sends.get_mut(&path)
    }

    /// Whether any send is still going (the runtime ticks the clock only then).
    pub fn in_flight(&self) -> bool {
        self.sends.any_active()
    }

    /// True once after any change to what the screen shows.
    pub fn take_redraw(&mut self) -> bool {
        std::mem::take(&mut self.needs_redraw)
    }

    /// Whose keys are in force (what help and the footer show): the top layer's that has
    /// keys of its own (help lies over it), else an open response prompt's, else what is open
    /// in the request pane, else the focused pane's.
    pub fn context(&self) -> Context {
        if let Some(context) = self.layers.iter().rev().find_map(layers::Layer::context) {
            return context;
        }
        if self.inspector.prompt.is_some() {
            return Context::Line;
        }
        if self.focus == Focus::Request
            && let Some(context) = self.request_pane.context()
        {
            return context;
        }
        self.focus.context()
    }

    /// Whether secret values are shown where they are masked (`Ctrl-K`).
    pub fn reveal_secrets(&self) -> bool {
        self.scopes.reveal_secrets
    }

    /// The collections as saved.
    pub fn workspace(&self) -> &Workspace {
        self.requests.workspace()
    }

    /// The first tree row on screen.
    pub fn tree_offset(&self) -> usize {
        self.tree.offset()
    }

    /// Handles one message that came at `now` (the runtime reads the clock, `update` never
    /// does). Pure: the only effects are on `self` and in the returned commands.
    pub fn update(&mut self, msg: Msg, now: Instant) -> Vec<Cmd> {
        self.now = Some(now);
        let redraw = self.changes_screen(&msg);
        let selected = self.selected_request().map(Path::to_owned);
        let starting = match &msg {
            Msg::Engine(EngineEvent::Started { id, .. } | EngineEvent::Head { id, .. }) => {
                Some(*id)
            }
            _ => None,
        };
        let mut cmds = self.handle(msg);
        let on_screen = self.current_response().map(|response| response.exchange);
        if (starting.is_some() && starting == on_screen)
            || self.selected_request() != selected.as_deref()
        {
            self.fit_tab();
        }
        self.keep_selection_in_view();
        cmds.extend(self.fit_picture());
        cmds.extend(self.examples_wanted());
        self.needs_redraw |= redraw;
        cmds
    }

    /// A response tab that has nothing for the response on screen (Cookies it did not set,
    /// Timing before it ends) gives way to the body's view, when another request is selected
    /// or a send starts; the user's own tab keys are not overruled.
    fn fit_tab(&mut self) {
        let Some(response) = self.current_response() else {
            return;
        };
        if !response.has_something_in(self.inspector.tab) {
            let kind = crate::body::store::lock(&response.body).kind;
            self.inspector.tab = kind.map_or(ResponseTab::Pretty, ResponseTab::for_kind);
        }
    }

    /// Whether handling `msg` may change what is on screen: the one place a redraw is
    /// decided. Only the response on screen shows its bytes and the work on its body, but the
    /// tree marks every send's start and end, so those always redraw.
    fn changes_screen(&self, msg: &Msg) -> bool {
        let on_screen = |exchange: &ExchangeId| {
            self.current_response()
                .is_some_and(|response| response.exchange == *exchange)
        };
        match msg {
            Msg::Key(key) => key.kind != KeyEventKind::Release,
            Msg::Mouse(event) => matches!(
                event.kind,
                MouseEventKind::Down(_) | MouseEventKind::ScrollUp | MouseEventKind::ScrollDown
            ),
            Msg::Engine(
                EngineEvent::Head { id, .. }
                | EngineEvent::Chunk { id, .. }
                | EngineEvent::Frame { id, .. },
            ) => on_screen(id),
            Msg::SearchProgress { exchange, .. }
            | Msg::Folded { exchange, .. }
            | Msg::JqDone { exchange, .. }
            | Msg::JsonChecked { exchange, .. }
            | Msg::Checked { exchange, .. }
            | Msg::PictureDecoded { exchange, .. }
            | Msg::PictureFitted { exchange, .. } => on_screen(exchange),
            Msg::Tick => self.in_flight(),
            _ => true,
        }
    }

    /// Scrolls the tree just enough to show the selected row.
    fn keep_selection_in_view(&mut self) {
        let height = usize::from(layout::areas(self.size).tree.height.saturating_sub(2));
        self.tree.keep_in_view(height);
    }

    fn handle(&mut self, msg: Msg) -> Vec<Cmd> {
        match msg {
            Msg::Key(key) if key.kind != KeyEventKind::Release => {
                self.notice = None;
                self.on_key(key)
            }
            Msg::Key(_) => Vec::new(),
            Msg::Tick => self.rerun_live_jq(),
            load @ (Msg::LoadProgress { .. } | Msg::LoadFinished { .. }) => {
                self.on_load_message(load)
            }
            Msg::Mock(message) => self.on_mock_message(message),
            Msg::Paste(text) => self.on_paste(&text),
            Msg::Mouse(event) => self.on_mouse(event),
            Msg::Resize { width, height } => {
                self.size = Rect::new(0, 0, width, height);
                Vec::new()
            }
            Msg::Engine(event) => self.on_engine_message(event),
            Msg::NeedsResponse {
                exchange,
                dependency,
                reason,
            } => self.on_needs_response(exchange, dependency, &reason),
            Msg::NeedsAnswer {
                exchange,
                label,
                secret,
            } => self.on_needs_answer(exchange, label, secret),
            Msg::HooksRan { notes, variables } => self.on_hooks_ran(&notes, variables),
            Msg::SendRejected { exchange, message } => self.fail_exchange(exchange, message),
            Msg::EditedExternally { request, result } => {
                self.on_edited_externally(&request, result)
            }
            Msg::Saved(request) => self.on_saved(*request),
            Msg::Checked {
                exchange,
                results,
                captured,
            } => {
                self.on_checked(exchange, results, captured);
                Vec::new()
            }
            Msg::ValueAt { exchange, found } => self.on_value_at(exchange, found),
            jq @ Msg::JqDone { .. } => {
                self.on_background_answer(jq);
                self.rerun_live_jq()
            }
            answer @ (Msg::SearchProgress { .. }
            | Msg::Folded { .. }
            | Msg::JsonChecked { .. }
            | Msg::PictureDecoded { .. }
            | Msg::PictureFitted { .. }
            | Msg::Previewed { .. }) => {
                self.on_background_answer(answer);
                Vec::new()
            }
            Msg::ExamplesLoaded { request, rows } => {
                self.on_examples_loaded(request, rows);
                Vec::new()
            }
            Msg::ExampleSaved { request, result } => {
                self.on_example_saved(&request, result);
                Vec::new()
            }
            history @ (Msg::HistoryLoaded { .. }
            | Msg::PastRequestLoaded { .. }
            | Msg::PastCompared { .. }) => self.on_history_answer(history),
            change @ (Msg::WorkspaceLoaded(_)
            | Msg::TreeChanged { .. }
            | Msg::EnvironmentsRestored(_)
            | Msg::DraftsRestored(_)
            | Msg::SaveFailed { .. }
            | Msg::TreeOpFailed(_)
            | Msg::Notice(_)) => {
                self.on_files_or_notice(change);
                Vec::new()
            }
        }
    }

    /// An engine event; a live jq filter runs once more when its exchange ends.
    fn on_engine_message(&mut self, event: EngineEvent) -> Vec<Cmd> {
        let ended = matches!(event, EngineEvent::Done { .. } | EngineEvent::Failed { .. });
        let mut cmds = self.on_engine_event(event);
        if ended {
            cmds.extend(self.rerun_live_jq());
        }
        cmds
    }

    /// Pasted text goes to the top layer when it takes text, else to the open editor.
    fn on_paste(&mut self, text: &str) -> Vec<Cmd> {
        match self.layers.top_mut() {
            Some(layers::Layer::Finder(finder)) => {
                finder.paste(text);
                Vec::new()
            }
            Some(layers::Layer::Prompt(_)) => {
                self.paste_into_prompt(text);
                Vec::new()
            }
            Some(layers::Layer::HistoryList(list)) => {
                let reply = list.paste(text);
                self.on_history_reply(reply)
            }
            Some(_) => Vec::new(),
            None if self.focus == Focus::Request && self.request_pane.editing.is_some() => {
                self.paste_into_editor(text)
            }
            None => Vec::new(),
        }
    }

    /// The answers of work the runtime did in the background on a body or a preview.
    fn on_background_answer(&mut self, answer: Msg) {
        match answer {
            Msg::SearchProgress {
                exchange,
                id,
                progress,
            } => self.on_search_progress(exchange, id, progress),
            Msg::Folded {
                exchange,
                start,
                end,
            } => self.on_folded(exchange, start, end),
            Msg::JqDone {
                exchange,
                id,
                result,
            } => self.on_jq_done(exchange, id, result),
            Msg::JsonChecked { exchange, error } => self.on_json_checked(exchange, error),
            Msg::PictureDecoded { exchange, result } => self.on_picture_decoded(exchange, result),
            Msg::PictureFitted { exchange, fitted } => self.on_picture_fitted(exchange, fitted),
            Msg::Previewed { path, result } => self.on_previewed(path, result),
            _ => {} // handle sends only the answers above here
        }
    }

    /// The collections changed (on disk or by a tree operation), state came back from the
    /// last run, or there is something to say in the footer.
    fn on_files_or_notice(&mut self, change: Msg) {
        match change {
            // New folders show open, like everything at start; closed ones stay closed.
            Msg::WorkspaceLoaded(workspace) => self.on_tree_changed(workspace, None),
            Msg::TreeChanged { workspace, select } => self.on_tree_changed(workspace, select),
            Msg::EnvironmentsRestored(active) => self.on_environments_restored(active),
            Msg::DraftsRestored(drafts) => self.on_drafts_restored(drafts),
            Msg::SaveFailed { path, message } => self.on_save_failed(&path, message),
            Msg::TreeOpFailed(message) | Msg::Notice(message) => self.notice = Some(message),
            _ => {} // handle sends only the changes above here
        }
    }

    fn move_in_tree(&mut self, action: Action) {
        self.request_pane.reset();
        self.tree.move_cursor(action, self.page_height());
    }

    fn set_open(&mut self, open: bool) {
        self.tree.set_open(self.requests.workspace(), open);
    }

    fn collapse_or_go_up(&mut self) {
        self.tree.collapse_or_go_up(self.requests.workspace());
    }

    /// Opens every directory above `path` and puts the cursor on it.
    fn reveal(&mut self, path: &Path) {
        let before = self.tree.selected_row().map(|r| r.path.clone());
        self.tree.reveal(self.requests.workspace(), path);
        self.after_rows_changed(before);
    }

    /// Recomputes the rows, keeping the cursor where it is.
    fn refresh_rows(&mut self) {
        let keep = self.tree.selected_row().map(|r| r.path.clone());
        self.rebuild_rows(keep);
    }

    /// Recomputes the rows and puts the cursor back on `keep` when it is still shown.
    fn rebuild_rows(&mut self, keep: Option<PathBuf>) {
        let before = self.tree.selected_row().map(|r| r.path.clone());
        self.tree.rebuild(self.requests.workspace(), keep);
        self.after_rows_changed(before);
    }

    /// The request pane starts afresh when the cursor lands on another item.
    fn after_rows_changed(&mut self, before: Option<PathBuf>) {
        if self.tree.selected_row().map(|r| &r.path) != before.as_ref() {
            self.request_pane.reset();
        }
    }
}

#[cfg(test)]
mod tests;
