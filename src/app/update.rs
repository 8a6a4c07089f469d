//! `update(&mut App, Action) -> Option<Effect>`: the whole behaviour of the TUI, with no
//! terminal and no disk. Reading a post is an [`Effect`] the caller performs.

use super::action::Action;
use super::keymap::Screen;
use super::state::App;

/// Work that needs the outside world; the event loop performs it and reports back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Read post `n` of the library and call [`App::show_post`] (or set a message).
    OpenPost(usize),
    /// Open post `post` and find `find` in it (a full-text result): scrolled to the
    /// first hit, with the hits highlighted.
    OpenPostAt { post: usize, find: Vec<String> },
}

pub fn update(app: &mut App, action: Action) -> Option<Effect> {
    if action == Action::Exit {
        app.should_quit = true;
        return None;
    }
    if app.show_help {
        // Any key but Ctrl-c closes help; the key is not also acted on underneath.
        app.show_help = false;
        return None;
    }
    if action == Action::ToggleHelp {
        app.show_help = true;
        return None;
    }
    // Search lines, the tag browser and the search keys of each screen.
    if let Some(outcome) = super::dispatch::route(app, action) {
        return outcome;
    }
    match app.screen {
        Screen::Reader => update_reader(app, action),
        _ => update_list(app, action),
    }
}

pub(super) fn update_list(app: &mut App, action: Action) -> Option<Effect> {
    let count = app.row_count();
    let last = count.saturating_sub(1);
    let page = app.list_page();
    let s = app.selected;
    app.selected = match action {
        Action::Down | Action::ScrollDown => (s + 1).min(last),
        Action::Up | Action::ScrollUp => s.saturating_sub(1),
        Action::PageDown => (s + page).min(last),
        Action::PageUp => s.saturating_sub(page),
        Action::HalfPageDown => (s + page.div_ceil(2)).min(last),
        Action::HalfPageUp => s.saturating_sub(page.div_ceil(2)),
        Action::Top => 0,
        Action::Bottom => last,
        Action::Quit => {
            app.should_quit = true;
            s
        }
        Action::Open if count > 0 => return app.post_at_row(s).map(Effect::OpenPost),
        _ => s,
    };
    app.keep_selection_visible();
    None
}

pub(super) fn update_reader(app: &mut App, action: Action) -> Option<Effect> {
    let page = app.body_height();
    let max = app.max_reader_scroll();
    let Some(reader) = app.reader.as_mut() else {
        app.screen = Screen::List;
        return None;
    };
    let s = reader.scroll;
    reader.scroll = match action {
        Action::Down => s + 1,
        Action::Up => s.saturating_sub(1),
        Action::ScrollDown => s + 3,
        Action::ScrollUp => s.saturating_sub(3),
        // A page keeps one line of context, as less and glow do.
        Action::PageDown => s + page.saturating_sub(1).max(1),
        Action::PageUp => s.saturating_sub(page.saturating_sub(1).max(1)),
        Action::HalfPageDown => s + page.div_ceil(2),
        Action::HalfPageUp => s.saturating_sub(page.div_ceil(2)),
        Action::Top => 0,
        Action::Bottom => max,
        Action::Back | Action::Quit => {
            app.screen = Screen::List;
            app.keep_selection_visible();
            return None;
        }
        _ => s,
    }
    .min(max);
    None
}
