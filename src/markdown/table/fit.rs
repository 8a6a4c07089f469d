//! Column widths for a table at a width: natural when they fit, else room taken from the
//! widest columns first, so narrow ones keep their words.

use super::super::style::Span;
use super::super::wrap::{char_width, closes, opens};
use super::SpanMap;

/// Columns narrower than this are never squeezed while a wider column can give room.
const COMFORT: usize = 8;
/// Narrower than this a CJK column reads a character or two a line: long words of
/// wider columns are split first.
const SQUEEZED: usize = 6;
/// A word longer than this (a URL, a path) is split before narrow columns are squeezed
/// below [`SQUEEZED`]; a date or a version number is not.
const LONG_WORD: usize = 2 * COMFORT;

/// Whether column `c` holds a character two columns wide.
fn wide_glyphs(rows: &[Vec<Vec<Span>>], c: usize) -> bool {
    rows.iter()
        .filter_map(|row| row.get(c))
        .flatten()
        .any(|span| !span.text.is_ascii() && span.text.chars().any(|ch| char_width(ch) == Some(2)))
}

/// The widest unbreakable piece of a cell: a run of narrow characters (a Latin word, a
/// number, a date), a CJK character, or either held together with the punctuation
/// kinsoku keeps with it (`字，`, `（注）`), as the line breaker will keep them.
fn longest_word(cell: &[Span]) -> usize {
    let mut longest = 0;
    for span in cell {
        let mut run = 0;
        let mut prev: Option<(char, usize)> = None;
        for c in span.text.chars() {
            // Printable ASCII, most of it, without the width tables.
            let w = if matches!(c, ' '..='~') {
                1
            } else {
                char_width(c).unwrap_or(0)
            };
            if c.is_whitespace() {
                longest = longest.max(run);
                run = 0;
                prev = None;
                continue;
            }
            let break_before =
                prev.is_some_and(|(p, pw)| (pw == 2 || w == 2) && !closes(c) && !opens(p));
            if break_before {
                longest = longest.max(run);
                run = 0;
            }
            run += w;
            prev = Some((c, w));
        }
        longest = longest.max(run);
    }
    longest
}

/// Column widths (content only, without borders and padding) that fit `width`, or
/// `None` when even one column per cell does not fit.
pub(super) fn fit_columns(
    rows: &[Vec<Vec<Span>>],
    measured: &[Vec<usize>],
    spans: &SpanMap,
    width: usize,
) -> Option<Vec<usize>> {
    let cols = rows.first().map_or(0, Vec::len);
    // "│ a │ b │": one border per column plus one, and a space each side of a cell.
    let chrome = 3 * cols + 1;
    let available = width.checked_sub(chrome)?;
    if available < cols {
        return None;
    }
    let (natural, hard) = floors(rows, measured, spans, cols);
    if natural.iter().sum::<usize>() <= available {
        return Some(natural);
    }
    let mut widths: Vec<usize> = (0..cols)
        .map(|c| natural[c].min(hard[c].max(COMFORT)))
        .collect();
    let mut used: usize = widths.iter().sum();
    if used > available {
        // Room comes from the widest column first: wrapping between words down to a
        // comfortable width; then splitting long words (a URL, split anyway once it
        // is wider than the table) rather than squeezing a narrow column; then
        // wrapping down to a squeezed width; then anywhere between words; then
        // splitting any word.
        // A column is never narrower than its widest character: a CJK character
        // cannot be drawn in one column, and rather than lose it the table becomes
        // records.
        let glyph: Vec<usize> = (0..cols)
            .map(|c| if wide_glyphs(rows, c) { 2 } else { 1 })
            .collect();
        let phases: [&dyn Fn(usize, usize) -> bool; 5] = [
            &|c, w| w > COMFORT && w > hard[c],
            &|_, w| w > LONG_WORD,
            &|c, w| w > SQUEEZED && w > hard[c],
            &|c, w| w > hard[c],
            &|c, w| w > glyph[c],
        ];
        for can_give in phases {
            while used > available {
                let Some(c) = (0..cols)
                    .filter(|&c| can_give(c, widths[c]))
                    .max_by_key(|&c| (widths[c], natural[c]))
                else {
                    break;
                };
                widths[c] -= 1;
                used -= 1;
            }
        }
        return (used <= available).then_some(widths);
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

/// Each column's natural width and the width below which its words split. A cell
/// spanning columns counts for them together: what it needs beyond their own widths
/// (and the borders between them) is shared out among them.
fn floors(
    rows: &[Vec<Vec<Span>>],
    measured: &[Vec<usize>],
    spans: &SpanMap,
    cols: usize,
) -> (Vec<usize>, Vec<usize>) {
    let mut natural = vec![1usize; cols];
    let mut hard = vec![1usize; cols];
    let mut wide_cells = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if spans.owner(r, c) != (r, c) {
                continue;
            }
            let w = measured.get(r).and_then(|m| m.get(c)).copied().unwrap_or(0);
            let word = longest_word(cell);
            let (_, span_cols) = spans.size(r, c);
            if span_cols > 1 {
                wide_cells.push((c, span_cols, w, word));
            } else {
                natural[c] = natural[c].max(w);
                hard[c] = hard[c].max(word);
            }
        }
    }
    let widen = |widths: &mut Vec<usize>, c: usize, n: usize, need: usize| {
        let have: usize = widths.iter().skip(c).take(n).sum::<usize>() + 3 * (n - 1);
        let short = need.saturating_sub(have);
        for (i, w) in widths.iter_mut().skip(c).take(n).enumerate() {
            *w += short / n + usize::from(i < short % n);
        }
    };
    for (c, n, w, word) in wide_cells {
        widen(&mut natural, c, n, w);
        widen(&mut hard, c, n, word);
    }
    for (h, n) in hard.iter_mut().zip(&natural) {
        *h = (*h).clamp(1, *n);
    }
    (natural, hard)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::style::Style;

    fn cell(text: &str) -> Vec<Span> {
        vec![Span {
            text: text.into(),
            style: Style::default(),
        }]
    }

    #[test]
    fn kinsoku_keeps_punctuation_with_its_character() {
        assert_eq!(longest_word(&cell("中文，中文")), 4);
        assert_eq!(longest_word(&cell("（注）")), 6);
        assert_eq!(longest_word(&cell("版本 v1.2.3")), 6);
    }

    #[test]
    fn a_narrow_column_is_not_crushed_while_a_wide_one_can_give() {
        let url = "https://example.com/a/very/long/path/that/does/not/wrap/anywhere";
        let rows = vec![
            vec![cell("名称"), cell("地址")],
            vec![cell("服务网格的控制平面"), cell(url)],
        ];
        let measured: Vec<Vec<usize>> = rows
            .iter()
            .map(|r| r.iter().map(|c| super::super::cell_width(c)).collect())
            .collect();
        let spans = SpanMap::new(2, 2, &[]);
        let widths = fit_columns(&rows, &measured, &spans, 41).expect("fits");
        assert!(widths[0] >= COMFORT, "{widths:?}");
        assert_eq!(widths.iter().sum::<usize>() + 7, 41);
    }
}
