//! Tables (GFM's and HTML's) fitted to a width.
//!
//! Columns get their natural width when the table fits. When it does not, room is taken
//! from the widest columns first, and a column is not squeezed below a comfortable width
//! while a wider one could still give room: a short CJK word like 版本 is not split
//! while a long description or URL column can wrap. Cells are never truncated, and a
//! cell line never starts with closing punctuation: the unbreakable pieces of a cell are
//! measured as the line breaker's kinsoku keeps them. Cells spanning columns or rows
//! (HTML's `colspan` and `rowspan`) are drawn across them. When not even one column per
//! cell fits, the table is drawn as records (`header: value` lines) instead. Borders are
//! box-drawing characters; when any cell wraps, a thin rule parts the rows.

mod draw;
mod fit;

use super::layout::{Chunk, Ctx, paragraph};
use super::model::{Align, Merge, Table};
use super::sanitize::sanitize;
use super::style::{Line, Role, Span, Style};
use super::wrap::{display_width, wrap_spans};

/// More columns than this are not drawn; a note says how many were left out.
pub const MAX_COLUMNS: usize = 64;

/// A table laid out: its caption, then its grid.
pub(crate) fn layout(table: &Table, ctx: &mut Ctx, width: usize) -> Chunk {
    let rows: Vec<Vec<Vec<Span>>> = table
        .all_rows()
        .map(|row| row.iter().map(|c| ctx.spans(c, Style::default())).collect())
        .collect();
    let mut out = Chunk::default();
    if let Some(caption) = table.caption.as_deref().filter(|c| !c.trim().is_empty()) {
        let style = Style {
            italic: true,
            ..Style::role(Role::Emphasis)
        };
        out.append(paragraph(
            &[Span {
                text: sanitize(caption.trim()).as_ref().into(),
                style,
            }],
            width,
        ));
    }
    let shape = Shape {
        aligns: &table.aligns,
        head_rows: table.head.len(),
        merges: &table.merges,
        hidden_columns: table.hidden_columns,
    };
    out.lines.extend(layout_rows(&shape, rows, width));
    out
}

/// What a table is besides its cells.
pub(crate) struct Shape<'a> {
    pub aligns: &'a [Align],
    /// The first rows that are header rows.
    pub head_rows: usize,
    pub merges: &'a [Merge],
    pub hidden_columns: usize,
}

/// The lines of a table of `rows` (header rows first) at `width`.
pub(crate) fn layout_rows(shape: &Shape, rows: Vec<Vec<Vec<Span>>>, width: usize) -> Vec<Line> {
    let total_cols = rows.iter().map(Vec::len).max().unwrap_or(0) + shape.hidden_columns;
    if total_cols == 0 || rows.is_empty() {
        return Vec::new();
    }
    let cols = total_cols.min(MAX_COLUMNS);
    let rows: Vec<Vec<Vec<Span>>> = rows
        .into_iter()
        .map(|mut row| {
            row.truncate(cols);
            row.resize(cols, Vec::new());
            row
        })
        .collect();
    let spans = SpanMap::new(rows.len(), cols, shape.merges);
    // Every cell is measured once: for the column widths, then to draw it.
    let measured: Vec<Vec<usize>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| cell_width(cell)).collect())
        .collect();
    let mut lines = match fit::fit_columns(&rows, &measured, &spans, width) {
        Some(widths) => draw::grid(shape, rows, &measured, &spans, &widths),
        None => draw::records(shape.head_rows, &rows, &spans, width),
    };
    if total_cols > cols {
        lines.push(note(
            &format!("… {} more columns not shown", total_cols - cols),
            width,
        ));
    }
    lines
}

/// Which cell covers each place of the grid: its own, or a spanning cell's.
pub(crate) struct SpanMap {
    /// The (row, column) of the cell covering each place.
    owner: Vec<Vec<(usize, usize)>>,
    /// Rows and columns each spanning cell covers, by its place.
    size: std::collections::HashMap<(usize, usize), (usize, usize)>,
}

impl SpanMap {
    fn new(height: usize, cols: usize, merges: &[Merge]) -> SpanMap {
        let mut owner: Vec<Vec<(usize, usize)>> = (0..height)
            .map(|r| (0..cols).map(|c| (r, c)).collect())
            .collect();
        let mut size = std::collections::HashMap::new();
        for m in merges {
            if m.row >= height || m.col >= cols {
                continue;
            }
            let rows = m.rows.clamp(1, height - m.row);
            let span_cols = m.cols.clamp(1, cols - m.col);
            let free = (m.row..m.row + rows)
                .all(|r| (m.col..m.col + span_cols).all(|c| owner[r][c] == (r, c)));
            if !free {
                continue;
            }
            for row in owner.iter_mut().skip(m.row).take(rows) {
                for place in row.iter_mut().skip(m.col).take(span_cols) {
                    *place = (m.row, m.col);
                }
            }
            size.insert((m.row, m.col), (rows, span_cols));
        }
        SpanMap { owner, size }
    }

    fn owner(&self, row: usize, col: usize) -> (usize, usize) {
        self.owner
            .get(row)
            .and_then(|r| r.get(col))
            .copied()
            .unwrap_or((row, col))
    }

    /// Rows and columns the cell at this place covers, `(1, 1)` for most.
    fn size(&self, row: usize, col: usize) -> (usize, usize) {
        self.size.get(&(row, col)).copied().unwrap_or((1, 1))
    }

    /// Whether a vertical border runs at the left of column `col` in `row`: no cell
    /// spans across it there.
    fn border_before(&self, row: usize, col: usize) -> bool {
        col == 0 || self.owner(row, col) != self.owner(row, col - 1)
    }

    /// Whether a horizontal rule runs under `row` at column `col`: no cell spans down
    /// across it there.
    fn rule_below(&self, row: usize, col: usize) -> bool {
        self.owner(row, col) != self.owner(row + 1, col)
    }
}

fn note(text: &str, width: usize) -> Line {
    Line {
        spans: wrap_spans(
            &[Span {
                text: text.into(),
                style: Style::role(Role::Dim),
            }],
            width,
        )
        .into_iter()
        .next()
        .unwrap_or_default(),
    }
}

fn cell_width(cell: &[Span]) -> usize {
    cell.iter().map(|s| display_width(&s.text)).sum()
}

#[cfg(test)]
mod tests;
