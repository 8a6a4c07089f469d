//! Post bodies for full-text search, as far as the background loader has read them.
//! The loader (I/O, in [`crate::bodies`]) sends bodies in batches; this is the pure side
//! that keeps them, by post, so the state machine and its tests never wait for a disk
//! and a body never ends up under another post when the library changes.
//!
//! Bodies are kept up to a memory budget (the config's `full_text_memory`): a big
//! collection's text does not all fit, and a search past the budget reads the files it
//! needs as it goes (see [`super::textsearch`]). With the default budget, a collection
//! of which less than half would fit keeps none ([`keeps_bodies`]).

use crate::library::PostId;
use crate::library::fulltext::Body;
use crate::library::query::Bodies;

/// What the bodies may take when the config does not say: 128 MiB of text.
pub const DEFAULT_BUDGET: usize = 128 * 1024 * 1024;

/// Whether bodies are kept at all for a collection whose post files take `file_bytes`:
/// always within a budget the config set (`budget_set`); within the default one, only
/// when the files take no more than it, so that at least about half of their text
/// fits (a body is kept with its case-folded twin, and plain text is a little shorter
/// than its Markdown). Past that, a query reads most files from disk anyway, and the
/// few it would not read are not worth the memory: on the bench's 100,000 posts (750 MB
/// of files) the sixth that fitted made a query take 11–12 s instead of 15 s, for
/// 150 MB more at the peak (390 against 240 MB).
pub fn keeps_bodies(budget_set: bool, budget: usize, file_bytes: u64) -> bool {
    budget_set || file_bytes <= budget as u64
}

#[derive(Debug, Clone)]
pub struct BodyCache {
    /// The bodies read so far (a post that could not be read has none).
    pub bodies: Bodies,
    /// Posts whose body has been read or has failed to read.
    pub loaded: usize,
    pub total: usize,
    /// Whether loading has begun (it starts once the collection is checked).
    pub started: bool,
    /// Whether the search's matcher has been asked for.
    pub indexed: bool,
    /// Bytes the kept bodies may take ([`crate::library::fulltext::Body::size`]).
    pub budget: usize,
    /// The budget is the config's, not [`DEFAULT_BUDGET`] (see [`keeps_bodies`]).
    pub budget_set: bool,
    /// Bytes the kept bodies take.
    pub bytes: usize,
    /// Posts whose body is not kept, because the budget was spent.
    pub left_out: usize,
    /// A loader is reading bodies now.
    pub loading: bool,
    /// Posts added or changed since the loader read them: read again when it is idle.
    pub stale: Vec<PostId>,
}

impl Default for BodyCache {
    fn default() -> Self {
        BodyCache {
            bodies: Bodies::default(),
            loaded: 0,
            total: 0,
            started: false,
            indexed: false,
            budget: DEFAULT_BUDGET,
            budget_set: false,
            bytes: 0,
            left_out: 0,
            loading: false,
            stale: Vec::new(),
        }
    }
}

impl BodyCache {
    pub fn start(&mut self, total: usize) {
        self.bodies.clear();
        self.loaded = 0;
        self.total = total;
        self.started = true;
        self.bytes = 0;
        self.left_out = 0;
        self.loading = true;
        self.stale.clear();
    }

    /// Nothing read yet, for another collection, within the same budget: the
    /// config's when it set one, else the default, which the new collection's size
    /// decides on afresh.
    pub fn for_another_collection(&self) -> BodyCache {
        let mut fresh = BodyCache::default();
        if self.budget_set {
            fresh.set_budget(self.budget);
        }
        fresh
    }

    /// A budget of `bytes` chosen in the config: kept to whatever the collection's size.
    pub fn set_budget(&mut self, bytes: usize) {
        self.budget = bytes;
        self.budget_set = true;
    }

    /// Whether the first load is still to come: only it decides, with
    /// [`keeps_bodies`], whether any body is kept.
    pub fn first_load(&self) -> bool {
        !self.started
    }

    /// The collection is too big for the default budget to be worth spending
    /// ([`keeps_bodies`]): no body is kept, now or when posts change, and every query
    /// reads the files of its `count` posts.
    pub fn keep_none(&mut self, count: usize) {
        self.budget = 0;
        self.leave_out(count);
    }

    /// The posts to read now, if any: every post before the first load, then those
    /// that changed since (when no load is running).
    pub fn wanted(&mut self, all: impl FnOnce() -> Vec<PostId>) -> Option<Vec<PostId>> {
        if !self.started {
            let all = all();
            self.start(all.len());
            return Some(all);
        }
        if self.loading || self.stale.is_empty() {
            return None;
        }
        self.loading = true;
        Some(std::mem::take(&mut self.stale))
    }

    /// A post is new or changed: its body is read again (once a load has begun).
    pub fn mark_stale(&mut self, id: &PostId) {
        self.forget(id);
        if self.started && !self.stale.contains(id) {
            self.stale.push(id.clone());
        }
    }

    /// Takes a batch from the loader: `(post, body or None if unreadable)`. A body
    /// past the budget is not kept.
    pub fn receive(&mut self, batch: Vec<(PostId, Option<Body>)>) {
        for (id, body) in batch {
            if let Some(body) = body {
                if self.bytes + body.size() <= self.budget {
                    self.bytes += body.size();
                    self.bodies.insert(id, body);
                } else {
                    self.left_out += 1;
                }
            }
            self.loaded += 1;
        }
        self.loaded = self.loaded.min(self.total);
    }

    /// The loader stopped at the budget: `count` posts were not read at all.
    pub fn leave_out(&mut self, count: usize) {
        self.left_out += count;
        self.loaded = self.total;
        self.loading = false;
    }

    /// Whether every readable body is in memory (a full-text search needs no files).
    pub fn complete(&self) -> bool {
        self.left_out == 0
    }

    /// Forgets a post's body (it changed or is gone).
    pub fn forget(&mut self, id: &PostId) {
        if let Some(body) = self.bodies.remove(id) {
            self.bytes = self.bytes.saturating_sub(body.size());
        }
    }

    pub fn done(&self) -> bool {
        self.started && self.loaded >= self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_collection_keeps_the_budget_the_config_set_and_decides_the_default_afresh() {
        let mut set = BodyCache::default();
        set.set_budget(1000);
        set.start(3);
        let next = set.for_another_collection();
        assert_eq!(
            (next.budget, next.budget_set, next.started),
            (1000, true, false)
        );
        // A default budget spent on nothing for a big collection is whole again.
        let mut spent = BodyCache::default();
        spent.start(3);
        spent.keep_none(3);
        assert_eq!(spent.budget, 0);
        let next = spent.for_another_collection();
        assert_eq!((next.budget, next.budget_set), (DEFAULT_BUDGET, false));
        assert!(next.first_load());
    }
}
