//! Changes to the collection while folio runs, applied in one place. A post added,
//! edited, removed or renamed (found when opening it, by the file watcher, or by the
//! check after start-up), or a whole other collection (`C`): [`App::apply`] changes the
//! library and then everything derived from it, so no cache, selection or history entry
//! is left pointing at a post that is gone or at the wrong one.

use std::collections::HashSet;
use std::sync::Arc;

use super::mode::View;
use super::outline::Outline;
use super::state::App;
use crate::library::{Library, Post, PostId};

/// Whether the collection is being compared with its folder at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IndexStatus {
    #[default]
    Idle,
    /// The list is the cached index; the folder is being checked for changes.
    Checking,
    /// No cached index: the folder is being read.
    Indexing,
}

/// One change to the collection.
#[derive(Debug, Clone)]
pub enum LibraryChange {
    /// A new post, or a post whose file changed (read again).
    Upsert(Post),
    Removed(PostId),
    /// Every post under this folder (relative to the root) is gone: the folder was
    /// removed or moved out of the collection.
    RemovedUnder(PostId),
    /// The same post under a new path (what it remembers follows it).
    Renamed {
        from: PostId,
        to: Post,
    },
    /// Another collection altogether: nothing of the old one applies.
    Replaced {
        library: Library,
        label: String,
    },
}

/// The changes that turn `old` into `new`: posts added, posts whose title, front
/// matter or warnings differ, posts gone.
pub fn diff(old: &Library, new: &Library) -> Vec<LibraryChange> {
    let mut out: Vec<LibraryChange> = new
        .posts()
        .iter()
        .filter(|post| {
            old.get(&post.id)
                .is_none_or(|was| shows_differently(was, post))
        })
        .map(|post| LibraryChange::Upsert(Post::clone(post)))
        .collect();
    out.extend(
        old.posts()
            .iter()
            .filter(|post| !new.contains(&post.id))
            .map(|post| LibraryChange::Removed(post.id.clone())),
    );
    out
}

/// Whether `post` differs from `was` in anything the list shows (title, front matter,
/// warnings): a file written again as it was does not.
pub fn shows_differently(was: &Post, post: &Post) -> bool {
    was.title != post.title || was.meta != post.meta || was.diagnostics != post.diagnostics
}

impl LibraryChange {
    /// Whether this change is to the post `id`: `Some(true)` when the post is gone,
    /// `Some(false)` when it is there with new content, `None` when it is untouched.
    pub fn touches(&self, id: &PostId) -> Option<bool> {
        match self {
            LibraryChange::Upsert(post) => (post.id == *id).then_some(false),
            LibraryChange::Removed(gone) => (gone == id).then_some(true),
            LibraryChange::RemovedUnder(folder) => is_under(id, folder).then_some(true),
            LibraryChange::Renamed { from, to } => (from == id || to.id == *id).then_some(false),
            LibraryChange::Replaced { .. } => Some(true),
        }
    }
}

/// Whether post `id` lies in `folder` (both relative to the root).
fn is_under(id: &PostId, folder: &PostId) -> bool {
    id.as_str()
        .strip_prefix(folder.as_str())
        .is_some_and(|rest| rest.starts_with('/'))
}

impl App {
    /// Applies `changes` to the library and brings every dependent piece of state in
    /// line: the selection (kept on the same post, or moved to its neighbour when it is
    /// gone), the search and its cached rows, the bodies, the history, the related posts
    /// of the open post.
    pub fn apply(&mut self, changes: Vec<LibraryChange>) {
        let order_before = super::listing::order(self);
        let mut touched = false;
        let mut upserts: Vec<Post> = Vec::new();
        for change in changes {
            if let LibraryChange::Upsert(post) = change {
                upserts.push(post);
                continue;
            }
            touched |= self.upsert(std::mem::take(&mut upserts));
            match change {
                LibraryChange::Upsert(_) => {}
                LibraryChange::Replaced { library, label } => self.replace(library, label),
                LibraryChange::Removed(id) => touched |= self.remove_post(&id),
                LibraryChange::RemovedUnder(folder) => {
                    let gone: Vec<PostId> = self
                        .library
                        .posts()
                        .iter()
                        .filter(|p| is_under(&p.id, &folder))
                        .map(|p| p.id.clone())
                        .collect();
                    for id in gone {
                        touched |= self.remove_post(&id);
                    }
                }
                LibraryChange::Renamed { from, to } => {
                    let id = to.id.clone();
                    if let Some(body) = self.bodies.bodies.remove(&from) {
                        self.bodies.bodies.insert(id.clone(), body);
                    }
                    self.library.remove(&from);
                    self.library.insert_sorted(to);
                    self.history.rename(&from, &id);
                    self.memory.rename(&from, &id);
                    if self.selected.as_ref() == Some(&from) {
                        self.selected = Some(id.clone());
                    }
                    if let Some(reader) = self.reader.as_mut().filter(|r| r.post == from) {
                        reader.post = id;
                    }
                    touched = true;
                }
            }
        }
        touched |= self.upsert(upserts);
        if touched {
            self.after_posts_changed(&order_before);
        }
    }

    /// Adds or replaces posts: one at a time for a few (a save), the list sorted once
    /// for many (a collection indexed in the background arrives in big batches). A
    /// draft, when the config hides drafts, is taken out instead.
    fn upsert(&mut self, posts: Vec<Post>) -> bool {
        if posts.is_empty() {
            return false;
        }
        let (shown, hidden): (Vec<Post>, Vec<Post>) = posts
            .into_iter()
            .partition(|p| self.prefs.show_drafts || !p.meta.draft);
        for draft in hidden {
            self.remove_post(&draft.id);
        }
        for post in &shown {
            if !self.library.contains(&post.id) {
                self.bodies.total += 1;
            }
            self.bodies.mark_stale(&post.id);
        }
        const ONE_BY_ONE: usize = 32;
        if shown.len() <= ONE_BY_ONE {
            for post in shown {
                self.library.insert_sorted(post);
            }
        } else {
            let fresh: HashSet<PostId> = shown.iter().map(|p| p.id.clone()).collect();
            let mut all: Vec<Arc<Post>> = self
                .library
                .posts()
                .iter()
                .filter(|p| !fresh.contains(&p.id))
                .cloned()
                .collect();
            all.extend(shown.into_iter().map(Arc::new));
            let root = self.library.root.clone();
            let warnings = std::mem::take(&mut self.library.warnings);
            self.library = Library::new(root, all, warnings);
        }
        true
    }

    fn remove_post(&mut self, id: &PostId) -> bool {
        if self.library.remove(id).is_none() {
            return false;
        }
        self.bodies.forget(id);
        self.bodies.total = self.bodies.total.saturating_sub(1);
        self.bodies.loaded = self.bodies.loaded.saturating_sub(1);
        self.history.forget(id);
        true
    }

    /// A new collection: the old one's state is dropped whole.
    fn replace(&mut self, library: Library, label: String) {
        self.library = library;
        self.collection_label = label;
        self.collection_epoch = self.collection_epoch.wrapping_add(1);
        self.checks.reset();
        self.reader = None;
        self.outline = Outline::default();
        self.find = Default::default();
        self.history.clear();
        self.bodies = self.bodies.for_another_collection();
        self.search.forget_library();
        self.browser = None;
        self.clicks = Default::default();
        self.selected = None;
        self.list_offset = 0;
        self.set_view(View::List);
        self.refresh_search(false);
    }

    fn after_posts_changed(&mut self, order_before: &[PostId]) {
        self.checks.want();
        // The selection stays on its post; a post that is gone passes it to the next
        // one below it in the list as it was (else the one above).
        if let Some(selected) = self.selected.clone()
            && !self.library.contains(&selected)
        {
            let at = order_before.iter().position(|id| *id == selected);
            let below = at.map_or(&[][..], |at| order_before.get(at + 1..).unwrap_or_default());
            let above = at.map_or(&[][..], |at| order_before.get(..at).unwrap_or_default());
            self.selected = below
                .iter()
                .chain(above.iter().rev())
                .find(|id| self.library.contains(id))
                .cloned();
        }
        self.search.forget_library();
        self.refresh_search(true);
        if let Some(post) = self.reader.as_ref().map(|r| r.post.clone()) {
            let related = super::related::entries(self, &post);
            if self.reader.as_ref().is_some_and(|r| r.related != related) {
                if let Some(reader) = self.reader.as_mut() {
                    reader.related = related;
                }
                self.relayout_reader();
            }
        }
    }
}
