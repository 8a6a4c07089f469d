//! Full-text search over post bodies: case-insensitive substring search, several terms
//! AND-ed, with a hit count and a one-line snippet around the first hit.
//!
//! A body is searched as it reads, not as it was written ([`Body::read`]): the
//! Markdown is reduced once, at load, to the reader's plain text, so a query finds the
//! words on screen (and not a link's URL or an HTML attribute), a phrase is found across
//! a source line break, and the snippet shows text rather than `**` and `](…)`.
//!
//! Case folding is done once, when a body is loaded ([`Body::new`]), and keeps every
//! character's UTF-8 length: a byte offset found in the folded text is the same offset
//! in the original, so snippets are cut from the text as written without any mapping.
//! The few characters whose lowercase form has another length (the Kelvin sign, `İ`)
//! are left as they are; substring search on the folded text is then plain `str`
//! searching, which is what makes a query over 10 000 bodies fast. A hit is widened
//! to whole grapheme clusters before it is shown, so a snippet never splits one.

use std::ops::Range;

use memchr::memmem;
use rayon::prelude::*;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use super::Post;
use super::query::{Hit, Scored};
use crate::markdown::sanitize::sanitize;

/// A post body as full-text search keeps it: the text as read and its case-folded twin.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    text: String,
    folded: String,
}

impl Body {
    /// The body of `post` as full-text search sees it: its Markdown (front matter
    /// removed) read from its file and kept as the reader's plain text; `None` when it
    /// cannot be read (the reader says why when the post is opened).
    pub fn read(post: &Post) -> Option<Body> {
        let markdown = post.body().ok()?;
        let text = crate::markdown::plain_text(&markdown);
        // The source goes before the folded twin is made: a long body is three copies
        // of itself at the worst moment, not four.
        drop(markdown);
        Some(Body::new(text))
    }

    /// A body from text that is already plain.
    pub fn new(text: String) -> Body {
        let folded = fold(&text);
        Body { text, folded }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Bytes it holds (the text and its folded twin): what the memory budget counts.
    pub fn size(&self) -> usize {
        self.text.len() + self.folded.len()
    }
}

/// Lowercases `s` character by character where that keeps the character's UTF-8
/// length, so byte offsets in the result are offsets in `s`.
///
/// ASCII is lowered in one pass over the bytes, and the scripts without case that most
/// of a Chinese post is written in are passed over by their first byte
/// ([`is_caseless_lead`]); only the other characters are looked up one by one. Every
/// post's whole text goes through here when bodies are loaded and when a search reads
/// files, and looking up each character was a third of that work.
pub fn fold(s: &str) -> String {
    let lowered = s.to_ascii_lowercase();
    let bytes = lowered.as_bytes();
    let mut changes: Vec<(usize, char)> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            i += 1;
            continue;
        }
        if is_caseless_lead(b, bytes.get(i + 1).copied()) {
            i += 3;
            continue;
        }
        let Some(c) = lowered.get(i..).and_then(|rest| rest.chars().next()) else {
            // Not at a character's start: cannot happen in a `str`; step on.
            i += 1;
            continue;
        };
        let lower = fold_char(c);
        if lower != c {
            changes.push((i, lower));
        }
        i += c.len_utf8();
    }
    if changes.is_empty() {
        return lowered;
    }
    let mut out = String::with_capacity(lowered.len());
    let mut from = 0;
    for (at, lower) in changes {
        out.push_str(lowered.get(from..at).unwrap_or_default());
        out.push(lower);
        from = at + lower.len_utf8();
    }
    out.push_str(lowered.get(from..).unwrap_or_default());
    out
}

/// `c` lowercased when its lowercase form is one character of the same UTF-8 length;
/// else `c`.
fn fold_char(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
        _ => c,
    }
}

/// Whether the three-byte character led by `lead` (followed by `second`) is in a block
/// without case: U+3000–U+9FFF (CJK punctuation, kana, Hangul jamo, CJK ideographs),
/// U+B000–U+EFFF (Hangul syllables, private use; surrogates cannot be in UTF-8) and
/// U+F000–U+FFFF but for U+FF00–U+FF3F, where the fullwidth capitals are. A test checks every
/// character of these blocks.
fn is_caseless_lead(lead: u8, second: Option<u8>) -> bool {
    matches!(lead, 0xE3..=0xE9 | 0xEB..=0xEE) || (lead == 0xEF && second != Some(0xBC))
}

/// Byte ranges of the non-overlapping occurrences of each needle in `text`, compared
/// case-insensitively, sorted by position. Needles must already be [`fold`]ed.
pub fn find_all(text: &str, folded_needles: &[String]) -> Vec<Range<usize>> {
    let folded = fold(text);
    let mut out: Vec<Range<usize>> = folded_needles
        .iter()
        .filter(|n| !n.is_empty())
        .flat_map(|n| {
            folded
                .match_indices(n.as_str())
                .map(|(i, m)| i..i + m.len())
                .collect::<Vec<_>>()
        })
        .collect();
    out.sort_by_key(|r| (r.start, r.end));
    out
}

/// What a full-text hit shows in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextMatch {
    /// Occurrences of all terms together.
    pub count: usize,
    /// Byte range of the first hit in the body.
    pub first: Range<usize>,
    /// The snippet, made when the hit was found in a body that is not kept in memory
    /// (see [`search_files`]); otherwise it is made from the kept body when shown.
    pub kept: Option<Snippet>,
}

impl TextMatch {
    /// The snippet around the first hit; made for the rows shown, not for every hit.
    pub fn snippet(&self, body: &Body) -> Snippet {
        Snippet::around(body.text(), self.first.clone())
    }
}

/// A query's terms as substring finders (SIMD), built once and shared by the threads.
pub struct Terms(Vec<memmem::Finder<'static>>);

impl Terms {
    pub fn new(terms: &[String]) -> Terms {
        Terms(
            terms
                .iter()
                .map(|t| fold(t))
                .filter(|t| !t.is_empty())
                .map(|t| memmem::Finder::new(t.as_bytes()).into_owned())
                .collect(),
        )
    }

    /// Where every term occurs in `body`, or `None` when one does not.
    pub fn find_in(&self, body: &Body) -> Option<TextMatch> {
        let hay = body.folded.as_bytes();
        let mut count = 0;
        let mut first: Option<Range<usize>> = None;
        for finder in &self.0 {
            let at = finder.find(hay)?;
            let rest = hay.get(at + finder.needle().len()..).unwrap_or_default();
            count += 1 + finder.find_iter(rest).count();
            if first.as_ref().is_none_or(|f| at < f.start) {
                first = Some(at..at + finder.needle().len());
            }
        }
        Some(TextMatch {
            count,
            first: first?,
            kept: None,
        })
    }
}

/// Full-text hits among `posts`, reading each body from its file and keeping only the
/// snippet: a search over more text than memory holds, on all cores. Most hits first.
pub fn search_files<P: std::borrow::Borrow<Post> + Sync>(posts: &[P], terms: &Terms) -> Vec<Hit> {
    let mut hits: Vec<Hit> = posts
        .par_iter()
        .filter_map(|post| {
            let post = post.borrow();
            let body = Body::read(post)?;
            let mut found = terms.find_in(&body)?;
            found.kept = Some(found.snippet(&body));
            Some(Hit {
                id: post.id.clone(),
                score: u32::try_from(found.count).unwrap_or(u32::MAX),
                text: Some(found),
            })
        })
        .collect();
    hits.sort_by_key(|h| std::cmp::Reverse(h.score));
    hits
}

/// The first hit in its line: text before it, the hit, text after it; each sanitized
/// and free of line breaks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The text before, the hit and the text after, one after another in one string:
    /// a query matching most of 100,000 posts keeps 70,000 snippets.
    text: Box<str>,
    /// Where the hit is in `text`.
    hit_start: u32,
    hit_end: u32,
}

/// How much of a hit's line a snippet keeps, in columns: enough for the widest list.
const BEFORE_COLS: usize = 60;
const AFTER_COLS: usize = 200;

impl Snippet {
    /// The snippet of the line of `text` that holds the byte range `hit`.
    pub fn around(text: &str, hit: Range<usize>) -> Snippet {
        let (Some(head), Some(tail)) = (text.get(..hit.start), text.get(hit.end..)) else {
            return Snippet::default();
        };
        // Only so much of the line either side of the hit can be shown, and a line may
        // be a whole long paragraph: the snippet is cut from a window of it.
        let window_start = char_boundary_at_or_after(head, hit.start.saturating_sub(WINDOW));
        let window_end = hit.end + char_boundary_at_or_after(tail, WINDOW.min(tail.len()));
        let line_start = head
            .get(window_start..)
            .and_then(|h| h.rfind('\n'))
            .map_or(window_start, |i| window_start + i + 1);
        let line_end = text
            .get(hit.end..window_end)
            .and_then(|t| t.find('\n'))
            .map_or(window_end, |i| hit.end + i);
        let line = text.get(line_start..line_end).unwrap_or_default();
        // Widen the hit to whole grapheme clusters of the line.
        let (rel_start, rel_end) = (hit.start - line_start, hit.end - line_start);
        let mut start = rel_start;
        let mut end = rel_end;
        for (i, g) in line.grapheme_indices(true) {
            let g_end = i + g.len();
            if i <= rel_start && rel_start < g_end {
                start = i;
            }
            if i < rel_end && rel_end <= g_end {
                end = g_end;
                break;
            }
        }
        let piece = |r: Range<usize>| clean(line.get(r).unwrap_or_default());
        let before = piece(0..start);
        let before = take_cols_from_end(before.trim_start(), BEFORE_COLS);
        let after = take_cols(&piece(end..line.len()), AFTER_COLS);
        Snippet::new(&before, &piece(start..end), &after)
    }

    /// A snippet of these three parts.
    pub fn new(before: &str, hit: &str, after: &str) -> Snippet {
        // A snippet is a few hundred bytes; a hit longer than 4 GiB cannot be one.
        let (Ok(hit_start), Ok(hit_end)) = (
            u32::try_from(before.len()),
            u32::try_from(before.len() + hit.len()),
        ) else {
            return Snippet::default();
        };
        Snippet {
            text: [before, hit, after].concat().into_boxed_str(),
            hit_start,
            hit_end,
        }
    }

    pub fn before(&self) -> &str {
        self.text.get(..self.hit_start as usize).unwrap_or_default()
    }

    pub fn hit(&self) -> &str {
        self.text
            .get(self.hit_start as usize..self.hit_end as usize)
            .unwrap_or_default()
    }

    pub fn after(&self) -> &str {
        self.text.get(self.hit_end as usize..).unwrap_or_default()
    }

    /// The whole line of the snippet.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The snippet in `width` columns with the hit in view: (before, hit, after), where a
    /// cut side starts or ends with `…`. Never wider than `width`.
    pub fn fit(&self, width: usize) -> [String; 3] {
        let (hit, before, after) = (self.hit(), self.before(), self.after());
        let hit_w = hit.width();
        if hit_w >= width {
            return [String::new(), take_cols(hit, width), String::new()];
        }
        let room = width - hit_w;
        let before_w = before.width();
        let after_w = after.width();
        // The text before gets up to a third of the room, more if the rest is short.
        let before_room = before_w.min((room / 3).max(room.saturating_sub(after_w)));
        let after_room = room - before_room;
        let before = if before_w > before_room && before_room > 0 {
            format!("…{}", take_cols_from_end(before, before_room - 1))
        } else {
            take_cols_from_end(before, before_room)
        };
        let after = if after_w > after_room && after_room > 0 {
            format!("{}…", take_cols(after, after_room - 1))
        } else {
            take_cols(after, after_room)
        };
        [before, hit.to_string(), after]
    }
}

/// Bytes of a hit's line kept either side of it to cut a snippet from: far more than
/// [`BEFORE_COLS`] and [`AFTER_COLS`] take, unless a run of zero-width characters.
const WINDOW: usize = 4096;

/// The first character boundary of `s` at or after byte `at` (the end if none).
fn char_boundary_at_or_after(s: &str, at: usize) -> usize {
    (at..s.len())
        .find(|&i| s.is_char_boundary(i))
        .unwrap_or(s.len())
}

/// One line, safe to draw: tabs become spaces, controls become visible markers.
fn clean(s: &str) -> String {
    sanitize(&s.replace('\t', " ")).into_owned()
}

/// The longest prefix of whole graphemes at most `cols` wide.
fn take_cols(s: &str, cols: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for g in s.graphemes(true) {
        used += g.width();
        if used > cols {
            break;
        }
        out.push_str(g);
    }
    out
}

/// The longest suffix of whole graphemes at most `cols` wide.
fn take_cols_from_end(s: &str, cols: usize) -> String {
    let mut used = 0;
    let mut start = s.len();
    for (i, g) in s.grapheme_indices(true).rev() {
        used += g.width();
        if used > cols {
            break;
        }
        start = i;
    }
    s.get(start..).unwrap_or_default().to_string()
}

/// Full-text hits among `candidates`, most hits first (ties in library order). A
/// candidate whose body is not loaded yet is left out.
pub(super) fn search<'a>(
    candidates: &[usize],
    terms: &[String],
    body_of: impl Fn(usize) -> Option<&'a Body> + Sync,
) -> Vec<Scored> {
    let terms = Terms::new(terms);
    let mut hits: Vec<Scored> = candidates
        .par_iter()
        .filter_map(|&post| {
            let found = terms.find_in(body_of(post)?)?;
            let mut hit = Scored::plain(post);
            hit.score = u32::try_from(found.count).unwrap_or(u32::MAX);
            hit.text = Some(found);
            Some(hit)
        })
        .collect();
    hits.sort_by_key(|h| std::cmp::Reverse(h.score));
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_gives_back_its_three_parts() {
        for (before, hit, after) in [
            ("", "", ""),
            ("so ", "Istio", " 是一个服务网格。"),
            ("前文", "网格", ""),
            ("", "hit", " after"),
        ] {
            let snippet = Snippet::new(before, hit, after);
            assert_eq!(
                (snippet.before(), snippet.hit(), snippet.after()),
                (before, hit, after)
            );
            assert_eq!(snippet.text(), format!("{before}{hit}{after}"));
        }
    }

    fn bodies(texts: &[&str]) -> Vec<Option<Body>> {
        texts
            .iter()
            .map(|t| Some(Body::new(t.to_string())))
            .collect()
    }

    #[test]
    fn fold_passes_over_only_characters_without_case() {
        let blocks = [
            0x3000..=0x9FFF,
            0xB000..=0xD7FF,
            0xE000..=0xFEFF,
            0xFF40..=0xFFFF,
        ];
        for c in blocks.into_iter().flatten().filter_map(char::from_u32) {
            let mut encoded = [0; 4];
            let bytes = c.encode_utf8(&mut encoded).as_bytes();
            assert!(is_caseless_lead(bytes[0], bytes.get(1).copied()), "{c:?}");
            assert_eq!(fold_char(c), c, "{c:?} has a lowercase form");
        }
        // Just outside them, characters with case are folded.
        assert_eq!(fold("ＡＢＣ Ꙁ Ⰰ"), "ａｂｃ ꙁ ⰰ");
    }

    #[test]
    fn fold_lowers_each_character_as_looking_it_up_would() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = format!("a{c}Z");
            assert_eq!(fold(&s), format!("a{}z", fold_char(c)), "{c:?}");
        }
    }

    #[test]
    fn fold_keeps_byte_offsets() {
        for s in ["Istio 服务网格", "ÄÖÜ ẞ", "K\u{212a}İx", "ǅ"] {
            let folded = fold(s);
            assert_eq!(folded.len(), s.len(), "{s}");
            for (a, b) in s.char_indices().zip(folded.char_indices()) {
                assert_eq!(a.0, b.0);
            }
        }
        assert_eq!(fold("Istio ÄB"), "istio äb");
    }

    #[test]
    fn terms_are_and_ed_case_insensitive_and_counted() {
        let b = bodies(&[
            "Istio 是一个服务网格。\n服务网格的数据面是 Envoy。",
            "Linkerd 也是服务网格",
            "nothing here",
        ]);
        let hits = search(&[0, 1, 2], &["服务网格".into()], |i| b.get(i)?.as_ref());
        assert_eq!(hits.iter().map(|h| h.at).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(hits[0].text.as_ref().map(|t| t.count), Some(2));
        let hits = search(&[0, 1, 2], &["ISTIO".into(), "envoy".into()], |i| {
            b.get(i)?.as_ref()
        });
        assert_eq!(hits.iter().map(|h| h.at).collect::<Vec<_>>(), [0]);
        let body = b[0].as_ref().expect("body");
        let snippet = hits[0].text.as_ref().expect("text").snippet(body);
        assert_eq!(snippet.hit(), "Istio");
        assert_eq!(snippet.after(), " 是一个服务网格。");
        assert!(
            search(&[0, 1], &["istio".into(), "zebra".into()], |i| b
                .get(i)?
                .as_ref())
            .is_empty()
        );
        // Unloaded bodies are skipped, not an error.
        assert!(search(&[5], &["x".into()], |i| b.get(i)?.as_ref()).is_empty());
    }

    #[test]
    fn bodies_are_searched_and_shown_as_read() {
        let markdown = "Intro.\n\nA talk by **Evenson** on [the mesh](https://istio.io/x) with \
                        <span class=\"hl\">inline</span> HTML ![a diagram](arch.png) and `code`.\n\n\
                        开源\n社区的**服务网格**。\n";
        let b = [Some(Body::new(crate::markdown::plain_text(markdown)))];
        let body = b[0].as_ref().expect("body");
        for (term, hit_text) in [
            ("evenson", "Evenson"),
            ("MESH", "mesh"),
            ("开源社区", "开源社区"),
            ("服务网格", "服务网格"),
        ] {
            let hits = search(&[0], &[term.into()], |i| b.get(i)?.as_ref());
            let found = hits.first().and_then(|h| h.text.as_ref());
            let found = found.unwrap_or_else(|| panic!("{term} not found"));
            assert_eq!(
                body.text().get(found.first.clone()),
                Some(hit_text),
                "{term}"
            );
            let snippet = found.snippet(body);
            assert_eq!(snippet.hit(), hit_text, "{term}");
            let shown = format!("{}{}{}", snippet.before(), snippet.hit(), snippet.after());
            for markup in ["**", "](", "<", "https://", "arch.png"] {
                assert!(!shown.contains(markup), "{term}: {markup} in {shown:?}");
            }
        }
        let snippet = search(&[0], &["evenson".into()], |i| b.get(i)?.as_ref())[0]
            .text
            .as_ref()
            .expect("hit")
            .snippet(body);
        assert_eq!(snippet.before(), "A talk by ");
        assert!(
            snippet
                .after()
                .starts_with(" on the mesh with inline HTML a diagram and code."),
            "{:?}",
            snippet.after()
        );
        // What is not read is not found.
        for unread in ["istio.io", "span", "arch.png", "**"] {
            assert!(
                search(&[0], &[unread.into()], |i| b.get(i)?.as_ref()).is_empty(),
                "{unread}"
            );
        }
    }

    #[test]
    fn snippet_never_splits_a_grapheme() {
        // "e" matches inside "é" written as e + combining accent: the whole cluster shows.
        let text = "caf\u{65}\u{301} 👍🏽 ok";
        let hit = text.find('e').expect("e");
        let s = Snippet::around(text, hit..hit + 1);
        assert_eq!(s.hit(), "e\u{301}");
        assert_eq!(s.before(), "caf");
        for width in 0..12 {
            let parts = s.fit(width);
            let shown: String = parts.concat();
            assert!(shown.width() <= width, "{width}: {shown:?}");
            assert!(shown.is_char_boundary(shown.len()));
            assert!(
                !shown.contains('\u{1f3fd}') || shown.contains("👍🏽"),
                "{shown:?}"
            );
        }
    }

    #[test]
    fn snippet_keeps_the_hit_in_view_on_long_lines() {
        let line = format!("{}服务网格{}", "前".repeat(100), "后".repeat(100));
        let hit = line.find("服务").expect("hit");
        let s = Snippet::around(&line, hit..hit + "服务网格".len());
        let [before, hit, after] = s.fit(30);
        assert_eq!(hit, "服务网格");
        assert!(before.starts_with('…') && after.ends_with('…'));
        assert!((before.width() + hit.width() + after.width()) <= 30);
        // Only the hit's own line, sanitized.
        let text = "a\nx\u{1b}y hit z\nb";
        let at = text.find("hit").expect("hit");
        let s = Snippet::around(text, at..at + 3);
        assert_eq!(s.hit(), "hit");
        assert!(!s.before().contains('\u{1b}') && !s.before().contains('a'));
    }

    #[test]
    fn a_snippet_of_a_paragraph_longer_than_its_window_is_cut_from_the_window() {
        // A 300 KB line: the snippet is what the columns allow either side of the hit,
        // on lines above and below too.
        let line = format!("{}Kubernetes{}", "词".repeat(50_000), "字".repeat(50_000));
        let text = format!("above\n{line}\nbelow");
        let at = text.find("Kubernetes").expect("hit");
        let s = Snippet::around(&text, at..at + "kubernetes".len());
        assert_eq!(s.before(), "词".repeat(BEFORE_COLS / 2));
        assert_eq!(s.hit(), "Kubernetes");
        assert_eq!(s.after(), "字".repeat(AFTER_COLS / 2));
        // At the very start and end of the text, nothing is cut off wrongly.
        let s = Snippet::around(&line, 0..3);
        assert_eq!((s.before(), s.hit()), ("", "词"));
        let end = line.len();
        let s = Snippet::around(&line, end - 3..end);
        assert_eq!((s.hit(), s.after()), ("字", ""));
        assert_eq!(s.before(), "字".repeat(BEFORE_COLS / 2));
    }

    #[test]
    fn find_all_is_sorted_and_case_insensitive() {
        let found = find_all("Go go GO 去", &["go".into(), "去".into()]);
        assert_eq!(found, [0..2, 3..5, 6..8, 9..12]);
    }
}
