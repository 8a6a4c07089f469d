//! Code blocks: a language label, a gutter, syntax highlighting, and long lines cut
//! into rows with a continuation mark (never cut off).
//!
//! Highlighting is the expensive part of laying out a post full of code, so it has three
//! modes: eager (print mode with colour), off (plain print: colours would be thrown
//! away), and lazy (the reader): blocks are laid out plain and remembered as
//! [`CodeRegion`]s, and [`Laid::highlight_rows`] colours only the blocks on screen, in
//! place. Highlighting never changes the text, so the rows stay where they are.

use std::ops::Range;
use std::sync::Arc;

use super::glyphs::frame;
use super::highlight;
use super::layout::{Chunk, Laid, span};
use super::model::CodeAttrs;
use super::sanitize::{expand_tabs, sanitize};
use super::style::{Line, Role, Span, Style};
use super::wrap::{AmbiguousWidth, chop, display_width, wrap_spans};

/// When code blocks are syntax-highlighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HighlightMode {
    /// While laying out (print mode with colour; tests).
    #[default]
    Eager,
    /// Later, for the rows on screen ([`Laid::highlight_rows`]).
    Lazy,
    /// Never (plain output).
    Off,
}

/// A code block laid out plain, waiting to be highlighted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRegion {
    /// Rows of the block's content (after the label line), in the whole layout.
    pub rows: Range<usize>,
    pub lang: String,
    /// The block's text without its final newline; shared with `Laid::block_code`.
    pub text: Arc<str>,
    /// Columns the content was cut to.
    pub inner: usize,
    /// The lines it marks.
    pub attrs: CodeAttrs,
    /// It was cut with ambiguous characters two columns wide: highlighting cuts it so.
    pub ambiguous_wide: bool,
    pub done: bool,
}

pub(crate) fn code_block(
    lang: Option<&str>,
    text: &str,
    attrs: &CodeAttrs,
    width: usize,
    theme: Option<&str>,
    mode: HighlightMode,
) -> Chunk {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let gutter = width >= 4;
    let numbers = Numbers::of(attrs, text, if gutter { width - 2 } else { width });
    let inner = if gutter { width - 2 } else { width }.saturating_sub(numbers.columns());
    let highlighted = match (mode, lang) {
        (HighlightMode::Eager, Some(l)) => highlight::highlight(l, text, theme),
        _ => None,
    };
    let mut out = Chunk::default();
    let label = label(lang, attrs.title.as_deref());
    if gutter {
        let head = if label.is_empty() {
            frame("╭─").into_owned()
        } else {
            format!("{}{label}", frame("╭─ "))
        };
        push_wrapped(&mut out, head, width);
    } else if !label.is_empty() {
        push_wrapped(&mut out, label, width);
    }
    let first = out.lines.len();
    for row in content_rows(highlighted, text, inner, attrs) {
        let mut spans = Vec::new();
        if gutter {
            let g = if row.continued {
                "┆ "
            } else if attrs.is_marked(numbers.number(row.line)) {
                "┃ "
            } else {
                "│ "
            };
            spans.push(span(frame(g), Role::CodeLabel));
        }
        if let Some(number) = numbers.label(row.line, row.continued) {
            spans.push(span(number, Role::CodeLabel));
        }
        spans.extend(row.spans);
        out.lines.push(Line { spans });
    }
    if mode == HighlightMode::Lazy
        && let Some(lang) = lang.filter(|l| highlight::is_known(l))
    {
        out.code.push(CodeRegion {
            rows: first..out.lines.len(),
            lang: lang.to_string(),
            text: Arc::from(text),
            inner,
            attrs: attrs.clone(),
            ambiguous_wide: super::wrap::ambiguous_is_wide(),
            done: false,
        });
    }
    if gutter {
        out.lines.push(Line {
            spans: vec![span(frame("╰─"), Role::CodeLabel)],
        });
    }
    out
}

/// The label line's text: the file name, then the language (`hugo.toml · toml`).
fn label(lang: Option<&str>, title: Option<&str>) -> String {
    let lang = lang.map(|l| sanitize(l).into_owned()).unwrap_or_default();
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(title) if lang.is_empty() => sanitize(title).into_owned(),
        Some(title) => format!("{} ·\u{a0}{lang}", sanitize(title)),
        None => lang,
    }
}

/// Line numbers of a block that asks for them (`linenos`): the first number and the
/// width of the widest, when there is room for them beside the code.
struct Numbers {
    start: Option<u64>,
    digits: usize,
}

impl Numbers {
    fn of(attrs: &CodeAttrs, text: &str, room: usize) -> Numbers {
        let lines = text.split('\n').count() as u64;
        let start = attrs.line_numbers;
        let last = start.unwrap_or(1).saturating_add(lines.saturating_sub(1));
        let digits = last.to_string().len();
        // Numbers only where at least as many columns are left for the code.
        let room_for_code = room > 2 * (digits + 1);
        Numbers {
            start: start.filter(|_| room_for_code),
            digits,
        }
    }

    fn columns(&self) -> usize {
        if self.start.is_some() {
            self.digits + 1
        } else {
            0
        }
    }

    /// The number of the block's line at `index` (from 0), counted from the first
    /// line's number (1 unless `linenostart` says otherwise).
    fn number(&self, index: usize) -> u64 {
        self.start.unwrap_or(1).saturating_add(index as u64)
    }

    fn label(&self, index: usize, continued: bool) -> Option<String> {
        self.start?;
        let width = self.digits;
        Some(if continued {
            " ".repeat(width + 1)
        } else {
            format!("{:>width$} ", self.number(index))
        })
    }
}

fn push_wrapped(out: &mut Chunk, text: String, width: usize) {
    for spans in wrap_spans(&[span(text, Role::CodeLabel)], width) {
        out.lines.push(Line { spans });
    }
}

/// One row of a code block's content.
struct Row {
    /// The source line it is (a piece of), from 0.
    line: usize,
    /// A piece after the first of a line longer than the block.
    continued: bool,
    spans: Vec<Span>,
}

/// The content rows of a block; the lines `hl_lines` marks are bold.
fn content_rows(
    highlighted: Option<Vec<Vec<Span>>>,
    text: &str,
    inner: usize,
    attrs: &CodeAttrs,
) -> Vec<Row> {
    let source_lines: Vec<Vec<Span>> = match highlighted {
        Some(lines) => lines,
        None => text
            .split('\n')
            .map(|l| vec![span(l.to_string(), Role::CodeBlock)])
            .collect(),
    };
    let first = attrs.line_numbers.unwrap_or(1);
    let mut rows = Vec::new();
    for (line, spans) in source_lines.into_iter().enumerate() {
        let marked = attrs.is_marked(first.saturating_add(line as u64));
        for (i, mut piece) in chop_spans(&spans, inner).into_iter().enumerate() {
            if marked {
                piece.iter_mut().for_each(|s| s.style.bold = true);
            }
            rows.push(Row {
                line,
                continued: i > 0,
                spans: piece,
            });
        }
    }
    rows
}

impl Laid {
    /// Highlights the code blocks that overlap `rows`, in place; blocks already done
    /// and blocks off screen are left alone.
    pub fn highlight_rows(&mut self, rows: Range<usize>, theme: Option<&str>) {
        for region in &mut self.code {
            if region.done || region.rows.end <= rows.start || region.rows.start >= rows.end {
                continue;
            }
            region.done = true;
            let _ambiguous = AmbiguousWidth::set(if region.ambiguous_wide { 2 } else { 1 });
            let Some(lines) = highlight::highlight(&region.lang, &region.text, theme) else {
                continue;
            };
            let content = content_rows(Some(lines), &region.text, region.inner, &region.attrs);
            if content.len() != region.rows.len() {
                continue;
            }
            for (Row { spans: piece, .. }, row) in content.into_iter().zip(region.rows.clone()) {
                let Some(mut line) = self.lines.line(row) else {
                    break;
                };
                // Keep the prefixes (quote bars, list indent, gutter): everything before
                // the code text itself.
                let keep = line
                    .spans
                    .iter()
                    .position(|s| s.style.role == Role::CodeBlock)
                    .unwrap_or(line.spans.len());
                line.spans.truncate(keep);
                line.spans.extend(piece);
                self.lines.replace(row, &line);
            }
        }
    }
}

/// Cuts one code line's spans into rows of at most `width` columns, by grapheme.
/// Tabs are expanded and text sanitized first.
fn chop_spans(spans: &[Span], width: usize) -> Vec<Vec<Span>> {
    let joined: String = spans.iter().map(|s| s.text.as_str()).collect();
    let expanded = expand_tabs(&joined, 4);
    let same_text = expanded.as_ref() == joined;
    let mut rows: Vec<Vec<Span>> = vec![Vec::new()];
    let mut used = 0;
    let sources: Vec<(String, Style)> = if same_text {
        spans
            .iter()
            .map(|s| (sanitize(&s.text).into_owned(), s.style))
            .collect()
    } else {
        // Tabs change offsets; keep the first span's style for the expanded line.
        let style = spans
            .first()
            .map(|s| s.style)
            .unwrap_or_else(|| Style::role(Role::CodeBlock));
        vec![(sanitize(&expanded).into_owned(), style)]
    };
    for (text, style) in whole_graphemes(sources) {
        let avail = width.saturating_sub(used);
        let mut pieces = if display_width(&text) <= avail {
            vec![text]
        } else {
            chop_first(&text, avail, width)
        }
        .into_iter();
        if let Some(first) = pieces.next() {
            used += display_width(&first);
            push_piece(&mut rows, first, style);
        }
        for piece in pieces {
            rows.push(Vec::new());
            used = display_width(&piece);
            push_piece(&mut rows, piece, style);
        }
    }
    rows
}

/// The spans re-cut so that none ends inside a grapheme cluster: what a highlighter's
/// token break left of a cluster in the next span (`1` then U+FE0F) joins the span the
/// cluster began in, because a cluster's width is not the sum of its parts' (`1️` is
/// two columns, `1` and U+FE0F one and none).
fn whole_graphemes(sources: Vec<(String, Style)>) -> Vec<(String, Style)> {
    // Two ASCII characters never share a cluster once sanitized (no CR, no LF left):
    // most code lines stop here.
    let ascii_seams = sources.windows(2).all(|pair| match pair {
        [(before, _), (after, _)] => {
            before.chars().next_back().is_none_or(|c| c.is_ascii())
                && after.chars().next().is_none_or(|c| c.is_ascii())
        }
        _ => true,
    });
    if ascii_seams {
        return sources;
    }
    let joined: String = sources.iter().map(|(text, _)| text.as_str()).collect();
    let starts: Vec<usize> = super::cells::graphemes(&joined).map(|(at, _)| at).collect();
    let mut out = Vec::with_capacity(sources.len());
    let (mut start, mut end) = (0, 0);
    for (text, style) in sources {
        end += text.len();
        // The first cluster start at or after this span's end, else the end of the line.
        let cut = starts
            .get(starts.partition_point(|&at| at < end))
            .copied()
            .unwrap_or(joined.len());
        if let Some(piece) = joined.get(start..cut).filter(|p| !p.is_empty()) {
            out.push((piece.to_string(), style));
            start = cut;
        }
    }
    out
}

fn push_piece(rows: &mut [Vec<Span>], text: String, style: Style) {
    if text.is_empty() {
        return;
    }
    if let Some(row) = rows.last_mut() {
        row.push(Span {
            text: text.into(),
            style,
        });
    }
}

/// Splits `text` into a first piece of at most `first` columns (may be empty) and the
/// rest in pieces of at most `rest` columns.
fn chop_first(text: &str, first: usize, rest: usize) -> Vec<String> {
    let mut head = String::new();
    let mut used = 0;
    let mut tail_start = text.len();
    for (at, g) in super::cells::graphemes(text) {
        let w = super::cells::grapheme_width(g);
        if used + w > first {
            tail_start = at;
            break;
        }
        head.push_str(g);
        used += w;
    }
    let mut out = vec![head];
    if let Some(tail) = text.get(tail_start..).filter(|t| !t.is_empty()) {
        out.extend(chop(tail, rest));
    }
    out
}
