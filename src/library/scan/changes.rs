//! What an earlier scan left to compare against, and what a scan found different: a
//! file's [`Stamp`] (size and modification time) says whether its cached entry still
//! holds, and the entries the walk found are set against the cached ones to say which
//! posts were added, changed, removed or renamed, the form a running folio applies them in.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Library;
use crate::library::{Post, PostId, Source};

/// When a file last changed, as far as can be told without reading it: its size and
/// modification time. A file whose stamp is what it was when it was indexed is taken to
/// say what it said then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub size: u64,
    /// Nanoseconds since the Unix epoch (negative before it).
    pub mtime_ns: i64,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        Stamp {
            size: meta.len(),
            mtime_ns: mtime_ns(meta),
        }
    }
}

#[cfg(unix)]
fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    use std::os::unix::fs::MetadataExt;
    meta.mtime()
        .saturating_mul(1_000_000_000)
        .saturating_add(meta.mtime_nsec())
}

#[cfg(not(unix))]
fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    meta.modified().map_or(0, |time| nanos_since_epoch(time))
}

/// `time` as nanoseconds since the Unix epoch, saturating (negative before it).
pub fn nanos_since_epoch(time: std::time::SystemTime) -> i64 {
    match time.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_nanos()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    }
}

/// A post as an earlier scan indexed it.
#[derive(Debug, Clone)]
pub struct CachedPost {
    /// The post as it was indexed; `None` once [`Library::from_cached`] has taken it for
    /// the list on screen, so that a warm start holds each post once. A scan then
    /// recalls the few old posts it must compare with from where they came.
    pub post: Option<Arc<Post>>,
    /// The file's stamp when it was read. `None` when the file is to be read again
    /// whatever its stamp: it could not be read then, or it changed so close to that
    /// scan that a later change could have left the same stamp.
    pub stamp: Option<Stamp>,
    /// The file's path relative to the root as the file system spells it, when the
    /// post's id does not (a name that is not UTF-8); `None`: as the id says.
    pub spelled: Option<PathBuf>,
}

impl CachedPost {
    /// Whether this entry was indexed from the file at `rel` (two names that are not
    /// UTF-8 can share an id).
    pub fn is_at(&self, id: &PostId, rel: &Path) -> bool {
        match (&self.post, &self.spelled) {
            (Some(post), _) => *post.rel_path == *rel,
            (None, Some(spelled)) => spelled == rel,
            (None, None) => rel.to_str() == Some(id.as_str()),
        }
    }
}

/// What an earlier scan indexed, by post.
pub type Cached = HashMap<PostId, CachedPost>;

/// How the posts on disk differ from the cached ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanChanges {
    /// On disk, not cached.
    pub added: Vec<PostId>,
    /// Cached, and the file changed since (or, read again, says something else).
    pub changed: Vec<PostId>,
    /// Cached, no longer on disk.
    pub removed: Vec<PostId>,
    /// `(from, to)`: a post gone from one path and one that appeared at another, with
    /// the same size and the same title, metadata and warnings. A moved file whose title
    /// came from its name is a removal and an addition.
    pub renamed: Vec<(PostId, PostId)>,
}

impl ScanChanges {
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many posts changed in any way.
    pub fn len(&self) -> usize {
        self.added.len() + self.changed.len() + self.removed.len() + self.renamed.len()
    }
}

/// The result of [`super::scan_with`]: the collection as it is on disk, and what the index
/// needs to remember it.
#[derive(Debug, Clone)]
pub struct Scanned {
    pub library: Library,
    /// Each post's stamp as seen just before it was read (or its cached entry kept);
    /// none for a file that could not be read.
    pub stamps: HashMap<PostId, Stamp>,
    pub changes: ScanChanges,
    /// The posts read from disk in this scan (sorted): the index's entries to write.
    pub read: Vec<PostId>,
    /// When the walk began, in nanoseconds since the epoch.
    pub started_ns: i64,
}

/// What the walk found at one path.
pub(super) enum Found {
    /// A file read now; its stamp as seen before the read (none if it could not be read).
    Read {
        post: Box<Post>,
        stamp: Option<Stamp>,
    },
    /// A file unchanged since its cached entry, which is kept.
    Kept {
        id: PostId,
        path: PathBuf,
        stamp: Stamp,
    },
    /// A file stated before the cached entries were there to compare with; kept or
    /// read once they are ([`super::walk::settle`]).
    Unsettled {
        id: PostId,
        rel: PathBuf,
        path: PathBuf,
        stamp: Stamp,
    },
    Warning(String),
}

/// The library and the differences from what the walk found. Kept entries are moved
/// out of `cached`; what is left there at the end is what is gone. An entry whose post
/// was taken ([`Library::from_cached`]) adds nothing to the library when kept, and is
/// `recall`ed when it must be compared with.
pub(super) fn gather(
    root: &Path,
    found: Vec<Found>,
    mut cached: Cached,
    started_ns: i64,
    recall: Recall<'_>,
) -> Scanned {
    let mut posts = Vec::with_capacity(found.len());
    let mut warnings = Vec::new();
    let mut stamps = HashMap::with_capacity(found.len());
    let mut read = Vec::new();
    let mut changes = ScanChanges::default();
    for item in found {
        match item {
            Found::Warning(warning) => warnings.push(warning),
            // Not met here: a walk with the entries at hand leaves nothing unsettled,
            // and one without them is settled before it is gathered (scan_loading).
            Found::Unsettled { .. } => {}
            Found::Kept { id, path, stamp } => {
                // Two files with one identity: the library keeps only one anyway.
                let Some(entry) = cached.remove(&id) else {
                    continue;
                };
                stamps.insert(id, stamp);
                if let Some(mut post) = entry.post {
                    // The cache's post, not a copy: nothing else holds it yet.
                    Arc::make_mut(&mut post).source = Source::File(path);
                    posts.push(post);
                }
            }
            Found::Read { post, stamp } => {
                let id = post.id.clone();
                if let Some(stamp) = stamp {
                    stamps.insert(id.clone(), stamp);
                }
                match cached.remove(&id) {
                    None => changes.added.push(id.clone()),
                    Some(old) => {
                        let touched = old.stamp.is_some() && old.stamp != stamp;
                        if touched
                            || !old_post(&old, &id, recall)
                                .is_some_and(|old| same_entry(&old, &post))
                        {
                            changes.changed.push(id.clone());
                        }
                    }
                }
                read.push(id);
                posts.push(Arc::new(*post));
            }
        }
    }
    // The walk's threads finish in any order; what is reported must not.
    warnings.sort();
    read.sort();
    let library = Library::new(root.to_path_buf(), posts, warnings);
    changes.removed = cached.keys().cloned().collect();
    changes.added.sort();
    changes.changed.sort();
    changes.removed.sort();
    pair_renames(&mut changes, &cached, &library, &stamps, recall);
    Scanned {
        library,
        stamps,
        changes,
        read,
        started_ns,
    }
}

/// Where a scan finds the old post of an entry whose post was taken: the index it came
/// from (`None`: not there, and the post counts as changed).
pub type Recall<'a> = &'a dyn Fn(&PostId) -> Option<Post>;

/// A scan that recalls nothing: its cached entries all hold their posts.
pub fn recall_nothing(_: &PostId) -> Option<Post> {
    None
}

/// The post `entry` was indexed as, from the entry or recalled.
fn old_post<'a>(
    entry: &'a CachedPost,
    id: &PostId,
    recall: Recall<'_>,
) -> Option<std::borrow::Cow<'a, Post>> {
    match &entry.post {
        Some(post) => Some(std::borrow::Cow::Borrowed(post)),
        None => recall(id).map(std::borrow::Cow::Owned),
    }
}

/// Whether two entries say the same thing about their posts (paths aside).
fn same_entry(a: &Post, b: &Post) -> bool {
    a.title == b.title && a.meta == b.meta && a.diagnostics == b.diagnostics
}

/// Turns a removed post and an added one that are the same file moved into a rename:
/// the same size, title, metadata and warnings. Each added post is claimed once, in
/// path order, so the pairing does not depend on the walk. `gone` holds the removed
/// posts' cached entries.
fn pair_renames(
    changes: &mut ScanChanges,
    gone: &Cached,
    library: &Library,
    stamps: &HashMap<PostId, Stamp>,
    recall: Recall<'_>,
) {
    if changes.removed.is_empty() || changes.added.is_empty() {
        return;
    }
    let mut candidates: HashMap<(u64, String), Vec<&PostId>> = HashMap::new();
    for id in &changes.added {
        if let (Some(post), Some(stamp)) = (library.get(id), stamps.get(id)) {
            candidates
                .entry((stamp.size, post.title.to_string()))
                .or_default()
                .push(id);
        }
    }
    // A removed post is recalled (a query of the index) only when an added one has its
    // size: a folder deleted beside an unrelated new post asks nothing per post.
    let sizes: std::collections::HashSet<u64> = candidates.keys().map(|(size, _)| *size).collect();
    let mut renamed = Vec::new();
    for from in &changes.removed {
        let Some(old) = gone.get(from) else {
            continue;
        };
        let Some(size) = old
            .stamp
            .map(|s| s.size)
            .filter(|size| sizes.contains(size))
        else {
            continue;
        };
        let Some(old) = old_post(old, from, recall) else {
            continue;
        };
        let Some(list) = candidates.get_mut(&(size, old.title.to_string())) else {
            continue;
        };
        let matching = list
            .iter()
            .position(|to| library.get(to).is_some_and(|new| same_entry(&old, new)));
        if let Some(at) = matching {
            renamed.push((from.clone(), list.remove(at).clone()));
        }
    }
    let gone: HashSet<&PostId> = renamed.iter().map(|(from, _)| from).collect();
    let came: HashSet<&PostId> = renamed.iter().map(|(_, to)| to).collect();
    let removed = changes.removed.iter().filter(|id| !gone.contains(id));
    let added = changes.added.iter().filter(|id| !came.contains(id));
    let (removed, added) = (removed.cloned().collect(), added.cloned().collect());
    changes.removed = removed;
    changes.added = added;
    changes.renamed = renamed;
}
