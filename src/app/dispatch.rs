//! From a key press to a change of state: the one entry point the event loop and the
//! tests share. Normally a key is looked up in the keymap for the current screen and
//! the action goes to [`update`]. While a search or filter line has the focus, a key the
//! line does not bind (`Screen::Input`) is text: it is typed into the line instead of
//! being looked up, so `q` or `j` in a query are letters, not commands.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keymap::{Key, Screen};
use super::state::App;
use super::update::{Effect, update};
use super::{Action, find, search, tags};

pub fn handle_key(app: &mut App, event: KeyEvent) -> Option<Effect> {
    let key = Key::from_event(&event);
    let context = app.key_context();
    let bound = app.keymap.action(context, key);
    if app.show_help {
        // With help open, any key closes it (an unbound one too).
        return update(app, bound.unwrap_or(Action::ToggleHelp));
    }
    let typed = typed_char(&event);
    match (context, typed) {
        // In a line only the line's own keys (and Ctrl-c) are commands.
        (Screen::Input, Some(c)) if app.keymap.action_in(Screen::Input, key).is_none() => {
            type_char(app, c);
            None
        }
        // In the tag browser, a letter that is not a command starts the filter.
        (Screen::Tags, Some(c)) if bound.is_none() => {
            tags::type_char(app, c);
            None
        }
        _ => bound.and_then(|action| update(app, action)),
    }
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

/// Text typed into whichever line has the focus.
pub fn type_char(app: &mut App, c: char) {
    if app.browser.is_some() {
        tags::type_char(app, c);
    } else if app.screen == Screen::Reader {
        find::type_char(app, c);
    } else {
        search::type_char(app, c);
    }
}

/// Actions while a line or the tag browser has the keys. `None`: not ours.
pub(super) fn route(app: &mut App, action: Action) -> Option<Option<Effect>> {
    match app.key_context() {
        Screen::Input if app.browser.is_some() => Some(tags::update_line(app, action)),
        Screen::Input if app.screen == Screen::Reader => Some(find::update_line(app, action)),
        Screen::Input => Some(search::update_line(app, action)),
        Screen::Tags => Some(tags::update(app, action)),
        Screen::Reader => search::update_reader(app, action),
        Screen::List | Screen::Global => search::update_list(app, action),
        // The picker handles its own keys before this route is asked.
        Screen::Picker => None,
    }
}
