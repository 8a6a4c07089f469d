//! Post bodies for full-text search, as far as the background loader has read them.
//! The loader (I/O, in [`crate::bodies`]) sends bodies in batches; this is the pure side
//! that keeps them, so the state machine and its tests never wait for a disk.

use crate::library::fulltext::Body;

#[derive(Debug, Clone, Default)]
pub struct BodyCache {
    /// Indexed like the library's posts; `None` until read (or when unreadable).
    pub bodies: Vec<Option<Body>>,
    /// Posts whose body has been read or has failed to read.
    pub loaded: usize,
    pub total: usize,
    /// Whether loading has begun (it starts after the first frame).
    pub started: bool,
}

impl BodyCache {
    pub fn start(&mut self, total: usize) {
        self.bodies = vec![None; total];
        self.loaded = 0;
        self.total = total;
        self.started = true;
    }

    /// Takes a batch from the loader: `(post index, body or None if unreadable)`.
    pub fn receive(&mut self, batch: Vec<(usize, Option<Body>)>) {
        for (index, body) in batch {
            if let Some(slot) = self.bodies.get_mut(index) {
                *slot = body;
                self.loaded += 1;
            }
        }
        self.loaded = self.loaded.min(self.total);
    }

    pub fn done(&self) -> bool {
        self.started && self.loaded >= self.total
    }
}
