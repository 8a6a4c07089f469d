//! The `!` page: every message of this run, newest first, each whole and wrapped to the
//! page. The status bar has one line and cuts what does not fit; a config with five
//! mistakes, or an error naming a long path, is read in full here.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Widget;

use super::overlay::{Page, page};
use super::text::{clip_to_width, display_width};
use crate::app::App;
use crate::markdown::sanitize::sanitize;
use crate::theme::{Theme, UiRole};
use unicode_segmentation::UnicodeSegmentation;

pub struct MessagesView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for MessagesView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let inner_width = usize::from(area.width.saturating_sub(4)).clamp(1, 100);
        let mut lines = Vec::new();
        if self.app.log.is_empty() {
            lines.push(Line::styled(
                clip_to_width("no messages yet", inner_width),
                self.theme.ui(UiRole::Dim),
            ));
        }
        for (i, message) in self.app.log.iter().rev().enumerate() {
            if i > 0 {
                lines.push(Line::default());
            }
            for row in wrap(&sanitize(message), inner_width) {
                lines.push(Line::styled(row, self.theme.ui(UiRole::HelpText)));
            }
        }
        page(
            area,
            buf,
            self.app,
            self.theme,
            Page {
                name: "messages, newest first",
                lines,
                inner_width,
                scroll: self.app.messages_scroll,
            },
        );
    }
}

/// `text` cut into rows of at most `width` columns, at spaces where it can be and
/// between graphemes where a word is too long (a path).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut rows = vec![String::new()];
    for word in text.split_word_bounds() {
        let w = display_width(word);
        let used = rows.last().map_or(0, |r| display_width(r));
        if used + w > width && used > 0 {
            if word.trim().is_empty() {
                rows.push(String::new());
                continue;
            }
            rows.push(String::new());
        }
        for g in word.graphemes(true) {
            let used = rows.last().map_or(0, |r| display_width(r));
            if used > 0 && used + display_width(g) > width {
                rows.push(String::new());
            }
            if let Some(row) = rows.last_mut() {
                row.push_str(g);
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_wrap_whole_within_the_width() {
        let text = "/home/me/.config/folio/config.yaml:3: keys.reader.j: unknown action \
                    `scrol-down`; 服务网格 actions: quit, exit";
        for width in [2, 7, 20, 33] {
            let rows = wrap(text, width);
            assert!(rows.iter().all(|r| display_width(r) <= width), "{rows:?}");
            let joined: String = rows.concat();
            let squeeze = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(squeeze(&joined), squeeze(text), "width {width}");
        }
    }
}
