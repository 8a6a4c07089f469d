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

use super::html;
use super::model::{
    AlertKind, Align, Block, Cell, Definition, Document, Footnote, Inline, ListItem,
};
use super::shortcode;
use super::table::MAX_COLUMNS;

/// Containers nested deeper than this are flattened into their parent.
pub const MAX_DEPTH: usize = 24;
/// Link and image destinations are cut to this many bytes: nobody reads a longer URL,
/// and a reference definition repeated thousands of times must not multiply memory.
pub const MAX_URL: usize = 2048;

pub fn parse(body: &str) -> Document {
    let prepared = shortcode::expand(body);
    parse_expanded(&prepared)
        .unwrap_or_else(|| plain_fallback(body, "the Markdown parser failed; shown as plain text"))
}

/// Parses text whose shortcodes [`shortcode::expand`] has already rewritten; `None`
/// when the parser panicked.
pub(super) fn parse_expanded(text: &str) -> Option<Document> {
    catch_unwind(AssertUnwindSafe(|| build(text))).ok()
}

/// The body as plain paragraphs, one per source line, when parsing is not possible.
pub fn plain_fallback(body: &str, reason: &str) -> Document {
    let blocks = body
        .lines()
        .map(|line| Block::Paragraph(vec![Inline::Text(line.into())]))
        .collect();
    Document {
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
        code: Option<Option<String>>,
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
    Quote(Option<AlertKind>),
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
    /// Inside the marker [`shortcode::UNKNOWN_OPEN`] wraps around an unknown shortcode.
    in_shortcode: bool,
}

fn build(body: &str) -> Document {
    let mut b = Builder {
        stack: vec![Frame::Blocks {
            kind: BlockKind::Root,
            blocks: Vec::new(),
            pending: Vec::new(),
        }],
        footnotes: Vec::new(),
        footnote_numbers: HashMap::new(),
        anchors: HashMap::new(),
        in_shortcode: false,
    };
    for event in Parser::new_ext(body, options()) {
        b.event(event);
    }
    while b.stack.len() > 1 {
        b.close();
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
    Document {
        blocks,
        footnotes,
        degraded: None,
    }
}

fn with_pending(mut blocks: Vec<Block>, pending: Vec<Inline>) -> Vec<Block> {
    if !pending.is_empty() {
        blocks.push(Block::Paragraph(pending));
    }
    blocks
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

fn cap_url(url: &str) -> String {
    if url.len() <= MAX_URL {
        return url.to_string();
    }
    let mut end = MAX_URL;
    while !url.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", url.get(..end).unwrap_or_default())
}

/// The first token of a code block's info string: `go {linenos=true}`, `rust,ignore`,
/// `{.rust .numberLines}` and `mermaid "title"` all name their language first.
pub fn info_lang(info: &str) -> Option<String> {
    let token = info
        .trim()
        .trim_start_matches('{')
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '}' | '"'))
        .next()?
        .trim_start_matches('.');
    let token: String = token.chars().take(32).collect();
    (!token.is_empty()).then(|| token.to_lowercase())
}

impl Builder {
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
            Event::Code(code) if self.in_shortcode => {
                self.inline(Inline::Shortcode(code.to_string()))
            }
            Event::Code(code) => self.inline(Inline::Code(code.to_string())),
            Event::InlineMath(m) => self.inline(Inline::Math(format!("${m}$"))),
            Event::DisplayMath(m) => self.block(Block::Math(m.to_string())),
            Event::Html(h) => self.html_block_text(&h),
            Event::InlineHtml(h) => {
                if *h == *shortcode::UNKNOWN_OPEN {
                    self.in_shortcode = true;
                } else if *h == *shortcode::UNKNOWN_CLOSE {
                    self.in_shortcode = false;
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
                kind: BlockKind::Quote(kind.map(alert)),
                blocks: Vec::new(),
                pending: Vec::new(),
            },
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info_lang(&info),
                    CodeBlockKind::Indented => None,
                };
                Frame::Text {
                    code: Some(lang),
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
                    BlockKind::Quote(None) => self.block(Block::Quote(blocks)),
                    BlockKind::Quote(Some(kind)) => self.block(Block::Alert {
                        kind,
                        title: None,
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
                Some(lang) => self.block(Block::Code { lang, text }),
                None => {
                    let text = html::to_text(&text);
                    if !text.trim().is_empty() {
                        self.block(Block::Html(text));
                    }
                }
            },
            Frame::List { start, items } => self.block(Block::List { start, items }),
            Frame::Table {
                aligns,
                head,
                rows,
                hidden_columns,
            } => self.block(Block::Table {
                aligns,
                head,
                rows,
                hidden_columns,
            }),
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
            InlineKind::Paragraph => self.block(Block::Paragraph(inlines)),
            InlineKind::Heading(level, id) => {
                let anchor = self.anchor(id, &inlines);
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

    /// Hugo's anchor for a heading: an explicit `{#id}`, else the lowercased text with
    /// spaces as `-` and punctuation dropped; repeats get `-1`, `-2`.
    fn anchor(&mut self, explicit: Option<String>, inlines: &[Inline]) -> String {
        if let Some(id) = explicit {
            return id;
        }
        let base: String = Inline::plain(inlines)
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let seen = self.anchors.entry(base.clone()).or_insert(0);
        let anchor = if *seen == 0 {
            base
        } else {
            format!("{base}-{seen}")
        };
        *seen += 1;
        anchor
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
        self.inline(Inline::Text(text.into()));
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
    /// way (a block inside flattened inline nesting) gets the block's text instead.
    fn block(&mut self, block: Block) {
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
        _ => String::new(),
    }
}
