//! The TUI under a user's configuration: remapped keys, the theme picker's live preview,
//! switching collections, reading width, date format, drafts, and how a bad config or
//! theme shows up. Driven like `tests/tui.rs`: keys through the keymap and `update`,
//! effects performed, screens drawn into a TestBackend.

use std::path::Path;

use folio::app::{Action, App, Mode, Screen, View};
use folio::config::{self, Config};
use folio::library::Library;
use folio::setup::{self, Strictness};
use folio::theme::{ColorDepth, Theme};
use ratatui::style::{Color, Modifier};

mod common;
use common::{
    BUILT_IN_THEMES, assert_fits_at_sizes, draw_buffer as draw, keys, sample_dir, screen_rows,
    write_file,
};

fn configured(yaml: &str, size: (u16, u16)) -> App {
    let config = config::parse(yaml).expect("config parses");
    app_with(&config, Theme::dark(), size)
}

fn app_with(config: &Config, theme: Theme, (width, height): (u16, u16)) -> App {
    let library = Library::scan(&sample_dir()).expect("sample posts scan");
    let mut app = App::new(library, "sample-posts".into(), (width, height));
    app.configure(config, theme);
    app
}

fn screen_text(buffer: &ratatui::buffer::Buffer) -> String {
    screen_rows(buffer).join("\n")
}

fn scroll(app: &App) -> usize {
    app.reader.as_ref().expect("reader").scroll
}

#[test]
fn remapped_keys_drive_update_and_show_in_help() {
    let mut app = configured(
        "keys:\n  reader: { j: scroll-down, n: down }\n  list: { x: open, q: none }\n",
        (80, 24),
    );
    keys(&mut app, "q");
    assert!(!app.should_quit, "q was unbound on the list");
    keys(&mut app, "x");
    assert_eq!(app.view, View::Reader, "x opens the post");
    keys(&mut app, "j");
    assert_eq!(scroll(&app), 3, "j now scrolls like the wheel");
    keys(&mut app, "n");
    assert_eq!(scroll(&app), 4, "n moves one line");
    keys(&mut app, "k");
    assert_eq!(scroll(&app), 3, "unmapped keys keep their defaults");
    // Help lists what the keys now do.
    let rows = app.keymap.help_rows(Screen::Reader);
    let keys_for = |action: Action| {
        rows.iter()
            .find(|(_, a)| *a == action)
            .map(|(k, _)| k.clone())
            .unwrap_or_default()
    };
    assert!(keys_for(Action::ScrollDown).split(' ').any(|k| k == "j"));
    assert!(!keys_for(Action::Down).split(' ').any(|k| k == "j"));
    keys(&mut app, "?");
    // The help page can be taller than the screen: j scrolls it.
    // Each row names the action as the config knows it, beside its keys.
    let mut screen = screen_text(&draw(&app));
    let row_of = |screen: &str| {
        screen
            .lines()
            .find(|l| l.contains("scroll-down"))
            .map(str::to_string)
    };
    for _ in 0..60 {
        if row_of(&screen).is_some() {
            break;
        }
        keys(&mut app, "j");
        assert!(app.show_help, "j scrolls help rather than closing it");
        screen = screen_text(&draw(&app));
    }
    let row = row_of(&screen).unwrap_or_else(|| panic!("no scroll-down row:\n{screen}"));
    assert!(row.contains("│  j  "), "j is listed for scroll-down: {row}");
}

#[test]
fn t_previews_themes_live_and_escape_puts_the_old_one_back() {
    let mut app = configured("", (80, 24));
    keys(&mut app, "T");
    assert_eq!(app.mode(), Mode::Picker);
    let screen = screen_text(&draw(&app));
    for name in BUILT_IN_THEMES {
        assert!(screen.contains(name), "{name} not listed:\n{screen}");
    }
    keys(&mut app, "j");
    assert_eq!(app.theme.name(), "light", "moving previews");
    // The screen behind the picker is drawn in the previewed theme.
    let corner = draw(&app)[(0, 20)].style();
    assert_eq!(corner.bg, Some(Color::Rgb(0xfa, 0xfa, 0xfa)));
    keys(&mut app, "⎋");
    assert_eq!(app.view, View::List);
    assert_eq!(app.theme.name(), "dark", "cancel restores");

    keys(&mut app, "Tjj⏎");
    assert_eq!(app.theme.name(), "dracula", "Enter keeps the choice");
    assert_eq!(app.view, View::List);
    assert!(
        app.message
            .as_deref()
            .is_some_and(|m| m.contains("theme: dracula"))
    );
}

#[test]
fn the_picker_over_the_reader_recolours_code_and_returns_to_the_reader() {
    let mut app = configured("", (80, 24));
    keys(&mut app, "⏎");
    assert_eq!(app.view, View::Reader);
    let code = |app: &App| {
        app.reader
            .as_ref()
            .expect("reader")
            .options
            .code_theme
            .clone()
    };
    assert_eq!(code(&app).as_deref(), Some("OneHalfDark"));
    keys(&mut app, "jjjT");
    let before = scroll(&app);
    keys(&mut app, "jj");
    assert_eq!(code(&app).as_deref(), Some("Dracula"));
    assert_eq!(scroll(&app), before, "a new theme keeps the place");
    let screen = screen_text(&draw(&app));
    assert!(screen.contains("Theme"), "{screen}");
    keys(&mut app, "q");
    assert_eq!(app.view, View::Reader);
    assert_eq!(code(&app).as_deref(), Some("OneHalfDark"));
}

#[test]
fn the_picker_draws_at_any_size() {
    let mut app = configured("", (80, 24));
    keys(&mut app, "T");
    assert_fits_at_sizes(
        &mut app,
        &[
            (1, 1),
            (3, 3),
            (2, 9),
            (12, 3),
            (13, 4),
            (20, 6),
            (40, 12),
            (80, 24),
            (300, 80),
        ],
        &["G", "g"],
    );
}

fn write_post(dir: &Path, name: &str, title: &str) {
    let post = format!("---\ntitle: {title}\ndate: 2024-01-02\n---\n\nbody\n");
    write_file(dir, name, post);
}

#[test]
fn c_switches_between_configured_collections() {
    let one = tempfile::tempdir().expect("tempdir");
    let two = tempfile::tempdir().expect("tempdir");
    write_post(one.path(), "a.md", "Post in one");
    write_post(two.path(), "b.md", "Post in two");
    write_post(two.path(), "c.md", "Another in two");
    let yaml = format!(
        "collection:\n  - {{ name: one, path: '{}' }}\n  - {{ name: two, path: '{}' }}\n",
        one.path().display(),
        two.path().display()
    );
    let config = config::parse(&yaml).expect("parses");
    let library = Library::scan(one.path()).expect("scan");
    let mut app = App::new(library, one.path().display().to_string(), (80, 24));
    app.configure(&config, Theme::dark());
    assert_eq!(app.prefs.current_collection, Some(0));
    keys(&mut app, "C");
    assert_eq!(app.mode(), Mode::Picker);
    assert!(screen_text(&draw(&app)).contains("two"));
    keys(&mut app, "j⏎");
    assert_eq!(app.view, View::List);
    assert_eq!(app.library.posts().len(), 2);
    assert_eq!(app.prefs.current_collection, Some(1));
    assert!(screen_text(&draw(&app)).contains("Another in two"));

    // With one collection, C says how to add more.
    let mut single = configured("", (80, 24));
    keys(&mut single, "C");
    assert_eq!(single.view, View::List);
    assert!(
        single
            .message
            .as_deref()
            .is_some_and(|m| m.contains("collection"))
    );
}

#[test]
fn width_date_format_and_drafts_come_from_the_config() {
    let mut full = configured("width: 0\n", (140, 30));
    keys(&mut full, "⏎");
    assert_eq!(full.reader.as_ref().expect("reader").laid.width, 140);
    let mut narrow = configured("width: 60\n", (140, 30));
    keys(&mut narrow, "⏎");
    assert_eq!(narrow.reader.as_ref().expect("reader").laid.width, 60);

    let all = configured("", (100, 30));
    let drafts = all.library.posts().iter().filter(|p| p.meta.draft).count();
    assert!(drafts > 0, "the samples include a draft");
    let hidden = configured("show_drafts: false\ndate_format: '%d %b %Y'\n", (100, 30));
    assert_eq!(
        hidden.library.posts().len(),
        all.library.posts().len() - drafts
    );
    let post = &hidden.library.posts()[0];
    let shown = hidden.prefs.format_date(post);
    let ymd = post.date_ymd().expect("dated");
    assert_ne!(shown, ymd);
    assert!(screen_text(&draw(&hidden)).contains(&shown), "{shown}");
}

/// The config's `date_format` is text the user wrote, and strftime copies what is not a
/// field as it is: an escape in it is shown as a marker, a line separator as a space.
#[test]
fn a_date_format_with_control_codes_is_shown_inert() {
    let app = configured("date_format: \"%Y\\e]2;x\\a\\e[2J\\u2028%m\"\n", (120, 30));
    let post = &app.library.posts()[0];
    let (year, month) = post
        .meta
        .date
        .as_ref()
        .map(|d| {
            (
                d.naive.format("%Y").to_string(),
                d.naive.format("%m").to_string(),
            )
        })
        .expect("dated");
    let shown = app.prefs.format_date(post);
    assert_eq!(shown, format!("{year}␛]2;x␇␛[2J {month}"));
    let buffer = draw(&app);
    common::assert_screen_fits(&buffer, "date_format");
    assert!(screen_text(&buffer).contains(&shown), "{shown}");
}

#[test]
fn code_blocks_are_filled_to_the_text_width() {
    let mut app = configured("", (80, 40));
    let tour = app
        .library
        .posts()
        .iter()
        .position(|p| p.title.starts_with("A Tour"))
        .expect("the tour");
    for _ in 0..tour {
        keys(&mut app, "j");
    }
    keys(&mut app, "⏎");
    let reader = app.reader.as_ref().expect("reader");
    let row = reader
        .laid
        .lines
        .iter()
        .position(|l| l.plain_text() == "│ plain text, no highlighting")
        .expect("the plain code block");
    app.reader.as_mut().expect("reader").scroll = row;
    let buffer = draw(&app);
    let code_bg = app
        .theme
        .element(folio::theme::Element::CodeBlock)
        .bg
        .expect("dark gives code blocks a background");
    // The last column of the text, far past the end of the code, is code-coloured; the
    // row above the block (its label) is not.
    assert_eq!(buffer[(79, 0)].bg, code_bg);
    assert_eq!(buffer[(0, 0)].bg, code_bg, "the gutter too");
    app.reader.as_mut().expect("reader").scroll = row - 1;
    assert_ne!(draw(&app)[(79, 0)].bg, code_bg);
}

#[test]
fn no_color_keeps_attributes_on_screen() {
    let mut app = app_with(&Config::default(), Theme::dark().without_color(), (80, 24));
    keys(&mut app, "⏎");
    let buffer = draw(&app);
    let mut bold = 0;
    for cell in buffer.content() {
        assert!(matches!(cell.fg, Color::Reset), "{cell:?}");
        assert!(matches!(cell.bg, Color::Reset), "{cell:?}");
        bold += usize::from(cell.modifier.contains(Modifier::BOLD));
    }
    assert!(bold > 0, "bold survives NO_COLOR");
}

#[test]
fn setup_warns_in_the_tui_and_fails_on_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.yaml");
    std::fs::write(&path, "theme: dark\nkeys:\n  list: { j: jump }\n").expect("write");
    let load =
        |strictness| setup::load_in(Some(dir.path()), ColorDepth::TrueColor, None, strictness);
    let err = load(Strictness::Strict).expect_err("strict fails");
    assert!(
        err.to_string()
            .starts_with(&format!("{}:3: ", path.display())),
        "{err}"
    );
    let lenient = load(Strictness::Lenient).expect("lenient carries on");
    assert_eq!(
        lenient.config.theme.as_deref(),
        Some("dark"),
        "the rest applies"
    );
    assert!(lenient.config.keys.is_empty());
    assert!(lenient.warnings[0].contains("unknown action `jump`"));

    // A configured theme that fails: a warning and the dark theme in the TUI.
    std::fs::create_dir(dir.path().join("themes")).expect("mkdir");
    std::fs::write(
        dir.path().join("themes/mine.yaml"),
        "extends: nord\nui:\n  selection: { bg: plaid }\n",
    )
    .expect("write theme");
    std::fs::write(&path, "theme: mine\n").expect("write");
    let lenient = load(Strictness::Lenient).expect("lenient");
    assert_eq!(lenient.theme.name(), "dark");
    assert!(
        lenient.warnings[0].contains("mine.yaml:3: ui.selection.bg"),
        "{:?}",
        lenient.warnings
    );
    assert!(load(Strictness::Strict).is_err());

    // Fixed, the user's theme is used, laid over nord.
    std::fs::write(
        dir.path().join("themes/mine.yaml"),
        "extends: nord\nui:\n  selection: { bg: '#000000' }\n",
    )
    .expect("write theme");
    let ok = load(Strictness::Strict).expect("loads");
    assert_eq!(ok.theme.name(), "mine");
    assert_eq!(ok.theme.code_theme(), Some("Nord"));
    // A path in the config is read from the config's folder.
    std::fs::write(&path, "theme: themes/mine.yaml\n").expect("write");
    let by_path = load(Strictness::Strict).expect("relative path");
    assert_eq!(by_path.theme.name(), "mine");
    // --theme wins over the config, and is fatal even in the TUI.
    let explicit = setup::load_in(
        Some(dir.path()),
        ColorDepth::Ansi256,
        Some("nosuch"),
        Strictness::Lenient,
    );
    assert!(explicit.is_err());
    let light = setup::load_in(
        Some(dir.path()),
        ColorDepth::Ansi256,
        Some("light"),
        Strictness::Strict,
    )
    .expect("light");
    assert_eq!(light.theme.name(), "light");
    assert_eq!(light.theme.depth(), ColorDepth::Ansi256);
}

#[test]
fn one_bad_entry_costs_one_setting_and_every_mistake_is_told_in_full() {
    let dir = tempfile::tempdir().expect("tempdir");
    let notes = dir.path().join("notes");
    std::fs::create_dir(&notes).expect("mkdir");
    let yaml = format!(
        "collection:\n  - {{ name: 博客, path: {} }}\n  - {{ name: notes, path: {} }}\n\
         theme: nord\nwidth: 72\nkeys:\n  reader: {{ j: scrol-down }}\n  list:\n    x: open\n    \
         y: nosuch\nshow_drafts: maybe\n",
        sample_dir().display(),
        notes.display()
    );
    std::fs::write(dir.path().join("config.yaml"), yaml).expect("write");
    let setup = setup::load_in(
        Some(dir.path()),
        ColorDepth::TrueColor,
        None,
        Strictness::Lenient,
    )
    .expect("lenient");
    assert_eq!(setup.warnings.len(), 3, "{:?}", setup.warnings);
    let library = Library::scan(&sample_dir()).expect("scan");
    let mut app = folio::commands::tui::app(library, sample_dir().display().to_string(), &setup);
    app.resize(100, 30);
    // Everything valid applied: collections, theme, width, the good key.
    assert_eq!(app.prefs.collections.len(), 2);
    assert_eq!(app.theme.name(), "nord");
    assert_eq!(app.prefs.width, 72);
    assert_eq!(
        app.keymap.action_in(
            Screen::List,
            folio::app::keymap::Key::plain(crossterm::event::KeyCode::Char('x'))
        ),
        Some(Action::Open)
    );
    // The status bar says how many; `!` shows each in full, with file and line.
    let status = screen_text(&draw(&app));
    assert!(status.contains("3 problems in the config"), "{status}");
    assert!(
        status.contains("博客 · 10 posts"),
        "named as the config names it: {status}"
    );
    keys(&mut app, "!");
    let page = screen_text(&draw(&app));
    for (line, what) in [
        (7, "keys.reader.j"),
        (10, "keys.list.y"),
        (11, "show_drafts"),
    ] {
        let needle = format!("config.yaml:{line}: {what}");
        let flat: String = page.split_whitespace().collect::<Vec<_>>().join(" ");
        let found = flat.contains(&needle)
            || page
                .lines()
                .any(|l| l.contains(&format!(":{line}: {what}")));
        assert!(found, "{needle} not on the messages page:\n{page}");
    }
}
