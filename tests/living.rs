//! The collection changes while folio runs: a post removed since the scan, another
//! collection switched to. Everything that remembers a post remembers which post, so it
//! never points at the wrong one afterwards.

mod common;

use std::path::Path;

use common::{keys, post, post_of};
use folio::app::change::LibraryChange;
use folio::app::msg::{self, Loaded, Msg};
use folio::app::{App, View};
use folio::config;
use folio::library::{Library, PostId};
use folio::theme::Theme;

fn write(dir: &Path, name: &str, title: &str, date: &str, tags: &str, body: &str) {
    let text = format!("---\ntitle: \"{title}\"\ndate: {date}\ntags: [{tags}]\n---\n\n{body}\n");
    std::fs::write(dir.join(name), text).expect("write post");
}

fn app_on(dir: &Path) -> App {
    let library = Library::scan(dir).expect("scan");
    let mut app = App::new(library, dir.display().to_string(), (100, 30));
    app.resize(100, 30);
    app
}

fn selected_title(app: &App) -> String {
    let id = app.selected.clone().expect("selection");
    post_of(app, &id).title.to_string()
}

fn titles(app: &App) -> Vec<String> {
    folio::app::listing::order(app)
        .iter()
        .map(|id| post_of(app, id).title.to_string())
        .collect()
}

#[test]
fn opening_a_post_removed_since_the_scan_says_so_and_drops_its_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (n, date) in [(1, "2024-01-05"), (2, "2024-01-04"), (3, "2024-01-03")] {
        write(
            dir.path(),
            &format!("p{n}.md"),
            &format!("Post {n}"),
            date,
            "",
            "x",
        );
    }
    let mut app = app_on(dir.path());
    keys(&mut app, "j");
    assert_eq!(selected_title(&app), "Post 2");
    std::fs::remove_file(dir.path().join("p2.md")).expect("remove");
    keys(&mut app, "⏎");
    assert_eq!(app.view, View::List, "nothing to open");
    assert_eq!(app.message.as_deref(), Some("p2.md was removed"));
    assert_eq!(titles(&app), ["Post 1", "Post 3"]);
    assert_eq!(
        selected_title(&app),
        "Post 3",
        "the selection moves to the next row"
    );
    // The last row removed: the selection moves up.
    std::fs::remove_file(dir.path().join("p3.md")).expect("remove");
    keys(&mut app, "⏎");
    assert_eq!(titles(&app), ["Post 1"]);
    assert_eq!(selected_title(&app), "Post 1");
    let status = common::screen(&app);
    assert!(status.contains("1 post"), "{status}");
}

#[test]
fn a_post_removed_above_the_selection_leaves_it_on_the_same_post() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (n, date) in [(1, "2024-01-05"), (2, "2024-01-04"), (3, "2024-01-03")] {
        write(
            dir.path(),
            &format!("p{n}.md"),
            &format!("Post {n}"),
            date,
            "",
            "x",
        );
    }
    let mut app = app_on(dir.path());
    keys(&mut app, "jj");
    assert_eq!(selected_title(&app), "Post 3");
    app.apply(vec![LibraryChange::Removed(PostId::from("p1.md"))]);
    assert_eq!(titles(&app), ["Post 2", "Post 3"]);
    assert_eq!(selected_title(&app), "Post 3");
    keys(&mut app, "k");
    assert_eq!(
        selected_title(&app),
        "Post 2",
        "movement follows the new rows"
    );
}

/// Two collections of the same size whose posts are alike in place but not in content.
fn two_collections() -> (tempfile::TempDir, tempfile::TempDir, App) {
    let one = tempfile::tempdir().expect("tempdir");
    let two = tempfile::tempdir().expect("tempdir");
    for (n, date) in [(1, "2024-01-05"), (2, "2024-01-04"), (3, "2024-01-03")] {
        let file = format!("p{n}.md");
        let body = format!("Body of one-{n}. [next](p{}.md)", n % 3 + 1);
        write(one.path(), &file, &format!("One {n}"), date, "alpha", &body);
        let body = format!("Body of two-{n}. [next](p{}.md)", n % 3 + 1);
        write(two.path(), &file, &format!("Two {n}"), date, "beta", &body);
    }
    let yaml = format!(
        "collection:\n  - {{ name: one, path: '{}' }}\n  - {{ name: two, path: '{}' }}\n",
        one.path().display(),
        two.path().display()
    );
    let config = config::parse(&yaml).expect("config");
    let mut app = app_on(one.path());
    app.configure(&config, Theme::dark());
    (one, two, app)
}

#[test]
fn after_switching_collections_search_history_and_j_k_reach_the_right_posts() {
    let (_one, _two, mut app) = two_collections();
    folio::bodies::load_now(&mut app);
    // Leave traces in the first collection: a search, a history, an open post.
    keys(&mut app, "/one⏎⏎⇥⏎");
    assert_eq!(&*post_of(&app, &post(&app)).title, "One 2");
    keys(&mut app, "q⎋");
    // Switch: the same file names, another collection.
    keys(&mut app, "Cj⏎");
    assert_eq!(app.prefs.current_collection, Some(1));
    assert_eq!(titles(&app), ["Two 1", "Two 2", "Two 3"]);
    // Search runs over the new posts (no stale rows of the same count).
    keys(&mut app, "/two 3⏎");
    assert_eq!(titles(&app), ["Two 3"]);
    keys(&mut app, "⎋");
    // Full text reads the new bodies once they are loaded, never the old ones.
    folio::bodies::load_now(&mut app);
    keys(&mut app, "/⇥body of one");
    assert!(titles(&app).is_empty(), "{:?}", titles(&app));
    keys(&mut app, "⎋/⇥body of two-2");
    assert_eq!(titles(&app), ["Two 2"]);
    keys(&mut app, "⎋g");
    // History starts afresh: Backspace from the first post opened goes to the list.
    keys(&mut app, "⏎");
    assert_eq!(&*post_of(&app, &post(&app)).title, "Two 1");
    keys(&mut app, "⇥⏎");
    assert_eq!(&*post_of(&app, &post(&app)).title, "Two 2");
    keys(&mut app, "⌫");
    assert_eq!(&*post_of(&app, &post(&app)).title, "Two 1");
    keys(&mut app, "⌫");
    assert_eq!(app.view, View::List);
    // J and K walk the new list.
    keys(&mut app, "⏎J");
    assert_eq!(&*post_of(&app, &post(&app)).title, "Two 2");
    keys(&mut app, "J");
    assert_eq!(&*post_of(&app, &post(&app)).title, "Two 3");
    keys(&mut app, "KK");
    assert_eq!(&*post_of(&app, &post(&app)).title, "Two 1");
}

#[test]
fn results_worked_out_for_the_previous_collection_are_dropped() {
    let (_one, _two, mut app) = two_collections();
    let old_epoch = app.collection_epoch;
    let old_body = folio::library::fulltext::Body::new("stale words".into());
    keys(&mut app, "Cj⏎");
    app.bodies.start(app.library.posts().len());
    msg::handle(
        &mut app,
        Msg::Loaded {
            epoch: old_epoch,
            what: Loaded::Bodies(vec![(PostId::from("p1.md"), Some(old_body))]),
        },
    );
    assert!(
        app.bodies.bodies.is_empty(),
        "a body of the old p1.md is not kept"
    );
    assert_eq!(app.bodies.loaded, 0);
}
