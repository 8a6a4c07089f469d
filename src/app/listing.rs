//! The list as it is shown: sorted by date or title (`s`), optionally grouped into an
//! archive of year-and-month sections (`z`). A blog is read by time ("what did I write
//! that spring?") as often as by name, so both orders matter. The library itself stays
//! newest first and post indices never change; this module only computes the order of
//! rows, which the list view draws, movement follows, mouse clicks hit and J/K step by.

use std::cmp::Ordering;

use chrono::Datelike;

use super::action::Action;
use super::navigate::Handled;
use super::state::App;
use crate::library::Post;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Newest first (the library's own order).
    #[default]
    Date,
    /// Alphabetical, ignoring case.
    Title,
}

#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub sort: SortKey,
    /// Grouped by year and month, newest month first.
    pub archive: bool,
}

/// One row of the list: a group header of the archive view, or a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Group { label: String, count: usize },
    Post(usize),
}

/// Post indices in the order the list shows them.
pub fn order(app: &App) -> Vec<usize> {
    rows(app)
        .into_iter()
        .filter_map(|row| match row {
            Row::Post(i) => Some(i),
            Row::Group { .. } => None,
        })
        .collect()
}

/// The rows of the list, group headers included.
pub fn rows(app: &App) -> Vec<Row> {
    let posts = &app.library.posts;
    let mut indices: Vec<usize> = (0..posts.len()).collect();
    if app.list_options.sort == SortKey::Title {
        let keys: Vec<String> = posts.iter().map(|p| p.title.to_lowercase()).collect();
        indices.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then_with(|| a.cmp(&b)));
    }
    if !app.list_options.archive {
        return indices.into_iter().map(Row::Post).collect();
    }
    // Months newest first whatever the sort; within a month the sort applies. The sort
    // is stable, so sorting by month keeps the title order inside each month.
    indices.sort_by(|&a, &b| match (month(&posts[a]), month(&posts[b])) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    let mut out = Vec::with_capacity(indices.len() + 16);
    let mut current: Option<Option<(i32, u32)>> = None;
    let mut header_at = 0;
    for i in indices {
        let m = month(&posts[i]);
        if current != Some(m) {
            current = Some(m);
            header_at = out.len();
            out.push(Row::Group {
                label: group_label(m),
                count: 0,
            });
        }
        if let Some(Row::Group { count, .. }) = out.get_mut(header_at) {
            *count += 1;
        }
        out.push(Row::Post(i));
    }
    out
}

fn month(post: &Post) -> Option<(i32, u32)> {
    post.meta
        .date
        .as_ref()
        .map(|d| (d.naive.year(), d.naive.month()))
}

fn group_label(month: Option<(i32, u32)>) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match month {
        Some((year, m)) => {
            let name = NAMES
                .get(m.saturating_sub(1) as usize)
                .copied()
                .unwrap_or("?");
            format!("{year} · {name}")
        }
        None => "Undated".to_string(),
    }
}

/// `z` and `s`; everything else is left to `update.rs`.
pub(super) fn update(app: &mut App, action: Action) -> Handled {
    match action {
        Action::ToggleArchive => {
            app.list_options.archive = !app.list_options.archive;
            app.message = Some(if app.list_options.archive {
                "archive view: grouped by month".into()
            } else {
                "plain list".into()
            });
        }
        Action::ToggleSort => {
            app.list_options.sort = match app.list_options.sort {
                SortKey::Date => SortKey::Title,
                SortKey::Title => SortKey::Date,
            };
            app.message = Some(match app.list_options.sort {
                SortKey::Date => "sorted by date, newest first".into(),
                SortKey::Title => "sorted by title".into(),
            });
        }
        _ => return None,
    }
    app.keep_selection_visible();
    Some(None)
}

/// The selected post's position in the list order, and that order.
pub fn selected_position(app: &App) -> (usize, Vec<usize>) {
    let order = order(app);
    let at = order.iter().position(|&i| i == app.selected).unwrap_or(0);
    (at, order)
}

/// Scrolls the list so the selected post is on screen, with its group header when it
/// is the first of its group; a selection that is not in the list moves to the first
/// post.
pub(super) fn keep_selection_visible(app: &mut App) {
    let rows = rows(app);
    let page = app.list_page();
    let at = rows.iter().position(|r| *r == Row::Post(app.selected));
    let at = match at {
        Some(at) => at,
        None => {
            let first = rows.iter().position(|r| matches!(r, Row::Post(_)));
            if let Some(Row::Post(i)) = first.and_then(|f| rows.get(f)) {
                app.selected = *i;
            }
            first.unwrap_or(0)
        }
    };
    let top = match at.checked_sub(1).and_then(|h| rows.get(h)) {
        Some(Row::Group { .. }) if page > 1 => at - 1,
        _ => at,
    };
    if top < app.list_offset {
        app.list_offset = top;
    } else if at >= app.list_offset + page {
        app.list_offset = at + 1 - page;
    }
    app.list_offset = app.list_offset.min(rows.len().saturating_sub(page));
}
