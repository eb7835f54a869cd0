//! The mouse: a click focuses the pane under it, selects a tree row (a second click on a folder
//! opens or closes it) or a tab; the wheel scrolls the pane under the pointer. Positions are
//! mapped through the same layout the UI draws with.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::keymap::Action;
use super::layers::Layer;
use super::layout::{areas, fitted_titles, tab_spans};
use super::{App, Cmd, Focus, RequestTab, ResponseTab, RowKind};

/// Inside a pane's border.
fn inner(area: Rect) -> Rect {
    Rect {
        x: area.x + 1,
        y: area.y + 1,
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    }
}

impl App {
    pub(super) fn on_mouse(&mut self, event: MouseEvent) -> Vec<Cmd> {
        if self.layers.any(Layer::blocks_mouse) {
            return Vec::new();
        }
        let at = Position::new(event.column, event.row);
        let areas = areas(self.size);
        let pane = [
            (Focus::Tree, areas.tree),
            (Focus::Request, areas.request),
            (Focus::Response, areas.response),
        ]
        .into_iter()
        .find(|(_, area)| area.contains(at));
        let Some((pane, area)) = pane else {
            return Vec::new();
        };
        self.layers.close(|layer| matches!(layer, Layer::Help));
        match event.kind {
            MouseEventKind::Down(MouseButton::Left) => self.click(pane, inner(area), at),
            MouseEventKind::ScrollUp => self.wheel(pane, -3),
            MouseEventKind::ScrollDown => self.wheel(pane, 3),
            _ => {}
        }
        Vec::new()
    }

    fn click(&mut self, pane: Focus, area: Rect, at: Position) {
        if pane != Focus::Request {
            self.leave_request_pane();
        }
        self.focus = pane;
        if !area.contains(at) {
            return; // on the border
        }
        let line = usize::from(at.y - area.y);
        let column = at.x - area.x;
        match pane {
            Focus::Tree => {
                let index = self.tree.offset() + line;
                let Some(kind) = self.tree.rows().get(index).map(|row| row.kind.clone()) else {
                    return;
                };
                let again = index == self.tree.selected_index();
                if !again {
                    self.tree.select(index);
                    self.request_pane.reset();
                }
                if again && matches!(kind, RowKind::Collection { .. } | RowKind::Folder { .. }) {
                    self.on_key_action(Action::Activate);
                }
            }
            Focus::Request if line == 1 => {
                let titles: Vec<&str> = RequestTab::ALL.iter().map(|t| t.title()).collect();
                let width = areas(self.size).request.width.saturating_sub(2);
                if let Some(i) = tab_spans(&fitted_titles(&titles, width))
                    .iter()
                    .position(|(a, b)| (*a..*b).contains(&column))
                {
                    self.request_pane.tab = RequestTab::ALL[i];
                    self.request_pane.row = 0;
                }
            }
            Focus::Request if line >= 2 && self.request_pane.editing.is_none() => {
                self.request_pane.row = line - 2;
            }
            Focus::Response if line == 1 => {
                let titles: Vec<&str> = ResponseTab::ALL.iter().map(|t| t.title()).collect();
                let width = areas(self.size).response.width.saturating_sub(2);
                if let Some(i) = tab_spans(&fitted_titles(&titles, width))
                    .iter()
                    .position(|(a, b)| (*a..*b).contains(&column))
                {
                    self.inspector.tab = ResponseTab::ALL[i];
                }
            }
            _ => {}
        }
    }

    fn wheel(&mut self, pane: Focus, by: isize) {
        let action = if by < 0 { Action::Up } else { Action::Down };
        match pane {
            Focus::Tree => {
                for _ in 0..by.unsigned_abs() {
                    self.on_key_action(action);
                }
            }
            Focus::Response => {
                for _ in 0..by.unsigned_abs() {
                    self.scroll_response(action);
                }
            }
            Focus::Request => {}
        }
    }

    /// Runs a tree or movement action as if its key was pressed in that pane.
    fn on_key_action(&mut self, action: Action) {
        let focus = self.focus;
        self.focus = Focus::Tree;
        match action {
            Action::Activate => {
                if let Some(open) = self.tree.row_is_open() {
                    self.set_open(!open);
                }
            }
            other => self.move_in_tree(other),
        }
        self.focus = focus;
    }
}
