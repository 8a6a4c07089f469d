//! Frames as the terminal receives them: each one is a synchronized update (mode 2026),
//! so a terminal that knows the mode never shows the top of a new frame over the bottom
//! of the last one. The bytes folio writes are read through tmux's `pipe-pane`. Skipped
//! (with a note) where tmux is missing, except under CI.

mod common;
use common::tmux::{Tmux, folio_command, tmux_available};
use common::{poll, sample_dir};

const BEGIN: &str = "\x1b[?2026h";
const END: &str = "\x1b[?2026l";
const LEAVE_ALTERNATE_SCREEN: &str = "\x1b[?1049l";

/// `text` without its escape sequences (CSI ones to their final byte, others a byte).
fn without_escapes(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        if chars.next() == Some('[') {
            for c in chars.by_ref() {
                if ('\x40'..='\x7e').contains(&c) {
                    break;
                }
            }
        }
    }
    out
}

/// The frames in `output` (what lies between a begin and its end) and what lies outside
/// them. Panics on a frame begun inside another or never ended.
fn frames(output: &str) -> (Vec<&str>, String) {
    let mut frames = Vec::new();
    let mut outside = String::new();
    let mut rest = output;
    while let Some(at) = rest.find(BEGIN) {
        outside.push_str(&rest[..at]);
        let after = &rest[at + BEGIN.len()..];
        let end = after.find(END).expect("a frame begun and never ended");
        let frame = &after[..end];
        assert!(!frame.contains(BEGIN), "a frame begun inside another");
        frames.push(frame);
        rest = &after[end + END.len()..];
    }
    outside.push_str(rest);
    (frames, outside)
}

#[test]
fn every_frame_reaches_the_terminal_as_one_synchronized_update() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("output");
    let command = folio_command("", &sample_dir().display().to_string());
    let tmux = Tmux::start("frames", &command, 100, 30);
    tmux.wait_for("? help");
    tmux.pipe_output(&file);
    // A small frame (the selection moves) and a whole new screen (a post opens).
    tmux.keys(&["j"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("q back");
    tmux.keys(&["q"]);
    tmux.wait_for("q quit");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
    let output = poll(
        || format!("folio's last bytes in {}", file.display()),
        || {
            let bytes = std::fs::read(&file).ok()?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            text.contains(LEAVE_ALTERNATE_SCREEN).then_some(text)
        },
    );
    let drawing = output
        .split(LEAVE_ALTERNATE_SCREEN)
        .next()
        .unwrap_or_default();
    let (frames, outside) = frames(drawing);
    assert!(
        frames.len() >= 3,
        "j, the post and the list again are frames of their own: {} in {drawing:?}",
        frames.len()
    );
    let drawn: Vec<String> = frames.iter().map(|f| without_escapes(f)).collect();
    assert!(
        drawn.iter().any(|f| f.contains("Envoy")),
        "the post opened is drawn in one of them: {drawn:?}"
    );
    let stray = without_escapes(&outside);
    assert!(
        stray.trim().is_empty(),
        "text drawn outside a synchronized update: {stray:?}"
    );
}

#[test]
fn frames_and_escapes_are_told_apart() {
    let output = format!("\x1b[?25l{BEGIN}\x1b[1;1Hab\x1b[0m{END}\x1b[2J{BEGIN}c{END}{END}");
    let (found, outside) = frames(&output);
    assert_eq!(found, ["\x1b[1;1Hab\x1b[0m", "c"]);
    assert_eq!(without_escapes(found[0]), "ab");
    assert_eq!(without_escapes(&outside), "");
    let (_, outside) = frames("x\x1b[31my");
    assert_eq!(without_escapes(&outside), "xy");
}
