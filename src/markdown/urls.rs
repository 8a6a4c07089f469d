//! Image and link lines whose URL is longer than the line: `[image: alt] https://…` or
//! a bare `<https://…>`. The URL is one unbreakable word to the line breaker, which can
//! only cut it anywhere; here it is cut after a `/` or a `-`, where a URL parts its
//! words, and each continuation line starts with a mark so the pieces read as one.

use super::cells;
use super::inline::spans_width;
use super::layout::{Chunk, span};
use super::style::{Role, Span};
use super::wrap::{display_width, wrap_spans};

/// Starts every line of a URL after its first.
const CONTINUED: &str = "↪ ";

fn looks_like_url(text: &str) -> bool {
    text.contains("://") && !text.contains(char::is_whitespace)
}

/// The lines of a paragraph that is an image or link line with a URL too long for the
/// line; `None` for any other paragraph, which wraps as usual.
pub(super) fn url_line(spans: &[Span], width: usize) -> Option<Chunk> {
    if width < 12 || spans_width(spans) <= width {
        return None;
    }
    let url_at = spans.iter().position(|s| looks_like_url(&s.text))?;
    let (before, rest) = spans.split_at(url_at);
    let (url, after) = rest.split_first()?;
    let hard_break = |s: &Span| s.text.contains('\n');
    // A URL that fits a line is put on one by the line breaker as it is.
    if display_width(&url.text) + spans_width(after) <= width
        || spans_width(after) > width / 2
        || before.iter().chain(after).any(hard_break)
    {
        return None;
    }
    let mut out = Chunk::default();
    let mut line: Vec<Span> = before.to_vec();
    let mut used = spans_width(before);
    if used > width / 2 {
        // A long lead-in (an image's alt text, a sentence) is wrapped as usual; the URL
        // goes on after its last line.
        let mut wrapped = wrap_spans(before, width);
        line = wrapped.pop().unwrap_or_default();
        for earlier in wrapped {
            out.push_spans(earlier);
        }
        let spaced = |spans: &[Span]| spans.last().is_some_and(|s| s.text.ends_with(' '));
        if spaced(before) && !spaced(&line) && !line.is_empty() {
            line.push(span(" ", Role::Text));
        }
        used = spans_width(&line);
    }
    let mut remaining = url.text.as_str();
    let scheme_end = remaining.find("://").map_or(0, |at| at + 3);
    let mut first = true;
    while !remaining.is_empty() {
        let room = width.saturating_sub(used);
        let next_width = cells::graphemes(remaining)
            .next()
            .map_or(0, |(_, g)| cells::grapheme_width(g));
        if next_width > room && used > 0 {
            // Not even the URL's next character fits after what the line holds: it
            // goes on from a line of its own.
            while line.last().is_some_and(|s| s.text.trim().is_empty()) {
                line.pop();
            }
            out.push_spans(std::mem::take(&mut line));
            used = 0;
            if !first {
                line.push(span(CONTINUED, Role::Dim));
                used = display_width(CONTINUED);
            }
            continue;
        }
        let room = room.max(1);
        let cut = piece_len(remaining, room, if first { scheme_end } else { 0 });
        let (piece, tail) = remaining.split_at(cut);
        line.push(Span {
            text: piece.into(),
            style: url.style,
        });
        remaining = tail;
        first = false;
        if !remaining.is_empty() {
            out.push_spans(std::mem::take(&mut line));
            line.push(span(CONTINUED, Role::Dim));
            used = display_width(CONTINUED);
        } else {
            used += display_width(piece);
        }
    }
    if used + spans_width(after) <= width {
        line.extend(after.iter().cloned());
        out.push_spans(line);
    } else {
        out.push_spans(line);
        for wrapped in wrap_spans(after, width) {
            out.push_spans(wrapped);
        }
    }
    Some(out)
}

/// How many bytes of `url` go on a line of `room` columns: up to just after the last
/// `/` or `-` that fits (not one inside the scheme's `://`, which ends at
/// `scheme_end`; just after it is fine), else as many graphemes as fit, at least one.
fn piece_len(url: &str, room: usize, scheme_end: usize) -> usize {
    let mut used = 0;
    let mut fits = 0;
    let mut last_break = None;
    for (at, g) in cells::graphemes(url) {
        let w = cells::grapheme_width(g);
        if used + w > room {
            break;
        }
        used += w;
        fits = at + g.len();
        if (g == "/" || g == "-") && fits >= scheme_end {
            last_break = Some(fits);
        }
    }
    if fits >= url.len() {
        return url.len();
    }
    match last_break {
        Some(at) => at,
        None if fits > 0 => fits,
        None => cells::graphemes(url)
            .next()
            .map_or(url.len(), |(_, g)| g.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::style::Style;

    #[test]
    fn a_url_whose_next_character_does_not_fit_goes_on_from_the_next_line() {
        let spans = vec![
            span("[image: 姚昌宇 MOSN] ", Role::Image),
            span(
                "https://gw.alipayobjects.com/mdn/rms_95b965/afts/img/A*xdNx",
                Role::LinkUrl,
            ),
        ];
        let wide_first = vec![
            span("Service Mesh 概述", Role::Text),
            span(
                "：https://www.servicemesher.com/istio-handbook/concepts/",
                Role::Text,
            ),
        ];
        for width in 12..=30 {
            for spans in [&spans, &wide_first] {
                let chunk = url_line(spans, width).expect("a long URL line");
                for line in &chunk.lines {
                    assert!(line.width() <= width, "{width}: {line:?}");
                }
            }
        }
    }

    fn text(chunk: &Chunk) -> Vec<String> {
        chunk.lines.iter().map(|l| l.plain_text()).collect()
    }

    #[test]
    fn a_long_url_breaks_after_slashes_and_hyphens_with_a_mark() {
        let spans = vec![
            span("[image: 图] ", Role::Image),
            Span {
                text: "https://example.com/assets/images/architecture-overview-diagram.png".into(),
                style: Style::role(Role::LinkUrl),
            },
        ];
        let lines = text(&url_line(&spans, 40).expect("an image line"));
        assert_eq!(
            lines,
            [
                "[image: 图] https://example.com/assets/",
                "↪ images/architecture-overview-",
                "↪ diagram.png",
            ]
        );
        assert!(url_line(&spans, 120).is_none(), "fits: nothing to do");
    }

    #[test]
    fn a_url_with_no_place_to_break_is_cut_where_the_line_ends() {
        assert_eq!(piece_len("abcdefghijklmnop", 5, 0), 5);
        // Just after the scheme, rather than inside the host name.
        assert_eq!(piece_len("https://abcdefghijklmnop", 12, 8), 8);
        assert_eq!(piece_len("https://ab/cdefghijklmnop", 14, 8), 11);
        assert_eq!(piece_len("https://a", 3, 8), 3);
    }
}
