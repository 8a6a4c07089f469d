//! TEMPORARY grapheme wrapper until the UAX #14 wrapper lands.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::style::Span;

pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

pub fn wrap_spans(spans: &[Span], width: usize) -> Vec<Vec<Span>> {
    wrap_spans_with(spans, width, width)
}

pub fn wrap_spans_with(spans: &[Span], first: usize, rest: usize) -> Vec<Vec<Span>> {
    let mut lines: Vec<Vec<Span>> = vec![Vec::new()];
    let mut used = 0;
    let mut limit = first.max(1);
    for span in spans {
        if span.text == "\n" {
            lines.push(Vec::new());
            used = 0;
            limit = rest.max(1);
            continue;
        }
        for g in span.text.graphemes(true) {
            let w = display_width(g);
            if used + w > limit {
                lines.push(Vec::new());
                used = 0;
                limit = rest.max(1);
            }
            let g = if w > limit { "…" } else { g };
            let line = lines.last_mut().expect("non-empty");
            match line.last_mut() {
                Some(last) if last.style == span.style => last.text.push_str(g),
                _ => line.push(Span {
                    text: g.to_string(),
                    style: span.style,
                }),
            }
            used += display_width(g);
        }
    }
    lines
}

pub fn chop(s: &str, width: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = display_width(g);
        if used + w > width.max(1) {
            out.push(String::new());
            used = 0;
        }
        let g = if w > width.max(1) { "…" } else { g };
        if let Some(last) = out.last_mut() {
            last.push_str(g);
        }
        used += display_width(g);
    }
    out
}
