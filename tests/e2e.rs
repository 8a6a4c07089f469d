//! folio in a real terminal: tmux runs the binary, keys are typed, the screen is read.
//! Skipped (with a note) where tmux is missing, except under CI, which installs it.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    name: String,
}

impl Tmux {
    fn start(tag: &str, command: &str, width: u16, height: u16) -> Tmux {
        let name = format!("folio-e2e-{tag}-{}", std::process::id());
        let status = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &name,
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
            ])
            .arg(format!("{command}; echo \"[exited $?]\"; sleep 60"))
            .env("TERM", "xterm-256color")
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        Tmux { name }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until `text` is on screen (polling, with a deadline rather than a fixed sleep).
    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.name])
            .args(keys)
            .status()
            .expect("send-keys");
        assert!(status.success());
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
fn browse_open_back_quit_in_a_real_terminal() {
    if !tmux_available() {
        return;
    }
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-posts");
    let command = format!(
        "FOLIO_CONFIG_DIR=/nonexistent {} {}",
        env!("CARGO_BIN_EXE_folio"),
        samples.display()
    );
    let tmux = Tmux::start("browse", &command, 100, 30);
    tmux.wait_for("posts");
    tmux.wait_for("? help");
    // Open the seed post from the list: find its row by moving down until selected.
    tmux.keys(&["G"]);
    tmux.keys(&["g"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("%");
    let reader = tmux.screen();
    assert!(
        !reader.contains("---"),
        "front matter must not be shown raw:\n{reader}"
    );
    tmux.keys(&["Space", "j", "k"]);
    tmux.keys(&["q"]);
    tmux.wait_for("q quit");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
    let after = tmux.screen();
    assert!(
        !after.contains("q quit"),
        "alternate screen left behind:\n{after}"
    );
}

#[test]
fn the_terminal_is_restored_after_a_panic() {
    if !tmux_available() {
        return;
    }
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-posts");
    let command = format!(
        "RUST_BACKTRACE=0 FOLIO_TEST_PANIC=draw FOLIO_CONFIG_DIR=/nonexistent {} {}; stty -a | grep -o ' icanon'",
        env!("CARGO_BIN_EXE_folio"),
        samples.display()
    );
    let tmux = Tmux::start("panic", &command, 100, 30);
    tmux.wait_for("[exited");
    let screen = tmux.screen();
    assert!(
        screen.contains("forced panic in draw"),
        "panic message readable:\n{screen}"
    );
    assert!(screen.contains(" icanon"), "raw mode left on:\n{screen}");
}

#[test]
fn search_open_back_in_a_real_terminal() {
    if !tmux_available() {
        return;
    }
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-posts");
    let command = format!(
        "FOLIO_CONFIG_DIR=/nonexistent {} {}",
        env!("CARGO_BIN_EXE_folio"),
        samples.display()
    );
    let tmux = Tmux::start("search", &command, 100, 30);
    tmux.wait_for("q quit");
    // Fuzzy: the line filters as it is typed; Enter keeps the filter.
    tmux.keys(&["/"]);
    tmux.keys(&["-l", "开源周年"]);
    tmux.wait_for("/ 开源周年");
    tmux.wait_for("1 shown");
    tmux.keys(&["Enter"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("%");
    let reader = tmux.screen();
    assert!(reader.contains("Istio 开源四周年回顾与展望"), "{reader}");
    tmux.keys(&["q"]);
    tmux.wait_for("1 shown");
    // Full text: Tab switches; once bodies are loaded, Enter opens at the first hit.
    tmux.keys(&["Escape"]);
    tmux.wait_for("10 posts");
    tmux.keys(&["/", "Tab"]);
    tmux.keys(&["-l", "服务网格"]);
    tmux.wait_for("full text / 服务网格");
    tmux.wait_for("×");
    tmux.keys(&["Enter"]);
    tmux.wait_for("1/2");
    tmux.keys(&["n"]);
    tmux.wait_for("2/2");
    // Esc clears the find, a second one goes back to the results.
    tmux.keys(&["Escape"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for("full text / 服务网格");
    tmux.keys(&["Escape"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for("[exited 0]");
}
