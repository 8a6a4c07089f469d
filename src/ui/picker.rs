//! The theme and collection pickers: a pop-up list over the current screen, which is
//! drawn in the highlighted theme underneath, so the preview is the real thing.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use super::text::{clip_to_width, display_width};
use crate::app::{Action, App, Screen};
use crate::theme::{Theme, UiRole};

pub struct PickerView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for PickerView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Some(picker) = &self.app.picker else {
            return;
        };
        // Too small for a frame and a row: draw nothing rather than garbage.
        if area.width < 6 || area.height < 3 {
            return;
        }
        let theme = self.theme;
        let label_width = picker
            .items
            .iter()
            .map(|i| display_width(&i.label))
            .max()
            .unwrap_or(0)
            .min(24);
        let width = area.width.min(72);
        let height = (picker.items.len() as u16)
            .saturating_add(2)
            .min(area.height);
        let popup = Rect {
            x: area.x + (area.width - width) / 2,
            y: area.y + (area.height - height) / 2,
            width,
            height,
        };
        super::overlay::clear(popup, buf);
        buf.set_style(popup, theme.base());
        let keys = self.app.keymap.hint(
            &[Screen::Picker],
            &[(Action::Confirm, "use"), (Action::Cancel, "cancel")],
        );
        let title = clip_to_width(
            &format!(" {} · {keys} ", picker.title()),
            usize::from(width.saturating_sub(2)),
        );
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.ui(UiRole::Border))
            .title(Span::styled(title, theme.ui(UiRole::Title)));
        let inner = block.inner(popup);
        block.render(popup, buf);

        let rows = usize::from(inner.height);
        if rows == 0 || inner.width == 0 {
            return;
        }
        // The selection stays on screen: scroll just enough to show it.
        let offset = picker.selected.saturating_sub(rows - 1);
        let room = usize::from(inner.width);
        for (slot, (index, item)) in picker
            .items
            .iter()
            .enumerate()
            .skip(offset)
            .take(rows)
            .enumerate()
        {
            let selected = index == picker.selected;
            let base = if selected {
                theme.ui(UiRole::Selected)
            } else {
                theme.base()
            };
            let row = Rect {
                y: inner.y + slot as u16,
                height: 1,
                ..inner
            };
            buf.set_style(row, base);
            let marker = if selected { "▌ " } else { "  " };
            let label = clip_to_width(&item.label, label_width.min(room.saturating_sub(2)));
            let pad = label_width.saturating_sub(display_width(&label));
            let rest = room.saturating_sub(2 + label_width + 2);
            let broken = item.theme.as_ref().is_some_and(|t| t.is_err());
            let detail_role = if broken {
                UiRole::Warning
            } else {
                UiRole::RowDescription
            };
            let spans = vec![
                Span::styled(marker, base.patch(theme.ui(UiRole::Tag))),
                Span::styled(label, base.patch(theme.ui(UiRole::RowTitle))),
                Span::styled(" ".repeat(pad + 2), base),
                Span::styled(
                    clip_to_width(&item.detail, rest),
                    base.patch(theme.ui(detail_role)),
                ),
            ];
            Line::from(spans).render(row, buf);
        }
    }
}
