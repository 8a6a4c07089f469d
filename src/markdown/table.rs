//! GFM tables fitted to a width.
//!
//! Columns get their natural width when the table fits. When it does not, narrow
//! columns keep their natural width and the wide ones give up space and wrap their
//! cells, so a short CJK word like 版本 is not split while a long description column can
//! wrap. Cells are never truncated. When not even one column per cell fits, the table is
//! drawn as records (`header: value` lines) instead. Borders are box-drawing characters.

use compact_str::CompactString;

use super::model::Align;
use super::style::{Line, Role, Span, Style};
use super::wrap::{display_width, wrap_measured, wrap_spans};

/// More columns than this are not drawn; a note says how many were left out.
pub const MAX_COLUMNS: usize = 64;

/// Columns narrower than this are never squeezed while a wider column can give room.
const COMFORT: usize = 8;

pub fn layout_table(
    aligns: &[Align],
    head: Vec<Vec<Span>>,
    rows: Vec<Vec<Vec<Span>>>,
    hidden_columns: usize,
    width: usize,
) -> Vec<Line> {
    let total_cols = std::iter::once(head.len())
        .chain(rows.iter().map(Vec::len))
        .max()
        .unwrap_or(0)
        + hidden_columns;
    if total_cols == 0 {
        return Vec::new();
    }
    let cols = total_cols.min(MAX_COLUMNS);
    let pad = |mut row: Vec<Vec<Span>>| {
        row.truncate(cols);
        row.resize(cols, Vec::new());
        row
    };
    let head = pad(head);
    let rows: Vec<Vec<Vec<Span>>> = rows.into_iter().map(pad).collect();
    // Every cell is measured once: for the column widths, then to draw it.
    let measure = |row: &Vec<Vec<Span>>| row.iter().map(|cell| cell_width(cell)).collect();
    let head_widths: Vec<usize> = measure(&head);
    let row_widths: Vec<Vec<usize>> = rows.iter().map(measure).collect();
    let mut lines = match fit_columns(&head, &rows, &head_widths, &row_widths, width) {
        Some(widths) => grid(aligns, (head, head_widths), rows, &row_widths, &widths),
        None => records(&head, &rows, width),
    };
    if total_cols > cols {
        lines.push(note(
            &format!("… {} more columns not shown", total_cols - cols),
            width,
        ));
    }
    lines
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

/// The widest unbreakable piece of a cell: the longest run of narrow characters
/// (a Latin word, a number, a date), or 2 for a CJK character.
fn longest_word(cell: &[Span]) -> usize {
    let mut longest = 0;
    for span in cell {
        let mut run = 0;
        for c in span.text.chars() {
            // Printable ASCII, most of it, without the width tables.
            let w = if matches!(c, ' '..='~') {
                1
            } else {
                unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
            };
            if c.is_whitespace() || w == 2 {
                longest = longest.max(run).max(w);
                run = 0;
            } else {
                run += w;
            }
        }
        longest = longest.max(run);
    }
    longest
}

/// Column widths (content only, without borders and padding) that fit `width`, or
/// `None` when even one column per cell does not fit.
fn fit_columns(
    head: &[Vec<Span>],
    rows: &[Vec<Vec<Span>>],
    head_widths: &[usize],
    row_widths: &[Vec<usize>],
    width: usize,
) -> Option<Vec<usize>> {
    let cols = head.len();
    // "│ a │ b │": one border per column plus one, and a space each side of a cell.
    let chrome = 3 * cols + 1;
    let available = width.checked_sub(chrome)?;
    if available < cols {
        return None;
    }
    let all = || std::iter::once(head).chain(rows.iter().map(Vec::as_slice));
    let all_widths = || std::iter::once(head_widths).chain(row_widths.iter().map(Vec::as_slice));
    let natural: Vec<usize> = (0..cols)
        .map(|c| {
            all_widths()
                .map(|r| r.get(c).copied().unwrap_or(0))
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect();
    if natural.iter().sum::<usize>() <= available {
        return Some(natural);
    }
    // Floors: what a column keeps before wide columns stop giving room (`soft`), and
    // what it cannot go below without splitting a word (`hard`).
    let hard: Vec<usize> = (0..cols)
        .map(|c| {
            all()
                .map(|r| r.get(c).map_or(0, |cell| longest_word(cell)))
                .max()
                .unwrap_or(1)
                .clamp(1, natural[c])
        })
        .collect();
    let mut widths: Vec<usize> = (0..cols)
        .map(|c| natural[c].min(hard[c].max(COMFORT)))
        .collect();
    let mut used: usize = widths.iter().sum();
    if used > available {
        // Take room from the widest column that can still wrap between words, down to
        // its hard floor; only then split words, widest column first, down to 1.
        while used > available {
            let soft = (0..cols)
                .filter(|&c| widths[c] > hard[c])
                .max_by_key(|&c| (widths[c], natural[c]));
            let pick = soft.or_else(|| {
                (0..cols)
                    .filter(|&c| widths[c] > 1)
                    .max_by_key(|&c| widths[c])
            });
            let c = pick?;
            widths[c] -= 1;
            used -= 1;
        }
        return Some(widths);
    }
    // Share the rest in proportion to what each column still wants.
    let mut spare = available - used;
    let wants: Vec<usize> = natural
        .iter()
        .zip(&widths)
        .map(|(n, w)| n.saturating_sub(*w))
        .collect();
    let total_want: usize = wants.iter().sum();
    let room = available - used;
    if total_want > 0 {
        for (w, want) in widths.iter_mut().zip(&wants) {
            let share = spare.min((want * room).checked_div(total_want).unwrap_or(0));
            *w += share;
            spare -= share;
        }
        // Rounding leftovers go to the columns still short of natural, in order.
        for (w, n) in widths.iter_mut().zip(&natural) {
            if spare == 0 {
                break;
            }
            let extra = spare.min(n.saturating_sub(*w));
            *w += extra;
            spare -= extra;
        }
    }
    Some(widths)
}

fn border(left: &str, mid: &str, right: &str, widths: &[usize]) -> Line {
    let mut text = String::from(left);
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            text.push_str(mid);
        }
        text.push_str(&"─".repeat(w + 2));
    }
    text.push_str(right);
    Line {
        spans: vec![Span {
            text: text.into(),
            style: Style::role(Role::TableBorder),
        }],
    }
}

/// The table in a box: the header row (cells with their display widths), the rows and
/// the widths of their cells, at the column `widths`.
fn grid(
    aligns: &[Align],
    (mut head, head_widths): (Vec<Vec<Span>>, Vec<usize>),
    rows: Vec<Vec<Vec<Span>>>,
    row_widths: &[Vec<usize>],
    widths: &[usize],
) -> Vec<Line> {
    let mut lines = vec![border("┌", "┬", "┐", widths)];
    // The header's look is the theme's `table_header`; code or a link in a header cell
    // keeps its own.
    for span in head.iter_mut().flatten() {
        if span.style.role == Role::Text {
            span.style.role = Role::TableHeader;
        }
    }
    lines.extend(row_lines(aligns, head, &head_widths, widths, true));
    lines.push(border("├", "┼", "┤", widths));
    for (row, natural) in rows.into_iter().zip(row_widths) {
        lines.extend(row_lines(aligns, row, natural, widths, false));
    }
    lines.push(border("└", "┴", "┘", widths));
    lines
}

fn row_lines(
    aligns: &[Align],
    row: Vec<Vec<Span>>,
    natural: &[usize],
    widths: &[usize],
    header: bool,
) -> Vec<Line> {
    let mut wrapped: Vec<std::vec::IntoIter<(Vec<Span>, usize)>> = row
        .into_iter()
        .zip(natural)
        .zip(widths)
        .map(|((cell, natural), w)| {
            if cell.is_empty() {
                Vec::new()
            } else {
                wrap_measured(cell, *natural, *w)
            }
            .into_iter()
        })
        .collect();
    let height = wrapped.iter().map(|c| c.len()).max().unwrap_or(1).max(1);
    // The padding around a cell is drawn with the border between cells, as one span:
    // a row is a few spans per cell instead of five, and a long post has thousands.
    let chrome = |text: &mut CompactString| Span {
        text: std::mem::take(text),
        style: Style::role(Role::TableBorder),
    };
    (0..height)
        .map(|_| {
            let mut spans = Vec::with_capacity(2 * widths.len() + 1);
            // Inline in the span up to 24 bytes, so most gaps allocate nothing.
            let mut gap = CompactString::const_new("│");
            for (c, w) in widths.iter().enumerate() {
                let (piece, used) = wrapped
                    .get_mut(c)
                    .and_then(Iterator::next)
                    .unwrap_or_default();
                let room = w.saturating_sub(used);
                let align = if header {
                    Align::Center
                } else {
                    aligns.get(c).copied().unwrap_or(Align::None)
                };
                let (left, right) = match align {
                    Align::Right => (room, 0),
                    Align::Center => (room / 2, room - room / 2),
                    Align::Left | Align::None => (0, room),
                };
                push_spaces(&mut gap, 1 + left);
                spans.push(chrome(&mut gap));
                spans.extend(piece);
                push_spaces(&mut gap, right + 1);
                gap.push('│');
            }
            spans.push(chrome(&mut gap));
            Line { spans }
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

/// A table too wide for any grid: each row as `header: value` lines.
fn records(head: &[Vec<Span>], rows: &[Vec<Vec<Span>>], width: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            lines.push(Line {
                spans: vec![Span {
                    text: "─".repeat(width.min(3)).into(),
                    style: Style::role(Role::TableBorder),
                }],
            });
        }
        for (c, cell) in row.iter().enumerate() {
            let mut spans: Vec<Span> = head
                .get(c)
                .map(|h| {
                    h.iter()
                        .map(|s| Span {
                            text: s.text.clone(),
                            style: Style::role(Role::TableHeader),
                        })
                        .collect()
                })
                .unwrap_or_default();
            spans.push(Span {
                text: ": ".into(),
                style: Style::role(Role::TableBorder),
            });
            spans.extend(cell.iter().cloned());
            lines.extend(
                wrap_spans(&spans, width)
                    .into_iter()
                    .map(|spans| Line { spans }),
            );
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> Vec<Span> {
        vec![Span {
            text: text.into(),
            style: Style::default(),
        }]
    }

    fn plain(lines: &[Line]) -> Vec<String> {
        lines.iter().map(Line::plain_text).collect()
    }

    #[test]
    fn a_table_that_fits_keeps_natural_widths_and_alignment() {
        let lines = layout_table(
            &[Align::Left, Align::Right],
            vec![cell("名称"), cell("n")],
            vec![vec![cell("版本"), cell("12")], vec![cell("a"), cell("3")]],
            0,
            40,
        );
        assert_eq!(
            plain(&lines),
            [
                "┌──────┬────┐",
                "│ 名称 │ n  │",
                "├──────┼────┤",
                "│ 版本 │ 12 │",
                "│ a    │  3 │",
                "└──────┴────┘",
            ]
        );
    }

    #[test]
    fn wide_columns_wrap_while_narrow_ones_keep_their_words() {
        let long = "这是一段很长的说明文字，需要在表格单元格里面换行显示才能放得下。";
        let lines = layout_table(
            &[Align::None, Align::None],
            vec![cell("版本"), cell("说明")],
            vec![vec![cell("版本"), cell(long)]],
            0,
            30,
        );
        for line in &lines {
            assert!(line.width() <= 30, "{:?}", line.plain_text());
        }
        assert!(
            plain(&lines).iter().any(|l| l.contains("│ 版本 │")),
            "{lines:#?}"
        );
    }

    #[test]
    fn ragged_rows_are_padded_and_no_width_overflows() {
        for width in [1, 2, 5, 9, 20, 41, 80] {
            let lines = layout_table(
                &[],
                vec![cell("a"), cell("b"), cell("c")],
                vec![vec![cell("only one")], vec![]],
                0,
                width,
            );
            for line in &lines {
                assert!(
                    line.width() <= width,
                    "width {width}: {:?}",
                    line.plain_text()
                );
            }
        }
    }

    #[test]
    fn too_many_columns_are_capped_with_a_note() {
        let head: Vec<Vec<Span>> = (0..500).map(|i| cell(&i.to_string())).collect();
        let lines = layout_table(&[], head, vec![], 0, 1000);
        assert!(
            lines
                .last()
                .unwrap()
                .plain_text()
                .contains("436 more columns")
        );
    }
}
