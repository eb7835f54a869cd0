//! Carrying out the app's commands: sends and previews (handed to [`super::sending`]),
//! cancelling, saves, tree operations, and the background work on response bodies (search,
//! folds, jq, copies, JSON checks).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::mpsc;

use super::sending::{Running, Sender};
use crate::app::inspect::BodyPart;
use crate::app::{App, Msg, RenameKind, SendPlan, TreeOp};
use crate::http::{EngineEvent, ExchangeId};
use crate::model::Options;
use crate::store::{self, LoadedRequest};

/// What the runtime keeps to carry out commands.
pub struct Commands {
    /// Prepares and sends requests, each in a task of its own.
    sender: Sender,
    /// Answers of background work (a JSON check, a search, a jq run) for the app.
    results: mpsc::UnboundedSender<Msg>,
    /// Runs jq filters over bodies, off the UI thread.
    pub jq: super::jq::JqWorker,
    /// The search running over each exchange's body, to cancel when a newer one starts.
    searches: HashMap<ExchangeId, Arc<std::sync::atomic::AtomicBool>>,
    exchanges: HashMap<ExchangeId, Running>,
    /// The load runs going, to stop.
    loads: super::load_runs::LoadRuns,
    /// The mock server (`M`), to stop.
    mocking: super::mocking::Mocking,
    state_dir: PathBuf,
    journal_file: PathBuf,
    /// How pictures are drawn on this terminal (set after the first frame; half-blocks till
    /// then).
    pub picker: Option<ratatui_image::picker::Picker>,
}

impl Commands {
    pub fn new(
        events: mpsc::Sender<EngineEvent>,
        results: mpsc::UnboundedSender<Msg>,
        defaults: Options,
        paths: &crate::paths::Paths,
        history: Option<super::recording::SharedHistory>,
    ) -> Commands {
        Commands {
            sender: Sender::new(
                events,
                results.clone(),
                defaults,
                paths.state_dir.clone(),
                history,
            ),
            jq: super::jq::JqWorker::spawn(results.clone()),
            results,
            searches: HashMap::new(),
            exchanges: HashMap::new(),
            loads: Default::default(),
            mocking: Default::default(),
            state_dir: paths.state_dir.clone(),
            journal_file: paths.draft_journal(),
            picker: None,
        }
    }

    /// Decodes a complete image body on a blocking thread; the answer comes back as a message.
    pub fn decode_picture(&self, exchange: ExchangeId, body: crate::body::store::SharedBody) {
        let results = self.results.clone();
        tokio::task::spawn_blocking(move || {
            let result = crate::body::picture::decode(&body).map(Arc::new);
            let _ = results.send(Msg::PictureDecoded { exchange, result });
        });
    }

    /// Scales and encodes a picture for the terminal's graphics at `cells`, on a blocking
    /// thread (a sixel encoding of a big pane takes a while).
    pub fn fit_picture(
        &self,
        exchange: ExchangeId,
        picture: Arc<crate::body::picture::Picture>,
        cells: crate::app::picture::Cells,
    ) {
        let results = self.results.clone();
        let picker =
            (self.picker.clone()).unwrap_or_else(ratatui_image::picker::Picker::halfblocks);
        tokio::task::spawn_blocking(move || {
            let area = ratatui::layout::Rect::new(0, 0, cells.0, cells.1);
            let resize = ratatui_image::Resize::Fit(None);
            match picker.new_protocol(picture.image.clone(), area, resize) {
                Ok(protocol) => {
                    let fitted = crate::app::picture::Fitted { cells, protocol };
                    let _ = results.send(Msg::PictureFitted { exchange, fitted });
                }
                Err(err) => {
                    let notice = format!("Cannot draw the picture: {err}");
                    let _ = results.send(Msg::Notice(notice));
                }
            }
        });
    }

    /// Reads what is to be copied of a body; a body too big for a terminal's clipboard is
    /// refused with the reason.
    pub fn body_to_copy(
        &self,
        body: &crate::body::store::SharedBody,
        part: &BodyPart,
    ) -> Result<String, TooBigToCopy> {
        let body = crate::body::store::lock(body);
        let buffer = match part {
            BodyPart::Text(text) => return Ok(text.clone()),
            BodyPart::Raw => &body.raw,
            BodyPart::Pretty => &body.pretty,
        };
        if buffer.len() > MAX_COPY {
            return Err(TooBigToCopy {
                size_kb: buffer.len() / 1000,
                max_kb: MAX_COPY / 1000,
            });
        }
        let bytes = buffer.read_at(0, buffer.len() as usize);
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Writes (part of) a body to `path` on a blocking thread, through a temporary file in the
    /// same directory and a rename, so a half-written file never takes the name.
    pub fn save_body(&self, body: crate::body::store::SharedBody, path: PathBuf, part: BodyPart) {
        let results = self.results.clone();
        // `~/` is the home directory, as in a shell.
        let path = match (path.strip_prefix("~"), std::env::var_os("HOME")) {
            (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
            _ => path,
        };
        tokio::task::spawn_blocking(move || {
            let notice = match write_body(&body, &path, &part) {
                Ok(bytes) => format!("Saved {bytes} bytes to {}.", path.display()),
                Err(error) => format!("Could not save to {}: {error}", path.display()),
            };
            let _ = results.send(Msg::Notice(notice));
        });
    }

    /// Finds where a pretty JSON line's object or array closes, on a blocking thread (the
    /// top-level array of a big body is a long read).
    pub fn fold(&self, exchange: ExchangeId, body: crate::body::store::SharedBody, line: u64) {
        let results = self.results.clone();
        tokio::task::spawn_blocking(move || {
            let end = crate::body::store::find_fold_end(&body, line);
            let _ = results.send(Msg::Folded {
                exchange,
                start: line,
                end,
            });
        });
    }

    /// Finds the value on pretty line `line` and its JSON path, off the UI thread.
    pub fn value_at(&self, exchange: ExchangeId, body: crate::body::store::SharedBody, line: u64) {
        let results = self.results.clone();
        tokio::task::spawn_blocking(move || {
            let found = crate::body::json_path::at_line(&body, line);
            let _ = results.send(Msg::ValueAt { exchange, found });
        });
    }

    /// Writes which environment each collection uses, for the next run.
    pub fn remember_environments(
        &self,
        active: &std::collections::BTreeMap<PathBuf, String>,
    ) -> Option<Msg> {
        let file = environments_file(&self.state_dir);
        let written = serde_json::to_vec_pretty(active)
            .map_err(|error| error.to_string())
            .and_then(|json| {
                std::fs::create_dir_all(&self.state_dir).map_err(|error| error.to_string())?;
                store::write_atomic(&file, &json).map_err(|error| error.to_string())
            });
        written.err().map(|error| {
            Msg::Notice(format!(
                "Could not remember the environment in {}: {error}",
                file.display()
            ))
        })
    }

    /// Searches a body on a blocking thread, reporting progress as messages; a newer search
    /// of the same body cancels this one.
    pub fn search(
        &mut self,
        exchange: ExchangeId,
        body: crate::body::store::SharedBody,
        id: u64,
        query: String,
        target: crate::body::search::Target,
    ) {
        use std::sync::atomic::{AtomicBool, Ordering};
        let cancel = Arc::new(AtomicBool::new(false));
        if let Some(previous) = self.searches.insert(exchange, cancel.clone()) {
            previous.store(true, Ordering::Relaxed);
        }
        let results = self.results.clone();
        tokio::task::spawn_blocking(move || {
            crate::body::search::search(&body, target, &query, &cancel, |progress| {
                let _ = results.send(Msg::SearchProgress {
                    exchange,
                    id,
                    progress,
                });
            });
        });
    }

    /// Prepares and sends `plan` as `exchange`, off the loop.
    pub fn send(
        &mut self,
        exchange: ExchangeId,
        plan: SendPlan,
        body: crate::body::store::SharedBody,
    ) {
        self.exchanges.retain(|_, running| !running.is_finished());
        let running = self.sender.send(exchange, plan, body);
        self.exchanges.insert(exchange, running);
    }

    /// Renders `plan` for the preview, off the loop.
    /// Imports a file as a collection (`runtime::importing`).
    pub fn import_file(&self, file: PathBuf, into: PathBuf) {
        super::importing::import_file(file, into, self.state_dir.clone(), self.results.clone());
    }

    /// The Examples tab's work (`runtime::examples`).
    pub fn examples(&self, cmd: crate::app::Cmd) {
        match cmd {
            crate::app::Cmd::LoadExamples { request } => {
                super::examples::load(request, self.results.clone());
            }
            crate::app::Cmd::OpenExample {
                exchange,
                file,
                sent,
                body,
            } => self.sender.open_example(exchange, file, sent, body.0),
            crate::app::Cmd::SaveExample(example) => {
                super::examples::save(*example, self.results.clone());
            }
            _ => {}
        }
    }

    /// The history's work for the TUI (`runtime::past`); each answers that history is off
    /// when it is.
    pub fn history(&self, cmd: crate::app::Cmd, root: &std::path::Path) {
        const OFF: &str = "History is off (see the log, or the config's history).";
        let results = self.results.clone();
        let history = self.sender.history();
        match cmd {
            crate::app::Cmd::LoadHistory { scope, query } => match history {
                Some(history) => history.load(scope, query, root.to_owned(), results),
                None => {
                    let rows = Err(OFF.to_owned());
                    let _ = results.send(Msg::HistoryLoaded { scope, query, rows });
                }
            },
            crate::app::Cmd::LoadPastRequest { id, saved, then } => match history {
                Some(history) => history.load_request(id, *saved, then, results),
                None => {
                    let request = Err(OFF.to_owned());
                    let _ = results.send(Msg::PastRequestLoaded { id, then, request });
                }
            },
            crate::app::Cmd::ComparePast { old, new } => match history {
                Some(history) => history.compare(old, new, results),
                None => {
                    let rows = Err(OFF.to_owned());
                    let _ = results.send(Msg::PastCompared { old, new, rows });
                }
            },
            _ => {}
        }
    }

    pub fn open_past(&self, exchange: ExchangeId, id: i64, body: crate::body::store::SharedBody) {
        self.sender.open_past(exchange, id, body);
    }

    pub fn preview(&self, plan: SendPlan) {
        self.sender.preview(plan);
    }

    /// Starts load run `run` of `plan`'s request; its seconds and its end come as messages.
    pub fn start_load(&self, run: u64, plan: SendPlan, spec: crate::app::load_view::LoadSpec) {
        self.loads
            .start(&self.sender, self.results.clone(), (run, plan, spec));
    }

    pub fn stop_load(&self, run: u64) {
        self.loads.stop(run);
    }

    /// The mock's commands: start, stop, save a miss.
    pub fn mock(&mut self, cmd: crate::app::Cmd) {
        use crate::app::Cmd;
        match cmd {
            Cmd::StartMock {
                collection,
                environment,
            } => self
                .mocking
                .start(collection, environment, self.results.clone()),
            Cmd::StopMock => self.mocking.stop_it(),
            Cmd::SaveMockMiss {
                collection,
                url,
                miss,
            } => super::mocking::Mocking::save_miss(collection, url, miss, self.results.clone()),
            _ => {}
        }
    }

    /// Writes a request to disk; the message says how it went.
    pub fn save(&self, request: Box<LoadedRequest>, previous: Option<&LoadedRequest>) -> Msg {
        match store::save_request_replacing(&request, previous) {
            Ok(()) => Msg::Saved(request),
            Err(err) => Msg::SaveFailed {
                path: request.path.clone(),
                message: err.reason,
            },
        }
    }

    /// Writes the draft journal from the app's current drafts.
    pub fn journal(&self, app: &App) {
        if let Err(err) = store::write_journal(&self.journal_file, &app.drafts_to_journal()) {
            tracing::warn!(%err, "cannot write the draft journal");
        }
    }

    /// Changes the collection on disk, then reloads `dir` for the app.
    pub fn tree(&self, op: TreeOp, dir: &Path) -> Msg {
        use crate::store::ops;
        let result = match op {
            TreeOp::NewRequest { dir, name } => ops::create_request(&dir, &name).map(Some),
            TreeOp::NewCollection { root, name } => ops::create_collection(&root, &name).map(Some),
            TreeOp::NewFolder { dir, name } => ops::create_folder(&dir, &name).map(Some),
            TreeOp::Rename { path, kind, name } => match kind {
                RenameKind::Collection => ops::rename_collection(&path, &name),
                RenameKind::Folder => ops::rename_folder(&path, &name),
                RenameKind::Request => ops::rename_request(&path, &name),
            }
            .map(Some),
            TreeOp::Duplicate { path } => ops::duplicate_request(&path).map(Some),
            TreeOp::Move { path, into } => ops::move_item(&path, &into).map(Some),
            TreeOp::Delete { path } => ops::delete_item(&path).map(|()| None),
            TreeOp::SetOrder { dir, order } => ops::set_order(&dir, order).map(|()| None),
        };
        match result {
            Ok(select) => match store::load_workspace(dir) {
                Ok(workspace) => Msg::TreeChanged { workspace, select },
                Err(err) => {
                    Msg::TreeOpFailed(format!("done, but the collections did not reload: {err}"))
                }
            },
            Err(err) => Msg::TreeOpFailed(err.to_string()),
        }
    }

    pub fn session_message(
        &self,
        exchange: ExchangeId,
        plan: crate::app::SendPlan,
        message: crate::app::session_view::OutgoingMessage,
    ) {
        self.sender.session_message(exchange, plan, message);
    }

    pub fn session_command(&self, exchange: ExchangeId, command: crate::http::websocket::Command) {
        self.sender.session_command(exchange, command);
    }

    pub fn cancel(&mut self, exchange: ExchangeId) {
        if let Some(running) = self.exchanges.remove(&exchange) {
            running.cancel();
        }
    }
}

/// The most a copy puts on the clipboard: terminals refuse much bigger OSC 52 sequences.
const MAX_COPY: u64 = 1_000_000;

/// A body past what a terminal's clipboard takes.
#[derive(Debug, thiserror::Error)]
#[error(
    "The body is {size_kb} KB, too big for the clipboard (at most {max_kb} KB): s saves it to a file."
)]
pub struct TooBigToCopy {
    pub size_kb: u64,
    pub max_kb: u64,
}

fn write_body(
    body: &crate::body::store::SharedBody,
    path: &Path,
    part: &BodyPart,
) -> std::io::Result<u64> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(&dir)?;
    let written = match part {
        BodyPart::Text(text) => {
            file.write_all(text.as_bytes())?;
            text.len() as u64
        }
        BodyPart::Raw | BodyPart::Pretty => {
            // Block by block, so a 1 GB body is never in memory at once.
            let mut at = 0;
            loop {
                let block = {
                    let body = crate::body::store::lock(body);
                    let buffer = if *part == BodyPart::Raw {
                        &body.raw
                    } else {
                        &body.pretty
                    };
                    buffer.read_at(at, 1 << 20)
                };
                if block.is_empty() {
                    break at;
                }
                file.write_all(&block)?;
                at += block.len() as u64;
            }
        }
    };
    file.as_file().sync_all()?;
    file.persist(path).map_err(|error| error.error)?;
    Ok(written)
}

/// Where the active environment of each collection is kept between runs.
pub fn environments_file(state_dir: &Path) -> PathBuf {
    state_dir.join("environments.json")
}

/// The environments remembered by an earlier run (none when there is no such file or it is
/// unreadable: the user picks again).
pub fn remembered_environments(state_dir: &Path) -> std::collections::BTreeMap<PathBuf, String> {
    let file = environments_file(state_dir);
    match std::fs::read(&file) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
            tracing::warn!(%error, file = %file.display(), "cannot read the remembered environments");
            Default::default()
        }),
        Err(_) => Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::store::{BodyStore, lock};
    use std::time::Duration;

    #[test]
    fn a_spilled_body_is_saved_whole_raw_or_pretty_and_a_bad_path_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let body = BodyStore::shared(dir.path().join("spill"), 64);
        lock(&body).set_content_type("application/json");
        let text = format!("[{}]", vec!["{\"a\":1}"; 100].join(","));
        lock(&body).push(text.as_bytes(), Duration::ZERO);
        lock(&body).finish(Duration::ZERO);
        assert!(lock(&body).raw.is_spilled());
        let raw = dir.path().join("raw.json");
        assert_eq!(
            write_body(&body, &raw, &BodyPart::Raw).unwrap(),
            text.len() as u64
        );
        assert_eq!(std::fs::read_to_string(&raw).unwrap(), text);
        let pretty = dir.path().join("pretty.json");
        write_body(&body, &pretty, &BodyPart::Pretty).unwrap();
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&pretty).unwrap()).unwrap();
        assert_eq!(value.as_array().map(Vec::len), Some(100));
        assert!(write_body(&body, &dir.path().join("no/such/dir/x"), &BodyPart::Raw).is_err());
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(
            leftovers, 3,
            "spill dir and the two saved files, no temporary file"
        );
    }
}
