//! The bottom line: where you are and what to press.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::text::{clip_to_width, display_width};
use crate::app::{App, Screen};
use crate::theme::{Theme, UiRole};

pub struct StatusBar<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for StatusBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let app = self.app;
        let bar = self.theme.ui(UiRole::StatusBar);
        buf.set_style(area, bar);
        let (left, right) = match (&app.screen_beneath(), &app.reader) {
            (Screen::Reader, Some(reader)) => {
                let title = app
                    .library
                    .posts
                    .get(reader.post)
                    .map(|p| p.title.as_str())
                    .unwrap_or_default();
                let total = reader.laid.lines.len();
                let shown = (reader.scroll + app.body_height()).min(total);
                let percent = if total <= app.body_height() {
                    100
                } else {
                    shown * 100 / total.max(1)
                };
                let found = app
                    .find
                    .counter()
                    .map(|c| format!("{c}  "))
                    .unwrap_or_default();
                (
                    format!(" {title}"),
                    format!("{found}{shown}/{total} {percent:>3}%  ? help "),
                )
            }
            _ => {
                let posts = app.library.posts.len();
                let warned = app
                    .library
                    .posts
                    .iter()
                    .filter(|p| !p.warnings.is_empty())
                    .count();
                let noun = if posts == 1 { "post" } else { "posts" };
                let mut left = format!(" {} · {posts} {noun}", app.collection_label);
                if warned > 0 {
                    left.push_str(&format!(" · {warned} with warnings"));
                }
                if let Some(note) = super::search::status_note(app) {
                    left.push_str(&note);
                }
                let (at, order) = crate::app::listing::selected_position(app);
                let rows = order.len();
                let right = if rows > 0 {
                    format!("{}/{rows}  ? help  q quit ", at + 1)
                } else {
                    "? help  q quit ".to_string()
                };
                (left, right)
            }
        };
        let message = app.message.as_deref().map(|m| format!(" {m} "));
        let width = usize::from(area.width);
        let right = clip_to_width(&right, width);
        let room = width.saturating_sub(display_width(&right) + 1);
        let mut spans = Vec::new();
        if let Some(message) = message {
            let message = clip_to_width(&message, room);
            spans.push(Span::styled(
                message.clone(),
                bar.patch(self.theme.ui(UiRole::Warning)),
            ));
            let rest = room.saturating_sub(display_width(&message));
            spans.push(Span::styled(clip_to_width(&left, rest), bar));
        } else {
            spans.push(Span::styled(clip_to_width(&left, room), bar));
        }
        let used: usize = spans.iter().map(|s| display_width(&s.content)).sum();
        let gap = width.saturating_sub(used + display_width(&right));
        spans.push(Span::styled(" ".repeat(gap), bar));
        spans.push(Span::styled(
            right,
            bar.patch(self.theme.ui(UiRole::StatusKey)),
        ));
        Line::from(spans).render(area, buf);
    }
}
