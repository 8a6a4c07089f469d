//! folio: a terminal reader for a local collection of Markdown blog posts.
//!
//! The crate is split so that everything but the terminal edge is pure and testable:
//! [`library`] indexes a folder of posts from their front matter, [`markdown`] turns a
//! post into styled lines at a width, [`app`] is the TUI's state machine, [`ui`] draws
//! that state with ratatui, [`commands`] are the subcommands, each writing to the writer
//! `main` hands it, and [`terminal`] is the only place that touches the real terminal.

pub mod app;
pub mod bodies;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod effects;
pub mod external;
pub mod file_error;
#[doc(hidden)]
pub mod fuzzing;
pub mod images;
pub mod indexer;
pub mod input;
pub mod late_reply;
pub mod library;
pub mod markdown;
pub mod memory;
pub mod print;
pub mod samples;
pub mod setup;
pub mod store;
pub mod termbg;
pub mod terminal;
pub mod theme;
pub mod ui;
pub mod watch;
