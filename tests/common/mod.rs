//! The one set of helpers every test file shares: where material is ([`material`]),
//! running the binary ([`cli`]), the width and safety checks on rendered text
//! ([`checks`]), a real terminal ([`tmux`]), and here the TUI without one: the sample
//! library, keys through the event loop's own dispatch with effects performed as it
//! does, and screens drawn into ratatui's TestBackend.
// Each test crate uses its own subset of these helpers.
#![allow(dead_code, unused_imports)]

pub mod cells;
pub mod checks;
pub mod cli;
pub mod material;
pub mod tmux;

pub use checks::*;
pub use cli::*;
pub use material::*;

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use folio::app::{App, Effect, View, handle_key};
use folio::effects;
use folio::library::{Library, PostId, Source};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

/// The post files of a collection, sorted.
pub fn post_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let library = Library::scan(dir).expect("scan posts");
    let mut paths: Vec<PathBuf> = library
        .posts()
        .iter()
        .filter_map(|p| match &p.source {
            Source::File(path) => Some(path.clone()),
            Source::Embedded(_) => None,
        })
        .collect();
    paths.sort();
    paths
}

pub fn app(width: u16, height: u16) -> App {
    let library = Library::scan(&sample_dir()).expect("sample posts scan");
    let mut app = App::new(library, "sample-posts".into(), (width, height));
    app.resize(width, height);
    app
}

/// Sends a key through `handle_key` (the event loop's own dispatch: keymap, input lines,
/// help) and performs the effect; returns the effect so tests can see what would leave
/// folio.
pub fn press(app: &mut App, code: KeyCode) -> Option<Effect> {
    let modifiers = match code {
        KeyCode::BackTab => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    press_with(app, code, modifiers)
}

/// [`press`] with modifiers (`Ctrl-c`, `Ctrl-d`, ...).
pub fn press_with(app: &mut App, code: KeyCode, modifiers: KeyModifiers) -> Option<Effect> {
    let effect = handle_key(app, KeyEvent::new(code, modifiers))?;
    effects::perform(app, effect.clone());
    Some(effect)
}

pub fn keys(app: &mut App, typed: &str) {
    for c in typed.chars() {
        let code = match c {
            '⏎' => KeyCode::Enter,
            '⎋' => KeyCode::Esc,
            '⇥' => KeyCode::Tab,
            '⇤' => KeyCode::BackTab,
            '⌫' => KeyCode::Backspace,
            c => KeyCode::Char(c),
        };
        press(app, code);
    }
}

/// The screen as the event loop draws it, in the app's theme.
pub fn draw_buffer(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).expect("backend");
    terminal
        .draw(|frame| folio::ui::draw(frame, app, &app.theme))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen as text rows; a wide character's trailing cell is skipped.
pub fn rows_of(buffer: &Buffer, keep: impl Fn(&ratatui::buffer::Cell) -> bool) -> Vec<String> {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            let mut row = String::new();
            let mut skip = 0;
            for x in 0..area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let cell = &buffer[(x, y)];
                skip = cell.symbol().width().saturating_sub(1);
                if keep(cell) {
                    row.push_str(cell.symbol());
                }
            }
            row
        })
        .collect()
}

/// The screen as text rows, trailing blanks trimmed.
pub fn screen_rows(buffer: &Buffer) -> Vec<String> {
    rows_of(buffer, |_| true)
        .into_iter()
        .map(|row| row.trim_end().to_string())
        .collect()
}

/// The app drawn, as text.
pub fn screen(app: &App) -> String {
    screen_rows(&draw_buffer(app)).join("\n")
}

/// The sample post with this slug (or path prefix).
pub fn id_of(app: &App, slug: &str) -> PostId {
    app.library
        .posts()
        .iter()
        .find(|p| p.meta.slug.as_deref() == Some(slug) || p.rel_path.starts_with(slug))
        .map(|p| p.id.clone())
        .unwrap_or_else(|| panic!("no sample post {slug}"))
}

/// The identity of the library's `i`th post (newest first).
pub fn nth(app: &App, i: usize) -> PostId {
    app.library.posts()[i].id.clone()
}

/// Where the selected post is in the library (newest first).
pub fn selected_at(app: &App) -> usize {
    let id = app.selected.as_ref().expect("a selection");
    app.library
        .position(id)
        .expect("the selection is a post of the library")
}

/// The post with this identity.
pub fn post_of<'a>(app: &'a App, id: &PostId) -> &'a folio::library::Post {
    app.library.get(id).expect("post in the library")
}

/// Opens a sample post from the list, as a user would: move to it, press Enter.
pub fn open(app: &mut App, slug: &str) {
    let wanted = id_of(app, slug);
    keys(app, "g");
    while app.selected.as_ref() != Some(&wanted) {
        let before = app.selected.clone();
        keys(app, "j");
        assert_ne!(before, app.selected, "{slug} not reachable in the list");
    }
    keys(app, "⏎");
    assert_eq!(app.view, View::Reader);
    assert_eq!(post(app), wanted);
}

pub fn post(app: &App) -> PostId {
    app.reader.as_ref().expect("reader").post.clone()
}

pub fn scroll(app: &App) -> usize {
    app.reader.as_ref().expect("reader").scroll
}

pub fn focused_url(app: &App) -> Option<String> {
    let reader = app.reader.as_ref()?;
    let id = reader.focus?;
    folio::app::links::url_of(reader, id).map(str::to_string)
}

/// Tabs until the focused link's URL is `url` (at most 30 times).
pub fn tab_to(app: &mut App, url: &str) {
    for _ in 0..30 {
        keys(app, "⇥");
        if focused_url(app).as_deref() == Some(url) {
            return;
        }
    }
    panic!("no link to {url} on screen:\n{}", screen(app));
}

/// At each size the screen fits, and again after each of `steps` (keys, as [`keys`]
/// takes them): the tiny and odd sizes a user's terminal can be dragged to.
pub fn assert_fits_at_sizes(app: &mut App, sizes: &[(u16, u16)], steps: &[&str]) {
    for &(width, height) in sizes {
        app.resize(width, height);
        assert_screen_fits(&draw_buffer(app), &format!("{width}x{height}"));
        for step in steps {
            keys(app, step);
            assert_screen_fits(&draw_buffer(app), &format!("{width}x{height} after {step}"));
        }
    }
}

/// Asks `check` every 20 ms until it gives a value, for at most 20 s: the way to wait
/// on another process (a terminal's screen, a file it writes), never a fixed sleep.
/// `waiting_on` says, when time runs out, what was awaited and what there was instead.
pub fn poll<T>(waiting_on: impl Fn() -> String, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting on {}",
            waiting_on()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
