//! The latest exchange of each request as the response pane shows it: what was sent, the
//! head, a handle on the body's store (fed by the runtime as chunks arrive; see
//! [`crate::body::store`]), how it ended, and where the user is looking. Pure state.

use std::time::{Duration, Instant};

use super::keymap::Action;
use super::sends::Phase;
use crate::body::store::{BodyKind, BodyStore, SharedBody, lock};
use crate::http::{ExchangeId, ResponseHead, SentRequest};

/// The tabs of the response pane: four views of the body, then what came around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResponseTab {
    #[default]
    Pretty,
    Raw,
    Hex,
    Events,
    Headers,
    Cookies,
    Timing,
    Tests,
}

impl ResponseTab {
    pub const ALL: [ResponseTab; 8] = [
        ResponseTab::Pretty,
        ResponseTab::Raw,
        ResponseTab::Hex,
        ResponseTab::Events,
        ResponseTab::Headers,
        ResponseTab::Cookies,
        ResponseTab::Timing,
        ResponseTab::Tests,
    ];

    pub fn title(self) -> &'static str {
        match self {
            ResponseTab::Pretty => "Pretty",
            ResponseTab::Raw => "Raw",
            ResponseTab::Hex => "Hex",
            ResponseTab::Events => "Events",
            ResponseTab::Headers => "Headers",
            ResponseTab::Cookies => "Cookies",
            ResponseTab::Timing => "Timing",
            ResponseTab::Tests => "Tests",
        }
    }

    /// Whether the tab shows the body (and so scrolls through it).
    pub fn is_body_view(self) -> bool {
        matches!(
            self,
            ResponseTab::Pretty | ResponseTab::Raw | ResponseTab::Hex | ResponseTab::Events
        )
    }

    /// The view a body of this kind opens in.
    pub fn for_kind(kind: BodyKind) -> ResponseTab {
        match kind {
            BodyKind::Sse | BodyKind::Ndjson => ResponseTab::Events,
            BodyKind::Binary => ResponseTab::Hex,
            _ => ResponseTab::Pretty,
        }
    }
}

/// Bytes a Hex view row shows.
pub const HEX_ROW: u64 = 16;

/// A request's latest send: where it is, what went out and came back, and where the user is
/// looking in it.
/// Where an exchange opened without sending came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replayed {
    /// The history's exchange of this id (`H`).
    History(i64),
    /// The request's example of this name.
    Example(String),
}

impl Replayed {
    /// As the status line says it.
    pub fn describe(&self) -> String {
        match self {
            Replayed::History(id) => format!("from the history (#{id})"),
            Replayed::Example(name) => format!("example “{name}”"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ResponseView {
    pub exchange: ExchangeId,
    /// When the user's send this one belongs to began: its own, or that of a request that
    /// needs this response. A dependency's response finished since is fresh for it.
    pub origin: Instant,
    /// Where the elapsed time counts from: the send, then the engine's start of the exchange.
    pub started: Instant,
    pub phase: Phase,
    pub sent: Option<SentRequest>,
    pub head: Option<ResponseHead>,
    pub body: SharedBody,
    /// The first line (or Hex row) shown, counted on screen (a fold is one line).
    pub scroll: u64,
    /// The line the user is on (or the selected event), counted on screen.
    pub cursor: u64,
    /// Folded objects and arrays of the pretty JSON: (first line, last line) of each, in the
    /// body's own line numbers, sorted and never overlapping; all but the first line hidden.
    pub folds: Vec<(u64, u64)>,
    /// Keep the end in view as the body grows: on for streams, off once the user scrolls
    /// up, on again at the bottom.
    pub follow: bool,
    /// The body view was chosen for this body's kind (once, at its first bytes).
    pub view_chosen: bool,
    /// A finished JSON body is being checked whole (a big one takes a while): the status
    /// says so until the answer comes.
    pub checking_json: bool,
    /// The runtime's check of a JSON body has answered (it checks as the body arrives, so
    /// this can come before the end, or just after it).
    pub json_checked: bool,
    /// The last search of this body.
    pub search: Option<super::inspect::BodySearch>,
    /// A jq filter over the body: while set, the Pretty view shows its output.
    pub jq: Option<super::jq_view::JqView>,
    /// The picture of an image body, from when the body is complete.
    pub picture: Option<super::picture::PictureState>,
    /// Where the exchange came from when it was opened, not sent: the history or an example.
    pub replayed: Option<Replayed>,
    /// A past exchange's request being sent again in place of the request as edited, until
    /// this send ends (kept while it waits on another request's response).
    pub sent_as: Option<crate::store::LoadedRequest>,
    /// Answers given to the request's `{{prompt …}}`s during this send (kept while it is
    /// prepared again after each answer, or sent again for a request it needs).
    pub answers: Vec<(String, String)>,
    /// What the engine waits on the user for before it can send (an OAuth2 device code to
    /// enter), shown in the status line until the send starts.
    pub waiting_on_user: Option<String>,
    /// The request's assertions checked against this response, once it is whole.
    pub tests: Option<super::checks::Tests>,
    /// A WebSocket session's state, from its handshake on.
    pub session: Option<super::session_view::SessionView>,
}

impl ResponseView {
    /// A send that the runtime is about to prepare.
    pub fn new(
        exchange: ExchangeId,
        origin: Instant,
        now: Instant,
        body: SharedBody,
    ) -> ResponseView {
        ResponseView {
            exchange,
            origin,
            started: now,
            phase: Phase::Preparing,
            sent: None,
            head: None,
            body,
            scroll: 0,
            cursor: 0,
            folds: Vec::new(),
            follow: false,
            view_chosen: false,
            checking_json: false,
            json_checked: false,
            search: None,
            jq: None,
            picture: None,
            replayed: None,
            sent_as: None,
            answers: Vec::new(),
            waiting_on_user: None,
            tests: None,
            session: None,
        }
    }

    /// Takes in the response head; a stream (SSE, NDJSON) is followed as it grows.
    pub fn set_head(&mut self, head: ResponseHead) {
        let kind = BodyKind::from_content_type(head.content_type());
        self.follow = matches!(kind, Some(BodyKind::Sse | BodyKind::Ndjson));
        self.head = Some(head);
    }

    /// Whether `tab` has anything for this response: Cookies without a `Set-Cookie`, Timing
    /// before the end and Pretty for an image that is not a picture after all have not.
    pub fn has_something_in(&self, tab: ResponseTab) -> bool {
        match tab {
            ResponseTab::Cookies => self.head.as_ref().is_some_and(|head| {
                head.headers
                    .iter()
                    .any(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
            }),
            ResponseTab::Timing => matches!(self.phase, Phase::Done { .. }),
            ResponseTab::Pretty => {
                !matches!(self.picture, Some(super::picture::PictureState::Failed(_)))
            }
            _ => true,
        }
    }

    /// How many lines (rows, events) the body view `tab` has.
    pub fn line_count(&self, tab: ResponseTab) -> u64 {
        self.count_in(&lock(&self.body), tab)
    }

    /// Lines of the view `tab` on screen: the jq output's when a filter is on and this is
    /// Pretty; less what folds hide.
    pub fn count_in(&self, body: &BodyStore, tab: ResponseTab) -> u64 {
        match (&self.jq, tab) {
            (Some(jq), ResponseTab::Pretty) => jq.lines.len() as u64,
            _ if self.folds_apply(body, tab) => {
                let hidden: u64 = self.folds.iter().map(|(start, end)| end - start).sum();
                line_count(body, tab).saturating_sub(hidden)
            }
            _ => line_count(body, tab),
        }
    }

    /// Whether `tab` shows the pretty JSON, where folds are.
    pub fn folds_apply(&self, body: &BodyStore, tab: ResponseTab) -> bool {
        tab == ResponseTab::Pretty
            && self.jq.is_none()
            && body.kind == Some(BodyKind::Json)
            && body.shows_pretty()
            && !self.folds.is_empty()
    }

    /// The body line shown on screen line `display` (folds skipped).
    pub fn to_logical(&self, display: u64) -> u64 {
        let mut line = display;
        for (start, end) in &self.folds {
            if line > *start {
                line += end - start;
            } else {
                break;
            }
        }
        line
    }

    /// The screen line of body line `line`, opening any fold that hides it.
    pub fn reveal(&mut self, line: u64) -> u64 {
        self.folds
            .retain(|(start, end)| !(line > *start && line <= *end));
        let hidden: u64 = self
            .folds
            .iter()
            .filter(|(_, end)| *end < line)
            .map(|(start, end)| end - start)
            .sum();
        line - hidden
    }

    /// Folds lines `start..=end` (a fold inside it goes; it is inside this one now).
    pub fn fold(&mut self, start: u64, end: u64) {
        self.folds.retain(|(s, e)| *e < start || *s > end);
        let at = self.folds.partition_point(|(s, _)| *s < start);
        self.folds.insert(at, (start, end));
    }

    /// The line the user is on in `tab`: the last one while following.
    pub fn cursor_in(&self, body: &BodyStore, tab: ResponseTab) -> u64 {
        let last = self.count_in(body, tab).saturating_sub(1);
        if self.follow {
            last
        } else {
            self.cursor.min(last)
        }
    }

    /// Moves the cursor of the body view (the selected event, in Events) by a key's `action`;
    /// the view scrolls to keep it on screen, `page` lines tall. Reaching the end follows a
    /// growing body again.
    pub fn move_cursor(&mut self, action: Action, tab: ResponseTab, page: u64) {
        let (count, cursor, top) = {
            let body = lock(&self.body);
            (
                self.count_in(&body, tab),
                self.cursor_in(&body, tab),
                self.top_line_in(&body, tab, page as usize),
            )
        };
        let last = count.saturating_sub(1);
        let target = match action {
            Action::Up => cursor.saturating_sub(1),
            Action::Down => (cursor + 1).min(last),
            Action::PageUp => cursor.saturating_sub(page),
            Action::PageDown => (cursor + page).min(last),
            Action::Top => 0,
            _ => last,
        };
        self.cursor = target;
        self.follow = target >= last && !matches!(action, Action::Up | Action::PageUp);
        self.scroll = if target < top {
            target
        } else if target >= top + page {
            target + 1 - page
        } else {
            top
        };
    }

    /// Puts the cursor on screen line `line` with some lines above it, no longer following.
    pub fn jump_to(&mut self, line: u64, page: u64) {
        self.cursor = line;
        self.scroll = line.saturating_sub(page / 3);
        self.follow = false;
    }

    /// The first line shown in a view `height` lines tall: the end when following, else where
    /// the user scrolled to (never past the last page).
    pub fn top_line(&self, tab: ResponseTab, height: usize) -> u64 {
        self.top_line_in(&lock(&self.body), tab, height)
    }

    /// [`ResponseView::top_line`] for a caller already holding the body's lock.
    pub fn top_line_in(&self, body: &BodyStore, tab: ResponseTab, height: usize) -> u64 {
        let height = (height as u64).max(1);
        let bottom = self.count_in(body, tab).saturating_sub(height);
        if self.follow {
            return bottom;
        }
        // The cursor stays on screen, whatever the height drawn.
        let cursor = self.cursor_in(body, tab);
        let top = self.scroll.min(bottom);
        if cursor < top {
            cursor
        } else if cursor >= top + height {
            cursor + 1 - height
        } else {
            top
        }
    }

    /// Whether the send is still going (waiting, preparing or on the wire).
    pub fn in_flight(&self) -> bool {
        self.phase.is_active()
    }

    /// Time since the send, or the send's duration once it ended.
    pub fn elapsed(&self, now: Instant) -> Duration {
        // An exchange from the history took the time it was recorded with, not its replay's.
        if let (Some(_), Phase::Done { summary, .. }) = (&self.replayed, &self.phase) {
            return summary.timing.total;
        }
        // One clock, from the user's send to the end as the user saw it (the network's own
        // time is in the Timing tab): it only ever goes forward.
        self.phase
            .finished()
            .unwrap_or(now)
            .saturating_duration_since(self.started)
    }
}

/// How many lines (rows, events) the body view `tab` has.
fn line_count(body: &BodyStore, tab: ResponseTab) -> u64 {
    match tab {
        ResponseTab::Pretty if body.shows_pretty() => body.pretty.line_count(),
        ResponseTab::Pretty | ResponseTab::Raw => body.raw.line_count(),
        ResponseTab::Hex => body.raw.len().div_ceil(HEX_ROW),
        ResponseTab::Events => body.events.len() as u64,
        _ => 0,
    }
}
