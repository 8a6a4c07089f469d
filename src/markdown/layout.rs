//! One block + width → lines ([`Chunk`]).
//!
//! Layout is plain recursion over the (depth-capped) document: each block becomes a
//! [`Chunk`] of lines at the width it is given, and containers (quotes, list items,
//! alerts) lay their children out narrower and prefix the lines. Every line is at most
//! the width, at any width from 1: where a prefix would not leave room for content it is
//! dropped. Links are tracked through span styles; the document pass (`assemble`) turns
//! them into rows once the blocks are put together.

use std::path::PathBuf;
use std::sync::Arc;

use compact_str::CompactString;

use super::code::{CodeRegion, HighlightMode, code_block};
use super::containers;
use super::figure::{self, FigureOptions, ImageRegion};
use super::glyphs::rule;
use super::inline::{self, InlineCtx, Links};
use super::line_store::LineStore;
use super::model::{Block, Inline, ListItem};
use super::sanitize::sanitize;
use super::style::{Line, Role, Span, Style};
use super::table;
use super::urls;
use super::wrap::{AmbiguousWidth, chop, display_width, wrap_spans};
use crate::library::Meta;

/// What layout needs besides the document.
#[derive(Debug, Clone, Default)]
pub struct LayoutOptions {
    /// Columns available; every produced line is at most this wide (minimum 1).
    pub width: usize,
    /// Front matter to show as a header card above the body.
    pub meta: Option<Meta>,
    /// Folder of the post, to resolve relative image and link paths.
    pub base_dir: Option<PathBuf>,
    /// The syntect theme for code blocks (see [`highlight::theme_named`]); `None` for
    /// the default.
    pub code_theme: Option<String>,
    /// Print mode: number each link (`text[1]`) and list the URLs at the end, since a
    /// printed page cannot be clicked.
    pub numbered_links: bool,
    pub highlight: HighlightMode,
    /// The card's reading time when only the head of a long post was parsed (the
    /// reader's first screen): an estimate for the whole post, shown as `~N min read`.
    pub estimated_minutes: Option<usize>,
    /// Columns the terminal draws East Asian Ambiguous characters (`“ ” … — ·`, box
    /// drawing) in: 2 for a terminal set up for CJK, else 1 (0 counts as 1). At 2 every
    /// width counts them as two and frames are drawn in ASCII (see [`AmbiguousWidth`]).
    ///
    /// [`AmbiguousWidth`]: super::wrap::AmbiguousWidth
    pub ambiguous_width: u8,
    /// Paragraphs of images become figures with room for the pictures (the reader
    /// with images on, print to a terminal that draws them); `None`: an image is its
    /// `[image: alt] path` line.
    pub images: Option<std::sync::Arc<FigureOptions>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingRow {
    pub row: usize,
    pub level: u8,
    pub text: String,
    pub anchor: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    pub row: usize,
    pub url: String,
    pub text: String,
    /// The `style.link` its spans carry, so the reader can match spans on screen to it.
    pub id: u32,
}

/// A document laid out at one width.
#[derive(Debug, Clone, Default)]
pub struct Laid {
    pub width: usize,
    pub lines: LineStore,
    /// First row of each top-level block, in block order; used to keep the reader at
    /// the same block across a resize.
    pub block_rows: Vec<usize>,
    /// The body line (0-based, in the file's numbering: shortcode expansion does not
    /// move it) each top-level block starts on, as `block_rows`: what leads from a
    /// line of the file (a `folio check` problem) to the rows that show it, since a
    /// long post's document is not kept.
    pub block_lines: Vec<usize>,
    /// The fingerprint of each top-level block ([`Block::fingerprint`]), as
    /// `block_rows`: what a reading position is kept by, since a long post's document
    /// is not kept.
    pub fingerprints: Vec<u64>,
    /// The source text of each top-level code or math block without its final
    /// newline, by block number, in order: what copying a code block copies. Shared
    /// with the block's [`CodeRegion`] when it has one.
    pub block_code: Vec<(usize, Arc<str>)>,
    pub headings: Vec<HeadingRow>,
    pub links: Vec<LinkRow>,
    /// Code blocks left for [`Laid::highlight_rows`] (lazy highlighting).
    pub code: Vec<CodeRegion>,
    /// Figures' boxes, in row order, for the reader to draw pictures into.
    pub images: Vec<ImageRegion>,
    /// Only the first blocks are laid out ([`first_screens`](super::first_screens)).
    pub partial: bool,
}

/// Lines of one block plus the headings found in them (rows relative to the chunk).
#[derive(Debug, Default)]
pub(crate) struct Chunk {
    pub lines: Vec<Line>,
    pub headings: Vec<HeadingRow>,
    pub code: Vec<CodeRegion>,
    pub images: Vec<ImageRegion>,
}

impl Chunk {
    pub(super) fn append(&mut self, mut other: Chunk) {
        other.shift_rows(self.lines.len());
        self.headings.extend(other.headings);
        self.code.extend(other.code);
        self.images.extend(other.images);
        self.lines.extend(other.lines);
    }

    /// Moves the rows its headings, code and pictures are at down by `by`: what
    /// follows `by` rows of other text needs.
    pub(super) fn shift_rows(&mut self, by: usize) {
        for heading in &mut self.headings {
            heading.row += by;
        }
        for code in &mut self.code {
            code.rows = code.rows.start + by..code.rows.end + by;
        }
        for image in &mut self.images {
            image.rows = image.rows.start + by..image.rows.end + by;
        }
    }

    pub(super) fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    pub(super) fn push_spans(&mut self, spans: Vec<Span>) {
        self.lines.push(Line { spans });
    }

    /// Prefixes every line: `first` on the first line, `rest` on the others.
    pub(super) fn indent(mut self, first: &[Span], rest: &[Span]) -> Chunk {
        for (i, line) in self.lines.iter_mut().enumerate() {
            let prefix = if i == 0 { first } else { rest };
            let mut spans = prefix.to_vec();
            spans.append(&mut line.spans);
            line.spans = spans;
        }
        self
    }
}

pub(crate) fn span(text: impl Into<CompactString>, role: Role) -> Span {
    Span {
        text: text.into(),
        style: Style::role(role),
    }
}

pub(crate) struct Ctx<'a> {
    /// Widths count ambiguous characters as the options say while this context lives.
    _ambiguous: AmbiguousWidth,
    pub links: Links,
    pub base_dir: Option<&'a std::path::Path>,
    pub meta: Option<&'a Meta>,
    /// How many `include`s deep this layout is.
    pub include_depth: usize,
    list_depth: usize,
    code_theme: Option<&'a str>,
    highlight: HighlightMode,
    pub figures: Option<&'a FigureOptions>,
}

impl Ctx<'_> {
    pub(crate) fn spans(&mut self, inlines: &[Inline], base: Style) -> Vec<Span> {
        let mut ictx = InlineCtx {
            links: &mut self.links,
            base_dir: self.base_dir,
            meta: self.meta,
        };
        inline::spans(inlines, base, &mut ictx)
    }
}

impl<'a> Ctx<'a> {
    pub(super) fn new(links: Links, opts: &'a LayoutOptions) -> Ctx<'a> {
        Ctx {
            _ambiguous: AmbiguousWidth::set(opts.ambiguous_width),
            links,
            base_dir: opts.base_dir.as_deref(),
            meta: opts.meta.as_ref(),
            include_depth: 0,
            list_depth: 0,
            code_theme: opts.code_theme.as_deref(),
            highlight: opts.highlight,
            figures: opts.images.as_deref(),
        }
    }
}

/// Lays out sibling blocks with a blank line between them; `tight` drops the blank
/// lines (tight list items).
pub(super) fn blocks(list: &[Block], width: usize, ctx: &mut Ctx, tight: bool) -> Chunk {
    let mut out = Chunk::default();
    for (i, block) in list.iter().enumerate() {
        if i > 0 && !tight {
            out.blank();
        }
        out.append(layout_block(block, width, ctx));
    }
    out
}

pub(super) fn paragraph(spans: &[Span], width: usize) -> Chunk {
    let mut out = Chunk::default();
    for line in wrap_spans(spans, width) {
        out.push_spans(line);
    }
    out
}

pub(super) fn layout_block(block: &Block, width: usize, ctx: &mut Ctx) -> Chunk {
    match block {
        Block::Paragraph(inlines) => {
            if let Some(figures) = figure::figures(inlines, width, ctx) {
                return figures;
            }
            let spans = ctx.spans(inlines, Style::default());
            urls::url_line(&spans, width).unwrap_or_else(|| paragraph(&spans, width))
        }
        Block::Heading {
            level,
            anchor,
            content,
        } => heading(*level, anchor, content, width, ctx),
        Block::Quote(children) => containers::quote(children, width, ctx),
        Block::Alert {
            kind,
            title,
            blocks: children,
        } => containers::alert(*kind, title.as_deref(), children, width, ctx),
        Block::Details { summary, blocks } => containers::details(summary, blocks, width, ctx),
        Block::List { start, items } => list(*start, items, width, ctx),
        Block::Code { lang, text, attrs } => code_block(
            lang.as_deref(),
            text,
            attrs,
            width,
            ctx.code_theme,
            ctx.highlight,
        ),
        Block::Math(text) => code_block(
            Some("math"),
            text,
            &Default::default(),
            width,
            None,
            HighlightMode::Off,
        ),
        Block::Table(t) => table::layout(t, ctx, width),
        Block::DefinitionList(defs) => containers::definition_list(defs, width, ctx),
        Block::Include(name) => containers::include(name, width, ctx),
        Block::SectionToc => containers::section_toc(width, ctx),
        Block::Rule => {
            let mut out = Chunk::default();
            out.push_spans(vec![span(rule('─', width), Role::Rule)]);
            out
        }
        Block::Html(text) => {
            let mut out = Chunk::default();
            for line in text.lines() {
                out.append(paragraph(
                    &[span(sanitize(line).into_owned(), Role::Dim)],
                    width,
                ));
            }
            out
        }
    }
}

fn heading(level: u8, anchor: &str, content: &[Inline], width: usize, ctx: &mut Ctx) -> Chunk {
    let role = Role::Heading(level);
    // How a heading looks (bold or not) is the theme's to say, through its element.
    let spans = ctx.spans(content, Style::role(role));
    let mut out = match level {
        1 | 2 => paragraph(&spans, width),
        // Without colour a level-3 heading would read as a paragraph: the lower levels
        // carry their level as Markdown writes it, `### `, so each is told apart.
        _ => {
            let marker = format!("{} ", "#".repeat(usize::from(level.min(6))));
            hang(
                paragraph(&spans, beside(&marker, width)),
                &marker,
                role,
                width,
            )
        }
    };
    let text_width = out.lines.iter().map(Line::width).max().unwrap_or(0);
    match level {
        1 => out.push_spans(vec![span(rule('━', text_width.clamp(1, width)), role)]),
        2 => out.push_spans(vec![span(rule('─', text_width.clamp(1, width)), role)]),
        _ => {}
    }
    out.headings.push(HeadingRow {
        row: 0,
        level,
        text: sanitize(&Inline::plain(content)).into_owned(),
        anchor: anchor.to_string(),
    });
    out
}

/// The width a body gets beside `marker` in [`hang`]: what is left of `width`, or all of
/// it when the marker takes its own line.
pub(super) fn beside(marker: &str, width: usize) -> usize {
    let indent = display_width(marker);
    if width > indent {
        width - indent
    } else {
        width
    }
}

/// Lays out `body` after a marker, with continuation lines aligned under the text
/// (hanging indent). Too narrow for the marker: the marker gets its own line.
pub(super) fn hang(body: Chunk, marker: &str, role: Role, width: usize) -> Chunk {
    let indent = display_width(marker);
    let mut body = body;
    if body.lines.is_empty() {
        body.blank();
    }
    if width <= indent {
        // Cut by columns, not characters: a bullet is two columns where ambiguous
        // characters are wide, and at width 1 it becomes chop's placeholder.
        let clipped = chop(marker.trim_end(), width).into_iter().next();
        let mut out = Chunk::default();
        out.push_spans(vec![span(clipped.unwrap_or_default(), role)]);
        out.append(body);
        return out;
    }
    body.indent(
        &[span(marker, role)],
        &[span(" ".repeat(indent), Role::Text)],
    )
}

fn list(start: Option<u64>, items: &[ListItem], width: usize, ctx: &mut Ctx) -> Chunk {
    let depth = ctx.list_depth;
    ctx.list_depth += 1;
    let last_number = start.map(|s| s.saturating_add(items.len().saturating_sub(1) as u64));
    let number_width = last_number.map_or(0, |n| n.to_string().len());
    let tight = items.iter().all(|item| {
        item.blocks
            .iter()
            .filter(|b| !matches!(b, Block::List { .. }))
            .count()
            <= 1
    });
    let mut out = Chunk::default();
    for (i, item) in items.iter().enumerate() {
        if i > 0 && !tight {
            out.blank();
        }
        let marker = match (start, item.task) {
            (_, Some(true)) => "[x] ".to_string(),
            (_, Some(false)) => "[ ] ".to_string(),
            (Some(s), None) => {
                let n = s.saturating_add(i as u64);
                format!("{n:>number_width$}. ")
            }
            (None, None) => format!("{} ", ["•", "◦", "▪"][depth % 3]),
        };
        let inner_width = beside(&marker, width);
        let body = blocks(&item.blocks, inner_width, ctx, tight);
        out.append(hang(body, &marker, Role::ListMarker, width));
    }
    ctx.list_depth = depth;
    out
}
