//! The list as shown and the keys that walk it, driven without a terminal: archive
//! grouping (`z`), sort (`s`), J/K in the reader following that order, mouse clicks,
//! and the help overlay listing the new keys.

mod common;

use common::*;
use folio::app::listing::{self, Row};
use folio::app::{Action, Effect, mouse};

#[test]
fn capital_j_and_k_open_the_neighbours_in_the_list() {
    let mut app = app(100, 30);
    keys(&mut app, "j⏎");
    assert_eq!(post(&app), nth(&app, 1));
    keys(&mut app, "J");
    assert_eq!(post(&app), nth(&app, 2));
    keys(&mut app, "KK");
    assert_eq!(post(&app), nth(&app, 0));
    keys(&mut app, "K");
    assert_eq!(post(&app), nth(&app, 0));
    assert!(app.message.as_deref().is_some_and(|m| m.contains("first")));
    // J/K follow the list as shown: sorted by title, the neighbour is by title.
    keys(&mut app, "qsgj⏎");
    let order = listing::order(&app);
    assert_eq!(post(&app), order[1]);
    keys(&mut app, "J");
    assert_eq!(post(&app), order[2]);
}

#[test]
fn z_groups_the_list_by_month_and_movement_skips_the_headers() {
    let mut app = app(100, 40);
    keys(&mut app, "z");
    let rows = listing::rows(&app);
    let groups: Vec<&str> = rows
        .iter()
        .filter_map(|r| match r {
            Row::Group { label, .. } => Some(label.as_str()),
            Row::Post(_) => None,
        })
        .collect();
    assert_eq!(groups.first().copied(), Some("2025 · February"));
    assert!(matches!(rows[0], Row::Group { count: 1, .. }));
    let text = screen(&app);
    assert!(text.contains("── 2025 · February (1)"), "{text}");
    assert!(text.contains("2021 · May"), "{text}");
    let order = listing::order(&app);
    assert_eq!(order.len(), app.library.posts().len());
    keys(&mut app, "j");
    assert_eq!(app.selected.as_ref(), Some(&order[1]));
    keys(&mut app, "G");
    assert_eq!(app.selected.as_ref(), order.last());
    keys(&mut app, "z");
    assert!(!app.list_options.archive);
    assert!(!screen(&app).contains("── 2025"));
}

#[test]
fn s_sorts_by_title_and_back_by_date() {
    let mut app = app(100, 30);
    keys(&mut app, "s");
    let titles: Vec<String> = listing::order(&app)
        .into_iter()
        .map(|id| post_of(&app, &id).title.to_string())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort_by_cached_key(|t| folio::library::collate::sort_key(t));
    assert_eq!(titles, sorted);
    keys(&mut app, "g");
    let first = listing::order(&app)[0].clone();
    assert_eq!(app.selected.as_ref(), Some(&first));
    let top_row = screen(&app).lines().next().unwrap_or_default().to_string();
    let head: String = post_of(&app, &first).title.chars().take(10).collect();
    assert!(top_row.contains(&head), "{top_row}");
    keys(&mut app, "s");
    let by_date: Vec<_> = app.library.posts().iter().map(|p| p.id.clone()).collect();
    assert_eq!(listing::order(&app), by_date);
}

#[test]
fn a_click_selects_a_row_and_a_double_click_opens_it() {
    let mut app = app(100, 30);
    let row_height = app.list_row_height() as u16;
    assert_eq!(mouse::click(&mut app, 5, 2 * row_height, 1_000), None);
    assert_eq!(app.selected, Some(nth(&app, 2)));
    assert_eq!(mouse::click(&mut app, 5, row_height, 1_100), None);
    assert_eq!(
        app.selected,
        Some(nth(&app, 1)),
        "another row is a new first click"
    );
    assert_eq!(
        mouse::click(&mut app, 5, row_height, 1_700),
        None,
        "too slow"
    );
    assert_eq!(
        mouse::click(&mut app, 9, row_height + row_height - 1, 2_000),
        Some(Effect::OpenPost(nth(&app, 1))),
        "both lines of a row are the row"
    );
    assert_eq!(mouse::click(&mut app, 5, 29, 2_100), None, "the status bar");
    assert_eq!(app.selected, Some(nth(&app, 1)));
    // In the archive view a header is not a post.
    keys(&mut app, "z");
    assert_eq!(mouse::click(&mut app, 5, 0, 5_000), None);
    assert_eq!(app.selected, Some(nth(&app, 1)));
}

#[test]
fn help_lists_every_new_key() {
    let mut app = app(100, 60);
    open(&mut app, "markdown-tour");
    keys(&mut app, "?");
    let text = screen(&app);
    for action in [
        Action::ToggleOutline,
        Action::NextHeading,
        Action::PrevHeading,
        Action::NextLink,
        Action::PrevLink,
        Action::Follow,
        Action::HistoryBack,
        Action::HistoryForward,
        Action::Edit,
        Action::Copy,
        Action::NextPost,
        Action::PrevPost,
    ] {
        assert!(text.contains(action.description()), "{action:?}:\n{text}");
    }
    assert!(text.contains("Shift-Tab"), "{text}");
    let mut list = self::app(100, 40);
    keys(&mut list, "?");
    let text = screen(&list);
    for action in [Action::ToggleArchive, Action::ToggleSort] {
        assert!(text.contains(action.description()), "{action:?}:\n{text}");
    }
}

#[test]
fn rows_follow_a_library_that_grew() {
    let mut app = app(100, 30);
    keys(&mut app, "sz");
    let before = listing::order(&app);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("late.md");
    std::fs::write(&path, "---\ntitle: AAA late\ndate: 2030-01-01\n---\nx\n").expect("write");
    let id = app
        .library
        .insert_sorted(folio::library::Post::load(&path, "late.md".into()));
    let after = listing::order(&app);
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after[0], id, "the newest month comes first");
    assert!(
        matches!(&listing::rows(&app)[0], Row::Group { label, .. } if label == "2030 · January")
    );
}

/// A library too big to key its titles on the event loop: the first `s` hands them to
/// a thread (here, the test), the list keeps its order meanwhile and says so, and the
/// keys' arrival sorts it, the selection staying on its post. A small library is sorted
/// at once (the tests above).
#[test]
fn the_first_title_sort_of_a_big_library_keys_its_titles_beside_the_loop() {
    use folio::app::msg::{Loaded, Msg, handle};
    use folio::library::{Library, Post};
    use std::sync::Arc;
    let posts: Vec<Arc<Post>> = (0..3000)
        .map(|n| {
            // Dates ascend with n, titles descend: the two orders are opposite.
            let text = format!(
                "---\ntitle: \"post {:05}\"\ndate: 2020-01-01T00:00:{:02}Z\n---\nx\n",
                9999 - n,
                n % 60
            );
            let bytes: &'static [u8] = Box::leak(text.into_bytes().into_boxed_slice());
            Arc::new(Post::from_bytes(format!("p{n}.md").into(), bytes))
        })
        .collect();
    let library = Library::new("/nowhere".into(), posts, Vec::new());
    let mut app = folio::app::App::new(library, "big".into(), (100, 30));
    keys(&mut app, "jj");
    let selected = app.selected.clone().expect("a selection");
    let by_date = listing::order(&app);

    keys(&mut app, "s");
    assert_eq!(app.message.as_deref(), Some("sorting by title…"));
    assert_eq!(
        listing::order(&app),
        by_date,
        "the order waits for the keys"
    );
    let job = app
        .list_options
        .take_title_keys_job()
        .expect("keys asked for");
    assert_eq!(job.len(), 3000);
    assert!(
        app.list_options.take_title_keys_job().is_none(),
        "asked once"
    );
    // Another key meanwhile does not ask again.
    keys(&mut app, "j");
    assert!(app.list_options.take_title_keys_job().is_none());
    keys(&mut app, "k");

    // Keys of a collection no longer on screen (switched away and back) are dropped,
    // and the collection now shown asks for its own.
    let old_epoch = app.collection_epoch;
    app.collection_epoch += 1;
    keys(&mut app, "j");
    let job = app.list_options.take_title_keys_job().expect("asked again");
    keys(&mut app, "k");
    let stale = folio::app::listing::TitleKeys::of(&job[..10]);
    handle(
        &mut app,
        Msg::Loaded {
            epoch: old_epoch,
            what: Loaded::TitleKeys(stale),
        },
    );
    assert_eq!(listing::order(&app), by_date);

    let keys_made = folio::app::listing::TitleKeys::of(&job);
    let epoch = app.collection_epoch;
    let effect = handle(
        &mut app,
        Msg::Loaded {
            epoch,
            what: Loaded::TitleKeys(keys_made),
        },
    );
    assert!(effect.is_none());
    assert_eq!(app.message.as_deref(), Some("sorted by title"));
    let by_title = listing::order(&app);
    let titles: Vec<&str> = by_title
        .iter()
        .map(|id| &*post_of(&app, id).title)
        .collect();
    assert!(titles.is_sorted(), "{:?}", &titles[..5]);
    assert_ne!(by_title, by_date);
    assert_eq!(app.selected.as_ref(), Some(&selected), "the same post");
    assert!(screen(&app).contains(&*post_of(&app, &selected).title));

    // Searches, still by title: one that keeps most posts (read from the order kept
    // for the library) and one that keeps a few (sorted on their own).
    for (query, most) in [("post", true), ("post 0999", false)] {
        keys(&mut app, "/");
        keys(&mut app, query);
        let shown: Vec<&str> = listing::order(&app)
            .iter()
            .map(|id| &*post_of(&app, id).title)
            .collect();
        assert!(
            shown.is_sorted(),
            "{query}: {:?}",
            &shown[..shown.len().min(5)]
        );
        assert_eq!(shown.len() * 8 >= 3000, most, "{query}: {}", shown.len());
        assert!(!shown.is_empty());
        keys(&mut app, "⎋⎋");
    }
}

/// Sorted by title, a post whose title changes on disk moves to its new place, and a
/// search keeps the title order among its matches.
#[test]
fn the_title_order_follows_a_retitled_post_and_a_search() {
    use folio::app::change::LibraryChange;
    use folio::library::collate::sort_key;
    let in_title_order = |app: &folio::app::App| {
        let keys: Vec<Vec<u8>> = listing::order(app)
            .iter()
            .map(|id| sort_key(&post_of(app, id).title))
            .collect();
        keys.is_sorted()
    };
    let mut app = app(100, 30);
    keys(&mut app, "s");
    assert!(in_title_order(&app));
    let before = listing::order(&app);
    let last = before.last().cloned().expect("posts");
    for title in ["AAAA", "Mmmm", "zzzz"] {
        let mut retitled = post_of(&app, &last).clone();
        retitled.title = title.into();
        app.apply(vec![LibraryChange::Upsert(retitled)]);
        assert!(in_title_order(&app), "{title}: {:?}", listing::order(&app));
        assert_eq!(listing::order(&app).len(), before.len());
    }
    // A search: its matches, still by title.
    keys(&mut app, "/kubernetes");
    let shown = listing::order(&app).len();
    assert!(shown > 1 && shown < before.len(), "{shown}");
    assert!(in_title_order(&app));
}
