//! Everything that happens to the TUI, as one type. Keys, clicks and resizes from the
//! terminal and results from background threads (bodies read, the matcher built) all
//! reach the event loop as a [`Msg`] on one channel, and [`handle`] applies each to the
//! [`App`] the same way, with no terminal and no clock: tests feed it messages directly.

use crossterm::event::KeyEvent;

use super::listing::TitleKeys;
use super::state::App;
use super::update::{Effect, update};
use super::{Action, handle_key, mouse};
use crate::library::fulltext::Body;
use crate::library::query::Searcher;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// A left click at a cell, `at_ms` milliseconds after start (double clicks).
    Click {
        column: u16,
        row: u16,
        at_ms: u64,
    },
    /// The mouse wheel: a scroll action.
    Wheel(Action),
    Resize(u16, u16),
    /// The background loader built the fuzzy matcher's view of the library.
    Searcher(Box<Searcher>),
    /// The background loader made the titles' collation keys (the title sort).
    TitleKeys(TitleKeys),
    /// Bodies read in the background: `(post index, body or None if unreadable)`.
    Bodies(Vec<(usize, Option<Body>)>),
    /// The loader has read every body it could.
    BodiesDone,
    /// A signal asked folio to end (SIGTERM, SIGHUP, SIGINT).
    Quit,
}

impl Msg {
    /// Whether the screen needs drawing again after this message.
    pub fn changes_screen(&self) -> bool {
        !matches!(self, Msg::Searcher(_) | Msg::TitleKeys(_))
    }
}

/// Applies one message; an effect that needs the outside world is returned.
pub fn handle(app: &mut App, msg: Msg) -> Option<Effect> {
    match msg {
        Msg::Key(key) => handle_key(app, key),
        Msg::Click { column, row, at_ms } => mouse::click(app, column, row, at_ms),
        Msg::Wheel(action) => update(app, action),
        Msg::Resize(width, height) => {
            app.resize(width, height);
            None
        }
        Msg::Searcher(searcher) => {
            app.search.offer_searcher(*searcher);
            None
        }
        Msg::TitleKeys(keys) => {
            super::listing::offer_title_keys(app, keys);
            None
        }
        Msg::Bodies(batch) => {
            app.bodies.receive(batch);
            app.bodies_arrived();
            None
        }
        Msg::BodiesDone => {
            // Whatever could not be read counts as read: the line stops saying "loading".
            app.bodies.loaded = app.bodies.total;
            app.bodies_arrived();
            None
        }
        Msg::Quit => {
            app.should_quit = true;
            None
        }
    }
}
