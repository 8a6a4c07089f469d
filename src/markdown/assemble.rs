//! A whole document laid out for the reader: the header card, the top-level blocks, the
//! footnotes and (print mode) the link references, into one [`Laid`].
//!
//! Top-level blocks do not depend on each other, so they are laid out in parallel. Each
//! block gets its own link table, whose ids are shifted as its lines are appended, and
//! print-mode reference numbers come from a pass over the document in reading order, so
//! parallel layout gives the same lines as laying the blocks out one after another
//! ([`layout_in_order`], which the tests compare it with). The card and the tail are
//! made here for print mode too (see `pipeline`).

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::card::{self, reading_minutes};
use super::code::CodeRegion;
use super::figure::ImageRegion;
use super::glyphs::rule;
use super::inline::{Links, wants_reference};
use super::layout::{
    Chunk, Ctx, HeadingRow, Laid, LayoutOptions, LinkRow, beside, blocks, hang, layout_block,
    paragraph, span,
};
use super::line_store::LineStore;
use super::model::{Block, Document, Footnote, Inline, Part};
use super::parse::parse;
use super::pieces::head_of;
use super::sanitize::sanitize;
use super::style::{Line, Role};
use super::wrap::AmbiguousWidth;

/// Lays out the whole document.
pub fn layout(doc: &Document, opts: &LayoutOptions) -> Laid {
    let mut laid = Collect::default();
    assemble(doc, opts, Order::Parallel, &mut laid);
    laid.finish(opts.width.max(1), false)
}

/// The same lines as [`layout`], one block after another on this thread: the reference
/// the parallel layout is tested against.
pub fn layout_in_order(doc: &Document, opts: &LayoutOptions) -> Laid {
    let mut laid = Collect::default();
    assemble(doc, opts, Order::Sequential { stop_after: None }, &mut laid);
    laid.finish(opts.width.max(1), false)
}

/// Lays out only as many top-level blocks as it takes to fill `rows` rows, for the first
/// screen of a very long post; the result is marked [`Laid::partial`] when blocks were
/// left out, and the caller lays out the whole document after showing it.
fn layout_first_rows(doc: &Document, opts: &LayoutOptions, rows: usize) -> Laid {
    let mut laid = Collect::default();
    let partial = assemble(
        doc,
        opts,
        Order::Sequential {
            stop_after: Some(rows),
        },
        &mut laid,
    );
    laid.finish(opts.width.max(1), partial)
}

/// Far more than a few screens of text, and a few milliseconds to parse: what a long
/// post's first screens and estimated reading time are made from.
const HEAD_BYTES: usize = 64 * 1024;

/// The head of a long body that its first screens are made from (see [`head_of`]).
pub fn first_screens_head(body: &str) -> &str {
    head_of(body, HEAD_BYTES)
}

/// The first `rows` rows of a long body of `body_len` bytes, from its head alone
/// ([`first_screens_head`]): what the reader shows at once before parsing the whole.
/// The card's reading time is the head's scaled up to the body, marked as an estimate;
/// the result is always [`Laid::partial`].
pub fn first_screens(head: &str, body_len: usize, opts: &LayoutOptions, rows: usize) -> Laid {
    let document = parse(head);
    let opts = LayoutOptions {
        estimated_minutes: Some(scaled_minutes(&document, head.len(), body_len)),
        ..opts.clone()
    };
    let mut laid = layout_first_rows(&document, &opts, rows);
    laid.partial = true;
    laid
}

/// The reading time of a body of `body_bytes` from that of its first `head_bytes`,
/// parsed as `head`: a long post's estimate, before the whole is parsed.
pub(super) fn scaled_minutes(head: &Document, head_bytes: usize, body_bytes: usize) -> usize {
    let scale = body_bytes as f64 / head_bytes.max(1) as f64;
    ((reading_minutes(head) as f64 * scale).round() as usize).max(1)
}

/// A long body's reading time, estimated from its first 64 KiB.
pub(super) fn estimated_minutes(body: &str) -> usize {
    let head = first_screens_head(body);
    scaled_minutes(&parse(head), head.len(), body.len())
}

enum Order {
    Parallel,
    Sequential { stop_after: Option<usize> },
}

/// Top-level blocks laid out in parallel this many at a time, so that only a batch of
/// them is ever held as [`Line`]s before going into the packed store.
pub(super) const BATCH: usize = 1024;

/// A top-level block laid out, with what the reader keeps of it once its document is
/// gone (a long post's never is whole): its fingerprint and, for code, its source.
pub(super) struct TopBlock {
    pub chunk: Chunk,
    pub links: Links,
    pub fingerprint: u64,
    pub code: Option<Arc<str>>,
    /// The body line (0-based) the block starts on.
    pub line: usize,
}

impl TopBlock {
    pub(super) fn new(block: &Block, line: usize, chunk: Chunk, links: Links) -> TopBlock {
        let code = match (block, chunk.code.as_slice()) {
            // A code block left to highlight has its text already.
            (Block::Code { .. }, [region]) => Some(Arc::clone(&region.text)),
            (Block::Code { text, .. } | Block::Math(text), _) => {
                Some(Arc::from(text.strip_suffix('\n').unwrap_or(text)))
            }
            _ => None,
        };
        TopBlock {
            chunk,
            links,
            fingerprint: block.fingerprint(),
            code,
            line,
        }
    }
}

/// Lays the document out into `sink`; returns whether blocks were left out
/// (`stop_after`).
fn assemble(doc: &Document, opts: &LayoutOptions, order: Order, sink: &mut Collect) -> bool {
    let width = opts.width.max(1);
    // Parallel blocks cannot number links as they meet them; the numbers come from one
    // pass over the document instead.
    let numbers = match order {
        Order::Parallel if opts.numbered_links => Some(Arc::new(reference_numbers(doc))),
        _ => None,
    };
    let new_links = || match &numbers {
        Some(numbers) => Links::with_numbers(Arc::clone(numbers)),
        None => Links::new(opts.numbered_links),
    };
    let head = head(opts, || reading_minutes(doc), doc.degraded.as_deref());
    sink.take(head, Links::default());
    // Sequential layout numbers links as it goes, so one context runs through it all.
    let mut ctx = Ctx::new(new_links(), opts);
    match order {
        Order::Parallel => {
            for (batch, first) in doc.blocks.chunks(BATCH).zip((0..).step_by(BATCH)) {
                let laid: Vec<TopBlock> = batch
                    .par_iter()
                    .enumerate()
                    .map(|(i, block)| {
                        let mut ctx = Ctx::new(new_links(), opts);
                        let chunk = layout_block(block, width, &mut ctx);
                        TopBlock::new(block, line_of(doc, first + i), chunk, ctx.links)
                    })
                    .collect();
                for top in laid {
                    sink.take_block(top);
                }
            }
        }
        Order::Sequential { stop_after } => {
            for (i, block) in doc.blocks.iter().enumerate() {
                if stop_after.is_some_and(|rows| sink.rows() >= rows) {
                    return true;
                }
                let chunk = layout_block(block, width, &mut ctx);
                // The context keeps numbering; the sink gets this block's link table.
                let links = ctx.links.split_off_urls();
                sink.take_block(TopBlock::new(block, line_of(doc, i), chunk, links));
            }
        }
    }
    let tail = tail(&doc.footnotes, numbers.as_deref(), &mut ctx, width);
    sink.take(tail, ctx.links);
    false
}

/// The body line top-level block `i` starts on (0 for a document made without them).
fn line_of(doc: &Document, i: usize) -> usize {
    doc.block_lines.get(i).copied().unwrap_or_default()
}

/// What comes above the blocks: the header card and the warning of a degraded
/// document. The card's reading time is `opts.estimated_minutes` when set, else
/// `minutes()`, asked only when there is a card.
pub(super) fn head(
    opts: &LayoutOptions,
    minutes: impl FnOnce() -> usize,
    degraded: Option<&str>,
) -> Chunk {
    let width = opts.width.max(1);
    let _ambiguous = AmbiguousWidth::set(opts.ambiguous_width);
    let mut head = Chunk::default();
    if let Some(meta) = &opts.meta {
        let reading = match opts.estimated_minutes {
            Some(estimate) => (estimate, true),
            None => (minutes(), false),
        };
        head.append(card::card(meta, width, reading));
    }
    if let Some(reason) = degraded {
        if !head.lines.is_empty() {
            head.blank();
        }
        head.append(paragraph(
            &[span(format!("⚠ {reason}"), Role::Marker)],
            width,
        ));
    }
    head
}

/// What comes below the blocks: the footnotes, then (print mode) the numbered link
/// references: those of `numbers` when given, else those `ctx` numbered as it went.
pub(super) fn tail(
    footnotes: &[Footnote],
    numbers: Option<&HashMap<String, usize>>,
    ctx: &mut Ctx,
    width: usize,
) -> Chunk {
    let mut tail = Chunk::default();
    if !footnotes.is_empty() {
        tail.blank();
        tail.push_spans(vec![span(rule('─', width.min(20)), Role::Rule)]);
        for note in footnotes {
            let marker = format!("[^{}] ", note.number);
            let inner = beside(&marker, width);
            let body = blocks(&note.blocks, inner, ctx, false);
            tail.append(hang(body, &marker, Role::Footnote, width));
        }
    }
    let numbered = match numbers {
        Some(numbers) => in_number_order(numbers),
        None => std::mem::take(&mut ctx.links.numbered),
    };
    if !numbered.is_empty() {
        tail.blank();
        tail.push_spans(vec![span(rule('─', width.min(20)), Role::Rule)]);
        for (i, url) in numbered.iter().enumerate() {
            let marker = format!("[{}] ", i + 1);
            let inner = beside(&marker, width);
            let body = paragraph(&[span(sanitize(url).into_owned(), Role::LinkUrl)], inner);
            tail.append(hang(body, &marker, Role::LinkUrl, width));
        }
    }
    tail
}

/// The URLs of a number table, by number.
fn in_number_order(numbers: &HashMap<String, usize>) -> Vec<String> {
    let mut order: Vec<(&String, &usize)> = numbers.iter().collect();
    order.sort_by_key(|(_, n)| **n);
    order.into_iter().map(|(url, _)| url.clone()).collect()
}

/// The print-mode reference number of every link worth one, in reading order: the
/// blocks, then the footnotes, as layout meets them.
fn reference_numbers(doc: &Document) -> HashMap<String, usize> {
    let mut numbers = HashMap::new();
    let notes = doc.footnotes.iter().flat_map(|note| &note.blocks);
    number_references(doc.blocks.iter().chain(notes), &mut numbers, |_, _| {});
    numbers
}

/// Gives each link in `blocks` worth a print-mode reference number (see
/// [`wants_reference`]) the next number, in reading order, unless `numbers` has one
/// for its URL; `each` is told every such link's URL and number.
pub(super) fn number_references<'b>(
    blocks: impl IntoIterator<Item = &'b Block>,
    numbers: &mut HashMap<String, usize>,
    mut each: impl FnMut(&str, usize),
) {
    for block in blocks {
        block.walk(&mut |part| {
            if let Part::Inlines(inlines) = part {
                inline_links(inlines, &mut |url, content| {
                    if wants_reference(url, content) {
                        let next = numbers.len() + 1;
                        let number = *numbers.entry(url.to_string()).or_insert(next);
                        each(url, number);
                    }
                });
            }
        });
    }
}

fn inline_links(inlines: &[Inline], visit: &mut impl FnMut(&str, &[Inline])) {
    for inline in inlines {
        match inline {
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => {
                inline_links(c, visit)
            }
            // Layout numbers a link after its text.
            Inline::Link { url, content } => {
                inline_links(content, visit);
                visit(url, content);
            }
            _ => {}
        }
    }
}

/// Gathers chunks into one [`Laid`].
#[derive(Default)]
pub(super) struct Collect {
    lines: LineStore,
    headings: Vec<HeadingRow>,
    code: Vec<CodeRegion>,
    images: Vec<ImageRegion>,
    block_rows: Vec<usize>,
    block_lines: Vec<usize>,
    fingerprints: Vec<u64>,
    block_code: Vec<(usize, Arc<str>)>,
    urls: Vec<String>,
}

impl Collect {
    pub(super) fn rows(&self) -> usize {
        self.lines.len()
    }

    /// Appends a top-level block, after a blank line when something came before it.
    pub(super) fn take_block(&mut self, top: TopBlock) {
        if self.rows() > 0 {
            let mut blank = Chunk::default();
            blank.blank();
            self.take(blank, Links::default());
        }
        if let Some(code) = top.code {
            self.block_code.push((self.block_rows.len(), code));
        }
        self.block_rows.push(self.rows());
        self.block_lines.push(top.line);
        self.fingerprints.push(top.fingerprint);
        self.take(top.chunk, top.links);
    }

    /// Puts `head` (the card) above all that was taken, with the blank line the first
    /// block has after it, as if it had been taken first: a layout made a piece at a
    /// time knows the reading time the card shows only at its end. The head carries no
    /// links.
    pub(super) fn prepend_head(&mut self, mut head: Chunk) {
        if !head.lines.is_empty() && !self.block_rows.is_empty() {
            head.blank();
        }
        let rows = head.lines.len();
        if rows == 0 {
            return;
        }
        self.lines.prepend(&head.lines);
        for heading in &mut self.headings {
            heading.row += rows;
        }
        for region in &mut self.code {
            region.rows = region.rows.start + rows..region.rows.end + rows;
        }
        for region in &mut self.images {
            region.rows = region.rows.start + rows..region.rows.end + rows;
        }
        for row in &mut self.block_rows {
            *row += rows;
        }
        self.headings.splice(0..0, head.headings);
        self.code.splice(0..0, head.code);
        self.images.splice(0..0, head.images);
    }

    /// Appends a chunk, with the link table its `style.link` ids index.
    pub(super) fn take(&mut self, mut chunk: Chunk, links: Links) {
        let offset = u32::try_from(self.urls.len()).unwrap_or(u32::MAX);
        shift_link_ids(&mut chunk.lines, offset, &links);
        self.urls.extend(links.urls);
        chunk.shift_rows(self.rows());
        self.headings.extend(chunk.headings);
        self.code.extend(chunk.code);
        self.images.extend(chunk.images);
        for line in &chunk.lines {
            self.lines.push(line);
        }
    }

    pub(super) fn finish(self, width: usize, partial: bool) -> Laid {
        let links = collect_links(&self.lines, &self.urls);
        Laid {
            width,
            lines: self.lines,
            block_rows: self.block_rows,
            block_lines: self.block_lines,
            fingerprints: self.fingerprints,
            block_code: self.block_code,
            headings: self.headings,
            links,
            code: self.code,
            images: self.images,
            partial,
        }
    }
}

fn shift_link_ids(lines: &mut [Line], offset: u32, links: &Links) {
    // Ids only exist where the chunk met links.
    if offset == 0 || links.urls.is_empty() {
        return;
    }
    for span in lines.iter_mut().flat_map(|line| &mut line.spans) {
        if let Some(id) = &mut span.style.link {
            *id = id.saturating_add(offset);
        }
    }
}

/// One row per link: the first row its text appears on.
fn collect_links(lines: &LineStore, urls: &[String]) -> Vec<LinkRow> {
    let mut seen = vec![false; urls.len()];
    let mut out = Vec::new();
    for (row, line) in lines.iter().enumerate() {
        for s in line.spans() {
            let Some(id) = s.style.link else { continue };
            let id = id as usize;
            if seen.get(id).copied().unwrap_or(true) {
                continue;
            }
            seen[id] = true;
            let text: String = line
                .spans()
                .filter(|x| x.style.link == Some(id as u32))
                .map(|x| x.text)
                .collect();
            out.push(LinkRow {
                row,
                url: sanitize(urls.get(id).map_or("", String::as_str)).into_owned(),
                text,
                id: id as u32,
            });
        }
    }
    out
}
