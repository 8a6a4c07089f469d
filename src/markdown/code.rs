//! Code blocks: a language label, a gutter, syntax highlighting, and long lines cut
//! into rows with a continuation mark (never cut off).
//!
//! Highlighting is the expensive part of laying out a post full of code, so it has three
//! modes: eager (print mode with colour), off (plain print: colours would be thrown
//! away), and lazy (the reader): blocks are laid out plain and remembered as
//! [`CodeRegion`]s, and [`Laid::highlight_rows`] colours only the blocks on screen, in
//! place. Highlighting never changes the text, so the rows stay where they are.

use std::ops::Range;

use super::highlight;
use super::layout::{Chunk, Laid, span};
use super::sanitize::{expand_tabs, sanitize};
use super::style::{Line, Role, Span, Style};
use super::wrap::{chop, display_width, wrap_spans};

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
    pub text: String,
    /// Columns the content was cut to.
    pub inner: usize,
    pub done: bool,
}

pub(crate) fn code_block(
    lang: Option<&str>,
    text: &str,
    width: usize,
    theme: Option<&str>,
    mode: HighlightMode,
) -> Chunk {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let gutter = width >= 4;
    let inner = if gutter { width - 2 } else { width };
    let highlighted = match (mode, lang) {
        (HighlightMode::Eager, Some(l)) => highlight::highlight(l, text, theme),
        _ => None,
    };
    let mut out = Chunk::default();
    let label = lang.map(|l| sanitize(l).into_owned()).unwrap_or_default();
    if gutter {
        let head = if label.is_empty() {
            "╭─".to_string()
        } else {
            format!("╭─ {label}")
        };
        push_wrapped(&mut out, head, width);
    } else if !label.is_empty() {
        push_wrapped(&mut out, label, width);
    }
    let first = out.lines.len();
    let content = content_rows(highlighted, text, inner);
    for (continued, piece) in content {
        let mut spans = Vec::new();
        if gutter {
            let g = if continued { "┆ " } else { "│ " };
            spans.push(span(g, Role::CodeLabel));
        }
        spans.extend(piece);
        out.lines.push(Line { spans });
    }
    if mode == HighlightMode::Lazy
        && let Some(lang) = lang.filter(|l| highlight::is_known(l))
    {
        out.code.push(CodeRegion {
            rows: first..out.lines.len(),
            lang: lang.to_string(),
            text: text.to_string(),
            inner,
            done: false,
        });
    }
    if gutter {
        out.lines.push(Line {
            spans: vec![span("╰─", Role::CodeLabel)],
        });
    }
    out
}

fn push_wrapped(out: &mut Chunk, text: String, width: usize) {
    for spans in wrap_spans(&[span(text, Role::CodeLabel)], width) {
        out.lines.push(Line { spans });
    }
}

/// The content rows of a block: `(is a continuation, spans)`.
fn content_rows(
    highlighted: Option<Vec<Vec<Span>>>,
    text: &str,
    inner: usize,
) -> Vec<(bool, Vec<Span>)> {
    let source_lines: Vec<Vec<Span>> = match highlighted {
        Some(lines) => lines,
        None => text
            .split('\n')
            .map(|l| vec![span(l.to_string(), Role::CodeBlock)])
            .collect(),
    };
    let mut rows = Vec::new();
    for line in source_lines {
        for (i, piece) in chop_spans(&line, inner).into_iter().enumerate() {
            rows.push((i > 0, piece));
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
            let Some(lines) = highlight::highlight(&region.lang, &region.text, theme) else {
                continue;
            };
            let content = content_rows(Some(lines), &region.text, region.inner);
            if content.len() != region.rows.len() {
                continue;
            }
            for ((_, piece), row) in content.into_iter().zip(region.rows.clone()) {
                let Some(line) = self.lines.get_mut(row) else {
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
    for (text, style) in sources {
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
