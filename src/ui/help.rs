//! The `?` page, generated from the keymap so it always tells the truth: for the layer
//! on top and what lies under it, each action's keys, what it does, and the name the
//! config's `keys` section knows it by (so remapping needs no other document).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::overlay::{Page, page};
use super::text::{clip_to_width, display_width};
use crate::app::App;
use crate::theme::{Theme, UiRole};

pub struct HelpView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for HelpView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let sections = self.app.mode_beneath_help().help_sections();
        let rows: Vec<_> = sections
            .iter()
            .map(|&screen| (screen, self.app.keymap.help_rows(screen)))
            .filter(|(_, rows)| !rows.is_empty())
            .collect();
        let all = || rows.iter().flat_map(|(_, r)| r.iter());
        let key_width = all()
            .map(|(keys, _)| display_width(keys))
            .max()
            .unwrap_or(0)
            .min(24);
        let name_width = all()
            .map(|(_, action)| action.name().len())
            .max()
            .unwrap_or(0);
        let inner_width = usize::from(area.width.saturating_sub(4)).min(100);
        let mut lines = Vec::new();
        for (screen, rows) in &rows {
            if !lines.is_empty() {
                lines.push(Line::default());
            }
            let heading = format!("{} (keys: {})", screen.title(), screen.config_name());
            lines.push(Line::styled(heading, theme.ui(UiRole::RowTitle)));
            for (keys, action) in rows {
                let keys = clip_to_width(keys, key_width);
                let pad = key_width.saturating_sub(display_width(&keys));
                // The name goes at the right when there is room for it and the text.
                let text_room = inner_width.saturating_sub(key_width + 4);
                let with_name = text_room > name_width + 24;
                let doc_room = if with_name {
                    text_room - name_width - 2
                } else {
                    text_room
                };
                let doc = clip_to_width(action.description(), doc_room);
                let mut spans = vec![
                    Span::raw("  "),
                    Span::styled(keys, theme.ui(UiRole::HelpKey)),
                    Span::raw(" ".repeat(pad + 2)),
                ];
                if with_name {
                    let gap = doc_room - display_width(&doc) + 2;
                    spans.push(Span::styled(doc, theme.ui(UiRole::HelpText)));
                    spans.push(Span::raw(" ".repeat(gap)));
                    spans.push(Span::styled(action.name(), theme.ui(UiRole::Dim)));
                } else {
                    spans.push(Span::styled(doc, theme.ui(UiRole::HelpText)));
                }
                lines.push(Line::from(spans));
            }
        }
        page(
            area,
            buf,
            self.app,
            theme,
            Page {
                name: "keys",
                lines,
                inner_width,
                scroll: self.app.help_scroll,
            },
        );
    }
}
