//! Reading memory: where the reader stopped in each post, which posts are read, the
//! bookmarks and the posts opened lately. This is the plain data and its rules; the TUI
//! keeps a copy ([`Memory`]) and the state store (`store::state`) keeps it on disk.
//!
//! A place in a post is a top-level block and a fingerprint of its text ([`Spot`]), not
//! a row: rows change with the width, and the block index changes when the post is
//! edited above the reading point. The fingerprint finds the passage again wherever it
//! moved; a post rewritten beyond recognition opens at the top.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::library::PostId;

/// How many posts "recent" remembers.
pub const RECENT_LIMIT: usize = 50;

/// A place in a post: a top-level block and the fingerprint of its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spot {
    pub block: usize,
    pub fingerprint: u64,
}

impl Spot {
    /// The spot of block `block` of a post whose top-level blocks have `fingerprints`
    /// ([`Block::fingerprint`], kept by the layout as `Laid::fingerprints`).
    ///
    /// [`Block::fingerprint`]: crate::markdown::model::Block::fingerprint
    pub fn of(fingerprints: &[u64], block: usize) -> Option<Spot> {
        let fingerprint = *fingerprints.get(block)?;
        Some(Spot { block, fingerprint })
    }

    /// The block this spot is at now, among blocks with `fingerprints`: the same block
    /// if its text is the same, else the block with the same text nearest to where it
    /// was, else `None` (the passage is gone).
    pub fn find(&self, fingerprints: &[u64]) -> Option<usize> {
        if fingerprints.get(self.block) == Some(&self.fingerprint) {
            return Some(self.block);
        }
        fingerprints
            .iter()
            .enumerate()
            .filter(|(_, f)| **f == self.fingerprint)
            .map(|(i, _)| i)
            .min_by_key(|&i| i.abs_diff(self.block))
    }
}

/// A bookmark: a spot in a post, with the section it is in and a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bookmark {
    /// Unique among the collection's bookmarks (the store's row id).
    pub id: i64,
    pub post: PostId,
    pub spot: Spot,
    /// The heading of the section the spot is in, when there is one.
    pub heading: Option<String>,
    pub note: String,
    /// Seconds since the Unix epoch.
    pub created: i64,
}

/// A change to remember, written by the shell to the state store in one transaction
/// with the others of the same moment (never on every keystroke).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    Position { post: PostId, spot: Spot },
    Read { post: PostId, read: bool },
    Opened { post: PostId },
    Bookmark(Bookmark),
    DeleteBookmark { id: i64 },
    Rename { from: PostId, to: PostId },
}

/// An id for a new bookmark, made of the time and the process, so two folio processes
/// writing bookmarks to one store never give two the same id.
pub fn new_bookmark_id(now_ns: i64, process: u32) -> i64 {
    // The time in the low bits (ns wrap after ~146 years at 62 bits); the process mixed
    // into the top ones; always positive.
    let mixed = (now_ns as u64) ^ (u64::from(process) << 40).rotate_left(13);
    (mixed & (u64::MAX >> 1)) as i64
}

/// What the TUI knows of its reading memory.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    /// False with `remember: false`, `--no-remember` or no usable store: nothing is
    /// recorded (or written).
    pub enabled: bool,
    pub positions: HashMap<PostId, Spot>,
    pub read: HashSet<PostId>,
    /// Newest first.
    pub bookmarks: Vec<Bookmark>,
    /// Most recent first, at most [`RECENT_LIMIT`].
    pub recent: VecDeque<PostId>,
    /// Writes not yet handed to the store.
    pub pending: Vec<Write>,
    /// Bookmarks deleted in this session, most recent last (undo).
    pub deleted: Vec<Bookmark>,
}

impl Memory {
    /// A memory that records (what the store loaded, or nothing yet).
    pub fn enabled() -> Memory {
        Memory {
            enabled: true,
            ..Memory::default()
        }
    }

    fn write(&mut self, write: Write) {
        if self.enabled {
            self.pending.push(write);
        }
    }

    /// The writes to hand to the store now.
    pub fn take_pending(&mut self) -> Vec<Write> {
        std::mem::take(&mut self.pending)
    }

    pub fn remember_position(&mut self, post: &PostId, spot: Spot) {
        if !self.enabled || self.positions.get(post) == Some(&spot) {
            return;
        }
        self.positions.insert(post.clone(), spot);
        self.write(Write::Position {
            post: post.clone(),
            spot,
        });
    }

    /// How many of `posts` are not read, counted from the read ones: a frame asks for
    /// it, and a collection is far larger than what has been read of it.
    pub fn unread_among(&self, posts: usize, present: impl Fn(&PostId) -> bool) -> usize {
        let read = self.read.iter().filter(|post| present(post)).count();
        posts.saturating_sub(read)
    }

    pub fn is_read(&self, post: &PostId) -> bool {
        self.read.contains(post)
    }

    pub fn set_read(&mut self, post: &PostId, read: bool) {
        if !self.enabled || self.is_read(post) == read {
            return;
        }
        if read {
            self.read.insert(post.clone());
        } else {
            self.read.remove(post);
        }
        self.write(Write::Read {
            post: post.clone(),
            read,
        });
    }

    pub fn opened(&mut self, post: &PostId) {
        if !self.enabled {
            return;
        }
        self.recent.retain(|p| p != post);
        self.recent.push_front(post.clone());
        self.recent.truncate(RECENT_LIMIT);
        self.write(Write::Opened { post: post.clone() });
    }

    /// Keeps a bookmark (its id given by the caller, unique across sessions and
    /// processes: see [`new_bookmark_id`]).
    pub fn add_bookmark(&mut self, bookmark: Bookmark) {
        if !self.enabled {
            return;
        }
        self.bookmarks.insert(0, bookmark.clone());
        self.write(Write::Bookmark(bookmark));
    }

    pub fn delete_bookmark(&mut self, id: i64) {
        let Some(at) = self.bookmarks.iter().position(|b| b.id == id) else {
            return;
        };
        let bookmark = self.bookmarks.remove(at);
        self.deleted.push(bookmark);
        self.write(Write::DeleteBookmark { id });
    }

    /// Puts back the bookmark deleted last in this session; returns it.
    pub fn undo_delete(&mut self) -> Option<Bookmark> {
        let bookmark = self.deleted.pop()?;
        let at = self
            .bookmarks
            .iter()
            .position(|b| b.created < bookmark.created)
            .unwrap_or(self.bookmarks.len());
        self.bookmarks.insert(at, bookmark.clone());
        self.write(Write::Bookmark(bookmark.clone()));
        Some(bookmark)
    }

    /// A post moved: what is remembered of it follows.
    pub fn rename(&mut self, from: &PostId, to: &PostId) {
        if let Some(spot) = self.positions.remove(from) {
            self.positions.insert(to.clone(), spot);
        }
        if self.read.remove(from) {
            self.read.insert(to.clone());
        }
        for bookmark in &mut self.bookmarks {
            if bookmark.post == *from {
                bookmark.post = to.clone();
            }
        }
        for post in &mut self.recent {
            if post == from {
                *post = to.clone();
            }
        }
        self.write(Write::Rename {
            from: from.clone(),
            to: to.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown;

    /// Counted from the read posts, a post read and since gone does not make the
    /// count of unread ones smaller.
    #[test]
    fn unread_counts_only_read_posts_still_there() {
        let id = |name: &str| PostId::from_stored(name);
        let mut memory = Memory::enabled();
        for name in ["a.md", "b.md", "gone.md"] {
            memory.set_read(&id(name), true);
        }
        let present = [id("a.md"), id("b.md"), id("c.md"), id("d.md")];
        let unread = memory.unread_among(present.len(), |post| present.contains(post));
        let by_post = present.iter().filter(|p| !memory.is_read(p)).count();
        assert_eq!((unread, by_post), (2, 2));
    }

    /// The fingerprints of the top-level blocks of `text`.
    fn doc(text: &str) -> Vec<u64> {
        markdown::parse(text)
            .blocks
            .iter()
            .map(|block| block.fingerprint())
            .collect()
    }

    #[test]
    fn a_spot_finds_its_passage_after_edits_and_gives_up_after_a_rewrite() {
        let original = doc("# Title\n\nOne.\n\nTwo.\n\nThree, where I stopped.\n\nFour.\n");
        let spot = Spot::of(&original, 3).expect("block 3");
        assert_eq!(spot.find(&original), Some(3));
        // Two paragraphs added above: the same passage, two blocks further.
        let edited = doc("# Title\n\nNew.\n\nNewer.\n\nOne.\n\nTwo.\n\nThree, where I stopped.\n");
        assert_eq!(spot.find(&edited), Some(5));
        // The block itself edited: its text is gone, so is the spot.
        let changed = doc("# Title\n\nOne.\n\nTwo.\n\nThree, rewritten.\n\nFour.\n");
        assert_eq!(spot.find(&changed), None);
        // The same text twice: the copy nearest to where it was.
        let twice = doc("Three, where I stopped.\n\nx\n\ny\n\nz\n\nThree, where I stopped.\n");
        let near_end = Spot {
            block: 4,
            fingerprint: spot.fingerprint,
        };
        assert_eq!(near_end.find(&twice), Some(4));
        assert_eq!(spot.find(&doc("Something else entirely.\n")), None);
    }

    #[test]
    fn writes_are_queued_only_for_real_changes_and_only_when_enabled() {
        let post = PostId::from("a.md");
        let mut off = Memory::default();
        off.set_read(&post, true);
        off.opened(&post);
        assert!(off.take_pending().is_empty() && off.read.is_empty());
        let mut memory = Memory::enabled();
        let spot = Spot {
            block: 2,
            fingerprint: 7,
        };
        memory.remember_position(&post, spot);
        memory.remember_position(&post, spot);
        memory.set_read(&post, true);
        memory.set_read(&post, true);
        assert_eq!(memory.take_pending().len(), 2, "a repeat is no write");
        for n in 0..RECENT_LIMIT + 5 {
            memory.opened(&PostId::from(format!("p{n}.md").as_str()));
        }
        memory.opened(&PostId::from("p3.md"));
        assert_eq!(memory.recent.len(), RECENT_LIMIT);
        assert_eq!(memory.recent[0].as_str(), "p3.md");
    }

    #[test]
    fn bookmark_ids_of_two_processes_at_one_moment_differ() {
        let now = 1_764_000_000_000_000_000;
        assert_ne!(new_bookmark_id(now, 100), new_bookmark_id(now, 101));
        assert_ne!(new_bookmark_id(now, 100), new_bookmark_id(now + 1, 100));
        assert!(new_bookmark_id(i64::MAX, u32::MAX) >= 0);
    }

    #[test]
    fn deleted_bookmarks_come_back_with_undo_and_renames_carry_everything() {
        let mut memory = Memory::enabled();
        let post = PostId::from("a.md");
        for n in 1..=3_i64 {
            memory.add_bookmark(Bookmark {
                id: n,
                post: post.clone(),
                spot: Spot {
                    block: n as usize,
                    fingerprint: n as u64,
                },
                heading: None,
                note: format!("note {n}"),
                created: n,
            });
        }
        let ids: Vec<i64> = memory.bookmarks.iter().map(|b| b.id).collect();
        assert_eq!(ids, [3, 2, 1], "newest first");
        memory.delete_bookmark(2);
        assert_eq!(memory.bookmarks.len(), 2);
        assert_eq!(memory.undo_delete().map(|b| b.id), Some(2));
        let ids: Vec<i64> = memory.bookmarks.iter().map(|b| b.id).collect();
        assert_eq!(ids, [3, 2, 1], "back in its place");
        memory.set_read(&post, true);
        let to = PostId::from("b.md");
        memory.rename(&post, &to);
        assert!(memory.is_read(&to) && !memory.is_read(&post));
        assert!(memory.bookmarks.iter().all(|b| b.post == to));
    }
}
