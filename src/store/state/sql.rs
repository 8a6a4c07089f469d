//! The state database's tables and the statements over them, apart from opening,
//! recovering and warning (`super`), so the rule that makes two folios safe side by
//! side is in one place: every change is an upsert or a delete of its own row, inside
//! the writer's transaction, never a read of the whole state followed by a write of it.
//! What one process never saw, it cannot overwrite.

use std::collections::VecDeque;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::Problem;
use crate::library::PostId;
use crate::memory::{Bookmark, Memory, RECENT_LIMIT, Spot, Write};

/// The layout of the tables, kept in `PRAGMA user_version`. A database with a higher
/// number belongs to a newer folio and is left alone.
pub const SCHEMA_VERSION: i32 = 1;

/// One row per collection (its canonical root); every other table is keyed by it and a
/// post id. Nothing is ever deleted for a collection that is gone: this is the reader's
/// state, not a cache.
const SCHEMA: &str = "
    CREATE TABLE collections (
        id INTEGER PRIMARY KEY,
        root BLOB NOT NULL UNIQUE
    );
    CREATE TABLE positions (
        collection INTEGER NOT NULL,
        post TEXT NOT NULL,
        block INTEGER NOT NULL,
        fingerprint INTEGER NOT NULL,
        PRIMARY KEY (collection, post)
    ) WITHOUT ROWID;
    CREATE TABLE read_marks (
        collection INTEGER NOT NULL,
        post TEXT NOT NULL,
        PRIMARY KEY (collection, post)
    ) WITHOUT ROWID;
    CREATE TABLE bookmarks (
        collection INTEGER NOT NULL,
        id INTEGER NOT NULL,
        post TEXT NOT NULL,
        block INTEGER NOT NULL,
        fingerprint INTEGER NOT NULL,
        heading TEXT,
        note TEXT NOT NULL,
        -- seconds since the Unix epoch
        created INTEGER NOT NULL,
        PRIMARY KEY (collection, id)
    ) WITHOUT ROWID;
    CREATE TABLE recent_posts (
        collection INTEGER NOT NULL,
        post TEXT NOT NULL,
        -- nanoseconds since the Unix epoch, and always later than the collection's
        -- latest before it, so the order holds whatever the clock does
        opened_ns INTEGER NOT NULL,
        PRIMARY KEY (collection, post)
    ) WITHOUT ROWID;
";

/// Says what is wrong with a database that is not ours (a newer folio's, another
/// program's), only reading it.
pub(super) fn check_owner(conn: &Connection) -> Result<(), Problem> {
    // One statement, so one snapshot: read apart, another folio could make the tables
    // between the two reads, and a database half-seen as made would look foreign.
    let (version, objects): (i32, i64) = conn.query_row(
        "SELECT (SELECT user_version FROM pragma_user_version), \
                (SELECT count(*) FROM sqlite_master)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    match version {
        SCHEMA_VERSION => Ok(()),
        newer if newer > SCHEMA_VERSION => Err(Problem::Newer(newer)),
        0 if objects == 0 => Ok(()),
        _ => Err(Problem::Foreign),
    }
}

fn objects(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
}

/// Makes the tables in a new database; says what is wrong with one that is not ours.
pub(super) fn prepare_schema(conn: &mut Connection) -> Result<(), Problem> {
    check_owner(conn)?;
    if user_version(conn)? == SCHEMA_VERSION {
        return Ok(());
    }
    // IMMEDIATE: two folios making the database at once take turns; the second finds
    // it made.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    match user_version(&tx)? {
        SCHEMA_VERSION => return Ok(()),
        0 => {}
        newer if newer > SCHEMA_VERSION => return Err(Problem::Newer(newer)),
        _ => return Err(Problem::Foreign),
    }
    if objects(&tx)? > 0 {
        // Tables, but not ours: some other program's database under our name.
        return Err(Problem::Foreign);
    }
    tx.execute_batch(SCHEMA)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

pub(super) fn user_version(conn: &Connection) -> rusqlite::Result<i32> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// What is remembered of the collection `key`: nothing if it has never been written.
/// A row that does not decode (a negative block, say) is left out, not an error.
pub(super) fn read_memory(conn: &Connection, key: &[u8]) -> rusqlite::Result<Memory> {
    let mut memory = Memory::enabled();
    let collection: Option<i64> = conn
        .query_row("SELECT id FROM collections WHERE root = ?1", [key], |row| {
            row.get(0)
        })
        .optional()?;
    let Some(collection) = collection else {
        return Ok(memory);
    };
    let mut statement =
        conn.prepare("SELECT post, block, fingerprint FROM positions WHERE collection = ?1")?;
    let mut rows = statement.query([collection])?;
    while let Some(row) = rows.next()? {
        let post: String = row.get(0)?;
        if let Some(spot) = spot(row.get(1)?, row.get(2)?) {
            memory.positions.insert(PostId::from(post.as_str()), spot);
        }
    }
    let mut statement = conn.prepare("SELECT post FROM read_marks WHERE collection = ?1")?;
    let mut rows = statement.query([collection])?;
    while let Some(row) = rows.next()? {
        let post: String = row.get(0)?;
        memory.read.insert(PostId::from(post.as_str()));
    }
    let mut statement = conn.prepare(
        "SELECT id, post, block, fingerprint, heading, note, created FROM bookmarks
         WHERE collection = ?1 ORDER BY created DESC, id DESC",
    )?;
    let mut rows = statement.query([collection])?;
    while let Some(row) = rows.next()? {
        let post: String = row.get(1)?;
        let Some(spot) = spot(row.get(2)?, row.get(3)?) else {
            continue;
        };
        memory.bookmarks.push(Bookmark {
            id: row.get(0)?,
            post: PostId::from(post.as_str()),
            spot,
            heading: row.get(4)?,
            note: row.get(5)?,
            created: row.get(6)?,
        });
    }
    let mut statement = conn.prepare(
        "SELECT post FROM recent_posts WHERE collection = ?1
         ORDER BY opened_ns DESC LIMIT ?2",
    )?;
    let limit = i64::try_from(RECENT_LIMIT).unwrap_or(i64::MAX);
    let recent: rusqlite::Result<VecDeque<PostId>> = statement
        .query_map(params![collection, limit], |row| {
            row.get::<_, String>(0).map(|p| PostId::from(p.as_str()))
        })?
        .collect();
    memory.recent = recent?;
    Ok(memory)
}

fn spot(block: i64, fingerprint: i64) -> Option<Spot> {
    Some(Spot {
        block: usize::try_from(block).ok()?,
        fingerprint: fingerprint as u64,
    })
}

/// The fingerprint as SQLite stores it: the same 64 bits, signed.
fn stored(fingerprint: u64) -> i64 {
    fingerprint as i64
}

fn stored_block(block: usize) -> i64 {
    i64::try_from(block).unwrap_or(i64::MAX)
}

/// Writes `writes` for the collection `key` in one transaction, taken IMMEDIATE so that
/// a second folio waits for the first (up to the busy timeout) instead of failing
/// half-way. `now_ns` stamps the posts opened.
pub(super) fn apply(
    conn: &mut Connection,
    key: &[u8],
    writes: &[Write],
    now_ns: i64,
) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let collection: i64 = tx.query_row(
        "INSERT INTO collections (root) VALUES (?1)
         ON CONFLICT (root) DO UPDATE SET root = excluded.root
         RETURNING id",
        [key],
        |row| row.get(0),
    )?;
    for write in writes {
        apply_one(&tx, collection, write, now_ns)?;
    }
    if writes.iter().any(|w| matches!(w, Write::Opened { .. })) {
        let limit = i64::try_from(RECENT_LIMIT).unwrap_or(i64::MAX);
        tx.execute(
            "DELETE FROM recent_posts WHERE collection = ?1 AND post NOT IN
             (SELECT post FROM recent_posts WHERE collection = ?1
              ORDER BY opened_ns DESC LIMIT ?2)",
            params![collection, limit],
        )?;
    }
    tx.commit()
}

fn apply_one(
    tx: &Transaction,
    collection: i64,
    write: &Write,
    now_ns: i64,
) -> rusqlite::Result<()> {
    match write {
        Write::Position { post, spot } => {
            tx.execute(
                "INSERT INTO positions (collection, post, block, fingerprint)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (collection, post) DO UPDATE
                 SET block = excluded.block, fingerprint = excluded.fingerprint",
                params![
                    collection,
                    post.as_str(),
                    stored_block(spot.block),
                    stored(spot.fingerprint)
                ],
            )?;
        }
        Write::Read { post, read: true } => {
            tx.execute(
                "INSERT OR IGNORE INTO read_marks (collection, post) VALUES (?1, ?2)",
                params![collection, post.as_str()],
            )?;
        }
        Write::Read { post, read: false } => {
            tx.execute(
                "DELETE FROM read_marks WHERE collection = ?1 AND post = ?2",
                params![collection, post.as_str()],
            )?;
        }
        Write::Opened { post } => {
            // Later than every post opened before, in this folio or another.
            tx.execute(
                "INSERT INTO recent_posts (collection, post, opened_ns)
                 VALUES (?1, ?2, max(?3, coalesce(
                     (SELECT max(opened_ns) FROM recent_posts WHERE collection = ?1), 0) + 1))
                 ON CONFLICT (collection, post) DO UPDATE SET opened_ns = excluded.opened_ns",
                params![collection, post.as_str(), now_ns],
            )?;
        }
        Write::Bookmark(bookmark) => {
            tx.execute(
                "INSERT OR REPLACE INTO bookmarks
                 (collection, id, post, block, fingerprint, heading, note, created)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    collection,
                    bookmark.id,
                    bookmark.post.as_str(),
                    stored_block(bookmark.spot.block),
                    stored(bookmark.spot.fingerprint),
                    bookmark.heading,
                    bookmark.note,
                    bookmark.created,
                ],
            )?;
        }
        Write::DeleteBookmark { id } => {
            tx.execute(
                "DELETE FROM bookmarks WHERE collection = ?1 AND id = ?2",
                params![collection, id],
            )?;
        }
        Write::Rename { from, to } if from != to => {
            // What the moved post had replaces what the new name had; what it did not
            // have leaves the new name's alone (as `Memory::rename` does).
            for table in ["positions", "read_marks", "recent_posts"] {
                tx.execute(
                    &format!(
                        "UPDATE OR REPLACE {table} SET post = ?3
                         WHERE collection = ?1 AND post = ?2"
                    ),
                    params![collection, from.as_str(), to.as_str()],
                )?;
            }
            tx.execute(
                "UPDATE bookmarks SET post = ?3 WHERE collection = ?1 AND post = ?2",
                params![collection, from.as_str(), to.as_str()],
            )?;
        }
        Write::Rename { .. } => {}
    }
    Ok(())
}
