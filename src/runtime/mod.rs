//! The event loop and the terminal's lifecycle. It owns the terminal: raw mode, the alternate
//! screen and bracketed paste go on at start and come off on every way out — a normal quit, an
//! error, a panic, SIGINT, SIGTERM or SIGHUP.
//!
//! The loop waits on the terminal's event stream and on signals, feeds each event to
//! `App::update` as a `Msg`, carries out the returned `Cmd`s, and draws only when the app says
//! something changed. With nothing happening it sleeps: no timers, no polling.

use std::io::{self, Write};
use std::path::Path;

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event, EventStream};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use futures_util::StreamExt;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::signal::unix::{SignalKind, signal};

use crate::app::{App, Cmd, Msg};
use crate::store;
use crate::ui::{self, Theme};

/// Runs the TUI over the collections in `dir` until the user quits.
pub async fn run(dir: &Path) -> anyhow::Result<()> {
    let workspace = store::load_workspace(dir)
        .map_err(|err| anyhow::anyhow!("cannot open the collections: {err}"))?;
    let mut app = App::new(workspace);
    let theme = Theme::new(std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()));

    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    app.update(Msg::Resize {
        width: size.width,
        height: size.height,
    });

    let mut events = EventStream::new();
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    loop {
        if app.take_redraw() {
            terminal.draw(|frame| ui::draw(&app, &theme, frame))?;
        }
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) => Msg::Key(key),
                Some(Ok(Event::Resize(width, height))) => Msg::Resize { width, height },
                Some(Ok(_)) => continue,
                Some(Err(err)) => return Err(err.into()),
                None => break, // the terminal went away
            },
            _ = terminate.recv() => break,
            _ = hangup.recv() => break,
            _ = interrupt.recv() => break,
        };
        if app.update(msg).contains(&Cmd::Quit) {
            break;
        }
    }
    Ok(())
}

/// Puts the terminal into UI mode and takes it out again when dropped — including while a panic
/// unwinds. A panic hook restores the terminal before the panic message prints, so the message
/// is readable.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> io::Result<TerminalGuard> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        crossterm::terminal::enable_raw_mode()?;
        execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        Ok(TerminalGuard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves UI mode. Safe to call more than once, and when UI mode was never entered.
pub fn restore() {
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = stdout.flush();
}
