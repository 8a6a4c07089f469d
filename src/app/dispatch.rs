//! From a key press to a change of state: the one entry point the event loop and the
//! tests share. The key is looked up in the keymap sections of the mode on top
//! ([`App::mode`]) and the action goes to [`update`]. While a line has the focus, a
//! printable key the line's own section does not bind is text: it is typed into the
//! line instead of being looked up, so `q`, `j` or `k` in a query are letters, not
//! commands.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keymap::Key;
use super::mode::Mode;
use super::state::App;
use super::update::{Effect, update};
use super::{Action, find, search, tags};

pub fn handle_key(app: &mut App, event: KeyEvent) -> Option<Effect> {
    // The reader is being read: a picture's box on screen keeps its size now.
    app.images.touched = true;
    let key = Key::from_event(&event);
    let mode = app.mode();
    let screens = mode.screens();
    if mode.types_text()
        && let Some(c) = typed_char(&event)
        && screens
            .first()
            .is_none_or(|&own| app.keymap.action_in(own, key).is_none())
    {
        type_char(app, c);
        return None;
    }
    let bound = app.keymap.lookup(screens, key);
    if matches!(mode, Mode::Help | Mode::Messages) {
        // On a page, any key closes it (an unbound one too).
        return update(app, bound.unwrap_or(Action::ToggleHelp));
    }
    bound.and_then(|action| update(app, action))
}

/// The character a key would type: printable, with no Ctrl or Alt held.
fn typed_char(event: &KeyEvent) -> Option<char> {
    let modifiers = event.modifiers;
    if modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return None;
    }
    match event.code {
        KeyCode::Char(c) if !c.is_control() => Some(c),
        _ => None,
    }
}

/// Text typed into the line of the mode on top: the tag browser's filter, the reader's
/// find line, else the list's search line (also when it is not focused, as a paste into
/// the list would).
pub fn type_char(app: &mut App, c: char) {
    match app.mode() {
        Mode::TagFilter | Mode::Tags => tags::type_char(app, c),
        Mode::Note => super::bookmarks::type_note(app, c),
        Mode::Find | Mode::Outline | Mode::Reader => find::type_char(app, c),
        _ => search::type_char(app, c),
    }
}
