//! Drawing only: every view here reads [`App`] and a [`Theme`] and writes cells into a
//! ratatui buffer. Nothing here changes state, so what is on screen is a pure function
//! of the state, and TestBackend snapshots pin it down.

mod code_fill;
mod figure;
mod help;
mod list;
mod messages;
mod outline;
pub mod overlay;
mod picker;
mod reader;
pub mod search;
mod status;
mod tags;
mod text;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Widget};

use crate::app::App;
use crate::theme::{Theme, UiRole};

pub use text::{clip_to_width, display_width};

/// Below this the screen shows a notice instead of a squashed layout.
const MIN_WIDTH: u16 = 12;
const MIN_HEIGHT: u16 = 3;

/// Draws the whole screen for `app`.
pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    draw_into(area, frame.buffer_mut(), app, theme);
}

/// Draws into any buffer; `draw` is this over the frame's buffer.
pub fn draw_into(area: Rect, buf: &mut ratatui::buffer::Buffer, app: &App, theme: &Theme) {
    buf.set_style(area, theme.base());
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        Paragraph::new(clip_to_width("terminal too small", usize::from(area.width)))
            .style(theme.ui(UiRole::Warning))
            .render(area, buf);
        return;
    }
    let line_rows = u16::from(app.search_line_visible());
    let [body, search_area, status_area] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(line_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    // The view at the bottom, then the layers over it, in the order `App::mode` ranks
    // them (help last, on top).
    if app.browser.is_some() {
        tags::TagsView { app, theme }.render(body, buf);
    } else if app.reading() {
        let pane = crate::app::outline::pane_width(app).min(body.width);
        let [side, text] =
            Layout::horizontal([Constraint::Length(pane), Constraint::Min(0)]).areas(body);
        reader::ReaderView { app, theme }.render(text, buf);
        if pane > 0 {
            overlay::clear(side, buf);
            outline::OutlineView { app, theme }.render(side, buf);
        }
    } else {
        list::ListView { app, theme }.render(body, buf);
    }
    if line_rows > 0 {
        search::SearchLine { app, theme }.render(search_area, buf);
    }
    status::StatusBar { app, theme }.render(status_area, buf);
    picker::PickerView { app, theme }.render(body, buf);
    if app.show_messages {
        messages::MessagesView { app, theme }.render(area, buf);
    }
    if app.show_help {
        help::HelpView { app, theme }.render(area, buf);
    }
    if app.prefs.ambiguous_width == 2 {
        narrow_ambiguous_chrome(area, buf);
    }
}

/// For a terminal drawing ambiguous characters two columns wide: the reader's text was
/// laid out for it (and drawn two cells each), but ratatui gives the characters of the
/// chrome (`…` of a clipped title, `·` between hints, arrows) one cell, and the terminal
/// would push the rest of their row a column right. Outside the reader's text, the
/// common ones (punctuation, arrows, frames) become one-column stand-ins; others (Greek
/// or Cyrillic letters in a title) stay as they are.
fn narrow_ambiguous_chrome(area: Rect, buf: &mut ratatui::buffer::Buffer) {
    use ratatui::buffer::CellDiffOption;
    use unicode_width::UnicodeWidthChar;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let next_skipped =
                x + 1 < area.right() && buf[(x + 1, y)].diff_option == CellDiffOption::Skip;
            let cell = &mut buf[(x, y)];
            if next_skipped || cell.diff_option == CellDiffOption::Skip {
                continue;
            }
            let mut chars = cell.symbol().chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                continue;
            };
            if c.width() == Some(1)
                && c.width_cjk() == Some(2)
                && let Some(stand_in) = crate::markdown::glyphs::narrow_stand_in(c)
            {
                cell.set_char(stand_in);
            }
        }
    }
}
