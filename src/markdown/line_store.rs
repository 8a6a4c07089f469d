//! The laid-out lines of a whole post, packed: a long post is millions of lines and
//! tens of millions of spans, and as [`Line`]s (a `Vec` per line, 40-odd bytes per
//! span, a heap string for every span past 24 bytes) its layout took fifteen times the
//! size of the post. Here all span text lives in one buffer, each line is a few bytes
//! of variable-length integers (where its text starts, how many spans, then a style
//! number and a length per span) and each distinct [`Style`] is kept once. The buffers
//! grow in chunks that never move ([`chunks`]).
//!
//! Text that layout draws rather than the post says (table borders with their cell
//! padding, gutters, rules, indents: spaces and frame glyphs) is most of a table-heavy
//! post's rows, three bytes a glyph, and comes in few distinct runs: each such run is
//! kept once, and a span of one is its number.
//!
//! Readers see a line as a [`LineRef`], whose spans borrow the packed text, or
//! materialize it as a [`Line`] (the reader does for the rows on screen). Lines are
//! appended ([`LineStore::push`]) and one can be replaced ([`LineStore::replace`]):
//! lazy code highlighting colours rows in place. A replaced line's new text is
//! appended and the old bytes are left behind, which is bounded by the code that has
//! been on screen, each block being highlighted once.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use super::style::{Line, Span, Style};

mod chunks;
use chunks::Chunks;

/// Records past this many bytes are not written (one record is far smaller than the
/// rest of `u32`'s range, so every offset written fits in four bytes).
const FULL: u32 = 1 << 31;

/// Lines stored packed; see the module documentation.
#[derive(Clone, Default)]
pub struct LineStore {
    /// The text of every span, line after line; a line's text is in one chunk.
    text: Chunks<String>,
    /// A record per line, in one chunk: varint text start, varint span count, then
    /// per span varint style number and a varint: its text's byte length times two, or
    /// a drawn run's number times two plus one.
    packed: Chunks<Vec<u8>>,
    /// Where each line's record starts in `packed`: four bytes a line, since a body is
    /// read whole only up to 256 MiB, far from the [`FULL`] records would fill.
    starts: Vec<u32>,
    /// A record being made, before it goes into `packed` whole.
    record: Vec<u8>,
    styles: Vec<Style>,
    style_numbers: HashMap<Style, u32>,
    /// Drawn runs ([`is_drawn`]) kept once each, by number.
    drawn: Vec<Box<str>>,
    drawn_numbers: HashMap<Box<str>, u32>,
    /// The style numbered last: neighbouring spans mostly share one, and this saves
    /// them a lookup.
    last_style: Option<(Style, u32)>,
}

impl LineStore {
    pub fn new() -> LineStore {
        LineStore::default()
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Row `row`, borrowed.
    pub fn get(&self, row: usize) -> Option<LineRef<'_>> {
        let start = *self.starts.get(row)?;
        Some(LineRef {
            store: self,
            start: usize::try_from(start).unwrap_or(usize::MAX),
        })
    }

    /// Row `row` as a [`Line`] of its own.
    pub fn line(&self, row: usize) -> Option<Line> {
        self.get(row).map(|line| line.to_line())
    }

    /// Every line in order; `skip(n)` jumps straight to row `n`.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            store: self,
            rows: 0..self.len(),
        }
    }

    /// The lines of `rows` that exist.
    pub fn rows(&self, rows: Range<usize>) -> Iter<'_> {
        Iter {
            store: self,
            rows: rows.start.min(self.len())..rows.end.min(self.len()),
        }
    }

    /// Every line materialized: for short layouts (print, tests).
    pub fn to_vec(&self) -> Vec<Line> {
        self.iter().map(|line| line.to_line()).collect()
    }

    /// Appends a line made of `spans`.
    pub fn push_spans(&mut self, spans: &[Span]) {
        let start = self.encode(spans);
        self.starts.push(start);
    }

    pub fn push(&mut self, line: &Line) {
        self.push_spans(&line.spans);
    }

    /// Puts `lines` above the first line.
    pub fn prepend(&mut self, lines: &[Line]) {
        let starts: Vec<u32> = lines.iter().map(|line| self.encode(&line.spans)).collect();
        self.starts.splice(0..0, starts);
    }

    /// Puts `line` in place of row `row`; false (and nothing changes) when there is no
    /// such row.
    pub fn replace(&mut self, row: usize, line: &Line) -> bool {
        if row >= self.len() {
            return false;
        }
        let start = self.encode(&line.spans);
        if let Some(slot) = self.starts.get_mut(row) {
            *slot = start;
        }
        true
    }

    /// Bytes held, for measurements.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.packed.capacity()
            + self.record.capacity()
            + self.starts.capacity() * size_of::<u32>()
            + self.styles.capacity() * size_of::<Style>()
            + self.style_numbers.capacity() * (size_of::<Style>() + size_of::<u32>())
            + self.drawn.iter().map(|run| 2 * run.len()).sum::<usize>()
            + self.drawn_numbers.capacity() * (size_of::<Box<str>>() + size_of::<u32>())
    }

    /// Writes a line's record and text; returns where its record starts. A full store
    /// writes nothing more and returns an offset past its records, which reads as an
    /// empty line.
    fn encode(&mut self, spans: &[Span]) -> u32 {
        if u32::try_from(self.packed.len()).map_or(true, |at| at >= FULL) {
            return u32::MAX;
        }
        let own_text: usize = spans
            .iter()
            .filter(|span| !is_drawn(&span.text))
            .map(|span| span.text.len())
            .sum();
        let text_start = self.text.start_piece(own_text);
        let mut record = std::mem::take(&mut self.record);
        record.clear();
        put_varint(&mut record, text_start as u64);
        put_varint(&mut record, spans.len() as u64);
        for span in spans {
            let number = self.style_number(span.style);
            put_varint(&mut record, u64::from(number));
            match self.drawn_number(&span.text) {
                Some(run) => put_varint(&mut record, (u64::from(run) << 1) | 1),
                None => {
                    put_varint(&mut record, (span.text.len() as u64) << 1);
                    self.text.extend(&span.text);
                }
            }
        }
        let start = self.packed.push(&record, record.len());
        self.record = record;
        u32::try_from(start).unwrap_or(u32::MAX)
    }

    /// The number of a drawn run, kept once; `None` for other text.
    fn drawn_number(&mut self, text: &str) -> Option<u32> {
        if !is_drawn(text) {
            return None;
        }
        if let Some(&number) = self.drawn_numbers.get(text) {
            return Some(number);
        }
        let number = u32::try_from(self.drawn.len()).ok()?;
        self.drawn.push(text.into());
        self.drawn_numbers.insert(text.into(), number);
        Some(number)
    }

    fn style_number(&mut self, style: Style) -> u32 {
        if let Some((last, number)) = self.last_style
            && last == style
        {
            return number;
        }
        let number = match self.style_numbers.get(&style) {
            Some(&number) => number,
            None => {
                let number = u32::try_from(self.styles.len()).unwrap_or(u32::MAX);
                self.styles.push(style);
                self.style_numbers.insert(style, number);
                number
            }
        };
        self.last_style = Some((style, number));
        number
    }
}

impl PartialEq for LineStore {
    /// The same lines, however they are packed.
    fn eq(&self, other: &LineStore) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl Eq for LineStore {}

impl fmt::Debug for LineStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl FromIterator<Line> for LineStore {
    fn from_iter<I: IntoIterator<Item = Line>>(lines: I) -> LineStore {
        let mut store = LineStore::new();
        store.extend(lines);
        store
    }
}

impl Extend<Line> for LineStore {
    fn extend<I: IntoIterator<Item = Line>>(&mut self, lines: I) {
        for line in lines {
            self.push(&line);
        }
    }
}

impl<'a> IntoIterator for &'a LineStore {
    type Item = LineRef<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Lines of a [`LineStore`] in order.
#[derive(Clone)]
pub struct Iter<'a> {
    store: &'a LineStore,
    rows: Range<usize>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = LineRef<'a>;

    fn next(&mut self) -> Option<LineRef<'a>> {
        let row = self.rows.next()?;
        self.store.get(row)
    }

    fn nth(&mut self, n: usize) -> Option<LineRef<'a>> {
        let row = self.rows.nth(n)?;
        self.store.get(row)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.rows.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let row = self.rows.next_back()?;
        self.store.get(row)
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// One line of a [`LineStore`].
#[derive(Clone, Copy)]
pub struct LineRef<'a> {
    store: &'a LineStore,
    /// Where its record starts in the store's `packed`.
    start: usize,
}

impl<'a> LineRef<'a> {
    pub fn spans(&self) -> Spans<'a> {
        let store = self.store;
        let record: &'a [u8] = store
            .packed
            .locate(self.start)
            .and_then(|(chunk, at)| chunk.get(at..))
            .unwrap_or_default();
        let mut at = 0;
        let text_start = get_varint(record, &mut at).unwrap_or(0);
        let count = get_varint(record, &mut at).unwrap_or(0);
        let text: &'a str = usize::try_from(text_start)
            .ok()
            .and_then(|start| store.text.locate(start))
            .and_then(|(chunk, at)| chunk.get(at..))
            .unwrap_or_default();
        Spans {
            store,
            record,
            at,
            text,
            text_at: 0,
            left: count,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.spans().left == 0
    }

    pub fn plain_text(&self) -> String {
        self.spans().map(|span| span.text).collect()
    }

    pub fn width(&self) -> usize {
        self.spans()
            .map(|span| super::wrap::display_width(span.text))
            .sum()
    }

    pub fn to_line(&self) -> Line {
        Line {
            spans: self.spans().map(|span| span.to_span()).collect(),
        }
    }
}

impl PartialEq for LineRef<'_> {
    fn eq(&self, other: &LineRef<'_>) -> bool {
        self.spans().eq(other.spans())
    }
}

impl PartialEq<Line> for LineRef<'_> {
    fn eq(&self, other: &Line) -> bool {
        self.spans().eq(other.spans.iter().map(SpanRef::from))
    }
}

impl fmt::Debug for LineRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.spans()).finish()
    }
}

/// A span of a stored line: its text borrowed from the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanRef<'a> {
    pub text: &'a str,
    pub style: Style,
}

impl SpanRef<'_> {
    pub fn to_span(&self) -> Span {
        Span {
            text: self.text.into(),
            style: self.style,
        }
    }
}

impl<'a> From<&'a Span> for SpanRef<'a> {
    fn from(span: &'a Span) -> SpanRef<'a> {
        SpanRef {
            text: &span.text,
            style: span.style,
        }
    }
}

/// The spans of a [`LineRef`].
#[derive(Clone)]
pub struct Spans<'a> {
    store: &'a LineStore,
    /// The line's record, from its start to the end of its chunk.
    record: &'a [u8],
    /// Next span's in `record`.
    at: usize,
    /// The line's text, from its start to the end of its chunk.
    text: &'a str,
    /// Next span's text in `text`.
    text_at: usize,
    left: u64,
}

impl<'a> Iterator for Spans<'a> {
    type Item = SpanRef<'a>;

    fn next(&mut self) -> Option<SpanRef<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let number = get_varint(self.record, &mut self.at)?;
        let tag = get_varint(self.record, &mut self.at)?;
        let text = if tag & 1 == 1 {
            let run = usize::try_from(tag >> 1).ok()?;
            self.store.drawn.get(run)?
        } else {
            let len = usize::try_from(tag >> 1).ok()?;
            let end = self.text_at.checked_add(len)?;
            let text = self.text.get(self.text_at..end)?;
            self.text_at = end;
            text
        };
        let style = usize::try_from(number)
            .ok()
            .and_then(|n| self.store.styles.get(n))
            .copied()
            .unwrap_or_default();
        Some(SpanRef { text, style })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, usize::try_from(self.left).ok())
    }
}

/// Whether `text` is drawn by layout rather than said by the post: spaces and frame
/// glyphs (box drawing, block elements, their ASCII stand-ins), not too long. Any text
/// would round-trip; this only decides what is worth keeping once.
fn is_drawn(text: &str) -> bool {
    const LONGEST: usize = 1024;
    !text.is_empty()
        && text.len() <= LONGEST
        && text
            .chars()
            .all(|c| matches!(c, ' ' | '|' | '+' | '-' | '\u{2500}'..='\u{259f}'))
}

/// LEB128: seven bits a byte, low first; most numbers here take one or two bytes.
fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        n |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::style::{Rgb, Role};

    fn span(text: &str, style: Style) -> Span {
        Span {
            text: text.into(),
            style,
        }
    }

    fn sample() -> Vec<Line> {
        let link = Style {
            link: Some(70_000),
            underline: true,
            ..Style::role(Role::Link)
        };
        let code = Style {
            fg: Some(Rgb(1, 2, 3)),
            bold: true,
            ..Style::role(Role::CodeBlock)
        };
        vec![
            Line {
                spans: vec![
                    span("## ", Style::role(Role::Heading(2))),
                    span("标题 Title", Style::role(Role::Heading(2))),
                ],
            },
            Line::default(),
            Line {
                spans: vec![
                    span("see ", Style::default()),
                    span("the docs", link),
                    span("", Style::default()),
                    span(" — ｗｉｄｅ 👩‍👩‍👧", Style::role(Role::Emphasis)),
                ],
            },
            Line {
                spans: vec![span("│ ", Style::role(Role::CodeLabel)), span("x", code)],
            },
            Line {
                spans: vec![span(&"長".repeat(300), Style::role(Role::Text))],
            },
        ]
    }

    #[test]
    fn lines_come_back_as_they_went_in() {
        let lines = sample();
        let store: LineStore = lines.iter().cloned().collect();
        assert_eq!(store.len(), lines.len());
        assert_eq!(store.to_vec(), lines);
        for (row, line) in lines.iter().enumerate() {
            let stored = store.get(row).expect("row");
            assert_eq!(stored, *line);
            assert_eq!(stored.plain_text(), line.plain_text());
            assert_eq!(stored.width(), line.width());
            assert_eq!(stored.is_empty(), line.spans.is_empty());
        }
        assert!(store.get(lines.len()).is_none());
        assert!(store.line(lines.len()).is_none());
    }

    #[test]
    fn drawn_runs_are_kept_once_and_read_back_among_other_text() {
        let border = Style::role(Role::TableBorder);
        let row = |cell: &str| Line {
            spans: vec![
                span("│ ", border),
                span(cell, Style::default()),
                span("      │ ", border),
                span("--", Style::default()),
                span("│", border),
            ],
        };
        let lines: Vec<Line> = (0..500).map(|i| row(&format!("单元 {i}"))).collect();
        let store: LineStore = lines.iter().cloned().collect();
        assert_eq!(store.to_vec(), lines);
        assert_eq!(store.drawn.len(), 4, "{:?}", store.drawn);
        // Only the cells' own text is in the text arena.
        let cells: usize = (0..500).map(|i| format!("单元 {i}").len()).sum();
        assert_eq!(store.text.len(), cells);
    }

    #[test]
    fn an_empty_line_and_an_empty_span_are_kept_apart() {
        let store: LineStore = [
            Line::default(),
            Line {
                spans: vec![span("", Style::default())],
            },
        ]
        .into_iter()
        .collect();
        assert_eq!(store.get(0).expect("row").spans().count(), 0);
        assert_eq!(store.get(1).expect("row").spans().count(), 1);
        assert_ne!(store.get(0), store.get(1));
    }

    #[test]
    fn replacing_a_row_changes_that_row_only() {
        let lines = sample();
        let mut store: LineStore = lines.iter().cloned().collect();
        let new = Line {
            spans: vec![
                span("│ ", Style::role(Role::CodeLabel)),
                span("fn main() {}", Style::role(Role::CodeBlock)),
            ],
        };
        assert!(store.replace(3, &new));
        assert!(!store.replace(lines.len(), &new));
        let mut expected = lines.clone();
        expected[3] = new.clone();
        assert_eq!(store.to_vec(), expected);
        // Again, and with a line that needs no room at all.
        assert!(store.replace(3, &Line::default()));
        assert!(store.replace(0, &new));
        expected[3] = Line::default();
        expected[0] = new;
        assert_eq!(store.to_vec(), expected);
    }

    #[test]
    fn lines_put_on_top_come_first_and_the_rest_stay_in_order() {
        let lines = sample();
        let mut store: LineStore = lines[2..].iter().cloned().collect();
        store.prepend(&lines[..2]);
        assert_eq!(store.to_vec(), lines);
        store.prepend(&[]);
        assert_eq!(store.to_vec(), lines);
    }

    #[test]
    fn equal_lines_compare_equal_however_their_styles_were_numbered() {
        let lines = sample();
        let forward: LineStore = lines.iter().cloned().collect();
        let mut backward = LineStore::new();
        for line in lines.iter().rev() {
            backward.push(line);
        }
        let mut reordered = LineStore::new();
        for row in (0..lines.len()).rev() {
            reordered.push(&backward.line(row).expect("row"));
        }
        assert_eq!(forward, reordered);
        let mut other = forward.clone();
        other.replace(1, &lines[0]);
        assert_ne!(forward, other);
    }

    #[test]
    fn skipping_and_ranges_reach_the_right_rows() {
        let store: LineStore = (0..1000)
            .map(|i| Line {
                spans: vec![span(&i.to_string(), Style::default())],
            })
            .collect();
        let row = |line: Option<LineRef>| line.map(|l| l.plain_text());
        assert_eq!(row(store.iter().nth(700)), Some("700".into()));
        let last_two: Vec<String> = store.iter().skip(998).map(|l| l.plain_text()).collect();
        assert_eq!(last_two, ["998", "999"]);
        assert_eq!(row(store.iter().next_back()), Some("999".into()));
        let tail: Vec<String> = store.rows(995..2000).map(|l| l.plain_text()).collect();
        assert_eq!(tail, ["995", "996", "997", "998", "999"]);
        assert_eq!(store.rows(2000..3000).count(), 0);
        assert_eq!(store.iter().len(), 1000);
    }

    #[test]
    fn varints_round_trip_at_their_edges() {
        for n in [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut bytes = Vec::new();
            put_varint(&mut bytes, n);
            let mut at = 0;
            assert_eq!(get_varint(&bytes, &mut at), Some(n));
            assert_eq!(at, bytes.len());
        }
        // Cut short: nothing, never a panic.
        assert_eq!(get_varint(&[0x80, 0x80], &mut 0), None);
    }
}
