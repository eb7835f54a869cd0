//! The event loop. It owns the terminal (see [`terminal`]), waits on every source of events —
//! keys, paste and resizes from the terminal, engine events, changes on disk, signals, and a
//! clock that ticks only while a request is in flight — feeds each to `App::update` as a
//! `Msg`, carries out the returned `Cmd`s, and draws when the app says something changed.
//! Messages that are already waiting are all handled before a frame is drawn, and frames no
//! key asked for come at most every 16 ms, so a fast stream costs a frame per batch, not one
//! per chunk. Sends, previews and work on bodies run in tasks (see `sending` and
//! `dispatch`); the loop itself never waits on the network or a file. With nothing happening
//! it sleeps: no timers, no polling.

mod checks;
mod commands;
mod dispatch;
mod examples;
mod external;
mod graphics;
mod importing;
pub mod jq;
mod json_check;
mod load_runs;
mod mocking;
mod past;
mod preview;
mod recording;
mod sending;
mod sessions;
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
use dispatch::{Outcome, handle};
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
    // Read before the terminal changes, so a directory that cannot be read is said on the shell.
    let head = load_head(dir).await?;
    let (theme_name, theme_problem) = theme_name(&config, std::env::var("COURIER_THEME").ok());
    let theme = Theme::named(
        theme_name,
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
    );
    // Signals are caught from before the terminal changes: a SIGTERM that arrived between the
    // first frame and the handlers would otherwise kill Courier with the terminal still raw.
    let signals = Signals::catch()?;
    let _guard = terminal::TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let mut app = open(dir, head, &theme, &mut terminal).await?;
    app.set_spill_dir(paths.cache_dir.join("bodies"));
    if let Some(problem) = theme_problem {
        app.update(Msg::Notice(problem), Instant::now());
    }
    // Small, so a body arriving faster than it is taken in waits in the socket (TCP flow
    // control) rather than piling up here: 64 chunks of up to 64 KiB is 4 MiB at most.
    let (engine_events, engine_received) = mpsc::channel(64);
    let (results, results_received) = mpsc::unbounded_channel();
    let history = open_history(&config, paths, &mut app);
    let mut commands = Commands::new(
        engine_events,
        results,
        config.options.clone(),
        paths,
        history,
    );
    restore_state(&mut app, paths);

    // The tree's frame goes out before the watcher starts: setting up a recursive watch walks
    // the whole tree, and the user should not wait for it.
    terminal.draw(|frame| ui::draw(&app, &theme, frame))?;
    app.take_redraw();
    let (graphics, graphics_problem) =
        graphics::choice(&config, std::env::var("COURIER_GRAPHICS").ok());
    let detected = graphics::detect(|name| std::env::var(name).ok());
    commands.picker = Some(graphics::picker(graphics, detected, graphics::cell_size()));
    if let Some(problem) = graphics_problem {
        app.update(Msg::Notice(problem), Instant::now());
    }
    // Without a watcher Courier still works; it just will not see changes made elsewhere.
    let (_watcher, disk_changes) = match watch::watch(dir) {
        Ok((watcher, changes)) => (Some(watcher), changes),
        Err(err) => {
            tracing::warn!(%err, "cannot watch the collections for changes");
            (None, mpsc::unbounded_channel().1)
        }
    };
    let mut event_loop = EventLoop {
        app,
        commands,
        theme,
        terminal,
        terminal_events: EventStream::new(),
        engine_received,
        results_received,
        disk_changes,
        signals,
        dir,
        paths,
        ticker: None,
        reload_at: None,
        journal_at: None,
        redraw: false,
        input: false,
        last_frame: tokio::time::Instant::now(),
    };
    let result = event_loop.run().await;
    // The journal holds exactly the edits still unsaved (none after save-all or discard).
    event_loop.commands.journal(&event_loop.app);
    result
}

/// The first screenful of the tree in `dir`, read on a blocking thread.
async fn load_head(dir: &Path) -> anyhow::Result<store::Workspace> {
    let screen_rows = crossterm::terminal::size().map_or(50, |(_, rows)| usize::from(rows));
    let dir = dir.to_owned();
    tokio::task::spawn_blocking(move || store::load_workspace_head(&dir, screen_rows))
        .await?
        .map_err(|err| anyhow::anyhow!("cannot open the collections: {err}"))
}

/// The app over the collections in `dir`, of which `head` is the first screenful. When that
/// is all of them the app opens on it; else it is drawn while the rest loads, which comes in
/// as a reload. Keys typed meanwhile wait in the terminal's input.
async fn open(
    dir: &Path,
    head: store::Workspace,
    theme: &Theme,
    terminal: &mut Terminal<CrosstermBackend<io::Stdout>>,
) -> anyhow::Result<App> {
    let rest = head.partial.then(|| {
        let dir = dir.to_owned();
        tokio::task::spawn_blocking(move || store::load_workspace(&dir))
    });
    let mut app = App::new(head);
    let size = terminal.size()?;
    let resize = Msg::Resize {
        width: size.width,
        height: size.height,
    };
    app.update(resize, Instant::now());
    if let Some(rest) = rest {
        // The head alone, while the rest loads.
        terminal.draw(|frame| ui::draw(&app, theme, frame))?;
        let workspace = rest
            .await?
            .map_err(|err| anyhow::anyhow!("cannot open the collections: {err}"))?;
        app.update(Msg::WorkspaceLoaded(workspace), Instant::now());
    }
    Ok(app)
}

/// The history sends are recorded into, or None when the config turns it off or it cannot be
/// used (said in the footer: sending works without it).
fn open_history(config: &Config, paths: &Paths, app: &mut App) -> Option<recording::SharedHistory> {
    let settings = config.history.settings();
    if !settings.enabled {
        return None;
    }
    let dir = crate::history::History::dir_in(&paths.state_dir);
    match crate::history::History::open(&dir, settings) {
        Ok(history) => Some(recording::SharedHistory::new(history)),
        Err(err) => {
            tracing::warn!(%err, "history is off");
            app.update(
                Msg::Notice(format!("History is off: {err}")),
                Instant::now(),
            );
            None
        }
    }
}

/// The theme: `COURIER_THEME` (`from_env`: dark or light) over the config file's `theme`,
/// and what to say when `COURIER_THEME` is neither.
fn theme_name(
    config: &Config,
    from_env: Option<String>,
) -> (crate::model::ThemeName, Option<String>) {
    env_over_config(
        config.theme.unwrap_or_default(),
        from_env,
        crate::model::ThemeName::parse,
        |text, configured| {
            format!("COURIER_THEME=`{text}` is neither dark nor light; using {configured:?}.")
        },
    )
}

/// A setting from the environment (`from_env`, parsed by `parse`) over the config file's
/// `configured` one, and what to say (`problem`) when the environment's is no value of it.
fn env_over_config<T: Copy>(
    configured: T,
    from_env: Option<String>,
    parse: impl Fn(&str) -> Option<T>,
    problem: impl Fn(&str, T) -> String,
) -> (T, Option<String>) {
    match from_env {
        Some(text) => match parse(&text) {
            Some(value) => (value, None),
            None => (configured, Some(problem(&text, configured))),
        },
        None => (configured, None),
    }
}

/// The environments and unsaved drafts of the last run.
fn restore_state(app: &mut App, paths: &Paths) {
    let environments = commands::remembered_environments(&paths.state_dir);
    app.update(Msg::EnvironmentsRestored(environments), Instant::now());
    match store::read_journal(&paths.draft_journal()) {
        Ok(drafts) if !drafts.is_empty() => {
            app.update(Msg::DraftsRestored(drafts), Instant::now());
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(%err, "cannot restore drafts"),
    }
}

/// The signals that end Courier the way `Ctrl-Q` would: terminal restored, journal written.
struct Signals {
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
    interrupt: tokio::signal::unix::Signal,
}

impl Signals {
    fn catch() -> io::Result<Signals> {
        Ok(Signals {
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
            interrupt: signal(SignalKind::interrupt())?,
        })
    }

    async fn any(&mut self) {
        tokio::select! {
            _ = self.terminate.recv() => {}
            _ = self.hangup.recv() => {}
            _ = self.interrupt.recv() => {}
        }
    }
}

/// What the loop waits for next.
enum Wake {
    /// A message for the app.
    Msg(Msg),
    /// Something the loop handled itself (a frame, a debounce); look again.
    Again,
    /// The terminal went away or a signal came: stop.
    Stop,
}

/// The loop's state between two messages.
struct EventLoop<'a> {
    app: App,
    commands: Commands,
    theme: Theme,
    terminal: Terminal<CrosstermBackend<io::Stdout>>,
    terminal_events: EventStream,
    engine_received: mpsc::Receiver<crate::http::EngineEvent>,
    results_received: mpsc::UnboundedReceiver<Msg>,
    disk_changes: mpsc::UnboundedReceiver<()>,
    signals: Signals,
    dir: &'a Path,
    paths: &'a Paths,
    /// Ticks only while a send is going, to move its elapsed time.
    ticker: Option<tokio::time::Interval>,
    /// When the collections reload, once the disk has been quiet.
    reload_at: Option<tokio::time::Instant>,
    /// When the draft journal is written, once edits pause.
    journal_at: Option<tokio::time::Instant>,
    /// A frame is owed.
    redraw: bool,
    /// The last message came from the user (drawn at once, not paced).
    input: bool,
    last_frame: tokio::time::Instant,
}

impl EventLoop<'_> {
    async fn run(&mut self) -> anyhow::Result<()> {
        loop {
            self.draw_if_due()?;
            // The clock runs only while something is in flight.
            match (self.app.in_flight(), self.ticker.is_some()) {
                (true, false) => self.ticker = Some(tokio::time::interval(TICK)),
                (false, true) => self.ticker = None,
                _ => {}
            }
            let msg = match self.next().await? {
                Wake::Msg(msg) => msg,
                Wake::Again => continue,
                Wake::Stop => return Ok(()),
            };
            self.input = matches!(
                msg,
                Msg::Key(_) | Msg::Paste(_) | Msg::Mouse(_) | Msg::Resize { .. }
            );
            let mut outcome = handle(&mut self.app, &mut self.commands, msg);
            self.take_in_waiting_events(&mut outcome);
            if self.after(outcome)? {
                return Ok(());
            }
        }
    }

    /// Draws when a frame is owed: at once after the user's input, else at most every FRAME.
    fn draw_if_due(&mut self) -> anyhow::Result<()> {
        self.redraw |= self.app.take_redraw();
        if self.redraw && (self.input || self.last_frame.elapsed() >= FRAME) {
            let (app, theme) = (&self.app, &self.theme);
            self.terminal.draw(|frame| ui::draw(app, theme, frame))?;
            self.last_frame = tokio::time::Instant::now();
            self.redraw = false;
        }
        Ok(())
    }

    /// Waits for the next thing to happen.
    async fn next(&mut self) -> anyhow::Result<Wake> {
        let frame_due = self.redraw.then_some(self.last_frame + FRAME);
        let wake = tokio::select! {
            event = self.terminal_events.next() => match event {
                Some(Ok(Event::Key(key))) => Wake::Msg(Msg::Key(key)),
                Some(Ok(Event::Paste(text))) => Wake::Msg(Msg::Paste(text)),
                Some(Ok(Event::Mouse(mouse))) => Wake::Msg(Msg::Mouse(mouse)),
                Some(Ok(Event::Resize(width, height))) => Wake::Msg(Msg::Resize { width, height }),
                Some(Ok(_)) => Wake::Again,
                Some(Err(err)) => return Err(err.into()),
                None => Wake::Stop, // the terminal went away
            },
            Some(event) = self.engine_received.recv() => Wake::Msg(Msg::Engine(event)),
            Some(msg) = self.results_received.recv() => Wake::Msg(msg),
            Some(()) = self.disk_changes.recv() => {
                self.reload_at = Some(tokio::time::Instant::now() + RELOAD_QUIET);
                Wake::Again
            }
            _ = sleep_until(self.reload_at) => {
                self.reload_at = None;
                match store::load_workspace(self.dir) {
                    Ok(workspace) => Wake::Msg(Msg::WorkspaceLoaded(workspace)),
                    Err(err) => {
                        tracing::warn!(%err, "cannot reload the collections");
                        Wake::Again
                    }
                }
            }
            _ = sleep_until(frame_due) => Wake::Again,
            _ = sleep_until(self.journal_at) => {
                self.journal_at = None;
                self.commands.journal(&self.app);
                Wake::Again
            }
            () = tick(&mut self.ticker) => Wake::Msg(Msg::Tick),
            () = self.signals.any() => Wake::Stop,
        };
        Ok(wake)
    }

    /// Engine events already waiting go in before the next frame, for a while.
    fn take_in_waiting_events(&mut self, outcome: &mut Outcome) {
        let batch_started = Instant::now();
        for _ in 0..BATCH {
            if outcome.quit || batch_started.elapsed() > BATCH_TIME {
                break;
            }
            let Ok(event) = self.engine_received.try_recv() else {
                break;
            };
            let more = handle(&mut self.app, &mut self.commands, Msg::Engine(event));
            outcome.quit |= more.quit;
            outcome.drafts_changed |= more.drafts_changed;
        }
    }

    /// Does what handling asked of the loop; true when Courier is to quit.
    fn after(&mut self, mut outcome: Outcome) -> anyhow::Result<bool> {
        if let Some((request, text, extension)) = outcome.edit_externally.take() {
            // The app shows why the editor gave nothing back; the message carries the sentence.
            let result = self
                .edit_externally(&text, &extension)?
                .map_err(|error| error.to_string());
            let edited = Msg::EditedExternally { request, result };
            let more = handle(&mut self.app, &mut self.commands, edited);
            outcome.drafts_changed |= more.drafts_changed;
        }
        if let Some(text) = outcome.clipboard.take() {
            // OSC 52: the terminal puts it on the system clipboard, even across SSH (in tmux
            // with `set -g set-clipboard on`). A terminal that refuses it ignores it.
            execute!(io::stdout(), CopyToClipboard::to_clipboard_from(text))?;
        }
        if outcome.drafts_changed {
            self.journal_at = Some(tokio::time::Instant::now() + JOURNAL_QUIET);
        }
        Ok(outcome.quit)
    }

    /// Hands the terminal to the user's editor with `text`, and takes it back.
    fn edit_externally(
        &mut self,
        text: &str,
        extension: &str,
    ) -> anyhow::Result<Result<String, external::EditorError>> {
        // The event stream reads the terminal in the background: it must stop, or it would
        // take the editor's keystrokes. A new one starts after.
        self.terminal_events = EventStream::new();
        terminal::restore();
        let cache_dir = &self.paths.cache_dir;
        let result = tokio::task::block_in_place(|| external::edit(cache_dir, text, extension));
        terminal::resume()?;
        // A fresh Terminal has empty buffers, so the next draw repaints everything (ratatui's
        // clear() would first ask the terminal where its cursor is).
        execute!(io::stdout(), Clear(ClearType::All))?;
        self.terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        self.terminal_events = EventStream::new();
        Ok(result)
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ThemeName;

    #[test]
    fn courier_theme_wins_over_the_config_file_and_a_wrong_one_is_said() {
        let config: Config = serde_json::from_str(r#"{"theme": "light"}"#).unwrap();
        assert_eq!(theme_name(&config, None), (ThemeName::Light, None));
        assert_eq!(
            theme_name(&config, Some("DARK".into())),
            (ThemeName::Dark, None)
        );
        let (name, problem) = theme_name(&config, Some("purple".into()));
        assert_eq!(name, ThemeName::Light);
        assert!(
            problem
                .unwrap_or_default()
                .contains("neither dark nor light")
        );
        assert_eq!(theme_name(&Config::default(), None).0, ThemeName::Dark);
    }
}
