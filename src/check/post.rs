//! What `folio check` can tell from one post alone: how its bytes decode, whether its
//! front matter parses and has what a published post needs, and what its body links to
//! and which headings it offers as anchors (kept for the checks across posts). Pure: a
//! post's bytes in, findings out.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use super::parts::DraftDate;
use crate::diagnostic::{Code, Diagnostic};
use crate::library::front_matter;
use crate::library::text;
use crate::markdown::parse::heading_anchor;
use crate::markdown::pieces::pieces;

/// A link or image in a post's body, where its text starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub url: String,
    pub image: bool,
    pub line: usize,
    pub column: usize,
}

/// One post, read. [`super::parts`] splits it into what the checks across posts
/// compare and what only its own problems need.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// The decoded text (LF line ends), for showing source lines.
    pub text: String,
    /// What the checks across posts compare of the front matter (a whole `Meta` per
    /// post was 27 MB of mostly empty fields on 100,000 posts).
    pub title: Option<String>,
    pub slug: Option<String>,
    pub tags: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub references: Vec<Reference>,
    /// `ref` / `relref` shortcode targets.
    pub refs: Vec<super::shortcodes::RefTarget>,
    /// The anchors of its headings, as Hugo makes them.
    pub anchors: Vec<String>,
    /// Where each tag is written (line, column), for placing problems across posts.
    pub tag_places: Vec<(usize, Option<usize>)>,
    pub slug_line: Option<usize>,
    pub title_line: Option<usize>,
    /// Set when the post is a draft with a date.
    pub draft: Option<DraftDate>,
}

/// Reads one post's bytes. `section` says the file is a section's page (`_index.md`),
/// which needs no text, title or date of its own.
pub fn analyse(bytes: &[u8], section: bool) -> Analysis {
    analyse_owned(bytes.to_vec(), section)
}

/// [`analyse`] of bytes given up to it: what it needs of the bytes themselves is taken
/// before they become the text, without a copy when they are UTF-8, so a long post is
/// not in memory twice.
pub fn analyse_owned(bytes: Vec<u8>, section: bool) -> Analysis {
    let raw = RawFacts::of(&bytes);
    let decoded = text::decode_owned(bytes);
    let mut analysis = Analysis::default();
    if decoded.binary {
        analysis
            .diagnostics
            .push(Diagnostic::new(Code::Encoding, "binary file, not a post"));
        return analysis;
    }
    encoding_problems(&raw, &decoded, &mut analysis.diagnostics);
    control_chars(&decoded.text, &mut analysis.diagnostics);
    let parsed = front_matter::parse(&decoded.text);
    // When the block did not parse there is no telling what it holds.
    let unparsed = parsed
        .diagnostics
        .iter()
        .any(|d| d.code == Code::FrontMatter);
    let field_problem = |key: &str| {
        parsed
            .diagnostics
            .iter()
            .any(|d| d.message.starts_with(&format!("{key}:")))
    };
    let title_problem = field_problem("title");
    let date_problem = parsed.diagnostics.iter().any(|d| d.code == Code::BadDate);
    analysis.diagnostics.extend(parsed.diagnostics);
    let meta = parsed.meta;
    let front = decoded.text.get(..parsed.body_start).unwrap_or_default();
    analysis.title_line = key_line(front, "title");
    analysis.slug_line = key_line(front, "slug");
    analysis.tag_places = meta.tags.iter().map(|tag| tag_place(front, tag)).collect();
    let body_line = front.matches('\n').count() + 1;
    let has_front_matter = parsed.body_start > 0 || parsed.open_ended;
    if has_front_matter && !unparsed && !section {
        if meta.title.is_none() && !title_problem {
            analysis.diagnostics.push(
                Diagnostic::new(Code::MissingTitle, "no title in the front matter")
                    .at(Some(1), Some(1))
                    .with_help("add `title:`; without it the file name is shown"),
            );
        }
        if meta.date.is_none() && !date_problem {
            analysis.diagnostics.push(
                Diagnostic::new(Code::MissingDate, "no date in the front matter")
                    .at(Some(1), Some(1))
                    .with_help("add `date:`; undated posts sort last"),
            );
        }
    }
    if meta.draft
        && let Some(date) = &meta.date
    {
        analysis.draft = Some(DraftDate {
            seconds: date.sort_key(),
            ymd: date.ymd(),
            line: key_line(front, "draft"),
        });
    }
    let body = decoded.text.get(parsed.body_start..).unwrap_or_default();
    if body.trim().is_empty() && !parsed.open_ended && !section {
        analysis.diagnostics.push(
            Diagnostic::new(Code::EmptyPost, "the post has no text").at(Some(body_line), None),
        );
    }
    // As the reader does (markdown::parse): a dependency's panic on a hostile post costs
    // that post's link checks, not the whole run.
    let parsed_body = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut found = Analysis::default();
        read_body(body, body_line, &mut found);
        found
    }));
    if let Ok(found) = parsed_body {
        analysis.references = found.references;
        analysis.anchors = found.anchors;
        analysis.diagnostics.extend(found.diagnostics);
    }
    analysis.refs = super::shortcodes::scan(body, body_line, &mut analysis.diagnostics);
    analysis.title = meta.title.map(String::from);
    analysis.slug = meta.slug.map(String::from);
    analysis.tags = meta.tags.to_vec();
    analysis.text = decoded.text;
    analysis
}

/// What the encoding checks need of a file's bytes, taken before they are decoded.
struct RawFacts {
    bom: bool,
    crlf: usize,
    cr: usize,
    lf: usize,
}

impl RawFacts {
    fn of(bytes: &[u8]) -> RawFacts {
        RawFacts {
            bom: bytes.starts_with(b"\xEF\xBB\xBF"),
            crlf: memchr::memmem::find_iter(bytes, b"\r\n").count(),
            cr: memchr::memchr_iter(b'\r', bytes).count(),
            lf: memchr::memchr_iter(b'\n', bytes).count(),
        }
    }
}

/// Not UTF-8, a BOM, undecodable bytes, and line ends of more than one kind.
fn encoding_problems(raw: &RawFacts, decoded: &text::Decoded, out: &mut Vec<Diagnostic>) {
    if let Some(encoding) = decoded.notable_encoding() {
        out.push(
            Diagnostic::new(Code::Encoding, format!("not UTF-8: read as {encoding}"))
                .with_help("save the file as UTF-8"),
        );
    } else if raw.bom {
        out.push(
            Diagnostic::new(Code::Encoding, "starts with a byte-order mark")
                .at(Some(1), Some(1))
                .with_help("Hugo reads front matter only at the very first byte; save without BOM"),
        );
    }
    if decoded.lossy {
        out.push(Diagnostic::new(
            Code::Encoding,
            format!("bytes that are not valid {}, shown as �", decoded.encoding),
        ));
    }
    let RawFacts { crlf, cr, lf, .. } = *raw;
    let kinds = [crlf > 0, cr > crlf, lf > crlf];
    if decoded.notable_encoding().is_none() && kinds.iter().filter(|k| **k).count() > 1 {
        out.push(
            Diagnostic::new(
                Code::Encoding,
                "mixed line endings (LF and CRLF or CR in one file)",
            )
            .with_help("pick one; most editors can convert on save"),
        );
    }
}

/// Line (1-based) in `front` of the first line defining `key`.
fn key_line(front: &str, key: &str) -> Option<usize> {
    front
        .lines()
        .position(|line| defines(line, key))
        .map(|at| at + 1)
}

/// Characters a terminal or an editor acts on instead of showing: C0 and C1 controls
/// (tabs and line ends aside), DEL, and the bidi controls that reorder what is read.
/// One finding per line, at the first.
fn control_chars(text: &str, out: &mut Vec<Diagnostic>) {
    let acts = |c: char| {
        (c.is_control() && c != '\t' && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    for (index, line) in text.lines().enumerate() {
        if let Some((column, c)) = line.chars().enumerate().find(|(_, c)| acts(*c)) {
            out.push(
                Diagnostic::new(
                    Code::ControlChar,
                    format!("control character U+{:04X} in the text", u32::from(c)),
                )
                .at(Some(index + 1), Some(column + 1)),
            );
        }
    }
}

fn defines(line: &str, key: &str) -> bool {
    let rest = line.trim_start().trim_start_matches(['"', '\'']);
    rest.get(..key.len())
        .is_some_and(|name| name.eq_ignore_ascii_case(key))
        && rest.get(key.len()..).is_some_and(|after| {
            let after = after.trim_start_matches(['"', '\'']).trim_start();
            after.starts_with(':') || after.starts_with('=')
        })
}

/// Where a tag is written out (line, column), else the `tags` key's line.
fn tag_place(front: &str, tag: &str) -> (usize, Option<usize>) {
    let tags_at = key_line(front, "tags").unwrap_or(1);
    front
        .lines()
        .enumerate()
        .skip(tags_at.saturating_sub(1))
        .find_map(|(at, line)| {
            let byte = line.find(tag)?;
            let column = line.get(..byte).map_or(0, |s| s.chars().count()) + 1;
            Some((at + 1, Some(column)))
        })
        .unwrap_or((tags_at, None))
}

/// Links, images and heading anchors of the body, and fences left open; `first_line` is
/// the body's line in the file. A long body is read a piece at a time, cut where pieces
/// parse on their own to the blocks the whole gives ([`pieces`], as the reader lays a
/// long post out): the parser holds a tree of all it reads, several times the text's
/// size, and a 60 MB post's was most of the 600 MB a check of it took beside the reader.
fn read_body(body: &str, first_line: usize, analysis: &mut Analysis) {
    // Repeated headings are numbered across the whole body, as Hugo does.
    let mut seen = std::collections::HashMap::<String, usize>::new();
    let mut line = first_line;
    for piece in pieces(body, crate::markdown::PIECE_BYTES) {
        read_piece(piece, line, &mut seen, analysis);
        line += memchr::memchr_iter(b'\n', piece.as_bytes()).count();
    }
}

/// [`read_body`] of one piece of it, starting on `first_line`; `seen` counts the
/// heading anchors met so far.
fn read_piece(
    body: &str,
    first_line: usize,
    seen: &mut std::collections::HashMap<String, usize>,
    analysis: &mut Analysis,
) {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', body.as_bytes()).map(|at| at + 1))
        .collect();
    let place = |offset: usize| {
        let index = line_starts.partition_point(|start| *start <= offset).max(1) - 1;
        let start = line_starts.get(index).copied().unwrap_or(0);
        let column = body.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (index + first_line, column)
    };
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    let mut heading: Option<(Option<String>, String)> = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let image = body.get(range.clone()).is_some_and(|s| s.starts_with('!'));
                let (line, column) = place(range.start);
                analysis.references.push(Reference {
                    url: dest_url.to_string(),
                    image,
                    line,
                    column,
                });
            }
            Event::Start(Tag::Heading { id, .. }) => {
                heading = Some((id.map(|id| id.to_string()), String::new()));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, words)) = heading.as_mut() {
                    words.push_str(&text);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => html_ids(&html, &mut analysis.anchors),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((explicit, words)) = heading.take() {
                    analysis
                        .anchors
                        .push(heading_anchor(explicit, &words, seen));
                }
            }
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(_))) => {
                let block = body.get(range.clone()).unwrap_or_default();
                if !fence_closed(block) {
                    let (line, column) = place(range.start);
                    analysis.diagnostics.push(
                        Diagnostic::new(
                            Code::UnterminatedFence,
                            "code fence never closed: the rest of the post is code",
                        )
                        .at(Some(line), Some(column))
                        .with_help("close it with the same fence"),
                    );
                }
            }
            _ => {}
        }
    }
}

/// `id="x"` and `name="x"` in raw HTML: `<a name="x"></a>` is an anchor as well.
fn html_ids(html: &str, anchors: &mut Vec<String>) {
    for attribute in ["id=\"", "name=\""] {
        for (at, _) in html.match_indices(attribute) {
            let rest = html.get(at + attribute.len()..).unwrap_or_default();
            if let Some(end) = rest.find('"') {
                anchors.push(rest.get(..end).unwrap_or_default().to_string());
            }
        }
    }
}

/// Whether a fenced block's source ends with a closing fence like its opening one.
fn fence_closed(block: &str) -> bool {
    let mut lines = block.lines();
    let Some(open) = lines.next().map(str::trim_start) else {
        return true;
    };
    let fence_char = if open.starts_with('~') { '~' } else { '`' };
    let width = open.chars().take_while(|c| *c == fence_char).count();
    lines.next_back().is_some_and(|last| {
        let last = last.trim();
        last.chars().all(|c| c == fence_char) && last.chars().count() >= width && !last.is_empty()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Whatever the bytes, reading them ends, and every place is a real line.
        #[test]
        fn any_bytes_are_read_without_panicking(
            bytes in proptest::collection::vec(any::<u8>(), 0..400),
            text in "(---\n|\\[|\\]|\\(|\\)|#|`{3}|\\{\\{<|>\\}\\}|/|\n|[a-z ]|\u{1b}|\r|中){0,80}",
        ) {
            for input in [bytes.as_slice(), text.as_bytes()] {
                let a = analyse(input, false);
                let lines = a.text.split('\n').count();
                for d in &a.diagnostics {
                    prop_assert!(d.line.is_none_or(|l| l >= 1 && l <= lines), "{d:?} of {lines}");
                }
            }
        }
    }

    fn codes(text: &str) -> Vec<(Code, Option<usize>)> {
        let analysis = analyse(text.as_bytes(), false);
        let today = crate::library::post::PostDate::parse("2026-01-01");
        let dated = analysis.own().draft_problem(today.as_ref());
        analysis
            .diagnostics
            .iter()
            .chain(&dated)
            .map(|d| (d.code, d.line))
            .collect()
    }

    #[test]
    fn a_complete_post_has_nothing_to_say() {
        assert_eq!(codes("---\ntitle: T\ndate: 2024-01-01\n---\nText.\n"), []);
    }

    #[test]
    fn missing_title_and_date_and_empty_body() {
        assert_eq!(
            codes("---\ntags: [a]\n---\n\n"),
            [
                (Code::MissingTitle, Some(1)),
                (Code::MissingDate, Some(1)),
                (Code::EmptyPost, Some(4))
            ]
        );
    }

    #[test]
    fn a_section_page_needs_no_text_title_or_date() {
        let text = b"---\ncascade: {}\n---\n";
        assert!(analyse(text, true).diagnostics.is_empty());
        assert_eq!(analyse(text, false).diagnostics.len(), 3);
    }

    #[test]
    fn a_draft_whose_date_passed_is_an_info_on_its_draft_line() {
        let text = "---\ntitle: T\ndate: 2024-01-01\ndraft: true\n---\nx\n";
        assert_eq!(codes(text), [(Code::DraftPastDate, Some(4))]);
        let future = "---\ntitle: T\ndate: 2030-01-01\ndraft: true\n---\nx\n";
        assert_eq!(codes(future), []);
    }

    #[test]
    fn links_images_and_anchors_are_collected_with_their_place() {
        let text = "---\ntitle: T\ndate: 2024-01-01\n---\n# Hello, World\n\nSee [x](a.md#b) and\n  ![i](p.png)\n## Hello, World\n## 中文 标题 {#own}\n";
        let a = analyse(text.as_bytes(), false);
        assert_eq!(a.anchors, ["hello-world", "hello-world-1", "own"]);
        let refs: Vec<_> = a
            .references
            .iter()
            .map(|r| (r.url.as_str(), r.image, r.line, r.column))
            .collect();
        assert_eq!(refs, [("a.md#b", false, 7, 5), ("p.png", true, 8, 3)]);
    }

    #[test]
    fn an_unterminated_fence_is_found_on_its_opening_line() {
        let text = "---\ntitle: T\ndate: 2024-01-01\n---\nx\n\n```rust\nfn main() {}\n";
        assert_eq!(codes(text), [(Code::UnterminatedFence, Some(7))]);
        let closed = "---\ntitle: T\ndate: 2024-01-01\n---\nx\n\n````\n```\n````\n";
        assert_eq!(codes(closed), []);
    }

    #[test]
    fn control_characters_are_found_where_they_are() {
        let text = "---\ntitle: T\ndate: 2024-01-01\n---\nok\tfine\nab\u{1b}[31m\n\u{202e}x\n";
        let found: Vec<_> = analyse(text.as_bytes(), false)
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [
                (Code::ControlChar, Some(6), Some(3)),
                (Code::ControlChar, Some(7), Some(1))
            ]
        );
    }

    #[test]
    fn a_front_matter_that_does_not_parse_is_not_also_missing_its_fields() {
        assert_eq!(
            codes("---\ntitle: [unclosed\n---\nx\n"),
            [(Code::FrontMatter, Some(3))]
        );
        assert_eq!(
            codes("---\ntitle: T\ndate: someday\n---\nx\n"),
            [(Code::BadDate, Some(3))]
        );
    }

    #[test]
    fn encoding_problems() {
        let bom = b"\xEF\xBB\xBF---\ntitle: T\ndate: 2024-01-01\n---\nx\n";
        assert_eq!(
            analyse(bom, false).diagnostics[0].message,
            "starts with a byte-order mark"
        );
        let mixed = b"---\r\ntitle: T\r\ndate: 2024-01-01\n---\nx\n";
        assert_eq!(
            analyse(mixed, false)
                .diagnostics
                .iter()
                .map(|d| d.code)
                .collect::<Vec<_>>(),
            [Code::Encoding]
        );
    }

    /// A long body is read a piece at a time to what reading it whole finds: links and
    /// images at their lines and columns, repeated headings numbered across pieces, a
    /// fence left open at the end.
    #[test]
    fn a_long_body_read_in_pieces_finds_what_reading_it_whole_does() {
        let mut body: String = (0..6000)
            .map(|i| {
                format!(
                    "## Part\n\nSee [part {i}](other-{i}.md#part-{i}) and ![pic](p{i}.png).\n\n\
                     ```\ncode\n```\n\n"
                )
            })
            .collect();
        body.push_str("```rust\nnever closed\n");
        assert!(pieces(&body, crate::markdown::PIECE_BYTES).len() > 4);
        let mut in_pieces = Analysis::default();
        read_body(&body, 7, &mut in_pieces);
        let mut whole = Analysis::default();
        read_piece(&body, 7, &mut Default::default(), &mut whole);
        assert_eq!(in_pieces.references, whole.references);
        assert_eq!(in_pieces.anchors, whole.anchors);
        assert_eq!(in_pieces.diagnostics, whole.diagnostics);
        assert_eq!(in_pieces.references.len(), 12000);
        assert_eq!(
            in_pieces.anchors.last().map(String::as_str),
            Some("part-5999")
        );
        assert_eq!(in_pieces.diagnostics.len(), 1, "the fence left open");
    }
}
