//! A long post (laid out beside the loop, a group of pieces at a time) keeps none of
//! its text once laid out: each later layout reads its file again. These tests drive
//! that through the app without a terminal: the same block after a resize, a file
//! that changed between reads (reloaded, never laid out as the old text), a file that
//! cannot be read and a post gone from the collection (the text stays, said).

use folio::app::state::PostSource;
use folio::app::{App, Effect};
use folio::library::Library;

mod common;
use common::{keys, laid_text, screen as screen_text};

/// A long post (well past the reader's 256 KiB) of 400 sections, each a heading and
/// a paragraph (800 top-level blocks); `last` ends the final paragraph.
fn long_body(last: &str) -> String {
    let paragraph = "开源社区的发展离不开每一位贡献者。".repeat(40);
    let mut body: String = (0..400)
        .map(|i| format!("## 第 {i} 节\n\n{paragraph}\n\n"))
        .collect();
    body.push_str(last);
    body.push('\n');
    format!("---\ntitle: long\n---\n{body}")
}

fn long_post_app(text: &str) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("long.md"), text).expect("write");
    let library = Library::scan(dir.path()).expect("scan");
    let mut app = App::new(library, "long".into(), (80, 24));
    app.resize(80, 24);
    keys(&mut app, "⏎");
    assert!(folio::effects::finish_layout(&mut app));
    (dir, app)
}

fn block_at(app: &App) -> usize {
    let reader = app.reader.as_ref().expect("reader");
    reader
        .laid
        .block_rows
        .partition_point(|&row| row <= reader.scroll)
        - 1
}

fn scroll_to_block(app: &mut App, block: usize) {
    let reader = app.reader.as_mut().expect("reader");
    reader.scroll = reader.laid.block_rows[block];
}

fn width(app: &App) -> usize {
    app.reader.as_ref().expect("reader").laid.width
}

/// Another layout (here a resize) reads the file again beside the loop, the old
/// layout staying on screen until the new one comes, at the same block.
#[test]
fn a_long_post_laid_out_again_is_read_again_from_its_file() {
    let (_dir, mut app) = long_post_app(&long_body("The end."));
    let reader = app.reader.as_ref().expect("reader");
    let PostSource::Long(long) = &reader.source else {
        panic!("a long post");
    };
    assert!(long.body.is_none(), "the body went to the layout job");
    scroll_to_block(&mut app, 501);
    app.resize(50, 24);
    assert_eq!(width(&app), 80, "the old layout until the new one comes");
    assert!(!app.reader.as_ref().expect("reader").laid.partial);
    assert_eq!(block_at(&app), 501);
    assert!(folio::effects::finish_layout(&mut app));
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.laid.width, 50);
    assert_eq!(
        reader.laid.block_rows.len(),
        801,
        "the whole body, read again"
    );
    assert_eq!(block_at(&app), 501, "at the same block");
    assert_eq!(app.message, None);
}

/// A file that holds other text when read again (changed, and no watcher said so) is
/// not laid out as if it were the text shown: the post is reloaded, said, at the same
/// block, with its new text and front matter.
#[test]
fn a_long_post_changed_between_reads_is_reloaded_not_laid_out_as_before() {
    let (dir, mut app) = long_post_app(&long_body("The end."));
    scroll_to_block(&mut app, 301);
    let changed = long_body("A new end.").replace("title: long", "title: renamed");
    std::fs::write(dir.path().join("long.md"), changed).expect("rewrite");

    app.resize(60, 24);
    let job = app.take_layout_job().expect("a layout is wanted");
    let result = job.run(folio::effects::body_for_layout).expect("wanted");
    assert!(
        result.laid.is_err(),
        "no layout of text other than the one shown"
    );
    assert_eq!(app.laid_out(result), Some(Effect::ReloadPost));
    assert_eq!(app.message.as_deref(), Some(folio::app::long_post::CHANGED));
    assert_eq!(
        width(&app),
        80,
        "nothing laid out from the changed file yet"
    );

    folio::effects::perform(&mut app, Effect::ReloadPost);
    assert!(folio::effects::finish_layout(&mut app));
    assert_eq!(width(&app), 60);
    assert_eq!(block_at(&app), 301, "at the same block");
    let text = laid_text(&app.reader.as_ref().expect("reader").laid);
    assert!(text.contains("A new end."));
    assert!(!text.contains("The end."));
    let card: String = text.lines().take(5).collect();
    assert!(card.contains("renamed"), "the new card: {card}");
    // Read again once more, the file is the text shown: laid out, nothing said.
    app.message = None;
    app.resize(70, 24);
    assert!(folio::effects::finish_layout(&mut app));
    assert_eq!(width(&app), 70);
    assert_eq!(app.message, None);
}

/// A file that cannot be read again keeps the layout there is, with the reason said;
/// a post gone from the collection is not read again: its text stays, said.
#[test]
fn a_long_post_that_cannot_be_read_again_keeps_its_layout() {
    let (dir, mut app) = long_post_app(&long_body("The end."));
    scroll_to_block(&mut app, 501);
    std::fs::remove_file(dir.path().join("long.md")).expect("remove");
    app.resize(70, 24);
    assert!(folio::effects::finish_layout(&mut app));
    let message = app.message.clone().unwrap_or_default();
    assert!(
        message.contains("cannot lay the post out again"),
        "{message}"
    );
    assert_eq!(width(&app), 80, "the layout there was stays");
    assert_eq!(block_at(&app), 501);

    // The rescan finds it gone: the text stays under the notice, and a resize does not
    // try to read it again.
    folio::effects::perform(&mut app, Effect::Rescan);
    let message = app.message.clone().unwrap_or_default();
    assert!(message.contains("removed from the collection"), "{message}");
    app.message = None;
    app.resize(60, 24);
    assert!(!folio::effects::finish_layout(&mut app), "nothing to read");
    assert_eq!(app.message.as_deref(), Some(folio::app::long_post::GONE));
    assert_eq!(width(&app), 80);
    assert_eq!(block_at(&app), 501);
    assert!(screen_text(&app).contains("节"));
}

/// A resize while the first layout is still being made: the first job is dropped
/// unrun (no longer wanted) and the next reads the file again, checked against the
/// text the first was given, without waiting on a job that never ran.
#[test]
fn a_first_layout_dropped_unrun_still_lets_the_next_check_its_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("long.md"), long_body("The end.")).expect("write");
    let library = Library::scan(dir.path()).expect("scan");
    let mut app = App::new(library, "long".into(), (80, 24));
    app.resize(80, 24);
    keys(&mut app, "⏎");
    let first = app.take_layout_job().expect("the first layout");
    app.resize(60, 24);
    let second = app.take_layout_job().expect("a layout at the new width");
    assert!(
        first.run(folio::effects::body_for_layout).is_none(),
        "not wanted"
    );
    let result = second.run(folio::effects::body_for_layout).expect("wanted");
    assert_eq!(app.laid_out(result), None);
    let reader = app.reader.as_ref().expect("reader");
    assert!(!reader.laid.partial);
    assert_eq!(reader.laid.width, 60);
}
