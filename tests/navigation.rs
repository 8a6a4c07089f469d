//! Finding one's way around a post and between posts, driven without a terminal: the
//! outline, links between the sample posts, history, related posts, copying and
//! editing. Keys go through the real keymap and `update` (see `common`).

mod common;

use common::*;
use crossterm::event::KeyCode;
use folio::app::{App, Effect, View};
use folio::library::Library;
use ratatui::style::Modifier;

#[test]
fn outline_lists_headings_marks_the_section_and_enter_jumps() {
    let mut app = app(100, 30);
    open(&mut app, "markdown-tour");
    let width_before = app.reader.as_ref().expect("reader").laid.width;
    keys(&mut app, "o");
    assert!(app.outline.open && app.outline.focused);
    let reader = app.reader.as_ref().expect("reader");
    assert!(
        reader.laid.width < width_before,
        "the text makes room for the pane"
    );
    let headings = reader.laid.headings.clone();
    assert!(headings.len() > 3);
    let text = screen(&app);
    assert!(text.contains("Outline"), "{text}");
    assert!(text.contains(&headings[1].text), "{text}");

    keys(&mut app, "jj");
    assert_eq!(app.outline.selected, 2);
    assert_eq!(scroll(&app), 0, "moving in the outline does not scroll");
    keys(&mut app, "⏎");
    assert!(
        !app.outline.focused,
        "Enter hands the keys back to the text"
    );
    assert!(app.outline.open, "the pane stays to show the section");
    assert_eq!(scroll(&app), headings[2].row.min(app.max_reader_scroll()));
    let marked = rows_of(&draw_buffer(&app), |_| true)
        .into_iter()
        .find(|row| row.contains('▸'))
        .expect("a marked section");
    let head: String = headings[2].text.chars().take(12).collect();
    assert!(marked.contains(&head), "{marked}");

    keys(&mut app, "j");
    assert_eq!(
        scroll(&app),
        headings[2].row + 1,
        "j scrolls the text again"
    );
    keys(&mut app, "o");
    assert!(!app.outline.open);
    assert_eq!(
        app.reader.as_ref().expect("reader").laid.width,
        width_before
    );
}

#[test]
fn brackets_step_through_headings() {
    let mut app = app(100, 30);
    open(&mut app, "markdown-tour");
    let rows: Vec<usize> = app
        .reader
        .as_ref()
        .expect("reader")
        .laid
        .headings
        .iter()
        .map(|h| h.row)
        .collect();
    keys(&mut app, "]");
    assert_eq!(scroll(&app), rows[0]);
    keys(&mut app, "]");
    assert_eq!(scroll(&app), rows[1]);
    keys(&mut app, "jj[");
    assert_eq!(
        scroll(&app),
        rows[1],
        "[ goes to the top of the section first"
    );
    keys(&mut app, "[");
    assert_eq!(scroll(&app), rows[0]);
    keys(&mut app, "G]");
    assert_eq!(
        scroll(&app),
        app.max_reader_scroll(),
        "] at the end stays put"
    );
}

#[test]
fn tab_focuses_links_on_screen_and_draws_the_focused_one_reversed() {
    let mut app = app(100, 30);
    open(&mut app, "rust-ownership");
    keys(&mut app, "⇥");
    assert_eq!(focused_url(&app).as_deref(), Some("#借用规则"));
    let reversed = rows_of(&draw_buffer(&app), |c| {
        c.modifier.contains(Modifier::REVERSED)
    })
    .concat();
    assert_eq!(reversed, "借用规则");
    keys(&mut app, "⇥");
    assert_eq!(
        focused_url(&app).as_deref(),
        Some("../go-concurrency-patterns/index.md")
    );
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("go-concurrency"))
    );
    keys(&mut app, "⇤");
    assert_eq!(focused_url(&app).as_deref(), Some("#借用规则"));
    keys(&mut app, "⇤");
    assert!(
        focused_url(&app).is_some(),
        "Shift-Tab wraps to the last link"
    );

    // Scrolled off screen, the focus is dropped: Enter must not follow a hidden link.
    keys(&mut app, "⇥G");
    assert_eq!(app.reader.as_ref().expect("reader").focus, None);
    assert_eq!(press(&mut app, KeyCode::Enter), None);
    assert_eq!(post(&app), id_of(&app, "rust-ownership"));
}

#[test]
fn enter_follows_a_relative_link_and_backspace_returns_to_the_same_place() {
    let mut app = app(100, 30);
    open(&mut app, "rust-ownership");
    let rust = post(&app);
    keys(&mut app, "jj");
    tab_to(&mut app, "../go-concurrency-patterns/index.md");
    keys(&mut app, "⏎");
    assert_eq!(post(&app), id_of(&app, "go-concurrency-patterns"));
    assert_eq!(scroll(&app), 0);
    assert!(screen(&app).contains("Go Concurrency Patterns"));
    assert_eq!(app.selected, Some(post(&app)), "the list selection follows");

    keys(&mut app, "jjj⌫");
    assert_eq!(app.view, View::Reader);
    assert_eq!(post(&app), rust);
    assert_eq!(scroll(&app), 2, "back to the very row");

    keys(&mut app, "L");
    assert_eq!(post(&app), id_of(&app, "go-concurrency-patterns"));
    assert_eq!(scroll(&app), 3, "forward to where we left it");
    keys(&mut app, "L");
    assert!(app.message.is_some(), "nothing further says so");

    keys(&mut app, "⌫⌫");
    assert_eq!(app.view, View::List, "empty history: back to the list");
}

#[test]
fn anchor_links_jump_to_the_heading_and_history_comes_back() {
    let mut app = app(100, 30);
    open(&mut app, "rust-ownership");
    tab_to(&mut app, "#借用规则");
    keys(&mut app, "⏎");
    let reader = app.reader.as_ref().expect("reader");
    let row = reader
        .laid
        .headings
        .iter()
        .find(|h| h.anchor == "借用规则")
        .expect("heading")
        .row;
    assert_eq!(scroll(&app), row.min(app.max_reader_scroll()));
    assert_eq!(post(&app), id_of(&app, "rust-ownership"));
    keys(&mut app, "⌫");
    assert_eq!(scroll(&app), 0);
    assert_eq!(app.view, View::Reader);
}

#[test]
fn links_in_the_tour_open_posts_by_path_by_folder_and_by_ref() {
    let mut app = app(120, 50);
    open(&mut app, "markdown-tour");
    let tour = post(&app);
    // The links section of the tour; scroll until its relative links are on screen.
    let row = app
        .reader
        .as_ref()
        .expect("reader")
        .laid
        .links
        .iter()
        .find(|l| l.url == "../rust-ownership/index.md")
        .expect("tour links to rust-ownership")
        .row;
    for _ in 0..row.saturating_sub(5) {
        keys(&mut app, "j");
    }
    for (url, slug) in [
        ("../rust-ownership/index.md", "rust-ownership"),
        ("../go-concurrency-patterns/", "go-concurrency-patterns"),
        ("../shell-cheatsheet.md", "shell-cheatsheet"),
        ("rust-ownership", "rust-ownership"),
    ] {
        tab_to(&mut app, url);
        keys(&mut app, "⏎");
        assert_eq!(post(&app), id_of(&app, slug), "{url}");
        keys(&mut app, "⌫");
        assert_eq!(post(&app), tour);
    }
    tab_to(&mut app, "https://commonmark.org/help/");
    assert_eq!(
        press(&mut app, KeyCode::Enter),
        Some(Effect::OpenExternal("https://commonmark.org/help/".into()))
    );
    assert_eq!(post(&app), tour, "the web is left to the browser");
}

#[test]
fn unknown_schemes_are_refused_with_a_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("a.md"),
        "# A\n\n[run](javascript:alert(1)) [gone](missing.md)\n",
    )
    .expect("write");
    let library = Library::scan(dir.path()).expect("scan");
    let mut app = App::new(library, "tmp".into(), (80, 24));
    keys(&mut app, "⏎⇥");
    assert_eq!(press(&mut app, KeyCode::Enter), None);
    let message = app.message.clone().unwrap_or_default();
    assert!(message.contains("javascript"), "{message}");
    keys(&mut app, "⇥⏎");
    let message = app.message.clone().unwrap_or_default();
    assert!(message.contains("missing.md"), "{message}");
    assert_eq!(app.view, View::Reader);
}

#[test]
fn related_posts_close_the_reader_and_open_like_links() {
    let mut app = app(100, 30);
    open(&mut app, "istio-4th-anniversary");
    let reader = app.reader.as_ref().expect("reader");
    assert!(!reader.related.is_empty() && reader.related.len() <= 5);
    let first = reader.related[0].clone();
    // Shares both of its tags (istio, service mesh): the field notes.
    assert_eq!(first.post, id_of(&app, "service-mesh-field-notes"));
    keys(&mut app, "G");
    let text = screen(&app);
    assert!(text.contains("Related posts"), "{text}");
    assert!(text.contains(&first.title), "{text}");
    tab_to(&mut app, &first.path);
    keys(&mut app, "⏎");
    assert_eq!(post(&app), first.post);
    keys(&mut app, "⌫");
    assert_eq!(post(&app), id_of(&app, "istio-4th-anniversary"));
    assert_eq!(scroll(&app), app.max_reader_scroll());
}

#[test]
fn y_copies_the_focused_link_or_the_code_block_on_screen() {
    let mut app = app(100, 30);
    open(&mut app, "rust-ownership");
    // A relative link to another post is copied as that post's absolute path.
    tab_to(&mut app, "../go-concurrency-patterns/index.md");
    let target = sample_dir().join("go-concurrency-patterns/index.md");
    let target = std::path::absolute(&target).expect("absolute");
    assert_eq!(
        press(&mut app, KeyCode::Char('y')),
        Some(Effect::Copy(target.display().to_string()))
    );
    // Without a focused link: the first code block on screen, as written in the post.
    let reader = app.reader.as_ref().expect("reader");
    let file = std::fs::read_to_string(sample_dir().join("rust-ownership/index.md")).expect("post");
    let (_, body, _) = folio::library::front_matter::split_body(file);
    let document = folio::markdown::parse(&body);
    let (block, text) = document
        .blocks
        .iter()
        .enumerate()
        .find_map(|(i, b)| match b {
            folio::markdown::model::Block::Code { text, .. } => Some((i, text)),
            _ => None,
        })
        .expect("a code block");
    let expected = text.trim_end_matches('\n').to_string();
    let row = reader.laid.block_rows[block];
    keys(&mut app, "g");
    for _ in 0..row {
        keys(&mut app, "j");
    }
    assert_eq!(
        press(&mut app, KeyCode::Char('y')),
        Some(Effect::Copy(expected))
    );
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("code block"))
    );
}

#[test]
fn e_edits_files_but_not_the_built_in_samples_and_reload_keeps_the_block() {
    let mut app = app(100, 30);
    open(&mut app, "rust-ownership");
    let path = sample_dir().join("rust-ownership").join("index.md");
    assert_eq!(
        press(&mut app, KeyCode::Char('e')),
        Some(Effect::Edit(path))
    );

    // What the event loop does after the editor: reload, at the same block.
    keys(&mut app, "]]");
    let before = app.reader.as_ref().expect("reader");
    let block = before
        .laid
        .block_rows
        .partition_point(|&r| r <= before.scroll)
        - 1;
    let mut text = post_of(&app, &post(&app)).text().expect("read");
    app.message = Some("vi exited with 1".into());
    text.body.push_str("\n\nA new last paragraph.\n");
    app.reload_post(text);
    let after = app.reader.as_ref().expect("reader");
    assert_eq!(after.scroll, after.laid.block_rows[block]);
    assert!(
        after
            .laid
            .lines
            .iter()
            .any(|l| l.plain_text().contains("A new last"))
    );
    assert_eq!(app.message.as_deref(), Some("vi exited with 1"));

    let mut bundled = App::new(folio::samples::library(), "bundled".into(), (80, 24));
    keys(&mut bundled, "⏎");
    assert_eq!(press(&mut bundled, KeyCode::Char('e')), None);
    assert!(
        bundled
            .message
            .as_deref()
            .is_some_and(|m| m.contains("cannot be edited"))
    );
}

#[test]
fn tiny_terminals_with_the_outline_open_never_panic() {
    let mut app = app(100, 30);
    open(&mut app, "markdown-tour");
    keys(&mut app, "o");
    assert_fits_at_sizes(
        &mut app,
        &[
            (1, 1),
            (3, 3),
            (0, 0),
            (12, 3),
            (63, 10),
            (64, 4),
            (64, 10),
            (500, 2),
        ],
        &["]⇥jo", "o[⇤⏎"],
    );
}

#[test]
fn y_copies_links_as_usable_outside_the_post() {
    // A collection opened by a relative path (`folio sample-posts`): copies are still
    // absolute, with the `..` of the link folded away.
    let library = folio::library::Library::scan(std::path::Path::new("sample-posts"))
        .expect("scan from the package folder");
    let mut app = App::new(library, "sample-posts".into(), (100, 30));
    app.resize(100, 30);
    open(&mut app, "markdown-tour");
    let copied = |app: &mut App| match press(app, KeyCode::Char('y')) {
        Some(Effect::Copy(text)) => text,
        other => panic!("no copy: {other:?}"),
    };
    let cwd = std::env::current_dir().expect("cwd");
    keys(&mut app, "/Links come in⏎");
    tab_to(&mut app, "https://commonmark.org/help/");
    assert_eq!(copied(&mut app), "https://commonmark.org/help/");
    tab_to(&mut app, "../shell-cheatsheet.md");
    assert_eq!(
        copied(&mut app),
        cwd.join("sample-posts/shell-cheatsheet.md")
            .display()
            .to_string()
    );
    tab_to(&mut app, "../go-concurrency-patterns/");
    assert_eq!(
        copied(&mut app),
        cwd.join("sample-posts/go-concurrency-patterns/index.md")
            .display()
            .to_string()
    );
}
