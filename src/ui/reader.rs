//! The reader: the visible slice of a laid-out post, centred at the reading width.
//! Only the rows on screen are converted, so a 5 MB post scrolls like a short one.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::app::App;
use crate::theme::Theme;

pub struct ReaderView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for ReaderView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Some(reader) = &self.app.reader else {
            return;
        };
        let text_width = (reader.laid.width as u16).min(area.width);
        let left = area.x + (area.width - text_width) / 2;
        let rows = reader
            .laid
            .lines
            .iter()
            .skip(reader.scroll)
            .take(usize::from(area.height));
        for (i, line) in rows.enumerate() {
            let spans: Vec<Span> = line
                .spans
                .iter()
                .map(|span| {
                    let mut style = self.theme.span(&span.style);
                    // The link Tab moved to stands out, whatever the theme's link colour.
                    if span.style.link.is_some() && span.style.link == reader.focus {
                        style = style.add_modifier(Modifier::REVERSED);
                    }
                    Span::styled(span.text.as_str(), style)
                })
                .collect();
            let row = Rect {
                x: left,
                y: area.y + i as u16,
                width: text_width,
                height: 1,
            };
            if let Some(fill) = super::code_fill::code_row_fill(self.theme, line) {
                buf.set_style(row, fill);
            }
            Line::from(spans).render(row, buf);
        }
        super::search::highlight_hits(self.app, reader, area, left, buf, self.theme);
    }
}
