//! The persisted index: for each collection (by its canonical root) and each post in it
//! (by [`PostId`](crate::library::PostId)), the file's size and modification time when
//! it was read and what was read from it (title, [`Meta`](crate::library::Meta) in
//! [`super::meta_codec`]'s form, warnings); beside them, the check's analyses
//! ([`super::analyses`]). One SQLite database in the cache folder holds every
//! collection, in WAL mode with a busy timeout, so two folios can read and write it side
//! by side.
//!
//! Everything here degrades instead of failing: a database that is corrupt, unreadable,
//! of an older format, or locked past the timeout is deleted and made again, with one
//! warning; a folder that cannot be written means running without a cache, said once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, TransactionBehavior};

use super::rows::{
    forget_missing_collections, read_entries, read_entry, root_key, trusted_collection, write,
};
use super::{Settings, is_busy, patiently};
use crate::library::scan::{Cached, Scanned};
use crate::library::{Post, PostId};

/// The database's name in the cache folder.
pub const FILE_NAME: &str = "index.sqlite";

/// The layout of the tables, kept in `PRAGMA user_version`. A database with a lower
/// number (or none, but tables) is rebuilt; one with a higher number belongs to a newer
/// folio and is left alone.
pub const SCHEMA_VERSION: i32 = 4;

const SCHEMA: &str = "
    CREATE TABLE collections (
        id INTEGER PRIMARY KEY,
        root BLOB NOT NULL UNIQUE,
        -- library::post::INDEXER_FINGERPRINT of the folio that wrote the posts
        indexer INTEGER NOT NULL
    );
    CREATE TABLE posts (
        collection INTEGER NOT NULL,
        id TEXT NOT NULL,
        -- the path relative to the root as the file system spells it, when that is
        -- not the id
        path BLOB,
        -- NULL: read the file again whatever its stamp
        size INTEGER,
        mtime_ns INTEGER,
        -- when the scan that read the file began
        read_at_ns INTEGER NOT NULL,
        title TEXT NOT NULL,
        -- in store::meta_codec's form (schema 1 kept JSON here)
        meta BLOB NOT NULL,
        warnings TEXT NOT NULL,
        PRIMARY KEY (collection, id)
    ) WITHOUT ROWID;
    -- store::analyses: the TUI's check, by post (schema 4; 3 kept it in one column)
    CREATE TABLE analyses (
        collection INTEGER NOT NULL,
        id TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        read_at_ns INTEGER NOT NULL,
        -- store::analyses::ANALYSIS_FORM of the folio that wrote it
        form INTEGER NOT NULL,
        -- check::facts::Facts in its own bytes, check::parts::Own as JSON
        facts BLOB NOT NULL,
        own TEXT NOT NULL,
        PRIMARY KEY (collection, id)
    ) WITHOUT ROWID;
";

/// An open index cache. After a failure it could not recover from, it does nothing
/// (the warning has been given).
pub struct Index {
    conn: Option<Connection>,
    path: PathBuf,
    busy_timeout: Duration,
    /// Collections whose entries were loaded whole: a save writes only what changed.
    loaded: HashSet<Vec<u8>>,
}

/// Why a database cannot be used as it is.
enum Problem {
    Sqlite(rusqlite::Error),
    /// `user_version` below ours, or tables without one.
    Older(i32),
    Newer(i32),
}

impl From<rusqlite::Error> for Problem {
    fn from(err: rusqlite::Error) -> Problem {
        Problem::Sqlite(err)
    }
}

impl Index {
    /// Opens the index in `settings.dir`, creating it, or rebuilding one that cannot be
    /// used. `None` when there is to be no cache this run; why is in `warnings`.
    pub fn open(settings: &Settings, warnings: &mut Vec<String>) -> Option<Index> {
        let Some(dir) = settings.dir.as_deref() else {
            warnings.push("no cache folder known; running without an index cache".into());
            return None;
        };
        let unavailable = |err: &dyn std::fmt::Display| {
            format!(
                "cannot keep an index cache in {} ({err}); running without it",
                dir.display()
            )
        };
        if let Err(err) = std::fs::create_dir_all(dir) {
            warnings.push(unavailable(&err));
            return None;
        }
        let path = dir.join(FILE_NAME);
        let existed = path.exists();
        let mut index = Index {
            conn: None,
            path,
            busy_timeout: settings.busy_timeout,
            loaded: HashSet::new(),
        };
        match index.connect_patiently() {
            Ok(()) => Some(index),
            Err(Problem::Newer(version)) => {
                warnings.push(format!(
                    "index cache {} is a newer folio's (format {version}); running without it",
                    index.path.display()
                ));
                None
            }
            Err(Problem::Sqlite(err)) if !existed => {
                warnings.push(unavailable(&err));
                None
            }
            Err(problem) => {
                let why = index.describe(&problem);
                index.rebuild(&why, warnings);
                index.conn.is_some().then_some(index)
            }
        }
    }

    /// A database in memory, gone with the process; `None` if SQLite cannot make one.
    pub fn in_memory() -> Option<Connection> {
        let mut conn = Connection::open_in_memory().ok()?;
        prepare_schema(&mut conn).ok()?;
        Some(conn)
    }

    /// The open database, for the other tables it holds ([`super::analyses`]).
    pub fn into_connection(self) -> Option<Connection> {
        self.conn
    }

    /// Where the database is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// [`Index::connect`], tried again while the database is busy (see [`patiently`]).
    fn connect_patiently(&mut self) -> Result<(), Problem> {
        let busy = |problem: &Problem| matches!(problem, Problem::Sqlite(err) if is_busy(err));
        patiently(self.busy_timeout, busy, || self.connect())
    }

    fn connect(&mut self) -> Result<(), Problem> {
        let mut conn = Connection::open(&self.path)?;
        conn.busy_timeout(self.busy_timeout)?;
        // For a new database only (before its first write): an entry is most of a
        // kilobyte, and larger pages write a whole collection in fewer calls.
        conn.pragma_update(None, "page_size", 16 * 1024)?;
        // WAL: readers never wait for a writer, so one folio saving does not hold up
        // another one starting. No fsync: this is a cache; after a crash of the machine
        // a damaged database is found damaged and rebuilt, and a lost write only means
        // reading some files again.
        let _mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        conn.pragma_update(None, "synchronous", "OFF")?;
        // Reading 10 000 entries page by page through read() copies every page; mapped,
        // a start reads them in place.
        conn.pragma_update(None, "mmap_size", 256 * 1024 * 1024)?;
        prepare_schema(&mut conn)?;
        self.conn = Some(conn);
        Ok(())
    }

    fn describe(&self, problem: &Problem) -> String {
        match problem {
            Problem::Older(version) => format!("older format ({version})"),
            Problem::Newer(version) => format!("newer format ({version})"),
            Problem::Sqlite(err) if is_busy(err) => format!(
                "locked by another process for over {} ms",
                self.busy_timeout.as_millis()
            ),
            Problem::Sqlite(err) => match err.sqlite_error_code() {
                Some(ErrorCode::NotADatabase) => "not a database".into(),
                Some(ErrorCode::DatabaseCorrupt) => "damaged".into(),
                _ => format!("unusable ({})", one_line(&err.to_string())),
            },
        }
    }

    /// Deletes the database and makes a new one; on failure the index is disabled.
    fn rebuild(&mut self, why: &str, warnings: &mut Vec<String>) {
        self.conn = None;
        self.loaded.clear();
        let shown = self.path.display().to_string();
        if let Err(err) = remove_database(&self.path) {
            warnings.push(format!(
                "index cache {shown}: {why}; cannot remove it ({err}); running without it"
            ));
            return;
        }
        match self.connect_patiently() {
            Ok(()) => warnings.push(format!("index cache {shown}: {why}; rebuilt")),
            Err(problem) => {
                let again = self.describe(&problem);
                warnings.push(format!(
                    "index cache {shown}: {why}; a new one failed too ({again}); running without it"
                ));
                self.conn = None;
            }
        }
    }

    /// The entries cached for the collection at `root`: none if it was never indexed,
    /// or indexed by a folio that reads files differently. A database that fails here
    /// is rebuilt (and nothing is cached).
    pub fn load(&mut self, root: &Path, warnings: &mut Vec<String>) -> Cached {
        let Some(conn) = self.conn.as_ref() else {
            return Cached::new();
        };
        let key = root_key(root);
        match patiently(self.busy_timeout, is_busy, || {
            read_entries(conn, &key, root)
        }) {
            Ok(Some(cached)) => {
                self.loaded.insert(key);
                cached
            }
            Ok(None) => Cached::new(),
            Err(err) => {
                let why = self.describe(&Problem::Sqlite(err));
                self.rebuild(&why, warnings);
                Cached::new()
            }
        }
    }

    /// Reads cached entries back one at a time, for a scan whose cached posts were
    /// handed to the library on screen ([`crate::library::Library::from_cached`]) and
    /// that needs an old one to compare with. The collection is looked up once, here;
    /// an entry that cannot be had is `None`, and its post counts as changed.
    pub fn recaller<'a>(&'a self, root: &'a Path) -> impl Fn(&PostId) -> Option<Post> + 'a {
        let collection = self
            .conn
            .as_ref()
            .and_then(|conn| Some((conn, trusted_collection(conn, &root_key(root)).ok()??)));
        move |id| {
            let (conn, collection) = collection?;
            let entry = read_entry(conn, collection, root, id).ok()??;
            entry.post.map(Arc::unwrap_or_clone)
        }
    }

    /// Brings the collection's entries in line with `scanned`: writes the posts it read
    /// and forgets the ones gone, or, when the entries were not loaded from here whole,
    /// replaces them all. A database that fails is rebuilt and written whole.
    pub fn save(&mut self, root: &Path, scanned: &Scanned, warnings: &mut Vec<String>) {
        let key = root_key(root);
        let incremental = self.loaded.contains(&key);
        let nothing_new = scanned.read.is_empty()
            && scanned.changes.removed.is_empty()
            && scanned.changes.renamed.is_empty();
        if incremental && nothing_new {
            return;
        }
        let Some(conn) = self.conn.as_mut() else {
            return;
        };
        let result = patiently(self.busy_timeout, is_busy, || {
            write(conn, &key, scanned, incremental)
        });
        if let Err(err) = result {
            let why = self.describe(&Problem::Sqlite(err));
            self.rebuild(&why, warnings);
            let Some(conn) = self.conn.as_mut() else {
                return;
            };
            if let Err(err) = write(conn, &key, scanned, false) {
                warnings.push(format!(
                    "index cache {}: not saved ({}); running without it",
                    self.path.display(),
                    one_line(&err.to_string())
                ));
                self.conn = None;
                return;
            }
        }
        self.loaded.insert(key);
        if let Some(conn) = self.conn.as_ref() {
            // Only tidying: a failure here leaves a few stale entries, nothing worse.
            let _ = forget_missing_collections(conn);
        }
    }
}

/// Makes the tables in a new database; says what is wrong with one that is not ours.
fn prepare_schema(conn: &mut Connection) -> Result<(), Problem> {
    let version = |conn: &Connection| -> rusqlite::Result<i32> {
        conn.pragma_query_value(None, "user_version", |row| row.get(0))
    };
    let found = version(conn)?;
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    if found > SCHEMA_VERSION {
        return Err(Problem::Newer(found));
    }
    if found > 0 {
        return Err(Problem::Older(found));
    }
    // IMMEDIATE: two folios making the database at once take turns; the second finds
    // it made.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    match version(&tx)? {
        SCHEMA_VERSION => return Ok(()),
        0 => {}
        other => {
            return Err(if other > SCHEMA_VERSION {
                Problem::Newer(other)
            } else {
                Problem::Older(other)
            });
        }
    }
    let objects: i64 = tx.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))?;
    if objects > 0 {
        return Err(Problem::Older(0));
    }
    tx.execute_batch(SCHEMA)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

/// The database and the files SQLite keeps beside it; those already gone are fine.
fn remove_database(path: &Path) -> std::io::Result<()> {
    let with_suffix = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(PathBuf::from(name)) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        }
    };
    with_suffix("")?;
    with_suffix("-wal")?;
    with_suffix("-shm")?;
    with_suffix("-journal")
}

pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
#[cfg(test)]
mod tests {
    use super::*;

    /// Eight folios opening a cache that does not exist yet, at the same moment: SQLite
    /// answers some of them "database is locked" at once while another turns on WAL
    /// (about one start in fifty without the retry). Every one must get the index.
    #[test]
    fn folios_making_the_database_at_once_all_get_it() {
        for _ in 0..60 {
            let dir = tempfile::tempdir().expect("tempdir");
            let settings = Settings {
                dir: Some(dir.path().to_path_buf()),
                busy_timeout: Duration::from_secs(5),
            };
            let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
            let openers: Vec<_> = (0..8)
                .map(|_| {
                    let (settings, barrier) = (settings.clone(), barrier.clone());
                    std::thread::spawn(move || {
                        barrier.wait();
                        let mut warnings = Vec::new();
                        let index = Index::open(&settings, &mut warnings);
                        (index.is_some(), warnings)
                    })
                })
                .collect();
            for opener in openers {
                let (opened, warnings) = opener.join().expect("opener");
                assert!(opened && warnings.is_empty(), "{warnings:?}");
            }
        }
    }
}
