//! Display-width line wrapping for styled text, correct for Chinese.
//!
//! Terminal cells, not bytes or chars, are what a line runs out of: a CJK ideograph or
//! an emoji takes two, a combining mark none, and a grapheme cluster must never be torn.
//! Where a line may end comes from UAX #14 (so Chinese breaks between characters, Latin at
//! spaces and after hyphens), tightened by kinsoku: a line does not start with a closing
//! mark such as `，` or `」`, nor end with an opening one. The wrapper is greedy and walks
//! the text once, remembering the last break opportunity instead of re-measuring, because
//! posts hold 3000-character paragraphs with no spaces and, now and then, a 1 MB "word".
//!
//! The invariant callers rely on is that no line is wider than its width, for every width
//! of at least one column. At width 1 a two-column grapheme cannot fit anywhere, so it is
//! drawn as `…` (one column) instead; this is the only place text is ever replaced.
//! Terminals set up for CJK draw East Asian Ambiguous characters two columns wide;
//! [`AmbiguousWidth`] makes every width here count them so.

use std::borrow::Cow;
use std::cell::Cell;

use unicode_linebreak::{BreakOpportunity, linebreaks};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::cells;
use super::style::{Span, Style};

/// Stands in for a grapheme too wide for any line (a two-column one at width 1); `…`
/// is itself ambiguous, so where that counts two a `~` stands in.
fn placeholder() -> &'static str {
    if ambiguous_is_wide() { "~" } else { "…" }
}

thread_local! {
    /// Whether East Asian Ambiguous characters count two columns on this thread: see
    /// [`AmbiguousWidth`].
    static AMBIGUOUS_WIDE: Cell<bool> = const { Cell::new(false) };
}

/// How wide the terminal draws East Asian Ambiguous characters (`“ ” … — ·`, box
/// drawing, Greek and Cyrillic letters): one column in most terminals, two in those set
/// up for CJK, where lines measured at one would overflow.
///
/// While a value of this type is alive, the width functions of this module (and so all
/// of layout) on this thread count them as it says; dropping it restores what was there
/// before. Layout sets it from [`LayoutOptions::ambiguous_width`] for each piece of
/// work it does, on whichever thread does it, so two layouts at different settings can
/// run side by side. A thread-wide setting rather than a parameter, because every width
/// measured anywhere in a layout depends on it.
///
/// [`LayoutOptions::ambiguous_width`]: super::LayoutOptions::ambiguous_width
pub struct AmbiguousWidth {
    previous: bool,
}

impl AmbiguousWidth {
    /// Counts ambiguous characters as `columns` wide (2; anything else is 1) until the
    /// value is dropped.
    pub fn set(columns: u8) -> AmbiguousWidth {
        let previous = AMBIGUOUS_WIDE.with(|wide| wide.replace(columns == 2));
        AmbiguousWidth { previous }
    }
}

impl Drop for AmbiguousWidth {
    fn drop(&mut self) {
        AMBIGUOUS_WIDE.with(|wide| wide.set(self.previous));
    }
}

/// Whether ambiguous characters count two columns here and now.
pub fn ambiguous_is_wide() -> bool {
    AMBIGUOUS_WIDE.with(Cell::get)
}

/// Columns of one character, ambiguous ones as [`AmbiguousWidth`] says; `None` for
/// controls.
pub fn char_width(c: char) -> Option<usize> {
    if ambiguous_is_wide() {
        c.width_cjk()
    } else {
        c.width()
    }
}

/// Display width of a string in terminal columns (unicode-width; control chars count 0;
/// ambiguous characters as [`AmbiguousWidth`] says).
pub fn display_width(s: &str) -> usize {
    // Most text is ASCII: one column per printable byte, no tables needed.
    if s.is_ascii() {
        return s.bytes().filter(|b| !b.is_ascii_control()).count();
    }
    // unicode-width gives controls a column inside strings; they never reach the screen
    // as themselves (sanitize turns them into one-column pictures first).
    if ambiguous_is_wide() {
        s.split(char::is_control)
            .map(UnicodeWidthStr::width_cjk)
            .sum()
    } else {
        s.split(char::is_control).map(UnicodeWidthStr::width).sum()
    }
}

/// Wraps one paragraph of styled spans into lines of at most `width` columns (0 counts as
/// 1). A span whose text is exactly `"\n"` is a hard break. Whitespace where the text
/// wraps is dropped; leading whitespace of the paragraph or after a hard break is kept as
/// an indent (as `　　` opens a Chinese paragraph) when the first grapheme fits after it.
/// A paragraph always yields at least one line, empty for empty or blank input.
pub fn wrap_spans(spans: &[Span], width: usize) -> Vec<Vec<Span>> {
    wrap_spans_with(spans, width, width)
}

/// [`wrap_spans`] where the first line has room for `first_width` columns and the others
/// for `rest_width`, as after a list marker.
pub fn wrap_spans_with(spans: &[Span], first_width: usize, rest_width: usize) -> Vec<Vec<Span>> {
    if let Some(line) = fits_on_one_line(spans, first_width.max(1)) {
        return vec![line];
    }
    let mut runs = Vec::with_capacity(spans.len());
    let mut end = 0;
    for span in spans.iter().filter(|s| !s.text.is_empty()) {
        end += span.text.len();
        runs.push(Run {
            end,
            style: span.style,
        });
    }
    // One span (a table cell, a plain paragraph) is wrapped where it lies.
    let only = (runs.len() == 1).then(|| spans.iter().find(|s| !s.text.is_empty()));
    if let Some(span) = only.flatten()
        && let Some(lines) = wrap_plain_words(&span.text, first_width.max(1), rest_width.max(1))
    {
        let line = |text: &str| {
            vec![Span {
                text: text.into(),
                style: span.style,
            }]
        };
        return lines.into_iter().map(line).collect();
    }
    let text: Cow<str> = match only.flatten() {
        Some(span) => Cow::Borrowed(span.text.as_str()),
        None => Cow::Owned(spans.iter().map(|s| s.text.as_str()).collect()),
    };
    wrap_full(&text, runs, first_width, rest_width)
}

/// The wrapper proper, over the spans' text joined and where each span ends.
fn wrap_full(text: &str, runs: Vec<Run>, first_width: usize, rest_width: usize) -> Vec<Vec<Span>> {
    let mut wrapper = Wrapper {
        text,
        runs,
        snap: 0,
        emit_run: 0,
        first: first_width.max(1),
        rest: rest_width.max(1),
        lines: Vec::new(),
    };
    wrapper.run();
    let mut lines = wrapper.lines;
    if lines.is_empty() {
        lines.push(Vec::new());
    }
    lines
}

/// The lines of text made only of ASCII letters and digits in words parted by single
/// spaces (no space at either end), or `None` for any other text. There UAX #14 allows a
/// break only after a space, kinsoku has nothing to hold together and every character
/// is one column, so filling each line with whole words, and cutting a word longer than
/// a line into line-long pieces, is what [`wrap_full`] does: a test holds the two equal.
/// A table of short English cells is mostly this.
fn wrap_plain_words(text: &str, first: usize, rest: usize) -> Option<Vec<&str>> {
    let bytes = text.as_bytes();
    let plain = bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b' ');
    if !plain || bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') || text.contains("  ")
    {
        return None;
    }
    let mut lines = Vec::new();
    let mut avail = first;
    // The open line, as a byte range of `text` (one byte is one column here).
    let mut start = 0;
    let mut end = 0;
    let mut next = 0;
    for word in text.split(' ') {
        let at = next;
        next = at + word.len() + 1;
        if end > start && end - start + 1 + word.len() <= avail {
            end = at + word.len();
            continue;
        }
        if end > start {
            lines.push(&text[start..end]);
            avail = rest;
        }
        // The word starts a line, cut into line-long pieces while it is longer.
        let mut from = at;
        while at + word.len() - from > avail {
            lines.push(&text[from..from + avail]);
            from += avail;
            avail = rest;
        }
        start = from;
        end = at + word.len();
    }
    if end > start {
        lines.push(&text[start..end]);
    }
    Some(lines)
}

/// Cuts a code line into pieces of at most `width` columns (0 counts as 1) by grapheme,
/// keeping every space. Pieces are non-empty, except that an empty line gives one empty
/// piece so it still takes a row. Wide graphemes are never split; at width 1 they become
/// `…`, as in [`wrap_spans`].
pub fn chop(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0;
    for (_, g) in cells::graphemes(s) {
        for (piece, w) in units(g, cells::grapheme_width(g), width) {
            if cur_w + w > width && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
                cur_w = 0;
            }
            if w > width {
                out.push(placeholder().to_string());
            } else {
                cur.push_str(piece);
                cur_w += w;
            }
        }
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

/// How a grapheme is placed: whole, unless it is wider than a line. A cluster of one or
/// two columns is one glyph and stays whole (becoming the placeholder if it cannot fit).
/// Wider clusters exist (Indic conjunct chains, runs of Hangul jamo) and are cut between
/// their glyphs, each glyph keeping its zero-width marks, since nothing else would fit.
fn units(g: &str, gw: usize, limit: usize) -> Vec<(&str, usize)> {
    if gw <= limit || gw <= 2 {
        return vec![(g, gw)];
    }
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in g.char_indices().skip(1) {
        if char_width(c).unwrap_or(0) > 0 {
            if let Some(piece) = g.get(start..i) {
                out.push((piece, display_width(piece)));
            }
            start = i;
        }
    }
    if let Some(piece) = g.get(start..) {
        out.push((piece, display_width(piece)));
    }
    out
}

/// Opening marks a line must not end with: `（「『【〈《〔［｛“‘([{`.
pub(super) fn opens(c: char) -> bool {
    matches!(
        c,
        '（' | '「'
            | '『'
            | '【'
            | '〈'
            | '《'
            | '〔'
            | '［'
            | '｛'
            | '“'
            | '‘'
            | '('
            | '['
            | '{'
    )
}

/// Closing and middle marks a line must not start with:
/// `，。、；：？！）」』】〉》〕］｝．…‥⋯—·・”’,.;:!?)]}`.
pub(super) fn closes(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '」'
            | '』'
            | '】'
            | '〉'
            | '》'
            | '〕'
            | '］'
            | '｝'
            | '．'
            | '…'
            | '‥'
            | '⋯'
            | '—'
            | '·'
            | '・'
            | '”'
            | '’'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
    )
}

#[derive(Debug, Clone, Copy)]
struct Opportunity {
    pos: usize,
    mandatory: bool,
}

/// UAX #14 break opportunities, less those kinsoku forbids. UAX #14 already keeps most
/// closing marks with what precedes them; it still allows a break before `—` and `·`, and
/// after an opening quote followed by a space, which is what the filter catches. The
/// end of the text is left out: the last line is flushed anyway.
fn opportunities(text: &str) -> Vec<Opportunity> {
    // The last visible char before each opportunity, tracked forwards: looking back from
    // every opportunity would be quadratic in a run of breakable spaces or newlines.
    let mut scanned = 0;
    let mut prev: Option<char> = None;
    let mut out = Vec::new();
    for (pos, kind) in linebreaks(text).filter(|&(pos, _)| pos < text.len()) {
        if let Some(gap) = text.get(scanned..pos) {
            if let Some(c) = gap.chars().rev().find(|c| !c.is_whitespace()) {
                prev = Some(c);
            }
            scanned = pos;
        }
        let mandatory = kind == BreakOpportunity::Mandatory;
        let next = text.get(pos..).and_then(|s| s.chars().next());
        let forbidden = next.is_some_and(closes) || prev.is_some_and(opens);
        if mandatory || !forbidden {
            out.push(Opportunity { pos, mandatory });
        }
    }
    out
}

/// Where a span of the concatenated text ends, and its style.
#[derive(Debug, Clone, Copy)]
struct Run {
    end: usize,
    style: Style,
}

/// A place the open line could end: the line would keep text up to `vis_end` and the next
/// would start at `pos`, with `width` columns of this line used before it.
#[derive(Debug, Clone, Copy)]
struct Mark {
    pos: usize,
    vis_end: usize,
    width: usize,
}

/// The line being filled. `width` counts the whitespace after the last visible grapheme,
/// which is dropped if the line ends there and kept if more text follows.
#[derive(Debug, Clone, Copy, Default)]
struct Open {
    start: Option<usize>,
    vis_end: usize,
    vis_w: usize,
    width: usize,
    mark: Option<Mark>,
    /// An opportunity was passed since the last visible grapheme. It is marked at the next
    /// visible one, so that a line never starts with whitespace carried over.
    can_break: bool,
    /// The line starts the paragraph or follows a hard break, so leading whitespace is
    /// the author's indent rather than the remains of a wrap.
    fresh: bool,
    /// Start and width of that indent, until the first visible grapheme.
    indent: Option<(usize, usize)>,
}

impl Open {
    fn fresh() -> Self {
        Open {
            fresh: true,
            ..Open::default()
        }
    }
}

struct Wrapper<'a> {
    text: &'a str,
    runs: Vec<Run>,
    /// First run that may still end inside a grapheme not yet seen.
    snap: usize,
    /// First run that may still hold text not yet emitted.
    emit_run: usize,
    first: usize,
    rest: usize,
    lines: Vec<Vec<Span>>,
}

impl Wrapper<'_> {
    fn avail(&self) -> usize {
        if self.lines.is_empty() {
            self.first
        } else {
            self.rest
        }
    }

    fn run(&mut self) {
        let text = self.text;
        let ops = opportunities(text);
        let mut op = 0;
        let mut base = 0;
        let mut graphemes = cells::graphemes(text);
        let mut line = Open::fresh();
        while let Some((rel, g)) = graphemes.next() {
            let gs = base + rel;
            let ge = gs + g.len();
            self.snap_runs(gs, ge);
            while ops.get(op).is_some_and(|o| o.pos < gs) {
                op += 1;
            }
            if let Some(o) = ops.get(op).filter(|o| o.pos == gs) {
                if o.mandatory {
                    // Two hard breaks in a row do make an empty line: the author asked.
                    self.emit_open(&line);
                    line = Open::fresh();
                } else if line.start.is_some() {
                    line.can_break = true;
                }
            }
            let gw = cells::grapheme_width(g);
            if g.chars().all(char::is_whitespace) {
                // Interior whitespace is held pending; leading whitespace is dropped
                // unless it is an indent.
                if line.start.is_some() {
                    line.width += gw;
                } else if line.fresh {
                    let (at, w) = line.indent.get_or_insert((gs, 0));
                    *w += gw;
                    let _ = at;
                }
                continue;
            }
            if let Some((at, w)) = line.indent.take()
                && line.start.is_none()
                && w + gw <= self.avail()
            {
                line.start = Some(at);
                line.width = w;
            }
            if std::mem::take(&mut line.can_break) {
                line.mark = Some(Mark {
                    pos: gs,
                    vis_end: line.vis_end,
                    width: line.width,
                });
            }
            loop {
                if line.width + gw <= self.avail() {
                    line.start.get_or_insert(gs);
                    line.width += gw;
                    line.vis_end = ge;
                    line.vis_w = line.width;
                    break;
                }
                if let (Some(start), Some(m)) = (line.start, line.mark) {
                    // Back up to the last opportunity; what followed it carries over,
                    // already measured.
                    self.emit(start, m.vis_end);
                    line = if line.vis_end > m.pos {
                        Open {
                            start: Some(m.pos),
                            vis_end: line.vis_end,
                            vis_w: line.vis_w - m.width,
                            width: line.width - m.width,
                            ..Open::default()
                        }
                    } else {
                        Open::default()
                    };
                    if line.vis_w > self.avail() {
                        // Only when later lines are narrower than the first: walk the
                        // carried text again at the new width. It contains no opportunity,
                        // so this happens at most once per line and stays linear.
                        base = m.pos;
                        graphemes = cells::graphemes(text.get(m.pos..).unwrap_or(""));
                        op = ops.partition_point(|o| o.pos < m.pos);
                        line = Open::default();
                        break;
                    }
                    continue;
                }
                if line.start.is_some() {
                    // No opportunity on this line: break anyway, between graphemes.
                    self.emit_open(&line);
                    line = Open::default();
                    continue;
                }
                self.place_oversized(g, gs, gw, &mut line);
                break;
            }
        }
        if line.start.is_some() {
            self.emit_open(&line);
        }
    }

    /// Places a grapheme that does not fit even on an empty line.
    fn place_oversized(&mut self, g: &str, gs: usize, gw: usize, line: &mut Open) {
        let mut at = gs;
        for (piece, w) in units(g, gw, self.avail()) {
            if line.start.is_some() && line.width + w > self.avail() {
                self.emit_open(line);
                *line = Open::default();
            }
            if w > self.avail() {
                self.emit_placeholder(at);
            } else {
                line.start.get_or_insert(at);
                line.width += w;
                line.vis_end = at + piece.len();
                line.vis_w = line.width;
            }
            at += piece.len();
        }
    }

    /// Gives a grapheme cut by a style change the style of its start: a terminal cell
    /// has one style, and splitting would also let the pieces measure wider than the whole.
    fn snap_runs(&mut self, gs: usize, ge: usize) {
        while self.runs.get(self.snap).is_some_and(|r| r.end <= gs) {
            self.snap += 1;
        }
        let mut k = self.snap;
        while let Some(run) = self.runs.get_mut(k).filter(|r| r.end < ge) {
            run.end = ge;
            k += 1;
        }
    }

    fn emit_open(&mut self, line: &Open) {
        match line.start {
            Some(start) => self.emit(start, line.vis_end),
            None => self.lines.push(Vec::new()),
        }
    }

    /// Emits `text[start..end]` as a line, split at style changes. Lines are emitted in
    /// text order, so the run cursor only moves forward.
    fn emit(&mut self, start: usize, end: usize) {
        while self.runs.get(self.emit_run).is_some_and(|r| r.end <= start) {
            self.emit_run += 1;
        }
        let mut spans: Vec<Span> = Vec::new();
        let mut pos = start;
        for run in self.runs.iter().skip(self.emit_run) {
            if pos >= end {
                break;
            }
            let stop = run.end.min(end);
            if let Some(piece) = self.text.get(pos..stop).filter(|p| !p.is_empty()) {
                push_merged(&mut spans, piece, run.style);
                pos = stop;
            }
        }
        self.lines.push(spans);
    }

    fn emit_placeholder(&mut self, at: usize) {
        while self.runs.get(self.emit_run).is_some_and(|r| r.end <= at) {
            self.emit_run += 1;
        }
        let style = self
            .runs
            .get(self.emit_run)
            .map(|r| r.style)
            .unwrap_or_default();
        self.lines.push(vec![Span {
            text: placeholder().into(),
            style,
        }]);
    }
}

/// [`wrap_spans`] for spans the caller owns and whose display width (`natural`) is
/// known, each line with its width: a table cell that fits its column as it is is that
/// line, neither copied nor measured again.
pub fn wrap_measured(spans: Vec<Span>, natural: usize, width: usize) -> Vec<(Vec<Span>, usize)> {
    if natural <= width.max(1) && merged(&spans) && one_line_as_is(&spans) {
        return vec![(spans, natural)];
    }
    wrap_spans(&spans, width)
        .into_iter()
        .map(|line| {
            let used = line.iter().map(|s| display_width(&s.text)).sum();
            (line, used)
        })
        .collect()
}

/// Whether no two neighbouring spans share a style and none is empty: what wrapping
/// would make of them anyway.
fn merged(spans: &[Span]) -> bool {
    spans.windows(2).all(|pair| pair[0].style != pair[1].style)
        && spans.iter().all(|s| !s.text.is_empty())
}

/// The common case, decided without line breaking: a paragraph that fits the first line
/// as it is, with no break inside and no whitespace at either end to trim or keep.
fn fits_on_one_line(spans: &[Span], width: usize) -> Option<Vec<Span>> {
    if !fits_as_is(spans, width) {
        return None;
    }
    let mut line = Vec::with_capacity(spans.len());
    for span in spans.iter().filter(|s| !s.text.is_empty()) {
        push_merged(&mut line, &span.text, span.style);
    }
    Some(line)
}

fn fits_as_is(spans: &[Span], width: usize) -> bool {
    if !one_line_as_is(spans) {
        return false;
    }
    let mut used = 0;
    for span in spans {
        used += display_width(&span.text);
        if used > width {
            return false;
        }
    }
    true
}

/// Whether spans make one line as they are, width aside: no break inside and no
/// whitespace at either end to trim or keep.
fn one_line_as_is(spans: &[Span]) -> bool {
    // Controls and the line and paragraph separators are below U+0020, U+007F or
    // start with byte C2 or E2: only text with one of those is looked at closely.
    let suspect = |text: &str| {
        text.bytes()
            .any(|b| b < 0x20 || matches!(b, 0x7f | 0xc2 | 0xe2))
    };
    let breaks = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if spans
        .iter()
        .any(|span| suspect(&span.text) && span.text.chars().any(breaks))
    {
        return false;
    }
    let (Some(first), Some(last)) = (
        spans.iter().find(|s| !s.text.is_empty()),
        spans.iter().rev().find(|s| !s.text.is_empty()),
    ) else {
        return false;
    };
    let starts_blank = first.text.chars().next().is_some_and(char::is_whitespace);
    let ends_blank = last
        .text
        .chars()
        .next_back()
        .is_some_and(char::is_whitespace);
    !starts_blank && !ends_blank
}

fn push_merged(spans: &mut Vec<Span>, text: &str, style: Style) {
    match spans.last_mut() {
        Some(last) if last.style == style => last.text.push_str(text),
        _ => spans.push(Span {
            text: text.into(),
            style,
        }),
    }
}

#[cfg(test)]
mod tests;
