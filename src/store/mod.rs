//! What folio keeps on disk between runs, and the only code that touches SQLite
//! (rusqlite, with SQLite compiled in). One database is the index cache ([`index`]): the
//! front matter of every post, so a start reads only the files that changed. It is a
//! cache, not state: deleting it loses nothing, and anything wrong with it (corrupt,
//! locked, from another folio) costs one warning and a full read of the collection,
//! never a failed start. The other is the reading memory ([`state`]): where the reader
//! stopped, what is read, bookmarks, recent posts. That is state, in the data folder,
//! never deleted; a damaged file is moved aside, not removed.

pub mod analyses;
pub mod index;
mod meta_codec;
mod rows;
pub mod state;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::library::scan::{Cached, Scanned, scan_loading, scan_with};
use crate::library::{Library, LoadError};

pub use analyses::AnalysisStore;
pub use index::Index;
pub use state::StateStore;

/// How long a command waits for another folio that is writing the index before it
/// gives up on that database and builds a new one.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the index cache is, and how patient to be with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The folder holding the database; `None`: run without a cache.
    pub dir: Option<PathBuf>,
    /// How long to wait for a database another process is writing.
    pub busy_timeout: Duration,
}

impl Settings {
    /// The user's cache folder ([`cache_dir`]) and the default patience.
    pub fn from_env() -> Settings {
        Settings {
            dir: cache_dir(),
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
        }
    }
}

/// The folder for folio's caches: `$FOLIO_CACHE_DIR`, else `<cache dir>/folio`
/// (`~/.cache/folio` on Linux).
pub fn cache_dir() -> Option<PathBuf> {
    match std::env::var_os("FOLIO_CACHE_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::cache_dir().map(|d| d.join("folio")),
    }
}

/// A collection as it is on disk, read with the help of its cached index, and the index
/// brought up to date. With `rescan` the cached entries are not used (every file is
/// read) and are replaced. Problems with the cache come back as one-line warnings;
/// fails only when `root` itself cannot be scanned.
pub fn scan_collection(
    root: &Path,
    settings: &Settings,
    rescan: bool,
) -> Result<(Scanned, Vec<String>), LoadError> {
    let mut warnings = Vec::new();
    let mut index = Index::open(settings, &mut warnings);
    let scanned = scan_cached(root, index.as_mut(), rescan, &mut warnings)?;
    if let Some(index) = index.as_mut() {
        index.save(root, &scanned, &mut warnings);
    }
    Ok((scanned, warnings))
}

/// [`scan_collection`] for a command that prints the collection: the index is brought
/// up to date on a thread of its own ([`Saving`]) while the command goes on with the
/// library. Writing 10,000 new entries took about a fifth of a cold `folio list`.
pub fn scan_collection_saving(
    root: &Path,
    settings: &Settings,
    rescan: bool,
) -> Result<(Library, Vec<String>, Saving), LoadError> {
    let mut warnings = Vec::new();
    let mut index = Index::open(settings, &mut warnings);
    let scanned = scan_cached(root, index.as_mut(), rescan, &mut warnings)?;
    // Shared posts: the copy is a list of pointers.
    let library = scanned.library.clone();
    let saving = match index {
        Some(mut index) => {
            let root = root.to_path_buf();
            let save = move || {
                let mut warnings = Vec::new();
                index.save(&root, &scanned, &mut warnings);
                warnings
            };
            match std::thread::Builder::new()
                .name("folio-save".into())
                .spawn(save)
            {
                Ok(thread) => Saving(Some(thread)),
                Err(err) => {
                    warnings.push(format!("index cache: not saved ({err})"));
                    Saving(None)
                }
            }
        }
        None => Saving(None),
    };
    Ok((library, warnings, saving))
}

/// The scan, with the cached entries loading while the folder is walked.
fn scan_cached(
    root: &Path,
    index: Option<&mut Index>,
    rescan: bool,
    warnings: &mut Vec<String>,
) -> Result<Scanned, LoadError> {
    match index {
        Some(index) if !rescan => scan_loading(root, || index.load(root, warnings)),
        _ => scan_with(root, Cached::new()),
    }
}

/// The index cache being written on a thread of its own. It is waited for by
/// [`Saving::finish`], or when dropped, so no command ends before its cache is written.
#[must_use = "finish it to learn whether the cache was saved"]
pub struct Saving(Option<std::thread::JoinHandle<Vec<String>>>);

impl Saving {
    /// Nothing to write (no cache, no folder).
    pub fn none() -> Saving {
        Saving(None)
    }

    /// Waits for the write; its problems, one line each.
    pub fn finish(mut self) -> Vec<String> {
        match self.0.take().map(std::thread::JoinHandle::join) {
            Some(Ok(warnings)) => warnings,
            Some(Err(_)) => vec!["index cache: not saved (its writer failed)".to_string()],
            None => Vec::new(),
        }
    }
}

impl Drop for Saving {
    fn drop(&mut self) {
        if let Some(thread) = self.0.take() {
            let _ = thread.join();
        }
    }
}

/// Runs `op` again while it fails as `busy` says, until `timeout` has passed. SQLite
/// waits out a lock itself (the busy timeout) in most places, but not in all: two
/// folios making the database at once, or one turning on WAL while another opens it,
/// can get "database is locked" at once; seen about once in 150 starts of eight folios
/// on a new cache. Given up on, the database is taken for locked past the timeout.
pub(crate) fn patiently<T, E>(
    timeout: std::time::Duration,
    busy: impl Fn(&E) -> bool,
    mut op: impl FnMut() -> Result<T, E>,
) -> Result<T, E> {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        match op() {
            Err(err) if busy(&err) && std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

pub(crate) fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}
