//! The list sorted by title (`s`) in the order a reader looks titles up: Latin without
//! regard to case, then Han by pinyin, not by code point.
//!
//! The key press goes through the app's own dispatch, as in tests/common's `keys`
//! (copied here in two lines: tests/common is being reshaped elsewhere).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use folio::app::{App, handle_key, listing};
use folio::library::Library;

fn press(app: &mut App, c: char) {
    let _ = handle_key(app, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
}

#[test]
fn s_sorts_chinese_titles_by_pinyin_after_latin_ignoring_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let titles = ["北京", "安装", "中国", "Zebra", "apple", "Banana"];
    for (i, title) in titles.iter().enumerate() {
        let post = format!(
            "---\ntitle: \"{title}\"\ndate: 2024-01-{:02}\n---\nBody.\n",
            i + 1
        );
        std::fs::write(dir.path().join(format!("post-{i}.md")), post).expect("write post");
    }
    let library = Library::scan(dir.path()).expect("scan");
    let mut app = App::new(library, "test".into(), (100, 30));
    let shown = |app: &App| -> Vec<String> {
        listing::order(app)
            .into_iter()
            .filter_map(|id| app.library.get(&id).map(|p| p.title.to_string()))
            .collect()
    };
    let by_date = shown(&app);
    assert_eq!(
        by_date.first().map(String::as_str),
        Some("Banana"),
        "newest first"
    );

    press(&mut app, 's');
    assert_eq!(
        shown(&app),
        ["apple", "Banana", "Zebra", "安装", "北京", "中国"]
    );
    press(&mut app, 's');
    assert_eq!(shown(&app), by_date);
}
