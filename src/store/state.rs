//! The reading memory on disk ([`crate::memory`]: positions, read marks, bookmarks,
//! recent posts), in one SQLite database in the data folder, keyed by collection root
//! and post id. This is state, not a cache: folio never deletes it and never writes
//! into the collection. WAL mode, a busy timeout and one IMMEDIATE transaction per
//! batch of changes let two folios on one collection write side by side without losing
//! each other's changes (each change is its own row: see [`sql`]).
//!
//! Nothing here stops folio from starting. A database that is damaged or not folio's is
//! moved aside (`state.sqlite.bad`, then `.bad.1`, …: never overwritten, never
//! deleted) with one warning, and reading starts afresh; one locked past the timeout,
//! one from a newer folio, or a data folder that cannot be written means running
//! without memory this time, said once, with the file left as it is.

mod sql;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, ErrorCode};

use super::{DEFAULT_BUSY_TIMEOUT, Settings};
use crate::memory::{Memory, Write};

pub use sql::SCHEMA_VERSION;

/// The database's name in the data folder.
pub const FILE_NAME: &str = "state.sqlite";

/// How the bundled sample posts are keyed: not a path any folder's canonical (absolute)
/// root can be.
const BUNDLED_KEY: &[u8] = b"<bundled sample posts>";

/// At most this many changes wait in memory for a database that cannot be written
/// just now; past it the oldest are dropped (a session never makes nearly as many).
const UNSAVED_LIMIT: usize = 10_000;

/// The folder for folio's state: `$FOLIO_DATA_DIR`, else `<data dir>/folio`
/// (`~/.local/share/folio` on Linux).
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os("FOLIO_DATA_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::data_dir().map(|d| d.join("folio")),
    }
}

/// The user's data folder ([`data_dir`]) and the default patience.
pub fn settings_from_env() -> Settings {
    Settings {
        dir: data_dir(),
        busy_timeout: DEFAULT_BUSY_TIMEOUT,
    }
}

/// An open state store for one collection. After a failure it could not recover from,
/// it does nothing (the warning has been given).
pub struct StateStore {
    conn: Option<Connection>,
    path: PathBuf,
    key: Vec<u8>,
    busy_timeout: Duration,
    /// The file the connection has open, to tell it from one another folio put in its
    /// place before this one moves a damaged file aside.
    identity: Option<FileIdentity>,
    /// Changes not written yet (the database was locked or failed): tried again with
    /// the next batch.
    unsaved: Vec<Write>,
    /// Whether the last attempt to write failed (its warning is given once, not again
    /// for every batch until one succeeds).
    failing: bool,
}

/// Why a database cannot be used as it is.
enum Problem {
    Sqlite(rusqlite::Error),
    Newer(i32),
    /// Tables that are not ours, or a version we never wrote.
    Foreign,
    /// `PRAGMA quick_check` found damage.
    Damaged(String),
}

impl Problem {
    fn is_busy(&self) -> bool {
        matches!(self, Problem::Sqlite(err) if super::is_busy(err))
    }
}

impl From<rusqlite::Error> for Problem {
    fn from(err: rusqlite::Error) -> Problem {
        Problem::Sqlite(err)
    }
}

/// What to do about a problem.
enum Verdict {
    /// Damaged or not ours: move it aside and start afresh.
    MoveAside(String),
    /// Locked, from a newer folio, or unreachable: leave it, run without memory.
    LeaveAlone(String),
}

impl StateStore {
    /// Opens the state of the collection at `root` in `settings.dir`, creating the
    /// database, or moving aside one that is damaged. `None` when there is to be no
    /// memory this run; why is in `warnings`.
    pub fn open(settings: &Settings, root: &Path, warnings: &mut Vec<String>) -> Option<Self> {
        Self::open_key(settings, root_key(root), warnings)
    }

    /// [`StateStore::open`] for the bundled sample posts, which have no folder.
    pub fn open_bundled(settings: &Settings, warnings: &mut Vec<String>) -> Option<Self> {
        Self::open_key(settings, BUNDLED_KEY.to_vec(), warnings)
    }

    fn open_key(settings: &Settings, key: Vec<u8>, warnings: &mut Vec<String>) -> Option<Self> {
        let Some(dir) = settings.dir.as_deref() else {
            warnings.push("no data folder known; running without reading memory".into());
            return None;
        };
        if let Err(err) = std::fs::create_dir_all(dir) {
            warnings.push(format!(
                "cannot keep reading memory in {} ({err}); running without it",
                dir.display()
            ));
            return None;
        }
        let mut store = StateStore {
            conn: None,
            path: dir.join(FILE_NAME),
            key,
            busy_timeout: settings.busy_timeout,
            identity: None,
            unsaved: Vec::new(),
            failing: false,
        };
        let found = FileIdentity::of(&store.path);
        match store.connect_patiently() {
            Ok(()) => Some(store),
            Err(problem) => {
                let verdict = store.judge(&problem);
                store.identity = found;
                store.recover(verdict, warnings);
                store.conn.is_some().then_some(store)
            }
        }
    }

    /// Where the database is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// How many changes are waiting for a database that could not be written.
    pub fn unsaved(&self) -> usize {
        self.unsaved.len()
    }

    /// [`StateStore::connect`], tried again while the database is busy (see
    /// [`super::patiently`]): two folios started together lost their memory for the run.
    fn connect_patiently(&mut self) -> Result<(), Problem> {
        super::patiently(self.busy_timeout, Problem::is_busy, || self.connect())
    }

    fn connect(&mut self) -> Result<(), Problem> {
        self.conn = None;
        let mut conn = Connection::open(&self.path)?;
        conn.busy_timeout(self.busy_timeout)?;
        // A newer folio's database, or another program's, is not touched at all (not
        // even its journal mode) before it is left alone or moved aside.
        sql::check_owner(&conn)?;
        // WAL: a folio reading never waits for one writing. FULL: a change the reader
        // made survives a crash of the machine; writes are rare (leaving a post,
        // marking, bookmarking), so the fsync costs nothing anyone notices.
        let _mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        sql::prepare_schema(&mut conn)?;
        // The state is small; checking it at every start finds a damaged file before
        // a read half-way through it does.
        let check: String = conn.pragma_query_value(None, "quick_check", |row| row.get(0))?;
        if check != "ok" {
            return Err(Problem::Damaged(check));
        }
        self.identity = FileIdentity::of(&self.path);
        self.conn = Some(conn);
        Ok(())
    }

    fn judge(&self, problem: &Problem) -> Verdict {
        match problem {
            Problem::Newer(version) => {
                Verdict::LeaveAlone(format!("is a newer folio's (format {version})"))
            }
            Problem::Foreign => Verdict::MoveAside("is not folio's reading memory".into()),
            Problem::Damaged(found) => {
                let found: String = found.split_whitespace().collect::<Vec<_>>().join(" ");
                let found: String = found.chars().take(80).collect();
                Verdict::MoveAside(format!("is damaged ({found})"))
            }
            Problem::Sqlite(err) => match err.sqlite_error_code() {
                Some(ErrorCode::NotADatabase) => Verdict::MoveAside("is not a database".into()),
                Some(ErrorCode::DatabaseCorrupt) => Verdict::MoveAside("is damaged".into()),
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                    Verdict::LeaveAlone(format!(
                        "is locked by another process for over {} ms",
                        self.busy_timeout.as_millis()
                    ))
                }
                _ => Verdict::LeaveAlone(format!("cannot be used ({})", one_line(err))),
            },
        }
    }

    /// Acts on a verdict: moves the file aside and opens a new one, or gives up on
    /// memory for this run. Either way, says so once.
    fn recover(&mut self, verdict: Verdict, warnings: &mut Vec<String>) {
        self.conn = None;
        let shown = self.path.display().to_string();
        let why = match verdict {
            Verdict::LeaveAlone(why) => {
                warnings.push(format!(
                    "reading memory {shown} {why}; running without it this time"
                ));
                return;
            }
            Verdict::MoveAside(why) => why,
        };
        // Another folio may have moved it aside already and begun a new one: that one
        // is not ours to move.
        let replaced = self.identity.is_some() && FileIdentity::of(&self.path) != self.identity;
        let moved = if replaced {
            None
        } else {
            match move_aside(&self.path) {
                Ok(bad) => Some(bad),
                Err(err) => {
                    warnings.push(format!(
                        "reading memory {shown} {why} and cannot be moved aside ({err}); \
                         running without it"
                    ));
                    return;
                }
            }
        };
        match self.connect() {
            Ok(()) => warnings.push(match moved {
                Some(bad) => format!(
                    "reading memory {shown} {why}; moved to {}, starting afresh",
                    bad.display()
                ),
                None => format!("reading memory {shown} {why}; another folio replaced it"),
            }),
            Err(problem) => {
                let again = match self.judge(&problem) {
                    Verdict::MoveAside(why) | Verdict::LeaveAlone(why) => why,
                };
                warnings.push(format!(
                    "reading memory {shown} {why}; a new one {again}; running without it"
                ));
                self.conn = None;
            }
        }
    }

    /// Everything remembered of this collection. Disabled memory when the store is
    /// not usable (why is in `warnings`); a database found damaged here is moved aside
    /// and the memory starts empty.
    pub fn load(&mut self, warnings: &mut Vec<String>) -> Memory {
        let Some(conn) = self.conn.as_ref() else {
            return Memory::default();
        };
        match sql::read_memory(conn, &self.key) {
            Ok(memory) => memory,
            Err(err) => {
                let verdict = self.judge(&Problem::Sqlite(err));
                self.recover(verdict, warnings);
                if self.conn.is_some() {
                    Memory::enabled()
                } else {
                    Memory::default()
                }
            }
        }
    }

    /// Writes `writes` (with any left unsaved before) in one transaction. A database
    /// that fails is moved aside if damaged, and the changes are written to the new
    /// one; one that is locked or cannot be written keeps them for the next call, with
    /// one warning until a write succeeds again.
    pub fn write(&mut self, writes: &[Write], warnings: &mut Vec<String>) {
        if self.conn.is_none() || (writes.is_empty() && self.unsaved.is_empty()) {
            return;
        }
        self.unsaved.extend_from_slice(writes);
        let overflow = self.unsaved.len().saturating_sub(UNSAVED_LIMIT);
        self.unsaved.drain(..overflow);
        let Err(err) = self.try_write() else {
            self.unsaved.clear();
            self.failing = false;
            return;
        };
        let shown = self.path.display().to_string();
        match self.judge(&Problem::Sqlite(err)) {
            Verdict::MoveAside(why) => {
                self.recover(Verdict::MoveAside(why), warnings);
                if self.conn.is_none() {
                    return;
                }
                match self.try_write() {
                    Ok(()) => {
                        self.unsaved.clear();
                        self.failing = false;
                    }
                    Err(err) => {
                        warnings.push(format!(
                            "reading memory {shown}: not saved ({}); running without it",
                            one_line(&err)
                        ));
                        self.conn = None;
                    }
                }
            }
            Verdict::LeaveAlone(why) => {
                if !self.failing {
                    warnings.push(format!(
                        "reading memory {shown} {why}; not saved yet, will try again"
                    ));
                }
                self.failing = true;
            }
        }
    }

    fn try_write(&mut self) -> rusqlite::Result<()> {
        let Some(conn) = self.conn.as_mut() else {
            return Ok(());
        };
        sql::apply(conn, &self.key, &self.unsaved, now_ns())
    }
}

/// The reading memory of the collection at `root` (`None`: the bundled samples) and
/// the store to write its changes to: what the TUI starts with. Without a usable store
/// the memory is disabled (records nothing); why is in `warnings`.
pub fn start(
    settings: &Settings,
    root: Option<&Path>,
    warnings: &mut Vec<String>,
) -> (Memory, Option<StateStore>) {
    let store = match root {
        Some(root) => StateStore::open(settings, root, warnings),
        None => StateStore::open_bundled(settings, warnings),
    };
    match store {
        Some(mut store) => {
            let memory = store.load(warnings);
            let usable = memory.enabled;
            (memory, usable.then_some(store))
        }
        None => (Memory::default(), None),
    }
}

/// The reading memory of a collection for a command that only reads it: like
/// [`start`], but where there is no database yet none is made (the memory is empty).
pub fn peek(settings: &Settings, root: Option<&Path>, warnings: &mut Vec<String>) -> Memory {
    let exists = settings
        .dir
        .as_deref()
        .is_some_and(|dir| dir.join(FILE_NAME).exists());
    if !exists {
        return Memory::enabled();
    }
    start(settings, root, warnings).0
}

/// Moves the database (and the journal files beside it) to the first of `NAME.bad`,
/// `NAME.bad.1`, … that is free; returns the new name. Never replaces a file: each
/// name is taken with a hard link, which fails if it exists.
fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let with = |base: &Path, suffix: &str| {
        let mut name = base.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    const COMPANIONS: [&str; 3] = ["-wal", "-shm", "-journal"];
    for n in 0..10_000 {
        let bad = with(
            path,
            &if n == 0 {
                ".bad".into()
            } else {
                format!(".bad.{n}")
            },
        );
        if COMPANIONS.iter().any(|s| with(&bad, s).exists()) {
            continue;
        }
        match std::fs::hard_link(path, &bad) {
            Ok(()) => std::fs::remove_file(path)?,
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            // A file system without hard links: a rename, after looking.
            Err(_) if !bad.exists() => std::fs::rename(path, &bad)?,
            Err(err) => return Err(err),
        }
        for suffix in COMPANIONS {
            let companion = with(path, suffix);
            if companion.exists() {
                std::fs::rename(&companion, with(&bad, suffix))?;
            }
        }
        return Ok(bad);
    }
    Err(std::io::Error::other("too many moved-aside copies already"))
}

/// Which file a path names (device and inode), to notice it being replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileIdentity(u64, u64);

impl FileIdentity {
    #[cfg(unix)]
    fn of(path: &Path) -> Option<FileIdentity> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileIdentity(meta.dev(), meta.ino()))
    }

    #[cfg(not(unix))]
    fn of(_path: &Path) -> Option<FileIdentity> {
        None
    }
}

/// A collection's key: its root with links and `..` resolved, so two spellings of one
/// folder share their memory; always absolute, so never the samples' key.
fn root_key(root: &Path) -> Vec<u8> {
    let canonical = root
        .canonicalize()
        .or_else(|_| std::path::absolute(root))
        .unwrap_or_else(|_| root.to_path_buf());
    path_bytes(&canonical)
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

fn one_line(err: &rusqlite::Error) -> String {
    err.to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_aside_takes_the_first_free_name_and_the_journals_along() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join(FILE_NAME);
        let at = |name: &str| dir.path().join(name);
        let put = |name: &str, text: &str| std::fs::write(at(name), text).expect("write");
        let text = |name: &str| std::fs::read_to_string(at(name)).ok();
        put("state.sqlite.bad", "old");
        // A journal alone still holds its copy's name.
        put("state.sqlite.bad.1-shm", "old journal");
        put("state.sqlite", "damaged");
        put("state.sqlite-wal", "its wal");
        put("state.sqlite-shm", "its shm");
        let bad = move_aside(&db).expect("moved");
        assert_eq!(bad, at("state.sqlite.bad.2"));
        assert_eq!(text("state.sqlite.bad.2").as_deref(), Some("damaged"));
        assert_eq!(text("state.sqlite.bad.2-wal").as_deref(), Some("its wal"));
        assert_eq!(text("state.sqlite.bad.2-shm").as_deref(), Some("its shm"));
        assert_eq!(text("state.sqlite.bad").as_deref(), Some("old"));
        assert_eq!(
            text("state.sqlite.bad.1-shm").as_deref(),
            Some("old journal")
        );
        assert!(!db.exists() && !at("state.sqlite-wal").exists());
        put("state.sqlite", "again");
        assert_eq!(move_aside(&db).expect("moved"), at("state.sqlite.bad.3"));
    }

    #[test]
    fn a_root_is_keyed_by_its_canonical_path_and_the_samples_by_no_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sub = dir.path().join("blog");
        std::fs::create_dir(&sub).expect("folder");
        let roundabout = sub.join("..").join("blog").join(".");
        assert_eq!(root_key(&roundabout), root_key(&sub));
        assert!(root_key(&sub).starts_with(b"/") || cfg!(not(unix)));
        assert_ne!(root_key(Path::new(BUNDLED_KEY_AS_PATH)), BUNDLED_KEY);
    }

    const BUNDLED_KEY_AS_PATH: &str = "<bundled sample posts>";
}
