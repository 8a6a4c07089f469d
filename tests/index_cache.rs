//! The persisted index cache as `folio list` uses it: a second run reads only what
//! changed and still prints the collection exactly as it is on disk, the database
//! follows the disk, and every way the database can be wrong (garbage, cut short, an
//! older or newer format, locked by another process, a cache folder that cannot be
//! written) costs one warning and never the listing. Runs in process, with the cache in
//! a temporary folder and a short busy timeout; the CLI's `--rescan` and two folios at
//! once run the real binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use folio::cli::ListArgs;
use folio::commands::{self, IndexUse};
use folio::config::Config;
use folio::library::PostId;
use folio::store::{self, Settings, index};

mod common;
use common::{folio, run, write_file as write};

/// Long enough for a loaded machine to finish a save; short enough for the lock test.
const TEST_BUSY_TIMEOUT: Duration = Duration::from_millis(300);

fn index_use(cache: &Path, rescan: bool) -> IndexUse {
    IndexUse {
        settings: Settings {
            dir: Some(cache.to_path_buf()),
            busy_timeout: TEST_BUSY_TIMEOUT,
        },
        rescan,
    }
}

/// `folio list ROOT` in process: what it prints, and its warnings (one per line).
fn list(root: &Path, cache: &Path, rescan: bool) -> (String, Vec<String>) {
    let args = ListArgs {
        dir: Some(root.to_path_buf()),
        tags: Vec::new(),
        search: None,
        full_text: false,
        unread: false,
        json: false,
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    commands::list::run(
        &args,
        &Config::default(),
        &index_use(cache, rescan),
        &commands::MemoryUse::off(),
        &mut out,
        &mut err,
    )
    .expect("list");
    let err = String::from_utf8(err).expect("utf-8 warnings");
    (
        String::from_utf8(out).expect("utf-8 listing"),
        err.lines().map(str::to_owned).collect(),
    )
}

/// The listing as a folio with no cache at all prints it: every file read.
fn fresh_listing(root: &Path) -> String {
    let cache = tempfile::tempdir().expect("cache");
    let (out, warnings) = list(root, cache.path(), false);
    assert!(warnings.is_empty(), "{warnings:?}");
    out
}

/// The entries the database holds, by post: title and size (`None`: read again).
fn db_entries(cache: &Path) -> BTreeMap<String, (String, Option<i64>)> {
    let conn = rusqlite::Connection::open(cache.join(index::FILE_NAME)).expect("open db");
    let mut statement = conn
        .prepare("SELECT id, title, size FROM posts")
        .expect("query");
    statement
        .query_map([], |row| Ok((row.get(0)?, (row.get(1)?, row.get(2)?))))
        .expect("rows")
        .map(|row| row.expect("row"))
        .collect()
}

/// The posts on disk, by the id the library gives them, with their titles.
fn disk_titles(root: &Path) -> BTreeMap<String, String> {
    folio::library::Library::scan(root)
        .expect("scan")
        .posts()
        .iter()
        .map(|p| (p.id.to_string(), p.title.to_string()))
        .collect()
}

fn titles_only(entries: BTreeMap<String, (String, Option<i64>)>) -> BTreeMap<String, String> {
    entries
        .into_iter()
        .map(|(id, (title, _))| (id, title))
        .collect()
}

/// Sets a file's modification time: tests choose stamps instead of racing the clock.
fn set_mtime(path: &Path, time: SystemTime) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open to set mtime");
    file.set_modified(time).expect("set mtime");
}

fn an_hour_ago() -> SystemTime {
    SystemTime::now() - Duration::from_secs(3600)
}

fn post(title: &str, date: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\ntags: [t]\n---\n\nBody of {title}.\n")
}

/// Three posts, their files dated an hour ago (old enough to be trusted by stamp).
fn collection() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("posts");
    for (rel, title, date) in [
        ("a.md", "Alpha", "2024-01-03"),
        ("b.md", "Beta", "2024-01-02"),
        ("c.md", "Gamma", "2024-01-01"),
    ] {
        let path = write(dir.path(), rel, post(title, date));
        set_mtime(&path, an_hour_ago());
    }
    dir
}

fn assert_one_warning(warnings: &[String], needle: &str) {
    assert_eq!(warnings.len(), 1, "one warning: {warnings:?}");
    assert!(
        warnings[0].starts_with("folio: warning: index cache") && warnings[0].contains(needle),
        "{warnings:?} should mention {needle:?}"
    );
}

#[test]
fn a_second_run_follows_edits_additions_removals_and_renames() {
    let posts = collection();
    let cache = tempfile::tempdir().expect("cache");
    let root = posts.path();
    let (first, warnings) = list(root, cache.path(), false);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(first, fresh_listing(root));
    assert_eq!(titles_only(db_entries(cache.path())), disk_titles(root));

    let edited = write(root, "a.md", post("Alpha, edited", "2024-01-03"));
    set_mtime(&edited, an_hour_ago() + Duration::from_secs(60));
    write(root, "d.md", post("Delta", "2024-01-04"));
    std::fs::remove_file(root.join("b.md")).expect("remove");
    std::fs::create_dir(root.join("moved")).expect("folder");
    std::fs::rename(root.join("c.md"), root.join("moved/c.md")).expect("rename");

    let settings = index_use(cache.path(), false).settings;
    let (scanned, warnings) = store::scan_collection(root, &settings, false).expect("scan");
    assert!(warnings.is_empty(), "{warnings:?}");
    let changes = &scanned.changes;
    assert_eq!(changes.added, [PostId::from("d.md")]);
    assert_eq!(changes.changed, [PostId::from("a.md")]);
    assert_eq!(changes.removed, [PostId::from("b.md")]);
    assert_eq!(
        changes.renamed,
        [(PostId::from("c.md"), PostId::from("moved/c.md"))]
    );
    // Only the three files that are new or changed were read.
    let mut read = scanned.read.clone();
    read.sort();
    assert_eq!(read, ["a.md", "d.md", "moved/c.md"].map(PostId::from));

    let (second, warnings) = list(root, cache.path(), false);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(second, fresh_listing(root));
    assert!(
        second.contains("Alpha, edited") && !second.contains("Beta"),
        "{second}"
    );
    assert_eq!(titles_only(db_entries(cache.path())), disk_titles(root));
}

#[test]
fn an_unchanged_stamp_is_trusted_and_a_new_mtime_is_read_again() {
    let posts = collection();
    let cache = tempfile::tempdir().expect("cache");
    let root = posts.path();
    list(root, cache.path(), false);
    let path = root.join("a.md");
    let stamp = std::fs::metadata(&path)
        .expect("stat")
        .modified()
        .expect("mtime");

    // The same size and the same mtime: the cache's word is taken (the file is not
    // read), which is what makes a warm start fast.
    let same_size = post("Alpha", "2024-01-03").replace("Alpha", "Omega");
    std::fs::write(&path, &same_size).expect("write");
    set_mtime(&path, stamp);
    assert!(list(root, cache.path(), false).0.contains("Alpha"));

    // The same size with a new mtime is read again.
    set_mtime(&path, stamp + Duration::from_secs(1));
    let (out, warnings) = list(root, cache.path(), false);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(out.contains("Omega") && !out.contains("Alpha"), "{out}");
    assert_eq!(out, fresh_listing(root));
}

#[test]
fn a_file_changed_as_it_was_read_is_read_again_next_time() {
    let posts = collection();
    let cache = tempfile::tempdir().expect("cache");
    let root = posts.path();
    // Stamped now: within the window where a change could leave the stamp as it was.
    let path = write(root, "a.md", post("Alpha", "2024-01-03"));
    list(root, cache.path(), false);
    let stamp = std::fs::metadata(&path)
        .expect("stat")
        .modified()
        .expect("mtime");
    std::fs::write(&path, post("Alpha", "2024-01-03").replace("Alpha", "Omega")).expect("write");
    set_mtime(&path, stamp);
    let (out, _) = list(root, cache.path(), false);
    assert!(out.contains("Omega"), "{out}");
}

#[test]
fn rescan_reads_everything_and_rewrites_the_cache() {
    let posts = collection();
    let cache = tempfile::tempdir().expect("cache");
    let root = posts.path();
    let cli_list = |extra: &[&str]| {
        let mut cmd = folio();
        cmd.env("FOLIO_CACHE_DIR", cache.path());
        cmd.args(extra).arg(root);
        let (out, err, code) = run(&mut cmd);
        assert_eq!((code, err.as_str()), (0, ""), "{extra:?}");
        out
    };
    assert!(cli_list(&["list"]).contains("Alpha"));
    // Changed behind the cache's back: same size, same mtime.
    let path = root.join("a.md");
    let stamp = std::fs::metadata(&path)
        .expect("stat")
        .modified()
        .expect("mtime");
    std::fs::write(&path, post("Alpha", "2024-01-03").replace("Alpha", "Omega")).expect("write");
    set_mtime(&path, stamp);
    assert!(cli_list(&["list"]).contains("Alpha"), "the cache is used");
    // `--rescan` is global: before or after the command.
    assert!(cli_list(&["list", "--rescan"]).contains("Omega"));
    assert!(cli_list(&["--rescan", "tags"]).contains("t"));
    // And the cache now holds what the rescan read.
    assert!(cli_list(&["list"]).contains("Omega"));
    let entries = db_entries(cache.path());
    assert_eq!(entries["a.md"].0, "Omega");
}

/// What every broken database must come to: one warning naming it, the listing as on
/// disk, a database that agrees, and a quiet run after.
fn assert_recovers(posts: &Path, cache: &Path, needle: &str) {
    let (out, warnings) = list(posts, cache, false);
    assert_one_warning(&warnings, needle);
    assert!(warnings[0].ends_with("rebuilt"), "{warnings:?}");
    assert_eq!(out, fresh_listing(posts));
    assert_eq!(titles_only(db_entries(cache)), disk_titles(posts));
    let (again, warnings) = list(posts, cache, false);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(again, out);
}

#[test]
fn a_database_of_garbage_is_rebuilt() {
    let posts = collection();
    let cache = tempfile::tempdir().expect("cache");
    let garbage: Vec<u8> = (0..20_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(cache.path().join(index::FILE_NAME), garbage).expect("garbage");
    assert_recovers(posts.path(), cache.path(), "not a database");
}

#[test]
fn a_truncated_database_is_rebuilt() {
    let posts = collection();
    // Enough posts that the database spans many pages.
    for i in 0..300 {
        write(
            posts.path(),
            &format!("more/{i}.md"),
            post(&format!("P{i}"), "2023-05-05"),
        );
    }
    let cache = tempfile::tempdir().expect("cache");
    list(posts.path(), cache.path(), false);
    let db = cache.path().join(index::FILE_NAME);
    let len = std::fs::metadata(&db).expect("db").len();
    assert!(len > 16 * 1024, "{len}");
    let file = std::fs::File::options()
        .write(true)
        .open(&db)
        .expect("open");
    file.set_len(len / 3).expect("truncate");
    drop(file);
    assert_recovers(posts.path(), cache.path(), "damaged");
}

#[test]
fn an_older_format_is_rebuilt() {
    let posts = collection();
    let cache = tempfile::tempdir().expect("cache");
    let conn = rusqlite::Connection::open(cache.path().join(index::FILE_NAME)).expect("db");
    conn.execute_batch("CREATE TABLE posts (path TEXT PRIMARY KEY, title TEXT);")
        .expect("old table");
    conn.pragma_update(None, "user_version", index::SCHEMA_VERSION - 1)
        .expect("version");
    drop(conn);
    assert_recovers(posts.path(), cache.path(), "older format");
}

#[test]
fn a_newer_format_is_left_alone() {
    let posts = collection();
    let cache = tempfile::tempdir().expect("cache");
    let db = cache.path().join(index::FILE_NAME);
    let conn = rusqlite::Connection::open(&db).expect("db");
    conn.pragma_update(None, "user_version", index::SCHEMA_VERSION + 1)
        .expect("version");
    drop(conn);
    let (out, warnings) = list(posts.path(), cache.path(), false);
    assert_one_warning(&warnings, "newer");
    assert!(warnings[0].ends_with("running without it"), "{warnings:?}");
    assert_eq!(out, fresh_listing(posts.path()));
    let conn = rusqlite::Connection::open(&db).expect("db");
    let version: i32 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .expect("version");
    assert_eq!(version, index::SCHEMA_VERSION + 1);
}

#[test]
fn a_database_locked_past_the_timeout_is_rebuilt() {
    let posts = collection();
    let cache = tempfile::tempdir().expect("cache");
    let root = posts.path();
    list(root, cache.path(), false);
    // Another process's connection holds the write lock and does not let go.
    let holder = rusqlite::Connection::open(cache.path().join(index::FILE_NAME)).expect("db");
    holder
        .execute_batch("BEGIN EXCLUSIVE; DELETE FROM posts WHERE id = 'zzz';")
        .expect("lock");
    // Something to save, so the run needs the lock.
    write(root, "d.md", post("Delta", "2024-01-04"));
    assert_recovers(
        root,
        cache.path(),
        "locked by another process for over 300 ms",
    );
    holder.execute_batch("ROLLBACK").expect("release");
}

#[test]
fn a_database_no_one_else_may_read_is_rebuilt() {
    let posts = collection();
    let cache = tempfile::tempdir().expect("cache");
    list(posts.path(), cache.path(), false);
    // Exclusive locking mode keeps even readers out once it has written.
    let holder = rusqlite::Connection::open(cache.path().join(index::FILE_NAME)).expect("db");
    holder
        .execute_batch(
            "PRAGMA locking_mode = EXCLUSIVE; BEGIN; DELETE FROM posts WHERE id = 'zzz'; COMMIT;",
        )
        .expect("lock");
    assert_recovers(posts.path(), cache.path(), "locked by another process");
    drop(holder);
}

#[test]
fn a_cache_folder_that_cannot_be_written_means_no_cache() {
    let posts = collection();
    let blocker = tempfile::NamedTempFile::new().expect("file");
    // A folder cannot be made under a file (this holds for root too, unlike modes).
    let cache = blocker.path().join("folio");
    let (out, warnings) = list(posts.path(), &cache, false);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("folio: warning: cannot keep an index cache in")
            && warnings[0].ends_with("running without it"),
        "{warnings:?}"
    );
    assert_eq!(out, fresh_listing(posts.path()));
}

#[test]
fn two_folios_at_once_work_side_by_side() {
    let posts = collection();
    for i in 0..200 {
        write(
            posts.path(),
            &format!("many/{i}.md"),
            post(&format!("M{i}"), "2022-02-02"),
        );
    }
    let cache = tempfile::tempdir().expect("cache");
    let root = posts.path();
    for round in 0..3 {
        let expected = fresh_listing(root);
        let children: Vec<_> = (0..3)
            .map(|_| {
                folio()
                    .env("FOLIO_CACHE_DIR", cache.path())
                    .arg("list")
                    .arg(root)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("spawn folio")
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().expect("folio ran");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                output.status.success() && stderr.is_empty(),
                "round {round}: {stderr}"
            );
            assert_eq!(
                String::from_utf8_lossy(&output.stdout),
                expected,
                "round {round}"
            );
        }
        assert_eq!(titles_only(db_entries(cache.path())), disk_titles(root));
        write(
            root,
            &format!("round-{round}.md"),
            post(&format!("R{round}"), "2021-01-01"),
        );
        std::fs::remove_file(root.join(format!("many/{round}.md"))).expect("remove");
    }
}

#[test]
fn the_first_frame_comes_from_the_cache_alone() {
    let posts = collection();
    let cache = tempfile::tempdir().expect("cache");
    let root = posts.path();
    list(root, cache.path(), false);
    let settings = index_use(cache.path(), false).settings;
    let mut warnings = Vec::new();
    let mut index = store::Index::open(&settings, &mut warnings).expect("index");
    let mut cached = index.load(root, &mut warnings);
    // The posts go away; the cached library still shows them, as they were.
    std::fs::remove_file(root.join("a.md")).expect("remove");
    let library = folio::library::Library::from_cached(root.to_path_buf(), &mut cached);
    let titles: Vec<&str> = library.posts().iter().map(|p| &*p.title).collect();
    assert_eq!(titles, ["Alpha", "Beta", "Gamma"]);
    assert!(warnings.is_empty(), "{warnings:?}");
    let source = PathBuf::from(root).join("a.md");
    assert!(matches!(&library.posts()[0].source, folio::library::Source::File(p) if *p == source));
}

#[test]
fn entries_written_by_a_folio_that_reads_files_differently_are_not_used() {
    let posts = collection();
    let cache = tempfile::tempdir().expect("cache");
    let root = posts.path();
    list(root, cache.path(), false);
    let path = root.join("a.md");
    let stamp = std::fs::metadata(&path)
        .expect("stat")
        .modified()
        .expect("mtime");
    std::fs::write(&path, post("Alpha", "2024-01-03").replace("Alpha", "Omega")).expect("write");
    set_mtime(&path, stamp);
    let db = cache.path().join(index::FILE_NAME);
    let conn = rusqlite::Connection::open(&db).expect("db");
    conn.execute("UPDATE collections SET indexer = indexer + 1", [])
        .expect("another indexer");
    drop(conn);
    let (out, warnings) = list(root, cache.path(), false);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(out.contains("Omega"), "{out}");
    assert_eq!(titles_only(db_entries(cache.path())), disk_titles(root));
}

#[test]
fn a_moved_post_titled_by_its_file_name_is_a_removal_and_an_addition() {
    let posts = tempfile::tempdir().expect("posts");
    let root = posts.path();
    write(root, "old-name.md", "No front matter, no heading.\n");
    let cache = tempfile::tempdir().expect("cache");
    let settings = index_use(cache.path(), false).settings;
    store::scan_collection(root, &settings, false).expect("first");
    std::fs::rename(root.join("old-name.md"), root.join("new-name.md")).expect("rename");
    let (scanned, _) = store::scan_collection(root, &settings, false).expect("second");
    assert!(scanned.changes.renamed.is_empty());
    assert_eq!(scanned.changes.removed, [PostId::from("old-name.md")]);
    assert_eq!(scanned.changes.added, [PostId::from("new-name.md")]);
}

#[test]
fn folders_that_are_gone_are_forgotten() {
    let kept = collection();
    let gone = collection();
    let cache = tempfile::tempdir().expect("cache");
    list(kept.path(), cache.path(), false);
    list(gone.path(), cache.path(), false);
    let roots = || -> i64 {
        let conn = rusqlite::Connection::open(cache.path().join(index::FILE_NAME)).expect("db");
        conn.query_row("SELECT count(*) FROM collections", [], |row| row.get(0))
            .expect("count")
    };
    assert_eq!(roots(), 2);
    drop(gone);
    write(kept.path(), "d.md", post("Delta", "2024-01-04"));
    list(kept.path(), cache.path(), false);
    assert_eq!(roots(), 1);
    assert_eq!(
        titles_only(db_entries(cache.path())),
        disk_titles(kept.path())
    );
}

#[test]
fn every_field_and_warning_survives_the_cache() {
    let posts = tempfile::tempdir().expect("posts");
    let root = posts.path();
    write(
        root,
        "rich/index.md",
        "---\ntitle: \"  Rich\\n post \"\ndate: 2021-05-25T11:20:46.123456789+08:00\n\
         lastmod: 2021-06-01\ndescription: d\ntags: [a, B]\ncategories: c\n\
         author: {name: 甲}\nauthors: [乙]\ndraft: \"yes\"\nslug: s\nimage: i.png\n\
         weight: 1.5\nbig: 18446744073709551616\nnested: {x: [1, null, true]}\n\
         publishDate: 2020-01-01\nbad_date_field: 1\nlastmod2: x\n---\n# H\n",
    );
    write(root, "untitled.md", "no title at all\n");
    write(root, "warned.md", "---\ntitle: [oops\n---\n");
    write(
        root,
        "dated.md",
        "---\ndate: Sat, 03 Nov 2018 16:20:59 GMT\ntags: x\n---\n",
    );
    let cache = tempfile::tempdir().expect("cache");
    let settings = index_use(cache.path(), false).settings;
    store::scan_collection(root, &settings, false).expect("first");
    let mut warnings = Vec::new();
    let mut index = store::Index::open(&settings, &mut warnings).expect("index");
    let cached = index.load(root, &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    let fresh = folio::library::Library::scan(root).expect("scan");
    assert_eq!(cached.len(), fresh.posts().len());
    let recall = index.recaller(root);
    for post in fresh.posts() {
        let entry = cached[&post.id]
            .post
            .as_deref()
            .expect("a loaded entry has its post");
        assert_eq!(entry.title, post.title, "{}", post.id);
        assert_eq!(entry.meta, post.meta, "{}", post.id);
        assert_eq!(entry.warnings(), post.warnings(), "{}", post.id);
        assert_eq!(entry.rel_path, post.rel_path, "{}", post.id);
        assert_eq!(entry.to_json(), post.to_json(), "{}", post.id);
        // A scan whose posts went to the list reads the same entry back one by one.
        let recalled = recall(&post.id).expect("recalled");
        assert_eq!(recalled.to_json(), post.to_json(), "{}", post.id);
        assert_eq!(recalled.rel_path, post.rel_path, "{}", post.id);
    }
    let warned = cached[&PostId::from("warned.md")].post.as_deref();
    assert!(!warned.expect("entry").warnings().is_empty());
    assert!(recall(&PostId::from("no-such.md")).is_none());
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_name_that_is_not_utf8_keeps_its_entry() {
    use std::os::unix::ffi::OsStrExt;
    let posts = collection();
    let root = posts.path();
    let name = std::ffi::OsStr::from_bytes(b"caf\xE9.md");
    let path = root.join(name);
    std::fs::write(&path, post("Latin-1 name", "2020-02-02")).expect("write");
    set_mtime(&path, an_hour_ago());
    let cache = tempfile::tempdir().expect("cache");
    let settings = index_use(cache.path(), false).settings;
    let (first, _) = store::scan_collection(root, &settings, false).expect("first");
    assert!(
        first
            .library
            .posts()
            .iter()
            .any(|p| *p.rel_path == *Path::new(name))
    );
    let (second, warnings) = store::scan_collection(root, &settings, false).expect("second");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(second.read.is_empty(), "read again: {:?}", second.read);
    assert!(second.changes.is_empty(), "{:?}", second.changes);
    let kept = second
        .library
        .posts()
        .iter()
        .find(|p| &*p.title == "Latin-1 name")
        .expect("kept");
    assert_eq!(&*kept.rel_path, Path::new(name));
    assert!(matches!(&kept.source, folio::library::Source::File(p) if *p == path));
}
