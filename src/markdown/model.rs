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
        /// Overrides the kind's label (e.g. a shortcode's title).
        title: Option<String>,
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
    },
    Table {
        aligns: Vec<Align>,
        head: Vec<Cell>,
        rows: Vec<Vec<Cell>>,
        /// Columns beyond the cap, not kept.
        hidden_columns: usize,
    },
    DefinitionList(Vec<Definition>),
    Rule,
    /// An HTML block, reduced to its text.
    Html(String),
    /// Display math, shown as its source.
    Math(String),
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
            Block::List { items, .. } => items
                .iter()
                .flat_map(|item| &item.blocks)
                .for_each(|b| b.walk(visit)),
            Block::Code { text, .. } | Block::Html(text) | Block::Math(text) => {
                visit(Part::Text(text))
            }
            Block::Table { head, rows, .. } => head
                .iter()
                .chain(rows.iter().flatten())
                .for_each(|cell| visit(Part::Inlines(cell))),
            Block::DefinitionList(defs) => {
                for def in defs {
                    visit(Part::Inlines(&def.term));
                    def.details.iter().flatten().for_each(|b| b.walk(visit));
                }
            }
            Block::Rule => {}
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
                Inline::Code(t) | Inline::Shortcode(t) | Inline::Math(t) => visit(t),
                Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => {
                    Inline::visit_plain(c, visit)
                }
                Inline::Link { content, .. } => Inline::visit_plain(content, visit),
                Inline::Image { alt, .. } => visit(alt),
                Inline::FootnoteRef { number } => visit(&format!("[{number}]")),
                Inline::SoftBreak | Inline::HardBreak => visit(" "),
            }
        }
    }
}
