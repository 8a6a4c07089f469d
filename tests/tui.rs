//! The TUI driven without a terminal: keys go through the real keymap and `update`,
//! effects are performed, and screens are drawn into ratatui's TestBackend.

use crossterm::event::{KeyCode, KeyModifiers};
use folio::app::{App, Screen, View};
use folio::library::Library;

mod common;
use common::{
    app, assert_fits_at_sizes, draw_buffer, keys, press_with, screen as screen_text, selected_at,
};

fn draw(app: &App) -> Vec<String> {
    common::screen_rows(&draw_buffer(app))
}

fn title_of(app: &App, index: usize) -> String {
    app.library.posts()[index].title.to_string()
}

#[test]
fn list_shows_sample_titles_newest_first_with_status_bar() {
    let app = app(100, 30);
    let screen = screen_text(&app);
    assert!(screen.contains("Istio 开源四周年回顾与展望"), "{screen}");
    let visible = app.list_page().min(app.library.posts().len());
    for index in 0..visible {
        let title: String = title_of(&app, index).chars().take(12).collect();
        assert!(
            screen.contains(&title),
            "row {index} ({title}) missing:\n{screen}"
        );
    }
    let dates: Vec<_> = app
        .library
        .posts()
        .iter()
        .filter_map(|p| p.meta.date.as_ref().map(|d| d.sort_key()))
        .collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "not newest first: {dates:?}"
    );
    let status = draw(&app).pop().expect("status row");
    assert!(status.contains("sample-posts"), "{status}");
    assert!(
        status.contains(&format!("{} posts", app.library.posts().len())),
        "{status}"
    );
}

#[test]
fn enter_opens_the_selected_post_and_q_returns_to_the_list() {
    let mut app = app(100, 30);
    keys(&mut app, "jj");
    assert_eq!(selected_at(&app), 2);
    let expected = title_of(&app, 2);
    keys(&mut app, "⏎");
    assert_eq!(app.view, View::Reader);
    let reader = app.reader.as_ref().expect("reader open");
    assert_eq!(app.library.position(&reader.post), Some(2));
    assert!(!reader.laid.lines.is_empty());
    let screen = screen_text(&app);
    let head: String = expected.chars().take(10).collect();
    assert!(
        screen.contains(&head),
        "title card missing {head:?}:\n{screen}"
    );

    keys(&mut app, "q");
    assert_eq!(app.view, View::List);
    assert!(!app.should_quit);
    assert_eq!(selected_at(&app), 2, "selection kept after returning");
    keys(&mut app, "q");
    assert!(app.should_quit);
}

#[test]
fn list_movement_keys() {
    let mut app = app(80, 24);
    let last = app.library.posts().len() - 1;
    keys(&mut app, "G");
    assert_eq!(selected_at(&app), last);
    keys(&mut app, "g");
    assert_eq!(selected_at(&app), 0);
    keys(&mut app, "k");
    assert_eq!(selected_at(&app), 0, "k at the top stays");
    press_with(&mut app, KeyCode::Down, KeyModifiers::NONE);
    assert_eq!(selected_at(&app), 1);
    press_with(&mut app, KeyCode::End, KeyModifiers::NONE);
    assert_eq!(selected_at(&app), last);
    press_with(&mut app, KeyCode::Home, KeyModifiers::NONE);
    press_with(&mut app, KeyCode::Char('d'), KeyModifiers::CONTROL);
    assert_eq!(selected_at(&app), (app.list_page().div_ceil(2)).min(last));
    press_with(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert_eq!(selected_at(&app), 0);
    press_with(&mut app, KeyCode::PageDown, KeyModifiers::NONE);
    assert_eq!(selected_at(&app), app.list_page().min(last));
}

#[test]
fn selection_stays_on_screen_in_a_short_terminal() {
    let mut app = app(60, 8);
    keys(&mut app, "G");
    let screen = screen_text(&app);
    let last_title: String = title_of(&app, app.library.posts().len() - 1)
        .chars()
        .take(8)
        .collect();
    assert!(screen.contains(&last_title), "{screen}");
}

fn open_longest_post(app: &mut App) {
    let index = (0..app.library.posts().len())
        .max_by_key(|&i| {
            app.library.posts()[i]
                .read_text()
                .map(|t| t.len())
                .unwrap_or(0)
        })
        .expect("posts");
    keys(app, "g");
    for _ in 0..index {
        keys(app, "j");
    }
    keys(app, "⏎");
    assert_eq!(app.view, View::Reader);
}

#[test]
fn reader_scrolling_keys_stay_within_the_document() {
    let mut app = app(80, 24);
    open_longest_post(&mut app);
    let page = app.body_height();
    let max = app.max_reader_scroll();
    assert!(
        max > page,
        "the longest sample post should be several screens long"
    );
    let scroll = |app: &App| app.reader.as_ref().expect("reader").scroll;
    keys(&mut app, "jjj");
    assert_eq!(scroll(&app), 3);
    keys(&mut app, "k");
    assert_eq!(scroll(&app), 2);
    keys(&mut app, " ");
    assert_eq!(scroll(&app), 2 + page - 1);
    keys(&mut app, "b");
    assert_eq!(scroll(&app), 2);
    keys(&mut app, "d");
    assert_eq!(scroll(&app), 2 + page.div_ceil(2));
    keys(&mut app, "u");
    assert_eq!(scroll(&app), 2);
    keys(&mut app, "G");
    assert_eq!(scroll(&app), max);
    keys(&mut app, "jjjf");
    assert_eq!(scroll(&app), max, "never scrolls past the end");
    keys(&mut app, "g");
    assert_eq!(scroll(&app), 0);
    let status = draw(&app).pop().expect("status");
    assert!(status.contains('%'), "scroll indicator missing: {status}");
    for back in [KeyCode::Esc, KeyCode::Backspace, KeyCode::Char('h')] {
        press_with(&mut app, back, KeyModifiers::NONE);
        assert_eq!(app.view, View::List);
        keys(&mut app, "⏎");
    }
}

#[test]
fn reader_is_centred_and_capped_at_100_columns() {
    let mut app = app(140, 30);
    keys(&mut app, "⏎");
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.laid.width, 100);
    let rows = draw(&app);
    for row in &rows[..rows.len() - 1] {
        let content = row.trim_end();
        if !content.trim().is_empty() {
            let indent = content.len() - content.trim_start().len();
            assert!(indent >= 20, "text not centred (indent {indent}): {row:?}");
        }
    }
}

#[test]
fn resize_relays_out_and_keeps_the_same_block() {
    let mut app = app(100, 30);
    open_longest_post(&mut app);
    for _ in 0..40 {
        keys(&mut app, "j");
    }
    let reader = app.reader.as_ref().expect("reader");
    let block = reader
        .laid
        .block_rows
        .partition_point(|&r| r <= reader.scroll)
        - 1;
    app.resize(40, 20);
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.laid.width, 40);
    // The same block on top (as far into it, in proportion), unless the end of the
    // post keeps it from reaching the top.
    let now = reader
        .laid
        .block_rows
        .partition_point(|&r| r <= reader.scroll)
        - 1;
    assert!(
        now == block || reader.scroll == app.max_reader_scroll(),
        "block {block} became {now}"
    );
}

#[test]
fn resize_at_the_top_keeps_the_header_card_in_view() {
    let mut app = app(100, 30);
    open_longest_post(&mut app);
    app.resize(60, 20);
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(reader.scroll, 0, "the header card must stay on screen");
    assert!(screen_text(&app).contains('╭'), "{}", screen_text(&app));
}

#[test]
fn ctrl_c_quits_from_the_reader_and_help_lists_the_keymap() {
    let mut app = app(100, 30);
    keys(&mut app, "?");
    assert!(app.show_help);
    let screen = screen_text(&app);
    for (keys, action) in app.keymap.help_rows(Screen::List) {
        assert!(
            screen.contains(action.description()),
            "help lacks {keys}: {screen}"
        );
    }
    keys(&mut app, "j");
    assert!(app.show_help, "j scrolls help");
    keys(&mut app, "q");
    assert!(!app.show_help, "any other key closes help");
    assert!(!app.should_quit, "the closing key is not also acted on");
    assert_eq!(selected_at(&app), 0);
    keys(&mut app, "⏎");
    press_with(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(app.should_quit);
}

#[test]
fn every_size_draws_without_panic() {
    let mut app = app(80, 24);
    keys(&mut app, "⏎");
    assert_fits_at_sizes(
        &mut app,
        &[
            (0, 0),
            (1, 1),
            (2, 1),
            (1, 2),
            (3, 3),
            (500, 1),
            (1, 500),
            (11, 3),
            (12, 3),
            (20, 5),
        ],
        &["q", "⏎"],
    );
}

#[test]
fn empty_collection_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let library = Library::scan(dir.path()).expect("scan");
    let mut app = App::new(library, "empty".into(), (60, 10));
    keys(&mut app, "jG⏎");
    assert_eq!(app.view, View::List);
    assert!(screen_text(&app).contains("No posts found"));
}

#[test]
fn a_huge_post_opens_with_its_first_screens_then_completes() {
    let (_dir, mut app) = huge_post_app();
    keys(&mut app, "⏎");
    let reader = app.reader.as_ref().expect("reader");
    assert!(
        reader.laid.partial,
        "only the first screens are laid out at first"
    );
    let first_rows = reader.laid.lines.len();
    assert!((23 * 3..400).contains(&first_rows), "{first_rows}");
    assert!(
        reader.laid.block_rows.len() < 400,
        "only the head of the body is laid out at first"
    );
    let before = screen_text(&app);
    // Until the whole body is parsed, the card's reading time is an estimate.
    let minutes = |screen: &str| -> String {
        let line = screen
            .lines()
            .find(|l| l.contains("min read"))
            .unwrap_or("");
        let at = line.find("min read").unwrap_or(0);
        line[..at]
            .split_whitespace()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    let estimate = minutes(&before);
    assert!(estimate.starts_with('~'), "{before}");
    assert!(folio::effects::finish_layout(&mut app));
    let reader = app.reader.as_ref().expect("reader");
    assert!(!reader.laid.partial);
    assert_eq!(
        reader.laid.block_rows.len(),
        800,
        "the whole body, laid out"
    );
    assert!(reader.laid.lines.len() > first_rows * 4);
    let exact = minutes(&screen_text(&app));
    let exact_n: f64 = exact.parse().expect("exact minutes");
    let estimate_n: f64 = estimate.trim_start_matches('~').parse().expect("estimate");
    assert!(
        (estimate_n - exact_n).abs() <= exact_n * 0.2,
        "estimate {estimate} vs {exact}"
    );
    // Apart from that estimate, the rows on screen stay as they were.
    let body_rows = |screen: &str| -> Vec<String> {
        let rows: Vec<String> = screen
            .lines()
            .filter(|l| !l.contains("min read"))
            .map(String::from)
            .collect();
        rows[..rows.len() - 1].to_vec()
    };
    assert_eq!(
        body_rows(&screen_text(&app)),
        body_rows(&before),
        "rows on screen do not move"
    );
    assert!(
        !folio::effects::finish_layout(&mut app),
        "nothing left to do"
    );
}

fn huge_post_app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("tempdir");
    let paragraph = "开源社区的发展离不开每一位贡献者。".repeat(40);
    let body: String = (0..400)
        .map(|i| format!("## 第 {i} 节\n\n{paragraph}\n\n"))
        .collect();
    std::fs::write(
        dir.path().join("huge.md"),
        format!("---\ntitle: huge\n---\n{body}"),
    )
    .expect("write");
    let library = Library::scan(dir.path()).expect("scan");
    let mut app = App::new(library, "huge".into(), (80, 24));
    app.resize(80, 24);
    (dir, app)
}

#[test]
fn keys_stay_live_while_a_long_post_is_laid_out_beside_the_loop() {
    let (_dir, mut app) = huge_post_app();
    keys(&mut app, "⏎");
    let job = app
        .take_layout_job()
        .expect("a layout job for the long post");
    assert!(app.take_layout_job().is_none(), "one job per post");
    // The job is out; the reader scrolls the head meanwhile.
    keys(&mut app, "jjj");
    let scrolled = app.reader.as_ref().expect("reader").scroll;
    assert_eq!(scrolled, 3);
    assert!(app.reader.as_ref().expect("reader").laid.partial);
    let result = job
        .run(folio::effects::body_for_layout)
        .expect("still wanted");
    app.laid_out(result);
    let reader = app.reader.as_ref().expect("reader");
    assert!(!reader.laid.partial);
    assert_eq!(reader.laid.block_rows.len(), 800);
    assert_eq!(reader.scroll, scrolled, "the place scrolled to is kept");
}

#[test]
fn leaving_a_long_post_cancels_its_layout_and_drops_a_late_result() {
    let (_dir, mut app) = huge_post_app();
    keys(&mut app, "⏎");
    let job = app.take_layout_job().expect("job");
    keys(&mut app, "q");
    assert_eq!(app.view, View::List);
    assert!(
        job.run(folio::effects::body_for_layout).is_none(),
        "the job stops once the post is left"
    );

    // A result made before leaving, arriving after reopening, is not shown.
    keys(&mut app, "⏎");
    let first = app.take_layout_job().expect("job");
    let early = first
        .run(folio::effects::body_for_layout)
        .expect("wanted when made");
    keys(&mut app, "q⏎");
    let second = app
        .take_layout_job()
        .expect("a new job for the reopened post");
    app.laid_out(early);
    assert!(
        app.reader.as_ref().expect("reader").laid.partial,
        "a stale layout is dropped"
    );
    let result = second
        .run(folio::effects::body_for_layout)
        .expect("the current job is wanted");
    app.laid_out(result);
    assert!(!app.reader.as_ref().expect("reader").laid.partial);
}

#[test]
fn a_post_over_max_post_size_shows_its_first_mib_with_a_notice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let section = |i: usize| format!("## 第 {i} 节\n\n{}\n\n", "开源社区的发展。".repeat(200));
    let body: String = (0..1200).map(section).collect();
    assert!(body.len() > 4 << 20);
    std::fs::write(
        dir.path().join("big.md"),
        format!("---\ntitle: big\n---\n{body}"),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("small.md"),
        "---\ntitle: small\n---\nsmall body\n",
    )
    .expect("write");
    let library = Library::scan(dir.path()).expect("scan");
    let mut app = App::new(library, "big".into(), (80, 24));
    app.resize(80, 24);
    app.prefs.max_post_bytes = 2 << 20;
    let big = app
        .library
        .posts()
        .iter()
        .find(|p| &*p.title == "big")
        .map(|p| p.id.clone())
        .expect("big");
    folio::effects::perform(&mut app, folio::app::Effect::OpenPost(big));
    folio::effects::finish_layout(&mut app);
    let message = app.message.clone().unwrap_or_default();
    assert!(message.contains("over max_post_size (2 MiB)"), "{message}");
    let reader = app.reader.as_ref().expect("reader");
    let headings = reader
        .laid
        .headings
        .iter()
        .filter(|h| h.level == 2 && h.text.starts_with('第'))
        .count();
    let per_mib = (1 << 20) / section(600).len();
    assert!(
        (per_mib.saturating_sub(2)..=per_mib + 2).contains(&headings),
        "about one MiB of sections: {headings} (a MiB holds {per_mib})"
    );
    keys(&mut app, "G");
    assert!(
        screen_text(&app).contains("showing its first MiB"),
        "the notice ends the text"
    );
    // A post under the limit is read whole, without a notice.
    keys(&mut app, "q");
    app.message = None;
    let small = app
        .library
        .posts()
        .iter()
        .find(|p| &*p.title == "small")
        .map(|p| p.id.clone())
        .expect("small");
    folio::effects::perform(&mut app, folio::app::Effect::OpenPost(small));
    assert!(app.message.is_none(), "{:?}", app.message);
    assert!(screen_text(&app).contains("small body"));
}

/// At `ambiguous_width: 2` the reader gives each ambiguous character two cells, the
/// second skipped (the terminal's glyph covers it), so what ratatui believes and what a
/// CJK terminal draws agree: every row within the screen as such a terminal counts it,
/// and a search hit after such characters highlighted where its text is.
#[test]
fn ambiguous_characters_take_two_cells_in_the_reader_when_asked() {
    use unicode_width::UnicodeWidthStr;
    let dir = tempfile::tempdir().expect("tempdir");
    let line = "他说“你好”……然后——离开了 target 之后 “再见”。".repeat(3);
    std::fs::write(
        dir.path().join("q.md"),
        format!("---\ntitle: quotes\n---\n{line}\n\n| “a” | b… |\n|---|---|\n| — | · |\n"),
    )
    .expect("write");
    let library = Library::scan(dir.path()).expect("scan");
    let mut app = App::new(library, "q".into(), (40, 20));
    app.prefs.ambiguous_width = 2;
    app.resize(40, 20);
    keys(&mut app, "⏎/target⏎");
    // The frame as drawn, before the diff: the skipped cells are not sent on.
    let area = ratatui::layout::Rect::new(0, 0, 40, 20);
    let mut buffer = ratatui::buffer::Buffer::empty(area);
    folio::ui::draw_into(area, &mut buffer, &app, &app.theme);
    let mut skipped = 0;
    for y in 0..buffer.area.height {
        // What a CJK terminal draws: each cell not skipped, at its CJK width.
        let mut columns = 0;
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            if cell.diff_option == ratatui::buffer::CellDiffOption::Skip {
                skipped += 1;
                continue;
            }
            let symbol = cell.symbol();
            if symbol.width() == 2 {
                // ratatui's own wide character: its next cell is covered already.
                columns += 1;
                continue;
            }
            columns += symbol.width_cjk().max(1);
        }
        let text: Vec<String> = (0..buffer.area.width)
            .map(|x| {
                format!(
                    "{}{}",
                    buffer[(x, y)].symbol(),
                    if buffer[(x, y)].diff_option == ratatui::buffer::CellDiffOption::Skip {
                        "#"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        assert!(
            columns <= 40,
            "row {y} is {columns} columns in a CJK terminal: {text:?}"
        );
    }
    assert!(
        skipped > 10,
        "ambiguous characters were given a second cell: {skipped}"
    );
    // The hit is drawn where "target" is.
    let hit_cells: String = (0..buffer.area.height)
        .flat_map(|y| (0..buffer.area.width).map(move |x| (x, y)))
        .filter(|&(x, y)| buffer[(x, y)].bg != buffer[(0, y)].bg && buffer[(x, y)].symbol() != " ")
        .map(|(x, y)| buffer[(x, y)].symbol().to_string())
        .collect();
    assert!(hit_cells.contains("target"), "highlighted: {hit_cells:?}");
    // The list and the status bar, whose `…` and `·` are folio's own: one column each.
    keys(&mut app, "\u{1b}q");
    let mut list = ratatui::buffer::Buffer::empty(area);
    folio::ui::draw_into(area, &mut list, &app, &app.theme);
    for y in 0..area.height {
        let row: String = (0..area.width).map(|x| list[(x, y)].symbol()).collect();
        assert!(row.width_cjk() <= 40, "list row {y}: {row:?}");
    }
}
