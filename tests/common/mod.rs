//! Helpers shared by the key-driven test files: the sample library, keys through the
//! event loop's own dispatch with effects performed as it does, and screens drawn into ratatui's TestBackend.
// Each test crate uses its own subset of these helpers.
#![allow(dead_code)]

pub mod cells;
pub mod tmux;

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use folio::app::{App, Effect, View, handle_key};
use folio::effects;
use folio::library::{Library, Source};
use folio::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

pub fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-posts")
}

/// The post files of a collection, sorted.
pub fn post_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let library = Library::scan(dir).expect("scan posts");
    let mut paths: Vec<PathBuf> = library
        .posts
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

pub fn draw_buffer(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).expect("backend");
    terminal
        .draw(|frame| folio::ui::draw(frame, app, &Theme::dark()))
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

pub fn screen(app: &App) -> String {
    rows_of(&draw_buffer(app), |_| true).join("\n")
}

pub fn index_of(app: &App, slug: &str) -> usize {
    app.library
        .posts
        .iter()
        .position(|p| p.meta.slug.as_deref() == Some(slug) || p.rel_path.starts_with(slug))
        .unwrap_or_else(|| panic!("no sample post {slug}"))
}

/// Opens a sample post from the list, as a user would: move to it, press Enter.
pub fn open(app: &mut App, slug: &str) {
    let wanted = index_of(app, slug);
    keys(app, "g");
    while app.selected != wanted {
        let before = app.selected;
        keys(app, "j");
        assert_ne!(before, app.selected, "{slug} not reachable in the list");
    }
    keys(app, "⏎");
    assert_eq!(app.view, View::Reader);
    assert_eq!(post(app), wanted);
}

pub fn post(app: &App) -> usize {
    app.reader.as_ref().expect("reader").post
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
