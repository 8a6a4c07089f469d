//! The `?` overlay, generated from the keymap so it always tells the truth.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::text::clip_to_width;
use crate::app::{App, Screen};

use crate::theme::{Theme, UiRole};

pub struct HelpView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for HelpView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let screens = self.app.help_screens();
        let rows: Vec<(Screen, Vec<(String, &'static str)>)> = screens
            .iter()
            .map(|&screen| {
                let rows = self.app.keymap.help_rows(screen);
                (
                    screen,
                    rows.into_iter()
                        .map(|(keys, action)| (keys, action.description()))
                        .collect(),
                )
            })
            .collect();
        let key_width = rows
            .iter()
            .flat_map(|(_, r)| r.iter())
            .map(|(k, _)| super::display_width(k))
            .max()
            .unwrap_or(0)
            .min(24);
        let inner_width = usize::from(area.width.saturating_sub(4)).min(100);
        let mut lines = Vec::new();
        for (screen, rows) in &rows {
            if !lines.is_empty() {
                lines.push(Line::default());
            }
            lines.push(Line::styled(
                screen.title(),
                self.theme.ui(UiRole::RowTitle),
            ));
            for (keys, text) in rows {
                let keys = clip_to_width(keys, key_width);
                let pad = key_width.saturating_sub(super::display_width(&keys));
                let desc = clip_to_width(text, inner_width.saturating_sub(key_width + 4));
                lines.push(Line::from(vec![
                    Span::raw("  "),
                    Span::styled(keys, self.theme.ui(UiRole::HelpKey)),
                    Span::raw(" ".repeat(pad + 2)),
                    Span::styled(desc, self.theme.ui(UiRole::HelpText)),
                ]));
            }
        }
        let width = (inner_width as u16 + 2).min(area.width);
        let total = lines.len();
        let height = (total as u16 + 2).min(area.height);
        let visible = usize::from(height.saturating_sub(2));
        let scroll = self.app.help_scroll.min(total.saturating_sub(visible));
        let title = if total > visible {
            format!(
                " keys {}-{} of {total} · j/k scroll · any other key closes ",
                scroll + 1,
                (scroll + visible).min(total)
            )
        } else {
            " keys · any key closes ".to_string()
        };
        let popup = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        };
        Clear.render(popup, buf);
        let lines: Vec<Line> = lines.into_iter().skip(scroll).take(visible).collect();
        Paragraph::new(lines)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(self.theme.ui(UiRole::Border))
                    .title(clip_to_width(&title, usize::from(width.saturating_sub(2)))),
            )
            .render(popup, buf);
    }
}
