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
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::check::packed::{Helps, Packed, Packer};
use crate::check::{self, Checked, Input, Policy};
use crate::diagnostic::{Diagnostic, Severity};
use crate::library::post::{PostDate, read_regular};
use crate::library::scan::Stamp;
use crate::library::{Library, Post, PostId, Source};
use crate::store::AnalysisStore;

/// A file larger than this is not checked (as in `folio check`): no post is, and it
/// bounds the memory a check takes beside the reader.
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// A post's problems from the last check, and what its badge shows.
#[derive(Debug, Clone)]
struct Found {
    worst: Severity,
    /// Its warnings and errors.
    shown: usize,
    problems: Packed,
}

/// The problems found, and the state of the checking.
#[derive(Debug, Clone)]
pub struct Checks {
    /// Problems by post from the last check that finished (posts without any are
    /// absent); `None` until one has, when the index's own diagnostics stand in.
    found: Option<HashMap<PostId, Found>>,
    /// The helps `found` refers to.
    helps: Arc<Helps>,
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
            helps: Arc::default(),
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
        self.helps = Arc::new(done.helps);
        done.warnings
    }

    /// A post's problems: the last check's, else (until one has reported) those the
    /// index found, as the policy has them.
    pub fn of(&self, post: &Post) -> Cow<'_, [Diagnostic]> {
        match &self.found {
            Some(found) => found.get(&post.id).map_or(Cow::Borrowed(&[][..]), |found| {
                Cow::Owned(found.problems.unpack(&self.helps))
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
fn summary(problems: &[Diagnostic]) -> Option<(Severity, usize)> {
    let worst = problems.iter().map(|d| d.severity).max()?;
    let shown = problems
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .count();
    Some((worst, shown))
}

/// One check of the collection, run beside the event loop.
pub struct CheckJob {
    epoch: u64,
    root: Arc<Path>,
    files: Vec<(PostId, PathBuf)>,
    store: AnalysisStore,
    read_all: bool,
    policy: Policy,
    today: Option<PostDate>,
}

/// What a [`CheckJob`] found.
#[derive(Debug)]
pub struct CheckDone {
    epoch: u64,
    found: HashMap<PostId, Found>,
    helps: Helps,
    /// How many files were read (the others' analyses were kept).
    pub read: usize,
    /// What went wrong keeping analyses (the check itself went on).
    pub warnings: Vec<String>,
}

impl CheckJob {
    /// Reads what changed since the analyses kept were made (on all cores), keeps the
    /// new ones, checks, and packs the problems by post.
    pub fn run(self) -> CheckDone {
        let CheckJob {
            epoch,
            root,
            files,
            store,
            read_all,
            policy,
            today,
        } = self;
        let started_ns = crate::library::scan::nanos_since_epoch(std::time::SystemTime::now());
        let mut warnings = Vec::new();
        // The files as they are now; those whose kept analysis still holds leave it
        // to be reused, the rest are read.
        let mut wanted: HashMap<PostId, (PathBuf, Stamp)> = files
            .into_iter()
            .filter_map(|(id, path)| {
                // Gone since it was listed: the watcher will say so.
                let stamp = Stamp::of(&std::fs::metadata(&path).ok()?);
                Some((id, (path, stamp)))
            })
            .collect();
        let mut reused: Vec<(PostId, Stamp, Checked)> = Vec::with_capacity(wanted.len());
        let mut gone: Vec<PostId> = Vec::new();
        if !read_all {
            let loaded = store.load_each(&root, |kept| match wanted.get(kept.id) {
                Some((_, now)) if kept.stamp == Some(*now) => {
                    if let (Some(analysis), Some((id, (path, stamp)))) =
                        (kept.analysis(), wanted.remove_entry(kept.id))
                    {
                        let root = Arc::clone(&root);
                        reused.push((
                            id,
                            stamp,
                            Checked {
                                path,
                                root,
                                analysis,
                            },
                        ));
                    }
                }
                Some(_) => {}
                None => gone.push(PostId::from_stored(kept.id)),
            });
            if let Err(warning) = loaded {
                warnings.push(warning);
                // What was taken from a store that failed half-way is read again.
                for (id, stamp, checked) in reused.drain(..) {
                    wanted.insert(id, (checked.path, stamp));
                }
                gone.clear();
            }
        }
        let to_read: Vec<(PostId, PathBuf, Stamp)> = wanted
            .into_iter()
            .map(|(id, (path, stamp))| (id, path, stamp))
            .collect();
        let fresh: Vec<(PostId, Stamp, Checked)> = to_read
            .into_par_iter()
            .map(|(id, path, stamp)| (id, stamp, analyse_file(&root, path)))
            .collect();
        let read = fresh.len();
        let to_keep: Vec<(&PostId, Stamp, &check::post::Analysis)> = fresh
            .iter()
            .map(|(id, stamp, checked)| (id, *stamp, &checked.analysis))
            .collect();
        if let Err(warning) = store.save(&root, started_ns, &to_keep, &gone) {
            warnings.push(warning);
        }
        drop(to_keep);
        let mut all = reused;
        all.extend(fresh);
        all.sort_by(|a, b| a.2.path.cmp(&b.2.path));
        let ids: Vec<PostId> = all.iter().map(|(id, ..)| id.clone()).collect();
        // Collected in place, in the list's own memory: no second copy of every
        // analysis.
        let checked: Vec<Checked> = all.into_iter().map(|(.., checked)| checked).collect();
        let exists = |path: &Path| path.exists();
        // Each post's problems are packed as soon as they are found.
        let packer = Mutex::new(Packer::default());
        let packed = check::findings_each(&checked, today.as_ref(), &exists, &policy, |problems| {
            let (worst, shown) = summary(&problems)?;
            let mut packer = packer
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let problems = packer.pack(&problems);
            Some(Found {
                worst,
                shown,
                problems,
            })
        });
        drop(checked);
        let found: HashMap<PostId, Found> = ids
            .into_iter()
            .zip(packed)
            .filter_map(|(id, found)| Some((id, found?)))
            .collect();
        let packer = packer
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        CheckDone {
            epoch,
            found,
            helps: packer.helps(),
            read,
            warnings,
        }
    }
}

/// One file's own problems; its text is dropped once analysed (only the lines the
/// problems are on matter to the TUI, and those it knows by number).
fn analyse_file(root: &Arc<Path>, path: PathBuf) -> Checked {
    match read_regular(&path, MAX_FILE) {
        Ok(bytes) => {
            let input = Input {
                path,
                root: Arc::clone(root),
                bytes,
            };
            let mut checked = check::analyse(input);
            checked.slim();
            checked
        }
        Err(err) => {
            let mut analysis = check::post::Analysis::default();
            analysis.diagnostics.push(Diagnostic::new(
                crate::diagnostic::Code::Unreadable,
                err.reason(),
            ));
            Checked {
                path,
                root: Arc::clone(root),
                analysis,
            }
        }
    }
}

impl super::state::App {
    /// Runs a due check here, in this thread, and applies its result: what the event
    /// loop does beside itself, for tests and tools without one.
    pub fn check_now(&mut self) {
        if let Some(job) = self.checks.take_job(&self.library, self.collection_epoch) {
            let done = job.run();
            super::msg::handle(self, super::msg::Msg::Checked(Box::new(done)));
        }
    }
}
