//! Live reload: the file watcher sees posts added, edited, removed and renamed in the
//! collection folder, and the app follows with the selection on the same post. Each
//! test waits for the watcher's message with a bound, never for a fixed time.

mod common;

use std::path::Path;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use common::{keys, post, post_of};
use folio::app::msg::{self, Msg};
use folio::app::{App, View};
use folio::library::Library;
use folio::watch::{self, Watch};

fn write(dir: &Path, rel: &str, title: &str, date: &str, body: &str) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    let text = format!("---\ntitle: \"{title}\"\ndate: {date}\n---\n\n{body}\n");
    std::fs::write(path, text).expect("write post");
}

/// The app over the collection in `dir`, on a 100×30 screen.
fn app_over(dir: &Path, label: &str) -> App {
    let library = Library::scan(dir).expect("scan");
    let mut app = App::new(library, label.into(), (100, 30));
    app.resize(100, 30);
    app
}

struct Live {
    app: App,
    rx: Receiver<Msg>,
    _watch: Watch,
    dir: tempfile::TempDir,
}

fn live() -> Live {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.md", "Post A", "2024-01-05", "alpha");
    write(dir.path(), "b/index.md", "Post B", "2024-01-04", "bravo");
    write(dir.path(), "c.md", "Post C", "2024-01-03", "charlie");
    std::fs::write(dir.path().join(".gitignore"), "ignored/\n").expect("gitignore");
    let app = app_over(dir.path(), "live");
    let (tx, rx) = channel();
    let watch = watch::spawn(dir.path(), app.collection_epoch, tx);
    // The watch starts on its own thread; files written before it began are not seen.
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(Msg::Watching { error: None, .. }) => {}
        other => panic!("the watch did not begin: {other:?}"),
    }
    Live {
        app,
        rx,
        _watch: watch,
        dir,
    }
}

impl Live {
    /// Applies the watcher's reports as the event loop would (performing the effects
    /// they ask for) until `done` holds; fails after 10 s. A save can come in more than
    /// one burst, so this waits for the state, not for one message.
    fn until(&mut self, what: &str, done: impl Fn(&Live) -> bool) {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while !done(self) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let msg = self
                .rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("timed out waiting for {what}: {:?}", self.titles()));
            assert!(matches!(msg, Msg::LibraryChanged { .. }), "{msg:?}");
            if let Some(effect) = msg::handle(&mut self.app, msg) {
                folio::effects::perform(&mut self.app, effect);
            }
        }
    }

    fn titles(&self) -> Vec<String> {
        folio::app::listing::order(&self.app)
            .iter()
            .map(|id| post_of(&self.app, id).title.to_string())
            .collect()
    }

    fn selected_title(&self) -> String {
        let id = self.app.selected.clone().expect("selection");
        post_of(&self.app, &id).title.to_string()
    }
}

/// Files read without pause (the body loader, a check, a backup tool) do not hold a save
/// back: the reads here go on until the save arrives, so a watcher that waited for a
/// quiet folder would never send it.
#[test]
fn a_save_arrives_while_other_files_are_read_without_pause() {
    let mut live = live();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reading = {
        let stop = std::sync::Arc::clone(&stop);
        let path = live.dir.path().join("a.md");
        std::thread::spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = std::fs::read(&path);
            }
        })
    };
    write(live.dir.path(), "saved.md", "Saved", "2025-01-01", "new");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let arrived = loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match live.rx.recv_timeout(left) {
            Ok(msg) => {
                msg::handle(&mut live.app, msg);
                if live.titles().contains(&"Saved".to_string()) {
                    break true;
                }
            }
            Err(_) => break false,
        }
    };
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    reading.join().expect("reader");
    assert!(arrived, "the save did not arrive while a.md was being read");
}

#[test]
fn added_edited_and_removed_posts_reach_the_list_with_the_selection_kept() {
    let mut live = live();
    keys(&mut live.app, "j");
    assert_eq!(live.selected_title(), "Post B");
    // Added: a new post above the selection.
    write(live.dir.path(), "new.md", "Post New", "2025-01-01", "new");
    live.until("the new post", |l| l.titles().len() == 4);
    assert_eq!(live.titles(), ["Post New", "Post A", "Post B", "Post C"]);
    assert_eq!(
        live.selected_title(),
        "Post B",
        "the selection stays on its post"
    );
    // Edited: a new title and date.
    write(
        live.dir.path(),
        "c.md",
        "Post C, retitled",
        "2026-01-01",
        "charlie",
    );
    live.until("the new title", |l| l.titles()[0] == "Post C, retitled");
    assert_eq!(live.selected_title(), "Post B");
    // Removed.
    std::fs::remove_file(live.dir.path().join("a.md")).expect("remove");
    live.until("the removal", |l| l.titles().len() == 3);
    assert_eq!(live.titles(), ["Post C, retitled", "Post New", "Post B"]);
    // Hidden and ignored files are not posts: only the visible one is reported.
    write(live.dir.path(), ".draft.md", "Hidden", "2027-01-01", "x");
    write(
        live.dir.path(),
        "ignored/x.md",
        "Ignored",
        "2027-01-01",
        "x",
    );
    write(live.dir.path(), "visible.md", "Visible", "2020-01-01", "x");
    live.until("the visible post", |l| {
        l.titles().contains(&"Visible".to_string())
    });
    assert!(
        !live
            .titles()
            .iter()
            .any(|t| t == "Hidden" || t == "Ignored")
    );
}

#[test]
fn a_renamed_post_keeps_the_selection_and_a_renamed_bundle_moves_its_post() {
    let mut live = live();
    keys(&mut live.app, "jj");
    assert_eq!(live.selected_title(), "Post C");
    std::fs::rename(live.dir.path().join("c.md"), live.dir.path().join("see.md")).expect("rename");
    let renamed = |l: &Live| {
        l.app
            .library
            .posts()
            .iter()
            .any(|p| p.id.as_str() == "see.md")
    };
    live.until("the rename", |l| renamed(l) && l.titles().len() == 3);
    assert_eq!(live.titles(), ["Post A", "Post B", "Post C"]);
    let selected = live.app.selected.clone().expect("selection");
    assert_eq!(
        selected.as_str(),
        "see.md",
        "the selection follows the rename"
    );
    std::fs::rename(live.dir.path().join("b"), live.dir.path().join("bee")).expect("rename");
    let moved = |l: &Live| {
        l.app
            .library
            .posts()
            .iter()
            .any(|p| p.id.as_str() == "bee/index.md")
    };
    live.until("the moved bundle", |l| moved(l) && l.titles().len() == 3);
    let ids: Vec<String> = live
        .app
        .library
        .posts()
        .iter()
        .map(|p| p.id.as_str().to_string())
        .collect();
    assert_eq!(ids, ["a.md", "bee/index.md", "see.md"]);
}

#[test]
fn the_open_post_is_shown_again_in_place_and_stays_under_a_notice_when_removed() {
    let mut live = live();
    let long: String = (0..80)
        .map(|n| format!("## Part {n}\n\nParagraph {n} of the long post.\n\n"))
        .collect();
    // Opening reads the file as it is now, whether or not the watcher has reported it.
    write(live.dir.path(), "a.md", "Post A", "2024-01-05", &long);
    keys(&mut live.app, "g⏎");
    assert_eq!(post(&live.app).as_str(), "a.md");
    keys(&mut live.app, "]]]]]]]]]]");
    let top_line = |app: &App| {
        let reader = app.reader.as_ref().expect("reader");
        reader
            .laid
            .lines
            .get(reader.scroll)
            .expect("row")
            .plain_text()
    };
    let before = top_line(&live.app);
    assert!(before.contains("Part"), "{before}");
    // Edited below the reading point: re-rendered in place, at the same block.
    let mut edited = long.clone();
    edited.push_str("## Epilogue\n\nAdded while reading.\n");
    write(live.dir.path(), "a.md", "Post A", "2024-01-05", &edited);
    let shows_epilogue = |l: &Live| {
        l.app.reader.as_ref().is_some_and(|r| {
            r.laid
                .lines
                .iter()
                .any(|line| line.plain_text().contains("Added while reading"))
        })
    };
    live.until("the re-rendered post", shows_epilogue);
    let reader = live.app.reader.as_ref().expect("reader");
    assert!(
        reader
            .laid
            .lines
            .iter()
            .any(|l| l.plain_text().contains("Added while reading")),
        "the new text is shown"
    );
    assert_eq!(top_line(&live.app), before, "at the same place");
    // Removed: the text stays, with a notice.
    std::fs::remove_file(live.dir.path().join("a.md")).expect("remove");
    live.until("the removal", |l| {
        !l.app
            .library
            .posts()
            .iter()
            .any(|p| p.id.as_str() == "a.md")
    });
    assert_eq!(live.app.view, View::Reader);
    assert_eq!(top_line(&live.app), before);
    let message = live.app.message.clone().unwrap_or_default();
    assert!(message.contains("removed"), "{message}");
    keys(&mut live.app, "q");
    assert_eq!(live.titles(), ["Post B", "Post C"]);
}

#[test]
fn r_reads_the_collection_again_where_it_cannot_be_watched() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.md", "Post A", "2024-01-05", "alpha");
    write(dir.path(), "b.md", "Post B", "2024-01-04", "bravo");
    let mut app = app_over(dir.path(), "unwatched");
    keys(&mut app, "j");
    write(dir.path(), "c.md", "Post C", "2025-01-01", "charlie");
    std::fs::remove_file(dir.path().join("a.md")).expect("remove");
    keys(&mut app, "r");
    let titles: Vec<String> = folio::app::listing::order(&app)
        .iter()
        .map(|id| post_of(&app, id).title.to_string())
        .collect();
    assert_eq!(titles, ["Post C", "Post B"]);
    assert_eq!(
        post_of(&app, &app.selected.clone().expect("selection")).title,
        "Post B".into()
    );
    assert_eq!(app.message.as_deref(), Some("2 posts changed on disk"));
}

/// A post written again as it was (a save without edits, a copy over it, `touch`) is
/// not a change to report.
#[test]
fn posts_written_again_unchanged_are_not_reported_as_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.md", "Post A", "2024-01-05", "alpha");
    write(dir.path(), "b.md", "Post B", "2024-01-04", "bravo");
    let mut app = app_over(dir.path(), "same");
    let same: Vec<_> = app
        .library
        .posts()
        .iter()
        .map(|post| folio::app::change::LibraryChange::Upsert(folio::library::Post::clone(post)))
        .collect();
    let epoch = app.collection_epoch;
    msg::handle(
        &mut app,
        Msg::LibraryChanged {
            epoch,
            changes: same,
        },
    );
    assert_eq!(app.message, None);
    write(
        dir.path(),
        "a.md",
        "Post A, retitled",
        "2024-01-05",
        "alpha",
    );
    let fresh = Library::scan(dir.path()).expect("scan");
    let changes = fresh
        .posts()
        .iter()
        .map(|post| folio::app::change::LibraryChange::Upsert(folio::library::Post::clone(post)))
        .collect();
    msg::handle(&mut app, Msg::LibraryChanged { epoch, changes });
    assert_eq!(app.message.as_deref(), Some("1 post changed on disk"));
}

/// `r` always ends by saying what it found, nothing included.
#[test]
fn r_says_so_when_nothing_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.md", "Post A", "2024-01-05", "alpha");
    let mut app = app_over(dir.path(), "still");
    keys(&mut app, "r");
    assert_eq!(
        app.message.as_deref(),
        Some("read the collection again: nothing changed")
    );
}

/// `r` on a folder that is gone says so, and on posts read from stdin (or the bundled
/// samples) says there is no
/// folder to read: it never stays on "reading the collection again…".
#[test]
fn r_on_a_gone_folder_or_the_samples_says_why_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.md", "Post A", "2024-01-05", "alpha");
    let mut app = app_over(dir.path(), "gone");
    drop(dir);
    keys(&mut app, "r");
    assert_eq!(
        app.message.as_deref(),
        Some("cannot read the collection again: its folder is gone or unreadable")
    );
    let embedded =
        folio::library::Post::from_bytes("stdin.md".into(), b"---\ntitle: piped\n---\nbody\n");
    let library = Library::new("stdin".into(), vec![embedded.into()], Vec::new());
    let mut samples = App::new(library, "stdin".into(), (100, 30));
    keys(&mut samples, "r");
    let said = samples.message.clone().unwrap_or_default();
    assert!(said.contains("not read from a folder"), "{said}");
}

/// A folder that cannot be watched is said once, with the key that reads it again by
/// hand; the watch's start never holds up the caller (it is on a thread of its own).
#[test]
fn a_folder_that_cannot_be_watched_says_so_and_how_to_rescan() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.md", "Post A", "2024-01-05", "alpha");
    let mut app = app_over(dir.path(), "gone");
    let (tx, rx) = channel();
    let _watch = watch::spawn(&dir.path().join("gone"), app.collection_epoch, tx);
    let msg = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("the watch's start reported");
    assert!(
        matches!(&msg, Msg::Watching { error: Some(_), .. }),
        "{msg:?}"
    );
    assert!(msg.changes_screen());
    msg::handle(&mut app, msg);
    let message = app.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("cannot watch") && message.ends_with("r rescans by hand"),
        "{message}"
    );
    // The report of another collection's watch is not shown.
    let stale = Msg::Watching {
        epoch: app.collection_epoch + 1,
        error: Some("cannot watch elsewhere".into()),
    };
    app.message = None;
    msg::handle(&mut app, stale);
    assert_eq!(app.message, None);
}

/// Dropping a watch, as switching collection does, stops it whether or not it has
/// begun: its thread ends (the channel closes) and a file written after reports nothing.
#[test]
fn a_dropped_watch_ends_its_thread_whether_or_not_it_had_begun() {
    for wait_for_start in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "a.md", "Post A", "2024-01-05", "alpha");
        let (tx, rx) = channel();
        let watch = watch::spawn(dir.path(), 0, tx);
        if wait_for_start {
            let msg = rx.recv_timeout(Duration::from_secs(10)).expect("began");
            assert!(matches!(msg, Msg::Watching { error: None, .. }), "{msg:?}");
        }
        drop(watch);
        write(dir.path(), "b.md", "Post B", "2024-01-04", "bravo");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(Msg::Watching { error: None, .. }) if !wait_for_start => {}
                Ok(msg) => panic!("reported after it was dropped: {msg:?}"),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    panic!("the watch's thread still runs 10 s after it was dropped")
                }
            }
        }
    }
}
