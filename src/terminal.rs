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

use crate::app::{Action, App, Effect, handle_key, update};
use crate::bodies::Loader;
use crate::effects;
use crate::theme::Theme;

/// How long the loop waits for a key before taking the bodies that arrived meanwhile.
const BODY_POLL: std::time::Duration = std::time::Duration::from_millis(50);

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
/// (opening a file given on the command line).
pub fn run(mut app: App, theme: &Theme, initial: Option<Effect>) -> Result<()> {
    let _session = Session::enter()?;
    let mut terminal: Terminal<CrosstermBackend<Stdout>> =
        Terminal::new(CrosstermBackend::new(io::stdout())).context("cannot open the terminal")?;
    let size = terminal.size().context("cannot read the terminal size")?;
    app.resize(size.width, size.height);
    if let Some(effect) = initial {
        effects::perform(&mut app, effect);
    }
    let panic_at_draw = std::env::var_os("FOLIO_TEST_PANIC").is_some_and(|v| v == "draw");
    let mut loader: Option<Loader> = None;
    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|frame| {
                if panic_at_draw {
                    panic!("forced panic in draw (FOLIO_TEST_PANIC=draw)");
                }
                crate::ui::draw(frame, &app, theme);
            })?;
        }
        if app.should_quit {
            return Ok(());
        }
        // Bodies for full-text search load after the first frame, never before it.
        let loader = loader.get_or_insert_with(|| Loader::spawn(&mut app));
        if !loader.finished() {
            // While bodies arrive, wait for input only briefly, then take them.
            let ready = event::poll(BODY_POLL).context("cannot read terminal input")?;
            dirty = loader.pump(&mut app);
            if !ready {
                continue;
            }
        }
        dirty = true;
        let action = match event::read().context("cannot read terminal input")? {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                if let Some(effect) = handle_key(&mut app, key) {
                    effects::perform(&mut app, effect);
                }
                None
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
