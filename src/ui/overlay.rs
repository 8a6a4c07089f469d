//! Clearing the cells an overlay covers. A terminal draws a double-width character
//! across two cells, and ratatui's diff skips the cell after one, so a Chinese character
//! starting just outside a pop-up's left edge would be drawn over its border (and push
//! the row a column right). Every overlay (help, pickers, the outline pane, messages)
//! clears its area through [`clear`], which blanks such a straddling character too. (One
//! cut by the right edge starts inside the area and is cleared with it.)

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::{clip_to_width, display_width};
use crate::app::{Action, App, Screen};
use crate::theme::{Theme, UiRole};

/// A bordered page centred over the screen (help, messages), `inner_width` columns of
/// text wide at most, scrolled to `scroll` (clamped), with the keys that scroll and
/// close it in the title.
pub fn page(area: Rect, buf: &mut Buffer, app: &App, theme: &Theme, page: Page) {
    let width = (page.inner_width as u16 + 2).min(area.width);
    let total = page.lines.len();
    let height = (total as u16 + 2).min(area.height);
    let visible = usize::from(height.saturating_sub(2));
    let scroll = page.scroll.min(total.saturating_sub(visible));
    let keys = &app.keymap;
    let screens = &[Screen::Help];
    let down = keys.key_label(screens, Action::Down).unwrap_or_default();
    let up = keys.key_label(screens, Action::Up).unwrap_or_default();
    let title = if total > visible {
        format!(
            " {} {}-{} of {total} · {down}/{up} scroll · any other key closes ",
            page.name,
            scroll + 1,
            (scroll + visible).min(total)
        )
    } else {
        format!(" {} · any key closes ", page.name)
    };
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    clear(popup, buf);
    let lines: Vec<Line> = page.lines.into_iter().skip(scroll).take(visible).collect();
    Paragraph::new(lines)
        .style(theme.base())
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.ui(UiRole::Border))
                .title(clip_to_width(&title, usize::from(width.saturating_sub(2)))),
        )
        .render(popup, buf);
}

/// What [`page`] draws.
pub struct Page<'a> {
    pub name: &'a str,
    pub lines: Vec<Line<'a>>,
    pub inner_width: usize,
    pub scroll: usize,
}

/// Clears `area` for an overlay, blanking any wide character that straddles its edge.
pub fn clear(area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    for y in area.top()..area.bottom() {
        // A wide character starting just left of the area spills into its first cell.
        if let Some(x) = area.left().checked_sub(1)
            && x >= buf.area.left()
        {
            blank_if_wide(buf, x, y);
        }
    }
    Clear.render(area, buf);
}

fn blank_if_wide(buf: &mut Buffer, x: u16, y: u16) {
    if let Some(cell) = buf.cell_mut((x, y))
        && display_width(cell.symbol()) > 1
    {
        cell.set_symbol(" ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells a terminal would never show: anything but a blank right after a wide
    /// character (ratatui's diff skips that cell).
    pub(crate) fn hidden(buf: &Buffer) -> Vec<(u16, u16, String)> {
        let mut out = Vec::new();
        for y in buf.area.top()..buf.area.bottom() {
            for x in buf.area.left()..buf.area.right().saturating_sub(1) {
                let wide = buf
                    .cell((x, y))
                    .is_some_and(|c| display_width(c.symbol()) > 1);
                let next = buf.cell((x + 1, y)).map(|c| c.symbol().to_string());
                if wide && let Some(next) = next.filter(|s| s != " ") {
                    out.push((x + 1, y, next));
                }
            }
        }
        out
    }

    #[test]
    fn wide_characters_across_either_edge_are_blanked() {
        for offset in 0..4u16 {
            let mut buf = Buffer::empty(Rect::new(0, 0, 12, 1));
            buf.set_string(0, 0, "中文中文中文", ratatui::style::Style::default());
            let area = Rect::new(1 + offset, 0, 5, 1);
            clear(area, &mut buf);
            buf.set_string(area.x, 0, "│", ratatui::style::Style::default());
            buf.set_string(area.right() - 1, 0, "│", ratatui::style::Style::default());
            assert_eq!(hidden(&buf), [], "offset {offset}");
        }
    }
}
