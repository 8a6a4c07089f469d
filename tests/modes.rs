//! Which layer has the keys: Esc closes the layer on top and nothing under it, a
//! message stays with the screen it was said on, and the status bar names things as
//! the user named them.

mod common;

use common::{app, keys, open, screen};
use folio::app::{Mode, View};
use folio::config;
use folio::theme::Theme;

#[test]
fn esc_in_the_outline_closes_the_pane_only() {
    let mut app = app(100, 30);
    open(&mut app, "istio-4th-anniversary");
    keys(&mut app, "o");
    assert_eq!(app.mode(), Mode::Outline);
    keys(&mut app, "⎋");
    assert!(!app.outline.open, "the pane is closed");
    assert_eq!(app.view, View::Reader, "and the post is still open");
    // With a search in the post, Esc in the pane still only closes the pane.
    keys(&mut app, "/istio⏎o⎋");
    assert!(!app.outline.open);
    assert!(app.find.is_active(), "the find is kept");
    assert_eq!(app.view, View::Reader);
}

#[test]
fn esc_in_the_list_never_quits() {
    let mut app = app(100, 30);
    keys(&mut app, "/istio⏎");
    app.set_chips(folio::library::query::Chips {
        tags: vec!["kubernetes".into()],
        ..Default::default()
    });
    keys(&mut app, "⎋");
    assert!(app.search.input.is_empty(), "first the search");
    assert!(!app.search.chips.is_empty(), "the tag filter stays");
    keys(&mut app, "⎋");
    assert!(app.search.chips.is_empty(), "then the tag filter");
    for _ in 0..3 {
        keys(&mut app, "⎋");
        assert!(!app.should_quit);
    }
    assert!(screen(&app).contains("q quits"), "{}", screen(&app));
    keys(&mut app, "q");
    assert!(app.should_quit);
}

#[test]
fn a_reader_message_does_not_follow_to_the_list() {
    let mut app = app(100, 30);
    open(&mut app, "istio-4th-anniversary");
    keys(&mut app, "L");
    assert_eq!(app.message.as_deref(), Some("nothing to go forward to"));
    keys(&mut app, "q");
    assert_eq!(app.view, View::List);
    assert!(!screen(&app).contains("nothing to go forward to"));
    // It is still in the messages page.
    keys(&mut app, "!");
    assert!(screen(&app).contains("nothing to go forward to"));
}

#[test]
fn the_status_bar_names_the_collection_by_its_config_name() {
    let dir = common::sample_dir();
    let yaml = format!(
        "collection:\n  - {{ name: 我的博客, path: {} }}\n  - /nonexistent/notes\n",
        dir.display()
    );
    let config = config::parse(&yaml).expect("config parses");
    let library = folio::library::Library::scan(&dir).expect("scan");
    let mut app = folio::app::App::new(library, dir.display().to_string(), (100, 30));
    app.configure(&config, Theme::dark());
    let status = screen(&app).lines().last().unwrap_or_default().to_string();
    assert!(status.contains("我的博客 · 10 posts"), "{status}");
}

#[test]
fn hints_in_messages_name_the_keys_as_remapped() {
    let config = config::parse(
        "keys:\n  reader: { tab: none, w: next-link }\n  list: { esc: none, x: clear-filter }\n",
    )
    .expect("config");
    let library = folio::library::Library::scan(&common::sample_dir()).expect("scan");
    let mut app = folio::app::App::new(library, "s".into(), (100, 30));
    app.configure(&config, Theme::dark());
    keys(&mut app, "/zzzzzz⏎");
    assert!(
        screen(&app).contains("No posts match · x clears the search"),
        "{}",
        screen(&app)
    );
    keys(&mut app, "x");
    open(&mut app, "istio-4th-anniversary");
    keys(&mut app, "⏎");
    assert_eq!(
        app.message.as_deref(),
        Some("no link focused: w moves to the links on screen")
    );
    let status = screen(&app).lines().last().unwrap_or_default().to_string();
    assert!(status.contains("? help"), "{status}");
}
