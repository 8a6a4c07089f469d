//! folio in a real terminal: tmux runs the binary, keys are typed, the screen is read.
//! Skipped (with a note) where tmux is missing, except under CI, which installs it.

use std::path::PathBuf;

mod common;
use common::tmux::{Tmux, folio_command, tmux_available};
use common::{poll, sample_dir};

#[test]
fn browse_open_back_quit_in_a_real_terminal() {
    if !tmux_available() {
        return;
    }
    let command = folio_command("", &sample_dir().display().to_string());
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
fn follow_a_link_to_another_post_and_come_back() {
    if !tmux_available() {
        return;
    }
    let post = sample_dir().join("rust-ownership").join("index.md");
    let command = folio_command("", &post.display().to_string());
    let tmux = Tmux::start("links", &command, 100, 30);
    tmux.wait_for("Rust 所有权笔记");
    tmux.wait_for("? help");
    // The first link on screen is the in-post anchor, the second the Go post.
    tmux.keys(&["Tab"]);
    tmux.wait_for("→ #借用规则");
    tmux.keys(&["Tab"]);
    tmux.wait_for("→ ../go-concurrency-patterns/index.md");
    tmux.keys(&["Enter"]);
    // The Rust post may mention the Go post's title; wait for the view to change first.
    tmux.wait_gone("Rust 所有权笔记");
    tmux.wait_for("Go Concurrency Patterns I Keep Reaching For");
    let go = tmux.screen();
    assert!(
        !go.contains("Rust 所有权笔记"),
        "still on the old post:\n{go}"
    );
    tmux.keys(&["BSpace"]);
    tmux.wait_gone("Go Concurrency Patterns I Keep");
    tmux.wait_for("Rust 所有权笔记");
    let back = tmux.screen();
    assert!(
        !back.contains("Go Concurrency Patterns I Keep"),
        "not back:\n{back}"
    );
    // Back again with no history left: the list.
    tmux.keys(&["BSpace"]);
    tmux.wait_for("q quit");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
}

/// Writes an executable shell script (the stand-in editor or browser).
fn script(dir: &std::path::Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

#[test]
fn e_runs_the_editor_and_shows_the_edited_post() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let post = dir.path().join("note.md");
    std::fs::write(&post, "# Note\n\nThe original paragraph.\n").expect("write post");
    // The "editor" rewrites the file and checks it was given the terminal.
    let editor = script(
        dir.path(),
        "editor",
        "[ -t 0 ] && [ -t 1 ] && sed -i 's/original/edited/' \"$1\"",
    );
    let command = folio_command(
        &format!("VISUAL= EDITOR={}", editor.display()),
        &post.display().to_string(),
    );
    let tmux = Tmux::start("edit", &command, 80, 24);
    tmux.wait_for("The original paragraph.");
    tmux.keys(&["e"]);
    tmux.wait_for("The edited paragraph.");
    tmux.wait_for("? help");
    tmux.keys(&["q"]);
    tmux.wait_for("q quit");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
}

#[test]
fn web_links_go_to_the_browser_without_touching_the_screen() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let post = dir.path().join("links.md");
    std::fs::write(
        &post,
        "# Links\n\nSee [the spec](https://spec.commonmark.org/).\n",
    )
    .expect("write post");
    let opened = dir.path().join("opened.txt");
    // The "browser" records its arguments and writes to stdout and stderr, which must
    // not reach folio's screen.
    let browser = script(
        dir.path(),
        "browser",
        &format!(
            "echo BROWSER-STDOUT; echo BROWSER-STDERR >&2; printf '%s\\n' \"$@\" > {}",
            opened.display()
        ),
    );
    let command = folio_command(
        &format!("BROWSER={}", browser.display()),
        &post.display().to_string(),
    );
    let tmux = Tmux::start("browser", &command, 80, 24);
    tmux.wait_for("the spec");
    tmux.keys(&["Tab"]);
    tmux.wait_for("→ https://spec.commonmark.org/");
    tmux.keys(&["Enter"]);
    tmux.wait_for("opening in the browser");
    let arguments = poll(
        || "the browser to be started".to_string(),
        || {
            std::fs::read_to_string(&opened)
                .ok()
                .filter(|a| !a.is_empty())
        },
    );
    assert_eq!(arguments, "https://spec.commonmark.org/\n");
    let screen = tmux.screen();
    assert!(
        !screen.contains("BROWSER-STD"),
        "output on screen:\n{screen}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("q quit");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
}

/// A panic in drawing a frame and one in handling a key (forced by the debug build's
/// `FOLIO_TEST_PANIC`): the terminal is handed back whole, and the panic's message is on
/// the shell's screen, each line at its start (not stepped right by a raw tty).
#[test]
fn the_terminal_is_restored_after_a_panic() {
    if !tmux_available() {
        return;
    }
    if !cfg!(debug_assertions) {
        eprintln!("skipped: a release build has no FOLIO_TEST_PANIC");
        return;
    }
    for (place, message) in [
        ("draw", "forced panic in draw (FOLIO_TEST_PANIC=draw)"),
        (
            "event",
            "forced panic in event handling (FOLIO_TEST_PANIC=event)",
        ),
    ] {
        let command = format!(
            "{}; echo \"[exited $?]\"; stty -a | tr ';' '\\n' | grep -o -- '-\\?icanon'",
            folio_command(
                &format!("RUST_BACKTRACE=0 FOLIO_TEST_PANIC={place}"),
                &sample_dir().display().to_string()
            )
        );
        let tmux = Tmux::start(&format!("panic-{place}"), &command, 100, 30);
        if place == "event" {
            tmux.wait_for("q quit");
            tmux.keys(&["j"]);
        }
        let screen = tmux.wait_for("[exited 101]");
        assert!(
            screen.lines().any(|l| l.trim_end() == message),
            "{place}: the panic message, readable:\n{screen}"
        );
        assert_restored(&tmux, place);
    }
}

#[test]
fn search_open_back_in_a_real_terminal() {
    if !tmux_available() {
        return;
    }
    let command = folio_command("", &sample_dir().display().to_string());
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
    // Esc in the list clears the search, then only says how to quit: it never quits.
    tmux.keys(&["Escape"]);
    tmux.wait_gone("full text /");
    tmux.keys(&["Escape"]);
    tmux.wait_for("nothing to clear; q quits");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
}

#[test]
fn folio_sleeps_while_nothing_happens() {
    if !tmux_available() {
        return;
    }
    // A collection of its own: the folder is watched, and other tests reading the
    // samples would wake the watcher.
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree(&sample_dir(), dir.path());
    let command = folio_command("", &dir.path().display().to_string());
    let tmux = Tmux::start("idle", &command, 100, 30);
    tmux.wait_for("q quit");
    // Full text shows when every body is read: the background work is over.
    tmux.keys(&["/", "Tab"]);
    tmux.keys(&["-l", "istio"]);
    tmux.wait_for("×");
    tmux.wait_gone("loading bodies");
    let pid = tmux.program_pid();
    let before = common::tmux::wakeups(pid);
    // A measuring window, not a wait for something to happen: a loop that polled on a
    // timer (every 50 ms, as folio's did) would wake about ten times in it.
    std::thread::sleep(std::time::Duration::from_millis(600));
    let after = common::tmux::wakeups(pid);
    assert!(
        after - before <= 2,
        "folio woke {} times in 600 ms with nothing to do",
        after - before
    );
    tmux.keys(&["Escape"]);
    tmux.wait_gone("full text /");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
}

#[test]
fn a_post_saved_while_folio_runs_appears_in_the_list() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("a.md"),
        "---\ntitle: First post\ndate: 2024-01-01\n---\nx\n",
    )
    .expect("write");
    let command = folio_command("", &dir.path().display().to_string());
    let tmux = Tmux::start("live", &command, 100, 30);
    tmux.wait_for("First post");
    std::fs::write(
        dir.path().join("b.md"),
        "---\ntitle: Written while reading\ndate: 2025-01-01\n---\ny\n",
    )
    .expect("write");
    tmux.wait_for("Written while reading");
    tmux.wait_for("1 post changed on disk");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
}

#[test]
fn a_first_start_on_a_big_folder_shows_the_list_filling_in_and_quits_at_once() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    for n in 0..3000 {
        let text = format!(
            "---\ntitle: Generated post {n}\ndate: 2020-01-{:02}\ntags: [t{}]\n---\n\n{}\n",
            n % 28 + 1,
            n % 7,
            "Some words of the body. ".repeat(40)
        );
        std::fs::write(dir.path().join(format!("p{n:04}.md")), text).expect("write");
    }
    // A new folder: nothing cached, the first start reads every post. The first frame
    // does not wait for that, and q quits whenever it is pressed.
    let command = folio_command("", &dir.path().display().to_string());
    let tmux = Tmux::start("cold", &command, 100, 30);
    tmux.wait_until("the first frame", |s| {
        s.contains("indexing…") || s.contains("3000 posts")
    });
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
    let tmux = Tmux::start("cold-full", &command, 100, 30);
    tmux.wait_for("3000 posts");
    assert!(tmux.screen().contains("Generated post"));
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
    // The second start is from the cache: the whole list at once, then checked.
    let tmux = Tmux::start("warm", &command, 100, 30);
    tmux.wait_for("3000 posts");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
}

/// After folio has ended: the pane's modes are back to the shell's.
fn assert_restored(tmux: &Tmux, what: &str) {
    assert_eq!(
        tmux.pane("alternate_on"),
        "0",
        "{what}: alternate screen left"
    );
    assert_eq!(tmux.pane("cursor_flag"), "1", "{what}: cursor shown");
    assert_eq!(
        tmux.pane("mouse_any_flag"),
        "0",
        "{what}: mouse reporting off"
    );
    let screen = tmux.wait_for("icanon");
    let modes: Vec<&str> = screen.lines().filter(|l| l.contains("icanon")).collect();
    assert_eq!(
        modes,
        ["icanon"],
        "{what}: the tty is cooked again:\n{screen}"
    );
}

#[test]
fn signals_end_folio_with_the_terminal_restored_and_the_usual_status() {
    if !tmux_available() {
        return;
    }
    for (signal, number) in [("TERM", 15), ("HUP", 1), ("INT", 2), ("QUIT", 3)] {
        let command = format!(
            "{}; echo \"[exited $?]\"; stty -a | tr ';' '\\n' | grep -o -- '-\\?icanon'",
            folio_command("", &sample_dir().display().to_string())
        );
        let tmux = Tmux::start(&format!("sig{number}"), &command, 100, 30);
        tmux.wait_for("q quit");
        let pid = tmux.program_pid();
        let killed = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .status()
            .is_ok_and(|s| s.success());
        assert!(killed, "kill -{signal}");
        tmux.wait_for(&format!("[exited {}]", 128 + number));
        assert_restored(&tmux, signal);
    }
}

#[test]
fn ctrl_z_suspends_with_the_terminal_restored_and_fg_comes_back() {
    if !tmux_available() {
        return;
    }
    let command = format!(
        "{}; echo \"[exited $?]\"",
        folio_command("", &sample_dir().display().to_string())
    );
    let tmux = Tmux::start("suspend", &command, 100, 30);
    tmux.wait_for("q quit");
    let pid = tmux.program_pid();
    let state = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| s.rsplit(')').next().map(|rest| rest.trim().chars().next()))
            .flatten()
    };
    tmux.keys(&["C-z"]);
    common::poll(
        || "folio stopped".into(),
        || (state() == Some('T')).then_some(()),
    );
    assert_eq!(
        tmux.pane("alternate_on"),
        "0",
        "the shell's screen while stopped"
    );
    assert_eq!(tmux.pane("mouse_any_flag"), "0");
    let continued = std::process::Command::new("kill")
        .args(["-CONT", &pid.to_string()])
        .status()
        .is_ok_and(|s| s.success());
    assert!(continued);
    common::poll(
        || format!("folio back; screen:\n{}", tmux.screen()),
        || (tmux.pane("alternate_on") == "1").then_some(()),
    );
    tmux.wait_for("q quit");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
}

#[test]
fn a_post_left_mid_way_reopens_there_after_a_restart() {
    if !tmux_available() {
        return;
    }
    let data = tempfile::tempdir().expect("data");
    let env = format!("FOLIO_DATA_DIR='{}'", data.path().display());
    let command = folio_command(&env, &sample_dir().display().to_string());
    let tmux = Tmux::start("memory1", &command, 100, 30);
    tmux.wait_for("q quit");
    // The longest sample: move into it by headings, note the line on top, quit.
    tmux.keys(&["/"]);
    tmux.keys(&["-l", "Tour of Every"]);
    tmux.wait_for("1 post");
    tmux.keys(&["Enter"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("%");
    // One jump at a time, each seen on screen before the next, so the
    // screen read below is the one folio saves on quitting.
    let top_line = |screen: &str| screen.lines().next().unwrap_or_default().trim().to_string();
    let mut left = tmux.screen();
    for _ in 0..6 {
        tmux.keys(&["]"]);
        let before = top_line(&left);
        left = tmux.wait_until("the next heading on top", |screen| {
            top_line(screen) != before
        });
    }
    let top = top_line(&left);
    assert!(!top.is_empty(), "{left}");
    tmux.keys(&["q"]);
    tmux.wait_for("q quit");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
    drop(tmux);
    // Again: the post is selected, and opens at the same passage.
    let tmux = Tmux::start("memory2", &command, 100, 30);
    tmux.wait_for("q quit");
    let list = tmux.screen();
    assert!(
        list.lines()
            .any(|l| l.starts_with('▌') && l.contains("Tour of Every")),
        "the post open last is selected:\n{list}"
    );
    tmux.keys(&["Enter"]);
    let reader = tmux.wait_for("resumed");
    assert_eq!(
        reader.lines().next().unwrap_or_default().trim(),
        top,
        "{reader}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("q quit");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
}
