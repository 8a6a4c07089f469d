//! A one-line text editor for the search and filter lines. Every line folio lets you type
//! into (the list's `/`, the reader's `/`, the tag browser's filter) is one of these, so
//! they all edit the same way. The cursor moves by grapheme cluster, never by byte or
//! char, so a CJK character, an emoji with a skin tone or a letter with a combining
//! accent is always inserted, stepped over and deleted whole.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::markdown::sanitize::sanitize;

/// The most a line holds: far beyond any query, small enough that a paste of a whole
/// file cannot make every keystroke slow.
const MAX_LEN: usize = 4096;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// Byte offset of the cursor; always on a grapheme boundary of `text`.
    cursor: usize,
}

/// What a line looks like in a given number of columns: the visible part and where the
/// cursor is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub text: String,
    /// Column of the cursor within `text` (may equal its width: after the last grapheme).
    pub cursor_col: usize,
    /// Index of the first grapheme shown (the line scrolls to keep the cursor visible).
    pub first_grapheme: usize,
}

impl LineInput {
    pub fn new(text: &str) -> Self {
        let mut line = LineInput::default();
        line.insert_str(text);
        line
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Replaces the whole text; the cursor goes to the end.
    pub fn set(&mut self, text: &str) {
        self.text.clear();
        self.cursor = 0;
        self.insert_str(text);
    }

    pub fn clear(&mut self) {
        self.set("");
    }

    /// Inserts at the cursor. Line breaks and tabs become spaces (a paste of several
    /// lines is one query); other control characters are dropped.
    pub fn insert_str(&mut self, s: &str) {
        let room = MAX_LEN.saturating_sub(self.text.len());
        let mut clean = String::with_capacity(s.len().min(room));
        for c in s.chars() {
            let c = match c {
                '\n' | '\r' | '\t' => ' ',
                c if c.is_control() => continue,
                c => c,
            };
            if clean.len() + c.len_utf8() > room {
                break;
            }
            clean.push(c);
        }
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
        // A combining mark typed after a letter joins its cluster: keep the cursor on a
        // boundary by moving it to the end of the cluster it landed in.
        self.cursor = self.boundary_at_or_after(self.cursor);
    }

    pub fn insert_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.insert_str(c.encode_utf8(&mut buf));
    }

    /// Deletes the grapheme before the cursor. Returns whether anything changed.
    pub fn backspace(&mut self) -> bool {
        let start = self.prev_boundary();
        if start == self.cursor {
            return false;
        }
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
        true
    }

    /// Deletes the grapheme under the cursor.
    pub fn delete(&mut self) -> bool {
        let end = self.next_boundary();
        if end == self.cursor {
            return false;
        }
        self.text.replace_range(self.cursor..end, "");
        true
    }

    pub fn left(&mut self) {
        self.cursor = self.prev_boundary();
    }

    pub fn right(&mut self) {
        self.cursor = self.next_boundary();
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }

    /// Ctrl-u: deletes everything before the cursor.
    pub fn kill_to_start(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.text.replace_range(..self.cursor, "");
        self.cursor = 0;
        true
    }

    /// Ctrl-w: deletes the word before the cursor and the spaces after it, as shells do.
    pub fn kill_word(&mut self) -> bool {
        let before = self.text.get(..self.cursor).unwrap_or_default();
        let trimmed = before.trim_end();
        let start = trimmed
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        // A space followed by a combining mark is one cluster: stay on a boundary.
        let start = self.boundary_at_or_after(start).min(self.cursor);
        if start == self.cursor {
            return false;
        }
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
        true
    }

    /// Byte range of the whitespace-separated token the cursor is in or just after,
    /// for completion.
    pub fn token_at_cursor(&self) -> std::ops::Range<usize> {
        let before = self.text.get(..self.cursor).unwrap_or_default();
        let start = before
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        let after = self.text.get(self.cursor..).unwrap_or_default();
        let end = self.cursor + after.find(char::is_whitespace).unwrap_or(after.len());
        start..end
    }

    /// Replaces `range` (byte offsets on char boundaries, as [`Self::token_at_cursor`]
    /// gives) with `with` and puts the cursor after it.
    pub fn replace_range(&mut self, range: std::ops::Range<usize>, with: &str) {
        let valid = range.start <= range.end
            && self.text.is_char_boundary(range.start)
            && self.text.is_char_boundary(range.end)
            && range.end <= self.text.len();
        if !valid {
            return;
        }
        self.text.replace_range(range.clone(), "");
        self.cursor = range.start;
        self.insert_str(with);
    }

    /// The part of the line that fits in `width` columns, scrolled so the cursor is
    /// visible (with one column kept for the cursor after the last grapheme). Text is
    /// sanitized for drawing, grapheme by grapheme.
    pub fn shown(&self, width: usize) -> Shown {
        let graphemes: Vec<(usize, String)> = self
            .text
            .grapheme_indices(true)
            .map(|(i, g)| (i, sanitize(g).into_owned()))
            .collect();
        let cursor_index = graphemes
            .iter()
            .position(|(i, _)| *i >= self.cursor)
            .unwrap_or(graphemes.len());
        let widths: Vec<usize> = graphemes.iter().map(|(_, g)| g.width()).collect();
        // Scroll: the first grapheme shown is the earliest one that still leaves the
        // cursor (and one cell for it) inside the width.
        let mut first = 0;
        let room = width.saturating_sub(1);
        let mut used: usize = widths.get(..cursor_index).unwrap_or(&[]).iter().sum();
        while used > room && first < cursor_index {
            used -= widths.get(first).copied().unwrap_or(0);
            first += 1;
        }
        let mut text = String::new();
        let mut col = 0;
        let mut cursor_col = 0;
        for (index, (_, g)) in graphemes.iter().enumerate().skip(first) {
            if index == cursor_index {
                cursor_col = col;
            }
            let w = widths.get(index).copied().unwrap_or(0);
            if col + w > width {
                break;
            }
            text.push_str(g);
            col += w;
        }
        if cursor_index >= graphemes.len() {
            cursor_col = col.min(width.saturating_sub(1));
        }
        Shown {
            text,
            cursor_col,
            first_grapheme: first,
        }
    }

    fn prev_boundary(&self) -> usize {
        self.text
            .get(..self.cursor)
            .and_then(|before| before.grapheme_indices(true).next_back())
            .map(|(i, _)| i)
            .unwrap_or(0)
    }

    fn next_boundary(&self) -> usize {
        self.text
            .get(self.cursor..)
            .and_then(|after| after.graphemes(true).next())
            .map(|g| self.cursor + g.len())
            .unwrap_or(self.text.len())
    }

    fn boundary_at_or_after(&self, at: usize) -> usize {
        let mut start = 0;
        for g in self.text.graphemes(true) {
            let end = start + g.len();
            if start >= at {
                return start;
            }
            if end >= at {
                return end;
            }
            start = end;
        }
        self.text.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_by_grapheme() {
        let mut line = LineInput::new("服务网格");
        line.backspace();
        assert_eq!(line.text(), "服务网");
        line.left();
        line.left();
        line.insert_char('x');
        assert_eq!(line.text(), "服x务网");
        line.home();
        line.delete();
        assert_eq!(line.text(), "x务网");
        line.end();
        // e + combining acute: one grapheme, deleted at once.
        line.insert_str("e\u{301}");
        assert_eq!(line.text(), "x务网e\u{301}");
        line.backspace();
        assert_eq!(line.text(), "x务网");
        let mut flag = LineInput::new("a👍🏽");
        flag.backspace();
        assert_eq!(flag.text(), "a");
    }

    #[test]
    fn shell_kills() {
        let mut line = LineInput::new("istio  #go  ");
        assert!(line.kill_word());
        assert_eq!(line.text(), "istio  ");
        assert!(line.kill_word());
        assert_eq!(line.text(), "");
        assert!(!line.kill_word());
        let mut line = LineInput::new("abc def");
        line.left();
        line.left();
        assert!(line.kill_to_start());
        assert_eq!(line.text(), "ef");
        assert_eq!(line.cursor(), 0);
    }

    #[test]
    fn paste_is_one_line_without_controls() {
        let line = LineInput::new("a\nb\u{1b}[31m\tc");
        assert_eq!(line.text(), "a b[31m c");
    }

    #[test]
    fn token_under_cursor() {
        let mut line = LineInput::new("rust #ist");
        assert_eq!(&line.text()[line.token_at_cursor()], "#ist");
        line.replace_range(line.token_at_cursor(), "#istio ");
        assert_eq!(line.text(), "rust #istio ");
        line.home();
        assert_eq!(&line.text()[line.token_at_cursor()], "rust");
        let (start, end) = (7, 3);
        line.replace_range(start..end, "x");
        assert_eq!(
            line.text(),
            "rust #istio ",
            "an invalid range changes nothing"
        );
    }

    #[test]
    fn shown_scrolls_to_keep_the_cursor_visible() {
        let line = LineInput::new("开源四周年回顾");
        let shown = line.shown(7);
        // 14 columns of text, 7 available with one for the cursor: the last 3 characters.
        assert_eq!(shown.text, "年回顾");
        assert_eq!(shown.cursor_col, 6);
        let mut line = line;
        line.home();
        let shown = line.shown(7);
        assert_eq!(shown.text, "开源四");
        assert_eq!(shown.cursor_col, 0);
        for width in 0..4 {
            let shown = line.shown(width);
            assert!(shown.text.width() <= width);
        }
    }
}
