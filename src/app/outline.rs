//! The outline pane's state and the heading jumps (`o`, `[`, `]`). A long post is read
//! by its sections: seeing them all, knowing which one you are in, and jumping between
//! them is what makes a 5,000-line post navigable. Only state and row arithmetic live
//! here; `ui::outline` draws it.

use super::action::Action;
use super::state::App;
use super::update::Effect;
use crate::markdown::HeadingRow;

/// Below this terminal width the outline would squeeze the text; it is not shown.
pub const MIN_TERMINAL_WIDTH: u16 = 64;
const MIN_PANE: u16 = 18;
const MAX_PANE: u16 = 34;

#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// The user asked for the pane (it still hides on a narrow terminal).
    pub open: bool,
    /// Movement keys move the outline's selection rather than the text.
    pub focused: bool,
    /// Index into the open post's headings.
    pub selected: usize,
}

/// Columns the pane takes on screen, 0 when it is closed or the terminal too narrow.
pub fn pane_width(app: &App) -> u16 {
    if app.outline.open && app.size.0 >= MIN_TERMINAL_WIDTH {
        (app.size.0 / 4).clamp(MIN_PANE, MAX_PANE)
    } else {
        0
    }
}

/// The section the reader is in: the last heading at or above the top row.
pub fn current_section(headings: &[HeadingRow], scroll: usize) -> Option<usize> {
    headings.partition_point(|h| h.row <= scroll).checked_sub(1)
}

/// Row of the first heading below the top row.
pub fn next_heading(headings: &[HeadingRow], scroll: usize) -> Option<usize> {
    headings.iter().map(|h| h.row).find(|&row| row > scroll)
}

/// Row of the last heading above the top row.
pub fn prev_heading(headings: &[HeadingRow], scroll: usize) -> Option<usize> {
    headings
        .iter()
        .rev()
        .map(|h| h.row)
        .find(|&row| row < scroll)
}

/// What `update` returns for an action this module took: `Some(effect)` handled.
pub(super) type Handled = Option<Option<Effect>>;

/// The outline's share of the reader's keys; `None` when the action is not for it.
pub(super) fn update(app: &mut App, action: Action) -> Handled {
    let reader = app.reader.as_ref()?;
    let count = reader.laid.headings.len();
    let scroll = reader.scroll;
    let current = current_section(&reader.laid.headings, scroll);
    match action {
        Action::ToggleOutline | Action::CloseOutline => {
            if app.outline.open || action == Action::CloseOutline {
                app.outline.open = false;
                app.outline.focused = false;
            } else if count == 0 {
                app.say("this post has no headings".into());
                return Some(None);
            } else if app.size.0 < MIN_TERMINAL_WIDTH {
                app.say(format!(
                    "the outline needs a terminal {MIN_TERMINAL_WIDTH} columns wide"
                ));
                return Some(None);
            } else {
                app.outline.open = true;
                app.outline.focused = true;
                app.outline.selected = current.unwrap_or(0);
            }
            // The text gets narrower or wider: lay it out again at the same block.
            app.resize(app.size.0, app.size.1);
            Some(None)
        }
        Action::NextHeading | Action::PrevHeading => {
            let headings = &reader.laid.headings;
            let row = if action == Action::NextHeading {
                next_heading(headings, scroll)
            } else {
                prev_heading(headings, scroll)
            };
            // A heading the end of the post keeps from reaching the top is no progress.
            let max = app.max_reader_scroll();
            match row {
                Some(row) if action == Action::PrevHeading || row.min(max) > scroll => {
                    jump(app, row)
                }
                _ if action == Action::NextHeading => app.say("no heading below".into()),
                _ => jump(app, 0),
            }
            Some(None)
        }
        _ => None,
    }
}

/// Keys while the pane has them ([`super::mode::Mode::Outline`]): movement moves the
/// selection, Enter jumps and hands the keys back to the text. `None`: a reader key.
pub(super) fn update_focused(app: &mut App, action: Action) -> Option<Option<Effect>> {
    let count = app.reader.as_ref()?.laid.headings.len();
    focused_key(app, action, count)
}

/// Keys while the pane has focus: movement moves the selection, Enter jumps and hands
/// the keys back to the text, Tab hands them back without a jump.
fn focused_key(app: &mut App, action: Action, count: usize) -> Handled {
    let last = count.saturating_sub(1);
    let page = app.body_height().saturating_sub(2).max(1);
    let s = app.outline.selected.min(last);
    app.outline.selected = match action {
        Action::Down => (s + 1).min(last),
        Action::Up => s.saturating_sub(1),
        Action::PageDown | Action::HalfPageDown => (s + page / 2 + 1).min(last),
        Action::PageUp | Action::HalfPageUp => s.saturating_sub(page / 2 + 1),
        Action::Top => 0,
        Action::Bottom => last,
        Action::GoToHeading => {
            app.outline.focused = false;
            let row = app
                .reader
                .as_ref()
                .and_then(|r| r.laid.headings.get(s))
                .map(|h| h.row);
            if let Some(row) = row {
                jump(app, row);
            }
            return Some(None);
        }
        Action::LeaveOutline => {
            app.outline.focused = false;
            return Some(None);
        }
        _ => return None,
    };
    Some(None)
}

/// Scrolls the reader to `row` (as far as the end allows) without touching history.
fn jump(app: &mut App, row: usize) {
    let max = app.max_reader_scroll();
    if let Some(reader) = app.reader.as_mut() {
        reader.scroll = row.min(max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(rows: &[usize]) -> Vec<HeadingRow> {
        rows.iter()
            .map(|&row| HeadingRow {
                row,
                level: 2,
                text: format!("h{row}"),
                anchor: format!("h{row}"),
            })
            .collect()
    }

    #[test]
    fn the_current_section_is_the_heading_at_or_above_the_top() {
        let h = headings(&[5, 20, 40]);
        assert_eq!(current_section(&h, 0), None);
        assert_eq!(current_section(&h, 5), Some(0));
        assert_eq!(current_section(&h, 19), Some(0));
        assert_eq!(current_section(&h, 20), Some(1));
        assert_eq!(current_section(&h, 400), Some(2));
        assert_eq!(current_section(&[], 3), None);
    }

    #[test]
    fn next_and_previous_headings_skip_the_one_on_top() {
        let h = headings(&[5, 20, 40]);
        assert_eq!(next_heading(&h, 0), Some(5));
        assert_eq!(next_heading(&h, 5), Some(20));
        assert_eq!(next_heading(&h, 40), None);
        assert_eq!(prev_heading(&h, 40), Some(20));
        assert_eq!(prev_heading(&h, 21), Some(20));
        assert_eq!(prev_heading(&h, 5), None);
    }
}
