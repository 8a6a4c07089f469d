//! Which files in a collection folder are posts, and the index built from them. The walk
//! follows what a Hugo site author expects: hidden folders and `.gitignore`d paths are
//! not content, `_index.md` is listed as a section only when it has a body, and a folder a user
//! cannot read is a warning, not a failed start. The walk and the reading of heads run
//! on all cores, because on a cold disk with thousands of posts the first frame waits on
//! exactly this; with the entries of an earlier scan ([`scan_with`]) only the files that
//! changed since are read at all, and the differences are reported.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::post::{LoadError, Post, Source};
use super::rules::{is_listed, is_post_name};
use super::{Names, PostId};

mod changes;
mod order;
mod walk;
mod walk_error;

use changes::gather;
pub use changes::{
    Cached, CachedPost, Recall, ScanChanges, Scanned, Stamp, nanos_since_epoch, recall_nothing,
};
use order::{newest_first, sort_newest_first};
pub use walk::walker;

/// A map keyed by post id, hashed with foldhash: a look-up by id runs for every row of
/// a search's results, and SipHash's resistance to chosen keys buys nothing against the
/// user's own file names.
type IdMap<V> = HashMap<PostId, V, foldhash::fast::RandomState>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagCount {
    pub name: String,
    pub count: usize,
}

/// The posts of one collection, newest first, each findable by its [`PostId`]. The
/// list is only changed through methods that keep the look-up by id in step.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub root: PathBuf,
    /// Shared, so a thread reading bodies or searching files holds the posts it needs
    /// without a copy (a copy of 100,000 posts was 100 MB).
    posts: Vec<Arc<Post>>,
    /// Where each post is in `posts`.
    by_id: IdMap<usize>,
    /// Names the posts as they are, so what is derived from them knows to follow: a new
    /// value with every change, never given to another state of any library in this
    /// process (a collection switched to, or made again, never passes for one before).
    generation: u64,
    pub warnings: Vec<String>,
    /// The tags and the categories counted, made when first asked for in this state of
    /// the posts: the search line asks at every key of a `#tag` it completes, and a
    /// count reads every post's names (some 150 ms on 100,000 posts).
    tag_counts: OnceLock<Vec<TagCount>>,
    category_counts: OnceLock<Vec<TagCount>>,
}

/// The form every tag comparison uses: `Istio`, ` istio ` and `ISTIO` are one tag.
pub fn tag_key(tag: &str) -> String {
    tag.trim().to_lowercase()
}

/// A [`Library::generation`] not given out before.
fn next_generation() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Library {
    /// Indexes every post under `root`. Fails only when `root` itself is unusable.
    pub fn scan(root: &Path) -> Result<Library, LoadError> {
        scan_with(root, Cached::new()).map(|scanned| scanned.library)
    }

    /// The posts an earlier scan of `root` indexed, as they were then, without looking at
    /// the disk: what a start shows while the scan that checks them runs. The posts are
    /// taken out of `cached`, which keeps their stamps for that scan (a second copy of
    /// 100,000 posts was a third of a warm start's time, in fresh memory).
    pub fn from_cached(root: PathBuf, cached: &mut Cached) -> Library {
        let mut posts = Vec::with_capacity(cached.len());
        posts.extend(cached.values_mut().filter_map(|entry| entry.post.take()));
        Library::new(root, posts, Vec::new())
    }

    /// The same rules over files compiled into the binary. A name with no extension at
    /// all is taken as a post too: that is how a single document (stdin) arrives.
    pub fn from_embedded(root: PathBuf, files: &[(&str, &'static [u8])]) -> Library {
        let posts = files
            .iter()
            .filter(|(name, _)| {
                let path = Path::new(name);
                let hidden = path
                    .components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
                !hidden && (is_post_name(path) || path.extension().is_none())
            })
            .map(|(name, bytes)| Post::from_bytes(PathBuf::from(name), bytes))
            .filter(|post| is_listed(&post.rel_path, post))
            .map(Arc::new)
            .collect();
        Library::sorted(root, posts, Vec::new())
    }

    /// A library of `posts` in the list's order (newest first). Two files cannot have
    /// one identity; should `posts` hold a path twice, the first stays.
    pub fn new(root: PathBuf, mut posts: Vec<Arc<Post>>, warnings: Vec<String>) -> Library {
        sort_newest_first(&mut posts);
        // Two files with one identity keep the first in the list's order; the map of
        // identities is built in the same pass.
        let mut by_id = IdMap::with_capacity_and_hasher(posts.len(), Default::default());
        let mut kept = 0;
        posts.retain(|p| match by_id.entry(p.id.clone()) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(kept);
                kept += 1;
                true
            }
        });
        Library {
            root,
            posts,
            by_id,
            generation: next_generation(),
            warnings,
            tag_counts: OnceLock::new(),
            category_counts: OnceLock::new(),
        }
    }

    /// A library of `posts` in the order given, for tests that number posts by hand.
    #[cfg(test)]
    pub(crate) fn in_order(root: PathBuf, posts: Vec<Post>) -> Library {
        let mut library = Library {
            root,
            posts: posts.into_iter().map(Arc::new).collect(),
            by_id: IdMap::default(),
            generation: 0,
            warnings: Vec::new(),
            tag_counts: OnceLock::new(),
            category_counts: OnceLock::new(),
        };
        library.reindex();
        library
    }

    fn sorted(root: PathBuf, posts: Vec<Arc<Post>>, warnings: Vec<String>) -> Library {
        Library::new(root, posts, warnings)
    }

    /// Changes with every change to the posts; see the field.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    fn reindex(&mut self) {
        self.generation = next_generation();
        self.tag_counts = OnceLock::new();
        self.category_counts = OnceLock::new();
        self.by_id = self
            .posts
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
    }

    /// Every post, newest first.
    pub fn posts(&self) -> &[Arc<Post>] {
        &self.posts
    }

    /// The post with this identity.
    pub fn get(&self, id: &PostId) -> Option<&Post> {
        self.posts.get(*self.by_id.get(id)?).map(|post| &**post)
    }

    /// The post with this identity, to hand to another thread.
    pub fn shared(&self, id: &PostId) -> Option<Arc<Post>> {
        self.posts.get(*self.by_id.get(id)?).cloned()
    }

    /// Where the post with this identity is in [`Library::posts`].
    pub fn position(&self, id: &PostId) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn contains(&self, id: &PostId) -> bool {
        self.by_id.contains_key(id)
    }

    /// Keeps the posts `keep` accepts (drafts hidden by the config).
    pub fn retain(&mut self, mut keep: impl FnMut(&Post) -> bool) {
        let before = self.posts.len();
        self.posts.retain(|post| keep(post));
        if self.posts.len() != before {
            self.reindex();
        }
    }

    /// Adds a post where the order puts it, in place of one with the same identity;
    /// returns its id.
    pub fn insert_sorted(&mut self, post: Post) -> PostId {
        let id = post.id.clone();
        if let Some(at) = self.position(&id) {
            self.posts.remove(at);
        }
        let index = self
            .posts
            .partition_point(|p| newest_first(p, &post) != Ordering::Greater);
        self.posts.insert(index, Arc::new(post));
        self.reindex();
        id
    }

    /// Takes the post with this identity out; returns it.
    pub fn remove(&mut self, id: &PostId) -> Option<Post> {
        let at = self.position(id)?;
        let post = self.posts.remove(at);
        self.reindex();
        Some(Arc::unwrap_or_clone(post))
    }

    /// The post read from `path`, however the path is spelled (`./x/../a.md`, relative
    /// or absolute).
    pub fn id_of_path(&self, path: &Path) -> Option<PostId> {
        let at = self.position_of(path)?;
        self.posts.get(at).map(|p| p.id.clone())
    }

    fn position_of(&self, path: &Path) -> Option<usize> {
        let is_at = |p: &Post, wanted: &Path| matches!(&p.source, Source::File(f) if f == wanted);
        if let Some(index) = self.posts.iter().position(|p| is_at(p, path)) {
            return Some(index);
        }
        let wanted = path.canonicalize().ok()?;
        // Scanned posts live at root/rel: one canonicalize of the root finds them.
        if let Ok(root) = self.root.canonicalize()
            && let Ok(rel) = wanted.strip_prefix(&root)
            && let Some(index) = self
                .posts
                .iter()
                .position(|p| *p.rel_path == *rel && matches!(p.source, Source::File(_)))
        {
            return Some(index);
        }
        self.posts.iter().position(|p| match &p.source {
            Source::File(f) => f.canonicalize().is_ok_and(|f| f == wanted),
            Source::Embedded(_) => false,
        })
    }

    /// Tags with the number of posts carrying each, most used first.
    pub fn tags(&self) -> &[TagCount] {
        self.tag_counts
            .get_or_init(|| count_names(self.posts.iter().map(|p| &p.meta.tags)))
    }

    /// Categories, counted and merged like [`Library::tags`].
    pub fn categories(&self) -> &[TagCount] {
        self.category_counts
            .get_or_init(|| count_names(self.posts.iter().map(|p| &p.meta.categories)))
    }

    /// Indices of the posts that carry every one of `tags`; all posts for no tags.
    pub fn filter_by_tags(&self, tags: &[String]) -> Vec<usize> {
        let wanted: Vec<String> = tags
            .iter()
            .map(|t| tag_key(t))
            .filter(|t| !t.is_empty())
            .collect();
        self.posts
            .iter()
            .enumerate()
            .filter(|(_, post)| {
                let have: Vec<String> = post.meta.tags.iter().map(tag_key).collect();
                wanted.iter().all(|w| have.contains(w))
            })
            .map(|(i, _)| i)
            .collect()
    }
}

/// Walks `root` as [`Library::scan`] does and stats every post, but reads only the
/// files that are new or whose [`Stamp`] differs from `cached`'s (and those `cached`
/// says to read again); the others keep their cached entry (moved out of `cached`,
/// not copied). The walk and the reading share all cores. Fails only when `root`
/// itself is unusable.
pub fn scan_with(root: &Path, cached: Cached) -> Result<Scanned, LoadError> {
    scan_counting(
        root,
        cached,
        &std::sync::atomic::AtomicUsize::new(0),
        &recall_nothing,
    )
}

/// [`scan_with`], counting the posts found so far in `found` as it goes, for a progress
/// line that another thread reads. The posts of entries that were taken (a library on
/// screen has them) are not in the result's library; `recall` gives back the few the
/// scan must compare with.
pub fn scan_counting(
    root: &Path,
    cached: Cached,
    counter: &std::sync::atomic::AtomicUsize,
    recall: Recall<'_>,
) -> Result<Scanned, LoadError> {
    check_root(root)?;
    let started_ns = nanos_since_epoch(std::time::SystemTime::now());
    let cache = std::sync::OnceLock::from(cached);
    let found = walk::walk(root, &cache, counter);
    let cached = cache.into_inner().unwrap_or_default();
    Ok(gather(root, found, cached, started_ns, recall))
}

/// [`scan_with`] for a listing that must load its cached entries first: they are
/// loaded (`load`, on a thread of its own) while the folder is walked and its files
/// stated, and the files met before they are there are settled against them after
/// the walk. A warm `folio list` spent a third of its time loading before walking.
pub fn scan_loading(
    root: &Path,
    load: impl FnOnce() -> Cached + Send,
) -> Result<Scanned, LoadError> {
    check_root(root)?;
    let started_ns = nanos_since_epoch(std::time::SystemTime::now());
    let cache = std::sync::OnceLock::new();
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let found = std::thread::scope(|scope| {
        let loader = scope.spawn(|| {
            let _ = cache.set(load());
        });
        let found = walk::walk(root, &cache, &counter);
        // A loader that panicked left no entries: every file is read.
        let _ = loader.join();
        found
    });
    let cached = cache.into_inner().unwrap_or_default();
    let found = walk::settle(found, &cached);
    Ok(gather(root, found, cached, started_ns, &recall_nothing))
}

/// Fails unless `root` is a folder.
fn check_root(root: &Path) -> Result<(), LoadError> {
    let io = |error| LoadError::Io {
        path: root.to_path_buf(),
        error,
    };
    if !std::fs::metadata(root).map_err(io)?.is_dir() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            "not a folder; give a folder of Markdown posts",
        )));
    }
    Ok(())
}

/// Counts posts per name, merging spellings by [`tag_key`]. The name shown is the
/// spelling used most (ties: the first alphabetically).
fn count_names<'a>(lists: impl Iterator<Item = &'a Names>) -> Vec<TagCount> {
    struct Entry {
        posts: usize,
        spellings: HashMap<String, usize>,
    }
    let mut by_key: HashMap<String, Entry> = HashMap::new();
    for names in lists {
        let mut seen_in_post: Vec<String> = Vec::new();
        for name in names {
            let key = tag_key(name);
            if key.is_empty() {
                continue;
            }
            let entry = by_key.entry(key.clone()).or_insert_with(|| Entry {
                posts: 0,
                spellings: HashMap::new(),
            });
            *entry.spellings.entry(name.trim().to_string()).or_insert(0) += 1;
            if !seen_in_post.contains(&key) {
                entry.posts += 1;
                seen_in_post.push(key);
            }
        }
    }
    let mut counts: Vec<TagCount> = by_key
        .into_values()
        .filter_map(|entry| {
            let name = entry
                .spellings
                .into_iter()
                .min_by(|(a, na), (b, nb)| nb.cmp(na).then_with(|| a.cmp(b)))?
                .0;
            Some(TagCount {
                name,
                count: entry.posts,
            })
        })
        .collect();
    counts.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| tag_key(&a.name).cmp(&tag_key(&b.name)))
            .then_with(|| a.name.cmp(&b.name))
    });
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(name: &str, front: &str) -> Post {
        let text = format!("---\n{front}\n---\n");
        Post::from_bytes(
            PathBuf::from(name),
            Box::leak(text.into_bytes().into_boxed_slice()),
        )
    }

    #[test]
    fn the_keyed_sort_orders_as_the_comparison_does() {
        let mut posts = Vec::new();
        for (n, front) in [
            "title: B\ndate: 2021-05-25",
            "title: A\ndate: 2021-05-25",
            "title: A\ndate: 2021-05-25T23:00:00-08:00",
            "title: Z",
            "title: A",
            "title: C\ndate: 2019-01-01",
            "title: B\ndate: 2021-05-25",
            "title: Q\ndate: 2030-12-31",
        ]
        .iter()
        .enumerate()
        {
            posts.push(post(&format!("p{}.md", 9 - n), front));
        }
        let mut expected = posts.clone();
        expected.sort_by(newest_first);
        sort_newest_first(&mut posts);
        let ids = |posts: &[Post]| posts.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&posts), ids(&expected));
        assert_eq!(posts.first().map(|p| &*p.title), Some("Q"));
    }

    /// Two libraries of the same posts, or one changed and made again, never share a
    /// generation: what is cached by generation cannot pass for another's.
    #[test]
    fn generations_are_never_given_twice() {
        let posts = || vec![Arc::new(post("a.md", "title: A"))];
        let first = Library::new(PathBuf::from("/one"), posts(), Vec::new());
        let mut second = Library::new(PathBuf::from("/one"), posts(), Vec::new());
        let seen = [first.generation(), second.generation()];
        assert_ne!(seen[0], seen[1]);
        second.reindex();
        assert!(!seen.contains(&second.generation()));
        assert_eq!(first.clone().generation(), first.generation());
    }

    #[test]
    fn post_names() {
        assert!(is_post_name(Path::new("a/b.md")));
        assert!(is_post_name(Path::new("a/B.MarkDown")));
        assert!(!is_post_name(Path::new("a/b.txt")));
        assert!(!is_post_name(Path::new("md")));
    }

    #[test]
    fn insert_keeps_order() {
        let mut lib = Library::default();
        for (name, date) in [("a.md", "2020-01-01"), ("b.md", "2022-01-01"), ("c.md", "")] {
            let front = if date.is_empty() {
                "title: x".to_string()
            } else {
                format!("date: {date}")
            };
            lib.insert_sorted(post(name, &front));
        }
        let names: Vec<_> = lib
            .posts
            .iter()
            .map(|p| p.rel_path.display().to_string())
            .collect();
        assert_eq!(names, ["b.md", "a.md", "c.md"]);
        let d = lib.insert_sorted(post("d.md", "date: 2021-01-01"));
        assert_eq!(lib.position(&d), Some(1));
        // The same path again replaces the post rather than adding a second one.
        let again = lib.insert_sorted(post("d.md", "date: 2019-01-01"));
        assert_eq!(again, d);
        assert_eq!(lib.posts().len(), 4);
        assert_eq!(lib.position(&d), Some(2));
    }

    /// The counts are kept for one state of the posts: a post added or removed is
    /// counted at once.
    #[test]
    fn tag_counts_follow_every_change_to_the_posts() {
        let mut lib = Library::from_embedded(
            PathBuf::from("x"),
            &[
                ("1.md", b"---\ntags: [istio]\ncategories: [mesh]\n---\n"),
                ("2.md", b"---\ntags: [go]\n---\n"),
            ],
        );
        let counts = |lib: &Library| -> Vec<(String, usize)> {
            lib.tags()
                .iter()
                .chain(lib.categories())
                .map(|t| (t.name.clone(), t.count))
                .collect()
        };
        let pairs = |list: &[(&str, usize)]| -> Vec<(String, usize)> {
            list.iter().map(|(n, c)| (n.to_string(), *c)).collect()
        };
        assert_eq!(counts(&lib), pairs(&[("go", 1), ("istio", 1), ("mesh", 1)]));
        let added = Post::from_bytes(
            PathBuf::from("3.md"),
            b"---\ntags: [Istio]\ncategories: [mesh, ops]\n---\n",
        );
        lib.insert_sorted(added);
        assert_eq!(
            counts(&lib),
            pairs(&[("Istio", 2), ("go", 1), ("mesh", 2), ("ops", 1)])
        );
        lib.remove(&PostId::from("2.md"));
        assert_eq!(
            counts(&lib),
            pairs(&[("Istio", 2), ("mesh", 2), ("ops", 1)])
        );
        lib.retain(|post| post.id != PostId::from("1.md"));
        assert_eq!(
            counts(&lib),
            pairs(&[("Istio", 1), ("mesh", 1), ("ops", 1)])
        );
    }

    #[test]
    fn tag_spelling_most_frequent_then_alphabetical() {
        let lib = Library::from_embedded(
            PathBuf::from("x"),
            &[
                ("1.md", b"---\ntags: [Istio, istio]\n---\n"),
                ("2.md", b"---\ntags: [istio, Go]\n---\n"),
                ("3.md", b"---\ntags: [go]\n---\n"),
                ("4.md", b"---\ntags: ISTIO\n---\n"),
            ],
        );
        let tags = lib.tags();
        // Counted once per post; `istio` is written twice, `Istio` and `ISTIO` once each.
        assert_eq!(
            tags[0],
            TagCount {
                name: "istio".into(),
                count: 3
            }
        );
        assert_eq!(
            tags[1],
            TagCount {
                name: "Go".into(),
                count: 2
            }
        );
    }

    #[test]
    fn embedded_filters_names_but_keeps_an_extensionless_document() {
        let lib = Library::from_embedded(
            PathBuf::from("x"),
            &[
                ("stdin", b"# S\n"),
                ("a.png", b"\x89PNG"),
                ("s/_index.md", b"---\ntitle: I\n---\n\n"),
                (
                    "t/_index.md",
                    b"---\ntitle: T\n---\nA section with a body.\n",
                ),
                (".h/a.md", b"# H\n"),
            ],
        );
        let titles: Vec<&str> = lib.posts.iter().map(|p| &*p.title).collect();
        assert_eq!(titles, ["S", "T"]);
        assert!(lib.posts[1].meta.section && !lib.posts[0].meta.section);
    }
}
