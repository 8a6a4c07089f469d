//! Post bodies for full-text search, as far as the background loader has read them.
//! The loader (I/O, in [`crate::bodies`]) sends bodies in batches; this is the pure side
//! that keeps them, by post, so the state machine and its tests never wait for a disk
//! and a body never ends up under another post when the library changes.

use crate::library::PostId;
use crate::library::fulltext::Body;
use crate::library::query::Bodies;

#[derive(Debug, Clone, Default)]
pub struct BodyCache {
    /// The bodies read so far (a post that could not be read has none).
    pub bodies: Bodies,
    /// Posts whose body has been read or has failed to read.
    pub loaded: usize,
    pub total: usize,
    /// Whether loading has begun (it starts after the first frame).
    pub started: bool,
}

impl BodyCache {
    pub fn start(&mut self, total: usize) {
        self.bodies.clear();
        self.loaded = 0;
        self.total = total;
        self.started = true;
    }

    /// Takes a batch from the loader: `(post, body or None if unreadable)`.
    pub fn receive(&mut self, batch: Vec<(PostId, Option<Body>)>) {
        for (id, body) in batch {
            if let Some(body) = body {
                self.bodies.insert(id, body);
            }
            self.loaded += 1;
        }
        self.loaded = self.loaded.min(self.total);
    }

    /// Forgets a post's body (it changed or is gone).
    pub fn forget(&mut self, id: &PostId) {
        self.bodies.remove(id);
    }

    pub fn done(&self) -> bool {
        self.started && self.loaded >= self.total
    }
}
