//! Full text past the memory budget: bodies are kept up to the budget, and a query
//! finds the rest by reading the files, with the same results as if everything fitted.

mod common;

use std::path::Path;

use common::{keys, post_of};
use folio::app::App;
use folio::app::msg::{self, Msg};
use folio::library::Library;

fn collection(dir: &Path) {
    for n in 0..40 {
        let extra = if n % 3 == 0 {
            "the rare word zephyr, and zephyr again"
        } else {
            ""
        };
        let body = format!(
            "Post number {n} talks about meshes and sidecars at some length. {extra}\n\n{}",
            "Filler text that makes the body long enough to count. ".repeat(20)
        );
        let text = format!(
            "---\ntitle: Post {n:02}\ndate: 2024-01-{:02}\n---\n\n{body}\n",
            n % 28 + 1
        );
        std::fs::write(dir.join(format!("p{n:02}.md")), text).expect("write");
    }
}

fn app_with_budget(dir: &Path, budget: usize) -> App {
    let library = Library::scan(dir).expect("scan");
    let mut app = App::new(library, "budget".into(), (100, 40));
    app.resize(100, 40);
    app.bodies.set_budget(budget);
    folio::bodies::load_now(&mut app);
    app
}

/// Runs whatever search of files the app asked for, here and now, as its thread would;
/// says how many files it was asked to read.
fn run_file_searches(app: &mut App) -> usize {
    let mut files = 0;
    while let Some(job) = app.text_search.take() {
        files += job.posts.len();
        let mut got = Vec::new();
        folio::bodies::run_file_search(job, |msg| {
            got.push(msg);
            true
        });
        for msg in got {
            msg::handle(app, msg);
        }
    }
    files
}

/// (title, hit count, snippet) of each row.
fn results(app: &App) -> Vec<(String, usize, String)> {
    (0..app.row_count())
        .filter_map(|row| {
            let hit = app.hit_at_row(row)?;
            let text = hit.text.as_ref()?;
            let snippet = match (&text.kept, app.bodies.bodies.get(&hit.id)) {
                (Some(kept), _) => kept.clone(),
                (None, Some(body)) => text.snippet(body),
                (None, None) => panic!("no snippet for {}", hit.id),
            };
            Some((
                post_of(app, &hit.id).title.to_string(),
                text.count,
                snippet.hit().to_string(),
            ))
        })
        .collect()
}

#[test]
fn a_query_past_the_budget_reads_the_files_and_finds_the_same_posts() {
    let dir = tempfile::tempdir().expect("tempdir");
    collection(dir.path());
    let mut everything = app_with_budget(dir.path(), usize::MAX);
    assert!(everything.bodies.complete());
    keys(&mut everything, "/⇥zephyr");
    assert!(
        everything.text_search.take().is_none(),
        "all in memory: no files read"
    );
    let expected = results(&everything);
    assert_eq!(expected.len(), 14);

    // Room for a few bodies only.
    let mut small = app_with_budget(dir.path(), 8 * 1024);
    assert!(!small.bodies.complete());
    assert!(small.bodies.bytes <= 8 * 1024);
    assert!(small.bodies.bodies.len() < 40);
    keys(&mut small, "/⇥zephyr");
    let from_memory = small.row_count();
    assert!(from_memory < expected.len(), "some hits are still on disk");
    assert!(small.text_search.progress.is_some());
    let line = common::screen(&small);
    assert!(line.contains("searching files 0/"), "{line}");
    run_file_searches(&mut small);
    let mut found = results(&small);
    let mut expected = expected;
    found.sort();
    expected.sort();
    assert_eq!(found, expected);
    assert_eq!(
        small.text_search.progress, None,
        "the search of files is over"
    );
}

#[test]
fn the_default_budget_keeps_no_body_of_a_collection_less_than_half_of_which_fits() {
    let dir = tempfile::tempdir().expect("tempdir");
    collection(dir.path());
    let files: u64 = std::fs::read_dir(dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").metadata().expect("metadata").len())
        .sum();
    let load = |budget: usize, set: bool| {
        let library = Library::scan(dir.path()).expect("scan");
        let mut app = App::new(library, "budget".into(), (100, 40));
        app.resize(100, 40);
        if set {
            app.bodies.set_budget(budget);
        } else {
            app.bodies.budget = budget;
        }
        folio::bodies::load_now(&mut app);
        app
    };
    // A default budget as big as the files: bodies are kept, as many as fit.
    let app = load(files as usize, false);
    assert!(!app.bodies.bodies.is_empty());
    // One byte less: none, and a query finds everything in the files.
    let mut app = load(files as usize - 1, false);
    assert!(app.bodies.bodies.is_empty() && app.bodies.done() && !app.bodies.complete());
    keys(&mut app, "/⇥zephyr");
    assert_eq!(app.row_count(), 0);
    run_file_searches(&mut app);
    assert_eq!(app.row_count(), 14);
    // Posts that change later are not kept either.
    app.bodies.mark_stale(&app.library.posts()[0].id.clone());
    app.bodies.receive(vec![(
        app.library.posts()[0].id.clone(),
        Some(folio::library::fulltext::Body::new("zephyr".into())),
    )]);
    assert!(app.bodies.bodies.is_empty());
    // A budget the config set is spent, however small a share of the files it holds.
    let app = load(files as usize / 10, true);
    assert!(!app.bodies.bodies.is_empty());
}

#[test]
fn a_newer_query_stops_the_search_of_files_for_the_old_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    collection(dir.path());
    let mut app = app_with_budget(dir.path(), 0);
    keys(&mut app, "/⇥zephyr");
    let old = app.text_search.take().expect("a search of files");
    keys(&mut app, " again");
    let mut sent = 0;
    folio::bodies::run_file_search(old, |_| {
        sent += 1;
        true
    });
    assert_eq!(sent, 0, "the old search reads nothing once superseded");
    // Hits of an old query that arrive anyway are dropped.
    let before = app.row_count();
    let first = app.library.posts()[0].id.clone();
    msg::handle(
        &mut app,
        Msg::TextHits {
            generation: 0,
            hits: vec![folio::library::query::Hit {
                id: first,
                score: 99,
                text: None,
            }],
            done: 1,
        },
    );
    assert_eq!(app.row_count(), before);
    run_file_searches(&mut app);
    assert_eq!(
        results(&app).len(),
        14,
        "zephyr again: in the same 14 posts"
    );
}

/// A post whose file alone is bigger than the budget is not read in the background (a
/// huge post's text would cost several times its size and not be kept); it is left
/// out, and a query finds it on disk like every post past the budget.
#[test]
fn the_loader_leaves_a_post_bigger_than_the_budget_on_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    collection(dir.path());
    let huge = format!(
        "---\ntitle: Huge\ndate: 2024-02-01\n---\n\n{}\n\nThe one word quokka.\n",
        "A long paragraph of filler to make the post big. ".repeat(2000)
    );
    std::fs::write(dir.path().join("huge.md"), &huge).expect("write");
    let library = Library::scan(dir.path()).expect("scan");
    let mut app = App::new(library, "budget".into(), (100, 40));
    app.resize(100, 40);
    app.bodies.set_budget(huge.len() / 2);
    let (tx, rx) = std::sync::mpsc::channel();
    folio::bodies::spawn_loader(&mut app, tx);
    let mut batches = Vec::new();
    loop {
        let msg = rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("the loader sends until it is done");
        let done = matches!(
            msg,
            Msg::Loaded {
                what: msg::Loaded::Done { .. },
                ..
            }
        );
        if let Msg::Loaded {
            what: msg::Loaded::Bodies(batch),
            ..
        } = &msg
        {
            batches.extend(batch.iter().map(|(id, _)| id.as_str().to_string()));
        }
        msg::handle(&mut app, msg);
        if done {
            break;
        }
    }
    assert!(!batches.iter().any(|id| id == "huge.md"), "{batches:?}");
    assert!(batches.len() > 10, "the small posts are read: {batches:?}");
    assert!(!app.bodies.complete());
    keys(&mut app, "/⇥quokka");
    run_file_searches(&mut app);
    let found: Vec<String> = results(&app).into_iter().map(|(title, ..)| title).collect();
    assert_eq!(found, ["Huge"]);
}

#[test]
fn a_search_of_many_files_reports_its_first_files_at_once_and_every_hit_by_the_end() {
    let dir = tempfile::tempdir().expect("tempdir");
    for n in 0..600 {
        let word = if n % 2 == 0 { "zephyr" } else { "calm" };
        let text = format!("---\ntitle: P{n}\n---\n\nA {word} day.\n");
        std::fs::write(dir.path().join(format!("p{n:03}.md")), text).expect("write");
    }
    let mut app = app_with_budget(dir.path(), 0);
    keys(&mut app, "/⇥zephyr");
    let job = app.text_search.take().expect("a search of files");
    let mut sent = Vec::new();
    folio::bodies::run_file_search(job, |msg| {
        if let Msg::TextHits { hits, done, .. } = msg {
            sent.push((hits.len(), done));
        }
        true
    });
    // The first batch of files is reported as soon as it is read; the last message
    // says all were; the hits of all messages together are every post with the word.
    assert_eq!(sent.first().map(|&(_, done)| done), Some(256));
    assert_eq!(sent.last().map(|&(_, done)| done), Some(600));
    assert_eq!(sent.iter().map(|&(hits, _)| hits).sum::<usize>(), 300);
}

#[test]
fn the_budget_the_config_set_holds_for_a_collection_switched_to() {
    let one = tempfile::tempdir().expect("tempdir");
    let two = tempfile::tempdir().expect("tempdir");
    collection(one.path());
    collection(two.path());
    let config = folio::config::parse("full_text_memory: 1\n").expect("config");
    let mut app = App::new(
        Library::scan(one.path()).expect("scan"),
        "one".into(),
        (100, 40),
    );
    app.configure(&config, folio::theme::Theme::dark());
    assert_eq!(
        (app.bodies.budget, app.bodies.budget_set),
        (1024 * 1024, true)
    );
    app.apply(vec![folio::app::change::LibraryChange::Replaced {
        library: Library::scan(two.path()).expect("scan"),
        label: "two".into(),
    }]);
    assert_eq!(
        (app.bodies.budget, app.bodies.budget_set),
        (1024 * 1024, true)
    );
    assert!(
        app.bodies.first_load(),
        "the new collection's bodies are still to read"
    );
}

#[test]
fn a_query_narrowing_a_finished_search_of_files_reads_only_the_files_it_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    collection(dir.path());
    let mut app = app_with_budget(dir.path(), 0);
    let files_read = run_file_searches;
    keys(&mut app, "/⇥zephyr");
    assert_eq!(files_read(&mut app), 40);
    assert_eq!(app.row_count(), 14);
    // A word added: only the 14 files with "zephyr" are read, and the hits are the
    // ones a search of every file finds.
    keys(&mut app, " again");
    assert_eq!(files_read(&mut app), 14);
    let narrowed = results(&app);
    let mut fresh = app_with_budget(dir.path(), 0);
    keys(&mut fresh, "/⇥zephyr again");
    assert_eq!(files_read(&mut fresh), 40);
    assert_eq!(narrowed, results(&fresh));
    // A query that does not narrow it reads every file again.
    keys(&mut app, "⌫⌫⌫⌫⌫⌫⌫⌫⌫⌫⌫⌫meshes");
    assert_eq!(files_read(&mut app), 40);
    // Nor does one after the posts changed: a file may hold the words now.
    keys(&mut app, "⌫⌫⌫⌫⌫⌫zephyr");
    assert_eq!(files_read(&mut app), 40);
    let post = app.library.posts()[1].as_ref().clone();
    app.apply(vec![folio::app::change::LibraryChange::Upsert(post)]);
    keys(&mut app, " again");
    assert_eq!(files_read(&mut app), 40);
}
