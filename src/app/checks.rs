//! The collection's problems as `folio check` finds them, kept per post for the list's
//! badges, the status bar and the reader's problem list (`!`). The index alone knows a
//! post's front matter; a broken link, a missing image or an unclosed shortcode show
//! only in the whole text, and duplicate slugs only across posts. So once the
//! collection is indexed, a [`CheckJob`] reads every post beside the event loop and
//! runs the same checks as the command; after each change it runs again, reading only
//! the files whose size or time changed (the others' analyses are kept, without their
//! text) and redoing the checks across posts, which are cheap.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::check::{self, Checked, Input, Policy};
use crate::diagnostic::{Diagnostic, Severity};
use crate::library::post::{PostDate, read_regular};
use crate::library::{Library, Post, PostId, Source};

/// A file larger than this is not checked (as in `folio check`): no post is, and it
/// bounds the memory a check takes beside the reader.
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// What a file was when it was analysed: unchanged size and time, unchanged analysis.
type Stamp = (u64, Option<SystemTime>);

/// Analyses kept from the last check, by post.
#[derive(Debug, Clone, Default)]
pub struct Kept(HashMap<PostId, (Stamp, Box<Checked>)>);

/// The problems found, and the state of the checking.
#[derive(Debug, Clone, Default)]
pub struct Checks {
    /// Problems by post from the last check that finished (posts without any are
    /// absent); `None` until one has, when the index's own diagnostics stand in.
    found: Option<HashMap<PostId, Vec<Diagnostic>>>,
    /// Posts with an error, posts with a warning (and no error), in `found`.
    counts: (usize, usize),
    /// The analyses to start from; `None` while a job has them.
    kept: Option<Kept>,
    /// The collection changed since the running (or last) check started.
    wanted: bool,
    running: bool,
    pub policy: Policy,
}

impl Checks {
    /// Checks to be made once the collection is indexed.
    pub fn new(policy: Policy) -> Checks {
        Checks {
            kept: Some(Kept::default()),
            wanted: true,
            policy,
            ..Checks::default()
        }
    }

    /// The collection changed: check it again when the running check is over.
    pub fn want(&mut self) {
        self.wanted = true;
    }

    /// Another collection: nothing found or kept is about it.
    pub fn reset(&mut self) {
        *self = Checks::new(std::mem::take(&mut self.policy));
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
        let kept = self.kept.take()?;
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
            kept,
            policy: self.policy.clone(),
            today: check::today(),
        })
    }

    /// A job's result; `false` when it was for another collection (dropped).
    pub fn finished(&mut self, done: CheckDone, epoch: u64) -> bool {
        if done.epoch != epoch {
            return false;
        }
        self.running = false;
        self.kept = Some(done.kept);
        self.counts = (0, 0);
        for problems in done.found.values() {
            match worst(problems) {
                Some(Severity::Error) => self.counts.0 += 1,
                Some(Severity::Warning) => self.counts.1 += 1,
                _ => {}
            }
        }
        self.found = Some(done.found);
        true
    }

    /// A post's problems: the last check's, else (until one has reported) those the
    /// index found, as the policy has them.
    pub fn of(&self, post: &Post) -> Cow<'_, [Diagnostic]> {
        match &self.found {
            Some(found) => found
                .get(&post.id)
                .map_or(Cow::Borrowed(&[][..]), |d| Cow::Borrowed(d.as_slice())),
            None => {
                let mut own = post.diagnostics.clone();
                self.policy.apply(&mut own);
                Cow::Owned(own)
            }
        }
    }

    /// The worst severity among a post's problems worth a badge (warnings, errors).
    pub fn badge(&self, post: &Post) -> Option<(Severity, usize)> {
        let problems = self.of(post);
        let shown = problems
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
            .count();
        worst(&problems)
            .filter(|s| *s >= Severity::Warning)
            .map(|s| (s, shown))
    }

    /// Posts with errors and posts with warnings, when a check has reported.
    pub fn counts(&self) -> Option<(usize, usize)> {
        self.found.as_ref().map(|_| self.counts)
    }
}

fn worst(problems: &[Diagnostic]) -> Option<Severity> {
    problems.iter().map(|d| d.severity).max()
}

/// One check of the collection, run beside the event loop.
pub struct CheckJob {
    epoch: u64,
    root: Arc<Path>,
    files: Vec<(PostId, PathBuf)>,
    kept: Kept,
    policy: Policy,
    today: Option<PostDate>,
}

/// What a [`CheckJob`] found.
#[derive(Debug)]
pub struct CheckDone {
    epoch: u64,
    kept: Kept,
    found: HashMap<PostId, Vec<Diagnostic>>,
}

impl CheckJob {
    /// Reads what changed since the last check (on all cores), checks, and groups the
    /// problems by post.
    pub fn run(self) -> CheckDone {
        let CheckJob {
            epoch,
            root,
            files,
            kept,
            policy,
            today,
        } = self;
        let mut previous = kept.0;
        let mut reused: Vec<(PostId, Stamp, Checked)> = Vec::new();
        let mut to_read: Vec<(PostId, PathBuf, Stamp)> = Vec::new();
        for (id, path) in files {
            let Ok(metadata) = std::fs::metadata(&path) else {
                continue; // gone since it was listed: the watcher will say so
            };
            let stamp = (metadata.len(), metadata.modified().ok());
            match previous.remove(&id) {
                Some((was, checked)) if was == stamp => reused.push((id, stamp, *checked)),
                _ => to_read.push((id, path, stamp)),
            }
        }
        let fresh: Vec<(PostId, Stamp, Checked)> = to_read
            .into_par_iter()
            .map(|(id, path, stamp)| {
                let checked = analyse_file(&root, path, today.as_ref());
                (id, stamp, checked)
            })
            .collect();
        let mut all: Vec<(PostId, Stamp, Checked)> = reused;
        all.extend(fresh);
        all.sort_by(|a, b| a.2.path.cmp(&b.2.path));
        let (ids, rest): (Vec<(PostId, Stamp)>, Vec<Checked>) = all
            .into_iter()
            .map(|(id, stamp, checked)| ((id, stamp), checked))
            .unzip();
        let exists = |path: &Path| path.exists();
        let by_file = check::findings_by_file(&rest, &exists, &policy);
        let found: HashMap<PostId, Vec<Diagnostic>> = ids
            .iter()
            .zip(by_file)
            .filter(|(_, problems)| !problems.is_empty())
            .map(|((id, _), problems)| (id.clone(), problems))
            .collect();
        let kept = Kept(
            ids.into_iter()
                .zip(rest)
                .map(|((id, stamp), checked)| (id, (stamp, Box::new(checked))))
                .collect(),
        );
        CheckDone { epoch, kept, found }
    }
}

/// One file's own problems; its text is dropped once analysed (only the lines the
/// problems are on matter to the TUI, and those it knows by number).
fn analyse_file(root: &Arc<Path>, path: PathBuf, today: Option<&PostDate>) -> Checked {
    match read_regular(&path, MAX_FILE) {
        Ok(bytes) => {
            let input = Input {
                path,
                root: Arc::clone(root),
                bytes,
            };
            let mut checked = check::analyse(input, today);
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
