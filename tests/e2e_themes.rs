//! Themes in a real terminal: `auto` asks tmux for its background (OSC 11) and follows
//! it, leaves nothing on screen and the terminal in cooked mode, and `T` previews themes
//! in the running TUI, even where a theme names a device or a FIFO. Skipped (with a
//! note) where tmux is missing, except under CI.

mod common;
use common::BUILT_IN_THEMES;
use common::tmux::{Tmux, folio_command, tmux_available};

#[test]
fn auto_follows_the_terminal_background_and_leaves_nothing_behind() {
    if !tmux_available() {
        return;
    }
    for (background, expected) in [("#fafafa", "* light"), ("#101018", "* dark")] {
        let command = folio_command("", "--theme auto themes; stty -a | grep -o ' icanon'");
        let tmux = Tmux::start_with_background("auto", &command, background);
        let screen = tmux.wait_for("[exited 0]");
        assert!(screen.contains(expected), "{background}:\n{screen}");
        assert!(screen.contains(" icanon"), "terminal left raw:\n{screen}");
        assert!(
            !screen.contains("11;") && !screen.contains("rgb:") && !screen.contains("[?"),
            "a reply leaked onto the screen:\n{screen}"
        );
    }
}

#[test]
fn with_no_theme_chosen_the_terminal_background_decides() {
    // The dark theme's pale text cannot be read on a light terminal (xterm's default):
    // with no --theme and no config, folio follows the background as `auto` does.
    if !tmux_available() {
        return;
    }
    for (background, expected) in [("#ffffff", "* light"), ("#000000", "* dark")] {
        let command = folio_command("", "themes");
        let tmux = Tmux::start_with_background("default-theme", &command, background);
        let screen = tmux.wait_for("[exited 0]");
        assert!(screen.contains(expected), "{background}:\n{screen}");
    }
}

#[test]
fn without_colour_the_terminal_is_not_asked() {
    // NO_COLOR leaves nothing for the background to decide: `auto` takes the dark
    // theme's name without the question (a light window would have answered "light").
    if !tmux_available() {
        return;
    }
    let command = folio_command("NO_COLOR=1", "themes");
    let tmux = Tmux::start_with_background("no-color-theme", &command, "#ffffff");
    let screen = tmux.wait_for("[exited 0]");
    assert!(screen.contains("* dark"), "{screen}");
}

#[test]
fn t_previews_a_theme_in_the_running_tui() {
    if !tmux_available() {
        return;
    }
    let command = folio_command("", "");
    let tmux = Tmux::start_with_background("picker", &command, "default");
    tmux.wait_for("? help");
    tmux.keys(&["T"]);
    let screen = tmux.wait_for(BUILT_IN_THEMES[BUILT_IN_THEMES.len() - 1]);
    for name in BUILT_IN_THEMES {
        assert!(screen.contains(name), "{screen}");
    }
    tmux.keys(&["j", "j", "Enter"]);
    tmux.wait_for("theme: dracula");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
}

#[cfg(unix)]
#[test]
fn t_over_themes_naming_a_device_or_a_fifo_says_so_and_leaves_cleanly() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let themes = dir.path().join("themes");
    std::fs::create_dir(&themes).expect("mkdir");
    std::fs::write(themes.join("zero.yaml"), "code_theme: /dev/zero\n").expect("write");
    std::fs::write(themes.join("piped.yaml"), "code_theme: piped.tmTheme\n").expect("write");
    let made = std::process::Command::new("mkfifo")
        .arg(themes.join("piped.tmTheme"))
        .status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    // The memory cap makes a folio that reads /dev/zero fail at once rather than take
    // the machine's memory first; it is far above what folio needs.
    let command = format!(
        "ulimit -v 4000000; {}; echo \"[exited $?]\"; stty -a | tr ';' '\\n' | grep -o -- '-\\?icanon'",
        folio_command(&format!("FOLIO_CONFIG_DIR='{}'", dir.path().display()), "")
    );
    let tmux = Tmux::start("picker-devices", &command, 200, 30);
    tmux.wait_for("? help");
    tmux.keys(&["T"]);
    tmux.wait_for("zero.yaml:1: code_theme");
    // Moving onto each says in full what is wrong with it; Esc and q leave as always.
    tmux.keys(&["G"]);
    tmux.wait_for("code_theme: /dev/zero: not a regular file; not read");
    tmux.keys(&["k"]);
    tmux.wait_for("piped.tmTheme: not a regular file; not read");
    tmux.keys(&["Escape"]);
    tmux.wait_gone("Esc cancel");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
    assert_eq!(tmux.pane("alternate_on"), "0", "alternate screen left");
    assert_eq!(tmux.pane("cursor_flag"), "1", "cursor shown");
    assert_eq!(tmux.pane("mouse_any_flag"), "0", "mouse reporting off");
    let screen = tmux.wait_for("icanon");
    let modes: Vec<&str> = screen.lines().filter(|l| l.contains("icanon")).collect();
    assert_eq!(modes, ["icanon"], "the tty is cooked again:\n{screen}");
}
