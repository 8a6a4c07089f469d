//! `folio check`'s findings in a real terminal: the badge appears in the list once the
//! collection has been checked beside the reader, `!` in the reader lists the post's
//! problems, Enter goes to the line, and mending the file on disk clears the badge
//! while folio runs.

mod common;
use common::tmux::{Tmux, folio_command, tmux_available};

#[test]
fn problems_show_in_the_list_and_reader_and_follow_the_file() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("---\ntitle: Has a broken link\ndate: 2024-02-01\n---\n\n");
    for n in 1..=30 {
        text.push_str(&format!("Paragraph {n} before the link.\n\n"));
    }
    let link_line = text.lines().count() + 1;
    text.push_str("The broken one: [gone](gone.md).\n\n");
    for n in 1..=30 {
        text.push_str(&format!("Paragraph {n} after the link.\n\n"));
    }
    let post = dir.path().join("broken.md");
    std::fs::write(&post, &text).expect("write");
    std::fs::write(
        dir.path().join("fine.md"),
        "---\ntitle: A fine post\ndate: 2024-01-01\n---\n\nNothing wrong.\n",
    )
    .expect("write");
    let command = folio_command("", &dir.path().display().to_string());
    let tmux = Tmux::start("problems", &command, 100, 30);
    let screen = tmux.wait_for("gone.md not found");
    assert!(screen.contains("✗"), "{screen}");
    assert!(screen.contains("1 with errors"), "{screen}");
    // Open it: `!` lists the problem by its line.
    tmux.keys(&["Enter"]);
    tmux.wait_for("Paragraph 1 before");
    tmux.keys(&["!"]);
    let screen = tmux.wait_for("broken-link");
    assert!(screen.contains(&format!("{link_line}:")), "{screen}");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("The broken one");
    let row = screen.lines().position(|l| l.contains("The broken one"));
    assert!(
        row.is_some_and(|row| row < 3),
        "the link's block at the top: {screen}"
    );
    // Mended on disk while folio runs: the problem goes.
    std::fs::write(&post, text.replace("gone.md", "fine.md")).expect("write");
    tmux.keys(&["q"]);
    tmux.wait_gone("1 with errors");
    let screen = tmux.screen();
    assert!(!screen.contains("✗"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
}
