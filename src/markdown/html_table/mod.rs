//! HTML tables in posts (`<table>` with `<thead>`, `<tr>`, `<th>`, `<td>`, `colspan`,
//! `rowspan`, and links, lists and line breaks in cells) turned into the same [`Table`]
//! a GFM table is, so they are drawn as tables rather than as a cell per line.
//!
//! The HTML is read by html5gum, a WHATWG-conformant tokenizer (attributes in any
//! quoting, character references, comments, raw text): the part that is easy to get
//! wrong by hand. On its tokens sits a small table builder that does what a browser's
//! tree builder does for tables: a cell or row start closes the open one, spans are
//! placed on a grid around cells that earlier rows span into, and the text of a cell is
//! collapsed as HTML collapses whitespace. The text around a table stays an HTML block.

use html5gum::{Token, Tokenizer};

use super::model::{Block, Cell, Inline, Merge, Table};
use super::table::MAX_COLUMNS;

/// The most rows a span may cover, and the most rows kept: a hostile `rowspan` or a
/// million rows cannot make the grid huge.
const MAX_ROWS: usize = 20_000;

/// Whether an HTML block holds a table to draw as one.
pub fn has_table(html: &str) -> bool {
    memchr::memmem::find(html.to_ascii_lowercase().as_bytes(), b"<table").is_some()
}

/// The blocks an HTML block with tables in it stands for: its tables, and the text
/// before, between and after them as HTML blocks.
pub fn blocks(source: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut outside = String::new();
    let mut builder: Option<TableBuilder> = None;
    let mut nested = 0usize;
    for Ok(token) in Tokenizer::new(source) {
        match builder.as_mut() {
            None => match token {
                Token::StartTag(tag) if tag.name == b"table" => {
                    flush_outside(&mut outside, &mut out);
                    builder = Some(TableBuilder::default());
                }
                Token::StartTag(tag) => outside_tag(&tag.name, &tag.attributes, &mut outside),
                Token::EndTag(tag) => outside_tag(&tag.name, &Default::default(), &mut outside),
                Token::String(text) => outside.push_str(&String::from_utf8_lossy(&text)),
                _ => {}
            },
            Some(table) => match token {
                Token::StartTag(tag) if tag.name == b"table" => {
                    // A table in a cell: its text stays in the cell.
                    nested += 1;
                    table.text(" ");
                }
                Token::EndTag(tag) if tag.name == b"table" && nested > 0 => {
                    nested -= 1;
                    table.text(" ");
                }
                Token::EndTag(tag) if tag.name == b"table" => {
                    if let Some(done) = builder.take() {
                        out.push(Block::Table(Box::new(done.finish())));
                    }
                }
                Token::StartTag(tag) if nested > 0 => {
                    table.inline_start(&tag.name, &tag.attributes, tag.self_closing)
                }
                Token::EndTag(tag) if nested > 0 => table.inline_end(&tag.name),
                Token::StartTag(tag) => table.start(&tag.name, &tag.attributes, tag.self_closing),
                Token::EndTag(tag) => table.end(&tag.name),
                Token::String(text) => table.text(&String::from_utf8_lossy(&text)),
                _ => {}
            },
        }
    }
    if let Some(done) = builder.take() {
        out.push(Block::Table(Box::new(done.finish())));
    }
    flush_outside(&mut outside, &mut out);
    out
}

type Attributes =
    std::collections::BTreeMap<html5gum::HtmlString, html5gum::Spanned<html5gum::HtmlString, ()>>;

fn attribute(attributes: &Attributes, name: &str) -> Option<String> {
    attributes
        .get(name.as_bytes())
        .map(|value| String::from_utf8_lossy(&value.value).into_owned())
}

/// Text outside tables, as [`html::to_text`] gives it: block tags as line breaks.
fn outside_tag(name: &[u8], attributes: &Attributes, out: &mut String) {
    match name {
        b"br" | b"p" | b"div" | b"center" | b"details" | b"summary" | b"li" | b"h1" | b"h2"
        | b"h3" | b"h4" | b"h5" | b"h6" | b"blockquote" | b"figure" | b"figcaption" => {
            out.push('\n');
        }
        b"img" => {
            let alt = attribute(attributes, "alt").unwrap_or_default();
            let src = attribute(attributes, "src").unwrap_or_default();
            out.push_str(&format!("[image: {alt}] {src}"));
        }
        _ => {}
    }
}

fn flush_outside(outside: &mut String, out: &mut Vec<Block>) {
    let text = std::mem::take(outside);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if !lines.is_empty() {
        out.push(Block::Html(lines.join("\n")));
    }
}

/// A cell being read.
#[derive(Default)]
struct CellBuild {
    /// Open inline elements (`<a>`, `<b>`, …) with what they hold so far; the first is
    /// the cell itself.
    stack: Vec<(Element, Vec<Inline>)>,
    header: bool,
    cols: usize,
    rows: usize,
    /// Numbers of the open `<ol>` lists (`None` for `<ul>`), innermost last.
    lists: Vec<Option<u64>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Element {
    Cell,
    Link(String),
    Strong,
    Emphasis,
    Strike,
    Code,
    /// Any other inline element: its content belongs to the element around it.
    Other(Vec<u8>),
}

impl CellBuild {
    fn new(header: bool, attributes: &Attributes) -> CellBuild {
        let span = |name| {
            attribute(attributes, name)
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(1)
        };
        CellBuild {
            stack: vec![(Element::Cell, Vec::new())],
            header,
            cols: span("colspan").clamp(1, MAX_COLUMNS),
            rows: span("rowspan").clamp(1, MAX_ROWS),
            lists: Vec::new(),
        }
    }

    fn inlines(&mut self) -> &mut Vec<Inline> {
        if self.stack.is_empty() {
            self.stack.push((Element::Cell, Vec::new()));
        }
        let last = self.stack.len() - 1;
        &mut self.stack[last].1
    }

    /// The last inline of the cell so far, in reading order.
    fn last_inline(&self) -> Option<&Inline> {
        self.stack
            .iter()
            .rev()
            .find_map(|(_, inlines)| inlines.last())
    }

    /// Whether the cell holds nothing yet, or ends in a line break.
    fn at_line_start(&self) -> bool {
        matches!(self.last_inline(), None | Some(Inline::HardBreak))
    }

    fn ends_with_space(&self) -> bool {
        matches!(self.last_inline(), Some(Inline::Text(t)) if t.ends_with(' '))
    }

    /// Text, its whitespace collapsed as HTML collapses it: a run of white space is one
    /// space, and none at the start of a line.
    fn text(&mut self, text: &str) {
        let code = self.stack.iter().any(|(e, _)| *e == Element::Code);
        let space_before = self.at_line_start() || self.ends_with_space();
        let mut collapsed = String::with_capacity(text.len());
        let mut pending_space = false;
        for c in text.chars() {
            if c.is_whitespace() {
                pending_space = true;
                continue;
            }
            if std::mem::take(&mut pending_space) && !(collapsed.is_empty() && space_before) {
                collapsed.push(' ');
            }
            collapsed.push(c);
        }
        if pending_space && !(collapsed.is_empty() && space_before) {
            collapsed.push(' ');
        }
        if !collapsed.is_empty() {
            self.push_text(&collapsed, code);
        }
    }

    fn push_text(&mut self, text: &str, code: bool) {
        let inlines = self.inlines();
        if code {
            match inlines.last_mut() {
                Some(Inline::Code(c)) => c.push_str(text),
                _ => inlines.push(Inline::Code(text.to_string())),
            }
            return;
        }
        match inlines.last_mut() {
            Some(Inline::Text(t)) => t.push_str(text),
            _ => inlines.push(Inline::Text(text.into())),
        }
    }

    fn line_break(&mut self) {
        if self.at_line_start() {
            return;
        }
        self.trim_end();
        self.inlines().push(Inline::HardBreak);
    }

    fn trim_end(&mut self) {
        if let Some(Inline::Text(t)) = self.inlines().last_mut() {
            let kept = t.trim_end().len();
            t.truncate(kept);
        }
    }

    fn open(&mut self, element: Element) {
        self.stack.push((element, Vec::new()));
    }

    fn close(&mut self, wanted: impl Fn(&Element) -> bool) {
        let Some(at) = self.stack.iter().rposition(|(e, _)| wanted(e)) else {
            return;
        };
        if at == 0 {
            return;
        }
        while self.stack.len() > at {
            let Some((element, inlines)) = self.stack.pop() else {
                break;
            };
            let inline = match element {
                Element::Cell => return,
                Element::Link(url) => Inline::Link {
                    url,
                    content: inlines,
                },
                Element::Strong => Inline::Strong(inlines),
                Element::Emphasis => Inline::Emphasis(inlines),
                Element::Strike => Inline::Strikethrough(inlines),
                Element::Code | Element::Other(_) => {
                    self.inlines().extend(inlines);
                    continue;
                }
            };
            self.inlines().push(inline);
        }
    }

    fn finish(mut self) -> Cell {
        self.close(|e| *e != Element::Cell);
        self.trim_end();
        let mut cell = self
            .stack
            .into_iter()
            .next()
            .map(|(_, c)| c)
            .unwrap_or_default();
        while matches!(cell.last(), Some(Inline::HardBreak)) {
            cell.pop();
        }
        if let Some(Inline::Text(t)) = cell.first_mut() {
            let start = t.len() - t.trim_start().len();
            *t = t.get(start..).unwrap_or_default().into();
        }
        cell
    }
}

#[derive(Default)]
struct TableBuilder {
    caption: Option<String>,
    in_caption: bool,
    in_head: bool,
    /// Rows read so far: cells with their spans, and whether the row is a header row.
    rows: Vec<(Vec<CellBuild>, bool)>,
    row_open: bool,
    cell: Option<CellBuild>,
}

impl TableBuilder {
    fn start(&mut self, name: &[u8], attributes: &Attributes, self_closing: bool) {
        match name {
            b"caption" => self.in_caption = true,
            b"thead" => self.in_head = true,
            b"tbody" | b"tfoot" => {
                self.close_row();
                self.in_head = false;
            }
            b"tr" => {
                self.close_row();
                self.rows.push((Vec::new(), self.in_head));
                self.row_open = true;
            }
            b"td" | b"th" => {
                self.close_cell();
                if !self.row_open {
                    self.rows.push((Vec::new(), self.in_head));
                    self.row_open = true;
                }
                self.cell = Some(CellBuild::new(name == b"th", attributes));
            }
            _ => self.inline_start(name, attributes, self_closing),
        }
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"caption" => self.in_caption = false,
            b"thead" => {
                self.close_row();
                self.in_head = false;
            }
            b"tbody" | b"tfoot" | b"tr" => self.close_row(),
            b"td" | b"th" => self.close_cell(),
            _ => self.inline_end(name),
        }
    }

    fn inline_start(&mut self, name: &[u8], attributes: &Attributes, self_closing: bool) {
        let Some(cell) = self.cell.as_mut() else {
            return;
        };
        match name {
            b"br" => cell.line_break(),
            b"p" | b"div" => cell.line_break(),
            b"ul" => {
                cell.line_break();
                cell.lists.push(None);
            }
            b"ol" => {
                cell.line_break();
                let start = attribute(attributes, "start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                cell.lists.push(Some(start));
            }
            b"li" => {
                cell.line_break();
                let depth = cell.lists.len().saturating_sub(1);
                let marker = match cell.lists.last_mut() {
                    Some(Some(n)) => {
                        let marker = format!("{n}. ");
                        *n = n.saturating_add(1);
                        marker
                    }
                    _ => format!("{} ", ["•", "◦", "▪"][depth % 3]),
                };
                let indent = "  ".repeat(depth);
                cell.inlines()
                    .push(Inline::Text(format!("{indent}{marker}").into()));
            }
            b"img" => {
                let alt = attribute(attributes, "alt").unwrap_or_default();
                let url = attribute(attributes, "src").unwrap_or_default();
                cell.inlines().push(Inline::Image { url, alt });
            }
            b"a" if !self_closing => {
                let url = attribute(attributes, "href").unwrap_or_default();
                cell.open(Element::Link(super::parse::cap_url(&url)));
            }
            b"strong" | b"b" => cell.open(Element::Strong),
            b"em" | b"i" => cell.open(Element::Emphasis),
            b"del" | b"s" | b"strike" => cell.open(Element::Strike),
            b"code" | b"kbd" | b"samp" => cell.open(Element::Code),
            b"span" | b"small" | b"sup" | b"sub" | b"mark" | b"u" | b"abbr" | b"font" => {
                cell.open(Element::Other(name.to_vec()))
            }
            _ => {}
        }
    }

    fn inline_end(&mut self, name: &[u8]) {
        if self.in_caption {
            return;
        }
        let Some(cell) = self.cell.as_mut() else {
            return;
        };
        match name {
            b"p" | b"div" | b"li" => cell.line_break(),
            b"ul" | b"ol" => {
                cell.lists.pop();
                cell.line_break();
            }
            b"a" => cell.close(|e| matches!(e, Element::Link(_))),
            b"strong" | b"b" => cell.close(|e| *e == Element::Strong),
            b"em" | b"i" => cell.close(|e| *e == Element::Emphasis),
            b"del" | b"s" | b"strike" => cell.close(|e| *e == Element::Strike),
            b"code" | b"kbd" | b"samp" => cell.close(|e| *e == Element::Code),
            other => cell.close(|e| matches!(e, Element::Other(n) if n == other)),
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_caption {
            let caption = self.caption.get_or_insert_with(String::new);
            caption.push_str(text);
            return;
        }
        if let Some(cell) = self.cell.as_mut() {
            cell.text(text);
        }
    }

    fn close_cell(&mut self) {
        if let Some(cell) = self.cell.take() {
            if !self.row_open {
                self.rows.push((Vec::new(), self.in_head));
                self.row_open = true;
            }
            if let Some((cells, _)) = self.rows.last_mut()
                && cells.len() < MAX_COLUMNS
            {
                cells.push(cell);
            }
        }
    }

    fn close_row(&mut self) {
        self.close_cell();
        self.row_open = false;
    }

    /// The rows placed on a grid: a cell goes to the first place of its row that no
    /// earlier row's span covers, and covers the places its spans say.
    fn finish(mut self) -> Table {
        self.close_row();
        self.rows.truncate(MAX_ROWS);
        // A table whose first rows are all `<th>` has them as its header, as a table
        // without `<thead>` usually means.
        let explicit_head = self.rows.iter().any(|(_, head)| *head);
        let head_rows = if explicit_head {
            self.rows.iter().take_while(|(_, head)| *head).count()
        } else {
            self.rows
                .iter()
                .take_while(|(cells, _)| !cells.is_empty() && cells.iter().all(|c| c.header))
                .count()
        };
        let height = self.rows.len();
        let mut covered: Vec<Vec<bool>> = vec![Vec::new(); height];
        let mut grid: Vec<Vec<Cell>> = vec![Vec::new(); height];
        let mut merges = Vec::new();
        for (r, (cells, _)) in self.rows.into_iter().enumerate() {
            let mut col = 0;
            for cell in cells {
                while covered[r].get(col).copied().unwrap_or(false) {
                    col += 1;
                }
                if col >= MAX_COLUMNS {
                    break;
                }
                let cols = cell.cols.min(MAX_COLUMNS - col);
                let rows = cell.rows.min(height - r);
                for row in covered.iter_mut().skip(r).take(rows) {
                    if row.len() < col + cols {
                        row.resize(col + cols, false);
                    }
                    for place in row.iter_mut().skip(col).take(cols) {
                        *place = true;
                    }
                }
                if cols > 1 || rows > 1 {
                    merges.push(Merge {
                        row: r,
                        col,
                        rows,
                        cols,
                    });
                }
                let row = &mut grid[r];
                if row.len() <= col {
                    row.resize(col + 1, Vec::new());
                }
                row[col] = cell.finish();
                col += cols;
            }
        }
        let width = covered.iter().map(Vec::len).max().unwrap_or(0);
        for row in &mut grid {
            row.resize(width, Vec::new());
        }
        let rows = grid.split_off(head_rows.min(grid.len()));
        let caption = self
            .caption
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|c| !c.is_empty());
        Table {
            aligns: Vec::new(),
            head: grid,
            rows,
            hidden_columns: 0,
            merges,
            caption,
        }
    }
}

#[cfg(test)]
mod tests;
