//! The TUI as a pure state machine: keys become named [`Action`]s through the
//! [`keymap`], and [`update`] applies them to [`App`]. Nothing here touches the terminal
//! or the disk: work that needs I/O is returned as an [`Effect`] for the event loop to
//! carry out, so every screen can be driven and checked in tests without a terminal.

pub mod action;
pub mod bodies;
mod bookmarks;
pub mod change;
mod check_job;
pub mod checks;
pub mod copy;
pub mod dispatch;
pub mod find;
pub mod history;
pub mod images;
pub mod input;
pub mod keymap;
pub mod keyspec;
pub mod links;
pub mod listing;
pub mod long_post;
pub mod mode;
pub mod mouse;
pub mod movement;
pub mod msg;
mod navigate;
pub mod outline;
pub mod picker;
pub mod prefs;
mod problems;
mod reading;
pub mod related;
pub mod search;
pub mod state;
pub mod tags;
pub mod textsearch;
pub mod update;

pub use action::Action;
pub use dispatch::handle_key;
pub use history::Landing;
pub use keymap::{Keymap, Screen};
pub use mode::{Mode, View};
pub use state::{App, ReaderState};
pub use update::{Effect, update};
