//! A fitted table drawn: the box, its rules (junctions following the cells that span
//! across them), the cells wrapped and aligned; or, too narrow for any box, records.

use compact_str::CompactString;

use super::super::glyphs::{self, frame_char};
use super::super::model::Align;
use super::super::style::{Line, Role, Span, Style};
use super::super::wrap::{wrap_measured, wrap_spans};
use super::{Shape, SpanMap};

/// The rule between rows: solid for the box and under the header, thin between rows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    Solid,
    Thin,
}

/// The box-drawing junction for the lines meeting at a point.
fn junction(up: bool, down: bool, left: bool, right: bool) -> char {
    match (up, down, left, right) {
        (true, true, true, true) => '┼',
        (true, true, false, true) => '├',
        (true, true, true, false) => '┤',
        (false, true, true, true) => '┬',
        (true, false, true, true) => '┴',
        (false, true, false, true) => '┌',
        (false, true, true, false) => '┐',
        (true, false, false, true) => '└',
        (true, false, true, false) => '┘',
        (true, true, false, false) => '│',
        (false, false, true, true) => '─',
        (true, false, false, false) => '╵',
        (false, true, false, false) => '╷',
        (false, false, true, false) => '╴',
        (false, false, false, true) => '╶',
        (false, false, false, false) => ' ',
    }
}

/// A rule under row `above` (over the first row when `None`, under the last when
/// `below` is `None`).
fn rule(
    spans: &SpanMap,
    widths: &[usize],
    above: Option<usize>,
    below: Option<usize>,
    kind: Rule,
) -> Line {
    let cols = widths.len();
    // Whether the rule runs under column `c`: not where a cell spans down across it.
    let segment = |c: usize| match (above, below) {
        (Some(r), Some(_)) => spans.rule_below(r, c),
        _ => true,
    };
    let vertical = |row: Option<usize>, b: usize| {
        row.is_some_and(|r| b == 0 || b == cols || spans.border_before(r, b))
    };
    let fill = match kind {
        Rule::Solid => '─',
        Rule::Thin => '╌',
    };
    let mut text = String::new();
    for b in 0..=cols {
        let left = b > 0 && segment(b - 1);
        let right = b < cols && segment(b);
        text.push(frame_char(junction(
            vertical(above, b),
            vertical(below, b),
            left,
            right,
        )));
        if let Some(w) = widths.get(b) {
            let c = if right { frame_char(fill) } else { ' ' };
            text.extend(std::iter::repeat_n(c, w + 2));
        }
    }
    Line {
        spans: vec![Span {
            text: text.into(),
            style: Style::role(Role::TableBorder),
        }],
    }
}

/// The table in a box: the header rows, the body rows, at the column `widths`.
pub(super) fn grid(
    shape: &Shape,
    mut rows: Vec<Vec<Vec<Span>>>,
    measured: &[Vec<usize>],
    spans: &SpanMap,
    widths: &[usize],
) -> Vec<Line> {
    let head_rows = shape.head_rows.min(rows.len());
    // The header's look is the theme's `table_header`; code or a link in a header cell
    // keeps its own.
    for span in rows.iter_mut().take(head_rows).flatten().flatten() {
        if span.style.role == Role::Text {
            span.style.role = Role::TableHeader;
        }
    }
    let count = rows.len();
    let drawn: Vec<Vec<Line>> = rows
        .into_iter()
        .enumerate()
        .map(|(r, row)| {
            let natural = measured.get(r).map(Vec::as_slice).unwrap_or_default();
            row_lines(shape.aligns, r, row, natural, spans, widths, r < head_rows)
        })
        .collect();
    // Rows of several lines run together unless ruled apart.
    let ruled = drawn.iter().any(|lines| lines.len() > 1);
    let mut lines = vec![rule(spans, widths, None, Some(0), Rule::Solid)];
    for (r, row) in drawn.into_iter().enumerate() {
        if r > 0 {
            if r == head_rows {
                lines.push(rule(spans, widths, Some(r - 1), Some(r), Rule::Solid));
            } else if ruled {
                lines.push(rule(spans, widths, Some(r - 1), Some(r), Rule::Thin));
            }
        }
        lines.extend(row);
    }
    lines.push(rule(
        spans,
        widths,
        Some(count.saturating_sub(1)),
        None,
        Rule::Solid,
    ));
    lines
}

/// A cell in a row: its first column, the columns it covers, its wrapped lines (each
/// with its width).
type Slot = (usize, usize, std::vec::IntoIter<(Vec<Span>, usize)>);

/// One row's lines: each cell wrapped to the columns it covers, aligned, between
/// borders; a place a cell from above spans into is left blank.
fn row_lines(
    aligns: &[Align],
    r: usize,
    row: Vec<Vec<Span>>,
    natural: &[usize],
    spans: &SpanMap,
    widths: &[usize],
    header: bool,
) -> Vec<Line> {
    let mut slots: Vec<Slot> = Vec::new();
    for (c, cell) in row.into_iter().enumerate() {
        let owner = spans.owner(r, c);
        if owner.1 < c {
            continue;
        }
        let (_, cols) = spans.size(owner.0, owner.1);
        let width: usize = widths.iter().skip(c).take(cols).sum::<usize>() + 3 * (cols - 1);
        let own = owner == (r, c);
        let wrapped = if !own || cell.is_empty() {
            Vec::new()
        } else {
            wrap_measured(cell, natural.get(c).copied().unwrap_or(0), width)
        };
        slots.push((c, cols, wrapped.into_iter()));
    }
    let height = slots.iter().map(|s| s.2.len()).max().unwrap_or(1).max(1);
    // The padding around a cell is drawn with the border between cells, as one span:
    // a row is a few spans per cell instead of five, and a long post has thousands.
    let chrome = |text: &mut CompactString| Span {
        text: std::mem::take(text),
        style: Style::role(Role::TableBorder),
    };
    (0..height)
        .map(|_| {
            let mut line = Vec::with_capacity(2 * slots.len() + 1);
            // Inline in the span up to 24 bytes, so most gaps allocate nothing.
            let bar = frame_char('│');
            let mut gap = CompactString::default();
            gap.push(bar);
            for (c, cols, wrapped) in &mut slots {
                let w: usize = widths.iter().skip(*c).take(*cols).sum::<usize>() + 3 * (*cols - 1);
                let (piece, used) = wrapped.next().unwrap_or_default();
                let room = w.saturating_sub(used);
                let align = if header {
                    Align::Center
                } else {
                    aligns.get(*c).copied().unwrap_or(Align::None)
                };
                let (left, right) = match align {
                    Align::Right => (room, 0),
                    Align::Center => (room / 2, room - room / 2),
                    Align::Left | Align::None => (0, room),
                };
                push_spaces(&mut gap, 1 + left);
                line.push(chrome(&mut gap));
                line.extend(piece);
                push_spaces(&mut gap, right + 1);
                gap.push(bar);
            }
            line.push(chrome(&mut gap));
            Line { spans: line }
        })
        .collect()
}

fn push_spaces(text: &mut CompactString, n: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = n;
    while left > 0 {
        let take = left.min(SPACES.len());
        text.push_str(&SPACES[..take]);
        left -= take;
    }
}

/// A table too wide for any grid: each body row as `header: value` lines, the header
/// of a column being the last header row's cell over it.
pub(super) fn records(
    head_rows: usize,
    rows: &[Vec<Vec<Span>>],
    spans: &SpanMap,
    width: usize,
) -> Vec<Line> {
    let head_rows = head_rows.min(rows.len());
    let label = |c: usize| -> Vec<Span> {
        let Some(last) = head_rows.checked_sub(1) else {
            return Vec::new();
        };
        let (r, oc) = spans.owner(last, c);
        rows.get(r)
            .and_then(|row| row.get(oc))
            .map(|h| {
                h.iter()
                    .map(|s| Span {
                        text: s.text.clone(),
                        style: Style::role(Role::TableHeader),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut lines = Vec::new();
    for (r, row) in rows.iter().enumerate().skip(head_rows) {
        if r > head_rows {
            lines.push(Line {
                spans: vec![Span {
                    text: glyphs::rule('─', width.min(3)).into(),
                    style: Style::role(Role::TableBorder),
                }],
            });
        }
        for (c, cell) in row.iter().enumerate() {
            if spans.owner(r, c) != (r, c) {
                continue;
            }
            let mut line = label(c);
            if !line.is_empty() {
                line.push(Span {
                    text: ": ".into(),
                    style: Style::role(Role::TableBorder),
                });
            }
            line.extend(cell.iter().cloned());
            lines.extend(
                wrap_spans(&line, width)
                    .into_iter()
                    .map(|spans| Line { spans }),
            );
        }
    }
    lines
}
