//! Handing a message to the app and carrying out the commands it returns, in order. A
//! command's immediate answer (a save's result, a tree operation's reload) is handled before
//! the next message. Nothing here waits: sends, previews and body work run in tasks of their
//! own, and what the loop itself must do (quit, the editor, the clipboard) comes back in an
//! [`Outcome`].

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::Instant;

use super::commands::Commands;
use crate::app::{App, Cmd, Msg};

/// What handling a message asks of the loop.
#[derive(Default)]
pub struct Outcome {
    pub quit: bool,
    pub drafts_changed: bool,
    /// Hand the terminal to the user's editor: (request, text, extension).
    pub edit_externally: Option<(PathBuf, String, String)>,
    /// Text for the system clipboard.
    pub clipboard: Option<String>,
}

/// Updates the app with `msg`, stamped with the time now, and carries out its commands. A
/// quit that follows a failed save is not carried out: the user sees why and decides again.
pub fn handle(app: &mut App, commands: &mut Commands, msg: Msg) -> Outcome {
    let mut dispatch = Dispatch {
        outcome: Outcome::default(),
        queue: VecDeque::from([msg]),
        save_failed: false,
    };
    while let Some(msg) = dispatch.queue.pop_front() {
        for cmd in app.update(msg, Instant::now()) {
            dispatch.carry_out(app, commands, cmd);
        }
    }
    dispatch.outcome
}

/// One message's handling under way.
struct Dispatch {
    outcome: Outcome,
    /// Answers to give the app, in order.
    queue: VecDeque<Msg>,
    save_failed: bool,
}

impl Dispatch {
    fn carry_out(&mut self, app: &App, commands: &mut Commands, cmd: Cmd) {
        match cmd {
            Cmd::Quit if self.save_failed => {}
            Cmd::Quit => self.outcome.quit = true,
            Cmd::Send {
                exchange,
                plan,
                body,
            } => commands.send(exchange, *plan, body.0),
            Cmd::Cancel(exchange) => commands.cancel(exchange),
            Cmd::SessionMessage {
                exchange,
                plan,
                message,
            } => commands.session_message(exchange, *plan, message),
            Cmd::SessionCommand { exchange, command } => {
                commands.session_command(exchange, command)
            }
            Cmd::Preview(plan) => commands.preview(*plan),
            Cmd::StartLoad { run, plan, spec } => commands.start_load(run, *plan, spec),
            Cmd::StopLoad { run } => commands.stop_load(run),
            mock @ (Cmd::StartMock { .. } | Cmd::StopMock | Cmd::SaveMockMiss { .. }) => {
                commands.mock(mock)
            }
            Cmd::ImportFile { file, into } => commands.import_file(file, into),
            examples @ (Cmd::LoadExamples { .. }
            | Cmd::OpenExample { .. }
            | Cmd::SaveExample(_)) => commands.examples(examples),
            history @ (Cmd::LoadHistory { .. }
            | Cmd::LoadPastRequest { .. }
            | Cmd::ComparePast { .. }) => commands.history(history, &app.workspace().root),
            Cmd::OpenPast { exchange, id, body } => commands.open_past(exchange, id, body.0),
            Cmd::Save(request) => {
                let previous = app
                    .workspace()
                    .find_request(&request.path)
                    .map(|(_, _, r)| r.clone());
                let result = commands.save(request, previous.as_ref());
                self.save_failed |= matches!(result, Msg::SaveFailed { .. });
                self.queue.push_back(result);
            }
            Cmd::DraftsChanged => self.outcome.drafts_changed = true,
            Cmd::Copy(text) => self.outcome.clipboard = Some(text),
            Cmd::RememberEnvironments(active) => {
                if let Some(failed) = commands.remember_environments(&active) {
                    self.queue.push_back(failed);
                }
            }
            Cmd::Tree(op) => {
                let reloaded = commands.tree(op, &app.workspace().root);
                self.queue.push_back(reloaded);
            }
            Cmd::EditExternally {
                request,
                text,
                extension,
            } => self.outcome.edit_externally = Some((request, text, extension)),
            body_work @ (Cmd::Search { .. }
            | Cmd::Jq { .. }
            | Cmd::CopyBody { .. }
            | Cmd::SaveBody { .. }
            | Cmd::Fold { .. }
            | Cmd::ValueAt { .. }
            | Cmd::DecodePicture(_)) => self.on_body(app, commands, body_work),
            Cmd::FitPicture { exchange, cells } => {
                if let Some(picture) = app.picture_of(exchange) {
                    commands.fit_picture(exchange, picture, cells);
                }
            }
        }
    }

    /// Work on a response body, in the background: nothing when the body is gone.
    fn on_body(&mut self, app: &App, commands: &mut Commands, cmd: Cmd) {
        match cmd {
            Cmd::Search {
                exchange,
                id,
                query,
                target,
            } => {
                if let Some(body) = app.body_of(exchange) {
                    commands.search(exchange, body, id, query, target);
                }
            }
            Cmd::Jq {
                exchange,
                id,
                filter,
            } => {
                if let Some(body) = app.body_of(exchange) {
                    commands.jq.submit(exchange, id, filter, body);
                }
            }
            Cmd::CopyBody { exchange, part } => {
                let copied = app
                    .body_of(exchange)
                    .map(|body| commands.body_to_copy(&body, &part));
                match copied {
                    Some(Ok(text)) => {
                        let notice = format!("Copied {} bytes of the body.", text.len());
                        self.queue.push_back(Msg::Notice(notice));
                        self.outcome.clipboard = Some(text);
                    }
                    Some(Err(why)) => self.queue.push_back(Msg::Notice(why.to_string())),
                    None => {}
                }
            }
            Cmd::SaveBody {
                exchange,
                path,
                part,
            } => {
                if let Some(body) = app.body_of(exchange) {
                    commands.save_body(body, path, part);
                }
            }
            Cmd::Fold { exchange, line } => {
                if let Some(body) = app.body_of(exchange) {
                    commands.fold(exchange, body, line);
                }
            }
            Cmd::ValueAt { exchange, line } => {
                if let Some(body) = app.body_of(exchange) {
                    commands.value_at(exchange, body, line);
                }
            }
            Cmd::DecodePicture(exchange) => {
                if let Some(body) = app.body_of(exchange) {
                    commands.decode_picture(exchange, body);
                }
            }
            // carry_out sends only the commands above here.
            other => tracing::error!(?other, "not work on a body"),
        }
    }
}
