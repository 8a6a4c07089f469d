//! Finding one's way around, driven without a terminal: the outline, links between the
//! sample posts, history, J/K, the archive and sort of the list, mouse clicks, copying
//! and editing. Keys go through the real keymap and `update`; effects are performed as
//! the event loop does, and screens are drawn into ratatui's TestBackend.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use folio::app::keymap::Key;
use folio::app::listing::{self, Row};
use folio::app::{Action, App, Effect, Screen, mouse, update};
use folio::effects;
use folio::library::Library;
use folio::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

fn sample_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-posts")
}

fn app(width: u16, height: u16) -> App {
    let library = Library::scan(&sample_dir()).expect("sample posts scan");
    let mut app = App::new(library, "sample-posts".into(), (width, height));
    app.resize(width, height);
    app
}

/// Sends a key through the keymap and update and performs the effect, as the event
/// loop does; returns the effect so tests can see what would leave folio.
fn press(app: &mut App, code: KeyCode) -> Option<Effect> {
    let modifiers = match code {
        KeyCode::BackTab => KeyModifiers::SHIFT,
        _ => KeyModifiers::NONE,
    };
    let key = Key::from_event(&KeyEvent::new(code, modifiers));
    let effect = update(app, app.keymap.action(app.screen, key)?)?;
    effects::perform(app, effect.clone());
    Some(effect)
}

fn keys(app: &mut App, typed: &str) {
    for c in typed.chars() {
        let code = match c {
            '⏎' => KeyCode::Enter,
            '⇥' => KeyCode::Tab,
            '⇤' => KeyCode::BackTab,
            '⌫' => KeyCode::Backspace,
            c => KeyCode::Char(c),
        };
        press(app, code);
    }
}

fn draw_buffer(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.size.0, app.size.1)).expect("backend");
    terminal
        .draw(|frame| folio::ui::draw(frame, app, &Theme::dark()))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen as text rows; a wide character's trailing cell is skipped.
fn rows_of(buffer: &Buffer, keep: impl Fn(&ratatui::buffer::Cell) -> bool) -> Vec<String> {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            let mut row = String::new();
            let mut skip = 0;
            for x in 0..area.width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let cell = &buffer[(x, y)];
                skip = cell.symbol().width().saturating_sub(1);
                if keep(cell) {
                    row.push_str(cell.symbol());
                }
            }
            row
        })
        .collect()
}

fn screen(app: &App) -> String {
    rows_of(&draw_buffer(app), |_| true).join("\n")
}

fn index_of(app: &App, slug: &str) -> usize {
    app.library
        .posts
        .iter()
        .position(|p| p.meta.slug.as_deref() == Some(slug) || p.rel_path.starts_with(slug))
        .unwrap_or_else(|| panic!("no sample post {slug}"))
}

/// Opens a sample post from the list, as a user would: move to it, press Enter.
fn open(app: &mut App, slug: &str) {
    let wanted = index_of(app, slug);
    keys(app, "g");
    while app.selected != wanted {
        let before = app.selected;
        keys(app, "j");
        assert_ne!(before, app.selected, "{slug} not reachable in the list");
    }
    keys(app, "⏎");
    assert_eq!(app.screen, Screen::Reader);
    assert_eq!(post(app), wanted);
}

fn post(app: &App) -> usize {
    app.reader.as_ref().expect("reader").post
}

fn scroll(app: &App) -> usize {
    app.reader.as_ref().expect("reader").scroll
}

fn focused_url(app: &App) -> Option<String> {
    let reader = app.reader.as_ref()?;
    let id = reader.focus?;
    folio::app::links::url_of(reader, id).map(str::to_string)
}

/// Tabs until the focused link's URL is `url` (at most 30 times).
fn tab_to(app: &mut App, url: &str) {
    for _ in 0..30 {
        keys(app, "⇥");
        if focused_url(app).as_deref() == Some(url) {
            return;
        }
    }
    panic!("no link to {url} on screen:\n{}", screen(app));
}

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
    assert_eq!(post(&app), index_of(&app, "rust-ownership"));
}

#[test]
fn enter_follows_a_relative_link_and_backspace_returns_to_the_same_place() {
    let mut app = app(100, 30);
    open(&mut app, "rust-ownership");
    let rust = post(&app);
    keys(&mut app, "jj");
    tab_to(&mut app, "../go-concurrency-patterns/index.md");
    keys(&mut app, "⏎");
    assert_eq!(post(&app), index_of(&app, "go-concurrency-patterns"));
    assert_eq!(scroll(&app), 0);
    assert!(screen(&app).contains("Go Concurrency Patterns"));
    assert_eq!(app.selected, post(&app), "the list selection follows");

    keys(&mut app, "jjj⌫");
    assert_eq!(app.screen, Screen::Reader);
    assert_eq!(post(&app), rust);
    assert_eq!(scroll(&app), 2, "back to the very row");

    keys(&mut app, "L");
    assert_eq!(post(&app), index_of(&app, "go-concurrency-patterns"));
    assert_eq!(scroll(&app), 3, "forward to where we left it");
    keys(&mut app, "L");
    assert!(app.message.is_some(), "nothing further says so");

    keys(&mut app, "⌫⌫");
    assert_eq!(app.screen, Screen::List, "empty history: back to the list");
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
    assert_eq!(post(&app), index_of(&app, "rust-ownership"));
    keys(&mut app, "⌫");
    assert_eq!(scroll(&app), 0);
    assert_eq!(app.screen, Screen::Reader);
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
        assert_eq!(post(&app), index_of(&app, slug), "{url}");
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
    assert_eq!(app.screen, Screen::Reader);
}

#[test]
fn capital_j_and_k_open_the_neighbours_in_the_list() {
    let mut app = app(100, 30);
    keys(&mut app, "j⏎");
    assert_eq!(post(&app), 1);
    keys(&mut app, "J");
    assert_eq!(post(&app), 2);
    keys(&mut app, "KK");
    assert_eq!(post(&app), 0);
    keys(&mut app, "K");
    assert_eq!(post(&app), 0);
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
    assert_eq!(order.len(), app.library.posts.len());
    keys(&mut app, "j");
    assert_eq!(app.selected, order[1]);
    keys(&mut app, "G");
    assert_eq!(app.selected, *order.last().expect("posts"));
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
        .map(|i| app.library.posts[i].title.to_lowercase())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
    keys(&mut app, "g");
    let first = listing::order(&app)[0];
    assert_eq!(app.selected, first);
    let top_row = screen(&app).lines().next().unwrap_or_default().to_string();
    let head: String = app.library.posts[first].title.chars().take(10).collect();
    assert!(top_row.contains(&head), "{top_row}");
    keys(&mut app, "s");
    assert_eq!(
        listing::order(&app),
        (0..app.library.posts.len()).collect::<Vec<_>>()
    );
}

#[test]
fn a_click_selects_a_row_and_a_double_click_opens_it() {
    let mut app = app(100, 30);
    let row_height = app.list_row_height() as u16;
    assert_eq!(mouse::click(&mut app, 5, 2 * row_height, 1_000), None);
    assert_eq!(app.selected, 2);
    assert_eq!(mouse::click(&mut app, 5, row_height, 1_100), None);
    assert_eq!(app.selected, 1, "another row is a new first click");
    assert_eq!(
        mouse::click(&mut app, 5, row_height, 1_700),
        None,
        "too slow"
    );
    assert_eq!(
        mouse::click(&mut app, 9, row_height + row_height - 1, 2_000),
        Some(Effect::OpenPost(1)),
        "both lines of a row are the row"
    );
    assert_eq!(mouse::click(&mut app, 5, 29, 2_100), None, "the status bar");
    assert_eq!(app.selected, 1);
    // In the archive view a header is not a post.
    keys(&mut app, "z");
    assert_eq!(mouse::click(&mut app, 5, 0, 5_000), None);
    assert_eq!(app.selected, 1);
}

#[test]
fn related_posts_close_the_reader_and_open_like_links() {
    let mut app = app(100, 30);
    open(&mut app, "istio-4th-anniversary");
    let reader = app.reader.as_ref().expect("reader");
    assert!(!reader.related.is_empty() && reader.related.len() <= 5);
    let first = reader.related[0].clone();
    // Shares both of its tags (istio, service mesh): the field notes.
    assert_eq!(first.post, index_of(&app, "service-mesh-field-notes"));
    keys(&mut app, "G");
    let text = screen(&app);
    assert!(text.contains("Related posts"), "{text}");
    assert!(text.contains(&first.title), "{text}");
    tab_to(&mut app, &first.path);
    keys(&mut app, "⏎");
    assert_eq!(post(&app), first.post);
    keys(&mut app, "⌫");
    assert_eq!(post(&app), index_of(&app, "istio-4th-anniversary"));
    assert_eq!(scroll(&app), app.max_reader_scroll());
}

#[test]
fn y_copies_the_focused_link_or_the_code_block_on_screen() {
    let mut app = app(100, 30);
    open(&mut app, "rust-ownership");
    tab_to(&mut app, "../go-concurrency-patterns/index.md");
    assert_eq!(
        press(&mut app, KeyCode::Char('y')),
        Some(Effect::Copy("../go-concurrency-patterns/index.md".into()))
    );
    // Without a focused link: the first code block on screen, as written in the post.
    let reader = app.reader.as_ref().expect("reader");
    let (block, row) = reader
        .document
        .blocks
        .iter()
        .zip(&reader.laid.block_rows)
        .find(|(b, _)| matches!(b, folio::markdown::model::Block::Code { .. }))
        .expect("a code block");
    let folio::markdown::model::Block::Code { text, .. } = block else {
        unreachable!()
    };
    let expected = text.trim_end_matches('\n').to_string();
    let row = *row;
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
    let (meta, body, warnings) = app.library.posts[post(&app)].body_and_meta().expect("read");
    app.message = Some("vi exited with 1".into());
    app.reload_post(
        meta,
        &format!("{body}\n\nA new last paragraph.\n"),
        warnings,
    );
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
    for (w, h) in [
        (1, 1),
        (3, 3),
        (0, 0),
        (12, 3),
        (63, 10),
        (64, 4),
        (64, 10),
        (500, 2),
    ] {
        app.resize(w, h);
        assert_eq!(rows_of(&draw_buffer(&app), |_| true).len(), usize::from(h));
        keys(&mut app, "]⇥jo");
        draw_buffer(&app);
        keys(&mut app, "o[⇤⏎");
        draw_buffer(&app);
    }
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
