//! pulldown-cmark events → [`Document`].
//!
//! The event stream is folded into a tree with an explicit stack, never recursion, so
//! hostile nesting (`>>>>…`, `- - - …`) cannot overflow the stack: past [`MAX_DEPTH`]
//! containers are flattened into their parent and their text is kept. The parser runs
//! under `catch_unwind`; if a dependency panics the body is shown as plain text.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag,
};

use super::fence::{info_attrs, info_lang};
use super::model::{
    AlertKind, Align, Block, Cell, CodeAttrs, Definition, Document, Footnote, Inline, ListItem,
    Table,
};
use super::shortcode::{self, BlockMarker, LineMap, Marker};
use super::table::MAX_COLUMNS;
use super::{emoji, html, html_table};

/// Containers nested deeper than this are flattened into their parent.
pub const MAX_DEPTH: usize = 24;
/// Link and image destinations are cut to this many bytes: nobody reads a longer URL,
/// and a reference definition repeated thousands of times must not multiply memory.
pub const MAX_URL: usize = 2048;

/// Why a body is shown as plain text when the parser failed on it.
pub(super) const PARSE_FAILED: &str = "the Markdown parser failed; shown as plain text";

pub fn parse(body: &str) -> Document {
    let (prepared, lines) = shortcode::expand_mapped(body);
    catch_unwind(AssertUnwindSafe(|| build(&prepared, &lines)))
        .ok()
        .unwrap_or_else(|| plain_fallback(body, PARSE_FAILED))
}

/// Parses text whose shortcodes [`shortcode::expand`] has already rewritten; `None`
/// when the parser panicked.
pub(super) fn parse_expanded(text: &str) -> Option<Document> {
    catch_unwind(AssertUnwindSafe(|| build(text, &LineMap::default()))).ok()
}

/// Finds the source line each top-level block starts on, as the parser moves through
/// the text: offsets only grow, so lines are counted once, from the last place.
struct BlockLines<'a> {
    text: &'a str,
    map: &'a LineMap,
    counted_to: usize,
    line: usize,
    /// The source line of the top-level construct being read.
    current: usize,
    lines: Vec<usize>,
}

impl BlockLines<'_> {
    /// A top-level construct starts (or goes on) at byte `offset`.
    fn at(&mut self, offset: usize) {
        if offset > self.counted_to {
            let between = self.text.as_bytes().get(self.counted_to..offset);
            self.line += memchr::memchr_iter(b'\n', between.unwrap_or_default()).count();
            self.counted_to = offset;
        }
        self.current = self.map.source_line(self.line);
    }

    /// The document has `blocks` top-level blocks now.
    fn blocks(&mut self, blocks: usize) {
        while self.lines.len() < blocks {
            self.lines.push(self.current);
        }
    }
}

/// The body as plain paragraphs, one per source line, when parsing is not possible.
pub fn plain_fallback(body: &str, reason: &str) -> Document {
    let blocks: Vec<Block> = body
        .lines()
        .map(|line| Block::Paragraph(vec![Inline::Text(line.into())]))
        .collect();
    Document {
        block_lines: (0..blocks.len()).collect(),
        blocks,
        footnotes: Vec::new(),
        degraded: Some(reason.to_string()),
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_MATH
}

/// An open container while folding events into the tree.
enum Frame {
    /// Holds blocks; stray inlines collect in `pending` and become a paragraph (tight
    /// list items have no paragraph events).
    Blocks {
        kind: BlockKind,
        blocks: Vec<Block>,
        pending: Vec<Inline>,
    },
    Inlines {
        kind: InlineKind,
        inlines: Vec<Inline>,
    },
    Text {
        /// A code block's language and attributes; `None` for an HTML block.
        code: Option<(Option<String>, CodeAttrs)>,
        text: String,
    },
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    Table {
        aligns: Vec<Align>,
        head: Vec<Cell>,
        rows: Vec<Vec<Cell>>,
        hidden_columns: usize,
    },
    Row {
        head: bool,
        cells: Vec<Cell>,
        /// Cells past [`MAX_COLUMNS`], counted and dropped.
        dropped: usize,
    },
    DefList(Vec<Definition>),
    /// Past the depth cap, or content folio does not show (metadata blocks): events
    /// inside go to the nearest real frame.
    Transparent,
}

impl Frame {
    /// Drops the spare capacity of what the frame built before it joins the document.
    /// A table cell holding one inline would otherwise keep room for four: on a long
    /// post the spare room is most of the model's memory, and touching fresh memory is
    /// most of the parse's time.
    fn shrink(&mut self) {
        match self {
            Frame::Blocks {
                blocks, pending, ..
            } => {
                blocks.shrink_to_fit();
                pending.shrink_to_fit();
            }
            Frame::Inlines { inlines, .. } => inlines.shrink_to_fit(),
            Frame::Text { text, .. } => text.shrink_to_fit(),
            Frame::List { items, .. } => items.shrink_to_fit(),
            Frame::Table { rows, .. } => rows.shrink_to_fit(),
            Frame::Row { cells, .. } => cells.shrink_to_fit(),
            Frame::DefList(defs) => defs.shrink_to_fit(),
            Frame::Transparent => {}
        }
    }
}

enum BlockKind {
    Root,
    Quote {
        alert: Option<AlertKind>,
        /// A box's title, from a [`Marker::Title`] in its first paragraph.
        title: Option<String>,
        /// A disclosure's summary, from a [`Marker::Details`]: the quote is one.
        summary: Option<String>,
    },
    Item(Option<bool>),
    Footnote(String),
    Definition,
}

enum InlineKind {
    Paragraph,
    Heading(u8, Option<String>),
    Cell,
    Emphasis,
    Strong,
    Strike,
    Link(String),
    Image(String),
    DefTerm,
    Other,
}

struct Builder {
    stack: Vec<Frame>,
    footnotes: Vec<(String, Vec<Block>)>,
    footnote_numbers: HashMap<String, usize>,
    anchors: HashMap<String, usize>,
    /// Inside a pair of [`Marker`] tags: the next code span is what it marks.
    marker: Option<Marker>,
    /// A table caption waiting for its table (a `table` shortcode's title).
    caption: Option<String>,
}

fn build(body: &str, map: &LineMap) -> Document {
    let mut b = Builder {
        stack: vec![Frame::Blocks {
            kind: BlockKind::Root,
            blocks: Vec::new(),
            pending: Vec::new(),
        }],
        footnotes: Vec::new(),
        footnote_numbers: HashMap::new(),
        anchors: HashMap::new(),
        marker: None,
        caption: None,
    };
    let mut starts = BlockLines {
        text: body,
        map,
        counted_to: 0,
        line: 0,
        current: 0,
        lines: Vec::new(),
    };
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if b.stack.len() == 1 {
            starts.at(range.start);
        }
        b.event(event);
        starts.blocks(b.root_blocks());
    }
    while b.stack.len() > 1 {
        b.close();
    }
    if let Some(caption) = b.caption.take() {
        b.push_caption_paragraph(caption);
    }
    let blocks = match b.stack.pop() {
        Some(Frame::Blocks {
            blocks, pending, ..
        }) => with_pending(blocks, pending),
        _ => Vec::new(),
    };
    let mut footnotes: Vec<Footnote> = b
        .footnotes
        .into_iter()
        .map(|(label, blocks)| {
            let next = b.footnote_numbers.len() + 1;
            let number = *b.footnote_numbers.entry(label.clone()).or_insert(next);
            Footnote {
                number,
                label,
                blocks,
            }
        })
        .collect();
    footnotes.sort_by_key(|f| f.number);
    let mut block_lines = starts.lines;
    block_lines.resize(blocks.len(), starts.current);
    Document {
        blocks,
        block_lines,
        footnotes,
        degraded: None,
    }
}

fn with_pending(mut blocks: Vec<Block>, pending: Vec<Inline>) -> Vec<Block> {
    push_paragraphs(&mut blocks, pending);
    blocks
}

/// A paragraph's inlines as blocks: `$$…$$` written inside it becomes a math block of
/// its own, between what came before and after; an empty paragraph (one that held only
/// a marker) is no block.
fn push_paragraphs(blocks: &mut Vec<Block>, inlines: Vec<Inline>) {
    if !inlines.iter().any(|i| matches!(i, Inline::DisplayMath(_))) {
        if !inlines.is_empty() {
            blocks.push(Block::Paragraph(inlines));
        }
        return;
    }
    let mut current: Vec<Inline> = Vec::new();
    let flush = |current: &mut Vec<Inline>, blocks: &mut Vec<Block>| {
        while matches!(current.last(), Some(Inline::SoftBreak | Inline::HardBreak)) {
            current.pop();
        }
        if current
            .iter()
            .any(|i| !matches!(i, Inline::SoftBreak | Inline::HardBreak))
        {
            blocks.push(Block::Paragraph(std::mem::take(current)));
        }
        current.clear();
    };
    for inline in inlines {
        match inline {
            Inline::DisplayMath(math) => {
                flush(&mut current, blocks);
                blocks.push(Block::Math(math));
            }
            Inline::SoftBreak | Inline::HardBreak if current.is_empty() => {}
            other => current.push(other),
        }
    }
    flush(&mut current, blocks);
}

fn align(a: &Alignment) -> Align {
    match a {
        Alignment::None => Align::None,
        Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

fn alert(kind: BlockQuoteKind) -> AlertKind {
    match kind {
        BlockQuoteKind::Note => AlertKind::Note,
        BlockQuoteKind::Tip => AlertKind::Tip,
        BlockQuoteKind::Important => AlertKind::Important,
        BlockQuoteKind::Warning => AlertKind::Warning,
        BlockQuoteKind::Caution => AlertKind::Caution,
    }
}

fn level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

pub(crate) fn cap_url(url: &str) -> String {
    if url.len() <= MAX_URL {
        return url.to_string();
    }
    let mut end = MAX_URL;
    while !url.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", url.get(..end).unwrap_or_default())
}

/// Hugo's anchor for a heading of text `words`: an explicit `{#id}`, else the
/// lowercased text with spaces as `-` and punctuation dropped; repeats (counted in
/// `seen`, one map per post) get `-1`, `-2`. The reader's anchors and `folio check`'s
/// both come from here, so a link the one follows is one the other finds.
pub fn heading_anchor(
    explicit: Option<String>,
    words: &str,
    seen: &mut HashMap<String, usize>,
) -> String {
    if let Some(id) = explicit {
        return id;
    }
    let base: String = words
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect();
    let count = seen.entry(base.clone()).or_insert(0);
    let anchor = if *count == 0 {
        base
    } else {
        format!("{base}-{count}")
    };
    *count += 1;
    anchor
}

/// Gives the headings of `blocks` (nested ones too, in reading order) the anchors one
/// parse of the whole body gives them, `seen` counting the headings before: a body
/// parsed in pieces ([`super::pieces`]) numbers repeated anchors within each piece
/// only. Every anchor is made from its heading's text, which is right because a body
/// with an explicit `{#id}` is never cut.
pub(super) fn renumber_anchors(blocks: &mut [Block], seen: &mut HashMap<String, usize>) {
    for block in blocks {
        match block {
            Block::Heading {
                anchor, content, ..
            } => *anchor = heading_anchor(None, &Inline::plain(content), seen),
            Block::Quote(children)
            | Block::Alert {
                blocks: children, ..
            }
            | Block::Details {
                blocks: children, ..
            } => renumber_anchors(children, seen),
            Block::List { items, .. } => {
                for item in items {
                    renumber_anchors(&mut item.blocks, seen);
                }
            }
            Block::DefinitionList(defs) => {
                for details in defs.iter_mut().flat_map(|def| &mut def.details) {
                    renumber_anchors(details, seen);
                }
            }
            _ => {}
        }
    }
}

impl Builder {
    /// How many top-level blocks the document has so far.
    fn root_blocks(&self) -> usize {
        match self.stack.first() {
            Some(Frame::Blocks { blocks, .. }) => blocks.len(),
            _ => 0,
        }
    }

    fn depth_exceeded(&self) -> bool {
        self.stack.len() > MAX_DEPTH || matches!(self.stack.last(), Some(Frame::Transparent))
    }

    fn push(&mut self, frame: Frame) {
        self.stack.push(frame);
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            // The root frame is only closed by `build`, never by a stray end event.
            Event::End(_) if self.stack.len() > 1 => self.close(),
            Event::End(_) => {}
            Event::Text(text) => self.text(&text),
            Event::Code(code) => match self.marker {
                Some(marker) => self.marked(marker, code.to_string()),
                None => self.inline(Inline::Code(code.to_string())),
            },
            Event::InlineMath(m) => self.inline(Inline::Math(format!("${m}$"))),
            Event::DisplayMath(m) => {
                let math = m.trim_matches('\n').to_string();
                self.inline(Inline::DisplayMath(math));
            }
            Event::Html(h) => self.html_block_text(&h),
            Event::InlineHtml(h) => {
                if let Some((marker, open)) = Marker::of_html(&h) {
                    self.marker = open.then_some(marker);
                } else if html::is_line_break(&h) {
                    self.inline(Inline::HardBreak);
                }
            }
            Event::FootnoteReference(label) => {
                let next = self.footnote_numbers.len() + 1;
                let number = *self
                    .footnote_numbers
                    .entry(label.to_string())
                    .or_insert(next);
                self.inline(Inline::FootnoteRef { number });
            }
            Event::SoftBreak => self.inline(Inline::SoftBreak),
            Event::HardBreak => self.inline(Inline::HardBreak),
            Event::Rule => self.block(Block::Rule),
            Event::TaskListMarker(checked) => {
                if let Some(Frame::Blocks {
                    kind: BlockKind::Item(task),
                    ..
                }) = self.stack.last_mut()
                {
                    *task = Some(checked);
                }
            }
        }
    }

    fn start(&mut self, tag: Tag) {
        // Structural children of a real container (items, rows, cells) must stay real so
        // their parent can take them; only new nesting levels are flattened.
        let nesting = matches!(
            tag,
            Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::Table(_)
                | Tag::FootnoteDefinition(_)
                | Tag::DefinitionList
                | Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Superscript
                | Tag::Subscript
        );
        let parent_transparent = matches!(self.stack.last(), Some(Frame::Transparent));
        if parent_transparent || (nesting && self.depth_exceeded()) {
            self.push(Frame::Transparent);
            return;
        }
        let frame = match tag {
            Tag::Paragraph => Frame::Inlines {
                kind: InlineKind::Paragraph,
                inlines: Vec::new(),
            },
            Tag::Heading { level: l, id, .. } => Frame::Inlines {
                kind: InlineKind::Heading(level(l), id.map(|i| i.to_string())),
                inlines: Vec::new(),
            },
            Tag::BlockQuote(kind) => Frame::Blocks {
                kind: BlockKind::Quote {
                    alert: kind.map(alert),
                    title: None,
                    summary: None,
                },
                blocks: Vec::new(),
                pending: Vec::new(),
            },
            Tag::CodeBlock(kind) => {
                let head = match kind {
                    CodeBlockKind::Fenced(info) => (info_lang(&info), info_attrs(&info)),
                    CodeBlockKind::Indented => (None, CodeAttrs::default()),
                };
                Frame::Text {
                    code: Some(head),
                    text: String::new(),
                }
            }
            Tag::HtmlBlock => Frame::Text {
                code: None,
                text: String::new(),
            },
            Tag::List(start) => Frame::List {
                start,
                items: Vec::new(),
            },
            Tag::Item => Frame::Blocks {
                kind: BlockKind::Item(None),
                blocks: Vec::new(),
                pending: Vec::new(),
            },
            Tag::FootnoteDefinition(label) => Frame::Blocks {
                kind: BlockKind::Footnote(label.to_string()),
                blocks: Vec::new(),
                pending: Vec::new(),
            },
            Tag::DefinitionList => Frame::DefList(Vec::new()),
            Tag::DefinitionListTitle => Frame::Inlines {
                kind: InlineKind::DefTerm,
                inlines: Vec::new(),
            },
            Tag::DefinitionListDefinition => Frame::Blocks {
                kind: BlockKind::Definition,
                blocks: Vec::new(),
                pending: Vec::new(),
            },
            Tag::Table(aligns) => Frame::Table {
                aligns: aligns.iter().take(MAX_COLUMNS).map(align).collect(),
                head: Vec::new(),
                rows: Vec::new(),
                hidden_columns: 0,
            },
            Tag::TableHead => Frame::Row {
                head: true,
                cells: Vec::new(),
                dropped: 0,
            },
            Tag::TableRow => Frame::Row {
                head: false,
                cells: Vec::new(),
                dropped: 0,
            },
            // A 1000-column table is not read, only survived: cells past the cap are
            // dropped here, before they cost anything.
            Tag::TableCell if matches!(self.stack.last(), Some(Frame::Row { cells, .. }) if cells.len() >= MAX_COLUMNS) =>
            {
                if let Some(Frame::Row { dropped, .. }) = self.stack.last_mut() {
                    *dropped += 1;
                }
                Frame::Transparent
            }
            Tag::TableCell => Frame::Inlines {
                kind: InlineKind::Cell,
                inlines: Vec::new(),
            },
            Tag::Emphasis => Frame::Inlines {
                kind: InlineKind::Emphasis,
                inlines: Vec::new(),
            },
            Tag::Strong => Frame::Inlines {
                kind: InlineKind::Strong,
                inlines: Vec::new(),
            },
            Tag::Strikethrough => Frame::Inlines {
                kind: InlineKind::Strike,
                inlines: Vec::new(),
            },
            Tag::Superscript | Tag::Subscript => Frame::Inlines {
                kind: InlineKind::Other,
                inlines: Vec::new(),
            },
            Tag::Link { dest_url, .. } => Frame::Inlines {
                kind: InlineKind::Link(cap_url(&dest_url)),
                inlines: Vec::new(),
            },
            Tag::Image { dest_url, .. } => Frame::Inlines {
                kind: InlineKind::Image(cap_url(&dest_url)),
                inlines: Vec::new(),
            },
            Tag::MetadataBlock(_) => Frame::Transparent,
        };
        self.push(frame);
    }

    /// Pops the top frame and hands what it built to its parent.
    fn close(&mut self) {
        let Some(mut frame) = self.stack.pop() else {
            return;
        };
        frame.shrink();
        match frame {
            Frame::Transparent => {}
            Frame::Blocks {
                kind,
                blocks,
                pending,
            } => {
                let blocks = with_pending(blocks, pending);
                match kind {
                    BlockKind::Root => self.stack.push(Frame::Blocks {
                        kind: BlockKind::Root,
                        blocks,
                        pending: Vec::new(),
                    }),
                    BlockKind::Quote {
                        summary: Some(summary),
                        ..
                    } => self.block(Block::Details { summary, blocks }),
                    BlockKind::Quote { alert: None, .. } => self.block(Block::Quote(blocks)),
                    BlockKind::Quote {
                        alert: Some(kind),
                        title,
                        ..
                    } => self.block(Block::Alert {
                        kind,
                        title,
                        blocks,
                    }),
                    BlockKind::Item(task) => {
                        if let Some(Frame::List { items, .. }) = self.stack.last_mut() {
                            items.push(ListItem { task, blocks });
                        }
                    }
                    BlockKind::Footnote(label) => self.footnotes.push((label, blocks)),
                    BlockKind::Definition => {
                        if let Some(Frame::DefList(defs)) = self.stack.last_mut() {
                            match defs.last_mut() {
                                Some(def) => def.details.push(blocks),
                                None => defs.push(Definition {
                                    term: Vec::new(),
                                    details: vec![blocks],
                                }),
                            }
                        }
                    }
                }
            }
            Frame::Inlines { kind, inlines } => self.close_inlines(kind, inlines),
            Frame::Text { code, text } => match code {
                Some((lang, attrs)) => self.block(Block::Code {
                    lang,
                    text,
                    attrs: Box::new(attrs),
                }),
                None => self.html_block(&text),
            },
            Frame::List { start, items } => self.block(Block::List { start, items }),
            Frame::Table {
                aligns,
                head,
                rows,
                hidden_columns,
            } => self.block(Block::Table(Box::new(Table {
                aligns,
                head: vec![head],
                rows,
                hidden_columns,
                ..Table::default()
            }))),
            Frame::Row {
                head,
                cells,
                dropped,
            } => {
                if let Some(Frame::Table {
                    head: h,
                    rows: r,
                    hidden_columns,
                    ..
                }) = self.stack.last_mut()
                {
                    *hidden_columns = (*hidden_columns).max(dropped);
                    if head {
                        *h = cells;
                    } else {
                        r.push(cells);
                    }
                }
            }
            Frame::DefList(defs) => self.block(Block::DefinitionList(defs)),
        }
    }

    fn close_inlines(&mut self, kind: InlineKind, inlines: Vec<Inline>) {
        match kind {
            InlineKind::Paragraph => {
                let mut blocks = Vec::new();
                push_paragraphs(&mut blocks, inlines);
                for block in blocks {
                    self.block(block);
                }
            }
            InlineKind::Heading(level, id) => {
                let anchor = heading_anchor(id, &Inline::plain(&inlines), &mut self.anchors);
                self.block(Block::Heading {
                    level,
                    anchor,
                    content: inlines,
                });
            }
            InlineKind::Cell => {
                if let Some(Frame::Row { cells, .. }) = self.stack.last_mut() {
                    cells.push(inlines);
                }
            }
            InlineKind::Emphasis => self.inline(Inline::Emphasis(inlines)),
            InlineKind::Strong => self.inline(Inline::Strong(inlines)),
            InlineKind::Strike => self.inline(Inline::Strikethrough(inlines)),
            InlineKind::Other => inlines.into_iter().for_each(|i| self.inline(i)),
            InlineKind::Link(url) => self.inline(Inline::Link {
                url,
                content: inlines,
            }),
            InlineKind::Image(url) => self.inline(Inline::Image {
                url,
                alt: Inline::plain(&inlines),
            }),
            InlineKind::DefTerm => {
                if let Some(Frame::DefList(defs)) = self.stack.last_mut() {
                    defs.push(Definition {
                        term: inlines,
                        details: Vec::new(),
                    });
                }
            }
        }
    }

    fn text(&mut self, text: &str) {
        for frame in self.stack.iter_mut().rev() {
            match frame {
                Frame::Transparent => continue,
                Frame::Text { text: buf, .. } => {
                    buf.push_str(text);
                    return;
                }
                _ => break,
            }
        }
        let text = emoji::replace_shortcodes(text);
        self.inline(Inline::Text(text.as_ref().into()));
    }

    /// The code span a [`Marker`] pair holds.
    fn marked(&mut self, marker: Marker, text: String) {
        match marker {
            Marker::Shortcode => self.inline(Inline::Shortcode(text)),
            Marker::Badge => self.inline(Inline::Badge(text)),
            Marker::Term => self.inline(Inline::Term(text)),
            Marker::Param => self.inline(Inline::Param(text)),
            Marker::Title | Marker::Details => {
                let quote = self.stack.iter_mut().rev().find_map(|frame| match frame {
                    Frame::Blocks {
                        kind: BlockKind::Quote { title, summary, .. },
                        ..
                    } => Some((title, summary)),
                    _ => None,
                });
                match quote {
                    Some((title, _)) if marker == Marker::Title => *title = Some(text),
                    Some((_, summary)) => *summary = Some(text),
                    None => self.inline(Inline::Text(text.into())),
                }
            }
        }
    }

    /// An HTML block: a marker the shortcode expander left, a table, or text.
    fn html_block(&mut self, source: &str) {
        if let Some(marker) = BlockMarker::of_html(source) {
            match marker {
                BlockMarker::Include(path) => self.block(Block::Include(path)),
                BlockMarker::SectionToc => self.block(Block::SectionToc),
                BlockMarker::Caption(caption) => self.caption = Some(caption),
            }
            return;
        }
        if html_table::has_table(source) {
            for block in html_table::blocks(source) {
                self.block(block);
            }
            return;
        }
        let text = html::to_text(source);
        if !text.trim().is_empty() {
            self.block(Block::Html(text));
        }
    }

    /// A caption with no table after it, as a paragraph of its own.
    fn push_caption_paragraph(&mut self, caption: String) {
        self.block(Block::Paragraph(vec![Inline::Emphasis(vec![
            Inline::Text(caption.into()),
        ])]));
    }

    fn html_block_text(&mut self, html: &str) {
        for frame in self.stack.iter_mut().rev() {
            match frame {
                Frame::Transparent => continue,
                Frame::Text { text, .. } => {
                    text.push_str(html);
                    return;
                }
                _ => break,
            }
        }
        // Raw HTML outside an HTML block (e.g. inside a list item): keep its text.
        let text = html::to_text(html);
        if !text.trim().is_empty() {
            self.inline(Inline::Text(text.into()));
        }
    }

    /// Adds an inline to the nearest frame that can hold it.
    fn inline(&mut self, inline: Inline) {
        for frame in self.stack.iter_mut().rev() {
            match frame {
                Frame::Transparent => continue,
                Frame::Inlines { inlines, .. } => {
                    inlines.push(inline);
                    return;
                }
                Frame::Blocks { pending, .. } => {
                    pending.push(inline);
                    return;
                }
                Frame::Text { text, .. } => {
                    text.push_str(&Inline::plain(std::slice::from_ref(&inline)));
                    return;
                }
                // Text directly in a list, table or row is malformed input: drop it
                // rather than guess where it belongs.
                _ => return,
            }
        }
    }

    /// Adds a block to the nearest frame that can hold blocks; an inline frame in the
    /// way (a block inside flattened inline nesting) gets the block's text instead. A
    /// caption waiting for a table goes to it, or before whatever came instead.
    fn block(&mut self, mut block: Block) {
        if let Some(caption) = self.caption.take() {
            match &mut block {
                Block::Table(table) => table.caption = Some(caption),
                _ => self.push_caption_paragraph(caption),
            }
        }
        for frame in self.stack.iter_mut().rev() {
            match frame {
                Frame::Transparent => continue,
                Frame::Blocks {
                    blocks, pending, ..
                } => {
                    if !pending.is_empty() {
                        blocks.push(Block::Paragraph(std::mem::take(pending)));
                    }
                    blocks.push(block);
                    return;
                }
                Frame::Inlines { inlines, .. } => {
                    inlines.push(Inline::Text(block_text(&block).into()));
                    return;
                }
                _ => return,
            }
        }
    }
}

fn block_text(block: &Block) -> String {
    match block {
        Block::Heading { content, .. } | Block::Paragraph(content) => Inline::plain(content),
        Block::Code { text, .. } | Block::Html(text) | Block::Math(text) => text.clone(),
        Block::Details { summary, .. } => summary.clone(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod block_line_tests {
    use super::*;

    #[test]
    fn each_top_level_block_knows_the_body_line_it_starts_on() {
        let body = "# Title\n\npara\nstill para\n\n{{< notice tip \"T\" >}}\nboxed\n{{< /notice >}}\n\n```\ncode\n\nmore\n```\n\n- a\n- b\n\nlast\n";
        let doc = parse(body);
        assert_eq!(doc.blocks.len(), doc.block_lines.len());
        assert_eq!(doc.block_lines, [0, 2, 5, 9, 15, 18]);
    }

    #[test]
    fn the_plain_fallback_has_a_block_per_line() {
        let doc = plain_fallback("a\nb\n", "test");
        assert_eq!(doc.block_lines, [0, 1]);
    }
}
