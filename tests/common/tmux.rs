//! A real terminal for end-to-end tests: tmux runs folio in a detached session, keys are
//! sent, the screen is read. Waits poll the screen against a deadline, never a fixed
//! sleep. Where tmux is missing the tests skip with a note, except under CI, which must
//! install it (`.ci/run` does).
//!
//! (The `sleep 60` after a command keeps its pane open to be read; nothing waits on it.)

use std::process::Command;

pub struct Tmux {
    name: String,
}

impl Tmux {
    /// A `width`×`height` session running `command`, which prints `[exited N]` when it
    /// ends and keeps the pane open to be read.
    pub fn start(tag: &str, command: &str, width: u16, height: u16) -> Tmux {
        Tmux::launch(
            tag,
            &format!("{command}; echo \"[exited $?]\"; sleep 60"),
            width,
            height,
        )
    }

    /// A 100×30 session whose panes have `background` (tmux answers OSC 11 with it).
    /// The shell holds the command back until a line is typed, and the line is typed
    /// only once tmux shows the style set, so folio cannot ask before it is.
    pub fn start_with_background(tag: &str, command: &str, background: &str) -> Tmux {
        let tmux = Tmux::launch(
            tag,
            &format!("read -r _; {command}; echo \"[exited $?]\"; sleep 60"),
            100,
            30,
        );
        let style = format!("bg={background}");
        tmux.tmux(&["set", "-t", &tmux.name, "window-style", &style]);
        let set = tmux.tmux(&["show", "-t", &tmux.name, "-w", "-v", "window-style"]);
        assert_eq!(set.trim(), style, "tmux did not take the window style");
        tmux.keys(&["Enter"]);
        tmux
    }

    /// Runs a tmux command that must succeed; returns its output.
    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").args(args).output().expect("run tmux");
        assert!(out.status.success(), "tmux {args:?} failed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn launch(tag: &str, shell: &str, width: u16, height: u16) -> Tmux {
        let name = format!("folio-e2e-{tag}-{}", std::process::id());
        // Tests start sessions at once; the first ones race to start the tmux server,
        // and a loser is told so: it tries again.
        let start = || {
            Command::new("tmux")
                .args(["new-session", "-d", "-s", &name, "-x", &width.to_string()])
                .args(["-y", &height.to_string(), shell])
                .env("TERM", "xterm-256color")
                .status()
                .is_ok_and(|s| s.success())
        };
        let ok = (0..5).any(|_| start());
        assert!(ok, "tmux new-session failed");
        Tmux { name }
    }

    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits until `text` is on screen, and returns that screen.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |screen| screen.contains(text))
    }

    /// Waits until `text` has left the screen (a view changed).
    pub fn wait_gone(&self, text: &str) -> String {
        self.wait_until(text, |screen| !screen.contains(text))
    }

    pub fn wait_until(&self, text: &str, done: impl Fn(&str) -> bool) -> String {
        super::poll(
            || format!("{text:?}; screen:\n{}", self.screen()),
            || Some(self.screen()).filter(|screen| done(screen)),
        )
    }

    pub fn keys(&self, keys: &[&str]) {
        let ok = Command::new("tmux")
            .args(["send-keys", "-t", &self.name])
            .args(keys)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "send-keys failed");
    }
}

impl Tmux {
    /// From now on, appends every byte the program writes to the pane to `file`, as
    /// written (escape sequences and all).
    pub fn pipe_output(&self, file: &std::path::Path) {
        let command = format!("cat >> '{}'", file.display());
        self.tmux(&["pipe-pane", "-o", "-t", &self.name, &command]);
    }

    /// A tmux format variable of the pane (`alternate_on`, `cursor_flag`,
    /// `mouse_any_flag`…): what the terminal's modes are now.
    pub fn pane(&self, variable: &str) -> String {
        self.tmux(&[
            "display",
            "-p",
            "-t",
            &self.name,
            &format!("#{{{variable}}}"),
        ])
        .trim()
        .to_string()
    }

    /// The process the pane's shell started (folio), once it runs.
    pub fn program_pid(&self) -> u32 {
        let shell = self.tmux(&["display", "-p", "-t", &self.name, "#{pane_pid}"]);
        let shell = shell.trim().to_string();
        super::poll(
            || format!("a child of the pane's shell {shell}"),
            || {
                let out = Command::new("pgrep").args(["-P", &shell]).output().ok()?;
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .next()
                    .and_then(|l| l.trim().parse().ok())
            },
        )
    }
}

/// How many times the threads of process `pid` have gone to sleep and been woken
/// (voluntary context switches, summed over its threads): a process that polls on a
/// timer keeps adding to it while nothing happens.
pub fn wakeups(pid: u32) -> u64 {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).expect("/proc task list");
    tasks
        .filter_map(|task| {
            let status = std::fs::read_to_string(task.ok()?.path().join("status")).ok()?;
            status
                .lines()
                .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
                .and_then(|n| n.trim().parse::<u64>().ok())
        })
        .sum()
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .status();
    }
}

/// The shell command that runs the folio under test with no user config unless `env`
/// sets `FOLIO_CONFIG_DIR` (and its index cache in the tests' folder, not the user's):
/// `env` assignments (may be empty) before it, `args` after it.
pub fn folio_command(env: &str, args: &str) -> String {
    static SESSIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let mut vars = String::new();
    if !env.contains("FOLIO_CONFIG_DIR=") {
        vars.push_str("FOLIO_CONFIG_DIR=/nonexistent ");
    }
    // The tests' own index cache; a reading memory of this session's own (a test that
    // carries memory from one run to the next sets FOLIO_DATA_DIR itself).
    if !env.contains("FOLIO_CACHE_DIR=") {
        let cache = std::env::temp_dir().join("folio-test-cache");
        vars.push_str(&format!("FOLIO_CACHE_DIR='{}' ", cache.display()));
    }
    if !env.contains("FOLIO_DATA_DIR=") {
        let n = SESSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let data = std::env::temp_dir().join(format!("folio-test-data-{}-{n}", std::process::id()));
        vars.push_str(&format!("FOLIO_DATA_DIR='{}' ", data.display()));
    }
    let env = if env.is_empty() {
        String::new()
    } else {
        format!("{env} ")
    };
    format!("{env}{vars}{} {args}", env!("CARGO_BIN_EXE_folio"))
}

/// Whether tmux is here; outside CI a missing tmux skips the test with a note.
pub fn tmux_available() -> bool {
    super::require_program_with("tmux", "-V")
}
