//! One check of a collection ([`CheckJob::run`]), beside the event loop. The analyses
//! kept in the index cache are read in two passes: first the facts of every post whose
//! file has not changed ([`crate::check::facts`], what the checks across posts
//! compare), then, with those in hand, the [`Own`] part of each, a chunk of posts at a
//! time on all cores, each post's problems made and packed as its part comes. So a
//! check holds every post's facts but only a chunk's links and problems; the files that
//! changed are read and analysed (on all cores) in between, and their analyses kept.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::checks::{Found, summary};
use crate::check::packed::{Packer, Shelf};
use crate::check::parts::Own;
use crate::check::{self, Checked, Collection, Input, Known, Policy};
use crate::diagnostic::{Code, Diagnostic};
use crate::library::PostId;
use crate::library::post::{PostDate, read_regular};
use crate::library::scan::{Stamp, nanos_since_epoch};
use crate::store::AnalysisStore;
use crate::store::analyses::{Fresh, Part};

/// A file larger than this is not checked (as in `folio check`): no post is, and it
/// bounds the memory a check takes beside the reader.
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// How many posts' own parts are worked on at once: plenty for every core, few enough
/// that their links and problems are little memory.
const CHUNK: usize = 1024;

/// One check of the collection, run beside the event loop.
pub struct CheckJob {
    pub(super) epoch: u64,
    pub(super) root: Arc<Path>,
    pub(super) files: Vec<(PostId, PathBuf)>,
    pub(super) store: AnalysisStore,
    pub(super) read_all: bool,
    pub(super) policy: Policy,
    pub(super) today: Option<PostDate>,
}

/// What a [`CheckJob`] found.
#[derive(Debug)]
pub struct CheckDone {
    pub(super) epoch: u64,
    pub(super) found: HashMap<PostId, Found>,
    /// The problems `found` points at.
    pub(super) shelf: Shelf,
    /// How many files were read (the others' analyses were kept).
    pub read: usize,
    /// What went wrong keeping analyses (the check itself went on).
    pub warnings: Vec<String>,
}

/// A post in the check: its own part is here when its file was just read, else it is
/// in the store.
struct Row {
    id: PostId,
    stamp: Stamp,
    known: Known,
    /// Boxed: most rows have none, and a row is one of 100,000.
    own: Option<Box<Own>>,
}

impl CheckJob {
    /// Reads what changed since the analyses kept were made, keeps the new ones,
    /// checks, and packs the problems by post.
    pub fn run(self) -> CheckDone {
        let started_ns = nanos_since_epoch(std::time::SystemTime::now());
        let mut warnings = Vec::new();
        let present = self.present();
        let (mut rows, gone) = self.kept_facts(&present, &mut warnings);
        let fresh_from = rows.len();
        // The files without facts kept: read now.
        let kept: HashSet<&str> = rows.iter().map(|row| row.id.as_str()).collect();
        let unread: Vec<(&PostId, &Path, Stamp)> = present
            .into_values()
            .filter(|(id, ..)| !kept.contains(id.as_str()))
            .collect();
        drop(kept);
        rows.extend(
            unread
                .into_par_iter()
                .map(|(id, path, stamp)| read_row(&self.root, id.clone(), path, stamp))
                .collect::<Vec<Row>>(),
        );
        let mut read = rows.len() - fresh_from;
        let to_keep: Vec<Fresh<'_>> = rows[fresh_from..]
            .iter()
            .filter_map(|row| Some((&row.id, row.stamp, &row.known.facts, row.own.as_deref()?)))
            .collect();
        if let Err(warning) = self.store.save(&self.root, started_ns, &to_keep, &gone) {
            warnings.push(warning);
        }
        drop(to_keep);

        // In the order `folio check` reports in, which decides the first of two posts
        // with one slug.
        rows.sort_by(|a, b| a.known.path.cmp(&b.known.path));
        let mut ids = Vec::with_capacity(rows.len());
        let mut stamps = Vec::with_capacity(rows.len());
        let mut owns = Vec::with_capacity(rows.len());
        // Collected in place, in the rows' own memory.
        let known: Vec<Known> = rows
            .into_iter()
            .map(|row| {
                ids.push(row.id);
                stamps.push(row.stamp);
                owns.push(row.own);
                row.known
            })
            .collect();
        let exists = |path: &Path| path.exists();
        // The reader's collection is known: other posts are named from its folder.
        let collection = Collection::new(
            &known,
            check::across::Naming::FromRoot,
            self.today.as_ref(),
            &exists,
            &self.policy,
        );
        let mut packer = Packer::default();
        let mut found: Vec<Option<Found>> = vec![None; known.len()];
        let mut done = vec![false; known.len()];
        // Problems are made on all cores, and packed here, one post after another.
        let mut work =
            |batch: &mut Vec<(usize, Own)>, found: &mut [Option<Found>], done: &mut [bool]| {
                let made: Vec<(usize, Vec<Diagnostic>)> = batch
                    .par_iter()
                    .map(|(at, own)| (*at, collection.problems(*at, own.borrowed())))
                    .collect();
                for (at, problems) in made {
                    found[at] = pack(&mut packer, &problems);
                    done[at] = true;
                }
                batch.clear();
            };
        let mut batch: Vec<(usize, Own)> = Vec::with_capacity(CHUNK);
        // The posts just read have their own part here.
        for (at, own) in owns.iter_mut().enumerate() {
            if let Some(own) = own.take() {
                batch.push((at, *own));
                if batch.len() >= CHUNK {
                    work(&mut batch, &mut found, &mut done);
                }
            }
        }
        work(&mut batch, &mut found, &mut done);
        // The others', from the store, as it hands them over.
        let position: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .filter(|(at, _)| !done[*at])
            .map(|(at, id)| (id.as_str(), at))
            .collect();
        let loaded = self.store.load_each(&self.root, Part::Own, |kept| {
            let Some(&at) = position.get(kept.id) else {
                return;
            };
            if kept.stamp == Some(stamps[at])
                && let Some(own) = kept.own()
            {
                batch.push((at, own));
                if batch.len() >= CHUNK {
                    work(&mut batch, &mut found, &mut done);
                }
            }
        });
        work(&mut batch, &mut found, &mut done);
        if let Err(warning) = loaded {
            warnings.push(warning);
        }
        // A post whose part the store no longer had (another folio changed it in
        // between, a failure) is read now.
        for at in (0..known.len()).filter(|at| !done[*at]) {
            let path = known[at].path.clone();
            let (_, own) = analyse_file(&self.root, path).analysis.into_parts();
            read += 1;
            batch.push((at, own));
        }
        work(&mut batch, &mut found, &mut done);
        drop(collection);

        let found: HashMap<PostId, Found> = ids
            .into_iter()
            .zip(found)
            .filter_map(|(id, found)| Some((id, found?)))
            .collect();
        CheckDone {
            epoch: self.epoch,
            found,
            shelf: packer.finish(),
            read,
            warnings,
        }
    }

    /// The files of the collection still there, with their stamps now, by the text of
    /// their ids as the store names posts (the library's ids are shared, not made
    /// again). One look at each file, for both the kept facts and the files to read.
    fn present(&self) -> HashMap<&str, (&PostId, &Path, Stamp)> {
        self.files
            .par_iter()
            .filter_map(|(id, path)| {
                // Gone since it was listed: the watcher will say so.
                let stamp = Stamp::of(&std::fs::metadata(path).ok()?);
                Some((id.as_str(), (id, path.as_path(), stamp)))
            })
            .collect()
    }

    /// The facts kept for the `present` posts whose files have not changed, and the
    /// posts kept that are gone from the collection.
    fn kept_facts(
        &self,
        present: &HashMap<&str, (&PostId, &Path, Stamp)>,
        warnings: &mut Vec<String>,
    ) -> (Vec<Row>, Vec<PostId>) {
        let mut rows = Vec::with_capacity(present.len());
        let mut gone = Vec::new();
        if self.read_all {
            return (rows, gone);
        }
        let loaded =
            self.store
                .load_each(&self.root, Part::Facts, |kept| match present.get(kept.id) {
                    Some((id, path, stamp)) if kept.stamp == Some(*stamp) => {
                        if let Some(facts) = kept.facts() {
                            rows.push(Row {
                                id: (*id).clone(),
                                stamp: *stamp,
                                known: Known {
                                    path: path.to_path_buf(),
                                    root: Arc::clone(&self.root),
                                    facts,
                                },
                                own: None,
                            });
                        }
                    }
                    Some(_) => {}
                    None => gone.push(PostId::from_stored(kept.id)),
                });
        if let Err(warning) = loaded {
            // What was taken from a store that failed half-way is read again.
            warnings.push(warning);
            rows.clear();
            gone.clear();
        }
        (rows, gone)
    }
}

/// A post's problems packed, with what its badge shows; `None` without any.
fn pack(packer: &mut Packer, problems: &[Diagnostic]) -> Option<Found> {
    let (worst, shown) = summary(problems)?;
    Some(Found {
        worst,
        shown,
        problems: packer.pack(problems),
    })
}

/// A file read and analysed for the check.
fn read_row(root: &Arc<Path>, id: PostId, path: &Path, stamp: Stamp) -> Row {
    let (known, own) = analyse_file(root, path.to_path_buf()).known_without_text();
    Row {
        id,
        stamp,
        known,
        own: Some(Box::new(own)),
    }
}

/// One file's analysis, slimmed: its text is dropped once analysed (only the lines the
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
            analysis
                .diagnostics
                .push(Diagnostic::new(Code::Unreadable, err.reason()));
            Checked {
                path,
                root: Arc::clone(root),
                analysis,
            }
        }
    }
}
