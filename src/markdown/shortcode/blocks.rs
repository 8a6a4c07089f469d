//! The expansions that take whole lines: boxes, disclosures and code blocks opened by a
//! shortcode on a line of its own (and closed by one), `\[ … \]` math, HTML tables and
//! attribute-list lines. Each writes Markdown at the indent of the line that opened it,
//! so a box inside a list item stays in the item.

use super::tag::{Tag, whole_line_tag};
use super::{BlockMarker, FLATTENED_NOTICE, MAX_BOX_DEPTH, Marker, expand_at};

/// How deep in boxes the text being expanded is, and whether it has said yet that the
/// boxes past [`MAX_BOX_DEPTH`] are drawn flat.
pub(super) struct Boxes {
    depth: usize,
    noticed: bool,
}

impl Boxes {
    pub(super) fn at(depth: usize) -> Boxes {
        Boxes {
            depth,
            noticed: false,
        }
    }

    fn full(&self) -> bool {
        self.depth >= MAX_BOX_DEPTH
    }
}

/// Rewrites the construct that `line` opens, writing it to `out`; returns the index of
/// the first line after it, or `None` when `line` opens nothing handled here.
/// `next` is the index of the line after `line` in `lines`.
pub(super) fn expand_block(
    lines: &[&str],
    next: usize,
    line: &str,
    out: &mut String,
    boxes: &mut Boxes,
) -> Option<usize> {
    let trimmed = line.trim();
    let indent = line
        .get(..line.len() - line.trim_start().len())
        .unwrap_or("");
    if trimmed.starts_with("\\[") {
        return display_math(lines, next, trimmed, indent, out);
    }
    if indent.len() < 4 && starts_html_table(trimmed) {
        return html_table(lines, next, line, out);
    }
    if is_attribute_list(trimmed) {
        // Goldmark's block attributes (`{class="!mt-6"}`): styling for a browser.
        return Some(next);
    }
    let tag = whole_line_tag(trimmed)?;
    if tag.closing {
        // The end of a wrapper whose content was left in place (or of a box too deep
        // to draw).
        let flattened = boxes.full() && box_kind(&tag).is_some();
        return (flattened || matches!(tag.name.as_str(), "table" | "center")).then_some(next);
    }
    match tag.name.as_str() {
        "highlight" | "code-toggle" => {
            let (inner, after) = collect_until_close(lines, next, &tag.name);
            let inner = dedent(&inner, indent);
            let (lang, attrs) = if tag.name == "highlight" {
                let lang = tag.positional(0).unwrap_or_default().to_string();
                (lang, highlight_attrs(tag.positional(1).unwrap_or_default()))
            } else {
                toggle_label(&tag, &inner)
            };
            push_fence(out, indent, &lang, &attrs, &inner);
            Some(after)
        }
        "table" => {
            if let Some(title) = tag.arg("title").filter(|t| !t.trim().is_empty()) {
                push_line(
                    out,
                    indent,
                    &BlockMarker::Caption(title.to_string()).comment(),
                );
            }
            // The table follows the caption directly, so nothing can come between.
            Some(skip_blank(lines, next))
        }
        "center" => Some(next),
        "include" => {
            let path = tag.arg("path").or_else(|| tag.positional(0))?;
            push_line(
                out,
                indent,
                &BlockMarker::Include(path.to_string()).comment(),
            );
            out.push('\n');
            Some(next)
        }
        "section-toc" => {
            push_line(out, indent, &BlockMarker::SectionToc.comment());
            out.push('\n');
            Some(next)
        }
        _ => {
            let kind = box_kind(&tag)?;
            if boxes.full() {
                // Too deep: the opening line goes, what the box holds stays in place.
                if !boxes.noticed {
                    boxes.noticed = true;
                    push_line(out, indent, &format!("*({FLATTENED_NOTICE})*"));
                    out.push('\n');
                }
                return Some(next);
            }
            let (inner, after) = collect_until_close(lines, next, &tag.name);
            let inner = dedent(&inner, indent).join("\n");
            let inner = expand_at(&inner, boxes.depth + 1).into_owned();
            if tag.name == "details" {
                let summary = tag
                    .arg("summary")
                    .or_else(|| tag.arg("title"))
                    .or_else(|| tag.positional(0))
                    .filter(|s| !s.trim().is_empty())
                    .unwrap_or("Details");
                push_quote(out, indent, None, Some((Marker::Details, summary)), &inner);
            } else {
                let title = tag
                    .arg("title")
                    .or_else(|| match tag.name.as_str() {
                        "note" | "tip" | "warning" => tag.positional(0),
                        _ => tag.positional(1),
                    })
                    .filter(|t| !t.trim().is_empty());
                let head = title.map(|t| (Marker::Title, t));
                push_quote(out, indent, Some(kind), head, &inner);
            }
            Some(after)
        }
    }
}

fn push_line(out: &mut String, indent: &str, text: &str) {
    out.push_str(indent);
    out.push_str(text);
    out.push('\n');
}

fn skip_blank(lines: &[&str], mut next: usize) -> usize {
    while lines.get(next).is_some_and(|l| l.trim().is_empty()) {
        next += 1;
    }
    next
}

/// Alert kinds for box-like shortcodes; the kind comes from the first argument or `type`.
fn box_kind(tag: &Tag) -> Option<&'static str> {
    if !matches!(
        tag.name.as_str(),
        "notice"
            | "callout"
            | "admonition"
            | "alert"
            | "hint"
            | "details"
            | "note"
            | "tip"
            | "warning"
    ) {
        return None;
    }
    let flavour = match tag.name.as_str() {
        "note" | "tip" | "warning" => tag.name.clone(),
        _ => tag
            .arg("type")
            .or_else(|| tag.positional(0))
            .unwrap_or("note")
            .to_lowercase(),
    };
    Some(match flavour.as_str() {
        "tip" | "success" | "hint" => "TIP",
        "important" => "IMPORTANT",
        "warning" | "warn" | "attention" => "WARNING",
        "danger" | "error" | "caution" | "bug" | "failure" => "CAUTION",
        _ => "NOTE",
    })
}

/// A quote around `inner`: a GFM alert when `kind` is given, its first paragraph the
/// `head` marker (a box's title, a disclosure's summary).
fn push_quote(
    out: &mut String,
    indent: &str,
    kind: Option<&str>,
    head: Option<(Marker, &str)>,
    inner: &str,
) {
    if let Some(kind) = kind {
        push_line(out, indent, &format!("> [!{kind}]"));
    }
    if let Some((marker, text)) = head {
        push_line(out, indent, &format!("> {}", marker.wrap(text.trim())));
        push_line(out, indent, ">");
    }
    for line in inner.lines() {
        out.push_str(indent);
        out.push_str("> ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
}

/// Lines after an opening tag up to its closing tag (exclusive) and the index after it;
/// an unclosed shortcode takes the rest of the post, as Hugo would fail to close it.
fn collect_until_close<'a>(lines: &[&'a str], from: usize, name: &str) -> (Vec<&'a str>, usize) {
    let mut depth = 0usize;
    for (offset, line) in lines.iter().enumerate().skip(from) {
        if let Some(tag) = whole_line_tag(line.trim())
            && tag.name == name
            && !tag.self_closing
        {
            if tag.closing {
                if depth == 0 {
                    return (
                        lines.get(from..offset).unwrap_or_default().to_vec(),
                        offset + 1,
                    );
                }
                depth -= 1;
            } else {
                depth += 1;
            }
        }
    }
    (lines.get(from..).unwrap_or_default().to_vec(), lines.len())
}

/// Lines with the opening line's indent taken off, where they have it.
fn dedent<'a>(lines: &[&'a str], indent: &str) -> Vec<&'a str> {
    lines
        .iter()
        .map(|l| l.strip_prefix(indent).unwrap_or_else(|| l.trim_start()))
        .collect()
}

/// A fenced code block of `lines`, with an info string of `lang` and `attrs`, fenced by
/// more backticks than any line starts with.
fn push_fence(out: &mut String, indent: &str, lang: &str, attrs: &str, lines: &[&str]) {
    let longest = lines
        .iter()
        .map(|l| l.trim_start().chars().take_while(|c| *c == '`').count())
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let info = format!("{lang} {attrs}").replace('`', "'");
    push_line(out, indent, &format!("{fence}{}", info.trim_end()));
    for line in lines {
        push_line(out, indent, line);
    }
    push_line(out, indent, &fence);
}

/// `code-toggle`'s language (the format its content is written in) and the fence
/// attributes naming its file: `file=hugo` over TOML is `hugo.toml`.
fn toggle_label(tag: &Tag, lines: &[&str]) -> (String, String) {
    let lang = config_format(lines);
    let file = tag
        .arg("file")
        .or_else(|| tag.arg("config"))
        .filter(|f| !f.trim().is_empty())
        .map(|f| {
            if f.contains('.') {
                f.to_string()
            } else {
                format!("{f}.{lang}")
            }
        })
        .or_else(|| {
            tag.arg("fm")
                .filter(|v| *v == "true")
                .map(|_| "front matter".to_string())
        });
    let attrs = file
        .map(|f| format!("{{file=\"{}\"}}", f.replace('"', "'")))
        .unwrap_or_default();
    (lang.to_string(), attrs)
}

/// TOML, YAML or JSON, from the first line that says: Hugo converts between the three,
/// so the author may have written any.
fn config_format(lines: &[&str]) -> &'static str {
    for line in lines {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t == "+++" || t == "---" {
            continue;
        }
        if t.starts_with('{') {
            return "json";
        }
        if t.starts_with('[')
            || t.contains(" = ")
            || t.split_once('=').is_some_and(|(k, _)| !k.contains(':'))
        {
            return "toml";
        }
        if t.contains(':') || t.starts_with("- ") {
            return "yaml";
        }
    }
    "toml"
}

/// The `highlight` shortcode's options (`"linenos=table,hl_lines=8 15-17"`) as fence
/// attributes (`{linenos=table hl_lines="8 15-17"}`).
fn highlight_attrs(options: &str) -> String {
    let pairs: Vec<String> = options
        .split(',')
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            let (key, value) = (key.trim(), value.trim().replace('"', ""));
            (!key.is_empty()).then(|| format!("{key}=\"{value}\""))
        })
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", pairs.join(" "))
    }
}

/// `\[` … `\]` (LaTeX display math) as `$$` … `$$`, which the parser keeps verbatim;
/// blank lines inside are dropped, as they would end the math.
fn display_math(
    lines: &[&str],
    next: usize,
    trimmed: &str,
    indent: &str,
    out: &mut String,
) -> Option<usize> {
    const MAX_LINES: usize = 500;
    if let Some(inner) = trimmed
        .strip_prefix("\\[")
        .and_then(|rest| rest.strip_suffix("\\]"))
    {
        push_line(out, indent, &format!("$${}$$", inner));
        return Some(next);
    }
    let first = trimmed.strip_prefix("\\[")?.trim();
    let mut body: Vec<&str> = Vec::new();
    if !first.is_empty() {
        body.push(first);
    }
    for (at, line) in lines.iter().enumerate().skip(next).take(MAX_LINES) {
        let t = line.trim();
        if let Some(last) = t.strip_suffix("\\]") {
            if !last.trim().is_empty() {
                body.push(last.trim_end());
            }
            push_line(out, indent, "$$");
            for l in &body {
                push_line(out, indent, l.trim());
            }
            push_line(out, indent, "$$");
            return Some(at + 1);
        }
        if !t.is_empty() {
            body.push(line);
        }
    }
    None
}

fn starts_html_table(trimmed: &str) -> bool {
    trimmed
        .get(..6)
        .is_some_and(|head| head.eq_ignore_ascii_case("<table"))
        && trimmed
            .as_bytes()
            .get(6)
            .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>')
}

/// An HTML table from its opening line to the line that closes it, without the blank
/// lines inside: a blank line would end the HTML block and leave the rest of the table
/// to be read as Markdown.
fn html_table(lines: &[&str], next: usize, line: &str, out: &mut String) -> Option<usize> {
    const MAX_LINES: usize = 10_000;
    let closes = |l: &str| l.to_ascii_lowercase().contains("</table>");
    if closes(line) {
        push_line(out, "", line);
        return Some(next);
    }
    let end = lines
        .iter()
        .enumerate()
        .skip(next)
        .take(MAX_LINES)
        .find(|(_, l)| closes(l))
        .map(|(at, _)| at)?;
    push_line(out, "", line);
    for l in lines.get(next..=end).unwrap_or_default() {
        if !l.trim().is_empty() {
            push_line(out, "", l);
        }
    }
    Some(end + 1)
}

/// A Goldmark attribute list, `{#id .class key=value key="v"}`, and nothing else.
pub(super) fn is_attribute_list(text: &str) -> bool {
    let Some(inner) = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .filter(|i| !i.starts_with('{') && !i.trim().is_empty())
    else {
        return false;
    };
    let mut chars = inner.chars().peekable();
    let name_char = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '!' | '/');
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == ',').is_some() {}
        let Some(first) = chars.next() else {
            return true;
        };
        match first {
            '#' | '.' => {
                let mut any = false;
                while chars.next_if(|c| name_char(*c)).is_some() {
                    any = true;
                }
                if !any {
                    return false;
                }
            }
            c if c.is_alphabetic() => {
                while chars.next_if(|c| name_char(*c)).is_some() {}
                if chars.next() != Some('=') {
                    return false;
                }
                match chars.peek().copied() {
                    Some(q @ ('"' | '\'')) => {
                        chars.next();
                        if !chars.by_ref().any(|c| c == q) {
                            return false;
                        }
                    }
                    Some(c) if !c.is_whitespace() => {
                        while chars.next_if(|c| !c.is_whitespace() && *c != ',').is_some() {}
                    }
                    _ => return false,
                }
            }
            _ => return false,
        }
        if chars
            .peek()
            .is_some_and(|c| !c.is_whitespace() && *c != ',')
        {
            return false;
        }
    }
}
