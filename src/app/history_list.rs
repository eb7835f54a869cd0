//! A request's past exchanges in the TUI (`H`): the list the history keeps of it, newest
//! first, with a sparkline of their durations; `Enter` opens the chosen one in the response
//! pane as if it had just arrived, without sending (every view, search and jq work on it).
//! The rows come from the runtime (`Cmd::LoadHistory`, answered by `Msg::HistoryLoaded`),
//! since reading the history is I/O.

use std::path::PathBuf;

use crossterm::event::KeyEvent;

use super::keymap::{self, Action, Context};
use super::layers::{Layer, LayerReply};
use super::{App, Cmd, Focus};

/// One past exchange as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastRow {
    /// Its id in the history (`courier history show ID`).
    pub id: i64,
    /// When it started, as local time (the runtime formats it: time zones are files).
    pub when: String,
    pub status: Option<u16>,
    pub duration_us: Option<u64>,
    /// Response body bytes.
    pub size: u64,
    /// Why it failed or was cancelled, when it did not end well.
    pub failed: Option<String>,
}

/// The list, open over one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryList {
    pub request: PathBuf,
    pub name: String,
    /// None until the runtime answers; Err says why there is no history.
    pub rows: Option<Result<Vec<PastRow>, String>>,
    pub selected: usize,
}

impl HistoryList {
    /// A key while the list is open: move, open the chosen exchange, or close.
    pub fn key(&mut self, key: &KeyEvent) -> LayerReply<(PathBuf, i64)> {
        let count = match &self.rows {
            Some(Ok(rows)) => rows.len(),
            _ => 0,
        };
        match keymap::lookup_own(Context::HistoryList, key) {
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            Some(Action::Help) => return LayerReply::Help,
            Some(Action::Close) => return LayerReply::Close,
            Some(Action::Activate) => {
                if let Some(Ok(rows)) = &self.rows
                    && let Some(row) = rows.get(self.selected)
                {
                    return LayerReply::Answer((self.request.clone(), row.id));
                }
            }
            _ => {}
        }
        LayerReply::Stay
    }

    /// The durations oldest first, for the sparkline.
    pub fn durations(&self) -> Vec<u64> {
        match &self.rows {
            Some(Ok(rows)) => rows.iter().rev().filter_map(|r| r.duration_us).collect(),
            _ => Vec::new(),
        }
    }
}

impl App {
    /// `H`: the selected request's past exchanges.
    pub(super) fn open_history(&mut self) -> Vec<Cmd> {
        let found = self.selected_request().and_then(|path| {
            let (_, _, saved) = self.requests.workspace().find_request(path)?;
            Some((path.to_owned(), saved.request.name.clone()))
        });
        let Some((path, name)) = found else {
            self.notice = Some("Select a request to see its past exchanges.".to_owned());
            return Vec::new();
        };
        self.layers.open(Layer::HistoryList(HistoryList {
            request: path.clone(),
            name,
            rows: None,
            selected: 0,
        }));
        vec![Cmd::LoadHistory { request: path }]
    }

    /// The runtime read the history of `request`.
    pub(super) fn on_history_loaded(
        &mut self,
        request: PathBuf,
        rows: Result<Vec<PastRow>, String>,
    ) {
        if let Some(Layer::HistoryList(list)) = self.layers.top_mut()
            && list.request == request
        {
            list.rows = Some(rows);
            list.selected = 0;
        }
    }

    /// A past exchange was chosen: it opens in the response pane as the request's latest,
    /// its events replayed by the runtime from the history.
    pub(super) fn on_past_chosen(&mut self, (request, id): (PathBuf, i64)) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        let now = self.clock();
        let begun = self.sends.begin(request.clone(), now, now);
        if let Some(old) = begun.replaced {
            cmds.push(Cmd::Cancel(old));
        }
        if let Some(view) = self.sends.get_mut(&request) {
            view.past = Some(id);
        }
        self.reveal(&request);
        self.focus = Focus::Response;
        self.notice = Some(format!(
            "Exchange {id} from the history: nothing was sent (Ctrl-R sends it again)."
        ));
        cmds.push(Cmd::OpenPast {
            exchange: begun.exchange,
            id,
            body: super::sends::ResponseBody(begun.body),
        });
        cmds
    }
}
