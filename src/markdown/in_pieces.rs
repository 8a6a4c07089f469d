//! The reader's layout of a long body, a group of pieces at a time: the same [`Laid`]
//! as [`layout`](super::layout) of the whole document, made the way print mode writes
//! a long post ([`super::pipeline`]) so that neither the whole document model nor the
//! whole layout as [`Line`](super::Line)s is ever in memory (a 60 MB post's model alone
//! is some 250 MB). A group of pieces is parsed while the one before it is laid out,
//! a batch of blocks at a time, into the packed line store; each group's document is
//! dropped once its lines are stored.
//!
//! The body itself goes the same way when it is given ([`layout_owned_in_pieces`], as
//! the reader gives it): what has been laid out is let go whenever it is half of the
//! text still held, so the text shrinks as the layout grows, and at the end only the
//! layout is left. Halving moves each byte about once in all, and the text held is
//! never twice what is left to lay out.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use super::assemble::{BATCH, Collect, TopBlock, head, tail};
use super::card::{block_counts, minutes_for};
use super::layout::{Ctx, Laid, LayoutOptions, layout_block};
use super::model::{Block, Footnote};
use super::parse::{PARSE_FAILED, parse_expanded, plain_fallback, renumber_anchors};
use super::pieces::pieces;
use super::pipeline::{GROUP, Parsed, number_links, parse_group};
use super::shortcode::{self, LineMap};

/// [`layout_owned_in_pieces`] of a body that is only lent: the same layout, the body
/// kept whole throughout. `None` when `keep_going` says to stop (checked between
/// groups).
pub fn layout_in_pieces(
    body: &str,
    opts: &LayoutOptions,
    piece_bytes: usize,
    keep_going: &(dyn Fn() -> bool + Sync),
) -> Option<Laid> {
    lay_out(Cow::Borrowed(body), opts, piece_bytes, keep_going)
}

/// A long body laid out for the reader in pieces of at least `piece_bytes`, its text
/// let go as it is laid out; `None` when `keep_going` says to stop (checked between
/// groups).
pub fn layout_owned_in_pieces(
    body: String,
    opts: &LayoutOptions,
    piece_bytes: usize,
    keep_going: &(dyn Fn() -> bool + Sync),
) -> Option<Laid> {
    lay_out(Cow::Owned(body), opts, piece_bytes, keep_going)
}

/// Where a piece is in the expanded body, and the line it starts on there.
struct PieceAt {
    start: usize,
    end: usize,
    line: usize,
}

/// The expanded body as far as it is still needed. Offsets are in the whole expanded
/// body; `base` of them have been let go (an owned body only).
struct Window<'a> {
    text: Cow<'a, str>,
    base: usize,
}

impl Window<'_> {
    fn get(&self, from: usize, to: usize) -> &str {
        self.text
            .get(from.saturating_sub(self.base)..to.saturating_sub(self.base))
            .unwrap_or_default()
    }

    /// The text before `offset` (a piece boundary) is laid out: let go of it once it
    /// is half of what is held.
    fn release_to(&mut self, offset: usize) {
        let Cow::Owned(text) = &mut self.text else {
            return;
        };
        let done = offset.saturating_sub(self.base);
        if done == 0 || done * 2 < text.len() {
            return;
        }
        *text = text.get(done..).unwrap_or_default().to_string();
        self.base = offset;
    }
}

/// The body with its shortcodes rewritten, owned when the body was, and the map from
/// its lines back to the body's.
fn expanded(body: Cow<'_, str>) -> (Cow<'_, str>, LineMap) {
    match body {
        Cow::Borrowed(body) => shortcode::expand_mapped(body),
        Cow::Owned(body) => {
            let (text, map) = shortcode::expand_mapped(&body);
            let rewritten = match text {
                Cow::Owned(text) => Some(text),
                Cow::Borrowed(_) => None,
            };
            // The body is let go at once when expansion made a new text of it.
            (Cow::Owned(rewritten.unwrap_or(body)), map)
        }
    }
}

/// What lays the blocks out, group after group, into one [`Laid`].
struct Layout<'o> {
    opts: &'o LayoutOptions,
    map: LineMap,
    sink: Collect,
    numbers: HashMap<String, usize>,
    footnotes: Vec<Footnote>,
    counts: (usize, usize),
}

impl Layout<'_> {
    /// Lays out `blocks`, starting on `lines` of the expanded body, in batches.
    fn blocks(&mut self, blocks: &[Block], lines: &[usize]) {
        let links = number_links(blocks, &mut self.numbers, self.opts.numbered_links);
        let width = self.opts.width.max(1);
        let (opts, map) = (self.opts, &self.map);
        for (batch, lines) in blocks.chunks(BATCH).zip(lines.chunks(BATCH)) {
            let laid: Vec<(TopBlock, (usize, usize))> = batch
                .par_iter()
                .zip(lines)
                .map(|(block, &line)| {
                    let mut ctx = Ctx::new(links.fresh(), opts);
                    let chunk = layout_block(block, width, &mut ctx);
                    let top = TopBlock::new(block, map.source_line(line), chunk, ctx.links);
                    (top, block_counts(block))
                })
                .collect();
            for (top, (cjk, words)) in laid {
                self.counts.0 += cjk;
                self.counts.1 += words;
                self.sink.take_block(top);
            }
        }
    }

    /// The footnotes (numbered after the blocks, as layout meets them) and the card on
    /// top, whose reading time needed the whole.
    fn finish(mut self, degraded: Option<&str>) -> Laid {
        let width = self.opts.width.max(1);
        let note_blocks = self.footnotes.iter().flat_map(|note| &note.blocks);
        let links = number_links(note_blocks, &mut self.numbers, self.opts.numbered_links);
        let mut ctx = Ctx::new(links.fresh(), self.opts);
        let numbers = self.opts.numbered_links.then_some(&self.numbers);
        let tail = tail(&self.footnotes, numbers, &mut ctx, width);
        self.sink.take(tail, ctx.links);
        let counts = self.counts;
        self.sink
            .prepend_head(head(self.opts, || minutes_for(counts), degraded));
        self.sink.finish(width, false)
    }
}

fn lay_out(
    body: Cow<'_, str>,
    opts: &LayoutOptions,
    piece_bytes: usize,
    keep_going: &(dyn Fn() -> bool + Sync),
) -> Option<Laid> {
    // Pieces are parsed on their own, so their blocks' lines count from the piece's
    // start in the expanded body; the map takes them back to the file's lines.
    let (text, map) = expanded(body);
    let mut at = (0, 0);
    let places: Vec<PieceAt> = pieces(&text, piece_bytes)
        .into_iter()
        .map(|piece| {
            let (start, line) = at;
            at = (
                start + piece.len(),
                line + memchr::memchr_iter(b'\n', piece.as_bytes()).count(),
            );
            PieceAt {
                start,
                end: at.0,
                line,
            }
        })
        .collect();
    let cut = places.len() > 1;
    let groups: Vec<&[PieceAt]> = places.chunks(GROUP).collect();
    let mut window = Window { text, base: 0 };
    let mut layout = Layout {
        opts,
        map,
        sink: Collect::default(),
        numbers: HashMap::new(),
        footnotes: Vec::new(),
        counts: (0, 0),
    };
    let mut anchors = HashMap::new();
    let parse = |window: &Window, group: &[PieceAt]| {
        let pieces: Vec<(&str, usize)> = group
            .iter()
            .map(|piece| (window.get(piece.start, piece.end), piece.line))
            .collect();
        parse_group(&pieces)
    };
    let mut next = groups.first().map(|group| parse(&window, group));
    for (i, group) in groups.iter().enumerate() {
        if !keep_going() {
            return None;
        }
        let Some(Some(Parsed {
            mut blocks,
            lines,
            footnotes,
        })) = next.take()
        else {
            // The parser panicked on some piece: what is left is shown the way a
            // failed parse always is, after what is laid out already.
            let from = group.first().map_or(0, |piece| piece.start);
            let first_line = group.first().map_or(0, |piece| piece.line);
            let rest = window.get(from, usize::MAX);
            let document =
                parse_expanded(rest).unwrap_or_else(|| plain_fallback(rest, PARSE_FAILED));
            let lines: Vec<usize> = (0..document.blocks.len())
                .map(|k| first_line + document.block_lines.get(k).copied().unwrap_or(0))
                .collect();
            layout.blocks(&document.blocks, &lines);
            layout.footnotes.extend(document.footnotes);
            return Some(layout.finish(document.degraded.as_deref()));
        };
        if cut {
            renumber_anchors(&mut blocks, &mut anchors);
        }
        layout.footnotes.extend(footnotes);
        let window_now = &window;
        let ((), parsed) = rayon::join(
            || layout.blocks(&blocks, &lines),
            || groups.get(i + 1).map(|group| parse(window_now, group)),
        );
        next = parsed;
        drop(blocks);
        if let Some(end) = group.last().map(|piece| piece.end) {
            window.release_to(end);
        }
    }
    Some(layout.finish(None))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::markdown::parse::parse;

    #[test]
    fn a_layout_in_pieces_stops_at_the_next_group_once_not_wanted() {
        let body: String = (0..2000).map(|i| format!("Paragraph {i}.\n\n")).collect();
        let opts = LayoutOptions {
            width: 40,
            ..LayoutOptions::default()
        };
        assert!(pieces(&body, 64).len() > 3 * GROUP);
        let asked = AtomicUsize::new(0);
        // Wanted for the first group only.
        let keep_going = || asked.fetch_add(1, Ordering::Relaxed) == 0;
        assert!(layout_in_pieces(&body, &opts, 64, &keep_going).is_none());
        assert_eq!(asked.load(Ordering::Relaxed), 2, "asked before each group");
        let whole = layout_in_pieces(&body, &opts, 64, &|| true).expect("wanted");
        assert_eq!(whole.block_rows.len(), 2000);
    }

    /// Pieces are parsed on their own: their blocks' lines are counted on from where
    /// each piece starts, through shortcode expansion (a figure written over four
    /// lines is one, a box grows a title line), so every block knows its file line.
    #[test]
    fn a_layout_in_pieces_knows_each_block_s_line_in_the_file() {
        let body: String = (0..60)
            .map(|i| {
                format!(
                    "Paragraph {i}.\n\n{{{{< figure\n  src=\"a{i}.png\"\n  caption=\"C\"\n>}}}}\n\n\
                     {{{{< callout note \"T\" >}}}}\nboxed {i}\n{{{{< /callout >}}}}\n\n\
                     ```\ncode {i}\n```\n\n"
                )
            })
            .collect();
        let opts = LayoutOptions {
            width: 40,
            ..LayoutOptions::default()
        };
        let (expanded, _) = shortcode::expand_mapped(&body);
        assert!(pieces(&expanded, 64).len() > 2 * GROUP);
        let laid = layout_in_pieces(&body, &opts, 64, &|| true).expect("wanted");
        assert_eq!(laid.block_lines, parse(&body).block_lines);
        assert_eq!(laid.block_lines.len(), laid.block_rows.len());
        let line_of = |text: &str| body.lines().position(|l| l == text).expect("in the body");
        for i in 0..60 {
            // Paragraph, figure, box and code block: the paragraph is block 4 i.
            assert_eq!(laid.block_lines[4 * i], line_of(&format!("Paragraph {i}.")));
            assert_eq!(
                laid.block_lines[4 * i + 2],
                line_of("{{< callout note \"T\" >}}") + 15 * i
            );
            assert_eq!(
                laid.block_lines[4 * i + 3],
                line_of(&format!("code {i}")) - 1
            );
        }
    }

    /// An owned body is let go as it is laid out, by halves: less than twice what is
    /// left to lay out is held, and the layout is the one the lent body gives, with
    /// shortcodes rewritten or without.
    #[test]
    fn an_owned_body_is_let_go_by_halves_as_it_is_laid_out() {
        for boxed in [false, true] {
            let body: String = (0..3000)
                .map(|i| match (boxed, i % 10) {
                    (true, 0) => format!("{{{{< note >}}}}\nBox {i}.\n{{{{< /note >}}}}\n\n"),
                    _ => format!("## Part {i}\n\nParagraph {i} [link](https://x.test/{i}).\n\n"),
                })
                .collect();
            let opts = LayoutOptions {
                width: 40,
                ..LayoutOptions::default()
            };
            let (text, map) = expanded(Cow::Owned(body.clone()));
            assert!(matches!(text, Cow::Owned(_)));
            let total = text.len();
            let places: Vec<usize> = {
                let mut end = 0;
                pieces(&text, 256)
                    .iter()
                    .map(|p| {
                        end += p.len();
                        end
                    })
                    .collect()
            };
            drop(map);
            let mut window = Window { text, base: 0 };
            let mut lets_go = 0;
            for &end in &places {
                let held = window.text.len();
                window.release_to(end);
                if window.text.len() < held {
                    lets_go += 1;
                    assert_eq!(window.base, end);
                }
                assert_eq!(window.text.len() + window.base, total);
                assert!(window.text.len() <= 2 * (total - end), "{end} of {total}");
            }
            assert!(lets_go >= 4 && lets_go < places.len() / 4, "{lets_go}");
            let lent = layout_in_pieces(&body, &opts, 256, &|| true).expect("wanted");
            let owned = layout_owned_in_pieces(body, &opts, 256, &|| true).expect("wanted");
            assert_eq!(owned.lines.to_vec(), lent.lines.to_vec());
            assert_eq!(owned.block_lines, lent.block_lines);
            assert_eq!(owned.links, lent.links);
        }
    }
}
