//! Starting the TUI on a collection without waiting for it. The cached index gives the
//! first frame ([`prepare`]: no post file is read); a thread then walks the folder,
//! reads only what is new or changed, sends the differences to the event loop as one
//! [`Msg::LibraryChanged`] and an [`Msg::IndexDone`] with the count, and writes the
//! index back ([`run`]). With no cache (the first start, `--rescan`), the list fills in
//! when that pass ends, and the status bar says the collection is being indexed.

use std::path::{Path, PathBuf};

use crate::app::change::LibraryChange;
use crate::app::msg::Msg;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::library::scan::{Cached, scan_counting};
use crate::library::{Library, LoadError, PostId};
use crate::store::{Index, Settings};

/// How often the count of posts found is sent while the folder is read.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// The check of a collection against its folder, to run beside the event loop.
pub struct IndexJob {
    pub root: PathBuf,
    cached: Cached,
    index: Option<Index>,
    /// Whether there was a cache to start from (else everything is read).
    pub warm: bool,
}

/// Fails, with the reason, when `root` is not a folder that can be read: the one thing
/// that stops a start (everything else is a warning).
pub fn check_root(root: &Path) -> Result<(), LoadError> {
    let io = |error| LoadError::Io {
        path: root.to_path_buf(),
        error,
    };
    if std::fs::metadata(root).map_err(io)?.is_dir() {
        return Ok(());
    }
    Err(io(std::io::Error::new(
        std::io::ErrorKind::NotADirectory,
        "not a folder; give a folder of Markdown posts",
    )))
}

/// The library the cache holds for `root` (empty without one), and the job that checks
/// it against the folder. `rescan` ignores the cache. Problems with the cache are
/// one-line `warnings`.
pub fn prepare(
    root: &Path,
    settings: &Settings,
    rescan: bool,
    warnings: &mut Vec<String>,
) -> (Library, IndexJob) {
    let mut index = Index::open(settings, warnings);
    let mut cached = match index.as_mut() {
        Some(index) if !rescan => index.load(root, warnings),
        _ => Cached::new(),
    };
    let library = Library::from_cached(root.to_path_buf(), &mut cached);
    let warm = !cached.is_empty();
    let job = IndexJob {
        root: root.to_path_buf(),
        cached,
        index,
        warm,
    };
    (library, job)
}

/// Checks the collection (`epoch` is the app's [`crate::app::App::collection_epoch`]),
/// handing the changes and the end to `send`, then saves the index.
pub fn run(job: IndexJob, epoch: u64, mut send: impl FnMut(Msg) -> bool + Send) {
    let IndexJob {
        root,
        cached,
        mut index,
        warm,
    } = job;
    // While the folder is read, the number of posts found so far, every tenth of a
    // second (a big collection takes seconds the first time).
    let found = AtomicUsize::new(0);
    let (stop, stopped) = mpsc::channel::<()>();
    let result = std::thread::scope(|scope| {
        let send = &mut send;
        let found = &found;
        scope.spawn(move || {
            let mut last = 0;
            while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(PROGRESS_EVERY) {
                let now = found.load(Ordering::Relaxed);
                if now != last && !send(Msg::IndexProgress { epoch, found: now }) {
                    return;
                }
                last = now;
            }
        });
        // The cached posts are the list's now; the few the scan compares with are
        // read again from the index.
        let recaller = index.as_ref().map(|index| index.recaller(&root));
        let recall = |id: &PostId| recaller.as_ref()?(id);
        let result = scan_counting(&root, cached, found, &recall);
        let _ = stop.send(());
        result
    });
    let scanned = match result {
        Ok(scanned) => scanned,
        Err(err) => {
            send(Msg::IndexDone {
                epoch,
                changed: 0,
                warm,
                warnings: vec![err.to_string()],
            });
            return;
        }
    };
    let changes = &scanned.changes;
    let post = |id| scanned.library.get(id).cloned();
    let mut list: Vec<LibraryChange> = Vec::with_capacity(changes.len());
    list.extend(
        changes
            .added
            .iter()
            .chain(&changes.changed)
            .filter_map(post)
            .map(LibraryChange::Upsert),
    );
    list.extend(changes.removed.iter().cloned().map(LibraryChange::Removed));
    list.extend(changes.renamed.iter().filter_map(|(from, to)| {
        Some(LibraryChange::Renamed {
            from: from.clone(),
            to: post(to)?,
        })
    }));
    let changed = changes.len();
    let mut warnings = scanned.library.warnings.clone();
    if !list.is_empty()
        && !send(Msg::LibraryChanged {
            epoch,
            changes: list,
        })
    {
        return;
    }
    // The index is written after the list has what it needs, not before.
    if let Some(index) = index.as_mut() {
        index.save(&root, &scanned, &mut warnings);
    }
    send(Msg::IndexDone {
        epoch,
        changed,
        warm,
        warnings,
    });
}
