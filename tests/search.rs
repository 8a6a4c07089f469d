//! Finding posts, driven through the real keymap, dispatch and update as the event loop
//! does: the list's search line (fuzzy and full text), the tag browser, the reader's
//! find, and what each looks like on a TestBackend.

use crossterm::event::{KeyCode, KeyModifiers};
use folio::app::{App, Mode, Screen, View};
use folio::library::query::Chips;
use folio::theme::Theme;
use folio::{bodies, effects};

mod common;
use common::{app, assert_screen_fits, draw_buffer, keys, press_with, screen, screen_rows};

fn row_titles(app: &App) -> Vec<String> {
    (0..app.row_count())
        .filter_map(|r| app.post_at_row(r))
        .filter_map(|id| app.library.get(&id).map(|p| p.title.to_string()))
        .collect()
}

fn selected_title(app: &App) -> String {
    // The list must be showing the selection.
    let selected = app.selected.clone().expect("a selection");
    assert!(
        app.row_of_post(&selected).is_some(),
        "the selection is listed"
    );
    app.library
        .get(&selected)
        .expect("selected post")
        .title
        .to_string()
}

#[test]
fn slash_filters_as_you_type_and_enter_keeps_the_filter() {
    let mut app = app(100, 30);
    keys(&mut app, "/istio");
    assert_eq!(app.mode(), Mode::Search);
    assert_eq!(app.search.input.text(), "istio");
    let titles = row_titles(&app);
    assert!(!titles.is_empty() && titles.len() < app.library.posts().len());
    assert!(titles[0].contains("Istio"), "best match first: {titles:?}");
    keys(&mut app, "⏎");
    assert_eq!(app.mode(), Mode::List);
    assert_eq!(row_titles(&app), titles, "Enter keeps the filter");
    // j moves in the filtered list and Enter opens the post on that row.
    keys(&mut app, "j");
    let expected = selected_title(&app);
    keys(&mut app, "⏎");
    assert_eq!(app.view, View::Reader);
    let reader = app.reader.as_ref().expect("reader");
    assert_eq!(
        app.library.get(&reader.post).expect("post").title.as_ref(),
        expected
    );
    keys(&mut app, "q");
    assert_eq!(selected_title(&app), expected, "back to the same row");
    // Esc in the list clears the search; a second Esc only says how to quit.
    keys(&mut app, "⎋");
    assert_eq!(app.row_count(), app.library.posts().len());
    assert_eq!(
        selected_title(&app),
        expected,
        "selection kept across clearing"
    );
    assert!(!app.should_quit);
    keys(&mut app, "⎋");
    assert!(!app.should_quit, "Esc never quits");
    assert_eq!(app.message.as_deref(), Some("nothing to clear; q quits"));
    keys(&mut app, "q");
    assert!(app.should_quit);
}

#[test]
fn letters_in_the_line_are_text_not_commands() {
    let mut app = app(100, 30);
    keys(&mut app, "/q?jk");
    assert!(!app.should_quit && !app.show_help);
    assert_eq!(app.search.input.text(), "q?jk");
    keys(&mut app, "⌫⌫");
    assert_eq!(app.search.input.text(), "q?");
    press_with(&mut app, KeyCode::Char('w'), KeyModifiers::CONTROL);
    assert_eq!(app.search.input.text(), "");
    keys(&mut app, "开源⎋");
    assert_eq!(app.search.input.text(), "", "Esc clears the line");
    assert_eq!(app.mode(), Mode::List);
    assert_eq!(app.row_count(), app.library.posts().len());
    press_with(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(app.should_quit, "Ctrl-c still quits");
}

#[test]
fn chinese_fuzzy_query_and_highlighted_title() {
    let mut app = app(100, 30);
    keys(&mut app, "/开源周年");
    assert_eq!(row_titles(&app), ["Istio 开源四周年回顾与展望"]);
    let buffer = draw_buffer(&app);
    let rows = screen_rows(&buffer);
    let y = rows
        .iter()
        .position(|r| r.contains("Istio 开源四周年"))
        .expect("row shown");
    let matched = Theme::dark().ui(folio::theme::UiRole::SearchMatch);
    // Find the cell of 开 and check it is highlighted, and I (unmatched) is not.
    let cells: Vec<(u16, String)> = (0..buffer.area.width)
        .map(|x| (x, buffer[(x, y as u16)].symbol().to_string()))
        .collect();
    let at = |s: &str| {
        cells
            .iter()
            .find(|(_, c)| c == s)
            .map(|(x, _)| *x)
            .expect(s)
    };
    assert_eq!(buffer[(at("开"), y as u16)].bg, matched.bg.expect("bg"));
    assert_ne!(buffer[(at("I"), y as u16)].bg, matched.bg.expect("bg"));
    let last = rows.len() - 2;
    assert!(rows[last].starts_with("/ 开源周年"), "{}", rows[last]);
}

#[test]
fn tag_tokens_complete_with_tab_and_filter_case_insensitively() {
    let mut app = app(100, 30);
    keys(&mut app, "/#IST");
    assert_eq!(
        app.row_count(),
        4,
        "#IST, being typed, matches istio by prefix"
    );
    keys(&mut app, "⇥");
    assert_eq!(app.search.input.text(), "#istio");
    assert_eq!(app.row_count(), 4);
    keys(&mut app, " #serv⇥");
    assert_eq!(app.search.input.text(), "#istio #\"service mesh\"");
    assert_eq!(app.row_count(), 2);
    // Tab not on a tag token toggles full-text mode.
    keys(&mut app, " ⇥");
    assert!(app.search.full_text);
    keys(&mut app, "⇥");
    assert!(!app.search.full_text);
    keys(&mut app, "⎋");
    keys(&mut app, "/@ISTIO");
    assert_eq!(app.row_count(), 3, "{:?}", row_titles(&app));
    keys(&mut app, " 开源");
    assert_eq!(row_titles(&app), ["Istio 开源四周年回顾与展望"]);
}

#[test]
fn full_text_search_opens_the_post_at_the_first_hit_and_n_steps() {
    let mut app = app(100, 30);
    bodies::load_now(&mut app);
    keys(&mut app, "/⇥服务网格");
    assert!(app.search.full_text);
    assert_eq!(row_titles(&app), ["Istio 开源四周年回顾与展望"]);
    let hit = app
        .hit_at_row(0)
        .and_then(|h| h.text.clone())
        .expect("text hit");
    assert!(hit.count >= 2, "{hit:?}");
    let body = app
        .bodies
        .bodies
        .get(&app.post_at_row(0).expect("row"))
        .expect("body loaded");
    assert_eq!(hit.snippet(body).hit(), "服务网格");
    let text = screen(&app);
    assert!(text.contains(&format!("{}×", hit.count)), "{text}");
    assert!(text.contains("full text / 服务网格"), "{text}");
    keys(&mut app, "⏎");
    assert_eq!(app.view, View::Reader, "Enter opens the first result");
    let first = app.find.hits.first().cloned().expect("hits in the reader");
    assert!(app.find.hits.len() >= 2);
    let scroll = app.reader.as_ref().expect("reader").scroll;
    assert!(scroll <= first.row && first.row < scroll + app.body_height());
    let status = screen(&app).lines().last().unwrap_or_default().to_string();
    assert!(
        status.contains(&format!("1/{}", app.find.hits.len())),
        "{status}"
    );
    keys(&mut app, "n");
    assert_eq!(app.find.current, 1);
    keys(&mut app, "N");
    assert_eq!(app.find.current, 0);
    keys(&mut app, "N");
    assert_eq!(app.find.current, app.find.hits.len() - 1, "wraps around");
    // Esc clears the find; a second Esc goes back to the results.
    keys(&mut app, "⎋");
    assert!(!app.find.is_active());
    assert_eq!(app.view, View::Reader);
    keys(&mut app, "⎋");
    assert_eq!(app.view, View::List);
    assert_eq!(row_titles(&app), ["Istio 开源四周年回顾与展望"]);
}

#[test]
fn full_text_says_while_bodies_load_and_uses_what_is_loaded() {
    let mut app = app(100, 30);
    // Before the loader starts (it waits for the folder's check): said, not 0/0.
    keys(&mut app, "/⇥istio");
    assert!(
        screen(&app).contains("bodies are read once the folder is checked…"),
        "{}",
        screen(&app)
    );
    keys(&mut app, "⎋");
    app.bodies.start(app.library.posts().len());
    keys(&mut app, "/⇥istio");
    assert_eq!(app.row_count(), 0, "no bodies yet");
    assert!(screen(&app).contains("loading bodies 0/"));
    let all = bodies::read_all(&app.library);
    app.bodies.receive(
        all.into_iter()
            .take(3)
            .map(|(id, b)| (id, Some(b)))
            .collect(),
    );
    app.bodies_arrived();
    assert!(screen(&app).contains("loading bodies 3/"));
}

#[test]
fn reader_find_highlights_counts_and_steps() {
    let mut app = app(100, 30);
    let post = app
        .library
        .posts()
        .iter()
        .find(|p| p.title.starts_with("Istio 开源"))
        .map(|p| p.id.clone())
        .expect("seed post");
    effects::perform(&mut app, folio::app::Effect::OpenPost(post));
    keys(&mut app, "/ISTIO");
    assert_eq!(app.mode(), Mode::Find);
    let count = app.find.hits.len();
    assert!(count > 3, "istio occurs often: {count}");
    let text = screen(&app);
    assert!(text.contains(&format!("1/{count}")), "{text}");
    keys(&mut app, "⏎");
    assert_eq!(app.mode(), Mode::Reader);
    keys(&mut app, "nnn");
    assert_eq!(app.find.current, 3);
    let row = app.find.hits[3].row;
    let scroll = app.reader.as_ref().expect("reader").scroll;
    assert!(
        scroll <= row && row < scroll + app.body_height(),
        "hit on screen"
    );
    // The current hit is painted in the current-match style.
    let buffer = draw_buffer(&app);
    let current = Theme::dark().ui(folio::theme::UiRole::CurrentMatch);
    let y = (row - scroll) as u16;
    let painted = (0..buffer.area.width).any(|x| buffer[(x, y)].bg == current.bg.expect("bg"));
    assert!(painted, "current hit not highlighted");
    // Hits survive a resize, on their new rows.
    app.resize(50, 20);
    assert!(
        !app.find.hits.is_empty(),
        "hits found again at the new width"
    );
    keys(&mut app, "⎋");
    assert!(!app.find.is_active());
    assert_eq!(app.view, View::Reader);
}

#[test]
fn tag_browser_selects_several_and_applies_all_or_any() {
    let mut app = app(100, 30);
    keys(&mut app, "t");
    assert_eq!(
        app.mode(),
        Mode::TagFilter,
        "the browser opens to type a filter"
    );
    let text = screen(&app);
    assert!(
        text.contains("#istio") && text.contains("#kubernetes"),
        "{text}"
    );
    // Most used first: istio (4), kubernetes (4). Esc hands the keys to the browser.
    keys(&mut app, "⎋");
    assert_eq!(app.mode(), Mode::Tags);
    keys(&mut app, " ");
    keys(&mut app, " ");
    let browser = app.browser.as_ref().expect("browser");
    assert_eq!(browser.chosen, ["istio", "kubernetes"]);
    keys(&mut app, "⏎");
    assert!(app.browser.is_none());
    assert_eq!(app.search.chips.tags, ["istio", "kubernetes"]);
    let all = app.row_count();
    assert_eq!(all, 2);
    let status = screen(&app).lines().last().unwrap_or_default().to_string();
    assert!(status.contains("#istio #kubernetes (all)"), "{status}");
    // `a` switches to any.
    keys(&mut app, "t⎋a⏎");
    assert!(app.search.chips.any);
    assert_eq!(app.row_count(), 6);
    // Esc in the list clears it.
    keys(&mut app, "⎋");
    assert!(app.search.chips.is_empty());
    assert_eq!(app.row_count(), app.library.posts().len());
}

#[test]
fn tag_browser_filter_sort_and_categories() {
    let mut app = app(100, 30);
    keys(&mut app, "t");
    keys(&mut app, "云");
    let browser = app.browser.as_ref().expect("browser");
    assert!(browser.filter_focused, "what is typed first is the filter");
    assert_eq!(browser.rows.len(), 1);
    keys(&mut app, "⏎");
    assert_eq!(app.search.chips.tags, ["云原生"]);
    assert_eq!(app.row_count(), 3);
    keys(&mut app, "t⎋s");
    let browser = app.browser.as_ref().expect("browser");
    let names: Vec<_> = (0..browser.rows.len())
        .filter_map(|r| browser.entry(r))
        .map(|t| t.name.clone())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_cached_key(|n| folio::library::collate::sort_key(n));
    assert_eq!(names, sorted, "s sorts by name");
    keys(&mut app, "q");
    assert!(app.browser.is_none());
    assert_eq!(app.search.chips.tags, ["云原生"], "closing does not apply");
    keys(&mut app, "⎋c");
    assert!(screen(&app).contains("Categories"));
    keys(&mut app, "istio⏎");
    assert_eq!(app.search.chips.categories, ["istio"]);
    assert_eq!(app.row_count(), 3);
}

#[test]
fn chips_from_the_command_line() {
    let mut app = app(80, 24);
    app.set_chips(Chips {
        tags: vec!["Rust".into()],
        ..Chips::default()
    });
    assert_eq!(app.row_count(), 3);
    assert!(screen(&app).contains("#Rust"));
}

#[test]
fn search_views_never_panic_at_tiny_sizes() {
    let mut app = app(80, 24);
    bodies::load_now(&mut app);
    let setups: [&str; 5] = ["/istio", "/⇥服务网格", "t", "c云", "⏎/istio"];
    for setup in setups {
        for (w, h) in [(0, 0), (1, 1), (3, 3), (12, 3), (13, 4), (20, 5), (40, 12)] {
            let mut app = app.clone();
            app.resize(w, h);
            keys(&mut app, setup);
            assert_screen_fits(&draw_buffer(&app), &format!("{setup} {w}x{h}"));
            keys(&mut app, "jjkk⇥⎋");
            draw_buffer(&app);
        }
    }
}

/// The screen as text, then the highlighted runs (search matches) row by row, so a
/// snapshot pins both what shows and what is marked.
fn snapshot_text(app: &App) -> String {
    let buffer = draw_buffer(app);
    let theme = Theme::dark();
    let marks = [
        (theme.ui(folio::theme::UiRole::SearchMatch).bg, "match"),
        (theme.ui(folio::theme::UiRole::CurrentMatch).bg, "current"),
    ];
    let mut out = screen_rows(&buffer).join("\n");
    out.push_str("\n--- highlighted ---\n");
    for y in 0..buffer.area.height {
        for (bg, name) in marks {
            let mut runs: Vec<String> = Vec::new();
            let mut run = String::new();
            for x in 0..buffer.area.width {
                let cell = &buffer[(x, y)];
                if Some(cell.bg) == bg {
                    run.push_str(cell.symbol());
                } else if !run.is_empty() {
                    runs.push(std::mem::take(&mut run));
                }
            }
            if !run.is_empty() {
                runs.push(run);
            }
            if !runs.is_empty() {
                out.push_str(&format!("row {y} {name}: {}\n", runs.join(" | ")));
            }
        }
    }
    out
}

#[test]
fn snapshot_list_with_a_fuzzy_filter() {
    let mut app = app(80, 24);
    keys(&mut app, "/istio");
    insta::assert_snapshot!("list_fuzzy_istio_80x24", snapshot_text(&app));
    keys(&mut app, "⏎");
    app.set_chips(Chips {
        tags: vec!["kubernetes".into()],
        ..Chips::default()
    });
    insta::assert_snapshot!("list_istio_with_chip_80x24", snapshot_text(&app));
}

#[test]
fn snapshot_tag_browser() {
    let mut app = app(80, 24);
    keys(&mut app, "t⎋  ");
    insta::assert_snapshot!("tag_browser_80x24", snapshot_text(&app));
    let mut narrow = self::app(40, 12);
    keys(&mut narrow, "c⎋s");
    insta::assert_snapshot!("category_browser_by_name_40x12", snapshot_text(&narrow));
}

#[test]
fn snapshot_full_text_results_and_reader_hits() {
    let mut app = app(80, 24);
    bodies::load_now(&mut app);
    keys(&mut app, "/⇥istio 社区");
    insta::assert_snapshot!("full_text_istio_community_80x24", snapshot_text(&app));
    keys(&mut app, "⏎n");
    insta::assert_snapshot!("reader_after_full_text_80x24", snapshot_text(&app));
}

#[test]
fn the_background_loader_fills_the_cache_and_updates_full_text_results() {
    let mut app = app(100, 30);
    keys(&mut app, "/⇥服务网格");
    assert_eq!(app.row_count(), 0, "nothing loaded yet");
    // The loader's messages, on a channel like the event loop's, applied as it does.
    let (tx, rx) = std::sync::mpsc::channel();
    bodies::spawn_loader(&mut app, tx);
    let timeout = std::time::Duration::from_secs(30);
    loop {
        let msg = rx
            .recv_timeout(timeout)
            .expect("the loader sends until it is done");
        let done = matches!(
            msg,
            folio::app::msg::Msg::Loaded {
                what: folio::app::msg::Loaded::Done { .. },
                ..
            }
        );
        folio::app::msg::handle(&mut app, msg);
        if done {
            break;
        }
    }
    assert!(app.bodies.done());
    assert_eq!(app.bodies.loaded, app.library.posts().len());
    assert_eq!(row_titles(&app), ["Istio 开源四周年回顾与展望"]);
    assert!(!screen(&app).contains("loading bodies"));
}

#[test]
fn every_letter_typed_in_the_tag_filter_is_text() {
    let mut app = app(100, 30);
    // `k`, `s`, `a`, `g`, `q` and Space are browser keys once the filter lets go of them;
    // while it has the focus they are letters.
    for typed in ["kube", "go", "shell", "a q s"] {
        keys(&mut app, "t");
        keys(&mut app, typed);
        let browser = app.browser.as_ref().expect("browser stays open");
        assert_eq!(browser.filter.text(), typed);
        assert_eq!(
            browser.sort,
            folio::app::tags::Sort::Count,
            "{typed}: no re-sort"
        );
        assert!(!browser.any, "{typed}: still all");
        assert!(!app.should_quit);
        keys(&mut app, "⎋⎋⎋");
        assert!(app.browser.is_none(), "Esc: keys, clear, close");
    }
    // One Enter after typing applies the name under the cursor.
    keys(&mut app, "tkube⏎");
    assert!(app.browser.is_none());
    assert_eq!(app.search.chips.tags, ["kubernetes"]);
}

#[test]
fn the_tag_browser_footer_shows_its_own_keys_and_follows_remapping() {
    let mut app = app(120, 30);
    keys(&mut app, "t");
    let footer = |app: &App| screen(app).lines().last().unwrap_or_default().to_string();
    let typing = footer(&app);
    assert!(
        typing.contains("Tab select")
            && typing.contains("Enter apply")
            && typing.contains("Esc keys"),
        "{typing}"
    );
    keys(&mut app, "⎋");
    let browsing = footer(&app);
    for hint in [
        "Space select",
        "Enter apply",
        "a all/any",
        "s sort",
        "Esc close",
    ] {
        assert!(browsing.contains(hint), "{hint} missing: {browsing}");
    }
    assert!(
        !browsing.contains("q quit"),
        "not the list's keys: {browsing}"
    );
    app.keymap.rebind(
        Screen::Tags,
        folio::app::keymap::Key::plain(KeyCode::Char('x')),
        Some(folio::app::Action::ToggleSelect),
    );
    app.keymap.rebind(
        Screen::Tags,
        folio::app::keymap::Key::plain(KeyCode::Char(' ')),
        None,
    );
    let remapped = footer(&app);
    assert!(remapped.contains("x select"), "{remapped}");
    assert!(!remapped.contains("Space select"), "{remapped}");
}

#[test]
fn a_tag_token_being_typed_matches_by_prefix_with_its_completion_dimmed() {
    let mut app = app(100, 30);
    keys(&mut app, "/#ist");
    let istio = app.row_count();
    assert!(istio > 0, "#ist finds the istio posts while it is typed");
    assert_eq!(app.search.suggestion.as_deref(), Some("io"));
    let buffer = draw_buffer(&app);
    let line_y = buffer.area.height - 2;
    let line: String = (0..buffer.area.width)
        .map(|x| buffer[(x, line_y)].symbol().to_string())
        .collect();
    assert!(line.starts_with("/ #istio"), "{line}");
    // The suggested part is dimmed, the typed part is not.
    let x = line.find("io ").expect("suggestion") as u16;
    let dim = Theme::dark().ui(folio::theme::UiRole::Dim).fg;
    assert_eq!(buffer[(x + 1, line_y)].fg, dim.expect("dim colour"));
    assert_ne!(buffer[(x - 1, line_y)].fg, dim.expect("dim colour"));
    // Tab writes it; a finished token matches whole names only.
    keys(&mut app, "⇥");
    assert_eq!(app.search.input.text(), "#istio");
    keys(&mut app, " ");
    assert_eq!(app.row_count(), istio);
    assert_eq!(app.search.suggestion, None);
    keys(&mut app, "⌫⌫⌫⌫⌫⌫⌫#zzz");
    assert_eq!(app.row_count(), 0);
    assert_eq!(app.search.suggestion, None, "nothing to suggest");
}
