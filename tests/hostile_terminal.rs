//! The hostile inputs of ../shared/HOSTILE.md that are about the terminal and the file
//! system rather than a post's text: a one-column terminal (24), tiny sizes (25),
//! file-system traps (35) and scale (36). Each test asserts the stated behaviour, not
//! only that nothing panicked. (38, the forced panic, is an end-to-end tmux test.)

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use folio::app::{App, Effect, View};
use folio::effects;
use folio::library::Library;
use folio::markdown::{self, LayoutOptions};

mod common;
use common::{assert_screen_fits, draw_buffer, folio, keys, laid_text, run, screen_rows};

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

fn app_over(dir: &Path, size: (u16, u16)) -> App {
    let library = Library::scan(dir).expect("scan");
    let mut app = App::new(library, "hostile".into(), size);
    app.resize(size.0, size.1);
    app
}

/// Runs `work` on a thread and waits for it at most `limit`: a hang fails the test
/// instead of stopping the suite.
fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(work());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("{what} did not finish within {limit:?}"))
}

/// Whether a row is "terminal too small", whole or clipped (with `…`) to the row.
fn says_too_small(row: &str) -> bool {
    let shown = row.trim_end();
    let kept = shown.strip_suffix('…').unwrap_or(shown);
    !shown.is_empty() && "terminal too small".starts_with(kept)
}

const URL_PATH: &str = "abcdefghij";

fn url_2000() -> String {
    format!("https://example.com/{}", URL_PATH.repeat(198))
}

/// Item 24: a one-column terminal showing `中文👩‍🔬` and a 2000-character URL: every line one
/// column at most, the URL's characters all there in order, wide characters shown as a
/// one-column stand-in, in the layout, the reader and print.
#[test]
fn width_one_keeps_every_character_in_one_column() {
    let body = format!("中文👩‍🔬\n\n{}\n\n[link]({})\n", url_2000(), url_2000());
    let doc = markdown::parse(&body);
    let laid = markdown::layout(
        &doc,
        &LayoutOptions {
            width: 1,
            ..LayoutOptions::default()
        },
    );
    let text = laid_text(&laid);
    for line in text.lines() {
        assert!(markdown::wrap::display_width(line) <= 1, "{line:?}");
    }
    let letters: String = text.lines().collect();
    assert!(letters.contains(&url_2000()), "the URL, a character a line");
    assert!(
        letters.starts_with('…') || letters.contains('…'),
        "wide characters stand in"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "w.md",
        &format!("---\ntitle: 中文👩‍🔬\n---\n{body}"),
    );
    let (out, err, code) = run(folio()
        .args(["print", "--color", "never", "--width", "1"])
        .arg(dir.path().join("w.md")));
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().all(|l| markdown::wrap::display_width(l) <= 1));

    // The reader in a terminal one column wide: the screen says it is too small, for
    // every key.
    let mut app = app_over(dir.path(), (1, 24));
    keys(&mut app, "⏎jjG");
    let buffer = draw_buffer(&app);
    assert_screen_fits(&buffer, "1x24");
    assert!(says_too_small(&screen_rows(&buffer)[0]));
}

/// Item 25: tiny terminals: below 12×3 the screen says "terminal too small" (clipped to what
/// fits); from there up everything is drawn inside the screen, in the list, the reader
/// and the help; a resize arriving between the app's size and the draw clips too.
#[test]
fn tiny_sizes_say_too_small_or_clip() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.md",
        "---\ntitle: 标题很长的一篇文章 with words\n---\n正文。\n",
    );
    let mut app = app_over(dir.path(), (80, 24));
    for (width, height) in [
        (0, 0),
        (1, 1),
        (2, 1),
        (1, 2),
        (3, 3),
        (500, 1),
        (1, 500),
        (11, 3),
        (12, 2),
    ] {
        for steps in ["", "⏎", "?"] {
            let mut app = app_over(dir.path(), (width, height));
            keys(&mut app, steps);
            let buffer = draw_buffer(&app);
            let what = format!("{width}x{height} after {steps:?}");
            assert_screen_fits(&buffer, &what);
            if width > 0 && height > 0 {
                let first = &screen_rows(&buffer)[0];
                assert!(says_too_small(first), "{what}: {first:?}");
            }
        }
    }
    for (width, height) in [(12, 3), (13, 4), (20, 5), (500, 3)] {
        let mut app = app_over(dir.path(), (width, height));
        let buffer = draw_buffer(&app);
        assert_screen_fits(&buffer, &format!("{width}x{height}"));
        assert!(!screen_rows(&buffer).join("").contains("too small"));
        keys(&mut app, "⏎");
        assert_eq!(app.view, View::Reader);
        assert_screen_fits(&draw_buffer(&app), &format!("{width}x{height} reader"));
    }
    // The app still thinks the terminal is big when a smaller screen is drawn (a resize
    // on its way), and the other way round.
    app.resize(120, 40);
    keys(&mut app, "⏎");
    for (width, height) in [(5, 2), (40, 10), (200, 60)] {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height))
                .expect("backend");
        terminal
            .draw(|frame| folio::ui::draw(frame, &app, &app.theme))
            .expect("draw");
        assert_screen_fits(
            terminal.backend().buffer(),
            &format!("drawn at {width}x{height}"),
        );
    }
}

/// Item 35: file-system traps in a collection: a link loop, a dangling link, a FIFO named
/// like a post, a link to /dev/zero, an unreadable file: the scan ends, lists the real
/// posts and nothing else, and opening a post deleted or replaced since the list was
/// made says so and refreshes the list.
#[cfg(unix)]
#[test]
fn file_system_traps_neither_hang_nor_list_garbage() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().to_path_buf();
    write(&root, "real.md", "---\ntitle: real\n---\nbody\n");
    write(&root, "other.md", "---\ntitle: other\n---\nbody\n");
    symlink(".", root.join("loop")).expect("loop");
    symlink("missing.md", root.join("dangling.md")).expect("dangling");
    symlink("/dev/zero", root.join("zero.md")).expect("zero");
    let fifo = root.join("p.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    write(&root, "locked.md", "---\ntitle: locked\n---\nbody\n");
    std::fs::set_permissions(
        root.join("locked.md"),
        std::fs::Permissions::from_mode(0o000),
    )
    .expect("chmod");

    let scanned = {
        let root = root.clone();
        within(Duration::from_secs(20), "the scan", move || {
            Library::scan(&root)
        })
    }
    .expect("scan");
    let mut titles: Vec<&str> = scanned.posts().iter().map(|p| &*p.title).collect();
    titles.sort();
    // Root reads a chmod-000 file all the same; anyone else cannot, and is told.
    let locked_readable = std::fs::read(root.join("locked.md")).is_ok();
    let expected: Vec<&str> = if locked_readable {
        vec!["locked", "other", "real"]
    } else {
        vec!["other", "real"]
    };
    assert_eq!(titles, expected);

    let (out, err, code) = {
        let root = root.clone();
        within(Duration::from_secs(60), "folio list", move || {
            run(folio().arg("list").arg(&root))
        })
    };
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("real") && out.contains("other"), "{out}");
    assert!(!out.contains("p.md") && !out.contains("zero"), "{out}");
    assert!(err.chars().all(|c| !c.is_control() || c == '\n'), "{err:?}");

    // print refuses the traps with a readable line each, and never hangs.
    for trap in ["p.md", "zero.md", "dangling.md"] {
        let path = root.join(trap);
        let (_, err, code) = within(Duration::from_secs(60), trap, move || {
            run(folio().args(["print", "--color", "never"]).arg(&path))
        });
        assert_ne!(code, 0, "{trap}");
        assert_eq!(err.trim_end().lines().count(), 1, "{trap}: {err}");
    }

    // A post deleted after the list was made, then one replaced by a FIFO.
    let mut app = App::new(scanned, "traps".into(), (80, 24));
    app.resize(80, 24);
    let id_of = |app: &App, title: &str| {
        app.library
            .posts()
            .iter()
            .find(|p| &*p.title == title)
            .map(|p| p.id.clone())
            .expect("listed")
    };
    let real = id_of(&app, "real");
    std::fs::remove_file(root.join("real.md")).expect("remove");
    effects::perform(&mut app, Effect::OpenPost(real.clone()));
    assert_eq!(app.view, View::List);
    assert!(app.library.get(&real).is_none(), "the list is refreshed");
    assert!(app.message.as_deref().unwrap_or("").contains("was removed"));
    let other = id_of(&app, "other");
    std::fs::remove_file(root.join("other.md")).expect("remove");
    let made = std::process::Command::new("mkfifo")
        .arg(root.join("other.md"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let opened = within(Duration::from_secs(20), "opening a FIFO", move || {
        effects::perform(&mut app, Effect::OpenPost(other));
        app
    });
    assert_eq!(opened.view, View::List);
    let message = opened.message.clone().unwrap_or_default();
    assert!(message.contains("other.md"), "{message}");
}

/// Item 36: scale: a post of more than 65,535 rows scrolls to its end; a long single line
/// and a deep folder chain are handled.
#[test]
fn scrolling_past_65535_rows_and_deep_folders() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lines: String = (0..70_000).map(|i| format!("line {i}\n")).collect();
    write(
        dir.path(),
        "long.md",
        &format!("---\ntitle: long\n---\n```text\n{lines}```\n\nTHE END\n"),
    );
    let mut app = app_over(dir.path(), (80, 24));
    keys(&mut app, "⏎");
    folio::effects::finish_layout(&mut app);
    keys(&mut app, "G");
    let reader = app.reader.as_ref().expect("reader");
    assert!(reader.laid.lines.len() > 70_000);
    assert!(reader.scroll > 65_535, "scrolled to {}", reader.scroll);
    let screen = screen_rows(&draw_buffer(&app)).join("\n");
    assert!(
        screen.contains("THE END") && screen.contains("line 69999"),
        "{screen}"
    );

    // A 4 MB line, printed at 80 columns: every line within the width.
    let one_line = "word ".repeat(800_000);
    write(
        dir.path(),
        "line.md",
        &format!("---\ntitle: line\n---\n{one_line}\n"),
    );
    let (out, err, code) = run(folio()
        .args(["print", "--color", "never", "--width", "80"])
        .arg(dir.path().join("line.md")));
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().count() > 40_000);
    assert!(out.lines().all(|l| markdown::wrap::display_width(l) <= 80));

    // A post 200 folders deep is found.
    let mut deep = dir.path().join("deep");
    for _ in 0..200 {
        deep.push("d");
    }
    std::fs::create_dir_all(&deep).expect("deep");
    write(&deep, "bottom.md", "---\ntitle: bottom\n---\nfound\n");
    let library = Library::scan(dir.path()).expect("scan");
    assert!(library.posts().iter().any(|p| &*p.title == "bottom"));
}
