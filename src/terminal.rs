//! The only code that puts the terminal in raw mode. Whatever happens (a normal quit, an
//! error, a panic anywhere) the terminal is handed back as it was found: raw mode off,
//! main screen, cursor shown, mouse reporting off.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};
use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseEventKind,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::keymap::Key;
use crate::app::{Action, App, Effect, update};
use crate::effects;
use crate::theme::Theme;

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Undo everything `enter` did. Safe to call twice; errors are ignored because this
/// also runs while panicking, when there is nobody left to report them to.
fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, cursor::Show);
        let _ = disable_raw_mode();
        let _ = out.flush();
    }
}

/// Restores the terminal when dropped, so `?` and early returns cannot leave it raw.
struct Session;

impl Session {
    fn enter() -> Result<Self> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        enable_raw_mode().context("cannot switch the terminal to raw mode")?;
        ACTIVE.store(true, Ordering::SeqCst);
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            cursor::Hide
        )
        .context("cannot set up the terminal")?;
        Ok(Session)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        restore();
    }
}

/// Runs the TUI until the user quits. `initial` is performed before the first frame
/// (opening a file given on the command line). `theme` is the theme to start with; the
/// theme picker may change it (it lives in `app.theme` from here on).
pub fn run(mut app: App, theme: &Theme, initial: Option<Effect>) -> Result<()> {
    if app.theme != *theme {
        app.set_theme(theme.clone());
    }
    let _session = Session::enter()?;
    let mut terminal: Terminal<CrosstermBackend<Stdout>> =
        Terminal::new(CrosstermBackend::new(io::stdout())).context("cannot open the terminal")?;
    let size = terminal.size().context("cannot read the terminal size")?;
    app.resize(size.width, size.height);
    if let Some(effect) = initial {
        effects::perform(&mut app, effect);
    }
    let panic_at_draw = std::env::var_os("FOLIO_TEST_PANIC").is_some_and(|v| v == "draw");
    loop {
        terminal.draw(|frame| {
            if panic_at_draw {
                panic!("forced panic in draw (FOLIO_TEST_PANIC=draw)");
            }
            crate::ui::draw(frame, &app, &app.theme);
        })?;
        if app.should_quit {
            return Ok(());
        }
        let action = match event::read().context("cannot read terminal input")? {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                let bound = app.keymap.action(app.screen, Key::from_event(&key));
                // With help open, an unbound key still closes it.
                bound.or(app.show_help.then_some(Action::ToggleHelp))
            }
            Event::Mouse(mouse) => match mouse.kind {
                MouseEventKind::ScrollDown => Some(Action::ScrollDown),
                MouseEventKind::ScrollUp => Some(Action::ScrollUp),
                _ => None,
            },
            Event::Resize(width, height) => {
                app.resize(width, height);
                None
            }
            _ => None,
        };
        if let Some(effect) = action.and_then(|a| update(&mut app, a)) {
            effects::perform(&mut app, effect);
        }
    }
}
