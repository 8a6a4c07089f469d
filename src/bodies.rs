//! Reading post bodies in the background, for full-text search. The index reads only
//! front matter, so the first frame never waits for bodies; after it, one thread reads
//! every body in list order and sends them in batches over a channel. The event loop
//! polls the channel between key presses ([`Loader::pump`]), so neither drawing nor a
//! keystroke ever waits for the disk, and the search line can say how far it has got.
//! Before the bodies, the same thread prepares the fuzzy matcher's view of the
//! library and the titles' collation keys, so neither the first `/` keystroke nor the
//! first sort by title pays for them.

use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::thread;
use std::time::{Duration, Instant};

use crate::app::App;
use crate::app::listing::{self, TitleKeys};
use crate::library::fulltext::Body;
use crate::library::query::Searcher;
use crate::library::{Library, Post};

/// Bodies per message: few enough messages that the channel costs nothing, small
/// enough that progress moves steadily.
const BATCH: usize = 64;

/// While bodies arrive, a full-text search is run again at most this often.
const REFRESH_EVERY: Duration = Duration::from_millis(250);

type Batch = Vec<(usize, Option<Body>)>;

enum Message {
    Searcher(Box<Searcher>),
    TitleKeys(TitleKeys),
    Bodies(Batch),
}

pub struct Loader {
    rx: Receiver<Message>,
    last_refresh: Instant,
    finished: bool,
}

/// The body of one post as full-text search sees it, the text as read; `None` when it
/// cannot be read (the reader reports why when the post is opened).
pub fn read_body(post: &Post) -> Option<Body> {
    post.body_and_meta()
        .ok()
        .map(|(_, body, _)| Body::from_markdown(&body))
}

/// Every body, read now, in this thread: for `folio list --search --full-text`, the
/// benchmark and tests.
pub fn read_all(library: &Library) -> Vec<Option<Body>> {
    use rayon::prelude::*;
    library.posts.par_iter().map(read_body).collect()
}

impl Loader {
    /// Starts reading the bodies of `app`'s library in a new thread.
    pub fn spawn(app: &mut App) -> Loader {
        let posts: Vec<Post> = app.library.posts.clone();
        app.bodies.start(posts.len());
        let (tx, rx) = mpsc::channel();
        let spawned = thread::Builder::new()
            .name("folio-bodies".into())
            .spawn(move || {
                let searcher = Box::new(Searcher::from_posts(&posts));
                if tx.send(Message::Searcher(searcher)).is_err() {
                    return; // the TUI has quit
                }
                if tx.send(Message::TitleKeys(TitleKeys::of(&posts))).is_err() {
                    return;
                }
                let mut batch = Vec::with_capacity(BATCH);
                for (index, post) in posts.iter().enumerate() {
                    batch.push((index, read_body(post)));
                    if batch.len() == BATCH
                        && tx
                            .send(Message::Bodies(std::mem::take(&mut batch)))
                            .is_err()
                    {
                        return;
                    }
                }
                let _ = tx.send(Message::Bodies(batch));
            });
        if spawned.is_err() {
            // No thread: full-text search works on no bodies rather than stopping folio.
            app.bodies.total = 0;
        }
        Loader {
            rx,
            last_refresh: Instant::now(),
            finished: spawned.is_err(),
        }
    }

    pub fn finished(&self) -> bool {
        self.finished
    }

    /// Takes whatever bodies have arrived, without waiting. Returns whether the app
    /// changed (and the screen should be drawn again).
    pub fn pump(&mut self, app: &mut App) -> bool {
        let mut got = false;
        loop {
            match self.rx.try_recv() {
                Ok(Message::Bodies(batch)) => {
                    app.bodies.receive(batch);
                    got = true;
                }
                Ok(Message::Searcher(searcher)) => app.search.offer_searcher(*searcher),
                Ok(Message::TitleKeys(keys)) => listing::offer_title_keys(app, keys),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.finished = true;
                    // Whatever could not be sent counts as read: the line stops saying
                    // "loading".
                    app.bodies.loaded = app.bodies.total;
                    break;
                }
            }
        }
        if got || self.finished {
            let due = self.last_refresh.elapsed() >= REFRESH_EVERY;
            if self.finished || due {
                app.bodies_arrived();
                self.last_refresh = Instant::now();
            }
        }
        got || self.finished
    }
}

/// Reads every body now and hands them to `app`, as the loader would have: for tests
/// and tools that have no event loop.
pub fn load_now(app: &mut App) {
    let bodies = read_all(&app.library);
    app.bodies.start(bodies.len());
    app.bodies.receive(bodies.into_iter().enumerate().collect());
    app.bodies_arrived();
}
