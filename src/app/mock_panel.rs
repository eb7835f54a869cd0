//! The mock server in the TUI: `M` in the tree starts `courier mock` of the selected
//! collection (`Cmd::StartMock`) and opens its log, a layer listing each request it
//! answered, missed or refused, newest last, as `courier mock` prints them; the log keeps
//! filling while the layer is closed. In the log, `s` saves the miss under the cursor as a
//! new example (`Cmd::SaveMockMiss`: the request of that method and path, made when there is
//! none, with a 200 `{}` answer to edit), `x` stops the mock, `Esc` closes the log with the
//! mock still running. The mock reads the collection again whenever its files change, so an
//! example saved or edited is served at once.

use std::collections::VecDeque;
use std::path::PathBuf;

use crossterm::event::KeyEvent;

use super::keymap::{self, Action, Context};
use super::layers::Layer;
use super::{App, Cmd};
use crate::mock::record::MissedRequest;

/// Log rows kept; older ones go.
const KEPT: usize = 2000;

/// How a row reads at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowTone {
    Answered,
    Missed,
    Failed,
    Note,
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct MockRow {
    /// As `courier mock` prints it, made terminal-safe.
    pub line: String,
    pub tone: RowTone,
    /// A miss, to save as an example.
    pub miss: Option<MissedRequest>,
}

/// What the runtime says of the mock.
#[derive(Debug, Clone)]
pub enum MockMessage {
    /// It listens at this URL, or could not start.
    Started(Result<String, String>),
    /// Lines of its log, as they came.
    Logged(Vec<MockRow>),
    /// A miss saved as an example: the example's name and request, or why not.
    MissSaved(Result<String, String>),
}

/// The mock going, or being started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningMock {
    pub collection: PathBuf,
    pub name: String,
    /// Its URL once it listens.
    pub url: Option<String>,
}

/// The mock's state and its log.
#[derive(Debug, Default)]
pub struct MockPanel {
    pub running: Option<RunningMock>,
    pub rows: VecDeque<MockRow>,
}

/// The log, open: the row under the cursor (None follows the newest).
#[derive(Debug, Clone, Default)]
pub struct MockLog {
    pub selected: Option<usize>,
}

impl MockLog {
    /// The row under the cursor among `count`.
    pub fn cursor(&self, count: usize) -> Option<usize> {
        match self.selected {
            _ if count == 0 => None,
            Some(at) => Some(at.min(count - 1)),
            None => Some(count - 1),
        }
    }

    fn step(&mut self, by: isize, count: usize) {
        let Some(at) = self.cursor(count) else {
            return;
        };
        let next = (at as isize + by).clamp(0, count as isize - 1) as usize;
        // Back on the newest row, the cursor follows what comes.
        self.selected = (next + 1 < count).then_some(next);
    }
}

impl MockPanel {
    fn push(&mut self, rows: Vec<MockRow>) {
        self.rows.extend(rows);
        while self.rows.len() > KEPT {
            self.rows.pop_front();
        }
    }
}

impl App {
    /// The mock and its log.
    pub fn mock(&self) -> &MockPanel {
        &self.mock
    }

    /// `M`: starts a mock of the selected collection when none runs, and opens the log.
    pub(super) fn open_mock(&mut self) -> Vec<Cmd> {
        let mut cmds = Vec::new();
        if self.mock.running.is_none() {
            let Some((collection, name, _)) = self.selected_collection() else {
                self.notice = Some("Select a collection (or anything in it) to mock it.".into());
                return cmds;
            };
            let environment = self.active_environment(&collection).map(str::to_owned);
            self.mock.running = Some(RunningMock {
                collection: collection.clone(),
                name,
                url: None,
            });
            cmds.push(Cmd::StartMock {
                collection,
                environment,
            });
        }
        self.layers.open(Layer::MockLog(MockLog::default()));
        cmds
    }

    pub(super) fn on_mock_log_key(&mut self, key: &KeyEvent) -> Vec<Cmd> {
        let count = self.mock.rows.len();
        let Some(Layer::MockLog(log)) = self.layers.top_mut() else {
            return Vec::new();
        };
        const PAGE: isize = 10;
        match keymap::lookup(Context::MockLog, key) {
            Some(Action::Up) => log.step(-1, count),
            Some(Action::Down) => log.step(1, count),
            Some(Action::PageUp) => log.step(-PAGE, count),
            Some(Action::PageDown) => log.step(PAGE, count),
            Some(Action::Bottom) => log.selected = None,
            Some(Action::SaveExample) => {
                let row = log.cursor(count);
                return self.save_miss(row);
            }
            Some(Action::Cancel) => return self.stop_mock(),
            Some(Action::Close) => {
                self.layers.close_top();
            }
            Some(Action::Help) => self.layers.open(Layer::Help),
            Some(Action::Quit) => {
                self.layers.close_top();
                return self.quit();
            }
            _ => {}
        }
        Vec::new()
    }

    fn save_miss(&mut self, row: Option<usize>) -> Vec<Cmd> {
        let miss = row
            .and_then(|at| self.mock.rows.get(at))
            .and_then(|row| row.miss.clone());
        let (Some(miss), Some(running)) = (miss, &self.mock.running) else {
            self.notice = Some("Only a miss (a 404 or 405) can be saved as an example.".into());
            return Vec::new();
        };
        self.notice = Some(format!(
            "Saving {} {} as an example…",
            miss.method, miss.path
        ));
        vec![Cmd::SaveMockMiss {
            collection: running.collection.clone(),
            url: running.url.clone().unwrap_or_default(),
            miss,
        }]
    }

    fn stop_mock(&mut self) -> Vec<Cmd> {
        if self.mock.running.take().is_none() {
            self.notice = Some("No mock is running.".into());
            return Vec::new();
        }
        self.notice = Some("Mock stopped.".into());
        vec![Cmd::StopMock]
    }

    pub(super) fn on_mock_message(&mut self, message: MockMessage) -> Vec<Cmd> {
        match message {
            MockMessage::Started(Ok(url)) => {
                if let Some(running) = &mut self.mock.running {
                    self.notice = Some(format!("Mocking {} on {url}", running.name));
                    running.url = Some(url);
                }
            }
            MockMessage::Started(Err(why)) => {
                self.mock.running = None;
                self.notice = Some(format!("Mock: {why}"));
            }
            MockMessage::Logged(rows) => self.mock.push(rows),
            MockMessage::MissSaved(result) => {
                self.notice = Some(match result {
                    Ok(saved) => format!("Saved {saved}: edit it, the mock serves it as saved"),
                    Err(why) => format!("Not saved: {why}"),
                });
            }
        }
        Vec::new()
    }
}
