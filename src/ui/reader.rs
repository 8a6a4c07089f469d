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
        let top = reader.scroll;
        let rows = (top..top.saturating_add(usize::from(area.height)))
            .map_while(|row| reader.laid.lines.line(row));
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
            if let Some(fill) = super::code_fill::code_row_fill(self.theme, &line) {
                buf.set_style(row, fill);
            }
            if self.app.prefs.ambiguous_width == 2 {
                draw_ambiguous_wide(&spans, row, buf);
            } else {
                Line::from(spans).render(row, buf);
            }
        }
        super::figure::draw(self.app, reader, area, left, buf, self.theme);
        super::search::highlight_hits(self.app, reader, area, left, buf, self.theme);
    }
}

/// Draws `spans` along `row` for a terminal that draws East Asian Ambiguous characters
/// (`“ ” … —`) two columns wide, as the text was laid out for it. ratatui gives such a
/// character one cell, so the terminal's cursor would run a column ahead of what ratatui
/// believes; here it gets two, the second marked skipped, so ratatui neither draws over
/// it nor assumes the cursor stands there (it moves the cursor past it instead).
fn draw_ambiguous_wide(spans: &[Span], row: Rect, buf: &mut Buffer) {
    use crate::markdown::wrap::{AmbiguousWidth, display_width};
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    let _wide = AmbiguousWidth::set(2);
    let mut x = row.x;
    for span in spans {
        for grapheme in span.content.graphemes(true) {
            let width = u16::try_from(display_width(grapheme)).unwrap_or(u16::MAX);
            if width == 0 {
                continue;
            }
            if x.saturating_add(width) > row.right() {
                return;
            }
            buf[(x, row.y)].set_symbol(grapheme).set_style(span.style);
            // A wide character ratatui knows is wide already covers its second cell.
            let ratatui_width = u16::try_from(grapheme.width()).unwrap_or(u16::MAX);
            for dx in 1..width {
                let cell = &mut buf[(x + dx, row.y)];
                cell.reset();
                if dx >= ratatui_width {
                    cell.set_diff_option(ratatui::buffer::CellDiffOption::Skip);
                }
            }
            x += width;
        }
    }
}
