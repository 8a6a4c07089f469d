//! Figures in the reader: each box on screen gets its picture, or a placeholder of the
//! same size (a thin frame saying it is on its way, or why it cannot be drawn). A
//! picture scrolled partly off the screen is drawn from its visible rows only, through
//! ratatui-image's sliced protocols, so nothing is ever drawn past the reader's area.
//!
//! kitty's pictures are cells like any other, so a layer drawn over them simply
//! replaces them; a sixel or iTerm2 picture is painted by the terminal over whatever
//! is there, and would show through a help page or a picker. While one is open, those
//! pictures give way to their placeholders.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::widgets::Widget;
use ratatui_image::sliced::{SignedPosition, SlicedImage};

use crate::app::images::Drawing;
use crate::app::{App, Mode, ReaderState};
use crate::images::detect::Protocol;
use crate::images::encode::Picture;
use crate::markdown::ImageRegion;
use crate::markdown::figure::marker;
use crate::markdown::glyphs::frame_char;
use crate::theme::{Theme, UiRole};

/// Draws the figures of the rows on screen; `area` is the reader's, `left` the column
/// its text starts at.
pub fn draw(
    app: &App,
    reader: &ReaderState,
    area: Rect,
    left: u16,
    buf: &mut Buffer,
    theme: &Theme,
) {
    let height = usize::from(area.height);
    let screen = reader.scroll..reader.scroll + height;
    let first = reader
        .laid
        .images
        .partition_point(|r| r.rows.end <= screen.start);
    let covered = matches!(app.mode(), Mode::Help | Mode::Messages | Mode::Picker);
    for region in reader.laid.images.iter().skip(first) {
        if region.rows.start >= screen.end {
            break;
        }
        let Some((col, _)) = reader.laid.lines.get(region.rows.start).and_then(marker) else {
            continue;
        };
        let Some(frame) = box_rect(region, col, left, area, reader.scroll) else {
            continue;
        };
        match app.images.drawing(reader.options.base_dir.as_ref(), region) {
            Drawing::Picture(picture) if !(covered && paints_over(picture)) => {
                picture_at(picture, &frame, area, buf);
                if app.prefs.ambiguous_width == 2 && picture.kind == Protocol::Halfblocks {
                    blocks_to_spaces(frame.visible, buf);
                }
            }
            Drawing::Picture(_) | Drawing::Loading => {
                placeholder(&frame, "loading image…", buf, theme);
            }
            Drawing::Failed(why) => placeholder(&frame, &format!("⚠ {why}"), buf, theme),
        }
    }
}

/// Protocols the terminal paints over the cells (they cannot be covered by text).
fn paints_over(picture: &Picture) -> bool {
    matches!(picture.kind, Protocol::Sixel | Protocol::Iterm2)
}

/// Where a figure's box is: its whole extent in screen columns and in rows relative to
/// the reader's top (negative when it starts above the screen), and its visible part.
struct BoxRect {
    x: u16,
    width: u16,
    top: i64,
    rows: u16,
    visible: Rect,
}

fn box_rect(
    region: &ImageRegion,
    col: usize,
    left: u16,
    area: Rect,
    scroll: usize,
) -> Option<BoxRect> {
    let cols = usize::from(region.cells.cols);
    let inset = col + region.width.saturating_sub(cols) / 2;
    let x = usize::from(left).saturating_add(inset);
    let right = usize::from(area.right());
    if x >= right {
        return None;
    }
    let width = cols.min(right - x);
    let top = region.rows.start as i64 - scroll as i64;
    let bottom = region.rows.end as i64 - scroll as i64;
    let from = top.max(0);
    let to = bottom.min(i64::from(area.height));
    if from >= to {
        return None;
    }
    Some(BoxRect {
        x: x as u16,
        width: width as u16,
        top,
        rows: region.rows.len().min(usize::from(u16::MAX)) as u16,
        visible: Rect {
            x: x as u16,
            y: area.y + from as u16,
            width: width as u16,
            height: (to - from) as u16,
        },
    })
}

/// The picture centred in its box, the rows outside the reader's area left out.
fn picture_at(picture: &Picture, frame: &BoxRect, area: Rect, buf: &mut Buffer) {
    let dx = frame.width.saturating_sub(picture.cells.cols) / 2;
    let dy = i64::from(frame.rows.saturating_sub(picture.cells.rows) / 2);
    let x = i64::from(frame.x + dx) - i64::from(area.x);
    let y = frame.top + dy;
    let clamp = |n: i64| n.clamp(i64::from(i16::MIN), i64::from(i16::MAX)) as i16;
    // The picture may not reach past its box's visible rows: drawn into those alone.
    let position = SignedPosition {
        x: clamp(x),
        y: clamp(y),
    };
    SlicedImage::new(&picture.protocol, position).render(area, buf);
}

/// A frame the size of the box with `label` in its middle row; a box of one or two
/// rows is the label alone.
fn placeholder(frame: &BoxRect, label: &str, buf: &mut Buffer, theme: &Theme) {
    let dim = theme.ui(UiRole::Dim);
    let border = theme.ui(UiRole::Border);
    let visible = frame.visible;
    let width = usize::from(frame.width);
    let rows = i64::from(frame.rows);
    let middle = (rows - 1) / 2;
    let framed = rows >= 3 && width >= 4;
    // Rows of the box above the screen are not drawn: the first drawn is this far in.
    let skipped = frame.top.max(0) - frame.top;
    for y in visible.top()..visible.bottom() {
        let row = i64::from(y - visible.y) + skipped;
        let line = Rect {
            height: 1,
            y,
            ..visible
        };
        buf.set_style(line, dim);
        if framed {
            let (l, fill, r) = match row {
                0 => ('╭', '─', '╮'),
                r if r == rows - 1 => ('╰', '─', '╯'),
                _ => ('│', ' ', '│'),
            };
            let mut text = String::new();
            text.push(frame_char(l));
            text.extend(std::iter::repeat_n(frame_char(fill), width - 2));
            text.push(frame_char(r));
            buf.set_stringn(visible.x, y, &text, width, border);
        }
        if row == middle {
            let (inset, room) = if framed { (2, width - 4) } else { (0, width) };
            let text = clip(label, room);
            let pad = room.saturating_sub(crate::ui::display_width(&text)) / 2;
            let x = visible.x + (inset + pad) as u16;
            buf.set_stringn(x, y, &text, room, dim);
        }
    }
}

fn clip(text: &str, width: usize) -> String {
    crate::ui::clip_to_width(text, width)
}

/// For a terminal that draws `▀` two columns wide: each half block becomes a space in
/// the mix of its two colours, so the picture keeps its columns (at half the height's
/// detail).
fn blocks_to_spaces(area: Rect, buf: &mut Buffer) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            if matches!(cell.symbol(), "▀" | "▄") {
                let mixed = mix(cell.fg, cell.bg);
                cell.set_symbol(" ");
                cell.set_style(Style::default().bg(mixed));
            }
        }
    }
}

fn mix(a: Color, b: Color) -> Color {
    match (a, b) {
        (Color::Rgb(r1, g1, b1), Color::Rgb(r2, g2, b2)) => {
            let avg = |x: u8, y: u8| ((u16::from(x) + u16::from(y)) / 2) as u8;
            Color::Rgb(avg(r1, r2), avg(g1, g2), avg(b1, b2))
        }
        (color, _) => color,
    }
}
