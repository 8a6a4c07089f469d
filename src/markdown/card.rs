//! Front matter as a header card: title, author, date, reading time, tags and
//! categories as chips, and the description, in a box above the body.
//!
//! Readers never see raw YAML: the card shows what front matter means, not how it
//! was written. A post without front matter gets no card (its own `# ` heading leads).

use rayon::prelude::*;

use super::layout::{Chunk, span};
use super::model::{Block, Document, Inline};
use super::sanitize::sanitize;
use super::style::{Line, Role, Span};
use super::wrap::{display_width, wrap_spans};
use crate::library::Meta;

/// CJK characters read per minute, and other words per minute.
const CJK_PER_MINUTE: usize = 300;
const WORDS_PER_MINUTE: usize = 200;

pub(crate) fn card(meta: &Meta, doc: &Document, width: usize, estimate: Option<usize>) -> Chunk {
    let mut rows: Vec<Vec<Span>> = Vec::new();
    let boxed = width >= 12;
    let inner = if boxed { width - 4 } else { width };
    if let Some(title) = meta.title.as_deref().filter(|t| !t.trim().is_empty()) {
        let text = sanitize(title.trim()).into_owned();
        rows.extend(wrap_spans(&[span(text, Role::CardTitle)], inner));
    } else if meta.date.is_none() && meta.tags.is_empty() && meta.authors.is_empty() {
        return Chunk::default();
    }
    let mut facts: Vec<String> = Vec::new();
    if !meta.authors.is_empty() {
        let names: Vec<&str> = meta.authors.iter().map(|a| link_text(a)).collect();
        facts.push(names.join(", "));
    }
    if let Some(date) = &meta.date {
        facts.push(date.ymd());
    }
    facts.push(match estimate {
        Some(minutes) => format!("~{minutes} min read"),
        None => format!("{} min read", reading_minutes(doc)),
    });
    if meta.draft {
        facts.push("draft".into());
    }
    // A no-break space keeps each separator with the fact after it when the line wraps.
    let facts = sanitize(&facts.join(" ·\u{a0}")).into_owned();
    rows.extend(wrap_spans(&[span(facts, Role::CardMeta)], inner));
    let mut chips: Vec<Span> = Vec::new();
    for category in &meta.categories {
        push_chip(
            &mut chips,
            format!("▸{}", chip_text(category)),
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
        let text = sanitize(description.trim()).into_owned();
        let mut style = super::style::Style::role(Role::Description);
        style.italic = true;
        rows.extend(wrap_spans(
            &[Span {
                text: text.into(),
                style,
            }],
            inner,
        ));
    }
    let mut out = Chunk::default();
    if !boxed {
        out.lines = rows.into_iter().map(|spans| Line { spans }).collect();
        return out;
    }
    let border = |l: &str, r: &str| Line {
        spans: vec![span(
            format!("{l}{}{r}", "─".repeat(width - 2)),
            Role::CardBorder,
        )],
    };
    out.lines.push(border("╭", "╮"));
    for row in rows {
        let used: usize = row.iter().map(|s| display_width(&s.text)).sum();
        let mut spans = vec![span("│ ", Role::CardBorder)];
        spans.extend(row);
        spans.push(span(" ".repeat(inner.saturating_sub(used)), Role::Text));
        spans.push(span(" │", Role::CardBorder));
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

/// Chip text keeps its words together: spaces become no-break spaces.
fn chip_text(name: &str) -> String {
    sanitize(name.trim()).replace(' ', "\u{a0}")
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
    // Each block's text ends in a space, so counts per block add up to the whole's.
    let (cjk, words) = doc
        .blocks
        .par_iter()
        .map(|block| {
            let mut text = String::new();
            block_text(block, &mut text);
            count_cjk_and_words(&text)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let minutes = cjk.div_ceil(CJK_PER_MINUTE) + words.div_ceil(WORDS_PER_MINUTE);
    minutes.max(1)
}

fn block_text(block: &Block, out: &mut String) {
    match block {
        Block::Paragraph(c) | Block::Heading { content: c, .. } => {
            out.push_str(&Inline::plain(c));
            out.push(' ');
        }
        Block::Quote(b) | Block::Alert { blocks: b, .. } => {
            b.iter().for_each(|b| block_text(b, out))
        }
        Block::List { items, .. } => items
            .iter()
            .flat_map(|i| &i.blocks)
            .for_each(|b| block_text(b, out)),
        Block::Code { text, .. } | Block::Html(text) | Block::Math(text) => {
            out.push_str(text);
            out.push(' ');
        }
        Block::Table { head, rows, .. } => {
            for cell in head.iter().chain(rows.iter().flatten()) {
                out.push_str(&Inline::plain(cell));
                out.push(' ');
            }
        }
        Block::DefinitionList(defs) => {
            for def in defs {
                out.push_str(&Inline::plain(&def.term));
                out.push(' ');
                def.details
                    .iter()
                    .flatten()
                    .for_each(|b| block_text(b, out));
            }
        }
        Block::Rule => {}
    }
}

/// CJK ideographs and kana count one each; runs of other letters and digits count as
/// words.
pub fn count_cjk_and_words(text: &str) -> (usize, usize) {
    let mut cjk = 0;
    let mut words = 0;
    let mut in_word = false;
    for c in text.chars() {
        if is_cjk(c) {
            cjk += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                words += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    (cjk, words)
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

    #[test]
    fn reading_time_counts_cjk_characters_and_words() {
        assert_eq!(count_cjk_and_words("开源社区 is open, 2024!"), (4, 3));
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
