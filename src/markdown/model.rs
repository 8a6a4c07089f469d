//! The width-independent document model.
//!
//! A post is parsed once into these types; layout walks them at each width. Keeping the
//! model separate from pulldown-cmark's event stream means layout is plain recursion over
//! a tree whose depth the parser has already capped, and tests can build documents by hand.

use compact_str::CompactString;

/// A parsed post body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
    /// The line of the body (0-based) each of `blocks` starts on, for going from a
    /// line of the file (a `folio check` problem) to the block that shows it.
    pub block_lines: Vec<usize>,
    /// Footnote definitions in reference order, shown after the body.
    pub footnotes: Vec<Footnote>,
    /// Set when the parser gave up (a panic in a dependency, a size limit) and the body
    /// is shown as plain text instead.
    pub degraded: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    pub number: usize,
    pub label: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl AlertKind {
    pub fn label(self) -> &'static str {
        match self {
            AlertKind::Note => "Note",
            AlertKind::Tip => "Tip",
            AlertKind::Important => "Important",
            AlertKind::Warning => "Warning",
            AlertKind::Caution => "Caution",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// `Some(checked)` for a task list item.
    pub task: Option<bool>,
    pub blocks: Vec<Block>,
}

pub type Cell = Vec<Inline>;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        /// The anchor a `#fragment` link jumps to (Hugo's rules, or an explicit `{#id}`).
        anchor: String,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    Quote(Vec<Block>),
    /// A GFM alert (`> [!NOTE]`) or a Hugo notice-like shortcode.
    Alert {
        kind: AlertKind,
        /// A shortcode's title, shown after the kind's label (`Note · Title`).
        title: Option<String>,
        blocks: Vec<Block>,
    },
    /// A disclosure (`details`): its summary, then its content.
    Details {
        summary: String,
        blocks: Vec<Block>,
    },
    List {
        /// First number of an ordered list; `None` for bullets.
        start: Option<u64>,
        items: Vec<ListItem>,
    },
    Code {
        /// First token of the info string, lowercased; `None` when absent.
        lang: Option<String>,
        text: String,
        /// What the info string's attributes ask for: a file name, line numbers, lines
        /// to mark.
        attrs: Box<CodeAttrs>,
    },
    Table(Box<Table>),
    DefinitionList(Vec<Definition>),
    Rule,
    /// An HTML block, reduced to its text.
    Html(String),
    /// Display math, shown as its source.
    Math(String),
    /// A Hugo `include` of another page of the site, by its path; read at layout.
    Include(String),
    /// Hugo's `section-toc`: the pages of this page's section, listed at layout.
    SectionToc,
}

/// A code block's attributes (`{file="a.go" linenos=true hl_lines=[2,"4-5"]}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeAttrs {
    /// A file name or title to label the block with.
    pub title: Option<String>,
    /// The number of the first line, when lines are numbered.
    pub line_numbers: Option<u64>,
    /// Lines to mark, as inclusive ranges of line numbers (counted from the first
    /// line's number).
    pub marked: Vec<(u64, u64)>,
}

impl CodeAttrs {
    /// Whether line `n` (1 for the block's first line) is marked.
    pub fn is_marked(&self, n: u64) -> bool {
        self.marked
            .iter()
            .any(|(from, to)| (*from..=*to).contains(&n))
    }
}

/// A table: GFM's (one header row, no merged cells) or an HTML one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub aligns: Vec<Align>,
    /// Header rows, drawn apart from the body; none for an HTML table without `<th>`.
    pub head: Vec<Vec<Cell>>,
    pub rows: Vec<Vec<Cell>>,
    /// Columns beyond the cap, not kept.
    pub hidden_columns: usize,
    /// Cells spanning several columns or rows, by their place in the rows (header
    /// rows first); the places they cover hold empty cells.
    pub merges: Vec<Merge>,
    /// `<caption>` or a wrapping shortcode's title.
    pub caption: Option<String>,
}

/// A cell spanning `rows` × `cols` places from (`row`, `col`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub row: usize,
    pub col: usize,
    pub rows: usize,
    pub cols: usize,
}

impl Table {
    /// Header rows, then body rows.
    pub fn all_rows(&self) -> impl Iterator<Item = &Vec<Cell>> {
        self.head.iter().chain(&self.rows)
    }
}

/// What a reader reads of a block, as [`Block::walk`] hands it out.
#[derive(Debug, Clone, Copy)]
pub enum Part<'a> {
    /// A paragraph, heading, table cell or definition term.
    Inlines(&'a [Inline]),
    /// The text of code, an HTML block or display math.
    Text(&'a str),
}

impl Block {
    /// A short fingerprint of the block's text (FNV-1a, 64 bits): the same text gives
    /// the same number in every run and every version, so a reading position stored
    /// as (block, fingerprint) finds its passage again after the post is edited.
    pub fn fingerprint(&self) -> u64 {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0100_0000_01b3;
        let mut hash = OFFSET;
        let mut feed = |text: &str| {
            for byte in text.bytes() {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(PRIME);
            }
        };
        self.walk(&mut |part| match part {
            Part::Inlines(inlines) => Inline::visit_plain(inlines, &mut feed),
            Part::Text(text) => feed(text),
        });
        hash
    }

    /// Hands the block's inline runs and texts to `visit` in reading order, through
    /// quotes, lists, tables and definition lists.
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(Part<'a>)) {
        match self {
            Block::Paragraph(c) | Block::Heading { content: c, .. } => visit(Part::Inlines(c)),
            Block::Quote(children)
            | Block::Alert {
                blocks: children, ..
            } => children.iter().for_each(|b| b.walk(visit)),
            Block::Details { summary, blocks } => {
                visit(Part::Text(summary));
                blocks.iter().for_each(|b| b.walk(visit));
            }
            Block::List { items, .. } => items
                .iter()
                .flat_map(|item| &item.blocks)
                .for_each(|b| b.walk(visit)),
            Block::Code { text, .. } | Block::Html(text) | Block::Math(text) => {
                visit(Part::Text(text))
            }
            Block::Table(table) => {
                if let Some(caption) = &table.caption {
                    visit(Part::Text(caption));
                }
                table
                    .all_rows()
                    .flatten()
                    .for_each(|cell| visit(Part::Inlines(cell)));
            }
            Block::DefinitionList(defs) => {
                for def in defs {
                    visit(Part::Inlines(&def.term));
                    def.details.iter().flatten().for_each(|b| b.walk(visit));
                }
            }
            Block::Rule | Block::Include(_) | Block::SectionToc => {}
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    pub term: Vec<Inline>,
    pub details: Vec<Vec<Block>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Inline up to 24 bytes: most text runs of a long post (a table cell, the words
    /// between two styles) are short, and each would otherwise be an allocation.
    Text(CompactString),
    Code(String),
    /// A Hugo shortcode folio cannot expand, shown dimmed as its source.
    Shortcode(String),
    /// A small label (Hugo's `new-in`).
    Badge(String),
    /// A glossary term (`glossary-term`), styled as a term.
    Term(String),
    /// A page or site parameter (`param`), looked up at layout.
    Param(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strikethrough(Vec<Inline>),
    Link {
        url: String,
        content: Vec<Inline>,
    },
    Image {
        url: String,
        alt: String,
    },
    FootnoteRef {
        number: usize,
    },
    Math(String),
    /// `$$…$$` inside a paragraph; the parser makes it a block of its own.
    DisplayMath(String),
    /// A line break in the source: a space between words, nothing between CJK characters.
    SoftBreak,
    HardBreak,
}

impl Inline {
    /// The text a reader sees, without styling: for headings in the outline, image alt
    /// text and anchors.
    pub fn plain(inlines: &[Inline]) -> String {
        let mut out = String::new();
        Inline::visit_plain(inlines, &mut |piece| out.push_str(piece));
        out
    }

    /// Hands the pieces of [`Inline::plain`]'s text to `visit` in order, without
    /// building the string (counting words of a long post, say).
    pub fn visit_plain(inlines: &[Inline], visit: &mut impl FnMut(&str)) {
        for inline in inlines {
            match inline {
                Inline::Text(t) => visit(t),
                Inline::Code(t)
                | Inline::Shortcode(t)
                | Inline::Math(t)
                | Inline::DisplayMath(t)
                | Inline::Badge(t)
                | Inline::Term(t)
                | Inline::Param(t) => visit(t),
                Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => {
                    Inline::visit_plain(c, visit)
                }
                Inline::Link { content, .. } => Inline::visit_plain(content, visit),
                Inline::Image { alt, .. } => visit(alt),
                Inline::FootnoteRef { number } => visit(&format!("[^{number}]")),
                Inline::SoftBreak | Inline::HardBreak => visit(" "),
            }
        }
    }
}
