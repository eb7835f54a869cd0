//! The event loop. It owns the terminal (see [`terminal`]), waits on every source of events —
//! keys, paste and resizes from the terminal, engine events, changes on disk, signals, and a
//! clock that ticks only while a request is in flight — feeds each to `App::update` as a
//! `Msg`, carries out the returned `Cmd`s, and draws when the app says something changed.
//! Messages that are already waiting are all handled before a frame is drawn, so a fast stream
//! costs one frame per batch, not one per chunk. With nothing happening it sleeps: no timers,
//! no polling.

mod commands;
mod external;
mod jq;
mod preview;
mod sending;
pub mod terminal;
mod watch;

use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

use crossterm::clipboard::CopyToClipboard;
use crossterm::event::{Event, EventStream};
use crossterm::execute;
use crossterm::terminal::{Clear, ClearType};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use crate::app::{App, Cmd, Msg};
use crate::model::Config;
use crate::paths::Paths;
use crate::store;
use crate::ui::{self, Theme};
use commands::Commands;
pub use terminal::restore;

/// What the runtime does with an engine event, in one call, for tests and benchmarks that
/// play it: the body bytes go into the response's store (as the send task writes them), then
/// the event goes to `update`, at `at`.
pub fn deliver(app: &mut App, event: crate::http::EngineEvent, at: Instant) -> Vec<Cmd> {
    if let Some(response) = app.send_of(event.id()).filter(|r| r.in_flight()) {
        event.write_body(
            &response.body,
            at.saturating_duration_since(response.started),
        );
    }
    app.update(Msg::Engine(event), at)
}

/// How often the elapsed time of a request in flight is redrawn.
const TICK: Duration = Duration::from_millis(100);
/// How long the disk must be quiet after a change before the collections reload.
const RELOAD_QUIET: Duration = Duration::from_millis(150);
/// How long edits must pause before the draft journal is written.
const JOURNAL_QUIET: Duration = Duration::from_millis(300);
/// The most waiting messages handled before a frame is drawn anyway.
const BATCH: usize = 512;
/// How long waiting engine events may be taken in before keys and a frame get their turn: a
/// big JSON body is pretty-printed as it arrives, and a backlog of it must not hold keys up.
const BATCH_TIME: Duration = Duration::from_millis(8);
/// The shortest time between two frames that no key asked for: a body streaming in would
/// otherwise be drawn once per chunk, thousands of times a second, and take the CPU its
/// pretty-printing needs. What the user typed is drawn at once.
const FRAME: Duration = Duration::from_millis(16);

/// Runs the TUI over the collections in `dir` until the user quits.
pub async fn run(dir: &Path, paths: &Paths, config: Config) -> anyhow::Result<()> {
    let workspace = store::load_workspace(dir)
        .map_err(|err| anyhow::anyhow!("cannot open the collections: {err}"))?;
    let mut app = App::new(workspace);
    app.set_spill_dir(paths.cache_dir.join("bodies"));
    let theme = Theme::new(std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()));
    // Small, so a body arriving faster than it is taken in waits in the socket (TCP flow
    // control) rather than piling up here: 64 chunks of up to 64 KiB is 4 MiB at most.
    let (engine_events, mut engine_received) = mpsc::channel(64);
    let (results, mut results_received) = mpsc::unbounded_channel();
    let mut commands = Commands::new(engine_events, results, config.options.clone(), paths);
    app.update(
        Msg::EnvironmentsRestored(commands::remembered_environments(&paths.state_dir)),
        Instant::now(),
    );
    match store::read_journal(&paths.draft_journal()) {
        Ok(drafts) if !drafts.is_empty() => {
            app.update(Msg::DraftsRestored(drafts), Instant::now());
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(%err, "cannot restore drafts"),
    }
    // Signals are caught from before the terminal changes: a SIGTERM that arrived between the
    // first frame and the handlers would otherwise kill Courier with the terminal still raw.
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let _guard = terminal::TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    app.update(
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
        Instant::now(),
    );

    // The first frame goes out before the watcher starts: setting up a recursive watch walks
    // the whole tree, and the user should not wait for it.
    terminal.draw(|frame| ui::draw(&app, &theme, frame))?;
    app.take_redraw();
    // Without a watcher Courier still works; it just will not see changes made elsewhere.
    let (_watcher, mut disk_changes) = match watch::watch(dir) {
        Ok((watcher, changes)) => (Some(watcher), changes),
        Err(err) => {
            tracing::warn!(%err, "cannot watch the collections for changes");
            (None, mpsc::unbounded_channel().1)
        }
    };

    let mut terminal_events = EventStream::new();
    let mut ticker: Option<tokio::time::Interval> = None;
    let mut reload_at: Option<tokio::time::Instant> = None;
    let mut journal_at: Option<tokio::time::Instant> = None;
    let mut redraw = false;
    let mut input = false;
    let mut last_frame = tokio::time::Instant::now();
    loop {
        redraw |= app.take_redraw();
        if redraw && (input || last_frame.elapsed() >= FRAME) {
            terminal.draw(|frame| ui::draw(&app, &theme, frame))?;
            last_frame = tokio::time::Instant::now();
            redraw = false;
        }
        let frame_due = redraw.then_some(last_frame + FRAME);
        // The clock runs only while something is in flight.
        match (app.in_flight(), ticker.is_some()) {
            (true, false) => ticker = Some(tokio::time::interval(TICK)),
            (false, true) => ticker = None,
            _ => {}
        }
        let msg = tokio::select! {
            event = terminal_events.next() => match event {
                Some(Ok(Event::Key(key))) => Msg::Key(key),
                Some(Ok(Event::Paste(text))) => Msg::Paste(text),
                Some(Ok(Event::Mouse(mouse))) => Msg::Mouse(mouse),
                Some(Ok(Event::Resize(width, height))) => Msg::Resize { width, height },
                Some(Ok(_)) => continue,
                Some(Err(err)) => return Err(err.into()),
                None => break, // the terminal went away
            },
            Some(event) = engine_received.recv() => Msg::Engine(event),
            Some(msg) = results_received.recv() => msg,
            Some(()) = disk_changes.recv() => {
                reload_at = Some(tokio::time::Instant::now() + RELOAD_QUIET);
                continue;
            }
            _ = sleep_until(reload_at) => {
                reload_at = None;
                match store::load_workspace(dir) {
                    Ok(workspace) => Msg::WorkspaceLoaded(workspace),
                    Err(err) => {
                        tracing::warn!(%err, "cannot reload the collections");
                        continue;
                    }
                }
            }
            _ = sleep_until(frame_due) => continue,
            _ = sleep_until(journal_at) => {
                journal_at = None;
                commands.journal(&app);
                continue;
            }
            () = tick(&mut ticker) => Msg::Tick,
            _ = terminate.recv() => break,
            _ = hangup.recv() => break,
            _ = interrupt.recv() => break,
        };
        input = matches!(
            msg,
            Msg::Key(_) | Msg::Paste(_) | Msg::Mouse(_) | Msg::Resize { .. }
        );
        let mut outcome = handle(&mut app, &mut commands, msg);
        // Everything else already waiting goes in before the next frame, for a while.
        let batch_started = Instant::now();
        for _ in 0..BATCH {
            if outcome.quit || batch_started.elapsed() > BATCH_TIME {
                break;
            }
            let Ok(event) = engine_received.try_recv() else {
                break;
            };
            let more = handle(&mut app, &mut commands, Msg::Engine(event));
            outcome.quit |= more.quit;
            outcome.drafts_changed |= more.drafts_changed;
        }
        if let Some((request, text, extension)) = outcome.edit_externally.take() {
            // The event stream reads the terminal in the background: it must stop, or it would
            // take the editor's keystrokes. A new one starts after.
            drop(terminal_events);
            terminal::restore();
            let result =
                tokio::task::block_in_place(|| external::edit(&paths.cache_dir, &text, &extension));
            terminal::resume()?;
            // A fresh Terminal has empty buffers, so the next draw repaints everything (ratatui's
            // clear() would first ask the terminal where its cursor is).
            execute!(io::stdout(), Clear(ClearType::All))?;
            terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
            terminal_events = EventStream::new();
            let more = handle(
                &mut app,
                &mut commands,
                Msg::EditedExternally { request, result },
            );
            outcome.drafts_changed |= more.drafts_changed;
        }
        if let Some(text) = outcome.clipboard.take() {
            // OSC 52: the terminal puts it on the system clipboard, even across SSH (in tmux
            // with `set -g set-clipboard on`). A terminal that refuses it ignores it.
            execute!(io::stdout(), CopyToClipboard::to_clipboard_from(text))?;
        }
        if outcome.drafts_changed {
            journal_at = Some(tokio::time::Instant::now() + JOURNAL_QUIET);
        }
        if outcome.quit {
            break;
        }
    }
    // The journal holds exactly the edits still unsaved (none after save-all or discard).
    commands.journal(&app);
    Ok(())
}

/// What handling a message asks of the loop.
#[derive(Default)]
struct Outcome {
    quit: bool,
    drafts_changed: bool,
    /// Hand the terminal to the user's editor: (request, text, extension).
    edit_externally: Option<(std::path::PathBuf, String, String)>,
    /// Text for the system clipboard.
    clipboard: Option<String>,
}

/// Updates the app with `msg`, stamped with the time now, and carries out its commands in
/// order; a command's immediate answer is handled before the next message. Nothing here
/// waits: sends, previews and body work run in tasks of their own. A quit that follows a
/// failed save is not carried out: the user sees why and decides again.
fn handle(app: &mut App, commands: &mut Commands, msg: Msg) -> Outcome {
    let mut outcome = Outcome::default();
    let mut queue = std::collections::VecDeque::from([msg]);
    let mut save_failed = false;
    while let Some(msg) = queue.pop_front() {
        for cmd in app.update(msg, Instant::now()) {
            match cmd {
                Cmd::Quit if save_failed => {}
                Cmd::Quit => outcome.quit = true,
                Cmd::Send {
                    exchange,
                    plan,
                    body,
                } => commands.send(exchange, *plan, body.0),
                Cmd::Cancel(exchange) => commands.cancel(exchange),
                Cmd::Save(request) => {
                    let previous = app
                        .workspace
                        .find_request(&request.path)
                        .map(|(_, _, r)| r.clone());
                    let result = commands.save(request, previous.as_ref());
                    save_failed |= matches!(result, Msg::SaveFailed { .. });
                    queue.push_back(result);
                }
                Cmd::DraftsChanged => outcome.drafts_changed = true,
                Cmd::Copy(text) => outcome.clipboard = Some(text),
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
                            queue.push_back(Msg::Notice(format!(
                                "Copied {} bytes of the body.",
                                text.len()
                            )));
                            outcome.clipboard = Some(text);
                        }
                        Some(Err(why)) => queue.push_back(Msg::Notice(why)),
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
                Cmd::Preview(plan) => commands.preview(*plan),
                Cmd::RememberEnvironments(active) => {
                    if let Some(failed) = commands.remember_environments(&active) {
                        queue.push_back(failed);
                    }
                }
                Cmd::CheckJson(exchange) => {
                    if let Some(body) = app.body_of(exchange) {
                        commands.check_json(exchange, body);
                    }
                }
                Cmd::Tree(op) => queue.push_back(commands.tree(op, &app.workspace.root.clone())),
                Cmd::EditExternally {
                    request,
                    text,
                    extension,
                } => {
                    outcome.edit_externally = Some((request, text, extension));
                }
            }
        }
    }
    outcome
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

async fn tick(ticker: &mut Option<tokio::time::Interval>) {
    match ticker {
        Some(ticker) => {
            ticker.tick().await;
        }
        None => std::future::pending().await,
    }
}
