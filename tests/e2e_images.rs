//! Pictures in a real terminal: tmux runs folio on the sample post with a diagram in
//! its page bundle. tmux passes no kitty or sixel graphics through by default, so folio
//! draws with half blocks there, and `i` turns the picture into its placeholder line and
//! back. Skipped (with a note) where tmux is missing, except under CI.

mod common;
use common::sample_post;
use common::tmux::{Tmux, folio_command, tmux_available};

fn has_blocks(screen: &str) -> bool {
    screen.contains('▀') || screen.contains('▄')
}

#[test]
fn a_diagram_is_drawn_in_half_blocks_and_i_turns_it_into_its_line() {
    if !tmux_available() {
        return;
    }
    let post = sample_post("markdown-tour");
    let command = folio_command("", &post.display().to_string());
    let tmux = Tmux::start("images", &command, 100, 40);
    tmux.wait_for("A Tour of Every Markdown Feature");
    tmux.wait_for("? help");
    // Find the diagram's alt text: the view lands on it, the picture above it.
    tmux.keys(&["/"]);
    tmux.keys(&["small diagram"]);
    tmux.keys(&["Enter"]);
    // Each state is waited for as a whole: a screen read while a frame is still
    // arriving shows the new frame's top over the old one's bottom (CI once read the
    // placeholder line of `i` above the half blocks of the picture before it).
    let drawn = tmux.wait_until("the diagram's half blocks, not its line", |screen| {
        has_blocks(screen) && !screen.contains("[image: A small diagram")
    });
    assert!(drawn.contains("A small diagram"), "{drawn}");
    tmux.keys(&["i"]);
    tmux.wait_until(
        "the diagram's line, no half blocks, and the note",
        |screen| {
            screen.contains("[image: A small diagram: three boxes joined by arrows] diagram.png")
                && !has_blocks(screen)
                && screen.contains("images off")
        },
    );
    tmux.keys(&["i"]);
    tmux.wait_until("the diagram drawn again", |screen| {
        has_blocks(screen) && !screen.contains("[image: A small diagram")
    });
    tmux.keys(&["q"]);
    tmux.keys(&["q"]);
    tmux.wait_for("[exited 0]");
}
