//! How a post becomes a row of the index and back, and the statements that read and
//! write a collection's rows: a post's id and (when the id does not spell it) its path
//! as the file system does, its stamp, when it was read, and what was read.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::meta_codec;

use crate::diagnostic::Diagnostic;
use crate::library::post::INDEXER_FINGERPRINT;
use crate::library::scan::{Cached, CachedPost, Scanned, Stamp};
use crate::library::{Post, PostId, Source};

/// A file changed this close to the start of the scan that read it (or after it) may be
/// changed again within its file system's timestamp resolution without its stamp
/// showing it; such an entry is read again next time instead of trusted. Two seconds
/// covers the coarsest common resolution (FAT).
pub(super) const RACY_WINDOW_NS: i64 = 2_000_000_000;

/// Whether a file last changed at `mtime_ns` was settled when it was read at
/// `read_at_ns`, outside [`RACY_WINDOW_NS`]: only then is what was read trusted.
pub(super) fn settled(mtime_ns: i64, read_at_ns: i64) -> bool {
    mtime_ns < read_at_ns.saturating_sub(RACY_WINDOW_NS)
}

/// Drops the entries of collections whose folder is gone (renamed, deleted, a test's
/// temporary folder), so the database does not grow with every folder ever opened.
pub(super) fn forget_missing_collections(conn: &Connection) -> rusqlite::Result<()> {
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
        conn.execute("DELETE FROM analyses WHERE collection = ?1", [id])?;
        conn.execute("DELETE FROM collections WHERE id = ?1", [id])?;
    }
    Ok(())
}

/// The collection's row id when its entries were written by a folio that reads files
/// as this one does.
pub(super) fn trusted_collection(conn: &Connection, key: &[u8]) -> rusqlite::Result<Option<i64>> {
    let collection: Option<(i64, i64)> = conn
        .query_row(
            "SELECT id, indexer FROM collections WHERE root = ?1",
            [key],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    Ok(collection.and_then(|(id, indexer)| (indexer == fingerprint()).then_some(id)))
}

const ENTRY_COLUMNS: &str = "path, size, mtime_ns, read_at_ns, title, meta, warnings, id";

/// The entries of one collection; `None` when there are none this folio can trust.
pub(super) fn read_entries(
    conn: &Connection,
    key: &[u8],
    root: &Path,
) -> rusqlite::Result<Option<Cached>> {
    let Some(collection) = trusted_collection(conn, key)? else {
        return Ok(None);
    };
    let mut statement = conn.prepare(&format!(
        "SELECT {ENTRY_COLUMNS} FROM posts WHERE collection = ?1"
    ))?;
    // Sized at once: grown row by row, the map of 100,000 posts is moved (and its fresh
    // pages faulted in) a dozen times before the first frame.
    let count: i64 = conn.query_row(
        "SELECT count(*) FROM posts WHERE collection = ?1",
        [collection],
        |row| row.get(0),
    )?;
    let mut cached = Cached::with_capacity(usize::try_from(count).unwrap_or(0));
    let mut rows = statement.query([collection])?;
    while let Some(row) = rows.next()? {
        if let Some((id, entry)) = entry_from_row(row, root)? {
            cached.insert(id, entry);
        }
    }
    Ok(Some(cached))
}

/// One post's entry as [`read_entries`] would give it, if there is one, in the
/// collection [`trusted_collection`] found.
pub(super) fn read_entry(
    conn: &Connection,
    collection: i64,
    root: &Path,
    id: &PostId,
) -> rusqlite::Result<Option<CachedPost>> {
    let mut statement = conn.prepare(&format!(
        "SELECT {ENTRY_COLUMNS} FROM posts WHERE collection = ?1 AND id = ?2"
    ))?;
    let mut rows = statement.query(params![collection, id.as_str()])?;
    match rows.next()? {
        Some(row) => Ok(entry_from_row(row, root)?.map(|(_, entry)| entry)),
        None => Ok(None),
    }
}

/// A row of [`ENTRY_COLUMNS`] as a cached post; `None` for an entry that does not
/// decode (its file is simply read again).
fn entry_from_row(
    row: &rusqlite::Row<'_>,
    root: &Path,
) -> rusqlite::Result<Option<(PostId, CachedPost)>> {
    let path: Option<Vec<u8>> = row.get(0)?;
    let size: Option<i64> = row.get(1)?;
    let mtime_ns: Option<i64> = row.get(2)?;
    let read_at_ns: i64 = row.get(3)?;
    let title: String = row.get(4)?;
    // Decoded where SQLite holds them, not copied out first: a warm start of 100,000
    // posts reads these columns before its first frame.
    let meta = match row.get_ref(5)? {
        ValueRef::Blob(bytes) => meta_codec::decode(bytes),
        _ => None,
    };
    let warnings = match row.get_ref(6)?.as_str()? {
        "[]" => Ok(Vec::new()),
        json => serde_json::from_str::<Vec<Diagnostic>>(json),
    };
    let (Some(meta), Ok(warnings)) = (meta, warnings) else {
        return Ok(None);
    };
    let Ok(id) = row.get_ref(7)?.as_str() else {
        return Ok(None);
    };
    let spelled = path.map(path_from_bytes);
    let rel = spelled.clone().unwrap_or_else(|| PathBuf::from(id));
    let id = PostId::from_stored(id);
    let stamp = match (size.and_then(|s| u64::try_from(s).ok()), mtime_ns) {
        (Some(size), Some(mtime_ns)) if settled(mtime_ns, read_at_ns) => {
            Some(Stamp { size, mtime_ns })
        }
        _ => None,
    };
    let post = Post {
        id: id.clone(),
        source: Source::File(root.join(&rel)),
        rel_path: rel.into(),
        title: title.into(),
        meta,
        diagnostics: warnings,
    };
    Ok(Some((
        id,
        CachedPost {
            post: Some(Arc::new(post)),
            stamp,
            spelled,
        },
    )))
}

/// Writes `scanned` into the collection's entries, in one transaction: only what it read
/// and what is gone when `incremental` (and the entries are this folio's), else all.
pub(super) fn write(
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
                meta_codec::encode(&post.meta),
                to_json(&post.diagnostics),
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
pub(super) fn root_key(root: &Path) -> Vec<u8> {
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
