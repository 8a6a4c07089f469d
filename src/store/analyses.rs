//! The TUI's check analyses ([`crate::check::post::Analysis`], without the text, in its
//! two [`parts`](crate::check::parts)), kept in the index cache beside the posts. The
//! reader runs `folio check`'s checks on the whole collection for its badges; that
//! reads every post's body, which on 100,000 posts was 40 seconds of work at every
//! start, and kept every analysis in memory between checks (about 120 MB) so that a
//! change read only the files it touched. Kept here instead, an analysis is read again only when its file's stamp changed, in this
//! run or since the last one, and lives in memory only while a check runs.
//!
//! A cache like the rest of the database: an analysis that does not decode, or was made
//! by a folio that analyses differently ([`ANALYSIS_FORM`]), or whose file changed too
//! close to its reading, is simply made again.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::rows::{root_key, settled};
use super::{Index, Settings, is_busy, patiently};
use crate::check::parts::{Facts, Own};
use crate::library::PostId;
use crate::library::scan::Stamp;

/// What an analysis holds and how it is written; a row of another form is made again.
/// Raise it when [`crate::check::post::Analysis`] or what
/// [`crate::check::post::analyse`] finds changes.
pub const ANALYSIS_FORM: i64 = 2;

/// Which part of the analyses to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Facts,
    Own,
}

/// A part of an analysis as it was kept, not decoded yet: the post, and the stamp its
/// file had when it was made.
pub struct Kept<'a> {
    pub id: &'a str,
    /// `None` when the analysis is not to be trusted whatever the file's stamp now: the
    /// file changed as it was read, or the analysis is of another form.
    pub stamp: Option<Stamp>,
    bytes: &'a [u8],
}

impl Kept<'_> {
    /// The facts; `None` when they do not read.
    pub fn facts(&self) -> Option<Facts> {
        Facts::from_bytes(self.bytes)
    }

    /// The own part; `None` when it does not decode.
    pub fn own(&self) -> Option<Own> {
        serde_json::from_slice(self.bytes).ok()
    }
}

/// Where the analyses are kept: the index database, or one in memory when there is no
/// cache folder (so a running folio still reads only what changed). Shared by the
/// checks that take turns with it; the database is opened by the first, beside the
/// event loop, not before the first frame.
#[derive(Clone)]
pub struct AnalysisStore(Arc<Mutex<Place>>);

enum Place {
    /// Not opened yet: the cache folder's settings.
    Closed(Settings),
    /// `None`: SQLite could not even make a database in memory.
    Open(Option<Connection>),
}

impl std::fmt::Debug for AnalysisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AnalysisStore")
    }
}

impl AnalysisStore {
    /// The index cache in `settings.dir`, opened when first used; else a database in
    /// memory. What is wrong with the cache has been said when the index was opened,
    /// so it is not said again.
    pub fn open(settings: &Settings) -> AnalysisStore {
        AnalysisStore(Arc::new(Mutex::new(Place::Closed(settings.clone()))))
    }

    /// A store that lasts as long as the process.
    pub fn in_memory() -> AnalysisStore {
        AnalysisStore(Arc::new(Mutex::new(Place::Open(Index::in_memory()))))
    }

    /// Runs `op` on the database, opening it first if need be.
    fn with<T: Default>(
        &self,
        op: impl FnMut(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, String> {
        let mut place = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Place::Closed(settings) = &*place {
            let conn = Index::open(settings, &mut Vec::new())
                .and_then(Index::into_connection)
                .inspect(|conn| {
                    // Read, not mapped: a check reads the whole table, and mapped its
                    // pages would count in the reader's memory (75 MB on 100,000
                    // posts) for as long as the connection lives.
                    let _ = conn.pragma_update(None, "mmap_size", 0);
                })
                .or_else(Index::in_memory);
            *place = Place::Open(conn);
        }
        let Place::Open(Some(conn)) = &mut *place else {
            return Ok(T::default());
        };
        let mut op = op;
        let result = patiently(super::DEFAULT_BUSY_TIMEOUT, is_busy, || op(conn));
        result.map_err(|err| {
            // Said once: the next checks of this run keep their analyses in memory.
            *place = Place::Open(Index::in_memory());
            unusable(&err)
        })
    }

    /// Hands one part of each analysis kept for the collection at `root` to `each`, as
    /// it is read: a check decodes only those whose file has not changed, and never
    /// holds them in a map beside its own list.
    pub fn load_each(
        &self,
        root: &Path,
        part: Part,
        mut each: impl FnMut(Kept<'_>),
    ) -> Result<(), String> {
        self.with(|conn| read(conn, root, part, &mut each))
    }

    /// Keeps `fresh` analyses (made from files as they were at `read_at_ns`) and
    /// forgets those of the posts `gone`.
    pub fn save(
        &self,
        root: &Path,
        read_at_ns: i64,
        fresh: &[Fresh<'_>],
        gone: &[PostId],
    ) -> Result<(), String> {
        if fresh.is_empty() && gone.is_empty() {
            return Ok(());
        }
        self.with(|conn| write(conn, root, read_at_ns, fresh, gone))
    }
}

fn unusable(err: &rusqlite::Error) -> String {
    format!(
        "the check's cache in the index is unusable ({}); kept in memory for this run",
        super::index::one_line(&err.to_string())
    )
}

fn collection(conn: &Connection, root: &Path) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT id FROM collections WHERE root = ?1",
        [root_key(root)],
        |row| row.get(0),
    )
    .optional()
}

fn read(
    conn: &Connection,
    root: &Path,
    part: Part,
    each: &mut dyn FnMut(Kept<'_>),
) -> rusqlite::Result<()> {
    let Some(collection) = collection(conn, root)? else {
        return Ok(());
    };
    let column = match part {
        Part::Facts => "facts",
        Part::Own => "own",
    };
    let mut statement = conn.prepare(&format!(
        "SELECT id, size, mtime_ns, read_at_ns, form, {column} FROM analyses
         WHERE collection = ?1"
    ))?;
    let mut rows = statement.query([collection])?;
    while let Some(row) = rows.next()? {
        let size: i64 = row.get(1)?;
        let mtime_ns: i64 = row.get(2)?;
        let read_at_ns: i64 = row.get(3)?;
        let form: i64 = row.get(4)?;
        let (Ok(id), Ok(bytes)) = (row.get_ref(0)?.as_str(), row.get_ref(5)?.as_bytes()) else {
            continue;
        };
        let stamp = match u64::try_from(size) {
            Ok(size) if settled(mtime_ns, read_at_ns) && form == ANALYSIS_FORM => {
                Some(Stamp { size, mtime_ns })
            }
            _ => None,
        };
        each(Kept { id, stamp, bytes });
    }
    Ok(())
}

/// A new analysis to keep: the post, its file's stamp when it was read, the parts.
pub type Fresh<'a> = (&'a PostId, Stamp, &'a Facts, &'a Own);

fn write(
    conn: &mut Connection,
    root: &Path,
    read_at_ns: i64,
    fresh: &[Fresh<'_>],
    gone: &[PostId],
) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // A collection the index has not written yet gets a row no index trusts (indexer
    // 0), so its first save still writes every post.
    tx.execute(
        "INSERT INTO collections (root, indexer) VALUES (?1, 0) ON CONFLICT (root) DO NOTHING",
        [root_key(root)],
    )?;
    let Some(collection) = collection(&tx, root)? else {
        return Ok(());
    };
    {
        let mut insert = tx.prepare(
            "INSERT OR REPLACE INTO analyses
             (collection, id, size, mtime_ns, read_at_ns, form, facts, own)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for (id, stamp, facts, own) in fresh {
            // The own part always serialises (string keys, no floats); should it not,
            // the empty text does not decode and the file is read again.
            insert.execute(params![
                collection,
                id.as_str(),
                i64::try_from(stamp.size).unwrap_or(i64::MAX),
                stamp.mtime_ns,
                read_at_ns,
                ANALYSIS_FORM,
                facts.as_bytes(),
                serde_json::to_string(own).unwrap_or_default(),
            ])?;
        }
        let mut delete = tx.prepare("DELETE FROM analyses WHERE collection = ?1 AND id = ?2")?;
        for id in gone {
            delete.execute(params![collection, id.as_str()])?;
        }
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::super::rows::RACY_WINDOW_NS;
    use super::*;
    use crate::check::post::{Analysis, analyse};
    use std::collections::HashMap;

    fn stamp(size: u64, mtime_ns: i64) -> Stamp {
        Stamp { size, mtime_ns }
    }

    /// The analyses that can be trusted, by post, with their stamps.
    fn load(store: &AnalysisStore, root: &Path) -> HashMap<PostId, (Stamp, Analysis)> {
        let mut facts = HashMap::new();
        store
            .load_each(root, Part::Facts, |row| {
                if let (Some(stamp), Some(part)) = (row.stamp, row.facts()) {
                    facts.insert(PostId::from_stored(row.id), (stamp, part));
                }
            })
            .expect("load");
        let mut kept = HashMap::new();
        store
            .load_each(root, Part::Own, |row| {
                let id = PostId::from_stored(row.id);
                if let (Some((stamp, facts)), Some(own)) = (facts.remove(&id), row.own()) {
                    kept.insert(id, (stamp, Analysis::from_parts(facts, own)));
                }
            })
            .expect("load");
        kept
    }

    /// An analysis in parts, as a check keeps it.
    fn parts(text: &[u8]) -> (Facts, Own) {
        analyse(text, false).into_parts()
    }

    #[test]
    fn analyses_are_kept_per_collection_and_forgotten_when_their_post_is_gone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (one, two) = (dir.path().join("one"), dir.path().join("two"));
        std::fs::create_dir_all(&one).expect("mkdir");
        std::fs::create_dir_all(&two).expect("mkdir");
        let settings = Settings {
            dir: Some(dir.path().join("cache")),
            busy_timeout: super::super::DEFAULT_BUSY_TIMEOUT,
        };
        let store = AnalysisStore::open(&settings);
        let a = parts(b"---\ntitle: A\ntags: [x]\n---\nSee [b](b.md#top).\n");
        let b = parts(b"---\ntitle: B\n---\n# Top\n");
        let (id_a, id_b) = (PostId::from_stored("a.md"), PostId::from_stored("b.md"));
        let now = 100 * RACY_WINDOW_NS;
        let fresh = [
            (&id_a, stamp(1, 5), &a.0, &a.1),
            (&id_b, stamp(2, 6), &b.0, &b.1),
        ];
        store.save(&one, now, &fresh, &[]).expect("save");
        store.save(&two, now, &fresh[..1], &[]).expect("save");

        // Another folio, later, finds them.
        let again = load(&AnalysisStore::open(&settings), &one);
        assert_eq!(again.len(), 2);
        assert_eq!(again[&id_a].0, stamp(1, 5));
        assert_eq!(again[&id_a].1.references, a.1.references);
        assert_eq!(again[&id_b].1.anchors, ["top"]);

        store
            .save(&one, now, &[], std::slice::from_ref(&id_b))
            .expect("forget");
        let left = load(&store, &one);
        assert_eq!(left.keys().collect::<Vec<_>>(), [&id_a]);
        assert_eq!(load(&store, &two).len(), 1);
    }

    #[test]
    fn a_store_that_fails_says_so_once_and_keeps_analyses_in_memory_after() {
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = Settings {
            dir: Some(dir.path().to_path_buf()),
            busy_timeout: super::super::DEFAULT_BUSY_TIMEOUT,
        };
        let store = AnalysisStore::open(&settings);
        let root = Path::new("/nowhere");
        let (facts, own) = parts(b"text\n");
        let id = PostId::from_stored("a.md");
        let fresh = [(&id, stamp(5, 0), &facts, &own)];
        store
            .save(root, RACY_WINDOW_NS * 10, &fresh, &[])
            .expect("save");
        // Something else breaks the database under it.
        Connection::open(dir.path().join(super::super::index::FILE_NAME))
            .and_then(|conn| conn.execute("DROP TABLE analyses", []))
            .expect("drop the table");
        let failed = store.load_each(root, Part::Facts, |_| {});
        assert!(
            failed
                .as_ref()
                .is_err_and(|why| why.contains("kept in memory")),
            "{failed:?}"
        );
        store
            .save(root, RACY_WINDOW_NS * 10, &fresh, &[])
            .expect("save in memory");
        assert_eq!(load(&store, root).len(), 1);
    }

    #[test]
    fn an_analysis_of_a_file_changed_as_it_was_read_is_not_trusted() {
        let store = AnalysisStore::in_memory();
        let root = Path::new("/nowhere");
        let (facts, own) = parts(b"text\n");
        let id = PostId::from_stored("a.md");
        let read_at = 10 * RACY_WINDOW_NS;
        // How many analyses are trusted after one of a file changed at `mtime_ns`.
        let kept_when_changed_at = |mtime_ns| {
            let fresh = [(&id, stamp(5, mtime_ns), &facts, &own)];
            store.save(root, read_at, &fresh, &[]).expect("save");
            load(&store, root).len()
        };
        assert_eq!(kept_when_changed_at(read_at - 1), 0);
        assert_eq!(kept_when_changed_at(read_at - 3 * RACY_WINDOW_NS), 1);
    }

    #[test]
    fn rows_of_another_form_or_that_do_not_decode_are_made_again() {
        let store = AnalysisStore::in_memory();
        let root = Path::new("/nowhere");
        let (facts, own) = parts(b"text\n");
        let (good, old, bad) = (
            PostId::from_stored("good.md"),
            PostId::from_stored("old.md"),
            PostId::from_stored("bad.md"),
        );
        let fresh = [
            (&good, stamp(1, 0), &facts, &own),
            (&old, stamp(1, 0), &facts, &own),
            (&bad, stamp(1, 0), &facts, &own),
        ];
        store
            .save(root, RACY_WINDOW_NS * 10, &fresh, &[])
            .expect("save");
        store
            .with(|conn| {
                conn.execute(
                    "UPDATE analyses SET form = form + 1 WHERE id = 'old.md'",
                    [],
                )?;
                conn.execute("UPDATE analyses SET own = '{' WHERE id = 'bad.md'", [])
            })
            .expect("update");
        let kept = load(&store, root);
        assert_eq!(kept.keys().collect::<Vec<_>>(), [&good]);
    }
}
