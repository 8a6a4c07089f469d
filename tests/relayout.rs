//! The reader is laid out again for many reasons: a resize, the outline pane, a theme
//! with other code colours (preview, confirm, cancel), a reload after editing, the end of
//! a progressive layout. They all go through one path, and each must keep the view at
//! the same block, the "Related posts" section, the find hits and the link focus.

mod common;

use common::{keys, open};
use folio::app::{App, Effect};
use folio::effects;
use folio::library::Library;

/// What must survive a relayout.
#[derive(Debug, PartialEq, Eq)]
struct Kept {
    block: usize,
    related: bool,
    hits_on_their_rows: bool,
    hit_count_nonzero: bool,
    focus: Option<u32>,
}

fn kept(app: &App) -> Kept {
    let reader = app.reader.as_ref().expect("reader");
    let block = reader
        .laid
        .block_rows
        .partition_point(|&row| row <= reader.scroll)
        .saturating_sub(1);
    let related = reader
        .laid
        .lines
        .iter()
        .any(|l| l.plain_text() == "Related posts");
    let hits_on_their_rows = app.find.hits.iter().all(|hit| {
        reader
            .laid
            .lines
            .get(hit.row)
            .is_some_and(|l| l.plain_text().to_lowercase().contains("istio"))
    });
    Kept {
        block,
        related,
        hits_on_their_rows,
        hit_count_nonzero: !app.find.hits.is_empty(),
        focus: reader.focus,
    }
}

/// The seed post, scrolled into its body, searching for "istio", with a link focused.
fn reading(dir: &std::path::Path) -> App {
    let library = Library::scan(dir).expect("scan");
    let mut app = App::new(library, "posts".into(), (90, 30));
    app.resize(90, 30);
    open(&mut app, "istio-4th-anniversary");
    keys(&mut app, "/istio⏎");
    keys(&mut app, "jjjjjjjjjjjj");
    // Down to where a link is on screen, then focus it.
    for _ in 0..200 {
        keys(&mut app, "⇥");
        if app.reader.as_ref().is_some_and(|r| r.focus.is_some()) {
            break;
        }
        keys(&mut app, "j");
    }
    let before = kept(&app);
    assert!(before.related, "the seed post has related posts");
    assert!(before.hit_count_nonzero && before.hits_on_their_rows);
    assert!(before.focus.is_some(), "a link is focused");
    assert!(before.block > 0);
    app
}

#[test]
fn a_resize_keeps_block_related_hits_and_focus() {
    let mut app = reading(&common::sample_dir());
    let before = kept(&app);
    app.resize(91, 30);
    app.resize(90, 30);
    assert_eq!(kept(&app), before);
    app.resize(70, 30);
    let narrow = kept(&app);
    assert_eq!(narrow.block, before.block);
    assert!(narrow.related && narrow.hits_on_their_rows && narrow.hit_count_nonzero);
}

#[test]
fn the_outline_pane_keeps_block_related_and_hits() {
    let mut app = reading(&common::sample_dir());
    let before = kept(&app);
    keys(&mut app, "o");
    let with_pane = kept(&app);
    assert_eq!(with_pane.block, before.block);
    assert!(with_pane.related && with_pane.hits_on_their_rows);
}

#[test]
fn theme_preview_confirm_and_cancel_keep_everything() {
    let mut app = reading(&common::sample_dir());
    let before = kept(&app);
    let code_theme = |app: &App| {
        app.reader
            .as_ref()
            .and_then(|r| r.options.code_theme.clone())
    };
    let original = code_theme(&app);
    keys(&mut app, "T");
    // Move until a theme with other code colours is previewed.
    for _ in 0..10 {
        keys(&mut app, "j");
        if code_theme(&app) != original {
            break;
        }
    }
    assert_ne!(
        code_theme(&app),
        original,
        "some theme has other code colours"
    );
    assert_eq!(kept(&app), before, "preview");
    keys(&mut app, "⎋");
    assert_eq!(code_theme(&app), original);
    assert_eq!(kept(&app), before, "cancel");
    keys(&mut app, "Tj");
    while code_theme(&app) == original {
        keys(&mut app, "j");
    }
    keys(&mut app, "⏎");
    assert_eq!(kept(&app), before, "confirm");
}

#[test]
fn a_reload_after_editing_keeps_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree(&common::sample_dir(), dir.path());
    let mut app = reading(dir.path());
    let before = kept(&app);
    let file = dir.path().join("istio-4th-anniversary/index.md");
    let mut text = std::fs::read_to_string(&file).expect("read");
    text.push_str("\n\nA paragraph added at the end while reading.\n");
    std::fs::write(&file, text).expect("write");
    effects::perform(&mut app, Effect::ReloadPost);
    assert_eq!(kept(&app), before);
}

#[test]
fn the_end_of_a_progressive_layout_keeps_block_related_and_hits() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree(&common::sample_dir(), dir.path());
    // A post long enough to open from its head alone, tagged like the seed post.
    let mut long = String::from("---\ntitle: Istio 长文\ntags: [istio, service mesh]\n---\n\n");
    for n in 0..6000 {
        long.push_str(&format!(
            "## 第 {n} 节\n\nIstio 的第 {n} 段文字，讲服务网格。\n\n"
        ));
    }
    std::fs::create_dir_all(dir.path().join("long")).expect("mkdir");
    std::fs::write(dir.path().join("long/index.md"), long).expect("write");
    let library = Library::scan(dir.path()).expect("scan");
    let mut app = App::new(library, "posts".into(), (90, 30));
    app.resize(90, 30);
    let post = app
        .library
        .posts()
        .iter()
        .find(|p| &*p.title == "Istio 长文")
        .map(|p| p.id.clone())
        .expect("long post");
    effects::perform(&mut app, Effect::OpenPost(post));
    assert!(app.reader.as_ref().expect("reader").laid.partial);
    keys(&mut app, "/istio⏎jjjjjjj");
    let before = kept(&app);
    assert!(!before.related, "not yet: only the head is laid out");
    // A resize while partial must not end the progressive layout.
    app.resize(89, 30);
    app.resize(90, 30);
    assert!(app.reader.as_ref().expect("reader").laid.partial);
    assert!(folio::effects::finish_layout(&mut app));
    let after = kept(&app);
    assert_eq!(after.block, before.block);
    assert!(
        after.related,
        "related posts appended once the whole is laid out"
    );
    assert!(after.hit_count_nonzero && after.hits_on_their_rows);
}
