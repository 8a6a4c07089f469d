//! Watching the collection folder while folio runs, so posts added, edited, removed or
//! renamed in an editor or by `git pull` show in the list within a second.
//!
//! Starting a watch walks the whole folder (notify adds a watch to every folder and
//! looks at every file: most of a second at 100,000 posts), so it starts on a thread of
//! ours, not the event loop, and says how it went as one [`Msg::Watching`]. notify's
//! watcher then reports file events from its own thread; ours waits for them with no
//! timeout, and once one arrives gathers the rest of the burst (an editor's
//! save is several events; a checkout is hundreds), then reads the heads of the posts
//! that changed, off the event loop, and sends the result as one
//! [`Msg::LibraryChanged`]. Nothing here wakes while the folder is quiet.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RemoveKind, RenameMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::app::change::LibraryChange;
use crate::app::msg::Msg;
use crate::library::rules::{is_listed, is_post_name, is_section_name, is_visible};
use crate::library::{Post, PostId};

/// How long a burst of changes may pause and still be one change.
const QUIET: Duration = Duration::from_millis(150);

/// The longest a burst is gathered before what it has is sent: a checkout that goes on
/// writing for seconds shows in the list as it goes.
const LONGEST_BURST: Duration = Duration::from_millis(600);

/// The watch; dropping it stops watching, or the start under way.
pub struct Watch(Arc<Mutex<Slot>>);

/// Where the watcher is kept while it watches.
enum Slot {
    Starting,
    /// Held, not used: dropped, it stops watching.
    Watching {
        _watcher: RecommendedWatcher,
    },
    Stopped,
}

impl Drop for Watch {
    fn drop(&mut self) {
        // The watcher goes with the slot's old value: notify stops, and the thread
        // waiting for its events ends.
        let old = match self.0.lock() {
            Ok(mut slot) => std::mem::replace(&mut *slot, Slot::Stopped),
            Err(_) => return,
        };
        drop(old);
    }
}

/// Starts watching `root` for the collection of `epoch`, on a thread of its own;
/// results go to `tx`, the first of them a [`Msg::Watching`] saying whether the watch
/// began. Its error (too many folders for the system's limit, a folder that cannot be
/// watched) is the message to show.
pub fn spawn(root: &Path, epoch: u64, tx: Sender<Msg>) -> Watch {
    let slot = Arc::new(Mutex::new(Slot::Starting));
    let watch = Watch(Arc::clone(&slot));
    let root = root.to_path_buf();
    let failed = tx.clone();
    let spawned = thread::Builder::new()
        .name("folio-watch".into())
        .spawn(move || match start(&root, &slot) {
            Ok(Some(raw)) => {
                if tx.send(Msg::Watching { epoch, error: None }).is_ok() {
                    gather(&root, epoch, &raw, &tx);
                }
            }
            Ok(None) => {}
            Err(error) => {
                let _ = tx.send(Msg::Watching {
                    epoch,
                    error: Some(error),
                });
            }
        });
    if let Err(err) = spawned {
        let _ = failed.send(Msg::Watching {
            epoch,
            error: Some(format!("cannot watch for changes: {err}")),
        });
    }
    watch
}

/// Makes the watcher and has it watch `root`, keeping it in `slot`; its events come
/// from the receiver. `None`: the watch was dropped meanwhile, and nothing is watched.
fn start(
    root: &Path,
    slot: &Mutex<Slot>,
) -> Result<Option<Receiver<notify::Result<Event>>>, String> {
    let (raw_tx, raw_rx) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = raw_tx.send(event);
    })
    .map_err(|e| format!("cannot watch for changes: {e}"))?;
    watcher
        .watch(root, RecursiveMode::Recursive)
        .map_err(|e| format!("cannot watch {} for changes: {e}", root.display()))?;
    let Ok(mut slot) = slot.lock() else {
        return Ok(None);
    };
    if matches!(*slot, Slot::Stopped) {
        return Ok(None);
    }
    *slot = Slot::Watching { _watcher: watcher };
    Ok(Some(raw_rx))
}

fn gather(root: &Path, epoch: u64, raw: &Receiver<notify::Result<Event>>, tx: &Sender<Msg>) {
    while let Ok(first) = raw.recv() {
        // Files opened and read (folio's own body loader, a backup tool) change nothing
        // and must not hold a burst open: only changes start and extend one.
        if !is_change(&first) {
            continue;
        }
        // The burst ends QUIET after its last change. Reads do not move that end:
        // while the body loader or a check opens thousands of files, each wait for
        // the next event would otherwise start again and a save would wait for them.
        let mut burst = vec![first];
        let began = Instant::now();
        let mut ends = began + QUIET;
        loop {
            let now = Instant::now();
            let left = ends
                .min(began + LONGEST_BURST)
                .saturating_duration_since(now);
            if left.is_zero() {
                break;
            }
            match raw.recv_timeout(left) {
                Ok(event) if is_change(&event) => {
                    burst.push(event);
                    ends = Instant::now() + QUIET;
                }
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let touched = Touched::from_events(burst.into_iter().filter_map(Result::ok));
        let changes = touched.changes(root);
        if !changes.is_empty() && tx.send(Msg::LibraryChanged { epoch, changes }).is_err() {
            return;
        }
    }
}

/// Whether an event may change the collection: anything but a file opened, read or
/// closed after reading (closing after writing is how some editors' saves end).
fn is_change(event: &notify::Result<Event>) -> bool {
    match event {
        Ok(event) => match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
            EventKind::Access(_) => false,
            _ => true,
        },
        Err(_) => false,
    }
}

/// What a burst of events touched: renames (from, to), and every other path.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Touched {
    pub renames: Vec<(PathBuf, PathBuf)>,
    pub paths: BTreeSet<PathBuf>,
    /// Folders reported removed (their posts go with them).
    pub gone_folders: BTreeSet<PathBuf>,
}

impl Touched {
    pub fn from_events(events: impl IntoIterator<Item = Event>) -> Touched {
        let mut touched = Touched::default();
        for event in events {
            match event.kind {
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => {
                    if let [from, to] = event.paths.as_slice() {
                        touched.renames.push((from.clone(), to.clone()));
                    }
                }
                EventKind::Remove(RemoveKind::Folder) => {
                    touched.gone_folders.extend(event.paths);
                }
                EventKind::Create(CreateKind::Folder) => {
                    // Files may have arrived before the new folder was watched.
                    touched.paths.extend(event.paths);
                }
                EventKind::Access(_) => {}
                _ => touched.paths.extend(event.paths),
            }
        }
        touched
    }

    /// The changes to the library, reading the heads of the posts that are new or
    /// changed. A path that is gone is a removal; a folder that appeared or moved in
    /// brings its posts; one that went (or moved out) takes its posts with it.
    pub fn changes(&self, root: &Path) -> Vec<LibraryChange> {
        let mut out = Vec::new();
        let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
        for (from, to) in &self.renames {
            seen.insert(from.clone());
            seen.insert(to.clone());
            if to.is_dir() {
                // A bundle or section renamed: each post in it moves.
                for file in posts_under(root, to) {
                    let moved_from = from.join(file.strip_prefix(to).unwrap_or(&file));
                    match (id_of(root, &moved_from), load(root, &file)) {
                        (Some(from), Some(post)) => {
                            out.push(LibraryChange::Renamed { from, to: post })
                        }
                        (None, Some(post)) => out.push(LibraryChange::Upsert(post)),
                        _ => {}
                    }
                }
                continue;
            }
            let post_from = is_post_name(from) && is_visible(root, from);
            match (
                post_from.then(|| id_of(root, from)).flatten(),
                load(root, to),
            ) {
                (Some(from), Some(post)) => out.push(LibraryChange::Renamed { from, to: post }),
                (Some(from), None) => out.push(LibraryChange::Removed(from)),
                (None, Some(post)) => out.push(LibraryChange::Upsert(post)),
                (None, None) => {
                    // Not a post on either side, or a folder moved out: its posts go.
                    if !to.exists() || !is_visible(root, to) {
                        out.extend(under(root, from));
                    }
                }
            }
        }
        for folder in &self.gone_folders {
            out.extend(under(root, folder));
        }
        for path in &self.paths {
            if seen.contains(path) {
                continue;
            }
            if path.is_dir() {
                out.extend(
                    posts_under(root, path)
                        .iter()
                        .filter_map(|file| load(root, file))
                        .map(LibraryChange::Upsert),
                );
                continue;
            }
            if !is_post_name(path) {
                // Gone and not a post file: a folder moved away, say; its posts go.
                if !path.exists() {
                    out.extend(under(root, path));
                }
                continue;
            }
            match load(root, path) {
                Some(post) => out.push(LibraryChange::Upsert(post)),
                // Gone, or a section page whose body was emptied: no longer listed.
                None if !path.exists() || is_section_name(path) => {
                    if let Some(id) = id_of(root, path) {
                        out.push(LibraryChange::Removed(id));
                    }
                }
                None => {}
            }
        }
        out
    }
}

/// The post at `path`, read now, when it is one the scan would list.
fn load(root: &Path, path: &Path) -> Option<Post> {
    if !is_post_name(path) || !is_visible(root, path) {
        return None;
    }
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let rel = path.strip_prefix(root).ok()?.to_path_buf();
    Some(Post::load(path, rel)).filter(|post| is_listed(path, post))
}

fn id_of(root: &Path, path: &Path) -> Option<PostId> {
    path.strip_prefix(root).ok().map(PostId::from_rel)
}

/// Removal of every post under a folder that is gone.
fn under(root: &Path, folder: &Path) -> Option<LibraryChange> {
    let rel = folder.strip_prefix(root).ok()?;
    (!rel.as_os_str().is_empty()).then(|| LibraryChange::RemovedUnder(PostId::from_rel(rel)))
}

/// The post files in `folder`, by the scan's rules.
fn posts_under(root: &Path, folder: &Path) -> Vec<PathBuf> {
    if !is_visible(root, folder) {
        return Vec::new();
    }
    crate::library::scan::walker(folder)
        .build()
        .filter_map(Result::ok)
        .map(|entry| entry.into_path())
        .filter(|path| is_post_name(path) && path.is_file() && is_visible(root, path))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::DataChange;

    fn event(kind: EventKind, path: &str) -> notify::Result<Event> {
        Ok(Event::new(kind).add_path(PathBuf::from(path)))
    }

    #[test]
    fn reading_files_is_no_change_and_does_not_hold_a_burst_open() {
        let open = EventKind::Access(AccessKind::Open(AccessMode::Any));
        let read_done = EventKind::Access(AccessKind::Close(AccessMode::Read));
        let written = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let modified = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        assert!(!is_change(&event(open, "/c/a.md")));
        assert!(!is_change(&event(read_done, "/c/a.md")));
        assert!(is_change(&event(written, "/c/a.md")));
        assert!(is_change(&event(modified, "/c/a.md")));
        // The paths a burst touched leave the reads out.
        let touched = Touched::from_events(
            [event(open, "/c/a.md"), event(modified, "/c/b.md")]
                .into_iter()
                .filter_map(Result::ok),
        );
        assert_eq!(touched.paths, BTreeSet::from([PathBuf::from("/c/b.md")]));
    }
}
