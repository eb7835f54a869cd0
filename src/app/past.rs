//! Where the history list (`app::history_list`) and the comparison (`app::past_diff`) meet
//! the rest of the app: opening a past exchange in the response pane, sending its request
//! again, making it the draft, and the runtime's answers to each.

use std::path::{Path, PathBuf};

use crossterm::event::KeyEvent;

use super::history_list::{HistoryList, PastChoice, PastRow, PastUse};
use super::layers::{Layer, LayerReply};
use super::past_diff::PastDiff;
use super::{App, Cmd, Confirm, Focus, Msg};
use crate::store::LoadedRequest;

impl App {
    /// `H`: the selected request's past exchanges, or every request's when none is selected.
    pub(super) fn open_history(&mut self) -> Vec<Cmd> {
        let origin = self.selected_request().and_then(|path| {
            let (_, _, saved) = self.requests.workspace().find_request(path)?;
            Some((path.to_owned(), saved.request.name.clone()))
        });
        self.layers
            .open(Layer::HistoryList(HistoryList::new(origin)));
        self.load_history()
    }

    /// Asks for the rows the open list shows.
    fn load_history(&self) -> Vec<Cmd> {
        match self.layers.history_list() {
            Some(list) => vec![Cmd::LoadHistory {
                scope: list.scope.clone(),
                query: list.query(),
            }],
            None => Vec::new(),
        }
    }

    /// A key while the history list is on top.
    pub(super) fn on_history_key(&mut self, key: &KeyEvent, register: Option<&str>) -> Vec<Cmd> {
        let Some(Layer::HistoryList(list)) = self.layers.top_mut() else {
            return Vec::new();
        };
        let reply = list.key(key, register);
        self.on_history_reply(reply)
    }

    pub(super) fn on_history_reply(&mut self, reply: LayerReply<PastChoice>) -> Vec<Cmd> {
        match reply {
            LayerReply::Answer(PastChoice::Reload) => self.load_history(),
            LayerReply::Answer(PastChoice::Compare { old, new }) => {
                self.layers.open(Layer::PastDiff(PastDiff::new(old, new)));
                vec![Cmd::ComparePast { old, new }]
            }
            other => self.carry_out(other, App::on_past_chosen),
        }
    }

    /// A key while a comparison is on top.
    pub(super) fn on_past_diff_key(&mut self, key: &KeyEvent) -> Vec<Cmd> {
        let page = usize::from(self.size.height.saturating_sub(6));
        let Some(Layer::PastDiff(diff)) = self.layers.top_mut() else {
            return Vec::new();
        };
        let reply = diff.key(key, page);
        self.carry_out(reply, |_, ()| Vec::new())
    }

    /// The list closed on a choice.
    fn on_past_chosen(&mut self, choice: PastChoice) -> Vec<Cmd> {
        let (row, then) = match choice {
            PastChoice::Open(row) => return self.open_past(&row),
            PastChoice::Resend(row) => (row, PastUse::Resend),
            PastChoice::Draft(row) => (row, PastUse::Draft),
            PastChoice::Reload | PastChoice::Compare { .. } => return Vec::new(),
        };
        let Some(path) = self.request_of_past(&row) else {
            return Vec::new();
        };
        if then == PastUse::Draft && self.requests.is_dirty(&path) {
            let name = self
                .requests
                .view(&path)
                .map(|r| r.request.name.clone())
                .unwrap_or_default();
            self.layers.open(Layer::Confirm(Confirm::DraftFromPast {
                path,
                name,
                id: row.id,
            }));
            return Vec::new();
        }
        self.load_past_request(path, row.id, then)
    }

    /// The request `row` was sent from, when it is one of this workspace's; else says why
    /// there is none.
    fn request_of_past(&mut self, row: &PastRow) -> Option<PathBuf> {
        let found = row
            .request
            .as_ref()
            .filter(|path| self.requests.saved(path).is_some());
        if found.is_none() {
            self.notice = Some(format!(
                "Exchange #{} was not sent from a request of these collections: \
                 `courier history show {}` shows it.",
                row.id, row.id
            ));
        }
        found.cloned()
    }

    /// Asks the runtime for the request exchange `id` sent, to send again or edit.
    pub(super) fn load_past_request(&mut self, path: PathBuf, id: i64, then: PastUse) -> Vec<Cmd> {
        let Some(saved) = self.requests.saved(&path).cloned() else {
            return Vec::new();
        };
        vec![Cmd::LoadPastRequest {
            id,
            saved: Box::new(saved),
            then,
        }]
    }

    /// A past exchange opens in the response pane as the request's latest, its events
    /// replayed by the runtime from the history.
    fn open_past(&mut self, row: &PastRow) -> Vec<Cmd> {
        let Some(request) = self.request_of_past(row) else {
            return Vec::new();
        };
        let id = row.id;
        let mut cmds = Vec::new();
        let now = self.clock();
        let begun = self.sends.begin(request.clone(), now, now);
        if let Some(old) = begun.replaced {
            cmds.push(Cmd::Cancel(old));
        }
        if let Some(view) = self.sends.get_mut(&request) {
            view.replayed = Some(super::response::Replayed::History(id));
        }
        self.reveal(&request);
        self.focus = Focus::Response;
        self.notice = Some(format!(
            "Exchange {id} from the history: nothing was sent (Ctrl-R sends the request)."
        ));
        cmds.push(Cmd::OpenPast {
            exchange: begun.exchange,
            id,
            body: super::sends::ResponseBody(begun.body),
        });
        cmds
    }

    /// The runtime's answers about the history.
    pub(super) fn on_history_answer(&mut self, answer: Msg) -> Vec<Cmd> {
        match answer {
            Msg::HistoryLoaded { scope, query, rows } => {
                if let Some(list) = self.layers.history_list_mut()
                    && list.wants(&scope, &query)
                {
                    list.loaded(rows);
                }
            }
            Msg::PastCompared { old, new, rows } => {
                if let Some(diff) = self.layers.past_diff_mut()
                    && (diff.old, diff.new) == (old, new)
                {
                    diff.compared(rows);
                }
            }
            Msg::PastRequestLoaded { id, then, request } => {
                return match request {
                    Ok(request) => self.use_past_request(id, then, *request),
                    Err(why) => {
                        self.notice = Some(format!("Exchange #{id}: {why}"));
                        Vec::new()
                    }
                };
            }
            _ => {}
        }
        Vec::new()
    }

    /// The request past exchange `id` sent, read back: sent again or made the draft.
    fn use_past_request(&mut self, id: i64, then: PastUse, request: LoadedRequest) -> Vec<Cmd> {
        let path = request.path.clone();
        self.reveal(&path);
        match then {
            PastUse::Resend => {
                self.focus = Focus::Response;
                self.notice = Some(format!(
                    "Sending the request of exchange #{id} again (the request itself is unchanged)."
                ));
                let origin = self.clock();
                self.send_as(path, origin, Some(request))
            }
            PastUse::Draft => {
                let Some(draft) = self.requests.draft_mut(&path) else {
                    return Vec::new();
                };
                *draft = request;
                self.focus = Focus::Request;
                self.notice = Some(format!(
                    "The request of exchange #{id} is now the draft: Ctrl-S saves it."
                ));
                vec![Cmd::DraftsChanged]
            }
        }
    }

    /// The request to send for `path`: a past one being sent again, else the draft.
    pub(super) fn request_to_send(&self, path: &Path) -> Option<LoadedRequest> {
        self.sends
            .get(path)
            .and_then(|view| view.sent_as.clone())
            .or_else(|| self.requests.draft(path).cloned())
    }
}
