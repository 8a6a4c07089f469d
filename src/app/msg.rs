//! Everything that happens to the TUI, as one type. Keys, clicks and resizes from the
//! terminal and results from background threads (bodies read, the matcher built) all
//! reach the event loop as a [`Msg`] on one channel, and [`handle`] applies each to the
//! [`App`] the same way, with no terminal and no clock: tests feed it messages directly.

use crossterm::event::KeyEvent;

use super::change::LibraryChange;
use super::listing::TitleKeys;
use super::state::App;
use super::update::{Effect, update};
use super::{Action, handle_key, mouse};
use crate::library::PostId;
use crate::library::fulltext::Body;
use crate::library::query::{Hit, Searcher};

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
    /// What the background loader worked out for the collection of `epoch`
    /// ([`App::collection_epoch`]); dropped when another collection is open by then.
    Loaded {
        epoch: u64,
        what: Loaded,
    },
    /// Posts of the collection of `epoch` changed on disk (the file watcher, the index).
    LibraryChanged {
        epoch: u64,
        changes: Vec<LibraryChange>,
    },
    /// The watch of the collection of `epoch` began, or could not (`error`, the message
    /// to show).
    Watching {
        epoch: u64,
        error: Option<String>,
    },
    /// The collection of `epoch` was read again (`r`): what changed, possibly nothing,
    /// which is said too (the status bar said it was reading).
    Rescanned {
        epoch: u64,
        changes: Vec<LibraryChange>,
    },
    /// The collection of `epoch` could not be read again (its folder is gone or
    /// unreadable).
    RescanFailed {
        epoch: u64,
    },
    /// While the collection of `epoch` is checked or indexed: posts found so far.
    IndexProgress {
        epoch: u64,
        found: usize,
    },
    /// The check (or first indexing) of the collection of `epoch` is over: `changed`
    /// posts differed from the cached index; `warm` says there was one.
    IndexDone {
        epoch: u64,
        changed: usize,
        warm: bool,
        warnings: Vec<String>,
    },
    /// Full-text hits found in files for the query of `generation`, `done` files of
    /// its search read so far.
    TextHits {
        generation: u64,
        hits: Vec<Hit>,
        done: usize,
    },
    /// The collection checked beside the loop (`folio check`'s findings).
    Checked(Box<super::checks::CheckDone>),
    /// A long post's whole, parsed and laid out beside the loop.
    LaidOut(Box<super::long_post::LaidOut>),
    /// An image probed or drawn by the image thread.
    Image(Box<crate::images::worker::Done>),
    /// The terminal is gone (hung up, closed): nothing more will come from it.
    Quit,
    /// A signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT: end; SIGTSTP: suspend), for the
    /// event loop, which owns the terminal, to act on.
    Signal(i32),
}

impl Msg {
    /// Whether the screen needs drawing again after this message.
    pub fn changes_screen(&self) -> bool {
        !matches!(
            self,
            Msg::Loaded {
                what: Loaded::Searcher(_),
                ..
            } | Msg::Watching { error: None, .. }
        )
    }
}

/// The body loader's results.
#[derive(Debug)]
pub enum Loaded {
    /// The fuzzy matcher's view of the library.
    Searcher(Box<Searcher>),
    /// The titles' collation keys (the title sort).
    TitleKeys(TitleKeys),
    /// Bodies read: `(post, body or None if unreadable)`.
    Bodies(Vec<(PostId, Option<Body>)>),
    /// Every body that could be read has been, but for `left_out` posts that the
    /// memory budget left on disk.
    Done { left_out: usize },
    /// No body is kept: the collection's `posts` are too many for the default budget
    /// (see [`super::bodies::keeps_bodies`]).
    NoneKept { posts: usize },
}

/// Applies one message; an effect that needs the outside world is returned.
pub fn handle(app: &mut App, msg: Msg) -> Option<Effect> {
    if matches!(msg, Msg::Click { .. } | Msg::Wheel(_)) {
        // The reader is being read: a picture's box on screen keeps its size now.
        app.images.touched = true;
    }
    match msg {
        Msg::Key(key) => handle_key(app, key),
        Msg::Click { column, row, at_ms } => mouse::click(app, column, row, at_ms),
        Msg::Wheel(action) => update(app, action),
        Msg::Resize(width, height) => {
            app.resize(width, height);
            None
        }
        Msg::IndexProgress { epoch, found } => {
            if epoch == app.collection_epoch {
                app.index_found = found;
            }
            None
        }
        Msg::Checked(done) => {
            for warning in app.checks.finished(*done, app.collection_epoch) {
                app.say(warning);
            }
            None
        }
        Msg::IndexDone { epoch, .. } if epoch != app.collection_epoch => None,
        Msg::IndexDone {
            changed,
            warm,
            warnings,
            ..
        } => {
            index_done(app, changed, warm, warnings);
            None
        }
        Msg::LibraryChanged { epoch, .. } if epoch != app.collection_epoch => None,
        Msg::LibraryChanged { changes, .. } => changed(app, changes).0,
        Msg::Watching {
            epoch,
            error: Some(error),
        } if epoch == app.collection_epoch => {
            let key = app.key_for(Action::Rescan);
            app.say(format!("{error}; {key} rescans by hand"));
            None
        }
        Msg::Watching { .. } => None,
        Msg::Rescanned { epoch, .. } if epoch != app.collection_epoch => None,
        Msg::RescanFailed { epoch } if epoch == app.collection_epoch => {
            app.say("cannot read the collection again: its folder is gone or unreadable".into());
            None
        }
        Msg::RescanFailed { .. } => None,
        Msg::Rescanned { changes, .. } => {
            let (effect, count) = changed(app, changes);
            if count == 0 {
                app.say("read the collection again: nothing changed".into());
            }
            effect
        }
        Msg::TextHits {
            generation,
            hits,
            done,
        } => {
            app.text_hits(generation, hits, done);
            None
        }
        Msg::Loaded { epoch, .. } if epoch != app.collection_epoch => None,
        Msg::Loaded { what, .. } => {
            loaded(app, what);
            None
        }
        Msg::Quit => {
            app.should_quit = true;
            None
        }
        Msg::Signal(_) => None,
        Msg::LaidOut(result) => app.laid_out(*result),
        Msg::Image(done) => {
            app.image_done(*done);
            None
        }
    }
}

fn loaded(app: &mut App, what: Loaded) {
    match what {
        Loaded::Searcher(searcher) => app.search.offer_searcher(*searcher),
        Loaded::TitleKeys(keys) => super::listing::offer_title_keys(app, keys),
        Loaded::Bodies(batch) => {
            app.bodies.receive(batch);
            app.bodies_arrived();
        }
        Loaded::Done { left_out } => {
            // Whatever could not be read counts as read: the line stops saying "loading".
            app.bodies.leave_out(left_out);
            app.bodies_arrived();
        }
        Loaded::NoneKept { posts } => {
            app.bodies.keep_none(posts);
            app.bodies_arrived();
        }
    }
}

fn index_done(app: &mut App, changed: usize, warm: bool, warnings: Vec<String>) {
    app.index_status = super::change::IndexStatus::Idle;
    let noun = if changed == 1 { "post" } else { "posts" };
    let posts = app.library.posts().len();
    match (warm, changed) {
        (true, 0) => app.log_only("checked the collection: no change since last time".into()),
        (true, n) => app.say(format!(
            "checked the collection: {n} {noun} changed since last time"
        )),
        // The list filling in says it; the log keeps the count.
        (false, _) => app.log_only(format!("indexed {posts} posts")),
    }
    // What was left out (a folder that could not be read, …) is said last, so it is
    // what the status bar shows: a list that looks whole but is not must say so.
    let count = warnings.len();
    for warning in warnings {
        app.say(warning);
    }
    if count > 1 {
        let key = app.key_for(Action::Messages);
        app.message = Some(format!(
            "{count} problems reading the collection; {key} lists each"
        ));
    }
}

/// Posts changed on disk: the library follows, and the open post is shown again in
/// place when its file changed, or stays on screen under a notice when it is gone.
/// Returns the effect to perform and how many of the changes the list can show.
fn changed(app: &mut App, changes: Vec<LibraryChange>) -> (Option<Effect>, usize) {
    let open = app.reader.as_ref().map(|r| r.post.clone());
    let fate = open
        .as_ref()
        .and_then(|id| changes.iter().rev().find_map(|c| c.touches(id)));
    // A post written again as it was (a save without edits, a copy, a `touch`) is not
    // news: only changes the list can show are counted.
    let count = changes
        .iter()
        .filter(|change| match change {
            LibraryChange::Upsert(post) => app
                .library
                .get(&post.id)
                .is_none_or(|was| super::change::shows_differently(was, post)),
            _ => true,
        })
        .count();
    app.apply(changes);
    let effect = match fate {
        Some(true) if app.reading() => {
            app.say(
                "this post was removed from the collection; its text stays until you leave it"
                    .into(),
            );
            None
        }
        Some(false) => Some(Effect::ReloadPost),
        _ => {
            // The index's own changes are summed up when it is done (`index_done`).
            let indexing = app.index_status != super::change::IndexStatus::Idle;
            if !app.reading() && count > 0 && !indexing {
                let noun = if count == 1 { "post" } else { "posts" };
                app.say(format!("{count} {noun} changed on disk"));
            }
            None
        }
    };
    (effect, count)
}
