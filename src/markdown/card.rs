//! Front matter as a header card: title, author, date (and when it was updated),
//! reading time, tags and categories as chips, the description and the cover image, in
//! a box above the body.
//!
//! Readers never see raw YAML: the card shows what front matter means, not how it
//! was written. A post without front matter gets no card (its own `# ` heading leads),
//! unless its bytes were not UTF-8: then the card is where the encoding they were read
//! in is shown (a dim `GBK` after the reading time), so a wrong guess is recognised
//! for what it is.

use rayon::prelude::*;

use super::glyphs::{frame, rule};
use super::layout::{Chunk, span};
use super::model::{Block, Document, Inline, Part};
use super::sanitize::{sanitize, sanitize_flat};
use super::style::{Line, Role, Span};
use super::wrap::{display_width, wrap_spans};
use crate::library::Meta;

/// CJK characters read per minute, and other words per minute.
const CJK_PER_MINUTE: usize = 300;
const WORDS_PER_MINUTE: usize = 200;

/// The card for `meta`; `reading` is the reading time in minutes, and whether it is an
/// estimate (shown as `~N min read`).
pub(crate) fn card(meta: &Meta, width: usize, reading: (usize, bool)) -> Chunk {
    let mut rows: Vec<Vec<Span>> = Vec::new();
    let boxed = width >= 12;
    let inner = if boxed { width - 4 } else { width };
    if let Some(title) = meta.title.as_deref().filter(|t| !t.trim().is_empty()) {
        let text = sanitize_flat(title.trim()).into_owned();
        rows.extend(wrap_spans(&[span(text, Role::CardTitle)], inner));
    } else if meta.date.is_none()
        && meta.tags.is_empty()
        && meta.authors.is_empty()
        && meta.encoding.is_none()
    {
        return Chunk::default();
    }
    let mut facts: Vec<String> = Vec::new();
    if !meta.authors.is_empty() {
        let names: Vec<&str> = meta.authors.iter().map(link_text).collect();
        facts.push(names.join(", "));
    }
    if let Some(date) = &meta.date {
        facts.push(date.ymd());
    }
    if let Some(updated) = meta.lastmod.as_ref().map(|d| d.ymd())
        && meta.date.as_ref().map(|d| d.ymd()) != Some(updated.clone())
    {
        facts.push(format!("updated {updated}"));
    }
    facts.push(match reading {
        (minutes, true) => format!("~{minutes} min read"),
        (minutes, false) => format!("{minutes} min read"),
    });
    if meta.draft {
        facts.push("draft".into());
    }
    // A no-break space keeps each separator with the fact after it when the line wraps.
    let facts = sanitize_flat(&facts.join(" ·\u{a0}")).into_owned();
    let mut spans = vec![span(facts, Role::CardMeta)];
    if let Some(encoding) = meta.encoding.as_deref() {
        spans.push(span(" ·\u{a0}", Role::CardMeta));
        spans.push(span(sanitize_flat(encoding).into_owned(), Role::Dim));
    }
    rows.extend(wrap_spans(&spans, inner));
    let mut chips: Vec<Span> = Vec::new();
    for category in &meta.categories {
        push_chip(
            &mut chips,
            format!("▸\u{a0}{}", chip_text(category)),
            Role::CardMeta,
        );
    }
    for tag in &meta.tags {
        push_chip(&mut chips, format!("#{}", chip_text(tag)), Role::Tag);
    }
    if !chips.is_empty() {
        rows.extend(wrap_spans(&chips, inner));
    }
    if let Some(description) = meta.description.as_deref().filter(|d| !d.trim().is_empty()) {
        let text = sanitize_flat(description.trim()).into_owned();
        let style = super::style::Style::role(Role::Description);
        rows.extend(wrap_spans(
            &[Span {
                text: text.into(),
                style,
            }],
            inner,
        ));
    }
    if let Some(image) = meta.image.as_deref().filter(|i| !i.trim().is_empty()) {
        let text = format!("[image] {}", sanitize_flat(image.trim()));
        rows.extend(wrap_spans(&[span(text, Role::Image)], inner));
    }
    let mut out = Chunk::default();
    if !boxed {
        out.lines = rows.into_iter().map(|spans| Line { spans }).collect();
        return out;
    }
    let border = |l: &str, r: &str| Line {
        spans: vec![span(
            format!("{}{}{}", frame(l), rule('─', width - 2), frame(r)),
            Role::CardBorder,
        )],
    };
    out.lines.push(border("╭", "╮"));
    for row in rows {
        let used: usize = row.iter().map(|s| display_width(&s.text)).sum();
        let mut spans = vec![span(frame("│ "), Role::CardBorder)];
        spans.extend(row);
        spans.push(span(" ".repeat(inner.saturating_sub(used)), Role::Text));
        spans.push(span(frame(" │"), Role::CardBorder));
        out.lines.push(Line { spans });
    }
    out.lines.push(border("╰", "╯"));
    out
}

/// Authors are often written as a Markdown link (`[Name](https://…)`): show the name.
fn link_text(author: &str) -> &str {
    let trimmed = author.trim();
    trimmed
        .strip_prefix('[')
        .and_then(|rest| rest.split_once("]("))
        .filter(|(_, url)| url.ends_with(')'))
        .map_or(trimmed, |(name, _)| name)
}

/// Chip text keeps its words together: spaces, and the line and paragraph separators,
/// become no-break spaces.
fn chip_text(name: &str) -> String {
    sanitize(name.trim()).replace([' ', '\u{2028}', '\u{2029}'], "\u{a0}")
}

fn push_chip(chips: &mut Vec<Span>, text: String, role: Role) {
    if !chips.is_empty() {
        chips.push(span(" ", Role::Text));
    }
    chips.push(span(text, role));
}

/// Minutes to read the body: CJK characters at ~300 a minute plus other words at ~200
/// a minute, at least one.
pub fn reading_minutes(doc: &Document) -> usize {
    let counts = doc
        .blocks
        .par_iter()
        .map(block_counts)
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    minutes_for(counts)
}

/// The CJK characters and other words of one top-level block. Each block's text ends
/// in a space, so the counts of the blocks add up to the whole body's.
pub(crate) fn block_counts(block: &Block) -> (usize, usize) {
    let mut counter = Counter::default();
    count_block(block, &mut counter);
    (counter.cjk, counter.words)
}

/// Reading minutes for `(cjk, words)` counts, at least one.
pub(crate) fn minutes_for((cjk, words): (usize, usize)) -> usize {
    let minutes = cjk.div_ceil(CJK_PER_MINUTE) + words.div_ceil(WORDS_PER_MINUTE);
    minutes.max(1)
}

/// What a reader reads of a block, fed to `counter` piece by piece: the text of its
/// inlines, code and HTML, each part followed by a space.
fn count_block(block: &Block, counter: &mut Counter) {
    block.walk(&mut |part| {
        match part {
            Part::Inlines(content) => Inline::visit_plain(content, &mut |t| counter.feed(t)),
            Part::Text(text) => counter.feed(text),
        }
        counter.feed(" ");
    });
}

/// Counts CJK characters and words over text that arrives in pieces (a word split
/// between two pieces counts once, as in the joined text): CJK ideographs and kana one
/// each, runs of other letters and digits as words.
#[derive(Default)]
struct Counter {
    cjk: usize,
    words: usize,
    in_word: bool,
}

impl Counter {
    fn feed(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(&b) = bytes.get(at) {
            // ASCII, most of a post, byte by byte; other characters decoded.
            let alphanumeric = if b.is_ascii() {
                at += 1;
                b.is_ascii_alphanumeric()
            } else {
                let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
                    break;
                };
                at += c.len_utf8();
                if is_cjk(c) {
                    self.cjk += 1;
                    false
                } else {
                    c.is_alphanumeric()
                }
            };
            if alphanumeric && !self.in_word {
                self.words += 1;
            }
            self.in_word = alphanumeric;
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authors_written_as_links_show_their_name() {
        assert_eq!(link_text("[宋净超](https://jimmysong.io)"), "宋净超");
        assert_eq!(link_text("Plain Name"), "Plain Name");
        assert_eq!(link_text("[odd"), "[odd");
    }

    /// The encoding a post was read in, when not UTF-8, is a dim note after the reading
    /// time; it alone makes a card.
    #[test]
    fn the_encoding_is_a_dim_note_after_the_reading_time() {
        let meta = Meta {
            encoding: Some("Big5".into()),
            ..Meta::default()
        };
        let chunk = card(&meta, 40, (2, false));
        let noted: Vec<&Span> = chunk
            .lines
            .iter()
            .flat_map(|line| &line.spans)
            .filter(|s| s.text == "Big5")
            .collect();
        assert_eq!(noted.len(), 1, "{:?}", chunk.lines);
        assert_eq!(noted[0].style, super::super::style::Style::role(Role::Dim));
        let row: String = chunk.lines[1]
            .spans
            .iter()
            .map(|s| s.text.as_str())
            .collect();
        assert!(row.starts_with("│ 2 min read ·\u{a0}Big5 "), "{row:?}");
        assert!(row.ends_with(" │") && display_width(&row) == 40, "{row:?}");
        assert!(card(&Meta::default(), 40, (2, false)).lines.is_empty());
    }

    #[test]
    fn line_and_paragraph_separators_in_front_matter_are_spaces() {
        let meta = |sep: &str| Meta {
            title: Some(format!("Alpha{sep}Beta").into()),
            description: Some(format!("one{sep}two").into()),
            tags: [format!("a{sep}b")].iter().collect(),
            authors: [format!("x{sep}y")].iter().collect(),
            ..Meta::default()
        };
        let rows = |meta: &Meta| -> Vec<String> {
            let chunk = card(meta, 60, (1, false));
            chunk.lines.iter().map(|l| l.plain_text()).collect()
        };
        let plain = rows(&meta(" "));
        for sep in ["\u{2028}", "\u{2029}", "\u{2028}\u{2029}"] {
            let shown = rows(&meta(sep));
            assert_eq!(shown.len(), plain.len(), "{sep:?}: {shown:#?}");
            assert!(shown.iter().all(|r| !r.contains(['\u{2028}', '\u{2029}'])));
            assert!(shown.iter().any(|r| r.contains("Alpha")), "{shown:#?}");
        }
    }

    #[test]
    fn reading_time_counts_cjk_characters_and_words() {
        let mut counter = Counter::default();
        counter.feed("开源社区 is open, 2024!");
        assert_eq!((counter.cjk, counter.words), (4, 3));
        // A word split across pieces (`foo**bar**`) counts once.
        counter.feed("wo");
        counter.feed("rd");
        assert_eq!((counter.cjk, counter.words), (4, 4));
        let doc = Document {
            blocks: vec![Block::Paragraph(vec![Inline::Text(
                "字".repeat(900).into(),
            )])],
            ..Document::default()
        };
        assert_eq!(reading_minutes(&doc), 3);
        assert_eq!(reading_minutes(&Document::default()), 1);
    }
}
