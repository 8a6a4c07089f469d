//! Overlays drawn over Chinese text: every pop-up (help, messages, pickers) and pane
//! (outline, tag browser) must clear what it covers, including a double-width character
//! that straddles its edge, or the terminal draws that character over the border.
//! Checked at many widths so the edges fall on both halves of the characters.

mod common;

use common::cells::{hidden_cells, popup_box};
use common::{app, draw_buffer, keys, open};
use folio::config::Collection;

fn check(what: &str, app: &folio::app::App, boxed: bool) {
    let buf = draw_buffer(app);
    let hidden = hidden_cells(&buf);
    assert!(
        hidden.is_empty(),
        "{what} at {:?}: cells hidden behind wide characters: {hidden:?}",
        app.size
    );
    if boxed {
        let (x, top, bottom) =
            popup_box(&buf).unwrap_or_else(|| panic!("{what} at {:?}: no box", app.size));
        for y in top + 1..bottom {
            assert_eq!(
                buf[(x, y)].symbol(),
                "│",
                "{what} at {:?}: left border lost on row {y}",
                app.size
            );
        }
    }
}

#[test]
fn pop_ups_over_a_chinese_post_keep_their_borders_at_every_offset() {
    for width in 60..=81 {
        let mut reading = app(width, 24);
        open(&mut reading, "istio-4th-anniversary");
        keys(&mut reading, "jjjj");
        let mut help = reading.clone();
        keys(&mut help, "?");
        check("help", &help, true);
        let mut messages = reading.clone();
        messages.say("一条很长的消息 ".repeat(20));
        // In the reader `!` lists the post's problems; the messages are on `W`.
        keys(&mut messages, "W");
        check("messages", &messages, true);
        let mut problems = reading.clone();
        problems.check_now();
        keys(&mut problems, "!");
        assert!(
            problems.picker.is_some(),
            "the sample post's missing images"
        );
        check("problems", &problems, true);
        let mut themes = reading.clone();
        keys(&mut themes, "T");
        check("theme picker", &themes, true);
        let mut collections = reading.clone();
        collections.prefs.collections = ["博客", "笔记"]
            .iter()
            .map(|name| Collection {
                name: name.to_string(),
                path: format!("/nonexistent/{name}").into(),
            })
            .collect();
        keys(&mut collections, "C");
        check("collection picker", &collections, true);
        let mut outline = reading.clone();
        keys(&mut outline, "o");
        check("outline", &outline, false);
    }
}

#[test]
fn the_tag_browser_over_chinese_titles_leaves_nothing_behind() {
    for width in 40..=47 {
        let mut list = app(width, 16);
        keys(&mut list, "t云");
        check("tag browser", &list, false);
    }
}
