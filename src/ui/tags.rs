//! The tag and category browser: a filter line with the sort and mode, then one row per
//! name with its post count and whether it is selected.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::search::{LineParts, render_line};
use super::text::{clip_to_width, display_width};
use crate::app::App;
use crate::app::tags::Sort;
use crate::theme::{Theme, UiRole};

pub struct TagsView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for TagsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Some(browser) = &self.app.browser else {
            return;
        };
        if area.height == 0 || area.width == 0 {
            return;
        }
        let theme = self.theme;
        let sort = match browser.sort {
            Sort::Count => "by count",
            Sort::Name => "by name",
        };
        let mode = if browser.any { "any" } else { "all" };
        let prompt = format!("{} ({sort}, {mode}) /", browser.kind.title());
        let note = format!("{} selected · {}", browser.chosen.len(), browser.rows.len());
        render_line(
            Rect { height: 1, ..area },
            buf,
            theme,
            LineParts {
                prompt: &prompt,
                line: &browser.filter,
                focused: browser.filter_focused,
                note: &note,
                suggestion: None,
            },
        );
        let list = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        if browser.rows.is_empty() {
            let what = browser.kind.title().to_lowercase();
            let text = if browser.all.is_empty() {
                format!("No {what} in this collection")
            } else {
                format!("No {what} match")
            };
            Line::styled(
                clip_to_width(&text, usize::from(area.width)),
                theme.ui(UiRole::Dim),
            )
            .render(list, buf);
            return;
        }
        let width = usize::from(list.width);
        let count_width = browser
            .all
            .iter()
            .map(|t| t.count.to_string().len())
            .max()
            .unwrap_or(1);
        let rows = (browser.offset..browser.rows.len()).take(usize::from(list.height));
        for (slot, row) in rows.enumerate() {
            let Some(entry) = browser.entry(row) else {
                break;
            };
            let current = row == browser.selected;
            let base = if current {
                theme.ui(UiRole::Selected)
            } else {
                Style::default()
            };
            let rect = Rect {
                y: list.y + slot as u16,
                height: 1,
                ..list
            };
            buf.set_style(rect, base);
            let marker = if current { "▌" } else { " " };
            let check = if browser.is_chosen(&entry.name) {
                "[x] "
            } else {
                "[ ] "
            };
            let count = format!(" {:>count_width$}", entry.count);
            let room = width.saturating_sub(1 + display_width(check) + display_width(&count));
            let name = clip_to_width(&format!("{}{}", browser.kind.sigil(), entry.name), room);
            let gap = room.saturating_sub(display_width(&name));
            let line = Line::from(vec![
                Span::styled(marker, base.patch(theme.ui(UiRole::Tag))),
                Span::styled(check, base.patch(theme.ui(UiRole::StatusKey))),
                Span::styled(name, base.patch(theme.ui(UiRole::Tag))),
                Span::styled(" ".repeat(gap), base),
                Span::styled(count, base.patch(theme.ui(UiRole::Date))),
            ]);
            line.render(rect, buf);
        }
    }
}
