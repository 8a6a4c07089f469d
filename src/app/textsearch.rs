//! Full-text search past the memory budget. Bodies are kept in memory up to a budget
//! ([`super::bodies`]); when a collection's text does not fit, a full-text query also
//! needs the posts whose bodies were left on disk. Those are read and searched off the
//! event loop, on all cores, and their hits arrive as they are found
//! ([`super::msg::Msg::TextHits`]), with a count of how far the search has got. Each new
//! query supersedes the one before: its files are no longer read. A query that only
//! narrows the last one to read all its files (a word grown or added) reads only the
//! files that one found the words in.
//!
//! This module is the pure side: what to ask for, and what to do with what arrives.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::state::App;
use crate::library::query::{Chips, Hit, Query, narrows};
use crate::library::{Post, PostId};

/// A search of files the event loop hands to a thread.
#[derive(Debug, Clone)]
pub struct FileSearch {
    /// Which query this is for; hits of another are dropped.
    pub generation: u64,
    /// The live query's generation: the thread stops when it moves on.
    pub current: Arc<AtomicU64>,
    pub terms: Vec<String>,
    /// The posts to read (their bodies are not in memory).
    pub posts: Vec<Arc<Post>>,
}

impl FileSearch {
    /// Whether a newer query has replaced this one.
    pub fn superseded(&self) -> bool {
        self.current.load(Ordering::Relaxed) != self.generation
    }
}

#[derive(Debug, Clone, Default)]
pub struct TextSearch {
    current: Arc<AtomicU64>,
    /// A search waiting for the event loop to start it.
    pending: Option<FileSearch>,
    /// Files searched so far and in all, while a search of files runs.
    pub progress: Option<(usize, usize)>,
    /// What the search of files running now is for, and what it has found so far.
    running: Option<Searched>,
    /// The last search of files that read all its files: a query that narrows it
    /// reads only the files it found (`zephyr` then `zephyr wind`).
    finished: Option<Searched>,
}

/// A search of files' query and the posts whose files it found the words in.
#[derive(Debug, Clone)]
struct Searched {
    chips: Chips,
    query: Query,
    /// The library's generation it ran on: a post changed since may match now.
    library: u64,
    found: HashSet<PostId>,
}

impl Searched {
    /// Whether every post a search for `query` finds among these files, this one found.
    fn covers(&self, chips: &Chips, query: &Query, library: u64) -> bool {
        self.library == library && self.chips == *chips && narrows(&self.query, query)
    }
}

impl TextSearch {
    /// The search to start, if one is waiting.
    pub fn take(&mut self) -> Option<FileSearch> {
        self.pending.take()
    }

    /// Ends any search of files (the query changed or was cleared).
    fn stop(&mut self) -> u64 {
        self.pending = None;
        self.progress = None;
        self.running = None;
        self.current.fetch_add(1, Ordering::Relaxed).wrapping_add(1)
    }
}

impl App {
    /// After a full-text query ran over the bodies in memory: asks for the files of the
    /// candidates left out of memory (none when everything fits, or no words).
    pub(super) fn search_left_out_bodies(&mut self, candidates: Option<Vec<PostId>>) {
        let generation = self.text_search.stop();
        let (Some(candidates), Some(terms)) = (candidates, self.search.text_terms()) else {
            return;
        };
        if self.bodies.complete() {
            return;
        }
        let query = self.search.query();
        let library = self.library.generation();
        let narrowed = (self.text_search.finished.as_ref())
            .filter(|f| f.covers(&self.search.chips, &query, library))
            .map(|f| &f.found);
        let posts: Vec<Arc<Post>> = candidates
            .iter()
            .filter(|id| !self.bodies.bodies.contains_key(*id))
            .filter(|id| narrowed.is_none_or(|found| found.contains(*id)))
            .filter_map(|id| self.library.shared(id))
            .collect();
        self.text_search.running = Some(Searched {
            chips: self.search.chips.clone(),
            query,
            library,
            found: HashSet::new(),
        });
        if posts.is_empty() {
            self.text_search.finished = self.text_search.running.take();
            return;
        }
        self.text_search.progress = Some((0, posts.len()));
        self.text_search.pending = Some(FileSearch {
            generation,
            current: Arc::clone(&self.text_search.current),
            terms,
            posts,
        });
    }

    /// Hits found in files for query `generation`; `done` files of the search read.
    pub fn text_hits(&mut self, generation: u64, hits: Vec<Hit>, done: usize) {
        if self.text_search.current.load(Ordering::Relaxed) != generation {
            return;
        }
        if let Some(running) = self.text_search.running.as_mut() {
            running.found.extend(hits.iter().map(|hit| hit.id.clone()));
        }
        if let Some((_, total)) = self.text_search.progress {
            self.text_search.progress = (done < total).then_some((done, total));
            if done >= total {
                self.text_search.finished = self.text_search.running.take();
            }
        }
        if hits.is_empty() {
            return;
        }
        let Some(all) = self.search.hits.as_mut() else {
            return;
        };
        all.extend(hits);
        // Most hits first; the sort is stable, so equal counts keep the order found.
        all.sort_by_key(|h| std::cmp::Reverse(h.score));
        self.search.generation = self.search.generation.wrapping_add(1);
        if self.selected.is_none() {
            self.selected = self.post_at_row(0);
        }
        self.keep_selection_visible();
    }
}
