//! Reading memory in the TUI, without the store: where a post was left, read marks,
//! bookmarks and recent posts, as the keys drive them.

mod common;

use std::path::Path;

use common::{keys, post, post_of, screen};
use folio::app::{App, View};
use folio::library::{Library, PostId};
use folio::memory::{Memory, Write};

fn write(dir: &Path, name: &str, title: &str, date: &str, body: &str) {
    let text = format!("---\ntitle: \"{title}\"\ndate: {date}\n---\n\n{body}\n");
    std::fs::write(dir.join(name), text).expect("write post");
}

/// A long post (sections with paragraphs) and two short ones.
fn collection(dir: &Path) {
    let long: String = (0..60)
        .map(|n| format!("## Section {n}\n\nParagraph {n} of the long post, with some words.\n\n"))
        .collect();
    write(dir, "long.md", "Long post", "2024-01-03", &long);
    write(dir, "short.md", "Short post", "2024-01-02", "Just a line.");
    write(dir, "other.md", "Other post", "2024-01-01", "Another line.");
}

fn remembering(dir: &Path) -> App {
    let library = Library::scan(dir).expect("scan");
    let mut app = App::new(library, "memory".into(), (80, 24));
    app.memory = Memory::enabled();
    app.resize(80, 24);
    app
}

fn top_text(app: &App) -> String {
    let reader = app.reader.as_ref().expect("reader");
    reader
        .laid
        .lines
        .get(reader.scroll)
        .expect("row")
        .plain_text()
}

#[test]
fn a_post_reopens_where_it_was_left_and_g_still_goes_to_the_top() {
    let dir = tempfile::tempdir().expect("tempdir");
    collection(dir.path());
    let mut app = remembering(dir.path());
    keys(&mut app, "⏎");
    assert_eq!(&*post_of(&app, &post(&app)).title, "Long post");
    keys(&mut app, "]]]]]]]]]]]]");
    let left_at = top_text(&app);
    assert!(left_at.contains("Section"), "{left_at}");
    keys(&mut app, "q");
    let writes = app.memory.take_pending();
    assert!(
        writes.iter().any(|w| matches!(w, Write::Position { .. })),
        "{writes:?}"
    );
    keys(&mut app, "⏎");
    assert_eq!(top_text(&app), left_at, "resumed at the same block");
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("resumed"))
    );
    keys(&mut app, "g");
    assert_eq!(app.reader.as_ref().expect("reader").scroll, 0);
    // J/K and links resume too; an explicit place (history) does not.
    keys(&mut app, "]]]]Jk");
    keys(&mut app, "K");
    assert!(top_text(&app).contains("Section 3") || top_text(&app).contains("Section 4"));
}

#[test]
fn an_edit_above_the_reading_point_still_finds_the_passage_and_a_rewrite_opens_at_the_top() {
    let dir = tempfile::tempdir().expect("tempdir");
    collection(dir.path());
    let mut app = remembering(dir.path());
    keys(&mut app, "⏎]]]]]]]]]]");
    let left_at = top_text(&app);
    keys(&mut app, "q");
    // Two sections added at the start of the post.
    let long = std::fs::read_to_string(dir.path().join("long.md")).expect("read");
    let edited = long.replacen(
        "## Section 0",
        "## A new first part\n\nNew text.\n\n## Another\n\nMore.\n\n## Section 0",
        1,
    );
    std::fs::write(dir.path().join("long.md"), edited).expect("write");
    keys(&mut app, "⏎");
    assert_eq!(top_text(&app), left_at, "the same passage, two blocks down");
    keys(&mut app, "q");
    // Rewritten: nothing of the old text is left.
    write(
        dir.path(),
        "long.md",
        "Long post",
        "2024-01-03",
        "## Fresh\n\nAll new.\n",
    );
    keys(&mut app, "⏎");
    assert_eq!(app.reader.as_ref().expect("reader").scroll, 0);
}

#[test]
fn posts_are_read_once_their_end_was_on_screen_and_m_u_move_and_mark() {
    let dir = tempfile::tempdir().expect("tempdir");
    collection(dir.path());
    let mut app = remembering(dir.path());
    let long = PostId::from("long.md");
    let short = PostId::from("short.md");
    let status = |app: &App| screen(app).lines().last().unwrap_or_default().to_string();
    assert!(status(&app).contains("3 unread"), "{}", status(&app));
    assert!(screen(&app).contains("▌•Long post"), "{}", screen(&app));
    // The long post: opened, not read until its end is on screen.
    keys(&mut app, "⏎");
    assert!(!app.memory.is_read(&long));
    keys(&mut app, "G");
    assert!(app.memory.is_read(&long));
    keys(&mut app, "q");
    assert!(status(&app).contains("2 unread"), "{}", status(&app));
    // A short post fits on the screen: read as it opens.
    keys(&mut app, "j⏎q");
    assert!(app.memory.is_read(&short));
    // u: the next unread post in the list, round to the top.
    keys(&mut app, "g");
    keys(&mut app, "u");
    assert_eq!(app.selected.as_ref().map(PostId::as_str), Some("other.md"));
    // m: toggles; an unread post is found again by u.
    keys(&mut app, "gm");
    assert!(!app.memory.is_read(&long));
    keys(&mut app, "Gu");
    assert_eq!(app.selected, Some(long));
}

#[test]
fn bookmarks_keep_a_place_and_a_note_and_deleting_one_can_be_undone() {
    let dir = tempfile::tempdir().expect("tempdir");
    collection(dir.path());
    let mut app = remembering(dir.path());
    keys(&mut app, "⏎]]]]]]]");
    let marked = top_text(&app);
    keys(&mut app, "M");
    keys(&mut app, "come back here⏎");
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("bookmarked"))
    );
    keys(&mut app, "gq'");
    let list = screen(&app);
    assert!(list.contains("Long post"), "{list}");
    assert!(list.contains("come back here"), "{list}");
    assert!(list.contains("§ Section"), "the section heading: {list}");
    keys(&mut app, "⏎");
    assert_eq!(app.view, View::Reader);
    assert_eq!(top_text(&app), marked, "Enter opens at the spot");
    keys(&mut app, "q'x");
    assert!(app.memory.bookmarks.is_empty());
    keys(&mut app, "u");
    assert_eq!(app.memory.bookmarks.len(), 1, "undone");
    keys(&mut app, "⎋");
    // Esc in the note line makes no bookmark.
    keys(&mut app, "⏎M");
    keys(&mut app, "nope⎋");
    assert_eq!(app.memory.bookmarks.len(), 1);
}

#[test]
fn h_lists_the_posts_opened_lately_most_recent_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    collection(dir.path());
    let mut app = remembering(dir.path());
    keys(&mut app, "⏎qj⏎qjj⏎qH");
    let picker = app.picker.as_ref().expect("the recent list");
    let labels: Vec<&str> = picker.items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels, ["Other post", "Short post", "Long post"]);
    assert!(screen(&app).contains("Recent"));
    keys(&mut app, "j⏎");
    assert_eq!(&*post_of(&app, &post(&app)).title, "Short post");
}

#[test]
fn without_memory_nothing_is_recorded_and_the_keys_say_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    collection(dir.path());
    let library = Library::scan(dir.path()).expect("scan");
    let mut app = App::new(library, "off".into(), (80, 24));
    app.resize(80, 24);
    keys(&mut app, "⏎Gq");
    assert!(app.memory.take_pending().is_empty());
    keys(&mut app, "m");
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("memory is off"))
    );
    assert!(!screen(&app).contains("unread"));
}
