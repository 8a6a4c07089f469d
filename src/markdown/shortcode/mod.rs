//! Hugo shortcodes, and the few other Hugo-site constructs CommonMark does not know,
//! rewritten into the Markdown they stand for before parsing.
//!
//! Hugo expands `{{< … >}}` and `{{% … %}}` on the server; a terminal reader has no
//! templates, so folio maps the common ones to constructs it already draws: `figure` →
//! an image with its caption, `notice`-like boxes → GFM alerts (with their titles),
//! `details` → a disclosure, `highlight` and `code-toggle` → fenced code, embeds → a
//! link line, `ref` → the referenced path. What needs the site or the page to resolve
//! (`include`, `param`, `section-toc`) or a look of its own (`new-in`, `glossary-term`)
//! becomes a marker the parser turns into its own block or inline ([`Marker`],
//! [`BlockMarker`]), resolved at layout. Unknown shortcodes stay visible, dimmed (their
//! inner Markdown still renders), and escaped `{{</* … */>}}` shows literally. Besides
//! shortcodes: `\[ … \]` display math becomes `$$`, Goldmark attribute lists
//! (`{width=300}`, `{.class}`) are dropped, and an HTML table's blank lines are closed up
//! so it stays one HTML block. Fenced code is left untouched. One pass over the lines,
//! linear time.

mod blocks;
mod replace;
mod tag;

use std::borrow::Cow;

use memchr::memmem;

/// Unknown shortcodes become inline code between these two inline HTML tags, so they stay
/// literal through Markdown parsing and the parser can tell them from the post's own code
/// spans (they are drawn dimmed, not as code).
pub const UNKNOWN_OPEN: &str = "<folio-shortcode>";
pub const UNKNOWN_CLOSE: &str = "</folio-shortcode>";

/// What a code span between a pair of marker tags stands for. Like
/// [`UNKNOWN_OPEN`], the text rides in a code span so Markdown leaves it alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// An unknown shortcode's source, dimmed.
    Shortcode,
    /// `new-in`: a small badge.
    Badge,
    /// `glossary-term`: a term, styled.
    Term,
    /// `param`: a value from the front matter or the site config, found at layout.
    Param,
    /// The title of the box this paragraph opens.
    Title,
    /// The summary of the disclosure this paragraph opens.
    Details,
}

const MARKERS: [(Marker, &str, &str); 6] = [
    (Marker::Shortcode, UNKNOWN_OPEN, UNKNOWN_CLOSE),
    (Marker::Badge, "<folio-badge>", "</folio-badge>"),
    (Marker::Term, "<folio-term>", "</folio-term>"),
    (Marker::Param, "<folio-param>", "</folio-param>"),
    (Marker::Title, "<folio-title>", "</folio-title>"),
    (Marker::Details, "<folio-details>", "</folio-details>"),
];

impl Marker {
    fn tags(self) -> (&'static str, &'static str) {
        MARKERS
            .iter()
            .find(|(m, _, _)| *m == self)
            .map_or((UNKNOWN_OPEN, UNKNOWN_CLOSE), |(_, open, close)| {
                (open, close)
            })
    }

    /// `text` between this marker's tags, as a code span.
    pub(crate) fn wrap(self, text: &str) -> String {
        let (open, close) = self.tags();
        format!("{open}{}{close}", code_span(text))
    }

    /// The marker an inline HTML fragment opens (`Some((marker, true))`) or closes.
    pub fn of_html(html: &str) -> Option<(Marker, bool)> {
        MARKERS.iter().find_map(|(m, open, close)| {
            if html == *open {
                Some((*m, true))
            } else if html == *close {
                Some((*m, false))
            } else {
                None
            }
        })
    }
}

/// A block the expander leaves as an HTML comment of its own, for the parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockMarker {
    /// `include`: another page's content, read at layout.
    Include(String),
    /// `section-toc`: the pages of this section, listed at layout.
    SectionToc,
    /// `table title="…"`: the caption of the table that follows.
    Caption(String),
}

const COMMENT_OPEN: &str = "<!-- folio-";

impl BlockMarker {
    fn comment(&self) -> String {
        // The value must not end the comment early.
        let clean = |s: &str| s.replace("--", "- -").replace(['\n', '>'], " ");
        match self {
            BlockMarker::Include(path) => format!("{COMMENT_OPEN}include: {} -->", clean(path)),
            BlockMarker::SectionToc => format!("{COMMENT_OPEN}section-toc -->"),
            BlockMarker::Caption(title) => format!("{COMMENT_OPEN}caption: {} -->", clean(title)),
        }
    }

    /// The marker an HTML block is, when it is one.
    pub fn of_html(html: &str) -> Option<BlockMarker> {
        let inner = html
            .trim()
            .strip_prefix(COMMENT_OPEN)?
            .strip_suffix("-->")?
            .trim();
        if inner == "section-toc" {
            return Some(BlockMarker::SectionToc);
        }
        if let Some(path) = inner.strip_prefix("include:") {
            return Some(BlockMarker::Include(path.trim().to_string()));
        }
        inner
            .strip_prefix("caption:")
            .map(|title| BlockMarker::Caption(title.trim().to_string()))
    }
}

/// `text` as a Markdown code span that gives it back exactly: fenced by more backticks
/// than it holds in a row, padded when it starts or ends with one.
pub(crate) fn code_span(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Whether `body` holds anything [`expand`] rewrites; most posts need one look.
fn might_expand(body: &str) -> bool {
    let bytes = body.as_bytes();
    memmem::find(bytes, b"{{").is_some()
        || memmem::find(bytes, b"\\[").is_some()
        || memmem::find(bytes, b"<table").is_some()
        || memmem::find(bytes, b"<TABLE").is_some()
        || bytes.first() == Some(&b'{')
        || memmem::find(bytes, b"\n{").is_some()
        || memmem::find(bytes, b"){").is_some()
}

/// Boxes nested deeper than this are drawn flat: each level quotes all it holds once
/// more, so without a cap hostile nesting (thousands of `{{< note >}}` never closed)
/// costs the square of its size. Real posts nest two or three.
pub const MAX_BOX_DEPTH: usize = 8;

/// Said where boxes past [`MAX_BOX_DEPTH`] begin.
pub const FLATTENED_NOTICE: &str = "boxes nested deeper than this are drawn flat";

pub fn expand(body: &str) -> Cow<'_, str> {
    expand_at(body, 0)
}

/// Which line of the text given to [`expand_mapped`] each line of its result came
/// from, so a problem `folio check` places on a line of the file can be found in the
/// parsed post. Kept as the places where the two numberings start to differ by a new
/// amount: none for most posts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMap {
    /// (line of the result, line of the source), 0-based, in increasing order.
    anchors: Vec<(usize, usize)>,
}

impl LineMap {
    /// The source line a line of the result came from (within a construct that grew,
    /// counted on from its first line).
    pub fn source_line(&self, line: usize) -> usize {
        let at = self.anchors.partition_point(|&(out, _)| out <= line);
        match at.checked_sub(1).and_then(|i| self.anchors.get(i)) {
            Some(&(out, source)) => source + (line - out),
            None => line,
        }
    }
}

/// [`expand`], also saying where each line of the result came from.
pub fn expand_mapped(body: &str) -> (Cow<'_, str>, LineMap) {
    let mut map = LineMap::default();
    let text = expand_into(body, 0, Some(&mut map));
    (text, map)
}

/// [`expand`] of text `depth` boxes deep.
fn expand_at(body: &str, depth: usize) -> Cow<'_, str> {
    expand_into(body, depth, None)
}

/// Counts the lines written so far, from where it last counted (linear overall).
struct OutLines {
    counted_bytes: usize,
    lines: usize,
    /// Result line less source line at the last anchor.
    shift: isize,
}

impl OutLines {
    fn note(&mut self, out: &str, source_line: usize, map: &mut LineMap) {
        let fresh = out.as_bytes().get(self.counted_bytes..).unwrap_or_default();
        self.lines += memchr::memchr_iter(b'\n', fresh).count();
        self.counted_bytes = out.len();
        let shift = self.lines as isize - source_line as isize;
        if shift != self.shift {
            self.shift = shift;
            map.anchors.push((self.lines, source_line));
        }
    }
}

fn expand_into<'a>(body: &'a str, depth: usize, mut map: Option<&mut LineMap>) -> Cow<'a, str> {
    if !might_expand(body) {
        return Cow::Borrowed(body);
    }
    let mut counter = OutLines {
        counted_bytes: 0,
        lines: 0,
        shift: 0,
    };
    let mut boxes = blocks::Boxes::at(depth);
    let lines: Vec<&str> = body.lines().collect();
    let mut out = String::with_capacity(body.len() + 64);
    let mut fence: Option<(char, usize)> = None;
    let mut i = 0;
    while i < lines.len() {
        if let Some(map) = map.as_deref_mut() {
            counter.note(&out, i, map);
        }
        let source = lines.get(i).copied().unwrap_or_default();
        i += 1;
        if let Some(open) = fence {
            if closes_fence(source, open) {
                fence = None;
            }
            out.push_str(&unescape(source));
            out.push('\n');
            continue;
        }
        if let Some(open) = opens_fence(source) {
            fence = Some(open);
            out.push_str(source);
            out.push('\n');
            continue;
        }
        // A tag whose parameters are written over several lines is read as one line.
        let joined: String;
        let line = match join_open_tag(&lines, i, source) {
            Some((whole, next)) => {
                i = next;
                joined = whole;
                joined.as_str()
            }
            None => source,
        };
        if let Some(next) = blocks::expand_block(&lines, i, line, &mut out, &mut boxes) {
            i = next;
            continue;
        }
        out.push_str(&replace::inline(line));
        out.push('\n');
    }
    Cow::Owned(out)
}

/// The line holding an unclosed tag joined with the lines up to the one that closes it
/// (parameters one per line), and the index after that; `None` when no line within a
/// few closes it before a blank line.
fn join_open_tag(lines: &[&str], next: usize, line: &str) -> Option<(String, usize)> {
    const MAX_LINES: usize = 40;
    if !tag::has_unclosed_open(line) {
        return None;
    }
    let mut whole = line.trim_end().to_string();
    for (offset, more) in lines.iter().enumerate().skip(next).take(MAX_LINES) {
        if more.trim().is_empty() {
            return None;
        }
        whole.push(' ');
        whole.push_str(more.trim());
        if tag::closes_open_tag(more) {
            return Some((whole, offset + 1));
        }
    }
    None
}

fn opens_fence(line: &str) -> Option<(char, usize)> {
    let t = line.trim_start();
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

fn closes_fence(line: &str, (c, n): (char, usize)) -> bool {
    let t = line.trim();
    t.chars().take_while(|x| *x == c).count() >= n && t.chars().all(|x| x == c)
}

/// `{{</* figure */>}}` → `{{< figure >}}`, wherever it appears.
fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains("/*") {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.replace("{{</*", "{{<")
            .replace("*/>}}", ">}}")
            .replace("{{%/*", "{{%")
            .replace("*/%}}", "%}}"),
    )
}

#[cfg(test)]
mod tests;
