//! Mouse clicks on the list: a click selects a row, a second click on the same row
//! within [`DOUBLE_CLICK_MS`] opens it. The event loop supplies the time of each click,
//! so the double-click rule is pure and tested with made-up timestamps.

use super::listing::{self, Row};
use super::mode::Mode;
use super::state::App;
use super::update::Effect;
use crate::library::PostId;

pub const DOUBLE_CLICK_MS: u64 = 400;

/// The last click, to recognise the second of a double click.
#[derive(Debug, Clone, Default)]
pub struct Clicks {
    last: Option<(PostId, u64)>,
}

/// A left click at cell (`column`, `row`) at `at_ms` milliseconds (any fixed origin).
/// Only the list reacts; elsewhere a click does nothing.
pub fn click(app: &mut App, _column: u16, row: u16, at_ms: u64) -> Option<Effect> {
    if !matches!(app.mode(), Mode::List | Mode::Search) {
        app.clicks.last = None;
        return None;
    }
    let height = app.list_row_height();
    let y = usize::from(row);
    // The status bar is the last row; it and anything below are not list rows.
    if y >= usize::from(app.size.1.saturating_sub(1)) {
        app.clicks.last = None;
        return None;
    }
    let rows = listing::rows(app);
    let Some(Row::Post(post)) = rows.get(app.list_offset + y / height.max(1)).cloned() else {
        app.clicks.last = None;
        return None;
    };
    let double = app
        .clicks
        .last
        .as_ref()
        .is_some_and(|(p, t)| *p == post && at_ms.saturating_sub(*t) <= DOUBLE_CLICK_MS);
    app.selected = Some(post.clone());
    app.keep_selection_visible();
    if double {
        app.clicks.last = None;
        app.history.clear();
        return Some(Effect::OpenPost(post));
    }
    app.clicks.last = Some((post, at_ms));
    None
}
