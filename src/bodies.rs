//! Reading post bodies in the background, for full-text search. The index reads only
//! front matter, so the first frame never waits for bodies; after it, one thread reads
//! every body in list order and sends them as messages on the event loop's channel
//! ([`Msg::Bodies`]), so neither drawing nor a keystroke ever waits for the disk, and
//! the search line can say how far it has got. Before the bodies, the same thread
//! makes the titles' collation keys, and another the fuzzy matcher's view of the
//! library, so neither the first `/` keystroke nor the first sort by title pays for
//! them.

use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::thread;
use std::time::{Duration, Instant};

use crate::app::App;
use crate::app::bodies::keeps_bodies;
use crate::app::listing::TitleKeys;
use crate::app::msg::{Loaded, Msg};
use crate::app::textsearch::FileSearch;
use crate::library::fulltext::{Body, Terms, search_files};
use crate::library::query::{Bodies, Searcher};
use crate::library::{Library, Post, PostId, Source};

/// Bodies, and the hits of a search of files, are sent at most this often: each message
/// runs a full-text search again or re-ranks the list, and that is what the event loop
/// must not do for every file read.
const SEND_EVERY: Duration = Duration::from_millis(250);

/// The size of a post's file (0 when it cannot be asked: reading will say why).
fn file_size(post: &Post) -> u64 {
    match &post.source {
        Source::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
        Source::Embedded(bytes) => bytes.len() as u64,
    }
}

/// The size of the posts' files together.
fn files_size(posts: &[Arc<Post>]) -> u64 {
    posts.iter().map(|post| file_size(post)).sum()
}

/// Every body, read now, in this thread: for the benchmark and tests.
pub fn read_all(library: &Library) -> Bodies {
    use rayon::prelude::*;
    library
        .posts()
        .par_iter()
        .filter_map(|post| Some((post.id.clone(), Body::read(post)?)))
        .collect()
}

/// Makes the search's matcher for the whole collection in a new thread, once per
/// collection, sending it to `tx`; a search that comes first makes its own. (The title
/// sort keys come with the first load of bodies, after the check: see
/// [`spawn_loader`].)
pub fn spawn_search_index(app: &mut App, tx: Sender<Msg>) {
    if app.bodies.indexed {
        return;
    }
    app.bodies.indexed = true;
    let posts: Vec<Arc<Post>> = app.library.posts().to_vec();
    let epoch = app.collection_epoch;
    let send = move |what: Loaded| tx.send(Msg::Loaded { epoch, what }).is_ok();
    // Without a thread, the first search and the first sort make them.
    let _ = thread::Builder::new()
        .name("folio-search-index".into())
        .spawn(move || {
            send(Loaded::Searcher(Box::new(Searcher::from_posts(&posts))));
        });
}

/// Keys `posts`' titles for the title sort in a new thread, which sends them to `tx`;
/// without a thread they are keyed here.
pub fn spawn_title_keys(app: &mut App, posts: Vec<Arc<Post>>, tx: Sender<Msg>) {
    let epoch = app.collection_epoch;
    let spawned = thread::Builder::new()
        .name("folio-title-keys".into())
        .spawn(move || {
            let keys = TitleKeys::of(&posts);
            let _ = tx.send(Msg::Loaded {
                epoch,
                what: Loaded::TitleKeys(keys),
            });
        });
    if spawned.is_err() {
        let posts: Vec<Arc<Post>> = app.library.posts().to_vec();
        crate::app::listing::offer_title_keys(app, TitleKeys::of(&posts));
    }
}

/// Starts reading the bodies `app` wants (every post the first time, then the posts
/// that changed since) in a new thread, which sends what it reads to `tx` (tagged with
/// the collection it read) and ends with [`Loaded::Done`]. Nothing to read: nothing
/// is started.
pub fn spawn_loader(app: &mut App, tx: Sender<Msg>) {
    let first = app.bodies.first_load();
    let key_titles = first && app.list_options.title_keys_wanted();
    let library = &app.library;
    let all = || library.posts().iter().map(|p| p.id.clone()).collect();
    let Some(ids) = app.bodies.wanted(all) else {
        return;
    };
    let posts: Vec<Arc<Post>> = ids.iter().filter_map(|id| app.library.shared(id)).collect();
    let epoch = app.collection_epoch;
    let budget = app.bodies.budget;
    let budget_set = app.bodies.budget_set;
    let already = app.bodies.bytes;
    let send = move |what: Loaded| tx.send(Msg::Loaded { epoch, what }).is_ok();
    let spawned = thread::Builder::new()
        .name("folio-bodies".into())
        .spawn(move || {
            // The title sort keys first (a sort that comes before them has its own
            // made): made here rather than with the matcher, so that they are not in
            // memory beside the check's facts (13 MB on 100,000 posts).
            if key_titles && !send(Loaded::TitleKeys(TitleKeys::of(&posts))) {
                return;
            }
            if first && !keeps_bodies(budget_set, budget, files_size(&posts)) {
                send(Loaded::NoneKept { posts: posts.len() });
                return;
            }
            let mut batch = Vec::new();
            let mut last_sent = Instant::now();
            let mut bytes = already;
            let mut too_big = 0;
            for (read, post) in posts.iter().enumerate() {
                // Past the memory budget, bodies are read when a search needs them.
                if bytes > budget {
                    let _ = send(Loaded::Bodies(batch));
                    send(Loaded::Done {
                        left_out: posts.len() - read + too_big,
                    });
                    return;
                }
                // So is a post whose file alone is more than the budget has left: its
                // text and folded twin (some twice its size) would not be kept, and
                // reading a huge post whole takes several times its size for nothing.
                if file_size(post) > budget.saturating_sub(bytes) as u64 {
                    too_big += 1;
                    continue;
                }
                let body = Body::read(post);
                bytes += body.as_ref().map_or(0, Body::size);
                batch.push((post.id.clone(), body));
                if last_sent.elapsed() >= SEND_EVERY {
                    if !send(Loaded::Bodies(std::mem::take(&mut batch))) {
                        return;
                    }
                    last_sent = Instant::now();
                }
            }
            if !batch.is_empty() && !send(Loaded::Bodies(batch)) {
                return;
            }
            send(Loaded::Done { left_out: too_big });
        });
    if spawned.is_err() {
        // No thread: full-text search works on the bodies it has rather than stopping
        // folio.
        app.bodies.loading = false;
        app.bodies.loaded = app.bodies.total;
    }
}

/// Files searched between two looks at whether a newer query supersedes this one.
const FILES_PER_BATCH: usize = 256;

/// Runs a search of files ([`FileSearch`]), handing the hits found to `send` (on a
/// thread of its own in the TUI; right here in tests and tools) at most every
/// [`SEND_EVERY`], so the list is not re-ranked for every batch of a search that
/// finds 70,000 posts. Stops when a newer query supersedes it or `send` says the
/// receiver is gone.
pub fn run_file_search(job: FileSearch, mut send: impl FnMut(Msg) -> bool) {
    let terms = Terms::new(&job.terms);
    let mut done = 0;
    let mut found = Vec::new();
    // The first hits are sent at once, the rest at most every `SEND_EVERY`.
    let mut last_sent: Option<Instant> = None;
    for chunk in job.posts.chunks(FILES_PER_BATCH) {
        if job.superseded() {
            return;
        }
        found.extend(search_files(chunk, &terms));
        done += chunk.len();
        let due = last_sent.is_none_or(|at| at.elapsed() >= SEND_EVERY);
        if done < job.posts.len() && !due {
            continue;
        }
        let msg = Msg::TextHits {
            generation: job.generation,
            hits: std::mem::take(&mut found),
            done,
        };
        if !send(msg) {
            return;
        }
        last_sent = Some(Instant::now());
    }
}

/// Reads every body now and hands them to `app`, as the loader would have: for tests
/// and tools that have no event loop.
pub fn load_now(app: &mut App) {
    let (budget_set, budget) = (app.bodies.budget_set, app.bodies.budget);
    let posts = app.library.posts().len();
    if !keeps_bodies(budget_set, budget, files_size(app.library.posts())) {
        app.bodies.start(posts);
        app.bodies.keep_none(posts);
        app.bodies_arrived();
        return;
    }
    let bodies = read_all(&app.library);
    app.bodies.start(posts);
    let read: Vec<(PostId, Option<Body>)> = app
        .library
        .posts()
        .iter()
        .map(|p| (p.id.clone(), bodies.get(&p.id).cloned()))
        .collect();
    app.bodies.receive(read);
    app.bodies_arrived();
}
