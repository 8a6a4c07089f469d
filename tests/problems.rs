//! `folio check`'s findings in the TUI: a badge on each post with problems, the count
//! in the status bar, `!` in the reader listing the post's problems with Enter going
//! to the block of the line, and all of it following the files as they change.

mod common;

use std::path::Path;

use common::{keys, screen};
use folio::app::change::LibraryChange;
use folio::app::msg::{self, Msg};
use folio::app::picker::PickerKind;
use folio::app::{App, View};
use folio::bodies;
use folio::diagnostic::{Code, Severity};
use folio::library::{Library, Post, PostId};

/// The text of the reader's top row.
fn top_line(reader: &folio::app::state::ReaderState) -> String {
    reader
        .laid
        .lines
        .get(reader.scroll)
        .map(|l| l.plain_text())
        .unwrap_or_default()
}

fn app_on(dir: &Path) -> App {
    let library = Library::scan(dir).expect("scan");
    let mut app = App::new(library, dir.display().to_string(), (100, 30));
    app.resize(100, 30);
    app
}

/// A post whose broken link sits on line 14 of the file, in the fourth block of a body
/// long enough that the block is well below the first screen.
fn broken_post() -> String {
    let mut text = String::from("---\ntitle: Broken\ndate: 2024-02-01\n---\n\n");
    for n in 1..=3 {
        text.push_str(&format!("## Part {n}\n\n"));
        text.push_str(&"Words that fill a paragraph. ".repeat(40));
        text.push_str("\n\n");
    }
    text
}

/// Enough text after the link that the reader can put its block at the top.
fn tail() -> String {
    "More words after the link, to scroll through.\n\n".repeat(40)
}

fn setup() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut broken = broken_post();
    let line = broken.lines().count() + 1;
    broken.push_str("See [the other post](missing.md) for more.\n\n");
    broken.push_str(&tail());
    assert_eq!(line, 18, "the link's line, as the test counts it");
    std::fs::write(dir.path().join("broken.md"), broken).expect("write");
    std::fs::write(
        dir.path().join("fine.md"),
        "---\ntitle: Fine\ndate: 2024-01-01\n---\n\nAll [good](broken.md).\n",
    )
    .expect("write");
    let app = app_on(dir.path());
    (dir, app)
}

fn id(app: &App, title: &str) -> PostId {
    app.library
        .posts()
        .iter()
        .find(|p| &*p.title == title)
        .map(|p| p.id.clone())
        .expect("post")
}

fn post<'a>(app: &'a App, title: &str) -> &'a Post {
    app.library.get(&id(app, title)).expect("post")
}

#[test]
fn a_checked_collection_marks_posts_with_problems_in_the_list_and_status_bar() {
    let (_dir, mut app) = setup();
    // Before the check, only what the index found: nothing here.
    assert!(!screen(&app).contains("missing.md"));
    app.check_now();
    assert!(app.checks.ready());
    let broken = app.checks.of(post(&app, "Broken")).into_owned();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!(broken[0].code, Code::BrokenLink);
    assert_eq!(broken[0].line, Some(18));
    assert!(app.checks.of(post(&app, "Fine")).is_empty());
    let shown = screen(&app);
    let row = shown
        .lines()
        .skip_while(|l| !l.contains("Broken"))
        .nth(1)
        .expect("the second line of Broken's row");
    assert!(
        row.contains("✗") && row.contains("missing.md"),
        "the problem under the title: {shown}"
    );
    assert!(shown.contains("1 with errors"), "{shown}");
}

#[test]
fn bang_in_the_reader_lists_the_problems_and_enter_goes_to_the_line() {
    let (_dir, mut app) = setup();
    app.check_now();
    app.selected = Some(id(&app, "Broken"));
    keys(&mut app, "⏎");
    assert_eq!(app.view, View::Reader);
    assert_eq!(app.reader.as_ref().map(|r| r.scroll), Some(0));
    keys(&mut app, "!");
    let picker = app.picker.as_ref().expect("the problem list");
    assert_eq!(picker.kind, PickerKind::Problems);
    assert_eq!(picker.items.len(), 1);
    assert!(
        picker.items[0].label.starts_with("18:"),
        "{:?}",
        picker.items[0].label
    );
    assert!(screen(&app).contains("broken-link"));
    keys(&mut app, "⏎");
    assert!(app.picker.is_none());
    let reader = app.reader.as_ref().expect("reader");
    // The view starts at the block holding line 18: the paragraph with the link.
    let top = top_line(reader);
    assert!(top.contains("See the other post"), "landed on {top:?}");
    // Backspace returns to where the reader was.
    keys(&mut app, "⌫");
    assert_eq!(app.reader.as_ref().map(|r| r.scroll), Some(0));
}

/// The sections of [`long_broken_post`] that hold a broken link.
const SECTIONS: [usize; 3] = [3, 500, 990];

/// A post long enough to be laid out beside the loop in many pieces (some 700 KiB),
/// whose boxes and figures make shortcode expansion move its lines, with a broken
/// link near its start, one in the middle and one near its end; returns the text and
/// each link's file line (1-based).
fn long_broken_post() -> (String, Vec<usize>) {
    let mut text = String::from("---\ntitle: Long\ndate: 2024-02-01\n---\n\n");
    let mut lines = Vec::new();
    for section in 0..1000 {
        text.push_str(&format!("## Part {section}\n\n"));
        text.push_str(&"Words that fill a paragraph. ".repeat(20));
        text.push_str("\n\n{{< figure\n  src=\"pic.png\"\n  caption=\"A figure\"\n>}}\n\n");
        text.push_str("{{< callout note \"Boxed\" >}}\nInside a box.\n{{< /callout >}}\n\n");
        if SECTIONS.contains(&section) {
            lines.push(text.lines().count() + 1);
            text.push_str(&format!(
                "Broken link number {section}: [gone](missing-{section}.md).\n\n"
            ));
        }
    }
    (text, lines)
}

/// `!` then Enter in a long post (no document kept, its layout made a group of pieces
/// at a time) lands on the block of each problem's line, as in a short one.
#[test]
fn bang_in_a_long_post_goes_to_the_line_of_each_problem() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (text, lines) = long_broken_post();
    // More pieces than a group parses at once (8).
    assert!(
        text.len() > 9 * folio::markdown::PIECE_BYTES,
        "{}",
        text.len()
    );
    std::fs::write(dir.path().join("long.md"), text).expect("write");
    let mut app = app_on(dir.path());
    app.check_now();
    keys(&mut app, "⏎");
    assert!(folio::effects::finish_layout(&mut app));
    let reader = app.reader.as_ref().expect("reader");
    assert!(!reader.laid.partial);
    assert!(matches!(
        reader.source,
        folio::app::state::PostSource::Long(_)
    ));
    for (nth, (line, section)) in lines.iter().zip(SECTIONS).enumerate() {
        keys(&mut app, "!");
        let picker = app.picker.as_ref().expect("the problem list");
        assert_eq!(picker.items.len(), 3);
        assert!(
            picker.items[nth].label.starts_with(&format!("{line}:")),
            "{:?}",
            picker.items[nth].label
        );
        for _ in 0..nth {
            common::press(&mut app, crossterm::event::KeyCode::Down);
        }
        keys(&mut app, "⏎");
        assert!(app.picker.is_none());
        let reader = app.reader.as_ref().expect("reader");
        let top = top_line(reader);
        assert!(
            top.contains(&format!("Broken link number {section}")),
            "problem {nth} landed on {top:?}"
        );
    }
}

/// Chosen while the long post shows only its first screens, a problem further on is
/// landed on once the whole is laid out (it used to leave the reader at the top).
#[test]
fn bang_before_a_long_post_is_laid_out_lands_when_it_is() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (text, lines) = long_broken_post();
    std::fs::write(dir.path().join("long.md"), text).expect("write");
    let mut app = app_on(dir.path());
    app.check_now();
    keys(&mut app, "⏎");
    assert!(app.reader.as_ref().expect("reader").laid.partial);
    keys(&mut app, "!");
    let last = lines.len() - 1;
    for _ in 0..last {
        common::press(&mut app, crossterm::event::KeyCode::Down);
    }
    keys(&mut app, "⏎");
    assert!(app.picker.is_none());
    assert!(folio::effects::finish_layout(&mut app));
    let reader = app.reader.as_ref().expect("reader");
    assert!(!reader.laid.partial);
    let top = top_line(reader);
    let section = SECTIONS[last];
    assert!(
        top.contains(&format!("Broken link number {section}")),
        "landed on {top:?}"
    );
}

#[test]
fn a_post_without_problems_says_so_instead_of_an_empty_list() {
    let (_dir, mut app) = setup();
    app.check_now();
    app.selected = Some(id(&app, "Fine"));
    keys(&mut app, "⏎");
    keys(&mut app, "!");
    assert!(app.picker.is_none());
    assert_eq!(
        app.message.as_deref(),
        Some("no problems found in this post")
    );
}

#[test]
fn problems_follow_the_files_as_they_change() {
    let (dir, mut app) = setup();
    app.check_now();
    assert_eq!(app.checks.counts(), Some((1, 0)));
    // The link is mended: the file is read again and the badge goes.
    let mended = broken_post() + "See [the other post](fine.md) for more.\n\n" + &tail();
    std::fs::write(dir.path().join("broken.md"), mended).expect("write");
    let path = dir.path().join("broken.md");
    let changes = vec![LibraryChange::Upsert(Post::load(&path, "broken.md".into()))];
    let epoch = app.collection_epoch;
    msg::handle(&mut app, Msg::LibraryChanged { epoch, changes });
    app.check_now();
    assert_eq!(app.checks.counts(), Some((0, 0)));
    assert!(app.checks.of(post(&app, "Broken")).is_empty());
    // A new post links to a heading that is not there: found in the next check.
    std::fs::write(
        dir.path().join("new.md"),
        "---\ntitle: New\ndate: 2024-03-01\n---\n\n[x](broken.md#nowhere)\n",
    )
    .expect("write");
    let path = dir.path().join("new.md");
    let changes = vec![LibraryChange::Upsert(Post::load(&path, "new.md".into()))];
    msg::handle(&mut app, Msg::LibraryChanged { epoch, changes });
    app.check_now();
    let new = app.checks.of(post(&app, "New")).into_owned();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0].code, Code::BrokenAnchor);
    // The other post is named from the collection's folder.
    assert_eq!(new[0].message, "no heading #nowhere in broken.md");
    assert_eq!(app.checks.counts(), Some((0, 1)));
}

#[test]
fn the_config_can_turn_a_check_off_or_change_its_severity() {
    let (_dir, mut app) = setup();
    let mut config = folio::config::parse("check:\n  broken-link: warning\n").expect("config");
    app.checks.policy = config.check.clone();
    app.check_now();
    let broken = app.checks.of(post(&app, "Broken")).into_owned();
    assert_eq!(broken[0].severity, Severity::Warning);
    assert_eq!(app.checks.counts(), Some((0, 1)));
    assert!(screen(&app).contains("⚠"));

    let (_dir, mut app) = setup();
    config = folio::config::parse("check:\n  broken-link: off\n").expect("config");
    app.checks.policy = config.check;
    app.check_now();
    assert!(app.checks.of(post(&app, "Broken")).is_empty());
    assert!(!screen(&app).contains("missing.md"));
}

#[test]
fn a_result_for_another_collection_is_dropped() {
    let (_dir, mut app) = setup();
    let job = app
        .checks
        .take_job(&app.library, app.collection_epoch)
        .expect("a check is due");
    let done = job.run();
    let (other, _) = setup();
    let library = Library::scan(other.path()).expect("scan");
    app.apply(vec![LibraryChange::Replaced {
        library,
        label: "other".into(),
    }]);
    msg::handle(&mut app, Msg::Checked(Box::new(done)));
    assert!(
        !app.checks.ready(),
        "the old collection's findings are not this one's"
    );
}

/// Sets a file's modification time a while back, as a post's is: a file changed as it
/// is read is read again next time, whatever its stamp says.
fn written_ago(path: &Path, seconds: u64) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(seconds);
    file.set_modified(then).expect("set the modification time");
}

/// The reader on `dir`, keeping its check's analyses in the index cache of `settings`
/// (`read_all`: as `--rescan` starts).
fn started_with_cache(dir: &Path, settings: &folio::store::Settings, read_all: bool) -> App {
    let mut app = app_on(dir);
    app.checks
        .keep_in(folio::store::AnalysisStore::open(settings), read_all);
    app
}

/// Runs the check that is due and applies it; how many files it read.
fn run_due_check(app: &mut App) -> usize {
    let job = app
        .checks
        .take_job(&app.library, app.collection_epoch)
        .expect("a check is due");
    let done = job.run();
    let read = done.read;
    assert!(done.warnings.is_empty(), "{:?}", done.warnings);
    msg::handle(app, Msg::Checked(Box::new(done)));
    read
}

#[test]
fn a_check_reads_only_the_files_changed_since_the_last_one_in_this_run_or_an_earlier() {
    use folio::store::{DEFAULT_BUSY_TIMEOUT, Settings};
    let (dir, _) = setup();
    let cache = tempfile::tempdir().expect("tempdir");
    let settings = Settings {
        dir: Some(cache.path().to_path_buf()),
        busy_timeout: DEFAULT_BUSY_TIMEOUT,
    };
    for name in ["broken.md", "fine.md"] {
        written_ago(&dir.path().join(name), 60);
    }
    let start = |read_all| started_with_cache(dir.path(), &settings, read_all);
    let mut first = start(false);
    assert_eq!(run_due_check(&mut first), 2);
    let found = first.checks.of(post(&first, "Broken")).into_owned();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, Code::BrokenLink);

    // The next start reads nothing and finds the same.
    let mut second = start(false);
    assert_eq!(run_due_check(&mut second), 0);
    assert_eq!(second.checks.counts(), Some((1, 0)));
    assert_eq!(second.checks.of(post(&second, "Broken")), found);

    // One post is mended: only it is read again, and the problem is gone.
    let path = dir.path().join("broken.md");
    let mended = broken_post() + "See [the other post](fine.md) for more.\n\n" + &tail();
    std::fs::write(&path, mended).expect("write");
    written_ago(&path, 30);
    let changes = vec![LibraryChange::Upsert(Post::load(&path, "broken.md".into()))];
    let epoch = second.collection_epoch;
    msg::handle(&mut second, Msg::LibraryChanged { epoch, changes });
    assert_eq!(run_due_check(&mut second), 1);
    assert_eq!(second.checks.counts(), Some((0, 0)));

    // A post removed is forgotten; `--rescan` reads every file that is left.
    std::fs::remove_file(dir.path().join("fine.md")).expect("remove");
    let mut third = start(true);
    assert_eq!(run_due_check(&mut third), 1);
    let mut fourth = start(false);
    assert_eq!(run_due_check(&mut fourth), 0);
}

/// More posts than the check works on at once: what a check finds from the analyses it
/// kept is what it found reading the files, and what `folio check` finds.
#[test]
fn a_large_collection_checked_from_its_kept_analyses_finds_what_reading_it_found() {
    use folio::check::{self, Input, Policy, Selection};
    use folio::store::{DEFAULT_BUSY_TIMEOUT, Settings};
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("tempdir");
    let settings = Settings {
        dir: Some(cache.path().to_path_buf()),
        busy_timeout: DEFAULT_BUSY_TIMEOUT,
    };
    let count = 2500;
    for n in 0..count {
        let folder = dir.path().join(format!("s{}", n % 7));
        std::fs::create_dir_all(&folder).expect("mkdir");
        // Links to a post that is there, to one that is not, to a heading of each; a
        // title and a slug shared by a few, a tag spelled two ways.
        let text = format!(
            "---\ntitle: Post {}\nslug: p{}\ntags: [{}]\ndate: 2024-01-01\n---\n\n# Part {n}\n\n\
             [next](../s{}/p{}.md#part-{}) [gone](p{}.md) [self](#nowhere)\n",
            n % 400,
            n % 700,
            if n % 2 == 0 { "Go" } else { "go" },
            (n + 1) % 7,
            n + 1,
            n + 1 + n % 2,
            n + count,
        );
        let path = folder.join(format!("p{n}.md"));
        std::fs::write(&path, text).expect("write");
        written_ago(&path, 60);
    }
    let start = || started_with_cache(dir.path(), &settings, false);
    let mut reading = start();
    assert_eq!(run_due_check(&mut reading), count);
    let mut kept = start();
    assert_eq!(run_due_check(&mut kept), 0);

    // `folio check` on the same files, grouped by post.
    let root: std::sync::Arc<Path> = dir.path().into();
    let inputs: Vec<Input> = reading
        .library
        .posts()
        .iter()
        .map(|post| {
            let path = dir.path().join(&post.rel_path);
            Input {
                bytes: std::fs::read(&path).expect("read"),
                path,
                root: root.clone(),
            }
        })
        .collect();
    let exists = |path: &Path| path.exists();
    let today = check::today();
    let (_, command) = check::check(
        inputs,
        today.as_ref(),
        &exists,
        &Selection::default(),
        &Policy::default(),
    );
    let mut problems = 0;
    for post in reading.library.posts() {
        let from_reading = reading.checks.of(post).into_owned();
        assert_eq!(
            kept.checks.of(post).into_owned(),
            from_reading,
            "{}",
            post.id
        );
        let path = dir.path().join(&post.rel_path);
        let mut from_command: Vec<_> = command.iter().filter(|d| d.path == path).cloned().collect();
        // The command names other posts as it was given them, the reader from the
        // collection's folder.
        let prefix = format!("{}/", dir.path().display());
        for problem in &mut from_command {
            problem.path = Default::default();
            problem.message = problem.message.replace(&prefix, "");
        }
        assert_eq!(from_reading, from_command, "{}", post.id);
        problems += from_reading.len();
    }
    let codes: std::collections::BTreeSet<Code> = command.iter().map(|d| d.code).collect();
    assert!(problems > 2 * count, "{problems} problems");
    for code in [
        Code::BrokenLink,
        Code::BrokenAnchor,
        Code::DuplicateSlug,
        Code::DuplicateTitle,
        Code::TagCase,
    ] {
        assert!(codes.contains(&code), "{code} among {codes:?}");
    }
}

/// Bodies for full text are read once the posts are checked, not beside the check
/// (both at once held every post's facts and the bodies together); later loads do not
/// wait for the checks that changes cause, and a check that could not start holds
/// nothing back.
#[test]
fn bodies_are_read_after_the_first_check_and_later_ones_do_not_wait() {
    let (dir, mut app) = setup();
    assert!(!app.bodies_due(), "the first check is due");
    let job = app
        .checks
        .take_job(&app.library, app.collection_epoch)
        .expect("a check is due");
    assert!(!app.bodies_due(), "the check is running");
    let done = job.run();
    msg::handle(&mut app, Msg::Checked(Box::new(done)));
    assert!(app.bodies_due());
    bodies::load_now(&mut app);
    assert!(app.bodies.started);

    // A changed post wants a check again; its body is read again meanwhile.
    let path = dir.path().join("fine.md");
    std::fs::write(
        &path,
        "---\ntitle: Fine\ndate: 2024-01-01\n---\n\nChanged.\n",
    )
    .expect("write");
    let changes = vec![LibraryChange::Upsert(Post::load(&path, "fine.md".into()))];
    let epoch = app.collection_epoch;
    msg::handle(&mut app, Msg::LibraryChanged { epoch, changes });
    assert!(app.checks.busy());
    assert!(app.bodies_due());

    // A check whose thread could not be made does not keep bodies from loading.
    let (_other, mut fresh) = setup();
    let _job = fresh
        .checks
        .take_job(&fresh.library, fresh.collection_epoch);
    fresh.checks.not_started();
    assert!(fresh.bodies_due());
}

/// Until the first check reports, the status bar counts the posts whose index found a
/// problem the config still reports; a check the config turns off is not counted.
#[test]
fn before_the_check_the_status_counts_what_the_index_found_as_the_config_has_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, front: &str| {
        std::fs::write(dir.path().join(name), format!("---\n{front}\n---\nbody\n")).expect("write")
    };
    write("a.md", "title: A\ndate: not a date");
    write("b.md", "title: B\ndate: 2024-13-45");
    write("c.md", "title: C\ndate: 2024-01-01");
    let mut app = app_on(dir.path());
    assert!(!app.checks.ready());
    let bad_date = |app: &App, title: &str| {
        app.checks
            .of(post(app, title))
            .iter()
            .any(|d| d.code == Code::BadDate)
    };
    assert!(bad_date(&app, "A") && bad_date(&app, "B") && !bad_date(&app, "C"));
    let status = |app: &App| screen(app).lines().last().unwrap_or_default().to_string();
    assert!(status(&app).contains("2 with warnings"), "{}", status(&app));
    app.checks.policy.levels.insert(Code::BadDate, None);
    assert!(!bad_date(&app, "A"));
    assert!(!status(&app).contains("with warnings"), "{}", status(&app));
}
