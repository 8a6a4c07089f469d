//! The walk of a collection folder: every post file found, stated, and either kept
//! from the cached entries (same stamp) or read. The cached entries may still be
//! loading while the walk starts (a listing loads them beside it); a file met before
//! they are there is left unsettled, with its stamp, and [`settle`]d after the walk.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::changes::{Cached, Found, Stamp};
use super::walk_error;
use crate::library::PostId;
use crate::library::post::{Checked, Post};
use crate::library::rules::{is_listed, is_post_name};

/// The walk of `root` as a scan makes it: hidden files and folders and `.gitignore`d
/// paths (in a Git repository or not) left out, links to folders not followed.
pub fn walker(root: &Path) -> ignore::WalkBuilder {
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .hidden(true)
        .git_ignore(true)
        .require_git(false)
        .follow_links(false);
    builder
}

/// Walks `root` on all cores, counting the posts found in `counter` as it goes.
pub(super) fn walk(root: &Path, cache: &OnceLock<Cached>, counter: &AtomicUsize) -> Vec<Found> {
    let found = std::sync::Mutex::new(Vec::new());
    walker(root).build_parallel().run(|| {
        let found = &found;
        Box::new(move |entry| {
            if let Some(item) = visit(root, entry, cache.get()) {
                counter.fetch_add(1, Ordering::Relaxed);
                // A poisoned lock only means another walker panicked; its list is
                // still a list.
                let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
                found.push(item);
            }
            ignore::WalkState::Continue
        })
    });
    found.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// The files the walk left unsettled, kept or read against `cached` (reads on all
/// cores); the rest as they were.
pub(super) fn settle(found: Vec<Found>, cached: &Cached) -> Vec<Found> {
    found
        .into_par_iter()
        .filter_map(|item| match item {
            Found::Unsettled {
                id,
                rel,
                path,
                stamp,
            } => keep_or_read(id, rel, &path, stamp, cached),
            other => Some(other),
        })
        .collect()
}

/// One entry of the walk: a post (read, kept from the cache, or unsettled while the
/// cache is not there yet), a warning, or nothing.
pub(super) fn visit(
    root: &Path,
    entry: Result<ignore::DirEntry, ignore::Error>,
    cached: Option<&Cached>,
) -> Option<Found> {
    let entry = match entry {
        Ok(entry) => entry,
        Err(err) => {
            let is_dir = |path: &Path| std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
            return Some(Found::Warning(walk_error::describe(root, &err, is_dir)));
        }
    };
    let path = entry.path();
    if entry.depth() == 0 || !is_post_name(path) {
        return None;
    }
    let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let id = PostId::from_rel(&rel);
    // A file with no entry is read anyway: open it and ask the handle what it is.
    #[cfg(target_os = "linux")]
    if let Some(cached) = cached
        && !cached.contains_key(&id)
        && let Ok((file, meta)) = crate::library::post::open_unseen(path)
    {
        return if meta.is_file() {
            let stamp = Stamp::of(&meta);
            let (post, readable) = Post::load_open(file, path, rel);
            if !is_listed(path, &post) {
                return None;
            }
            Some(Found::Read {
                post: Box::new(post),
                stamp: readable.then_some(stamp),
            })
        } else if meta.is_dir() {
            None
        } else {
            Some(not_regular(&rel))
        };
    }
    // A link to a file counts (links to folders are not followed: loops). FIFOs,
    // devices and dangling links are reported and left out.
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {
            let stamp = Stamp::of(&meta);
            match cached {
                Some(cached) => keep_or_read(id, rel, path, stamp, cached),
                None => Some(Found::Unsettled {
                    id,
                    rel,
                    path: path.to_path_buf(),
                    stamp,
                }),
            }
        }
        Ok(meta) if meta.is_dir() => None,
        Ok(_) => Some(not_regular(&rel)),
        Err(err) => Some(Found::Warning(format!("{}: {err}; skipped", rel.display()))),
    }
}

/// A file whose stamp was taken (before any read): kept when its cached entry has that
/// stamp, else read.
fn keep_or_read(
    id: PostId,
    rel: PathBuf,
    path: &Path,
    stamp: Stamp,
    cached: &Cached,
) -> Option<Found> {
    if let Some(entry) = cached.get(&id)
        && entry.stamp == Some(stamp)
        && entry.is_at(&id, &rel)
    {
        return Some(Found::Kept {
            id,
            path: path.to_path_buf(),
            stamp,
        });
    }
    let (post, readable) = Post::load_checked(path, rel, Checked::Yes);
    if !is_listed(path, &post) {
        return None;
    }
    Some(Found::Read {
        post: Box::new(post),
        stamp: readable.then_some(stamp),
    })
}

fn not_regular(rel: &Path) -> Found {
    Found::Warning(format!("{}: not a regular file; skipped", rel.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::scan::{CachedPost, scan_with};

    /// What each found item says, by post, in path order.
    fn kinds(found: &[Found]) -> Vec<String> {
        let mut kinds: Vec<String> = found
            .iter()
            .map(|item| match item {
                Found::Read { post, .. } => format!("{} read", post.id),
                Found::Kept { id, .. } => format!("{id} kept"),
                Found::Unsettled { id, .. } => format!("{id} unsettled"),
                Found::Warning(warning) => format!("warning {warning}"),
            })
            .collect();
        kinds.sort();
        kinds
    }

    /// Files met before the cached entries loaded are kept or read after the walk as
    /// they would have been with the entries there from the start.
    #[test]
    fn files_settled_after_the_walk_end_as_with_the_entries_at_hand() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["a.md", "b.md", "c.md"] {
            std::fs::write(dir.path().join(name), format!("# {name}\n\ntext\n")).expect("write");
        }
        let scanned = scan_with(dir.path(), Cached::new()).expect("scan");
        let cached: Cached = scanned
            .library
            .posts()
            .iter()
            .map(|post| {
                let entry = CachedPost {
                    post: Some(std::sync::Arc::clone(post)),
                    stamp: scanned.stamps.get(&post.id).copied(),
                    spelled: None,
                };
                (post.id.clone(), entry)
            })
            .collect();
        std::fs::write(dir.path().join("b.md"), "# b.md\n\nlonger text now\n").expect("edit");

        let counter = AtomicUsize::new(0);
        let early = walk(dir.path(), &OnceLock::new(), &counter);
        assert_eq!(
            kinds(&early),
            ["a.md unsettled", "b.md unsettled", "c.md unsettled"]
        );
        assert_eq!(counter.load(Ordering::Relaxed), 3);
        let settled = kinds(&settle(early, &cached));
        assert_eq!(settled, ["a.md kept", "b.md read", "c.md kept"]);
        let at_hand = walk(dir.path(), &OnceLock::from(cached), &counter);
        assert_eq!(kinds(&at_hand), settled);
    }
}
