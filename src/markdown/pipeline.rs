//! Print mode's way through a post (and, in [`super::in_pieces`], the reader's through
//! a long one): parsed and laid out on all cores, a group of pieces at a time, to the
//! same text as laying the whole out.
//!
//! Parsing a long post whole keeps one core busy while the other waits, and holds the
//! whole document model in memory before the first line is laid out. Instead the body
//! is cut where pieces parse on their own to the same blocks ([`pieces`]); a group of
//! pieces is parsed in parallel, its links are numbered on this thread (numbers follow
//! reading order, so they need what came before), then its blocks are laid out and
//! rendered to text in parallel while the next group is parsed. A group's document and
//! lines are freed once its text is made, so a long post's document model is never
//! whole in memory. The header card needs the reading time of the whole, so it is made
//! last and put in front; except for a long post, which is written out as it goes
//! behind a card with an estimated reading time ([`print_document`]), so that its
//! first screen comes at once and its text is never whole in memory either.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::assemble::{estimated_minutes, head, layout, number_references, tail};
use super::card::{block_counts, minutes_for};
use super::inline::Links;
use super::layout::{Chunk, Ctx, LayoutOptions, layout_block};
use super::model::{Block, Footnote};
use super::parse::{parse, parse_expanded};
use super::pieces::pieces;
use super::shortcode;
use super::style::Line;

/// Pieces are cut at the first block boundary past this size: big enough that a piece
/// is worth a task, small enough that a long post gives many.
pub const PIECE_BYTES: usize = 64 * 1024;
/// Pieces parsed together before their blocks are laid out: enough to keep the cores
/// busy, few enough that little of the document is held at once.
pub(super) const GROUP: usize = 8;

/// Turns lines into output text, appending to the string (print mode's SGR or plain
/// text); called from several threads at once.
pub type Render<'a> = dyn Fn(&[Line], &mut String) + Sync + 'a;

/// A post rendered for print, in the order it is written out: kept in three parts
/// because the card is made last, and copying megabytes of text behind it would cost
/// more than the three writes.
#[derive(Debug, Default)]
pub struct Rendered {
    pub head: String,
    pub body: String,
    pub tail: String,
}

impl Rendered {
    pub fn parts(&self) -> [&str; 3] {
        [&self.head, &self.body, &self.tail]
    }

    /// The whole text in one string.
    pub fn concat(&self) -> String {
        self.parts().concat()
    }
}

/// The whole body laid out with `opts` and rendered by `render`: the same text as
/// rendering [`super::layout_in_order`]'s lines, made on all cores.
pub fn render_document(body: &str, opts: &LayoutOptions, render: &Render) -> Rendered {
    render_in_pieces(body, opts, render, PIECE_BYTES)
}

/// [`render_document`] with pieces of at least `piece_bytes`: tests cut short bodies
/// into many pieces to check the result does not depend on where the cuts fall.
#[doc(hidden)]
pub fn render_in_pieces(
    body: &str,
    opts: &LayoutOptions,
    render: &Render,
    piece_bytes: usize,
) -> Rendered {
    let mut rendered = Rendered::default();
    let collected = run(body, opts, render, piece_bytes, None, &mut |part, text| {
        match part {
            Part::Head => rendered.head.push_str(text),
            Part::Body => rendered.body.push_str(text),
            Part::Tail => rendered.tail.push_str(text),
        }
        Ok(())
    });
    // Collecting into strings cannot fail.
    debug_assert!(collected.is_ok());
    rendered
}

/// Bodies longer than this are written as they are laid out, behind a card with an
/// estimated reading time (as the reader shows a long post), so the first screen comes
/// at once (`folio print big.md | head`) and the text is never whole in memory.
pub const STREAM_BYTES: usize = 2 << 20;

/// The post written to `out` as [`render_document`] renders it; a body past
/// [`STREAM_BYTES`] is written as it goes, its card's reading time an estimate.
pub fn print_document(
    body: &str,
    opts: &LayoutOptions,
    render: &Render,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    if body.len() <= STREAM_BYTES {
        let rendered = render_document(body, opts, render);
        return rendered
            .parts()
            .iter()
            .try_for_each(|part| out.write_all(part.as_bytes()));
    }
    print_streaming(body, opts, render, PIECE_BYTES, out)
}

/// [`print_document`]'s way for a long body, with pieces of at least `piece_bytes`.
#[doc(hidden)]
pub fn print_streaming(
    body: &str,
    opts: &LayoutOptions,
    render: &Render,
    piece_bytes: usize,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let estimate = estimated_minutes(body);
    run(
        body,
        opts,
        render,
        piece_bytes,
        Some(estimate),
        &mut |_, text| out.write_all(text.as_bytes()),
    )
}

/// Which of the three parts of a printed post some text is.
#[derive(Debug, Clone, Copy)]
enum Part {
    Head,
    Body,
    Tail,
}

/// Where the pipeline's text goes as it is made.
type Emit<'a> = dyn FnMut(Part, &str) -> std::io::Result<()> + 'a;

/// The pipeline: the body's text is handed to `emit` a group at a time, then the
/// footnotes. With an `estimate` of the reading time the card is handed on first (the
/// parts then come in the order they are written); without, it comes after the body,
/// its reading time counted.
fn run(
    body: &str,
    opts: &LayoutOptions,
    render: &Render,
    piece_bytes: usize,
    estimate: Option<usize>,
    emit: &mut Emit,
) -> std::io::Result<()> {
    let width = opts.width.max(1);
    let prepared = shortcode::expand(body);
    // Whether the card (or anything) comes before the first block, which then gets a
    // blank line: the card's size depends on the reading time, but not whether it shows.
    let lead = !head(opts, || 1, None).lines.is_empty();
    let mut blank = String::new();
    render(&blank_line(), &mut blank);
    if let Some(minutes) = estimate {
        let opts = LayoutOptions {
            estimated_minutes: Some(minutes),
            ..opts.clone()
        };
        let mut text = String::new();
        render(&head(&opts, || minutes, None).lines, &mut text);
        emit(Part::Head, &text)?;
    }

    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut footnotes: Vec<Footnote> = Vec::new();
    let mut rows = 0usize;
    let mut counts = (0, 0);
    let pieces = with_lines(&pieces(&prepared, piece_bytes));
    let groups: Vec<&[(&str, usize)]> = pieces.chunks(GROUP).collect();
    // The pool parses the next group while it lays out this one, so neither phase
    // waits for the slowest task of the other.
    let mut next = groups.first().map(|group| parse_group(group));
    for i in 0..groups.len() {
        let Some(Some(Parsed {
            blocks,
            footnotes: notes,
            ..
        })) = next.take()
        else {
            // The parser panicked on some piece: what is left is shown the way a
            // failed parse always is (all of it, when nothing was handed on yet).
            return if rows == 0 && estimate.is_none() {
                emit(Part::Body, &render_whole(body, opts, render))
            } else {
                let rest: String = groups
                    .get(i..)
                    .unwrap_or_default()
                    .iter()
                    .flat_map(|group| group.iter().map(|&(piece, _)| piece))
                    .collect();
                let opts = LayoutOptions {
                    meta: None,
                    ..opts.clone()
                };
                emit(Part::Body, &blank)?;
                emit(Part::Body, &render_whole(&rest, &opts, render))
            };
        };
        footnotes.extend(notes);
        let links = number_links(&blocks, &mut numbers, opts.numbered_links);
        let (laid, parsed) = rayon::join(
            || lay_out_group(blocks, &links, opts, render),
            || groups.get(i + 1).map(|g| parse_group(g)),
        );
        next = parsed;
        let mut text = String::with_capacity(laid.iter().map(|b| b.text.len() + blank.len()).sum());
        for block in laid {
            if lead || rows > 0 {
                text.push_str(&blank);
                rows += 1;
            }
            text.push_str(&block.text);
            rows += block.rows;
            counts.0 += block.counts.0;
            counts.1 += block.counts.1;
        }
        emit(Part::Body, &text)?;
    }

    // Footnotes are numbered after the blocks, as layout meets them.
    let note_blocks = footnotes.iter().flat_map(|note| &note.blocks);
    let links = number_links(note_blocks, &mut numbers, opts.numbered_links);
    let mut ctx = Ctx::new(links.fresh(), opts);
    let numbers = opts.numbered_links.then_some(&numbers);
    let tail = tail(&footnotes, numbers, &mut ctx, width);
    drop(ctx);
    if estimate.is_none() {
        let mut text = String::new();
        render(&head(opts, || minutes_for(counts), None).lines, &mut text);
        emit(Part::Head, &text)?;
    }
    let mut text = String::new();
    render(&tail.lines, &mut text);
    emit(Part::Tail, &text)
}

/// A group of pieces parsed: its top-level blocks, the line of the expanded body each
/// starts on, and its footnotes.
pub(super) struct Parsed {
    pub blocks: Vec<Block>,
    pub lines: Vec<usize>,
    pub footnotes: Vec<Footnote>,
}

/// The pieces of a group, each with the line of the expanded body it starts on,
/// parsed in parallel; `None` when the parser panicked on one.
pub(super) fn parse_group(group: &[(&str, usize)]) -> Option<Parsed> {
    let parsed: Option<Vec<_>> = group
        .par_iter()
        .map(|&(piece, line)| Some((parse_expanded(piece)?, line)))
        .collect();
    let mut out = Parsed {
        blocks: Vec::new(),
        lines: Vec::new(),
        footnotes: Vec::new(),
    };
    for (doc, first) in parsed? {
        let count = doc.blocks.len();
        out.lines
            .extend((0..count).map(|i| first + doc.block_lines.get(i).copied().unwrap_or(0)));
        out.blocks.extend(doc.blocks);
        out.footnotes.extend(doc.footnotes);
    }
    Some(out)
}

/// The pieces of `text` (cut at line starts), each with the line it starts on.
fn with_lines<'a>(pieces: &[&'a str]) -> Vec<(&'a str, usize)> {
    let mut line = 0;
    pieces
        .iter()
        .map(|&piece| {
            let at = line;
            line += memchr::memchr_iter(b'\n', piece.as_bytes()).count();
            (piece, at)
        })
        .collect()
}

/// A top-level block as print writes it.
struct LaidBlock {
    text: String,
    rows: usize,
    /// CJK characters and words, for the reading time.
    counts: (usize, usize),
}

/// A group's blocks laid out and rendered in parallel, in order; each block is freed
/// once its text is made.
fn lay_out_group(
    blocks: Vec<Block>,
    links: &GroupLinks,
    opts: &LayoutOptions,
    render: &Render,
) -> Vec<LaidBlock> {
    let width = opts.width.max(1);
    blocks
        .into_par_iter()
        .map(|block| {
            let mut ctx = Ctx::new(links.fresh(), opts);
            let chunk = layout_block(&block, width, &mut ctx);
            // Room for the plain text and a newline per line: most blocks then render
            // without growing their string.
            let plain: usize = chunk
                .lines
                .iter()
                .flat_map(|l| &l.spans)
                .map(|s| s.text.len())
                .sum();
            let mut text = String::with_capacity(plain + chunk.lines.len());
            render(&chunk.lines, &mut text);
            LaidBlock {
                text,
                rows: chunk.lines.len(),
                counts: block_counts(&block),
            }
        })
        .collect()
}

/// The reference numbers of a group's links, given in reading order after those of
/// the groups before.
pub(super) fn number_links<'b>(
    blocks: impl IntoIterator<Item = &'b Block>,
    numbers: &mut HashMap<String, usize>,
    numbering: bool,
) -> GroupLinks {
    if !numbering {
        return GroupLinks(None);
    }
    let mut mine = HashMap::new();
    number_references(blocks, numbers, |url, number| {
        mine.insert(url.to_string(), number);
    });
    GroupLinks(Some(Arc::new(mine)))
}

/// The link numbers one group's blocks print.
pub(super) struct GroupLinks(Option<Arc<HashMap<String, usize>>>);

impl GroupLinks {
    pub(super) fn fresh(&self) -> Links {
        match &self.0 {
            Some(numbers) => Links::with_numbers(Arc::clone(numbers)),
            None => Links::new(false),
        }
    }
}

fn blank_line() -> Vec<Line> {
    let mut chunk = Chunk::default();
    chunk.blank();
    chunk.lines
}

/// The slow, sure way: the body parsed whole (a failed parse becomes plain text with a
/// warning) and laid out in order.
fn render_whole(body: &str, opts: &LayoutOptions, render: &Render) -> String {
    let mut text = String::new();
    render(&layout(&parse(body), opts).lines.to_vec(), &mut text);
    text
}
