//! The reading memory's store (`store::state`): every kind of state survives a restart
//! (the store dropped and opened again), a rename carries it all, two writers (threads,
//! and two processes taking turns) lose nothing, and every way the database can be
//! wrong costs one warning and never a failed start: damaged or foreign files are moved
//! aside under a name that overwrites nothing, locked or newer ones are left as they
//! are, a data folder that cannot be written means no memory.

use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Duration;

use folio::library::PostId;
use folio::memory::{Bookmark, Memory, RECENT_LIMIT, Spot, Write};
use folio::store::state::{self, FILE_NAME, SCHEMA_VERSION, StateStore};
use folio::store::{DEFAULT_BUSY_TIMEOUT, Settings};

/// Short, so the lock tests do not wait long.
const LOCK_TIMEOUT: Duration = Duration::from_millis(300);

fn settings(dir: &Path, busy_timeout: Duration) -> Settings {
    Settings {
        dir: Some(dir.to_path_buf()),
        busy_timeout,
    }
}

fn open(data: &Path, root: &Path) -> StateStore {
    let mut warnings = Vec::new();
    let store = StateStore::open(&settings(data, DEFAULT_BUSY_TIMEOUT), root, &mut warnings)
        .unwrap_or_else(|| panic!("store opens: {warnings:?}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    store
}

/// A restart: a new store on the same files, loaded.
fn reload(data: &Path, root: &Path) -> Memory {
    let mut warnings = Vec::new();
    let memory = open(data, root).load(&mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(memory.enabled);
    memory
}

fn write(store: &mut StateStore, writes: &[Write]) {
    let mut warnings = Vec::new();
    store.write(writes, &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(store.unsaved(), 0);
}

fn id(text: &str) -> PostId {
    PostId::from(text)
}

fn spot(block: usize, fingerprint: u64) -> Spot {
    Spot { block, fingerprint }
}

fn bookmark(id: i64, post: &str, note: &str, created: i64) -> Bookmark {
    Bookmark {
        id,
        post: PostId::from(post),
        spot: spot(3, u64::MAX - 7),
        heading: Some("二、安装".into()),
        note: note.into(),
        created,
    }
}

fn position(post: &str, spot: Spot) -> Write {
    Write::Position {
        post: id(post),
        spot,
    }
}

fn read(post: &str, read: bool) -> Write {
    Write::Read {
        post: id(post),
        read,
    }
}

fn opened(post: &str) -> Write {
    Write::Opened { post: id(post) }
}

fn recent(memory: &Memory) -> Vec<&str> {
    memory.recent.iter().map(PostId::as_str).collect()
}

fn bookmark_ids(memory: &Memory) -> Vec<i64> {
    memory.bookmarks.iter().map(|b| b.id).collect()
}

/// A collection folder and a data folder.
fn folders() -> (tempfile::TempDir, tempfile::TempDir) {
    (
        tempfile::tempdir().expect("collection"),
        tempfile::tempdir().expect("data"),
    )
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[test]
fn every_kind_of_state_survives_a_restart() {
    let (root, data) = folders();
    let (root, data) = (root.path(), data.path());
    let mut store = open(data, root);
    assert_eq!(store.path(), data.join(FILE_NAME));
    let mut warnings = Vec::new();
    let fresh = store.load(&mut warnings);
    assert!(fresh.enabled && fresh.positions.is_empty() && fresh.recent.is_empty());
    write(
        &mut store,
        &[
            position("a.md", spot(7, 0x1234)),
            position("b/中文.md", spot(0, u64::MAX)),
            read("a.md", true),
            read("b/中文.md", true),
            Write::Bookmark(bookmark(10, "a.md", "first", 1_000)),
            Write::Bookmark(bookmark(11, "b/中文.md", "", 2_000)),
            opened("a.md"),
            opened("b/中文.md"),
        ],
    );
    drop(store);

    let memory = reload(data, root);
    assert_eq!(memory.positions.get(&id("a.md")), Some(&spot(7, 0x1234)));
    assert_eq!(
        memory.positions.get(&id("b/中文.md")),
        Some(&spot(0, u64::MAX)),
        "all 64 bits of a fingerprint survive"
    );
    assert!(memory.is_read(&id("a.md")) && memory.is_read(&id("b/中文.md")));
    assert_eq!(bookmark_ids(&memory), [11, 10], "newest first");
    assert_eq!(memory.bookmarks[1], bookmark(10, "a.md", "first", 1_000));
    assert_eq!(recent(&memory), ["b/中文.md", "a.md"], "most recent first");
    assert!(memory.pending.is_empty());

    // Changes of every kind, in a later run.
    let mut store = open(data, root);
    write(
        &mut store,
        &[
            position("a.md", spot(9, 0x5678)),
            read("a.md", false),
            Write::DeleteBookmark { id: 11 },
            Write::Bookmark(bookmark(10, "a.md", "edited", 1_000)),
            opened("a.md"),
        ],
    );
    drop(store);
    let memory = reload(data, root);
    assert_eq!(memory.positions.get(&id("a.md")), Some(&spot(9, 0x5678)));
    assert!(!memory.is_read(&id("a.md")) && memory.is_read(&id("b/中文.md")));
    assert_eq!(bookmark_ids(&memory), [10]);
    assert_eq!(memory.bookmarks[0].note, "edited", "replaced by its id");
    assert_eq!(
        recent(&memory),
        ["a.md", "b/中文.md"],
        "opened again: first"
    );
}

#[test]
fn recent_keeps_the_last_fifty_in_order_whatever_the_batches() {
    let (root, data) = folders();
    let mut store = open(data.path(), root.path());
    // One batch of many, then one at a time: the order is the order of opening.
    let first: Vec<Write> = (0..40).map(|n| opened(&format!("p{n}.md"))).collect();
    write(&mut store, &first);
    for n in 40..60 {
        write(&mut store, &[opened(&format!("p{n}.md"))]);
    }
    write(&mut store, &[opened("p45.md")]);
    drop(store);
    let memory = reload(data.path(), root.path());
    assert_eq!(memory.recent.len(), RECENT_LIMIT);
    let mut expected: Vec<String> = (10..60).rev().map(|n| format!("p{n}.md")).collect();
    expected.retain(|p| p != "p45.md");
    expected.insert(0, "p45.md".into());
    assert_eq!(recent(&memory), expected);
    // Trimmed on disk too, not only when loading.
    let conn = rusqlite::Connection::open(data.path().join(FILE_NAME)).expect("db");
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM recent_posts", [], |r| r.get(0))
        .expect("count");
    assert_eq!(rows, RECENT_LIMIT as i64);
}

#[test]
fn collections_are_kept_apart_and_two_spellings_of_a_root_share_one() {
    let (root, data) = folders();
    let other = tempfile::tempdir().expect("other collection");
    let mut store = open(data.path(), root.path());
    write(&mut store, &[read("a.md", true)]);
    let mut warnings = Vec::new();
    let mut bundled =
        StateStore::open_bundled(&settings(data.path(), DEFAULT_BUSY_TIMEOUT), &mut warnings)
            .expect("bundled");
    write(&mut bundled, &[read("b.md", true)]);
    drop((store, bundled));
    assert!(reload(data.path(), other.path()).read.is_empty());
    let spelled = root.path().join(".").join("..").join(
        root.path()
            .file_name()
            .expect("a temporary folder has a name"),
    );
    let memory = reload(data.path(), &spelled);
    assert!(memory.is_read(&id("a.md")) && !memory.is_read(&id("b.md")));
    let (memory, store) = state::start(
        &settings(data.path(), DEFAULT_BUSY_TIMEOUT),
        None,
        &mut warnings,
    );
    assert!(store.is_some() && warnings.is_empty(), "{warnings:?}");
    assert!(memory.is_read(&id("b.md")) && !memory.is_read(&id("a.md")));
}

#[test]
fn a_rename_carries_everything_and_replaces_only_what_the_post_had() {
    let (root, data) = folders();
    let mut store = open(data.path(), root.path());
    write(
        &mut store,
        &[
            position("old.md", spot(4, 44)),
            read("old.md", true),
            Write::Bookmark(bookmark(1, "old.md", "one", 1)),
            Write::Bookmark(bookmark(2, "old.md", "two", 2)),
            opened("old.md"),
            opened("other.md"),
            // State of the new name from before (a post deleted there long ago): what
            // the moved post has wins; its read mark, which the moved post lacks, too.
            position("new.md", spot(1, 11)),
            Write::Bookmark(bookmark(3, "new.md", "three", 3)),
        ],
    );
    write(
        &mut store,
        &[Write::Rename {
            from: id("old.md"),
            to: id("new.md"),
        }],
    );
    drop(store);
    let memory = reload(data.path(), root.path());
    assert_eq!(memory.positions.get(&id("new.md")), Some(&spot(4, 44)));
    assert!(!memory.positions.contains_key(&id("old.md")));
    assert!(memory.is_read(&id("new.md")) && !memory.is_read(&id("old.md")));
    assert!(memory.bookmarks.iter().all(|b| b.post == id("new.md")));
    assert_eq!(bookmark_ids(&memory), [3, 2, 1]);
    assert_eq!(recent(&memory), ["other.md", "new.md"]);
}

/// What every damaged database must come to: one warning naming the file and where it
/// went, empty memory that works, and the damaged bytes kept, not deleted.
fn assert_moved_aside(data: &Path, root: &Path, needle: &str, bad_name: &str) {
    let db = data.join(FILE_NAME);
    let before = std::fs::read(&db).expect("the damaged file");
    let mut warnings = Vec::new();
    let mut store = StateStore::open(&settings(data, LOCK_TIMEOUT), root, &mut warnings)
        .expect("starts afresh");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let bad = data.join(bad_name);
    assert!(
        warnings[0].contains(needle)
            && warnings[0].contains(&format!("moved to {}", bad.display()))
            && warnings[0].ends_with("starting afresh"),
        "{warnings:?}"
    );
    let kept = std::fs::read(&bad).expect("moved aside");
    assert!(kept == before, "the damaged bytes are kept as they were");
    let memory = store.load(&mut warnings);
    assert!(memory.enabled && memory.read.is_empty() && warnings.len() == 1);
    write(&mut store, &[read("a.md", true)]);
    drop(store);
    assert!(reload(data, root).is_read(&id("a.md")));
}

fn garbage() -> Vec<u8> {
    (0..20_000u32).map(|i| (i * 7919 % 251) as u8).collect()
}

#[test]
fn a_file_of_garbage_is_moved_aside() {
    let (root, data) = folders();
    std::fs::write(data.path().join(FILE_NAME), garbage()).expect("garbage");
    assert_moved_aside(
        data.path(),
        root.path(),
        "is not a database",
        "state.sqlite.bad",
    );
}

#[test]
fn a_truncated_file_is_moved_aside() {
    let (root, data) = folders();
    let mut store = open(data.path(), root.path());
    // Enough rows that the database spans many pages.
    let many: Vec<Write> = (0..400)
        .map(|n| Write::Bookmark(bookmark(n, "a.md", &"note ".repeat(60), n)))
        .collect();
    write(&mut store, &many);
    drop(store);
    let db = data.path().join(FILE_NAME);
    assert!(!sibling(&db, "-wal").exists(), "checkpointed on close");
    let len = std::fs::metadata(&db).expect("db").len();
    assert!(len > 64 * 1024, "{len}");
    let file = std::fs::File::options()
        .write(true)
        .open(&db)
        .expect("open");
    file.set_len(len / 3).expect("truncate");
    drop(file);
    assert_moved_aside(data.path(), root.path(), "is damaged", "state.sqlite.bad");
}

#[test]
fn another_programs_database_is_moved_aside_not_used() {
    let (root, data) = folders();
    let conn = rusqlite::Connection::open(data.path().join(FILE_NAME)).expect("db");
    conn.execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine');")
        .expect("someone's table");
    drop(conn);
    assert_moved_aside(
        data.path(),
        root.path(),
        "is not folio's reading memory",
        "state.sqlite.bad",
    );
}

#[test]
fn copies_moved_aside_before_are_never_overwritten() {
    let (root, data) = folders();
    let db = data.path().join(FILE_NAME);
    std::fs::write(sibling(&db, ".bad"), "first").expect("an old copy");
    std::fs::write(sibling(&db, ".bad.1"), "second").expect("another");
    // A journal left of a copy whose database is gone still holds its name.
    std::fs::write(sibling(&db, ".bad.2-wal"), "third's journal").expect("journal");
    std::fs::write(&db, garbage()).expect("garbage");
    assert_moved_aside(
        data.path(),
        root.path(),
        "is not a database",
        "state.sqlite.bad.3",
    );
    let text = |suffix: &str| std::fs::read_to_string(sibling(&db, suffix)).expect("kept");
    assert_eq!(text(".bad"), "first");
    assert_eq!(text(".bad.1"), "second");
    assert_eq!(text(".bad.2-wal"), "third's journal");
}

#[test]
fn a_newer_folios_database_is_left_alone() {
    let (root, data) = folders();
    let db = data.path().join(FILE_NAME);
    let conn = rusqlite::Connection::open(&db).expect("db");
    conn.execute_batch("CREATE TABLE future (x);")
        .expect("table");
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .expect("version");
    drop(conn);
    let before = std::fs::read(&db).expect("db");
    let mut warnings = Vec::new();
    let (memory, store) = state::start(
        &settings(data.path(), LOCK_TIMEOUT),
        Some(root.path()),
        &mut warnings,
    );
    assert!(store.is_none() && !memory.enabled);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("newer folio's")
            && warnings[0].ends_with("running without it this time"),
        "{warnings:?}"
    );
    assert!(std::fs::read(&db).expect("db") == before, "untouched");
    assert!(!sibling(&db, ".bad").exists());
}

#[test]
fn a_database_locked_past_the_timeout_is_left_alone_for_this_run() {
    let (root, data) = folders();
    let mut store = open(data.path(), root.path());
    write(&mut store, &[read("a.md", true)]);
    drop(store);
    let db = data.path().join(FILE_NAME);
    // Another process's connection in exclusive locking mode keeps even readers out.
    let holder = rusqlite::Connection::open(&db).expect("db");
    holder
        .execute_batch(
            "PRAGMA locking_mode = EXCLUSIVE; BEGIN; DELETE FROM read_marks WHERE post = 'zzz'; COMMIT;",
        )
        .expect("lock");
    let mut warnings = Vec::new();
    let (memory, store) = state::start(
        &settings(data.path(), LOCK_TIMEOUT),
        Some(root.path()),
        &mut warnings,
    );
    assert!(store.is_none() && !memory.enabled);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("locked by another process for over 300 ms")
            && warnings[0].ends_with("running without it this time"),
        "{warnings:?}"
    );
    assert!(
        !sibling(&db, ".bad").exists(),
        "a locked file is not damaged"
    );
    drop(holder);
    assert!(reload(data.path(), root.path()).is_read(&id("a.md")));
}

#[test]
fn changes_wait_for_a_writer_that_holds_the_lock_and_are_saved_after() {
    let (root, data) = folders();
    let mut warnings = Vec::new();
    let mut store = StateStore::open(
        &settings(data.path(), LOCK_TIMEOUT),
        root.path(),
        &mut warnings,
    )
    .expect("store");
    let holder = rusqlite::Connection::open(data.path().join(FILE_NAME)).expect("db");
    holder
        .execute_batch("BEGIN IMMEDIATE; DELETE FROM read_marks WHERE post = 'zzz';")
        .expect("write lock");
    store.write(&[read("a.md", true)], &mut warnings);
    store.write(&[position("a.md", spot(2, 2))], &mut warnings);
    assert_eq!(warnings.len(), 1, "said once: {warnings:?}");
    assert!(
        warnings[0].contains("locked by another process")
            && warnings[0].ends_with("not saved yet, will try again"),
        "{warnings:?}"
    );
    assert_eq!(store.unsaved(), 2);
    holder.execute_batch("COMMIT").expect("release");
    store.write(&[], &mut warnings);
    assert_eq!(store.unsaved(), 0);
    assert_eq!(warnings.len(), 1);
    drop(store);
    let memory = reload(data.path(), root.path());
    assert!(memory.is_read(&id("a.md")));
    assert_eq!(memory.positions.get(&id("a.md")), Some(&spot(2, 2)));
}

#[test]
fn a_data_folder_that_cannot_be_written_means_no_memory_said_once() {
    let (root, scratch) = folders();
    let data = scratch.path().join("data");
    std::fs::create_dir(&data).expect("data folder");
    let blocker = scratch.path().join("a file");
    let data = if cannot_write_after_chmod(&data) {
        data
    } else {
        // Root (as in this project's containers) writes whatever the modes say: a
        // folder that cannot be made under a regular file is as unusable for root.
        std::fs::write(&blocker, "").expect("file");
        blocker.join("folio")
    };
    let mut warnings = Vec::new();
    let (memory, store) = state::start(
        &settings(&data, LOCK_TIMEOUT),
        Some(root.path()),
        &mut warnings,
    );
    assert!(store.is_none() && !memory.enabled);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains(&data.display().to_string())
            && warnings[0].contains("running without it"),
        "{warnings:?}"
    );
    assert!(!data.join(FILE_NAME).exists());
    restore_modes(&scratch.path().join("data"));
}

/// Makes `dir` read-only; whether that stops this process writing into it.
#[cfg(unix)]
fn cannot_write_after_chmod(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let probe = dir.join("probe");
    let written = std::fs::write(&probe, "").is_ok();
    if written {
        std::fs::remove_file(&probe).expect("remove the probe");
    }
    !written
}

#[cfg(not(unix))]
fn cannot_write_after_chmod(_dir: &Path) -> bool {
    false
}

fn restore_modes(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[test]
fn peeking_makes_no_database_and_no_folder_means_no_memory() {
    let (root, data) = folders();
    let mut warnings = Vec::new();
    let memory = state::peek(
        &settings(data.path(), LOCK_TIMEOUT),
        Some(root.path()),
        &mut warnings,
    );
    assert!(memory.enabled && memory.read.is_empty() && warnings.is_empty());
    assert!(!data.path().join(FILE_NAME).exists());
    let unknown = Settings {
        dir: None,
        busy_timeout: LOCK_TIMEOUT,
    };
    let (memory, store) = state::start(&unknown, Some(root.path()), &mut warnings);
    assert!(store.is_none() && !memory.enabled);
    assert_eq!(
        warnings,
        ["no data folder known; running without reading memory"]
    );
}

#[test]
fn two_stores_writing_at_once_lose_nothing() {
    let (root, data) = folders();
    // Each writer its own store and connection, as two folios have; each writes only
    // what it changed, many small transactions, at the same time as the other.
    let writers: Vec<_> = ["x", "y"]
        .into_iter()
        .map(|name| {
            let (data, root) = (data.path().to_path_buf(), root.path().to_path_buf());
            std::thread::spawn(move || {
                let mut store = open(&data, &root);
                for n in 0..60_usize {
                    let post = format!("{name}{n}.md");
                    write(
                        &mut store,
                        &[
                            position(&post, spot(n, n as u64)),
                            read(&post, true),
                            opened(&post),
                        ],
                    );
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().expect("writer");
    }
    let memory = reload(data.path(), root.path());
    for name in ["x", "y"] {
        for n in 0..60_usize {
            let post = id(&format!("{name}{n}.md"));
            assert_eq!(memory.positions.get(&post), Some(&spot(n, n as u64)));
            assert!(memory.is_read(&post), "{post}");
        }
    }
    assert_eq!(memory.recent.len(), RECENT_LIMIT);
}

/// Two folio processes on one collection, each with its own store opened at its start
/// (so each has a stale picture of the other's changes), taking turns: every change
/// of both is there at the end, and each one's latest write of a shared row wins.
#[test]
fn two_processes_taking_turns_lose_no_update() {
    let (root, data) = folders();
    let mut a = Writer::spawn(data.path(), root.path());
    let mut b = Writer::spawn(data.path(), root.path());
    let script: [(bool, &str); 12] = [
        (true, "position a1.md 5 55"),
        (false, "position b1.md 6 66"),
        (true, "read a1.md"),
        (false, "read b1.md"),
        (true, "bookmark 1 a1.md from-a"),
        (false, "bookmark 2 b1.md from-b"),
        (true, "opened a1.md"),
        (false, "opened b1.md"),
        // A row the other process wrote: changed, and removed.
        (true, "position b1.md 7 77"),
        (false, "delete 1"),
        (true, "opened shared.md"),
        (false, "unread a1.md"),
    ];
    for (first, line) in script {
        let writer = if first { &mut a } else { &mut b };
        writer.send(line);
    }
    a.finish();
    b.finish();
    let memory = reload(data.path(), root.path());
    assert_eq!(memory.positions.get(&id("a1.md")), Some(&spot(5, 55)));
    assert_eq!(memory.positions.get(&id("b1.md")), Some(&spot(7, 77)));
    assert!(!memory.is_read(&id("a1.md")) && memory.is_read(&id("b1.md")));
    assert_eq!(bookmark_ids(&memory), [2]);
    assert_eq!(memory.bookmarks[0].note, "from-b");
    assert_eq!(recent(&memory), ["shared.md", "b1.md", "a1.md"]);
}

/// A child process running [`helper_state_writer_process`]: one store, one line of
/// changes at a time, answering when each is written.
struct Writer {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

const WRITER_DATA: &str = "FOLIO_TEST_STATE_WRITER_DATA";
const WRITER_ROOT: &str = "FOLIO_TEST_STATE_WRITER_ROOT";
const WRITTEN: &str = "state-writer: written";

impl Writer {
    fn spawn(data: &Path, root: &Path) -> Writer {
        let mut child = Command::new(std::env::current_exe().expect("this test binary"))
            .args([
                "--ignored",
                "--exact",
                "helper_state_writer_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(WRITER_DATA, data)
            .env(WRITER_ROOT, root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn a writer");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Writer {
            child,
            stdin,
            stdout,
        }
    }

    /// Sends one line of changes and waits until the writer has committed it.
    fn send(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").expect("to the writer");
        self.stdin.flush().expect("flush");
        let mut answer = String::new();
        loop {
            answer.clear();
            let n = self.stdout.read_line(&mut answer).expect("from the writer");
            assert!(n > 0, "the writer ended before answering {line:?}");
            // The test harness may have begun the line ("test helper… ... ").
            if let Some(at) = answer.find(WRITTEN) {
                let warnings = answer[at + WRITTEN.len()..].trim_end();
                assert_eq!(warnings, "", "the writer's warnings for {line:?}");
                return;
            }
        }
    }

    fn finish(mut self) {
        drop(self.stdin);
        let status = self.child.wait().expect("the writer ends");
        assert!(status.success(), "{status}");
        drop(self.stdout);
    }
}

/// Not a test: the writer process of [`two_processes_taking_turns_lose_no_update`],
/// which runs this test binary again for just this function. Run by hand (without its
/// variables) it does nothing.
#[test]
#[ignore = "a helper process for two_processes_taking_turns_lose_no_update"]
fn helper_state_writer_process() {
    let (Some(data), Some(root)) = (std::env::var_os(WRITER_DATA), std::env::var_os(WRITER_ROOT))
    else {
        return;
    };
    let mut store = open(Path::new(&data), Path::new(&root));
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let line = line.expect("a line");
        let words: Vec<&str> = line.split(' ').collect();
        let number = |i: usize| words[i].parse::<i64>().expect("a number");
        let change = match words[0] {
            "position" => position(words[1], spot(number(2) as usize, number(3) as u64)),
            "read" => read(words[1], true),
            "unread" => read(words[1], false),
            "opened" => opened(words[1]),
            "bookmark" => Write::Bookmark(bookmark(number(1), words[2], words[3], number(1))),
            "delete" => Write::DeleteBookmark { id: number(1) },
            other => panic!("unknown change {other:?}"),
        };
        let mut warnings = Vec::new();
        store.write(&[change], &mut warnings);
        println!("{WRITTEN}{}", warnings.join("; "));
    }
}
