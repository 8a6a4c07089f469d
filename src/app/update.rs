//! `update(&mut App, Action) -> Option<Effect>`: the whole behaviour of the TUI, with no
//! terminal and no disk. Reading a post is an [`Effect`] the caller performs.

use std::path::PathBuf;

use super::action::Action;
use super::history::Landing;
use super::mode::{Mode, View};
use super::state::App;
use super::{listing, navigate};
use crate::library::PostId;

/// Work that needs the outside world; the event loop performs it and reports back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Read this post and call [`App::show_post`] (or set a message).
    OpenPost(PostId),
    /// Read post `post`, show it, and put the view at `at` (links, history, J/K).
    OpenPostAt { post: PostId, at: Landing },
    /// Read the open post again and show it at the same block (after the editor).
    ReloadPost,
    /// Suspend the TUI, run `$VISUAL`/`$EDITOR` on the file, restore, then reload.
    Edit(PathBuf),
    /// Open an http, https or mailto URL in the browser, detached from the terminal.
    OpenExternal(String),
    /// Open a post's image (its URL as written, found from the post's folder) in the
    /// system's viewer, as a web link is opened.
    OpenImage {
        post_dir: Option<PathBuf>,
        url: String,
    },
    /// Put this text (already free of control characters) on the clipboard via OSC 52.
    Copy(String),
    /// Load the theme catalog and open the theme picker.
    OpenThemePicker,
    /// Scan the config's collection `n` and show it.
    SwitchCollection(usize),
    /// Open post `post` and find `find` in it (a full-text result): scrolled to the
    /// first hit, with the hits highlighted.
    OpenPostFind { post: PostId, find: Vec<String> },
    /// Read the collection again from disk, off the event loop, and apply what changed.
    Rescan,
    /// Hand the terminal back to the shell and stop until continued (Ctrl-Z).
    Suspend,
}

pub fn update(app: &mut App, action: Action) -> Option<Effect> {
    if action == Action::Exit {
        app.should_quit = true;
        return None;
    }
    // The layer on top takes the action; the view's own keys come last.
    match app.mode() {
        Mode::Help => {
            app.show_help = page_key(&mut app.help_scroll, action);
            return None;
        }
        Mode::Messages => {
            app.show_messages = page_key(&mut app.messages_scroll, action);
            return None;
        }
        Mode::Picker => return super::picker::update(app, action),
        Mode::TagFilter => return super::tags::update_line(app, action),
        Mode::Search => return super::search::update_line(app, action),
        Mode::Find => return super::find::update_line(app, action),
        Mode::Note => return super::bookmarks::update_note(app, action),
        Mode::Tags | Mode::Outline | Mode::Reader | Mode::List => {}
    }
    match action {
        Action::ToggleHelp => {
            app.show_help = true;
            app.help_scroll = 0;
            return None;
        }
        Action::Problems => {
            super::problems::open(app);
            return None;
        }
        Action::Messages => {
            app.show_messages = true;
            app.messages_scroll = 0;
            return None;
        }
        Action::ThemePicker => return Some(Effect::OpenThemePicker),
        Action::Suspend => return Some(Effect::Suspend),
        Action::Bookmarks | Action::Recent => {
            return super::bookmarks::update(app, action).flatten();
        }
        Action::CollectionPicker => return super::picker::open_collection_picker(app),
        _ => {}
    }
    match app.mode() {
        Mode::Tags => super::tags::update(app, action),
        Mode::Outline => super::outline::update_focused(app, action)
            .unwrap_or_else(|| update_reader(app, action)),
        Mode::Reader => update_reader(app, action),
        _ => update_list(app, action),
    }
}

/// A key on a page (help, messages): movement scrolls a page taller than the screen;
/// any other action closes it and is not also acted on underneath. Returns whether the
/// page stays open.
fn page_key(scroll: &mut usize, action: Action) -> bool {
    *scroll = match action {
        Action::Down | Action::ScrollDown => scroll.saturating_add(1),
        Action::PageDown | Action::HalfPageDown => scroll.saturating_add(10),
        Action::Up | Action::ScrollUp => scroll.saturating_sub(1),
        Action::PageUp | Action::HalfPageUp => scroll.saturating_sub(10),
        _ => return false,
    };
    true
}

pub(super) fn update_list(app: &mut App, action: Action) -> Option<Effect> {
    if let Some(done) = listing::update(app, action) {
        return done;
    }
    if let Some(done) = super::search::update_list(app, action) {
        return done;
    }
    if let Some(done) = super::bookmarks::update(app, action) {
        return done;
    }
    // Movement is by position in the list as shown (sorted, grouped), not by index.
    let (s, count) = listing::selected_position(app);
    let page = app.list_page();
    let at = match (super::movement::step(s, count, page, action), action) {
        (Some(row), _) => row,
        (None, Action::Quit) => {
            app.should_quit = true;
            s
        }
        (None, Action::Open) if count > 0 => {
            // A post opened from the list starts a new trail of links.
            app.history.clear();
            return app.selected.clone().map(Effect::OpenPost);
        }
        _ => s,
    };
    if let Some(id) = listing::listing(app).post(at).cloned() {
        app.selected = Some(id);
    }
    app.keep_selection_visible();
    None
}

pub(super) fn update_reader(app: &mut App, action: Action) -> Option<Effect> {
    if let Some(done) = navigate::reader(app, action) {
        return done;
    }
    if let Some(done) = super::find::update_reader(app, action) {
        return done;
    }
    if let Some(done) = super::bookmarks::update(app, action) {
        return done;
    }
    let page = app.body_height();
    let max = app.max_reader_scroll();
    let Some(reader) = app.reader.as_mut() else {
        app.set_view(View::List);
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
            app.set_view(View::List);
            return None;
        }
        _ => s,
    }
    .min(max);
    navigate::after_reader_action(app);
    None
}
