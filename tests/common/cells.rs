//! Checks on a drawn buffer as a terminal would show it.

use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

/// Cells a terminal would never show: anything but a blank right after a double-width
/// character (ratatui's diff skips that cell, and the terminal draws the wide
/// character over it).
pub fn hidden_cells(buf: &Buffer) -> Vec<(u16, u16, String)> {
    let mut out = Vec::new();
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right().saturating_sub(1) {
            let wide = buf[(x, y)].symbol().width() > 1;
            let next = buf[(x + 1, y)].symbol();
            if wide && next != " " {
                out.push((x + 1, y, next.to_string()));
            }
        }
    }
    out
}

/// The box drawn with `┌` at its top-left corner: (x, top, bottom) rows inclusive.
pub fn popup_box(buf: &Buffer) -> Option<(u16, u16, u16)> {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if buf[(x, y)].symbol() == "┌" {
                let bottom = (y + 1..area.bottom()).find(|&b| buf[(x, b)].symbol() == "└")?;
                return Some((x, y, bottom));
            }
        }
    }
    None
}
