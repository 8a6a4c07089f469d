//! The collection's problems as `folio check` finds them, kept per post for the list's
//! badges, the status bar and the reader's problem list (`!`). The index alone knows a
//! post's front matter; a broken link, a missing image or an unclosed shortcode show
//! only in the whole text, and duplicate slugs only across posts. So once the
//! collection is indexed, a [`CheckJob`] reads every post beside the event loop and
//! runs the same checks as the command; after each change it runs again. Each file's
//! analysis is kept in the index cache ([`AnalysisStore`]) with the stamp the file had,
//! so a check (in this run or the next) reads only the files whose size or time
//! changed, and redoes the checks across posts, which are cheap. The problems found are
//! held packed ([`check::packed`]): a large collection has hundreds of thousands.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use crate::check::packed::{Packed, Shelf};
use crate::check::{self, Policy};
use crate::diagnostic::{Diagnostic, Severity};
use crate::library::{Library, Post, PostId, Source};
use crate::store::AnalysisStore;

pub use super::check_job::{CheckDone, CheckJob};

/// A post's problems from the last check, and what its badge shows.
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub(super) worst: Severity,
    /// Its warnings and errors.
    pub(super) shown: usize,
    pub(super) problems: Packed,
}

/// The problems found, and the state of the checking.
#[derive(Debug, Clone)]
pub struct Checks {
    /// Problems by post from the last check that finished (posts without any are
    /// absent); `None` until one has, when the index's own diagnostics stand in.
    found: Option<HashMap<PostId, Found>>,
    /// The problems `found` points at.
    shelf: Arc<Shelf>,
    /// Posts with an error, posts with a warning (and no error), in `found`.
    counts: (usize, usize),
    /// Where analyses are kept between checks.
    store: AnalysisStore,
    /// The next check reads every file, whatever is kept (`--rescan`).
    read_all: bool,
    /// The collection changed since the running (or last) check started.
    wanted: bool,
    running: bool,
    pub policy: Policy,
}

impl Checks {
    /// Checks to be made once the collection is indexed, keeping analyses in memory
    /// until [`Checks::keep_in`] gives them a place on disk.
    pub fn new(policy: Policy) -> Checks {
        Checks {
            found: None,
            shelf: Arc::default(),
            counts: (0, 0),
            store: AnalysisStore::in_memory(),
            read_all: false,
            wanted: true,
            running: false,
            policy,
        }
    }

    /// Keeps analyses in `store` (the index cache); `read_all` ignores what it holds
    /// for the first check.
    pub fn keep_in(&mut self, store: AnalysisStore, read_all: bool) {
        self.store = store;
        self.read_all = read_all;
    }

    /// The collection changed: check it again when the running check is over.
    pub fn want(&mut self) {
        self.wanted = true;
    }

    /// Another collection: nothing found is about it.
    pub fn reset(&mut self) {
        let store = self.store.clone();
        *self = Checks::new(std::mem::take(&mut self.policy));
        self.store = store;
    }

    /// The job taken could not be started: no check is running.
    pub fn not_started(&mut self) {
        self.running = false;
    }

    /// Whether a check has reported for this collection.
    pub fn ready(&self) -> bool {
        self.found.is_some()
    }

    /// Whether a check is under way (or due).
    pub fn busy(&self) -> bool {
        self.running || self.wanted
    }

    /// A job to run now, when a check is wanted and none runs; the epoch is the
    /// collection's, for dropping a result that comes after a switch.
    pub fn take_job(&mut self, library: &Library, epoch: u64) -> Option<CheckJob> {
        if !self.wanted || self.running {
            return None;
        }
        self.wanted = false;
        self.running = true;
        let files = library
            .posts()
            .iter()
            .filter_map(|post| match &post.source {
                Source::File(path) => Some((post.id.clone(), path.clone())),
                // Posts compiled into folio have no folder for their links to be in.
                Source::Embedded(_) => None,
            })
            .collect();
        Some(CheckJob {
            epoch,
            root: Arc::from(library.root.as_path()),
            files,
            store: self.store.clone(),
            read_all: std::mem::take(&mut self.read_all),
            policy: self.policy.clone(),
            today: check::today(),
        })
    }

    /// A job's result; what went wrong keeping analyses comes back to be said. A
    /// result for another collection is dropped.
    pub fn finished(&mut self, done: CheckDone, epoch: u64) -> Vec<String> {
        if done.epoch != epoch {
            return Vec::new();
        }
        self.running = false;
        self.counts = (0, 0);
        for found in done.found.values() {
            match found.worst {
                Severity::Error => self.counts.0 += 1,
                Severity::Warning => self.counts.1 += 1,
                Severity::Info => {}
            }
        }
        self.found = Some(done.found);
        self.shelf = Arc::new(done.shelf);
        done.warnings
    }

    /// Whether [`Checks::of`] would find any problem for the post, without making the
    /// list: the status bar asks it of every post on every frame until the first check
    /// reports.
    pub fn has_problems(&self, post: &Post) -> bool {
        match &self.found {
            Some(found) => found.contains_key(&post.id),
            None => post
                .diagnostics
                .iter()
                .any(|d| self.policy.severity(d.code).is_some()),
        }
    }

    /// A post's problems: the last check's, else (until one has reported) those the
    /// index found, as the policy has them.
    pub fn of(&self, post: &Post) -> Cow<'_, [Diagnostic]> {
        match &self.found {
            Some(found) => found.get(&post.id).map_or(Cow::Borrowed(&[][..]), |found| {
                Cow::Owned(self.shelf.unpack(found.problems))
            }),
            None => {
                let mut own = post.diagnostics.clone();
                self.policy.apply(&mut own);
                Cow::Owned(own)
            }
        }
    }

    /// The worst severity among a post's problems worth a badge (warnings, errors).
    pub fn badge(&self, post: &Post) -> Option<(Severity, usize)> {
        if let Some(found) = &self.found {
            let found = found.get(&post.id)?;
            return (found.worst >= Severity::Warning).then_some((found.worst, found.shown));
        }
        let problems = self.of(post);
        let (worst, shown) = summary(&problems)?;
        (worst >= Severity::Warning).then_some((worst, shown))
    }

    /// Posts with errors and posts with warnings, when a check has reported.
    pub fn counts(&self) -> Option<(usize, usize)> {
        self.found.as_ref().map(|_| self.counts)
    }
}

/// The worst severity among problems, and how many are warnings or errors.
pub(super) fn summary(problems: &[Diagnostic]) -> Option<(Severity, usize)> {
    let worst = problems.iter().map(|d| d.severity).max()?;
    let shown = problems
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .count();
    Some((worst, shown))
}

impl super::state::App {
    /// Whether bodies for full-text search may be read now: once the folder is
    /// checked against the index and the posts are checked for problems. Read beside
    /// the check, they were in memory with every post's facts (on 100,000 posts the
    /// check holds about 70 MB for a few seconds, and the bodies 128 MiB); until they
    /// are read, a full-text query reads the files it needs.
    /// Later loads (posts that changed) do not wait for the checks they cause: a
    /// folder that keeps changing would keep them from ever starting.
    pub fn bodies_due(&self) -> bool {
        self.index_status == super::change::IndexStatus::Idle
            && (self.bodies.started || self.checks.ready() || !self.checks.busy())
    }

    /// Runs a due check here, in this thread, and applies its result: what the event
    /// loop does beside itself, for tests and tools without one.
    pub fn check_now(&mut self) {
        if let Some(job) = self.checks.take_job(&self.library, self.collection_epoch) {
            let done = job.run();
            super::msg::handle(self, super::msg::Msg::Checked(Box::new(done)));
        }
    }
}
