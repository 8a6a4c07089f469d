//! The outline pane beside the reader: the post's headings indented by level, the
//! current section marked, the selection highlighted while the pane has the keys.
//! Heading text comes from the post, so it goes through `clip_to_width` (sanitize and
//! cut by display width) like every other string drawn from a file.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::text::{clip_to_width, display_width};
use crate::app::outline::current_section;
use crate::app::{Action, App, Screen};
use crate::theme::{Theme, UiRole};

pub struct OutlineView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for OutlineView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Some(reader) = &self.app.reader else {
            return;
        };
        if area.width < 4 || area.height < 2 {
            return;
        }
        let theme = self.theme;
        // A rule on the right edge separates the pane from the text.
        let rule_x = area.right() - 1;
        for y in area.top()..area.bottom() {
            if let Some(cell) = buf.cell_mut((rule_x, y)) {
                cell.set_symbol("│").set_style(theme.ui(UiRole::Border));
            }
        }
        let width = usize::from(area.width - 2);
        let focused = self.app.outline.focused;
        let title = if focused {
            let keys = self
                .app
                .keymap
                .hint(&[Screen::Outline], &[(Action::GoToHeading, "jumps")]);
            format!("Outline · {keys}")
        } else {
            "Outline".to_string()
        };
        Line::styled(clip_to_width(&title, width), theme.ui(UiRole::Dim)).render(
            Rect {
                height: 1,
                width: area.width - 2,
                ..area
            },
            buf,
        );

        let headings = &reader.laid.headings;
        let current = current_section(headings, reader.scroll);
        let selected = focused.then_some(self.app.outline.selected);
        let rows = usize::from(area.height - 1);
        // Keep the row that matters (the selection, else the current section) in view.
        let focus_row = selected.or(current).unwrap_or(0);
        let offset = focus_row
            .saturating_sub(rows / 2)
            .min(headings.len().saturating_sub(rows));
        let min_level = headings.iter().map(|h| h.level).min().unwrap_or(1);
        for (slot, (i, heading)) in headings
            .iter()
            .enumerate()
            .skip(offset)
            .take(rows)
            .enumerate()
        {
            let marker = if Some(i) == current { "▸ " } else { "  " };
            let depth = usize::from(heading.level.saturating_sub(min_level)).min(4);
            let indent = " ".repeat(depth * 2);
            let room = width.saturating_sub(display_width(marker) + indent.len());
            let text = clip_to_width(&heading.text, room);
            let mut style = if Some(i) == current {
                theme.ui(UiRole::RowTitle)
            } else if depth > 0 {
                theme.ui(UiRole::RowDescription)
            } else {
                Style::default()
            };
            if Some(i) == selected {
                style = style.patch(theme.ui(UiRole::Selected));
                style = style.add_modifier(Modifier::BOLD);
            }
            let spans = vec![
                Span::styled(marker, theme.ui(UiRole::Tag)),
                Span::raw(indent),
                Span::styled(text, style),
            ];
            let row = Rect {
                x: area.x,
                y: area.y + 1 + slot as u16,
                width: area.width - 2,
                height: 1,
            };
            if Some(i) == selected {
                buf.set_style(row, theme.ui(UiRole::Selected));
            }
            Line::from(spans).render(row, buf);
        }
    }
}
