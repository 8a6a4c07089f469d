//! The TUI's start on a folder: the first frame from the cached index (no post file
//! read), then the check against the folder beside the event loop, its differences
//! applied with the selection kept, and a count of what changed.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{keys, post_of};
use folio::app::App;
use folio::app::change::IndexStatus;
use folio::app::msg::{self, Msg};
use folio::indexer;
use folio::store::Settings;

fn write(dir: &Path, name: &str, title: &str, date: &str) {
    let text = format!("---\ntitle: \"{title}\"\ndate: {date}\n---\n\nBody of {title}.\n");
    std::fs::write(dir.join(name), text).expect("write post");
}

fn settings(cache: &Path) -> Settings {
    Settings {
        dir: Some(cache.to_path_buf()),
        busy_timeout: Duration::from_secs(5),
    }
}

/// Starts as the TUI does: the cached library, then the check run here, its messages
/// applied in order.
fn start(dir: &Path, cache: &Path) -> (App, bool, Vec<Msg>) {
    let mut warnings = Vec::new();
    let (library, job) = indexer::prepare(dir, &settings(cache), false, &mut warnings);
    assert!(warnings.is_empty(), "{warnings:?}");
    let warm = job.warm;
    let mut app = App::new(library, "start".into(), (100, 30));
    app.resize(100, 30);
    app.index_status = if warm {
        IndexStatus::Checking
    } else {
        IndexStatus::Indexing
    };
    let first_frame = common::screen(&app);
    let mut msgs = Vec::new();
    indexer::run(job, app.collection_epoch, |msg| {
        msgs.push(msg);
        true
    });
    assert!(
        first_frame.contains(if warm { "checking…" } else { "indexing…" }),
        "{first_frame}"
    );
    // No count has arrived yet: none is shown.
    assert!(!first_frame.contains("indexing… found"), "{first_frame}");
    (app, warm, msgs)
}

fn titles(app: &App) -> Vec<String> {
    folio::app::listing::order(app)
        .iter()
        .map(|id| post_of(app, id).title.to_string())
        .collect()
}

#[test]
fn a_cold_start_fills_the_list_and_a_warm_one_shows_the_cache_then_the_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache");
    write(dir.path(), "a.md", "Post A", "2024-01-03");
    write(dir.path(), "b.md", "Post B", "2024-01-02");
    write(dir.path(), "c.md", "Post C", "2024-01-01");

    // Cold: nothing cached, the list fills in when the folder is read.
    let (mut app, warm, msgs) = start(dir.path(), cache.path());
    assert!(!warm);
    assert!(
        app.library.posts().is_empty(),
        "no file read before the first frame"
    );
    for msg in msgs {
        msg::handle(&mut app, msg);
    }
    assert_eq!(titles(&app), ["Post A", "Post B", "Post C"]);
    assert_eq!(app.index_status, IndexStatus::Idle);
    assert!(
        app.log.iter().any(|m| m == "indexed 3 posts"),
        "{:?}",
        app.log
    );

    // Between runs: one edited, one added, one removed.
    write(dir.path(), "b.md", "Post B, edited", "2024-01-02");
    write(dir.path(), "d.md", "Post D", "2024-01-04");
    std::fs::remove_file(dir.path().join("c.md")).expect("remove");

    // Warm: the first frame is the cache as it was; then the differences arrive.
    let (mut app, warm, msgs) = start(dir.path(), cache.path());
    assert!(warm);
    assert_eq!(
        titles(&app),
        ["Post A", "Post B", "Post C"],
        "the cached list first"
    );
    keys(&mut app, "j");
    assert_eq!(titles(&app)[1], "Post B");
    for msg in msgs {
        msg::handle(&mut app, msg);
    }
    assert_eq!(titles(&app), ["Post D", "Post A", "Post B, edited"]);
    let selected = app.selected.clone().expect("selection");
    assert_eq!(selected.as_str(), "b.md", "the selection stays on its post");
    assert_eq!(
        app.message.as_deref(),
        Some("checked the collection: 3 posts changed since last time")
    );
    assert_eq!(app.index_status, IndexStatus::Idle);

    // Unchanged since: nothing arrives but the end, and the status bar is left alone.
    let (mut app, _, msgs) = start(dir.path(), cache.path());
    assert!(
        msgs.iter()
            .all(|m| matches!(m, Msg::IndexDone { .. } | Msg::IndexProgress { .. }))
    );
    for msg in msgs {
        msg::handle(&mut app, msg);
    }
    assert_eq!(app.message, None);
    assert_eq!(titles(&app), ["Post D", "Post A", "Post B, edited"]);
}

#[test]
fn the_progress_of_a_long_first_indexing_is_counted() {
    let mut app = App::new(folio::library::Library::default(), "p".into(), (100, 30));
    app.index_status = IndexStatus::Indexing;
    let epoch = app.collection_epoch;
    msg::handle(
        &mut app,
        Msg::IndexProgress {
            epoch,
            found: 34_000,
        },
    );
    let status = common::screen(&app);
    assert!(status.contains("indexing… 34000 found"), "{status}");
}

/// What the walk left out (here links to nothing, which any user, root too, cannot
/// read; a folder `chmod 000` is the same path, see `folio list`'s test) is said after
/// the check's count, so the status bar shows it; several are counted there, each in
/// the messages.
#[cfg(unix)]
#[test]
fn what_the_walk_left_out_stays_on_the_status_bar() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache");
    write(dir.path(), "a.md", "Post A", "2024-01-02");
    std::os::unix::fs::symlink("nowhere.md", dir.path().join("gone.md")).expect("symlink");
    let (mut app, _, msgs) = start(dir.path(), cache.path());
    for msg in msgs {
        msg::handle(&mut app, msg);
    }
    let warning = app.message.clone().expect("a message");
    assert!(
        warning.starts_with("gone.md: ") && warning.ends_with("; skipped"),
        "{warning}"
    );

    // A change found by the check is counted, and the warning still has the last word.
    write(dir.path(), "b.md", "Post B", "2024-01-03");
    let (mut app, warm, msgs) = start(dir.path(), cache.path());
    assert!(warm);
    for msg in msgs {
        msg::handle(&mut app, msg);
    }
    assert_eq!(app.message.as_deref(), Some(warning.as_str()));
    assert!(
        app.log
            .iter()
            .any(|m| m.starts_with("checked the collection: 1 post changed")),
        "{:?}",
        app.log
    );

    std::os::unix::fs::symlink("nowhere.md", dir.path().join("lost.md")).expect("symlink");
    let (mut app, _, msgs) = start(dir.path(), cache.path());
    for msg in msgs {
        msg::handle(&mut app, msg);
    }
    assert_eq!(
        app.message.as_deref(),
        Some("2 problems reading the collection; ! lists each")
    );
    for name in ["gone.md: ", "lost.md: "] {
        assert!(app.log.iter().any(|m| m.starts_with(name)), "{:?}", app.log);
    }
}

/// The first frame takes the cached posts for its list; the check recalls from the index
/// the old entries it compares with: a file moved arrives as a rename (the files were
/// written an hour ago, so their entries are trusted, not read again).
#[test]
fn a_warm_start_tells_a_moved_post_from_the_index_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache");
    let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    for (name, title, date) in [
        ("a.md", "Post A", "2024-01-03"),
        ("b.md", "Post B", "2024-01-02"),
        ("c.md", "Post C", "2024-01-01"),
    ] {
        write(dir.path(), name, title, date);
        let file = std::fs::File::options()
            .write(true)
            .open(dir.path().join(name))
            .expect("open");
        file.set_modified(hour_ago).expect("mtime");
    }
    let (mut app, _, msgs) = start(dir.path(), cache.path());
    for msg in msgs {
        msg::handle(&mut app, msg);
    }
    assert_eq!(titles(&app), ["Post A", "Post B", "Post C"]);

    std::fs::create_dir(dir.path().join("moved")).expect("mkdir");
    std::fs::rename(dir.path().join("b.md"), dir.path().join("moved/b.md")).expect("move");

    let (mut app, warm, msgs) = start(dir.path(), cache.path());
    assert!(warm);
    let changes: Vec<String> = msgs
        .iter()
        .filter_map(|m| match m {
            Msg::LibraryChanged { changes, .. } => Some(changes),
            _ => None,
        })
        .flatten()
        .map(|change| format!("{change:?}").chars().take(40).collect())
        .collect();
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert!(changes[0].starts_with("Renamed"), "{changes:#?}");
    for msg in msgs {
        msg::handle(&mut app, msg);
    }
    assert_eq!(titles(&app), ["Post A", "Post B", "Post C"]);
    let order = folio::app::listing::order(&app);
    let ids: Vec<&str> = order.iter().map(|id| id.as_str()).collect();
    assert!(ids.contains(&"moved/b.md"), "{ids:?}");
    assert!(!ids.contains(&"b.md"), "{ids:?}");
}
