//! Themes in a real terminal: `auto` asks tmux for its background (OSC 11) and follows
//! it, leaves nothing on screen and the terminal in cooked mode, and `T` previews themes
//! in the running TUI. Skipped (with a note) where tmux is missing, except under CI.

use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    name: String,
}

impl Tmux {
    /// A detached session whose panes have `background` (tmux answers OSC 11 with it).
    fn start(tag: &str, command: &str, background: &str) -> Tmux {
        let name = format!("folio-e2e-themes-{tag}-{}", std::process::id());
        let ok = Command::new("tmux")
            .args(["new-session", "-d", "-s", &name, "-x", "100", "-y", "30"])
            .arg(format!(
                "sleep 0.3; {command}; echo \"[exited $?]\"; sleep 60"
            ))
            .env("TERM", "xterm-256color")
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "tmux new-session failed");
        let style = format!("bg={background}");
        let ok = Command::new("tmux")
            .args(["set", "-t", &name, "window-style", &style])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "tmux set window-style failed");
        Tmux { name }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn keys(&self, keys: &[&str]) {
        let ok = Command::new("tmux")
            .args(["send-keys", "-t", &self.name])
            .args(keys)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "send-keys failed");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .status();
    }
}

fn tmux_available() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install tmux (.ci/run does)"
        );
        eprintln!("skipped: tmux is not installed");
    }
    found
}

#[test]
fn auto_follows_the_terminal_background_and_leaves_nothing_behind() {
    if !tmux_available() {
        return;
    }
    let folio = env!("CARGO_BIN_EXE_folio");
    for (background, expected) in [("#fafafa", "* light"), ("#101018", "* dark")] {
        let command = format!(
            "FOLIO_CONFIG_DIR=/nonexistent {folio} --theme auto themes; stty -a | grep -o ' icanon'"
        );
        let tmux = Tmux::start("auto", &command, background);
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
    let command = format!(
        "FOLIO_CONFIG_DIR=/nonexistent {}",
        env!("CARGO_BIN_EXE_folio")
    );
    let tmux = Tmux::start("picker", &command, "default");
    tmux.wait_for("? help");
    tmux.keys(&["T"]);
    let screen = tmux.wait_for("catppuccin-mocha");
    for name in ["dracula", "nord", "solarized-light"] {
        assert!(screen.contains(name), "{screen}");
    }
    tmux.keys(&["j", "j", "Enter"]);
    tmux.wait_for("theme: dracula");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
}
