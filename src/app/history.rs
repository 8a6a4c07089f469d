//! Back and forward through the places the reader has been. Following links between
//! posts is only pleasant when coming back is one key and lands on the very line you
//! left, as in a browser; this is that history, as plain data, with no I/O.

use super::state::App;
use crate::library::PostId;
use crate::memory::Spot;

/// A place in the reader: which post, scrolled to which row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub post: PostId,
    pub scroll: usize,
}

/// Where to put the reader once a post is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Landing {
    Top,
    /// A row of the layout, clamped to the end (history).
    Row(usize),
    /// The heading with this anchor (`post/#anchor`).
    Anchor(String),
    /// The block holding this line of the file (a problem's place, `!`); `None`: the
    /// file as a whole, shown by the card.
    Line(Option<usize>),
    /// Where the reader left this post last time (reading memory), else the top.
    Resume,
    /// A remembered place (a bookmark).
    Spot(Spot),
}

/// Enough for any reading session; the oldest entries go first.
const LIMIT: usize = 256;

#[derive(Debug, Clone, Default)]
pub struct History {
    back: Vec<Position>,
    forward: Vec<Position>,
}

impl History {
    /// Records leaving `from` for somewhere new; the forward list no longer applies.
    pub fn visit(&mut self, from: Position) {
        if self.back.last() != Some(&from) {
            self.back.push(from);
        }
        if self.back.len() > LIMIT {
            self.back.remove(0);
        }
        self.forward.clear();
    }

    /// The position to return to, remembering `current` for [`History::forward`].
    pub fn back(&mut self, current: Position) -> Option<Position> {
        let to = self.back.pop()?;
        self.forward.push(current);
        Some(to)
    }

    /// The position gone back from, remembering `current` for [`History::back`].
    pub fn forward(&mut self, current: Position) -> Option<Position> {
        let to = self.forward.pop()?;
        self.back.push(current);
        Some(to)
    }

    pub fn can_go_back(&self) -> bool {
        !self.back.is_empty()
    }

    /// A post that is gone: places in it are dropped from the trail.
    pub fn forget(&mut self, post: &PostId) {
        self.back.retain(|p| p.post != *post);
        self.forward.retain(|p| p.post != *post);
    }

    /// A post that moved: places in it follow it.
    pub fn rename(&mut self, from: &PostId, to: &PostId) {
        for place in self.back.iter_mut().chain(self.forward.iter_mut()) {
            if place.post == *from {
                place.post = to.clone();
            }
        }
    }

    /// A post opened from the list starts a new trail.
    pub fn clear(&mut self) {
        self.back.clear();
        self.forward.clear();
    }
}

impl App {
    /// Where the reader is now, if a post is open.
    pub fn position(&self) -> Option<Position> {
        self.reader.as_ref().map(|r| Position {
            post: r.post.clone(),
            scroll: r.scroll,
        })
    }

    /// Puts the open post's view at `at`; an anchor that names no heading leaves the
    /// view where it is and says so.
    pub fn land(&mut self, at: &Landing) {
        let at = match at {
            Landing::Resume => match self.remembered_spot() {
                Some(spot) => return self.land_at_spot(spot, true),
                None => &Landing::Top,
            },
            Landing::Spot(spot) => return self.land_at_spot(*spot, false),
            other => other,
        };
        let max = self.max_reader_scroll();
        let Some(reader) = self.reader.as_mut() else {
            return;
        };
        let row = match at {
            Landing::Row(row) => Some(*row),
            Landing::Anchor(anchor) => heading_row(&reader.laid.headings, anchor),
            Landing::Line(line) => super::problems::row_of_line(reader, *line),
            Landing::Top | Landing::Resume | Landing::Spot(_) => Some(0),
        };
        match row {
            Some(row) => reader.scroll = row.min(max),
            // Laid out from its head alone, the post may hold it further on: landed
            // when the whole is laid out (see `App::laid_out`).
            None if reader.laid.partial => reader.landing = Some(at.clone()),
            None => {
                if let Landing::Anchor(anchor) = at {
                    self.say(format!("no heading #{anchor} in this post"));
                }
            }
        }
    }
}

/// The row of the heading with `anchor`: exact first, then ignoring case (hand-written
/// links often capitalise differently); an empty anchor is the top.
pub fn heading_row(headings: &[crate::markdown::HeadingRow], anchor: &str) -> Option<usize> {
    if anchor.is_empty() {
        return Some(0);
    }
    let lower = anchor.to_lowercase();
    headings
        .iter()
        .find(|h| h.anchor == anchor)
        .or_else(|| headings.iter().find(|h| h.anchor.to_lowercase() == lower))
        .map(|h| h.row)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(post: usize, scroll: usize) -> Position {
        Position {
            post: PostId::from(format!("p{post}.md").as_str()),
            scroll,
        }
    }

    #[test]
    fn back_and_forward_retrace_the_trail() {
        let mut h = History::default();
        assert_eq!(h.back(at(0, 0)), None);
        h.visit(at(0, 10));
        h.visit(at(1, 5));
        assert!(h.can_go_back());
        assert_eq!(h.back(at(2, 0)), Some(at(1, 5)));
        assert_eq!(h.back(at(1, 7)), Some(at(0, 10)));
        assert_eq!(h.back(at(0, 10)), None);
        assert_eq!(h.forward(at(0, 10)), Some(at(1, 7)));
        assert_eq!(h.forward(at(1, 7)), Some(at(2, 0)));
        assert_eq!(h.forward(at(2, 0)), None);
    }

    #[test]
    fn a_new_visit_drops_the_forward_list_and_the_trail_is_bounded() {
        let mut h = History::default();
        h.visit(at(0, 0));
        assert_eq!(h.back(at(1, 0)), Some(at(0, 0)));
        h.visit(at(0, 3));
        assert_eq!(h.forward(at(2, 0)), None);
        for i in 0..LIMIT + 10 {
            h.visit(at(i, 0));
        }
        assert_eq!(h.back.len(), LIMIT);
        h.clear();
        assert!(!h.can_go_back());
    }
}
