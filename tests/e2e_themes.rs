//! Themes in a real terminal: `auto` asks tmux for its background (OSC 11) and follows
//! it, leaves nothing on screen and the terminal in cooked mode, and `T` previews themes
//! in the running TUI. Skipped (with a note) where tmux is missing, except under CI.

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
