//! A post as the plain text a reader reads, for full-text search and its snippets.
//!
//! Searching the Markdown source finds what nobody reads (a link's URL, `**`, an HTML
//! attribute) and shows it in the snippet, and misses a phrase a source line break cuts
//! in two. This walks the parsed [`Document`] instead, so it sees exactly what the
//! reader shows: link and emphasis text without their markup, image alt text, HTML
//! reduced to its text, code as written, and source lines joined as layout joins them
//! (a space between words, nothing between CJK characters). Tags of shortcodes folio
//! cannot expand are template markup and are left out; the Markdown inside them stays.

use super::inline::is_wide;
use super::model::{Block, Document, Inline};

/// The text of `body` (Markdown, front matter already removed) as a reader reads it:
/// one line per paragraph, heading, table row, definition term and line of code.
///
/// A long body is parsed a piece at a time ([`super::pieces`]), each piece's document
/// dropped once its text is out: full-text search reads every body in the background,
/// and a huge post's whole document model would take several times its size.
pub fn plain_text(body: &str) -> String {
    let prepared = super::shortcode::expand(body);
    let pieces = super::pieces::pieces(&prepared, super::pipeline::PIECE_BYTES);
    if pieces.len() == 1 {
        return document_text(&super::parse(body));
    }
    // Room for the whole at once: the text is a little shorter than its source, and a
    // long one grown by doubling would be copied whole each time.
    let mut out = Plain {
        text: String::with_capacity(body.len()),
        ..Plain::default()
    };
    for piece in pieces {
        let Some(doc) = super::parse::parse_expanded(piece) else {
            // The parser panicked: the whole, the way a failed parse always is.
            return document_text(&super::parse(body));
        };
        // A body cut into pieces has no footnotes (see `pieces`).
        doc.blocks.iter().for_each(|block| out.block(block));
    }
    out.text
}

/// [`plain_text`] of a document already parsed; footnotes come last, as in the reader.
pub fn document_text(doc: &Document) -> String {
    let mut out = Plain::default();
    for block in doc
        .blocks
        .iter()
        .chain(doc.footnotes.iter().flat_map(|f| &f.blocks))
    {
        out.block(block);
    }
    out.text
}

#[derive(Default)]
struct Plain {
    text: String,
    /// A source line break waiting for the next piece, which decides how it joins.
    soft_break: bool,
}

impl Plain {
    fn end_line(&mut self) {
        self.soft_break = false;
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    fn push(&mut self, piece: &str) {
        if piece.is_empty() {
            return;
        }
        if std::mem::take(&mut self.soft_break) {
            let before = self.text.chars().next_back();
            let after = piece.chars().next();
            let joins_tight =
                matches!((before, after), (Some(b), Some(a)) if is_wide(b) && is_wide(a));
            if !joins_tight && before.is_some_and(|c| c != '\n') {
                self.text.push(' ');
            }
        }
        self.text.push_str(piece);
    }

    /// Text that keeps its own lines (code, an HTML block's text, display math).
    fn push_lines(&mut self, text: &str) {
        self.end_line();
        self.text.push_str(text.trim_end_matches('\n'));
        self.end_line();
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph(content) | Block::Heading { content, .. } => {
                self.inlines(content);
                self.end_line();
            }
            Block::Quote(blocks) | Block::Alert { blocks, .. } => {
                blocks.iter().for_each(|b| self.block(b));
            }
            Block::Details { summary, blocks } => {
                self.push(summary);
                self.end_line();
                blocks.iter().for_each(|b| self.block(b));
            }
            Block::List { items, .. } => items
                .iter()
                .flat_map(|item| &item.blocks)
                .for_each(|b| self.block(b)),
            Block::Code { text, .. } | Block::Html(text) | Block::Math(text) => {
                self.push_lines(text);
            }
            Block::Table(table) => {
                if let Some(caption) = &table.caption {
                    self.push(caption);
                    self.end_line();
                }
                for row in table.all_rows() {
                    for (i, cell) in row.iter().enumerate() {
                        if i > 0 {
                            self.text.push_str("  ");
                        }
                        self.inlines(cell);
                    }
                    self.end_line();
                }
            }
            Block::DefinitionList(definitions) => {
                for definition in definitions {
                    self.inlines(&definition.term);
                    self.end_line();
                    definition
                        .details
                        .iter()
                        .flatten()
                        .for_each(|b| self.block(b));
                }
            }
            Block::Rule | Block::Include(_) | Block::SectionToc => {}
        }
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            match inline {
                Inline::Text(text) => self.push(text),
                Inline::Code(text)
                | Inline::Math(text)
                | Inline::DisplayMath(text)
                | Inline::Badge(text)
                | Inline::Term(text) => self.push(text),
                Inline::Shortcode(_) | Inline::Param(_) | Inline::FootnoteRef { .. } => {}
                Inline::Emphasis(content)
                | Inline::Strong(content)
                | Inline::Strikethrough(content) => self.inlines(content),
                // An autolink's text is its URL; any other link reads as its text.
                Inline::Link { url, content } if content.is_empty() => self.push(url),
                Inline::Link { content, .. } => self.inlines(content),
                Inline::Image { alt, .. } => self.push(alt),
                Inline::SoftBreak => self.soft_break = true,
                Inline::HardBreak => self.end_line(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_urls_and_tags_are_not_read() {
        let text = plain_text(
            "A talk by **Evenson** on [the mesh](https://istio.io/latest/) and \
             <span class=\"x\">inline</span> HTML.\n\n\
             ![a diagram](img/arch.png)\n\n\
             <div align=\"center\">\n<b>Centered</b>\n</div>\n",
        );
        assert_eq!(
            text,
            "A talk by Evenson on the mesh and inline HTML.\na diagram\nCentered\n"
        );
    }

    #[test]
    fn code_headings_lists_and_tables_keep_their_text_on_lines_of_their_own() {
        let text = plain_text(
            "# Title *here*\n\n- one `x = 1`\n- two\n\n```rust\nfn main() {}\n\nlet y = 2;\n```\n\n\
             | Key | Value |\n|---|---|\n| a | [b](u) |\n\nTerm\n: Detail\n\nNote[^1].\n\n[^1]: The footnote.\n",
        );
        assert_eq!(
            text,
            "Title here\none x = 1\ntwo\nfn main() {}\n\nlet y = 2;\nKey  Value\na  b\nTerm\nDetail\nNote.\nThe footnote.\n"
        );
    }

    #[test]
    fn a_long_body_read_a_piece_at_a_time_reads_as_the_whole() {
        let body: String = (0..12_000)
            .map(|i| match i % 4 {
                0 => format!("## 第 {i} 节\n\n"),
                1 => format!("开源\n社区 {i} and\n**more** [link](https://x.org/{i})\n\n"),
                2 => format!("| a | 版本 |\n|---|---|\n| {i} | `x` |\n\n"),
                _ => format!("```rust\nfn f{i}() {{}}\n```\n\n"),
            })
            .collect();
        let pieces = crate::markdown::pieces::pieces(&body, super::super::pipeline::PIECE_BYTES);
        assert!(pieces.len() > 2, "{} pieces", pieces.len());
        assert_eq!(
            plain_text(&body),
            document_text(&crate::markdown::parse(&body))
        );
    }

    #[test]
    fn source_lines_join_as_the_reader_joins_them() {
        assert_eq!(plain_text("开源\n社区 and\nmore\n"), "开源社区 and more\n");
        assert_eq!(plain_text("line one  \nline two\n"), "line one\nline two\n");
    }

    #[test]
    fn unknown_shortcode_tags_are_left_out_and_their_markdown_kept() {
        let text = plain_text("{{< mything >}}\nInner **Markdown** here\n{{< /mything >}}\n");
        assert!(!text.contains("{{"), "{text:?}");
        assert!(text.contains("Inner Markdown here"), "{text:?}");
        let figure = plain_text("{{< figure src=\"a.png\" caption=\"架构图\" >}}\n");
        assert!(
            !figure.contains("a.png") && figure.contains("架构图"),
            "{figure:?}"
        );
    }
}
