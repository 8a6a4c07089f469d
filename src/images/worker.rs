//! The image thread: finding, probing, decoding and encoding pictures beside the event
//! loop, so a frame never waits for one. The app hands it batches of jobs and it hands
//! back each result as it is made (the loop turns them into messages on its one
//! channel). Probes (a header read each) go before draws, so every box gets its size
//! early; a batch from an older generation (the reader left the post, turned images
//! off, was resized) is skipped, not worked through.
//!
//! Decoded pictures are kept, shrunk to at most [`KEEP_SIDE`] pixels a side, within
//! [`DECODED_BUDGET`] bytes, so drawing one again at another size (a resize, a box
//! that took its exact size) does not decode it again.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::time::SystemTime;

use image::DynamicImage;

use super::cache::Budgeted;
use super::decode::{self, Limits};
use super::detect::Graphics;
use super::encode::{self, Picture};
use super::fit::Cells;
use super::locate::{self, Roots};

/// Bytes of decoded pictures the thread keeps.
pub const DECODED_BUDGET: usize = 96 << 20;
/// Decoded pictures are kept no larger than this a side: more than any box needs.
pub const KEEP_SIDE: u32 = 2048;

/// Which image of which post: its URL as written, and the post's folder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageKey {
    pub post_dir: Option<PathBuf>,
    pub url: String,
}

/// A picture drawn at one size for one protocol: what the app's cache is keyed by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DrawKey {
    pub path: PathBuf,
    pub modified: Option<SystemTime>,
    pub cells: Cells,
    pub graphics: Graphics,
}

/// What probing an image found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    Found {
        path: PathBuf,
        width: u32,
        height: u32,
        modified: Option<SystemTime>,
    },
    /// Why it cannot be drawn.
    Failed(String),
}

#[derive(Debug, Clone)]
pub enum Job {
    /// Find and probe an image of a post.
    Probe { key: ImageKey, collection: PathBuf },
    /// Decode and encode a found image.
    Draw { key: DrawKey, id: u32 },
}

/// Jobs of one generation.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub generation: u64,
    pub jobs: Vec<Job>,
}

/// A job's result.
#[derive(Debug)]
pub enum Done {
    Probed {
        key: ImageKey,
        fact: Fact,
    },
    Drawn {
        key: DrawKey,
        picture: Result<Arc<Picture>, String>,
    },
}

/// What the thread keeps between jobs.
pub struct Work {
    limits: Limits,
    decoded: Budgeted<(PathBuf, Option<SystemTime>), Arc<DynamicImage>>,
}

impl Default for Work {
    fn default() -> Self {
        Work {
            limits: Limits::default(),
            decoded: Budgeted::new(DECODED_BUDGET),
        }
    }
}

impl Work {
    /// Does one job, here and now (the thread's loop; tests).
    pub fn run(&mut self, job: &Job) -> Done {
        match job {
            Job::Probe { key, collection } => Done::Probed {
                key: key.clone(),
                fact: self.probe(key, collection),
            },
            Job::Draw { key, id } => Done::Drawn {
                key: key.clone(),
                picture: self.draw(key, *id).map(Arc::new),
            },
        }
    }

    fn probe(&self, key: &ImageKey, collection: &std::path::Path) -> Fact {
        let roots = match &key.post_dir {
            Some(dir) => Roots::find(collection, dir),
            None => Roots {
                collection: collection.to_path_buf(),
                site: None,
            },
        };
        let path = match locate::locate(&key.url, key.post_dir.as_deref(), &roots) {
            Ok(path) => path,
            Err(refusal) => return Fact::Failed(refusal.to_string()),
        };
        match decode::probe(&path, &self.limits) {
            Ok(probe) => Fact::Found {
                path,
                width: probe.width,
                height: probe.height,
                modified: probe.modified,
            },
            Err(failure) => Fact::Failed(failure.to_string()),
        }
    }

    fn draw(&mut self, key: &DrawKey, id: u32) -> Result<Picture, String> {
        let image = self.decoded(key)?;
        encode::encode(&image, key.graphics, key.cells, id)
    }

    fn decoded(&mut self, key: &DrawKey) -> Result<Arc<DynamicImage>, String> {
        let cache_key = (key.path.clone(), key.modified);
        if let Some(image) = self.decoded.get(&cache_key) {
            return Ok(Arc::clone(image));
        }
        let image = decode::decode(&key.path, &self.limits).map_err(|f| f.to_string())?;
        let image = if image.width() > KEEP_SIDE || image.height() > KEEP_SIDE {
            image.thumbnail(KEEP_SIDE, KEEP_SIDE)
        } else {
            image
        };
        let image = Arc::new(image);
        let bytes = image.as_bytes().len();
        self.decoded.insert(cache_key, Arc::clone(&image), bytes);
        Ok(image)
    }
}

/// The running thread: where batches go.
#[derive(Debug)]
pub struct Worker {
    jobs: Sender<Batch>,
    current: Arc<AtomicU64>,
}

impl Worker {
    /// Starts the thread; `send` hands each result on and says whether anyone still
    /// listens (the thread ends when not).
    pub fn spawn(send: impl FnMut(Done) -> bool + Send + 'static) -> std::io::Result<Worker> {
        let (jobs, inbox) = channel::<Batch>();
        let current = Arc::new(AtomicU64::new(0));
        let seen = Arc::clone(&current);
        std::thread::Builder::new()
            .name("folio-images".into())
            .spawn(move || work(&inbox, &seen, send))?;
        Ok(Worker { jobs, current })
    }

    /// Hands a batch over; older generations still queued are skipped from now on.
    pub fn submit(&self, batch: Batch) {
        self.current.fetch_max(batch.generation, Ordering::Relaxed);
        let _ = self.jobs.send(batch);
    }
}

fn work(inbox: &Receiver<Batch>, current: &AtomicU64, mut send: impl FnMut(Done) -> bool) {
    let mut state = Work::default();
    let mut probes: VecDeque<(u64, Job)> = VecDeque::new();
    let mut draws: VecDeque<(u64, Job)> = VecDeque::new();
    loop {
        // Take everything that has come; wait only when there is nothing to do.
        let idle = probes.is_empty() && draws.is_empty();
        let next = if idle {
            match inbox.recv() {
                Ok(batch) => Some(batch),
                Err(_) => return,
            }
        } else {
            match inbox.try_recv() {
                Ok(batch) => Some(batch),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => return,
            }
        };
        if let Some(batch) = next {
            for job in batch.jobs {
                let queue = match job {
                    Job::Probe { .. } => &mut probes,
                    Job::Draw { .. } => &mut draws,
                };
                queue.push_back((batch.generation, job));
            }
            continue;
        }
        let Some((generation, job)) = probes.pop_front().or_else(|| draws.pop_front()) else {
            continue;
        };
        if generation < current.load(Ordering::Relaxed) {
            continue;
        }
        if !send(state.run(&job)) {
            return;
        }
    }
}
