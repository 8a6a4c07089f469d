//! The persisted index: for each collection (by its canonical root) and each post in it
//! (by [`PostId`]), the file's size and modification time when it was read and what
//! was read from it (title, [`Meta`] as JSON, warnings). One SQLite database in the
//! cache folder holds every collection, in WAL mode with a busy timeout, so two folios
//! can read and write it side by side.
//!
//! Everything here degrades instead of failing: a database that is corrupt, unreadable,
//! of an older format, or locked past the timeout is deleted and made again, with one
//! warning; a folder that cannot be written means running without a cache, said once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};

use super::Settings;
use crate::library::post::INDEXER_FINGERPRINT;
use crate::library::scan::{Cached, CachedPost, Scanned, Stamp};
use crate::library::{Meta, Post, PostId, Source};

/// The database's name in the cache folder.
pub const FILE_NAME: &str = "index.sqlite";

/// The layout of the tables, kept in `PRAGMA user_version`. A database with a lower
/// number (or none, but tables) is rebuilt; one with a higher number belongs to a newer
/// folio and is left alone.
pub const SCHEMA_VERSION: i32 = 1;

/// A file changed this close to the start of the scan that read it (or after it) may be
/// changed again within its file system's timestamp resolution without its stamp
/// showing it; such an entry is read again next time instead of trusted. Two seconds
/// covers the coarsest common resolution (FAT).
const RACY_WINDOW_NS: i64 = 2_000_000_000;

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
        meta TEXT NOT NULL,
        warnings TEXT NOT NULL,
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
        match index.connect() {
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

    /// Where the database is.
    pub fn path(&self) -> &Path {
        &self.path
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
            Problem::Sqlite(err) => match err.sqlite_error_code() {
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => format!(
                    "locked by another process for over {} ms",
                    self.busy_timeout.as_millis()
                ),
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
        match self.connect() {
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
        match read_entries(conn, &key, root) {
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
        let result = write(conn, &key, scanned, incremental);
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

/// Drops the entries of collections whose folder is gone (renamed, deleted, a test's
/// temporary folder), so the database does not grow with every folder ever opened.
fn forget_missing_collections(conn: &Connection) -> rusqlite::Result<()> {
    let mut statement = conn.prepare("SELECT id, root FROM collections")?;
    let gone: Vec<i64> = statement
        .query_map([], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?))
        })?
        .filter_map(Result::ok)
        .filter(|(_, root)| !path_from_bytes(root.clone()).exists())
        .map(|(id, _)| id)
        .collect();
    for id in gone {
        conn.execute("DELETE FROM posts WHERE collection = ?1", [id])?;
        conn.execute("DELETE FROM collections WHERE id = ?1", [id])?;
    }
    Ok(())
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

/// The entries of one collection; `None` when there are none this folio can trust.
fn read_entries(conn: &Connection, key: &[u8], root: &Path) -> rusqlite::Result<Option<Cached>> {
    let collection: Option<(i64, i64)> = conn
        .query_row(
            "SELECT id, indexer FROM collections WHERE root = ?1",
            [key],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let Some((collection, indexer)) = collection else {
        return Ok(None);
    };
    if indexer != fingerprint() {
        return Ok(None);
    }
    let mut statement = conn.prepare(
        "SELECT path, size, mtime_ns, read_at_ns, title, meta, warnings, id
         FROM posts WHERE collection = ?1",
    )?;
    let mut rows = statement.query([collection])?;
    let mut cached = Cached::new();
    while let Some(row) = rows.next()? {
        let path: Option<Vec<u8>> = row.get(0)?;
        let size: Option<i64> = row.get(1)?;
        let mtime_ns: Option<i64> = row.get(2)?;
        let read_at_ns: i64 = row.get(3)?;
        let title: String = row.get(4)?;
        let meta: String = row.get(5)?;
        let warnings: String = row.get(6)?;
        // An entry that does not decode is left out: its file is simply read again.
        let (Ok(meta), Ok(warnings)) = (
            serde_json::from_str::<Meta>(&meta),
            serde_json::from_str::<Vec<String>>(&warnings),
        ) else {
            continue;
        };
        let Ok(id) = row.get::<_, String>(7) else {
            continue;
        };
        let rel = path.map_or_else(|| PathBuf::from(&id), path_from_bytes);
        let stamp = match (size.and_then(|s| u64::try_from(s).ok()), mtime_ns) {
            (Some(size), Some(mtime_ns))
                if mtime_ns < read_at_ns.saturating_sub(RACY_WINDOW_NS) =>
            {
                Some(Stamp { size, mtime_ns })
            }
            _ => None,
        };
        let post = Post {
            id: PostId::from_rel(&rel),
            source: Source::File(root.join(&rel)),
            rel_path: rel,
            title,
            meta,
            warnings,
        };
        cached.insert(post.id.clone(), CachedPost { post, stamp });
    }
    Ok(Some(cached))
}

/// Writes `scanned` into the collection's entries, in one transaction: only what it read
/// and what is gone when `incremental` (and the entries are this folio's), else all.
fn write(
    conn: &mut Connection,
    key: &[u8],
    scanned: &Scanned,
    incremental: bool,
) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let before: Option<i64> = tx
        .query_row(
            "SELECT indexer FROM collections WHERE root = ?1",
            [key],
            |row| row.get(0),
        )
        .optional()?;
    // Another folio may have rewritten the entries since they were loaded.
    let incremental = incremental && before == Some(fingerprint());
    let collection: i64 = tx.query_row(
        "INSERT INTO collections (root, indexer) VALUES (?1, ?2)
         ON CONFLICT (root) DO UPDATE SET indexer = excluded.indexer
         RETURNING id",
        params![key, fingerprint()],
        |row| row.get(0),
    )?;
    {
        let mut insert = tx.prepare(
            "INSERT OR REPLACE INTO posts
             (collection, id, path, size, mtime_ns, read_at_ns, title, meta, warnings)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let library = &scanned.library;
        let mut put = |post: &Post| -> rusqlite::Result<()> {
            let stamp = scanned.stamps.get(&post.id);
            insert.execute(params![
                collection,
                post.id.as_str(),
                spelled_path(post),
                stamp.map(|s| i64::try_from(s.size).unwrap_or(i64::MAX)),
                stamp.map(|s| s.mtime_ns),
                scanned.started_ns,
                post.title,
                to_json(&post.meta),
                to_json(&post.warnings),
            ])?;
            Ok(())
        };
        if incremental {
            for post in scanned.read.iter().filter_map(|id| library.get(id)) {
                put(post)?;
            }
        } else {
            tx.execute("DELETE FROM posts WHERE collection = ?1", [collection])?;
            for post in library.posts() {
                put(post)?;
            }
        }
    }
    if incremental {
        let mut delete = tx.prepare("DELETE FROM posts WHERE collection = ?1 AND id = ?2")?;
        let gone = scanned.changes.removed.iter();
        let moved = scanned.changes.renamed.iter().map(|(from, _)| from);
        for id in gone.chain(moved) {
            delete.execute(params![collection, id.as_str()])?;
        }
    }
    tx.commit()
}

/// Metadata and warnings as JSON text. Both always serialise (string keys, finite
/// numbers); should that ever fail, the empty text does not decode and the entry is
/// simply read again.
fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn fingerprint() -> i64 {
    i64::from_ne_bytes(INDEXER_FINGERPRINT.to_ne_bytes())
}

/// A collection's key: its root with links and `..` resolved, so two spellings of one
/// folder share their entries.
fn root_key(root: &Path) -> Vec<u8> {
    let canonical = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    path_to_bytes(&canonical)
}

/// The post's path when its id does not spell it (a name that is not UTF-8, or a
/// platform whose separator is not `/`); else nothing, the id says it.
fn spelled_path(post: &Post) -> Option<Vec<u8>> {
    let bytes = path_to_bytes(&post.rel_path);
    (bytes != post.id.as_str().as_bytes()).then_some(bytes)
}

#[cfg(unix)]
fn path_to_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn path_to_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
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

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
