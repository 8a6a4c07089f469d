//! Where a long body can be cut into pieces that parse on their own to exactly the
//! blocks the whole would give, so print mode can parse them on all cores.
//!
//! pulldown-cmark parses a document in one sequential pass. A cut is exact when nothing
//! is open across it: it is made only at a blank line followed by a line at column 0
//! that starts a new top-level block whatever came before (a paragraph, heading, table,
//! quote, fence, HTML; not a list item, which could continue a loose list), outside
//! fenced code and outside HTML blocks that run past blank lines (`<!--`, `<pre>`, …).
//! Whenever a body holds something this scan cannot follow exactly (a fence that is
//! indented or not after a blank line, link reference or footnote definitions, which
//! act across the whole document, definition lists, explicit heading ids, which stand
//! outside the numbering of repeated anchors that the reader redoes across pieces), it
//! is not cut at all: the price of doubt is speed, never a different rendering.

/// The body cut into pieces of at least `min_bytes` (the last may be shorter), in
/// order; their concatenation is `body`. One piece when the body is short or cannot be
/// cut exactly.
pub fn pieces(body: &str, min_bytes: usize) -> Vec<&str> {
    cut_points(body, min_bytes.max(1))
        .map(|cuts| {
            let mut out = Vec::with_capacity(cuts.len() + 1);
            let mut start = 0;
            for cut in cuts {
                out.push(&body[start..cut]);
                start = cut;
            }
            out.push(&body[start..]);
            out
        })
        .unwrap_or_else(|| vec![body])
}

/// The first blocks of `body`, at least `min_bytes` long when the body is: cut at a blank
/// line outside fenced code, so the head parses as the body's beginning does. The reader
/// parses this first to show a very long post's first screen at once; unlike
/// [`pieces`] it may cut where the result could differ (before a list item, inside
/// multi-line HTML), since the whole is parsed right after.
pub fn head_of(body: &str, min_bytes: usize) -> &str {
    if body.len() <= min_bytes {
        return body;
    }
    let mut fence: Option<(u8, usize)> = None;
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        at += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        match fence {
            Some(open) if closes_fence(content, open) => fence = None,
            Some(_) => {}
            None => fence = fence_opener(content.trim_start_matches([' ', '\t'])),
        }
        if at >= min_bytes && fence.is_none() && line.trim().is_empty() {
            return body.get(..at).unwrap_or(body);
        }
    }
    body
}

/// Byte offsets (line starts) where the body can be cut, or `None` when it must not be.
fn cut_points(body: &str, min_bytes: usize) -> Option<Vec<usize>> {
    if body.len() < 2 * min_bytes {
        return None;
    }
    let mut cuts = Vec::new();
    let mut piece_start = 0;
    let mut at = 0;
    let mut prev_blank = true;
    let mut fence: Option<(u8, usize)> = None;
    let mut html_end: Option<&'static str> = None;
    for line in body.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if content.contains('\r') {
            // A lone carriage return ends a line for the parser but not for this scan.
            return None;
        }
        if let Some(open) = fence {
            if closes_fence(content, open) {
                fence = None;
            }
            prev_blank = false;
            continue;
        }
        if let Some(end) = html_end {
            if contains_ignore_case(content, end) {
                html_end = None;
            }
            prev_blank = is_blank(content);
            continue;
        }
        if prev_blank
            && start > piece_start
            && start - piece_start >= min_bytes
            && body.len() - start >= min_bytes / 2
            && starts_a_block(content)
        {
            cuts.push(start);
            piece_start = start;
        }
        let indent = content.len() - content.trim_start_matches([' ', '\t']).len();
        let rest = &content[indent..];
        if let Some(open) = fence_opener(rest) {
            // Only a fence this scan can follow exactly: at column 0, after a blank line
            // (so no paragraph, table or HTML block can swallow it), with a valid info
            // string.
            if indent > 0 || !prev_blank || (open.0 == b'`' && rest[open.1..].contains('`')) {
                return None;
            }
            fence = Some(open);
        } else if let Some(end) = html_block_end(rest) {
            let after_opener = rest.get(2..).unwrap_or_default();
            if !contains_ignore_case(after_opener, end) {
                if indent > 0 || !prev_blank {
                    return None;
                }
                html_end = Some(end);
            }
        }
        if defines_across_document(content) {
            return None;
        }
        prev_blank = is_blank(content);
    }
    Some(cuts)
}

/// A blank line as CommonMark has it: spaces and tabs only. A line of ideographic
/// spaces (`　　`, a Chinese indent) is text, and the line after it may continue it.
fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ' || b == b'\t')
}

/// Whether a line at column 0, after a blank line, starts a new top-level block
/// whatever was open before the blank line.
fn starts_a_block(line: &str) -> bool {
    let Some(&first) = line.as_bytes().first() else {
        return false;
    };
    match first {
        b'#' | b'|' | b'!' | b'>' | b'`' | b'~' | b'<' => true,
        // `1.` and `1)` could be the next item of a loose ordered list.
        b'0'..=b'9' => {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            !matches!(line.as_bytes().get(digits), Some(b'.' | b')'))
        }
        b if b.is_ascii_alphabetic() => true,
        // Text in any other script (CJK paragraphs); ASCII punctuation and whitespace
        // could be list markers, rules, indented content or definitions.
        b => b >= 0x80,
    }
}

fn fence_opener(rest: &str) -> Option<(u8, usize)> {
    let c = *rest
        .as_bytes()
        .first()
        .filter(|c| matches!(c, b'`' | b'~'))?;
    let run = rest.bytes().take_while(|x| *x == c).count();
    (run >= 3).then_some((c, run))
}

/// A closing fence: up to three spaces, at least as many of the opening character,
/// nothing after but whitespace.
fn closes_fence(line: &str, (c, len): (u8, usize)) -> bool {
    let rest = line.trim_start_matches(' ');
    if line.len() - rest.len() > 3 {
        return false;
    }
    let run = rest.bytes().take_while(|x| *x == c).count();
    run >= len && rest[run..].trim().is_empty()
}

/// The end marker of an HTML block that runs past blank lines (CommonMark kinds 1–5),
/// when `rest` starts one.
fn html_block_end(rest: &str) -> Option<&'static str> {
    if !rest.starts_with('<') {
        return None;
    }
    // Enough to tell the kinds apart, cut at a character boundary.
    let mut end = rest.len().min(12);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let head = rest.get(..end)?.to_ascii_lowercase();
    let tag = |name: &str| {
        head.strip_prefix('<')
            .and_then(|h| h.strip_prefix(name))
            .is_some_and(|after| after.is_empty() || after.starts_with([' ', '>', '\t']))
    };
    if tag("pre") {
        Some("</pre>")
    } else if tag("script") {
        Some("</script>")
    } else if tag("style") {
        Some("</style>")
    } else if tag("textarea") {
        Some("</textarea>")
    } else if head.starts_with("<!--") {
        Some("-->")
    } else if head.starts_with("<?") {
        Some("?>")
    } else if head.starts_with("<![cdata[") {
        Some("]]>")
    } else if head.starts_with("<!") && head.as_bytes().get(2).is_some_and(u8::is_ascii_alphabetic)
    {
        Some(">")
    } else {
        None
    }
}

/// Link reference and footnote definitions (`[x]: …`, `[^1]: …`) act on the whole
/// document, a definition list's `: …` can follow its term across a blank line, and an
/// explicit heading id (`{#id}`) is not numbered as a repeat like the anchors made from
/// heading text, which the reader numbers across pieces: a body holding any is not cut.
fn defines_across_document(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with(':') || line.contains("]:") || line.contains("{#")
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(n: usize) -> String {
        (0..n).map(|i| format!("Paragraph {i} text.\n\n")).collect()
    }

    #[test]
    fn pieces_concatenate_to_the_body_and_start_blocks() {
        let body = paragraphs(200);
        let pieces = pieces(&body, 256);
        assert!(pieces.len() > 5, "{}", pieces.len());
        assert_eq!(pieces.concat(), body);
        for piece in &pieces {
            assert!(piece.starts_with("Paragraph"), "{piece:?}");
        }
    }

    #[test]
    fn short_bodies_are_one_piece() {
        let body = paragraphs(3);
        assert_eq!(pieces(&body, 1024), vec![body.as_str()]);
    }

    #[test]
    fn no_cut_inside_fenced_code_or_html_comments() {
        let fenced = format!(
            "{}```\ncode\n\nAfter a blank line, still code\n\n```\n\n{}",
            paragraphs(50),
            paragraphs(50)
        );
        let comment = format!(
            "{}<!--\n\nStill a comment\n\n-->\n\n{}",
            paragraphs(50),
            paragraphs(50)
        );
        // The opener's first bytes end inside a character.
        let chinese = format!(
            "{}<!--中文注释\n\nStill a comment\n\n-->\n\n{}",
            paragraphs(50),
            paragraphs(50)
        );
        for (body, min) in [fenced, comment, chinese]
            .iter()
            .flat_map(|body| (1..80).map(move |min| (body, min)))
        {
            for piece in pieces(body, min) {
                assert!(
                    !piece.starts_with("After") && !piece.starts_with("Still"),
                    "cut inside: {piece:?}"
                );
            }
        }
    }

    #[test]
    fn only_spaces_and_tabs_make_a_blank_line() {
        let body = format!(
            "{}　　\nContinued paragraph\n\n{}",
            paragraphs(40),
            paragraphs(40)
        );
        for min in 1..80 {
            for piece in pieces(&body, min) {
                assert!(
                    !piece.starts_with("Continued"),
                    "cut after an ideographic indent"
                );
            }
        }
    }

    #[test]
    fn list_items_and_indented_lines_are_never_cut_before() {
        let body = format!(
            "{}- a\n\n- b\n\n1. c\n\n2. d\n\n    code\n\n",
            paragraphs(80)
        );
        for piece in pieces(&body, 32).iter().skip(1) {
            let first = piece.as_bytes()[0];
            assert!(first != b'-' && first != b' ', "{piece:?}");
            assert!(!piece.starts_with("2."), "{piece:?}");
        }
    }

    #[test]
    fn bodies_this_scan_cannot_follow_are_not_cut() {
        let tail = paragraphs(100);
        for odd in [
            "[ref]: https://example.com\n\n",
            "Text[^1].\n\n[^1]: A note.\n\n",
            "Term\n\n: Definition\n\n",
            "## Setup {#install}\n\n",
            "- item\n\n  ```\n  code\n  ```\n\n",
            "Paragraph\n```\ncode\n```\n\n",
            "<div>\n<!--\n\n-->\n\n",
            "~~~\rcode\r~~~\n\n",
        ] {
            let body = format!("{tail}{odd}{tail}");
            assert_eq!(pieces(&body, 64).len(), 1, "{odd:?}");
        }
    }
}
