//! Finding text in the open post: the reader's `/` line, and the hits a full-text search
//! carries into the post it opens. Hits are found in the laid-out lines (what is on
//! screen, by characters, case-insensitively), so a hit's row is the row to scroll to and
//! its columns are the cells to highlight. They are found again after a resize, because
//! a new width moves every row.

use std::ops::Range;

use super::Action;
use super::input::LineInput;
use super::mode::View;
use super::state::App;
use super::update::Effect;
use crate::library::fulltext::{find_all, fold};
use crate::markdown::Laid;
use crate::markdown::wrap::{AmbiguousWidth, display_width};

#[derive(Debug, Clone, Default)]
pub struct DocFind {
    pub input: LineInput,
    pub focused: bool,
    /// What is being found, case-folded; empty when no search is active.
    pub needles: Vec<String>,
    pub hits: Vec<DocHit>,
    /// Index into `hits` of the current hit.
    pub current: usize,
    /// Where the reader was when `/` was pressed: typing searches forward from here.
    origin: usize,
}

/// One occurrence: a row of the layout and the display columns it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocHit {
    pub row: usize,
    pub cols: Range<usize>,
}

impl DocFind {
    pub fn is_active(&self) -> bool {
        !self.needles.is_empty()
    }

    /// "3/17" for the status bar; "no match" when the search found nothing.
    pub fn counter(&self) -> Option<String> {
        if !self.is_active() {
            return None;
        }
        Some(if self.hits.is_empty() {
            "no match".to_string()
        } else {
            format!("{}/{}", self.current + 1, self.hits.len())
        })
    }
}

/// Every occurrence of `needles` (folded) in the laid-out lines, at the columns of a
/// terminal drawing ambiguous characters `ambiguous_width` wide (as the lines were laid
/// out).
pub fn hits_in(laid: &Laid, needles: &[String], ambiguous_width: u8) -> Vec<DocHit> {
    let _columns = AmbiguousWidth::set(ambiguous_width);
    let mut out = Vec::new();
    if needles.iter().all(String::is_empty) {
        return out;
    }
    for (row, line) in laid.lines.iter().enumerate() {
        let text = line.plain_text();
        for range in find_all(&text, needles) {
            let (Some(before), Some(hit)) = (text.get(..range.start), text.get(range)) else {
                continue;
            };
            let start = display_width(before);
            out.push(DocHit {
                row,
                cols: start..start + display_width(hit),
            });
        }
    }
    out
}

impl App {
    /// Starts a search in the open post for `terms` (from full-text results) and
    /// scrolls to the first hit.
    pub fn start_find(&mut self, terms: &[String]) {
        self.find = DocFind {
            input: LineInput::new(&terms.join(" ")),
            ..DocFind::default()
        };
        self.find.needles = terms
            .iter()
            .map(|t| fold(t))
            .filter(|t| !t.is_empty())
            .collect();
        self.find_hits(0);
    }

    /// Finds the hits again (after typing, or a resize) and makes the first one at or
    /// after row `from` current.
    fn find_hits(&mut self, from: usize) {
        let Some(reader) = &self.reader else {
            return;
        };
        self.find.hits = hits_in(&reader.laid, &self.find.needles, self.prefs.ambiguous_width);
        self.find.current = self
            .find
            .hits
            .iter()
            .position(|h| h.row >= from)
            .unwrap_or(0);
        self.show_current_hit();
    }

    /// After a relayout: the same search at the new width, from the top of the screen.
    pub fn refresh_find(&mut self) {
        if self.find.is_active() {
            let from = self.reader.as_ref().map(|r| r.scroll).unwrap_or(0);
            let hits = self
                .reader
                .as_ref()
                .map(|r| hits_in(&r.laid, &self.find.needles, self.prefs.ambiguous_width))
                .unwrap_or_default();
            self.find.current = hits.iter().position(|h| h.row >= from).unwrap_or(0);
            self.find.hits = hits;
        }
    }

    /// Scrolls so the current hit is on screen, a couple of rows below the top when
    /// it has to move, so the line before it gives context.
    fn show_current_hit(&mut self) {
        let Some(row) = self.find.hits.get(self.find.current).map(|h| h.row) else {
            return;
        };
        let height = self.body_height();
        if let Some(reader) = self.reader.as_mut()
            && (row < reader.scroll || row >= reader.scroll + height)
        {
            reader.scroll = row.saturating_sub(2);
        }
        self.clamp_reader_scroll();
    }

    fn step_hit(&mut self, forward: bool) {
        let count = self.find.hits.len();
        if count == 0 {
            return;
        }
        self.find.current = if forward {
            (self.find.current + 1) % count
        } else {
            (self.find.current + count - 1) % count
        };
        self.show_current_hit();
    }

    fn clear_find(&mut self) {
        self.find = DocFind::default();
    }
}

/// Reader actions that belong to finding. `None`: not ours.
pub(super) fn update_reader(app: &mut App, action: Action) -> Option<Option<Effect>> {
    match action {
        Action::Find => {
            let origin = app.reader.as_ref().map(|r| r.scroll).unwrap_or(0);
            app.find = DocFind {
                focused: true,
                origin,
                ..DocFind::default()
            };
        }
        Action::NextHit => app.step_hit(true),
        Action::PrevHit => app.step_hit(false),
        Action::ClearFind if app.find.is_active() => app.clear_find(),
        Action::ClearFind => {
            app.clear_find();
            app.set_view(View::List);
        }
        _ => return None,
    }
    Some(None)
}

/// Keys of the focused find line.
pub(super) fn update_line(app: &mut App, action: Action) -> Option<Effect> {
    match action {
        Action::InputCancel => {
            let origin = app.find.origin;
            app.clear_find();
            if let Some(reader) = app.reader.as_mut() {
                reader.scroll = origin;
            }
        }
        Action::InputAccept => app.find.focused = false,
        Action::InputComplete => {}
        Action::Up | Action::Down | Action::PageUp | Action::PageDown => {
            return super::update::update_reader(app, action);
        }
        other => {
            if super::search::edit(&mut app.find.input, other) {
                find_typed(app);
            }
        }
    }
    None
}

pub(super) fn type_char(app: &mut App, c: char) {
    app.find.input.insert_char(c);
    find_typed(app);
}

/// The line changed: search for it from where `/` was pressed (as less and vim do).
fn find_typed(app: &mut App) {
    let text = app.find.input.text();
    app.find.needles = if text.trim().is_empty() {
        Vec::new()
    } else {
        vec![fold(text)]
    };
    let origin = app.find.origin;
    if app.find.needles.is_empty() {
        app.find.hits.clear();
        if let Some(reader) = app.reader.as_mut() {
            reader.scroll = origin;
        }
        return;
    }
    app.find_hits(origin);
}
